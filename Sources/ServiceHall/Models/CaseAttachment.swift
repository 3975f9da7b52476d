import Fluent
import Foundation
import KexieKit
import Platform

/// A file brought with a case. Stored in the database with the kind detected from its content.
final class CaseAttachment: Model, @unchecked Sendable {
    static let schema = "servicehall_attachments"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "kind") var kind: FileKind
    @Field(key: "size") var size: Int
    @Field(key: "content") var content: Data
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateCaseAttachments: AsyncMigration {
    var name: String { "2026_11_23_2150_servicehall_attachments" }

    func prepare(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema)
            .id()
            .field("case_id", .uuid, .required, .references(ServiceCase.schema, "id", onDelete: .cascade))
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_servicehall_attachments_case", on: CaseAttachment.schema, ["case_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CaseAttachment.schema).delete()
    }
}

extension CaseAttachment: Audited {
    static var auditEntityType: String { "service_case_attachment" }
    /// The file itself never goes into a summary.
    static var auditRedactedKeys: Set<String> { ["content"] }
}
