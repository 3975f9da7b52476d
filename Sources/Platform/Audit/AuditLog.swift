import Fluent
import Foundation
import KexieKit
import SQLKit

/// Who is acting, carried through a request as a task-local so that model middleware can attribute
/// every create, update and delete without each service passing it along.
public struct AuditContext: Sendable {
    public var actorID: String
    public var actorName: String
    public var organizationID: String
    public var clientAddress: String

    public static let system = AuditContext(actorID: "system", actorName: "系统", organizationID: "", clientAddress: "")

    public init(actorID: String, actorName: String, organizationID: String, clientAddress: String) {
        self.actorID = actorID
        self.actorName = actorName
        self.organizationID = organizationID
        self.clientAddress = clientAddress
    }

    @TaskLocal public static var current: AuditContext?
}

public struct AuditEvent: Sendable {
    public var action: String
    public var entityType: String
    public var entityID: String
    public var summary: String

    public init(action: String, entityType: String = "", entityID: String = "", summary: String = "") {
        self.action = action
        self.entityType = entityType
        self.entityID = entityID
        self.summary = summary
    }
}

/// The append-only, hash-chained audit log.
public struct AuditLog: Sendable {
    let serializer: WriteSerializer
    let clock: @Sendable () -> Date

    public init(serializer: WriteSerializer, clock: @escaping @Sendable () -> Date) {
        self.serializer = serializer
        self.clock = clock
    }

    /// Records an event in its own transaction (or the caller's, when already in one).
    public func record(_ event: AuditEvent, context: AuditContext? = nil, on db: any Database) async throws {
        let ctx = context ?? AuditContext.current ?? .system
        let now = clock()
        try await serializer.transaction(on: db) { tx in
            try await Self.append(event, context: ctx, at: now, on: tx)
        }
    }

    /// Appends inside an open transaction. On PostgreSQL an advisory lock held until commit orders
    /// appends from several instances; on SQLite the write serializer already does.
    static func append(_ event: AuditEvent, context: AuditContext, at date: Date, on tx: any Database) async throws {
        let sql = try tx.sql()
        if sql.dialect.name != "sqlite" {
            try await sql.raw("SELECT pg_advisory_xact_lock(727274)").run()
        }
        let head = try await AuditHead.find(1, on: tx)
        let sequence = (head?.lastSequence ?? 0) + 1
        let previous = head?.lastHash ?? AuditChain.genesis
        let content = AuditChain.Content(
            sequence: sequence, occurredAt: AuditTime.format(date), actorID: context.actorID,
            actorName: context.actorName, organizationID: context.organizationID,
            clientAddress: context.clientAddress, action: event.action, entityType: event.entityType,
            entityID: event.entityID, summary: String(event.summary.prefix(2000)))
        let entry = AuditEntry()
        entry.id = sequence
        entry.occurredAt = content.occurredAt
        entry.actorID = content.actorID
        entry.actorName = content.actorName
        entry.organizationID = content.organizationID
        entry.clientAddress = content.clientAddress
        entry.action = content.action
        entry.entityType = content.entityType
        entry.entityID = content.entityID
        entry.summary = content.summary
        entry.previousHash = previous
        entry.hash = AuditChain.hash(previous: previous, content: content)
        try await entry.create(on: tx)
        if let head {
            head.lastSequence = sequence
            head.lastHash = entry.hash
            try await head.update(on: tx)
        } else {
            try await AuditHead(lastSequence: sequence, lastHash: entry.hash).create(on: tx)
        }
    }

    public struct Verification: Sendable {
        public let checked: Int
        public let problem: String?
    }

    /// Walks the whole chain in batches and compares its end with the stored head.
    public static func verify(on db: any Database, progress: (Int) -> Void = { _ in }) async throws -> Verification {
        var checked = 0
        var last: (sequence: Int64, hash: String)?
        var firstIsStart = true
        while true {
            var query = AuditEntry.query(on: db).sort(\.$id).limit(1000)
            if let last { query = query.filter(\.$id > last.sequence) }
            let batch = try await query.all()
            if batch.isEmpty { break }
            if last == nil, let first = batch.first?.id, first != 1 { firstIsStart = false }
            var rows = batch.map { row in
                (
                    content: AuditChain.Content(
                        sequence: row.id ?? 0, occurredAt: row.occurredAt, actorID: row.actorID,
                        actorName: row.actorName, organizationID: row.organizationID,
                        clientAddress: row.clientAddress, action: row.action, entityType: row.entityType,
                        entityID: row.entityID, summary: row.summary),
                    previousHash: row.previousHash, hash: row.hash
                )
            }
            if let last {
                // Re-check the link across batch boundaries by verifying the previous row's hash.
                if rows[0].content.sequence != last.sequence + 1 {
                    return Verification(
                        checked: checked, problem: "第 \(last.sequence) 条之后缺少记录（下一条为第 \(rows[0].content.sequence) 条）")
                }
                if rows[0].previousHash != last.hash {
                    return Verification(checked: checked, problem: "第 \(rows[0].content.sequence) 条与前一条的链接被破坏")
                }
            }
            if let problem = AuditChain.verify(rows, firstIsStart: last == nil && firstIsStart) {
                return Verification(checked: checked, problem: describe(problem))
            }
            checked += rows.count
            progress(checked)
            last = (rows[rows.count - 1].content.sequence, rows[rows.count - 1].hash)
            rows.removeAll()
        }
        let head = try await AuditHead.find(1, on: db)
        switch (head, last) {
        case (nil, nil): return Verification(checked: 0, problem: nil)
        case (let head?, let last?):
            if head.lastSequence != last.sequence || head.lastHash != last.hash {
                return Verification(
                    checked: checked,
                    problem: "链尾不一致：记录到第 \(head.lastSequence) 条，实际最后一条为第 \(last.sequence) 条（可能有记录被删除或修改）")
            }
            return Verification(checked: checked, problem: nil)
        case (let head?, nil):
            return Verification(checked: 0, problem: "审计记录全部缺失（链尾记录到第 \(head.lastSequence) 条）")
        case (nil, _?):
            return Verification(checked: checked, problem: "缺少链尾记录")
        }
    }

    static func describe(_ problem: AuditChain.Break) -> String {
        switch problem {
        case .contentChanged(let sequence): return "第 \(sequence) 条记录的内容被修改"
        case .linkBroken(let sequence): return "第 \(sequence) 条与前一条的链接被破坏"
        case .gap(let after, let next): return "第 \(after) 条之后缺少记录（下一条为第 \(next) 条）"
        case .headMismatch(let expected, let found): return "链尾不一致：应为第 \(expected) 条，实际为第 \(found) 条"
        }
    }
}

/// Fixed-width UTC timestamps: sortable as text and identical on every database.
public enum AuditTime {
    public static func format(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis / 1000
        let ms = Int(millis % 1000)
        let components = Calendar.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", components.year ?? 0, components.month ?? 0,
            components.day ?? 0, components.hour ?? 0, components.minute ?? 0, components.second ?? 0, ms)
    }
}

extension Calendar {
    public static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// China Standard Time, for showing dates to people.
    public static let china: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar
    }()
}
