import Crypto
import Foundation
import KexieKit

/// `manifest.json` at the top of a backup folder: what was backed up, from where, with which key, how
/// many rows each table had, and the SHA-256 of every file written. `SHA256SUMS` beside it repeats the
/// checksums (and covers the manifest itself) in the format `sha256sum -c` reads.
public struct BackupManifest: Codable, Sendable {
    public static let formatName = "kexie-backup"
    public static let currentVersion = 1
    public static let fileName = "manifest.json"
    public static let checksumsFileName = "SHA256SUMS"
    public static let tablesFolder = "tables"

    public struct Source: Codable, Sendable {
        /// `sqlite` or `postgresql`.
        public var database: String
        /// The SQLite file, or the PostgreSQL URL without its password.
        public var location: String
    }

    /// A reference to the secret key, never the key: the operator keeps the key apart from the backups.
    public struct KeyReference: Codable, Sendable {
        /// SHA-256 of the decoded key bytes, hex (`base64 -d secret.key | sha256sum` prints the same).
        public var sha256: String
        /// Where the key was read from when the backup was made.
        public var location: String
        public var included: Bool
    }

    public struct TableEntry: Codable, Sendable {
        public var name: String
        public var file: String
        public var rows: Int
        public var columns: [DatabaseCatalog.Column]
    }

    public struct FileEntry: Codable, Sendable {
        public var path: String
        public var bytes: Int
        public var sha256: String
    }

    public var format: String
    public var version: Int
    public var createdAt: String
    public var source: Source
    public var secretKey: KeyReference
    /// Fluent migration names applied in the source database, in the order they ran.
    public var migrations: [String]
    public var tables: [TableEntry]
    public var files: [FileEntry]
    /// Files kept outside the database. Attachments (cases, plan evidence, batch results) are database
    /// columns, so this says so rather than listing files.
    public var uploads: String

    public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    static func read(from folder: URL) throws -> BackupManifest {
        let url = folder.appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw BackupError.notABackup(folder.path) }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError.notABackup(folder.path)
        }
        guard manifest.format == formatName else { throw BackupError.notABackup(folder.path) }
        guard manifest.version == currentVersion else { throw BackupError.unsupportedFormat(manifest.version) }
        return manifest
    }
}

/// The platform secret as the backup refers to it.
public enum SecretKeyFingerprint {
    public static func of(_ key: Data) -> String { Data(SHA256.hash(data: key)).hexString }

    /// Where the running configuration takes its key from, for the manifest and for messages.
    public static func location(_ configuration: KexieConfiguration) -> String {
        if configuration.secretKey != nil { return "环境变量 KEXIE_SECRET_KEY / environment variable KEXIE_SECRET_KEY" }
        return URL(fileURLWithPath: configuration.dataDirectory).appendingPathComponent("secret.key").standardizedFileURL.path
    }
}

/// SHA-256 of a file, read in 1 MB pieces.
enum FileDigest {
    static func sha256(of url: URL) throws -> (hex: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw BackupError.missingFile(url.lastPathComponent) }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            total += chunk.count
        }
        return (Data(hasher.finalize()).hexString, total)
    }
}
