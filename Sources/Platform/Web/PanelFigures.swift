import Fluent
import Foundation
import KexieKit
import SQLKit

/// Who a panel is computed for, and when.
public struct PanelContext: Sendable {
    public let actor: Actor
    public let now: Date
    public var today: Day { Day.today(now: now) }

    public init(actor: Actor, now: Date) {
        self.actor = actor
        self.now = now
    }

    /// `COLUMN IN (organizations of the actor's subtree)`, or a condition that holds for no row when
    /// the actor acts for no organization.
    public func inSubtree(_ column: String) -> SQLQueryString {
        guard let root = actor.scope.rootPath else { return "1 = 0" }
        return "\(unsafeRaw: column) IN (SELECT id FROM platform_organizations WHERE path LIKE \(bind: root + "%"))"
    }
}

/// One figure a panel needs: a count (a scalar subquery answering one integer), or the newest few
/// records (a subquery answering `id` and `title` rows, newest first, at most `limit`).
public struct PanelFigure: Sendable {
    enum Kind: Sendable {
        case count
        case records(limit: Int)
    }

    let key: String
    let kind: Kind
    let sql: SQLQueryString

    /// `sql` is a complete `SELECT COUNT(*) …`.
    public static func count(_ key: String, _ sql: SQLQueryString) -> PanelFigure {
        PanelFigure(key: key, kind: .count, sql: sql)
    }

    /// `sql` is a complete `SELECT <id> AS id, <title> AS title FROM … ORDER BY …` (without LIMIT).
    public static func records(_ key: String, limit: Int, _ sql: SQLQueryString) -> PanelFigure {
        PanelFigure(key: key, kind: .records(limit: min(max(limit, 1), 20)), sql: sql)
    }
}

/// The answers to one panel's figures.
public struct PanelValues: Sendable {
    public struct Record: Sendable, Equatable {
        public let id: String
        public let title: String
    }

    var counts: [String: Int] = [:]
    var lists: [String: [Record]] = [:]

    public subscript(key: String) -> Int { counts[key] ?? 0 }
    public func records(_ key: String) -> [Record] { lists[key] ?? [] }
}

public enum PanelRunner {
    // Separators inside an aggregated list: unit and record separators, which no title contains
    // (titles are single-line text that the forms and services trim).
    private static let fieldSeparator = "\u{1F}"
    private static let recordSeparator = "\u{1E}"

    /// Every panel's figures in one statement (`SELECT (…) AS f0, (…) AS f1, …`), then each panel's
    /// lines; panels with nothing to show are left out.
    public static func compute(_ panels: [HomePanel], actor: Actor, now: Date, on db: any Database) async throws -> [PanelContent] {
        let context = PanelContext(actor: actor, now: now)
        let sql = try db.sql()
        let postgres = sql.dialect.name == "postgresql"
        var requested: [(panel: HomePanel, figures: [(alias: String, figure: PanelFigure)])] = []
        var columns: [SQLQueryString] = []
        for panel in panels {
            guard let figures = panel.figures(context) else { continue }
            var aliased: [(alias: String, figure: PanelFigure)] = []
            for figure in figures {
                let alias = "f\(columns.count)"
                aliased.append((alias, figure))
                columns.append(column(figure, alias: alias, postgres: postgres))
            }
            requested.append((panel, aliased))
        }
        var row: (any SQLRow)?
        if !columns.isEmpty {
            var select = SQLQueryString("SELECT ")
            for (index, column) in columns.enumerated() {
                if index > 0 { select.appendInterpolation(unsafeRaw: ", ") }
                select.appendInterpolation(column)
            }
            row = try await sql.raw(select).first()
        }
        var result: [PanelContent] = []
        for (panel, figures) in requested {
            var values = PanelValues()
            for (alias, figure) in figures {
                switch figure.kind {
                case .count:
                    values.counts[figure.key] = try row?.decode(column: alias, as: Int?.self) ?? 0
                case .records:
                    let packed = try row?.decode(column: alias, as: String?.self) ?? nil
                    values.lists[figure.key] = unpack(packed)
                }
            }
            let lines = panel.lines(context, values)
            if !lines.isEmpty { result.append(PanelContent(title: panel.title, lines: lines)) }
        }
        return result
    }

    private static func column(_ figure: PanelFigure, alias: String, postgres: Bool) -> SQLQueryString {
        var column = SQLQueryString("(")
        switch figure.kind {
        case .count:
            column.appendInterpolation(figure.sql)
        case .records(let limit):
            // The newest few as one string: id, unit separator, title; records joined by the record
            // separator. string_agg and group_concat keep the subquery's order on both databases.
            let aggregate =
                postgres
                ? "SELECT string_agg(CAST(r.id AS TEXT) || chr(31) || r.title, chr(30)) FROM ("
                : "SELECT group_concat(r.id || char(31) || r.title, char(30)) FROM ("
            column.appendInterpolation(unsafeRaw: aggregate)
            column.appendInterpolation(figure.sql)
            column.appendInterpolation(unsafeRaw: " LIMIT \(limit)) r")
        }
        column.appendInterpolation(unsafeRaw: ") AS \(alias)")
        return column
    }

    private static func unpack(_ packed: String?) -> [PanelValues.Record] {
        guard let packed, !packed.isEmpty else { return [] }
        return packed.split(separator: Character(recordSeparator), omittingEmptySubsequences: true).compactMap { record in
            let parts = record.split(separator: Character(fieldSeparator), maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            return PanelValues.Record(id: String(parts[0]), title: String(parts[1]))
        }
    }
}
