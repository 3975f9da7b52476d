import Fluent
import Foundation
import Vapor

/// What a capability contributes to the platform. `KexieApp` lists the modules once; everything else
/// (migrations, routes, the role table, the navigation, the home page, metrics, search, OpenAPI) is
/// assembled from these values.
public protocol KexieModule: Sendable {
    var id: String { get }
    var migrations: [any Migration] { get }
    var permissions: [Permission] { get }
    var navigation: [NavigationEntry] { get }
    var homePanels: [HomePanel] { get }
    var metrics: [MetricDefinition] { get }
    var searchProviders: [any SearchProvider] { get }
    var notificationChannels: [any NotificationChannel] { get }
    /// Expert pools other modules draw on (Innovation matches experts to demands); Members owns them.
    var expertSources: [any ExpertSource] { get }
    /// "Is this person a member of this society, since when" (Members answers; Events, Awards and
    /// Societies ask).
    var membershipDirectories: [any MembershipDirectory] { get }
    /// Panels on the staff's page of one person (cases, postings, memberships, …), each module its own.
    var personPanels: [PersonPanel] { get }
    /// OpenAPI 3.1 `paths` entries (YAML, indented by two spaces) for this module's `/api/v1` routes.
    var openAPIPaths: String { get }
    /// OpenAPI 3.1 `components.schemas` entries (YAML, indented by four spaces) that the paths refer to.
    /// Names are unique across modules (a route test checks it).
    var openAPISchemas: String { get }
    /// The module's stable error codes (`ModuleError.Code.catalog`): the OpenAPI document lists them
    /// all, and a test checks that every code of every module's enum is there.
    var errorCodes: [ErrorCodeEntry] { get }
    /// Panels on the person's own page (我的): cases, events, volunteer hours, … each module adds its own.
    var personalPanels: [HomePanel] { get }
    /// Confirmation messages shown after a redirect with `?notice=code`.
    var notices: [String: String] { get }
    /// Work the platform runs on a timer while serving (e.g. closing answered cases after 7 days).
    var backgroundJobs: [BackgroundJob] { get }
    /// The kinds of record that keep files through `FileStore`: their retention and who may read them.
    var fileOwners: [FileOwnerPolicy] { get }
    /// Entrances on the visitors' portal (`/`): the public channels this module offers.
    var portalChannels: [PortalChannel] { get }
    /// What people are checked in to at the door through Platform's check-in desk (events, volunteer
    /// shifts, popular-science activities): each kind resolves codes to registrants and decides who may
    /// check people in.
    var checkInSubjects: [any CheckInSubjectKind] { get }
    /// What the shared forms built at /admin/forms may be for besides the platform's fill page (event
    /// registration, award applications): the module whose pages take their submissions.
    var formPurposes: [FormPurpose] { get }

    func registerAuditedModels(_ registrar: AuditRegistrar)
    func registerRoutes(_ routes: ModuleRoutes) throws
    /// Adds the module's part of the demo province (`kexie demo`), inside the demo's transaction.
    func loadDemo(on db: any Database, services: PlatformServices) async throws
    /// Adds the module's part of the populated demo province (`kexie demo`, after every module's
    /// `loadDemo`), inside the same transaction: people, cases, plans, postings spread over months.
    /// Route tests start from `loadDemo` alone.
    func loadDemoProvince(on db: any Database, context: DemoContext) async throws
}

extension KexieModule {
    public var migrations: [any Migration] { [] }
    public var permissions: [Permission] { [] }
    public var navigation: [NavigationEntry] { [] }
    public var homePanels: [HomePanel] { [] }
    public var metrics: [MetricDefinition] { [] }
    public var searchProviders: [any SearchProvider] { [] }
    public var notificationChannels: [any NotificationChannel] { [] }
    public var expertSources: [any ExpertSource] { [] }
    public var membershipDirectories: [any MembershipDirectory] { [] }
    public var personPanels: [PersonPanel] { [] }
    public var openAPIPaths: String { "" }
    public var openAPISchemas: String { "" }
    public var errorCodes: [ErrorCodeEntry] { [] }
    public var personalPanels: [HomePanel] { [] }
    public var notices: [String: String] { [:] }
    public var backgroundJobs: [BackgroundJob] { [] }
    public var fileOwners: [FileOwnerPolicy] { [] }
    public var portalChannels: [PortalChannel] { [] }
    public var checkInSubjects: [any CheckInSubjectKind] { [] }
    public var formPurposes: [FormPurpose] { [] }
    public func registerAuditedModels(_ registrar: AuditRegistrar) {}
    public func loadDemo(on db: any Database, services: PlatformServices) async throws {}
    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {}
}

/// The route groups a module registers into, with the shared middleware already applied once. A group
/// adds middleware, never a path: every route is registered with its module catalog's full template.
public struct ModuleRoutes {
    /// Web pages open to anyone (sessions are read if present).
    public let publicWeb: any RoutesBuilder
    /// Web pages that require a logged-in user.
    public let web: any RoutesBuilder
    /// `/api/v1` routes open to anyone.
    public let publicAPI: any RoutesBuilder
    /// `/api/v1` routes that require a bearer token.
    public let api: any RoutesBuilder
}

/// A channel of the main navigation: at most eight, each opening its items. Modules put their entries
/// in one of these; a module with a new kind of work adds its channel here, so the header stays within
/// eight (issue 16: eighteen flat links made a 313 px header on a phone).
public struct NavigationGroup: Sendable, Hashable {
    /// Stable id, written as `data-nav-group`.
    public let id: String
    public let label: String
    public let order: Int

    public static let workbench = NavigationGroup(id: "workbench", label: "工作台", order: 0)
    public static let people = NavigationGroup(id: "people", label: "科技工作者", order: 100)
    public static let service = NavigationGroup(id: "service", label: "诉求办理", order: 200)
    public static let innovation = NavigationGroup(id: "innovation", label: "科创对接", order: 300)
    /// Events now; awards, popularization and volunteers join it (at most eight channels in all).
    public static let academic = NavigationGroup(id: "academic", label: "学术与科普", order: 350)
    public static let plans = NavigationGroup(id: "plans", label: "工作计划", order: 400)
    public static let statistics = NavigationGroup(id: "statistics", label: "统计", order: 800)
    public static let administration = NavigationGroup(id: "admin", label: "系统管理", order: 900)

    public static let all: [NavigationGroup] = [workbench, people, service, innovation, academic, plans, statistics, administration]
}

/// A navigation entry in the page header, shown only to users holding `permission` (or all users),
/// under its channel.
public struct NavigationEntry: Sendable {
    public let label: String
    public let path: String
    public let permission: Permission?
    public let order: Int
    public let group: NavigationGroup

    public init(label: String, path: String, permission: Permission?, order: Int, group: NavigationGroup) {
        self.label = label
        self.path = path
        self.permission = permission
        self.order = order
        self.group = group
    }
}

/// An entrance on the visitors' portal: a public channel (我要办事, 技术供给, …) with a one-line
/// description, ordered across modules like the navigation. `id` is stable (`data-portal-channel`).
public struct PortalChannel: Sendable {
    public let id: String
    public let label: String
    public let summary: String
    public let path: String
    public let order: Int

    public init(id: String, label: String, summary: String, path: String, order: Int) {
        self.id = id
        self.label = label
        self.summary = summary
        self.path = path
        self.order = order
    }
}

/// A panel on the home page: a title and a few lines computed for the actor. A panel does not query:
/// it names the figures it needs as scalar SQL subqueries (`figures`), the home page asks every panel's
/// figures in one statement, and `lines` turns the answers into what the panel shows (issue 16: a
/// query per panel held the home page at a few percent of `/healthz`).
public struct HomePanel: Sendable {
    public struct Line: Sendable, Encodable {
        public let label: String
        public let value: String
        public let link: String?

        public init(label: String, value: String, link: String? = nil) {
            self.label = label
            self.value = value
            self.link = link
        }
    }

    public let title: String
    public let order: Int
    /// What the panel needs for this actor; nil when the panel is not for them (it is left out).
    public let figures: @Sendable (PanelContext) -> [PanelFigure]?
    public let lines: @Sendable (PanelContext, PanelValues) -> [Line]

    public init(
        title: String, order: Int, figures: @escaping @Sendable (PanelContext) -> [PanelFigure]?,
        lines: @escaping @Sendable (PanelContext, PanelValues) -> [Line]
    ) {
        self.title = title
        self.order = order
        self.figures = figures
        self.lines = lines
    }
}

public struct PlatformNotification: Sendable {
    public let recipientUserID: UUID
    public let title: String
    public let body: String
    public let link: String?

    public init(recipientUserID: UUID, title: String, body: String, link: String?) {
        self.recipientUserID = recipientUserID
        self.title = title
        self.body = body
        self.link = link
    }
}

/// A way to deliver a notification (in-app, e-mail, SMS). The in-app channel arrives with ServiceHall.
public protocol NotificationChannel: Sendable {
    var id: String { get }
    func deliver(_ notification: PlatformNotification, on db: any Database) async throws
}

/// Everything the modules registered, assembled once at start and read-only afterwards.
public struct ModuleRegistry: Sendable {
    public let modules: [any KexieModule]
    public let roles: RoleCatalog
    public let navigation: [NavigationEntry]
    public let portalChannels: [PortalChannel]
    public let homePanels: [HomePanel]
    public let metrics: [String: MetricDefinition]
    public let searchProviders: [any SearchProvider]
    public let notificationChannels: [any NotificationChannel]
    public let expertSources: [any ExpertSource]
    public let membershipDirectories: [any MembershipDirectory]
    public let personPanels: [PersonPanel]
    public let personalPanels: [HomePanel]
    public let notices: [String: String]
    /// Owner type ("case", "plan_report") → its module's policy. A type is declared once.
    public let fileOwners: [String: FileOwnerPolicy]
    /// Check-in subject kind ("events.event") → the module's resolver. A kind is declared once.
    public let checkInSubjects: [String: any CheckInSubjectKind]
    /// The fill page's purpose first, then the modules'.
    public let formPurposes: [FormPurpose]

    public init(modules: [any KexieModule]) {
        self.modules = modules
        roles = RoleCatalog(permissions: modules.flatMap(\.permissions))
        navigation = modules.flatMap(\.navigation).sorted { $0.order < $1.order }
        portalChannels = modules.flatMap(\.portalChannels).sorted { ($0.order, $0.id) < ($1.order, $1.id) }
        homePanels = modules.flatMap(\.homePanels).sorted { $0.order < $1.order }
        metrics = Dictionary(modules.flatMap(\.metrics).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        searchProviders = modules.flatMap(\.searchProviders)
        notificationChannels = modules.flatMap(\.notificationChannels)
        expertSources = modules.flatMap(\.expertSources)
        membershipDirectories = modules.flatMap(\.membershipDirectories)
        personPanels = modules.flatMap(\.personPanels).sorted { $0.order < $1.order }
        personalPanels = modules.flatMap(\.personalPanels).sorted { $0.order < $1.order }
        notices = modules.reduce(into: [:]) { all, module in all.merge(module.notices) { first, _ in first } }
        fileOwners = Dictionary(
            modules.flatMap(\.fileOwners).map { ($0.type, $0) },
            uniquingKeysWith: { first, second in
                preconditionFailure("file owner type \(first.type) declared by \(first.module) and \(second.module)")
            })
        formPurposes = [FormPurpose(module: FormOwner.fillPage.module, label: "在线填报")] + modules.flatMap(\.formPurposes)
        checkInSubjects = Dictionary(
            modules.flatMap(\.checkInSubjects).map { ($0.kind, $0) },
            uniquingKeysWith: { first, _ in preconditionFailure("check-in subject kind \(first.kind) declared twice") })
    }

    /// Delivers a notification through every registered channel.
    public func notify(_ notification: PlatformNotification, on db: any Database) async throws {
        for channel in notificationChannels { try await channel.deliver(notification, on: db) }
    }
}

/// A module's periodic job. `BackgroundJobRunner` runs it once per period (its interval) across every
/// instance serving the database (`JobCoordinator`); a job should still take its work with conditional
/// updates, as the workflow runtime does, since a manual command may run beside it.
public struct BackgroundJob: Sendable {
    public let name: String
    public let intervalSeconds: Int64
    public let run: @Sendable (any Database, PlatformServices) async throws -> Void

    public init(name: String, intervalSeconds: Int64, run: @escaping @Sendable (any Database, PlatformServices) async throws -> Void) {
        self.name = name
        self.intervalSeconds = intervalSeconds
        self.run = run
    }
}

/// What a shared form is for: the module whose pages take its submissions (`owner_module`) and how
/// administrators see it (用途) when they create it.
public struct FormPurpose: Sendable, Equatable {
    public let module: String
    public let label: String

    public init(module: String, label: String) {
        self.module = module
        self.label = label
    }
}
