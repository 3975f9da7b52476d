import Fluent
import Foundation
import KexieApp
import SQLKit
import XCTVapor

@testable import Platform

/// `kexie backup` and `kexie restore` on real database files: a demo installation with extra writes is
/// backed up, restored into an empty folder (and, with DATABASE_URL, into PostgreSQL and back), and the
/// restored data is compared table file by table file with the original.
final class BackupRestoreTests: XCTestCase {
    private var folders: [String] = []
    private var apps: [Application] = []

    override func tearDown() async throws {
        for app in apps { try? await app.asyncShutdown() }
        apps = []
        for folder in folders { try? FileManager.default.removeItem(atPath: folder) }
        folders = []
    }

    private func folder(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "kexie-\(name)-" + UUID().uuidString
        folders.append(path)
        return path
    }

    /// An application on the given database that has not been migrated: what `kexie restore` starts from.
    private func emptyApp(_ database: KexieConfiguration.Database, dataDirectory: String, key: UInt8 = 7) async throws -> Application {
        let app = try await Application.make(.testing)
        apps.append(app)
        app.logger.logLevel = .warning
        var config = KexieConfiguration(
            dataDirectory: dataDirectory, database: database, secretKey: Data(repeating: key, count: 32), bcryptCost: 4)
        config.resourcesDirectory = TestApp.packageRoot
        config.trustProxy = true
        try KexieApp.configure(app, configuration: config)
        if config.database.isPostgres, let sql = app.db as? any SQLDatabase {
            try await sql.raw("DROP SCHEMA public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        return app
    }

    private func sqlite(_ folder: String) -> KexieConfiguration.Database { .sqliteFile(path: folder + "/kexie.sqlite") }

    /// The demo province plus an anonymous case and an attachment (a blob column) written through SQL.
    private func populatedSource() async throws -> (Application, DemoFixture) {
        let data = folder("source")
        let app = try await emptyApp(sqlite(data), dataDirectory: data)
        try await app.autoMigrate()
        let demo = try await DemoFixture.load(app)
        let submitted = try await app.testable().sendRequest(
            .POST, "/api/v1/cases", headers: ["Content-Type": "application/json", "X-Forwarded-For": "10.20.30.40"],
            body: ByteBuffer(
                string:
                    #"{"type": "suggestion", "title": "备份演练", "content": "备份之前写入的一条诉求，恢复后应当还在。", "contactName": "赵六", "contactPhone": "13700004444"}"#
            ))
        XCTAssertEqual(submitted.status, .created, submitted.body.string)
        let sql = try XCTUnwrap(app.db as? any SQLDatabase)
        let caseID = try await sql.raw("SELECT id FROM servicehall_cases LIMIT 1").first()?.decode(column: "id", as: UUID.self)
        let organizationID = try await sql.raw("SELECT organization_id FROM servicehall_cases LIMIT 1").first()?
            .decode(column: "organization_id", as: UUID.self)
        try await sql.insert(into: "platform_files")
            .columns(
                "id", "owner_module", "owner_type", "owner_id", "organization_id", "file_name", "kind", "size", "sha256", "content",
                "created_at"
            )
            .values(
                SQLBind(UUID()), SQLBind("servicehall"), SQLBind("case"), SQLBind(try XCTUnwrap(caseID)),
                SQLBind(try XCTUnwrap(organizationID)), SQLBind("说明.pdf"), SQLBind("pdf"), SQLBind(5), SQLBind("-"),
                SQLBind(try app.platform.secrets.seal(Data([0x25, 0x50, 0x44, 0x46, 0x00]))),
                SQLBind(Date(timeIntervalSince1970: 1_795_000_000.123456))
            ).run()
        return (app, demo)
    }

    private func tableFiles(_ folder: URL) throws -> [String: Data] {
        let tables = folder.appendingPathComponent("tables")
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: tables.path) {
            files[name] = try Data(contentsOf: tables.appendingPathComponent(name))
        }
        return files
    }

    func testBackupWritesAManifestWithCountsChecksumsAndTheKeyFingerprintButNotTheKey() async throws {
        let (source, _) = try await populatedSource()
        let destination = folder("backup")
        let result = try await BackupWriter(
            db: source.db, configuration: source.platform.configuration, secret: Data(repeating: 7, count: 32)
        )
        .write(to: destination)
        let manifest = result.manifest
        let users = try await User.query(on: source.db).count()
        XCTAssertEqual(manifest.tables.first { $0.name == "platform_users" }?.rows, users)
        // The case's attachment and the demo notice's.
        XCTAssertEqual(manifest.tables.first { $0.name == "platform_files" }?.rows, 2)
        XCTAssertFalse(manifest.tables.contains { $0.name == "_fluent_migrations" })
        XCTAssertTrue(manifest.migrations.contains("2026_11_23_1308_platform_create_audit_log"))
        XCTAssertEqual(manifest.secretKey.sha256, SecretKeyFingerprint.of(Data(repeating: 7, count: 32)))
        XCTAssertFalse(manifest.secretKey.included)
        XCTAssertEqual(manifest.source.database, "sqlite")
        for file in manifest.files {
            let digest = try FileDigest.sha256(of: result.folder.appendingPathComponent(file.path))
            XCTAssertEqual(digest.hex, file.sha256, file.path)
        }
        let sums = try String(contentsOf: result.folder.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
        XCTAssertTrue(sums.contains("  manifest.json\n"))
        XCTAssertTrue(sums.contains("  tables/platform_users.jsonl\n"))
        let everything = try tableFiles(result.folder).values.reduce(Data(), +)
        XCTAssertNil(everything.range(of: Data(Data(repeating: 7, count: 32).base64EncodedString().utf8)), "the key is not in the backup")
        let attributes = try FileManager.default.attributesOfItem(atPath: result.folder.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o700)

        do {
            _ = try await BackupWriter(db: source.db, configuration: source.platform.configuration, secret: Data(repeating: 7, count: 32))
                .write(to: destination)
            XCTFail("a backup never writes into a folder that holds files")
        } catch BackupError.destinationNotEmpty {}
    }

    func testRestoreIntoAnEmptySQLiteFolderGivesBackTheSameTablesAndTheDemoAccountsWork() async throws {
        let (source, demo) = try await populatedSource()
        let first = try await BackupWriter(
            db: source.db, configuration: source.platform.configuration, secret: Data(repeating: 7, count: 32)
        )
        .write(to: folder("backup"))

        let data = folder("restored")
        let target = try await emptyApp(sqlite(data), dataDirectory: data)
        let report = try await BackupRestorer(app: target).restore(first.folder.path)
        XCTAssertEqual(report.mismatches, [])
        XCTAssertEqual(report.counts.count, first.manifest.tables.count)
        XCTAssertEqual(report.pendingMigrations, [])
        let verification = try await AuditLog.verify(on: target.db)
        XCTAssertNil(verification.problem)
        XCTAssertGreaterThan(verification.checked, 0)

        let again = try await BackupWriter(
            db: target.db, configuration: target.platform.configuration, secret: Data(repeating: 7, count: 32)
        )
        .write(to: folder("backup-again"))
        let before = try tableFiles(first.folder)
        let after = try tableFiles(again.folder)
        XCTAssertEqual(before.keys.sorted(), after.keys.sorted())
        for (name, data) in before { XCTAssertEqual(data, after[name], "\(name) differs after backup → restore → backup") }

        let browser = Browser(target)
        try await browser.login("demo.staff", demo.accounts["demo.staff"] ?? "")
        let home = try await browser.get("/")
        XCTAssertEqual(home.status, .ok)
    }

    func testRestoreRefusesATargetThatIsNotEmptyAnotherKeyAndADamagedFile() async throws {
        let (source, _) = try await populatedSource()
        let backup = try await BackupWriter(
            db: source.db, configuration: source.platform.configuration, secret: Data(repeating: 7, count: 32)
        )
        .write(to: folder("backup"))

        do {
            _ = try await BackupRestorer(app: source).restore(backup.folder.path)
            XCTFail("restoring over a live database must be refused")
        } catch BackupError.targetNotEmpty {}

        let otherKey = folder("other-key")
        do {
            _ = try await BackupRestorer(app: try await emptyApp(sqlite(otherKey), dataDirectory: otherKey, key: 9)).restore(
                backup.folder.path)
            XCTFail("another key must be refused")
        } catch BackupError.keyMismatch {}
        XCTAssertFalse(FileManager.default.fileExists(atPath: otherKey + "/kexie.sqlite"), "nothing was written")

        let cluttered = folder("cluttered")
        try FileManager.default.createDirectory(atPath: cluttered, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: cluttered + "/notes.txt", contents: Data("x".utf8)))
        do {
            _ = try await BackupRestorer(app: try await emptyApp(sqlite(cluttered), dataDirectory: cluttered)).restore(backup.folder.path)
            XCTFail("a data folder with other files is not empty")
        } catch BackupError.targetNotEmpty {}

        let users = backup.folder.appendingPathComponent("tables/platform_users.jsonl")
        var bytes = try Data(contentsOf: users)
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: users)
        let damaged = folder("damaged")
        do {
            _ = try await BackupRestorer(app: try await emptyApp(sqlite(damaged), dataDirectory: damaged)).restore(backup.folder.path)
            XCTFail("a damaged file must be refused")
        } catch BackupError.checksumMismatch(let file) {
            XCTAssertEqual(file, "tables/platform_users.jsonl")
        }
    }

    /// SQLite → PostgreSQL → SQLite: the second SQLite backup equals the first, table file by table file.
    func testRoundTripThroughPostgreSQL() async throws {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw XCTSkip("DATABASE_URL is not set")
        }
        let (source, demo) = try await populatedSource()
        let key = Data(repeating: 7, count: 32)
        let first = try await BackupWriter(db: source.db, configuration: source.platform.configuration, secret: key).write(
            to: folder("backup"))

        let postgres = try await emptyApp(.postgres(url: url), dataDirectory: folder("pg"))
        let intoPostgres = try await BackupRestorer(app: postgres).restore(first.folder.path)
        XCTAssertEqual(intoPostgres.mismatches, [])
        let verification = try await AuditLog.verify(on: postgres.db)
        XCTAssertNil(verification.problem)
        let browser = Browser(postgres)
        try await browser.login("demo.staff", demo.accounts["demo.staff"] ?? "")
        let fromPostgres = try await BackupWriter(db: postgres.db, configuration: postgres.platform.configuration, secret: key)
            .write(to: folder("backup-pg"))
        XCTAssertEqual(fromPostgres.manifest.source.database, "postgresql")
        // The log-in above added a session, a log-in attempt and audit rows; every other table is as restored.
        let touchedByLogin: Set<String> = [
            "platform_sessions", "platform_login_attempts", "platform_audit_entries", "platform_audit_head", "platform_users",
        ]
        for entry in first.manifest.tables where !touchedByLogin.contains(entry.name) {
            XCTAssertEqual(fromPostgres.manifest.tables.first { $0.name == entry.name }?.rows, entry.rows, entry.name)
        }

        let data = folder("back-to-sqlite")
        let back = try await emptyApp(sqlite(data), dataDirectory: data)
        let intoSQLite = try await BackupRestorer(app: back).restore(fromPostgres.folder.path)
        XCTAssertEqual(intoSQLite.mismatches, [])
        let third = try await BackupWriter(db: back.db, configuration: back.platform.configuration, secret: key).write(
            to: folder("backup-3"))
        let before = try tableFiles(first.folder)
        let after = try tableFiles(third.folder)
        for (name, data) in before where !touchedByLogin.contains(String(name.dropLast(".jsonl".count))) {
            XCTAssertEqual(data, after[name], "\(name) differs after SQLite → PostgreSQL → SQLite")
        }
        let beforeAudit = String(decoding: before["platform_audit_entries.jsonl"] ?? Data(), as: UTF8.self)
        let afterAudit = String(decoding: after["platform_audit_entries.jsonl"] ?? Data(), as: UTF8.self)
        XCTAssertTrue(afterAudit.hasPrefix(beforeAudit), "the audit rows come back unchanged, followed by the log-in's")
    }
}
