import Fluent
import Foundation
import Platform

/// A conflict of interest declared for a pool entry (回避声明): an organization, a person or an
/// employer the expert must not review. Read by other modules through `ExpertSource` (the review
/// engine enforces avoidance on the server).
final class ExpertConflict: Model, @unchecked Sendable {
    static let schema = "members_expert_conflicts"

    @ID(key: .id) var id: UUID?
    @Parent(key: "expert_id") var expert: Expert
    @Field(key: "kind") var kind: DeclaredConflict.Kind
    /// The organization declared, when the name is one in the directory.
    @OptionalField(key: "subject_id") var subjectID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "note") var note: String
    @Field(key: "declared_by") var declaredBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    var declared: DeclaredConflict { DeclaredConflict(kind: kind, subjectID: subjectID, name: name, note: note) }
}

extension DeclaredConflict.Kind {
    var label: String {
        switch self {
        case .organization: return "组织（学会、科协等）"
        case .person: return "个人（亲属、师生、合作者）"
        case .employer: return "工作单位"
        }
    }
}

extension ExpertConflict: Audited {
    static var auditLabel: String { "回避声明" }
    static var auditTitleColumn: String? { "name" }
    static var auditEntityType: String { "expert_conflict" }
}

struct CreateExpertConflicts: AsyncMigration {
    var name: String { "2026_12_07_1610_members_expert_conflicts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ExpertConflict.schema)
            .id()
            .field("expert_id", .uuid, .required, .references(Expert.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("subject_id", .uuid)
            .field("name", .string, .required)
            .field("note", .string, .required)
            .field("declared_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_members_expert_conflicts_expert", on: ExpertConflict.schema, ["expert_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ExpertConflict.schema).delete()
    }
}
