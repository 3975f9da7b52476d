import Fluent
import Foundation
import KexieKit
import SQLKit

/// 公示: a list a module puts before the public for a number of working days (awards, volunteers' star
/// levels, societies' ratings). The owning module is named by text (`owner_module`, `owner_kind`,
/// `owner_id`), so Platform never imports it.
final class PublicityRecord: Model, @unchecked Sendable {
    static let schema = "platform_publicities"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "owner_module") var ownerModule: String
    @Field(key: "owner_kind") var ownerKind: String
    @Field(key: "owner_id") var ownerID: UUID
    /// Where the owning module shows the record (a site path), when it has a page.
    @OptionalField(key: "owner_link") var ownerLink: String?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "starts_on") var startsOn: Day
    @Field(key: "ends_on") var endsOn: Day
    @Field(key: "working_days") var workingDays: Int
    @Field(key: "created_by") var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One line of the list: a person, an organization or an entry, with the proposed outcome.
final class PublicityItemRecord: Model, @unchecked Sendable {
    static let schema = "platform_publicity_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "publicity_id") var publicityID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "owner_item_id") var ownerItemID: UUID
    @Field(key: "label") var label: String
    @Field(key: "detail") var detail: String
    @Field(key: "outcome") var outcome: String
    /// Removed from the list by an upheld objection (the result changed).
    @Field(key: "withdrawn") var withdrawn: Bool
    @OptionalField(key: "change_note") var changeNote: String?

    init() {}
}

/// 异议: filed by anyone with real name and contact (both sealed) while the publicity runs.
final class PublicityObjectionRecord: Model, @unchecked Sendable {
    static let schema = "platform_publicity_objections"

    enum State: String, Codable, Sendable, CaseIterable {
        case received, investigating, decided

        var label: String {
            switch self {
            case .received: return "已受理"
            case .investigating: return "调查核实中"
            case .decided: return "已办结"
            }
        }
    }

    enum Verdict: String, Codable, Sendable, CaseIterable {
        case upheld, rejected

        var label: String {
            switch self {
            case .upheld: return "异议成立"
            case .rejected: return "异议不成立"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "publicity_id") var publicityID: UUID
    /// The item objected to; nil for the whole list.
    @OptionalField(key: "item_id") var itemID: UUID?
    @Field(key: "name_cipher") var nameCipher: String
    @Field(key: "contact_cipher") var contactCipher: String
    @Field(key: "content") var content: String
    @Field(key: "filed_at") var filedAt: Date
    /// `TrackingCode.canonical`: the objector follows the objection with it, without an account.
    @Field(key: "code") var code: String
    @Field(key: "state") var state: State
    @OptionalField(key: "verdict") var verdict: Verdict?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "withdrew_item") var withdrewItem: Bool
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

/// A staff member's investigation note on an objection (调查核实记录).
final class PublicityNoteRecord: Model, @unchecked Sendable {
    static let schema = "platform_publicity_notes"

    @ID(key: .id) var id: UUID?
    @Field(key: "objection_id") var objectionID: UUID
    @Field(key: "note") var note: String
    @Field(key: "author_id") var authorID: UUID
    @Field(key: "author_name") var authorName: String
    @Field(key: "written_at") var writtenAt: Date

    init() {}
}

extension PublicityRecord: Audited {
    static var auditEntityType: String { "publicity" }
    static var auditLabel: String { "公示" }
    static var auditTitleColumn: String? { "title" }
}

extension PublicityItemRecord: Audited {
    static var auditEntityType: String { "publicity_item" }
    static var auditLabel: String { "公示名单条目" }
    static var auditTitleColumn: String? { "label" }
}

extension PublicityObjectionRecord: Audited {
    static var auditEntityType: String { "publicity_objection" }
    static var auditLabel: String { "公示异议" }
    static var auditRedactedKeys: Set<String> { ["name_cipher", "contact_cipher"] }
    static var auditTitleColumn: String? { nil }
}

extension PublicityNoteRecord: Audited {
    static var auditEntityType: String { "publicity_note" }
    static var auditLabel: String { "异议调查记录" }
    static var auditTitleColumn: String? { nil }
}

extension PublicityRecord: OrganizationOwned {
    static var organizationIDKey: KeyPath<PublicityRecord, FieldProperty<PublicityRecord, UUID>> { \.$organizationID }
}

struct CreatePublicities: AsyncMigration {
    var name: String { "2026_12_08_0000_platform_create_publicities" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PublicityRecord.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("owner_module", .string, .required)
            .field("owner_kind", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("owner_link", .string)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("starts_on", .string, .required)
            .field("ends_on", .string, .required)
            .field("working_days", .int, .required)
            .field("created_by", .uuid, .required, .references("platform_users", "id"))
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create(
            "idx_platform_publicities_owner", on: PublicityRecord.schema, ["owner_module", "owner_kind", "owner_id"], database)
        try await SQLIndex.create("idx_platform_publicities_ends", on: PublicityRecord.schema, ["ends_on", "id"], database)
        try await SQLIndex.create(
            "idx_platform_publicities_organization", on: PublicityRecord.schema, ["organization_id", "starts_on"], database)
        try await database.schema(PublicityItemRecord.schema)
            .id()
            .field("publicity_id", .uuid, .required, .references(PublicityRecord.schema, "id"))
            .field("position", .int, .required)
            .field("owner_item_id", .uuid, .required)
            .field("label", .string, .required)
            .field("detail", .string, .required)
            .field("outcome", .string, .required)
            .field("withdrawn", .bool, .required)
            .field("change_note", .string)
            .create()
        try await SQLIndex.create(
            "idx_platform_publicity_items_publicity", on: PublicityItemRecord.schema, ["publicity_id", "position"], database)
        try await database.schema(PublicityObjectionRecord.schema)
            .id()
            .field("publicity_id", .uuid, .required, .references(PublicityRecord.schema, "id"))
            .field("item_id", .uuid, .references(PublicityItemRecord.schema, "id"))
            .field("name_cipher", .string, .required)
            .field("contact_cipher", .string, .required)
            .field("content", .string, .required)
            .field("filed_at", .datetime, .required)
            .field("code", .string, .required)
            .field("state", .string, .required)
            .field("verdict", .string)
            .field("reason", .string)
            .field("withdrew_item", .bool, .required)
            .field("decided_by", .uuid, .references("platform_users", "id"))
            .field("decided_at", .datetime)
            .unique(on: "code")
            .create()
        try await SQLIndex.create(
            "idx_platform_publicity_objections_publicity", on: PublicityObjectionRecord.schema, ["publicity_id", "state"], database)
        try await database.schema(PublicityNoteRecord.schema)
            .id()
            .field("objection_id", .uuid, .required, .references(PublicityObjectionRecord.schema, "id"))
            .field("note", .string, .required)
            .field("author_id", .uuid, .required, .references("platform_users", "id"))
            .field("author_name", .string, .required)
            .field("written_at", .datetime, .required)
            .create()
        try await SQLIndex.create(
            "idx_platform_publicity_notes_objection", on: PublicityNoteRecord.schema, ["objection_id", "written_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PublicityNoteRecord.schema).delete()
        try await database.schema(PublicityObjectionRecord.schema).delete()
        try await database.schema(PublicityItemRecord.schema).delete()
        try await database.schema(PublicityRecord.schema).delete()
    }
}
