import Fluent
import Foundation
import KexieKit
import Vapor

struct PublicityDTO: Content {
    struct Item: Content {
        let id: UUID
        let position: Int
        let label: String
        let detail: String
        let outcome: String
        let withdrawn: Bool
        let changeNote: String?
    }

    let id: UUID
    let title: String
    let organizationName: String
    let startsOn: String
    let endsOn: String
    /// scheduled, running, awaiting, final
    let status: String
    let openObjections: Int
    let url: String
    let items: [Item]
}

struct ObjectionReceiptDTO: Content {
    let id: UUID
    let code: String
    let state: String
}

struct ObjectionDTO: Content {
    let id: UUID
    let itemId: UUID?
    let content: String
    let filedAt: Date
    let state: String
    let verdict: String?
    let reason: String?
    let withdrewItem: Bool
    let decidedAt: Date?
}

/// `GET /api/v1/publicities/{id}` (anyone), `POST /api/v1/publicities/{id}/objections` (anyone, while the
/// publicity runs), `GET /api/v1/publicities/{id}/objections` (staff with `platform.publicity.manage` in
/// the organization's subtree). The same service as the pages.
struct PublicityAPIController {
    /// An objection is at most 2,000 characters: 8 KB holds it with the other fields.
    static let bodyLimit = 8 * 1024

    func register(publicAPI: any RoutesBuilder, api: any RoutesBuilder) {
        publicAPI.get(PublicityRoutes.apiPublicity, use: show)
        publicAPI.on(.POST, PublicityRoutes.apiObjections, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: file)
            .limitBody(Self.bodyLimit)
        api.get(PublicityRoutes.apiObjections, use: list)
    }

    func show(_ req: Request) async throws -> PublicityDTO {
        let id = try req.uuidParameter()
        let service = PublicityService(db: req.db, services: req.platform)
        let publicity = try await service.published(id)
        let status = try await service.status(id, today: PublicityController.today(req))
        let organization = try await Organization.find(publicity.organizationID, on: req.db)
        let open = try await PublicityObjectionRecord.query(on: req.db).filter(\.$publicityID == id).filter(\.$state != .decided).count()
        return PublicityDTO(
            id: id, title: publicity.title, organizationName: organization?.name ?? "", startsOn: publicity.startsOn.description,
            endsOn: publicity.endsOn.description, status: status.code, openObjections: open, url: PublicityRoutes.publicity(id),
            items: try await service.itemRecords(id).map {
                .init(
                    id: try $0.requireID(), position: $0.position, label: $0.label, detail: $0.detail, outcome: $0.outcome,
                    withdrawn: $0.withdrawn, changeNote: $0.changeNote)
            })
    }

    struct Body: Decodable {
        var name: String?
        var contact: String?
        var content: String?
        var itemId: String?
    }

    func file(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        try req.enforce(PublicityController.filing, key: req.clientAddress)
        let body = try req.jsonBody(Body.self, limit: Self.bodyLimit)
        // An API client answers for the objector's consent by sending the objection.
        let objection = try await PublicityService(db: req.db, services: req.platform).file(
            id, .init(name: body.name, contact: body.contact, content: body.content, itemID: body.itemId, consent: true))
        let dto = ObjectionReceiptDTO(
            id: try objection.requireID(), code: try TrackingCode.parse(objection.code).description, state: objection.state.rawValue)
        return try await dto.encodeResponse(status: .created, for: req)
    }

    func list(_ req: Request) async throws -> [ObjectionDTO] {
        let id = try req.uuidParameter()
        let service = PublicityService(db: req.db, services: req.platform)
        _ = try await service.managed(id, actor: try req.actor)
        return try await service.objectionRecords(id).map {
            ObjectionDTO(
                id: try $0.requireID(), itemId: $0.itemID, content: $0.content, filedAt: $0.filedAt, state: $0.state.rawValue,
                verdict: $0.verdict?.rawValue, reason: $0.reason, withdrewItem: $0.withdrewItem, decidedAt: $0.decidedAt)
        }
    }
}

enum PublicityOpenAPI {
    static let paths = """
          /publicities/{id}:
            get:
              summary: 一项公示：名单（含被异议撤销的项）、公示期与状态；未开始的公示为 404
              security: [{}, {bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: 公示, content: {application/json: {schema: {$ref: '#/components/schemas/Publicity'}}}}
                \(OpenAPIErrors.refs(401, 404, 422, 429))
          /publicities/{id}/objections:
            post:
              summary: 实名提出异议（无需登录，仅在公示期内受理）；返回查询码，凭码在 /publicities/objection-status 查询办理结果
              security: [{}, {bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              requestBody:
                required: true
                description: 请求体不超过 8 KB
                content: {application/json: {schema: {$ref: '#/components/schemas/PublicityObjectionRequest'}}}
              responses:
                '201': {description: 异议已受理, content: {application/json: {schema: {$ref: '#/components/schemas/PublicityObjectionReceipt'}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 413, 422, 429, codes: [PlatformError.Code.publicityClosed]))
            get:
              summary: 一项公示的异议及其办理状态和结论（须持有 platform.publicity.manage，且公示单位在令牌所属组织范围内；不含异议人个人信息）
              security: [{bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: 异议列表（按提出时间）, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/PublicityObjection'}}}}}
                \(OpenAPIErrors.refs(401, 403, 404, 422, 429))
        """

    static let schemas = """
            Publicity:
              type: object
              required: [id, title, organizationName, startsOn, endsOn, status, openObjections, url, items]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                organizationName: {type: string}
                startsOn: {type: string, format: date}
                endsOn: {type: string, format: date, description: 公示期最后一个工作日}
                status: {type: string, enum: [running, awaiting, final], description: 公示中；公示期满、异议处理中；公示结束（异议均已办结，名单为最终结果）}
                openObjections: {type: integer, minimum: 0}
                url: {type: string, description: 网页地址}
                items:
                  type: array
                  items:
                    type: object
                    required: [id, position, label, detail, outcome, withdrawn]
                    properties:
                      id: {type: string, format: uuid}
                      position: {type: integer, minimum: 1}
                      label: {type: string, examples: [张三]}
                      detail: {type: string, examples: [云海大学 · 材料科学]}
                      outcome: {type: string, examples: [拟授予先进个人]}
                      withdrawn: {type: boolean, description: 因异议成立已撤销}
                      changeNote: {type: [string, 'null']}
            PublicityObjectionRequest:
              type: object
              required: [name, contact, content]
              properties:
                name: {type: string, maxLength: 50, description: 真实姓名}
                contact: {type: string, maxLength: 254, description: 11 位手机号码或电子邮箱}
                content: {type: string, minLength: 10, maxLength: 2000}
                itemId: {type: string, format: uuid, description: 名单中的一项；不填为针对整个名单}
            PublicityObjectionReceipt:
              type: object
              required: [id, code, state]
              properties:
                id: {type: string, format: uuid}
                code: {type: string, examples: [KX-7F3M-Q9TC-2HPA], description: 查询码}
                state: {type: string, enum: [received]}
            PublicityObjection:
              type: object
              required: [id, content, filedAt, state, withdrewItem]
              properties:
                id: {type: string, format: uuid}
                itemId: {type: [string, 'null'], format: uuid}
                content: {type: string}
                filedAt: {type: string, format: date-time}
                state: {type: string, enum: [received, investigating, decided]}
                verdict: {type: [string, 'null'], enum: [upheld, rejected, null]}
                reason: {type: [string, 'null']}
                withdrewItem: {type: boolean}
                decidedAt: {type: [string, 'null'], format: date-time}
        """
}
