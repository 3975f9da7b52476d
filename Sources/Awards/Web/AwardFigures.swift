import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// 评选统计: for the programs of the actor's subtree in a year — applications and pass rates per program,
/// nominations per channel against their quota, and results by field, region and sex — as tables with
/// charts, each table exported on its own (`?table=…&format=xlsx|csv`). Three statements whatever the
/// number of programs.
struct AwardFiguresPage: Sendable {
    struct ProgramRow: Sendable {
        let id: UUID
        let name: String
        let applications: Int
        let nominated: Int
        let passed: Int
        let awarded: Int
        var passRate: String { applications == 0 ? "—" : String(format: "%.0f%%", Double(passed + awarded) * 100 / Double(applications)) }
    }
    struct ChannelRow: Sendable {
        let program: String
        let channel: String
        let quota: Int
        let used: Int
    }
    struct Breakdown: Sendable {
        let label: String
        let count: Int
    }

    let shell: PageShell
    let year: Int
    let years: [SelectOption]
    let programs: [ProgramRow]
    let channels: [ChannelRow]
    let byField: [Breakdown]
    let byRegion: [Breakdown]
    let bySex: [Breakdown]

    static let tables = ["programs", "channels", "field", "region", "sex"]

    /// The table `name` as an export: headers and rows.
    func export(_ name: String) -> (String, [String], [[String]])? {
        switch name {
        case "programs":
            return (
                "\(year)年评选申报情况", ["项目", "申报", "已推荐", "形式审查通过及以后", "入选", "通过率"],
                programs.map {
                    [$0.name, String($0.applications), String($0.nominated), String($0.passed), String($0.awarded), $0.passRate]
                }
            )
        case "channels":
            return (
                "\(year)年推荐渠道名额使用", ["项目", "推荐单位", "名额", "已推荐"],
                channels.map { [$0.program, $0.channel, String($0.quota), String($0.used)] }
            )
        case "field": return ("\(year)年入选者学科分布", ["学科", "入选"], byField.map { [$0.label, String($0.count)] })
        case "region": return ("\(year)年入选者地区分布", ["地区", "入选"], byRegion.map { [$0.label, String($0.count)] })
        case "sex": return ("\(year)年入选者性别分布", ["性别", "入选"], bySex.map { [$0.label, String($0.count)] })
        default: return nil
        }
    }
}

struct AwardFiguresController: Sendable {
    func register(_ web: any RoutesBuilder) {
        web.get(AwardsRoutes.figures, use: show)
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.manage)
        let today = Day.today(now: req.platform.clock())
        let yearText = req.query[String.self, at: "year"] ?? ""
        let year = Int(yearText).flatMap { (2000...2100).contains($0) ? $0 : nil } ?? today.year
        let page = try await AwardFiguresLoader(db: req.db).load(
            scope: actor.scope, year: year, shell: await PageShell.build(for: req, title: "评选统计"))
        if let format = req.exportFormat {
            guard let (name, headers, rows) = page.export(req.query[String.self, at: "table"] ?? "programs") else {
                throw PlatformError.invalidInput(field: "table", message: "未知的统计表")
            }
            return try await TableExport(fileName: name, headers: headers, rows: rows).response(format, for: req)
        }
        return try await page.render(req)
    }
}

struct AwardFiguresLoader {
    let db: any Database

    func load(scope: Scope, year: Int, shell: PageShell) async throws -> AwardFiguresPage {
        let inScope = scope.contains(column: "p.organization_id")
        let programs = try await db.sql().raw(
            """
            SELECT p.id, p.name, COUNT(a.id) AS applications,
              SUM(CASE WHEN a.status IN ('nominated', 'returned', 'passed', 'proposed', 'not_selected', 'awarded', 'withdrawn') THEN 1 ELSE 0 END) AS nominated,
              SUM(CASE WHEN a.status IN ('passed', 'proposed', 'not_selected', 'withdrawn') THEN 1 ELSE 0 END) AS passed,
              SUM(CASE WHEN a.status = 'awarded' THEN 1 ELSE 0 END) AS awarded
            FROM awards_programs p LEFT JOIN awards_applications a ON a.program_id = p.id
            WHERE \(inScope) AND p.year = \(bind: year) GROUP BY p.id, p.name ORDER BY p.name
            """
        ).all()
        let channels = try await db.sql().raw(
            """
            SELECT p.name AS program, o.name AS channel, c.quota,
              (SELECT COUNT(*) FROM awards_nominations n WHERE n.channel_id = c.id) AS used
            FROM awards_channels c JOIN awards_programs p ON p.id = c.program_id JOIN platform_organizations o ON o.id = c.organization_id
            WHERE \(inScope) AND p.year = \(bind: year) ORDER BY p.name, o.name
            """
        ).all()
        let laureates = try await db.sql().raw(
            """
            SELECT a.field, a.region, a.sex FROM awards_applications a JOIN awards_programs p ON p.id = a.program_id
            WHERE \(inScope) AND p.year = \(bind: year) AND a.status = 'awarded'
            """
        ).all()
        var fields: [String: Int] = [:]
        var regions: [String: Int] = [:]
        var sexes: [String: Int] = [:]
        for row in laureates {
            let field = try row.decode(column: "field", as: String.self)
            fields[field.isEmpty ? "未填写" : Self.fieldLabel(field), default: 0] += 1
            let region = try row.decode(column: "region", as: String.self)
            regions[region.isEmpty ? "未填写" : region, default: 0] += 1
            let sex = try row.decode(column: "sex", as: String.self)
            sexes[Sex(rawValue: sex)?.displayName ?? "未填写", default: 0] += 1
        }
        func sorted(_ counts: [String: Int]) -> [AwardFiguresPage.Breakdown] {
            counts.map { .init(label: $0.key, count: $0.value) }.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
        }
        return AwardFiguresPage(
            shell: shell, year: year,
            years: (2024...2027).reversed().map { SelectOption(value: String($0), label: "\($0) 年", selected: $0 == year) },
            programs: try programs.map { row in
                .init(
                    id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                    applications: try row.decode(column: "applications", as: Int.self),
                    nominated: try row.decode(column: "nominated", as: Int?.self) ?? 0,
                    passed: try row.decode(column: "passed", as: Int?.self) ?? 0,
                    awarded: try row.decode(column: "awarded", as: Int?.self) ?? 0)
            },
            channels: try channels.map { row in
                .init(
                    program: try row.decode(column: "program", as: String.self),
                    channel: try row.decode(column: "channel", as: String.self),
                    quota: try row.decode(column: "quota", as: Int.self), used: try row.decode(column: "used", as: Int.self))
            }, byField: sorted(fields), byRegion: sorted(regions), bySex: sorted(sexes))
    }

    /// The first-level discipline (GB/T 13745's three digits) the field code falls in.
    static func fieldLabel(_ code: String) -> String {
        let head = String(code.prefix(3))
        return disciplines[head].map { "\($0)（\(head)）" } ?? head
    }

    static let disciplines = [
        "110": "数学", "120": "信息科学与系统科学", "130": "力学", "140": "物理学", "150": "化学", "170": "地球科学", "180": "生物学",
        "210": "农学", "220": "林学", "230": "畜牧、兽医科学", "240": "水产学", "310": "基础医学", "320": "临床医学", "330": "预防医学与公共卫生学",
        "350": "药学", "360": "中医学与中药学", "410": "工程与技术科学基础学科", "460": "材料科学", "470": "矿山工程技术", "480": "冶金工程技术",
        "490": "机械工程", "510": "动力与电气工程", "520": "能源科学技术", "530": "核科学技术", "540": "电子与通信技术", "550": "计算机科学技术",
        "560": "化学工程", "580": "纺织科学技术", "610": "水利工程", "620": "交通运输工程", "630": "航空、航天科学技术", "830": "环境科学技术及资源科学技术", "840": "安全科学技术",
        "870": "管理学", "790": "经济学",
    ]
}

extension AwardFiguresPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "评选统计")
        h.el(.form, .method("get"), .action(AwardsRoutes.figures()), .class("filters"), .role("search")) { h in
            h.selectField("year", "年度", years)
            h.el(.button, .type("submit"), .class("button"), raw: "查看")
        }
        h.el(.p, .class("muted"), raw: "本单位及下级单位组织的评选项目：申报与通过率、推荐名额使用，以及入选者的学科、地区和性别分布。每张表可单独导出。")
        section(&h, "programs", "申报与通过率") { h in
            h.chart(
                Chart.bars(
                    id: "applications", title: "各项目申报数", summary: "本年度各评选项目收到的申报数。", categoryTitle: "项目", valueTitle: "申报（项）",
                    series: .init(id: "applications", label: "申报"), programs.map { ($0.name, Double($0.applications)) }))
            h.dataTable(
                .id("table-programs"), head: { h in h.columnHeaders(["项目", "申报", "已推荐", "形式审查通过", "入选", "通过率"]) },
                body: { h in
                    for p in programs {
                        h.el(.tr, .attr("data-program", p.id.uuidString)) { h in
                            h.el(.td) { h in h.el(.a, .href(AwardsRoutes.manageProgram(p.id)), text: p.name) }
                            h.el(.td, .class("num"), text: String(p.applications))
                            h.el(.td, .class("num"), text: String(p.nominated))
                            h.el(.td, .class("num"), text: String(p.passed))
                            h.el(.td, .class("num"), text: String(p.awarded))
                            h.el(.td, .class("num"), text: p.passRate)
                        }
                    }
                    if programs.isEmpty { h.emptyRow(columns: 6, "本年度暂无评选项目") }
                })
        }
        section(&h, "channels", "推荐渠道名额使用") { h in
            h.dataTable(
                .id("table-channels"), head: { h in h.columnHeaders(["项目", "推荐单位", "名额", "已推荐"]) },
                body: { h in
                    for c in channels {
                        h.el(.tr) { h in
                            h.el(.td, text: c.program)
                            h.el(.td, text: c.channel)
                            h.el(.td, .class("num"), text: String(c.quota))
                            h.el(.td, .class("num"), text: String(c.used))
                        }
                    }
                    if channels.isEmpty { h.emptyRow(columns: 4, "暂无推荐渠道") }
                })
        }
        breakdown(&h, "field", "入选者学科分布", "学科", byField)
        breakdown(&h, "region", "入选者地区分布", "地区", byRegion)
        breakdown(&h, "sex", "入选者性别分布", "性别", bySex)
    }

    private func section(_ h: inout HTML, _ id: String, _ title: String, _ body: (inout HTML) -> Void) {
        h.el(.section, .class("card"), .id(dynamic: "figures-" + id)) { h in
            h.el(.h2, text: title)
            h.el(.p, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(AwardsRoutes.figures(query: ["year": String(year), "table": id, "format": "csv"])), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(AwardsRoutes.figures(query: ["year": String(year), "table": id, "format": "xlsx"])), raw: "Excel")
            }
            body(&h)
        }
    }

    private func breakdown(_ h: inout HTML, _ id: String, _ title: String, _ category: String, _ rows: [Breakdown]) {
        section(&h, id, title) { h in
            h.chart(
                Chart.bars(
                    id: "by-" + id, title: title, summary: "本年度入选者按\(category)统计的人数。", categoryTitle: category, valueTitle: "入选（人）",
                    series: .init(id: "laureates", label: "入选"), rows.map { ($0.label, Double($0.count)) }))
        }
    }
}
