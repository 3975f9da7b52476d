import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 网上科技工作者之家: people and their verified profiles, society membership (会员注册制), 三长,
/// expert pools, representatives, import/export, statistics and the person's own home (我的).
public struct MembersModule: KexieModule {
    let classifications: Classifications

    public init() throws {
        classifications = try Classifications.bundled()
    }

    public var id: String { "members" }

    public var migrations: [any Migration] {
        [
            CreateMembershipTables(), CreateRoleTables(), CreatePeopleFacetIndexes(), PurgeStoredImportFiles(), ExpertRolesAndFields(),
            CreateExpertConflicts(),
        ]
    }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "members.purge_import_previews", intervalSeconds: 3600) { db, services in
                try await ImportService.purgeStalePreviews(on: db, services: services)
            }
        ]
    }

    public var permissions: [Permission] { MembersPermission.all }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(label: "我的", path: MembersRoutes.myHome(), permission: nil, order: 10, group: .workbench),
            NavigationEntry(
                label: "科技工作者", path: MembersRoutes.people(), permission: MembersPermission.peopleRead, order: 100, group: .people),
            NavigationEntry(
                label: "会员管理", path: MembersRoutes.memberships(), permission: MembersPermission.membershipsManage, order: 110,
                group: .people),
            NavigationEntry(
                label: "专家库", path: MembersRoutes.experts(), permission: MembersPermission.peopleRead, order: 120, group: .people),
            NavigationEntry(
                label: "三长", path: MembersRoutes.threeHeads(), permission: MembersPermission.rolesManage, order: 130, group: .people),
            NavigationEntry(
                label: "代表委员", path: MembersRoutes.representatives(), permission: MembersPermission.rolesManage, order: 140, group: .people),
            NavigationEntry(
                label: "注销申请", path: MembersRoutes.deletions(), permission: MembersPermission.deletionsDecide, order: 150, group: .people),
        ]
    }

    public var homePanels: [HomePanel] {
        [
            HomePanel(title: "我的资料", order: 5) { c in
                PersonVerification.allCases.map { state in
                    .count(
                        state.rawValue,
                        "SELECT COUNT(*) FROM platform_people WHERE user_id = \(bind: c.actor.userID) AND verification = \(bind: state.rawValue)"
                    )
                }
            } lines: { _, v in
                let status = PersonVerification.allCases.first { v[$0.rawValue] > 0 }?.label ?? "尚未填写"
                return [HomePanel.Line(label: "个人资料", value: status, link: MembersRoutes.myProfile())]
            },
            HomePanel(title: "科技工作者", order: 20) { c in
                guard c.actor.can(MembersPermission.peopleRead) else { return nil }
                var figures: [PanelFigure] = [
                    .count(
                        "total", "SELECT COUNT(*) FROM platform_people WHERE anonymized_at IS NULL AND \(c.inSubtree("organization_id"))"),
                    .count(
                        "pending",
                        """
                        SELECT COUNT(*) FROM platform_people WHERE anonymized_at IS NULL AND \(c.inSubtree("organization_id"))
                        AND verification = \(bind: PersonVerification.pending.rawValue)
                        """),
                ]
                if c.actor.can(MembersPermission.membershipsManage) {
                    figures.append(
                        .count(
                            "applied",
                            """
                            SELECT COUNT(*) FROM members_memberships WHERE \(c.inSubtree("organization_id"))
                            AND status = \(bind: MembershipStatus.applied.rawValue)
                            """))
                }
                return figures
            } lines: { c, v in
                var lines = [
                    HomePanel.Line(label: "本级及下级登记人数", value: "\(v["total"]) 人", link: MembersRoutes.people()),
                    HomePanel.Line(
                        label: "待实名核验", value: "\(v["pending"]) 人", link: MembersRoutes.people(query: ["verification": "pending"])),
                ]
                if c.actor.can(MembersPermission.membershipsManage) {
                    lines.append(
                        .init(label: "待审核入会申请", value: "\(v["applied"]) 件", link: MembersRoutes.memberships(query: ["status": "applied"])))
                }
                return lines
            },
        ]
    }

    public var metrics: [MetricDefinition] { MembersMetrics.all }

    public var notices: [String: String] {
        [
            "applied": "入会申请已提交，请等待学会审核", "verified": "已核验通过", "verification_rejected": "已记录核验不通过及原因",
            "deletion_requested": "注销申请已提交，所在组织审核后办理", "removed": "已移除",
            "conflict_declared": "已记录回避声明", "conflict_withdrawn": "已撤回回避声明",
        ]
    }

    public var openAPIPaths: String { MembersOpenAPI.paths }
    public var openAPISchemas: String { MembersOpenAPI.schemas(classifications) }
    public var errorCodes: [ErrorCodeEntry] { MembersError.Code.catalog }

    public var expertSources: [any ExpertSource] { [ExpertPoolSource()] }
    public var searchProviders: [any SearchProvider] { [PeopleSearchProvider()] }
    public var membershipDirectories: [any MembershipDirectory] { [MembershipFacts()] }
    public var personPanels: [PersonPanel] { [MembersPanels.expertEntry] }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(Membership.self)
        registrar.audit(ThreeHead.self)
        registrar.audit(Expert.self)
        registrar.audit(ExpertRoleRecord.self)
        registrar.audit(ExpertFieldRecord.self)
        registrar.audit(ExpertConflict.self)
        registrar.audit(Representative.self)
        registrar.audit(DeletionRequest.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        ProfileController(classifications: classifications).register(routes.web)
        MyHomeController().register(routes.web)
        // Import registers /people/import before PeopleController's /people/:id.
        ImportController(classifications: classifications).register(routes.web)
        StatisticsController(classifications: classifications).register(routes.web)
        PeopleController(classifications: classifications).register(routes.web)
        MembershipController().register(routes.web)
        RolesController(classifications: classifications).register(routes.web)
        ExpertConflictController().register(routes.web)
        MembersAPIController(classifications: classifications).register(routes.api)
    }

    /// Member-number formats for the demo societies, so approvals work out of the box.
    public func loadDemo(on db: any Database, services: PlatformServices) async throws {
        let prefixes = [
            "云海省农学会": "YHNX", "云海省热带作物学会": "YHRZ", "云海省医学会": "YHYX", "云海省计算机学会": "YHJSJ",
            "云海省海洋学会": "YHHY", "云海省机械工程学会": "YHJX", "云海省化工学会": "YHHG", "云海省橡胶学会": "YHXJ",
            "云海省科普作家协会": "YHKPZJ", "云海省青年科技工作者协会": "YHQK",
        ]
        for society in try await Organization.query(on: db).filter(\.$kind == .society).all() {
            guard let prefix = prefixes[society.name], let id = society.id else { continue }
            if try await SocietySettings.query(on: db).filter(\.$organizationID == id).first() == nil {
                try await SocietySettings(organizationID: id, memberPrefix: prefix, sequenceWidth: 5).create(on: db)
            }
        }
    }

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await MembersDemo.load(on: db, context: context)
    }
}
