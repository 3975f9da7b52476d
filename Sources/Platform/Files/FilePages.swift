import Fluent
import Foundation
import Vapor

/// `GET /files/{id}`: a stored file for those the owning module lets read its record. A file that does
/// not exist, whose owner type no module declares, or whose record the actor may not read all answer
/// the same 404, so the answer does not reveal that the file exists. A visitor gets the file when its
/// owner type lets visitors read it (a public notice's attachment) and is otherwise sent to log in.
struct FileController {
    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(PlatformRoutes.file, use: download)
    }

    func download(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        guard let actor = req.optionalActor else {
            guard let file = try await Self.readableAnonymously(id, services: req.platform, on: req.db) else {
                throw PlatformError.unauthenticated
            }
            return .download(file.content, fileName: file.info.fileName, contentType: file.info.kind.contentType)
        }
        // A logged-in user still owes a new password or an authenticator: the same as every page.
        if actor.mustChangePassword || req.mustEnrolSecondFactor {
            return try await RequireUserMiddleware().respond(to: req, chainingTo: NotReached())
        }
        guard let file = try await Self.readable(id, actor: actor, services: req.platform, on: req.db) else {
            throw PlatformError.notFound
        }
        return .download(file.content, fileName: file.info.fileName, contentType: file.info.kind.contentType)
    }

    private struct NotReached: AsyncResponder {
        func respond(to request: Request) async throws -> Response { throw PlatformError.notFound }
    }

    /// The file when its owner type lets visitors read the owning record.
    static func readableAnonymously(_ id: UUID, services: PlatformServices, on db: any Database) async throws
        -> (info: StoredFileInfo, content: Data)?
    {
        let metadata = try await StoredFile.query(on: db).filter(\.$id == id).field(\.$id).field(\.$ownerModule).field(\.$ownerType)
            .field(\.$ownerID).first()
        guard let metadata, let policy = services.registry.fileOwners[metadata.ownerType], policy.module == metadata.ownerModule,
            let mayRead = policy.mayReadAnonymously
        else { return nil }
        do {
            guard try await mayRead(metadata.ownerID, db, services) else { return nil }
        } catch let error as PlatformError where error == .notFound {
            return nil
        }
        return try await FileStore(services: services).load(id, on: db)
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
