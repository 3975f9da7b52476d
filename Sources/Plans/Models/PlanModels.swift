import Fluent
import Foundation
import KexieKit
import Platform

/// An imported work plan (工作要点, 规划) of one association. A draft until staff confirm the review;
/// then its tasks are tracked.
final class PlanRecord: Model, @unchecked Sendable {
    static let schema = "plans_plans"

    enum Status: String, Sendable, Codable { case draft, active }
    enum Cadence: String, Sendable, CaseIterable, Codable {
        case monthly, quarterly
        var label: String { self == .monthly ? "每月" : "每季度" }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "year") var year: Int
    /// Stored as their raw values, as ServiceCase.state is (see there).
    @Field(key: "status") var status: Status
    @Field(key: "cadence") var cadence: Cadence
    @Field(key: "file_name") var fileName: String
    @Field(key: "weight_completion") var weightCompletion: Int
    @Field(key: "weight_timeliness") var weightTimeliness: Int
    @Field(key: "weight_quality") var weightQuality: Int
    @Field(key: "created_by") var createdBy: UUID
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    /// Bumped by every change its dashboard shows (see `PlanBoardCache`).
    @Field(key: "revision") var revision: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// One task of a plan: the parsed item (kept with its source paragraph) and, once confirmed, its
/// tracking state. Progress and status are kept on the row so the dashboard reads 500 rows, not
/// thousands of reports.
final class PlanTask: Model, @unchecked Sendable {
    static let schema = "plans_tasks"

    @ID(key: .id) var id: UUID?
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "sequence") var sequence: Int
    /// The top-level section the task stands in ("一、加强党的建设").
    @Field(key: "section") var section: String
    @Field(key: "label") var label: String
    @Field(key: "heading") var heading: String
    /// The paragraph as the document wrote it.
    @Field(key: "source_text") var sourceText: String
    /// The units as written, lead first, joined with 、.
    @Field(key: "lead_names") var leadNames: String
    @Field(key: "co_names") var coNames: String
    @Field(key: "included") var included: Bool
    /// Calendar days as `Day`, stored as the same `YYYY-MM-DD` text as before.
    @OptionalField(key: "deadline") var deadline: Day?
    /// Stored as its raw value, as ServiceCase.state is (see there).
    @Field(key: "state") var state: PlanTaskWorkflow.State
    @Field(key: "percent") var percent: Int
    @OptionalField(key: "last_report_on") var lastReportOn: Day?
    @OptionalField(key: "completed_on") var completedOn: Day?
    @OptionalField(key: "quality_score") var qualityScore: Int?
    /// The lead unit once confirmed (an organization, and a department of it when the unit is one).
    @OptionalField(key: "lead_organization_id") var leadOrganizationID: UUID?
    @OptionalField(key: "lead_department_id") var leadDepartmentID: UUID?

    init() {}
}

/// A planned quantity of a task (17场, 3万人); bound to a registry metric it fills in by itself.
final class PlanTargetRecord: Model, @unchecked Sendable {
    static let schema = "plans_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "task_id") var taskID: UUID
    @Field(key: "value") var value: Double
    @OptionalField(key: "up_to") var upTo: Double?
    @OptionalField(key: "qualifier") var qualifier: String?
    @Field(key: "unit") var unit: String
    @Field(key: "text") var text: String
    @OptionalField(key: "metric_id") var metricID: String?
    @OptionalField(key: "actual") var actual: Double?
    @OptionalField(key: "actual_at") var actualAt: Date?

    init() {}

    /// Share of the target reached, 0…1 (the lower end of a range counts).
    var reached: Double? {
        guard let actual, value > 0 else { return nil }
        return min(1, actual / value)
    }
}

/// A unit responsible for a task: lead (牵头) or co (配合), mapped to the tree or kept as written when
/// outside it (省教育厅).
final class PlanTaskUnit: Model, @unchecked Sendable {
    static let schema = "plans_task_units"

    @ID(key: .id) var id: UUID?
    @Field(key: "task_id") var taskID: UUID
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "role") var role: String
    @Field(key: "name") var name: String
    @OptionalField(key: "organization_id") var organizationID: UUID?
    @OptionalField(key: "department_id") var departmentID: UUID?

    init() {}
}

/// What a written unit name means in one association, learnt when reviewers map it (科普部 →
/// 科学技术普及部). `external` names units outside the tree, which are kept as text.
final class PlanUnitAlias: Model, @unchecked Sendable {
    static let schema = "plans_unit_aliases"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "alias") var alias: String
    /// "o:<uuid>", "d:<uuid>" or "external".
    @Field(key: "target") var target: String

    init() {}
}

/// A progress report (进展报送) for one period of the plan's cadence.
final class PlanProgressReport: Model, @unchecked Sendable {
    static let schema = "plans_progress_reports"

    @ID(key: .id) var id: UUID?
    @Field(key: "task_id") var taskID: UUID
    @Field(key: "plan_id") var planID: UUID
    @Field(key: "period") var period: String
    @Field(key: "percent") var percent: Int
    @Field(key: "narrative") var narrative: String
    @Field(key: "reporter_id") var reporterID: UUID
    @Field(key: "reporter_name") var reporterName: String
    @Field(key: "reported_on") var reportedOn: Day
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension PlanRecord: OrganizationOwned {
    static var organizationIDKey: KeyPath<PlanRecord, FieldProperty<PlanRecord, UUID>> { \.$organizationID }
}

extension PlanRecord: Audited {
    static var auditLabel: String { "工作计划" }
    static var auditTitleColumn: String? { "title" }
    static var auditEntityType: String { "plan" }
}

extension PlanTask: Audited {
    static var auditLabel: String { "计划任务" }
    static var auditTitleColumn: String? { "label" }
    static var auditEntityType: String { "plan_task" }
    static var auditRedactedKeys: Set<String> { ["source_text"] }
}

struct AddPlanRevision: AsyncMigration {
    var name: String { "2026_11_23_2210_plans_revision" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PlanRecord.schema).field("revision", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PlanRecord.schema).deleteField("revision").update()
    }
}

struct CreatePlanTables: AsyncMigration {
    var name: String { "2026_11_23_2200_plans_create" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PlanRecord.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("title", .string, .required)
            .field("year", .int, .required)
            .field("status", .string, .required)
            .field("cadence", .string, .required)
            .field("file_name", .string, .required)
            .field("weight_completion", .int, .required)
            .field("weight_timeliness", .int, .required)
            .field("weight_quality", .int, .required)
            .field("created_by", .uuid, .required)
            .field("confirmed_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(PlanTask.schema)
            .id()
            .field("plan_id", .uuid, .required, .references(PlanRecord.schema, "id", onDelete: .cascade))
            .field("sequence", .int, .required)
            .field("section", .string, .required)
            .field("label", .string, .required)
            .field("heading", .string, .required)
            .field("source_text", .string, .required)
            .field("lead_names", .string, .required)
            .field("co_names", .string, .required)
            .field("included", .bool, .required)
            .field("deadline", .string)
            .field("state", .string, .required)
            .field("percent", .int, .required)
            .field("last_report_on", .string)
            .field("completed_on", .string)
            .field("quality_score", .int)
            .field("lead_organization_id", .uuid)
            .field("lead_department_id", .uuid)
            .create()
        try await SQLIndex.create("idx_plans_tasks_plan", on: PlanTask.schema, ["plan_id", "sequence"], database)
        try await database.schema(PlanTargetRecord.schema)
            .id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, "id", onDelete: .cascade))
            .field("value", .double, .required)
            .field("up_to", .double)
            .field("qualifier", .string)
            .field("unit", .string, .required)
            .field("text", .string, .required)
            .field("metric_id", .string)
            .field("actual", .double)
            .field("actual_at", .datetime)
            .create()
        try await SQLIndex.create("idx_plans_targets_task", on: PlanTargetRecord.schema, ["task_id"], database)
        try await database.schema(PlanTaskUnit.schema)
            .id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, "id", onDelete: .cascade))
            .field("plan_id", .uuid, .required)
            .field("role", .string, .required)
            .field("name", .string, .required)
            .field("organization_id", .uuid)
            .field("department_id", .uuid)
            .create()
        try await SQLIndex.create("idx_plans_task_units_task", on: PlanTaskUnit.schema, ["task_id"], database)
        try await SQLIndex.create("idx_plans_task_units_unit", on: PlanTaskUnit.schema, ["organization_id", "department_id"], database)
        try await database.schema(PlanUnitAlias.schema)
            .id()
            .field("organization_id", .uuid, .required)
            .field("alias", .string, .required)
            .field("target", .string, .required)
            .unique(on: "organization_id", "alias")
            .create()
        try await database.schema(PlanProgressReport.schema)
            .id()
            .field("task_id", .uuid, .required, .references(PlanTask.schema, "id", onDelete: .cascade))
            .field("plan_id", .uuid, .required)
            .field("period", .string, .required)
            .field("percent", .int, .required)
            .field("narrative", .string, .required)
            .field("reporter_id", .uuid, .required)
            .field("reporter_name", .string, .required)
            .field("reported_on", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_plans_reports_task", on: PlanProgressReport.schema, ["task_id", "created_at"], database)
        try await PlanFiles.createLegacyTable(on: database)
    }

    func revert(on database: any Database) async throws {
        for schema in [
            PlanFiles.legacyTable, PlanProgressReport.schema, PlanUnitAlias.schema, PlanTaskUnit.schema, PlanTargetRecord.schema,
            PlanTask.schema, PlanRecord.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}

extension PlanTargetRecord: Audited {
    static var auditLabel: String { "计划指标" }
    static var auditEntityType: String { "plans_target" }
}

extension PlanProgressReport: Audited {
    static var auditLabel: String { "任务进展" }
    static var auditEntityType: String { "plans_progress_report" }
}
