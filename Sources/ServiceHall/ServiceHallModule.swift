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

    public var migrations: [any Migration] { [CreateServiceHallTables()] }

    public var navigation: [NavigationEntry] {
        [NavigationEntry(label: "我要办事", path: IntakeController.newPath, permission: nil, order: 20)]
    }

    public var openAPIPaths: String { ServiceHallOpenAPI.paths }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(ServiceCase.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        IntakeController().register(routes.publicWeb)
        ServiceHallAPIController().register(publicAPI: routes.publicAPI)
    }
}
