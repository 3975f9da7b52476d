import Fluent
import Foundation
import SQLKit

/// One page of a list and the number of all its matches, read in a single statement.
///
/// Every statement a page sends costs a trip to the database's thread and back, which on these pages
/// costs about as much as answering `/healthz` whole; and decoding a Fluent model reflects over every
/// property of every row. So a list reads its page as plain columns, with the capped count as a scalar
/// subquery the database evaluates once:
///
///     SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM t WHERE c LIMIT cap+1) AS capped) AS kexie_total, cols
///     FROM t WHERE c ORDER BY … LIMIT n OFFSET m
///
/// Only a page past the end (no rows, so no count) needs a second statement.
public struct PagedSelect: Sendable {
    /// Columns of the page, as SQL (`id, name, sex`); each list decodes them into its own row type.
    public var columns: String
    /// The table, or tables with their joins (`servicehall_cases c JOIN …`).
    public var from: String
    public var condition: SQLQueryString
    /// The ORDER BY clause without the keywords, ending in a unique column so pages do not overlap.
    public var order: String
    public var limit: Int
    public var offset: Int
    /// Counting stops past this many (the list then says "more than …"); nil counts every match.
    public var countCap: Int?

    public init(
        columns: String, from: String, where condition: SQLQueryString, order: String, limit: Int, offset: Int,
        countCap: Int? = 10_000
    ) {
        self.columns = columns
        self.from = from
        self.condition = condition
        self.order = order
        self.limit = max(1, limit)
        self.offset = max(0, offset)
        self.countCap = countCap
    }

    public struct Page: Sendable {
        /// At most `countCap + 1` (meaning "more than countCap").
        public let total: Int
        public let rows: [any SQLRow]
    }

    private var countQuery: SQLQueryString {
        var count = SQLQueryString("SELECT COUNT(*) FROM ")
        if let countCap {
            count.appendInterpolation(unsafeRaw: "(SELECT 1 FROM \(from) WHERE ")
            count.appendInterpolation(condition)
            count.appendInterpolation(unsafeRaw: " LIMIT \(countCap + 1)) AS capped")
        } else {
            count.appendInterpolation(unsafeRaw: "\(from) WHERE ")
            count.appendInterpolation(condition)
        }
        return count
    }

    public func run(on db: any Database) async throws -> Page {
        let sql = try db.sql()
        var statement = SQLQueryString("SELECT (")
        statement.appendInterpolation(countQuery)
        statement.appendInterpolation(unsafeRaw: ") AS kexie_total, \(columns) FROM \(from) WHERE ")
        statement.appendInterpolation(condition)
        statement.appendInterpolation(unsafeRaw: " ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)")
        let rows = try await sql.raw(statement).all()
        if let first = rows.first {
            return Page(total: try first.decode(column: "kexie_total", as: Int.self), rows: rows)
        }
        guard offset > 0 else { return Page(total: 0, rows: []) }
        var count = SQLQueryString("SELECT (")
        count.appendInterpolation(countQuery)
        count.appendInterpolation(unsafeRaw: ") AS n")
        return Page(total: try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0, rows: [])
    }
}

extension Scope {
    /// `column IN (the subtree's organization ids)` as a subquery, so a list needs no statement of its own
    /// to learn the subtree; "1 = 0" for an actor without a scope.
    public func contains(column: String) -> SQLQueryString {
        guard let rootPath else { return "1 = 0" }
        return Self.subtree(column: column, under: rootPath)
    }

    /// `column IN (the ids of the organization at path and its subtree)`.
    public static func subtree(column: String, under path: String) -> SQLQueryString {
        "\(unsafeRaw: column) IN (SELECT id FROM platform_organizations WHERE path LIKE \(bind: path + "%"))"
    }
}
