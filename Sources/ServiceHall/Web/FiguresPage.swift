import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct CaseFiguresPage: Sendable {
    struct Row: Encodable, Sendable {
        let label: String
        let volume: Int
        let answered: Int
        let onTimeRate: String
        let averageDays: String
        let satisfaction: String
    }

    struct Table: Sendable {
        let id: String
        let title: String
        let rows: [Row]
        /// The volume of each row as a bar.
        let chart: Chart
    }

    let shell: PageShell
    let year: Int
    let years: [SelectOption]
    let tables: [Table]
    let xlsxLink: String
}

/// 办理统计: per type and per handling unit/department, for a year of receipt in the actor's subtree:
/// volume, answered, on-time rate, average working days to answer, average satisfaction. Read from the
/// running totals (`CaseTotals`), not aggregated from the cases on each view.
struct CaseFiguresController {

    func register(_ web: any RoutesBuilder) {
        web.get(ServiceHallRoutes.statistics, use: show)
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
        let organizations = try await actor.scope.organizationIDs(on: db)
        let rows = try await CaseTotals.read(organizations: organizations, year: year, on: db)
        func figures<Key: Hashable>(_ key: (CaseTotals.Group.Key) -> Key, label: (Key) -> String) -> [Figure] {
            var sums: [Key: CaseTotals.Sums] = [:]
            for (group, row) in rows { sums[key(group), default: CaseTotals.Sums()] = sums[key(group), default: CaseTotals.Sums()] + row }
            return sums.map { key, s in
                Figure(
                    label: label(key), volume: s.volume, answered: s.answered, onTime: s.onTime,
                    averageDays: s.daysCount == 0 ? nil : Double(s.daysSum) / Double(s.daysCount),
                    satisfaction: s.ratingCount == 0 ? nil : Double(s.ratingSum) / Double(s.ratingCount))
            }
            .sorted { ($0.volume, $1.label) > ($1.volume, $0.label) }
        }
        let byType = figures({ $0.type }, label: \.label)
        struct Unit: Hashable {
            let organizationID: UUID
            let departmentID: UUID?
        }
        let units = Set(rows.map { Unit(organizationID: $0.group.organizationID, departmentID: $0.group.departmentID) })
        let organizationNames = try await names(Organization.query(on: db).filter(\.$id ~~ Set(units.map(\.organizationID))).all())
        let departmentNames = Dictionary(
            uniqueKeysWithValues: try await Department.query(on: db).filter(\.$id ~~ Set(units.compactMap(\.departmentID))).all()
                .compactMap { d in d.id.map { ($0, d.name) } })
        let byUnit = figures({ Unit(organizationID: $0.organizationID, departmentID: $0.departmentID) }) { unit in
            let organization = organizationNames[unit.organizationID] ?? ""
            return unit.departmentID.flatMap { departmentNames[$0] }.map { organization + " · " + $0 } ?? organization
        }
        return (byType, byUnit)
    }

    private static func names(_ organizations: [Organization]) -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: organizations.compactMap { o in o.id.map { ($0, o.name) } })
    }

    /// Handler: who, which year → the year's figures → the spreadsheet or the page.
    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.handle)
        let thisYear = Day.today(now: req.platform.clock()).year
        let year = try req.boundedQuery("year", in: 2000...thisYear, default: thisYear)
        let (byType, byUnit) = try await Self.figures(actor: actor, year: year, on: req.db)
        if req.query[String.self, at: "format"] == "xlsx" { return try await Self.export(byType, byUnit, year: year, req) }
        let shell = await PageShell.build(for: req, title: "办理统计")
        return try await Self.page(byType, byUnit, year: year, thisYear: thisYear, shell: shell).render(req)
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f%%", Double(part) / Double(whole) * 100)
    }

    static func number(_ value: Double?) -> String { value.map { String(format: "%.1f", $0) } ?? "—" }

    /// The year's figures as a workbook, one sheet per grouping; the export is audited.
    static func export(_ byType: [Figure], _ byUnit: [Figure], year: Int, _ req: Request) async throws -> Response {
        try await ExportAudit.record(req, name: "办理统计 \(year)", rows: byType.count + byUnit.count, format: "xlsx")
        let response = Response(
            status: .ok, body: .init(data: try XLSXWriter().write([sheet("按类型", byType), sheet("按承办单位", byUnit)])))
        response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"case-figures-\(year).xlsx\"")
        return response
    }

    static func sheet(_ name: String, _ figures: [Figure]) -> SpreadsheetSheet {
        SpreadsheetSheet(
            name: name, header: ["分组", "受理量", "已答复", "按时答复率", "平均答复工作日", "满意度平均分"],
            rows: figures.map {
                [
                    .text($0.label), .number(Double($0.volume)), .number(Double($0.answered)),
                    .text(percent($0.onTime, $0.answered)),
                    .text(number($0.averageDays)), .text(number($0.satisfaction)),
                ]
            })
    }

    /// The page model: the year's choice and one table with its bars per grouping.
    static func page(_ byType: [Figure], _ byUnit: [Figure], year: Int, thisYear: Int, shell: PageShell) -> CaseFiguresPage {
        CaseFiguresPage(
            shell: shell, year: year,
            years: (max(2025, thisYear - 4)...thisYear).reversed().map {
                SelectOption(value: String($0), label: "\($0)年", selected: $0 == year)
            },
            tables: [table("by-type", "按事项类型", byType), table("by-unit", "按承办单位和部门", byUnit)],
            xlsxLink: ServiceHallRoutes.statistics(query: ["year": String(year), "format": "xlsx"]))
    }

    static func table(_ id: String, _ title: String, _ figures: [Figure]) -> CaseFiguresPage.Table {
        let rows = figures.map { f in
            CaseFiguresPage.Row(
                label: f.label, volume: f.volume, answered: f.answered, onTimeRate: percent(f.onTime, f.answered),
                averageDays: number(f.averageDays), satisfaction: number(f.satisfaction))
        }
        let chart = Chart.bars(
            id: id, title: title + "受理量", summary: "\(title)统计的本年度受理件数，每组一条。", categoryTitle: String(title.dropFirst()),
            valueTitle: "受理量（件）", series: .init(id: "volume", label: "受理量"), figures.map { ($0.label, Double($0.volume)) })
        return .init(id: id, title: title, rows: rows, chart: chart)
    }
}
