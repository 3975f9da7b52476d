import Crypto
import Fluent
import Foundation
import KexieKit
import SQLKit

/// Writes a backup folder: one JSON Lines file per table, read inside one transaction so every table
/// comes from the same moment (SQLite's write-ahead log and PostgreSQL's repeatable-read snapshot both
/// let the server keep writing meanwhile), then the manifest and `SHA256SUMS`.
///
/// The backup only reads. On SQLite a second process that writes can make a request of the running
/// server fail (two writers), and on PostgreSQL it lets the backup run under a read-only role.
/// The folder is assembled under a temporary name beside the destination and renamed at the end, so a
/// folder with the destination's name is always a complete backup.
public struct BackupWriter: Sendable {
    let db: any Database
    let configuration: KexieConfiguration
    let secret: Data
    let clock: @Sendable () -> Date

    public init(db: any Database, configuration: KexieConfiguration, secret: Data, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.db = db
        self.configuration = configuration
        self.secret = secret
        self.clock = clock
    }

    public struct Result: Sendable {
        public let manifest: BackupManifest
        public let folder: URL
    }

    /// - Parameter progress: called after each table with its name and row count.
    public func write(to path: String, progress: @escaping @Sendable (String, Int) -> Void = { _, _ in }) async throws -> Result {
        let destination = URL(fileURLWithPath: path).standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, (try fm.contentsOfDirectory(atPath: destination.path)).isEmpty else {
                throw BackupError.destinationNotEmpty(destination.path)
            }
        }
        let parent = destination.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(Digest.randomToken(byteCount: 6))")
        try fm.createDirectory(at: staging, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        do {
            let manifest = try await writeContents(into: staging, progress: progress)
            if fm.fileExists(atPath: destination.path) { try fm.removeItem(at: destination) }  // the empty folder checked above
            try fm.moveItem(at: staging, to: destination)
            Self.synchronizeDirectory(parent)
            return Result(manifest: manifest, folder: destination)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }

    private func writeContents(into folder: URL, progress: @escaping @Sendable (String, Int) -> Void) async throws -> BackupManifest {
        let tablesFolder = folder.appendingPathComponent(BackupManifest.tablesFolder)
        try FileManager.default.createDirectory(
            at: tablesFolder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let isPostgres = configuration.database.isPostgres
        let startedAt = clock()
        let snapshot = try await db.transaction {
            tx -> (tables: [BackupManifest.TableEntry], files: [BackupManifest.FileEntry], migrations: [String]) in
            guard let sql = tx as? any SQLDatabase else { throw BackupError.unsupportedDatabase }
            if isPostgres {
                // Must be the transaction's first statement: every later read sees this one snapshot.
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            let catalog = try await DatabaseCatalog.read(sql)
            guard catalog.tables[DatabaseCatalog.migrationsTable] != nil, !catalog.dataTables.isEmpty else {
                throw BackupError.nothingToBackUp
            }
            let migrations = try await sql.raw(
                "SELECT name FROM \(ident: DatabaseCatalog.migrationsTable) ORDER BY batch, created_at, name"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            var tables: [BackupManifest.TableEntry] = []
            var files: [BackupManifest.FileEntry] = []
            for table in catalog.dataTables {
                let relative = "\(BackupManifest.tablesFolder)/\(table.name).jsonl"
                let written = try await TableDump.write(table, from: sql, to: folder.appendingPathComponent(relative))
                tables.append(.init(name: table.name, file: relative, rows: written.rows, columns: table.columns))
                files.append(.init(path: relative, bytes: written.bytes, sha256: written.sha256))
                progress(table.name, written.rows)
            }
            return (tables, files, migrations)
        }
        var files = snapshot.files
        let notes = Data(Self.readme(createdAt: startedAt).utf8)
        try Self.writeFile(notes, to: folder.appendingPathComponent("README.txt"))
        files.append(.init(path: "README.txt", bytes: notes.count, sha256: Data(SHA256.hash(data: notes)).hexString))
        let manifest = BackupManifest(
            format: BackupManifest.formatName, version: BackupManifest.currentVersion, createdAt: AuditTime.format(startedAt),
            source: source(),
            secretKey: .init(
                sha256: SecretKeyFingerprint.of(secret), location: SecretKeyFingerprint.location(configuration), included: false),
            migrations: snapshot.migrations, tables: snapshot.tables, files: files,
            uploads: "附件（诉求附件、工作计划佐证材料、批量匹配结果）存放在数据库列中，已随各表备份；数据目录中没有其他上传文件 / "
                + "attachments (case files, plan evidence, batch results) are database columns and are in the table files; "
                + "no uploads are kept on disk")
        let manifestData = try manifest.encoded()
        try Self.writeFile(manifestData, to: folder.appendingPathComponent(BackupManifest.fileName))
        var sums = files.map { "\($0.sha256)  \($0.path)\n" }
        sums.append("\(Data(SHA256.hash(data: manifestData)).hexString)  \(BackupManifest.fileName)\n")
        try Self.writeFile(
            Data(sums.sorted { $0.dropFirst(66) < $1.dropFirst(66) }.joined().utf8),
            to: folder.appendingPathComponent(BackupManifest.checksumsFileName))
        Self.synchronizeDirectory(tablesFolder)
        Self.synchronizeDirectory(folder)
        return manifest
    }

    private func source() -> BackupManifest.Source {
        switch configuration.database {
        case .sqliteFile(let path):
            return .init(database: "sqlite", location: URL(fileURLWithPath: path).standardizedFileURL.path)
        case .sqliteMemory:
            return .init(database: "sqlite", location: ":memory:")
        case .postgres(let url):
            var components = URLComponents(string: url)
            if components?.password != nil { components?.password = "***" }
            return .init(database: "postgresql", location: components?.string ?? "postgres://…")
        }
    }

    /// Writes and flushes to disk: a backup that exists only in the page cache is not a backup yet.
    static func writeFile(_ data: Data, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: url.path)
        else { throw BackupError.cannotWrite(url.path) }
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    }

    /// Flushes a folder's entries (new files, the final rename); best effort where a platform refuses it.
    static func synchronizeDirectory(_ url: URL) {
        let descriptor = open(url.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }

    static func readme(createdAt: Date) -> String {
        """
        Kexie 备份 / Kexie backup — \(AuditTime.format(createdAt))

        恢复 / restore:
          KEXIE_DATA_DIR=<空数据目录 / empty data folder> kexie restore <本目录 / this folder>
          （PostgreSQL：另设 DATABASE_URL=<空数据库 / empty database>）

        本备份不含密钥 secret.key。恢复前请把备份时使用的密钥放入新的数据目录，或设置相同的 KEXIE_SECRET_KEY；
        manifest.json 中的 secretKey.sha256 是它的指纹（base64 -d secret.key | sha256sum）。
        This backup does not contain the secret key. Before restoring, put the key the backup was made with
        into the new data folder (or set the same KEXIE_SECRET_KEY); manifest.json names its SHA-256.

        校验 / verify:  sha256sum -c SHA256SUMS
        本目录含个人信息，请按敏感数据保管 / this folder holds personal data: keep it as such.

        """
    }
}

/// Streams one table into a JSON Lines file while hashing what it writes.
enum TableDump {
    struct Written {
        let rows: Int
        let bytes: Int
        let sha256: String
    }

    static func write(_ table: DatabaseCatalog.Table, from sql: any SQLDatabase, to url: URL) async throws -> Written {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: url.path)
        else { throw BackupError.cannotWrite(url.path) }
        let sink = Sink(handle: handle, columns: table.columns)
        // A stable order makes two backups of the same data identical file for file.
        var query = sql.select().columns(table.columns.map(\.name)).from(table.name)
        for column in table.primaryKey.isEmpty ? table.columns.map(\.name) : table.primaryKey { query = query.orderBy(column) }
        do {
            try await query.run { row in sink.consume(row) }
            try sink.finish()
        } catch {
            try? handle.close()
            throw error
        }
        return Written(rows: sink.rows, bytes: sink.bytes, sha256: sink.digest)
    }

    /// Receives rows on the database's thread one at a time (the query calls it serially).
    private final class Sink: @unchecked Sendable {
        let handle: FileHandle
        let columns: [DatabaseCatalog.Column]
        let encoder: JSONEncoder
        var buffer = Data()
        var hasher = SHA256()
        var rows = 0
        var bytes = 0
        var digest = ""
        var failure: (any Error)?

        init(handle: FileHandle, columns: [DatabaseCatalog.Column]) {
            self.handle = handle
            self.columns = columns
            encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
        }

        func consume(_ row: any SQLRow) {
            guard failure == nil else { return }
            do {
                let values = try columns.map { try BackupValue.read(row, column: $0) }
                buffer.append(try encoder.encode(BackupRow(values: values)))
                buffer.append(0x0A)
                rows += 1
                if buffer.count >= 1 << 20 { try flush() }
            } catch {
                failure = error
            }
        }

        private func flush() throws {
            hasher.update(data: buffer)
            bytes += buffer.count
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }

        func finish() throws {
            if let failure { throw failure }
            try flush()
            try handle.synchronize()
            try handle.close()
            digest = Data(hasher.finalize()).hexString
        }
    }
}
