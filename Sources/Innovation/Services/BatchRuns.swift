import Fluent
import Foundation
import KexieKit
import Platform

/// Batch matching for a 对接会: a list of demands (XLSX, CSV or JSON Lines with id, title,
/// description, industry, region) ranked against every published supply in the background, with
/// progress, into an XLSX table. Each run is a row of `innovation_batch_runs` holding its progress and,
/// once finished, the table itself, so the secretary who prepared a meeting's list can download it again
/// days later, after a restart, or from another instance behind the same PostgreSQL. Runs belong to the
/// person who started them; the newest `keptPerOwner` are kept.
struct BatchRuns {
    let db: any Database
    let services: PlatformServices

    static let keptPerOwner = 20
    static let maxDemands = 10_000
    /// A running run whose progress has not moved for this long died with its process (ranking 64
    /// demands against 100,000 supplies takes well under a second).
    static let staleAfter: TimeInterval = 300

    /// What the pages show of a run, without its table.
    struct Status: Sendable {
        let id: UUID
        let fileName: String
        let total: Int
        let done: Int
        let state: BatchRun.State
        let error: String?
        let seconds: Double?
        let startedAt: Date
        let hasResult: Bool
    }

    /// Reads the uploaded list. Headers may be English (id, title, …) or Chinese (编号, 需求名称, …).
    static func parse(fileName: String, data: Data) throws -> [MatchRecord] {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") {
            do {
                return try validate(try JSONLines.decode(MatchRecord.self, from: data), field: "file", firstLine: 1, unit: "条")
            } catch let error as JSONLines.LineError {
                throw PlatformError.invalidInput(field: "file", message: error.description)
            }
        }
        let rows: [[String]]
        if lower.hasSuffix(".xlsx") {
            guard let reader = try? XLSXReader(data: data), let read = try? reader.rows() else {
                throw PlatformError.invalidInput(field: "file", message: "无法读取该 XLSX 文件，请确认是 Excel 2007 及以上格式")
            }
            rows = read
        } else if lower.hasSuffix(".csv") {
            guard let read = try? CSVReader().read(data) else {
                throw PlatformError.invalidInput(field: "file", message: "无法读取该 CSV 文件，请使用 UTF-8 编码")
            }
            rows = read
        } else {
            throw PlatformError.invalidInput(field: "file", message: "请上传 .xlsx、.csv 或 .jsonl 文件")
        }
        guard let header = rows.first else { throw PlatformError.invalidInput(field: "file", message: "文件是空的") }
        let names: [String: [String]] = [
            "id": ["id", "编号", "需求编号", "序号"], "title": ["title", "标题", "需求名称", "名称"],
            "description": ["description", "描述", "需求描述", "内容", "问题描述"], "industry": ["industry", "行业", "所属行业"],
            "region": ["region", "地区", "所在地区"],
        ]
        var column: [String: Int] = [:]
        for (index, cell) in header.enumerated() {
            let name = cell.trimmingCharacters(in: .whitespaces).lowercased()
            for (key, aliases) in names where aliases.contains(name) && column[key] == nil { column[key] = index }
        }
        guard column["id"] != nil, column["title"] != nil else {
            throw PlatformError.invalidInput(field: "file", message: "第 1 行需有列名 id（编号）和 title（需求名称）")
        }
        var records: [MatchRecord] = []
        for row in rows.dropFirst() {
            func cell(_ key: String) -> String {
                guard let index = column[key], index < row.count else { return "" }
                return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // Blank rows keep their place so the line numbers in messages match the file.
            records.append(
                MatchRecord(
                    id: .string(cell("id")), title: cell("title"), description: cell("description"),
                    industry: cell("industry").nilIfEmpty, region: cell("region").nilIfEmpty))
        }
        return try validate(records, field: "file", firstLine: 2)
    }

    /// The rules every list follows, however it arrived: each demand has an id, unique in the list, and
    /// a title or a description; at least one and at most 10,000. Wholly blank records are dropped.
    /// `firstLine` is the line (or, from the API, the position) of the first record, for the messages.
    static func validate(_ input: [MatchRecord], field: String, firstLine: Int, unit: String = "行") throws -> [MatchRecord] {
        var records: [MatchRecord] = []
        var seen: Set<String> = []
        for (offset, record) in input.enumerated() {
            let id = record.id.description.trimmingCharacters(in: .whitespacesAndNewlines)
            let title = record.title.trimmingCharacters(in: .whitespacesAndNewlines)
            let description = record.description.trimmingCharacters(in: .whitespacesAndNewlines)
            if id.isEmpty && title.isEmpty && description.isEmpty && record.industry == nil && record.region == nil { continue }
            let line = offset + firstLine
            guard !id.isEmpty else { throw PlatformError.invalidInput(field: field, message: "第 \(line) \(unit)缺少编号（id）") }
            guard seen.insert(id).inserted else {
                throw PlatformError.invalidInput(field: field, message: "第 \(line) \(unit)编号“\(id)”重复")
            }
            guard !title.isEmpty || !description.isEmpty else {
                throw PlatformError.invalidInput(field: field, message: "第 \(line) \(unit)缺少需求名称和描述")
            }
            records.append(record)
        }
        guard !records.isEmpty else { throw PlatformError.invalidInput(field: field, message: "清单中没有需求") }
        guard records.count <= maxDemands else {
            throw PlatformError.invalidInput(field: field, message: "一次最多匹配 \(maxDemands) 项需求")
        }
        return records
    }

    /// Records the run, starts ranking in the background and returns the run's id at once. The
    /// ranking writes its progress and result through `writer`, a database that outlives the request.
    func start(
        records: [MatchRecord], fileName: String, entry: MatchCatalog.Entry, top: Int, ownerID: UUID, writer: any Database
    ) async throws -> UUID {
        let now = services.clock()
        let run = BatchRun()
        run.ownerID = ownerID
        run.fileName = String(fileName.prefix(200))
        run.top = top
        run.total = records.count
        run.done = 0
        run.state = .running
        run.startedAt = now
        run.touchedAt = now
        try await db.transaction { db in
            try await run.create(on: db)
            try await Self.forgetOld(ownerID: ownerID, on: db)
        }
        let id = try run.requireID()
        let clock = services.clock
        Task.detached {
            await Self.rank(id: id, records: records, entry: entry, top: top, on: writer, clock: clock)
        }
        return id
    }

    private static func rank(
        id: UUID, records: [MatchRecord], entry: MatchCatalog.Entry, top: Int, on db: any Database, clock: @escaping @Sendable () -> Date
    ) async {
        let began = ContinuousClock.now
        var results: [[Match]] = []
        let profiles = records.map { $0.profile(kind: .demand) }
        do {
            // Chunks so the progress moves; each chunk is spread over the cores.
            for start in stride(from: 0, to: profiles.count, by: 64) {
                let chunk = Array(profiles[start..<min(profiles.count, start + 64)])
                results += await entry.index.rank(chunk, top: top)
                try await BatchRun.query(on: db).filter(\.$id == id)
                    .set(\.$done, to: results.count).set(\.$touchedAt, to: clock()).update()
            }
            let data = try table(records: records, results: results, entry: entry)
            let matches = try BatchMatching.encode(
                zip(records, results).map { record, matches in
                    DemandMatches(
                        demand: record.id, matches: matches.map { SupplyMatch(supply: $0.id, score: $0.score, reasons: $0.reasons) })
                })
            let elapsed = ContinuousClock.now - began
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            try await BatchRun.query(on: db).filter(\.$id == id)
                .set(\.$state, to: .done).set(\.$result, to: data).set(\.$resultBytes, to: data.count)
                .set(\.$matches, to: matches)
                .set(\.$seconds, to: seconds).set(\.$touchedAt, to: clock()).update()
        } catch {
            try? await BatchRun.query(on: db).filter(\.$id == id)
                .set(\.$state, to: .failed).set(\.$error, to: "生成匹配结果失败：\(error)")
                .set(\.$touchedAt, to: clock()).update()
        }
    }

    /// Keeps the owner's newest runs; the older ones (and their tables) go.
    private static func forgetOld(ownerID: UUID, on db: any Database) async throws {
        let ids = try await BatchRun.query(on: db).filter(\.$ownerID == ownerID).sort(\.$startedAt, .descending).field(\.$id).all()
            .compactMap(\.id).dropFirst(keptPerOwner)
        if !ids.isEmpty { try await BatchRun.query(on: db).filter(\.$id ~~ Array(ids)).delete() }
    }

    /// The run if the owner started it; to anyone else it does not exist.
    func status(_ id: UUID, ownerID: UUID) async throws -> Status? {
        try await summaries().filter(\.$id == id).filter(\.$ownerID == ownerID).first().map(status)
    }

    /// The owner's runs, newest first.
    func recent(ownerID: UUID) async throws -> [Status] {
        try await summaries().filter(\.$ownerID == ownerID).sort(\.$startedAt, .descending).limit(Self.keptPerOwner).all().map(status)
    }

    /// The finished table, or nil.
    func result(_ id: UUID, ownerID: UUID) async throws -> (fileName: String, data: Data)? {
        guard let run = try await BatchRun.query(on: db).filter(\.$id == id).filter(\.$ownerID == ownerID).first(),
            let data = run.result
        else { return nil }
        return (run.fileName, data)
    }

    /// The finished ranking as `kexie match` prints it (supply ids are posting ids), or nil.
    func matches(_ id: UUID, ownerID: UUID) async throws -> [DemandMatches]? {
        guard
            let run = try await BatchRun.query(on: db).filter(\.$id == id).filter(\.$ownerID == ownerID)
                .field(\.$id).field(\.$matches).first(), let data = run.matches
        else { return nil }
        return try JSONDecoder().decode([DemandMatches].self, from: data)
    }

    /// Every column but the table, which can be megabytes.
    private func summaries() -> QueryBuilder<BatchRun> {
        BatchRun.query(on: db).field(\.$id).field(\.$ownerID).field(\.$fileName).field(\.$top).field(\.$total).field(\.$done)
            .field(\.$state).field(\.$error).field(\.$seconds).field(\.$startedAt).field(\.$touchedAt).field(\.$resultBytes)
    }

    private func status(_ run: BatchRun) throws -> Status {
        var state = run.state
        var error = run.error
        if state == .running, services.clock().timeIntervalSince(run.touchedAt) > Self.staleAfter {
            state = .failed
            error = "匹配已中断（服务曾重启或出错），请重新上传需求清单"
        }
        return Status(
            id: try run.requireID(), fileName: run.fileName, total: run.total, done: run.done, state: state, error: error,
            seconds: run.seconds, startedAt: run.startedAt, hasResult: (run.resultBytes ?? 0) > 0)
    }

    /// One row per (demand, rank): the demand, the supply, its holder, the score and the reasons.
    static func table(records: [MatchRecord], results: [[Match]], entry: MatchCatalog.Entry) throws -> Data {
        var rows: [[SpreadsheetCell]] = []
        for (record, matches) in zip(records, results) {
            if matches.isEmpty {
                rows.append([.text(record.id.description), .text(record.title), "", .text("未找到匹配成果"), "", "", "", ""])
            }
            for (rank, match) in matches.enumerated() {
                let id = UUID(uuidString: match.id.description)
                let supply = id.flatMap { entry.postings[$0] }
                rows.append([
                    .text(record.id.description), .text(record.title), .number(Double(rank + 1)), .text(supply?.title ?? ""),
                    .text(supply?.ownerName ?? ""), .number(match.score), .text(match.reasons.joined(separator: "；")),
                    .text(id.map { InnovationRoutes.posting($0) } ?? ""),
                ])
            }
        }
        return try XLSXWriter().write([
            SpreadsheetSheet(name: "匹配结果", header: ["需求编号", "需求名称", "名次", "成果名称", "成果持有方", "匹配度", "匹配理由", "成果链接"], rows: rows)
        ])
    }
}
