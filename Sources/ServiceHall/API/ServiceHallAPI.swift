import Fluent
import Foundation
import Platform
import Vapor

struct CaseInput: Content {
    var type: String?
    var title: String?
    var content: String?
    var isPublic: Bool?
    var contactName: String?
    var contactPhone: String?
}

struct SubmittedDTO: Content {
    let trackingNumber: String
    let acceptDue: String
    let provisional: Bool
}

struct TrackedDTO: Content {
    struct Step: Content {
        let date: String
        let label: String
    }

    let trackingNumber: String
    let type: String
    let title: String
    let state: String
    let receivedOn: String
    let acceptDue: String
    let steps: [Step]
}

/// `POST /api/v1/cases` (anonymous allowed) and the public tracking lookup.
struct ServiceHallAPIController {
    func register(publicAPI: any RoutesBuilder) {
        publicAPI.post("cases", use: submit)
        publicAPI.get("cases", "track", ":trackingNumber", use: track)
    }

    func submit(_ req: Request) async throws -> Response {
        let input: CaseInput
        do { input = try req.content.decode(CaseInput.self) } catch {
            throw PlatformError.invalidInput(field: nil, message: "请求体不是有效的 JSON 或字段类型不正确")
        }
        let record = try await IntakeService(db: req.db, services: req.platform).submit(
            .init(
                type: input.type, title: input.title, content: input.content, isPublic: input.isPublic ?? false,
                contactName: input.contactName, contactPhone: input.contactPhone),
            actor: req.optionalActor, clientAddress: req.clientAddress)
        return try await SubmittedDTO(trackingNumber: record.trackingCode, acceptDue: record.acceptDue, provisional: record.dueProvisional)
            .encodeResponse(status: .created, for: req)
    }

    func track(_ req: Request) async throws -> TrackedDTO {
        let code = req.parameters.get("trackingNumber") ?? ""
        let record: ServiceCase
        do {
            record = try await IntakeService(db: req.db, services: req.platform).track(code)
        } catch PlatformError.invalidInput(_, let message) where message.contains("没有找到") {
            throw PlatformError.notFound
        }
        let progress = try await CaseProgress(record: record, db: req.db)
        return TrackedDTO(
            trackingNumber: record.trackingCode, type: progress.type, title: record.title, state: progress.state,
            receivedOn: record.receivedOn, acceptDue: record.acceptDue, steps: progress.steps.map { .init(date: $0.date, label: $0.label) })
    }
}

enum ServiceHallOpenAPI {
    static let paths = """
          /cases:
            post:
              summary: 提交诉求（无需登录；携带令牌时关联账号）；答复查询码
              security: []
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [type, title, content]
                      properties:
                        type: {type: string, enum: [suggestion, appeal, rights, legal, title, other]}
                        title: {type: string, maxLength: 100}
                        content: {type: string, minLength: 10, maxLength: 5000}
                        isPublic: {type: boolean, description: 同意去除个人信息后公开}
                        contactName: {type: string}
                        contactPhone: {type: string, description: 未登录时必填}
              responses:
                '201': {description: '{"trackingNumber": "KX-…", "acceptDue": "YYYY-MM-DD", "provisional": false}'}
                '422': {$ref: '#/components/responses/Error'}
                '429': {$ref: '#/components/responses/Error'}
          /cases/track/{trackingNumber}:
            get:
              summary: 按查询码查询办理进度（公开，不含个人信息）
              security: []
              parameters:
                - {name: trackingNumber, in: path, required: true, schema: {type: string}}
              responses:
                '200': {description: 类型、标题、状态、期限与办理步骤}
                '404': {$ref: '#/components/responses/Error'}
                '422': {$ref: '#/components/responses/Error'}
        """
}
