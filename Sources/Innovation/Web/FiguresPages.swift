import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct InnovationFiguresPage: Sendable {
    struct Headline: Encodable, Sendable {
        let id: String
        let label: String
        let value: String
    }

    struct Row: Encodable, Sendable {
        let name: String
        let supplies: Int
        let demands: Int
        let dockings: Int
        let signed: Int
        let amount: String
    }

    struct Table: Sendable {
        let id: String
        let title: String
        let column: String
        let chart: Chart
        let rows: [Row]
        let csvLink: String
        let xlsxLink: String
    }

    let shell: PageShell
    let path: String
    let year: Int
    let years: [SelectOption]
    let headlines: [Headline]
    let stageChart: Chart
    let tables: [Table]
}

/// 科创统计: the year's figures of the acting organization's subtree, as headline numbers, SVG bar
/// charts drawn here (no script), and breakdowns by region, industry and society with exports.
struct InnovationFiguresController {
    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.figures, use: show)
    }

    enum Breakdown: String, CaseIterable {
        case region, industry, society

        var title: String {
            switch self {
            case .region: return "按地区"
            case .industry: return "按行业"
            case .society: return "按学会（成果来源）"
            }
        }

        var column: String {
            switch self {
            case .region: return "地区"
            case .industry: return "行业"
            case .society: return "学会"
            }
        }

        func rows(_ figures: InnovationFigures) -> [InnovationFigures.Breakdown] {
            switch self {
            case .region: return figures.byRegion
            case .industry: return figures.byIndustry
            case .society: return figures.bySociety
            }
        }
    }

    static let exportHeaders = ["技术供给（项）", "技术需求（项）", "对接（项）", "签约（项）", "合同金额（万元）"]

    /// Handler: who, which year → the year's figures → the export of one breakdown or the page.
    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.figures)
        guard let scopePath = actor.scope.rootPath else { throw PlatformError.forbidden }
        let thisYear = Day.today(now: req.platform.clock()).year
        let year = try req.boundedQuery("year", in: 2000...thisYear, default: thisYear)
        let figures = try await InnovationFigures.compute(scopePath: scopePath, year: year, on: req.db)
        if let format = req.exportFormat {
            let breakdown = req.query[String.self, at: "table"].flatMap(Breakdown.init(rawValue:)) ?? .region
            return try await Self.export(figures, breakdown, year: year, format, req)
        }
        let shell = await PageShell.build(for: req, title: "科创对接统计")
        return try await Self.page(figures, year: year, thisYear: thisYear, shell: shell).render(req)
    }

    static func export(
        _ figures: InnovationFigures, _ breakdown: Breakdown, year: Int, _ format: TableExport.Format, _ req: Request
    ) async throws -> Response {
        try await TableExport(
            fileName: "\(year)年科创对接统计（\(breakdown.title)）", headers: [breakdown.column] + exportHeaders,
            rows: breakdown.rows(figures).map { row in
                [
                    row.name, String(row.supplies), String(row.demands), String(row.dockings), String(row.signed),
                    DockingService.amount(row.amount),
                ]
            }
        ).response(format, for: req)
    }

    /// The page model: headlines, the chart of dockings by stage and one table with its chart per breakdown.
    static func page(_ figures: InnovationFigures, year: Int, thisYear: Int, shell: PageShell) -> InnovationFiguresPage {
        InnovationFiguresPage(
            shell: shell, path: InnovationRoutes.figures(), year: year,
            years: (0..<5).map { offset in
                SelectOption(value: String(thisYear - offset), label: "\(thisYear - offset) 年", selected: thisYear - offset == year)
            },
            headlines: [
                .init(id: "supplies", label: "发布技术供给（项）", value: String(figures.suppliesPublished)),
                .init(id: "demands", label: "发布技术需求（项）", value: String(figures.demandsPublished)),
                .init(id: "pushes", label: "推送供需匹配（次）", value: String(figures.pushes)),
                .init(id: "dockings", label: "发起对接（项）", value: String(figures.dockings)),
                .init(id: "signed", label: "促成签约（项）", value: String(figures.signed)),
                .init(id: "landed", label: "项目落地（个）", value: String(figures.landed)),
                .init(id: "amount", label: "签约合同金额（万元）", value: DockingService.amount(figures.contractAmount)),
            ],
            stageChart: stageChart(figures), tables: Breakdown.allCases.map { table($0, figures, year: year) })
    }

    /// Dockings by their current stage, one bar each.
    static func stageChart(_ figures: InnovationFigures) -> Chart {
        let definition = DockingWorkflow()
        let states = DockingWorkflow.stages + [.terminated, .declined]
        return Chart.bars(
            id: "stages", title: "对接（按当前阶段）", summary: "本年度发起的对接按当前所处阶段统计的项数。", categoryTitle: "阶段", valueTitle: "对接（项）",
            series: .init(id: "dockings", label: "对接"),
            states.map { (definition.label(of: $0), Double(figures.dockingsByState[$0.rawValue] ?? 0)) })
    }

    static func table(_ breakdown: Breakdown, _ figures: InnovationFigures, year: Int) -> InnovationFiguresPage.Table {
        let rows = breakdown.rows(figures)
        // Three bars per group (supplies, demands, dockings); at most 30 groups are drawn, the table has all.
        let chart = Chart(
            id: breakdown.rawValue, title: "\(breakdown.title)的供需发布与对接", summary: "\(breakdown.title)统计的技术供给、技术需求发布项数和对接项数。",
            categoryTitle: breakdown.column, valueTitle: "项数",
            series: [.init(id: "supply", label: "技术供给"), .init(id: "demand", label: "技术需求"), .init(id: "docking", label: "对接")],
            categories: rows.prefix(30).map {
                .init(label: $0.name, values: [Double($0.supplies), Double($0.demands), Double($0.dockings)])
            })
        func export(_ format: String) -> String {
            InnovationRoutes.figures(query: ["year": String(year), "table": breakdown.rawValue, "format": format])
        }
        return .init(
            id: breakdown.rawValue, title: breakdown.title, column: breakdown.column,
            chart: chart,
            rows: rows.map { row in
                .init(
                    name: row.name, supplies: row.supplies, demands: row.demands, dockings: row.dockings, signed: row.signed,
                    amount: DockingService.amount(row.amount))
            },
            csvLink: export("csv"), xlsxLink: export("xlsx"))
    }

}
