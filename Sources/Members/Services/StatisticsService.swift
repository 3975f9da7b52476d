import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Counts of people in the actor's subtree by organization, discipline, title, age band and sex.
/// Anonymized people are counted: deletion removes who they were, not that they were there.
struct StatisticsService: Sendable {
    let db: any Database
    let services: PlatformServices
    let classifications: Classifications

    struct Chart: Sendable {
        let id: String
        let title: String
        let total: Int
        /// One bar per row: the count of people.
        let figure: KexieKit.Chart
        let rows: [[String]]
    }

    func charts(actor: Actor) async throws -> [Chart] {
        let sql = try db.sql()
        guard let root = actor.scope.rootPath else { return [] }
        func grouped(_ expression: String) async throws -> [(String, Int)] {
            try await sql.raw(
                """
                SELECT \(unsafeRaw: expression) AS k, COUNT(*) AS n FROM platform_people p \
                JOIN platform_organizations o ON o.id = p.organization_id \
                WHERE o.path LIKE \(bind: root + "%") GROUP BY \(unsafeRaw: expression)
                """
            ).all().map { row in ((try? row.decode(column: "k", as: String?.self)) ?? nil ?? "", try row.decode(column: "n", as: Int.self))
            }
        }
        let disciplineNames = Dictionary(uniqueKeysWithValues: classifications.disciplines.map { ($0.code, $0.name) })
        let byOrganization = try await grouped("o.name").sorted { $0.1 > $1.1 }
        let byDiscipline = try await grouped("p.discipline_code").map { (disciplineNames[$0.0] ?? "未填写", $0.1) }.sorted { $0.1 > $1.1 }
        let byTitle = try await grouped("p.title_level")
        let bySex = try await grouped("p.sex")
        let byBirth = try await grouped("p.birth_month")
        let today = Day.today(now: services.clock())
        var bands: [AgeBand: Int] = [:]
        for (month, count) in byBirth {
            guard let birth = YearMonth(parsing: month) else { continue }
            bands[AgeBand(birthMonth: birth, on: today), default: 0] += count
        }
        let titled = TitleLevel.allCases.filter { $0 != .none }.sorted(by: >)
        let titleRows: [(String, Int)] =
            titled.map { level in (level.label, byTitle.first { $0.0 == level.rawValue }?.1 ?? 0) }
            + [("无职称或未填写", byTitle.filter { row in !titled.contains { $0.rawValue == row.0 } }.reduce(0) { $0 + $1.1 })]
        return [
            chart("organization", "按组织", Self.top(byOrganization, 15)),
            chart("discipline", "按学科", Self.top(byDiscipline, 15)),
            chart("title", "按职称级别", titleRows),
            chart("age", "按年龄段", AgeBand.allCases.sorted().map { ($0.label, bands[$0] ?? 0) }),
            chart("sex", "按性别", Sex.allCases.map { sex in (sex.label, bySex.first { $0.0 == sex.rawValue }?.1 ?? 0) }),
        ]
    }

    /// The largest groups and one "其他" bar for the rest, so the chart's total is everyone.
    static func top(_ rows: [(String, Int)], _ count: Int) -> [(String, Int)] {
        guard rows.count > count else { return rows }
        return Array(rows.prefix(count - 1)) + [("其他", rows.dropFirst(count - 1).reduce(0) { $0 + $1.1 })]
    }

    private func chart(_ id: String, _ title: String, _ rows: [(String, Int)]) -> Chart {
        Chart(
            id: id, title: title, total: rows.reduce(0) { $0 + $1.1 },
            figure: .bars(
                id: id, title: "\(title)的科技工作者人数", summary: "\(title)统计的科技工作者人数，每组一条。", categoryTitle: String(title.dropFirst()),
                valueTitle: "人数", series: .init(id: "people", label: "人数"), rows.map { ($0.0, Double($0.1)) }),
            rows: rows.map { [$0.0, String($0.1)] })
    }
}
