import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 一网受理、协同办理: intake, routing, joint handling with working-day time limits, replies and
/// satisfaction, public tracking. So far: intake (logged in or anonymous), routing by rules, the
/// acceptance deadline and public tracking.
public struct ServiceHallModule: KexieModule {
    public init() {}

    public var id: String { "servicehall" }

    static let subjects = WorkflowSubjectTable(process: "servicehall.case", table: ServiceCase.schema)

    public var migrations: [any Migration] { [CreateServiceHallTables(), AddCaseHandlingFields(), AddCaseAdoption()] }

    public var permissions: [Permission] { [ServiceHallPermission.handle, ServiceHallPermission.rules] }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(label: "我要办事", path: IntakeController.newPath, permission: nil, order: 20),
            NavigationEntry(label: "我的诉求", path: CaseController.minePath, permission: nil, order: 21),
            NavigationEntry(label: "诉求办理", path: CaseController.queuePath, permission: ServiceHallPermission.handle, order: 200),
            NavigationEntry(label: "分派规则", path: RoutingRuleController.path, permission: ServiceHallPermission.rules, order: 210),
        ]
    }

    public var openAPIPaths: String { ServiceHallOpenAPI.paths }

    public var metrics: [MetricDefinition] { ServiceHallMetrics.all }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "servicehall.auto_close", intervalSeconds: 1800) { db, services in
                _ = try await CaseService(db: db, services: services).autoClose()
            }
        ]
    }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(ServiceCase.self)
        registrar.audit(RoutingRuleRecord.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        IntakeController().register(routes.publicWeb)
        ServiceHallAPIController().register(publicAPI: routes.publicAPI, api: routes.api)
        CaseController().register(routes.web)
        RoutingRuleController().register(routes.web)
        PublicCasesController().register(routes.publicWeb)
    }
}

enum ServiceHallPermission {
    /// Accept, dispatch, handle and supervise cases of the organizations in one's subtree. Which step a
    /// person may take on a case is decided per case (dispatcher, handler, co-handler, supervisor).
    static let handle = Permission("servicehall.cases.handle", label: "诉求受理与办理", grantedTo: [.orgadmin, .staff])
    static let rules = Permission("servicehall.rules.manage", label: "维护诉求分派规则", grantedTo: [.orgadmin])
}
