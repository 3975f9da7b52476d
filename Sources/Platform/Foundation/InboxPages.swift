import Fluent
import Foundation
import Vapor

struct InboxPage: Sendable {
    struct Row: Encodable, Sendable {
        let title: String
        let body: String
        let time: String
        let unread: Bool
        let openAction: String
    }

    let shell: PageShell
    let rows: [Row]
    let list: ListChrome
    let readAllAction: String
    let unread: Int
}

struct InboxMessageDTO: Content {
    let id: UUID
    let title: String
    let body: String
    let link: String?
    let createdAt: Date?
    let read: Bool
}

struct InboxDTO: Content {
    let unread: Int
    let total: Int
    let items: [InboxMessageDTO]
}

/// 站内信: the logged-in user's messages, newest first; opening one marks it read and follows its link.
struct InboxController {
    func register(web: any RoutesBuilder, api: any RoutesBuilder) {
        web.get(PlatformRoutes.inbox, use: list)
        web.post(PlatformRoutes.inboxReadAll, use: readAll)
        web.post(PlatformRoutes.inboxOpen, use: open)
        api.get(PlatformRoutes.apiNotifications, use: apiList)
    }

    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let params = try ListParameters(request: req, path: PlatformRoutes.inbox(), keys: [])
        let inbox = Inbox(db: req.db)
        let (total, items) = try await inbox.messages(userID: actor.userID, offset: params.offset, limit: params.pageSize)
        return try await InboxPage(
            shell: await PageShell.build(for: req, title: "站内信"),
            rows: items.map { message in
                .init(
                    title: message.title, body: message.body, time: ChineseDate.dateTime(message.createdAt), unread: message.readAt == nil,
                    openAction: message.id.map { PlatformRoutes.inboxOpen($0) } ?? "")
            },
            list: params.chrome(total: total), readAllAction: PlatformRoutes.inboxReadAll(),
            unread: try await inbox.unreadCount(userID: actor.userID)
        ).render(req)
    }

    func open(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let message = try await Inbox(db: req.db).open(try req.uuidParameter(), userID: actor.userID, now: req.platform.clock())
        // Only links inside the site: a message never sends someone elsewhere.
        let link = message.link.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil }
        return req.redirect(to: link ?? PlatformRoutes.inbox())
    }

    func readAll(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try await Inbox(db: req.db).markAllRead(userID: actor.userID, now: req.platform.clock())
        return req.redirect(to: PlatformRoutes.inbox(query: ["notice": "saved"]))
    }

    func apiList(_ req: Request) async throws -> InboxDTO {
        let actor = try req.actor
        let inbox = Inbox(db: req.db)
        let paging = try req.paging()
        let (total, items) = try await inbox.messages(userID: actor.userID, offset: paging.offset, limit: paging.per)
        return InboxDTO(
            unread: try await inbox.unreadCount(userID: actor.userID), total: total,
            items: try items.map {
                InboxMessageDTO(
                    id: try $0.requireID(), title: $0.title, body: $0.body, link: $0.link, createdAt: $0.createdAt, read: $0.readAt != nil)
            })
    }
}
