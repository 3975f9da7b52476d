import Fluent
import Foundation
import KexieKit
import SQLKit

/// A file a module keeps for one of its records (a case's attachment, a progress report's evidence):
/// one table for every module, the content sealed with the platform's secret box, the kind detected from
/// the content. Written and read only through `FileStore`.
public final class StoredFile: Model, @unchecked Sendable {
    public static let schema = "platform_files"

    @ID(key: .id) public var id: UUID?
    /// The module that owns the record ("servicehall").
    @Field(key: "owner_module") public var ownerModule: String
    /// The kind of record, as the module's `FileOwnerPolicy` names it ("case", "plan_report").
    @Field(key: "owner_type") public var ownerType: String
    @Field(key: "owner_id") public var ownerID: UUID
    /// The organization the owning record belonged to when the file was stored.
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "file_name") public var fileName: String
    @Field(key: "kind") public var kind: FileKind
    /// Plain size in bytes.
    @Field(key: "size") public var size: Int
    /// SHA-256 (hex) of the plain content.
    @Field(key: "sha256") public var sha256: String
    /// `SecretBox.seal(_: Data)` of the content: never plain.
    @Field(key: "content") public var content: Data
    /// The user who uploaded it; nil for an anonymous submission.
    @OptionalField(key: "uploaded_by") public var uploadedBy: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// When the retention job deletes it (the owner type's declared retention); nil keeps it with its record.
    @OptionalField(key: "retain_until") public var retainUntil: Date?

    public init() {}

    public var owner: FileOwner { FileOwner(module: ownerModule, type: ownerType, id: ownerID) }
}

extension StoredFile: Audited {
    public static var auditLabel: String { "附件" }
    public static var auditEntityType: String { "stored_file" }
    /// The file itself never goes into a summary.
    public static var auditRedactedKeys: Set<String> { ["content"] }
}

struct CreateStoredFiles: AsyncMigration {
    var name: String { "2026_12_07_1500_platform_files" }

    func prepare(on database: any Database) async throws {
        try await database.schema(StoredFile.schema)
            .id()
            .field("owner_module", .string, .required)
            .field("owner_type", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("organization_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("content", .data, .required)
            .field("uploaded_by", .uuid)
            .field("created_at", .datetime)
            .field("retain_until", .datetime)
            .create()
        try await SQLIndex.create("idx_platform_files_owner", on: StoredFile.schema, ["owner_type", "owner_id"], database)
        try await SQLIndex.create("idx_platform_files_retain_until", on: StoredFile.schema, ["retain_until"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredFile.schema).delete()
    }
}
