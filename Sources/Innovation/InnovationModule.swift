import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// 科创: technology supplies and enterprises' demands, reviewed and published, searched and matched
/// with reasons; dockings followed until a project lands; 学会科技服务站 and 院士专家工作站; figures.
public struct InnovationModule: KexieModule {
    /// The matcher's indexes over published postings, one set per application.
    let catalog = MatchCatalog()

    public init() {}

    public var id: String { "innovation" }

    static let postingSubjects = WorkflowSubjectTable(process: "innovation.posting", table: Posting.schema)
    static let dockingSubjects = WorkflowSubjectTable(process: "innovation.docking", table: Docking.schema)

    public var migrations: [any Migration] { [CreateInnovationTables(), CreateInnovationBatchRuns(), PostingListColumns()] }

    public var permissions: [Permission] {
        [InnovationPermission.post, InnovationPermission.review, InnovationPermission.stations, InnovationPermission.figures]
    }

    public var portalChannels: [PortalChannel] {
        [
            PortalChannel(
                id: "innovation.supplies", label: "技术供给", summary: "高校、学会与科研院所的科技成果，按行业和成熟度查找",
                path: InnovationRoutes.supplies(), order: 40),
            PortalChannel(
                id: "innovation.demands", label: "技术需求", summary: "企业技术难题揭榜挂帅，有能力的团队可发起对接",
                path: InnovationRoutes.demands(), order: 50),
        ]
    }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(
                label: "科创对接", path: InnovationRoutes.home(), permission: InnovationPermission.post, order: 400, group: .innovation),
            NavigationEntry(label: "技术供给", path: InnovationRoutes.supplies(), permission: nil, order: 401, group: .innovation),
            NavigationEntry(label: "技术需求", path: InnovationRoutes.demands(), permission: nil, order: 402, group: .innovation),
            NavigationEntry(
                label: "我的发布", path: InnovationRoutes.mine(), permission: InnovationPermission.post, order: 403, group: .innovation),
            NavigationEntry(
                label: "供需审核", path: InnovationRoutes.review(), permission: InnovationPermission.review, order: 404, group: .innovation),
            NavigationEntry(
                label: "对接", path: InnovationRoutes.dockings(), permission: InnovationPermission.post, order: 405, group: .innovation),
            NavigationEntry(
                label: "服务站点", path: InnovationRoutes.stations(), permission: InnovationPermission.stations, order: 406, group: .innovation),
            NavigationEntry(
                label: "科创统计", path: InnovationRoutes.figures(), permission: InnovationPermission.figures, order: 800, group: .statistics),
        ]
    }

    public var metrics: [MetricDefinition] { InnovationMetrics.all }

    public var searchProviders: [any SearchProvider] {
        [PostingSearchProvider(postingKind: .supply), PostingSearchProvider(postingKind: .demand)]
    }

    public var homePanels: [HomePanel] {
        [
            HomePanel(title: "科创对接", order: 40) { c in
                guard c.actor.can(InnovationPermission.post) else { return nil }
                let mine = PostingService.ownedCondition(by: c.actor)
                var figures: [PanelFigure] = [
                    .count("mine", "SELECT COUNT(*) FROM innovation_postings WHERE \(mine)"),
                    // Proposals still waiting for my side's answer.
                    .count(
                        "waiting",
                        """
                        SELECT COUNT(*) FROM innovation_dockings WHERE state = \(bind: DockingWorkflow.State.proposed.rawValue) AND (
                          (supply_consented = \(bind: false) AND supply_id IN (SELECT id FROM innovation_postings WHERE \(mine)))
                          OR (demand_consented = \(bind: false) AND demand_id IN (SELECT id FROM innovation_postings WHERE \(mine))))
                        """),
                ]
                if c.actor.can(InnovationPermission.review) {
                    figures.append(
                        .count(
                            "queue",
                            """
                            SELECT COUNT(*) FROM innovation_postings WHERE \(c.inSubtree("organization_id"))
                            AND state = \(bind: PostingWorkflow.State.submitted.rawValue)
                            """))
                }
                return figures
            } lines: { c, v in
                var lines: [HomePanel.Line] = [.init(label: "我的发布", value: "\(v["mine"]) 项", link: InnovationRoutes.mine())]
                if v["mine"] > 0 {
                    lines.append(
                        .init(label: "待我确认的对接", value: "\(v["waiting"]) 个", link: InnovationRoutes.dockings(query: ["state": "proposed"])))
                }
                if c.actor.can(InnovationPermission.review) {
                    lines.append(.init(label: "待审核供需信息", value: "\(v["queue"]) 项", link: InnovationRoutes.review()))
                }
                return lines
            }
        ]
    }

    /// On the staff's person page: what the person posted with their account (in the reviewer's
    /// subtree) and the dockings those postings are in.
    public var personPanels: [PersonPanel] {
        [
            PersonPanel(title: "科创对接", order: 400) { subject, actor, db, _ in
                guard actor.can(InnovationPermission.review), let userID = subject.userID else { return [] }
                let postings = try await actor.scope.query(Posting.self, on: db).filter(\.$ownerUserID == userID)
                    .sort(\.$createdAt, .descending).all()
                guard !postings.isEmpty else { return [] }
                let ids = try postings.map { try $0.requireID() }
                let dockings = try await Docking.query(on: db).group(.or) { $0.filter(\.$supplyID ~~ ids).filter(\.$demandID ~~ ids) }
                    .count()
                var lines: [HomePanel.Line] = [
                    HomePanel.Line(label: "发布的供给与需求", value: "\(postings.count) 项"),
                    HomePanel.Line(label: "参与的对接", value: "\(dockings) 个"),
                ]
                for posting in postings.prefix(5) {
                    let label = posting.kind.label + " " + PostingWorkflow().label(of: posting.state)
                    lines.append(
                        HomePanel.Line(label: label, value: posting.title, link: InnovationRoutes.posting(try posting.requireID())))
                }
                return lines
            }
        ]
    }

    public var openAPIPaths: String { InnovationOpenAPI.paths }
    public var openAPISchemas: String { InnovationOpenAPI.schemas }
    public var errorCodes: [ErrorCodeEntry] { InnovationError.Code.catalog }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "innovation.seal_contact_phones", intervalSeconds: 3600) { db, services in
                try await ContactPhoneSealing.sealStoredPhones(on: db, services: services)
            },
            BackgroundJob(name: "innovation.expire_demands", intervalSeconds: 3600) { db, services in
                _ = try await PostingService(db: db, services: services).expireOverdue()
            },
        ]
    }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(Posting.self)
        registrar.audit(PostingMode.self)
        registrar.audit(Station.self)
        registrar.audit(Docking.self)
        registrar.audit(MatchPush.self)
        registrar.audit(StationActivity.self)
        registrar.audit(EnterpriseRecord.self)
    }

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await InnovationProvinceDemo.load(on: db, context: context)
    }

    public func loadDemo(on db: any Database, services: PlatformServices) async throws {
        try await InnovationDemo.load(on: db, services: services)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        InnovationControllers(catalog: catalog).register(routes)
    }
}

enum InnovationPermission {
    /// Post supplies (members, experts, societies) or demands (enterprises); staff may post for others.
    static let post = Permission("innovation.post", label: "发布技术供给和需求")
    /// Review postings, push matches, propose dockings between others, run batch matching.
    static let review = Permission("innovation.review", label: "审核供需信息、推送匹配")
    /// Keep the registry of service stations and expert workstations and their activity logs.
    static let stations = Permission("innovation.stations", label: "管理科技服务站和专家工作站")
    static let figures = Permission("innovation.figures", label: "查看科创对接统计")
}
