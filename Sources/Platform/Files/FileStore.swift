import Fluent
import Foundation
import KexieKit
import SQLKit

/// The record a stored file belongs to: the module, the kind of record and its id.
public struct FileOwner: Sendable, Hashable {
    public let module: String
    public let type: String
    public let id: UUID

    public init(module: String, type: String, id: UUID) {
        self.module = module
        self.type = type
        self.id = id
    }
}

/// What a module declares for each kind of record that keeps files: how long a file is kept, and who
/// may read it (asked by `GET /files/{id}` with the file's owner id). `ModuleRegistry` collects them.
public struct FileOwnerPolicy: Sendable {
    public let module: String
    public let type: String
    /// Days a file is kept after it is stored; nil keeps it as long as its record.
    public let retentionDays: Int?
    /// Whether the actor may read the owning record. False (or a `notFound`) answers 404.
    public let mayRead: @Sendable (Actor, UUID, any Database, PlatformServices) async throws -> Bool
    /// Whether a visitor (no one logged in) may read it: public notices' attachments. Nil: visitors are
    /// sent to log in, as for every record that is not public.
    public let mayReadAnonymously: (@Sendable (UUID, any Database, PlatformServices) async throws -> Bool)?

    public init(
        module: String, type: String, retentionDays: Int?,
        mayReadAnonymously: (@Sendable (UUID, any Database, PlatformServices) async throws -> Bool)? = nil,
        mayRead: @escaping @Sendable (Actor, UUID, any Database, PlatformServices) async throws -> Bool
    ) {
        self.module = module
        self.type = type
        self.retentionDays = retentionDays
        self.mayReadAnonymously = mayReadAnonymously
        self.mayRead = mayRead
    }

    public func owner(_ id: UUID) -> FileOwner { FileOwner(module: module, type: type, id: id) }
}

/// A file as lists show it: everything but the content.
public struct StoredFileInfo: Sendable, Equatable {
    public let id: UUID
    public let owner: FileOwner
    public let fileName: String
    public let kind: FileKind
    public let size: Int
    public let createdAt: Date?

    /// "证明.pdf（PDF，1 KB）"
    public var label: String { "\(fileName)（\(kind.label)，\(max(1, size / 1024)) KB）" }
    /// The one download link, scope-checked by the owner's module.
    public var link: String { PlatformRoutes.file(id) }
}

/// An uploaded file before it is checked and stored.
public struct UploadedFile: Sendable {
    public let name: String
    public let data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// The one way modules keep files: checked by `UploadCheck` (count per owner, size, kind by content),
/// sealed at rest, listed without their content, served by `GET /files/{id}` after the owner's module
/// says the actor may read the record, deleted with their record (`deleteAll`) or when their
/// retention ends (`purgeExpired`, the `platform.purge_files` job).
public struct FileStore: Sendable {
    let services: PlatformServices

    public init(services: PlatformServices) {
        self.services = services
    }

    /// Checks and stores `files` (empty ones are skipped) for `owner`; the owner's existing files count
    /// towards `check.maxFiles`. Run it inside the transaction that writes the owning record.
    @discardableResult
    public func store(
        _ files: [UploadedFile], owner: FileOwner, organizationID: UUID, uploadedBy: UUID?, check: UploadCheck, on db: any Database
    ) async throws -> [StoredFileInfo] {
        guard let policy = services.registry.fileOwners[owner.type], policy.module == owner.module else {
            throw PlatformError.internalError
        }
        let present = files.filter { !$0.data.isEmpty }
        guard !present.isEmpty else { return [] }
        let existing = try await StoredFile.query(on: db).filter(\.$ownerType == owner.type).filter(\.$ownerID == owner.id).count()
        let kinds = try check.check(present.map { ($0.name, $0.data) }, existing: existing)
        let now = services.clock()
        let retainUntil = policy.retentionDays.map { now.addingTimeInterval(Double($0) * 86_400) }
        var stored: [StoredFileInfo] = []
        for (file, kind) in zip(present, kinds) {
            let record = StoredFile()
            record.ownerModule = owner.module
            record.ownerType = owner.type
            record.ownerID = owner.id
            record.organizationID = organizationID
            record.fileName = String(file.name.prefix(200))
            record.kind = kind
            record.size = file.data.count
            record.sha256 = Digest.sha256Hex(file.data)
            record.content = try services.secrets.seal(file.data)
            record.uploadedBy = uploadedBy
            record.retainUntil = retainUntil
            try await record.create(on: db)
            stored.append(try Self.info(record))
        }
        return stored
    }

    /// The owner's files, oldest first, without loading their content.
    public func list(_ owner: FileOwner, on db: any Database) async throws -> [StoredFileInfo] {
        try await list(type: owner.type, ids: [owner.id], on: db)
    }

    /// The files of several records of one type (a task's reports), oldest first, without content.
    public func list(type: String, ids: [UUID], on db: any Database) async throws -> [StoredFileInfo] {
        guard !ids.isEmpty else { return [] }
        return try await StoredFile.query(on: db).filter(\.$ownerType == type).filter(\.$ownerID ~~ ids)
            .field(\.$id).field(\.$ownerModule).field(\.$ownerType).field(\.$ownerID).field(\.$fileName).field(\.$kind)
            .field(\.$size).field(\.$createdAt).sort(\.$createdAt).sort(\.$id).all()
            .map(Self.info)
    }

    /// One file with its opened content, or nil when there is none with that id.
    public func load(_ id: UUID, on db: any Database) async throws -> (info: StoredFileInfo, content: Data)? {
        guard let record = try await StoredFile.find(id, on: db) else { return nil }
        return (try Self.info(record), try services.secrets.open(record.content))
    }

    /// Deletes the owner's files: the owning module calls it when it deletes the record, in the same
    /// transaction. (No module deletes cases or progress reports today.)
    public func deleteAll(_ owner: FileOwner, on db: any Database) async throws {
        let records = try await StoredFile.query(on: db).filter(\.$ownerType == owner.type).filter(\.$ownerID == owner.id)
            .field(\.$id).field(\.$ownerModule).field(\.$ownerType).field(\.$ownerID).field(\.$fileName).all()
        // One by one, so each deletion is audited.
        for record in records { try await record.delete(on: db) }
    }

    /// Deletes the files whose retention has ended; returns how many.
    @discardableResult
    public func purgeExpired(on db: any Database) async throws -> Int {
        let records = try await StoredFile.query(on: db).filter(\.$retainUntil < services.clock())
            .field(\.$id).field(\.$ownerModule).field(\.$ownerType).field(\.$ownerID).field(\.$fileName).limit(500).all()
        for record in records {
            try await services.writes.transaction(on: db) { tx in try await record.delete(on: tx) }
        }
        return records.count
    }

    static func info(_ record: StoredFile) throws -> StoredFileInfo {
        StoredFileInfo(
            id: try record.requireID(), owner: record.owner, fileName: record.fileName, kind: record.kind, size: record.size,
            createdAt: record.createdAt)
    }
}
