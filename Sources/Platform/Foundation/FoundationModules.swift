import Fluent
import Foundation
import SQLKit
import Vapor

/// The foundation registers through the same `KexieModule` mechanism as every capability, so the first
/// domain module only adds a target and one line in KexieApp.
public struct FoundationModule: KexieModule {
    public init() {}

    public var id: String { "platform" }
    public var migrations: [any Migration] { PlatformMigrations.all }
    public var permissions: [Permission] { PlatformPermission.all }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(label: "首页", path: PlatformRoutes.home(), permission: nil, order: 0, group: .workbench),
            NavigationEntry(
                label: "统计指标", path: PlatformRoutes.metrics(), permission: PlatformPermission.metricsRead, order: 890, group: .statistics),
            NavigationEntry(
                label: "组织机构", path: PlatformRoutes.organizations(), permission: PlatformPermission.orgsRead, order: 900,
                group: .administration),
            NavigationEntry(
                label: "账号管理", path: PlatformRoutes.users(), permission: PlatformPermission.usersRead, order: 910, group: .administration),
            NavigationEntry(
                label: "审计日志", path: PlatformRoutes.audit(), permission: PlatformPermission.auditRead, order: 920, group: .administration),
            NavigationEntry(
                label: "节假日", path: PlatformRoutes.calendar(), permission: PlatformPermission.calendarManage, order: 930,
                group: .administration),
            NavigationEntry(
                label: "表单", path: PlatformRoutes.forms(), permission: PlatformPermission.formsManage, order: 890, group: .administration),
            NavigationEntry(
                label: "通知公告", path: PlatformRoutes.manageNotices(), permission: PlatformPermission.noticesManage, order: 880,
                group: .administration),
            NavigationEntry(
                label: "网站页脚", path: PlatformRoutes.siteFooter(), permission: PlatformPermission.siteManage, order: 940,
                group: .administration),
        ]
    }

    public var portalChannels: [PortalChannel] {
        [PortalChannel(id: "platform.notices", label: "通知公告", summary: "省、市科协发布的通知、公示与公告", path: PlatformRoutes.notices(), order: 90)]
    }

    public var fileOwners: [FileOwnerPolicy] { [NoticeService.policy] }

    public var notices: [String: String] {
        [
            "notice_saved": "通知公告已保存", "notice_withdrawn": "通知公告已撤回",
            "check_in_walk_in": "现场登记已记录并签到",
        ]
    }

    public var homePanels: [HomePanel] {
        [FoundationPanels.administration, FoundationPanels.audit, FoundationPanels.forms, FoundationPanels.myAccount]
    }

    public var metrics: [MetricDefinition] { FoundationMetrics.all }

    public var searchProviders: [any SearchProvider] { [OrganizationSearchProvider(), NoticeSearchProvider()] }

    public var notificationChannels: [any NotificationChannel] { [InAppChannel()] }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(Organization.self)
        registrar.audit(Department.self)
        registrar.audit(User.self)
        registrar.audit(RoleGrant.self)
        registrar.audit(APIToken.self)
        registrar.audit(Person.self)
        registrar.audit(HolidayYearRecord.self)
        registrar.audit(CalendarOverrideRecord.self)
        registrar.audit(StoredFile.self)
        registrar.audit(PlatformForm.self)
        registrar.audit(FormVersion.self)
        registrar.audit(FormSubmission.self)
        registrar.audit(FormAnswer.self)
        registrar.audit(NoticeRecord.self)
        registrar.audit(CheckInRecord.self)
    }

    public var backgroundJobs: [BackgroundJob] {
        [
            // Files whose owner type's retention has ended (`FileOwnerPolicy.retentionDays`).
            BackgroundJob(name: "platform.purge_files", intervalSeconds: 3600) { db, services in
                try await FileStore(services: services).purgeExpired(on: db)
            }
        ]
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        AccountController().register(publicWeb: routes.publicWeb, web: routes.web)
        SecondFactorController().register(publicWeb: routes.publicWeb, web: routes.web)
        PortalController().register(publicWeb: routes.publicWeb)
        HomeController().register(routes.web)
        CareModeController().register(routes.publicWeb)
        NoticeController().register(publicWeb: routes.publicWeb, web: routes.web)
        NoticesAPIController().register(routes.publicAPI)
        CheckInController().register(routes.web)
        SiteFooterController().register(routes.web)
        OrganizationController().register(routes.web)
        UserController().register(routes.web)
        AuditController().register(routes.web)
        MetricsController().register(routes.web)
        MetricsAPIController().register(routes.api)
        FoundationAPIController().register(routes.api)
        InboxController().register(web: routes.web, api: routes.api)
        CalendarController().register(web: routes.web, publicAPI: routes.publicAPI)
        FileController().register(publicWeb: routes.publicWeb)
        FormController().register(routes.web)
        FormsAPIController().register(routes.api)
        SearchController().register(publicWeb: routes.publicWeb, publicAPI: routes.publicAPI, web: routes.web)
    }

    public func loadDemo(on db: any Database, services: PlatformServices) async throws {
        try await FormsDemo.load(on: db, services: services)
        try await NoticesDemo.load(on: db, services: services)
    }

    public var openAPIPaths: String { FoundationOpenAPI.paths + "\n" + FormsOpenAPI.paths + "\n" + NoticesOpenAPI.paths }
    public var openAPISchemas: String { FoundationOpenAPI.schemas + "\n" + FormsOpenAPI.schemas + "\n" + NoticesOpenAPI.schemas }
    public var errorCodes: [ErrorCodeEntry] { PlatformError.Code.catalog }
}

/// Organization-tree figures other modules and Plans can bind to, e.g. "新建省属高校科协5个以上".
/// Founding is known by year only, so "established" answers whole years; totals count active
/// organizations as they stand.
enum FoundationMetrics {
    static let all: [MetricDefinition] = definitions.map { $0.batched(batch) }

    private static let definitions: [MetricDefinition] =
        OrganizationKind.allCases.map { kind in
            organizations(id: "platform.organizations.established.\(kind.rawValue)", label: "当年新成立的\(kind.label)", span: .yearly) {
                query, db in
                Organization.query(on: db).filter(\.$path =~ query.organization.path).filter(\.$kind == kind)
                    .filter(\.$establishedYear == query.year).filter(\.$isActive == true)
            }
        }
        + OrganizationKind.allCases.map { kind in
            organizations(id: "platform.organizations.total.\(kind.rawValue)", label: "\(kind.label)总数", span: .stock) { query, db in
                Organization.query(on: db).filter(\.$path =~ query.organization.path).filter(\.$kind == kind).filter(\.$isActive == true)
            }
        }
        + OrganizationLevel.allCases.map { level in
            organizations(id: "platform.organizations.level.\(level.rawValue)", label: "\(level.label)科协组织总数", span: .stock) { query, db in
                Organization.query(on: db).filter(\.$path =~ query.organization.path).filter(\.$level == level).filter(\.$isActive == true)
            }
        }

    /// Every organization figure from one grouped count of the subtree's active organizations.
    static let batch = MetricBatch(id: "platform.organizations") { query, db in
        let rows = try await db.sql().raw(
            """
            SELECT kind, level, established_year, COUNT(*) AS n FROM platform_organizations \
            WHERE path LIKE \(bind: query.organization.path + "%") AND is_active = \(bind: true) GROUP BY kind, level, established_year
            """
        ).all()
        var values: [String: Double] = [:]
        for row in rows {
            let n = Double(try row.decode(column: "n", as: Int.self))
            let kind = try row.decode(column: "kind", as: String.self)
            values["platform.organizations.total.\(kind)", default: 0] += n
            if try row.decode(column: "established_year", as: Int?.self) == query.year {
                values["platform.organizations.established.\(kind)", default: 0] += n
            }
            if let level = try row.decode(column: "level", as: String?.self) {
                values["platform.organizations.level.\(level)", default: 0] += n
            }
        }
        return values
    }

    private static func organizations(
        id: String, label: String, span: MetricDefinition.Span,
        query: @escaping @Sendable (MetricDefinition.Query, any Database) -> QueryBuilder<Organization>
    ) -> MetricDefinition {
        .counting(id: id, label: label, unit: "个", span: span, permission: PlatformPermission.orgsRead, query: query) { organization in
            MetricRecord(
                id: try organization.requireID(), title: organization.name, day: organization.establishedYear.map(String.init),
                organization: organization.kind.label, link: PlatformRoutes.organization(try organization.requireID()))
        }
    }
}
