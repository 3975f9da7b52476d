import Fluent
import Foundation
import SQLKit

/// 通知公告: a notice an organization publishes, public (portal, `/notices`, anyone) or internal (logged-in
/// users whose acting organization is in the publishing organization's subtree). Shown from
/// `publish_at` on, pinned ones first, until withdrawn.
public final class NoticeRecord: Model, @unchecked Sendable {
    public static let schema = "platform_notices"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "title") public var title: String
    /// The body in the safe Markdown subset (`KexieKit.SafeMarkdown`).
    @Field(key: "body") public var body: String
    @Field(key: "is_public") public var isPublic: Bool
    @Field(key: "is_pinned") public var isPinned: Bool
    /// Not shown before this moment (scheduled publishing).
    @Field(key: "publish_at") public var publishAt: Date
    @OptionalField(key: "withdrawn_at") public var withdrawnAt: Date?
    @Field(key: "author_id") public var authorID: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}
}

extension NoticeRecord: Audited {
    public static var auditEntityType: String { "notice" }
}

extension NoticeRecord: OrganizationOwned {
    public static var organizationIDKey: KeyPath<NoticeRecord, FieldProperty<NoticeRecord, UUID>> { \.$organizationID }
}

/// The notices table, with the indexes its lists read by: readers' lists (withdrawn or not, then the
/// newest publish time first, pinned first on the portal) and the staff's list by organization.
struct CreateNotices: AsyncMigration {
    var name: String { "2026_12_07_1600_platform_create_notices" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_notices")
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("is_public", .bool, .required)
            .field("is_pinned", .bool, .required)
            .field("publish_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .field("author_id", .uuid, .required, .references("platform_users", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SQLIndex.create("idx_platform_notices_publish", on: "platform_notices", ["publish_at", "id"], database)
        try await SQLIndex.create(
            "idx_platform_notices_reader", on: "platform_notices", ["is_public", "is_pinned", "publish_at"], database)
        try await SQLIndex.create(
            "idx_platform_notices_organization", on: "platform_notices", ["organization_id", "publish_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_notices").delete()
    }
}
