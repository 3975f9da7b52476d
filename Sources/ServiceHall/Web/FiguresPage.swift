import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct CaseFiguresPage: TypedPage {
    struct Row: Encodable, Sendable {
        let label: String
        let volume: Int
        let answered: Int
        let onTimeRate: String
        let averageDays: String
        let satisfaction: String
        /// Bar length in percent of the largest volume.
        let percent: Double
        let y: Int
        let labelY: Int
    }

    struct Table: Encodable, Sendable {
        let id: String
        let title: String
        let rows: [Row]
        let height: Int
    }

    static let template = "ServiceHall/figures"
    let shell: PageShell
    let year: Int
    let years: [SelectOption]
    let tables: [Table]
    let xlsxLink: String
}

/// 办理统计: per type and per handling unit/department, for a year of receipt in the actor's subtree:
/// volume, answered, on-time rate, average working days to answer, average satisfaction. Aggregated by
/// the database (the working days are fixed on each case when it is answered).
struct CaseFiguresController {
    static let path = "/service/statistics"

    func register(_ web: any RoutesBuilder) {
        web.get("service", "statistics", use: show)
    }

    struct Figure: Sendable {
        let label: String
        let volume: Int
        let answered: Int
        let onTime: Int
        let averageDays: Double?
        let satisfaction: Double?
    }

    static func figures(actor: Actor, year: Int, on db: any Database) async throws -> (byType: [Figure], byUnit: [Figure]) {
        guard let sql = db as? any SQLDatabase, let root = actor.scope.rootPath else { return ([], []) }
        let organizations = try await Organization.query(on: db).filter(\.$path =~ root).field(\.$id).all().compactMap(\.id)
        guard !organizations.isEmpty else { return ([], []) }
        func run(_ group: String, _ join: String) async throws -> [Figure] {
            var query = SQLQueryString(
                """
                SELECT \(unsafeRaw: group) AS k, COUNT(*) AS n, \
                SUM(CASE WHEN c.answered_on IS NOT NULL THEN 1 ELSE 0 END) AS answered, \
                SUM(CASE WHEN c.answered_on_time = \(bind: true) THEN 1 ELSE 0 END) AS ontime, \
                CAST(AVG(c.answer_working_days * 1.0) AS DOUBLE PRECISION) AS days, CAST(AVG(c.rating * 1.0) AS DOUBLE PRECISION) AS rating \
                FROM servicehall_cases c \(unsafeRaw: join) WHERE c.organization_id IN (
                """)
            query.appendInterpolation(binds: organizations)
            query.appendInterpolation(unsafeRaw: ") AND c.received_on >= ")
            query.appendInterpolation(bind: "\(year)-01-01")
            query.appendInterpolation(unsafeRaw: " AND c.received_on <= ")
            query.appendInterpolation(bind: "\(year)-12-31")
            query.appendInterpolation(unsafeRaw: " GROUP BY \(group) ORDER BY n DESC")
            return try await sql.raw(query).all().map { row in
                Figure(
                    label: (try? row.decode(column: "k", as: String?.self)) ?? nil ?? "", volume: try row.decode(column: "n", as: Int.self),
                    answered: (try? row.decode(column: "answered", as: Int.self)) ?? 0,
                    onTime: (try? row.decode(column: "ontime", as: Int.self)) ?? 0,
                    averageDays: try? row.decode(column: "days", as: Double?.self),
                    satisfaction: try? row.decode(column: "rating", as: Double?.self))
            }
        }
        let byType = try await run("c.type", "").map { figure in
            Figure(
                label: CaseType(rawValue: figure.label)?.label ?? figure.label, volume: figure.volume, answered: figure.answered,
                onTime: figure.onTime, averageDays: figure.averageDays, satisfaction: figure.satisfaction)
        }
        let byUnit = try await run(
            "o.name || CASE WHEN d.name IS NULL THEN '' ELSE ' · ' || d.name END",
            "JOIN platform_organizations o ON o.id = c.organization_id LEFT JOIN platform_departments d ON d.id = c.department_id")
        return (byType, byUnit)
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.handle)
        let thisYear = Day.today(now: req.platform.clock()).year
        let year = req.query[Int.self, at: "year"].flatMap { (2000...thisYear).contains($0) ? $0 : nil } ?? thisYear
        let (byType, byUnit) = try await Self.figures(actor: actor, year: year, on: req.db)
        func percent(_ part: Int, _ whole: Int) -> String {
            whole == 0 ? "—" : String(format: "%.1f%%", Double(part) / Double(whole) * 100)
        }
        func number(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }
        if req.query[String.self, at: "format"] == "xlsx" {
            let header = ["分组", "受理量", "已答复", "按时答复率", "平均答复工作日", "满意度平均分"]
            func sheet(_ name: String, _ figures: [Figure]) -> SpreadsheetSheet {
                SpreadsheetSheet(
                    name: name, header: header,
                    rows: figures.map {
                        [
                            .text($0.label), .number(Double($0.volume)), .number(Double($0.answered)),
                            .text(percent($0.onTime, $0.answered)),
                            .text(number($0.averageDays)), .text(number($0.satisfaction)),
                        ]
                    })
            }
            let response = Response(
                status: .ok, body: .init(data: try XLSXWriter().write([sheet("按类型", byType), sheet("按承办单位", byUnit)])))
            response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"case-figures-\(year).xlsx\"")
            return response
        }
        func table(_ id: String, _ title: String, _ figures: [Figure]) -> CaseFiguresPage.Table {
            let largest = max(1, figures.map(\.volume).max() ?? 1)
            let rows = figures.enumerated().map { index, f in
                CaseFiguresPage.Row(
                    label: f.label, volume: f.volume, answered: f.answered, onTimeRate: percent(f.onTime, f.answered),
                    averageDays: number(f.averageDays), satisfaction: number(f.satisfaction),
                    percent: (Double(f.volume) / Double(largest) * 1000).rounded() / 10, y: index * 28, labelY: index * 28 + 16)
            }
            return .init(id: id, title: title, rows: rows, height: max(28, rows.count * 28))
        }
        return try await CaseFiguresPage(
            shell: await PageShell.build(for: req, title: "办理统计"), year: year,
            years: (max(2025, thisYear - 4)...thisYear).reversed().map {
                SelectOption(value: String($0), label: "\($0)年", selected: $0 == year)
            },
            tables: [table("by-type", "按事项类型", byType), table("by-unit", "按承办单位和部门", byUnit)],
            xlsxLink: Self.path + "?year=\(year)&format=xlsx"
        ).render(req)
    }
}
