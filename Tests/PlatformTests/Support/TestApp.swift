import Fluent
import Foundation
import KexieApp
import KexieKit
import NIOConcurrencyHelpers
import Platform
import SQLKit
import XCTVapor

/// A clock tests move by hand, so idle timeouts and lock-outs are tested without waiting.
final class TestClock: Sendable {
    private let value = NIOLockedValueBox(Date(timeIntervalSince1970: 1_795_000_000))
    var now: Date { value.withLockedValue { $0 } }
    func advance(minutes: Double) { value.withLockedValue { $0 = $0.addingTimeInterval(minutes * 60) } }
}

/// A fresh application per test: in-memory SQLite by default, or the PostgreSQL database named by
/// DATABASE_URL (its public schema is wiped first), always with a pinned clock and cheap bcrypt.
enum TestApp {
    static var usesPostgres: Bool { ProcessInfo.processInfo.environment["DATABASE_URL"].map { !$0.isEmpty } ?? false }

    /// `migrate: false` leaves the database empty (for tests that migrate it step by step themselves).
    static func make(trustProxy: Bool = true, sqliteFile: String? = nil, migrate: Bool = true) async throws -> (Application, TestClock) {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let clock = TestClock()
        var config = KexieConfiguration(
            dataDirectory: NSTemporaryDirectory() + "kexie-test-" + UUID().uuidString,
            database: .sqliteMemory, secretKey: Data(repeating: 7, count: 32), bcryptCost: 4)
        config.resourcesDirectory = packageRoot
        config.trustProxy = trustProxy
        if let sqliteFile {
            config.database = .sqliteFile(path: sqliteFile)
        } else if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            config.database = .postgres(url: url)
        }
        app.storage[TestClockKey.self] = clock
        do {
            try KexieApp.configure(app, configuration: config, clock: { clock.now })
            if config.database.isPostgres, let sql = app.db as? any SQLDatabase {
                try await sql.raw("DROP SCHEMA public CASCADE").run()
                try await sql.raw("CREATE SCHEMA public").run()
            }
            if migrate { try await app.autoMigrate() }
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        return (app, clock)
    }

    /// Tests run with the package root as working directory under `swift test`; this also works when
    /// they are started from elsewhere.
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()
}

/// Loads the demo province and keeps the generated passwords, so tests can log in as every role.
struct DemoFixture {
    let accounts: [String: String]
    let province: Organization
    let county1: Organization
    let county2: Organization
    let city1: Organization

    /// `populated` loads the whole demo province (`kexie demo`); route tests start from the accounts
    /// and organizations alone.
    static func load(_ app: Application, populated: Bool = false) async throws -> DemoFixture {
        let loaded =
            try await DemoDirectory(services: app.platform, passwords: app.password.async)
            .load(on: app.db, populated: populated, log: { line in if populated { print("demo: " + line) } }) ?? []
        let accounts = Dictionary(uniqueKeysWithValues: loaded.map { ($0.username, $0.password) })
        app.storage[DemoSecretsKey.self] = Dictionary(
            uniqueKeysWithValues: loaded.compactMap { account in
                account.totpSecret.map { (account.username, $0) }
            })
        func org(_ name: String) async throws -> Organization {
            guard let org = try await Organization.query(on: app.db).filter(\.$name == name).first() else {
                throw Abort(.internalServerError, reason: "fixture organization \(name) missing")
            }
            return org
        }
        return DemoFixture(
            accounts: accounts, province: try await org("云海省科学技术协会"), county1: try await org("青石县科学技术协会"),
            county2: try await org("白沙县科学技术协会"), city1: try await org("东港市科学技术协会"))
    }
}

struct TestClockKey: StorageKey { typealias Value = TestClock }
struct DemoSecretsKey: StorageKey { typealias Value = [String: String] }

/// A cookie-keeping client over the in-memory HTTP layer that fills in the CSRF field the way the
/// browser would from the rendered form.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var address = "127.0.0.10"

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> XCTHTTPResponse {
        var all = headers
        all.add(name: "X-Forwarded-For", value: address)
        if !cookies.isEmpty { all.add(name: .cookie, value: cookieHeader) }
        let response = try await app.testable().sendRequest(.GET, path, headers: all)
        absorb(response)
        return response
    }

    var csrf: String? { cookies["kexie_csrf"] }

    @discardableResult
    func post(_ path: String, _ form: [String: String], includeCSRF: Bool = true) async throws -> XCTHTTPResponse {
        if includeCSRF, csrf == nil { try await get("/login") }
        var fields = form
        if includeCSRF, let csrf { fields["_csrf"] = csrf }
        let body = fields.map { key, value in "\(Self.encode(key))=\(Self.encode(value))" }.joined(separator: "&")
        var headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": address]
        if !cookies.isEmpty { headers.add(name: .cookie, value: cookieHeader) }
        let response = try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        absorb(response)
        return response
    }

    func login(_ identifier: String, _ password: String) async throws {
        let response = try await post("/login", ["identifier": identifier, "password": password])
        XCTAssertEqual(response.status, .seeOther, "log-in as \(identifier) failed: \(response.body.string.prefix(300))")
        if let location = response.location, location.hasPrefix("/login/second-factor") {
            try await answerSecondFactor(identifier, at: location)
        }
    }

    /// Binds an authenticator through the enrolment page the way a person would: reads the secret shown
    /// beside the QR code and answers with the current code. Returns the secret.
    @discardableResult
    func enrolSecondFactor() async throws -> KexieKit.TOTP {
        let page = try await get("/account/second-factor")
        let html = page.body.string
        guard let start = html.range(of: "<code id=\"secret\">"),
            let end = html.range(of: "</code>", range: start.upperBound..<html.endIndex),
            let totp = KexieKit.TOTP(base32Secret: String(html[start.upperBound..<end.lowerBound]).replacingOccurrences(of: " ", with: "")),
            let clock = app.storage[TestClockKey.self]
        else { throw Abort(.internalServerError, reason: "no secret on the enrolment page: \(html.prefix(500))") }
        let bound = try await post("/account/second-factor", ["code": totp.code(at: clock.now)])
        XCTAssertEqual(bound.status, .ok)
        XCTAssertTrue(bound.body.string.contains("id=\"recovery-codes\""), "recovery codes are shown once")
        return totp
    }

    /// Demo administrators have an authenticator: answer with the code of the next time step (the
    /// clock moves on 30 s, since a code once used is refused for the rest of its step).
    func answerSecondFactor(_ identifier: String, at location: String) async throws {
        guard let secret = app.storage[DemoSecretsKey.self]?[identifier], let totp = KexieKit.TOTP(base32Secret: secret),
            let clock = app.storage[TestClockKey.self]
        else { return XCTFail("no authenticator secret for \(identifier)") }
        clock.advance(minutes: 0.5)
        let answer = try await post(location, ["code": totp.code(at: clock.now)])
        XCTAssertEqual(answer.status, .seeOther, "second factor for \(identifier) failed: \(answer.body.string.prefix(300))")
    }

    private var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    private func absorb(_ response: XCTHTTPResponse) {
        guard let set = response.headers.setCookie else { return }
        for (name, value) in set.all {
            if value.string.isEmpty || value.maxAge == 0 { cookies[name] = nil } else { cookies[name] = value.string }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension XCTHTTPResponse {
    var location: String? { headers.first(name: .location) }
}

/// Base class: one fresh app per test, shut down afterwards.
class KexieTestCase: XCTestCase {
    var app: Application!
    var clock: TestClock!

    override func setUp() async throws {
        (app, clock) = try await TestApp.make()
    }

    override func tearDown() async throws {
        try await app?.asyncShutdown()
        app = nil
    }
}

/// A fresh app on an empty database, for migration tests that build the schema of an earlier release
/// (`migrate(allBut:)`), write rows the way it wrote them, then run the new migrations.
class UnmigratedTestCase: XCTestCase {
    var app: Application!

    override func setUp() async throws {
        (app, _) = try await TestApp.make(migrate: false)
    }

    override func tearDown() async throws {
        try await app?.asyncShutdown()
        app = nil
    }

    /// Runs every registered migration but `names`, as a database of the release before them has.
    func migrate(allBut names: [String]) async throws {
        let all = try KexieApp.modules().flatMap(\.migrations).map { $0.prepared(secrets: app.platform.secrets) }
        let registered = Set(all.map(\.name))
        for name in names { XCTAssertTrue(registered.contains(name), "\(name) is registered") }
        let before = Migrations()
        for migration in all where !names.contains(migration.name) { before.add(migration) }
        let migrator = Migrator(databases: app.databases, migrations: before, logger: app.logger, on: app.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Reverts the last batch of the app's migrations (the ones `autoMigrate` just ran).
    func revertLastBatch() async throws {
        let migrator = Migrator(databases: app.databases, migrations: app.migrations, logger: app.logger, on: app.eventLoopGroup.any())
        try await migrator.revertLastBatch().get()
    }
}

/// A fresh app with the demo province loaded; most route tests start here.
class DemoTestCase: KexieTestCase {
    var demo: DemoFixture!

    override func setUp() async throws {
        try await super.setUp()
        demo = try await DemoFixture.load(app)
    }

    /// A browser already logged in as one of the demo accounts.
    func loggedIn(_ username: String) async throws -> Browser {
        let browser = Browser(app)
        try await browser.login(username, demo.accounts[username] ?? "")
        return browser
    }
}
