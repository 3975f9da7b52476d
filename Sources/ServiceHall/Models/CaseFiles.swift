import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// A case's files are `StoredFile`s of owner type "case" (`CaseFiles`). These two migrations are the
/// history: the table cases kept their files in until 2026-12, and the move into `platform_files`.
enum CaseFiles {
    static let policy = FileOwnerPolicy(module: "servicehall", type: "case", retentionDays: retentionDays) { actor, id, db, services in
        _ = try await CaseService(db: db, services: services).visibleCase(id, actor: actor)
        return true
    }

    /// A case's files are kept three years after they were brought, then the retention job deletes them
    /// (the case itself stays).
    static let retentionDays = 3 * 365

    /// Five files of 10 MB per case.
    static let check = UploadCheck(noun: "附件")

    static func owner(_ id: UUID) -> FileOwner { policy.owner(id) }
}

struct CreateCaseAttachments: AsyncMigration {
    static let table = "servicehall_attachments"
    var name: String { "2026_11_23_2150_servicehall_attachments" }

    func prepare(on database: any Database) async throws {
        try await LegacyFileMove.createTable(
            Self.table, owner: ("case_id", ServiceCase.schema), index: "idx_servicehall_attachments_case", on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Self.table).delete()
    }
}

/// Moves the attachments into `platform_files` (sealed; owner type "case"; organization and uploader
/// from the case) and drops the old table. The revert recreates it and moves them back, opened.
struct MoveCaseAttachmentsToStoredFiles: SealingMigration {
    var name: String { "2026_12_07_1510_servicehall_attachments_to_platform_files" }
    var secrets: SecretBox?

    func sealing(with secrets: SecretBox) -> Self { Self(secrets: secrets) }

    func prepare(on database: any Database) async throws {
        guard let secrets else { throw SealingMigrationUnprepared(name: name) }
        try await LegacyFileMove.moveIn(
            """
            SELECT a.id, a.case_id AS owner_id, c.organization_id, c.requester_user_id AS uploaded_by, a.file_name, a.kind, a.size, \
            a.content, a.created_at FROM servicehall_attachments a JOIN servicehall_cases c ON c.id = a.case_id ORDER BY a.created_at, a.id
            """,
            owner: (CaseFiles.policy.module, CaseFiles.policy.type), retentionDays: CaseFiles.retentionDays, secrets: secrets,
            on: database)
        try await database.schema(CreateCaseAttachments.table).delete()
    }

    func revert(on database: any Database) async throws {
        guard let secrets else { throw SealingMigrationUnprepared(name: name) }
        try await CreateCaseAttachments().prepare(on: database)
        try await LegacyFileMove.moveBack(
            ownerType: CaseFiles.policy.type, into: CreateCaseAttachments.table, ownerColumn: "case_id", secrets: secrets, on: database)
    }
}
