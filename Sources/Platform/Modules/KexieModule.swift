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

    func registerAuditedModels(_ registrar: AuditRegistrar)
    func registerRoutes(_ routes: ModuleRoutes) throws
    /// Adds the module's part of the demo province (`kexie demo`), inside the demo's transaction.
    func loadDemo(on db: any Database, services: PlatformServices) async throws
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
    public var openAPIPaths: String { "" }
    public var openAPISchemas: String { "" }
    public var errorCodes: [ErrorCodeEntry] { [] }
    public var personalPanels: [HomePanel] { [] }
    public var notices: [String: String] { [:] }
    public var backgroundJobs: [BackgroundJob] { [] }
    public func registerAuditedModels(_ registrar: AuditRegistrar) {}
    public func loadDemo(on db: any Database, services: PlatformServices) async throws {}
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

/// A navigation entry in the page header, shown only to users holding `permission` (or all users).
public struct NavigationEntry: Sendable {
    public let label: String
    public let path: String
    public let permission: Permission?
    public let order: Int

    public init(label: String, path: String, permission: Permission?, order: Int) {
        self.label = label
        self.path = path
        self.permission = permission
        self.order = order
    }
}

/// A panel on the home page: a title and a few lines computed for the actor.
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
    /// The actor, the database and the request's clock (so panels count "today" as every page does).
    public let lines: @Sendable (Actor, any Database, Date) async throws -> [Line]

    public init(title: String, order: Int, lines: @escaping @Sendable (Actor, any Database, Date) async throws -> [Line]) {
        self.title = title
        self.order = order
        self.lines = lines
    }
}

/// A named figure per organization (subtree) and period, computed by the module that owns the data.
/// Plans binds targets to these; the dashboard shows them.
public struct MetricDefinition: Sendable {
    public struct Query: Sendable {
        public let organization: Organization
        public let year: Int

        public init(organization: Organization, year: Int) {
            self.organization = organization
            self.year = year
        }
    }

    public let id: String
    public let label: String
    public let unit: String
    public let compute: @Sendable (Query, any Database) async throws -> Double

    public init(
        id: String, label: String, unit: String,
        compute: @escaping @Sendable (Query, any Database) async throws -> Double
    ) {
        self.id = id
        self.label = label
        self.unit = unit
        self.compute = compute
    }
}

public struct SearchHit: Sendable, Encodable {
    public let kind: String
    public let title: String
    public let snippet: String
    public let link: String
    public let score: Double

    public init(kind: String, title: String, snippet: String, link: String, score: Double) {
        self.kind = kind
        self.title = title
        self.snippet = snippet
        self.link = link
        self.score = score
    }
}

/// A module's contribution to the global search box.
public protocol SearchProvider: Sendable {
    var kind: String { get }
    func search(_ text: String, actor: Actor, limit: Int, on db: any Database) async throws -> [SearchHit]
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

/// One expert of a pool, as other modules see them: enough to match and to contact through the owner.
public struct ExpertCandidate: Sendable {
    public let personID: UUID
    public let name: String
    public let title: String
    public let employer: String
    public let organizationName: String
    /// GB/T 13745 codes or names.
    public let disciplines: [String]
    /// GB/T 4754 section letter, when known.
    public let industry: String?
    public let researchDirection: String
    public let region: String

    public init(
        personID: UUID, name: String, title: String, employer: String, organizationName: String, disciplines: [String],
        industry: String?, researchDirection: String, region: String
    ) {
        self.personID = personID
        self.name = name
        self.title = title
        self.employer = employer
        self.organizationName = organizationName
        self.disciplines = disciplines
        self.industry = industry
        self.researchDirection = researchDirection
        self.region = region
    }
}

/// A module's expert pools, read by others through the registry.
public protocol ExpertSource: Sendable {
    /// Every available expert in pools of organizations under `scopePath` (nil: all).
    func experts(scopePath: String?, on db: any Database) async throws -> [ExpertCandidate]
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
    public let homePanels: [HomePanel]
    public let metrics: [String: MetricDefinition]
    public let searchProviders: [any SearchProvider]
    public let notificationChannels: [any NotificationChannel]
    public let expertSources: [any ExpertSource]
    public let personalPanels: [HomePanel]
    public let notices: [String: String]

    public init(modules: [any KexieModule]) {
        self.modules = modules
        roles = RoleCatalog(permissions: modules.flatMap(\.permissions))
        navigation = modules.flatMap(\.navigation).sorted { $0.order < $1.order }
        homePanels = modules.flatMap(\.homePanels).sorted { $0.order < $1.order }
        metrics = Dictionary(modules.flatMap(\.metrics).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        searchProviders = modules.flatMap(\.searchProviders)
        notificationChannels = modules.flatMap(\.notificationChannels)
        expertSources = modules.flatMap(\.expertSources)
        personalPanels = modules.flatMap(\.personalPanels).sorted { $0.order < $1.order }
        notices = modules.reduce(into: [:]) { all, module in all.merge(module.notices) { first, _ in first } }
    }

    /// Delivers a notification through every registered channel.
    public func notify(_ notification: PlatformNotification, on db: any Database) async throws {
        for channel in notificationChannels { try await channel.deliver(notification, on: db) }
    }
}

/// A module's periodic job. It must be safe to run on several instances at once (take work with
/// conditional updates, as the workflow runtime does).
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
