import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// A progress report's evidence (佐证材料) is `StoredFile`s of owner type "plan_report": readable by
/// those who may see the report's task, kept as long as the report (a plan's record is its archive).
enum PlanFiles {
    /// The table evidence was kept in until 2026-12 (created by `CreatePlanTables`).
    static let legacyTable = "plans_evidence"

    static let policy = FileOwnerPolicy(module: "plans", type: "plan_report", retentionDays: nil) { actor, id, db, services in
        guard let report = try await PlanProgressReport.find(id, on: db) else { return false }
        _ = try await PlanService(db: db, services: services).visibleTask(report.taskID, actor: actor)
        return true
    }

    /// Five files of 10 MB per report.
    static let check = UploadCheck(noun: "佐证材料")

    static func owner(_ reportID: UUID) -> FileOwner { policy.owner(reportID) }
}

/// Moves the evidence into `platform_files` (sealed; owner type "plan_report"; organization from the
/// plan, uploader from the report) and drops the old table. The revert recreates it and moves them back.
struct MovePlanEvidenceToStoredFiles: SealingMigration {
    var name: String { "2026_12_07_1520_plans_evidence_to_platform_files" }
    var secrets: SecretBox?

    func sealing(with secrets: SecretBox) -> Self { Self(secrets: secrets) }

    func prepare(on database: any Database) async throws {
        guard let secrets else { throw SealingMigrationUnprepared(name: name) }
        try await LegacyFileMove.moveIn(
            """
            SELECT e.id, e.report_id AS owner_id, p.organization_id, r.reporter_id AS uploaded_by, e.file_name, e.kind, e.size, \
            e.content, e.created_at FROM plans_evidence e JOIN plans_progress_reports r ON r.id = e.report_id \
            JOIN plans_plans p ON p.id = r.plan_id ORDER BY e.created_at, e.id
            """,
            owner: (PlanFiles.policy.module, PlanFiles.policy.type), retentionDays: PlanFiles.policy.retentionDays, secrets: secrets,
            on: database)
        try await database.schema(PlanFiles.legacyTable).delete()
    }

    func revert(on database: any Database) async throws {
        guard let secrets else { throw SealingMigrationUnprepared(name: name) }
        try await database.schema(PlanFiles.legacyTable)
            .id()
            .field("report_id", .uuid, .required, .references(PlanProgressReport.schema, "id", onDelete: .cascade))
            .field("task_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("kind", .string, .required)
            .field("size", .int, .required)
            .field("content", .data, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_plans_evidence_report", on: PlanFiles.legacyTable, ["report_id"], database)
        let sql = try database.sql()
        for file in try await LegacyFileMove.moveOut(ownerType: PlanFiles.policy.type, secrets: secrets, on: database) {
            guard let report = try await PlanProgressReport.find(file.ownerID, on: database) else { continue }
            try await sql.insert(into: PlanFiles.legacyTable)
                .columns("id", "report_id", "task_id", "file_name", "kind", "size", "content", "created_at")
                .values(
                    SQLBind(file.id), SQLBind(file.ownerID), SQLBind(report.taskID), SQLBind(file.fileName), SQLBind(file.kind),
                    SQLBind(file.size), SQLBind(file.content), SQLBind(file.createdAt)
                )
                .run()
        }
    }
}
