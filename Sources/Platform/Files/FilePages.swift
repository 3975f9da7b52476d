import Fluent
import Foundation
import Vapor

/// `GET /files/{id}`: a stored file for those the owning module lets read its record. A file that does
/// not exist, whose owner type no module declares, or whose record the actor may not read all answer
/// the same 404, so the answer does not reveal that the file exists.
struct FileController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.file, use: download)
    }

    func download(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        guard let file = try await Self.readable(id, actor: actor, services: req.platform, on: req.db) else {
            throw PlatformError.notFound
        }
        return .download(file.content, fileName: file.info.fileName, contentType: file.info.kind.contentType)
    }

    /// The file and its content when the owner's module says the actor may read the owning record.
    static func readable(
        _ id: UUID, actor: Actor, services: PlatformServices, on db: any Database
    ) async throws -> (info: StoredFileInfo, content: Data)? {
        let metadata = try await StoredFile.query(on: db).filter(\.$id == id).field(\.$id).field(\.$ownerModule).field(\.$ownerType)
            .field(\.$ownerID).first()
        guard let metadata, let policy = services.registry.fileOwners[metadata.ownerType], policy.module == metadata.ownerModule
        else { return nil }
        let allowed: Bool
        do {
            allowed = try await policy.mayRead(actor, metadata.ownerID, db, services)
        } catch let error as PlatformError where error == .notFound {
            allowed = false
        }
        guard allowed else { return nil }
        return try await FileStore(services: services).load(id, on: db)
    }
}
