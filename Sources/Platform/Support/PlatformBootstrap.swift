import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOCore
import Vapor

/// Builds an Application from a configuration and a list of modules. Tests call this with an in-memory
/// database and a pinned clock; `kexie` calls it with the environment's configuration.
public enum PlatformBootstrap {
    public static func configure(
        _ app: Application, configuration: KexieConfiguration, modules: [any KexieModule],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let secret = try SecretKeyStore.loadOrCreate(configuration: configuration)
        let registry = ModuleRegistry(modules: modules)
        app.platform = PlatformServices(configuration: configuration, secret: secret, registry: registry, clock: clock)

        switch configuration.database {
        case .sqliteMemory:
            app.databases.use(.sqlite(.memory, sqlLogLevel: nil), as: .sqlite)
        case .sqliteFile(let path):
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
            // A second pool for long write transactions (imports), so pages keep their connections.
            app.databases.use(.sqlite(.file(path), sqlLogLevel: nil), as: .sqliteBulk, isDefault: false)
        case .postgres(let url):
            var postgres = try SQLPostgresConfiguration(url: url)
            postgres.searchPath = nil
            app.databases.use(
                .postgres(
                    configuration: postgres, maxConnectionsPerEventLoop: max(1, configuration.databasePoolSize / max(1, System.coreCount)),
                    connectionPoolTimeout: .seconds(10), sqlLogLevel: .debug),
                as: .psql)
        }
        for module in modules {
            for migration in module.migrations { app.migrations.add(migration.prepared(secrets: app.platform.secrets)) }
        }
        let registrar = AuditRegistrar(app: app, serializer: app.platform.writes, clock: clock)
        for module in modules { module.registerAuditedModels(registrar) }

        app.passwords.use(.bcrypt(cost: configuration.bcryptCost))
        app.routes.defaultMaxBodySize = "2mb"

        // Replace Vapor's default middleware so every error goes through ours.
        app.middleware = Middlewares()
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(KexieErrorMiddleware())
        app.middleware.use(FileMiddleware(publicDirectory: configuration.resourcesDirectory + "/Public/"))

        HealthController().register(app.routes)
        OpenAPIDocument.register(app.routes, modules: modules)
        let publicWeb = app.routes.grouped(WebSessionMiddleware(), CSRFMiddleware())
        let web = publicWeb.grouped(RequireUserMiddleware())
        // API templates carry their full path (see `PlatformRoutes`): the API groups add middleware only.
        let routes = ModuleRoutes(
            publicWeb: publicWeb, web: web, publicAPI: app.routes.grouped(BearerMiddleware(required: false)),
            api: app.routes.grouped(BearerMiddleware(required: true)))
        for module in modules { try module.registerRoutes(routes) }
        // Unknown /api paths answer JSON 404 rather than the HTML page.
        app.routes.get(PlatformRoutes.apiNotFound) { _ -> Response in throw PlatformError.notFound }
        // Last, so it sees every API route: a known path asked with another method answers 405.
        app.middleware.use(MethodNotAllowedMiddleware(routes: app.routes.all, prefix: ["api", "v1"]))
    }

    /// Refreshes the query planner's statistics. Without them SQLite guessed that filtering people by
    /// organization was selective and scanned 100,000 rows for a 20-row page. Cheap (sampled) on SQLite;
    /// call after bulk loads.
    public static func refreshStatistics(_ sql: any SQLDatabase) async throws {
        if sql.dialect.name == "sqlite" {
            try await sql.raw("PRAGMA analysis_limit=2000").run()
            try await sql.raw("ANALYZE").run()
        } else {
            try await sql.raw("ANALYZE").run()
        }
    }

    /// Turns on SQLite's write-ahead log for the embedded file database (readers stop blocking the
    /// writer), and gives every pooled connection (one per event loop) a 64 MB page cache and a memory
    /// map: with the default 2 MB cache, list and search pages at 100,000 people spent most of their
    /// time in read() system calls.
    public static func prepareDatabase(_ app: Application) async throws {
        guard case .sqliteFile = app.platform.configuration.database else { return }
        let sql = try app.db.sql()
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await refreshStatistics(sql)
        for eventLoop in app.eventLoopGroup.makeIterator() {
            guard let connection = app.databases.database(.sqlite, logger: app.logger, on: eventLoop) else {
                throw SQLAccessError.notSQL("no SQLite database on an event loop")
            }
            let sql = try connection.sql()
            for pragma in [
                "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536", "PRAGMA mmap_size=1073741824", "PRAGMA temp_store=MEMORY",
            ] {
                try await sql.raw(SQLQueryString(stringLiteral: pragma)).run()
            }
        }
    }
}

extension DatabaseID {
    /// The embedded database's second pool, for long write transactions.
    public static let sqliteBulk = DatabaseID(string: "sqlite-bulk")
}

extension Application {
    /// Where a long write transaction (an import of thousands of rows) should run. SQLite gives each
    /// event loop one connection; a long transaction on the main pool left half of all page requests
    /// waiting for it until they timed out. The bulk pool is a separate connection to the same file
    /// (WAL lets the pages keep reading). PostgreSQL's pool already has many connections.
    public var bulkDatabase: any Database {
        if case .sqliteFile = platform.configuration.database { return db(.sqliteBulk) }
        return db
    }
}
