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
    static var auditLabel: String { "三长" }
    static var auditEntityType: String { "three_head" }
}

/// A person in an organization's expert pool (专家库), drawn on by other modules for reviews,
/// popularization, think-tank work and emergencies.
final class Expert: Model, @unchecked Sendable {
    static let schema = "members_experts"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    /// The expert's roles and fields (GB/T 13745 codes; the person's own discipline is always among
    /// them), a row each in `members_expert_roles` and `members_expert_fields` because the pools are
    /// filtered by both. Loaded with `ExpertLists.load`; read through `roles` and `fields`.
    @Children(for: \.$expert) var roleRows: [ExpertRoleRecord]
    @Children(for: \.$expert) var fieldRows: [ExpertFieldRecord]
    @Field(key: "availability") var availability: ExpertAvailability
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension Expert {
    /// In the roles' fixed order: as loaded by `ExpertLists.load`, or as set on an entry being saved.
    var roles: [ExpertRole] {
        get {
            let chosen = Set(($roleRows.value ?? []).map(\.role))
            return ExpertRole.allCases.filter(chosen.contains)
        }
        set { $roleRows.value = newValue.map { ExpertRoleRecord(role: $0) } }
    }

    /// In the order given, the person's own discipline first.
    var fields: [String] {
        get { ($fieldRows.value ?? []).sorted { $0.position < $1.position }.map(\.field) }
        set { $fieldRows.value = newValue.enumerated().map { ExpertFieldRecord(field: $1, position: $0) } }
    }
}

/// One role of a pool entry (评审专家, 科普专家, …).
final class ExpertRoleRecord: Model, @unchecked Sendable {
    static let schema = "members_expert_roles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "expert_id") var expert: Expert
    @Field(key: "role") var role: ExpertRole

    init() {}

    init(role: ExpertRole) {
        self.role = role
    }
}

/// One field of a pool entry, with its place in the entry's list.
final class ExpertFieldRecord: Model, @unchecked Sendable {
    static let schema = "members_expert_fields"

    @ID(key: .id) var id: UUID?
    @Parent(key: "expert_id") var expert: Expert
    @Field(key: "field") var field: String
    @Field(key: "position") var position: Int

    init() {}

    init(field: String, position: Int) {
        self.field = field
        self.position = position
    }
}

extension ExpertRoleRecord: Audited {
    static var auditLabel: String { "专家角色" }
    static var auditEntityType: String { "expert_role" }
}

extension ExpertFieldRecord: Audited {
    static var auditLabel: String { "专家领域" }
    static var auditEntityType: String { "expert_field" }
}

/// Reading and writing the roles and fields of pool entries.
enum ExpertLists {
    /// Fills `roles` and `fields` of these entries in two queries.
    static func load(_ experts: [Expert], on db: any Database) async throws {
        let ids = experts.compactMap(\.id)
        let roles = ids.isEmpty ? [] : try await ExpertRoleRecord.query(on: db).filter(\.$expert.$id ~~ ids).all()
        let fields = ids.isEmpty ? [] : try await ExpertFieldRecord.query(on: db).filter(\.$expert.$id ~~ ids).all()
        let rolesByExpert = Dictionary(grouping: roles, by: \.$expert.id)
        let fieldsByExpert = Dictionary(grouping: fields, by: \.$expert.id)
        for expert in experts {
            expert.$roleRows.value = expert.id.flatMap { rolesByExpert[$0] } ?? []
            expert.$fieldRows.value = expert.id.flatMap { fieldsByExpert[$0] } ?? []
        }
    }

    /// Stores `expert.roles` and `expert.fields` for a saved entry, changing only the rows that differ.
    static func save(_ expert: Expert, on tx: any Database) async throws {
        let id = try expert.requireID()
        let roles = expert.roles
        let fields = expert.fields
        let storedRoles = try await ExpertRoleRecord.query(on: tx).filter(\.$expert.$id == id).all()
        for row in storedRoles where !roles.contains(row.role) { try await row.delete(on: tx) }
        for role in roles where !storedRoles.contains(where: { $0.role == role }) {
            let row = ExpertRoleRecord(role: role)
            row.$expert.id = id
            try await row.create(on: tx)
        }
        let storedFields = try await ExpertFieldRecord.query(on: tx).filter(\.$expert.$id == id).all()
        for row in storedFields where fields.firstIndex(of: row.field) != row.position { try await row.delete(on: tx) }
        for (position, field) in fields.enumerated()
        where !storedFields.contains(where: { $0.field == field && $0.position == position }) {
            let row = ExpertFieldRecord(field: field, position: position)
            row.$expert.id = id
            try await row.create(on: tx)
        }
        try await load([expert], on: tx)
    }
}

extension Expert: OrganizationOwned {
    static var organizationIDKey: KeyPath<Expert, FieldProperty<Expert, UUID>> { \.$organizationID }
}

extension Expert: Audited {
    static var auditLabel: String { "专家" }
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
    static var auditLabel: String { "代表委员" }
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
    static var auditLabel: String { "注销申请" }
    static var auditTitleColumn: String? { "person_name" }
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

/// Experts' roles and fields were comma-separated text filtered with LIKE; they move to a row each
/// (`members_expert_roles`, `members_expert_fields`, indexed for the pool filters).
struct ExpertRolesAndFields: AsyncMigration {
    var name: String { "2026_12_07_1430_members_expert_roles_fields" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ExpertRoleRecord.schema)
            .id()
            .field("expert_id", .uuid, .required, .references(Expert.schema, "id", onDelete: .cascade))
            .field("role", .string, .required)
            .unique(on: "expert_id", "role")
            .create()
        try await database.schema(ExpertFieldRecord.schema)
            .id()
            .field("expert_id", .uuid, .required, .references(Expert.schema, "id", onDelete: .cascade))
            .field("field", .string, .required)
            .field("position", .int, .required)
            .unique(on: "expert_id", "field")
            .create()
        try await SQLIndex.create("idx_members_expert_roles_role", on: ExpertRoleRecord.schema, ["role", "expert_id"], database)
        try await SQLIndex.create("idx_members_expert_fields_field", on: ExpertFieldRecord.schema, ["field", "expert_id"], database)
        try await database.transaction { tx in
            let sql = try tx.sql()
            if sql.dialect.name == "sqlite" {
                // No split function in SQLite: the rows are split here as the application split them.
                for row in try await sql.raw("SELECT id, roles, fields FROM members_experts").all() {
                    let expert = try row.decode(column: "id", as: UUID.self)
                    var seen: Set<Substring> = []
                    for role in try row.decode(column: "roles", as: String.self).split(separator: ",") where seen.insert(role).inserted {
                        try await sql.raw(
                            "INSERT INTO members_expert_roles (id, expert_id, role) VALUES (\(bind: UUID()), \(bind: expert), \(bind: String(role)))"
                        ).run()
                    }
                    seen = []
                    let fields = try row.decode(column: "fields", as: String.self).split(separator: ",").filter { seen.insert($0).inserted }
                    for (position, field) in fields.enumerated() {
                        try await sql.raw(
                            """
                            INSERT INTO members_expert_fields (id, expert_id, field, position) \
                            VALUES (\(bind: UUID()), \(bind: expert), \(bind: String(field)), \(bind: position))
                            """
                        ).run()
                    }
                }
            } else {
                try await sql.raw(
                    """
                    INSERT INTO members_expert_roles (id, expert_id, role) \
                    SELECT gen_random_uuid(), e.id, r.role FROM members_experts e \
                    CROSS JOIN LATERAL (SELECT DISTINCT unnest(string_to_array(e.roles, ',')) AS role) AS r WHERE r.role <> ''
                    """
                ).run()
                // Positions from 0 in the order written; a repeated field keeps its first place.
                try await sql.raw(
                    """
                    INSERT INTO members_expert_fields (id, expert_id, field, position) \
                    SELECT gen_random_uuid(), f.expert_id, f.field, CAST(ROW_NUMBER() OVER (PARTITION BY f.expert_id ORDER BY f.n) - 1 AS INTEGER) \
                    FROM (SELECT e.id AS expert_id, u.field, MIN(u.n) AS n FROM members_experts e \
                    CROSS JOIN LATERAL unnest(string_to_array(e.fields, ',')) WITH ORDINALITY AS u(field, n) \
                    WHERE u.field <> '' GROUP BY e.id, u.field) AS f
                    """
                ).run()
            }
            try await sql.raw("ALTER TABLE members_experts DROP COLUMN roles").run()
            try await sql.raw("ALTER TABLE members_experts DROP COLUMN fields").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = try tx.sql()
            try await sql.raw("ALTER TABLE members_experts ADD COLUMN roles TEXT NOT NULL DEFAULT ''").run()
            try await sql.raw("ALTER TABLE members_experts ADD COLUMN fields TEXT NOT NULL DEFAULT ''").run()
            var roles: [UUID: Set<String>] = [:]
            for row in try await sql.raw("SELECT expert_id, role FROM members_expert_roles").all() {
                roles[try row.decode(column: "expert_id", as: UUID.self), default: []].insert(
                    try row.decode(column: "role", as: String.self))
            }
            for (expert, chosen) in roles {
                let text = ExpertRole.allCases.map(\.rawValue).filter(chosen.contains).joined(separator: ",")
                try await sql.raw("UPDATE members_experts SET roles = \(bind: text) WHERE id = \(bind: expert)").run()
            }
            var fields: [UUID: [(Int, String)]] = [:]
            for row in try await sql.raw("SELECT expert_id, field, position FROM members_expert_fields").all() {
                fields[try row.decode(column: "expert_id", as: UUID.self), default: []].append(
                    (try row.decode(column: "position", as: Int.self), try row.decode(column: "field", as: String.self)))
            }
            for (expert, list) in fields {
                let text = list.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: ",")
                try await sql.raw("UPDATE members_experts SET fields = \(bind: text) WHERE id = \(bind: expert)").run()
            }
        }
        try await database.schema(ExpertFieldRecord.schema).delete()
        try await database.schema(ExpertRoleRecord.schema).delete()
    }
}
