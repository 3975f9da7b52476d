import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 三长: the head of a hospital, school or agricultural technology station registered with the
/// grassroots organization that works with them.
final class ThreeHead: Model, @unchecked Sendable {
    static let schema = "members_three_heads"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    /// Stored as its raw value, as ServiceCase.state is (see there).
    @Field(key: "kind") var kind: ThreeHeadKind
    @Field(key: "institution") var institution: String
    /// Calendar day as `Day`, stored as the same `YYYY-MM-DD` text as before.
    @Field(key: "since") var since: Day
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension ThreeHead: OrganizationOwned {
    static var organizationIDKey: KeyPath<ThreeHead, FieldProperty<ThreeHead, UUID>> { \.$organizationID }
}

extension ThreeHead: Audited {
    static var auditEntityType: String { "three_head" }
}

/// A person in an organization's expert pool (专家库), drawn on by other modules for reviews,
/// popularization, think-tank work and emergencies.
final class Expert: Model, @unchecked Sendable {
    static let schema = "members_experts"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    /// Comma-separated `ExpertRole` raw values.
    @Field(key: "roles") var roles: String
    /// Comma-separated GB/T 13745 codes; the person's own discipline is always among them.
    @Field(key: "fields") var fields: String
    @Field(key: "availability") var availability: ExpertAvailability
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension Expert: OrganizationOwned {
    static var organizationIDKey: KeyPath<Expert, FieldProperty<Expert, UUID>> { \.$organizationID }
}

extension Expert: Audited {
    static var auditEntityType: String { "expert" }
}

/// A seat held for one term in one body: 代表 of a congress, 委员 or 常委 of a committee.
final class Representative: Model, @unchecked Sendable {
    static let schema = "members_representatives"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "body") var body: String
    @Field(key: "term") var term: String
    @Field(key: "role") var role: RepresentativeRole
    @OptionalField(key: "constituency") var constituency: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension Representative: OrganizationOwned {
    static var organizationIDKey: KeyPath<Representative, FieldProperty<Representative, UUID>> { \.$organizationID }
}

extension Representative: Audited {
    static var auditEntityType: String { "representative" }
}

/// A person's request to be forgotten; an administrator of their organization decides.
final class DeletionRequest: Model, @unchecked Sendable {
    static let schema = "members_deletion_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "person_name") var personName: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "status") var status: DeletionStatus
    @OptionalField(key: "decision_note") var decisionNote: String?
    @OptionalField(key: "decided_by") var decidedBy: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

extension DeletionRequest: OrganizationOwned {
    static var organizationIDKey: KeyPath<DeletionRequest, FieldProperty<DeletionRequest, UUID>> { \.$organizationID }
}

extension DeletionRequest: Audited {
    static var auditEntityType: String { "deletion_request" }
}

/// An uploaded import file waiting for confirmation, then the record of what it did.
final class ImportBatch: Model, @unchecked Sendable {
    static let schema = "members_import_batches"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "content") var content: Data
    @Field(key: "status") var status: ImportService.Status
    @Field(key: "row_count") var rowCount: Int
    @Field(key: "imported_count") var importedCount: Int
    @OptionalField(key: "failure") var failure: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension ImportBatch: OrganizationOwned {
    static var organizationIDKey: KeyPath<ImportBatch, FieldProperty<ImportBatch, UUID>> { \.$organizationID }
}

struct CreateRoleTables: AsyncMigration {
    var name: String { "2026_11_23_2010_members_create_roles" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ThreeHead.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("person_id", .uuid, .required, .references("platform_people", "id"))
            .field("kind", .string, .required)
            .field("institution", .string, .required)
            .field("since", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "organization_id", "person_id", "kind")
            .create()
        try await database.schema(Expert.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("person_id", .uuid, .required, .references("platform_people", "id"))
            .field("roles", .string, .required)
            .field("fields", .string, .required)
            .field("availability", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "organization_id", "person_id")
            .create()
        try await database.schema(Representative.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("person_id", .uuid, .required, .references("platform_people", "id"))
            .field("body", .string, .required)
            .field("term", .string, .required)
            .field("role", .string, .required)
            .field("constituency", .string)
            .field("created_at", .datetime)
            .unique(on: "organization_id", "person_id", "body", "term")
            .create()
        try await database.schema(DeletionRequest.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("person_id", .uuid, .required, .references("platform_people", "id"))
            .field("person_name", .string, .required)
            .field("reason", .string)
            .field("status", .string, .required)
            .field("decision_note", .string)
            .field("decided_by", .string)
            .field("created_at", .datetime)
            .field("decided_at", .datetime)
            .create()
        try await database.schema(ImportBatch.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("user_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("content", .data, .required)
            .field("status", .string, .required)
            .field("row_count", .int, .required)
            .field("imported_count", .int, .required)
            .field("failure", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SQLIndex.create("idx_members_experts_person", on: Expert.schema, ["person_id"], database)
        try await SQLIndex.create("idx_members_representatives_person", on: Representative.schema, ["person_id"], database)
        // List pages filter on these without a search term.
        try await SQLIndex.create("idx_platform_people_sex_birth", on: "platform_people", ["sex", "birth_month"], database)
        try await SQLIndex.create("idx_platform_people_verification", on: "platform_people", ["verification"], database)
    }

    func revert(on database: any Database) async throws {
        for schema in [ImportBatch.schema, DeletionRequest.schema, Representative.schema, Expert.schema, ThreeHead.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// Indexes the people lists count from without reading rows: one for scope (and the 实名核验 queue),
/// one for the list filters.
struct CreatePeopleFacetIndexes: AsyncMigration {
    var name: String { "2026_11_23_2020_members_people_facets" }

    func prepare(on database: any Database) async throws {
        try await SQLIndex.create(
            "idx_platform_people_scope", on: "platform_people", ["anonymized_at", "organization_id", "verification"], database)
        try await SQLIndex.create(
            "idx_platform_people_facets", on: "platform_people",
            ["sex", "title_level", "birth_month", "discipline_code", "verification", "organization_id", "anonymized_at"], database)
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        try await sql.drop(index: "idx_platform_people_scope").run()
        try await sql.drop(index: "idx_platform_people_facets").run()
    }
}

/// Import files used to stay in the table in clear after their import. Files of finished imports are
/// removed; an unconfirmed preview cannot be resumed from a plaintext copy and is closed.
struct PurgeStoredImportFiles: AsyncMigration {
    var name: String { "2026_12_07_0910_members_purge_stored_import_files" }

    func prepare(on database: any Database) async throws {
        try await ImportBatch.query(on: database).filter(\.$status == .previewed)
            .set(\.$failure, to: "为保护个人信息，未确认的导入文件已删除，请重新上传").set(\.$status, to: .failed).update()
        try await ImportBatch.query(on: database).filter(\.$status != .running).set(\.$content, to: Data()).update()
    }

    func revert(on database: any Database) async throws {}
}
