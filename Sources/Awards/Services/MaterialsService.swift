import Fluent
import Foundation
import KexieKit
import Platform

/// 申报材料: the files an applicant adds to an application (the program lists what it requires). Kept in
/// Platform's file store, sealed; read by whoever may read the application.
struct MaterialsService {
    let db: any Database
    let services: PlatformServices

    static let check = UploadCheck(maxFiles: 10, maxBytes: 10 * 1_048_576, noun: "申报材料")

    /// Whoever may open the application page may read its files; anyone else gets the same 404.
    static let policy = FileOwnerPolicy(module: AwardsModule.formOwner, type: "awards.application", retentionDays: nil) {
        actor, id, db, services in
        do {
            _ = try await ApplicationPageLoader(db: db, services: services).load(id, actor: actor)
            return true
        } catch PlatformError.notFound {
            return false
        }
    }

    /// The applicant adds files while the application is waiting for its channel, nominated or returned.
    func add(_ files: [UploadedFile], to applicationID: UUID, by actor: Actor) async throws {
        guard let application = try await AwardApplication.find(applicationID, on: db), application.applicantUserID == actor.userID
        else { throw PlatformError.notFound }
        guard [.submitted, .nominated, .returned].contains(application.status) else {
            throw AwardsError.stageClosed("形式审查后不能再补充申报材料")
        }
        let owner = Self.policy.owner(applicationID)
        let existing = try await FileStore(services: services).list(owner, on: db).count
        _ = try Self.check.check(files.map { ($0.name, $0.data) }, existing: existing)
        guard files.contains(where: { !$0.data.isEmpty }) else {
            throw PlatformError.invalidInput(field: "files", message: "请选择要上传的文件")
        }
        let organizationID = application.organizationID
        try await services.writes.transaction(on: db) { tx in
            _ = try await FileStore(services: services).store(
                files, owner: owner, organizationID: organizationID, uploadedBy: actor.userID, check: Self.check, on: tx)
        }
    }

    func list(_ applicationID: UUID) async throws -> [StoredFileInfo] {
        try await FileStore(services: services).list(Self.policy.owner(applicationID), on: db)
    }
}
