import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct StatisticsPage: Sendable {
    let shell: PageShell
    let charts: [StatisticsService.Chart]
    let xlsxLink: String
}

/// 统计: people of the subtree by organization, discipline, title, age band and sex, as SVG bar charts
/// drawn on the server (no script), with the same tables as XLSX.
struct StatisticsController {
    let classifications: Classifications

    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.statistics, use: show)
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.statistics)
        let charts = try await StatisticsService(db: req.db, services: req.platform, classifications: classifications).charts(actor: actor)
        if req.query[String.self, at: "format"] == "xlsx" {
            let sheets = charts.map { chart in
                SpreadsheetSheet(
                    name: chart.title, header: ["分组", "人数"], rows: chart.rows.map { [.text($0[0]), .number(Double($0[1]) ?? 0)] })
            }
            try await ExportAudit.record(req, name: "科技工作者统计", rows: sheets.reduce(0) { $0 + $1.rows.count }, format: "xlsx")
            let response = Response(status: .ok, body: .init(data: try XLSXWriter().write(sheets)))
            response.headers.replaceOrAdd(name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"statistics.xlsx\"")
            return response
        }
        return try await StatisticsPage(
            shell: await PageShell.build(for: req, title: "科技工作者统计"), charts: charts,
            xlsxLink: MembersRoutes.statistics(query: ["format": "xlsx"])
        ).render(req)
    }
}
