import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 活动统计: the figures of an organization's subtree for a period — events held, national and
/// international meetings, participants, trainees — each linked to the metric's drill-down list
/// (`/metrics/{id}`), SVG charts by month and by level, tables by level and by kind, and the events
/// counted as a list (filter by level or kind, search, sort, page, CSV and Excel). For staff holding
/// `events.manage`; the organization is one of the actor's subtree (another is not found). The
/// figures are one statement (`EventFigures.rows`).
struct EventFiguresController: Sendable {
    static let route = EventsRoutes.figures
    static let pageSize = 50

    static let navigation = NavigationEntry(
        label: "活动统计", path: route(), permission: EventsPermission.manage, order: 810, group: .statistics)

    func register(_ web: any RoutesBuilder) {
        web.get(Self.route, use: show)
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(EventsPermission.manage)
        let params = try ListParameters(
            request: req, path: Self.route(), pageSize: Self.pageSize, keys: ["organization", "period", "level", "kind"])
        var errors: [String: String] = [:]
        var organizationID = actor.actingOrganizationID
        if let text = params["organization"] {
            if let id = UUID(uuidString: text) {
                organizationID = id
            } else if let id = try await OrganizationLookup(db: req.db).resolve(text, in: .subtree, actor: actor) {
                organizationID = id
            } else {
                errors["organization"] = "未找到该组织，请从列表中选择或填写完整路径"
            }
        }
        let organization = try await actor.scope.requireOrganization(organizationID, on: req.db)
        var period = ReportingPeriod.year(Day.today(now: req.platform.clock()).year)
        if let text = params["period"] {
            if let parsed = ReportingPeriod(parsing: String(text.prefix(16))) {
                period = parsed
            } else {
                errors["period"] = "统计期应写作 2026、2026-Q4 或 2026-11（1949–2100 年）"
            }
        }
        let rows = try await EventFigures.rows(path: organization.path, period: period, on: req.db)
        let listed = Self.listed(rows, params)
        if let format = req.exportFormat {
            return try await TableExport(
                fileName: "活动统计-\(organization.name)-\(period.label)", headers: ["名称", "类型", "级别", "主办单位", "开始时间", "参加人次", "链接"],
                rows: listed.map { row in
                    [
                        row.title, row.kind.label, row.level.label, row.organizer, ChineseDate.dateTime(row.startsAt),
                        String(row.participants),
                        EventsRoutes.event(row.id),
                    ]
                }
            ).response(format, for: req)
        }
        let choice = try await OrganizationLookup(db: req.db).choices([organization]).first
        let picker = OrganizationPickerValue(
            set: .subtree, id: choice?.id.uuidString ?? "",
            text: errors["organization"] == nil ? (choice?.path ?? organization.name) : (params["organization"] ?? ""))
        let page = Self.page(
            rows: rows, listed: listed, params: params, organization: organization, picker: picker, period: period,
            periodText: errors["period"] == nil ? period.description : (params["period"] ?? ""), errors: errors,
            shell: await PageShell.build(for: req, title: "活动统计"))
        return try await page.render(req, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// The events the list shows: filtered by level, kind and title, sorted (start by default).
    static func listed(_ rows: [EventFigures.Row], _ params: ListParameters) -> [EventFigures.Row] {
        var result = rows
        if let level = params["level"].flatMap(Event.Level.init(rawValue:)) { result = result.filter { $0.level == level } }
        if let kind = params["kind"].flatMap(Event.Kind.init(rawValue:)) { result = result.filter { $0.kind == kind } }
        if let q = params.search { result = result.filter { $0.title.localizedCaseInsensitiveContains(q) } }
        switch params["sort"] {
        case "participants":
            result.sort { ($0.participants, $1.startsAt, $1.id.uuidString) < ($1.participants, $0.startsAt, $0.id.uuidString) }
        case "title": result.sort { ($0.title, $0.id.uuidString) < ($1.title, $1.id.uuidString) }
        default: break  // by start, as read
        }
        return params.descending ? result.reversed() : result
    }

    static func metricLink(_ id: String, _ organization: Organization, _ period: ReportingPeriod) -> String {
        PlatformRoutes.metric(id) + "?organization=" + (organization.id?.uuidString ?? "") + "&period=" + period.description
    }

    static func page(
        rows: [EventFigures.Row], listed: [EventFigures.Row], params: ListParameters, organization: Organization,
        picker: OrganizationPickerValue, period: ReportingPeriod, periodText: String, errors: [String: String], shell: PageShell
    ) -> EventFiguresPage {
        let totals = EventFigures.totals(rows)
        let headlines = [
            (EventMetrics.held, "举办活动（场）"), (EventMetrics.meetings, "国际性和全国性学术会议（场）"),
            (EventMetrics.participants, "参加人次"), (EventMetrics.trainees, "培训人次"),
        ].map { id, label in
            EventFiguresPage.Headline(
                id: id, label: label, value: String(Int(totals[id] ?? 0)), link: metricLink(id, organization, period))
        }
        func listLink(_ changes: [String: String?]) -> String {
            params.link(changes.merging(["page": nil, "level": nil, "kind": nil, "q": nil]) { first, _ in first }) + "#figures-events"
        }
        let levels = EventFigures.byLevel(rows)
        let kinds = EventFigures.byKind(rows)
        let months = EventFigures.byMonth(rows, period: period)
        let monthChart = Chart.bars(
            id: "events-by-month", title: "各月举办活动（场）", summary: "\(organization.name)\(period.label)各月开始举办的活动场次。",
            categoryTitle: "月份", valueTitle: "活动（场）", series: .init(id: "events", label: "活动"),
            months.map { ("\($0.month)月", Double($0.events)) })
        let levelChart = Chart(
            id: "events-by-level", title: "按级别的活动与参加人次", summary: "\(organization.name)\(period.label)按活动级别统计的场次和参加人次。",
            categoryTitle: "级别", valueTitle: "数量",
            series: [.init(id: "events", label: "活动（场）"), .init(id: "participants", label: "参加人次")],
            categories: levels.map { .init(label: $0.level.label, values: [Double($0.events), Double($0.participants)]) })
        let start = min(params.offset, listed.count)
        let end = min(start + params.pageSize, listed.count)
        return EventFiguresPage(
            shell: shell, path: route(), organizationName: organization.name, periodLabel: period.label, picker: picker,
            period: periodText, errors: errors, headlines: headlines, monthChart: monthChart, levelChart: levelChart,
            levels: levels.map {
                .init(
                    key: $0.level.rawValue, label: $0.level.label, events: $0.events, participants: $0.participants,
                    link: listLink(["level": $0.level.rawValue]))
            },
            kinds: kinds.map {
                .init(
                    key: $0.kind.rawValue, label: $0.kind.label, events: $0.events, participants: $0.participants,
                    link: listLink(["kind": $0.kind.rawValue]))
            },
            list: params.chrome(
                total: listed.count,
                headers: [
                    params.sortLink("title", label: "名称"), params.sortLink("starts", label: "开始时间"),
                    params.sortLink("participants", label: "参加人次"),
                ]),
            levelOptions: EventDisplay.options(Event.Level.allCases, selected: params["level"], blank: "全部级别") { $0.label },
            kindOptions: EventDisplay.options(Event.Kind.allCases, selected: params["kind"], blank: "全部类型") { $0.label },
            hidden: ["organization": picker.id.isEmpty ? nil : picker.id, "period": errors["period"] == nil ? period.description : nil],
            events: listed[start..<end].map { row in
                .init(
                    id: row.id.uuidString, title: row.title, link: EventsRoutes.event(row.id), kind: row.kind.label, level: row.level.label,
                    organizer: row.organizer, starts: ChineseDate.dateTime(row.startsAt), participants: row.participants)
            })
    }
}

struct EventFiguresPage: Sendable {
    struct Headline: Sendable {
        let id: String
        let label: String
        let value: String
        let link: String
    }

    struct Breakdown: Sendable {
        let key: String
        let label: String
        let events: Int
        let participants: Int
        let link: String
    }

    struct Listed: Sendable {
        let id: String
        let title: String
        let link: String
        let kind: String
        let level: String
        let organizer: String
        let starts: String
        let participants: Int
    }

    let shell: PageShell
    let path: String
    let organizationName: String
    let periodLabel: String
    let picker: OrganizationPickerValue
    let period: String
    let errors: [String: String]
    let headlines: [Headline]
    let monthChart: Chart
    let levelChart: Chart
    let levels: [Breakdown]
    let kinds: [Breakdown]
    let list: ListChrome
    let levelOptions: [SelectOption]
    let kindOptions: [SelectOption]
    /// The selection the list's filter form keeps.
    let hidden: [String: String?]
    let events: [Listed]
}

extension EventFiguresPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in h.el(.h1, raw: "活动统计") }
        h.el(
            .p, .class("muted"),
            raw:
                "本组织及下级组织主办或承办（协办）的、已发布或已结束的活动，按开始日期计入统计期；参加人次为签到人数（同一报名签到多个场次计一次，现场登记每条计一次）；国际性和全国性学术会议指级别为国际、全国且类型为学术会议或论坛的活动。点击数字查看所统计的清单。"
        )
        h.formErrorSummary(errors, labels: ["period": "统计期", "organization": "组织"], order: ["organization", "period"])
        h.el(.form, .method("get"), .action(path), .class("filters"), .role("search"), .id("figures-selection")) { h in
            h.organizationPicker("organization", label: "组织", picker, errors: errors)
            h.inputField("period", label: "统计期", value: period, errors: errors, hint: "2026、2026-Q4 或 2026-11")
            h.el(.button, .type("submit"), .class("button"), raw: "查看")
        }
        h.el(.p, .id("figures-scope")) { h in
            h.text(organizationName)
            h.raw(" · ")
            h.text(periodLabel)
        }
        h.el(.div, .class("panels figures-headlines"), .id("figures-headlines")) { h in
            for headline in headlines {
                h.el(.section, .class("card headline"), .id(dynamic: "headline-" + headline.id)) { h in
                    h.el(.p, .class("headline-label"), text: headline.label)
                    h.el(.p, .class("headline-value")) { h in
                        h.el(
                            .a, .href(headline.link), .attr("data-metric", headline.id), .attr("data-value", headline.value),
                            text: headline.value)
                    }
                }
            }
        }
        h.el(.div, .class("event-figures-charts")) { h in
            h.el(.section, .class("card chart"), .id("chart-events-by-month")) { h in h.chart(monthChart) }
            h.el(.section, .class("card chart"), .id("chart-events-by-level")) { h in h.chart(levelChart) }
        }
        breakdown(&h, id: "figures-by-level", title: "按级别", column: "级别", levels)
        breakdown(&h, id: "figures-by-kind", title: "按类型", column: "类型", kinds)
        h.el(.section, .class("card"), .id("figures-events")) { h in
            h.el(.h2, raw: "统计的活动")
            h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
                for (key, value) in hidden.sorted(by: { $0.key < $1.key }) {
                    if let value { h.void(.input, .type("hidden"), .name(dynamic: key), .value(value)) }
                }
                h.inputField("q", "名称", value: list.q)
                h.selectField("level", "级别", levelOptions)
                h.selectField("kind", "类型", kindOptions)
                h.el(.button, .type("submit"), .class("button"), raw: "筛选")
                h.el(.span, .class("exports")) { h in
                    h.raw("导出：")
                    h.el(.a, .href(list.csvLink), .id("export-csv"), raw: "CSV")
                    h.raw(" ")
                    h.el(.a, .href(list.xlsxLink), .id("export-xlsx"), raw: "Excel")
                }
            }
            h.dataTable(
                .id("figures-event-list"), .attr("data-total", String(list.pager.total)),
                head: { h in
                    h.sortHeader(list.headers[0])
                    h.columnHeaders(["类型", "级别", "主办单位"])
                    h.sortHeader(list.headers[1])
                    h.sortHeader(list.headers[2])
                },
                body: { h in
                    for r in events {
                        h.el(.tr, .attr("data-event-id", r.id)) { h in
                            h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                            h.el(.td, text: r.kind)
                            h.el(.td, text: r.level)
                            h.el(.td, text: r.organizer)
                            h.el(.td, text: r.starts)
                            h.el(.td, .class("number"), .attr("data-participants", String(r.participants)), text: String(r.participants))
                        }
                    }
                    if events.isEmpty { h.emptyRow(columns: 6, "没有符合条件的活动") }
                })
            h.pager(list.pager)
        }
    }

    private func breakdown(_ h: inout HTML, id: String, title: String, column: String, _ rows: [Breakdown]) {
        h.el(.section, .class("card"), .id(dynamic: id)) { h in
            h.el(.h2, text: title)
            h.dataTable(
                .class("dense"), .id(dynamic: "table-" + id),
                head: { h in
                    h.el(.th, .attr("scope", literal: "col"), text: column)
                    h.columnHeaders(["活动（场）", "参加人次"])
                },
                body: { h in
                    for r in rows {
                        h.el(.tr, .attr("data-key", r.key)) { h in
                            h.el(.td, text: r.label)
                            h.el(.td, .class("number")) { h in
                                h.el(.a, .href(r.link), .attr("data-events", String(r.events)), text: String(r.events))
                            }
                            h.el(.td, .class("number"), .attr("data-participants", String(r.participants)), text: String(r.participants))
                        }
                    }
                })
        }
    }
}
