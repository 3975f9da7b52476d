import Fluent
import Foundation
import KexieKit
import SQLKit
import Vapor

/// Rebuilds an installation from a backup folder into an empty data folder or an empty database:
/// checks every file against its SHA-256 and the configured key against the backup's fingerprint
/// before writing anything, creates the schema with the migrations the backup lists, loads every table
/// (parents before children) in one transaction, and counts the rows again afterwards.
public struct BackupRestorer: Sendable {
    let app: Application

    public init(app: Application) { self.app = app }

    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let expected: Int
        public let found: Int
    }

    public struct Report: Sendable {
        public let manifest: BackupManifest
        public let counts: [TableCount]
        /// Migrations of this release newer than the backup; `kexie migrate` (or `serve` on SQLite) applies them.
        public let pendingMigrations: [String]

        public var mismatches: [TableCount] { counts.filter { $0.expected != $0.found } }
    }

    /// Everything that can be checked without writing: the files, the key, the release, the target.
    public func check(_ path: String) async throws -> BackupManifest {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let manifest = try BackupManifest.read(from: folder)
        try Self.verifyFiles(manifest, in: folder)
        let configured = SecretKeyFingerprint.of(try SecretKeyStore.loadOrCreate(configuration: app.platform.configuration))
        guard configured == manifest.secretKey.sha256 else {
            throw BackupError.keyMismatch(
                expected: manifest.secretKey.sha256, configured: configured,
                location: SecretKeyFingerprint.location(app.platform.configuration))
        }
        let known = Set(knownMigrations.map(\.name))
        let unknown = manifest.migrations.filter { !known.contains($0) }
        guard unknown.isEmpty else { throw BackupError.unknownMigrations(unknown) }
        try await requireEmptyTarget()
        return manifest
    }

    /// - Parameter progress: called after each table with its name and the rows written.
    public func restore(_ path: String, progress: @escaping @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Report {
        let folder = URL(fileURLWithPath: path).standardizedFileURL
        let manifest = try await check(path)
        try await PlatformBootstrap.prepareDatabase(app)
        let listed = Set(manifest.migrations)
        let migrations = Migrations()
        for migration in knownMigrations where listed.contains(migration.name) { migrations.add(migration) }
        let migrator = Migrator(databases: app.databases, migrations: migrations, logger: app.logger, on: app.eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()

        guard let sql = app.db as? any SQLDatabase else { throw BackupError.unsupportedDatabase }
        let catalog = try await DatabaseCatalog.read(sql)
        try Self.compareSchema(manifest, catalog)
        let order = try catalog.insertionOrder()
        let entries = Dictionary(uniqueKeysWithValues: manifest.tables.map { ($0.name, $0) })
        let postgres = app.platform.configuration.database.isPostgres
        try await app.platform.writes.transaction(on: app.db) { tx in
            let sql = try tx.sql()
            for table in order {
                guard let entry = entries[table.name] else { continue }
                let rows = try await TableLoad(table: table, entry: entry, postgres: postgres)
                    .load(from: folder.appendingPathComponent(entry.file), into: sql)
                progress(table.name, rows)
            }
        }
        var counts: [TableCount] = []
        for entry in manifest.tables {
            let found =
                try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(entry.name)
                .first()?.decode(column: "n", as: Int.self) ?? -1
            counts.append(TableCount(table: entry.name, expected: entry.rows, found: found))
        }
        try await PlatformBootstrap.refreshStatistics(sql)
        return Report(manifest: manifest, counts: counts, pendingMigrations: knownMigrations.map(\.name).filter { !listed.contains($0) })
    }

    private var knownMigrations: [any Migration] {
        app.platform.registry.modules.flatMap(\.migrations).map { $0.prepared(secrets: app.platform.secrets) }
    }

    /// Checks each listed file's size and SHA-256, and the manifest against `SHA256SUMS` when present.
    static func verifyFiles(_ manifest: BackupManifest, in folder: URL) throws {
        let listed = Set(manifest.files.map(\.path))
        for table in manifest.tables where !listed.contains(table.file) { throw BackupError.missingFile(table.file) }
        for file in manifest.files {
            guard !file.path.contains(".."), !file.path.hasPrefix("/") else { throw BackupError.notABackup(folder.path) }
            let digest = try FileDigest.sha256(of: folder.appendingPathComponent(file.path))
            guard digest.hex == file.sha256, digest.bytes == file.bytes else { throw BackupError.checksumMismatch(file: file.path) }
        }
        let sums = folder.appendingPathComponent(BackupManifest.checksumsFileName)
        if let text = FileManager.default.contents(atPath: sums.path).map({ String(decoding: $0, as: UTF8.self) }) {
            let line = text.split(separator: "\n").first { $0.hasSuffix("  " + BackupManifest.fileName) }
            let manifestHash = try FileDigest.sha256(of: folder.appendingPathComponent(BackupManifest.fileName)).hex
            guard let line, line.hasPrefix(manifestHash) else { throw BackupError.checksumMismatch(file: BackupManifest.fileName) }
        }
    }

    /// The database has no tables at all, and on SQLite the data folder holds nothing but the key and
    /// the database's own files.
    func requireEmptyTarget() async throws {
        let configuration = app.platform.configuration
        if case .sqliteFile(let path) = configuration.database {
            let database = URL(fileURLWithPath: path).lastPathComponent
            let allowed: Set<String> = ["secret.key", database, database + "-wal", database + "-shm", database + "-journal"]
            let present = (try? FileManager.default.contentsOfDirectory(atPath: configuration.dataDirectory)) ?? []
            let others = present.filter { !allowed.contains($0) }.sorted()
            guard others.isEmpty else {
                throw BackupError.targetNotEmpty(
                    "数据目录中还有 / the data folder \(configuration.dataDirectory) holds \(others.prefix(5).joined(separator: ", "))")
            }
        }
        let sql = try app.db.sql()
        let catalog = try await DatabaseCatalog.read(sql)
        guard catalog.isEmpty else {
            let names = catalog.tables.keys.sorted()
            throw BackupError.targetNotEmpty(
                "数据库已有 \(names.count) 张表 / the database has \(names.count) tables (\(names.prefix(3).joined(separator: ", ")) …)")
        }
    }

    static func compareSchema(_ manifest: BackupManifest, _ catalog: DatabaseCatalog) throws {
        let target = Set(catalog.dataTables.map(\.name))
        let source = Set(manifest.tables.map(\.name))
        if let missing = source.subtracting(target).sorted().first { throw BackupError.schemaDiffers("缺少表 / no table \(missing)") }
        if let extra = target.subtracting(source).sorted().first { throw BackupError.schemaDiffers("多出表 / extra table \(extra)") }
        for entry in manifest.tables {
            let columns = Set(catalog.tables[entry.name]?.columns.map(\.name) ?? [])
            let listed = Set(entry.columns.map(\.name))
            if columns != listed {
                let difference = columns.symmetricDifference(listed).sorted().joined(separator: ", ")
                throw BackupError.schemaDiffers("\(entry.name): \(difference)")
            }
        }
    }
}

/// Loads one table file into the database with multi-row inserts.
struct TableLoad {
    let table: DatabaseCatalog.Table
    let entry: BackupManifest.TableEntry
    let postgres: Bool

    /// Bound values per INSERT: well under SQLite's and PostgreSQL's limits.
    static let bindsPerStatement = 3000

    func load(from url: URL, into sql: any SQLDatabase) async throws -> Int {
        let targets = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0) })
        let columns = try entry.columns.map { column -> (source: ColumnKind, target: DatabaseCatalog.Column) in
            guard let target = targets[column.name] else { throw BackupError.schemaDiffers("\(entry.name).\(column.name)") }
            return (column.kind, target)
        }
        let names = entry.columns.map(\.name)
        let batchSize = max(1, Self.bindsPerStatement / max(1, names.count))
        let decoder = JSONDecoder()
        decoder.userInfo[DecodedBackupRow.kindsKey] = entry.columns.map(\.kind)
        let selfReferences = table.references.filter { $0.table == table.name }
        var pending: [[BackupValue]] = []
        var written = 0

        func flush() async throws {
            guard !pending.isEmpty else { return }
            var insert = sql.insert(into: entry.name).columns(names)
            for row in pending {
                insert = insert.values(
                    try zip(row, columns).map { value, column in
                        try value.expression(from: column.source, into: column.target, postgres: postgres)
                    })
            }
            try await insert.run()
            written += pending.count
            pending.removeAll(keepingCapacity: true)
        }

        let reader = try JSONLinesReader(url: url)
        var line = 0
        while let data = try reader.next() {
            line += 1
            let row: DecodedBackupRow
            do { row = try decoder.decode(DecodedBackupRow.self, from: data) } catch {
                throw BackupError.badRow(table: entry.name, line: line, reason: "\(error)")
            }
            pending.append(row.values)
            // A table that refers to itself is read whole and ordered before it is written.
            if selfReferences.isEmpty, pending.count >= batchSize { try await flush() }
        }
        if !selfReferences.isEmpty {
            let ordered = try SelfReferenceOrder.sort(pending, columns: names, references: selfReferences, table: entry.name)
            pending = []
            for start in stride(from: 0, to: ordered.count, by: batchSize) {
                pending = Array(ordered[start..<min(ordered.count, start + batchSize)])
                try await flush()
            }
        }
        try await flush()
        return written
    }
}

/// Reads a file line by line in 1 MB pieces; table files can be far larger than memory should hold.
final class JSONLinesReader {
    private let handle: FileHandle
    private var buffer = Data()
    private var atEnd = false

    init(url: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw BackupError.missingFile(url.lastPathComponent) }
        self.handle = handle
    }

    deinit { try? handle.close() }

    func next() throws -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                if line.isEmpty { continue }
                return Data(line)
            }
            if atEnd {
                guard !buffer.isEmpty else { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                buffer = Data(buffer) + chunk
            } else {
                atEnd = true
            }
        }
    }
}
