import Foundation
import KexieKit
import Platform
import Vapor

/// `/api/v1/match-batches`: the 对接会 batch matching for systems that collect a meeting's demands
/// themselves. Same runs as the page (an upload there and a POST here land in the same list), and the
/// finished ranking in the shape `kexie match` prints, with posting ids as the supplies' ids.
struct BatchAPIController: Sendable {
    let catalog: MatchCatalog

    func register(api: any RoutesBuilder) {
        // 10,000 demands with long descriptions stay well inside this.
        api.upload(.POST, InnovationRoutes.apiMatchBatches, maxBytes: 24 << 20, use: start)
        api.get(InnovationRoutes.apiMatchBatches, use: list)
        api.get(InnovationRoutes.apiMatchBatch, use: show)
        api.get(InnovationRoutes.apiMatchBatchResult, use: table)
    }

    struct RunDTO: Content {
        let id: UUID
        let name: String
        let state: String
        let done: Int
        let total: Int
        let seconds: Double?
        let error: String?
        let startedAt: String
        /// Present once the run is done: one entry per demand in the order sent, matches best first.
        let results: [DemandMatches]?

        init(_ status: BatchRuns.Status, results: [DemandMatches]? = nil) {
            id = status.id
            name = status.fileName
            state = status.state.rawValue
            done = status.done
            total = status.total
            seconds = status.seconds
            error = status.error
            startedAt = ISO8601DateFormatter().string(from: status.startedAt)
            self.results = results
        }
    }

    struct RunListDTO: Content {
        let items: [RunDTO]
    }

    struct StartBody: Decodable {
        var name: String?
        var top: Int?
        var demands: [MatchRecord]
    }

    func start(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.review)
        let body = try req.jsonBody(StartBody.self)
        let top = body.top ?? 10
        guard (1...50).contains(top) else { throw PlatformError.invalidInput(field: "top", message: "每项需求列出的成果数为 1 到 50") }
        let records = try BatchRuns.validate(body.demands, field: "demands", firstLine: 1, unit: "项")
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty ?? "API 提交的需求清单"
        let runs = BatchRuns(db: req.db, services: req.platform)
        let entry = try await catalog.entry(.supply, on: req.db)
        let id = try await runs.start(
            records: records, fileName: name, entry: entry, top: top, ownerID: actor.userID, writer: req.application.db)
        guard let status = try await runs.status(id, ownerID: actor.userID) else { throw PlatformError.notFound }
        let response = try await RunDTO(status).encodeResponse(status: .accepted, for: req)
        response.headers.replaceOrAdd(name: .location, value: InnovationRoutes.apiMatchBatch(id))
        return response
    }

    func list(_ req: Request) async throws -> RunListDTO {
        let actor = try req.actor
        try actor.require(InnovationPermission.review)
        let runs = try await BatchRuns(db: req.db, services: req.platform).recent(ownerID: actor.userID)
        return RunListDTO(items: runs.map { RunDTO($0) })
    }

    /// A run is visible only to the account that started it; to any other it does not exist.
    func show(_ req: Request) async throws -> RunDTO {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let runs = BatchRuns(db: req.db, services: req.platform)
        guard let status = try await runs.status(id, ownerID: actor.userID) else { throw PlatformError.notFound }
        let results = status.state == .done ? try await runs.matches(id, ownerID: actor.userID) : nil
        return RunDTO(status, results: results)
    }

    func table(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let result = try await BatchRuns(db: req.db, services: req.platform).result(try req.uuidParameter(), ownerID: actor.userID)
        else { throw PlatformError.notFound }
        try await ExportAudit.record(req, name: "匹配结果-\((result.fileName as NSString).deletingPathExtension)", rows: 0, format: "xlsx")
        return .download(
            result.data, fileName: "匹配结果-\((result.fileName as NSString).deletingPathExtension).xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
