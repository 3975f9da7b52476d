import Fluent
import Foundation
import SQLKit
import Vapor

/// One in-app message (站内信) for one user.
public final class InboxMessage: Model, @unchecked Sendable {
    public static let schema = "platform_notifications"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "body") public var body: String
    @OptionalField(key: "link") public var link: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @OptionalField(key: "read_at") public var readAt: Date?

    public init() {}
}

struct CreateInbox: AsyncMigration {
    var name: String { "2026_11_23_1530_platform_create_notifications" }

    func prepare(on database: any Database) async throws {
        try await database.schema(InboxMessage.schema)
            .id()
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .field("created_at", .datetime)
            .field("read_at", .datetime)
            .create()
        // The header's unread count runs on every page.
        try await SQLIndex.create(
            "idx_platform_notifications_user", on: InboxMessage.schema, ["user_id", "read_at", "created_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(InboxMessage.schema).delete()
    }
}

/// The in-app channel: every notification becomes a 站内信 with an unread mark. Other channels (e-mail,
/// SMS) register beside it through `KexieModule.notificationChannels`.
public struct InAppChannel: NotificationChannel {
    public init() {}

    public var id: String { "in_app" }

    public func deliver(_ notification: PlatformNotification, on db: any Database) async throws {
        let message = InboxMessage()
        message.userID = notification.recipientUserID
        message.title = String(notification.title.prefix(200))
        message.body = String(notification.body.prefix(2000))
        message.link = notification.link
        try await message.create(on: db)
    }
}

/// A user's 站内信: unread count, list, marking read. Only ever the actor's own messages.
public struct Inbox: Sendable {
    let db: any Database

    public init(db: any Database) { self.db = db }

    public func unreadCount(userID: UUID) async throws -> Int {
        try await InboxMessage.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).count()
    }

    public func messages(userID: UUID, offset: Int, limit: Int) async throws -> (total: Int, items: [InboxMessage]) {
        let query = InboxMessage.query(on: db).filter(\.$userID == userID)
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(offset..<(offset + limit)).all()
        return (total, items)
    }

    /// Marks one message read and returns it; 404 for anyone else's.
    public func open(_ id: UUID, userID: UUID, now: Date) async throws -> InboxMessage {
        guard let message = try await InboxMessage.query(on: db).filter(\.$id == id).filter(\.$userID == userID).first() else {
            throw PlatformError.notFound
        }
        if message.readAt == nil {
            message.readAt = now
            try await message.save(on: db)
        }
        return message
    }

    public func markAllRead(userID: UUID, now: Date) async throws {
        try await InboxMessage.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
    }
}
