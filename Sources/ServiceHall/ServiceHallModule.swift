import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// 一网受理、协同办理: intake, routing, joint handling with working-day time limits, replies and
/// satisfaction, public tracking. So far: intake (logged in or anonymous), routing by rules, the
/// acceptance deadline and public tracking.
public struct ServiceHallModule: KexieModule {
    public init() {}

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await ServiceHallDemo.load(on: db, context: context)
    }

    public var id: String { "servicehall" }

    static let subjects = WorkflowSubjectTable(process: "servicehall.case", table: ServiceCase.schema)

    public var migrations: [any Migration] {
        [
            CreateServiceHallTables(), AddCaseHandlingFields(), AddCaseAdoption(), AddCaseFigures(), CreateTimeLimits(),
            CreateCaseAttachments(), CreateCaseTotals(), ServiceHallListColumns(), MoveCaseAttachmentsToStoredFiles(),
            AddCaseReceivedIndex(),
        ]
    }

    public var permissions: [Permission] { [ServiceHallPermission.handle, ServiceHallPermission.rules, ServiceHallPermission.timeLimits] }

    public var portalChannels: [PortalChannel] {
        [
            PortalChannel(
                id: "servicehall.new", label: "我要办事", summary: "科技工作者诉求、意见建议，在线提交，限时受理",
                path: ServiceHallRoutes.newCase(), order: 10),
            PortalChannel(
                id: "servicehall.track", label: "办理查询", summary: "凭受理编号查询办理进度与答复", path: ServiceHallRoutes.track(), order: 20),
            PortalChannel(
                id: "servicehall.public", label: "公开答复", summary: "经同意公开的诉求与科协答复", path: ServiceHallRoutes.publicCases(),
                order: 30),
        ]
    }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(label: "我要办事", path: ServiceHallRoutes.newCase(), permission: nil, order: 20, group: .workbench),
            NavigationEntry(label: "我的诉求", path: ServiceHallRoutes.mine(), permission: nil, order: 21, group: .workbench),
            NavigationEntry(
                label: "诉求办理", path: ServiceHallRoutes.cases(), permission: ServiceHallPermission.handle, order: 200, group: .service),
            NavigationEntry(
                label: "分派规则", path: ServiceHallRoutes.rules(), permission: ServiceHallPermission.rules, order: 210, group: .service),
            NavigationEntry(
                label: "办理统计", path: ServiceHallRoutes.statistics(), permission: ServiceHallPermission.handle, order: 220,
                group: .statistics),
            NavigationEntry(
                label: "办理时限", path: ServiceHallRoutes.timeLimits(), permission: ServiceHallPermission.timeLimits, order: 935,
                group: .administration),
        ]
    }

    public var openAPIPaths: String { ServiceHallOpenAPI.paths }
    public var openAPISchemas: String { ServiceHallOpenAPI.schemas }
    public var errorCodes: [ErrorCodeEntry] { ServiceHallError.Code.catalog }

    public var metrics: [MetricDefinition] { ServiceHallMetrics.all }

    public var searchProviders: [any SearchProvider] { [CaseSearchProvider()] }

    public var homePanels: [HomePanel] {
        [
            HomePanel(title: "诉求办理", order: 30) { c in
                guard c.actor.can(ServiceHallPermission.handle) else { return nil }
                let today = c.today.description
                let soon = c.today.adding(days: 2).description
                let pending = ServiceHallCaseWorkflow.State.pending.rawValue
                let accepted = ServiceHallCaseWorkflow.State.accepted.rawValue
                let running = ServiceHallCaseWorkflow.State.inProgress.rawValue
                let cases: SQLQueryString = "SELECT COUNT(*) FROM servicehall_cases WHERE \(c.inSubtree("organization_id")) AND "
                return [
                    .count("pending", "\(cases) state = \(bind: pending)"),
                    .count("running", "\(cases) state IN (\(bind: accepted), \(bind: running))"),
                    .count(
                        "overdue",
                        """
                        \(cases) ((state = \(bind: pending) AND accept_due < \(bind: today))
                        OR (state IN (\(bind: accepted), \(bind: running)) AND answer_due < \(bind: today)))
                        """),
                    .count(
                        "near",
                        """
                        \(cases) ((state = \(bind: pending) AND accept_due >= \(bind: today) AND accept_due <= \(bind: soon))
                        OR (state IN (\(bind: accepted), \(bind: running)) AND answer_due >= \(bind: today) AND answer_due <= \(bind: soon)))
                        """),
                ]
            } lines: { _, v in
                [
                    .init(label: "待受理", value: "\(v["pending"]) 件", link: ServiceHallRoutes.cases(query: ["state": "pending"])),
                    .init(label: "办理中", value: "\(v["running"]) 件", link: ServiceHallRoutes.cases()),
                    .init(label: "临期（两日内到期）", value: "\(v["near"]) 件", link: ServiceHallRoutes.cases()),
                    .init(label: "超期", value: "\(v["overdue"]) 件", link: ServiceHallRoutes.cases()),
                ]
            }
        ]
    }

    /// On the staff's person page: the cases the person submitted with their account, those of the
    /// actor's subtree listed (newest first, at most five).
    public var personPanels: [PersonPanel] {
        [
            PersonPanel(title: "诉求与建议", order: 300) { subject, actor, db, _ in
                guard actor.can(ServiceHallPermission.handle), let userID = subject.userID else { return [] }
                let cases = try await actor.scope.query(ServiceCase.self, on: db).filter(\.$requesterUserID == userID)
                    .sort(\.$submittedAt, .descending).limit(5).all()
                let total = try await actor.scope.query(ServiceCase.self, on: db).filter(\.$requesterUserID == userID).count()
                guard total > 0 else { return [] }
                return [.init(label: "本人提交（本组织及下级受理）", value: "\(total) 件")]
                    + (try cases.map { record in
                        .init(
                            label: record.receivedOn.description + " " + ServiceHallCaseWorkflow().label(of: record.state),
                            value: record.title,
                            link: ServiceHallRoutes.serviceCase(try record.requireID()))
                    })
            }
        ]
    }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "servicehall.auto_close", intervalSeconds: 1800) { db, services in
                _ = try await CaseService(db: db, services: services).autoClose()
            },
            BackgroundJob(name: "servicehall.escalate_overdue", intervalSeconds: 1800) { db, services in
                _ = try await CaseService(db: db, services: services).escalateOverdue()
            },
        ]
    }

    public var fileOwners: [FileOwnerPolicy] { [CaseFiles.policy] }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(ServiceCase.self)
        registrar.audit(RoutingRuleRecord.self)
        registrar.audit(TimeLimitRecord.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        IntakeController().register(routes.publicWeb)
        ServiceHallAPIController().register(publicAPI: routes.publicAPI, api: routes.api)
        CaseController().register(routes.web)
        RoutingRuleController().register(routes.web)
        PublicCasesController().register(routes.publicWeb)
        CaseFiguresController().register(routes.web)
        TimeLimitController().register(routes.web)
    }
}

enum ServiceHallPermission {
    /// Accept, dispatch, handle and supervise cases of the organizations in one's subtree. Which step a
    /// person may take on a case is decided per case (dispatcher, handler, co-handler, supervisor).
    static let handle = Permission("servicehall.cases.handle", label: "诉求受理与办理")
    static let rules = Permission("servicehall.rules.manage", label: "维护诉求分派规则")
    /// The limits are the association's public promise, kept by the system administrator like the calendar.
    static let timeLimits = Permission("servicehall.time_limits.manage", label: "设置办理时限")
}
