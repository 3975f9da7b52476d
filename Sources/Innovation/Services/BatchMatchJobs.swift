import Foundation
import KexieKit
import Platform
import Synchronization

/// Batch matching for a 对接会: a list of demands (XLSX, CSV or JSON Lines with id, title,
/// description, industry, region) ranked against every published supply, in the background with
/// progress, into an XLSX table. Jobs live in memory (a meeting's list takes seconds to minutes); the
/// last few per application are kept for download, each only for the person who started it.
final class BatchMatchJobs: Sendable {
    struct Status: Sendable {
        let id: UUID
        let ownerID: UUID
        let fileName: String
        var total: Int
        var done = 0
        var finished = false
        var error: String?
        var result: Data?
        var startedAt: Date
        var seconds: Double?
    }

    private let jobs = Mutex<[UUID: Status]>([:])
    private let capacity = 20

    /// Reads the uploaded list. Headers may be English (id, title, …) or Chinese (编号, 需求名称, …).
    static func parse(fileName: String, data: Data) throws -> [MatchRecord] {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".json") || lower.hasSuffix(".ndjson") {
            do {
                return try JSONLines.decode(MatchRecord.self, from: data)
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
        var seen: Set<String> = []
        for (offset, row) in rows.dropFirst().enumerated() {
            func cell(_ key: String) -> String {
                guard let index = column[key], index < row.count else { return "" }
                return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let id = cell("id")
            let line = offset + 2
            guard !id.isEmpty else { throw PlatformError.invalidInput(field: "file", message: "第 \(line) 行缺少编号（id）") }
            guard seen.insert(id).inserted else { throw PlatformError.invalidInput(field: "file", message: "第 \(line) 行编号“\(id)”重复") }
            guard !cell("title").isEmpty || !cell("description").isEmpty else {
                throw PlatformError.invalidInput(field: "file", message: "第 \(line) 行缺少需求名称和描述")
            }
            records.append(
                MatchRecord(
                    id: .string(id), title: cell("title"), description: cell("description"), industry: cell("industry").nilIfEmpty,
                    region: cell("region").nilIfEmpty))
        }
        guard !records.isEmpty else { throw PlatformError.invalidInput(field: "file", message: "文件中没有需求") }
        guard records.count <= 10_000 else { throw PlatformError.invalidInput(field: "file", message: "一次最多匹配 10000 项需求") }
        return records
    }

    /// Starts ranking in the background and returns the job id at once.
    func start(records: [MatchRecord], fileName: String, entry: MatchCatalog.Entry, top: Int, ownerID: UUID, now: Date) -> UUID {
        let id = UUID()
        let status = Status(id: id, ownerID: ownerID, fileName: fileName, total: records.count, startedAt: now)
        jobs.withLock { jobs in
            if jobs.count >= capacity, let oldest = jobs.values.filter(\.finished).min(by: { $0.startedAt < $1.startedAt }) {
                jobs[oldest.id] = nil
            }
            jobs[id] = status
        }
        Task.detached { [self] in
            let clock = ContinuousClock()
            let began = clock.now
            var results: [[Match]] = []
            let profiles = records.map { $0.profile(kind: .demand) }
            // Chunks so the progress moves; each chunk is spread over the cores.
            for start in stride(from: 0, to: profiles.count, by: 64) {
                let chunk = Array(profiles[start..<min(profiles.count, start + 64)])
                results += await entry.index.rank(chunk, top: top)
                let done = results.count
                self.jobs.withLock { $0[id]?.done = done }
            }
            let data: Data
            do {
                data = try Self.table(records: records, results: results, entry: entry)
            } catch {
                self.jobs.withLock {
                    $0[id]?.error = "生成结果表格失败：\(error)"; $0[id]?.finished = true
                }
                return
            }
            let seconds = Double((clock.now - began).components.attoseconds) / 1e18 + Double((clock.now - began).components.seconds)
            self.jobs.withLock {
                $0[id]?.result = data
                $0[id]?.finished = true
                $0[id]?.seconds = seconds
            }
        }
        return id
    }

    func status(_ id: UUID, ownerID: UUID) -> Status? {
        jobs.withLock { jobs in jobs[id].flatMap { $0.ownerID == ownerID ? $0 : nil } }
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
                    .text(id.map { InnovationPaths.posting($0) } ?? ""),
                ])
            }
        }
        return try XLSXWriter().write([
            SpreadsheetSheet(name: "匹配结果", header: ["需求编号", "需求名称", "名次", "成果名称", "成果持有方", "匹配度", "匹配理由", "成果链接"], rows: rows)
        ])
    }
}
