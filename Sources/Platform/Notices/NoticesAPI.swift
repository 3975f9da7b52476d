import Fluent
import Foundation
import KexieKit
import Vapor

struct NoticeDTO: Content {
    struct Attachment: Content {
        let id: UUID
        let fileName: String
        let kind: String
        let size: Int
        let url: String
    }

    let id: UUID
    let title: String
    let organizationID: UUID
    let organizationName: String
    let isPublic: Bool
    let isPinned: Bool
    let publishedAt: Date
    let url: String
    /// Only on the single notice: the Markdown source, its HTML (escaped, safe to insert) and the files.
    let body: String?
    let bodyHTML: String?
    let attachments: [Attachment]?
}

/// `GET /api/v1/notices` and `/api/v1/notices/{id}`: public notices to anyone; a bearer token adds the
/// internal ones of the subtree its acting organization is in. Same service as the pages.
struct NoticesAPIController {
    func register(_ publicAPI: any RoutesBuilder) {
        publicAPI.get(PlatformRoutes.apiNotices, use: list)
        publicAPI.get(PlatformRoutes.apiNotice, use: show)
    }

    func list(_ req: Request) async throws -> PageDTO<NoticeDTO> {
        let paging = try req.paging(defaultPer: 20)
        var query = NoticeService(db: req.db, services: req.platform).readable(actor: req.optionalActor)
            .join(Organization.self, on: \NoticeRecord.$organizationID == \Organization.$id)
        if let q = req.query[String.self, at: "q"]?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            guard q.count <= 100 else { throw PlatformError.invalidInput(field: "q", message: "关键词不超过 100 个字") }
            query = NoticeController.search(query, q)
        }
        let total = try await query.count()
        let rows = try await query.sort(\.$isPinned, .descending).sort(\.$publishAt, .descending).sort(\.$id, .descending)
            .range(paging.range).all()
        let items = try rows.map { notice in
            try Self.dto(notice, organizationName: try notice.joined(Organization.self).name, detail: nil)
        }
        return PageDTO(items: items, page: paging.page, per: paging.per, total: total)
    }

    func show(_ req: Request) async throws -> NoticeDTO {
        let id = try req.uuidParameter()
        let notice = try await NoticeService(db: req.db, services: req.platform).readable(id, actor: req.optionalActor)
        let organization = try await Organization.find(notice.organizationID, on: req.db)
        let files = try await FileStore(services: req.platform).list(NoticeService.owner(id), on: req.db)
        return try Self.dto(notice, organizationName: organization?.name ?? "", detail: files)
    }

    static func dto(_ notice: NoticeRecord, organizationName: String, detail files: [StoredFileInfo]?) throws -> NoticeDTO {
        let id = try notice.requireID()
        return NoticeDTO(
            id: id, title: notice.title, organizationID: notice.organizationID, organizationName: organizationName,
            isPublic: notice.isPublic, isPinned: notice.isPinned, publishedAt: notice.publishAt, url: PlatformRoutes.notice(id),
            body: files == nil ? nil : notice.body, bodyHTML: files == nil ? nil : SafeMarkdown.html(notice.body),
            attachments: files?.map { .init(id: $0.id, fileName: $0.fileName, kind: $0.kind.rawValue, size: $0.size, url: $0.link) })
    }
}

enum NoticesOpenAPI {
    static let paths = """
          /notices:
            get:
              summary: 通知公告（置顶在前，最新在前）；无令牌时只有公开的，带令牌时另含当前组织所在范围内的内部通知
              security: [{}, {bearer: []}]
              parameters:
                - {name: q, in: query, schema: {type: string, maxLength: 100}, description: 标题或正文包含}
                - {$ref: '#/components/parameters/Page'}
                - {$ref: '#/components/parameters/Per'}
              responses:
                '200': {description: 分页的通知公告, content: {application/json: {schema: {$ref: '#/components/schemas/NoticePage'}}}}
                \(OpenAPIErrors.refs(401, 422, 429))
          /notices/{id}:
            get:
              summary: 一则通知公告的正文与附件；内部通知只对其发布单位及下级单位的令牌可见，其余一律 404
              security: [{}, {bearer: []}]
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
              responses:
                '200': {description: 通知公告, content: {application/json: {schema: {$ref: '#/components/schemas/Notice'}}}}
                \(OpenAPIErrors.refs(401, 404, 422, 429))
        """

    static let schemas = """
            Notice:
              type: object
              required: [id, title, organizationID, organizationName, isPublic, isPinned, publishedAt, url]
              properties:
                id: {type: string, format: uuid}
                title: {type: string}
                organizationID: {type: string, format: uuid}
                organizationName: {type: string, examples: [云海省科学技术协会]}
                isPublic: {type: boolean, description: false 为内部通知}
                isPinned: {type: boolean}
                publishedAt: {type: string, format: date-time}
                url: {type: string, description: 网页地址}
                body: {type: string, description: 正文（Markdown 子集），仅单条接口返回}
                bodyHTML: {type: string, description: 正文的 HTML，原文中的网页代码已转义，链接只保留 http、https 和站内地址；仅单条接口返回}
                attachments:
                  type: array
                  description: 仅单条接口返回
                  items:
                    type: object
                    required: [id, fileName, kind, size, url]
                    properties:
                      id: {type: string, format: uuid}
                      fileName: {type: string}
                      kind: {type: string, examples: [pdf]}
                      size: {type: integer, minimum: 0}
                      url: {type: string, description: '下载地址（/files/ 加附件 id）'}
            NoticePage:
              type: object
              required: [items, page, per, total]
              properties:
                items: {type: array, items: {$ref: '#/components/schemas/Notice'}}
                page: {type: integer, minimum: 1}
                per: {type: integer, minimum: 1}
                total: {type: integer, minimum: 0}
        """
}
