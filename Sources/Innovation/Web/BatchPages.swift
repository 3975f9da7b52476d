import Foundation
import KexieKit
import Platform
import Vapor

struct BatchUploadPage: Sendable {
    let shell: PageShell
    let action: String
    let templateLink: String
    let top: String
    let maxMegabytes: Int
    let errors: [String: String]
    let error: String?
    let runs: [BatchRunRow]
}

struct BatchRunRow: Encodable, Sendable {
    let fileName: String
    let link: String
    let startedAt: String
    let total: Int
    let stateLabel: String
    let stateClass: String
    let downloadLink: String?

    init(_ status: BatchRuns.Status) {
        fileName = status.fileName
        link = InnovationRoutes.batchJob(status.id)
        startedAt = ChineseDate.dateTime(status.startedAt)
        total = status.total
        switch status.state {
        case .running: stateLabel = "匹配中 \(status.total == 0 ? 0 : status.done * 100 / status.total)%"
        case .done: stateLabel = "已完成"
        case .failed: stateLabel = "失败"
        }
        stateClass = status.state.rawValue
        downloadLink = status.hasResult ? InnovationRoutes.batchResult(status.id) : nil
    }
}

struct BatchJobPage: Sendable {
    let shell: PageShell
    let fileName: String
    let running: Bool
    let done: Int
    let total: Int
    let percent: Int
    let failure: String?
    let seconds: String?
    let downloadLink: String?
    let uploadLink: String
}

/// 批量匹配 for a 对接会: staff upload the meeting's list of demands, every one is ranked against all
/// published supplies in the background, and the person who started it downloads the table, then or later.
struct BatchController {
    let catalog: MatchCatalog

    static let maxBytes = 20 * 1_048_576

    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.batch, use: form)
        web.get(InnovationRoutes.batchTemplate, use: template)
        // Collected a little above the limit so an oversized file gets the message beside the field
        // rather than a bare 413.
        web.upload(.POST, InnovationRoutes.batch, maxBytes: 24 << 20, use: upload)
        web.get(InnovationRoutes.batchJob, use: job)
        web.get(InnovationRoutes.batchResult, use: result)
    }

    func form(_ req: Request) async throws -> Response {
        try req.actor.require(InnovationPermission.review)
        return try await formPage(req, top: "10", errors: [:])
    }

    private func formPage(_ req: Request, top: String, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response
    {
        let runs = try await BatchRuns(db: req.db, services: req.platform).recent(ownerID: try req.actor.userID)
        return try await BatchUploadPage(
            shell: await PageShell.build(for: req, title: "批量匹配"), action: InnovationRoutes.batch(),
            templateLink: InnovationRoutes.batchTemplate(), top: top, maxMegabytes: Self.maxBytes / 1_048_576, errors: errors,
            error: errors.isEmpty ? nil : "未能开始匹配，请按提示修改", runs: runs.map(BatchRunRow.init)
        ).render(req, status: status)
    }

    func template(_ req: Request) async throws -> Response {
        try req.actor.require(InnovationPermission.review)
        let data = CSVWriter().write(
            header: ["编号", "需求名称", "需求描述", "行业", "地区"],
            rows: [
                ["D001", "储能电芯循环寿命提升", "储能电站用电芯循环寿命不足 3000 次，需提升正极材料稳定性", "C", "云海省东港市"],
                ["D002", "胶园割胶效率提升", "胶工短缺，希望降低割胶频率并保持产量", "A 农、林、牧、渔业", "云海省"],
            ])
        return .download(data, fileName: "批量匹配需求清单模板.csv", contentType: "text/csv; charset=utf-8")
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.review)
        // A multipart body does not decode as [String: String] (the file is not a string).
        struct Form: Content {
            var file: File?
            var top: String?
        }
        let form = try? req.content.decode(Form.self)
        let file = form?.file
        let topText = (form?.top ?? "").trimmingCharacters(in: .whitespaces)
        guard let top = topText.isEmpty ? 10 : Int(topText), (1...50).contains(top) else {
            return try await formPage(req, top: topText, errors: ["top": "每项需求列出的成果数为 1 到 50"], status: .unprocessableEntity)
        }
        guard let file, file.data.readableBytes > 0 else {
            return try await formPage(
                req, top: topText, errors: ["file": "请选择需求清单文件（.xlsx、.csv 或 .jsonl）"], status: .unprocessableEntity)
        }
        guard file.data.readableBytes <= Self.maxBytes else {
            return try await formPage(
                req, top: topText, errors: ["file": "“\(file.filename)”超过 \(Self.maxBytes / 1_048_576) MB"], status: .unprocessableEntity)
        }
        let records: [MatchRecord]
        do {
            records = try BatchRuns.parse(fileName: file.filename, data: Data(buffer: file.data))
        } catch PlatformError.invalidInput(let field, let message) {
            return try await formPage(req, top: topText, errors: [field ?? "file": message], status: .unprocessableEntity)
        }
        let entry = try await catalog.entry(.supply, on: req.db)
        let id = try await BatchRuns(db: req.db, services: req.platform).start(
            records: records, fileName: file.filename, entry: entry, top: top, ownerID: actor.userID, writer: req.application.db)
        return req.redirect(to: InnovationRoutes.batchJob(id))
    }

    /// Runs are visible only to the person who started them; to anyone else they do not exist.
    func job(_ req: Request) async throws -> Response {
        let runs = BatchRuns(db: req.db, services: req.platform)
        guard let status = try await runs.status(try req.uuidParameter(), ownerID: try req.actor.userID) else {
            throw PlatformError.notFound
        }
        return try await BatchJobPage(
            shell: await PageShell.build(for: req, title: "批量匹配：\(status.fileName)"), fileName: status.fileName,
            running: status.state == .running, done: status.done, total: status.total,
            percent: status.total == 0 ? 100 : status.done * 100 / status.total,
            failure: status.state == .failed ? (status.error ?? "匹配失败") : nil,
            seconds: status.seconds.map { String(format: "%.1f", $0) },
            downloadLink: status.hasResult ? InnovationRoutes.batchResult(status.id) : nil,
            uploadLink: InnovationRoutes.batch()
        ).render(req)
    }

    func result(_ req: Request) async throws -> Response {
        let runs = BatchRuns(db: req.db, services: req.platform)
        guard let result = try await runs.result(try req.uuidParameter(), ownerID: try req.actor.userID) else {
            throw PlatformError.notFound
        }
        let base = (result.fileName as NSString).deletingPathExtension
        try await ExportAudit.record(req, name: "匹配结果-\(base)", rows: 0, format: "xlsx")
        return .download(
            result.data, fileName: "匹配结果-\(base).xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
