import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 工作计划: official work plans (工作要点, 规划) read from the document into tasks with responsible
/// units, targets that count themselves through the metric registry, progress reports on a cadence,
/// 督办, red/amber/green status and the annual evaluation.
public struct PlansModule: KexieModule {
    /// Computed dashboards, one set per application (each app builds its module list once).
    let boards = PlanBoardCache()

    public init() {}

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await PlansDemo.load(on: db, context: context)
    }

    public var id: String { "plans" }

    static let subjects = WorkflowSubjectTable(process: "plans.task", table: PlanTask.schema)

    public var migrations: [any Migration] { [CreatePlanTables(), AddPlanRevision(), MovePlanEvidenceToStoredFiles()] }

    public var permissions: [Permission] {
        [PlansPermission.read, PlansPermission.manage, PlansPermission.supervise, PlansPermission.report]
    }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(label: "我的任务", path: PlansRoutes.mine(), permission: PlansPermission.report, order: 300, group: .plans),
            NavigationEntry(label: "工作计划", path: PlansRoutes.plans(), permission: PlansPermission.manage, order: 310, group: .plans),
        ]
    }

    public var searchProviders: [any SearchProvider] { [TaskSearchProvider()] }

    public var openAPIPaths: String { PlansOpenAPI.paths }
    public var openAPISchemas: String { PlansOpenAPI.schemas }
    public var errorCodes: [ErrorCodeEntry] { PlansError.Code.catalog }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "plans.refresh_targets", intervalSeconds: 600) { db, services in
                let service = PlanService(db: db, services: services)
                for plan in try await PlanRecord.query(on: db).filter(\.$status == PlanRecord.Status.active).all() {
                    try await service.refreshTargets(of: plan)
                }
            }
        ]
    }

    public var fileOwners: [FileOwnerPolicy] { [PlanFiles.policy] }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(PlanRecord.self)
        registrar.audit(PlanTask.self)
        registrar.audit(PlanTargetRecord.self)
        registrar.audit(PlanProgressReport.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        PlanTaskController().register(routes.web)
        PlanImportController().register(routes.web)
        PlanDashboardController(boards: boards).register(routes.web)
        PlanEvaluationController(boards: boards).register(routes.web)
        PlansAPIController().register(routes.api)
    }
}

enum PlansPermission {
    /// See the plans of one's subtree and the plans one's organization has tasks in. Members, experts
    /// and enterprises hold no part in the association's internal work plans.
    static let read = Permission("plans.read", label: "查看工作计划")
    /// Upload and confirm plans, bind targets, set evaluation weights (the association's office).
    static let manage = Permission("plans.manage", label: "导入和维护工作计划")
    /// 督办: comment, urge, approve or send back completion.
    static let supervise = Permission("plans.supervise", label: "督办工作任务")
    /// See 我的任务 and report progress on one's unit's tasks (which tasks is decided per task).
    static let report = Permission("plans.report", label: "报送任务进展")
}
