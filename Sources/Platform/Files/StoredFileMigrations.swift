import Fluent
import Foundation
import KexieKit
import SQLKit

/// A migration that seals what it writes and so needs the platform's secret box, which a module's
/// migrations (listed before the application exists) do not carry: `PlatformBootstrap` hands it over
/// with `prepared(secrets:)`. Run without it, the migration throws rather than write plain content.
public protocol SealingMigration: AsyncMigration {
    func sealing(with secrets: SecretBox) -> Self
}

extension Migration {
    /// The migration ready to run: a `SealingMigration` given the secret box, any other unchanged.
    public func prepared(secrets: SecretBox) -> any Migration {
        (self as? any SealingMigration)?.sealing(with: secrets) ?? self
    }
}

/// The migration was run without the secret box (see `SealingMigration`).
public struct SealingMigrationUnprepared: Error, CustomStringConvertible {
    public let name: String
    public init(name: String) { self.name = name }
    public var description: String { "migration \(name) needs the secret box: add it with prepared(secrets:)" }
}

/// One row of a module's own file table on its way into (or back out of) `platform_files`.
public struct LegacyFileRow: Sendable {
    public let id: UUID
    public let ownerID: UUID
    public let organizationID: UUID
    public let uploadedBy: UUID?
    public let fileName: String
    public let kind: String
    public let size: Int
    public let content: Data
    public let createdAt: Date?
}

/// Moves the files of a module's own table into `platform_files` (sealed, with their sha256 and the
/// owner type's retention counted from their upload) and back, keeping their ids so links stay valid.
public enum LegacyFileMove {
    /// `select` returns id, owner_id, organization_id, uploaded_by, file_name, kind, size, content, created_at.
    public static func moveIn(
        _ select: SQLQueryString, owner: (module: String, type: String), retentionDays: Int?, secrets: SecretBox, on db: any Database
    ) async throws {
        let sql = try db.sql()
        for row in try await sql.raw(select).all() {
            let content = try row.decode(column: "content", as: Data.self)
            let createdAt = try row.decode(column: "created_at", as: Date?.self)
            let retainUntil: Date? = retentionDays.map { (createdAt ?? Date()).addingTimeInterval(Double($0) * 86_400) }
            try await sql.insert(into: StoredFile.schema)
                .columns(
                    "id", "owner_module", "owner_type", "owner_id", "organization_id", "file_name", "kind", "size", "sha256", "content",
                    "uploaded_by", "created_at", "retain_until"
                )
                .values(
                    SQLBind(try row.decode(column: "id", as: UUID.self)), SQLBind(owner.module), SQLBind(owner.type),
                    SQLBind(try row.decode(column: "owner_id", as: UUID.self)),
                    SQLBind(try row.decode(column: "organization_id", as: UUID.self)),
                    SQLBind(try row.decode(column: "file_name", as: String.self)), SQLBind(try row.decode(column: "kind", as: String.self)),
                    SQLBind(content.count), SQLBind(Digest.sha256Hex(content)), SQLBind(try secrets.seal(content)),
                    SQLBind(try row.decode(column: "uploaded_by", as: UUID?.self)), SQLBind(createdAt), SQLBind(retainUntil)
                )
                .run()
        }
    }

    /// A module's own file table as modules created them before `platform_files`: id, the owner column
    /// (cascading with its record), further required UUID columns, then file_name, kind, size, content and
    /// created_at, with an index on the owner column.
    public static func createTable(
        _ table: String, owner: (column: String, references: String), extraColumns: [String] = [], index: String, on database: any Database
    ) async throws {
        var builder = database.schema(table).id()
            .field(FieldKey(stringLiteral: owner.column), .uuid, .required, .references(owner.references, "id", onDelete: .cascade))
        for column in extraColumns { builder = builder.field(FieldKey(stringLiteral: column), .uuid, .required) }
        try await builder
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create(index, on: table, [owner.column], database)
    }

    /// A revert: writes the owner type's files back into `table` (created again with `createTable`),
    /// opened, and deletes them from `platform_files`. `extra` gives the values of the extra columns of
    /// a file, or nil to leave it out.
    public static func moveBack(
        ownerType: String, into table: String, ownerColumn: String, extraColumns: [String] = [],
        extra: @Sendable (LegacyFileRow) async throws -> [any Encodable & Sendable]? = { _ in [] }, secrets: SecretBox,
        on database: any Database
    ) async throws {
        let sql = try database.sql()
        for file in try await moveOut(ownerType: ownerType, secrets: secrets, on: database) {
            guard let values = try await extra(file) else { continue }
            try await sql.insert(into: table)
                .columns(["id", ownerColumn] + extraColumns + ["file_name", "kind", "size", "content", "created_at"])
                .values(
                    [SQLBind(file.id), SQLBind(file.ownerID)] + values.map { SQLBind($0) }
                        + [SQLBind(file.fileName), SQLBind(file.kind), SQLBind(file.size), SQLBind(file.content), SQLBind(file.createdAt)]
                )
                .run()
        }
    }

    /// The owner type's files with their content opened, for a revert to write back; then deleted here.
    public static func moveOut(ownerType: String, secrets: SecretBox, on db: any Database) async throws -> [LegacyFileRow] {
        let sql = try db.sql()
        let rows = try await sql.raw(
            """
            SELECT id, owner_id, organization_id, uploaded_by, file_name, kind, size, content, created_at \
            FROM platform_files WHERE owner_type = \(bind: ownerType) ORDER BY created_at, id
            """
        ).all()
        let files = try rows.map { row in
            LegacyFileRow(
                id: try row.decode(column: "id", as: UUID.self), ownerID: try row.decode(column: "owner_id", as: UUID.self),
                organizationID: try row.decode(column: "organization_id", as: UUID.self),
                uploadedBy: try row.decode(column: "uploaded_by", as: UUID?.self),
                fileName: try row.decode(column: "file_name", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                size: try row.decode(column: "size", as: Int.self),
                content: try secrets.open(try row.decode(column: "content", as: Data.self)),
                createdAt: try row.decode(column: "created_at", as: Date?.self))
        }
        try await sql.raw("DELETE FROM platform_files WHERE owner_type = \(bind: ownerType)").run()
        return files
    }
}
