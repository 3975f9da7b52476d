import Fluent
import Foundation
import KexieKit
import Vapor

/// A form as the API gives it: what it is and the definition people fill in now.
struct FormDTO: Content {
    let id: UUID
    let title: String
    let description: String
    let organizationID: UUID
    let status: PlatformForm.Status
    /// 0 until the first publication.
    let currentVersion: Int
    /// The published definition; absent until the first publication.
    let definition: FormDefinition?
}

/// `/api/v1/forms/{id}`: the same scope and permission as the builder pages.
struct FormsAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get(PlatformRoutes.apiForm, use: show)
    }

    func show(_ req: Request) async throws -> FormDTO {
        let service = FormService(db: req.db, services: req.platform)
        let form = try await service.managed(try req.uuidParameter(), actor: try req.actor)
        let definition = form.currentVersion > 0 ? try await service.publishedVersion(form).definition() : nil
        return FormDTO(
            id: try form.requireID(), title: form.title, description: form.details, organizationID: form.organizationID,
            status: form.status,
            currentVersion: form.currentVersion, definition: definition)
    }
}

/// The forms part of the OpenAPI document.
enum FormsOpenAPI {
    static let schemas = """
            FormField:
              type: object
              required: [key, label, kind, required]
              properties:
                key: {type: string, pattern: '^[a-z][a-z0-9_]{0,39}$', description: 稳定的字段标识，答案和导出按它区分}
                label: {type: string}
                help: {type: string}
                required: {type: boolean}
                personal: {type: boolean, description: 个人敏感信息，加密保存（电话、邮箱总是加密）}
                kind:
                  type: object
                  required: [type]
                  properties:
                    type: {type: string, enum: [text, long_text, number, single_choice, multiple_choice, date, phone, email, file, consent]}
                    min: {description: 数字的最小值或日期的最早日期（YYYY-MM-DD）}
                    max: {description: 数字的最大值或日期的最晚日期（YYYY-MM-DD）}
                    integer: {type: boolean, description: 数字只能为整数}
                    options: {type: array, items: {type: string}, description: 单选、多选的选项}
                    minSelections: {type: integer}
                    maxSelections: {type: integer}
                    maxFiles: {type: integer}
                    kinds: {type: array, items: {type: string}, description: 允许的附件类型}
                    statement: {type: string, description: 同意声明的内容}
                rules:
                  type: object
                  properties:
                    minLength: {type: integer}
                    maxLength: {type: integer, maximum: 2000}
                    pattern: {type: string, description: 整个答案须匹配的正则表达式}
                    patternMessage: {type: string}
                showIf:
                  type: object
                  required: [key, values]
                  description: 仅当前面某个单选或多选字段的答案为 values 之一时显示
                  properties:
                    key: {type: string}
                    values: {type: array, items: {type: string}}
            FormDefinition:
              type: object
              required: [sections]
              properties:
                sections:
                  type: array
                  items:
                    type: object
                    required: [title, fields]
                    properties:
                      title: {type: string}
                      fields: {type: array, items: {$ref: '#/components/schemas/FormField'}}
            Form:
              type: object
              required: [id, title, description, organizationID, status, currentVersion]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                description: {type: string}
                organizationID: {type: string, format: uuid}
                status: {type: string, enum: [draft, published, closed]}
                currentVersion: {type: integer, minimum: 0, description: 当前发布的版本号，未发布时为 0}
                definition: {$ref: '#/components/schemas/FormDefinition'}
        """

    static let paths = """
          /forms/{id}:
            parameters:
              - {$ref: '#/components/parameters/Id'}
            get:
              summary: 表单及其当前发布版本的定义（不在管理范围内时返回 404）
              responses:
                '200': {description: 表单, content: {application/json: {schema: {$ref: '#/components/schemas/Form'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 429))
        """
}
