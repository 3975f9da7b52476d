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

    /// The table as `CreatePlanTables` made it (and a revert of the move makes it again).
    static func createLegacyTable(on database: any Database) async throws {
        try await LegacyFileMove.createTable(
            legacyTable, owner: ("report_id", PlanProgressReport.schema), extraColumns: ["task_id"], index: "idx_plans_evidence_report",
            on: database)
    }
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
        try await PlanFiles.createLegacyTable(on: database)
        try await LegacyFileMove.moveBack(
            ownerType: PlanFiles.policy.type, into: PlanFiles.legacyTable, ownerColumn: "report_id", extraColumns: ["task_id"],
            extra: { file in try await PlanProgressReport.find(file.ownerID, on: database).map { [$0.taskID] } }, secrets: secrets,
            on: database)
    }
}
