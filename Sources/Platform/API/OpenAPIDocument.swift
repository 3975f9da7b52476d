import Vapor

/// Assembles `/api/openapi.yaml` from the paths each module contributes. A route test checks that every
/// registered `/api/v1` route appears here, so the document cannot silently fall behind the code.
public enum OpenAPIDocument {
    public static func yaml(modules: [any KexieModule]) -> String {
        """
        openapi: 3.1.0
        info:
          title: Kexie 智慧科协 API
          version: 1.0.0
          description: |
            科协一站式服务平台的 JSON 接口。所有接口（注明匿名可用的除外）需在请求头中携带
            `Authorization: Bearer <令牌>`，令牌在网页“API 访问令牌”页面或 `kexie token create` 生成。
            出错时返回 `{"error": {"code": "...", "message": "中文说明"}}`；填写有误（422）时另有 `field`（出错的字段），整体校验的请求体还有 `fields`（每个字段的说明）。
        servers:
          - url: /api/v1
        security:
          - bearer: []
        components:
          securitySchemes:
            bearer:
              type: http
              scheme: bearer
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code: {type: string, examples: [platform.invalid_input]}
                    message: {type: string, examples: [请填写组织名称]}
                    field: {type: string, description: 422 时出错的字段, examples: [name]}
                    fields: {type: object, additionalProperties: {type: string}, description: 整体校验时每个出错字段的说明}
          responses:
            Error:
              description: 错误
              content:
                application/json:
                  schema: {$ref: '#/components/schemas/Error'}
        paths:
        \(modules.map(\.openAPIPaths).filter { !$0.isEmpty }.joined(separator: "\n"))
        """
    }

    static func register(_ routes: any RoutesBuilder, modules: [any KexieModule]) {
        let document = yaml(modules: modules)
        routes.get("api", "openapi.yaml") { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(string: document))
        }
    }
}

enum FoundationOpenAPI {
    static let paths = """
          /calendar/add-working-days:
            get:
              summary: 工作日期限：from 之后第 days 个工作日（次日起算；无需令牌）
              security: []
              parameters:
                - {name: from, in: query, required: true, schema: {type: string, format: date}}
                - {name: days, in: query, required: true, schema: {type: integer, minimum: 0, maximum: 366}}
                - {name: region, in: query, schema: {type: string}, description: 地区代码，适用地方性放假或调休}
              responses:
                '200': {description: '{"date": "YYYY-MM-DD", "provisional": 是否落入尚未发布安排的年份}'}
                '422': {$ref: '#/components/responses/Error'}
          /notifications:
            get:
              summary: 当前账号的站内信（最新在前）与未读数
              parameters:
                - {name: page, in: query, schema: {type: integer, minimum: 1}}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 200}}
              responses:
                '200': {description: unread, total, items}
                '401': {$ref: '#/components/responses/Error'}
          /me:
            get:
              summary: 当前令牌对应的账号、角色与权限
              responses:
                '200': {description: 当前账号}
                '401': {$ref: '#/components/responses/Error'}
          /organizations:
            get:
              summary: 列出当前组织及其下级组织
              parameters:
                - {name: q, in: query, schema: {type: string}, description: 名称包含}
                - {name: kind, in: query, schema: {type: string, enum: [association, society, university_association, enterprise_association, park_association, hospital_association, rural_tech_association, enterprise]}}
                - {name: page, in: query, schema: {type: integer, minimum: 1}}
                - {name: per, in: query, schema: {type: integer, minimum: 1, maximum: 200}}
              responses:
                '200': {description: 分页的组织列表（items, page, per, total）}
                '401': {$ref: '#/components/responses/Error'}
                '403': {$ref: '#/components/responses/Error'}
            post:
              summary: 在管理范围内新建组织
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [name, kind, parentID]
                      properties:
                        name: {type: string}
                        kind: {type: string}
                        level: {type: string, enum: [province, city, county, township]}
                        parentID: {type: string, format: uuid}
                        region: {type: string}
                        establishedYear: {type: integer}
              responses:
                '201': {description: 新建的组织}
                '403': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
          /organizations/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
            get:
              summary: 查看组织（不在管理范围内时返回 404）
              responses:
                '200': {description: 组织}
                '404': {$ref: '#/components/responses/Error'}
            patch:
              summary: 修改名称、类型、层级、地区，或移动到新的上级组织
              responses:
                '200': {description: 修改后的组织}
                '404': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
            delete:
              summary: 停用组织（保留记录）
              responses:
                '204': {description: 已停用}
                '404': {$ref: '#/components/responses/Error'}
        """
}
