import Fluent
import Foundation
import KexieKit
import Vapor

/// One figure as the API and the cockpit give it.
public struct MetricValue: Content, Sendable {
    public let id: String
    public let label: String
    public let unit: String
    public let span: String
    public let value: Double
    /// The cockpit page listing what the figure counts (same subtree, same period).
    public let listUrl: String
    /// The API list whose `total` equals `value`; nil for figures that are not counts.
    public let apiListUrl: String?
}

struct MetricBreakdownDTO: Content {
    struct Child: Content {
        let organizationID: UUID
        let organizationName: String
        let value: Double
        let listUrl: String
    }

    let metric: MetricValue
    let organizationID: UUID
    let period: String
    let children: [Child]
}

struct MetricRecordsDTO: Content {
    let metric: String
    let organizationID: UUID
    let period: String
    let items: [MetricRecord]
    let page: Int
    let per: Int
    let total: Int
}

/// Answers the registered figures for a subtree and a period: the cockpit's one source, shared by the
/// pages and the API so both read the same scope and period the same way.
struct MetricsService {
    let registry: ModuleRegistry
    let db: any Database

    /// Whose figures and for when, from `organization` and `period`: the acting organization and the
    /// current year unless given; an organization outside the actor's subtree is not found (404).
    struct Selection {
        let organization: Organization
        let period: ReportingPeriod

        var query: MetricDefinition.Query { .init(organization: organization, period: period) }
    }

    /// The API treats a parameter sent empty (`period=`) or invalid as an error (422), as its contract
    /// says. The pages pass `problems`: an empty field means the default there, and an invalid one is
    /// reported beside its field while the page shows the default.
    static func selection(_ req: Request) async throws -> Selection {
        try await read(req, lenient: false).selection
    }

    static func pageSelection(_ req: Request) async throws -> (selection: Selection, problems: [String: String]) {
        try await read(req, lenient: true)
    }

    private static func read(_ req: Request, lenient: Bool) async throws -> (selection: Selection, problems: [String: String]) {
        var problems: [String: String] = [:]
        let actor = try req.actor
        try actor.require(PlatformPermission.metricsRead)
        func sent(_ key: String) -> String? {
            guard let value = req.sentQueryValue(key) else { return nil }
            return lenient && value.trimmingCharacters(in: .whitespaces).isEmpty ? nil : value
        }
        func refuse(_ field: String, _ message: String) throws {
            guard lenient else { throw PlatformError.invalidInput(field: field, message: message) }
            problems[field] = message
        }
        var organizationID = actor.actingOrganizationID
        if let text = sent("organization") {
            if let id = UUID(uuidString: text) {
                organizationID = id
            } else if lenient, let id = try await OrganizationLookup(db: req.db).resolve(text, in: .subtree, actor: actor) {
                // The page's picker without its script sends the name or path typed.
                organizationID = id
            } else {
                try refuse("organization", lenient ? "未找到该组织，请从列表中选择或填写完整路径" : "组织编号格式不正确")
            }
        }
        let organization = try await actor.scope.requireOrganization(organizationID, on: req.db)
        var period = ReportingPeriod.year(Day.today(now: req.platform.clock()).year)
        if let text = sent("period") {
            if let parsed = ReportingPeriod(parsing: String(text.prefix(16))) {
                period = parsed
            } else {
                try refuse("period", "统计期应写作 2026、2026-Q4 或 2026-11（1949–2100 年）")
            }
        }
        return (Selection(organization: organization, period: period), problems)
    }

    /// Batched figures come from one query per batch; the others one query each.
    func values(_ selection: Selection) async throws -> [MetricValue] {
        var batches: [String: [String: Double]] = [:]
        var result: [MetricValue] = []
        for metric in registry.orderedMetrics where metric.answers(selection.period) {
            if let batch = metric.batch {
                if batches[batch.id] == nil { batches[batch.id] = try await batch.compute(selection.query, db) }
                result.append(try value(metric, batches[batch.id]?[metric.id] ?? 0, selection))
            } else {
                result.append(try await value(metric, selection))
            }
        }
        return result
    }

    func value(_ metric: MetricDefinition, _ selection: Selection) async throws -> MetricValue {
        try value(metric, try await metric.compute(selection.query, db), selection)
    }

    private func value(_ metric: MetricDefinition, _ value: Double, _ selection: Selection) throws -> MetricValue {
        let query: KeyValuePairs<String, String?> = [
            "organization": try selection.organization.requireID().uuidString, "period": selection.period.description,
        ]
        return MetricValue(
            id: metric.id, label: metric.label, unit: metric.unit, span: metric.span.rawValue, value: value,
            listUrl: PlatformRoutes.metric(metric.id) + SiteRoute<Void>.queryString(query),
            apiListUrl: metric.records == nil ? nil : PlatformRoutes.apiMetricRecords(metric.id) + SiteRoute<Void>.queryString(query))
    }

    /// The figure for each active child organization (each child's whole subtree).
    func breakdown(_ metric: MetricDefinition, _ selection: Selection) async throws -> [(Organization, MetricValue)] {
        let children = try await Organization.query(on: db).filter(\.$parentID == selection.organization.requireID())
            .filter(\.$isActive == true).sort(\.$name).all()
        var result: [(Organization, MetricValue)] = []
        for child in children {
            result.append((child, try await value(metric, Selection(organization: child, period: selection.period))))
        }
        return result
    }

    static func metric(_ req: Request, _ registry: ModuleRegistry) throws -> MetricDefinition {
        guard let id = req.parameters.get("metric"), let metric = registry.metrics[id] else { throw PlatformError.notFound }
        return metric
    }
}

extension ModuleRegistry {
    /// The figures in module order, then as each module lists them.
    var orderedMetrics: [MetricDefinition] {
        var seen: Set<String> = []
        return modules.flatMap(\.metrics).filter { seen.insert($0.id).inserted }
    }
}

/// `GET /api/v1/metrics`, `/api/v1/metrics/{metric}` (with the breakdown by child organization) and
/// `/api/v1/metrics/{metric}/records` (the list a counting figure counts).
struct MetricsAPIController {
    func register(_ api: any RoutesBuilder) {
        api.get(PlatformRoutes.apiMetrics, use: list)
        api.get(PlatformRoutes.apiMetric, use: show)
        api.get(PlatformRoutes.apiMetricRecords, use: records)
    }

    func list(_ req: Request) async throws -> [MetricValue] {
        let selection = try await MetricsService.selection(req)
        return try await MetricsService(registry: req.platform.registry, db: req.db).values(selection)
    }

    func show(_ req: Request) async throws -> MetricBreakdownDTO {
        let selection = try await MetricsService.selection(req)
        let metric = try MetricsService.metric(req, req.platform.registry)
        try Self.requireAnswerable(metric, selection)
        let service = MetricsService(registry: req.platform.registry, db: req.db)
        return MetricBreakdownDTO(
            metric: try await service.value(metric, selection), organizationID: try selection.organization.requireID(),
            period: selection.period.description,
            children: try await service.breakdown(metric, selection).map { child, value in
                .init(organizationID: try child.requireID(), organizationName: child.name, value: value.value, listUrl: value.listUrl)
            })
    }

    func records(_ req: Request) async throws -> MetricRecordsDTO {
        let selection = try await MetricsService.selection(req)
        let metric = try MetricsService.metric(req, req.platform.registry)
        try Self.requireAnswerable(metric, selection)
        guard let records = metric.records else { throw PlatformError.notFound }
        try req.actor.require(records.permission)
        let paging = try req.paging()
        let total = try await records.count(selection.query, req.db)
        let items = try await records.page(selection.query, req.db, paging.range.lowerBound, paging.per)
        return MetricRecordsDTO(
            metric: metric.id, organizationID: try selection.organization.requireID(), period: selection.period.description, items: items,
            page: paging.page, per: paging.per, total: total)
    }

    static func requireAnswerable(_ metric: MetricDefinition, _ selection: MetricsService.Selection) throws {
        guard metric.answers(selection.period) else {
            throw PlatformError.invalidInput(field: "period", message: "“\(metric.label)”只按整年统计，请选择年份")
        }
    }
}

// MARK: - Pages

struct MetricsPage: Sendable {
    struct Row: Sendable {
        let id: String
        let label: String
        let value: String
        let unit: String
        let span: String
        let link: String
    }

    let shell: PageShell
    let organizationName: String
    var period: String
    let periodLabel: String
    let organization: OrganizationPickerValue
    let rows: [Row]
    /// A filter that could not be read, beside its field (the figures are then the default's).
    var errors: [String: String] = [:]
}

struct MetricPage: Sendable {
    struct Child: Sendable {
        let name: String
        let value: String
        let number: Double
        let link: String
    }

    struct Record: Sendable {
        let id: UUID
        let title: String
        let day: String
        let organization: String
        let link: String?
    }

    let shell: PageShell
    let id: String
    let label: String
    let unit: String
    let value: String
    let organizationName: String
    let periodLabel: String
    let children: [Child]
    /// Nil when the figure is not a count, or the actor may not read what it counts.
    let records: [Record]?
    let list: ListChrome?
    let backLink: String
}

/// 统计指标: the cockpit (every figure for a subtree and period) and one figure's drill-down (its value
/// by child organization and the list it counts, which has exactly that many rows).
struct MetricsController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.metrics, use: cockpit)
        web.get(PlatformRoutes.metric, use: drillDown)
    }

    func cockpit(_ req: Request) async throws -> Response {
        let (selection, problems) = try await MetricsService.pageSelection(req)
        let values = try await MetricsService(registry: req.platform.registry, db: req.db).values(selection)
        let choice = try await OrganizationLookup(db: req.db).choices([selection.organization]).first
        let organization = OrganizationPickerValue(
            set: .subtree, id: choice?.id.uuidString ?? "", text: choice?.path ?? selection.organization.name)
        var page = Self.cockpitPage(values, organization, selection, shell: await PageShell.build(for: req, title: "统计指标"))
        page.errors = problems
        if let asked = req.query[String.self, at: "period"], problems["period"] != nil { page.period = String(asked.prefix(16)) }
        return try await page.render(req, status: problems.isEmpty ? .ok : .unprocessableEntity)
    }

    static func cockpitPage(
        _ values: [MetricValue], _ organization: OrganizationPickerValue, _ selection: MetricsService.Selection, shell: PageShell
    )
        -> MetricsPage
    {
        MetricsPage(
            shell: shell, organizationName: selection.organization.name, period: selection.period.description,
            periodLabel: selection.period.label,
            organization: organization,
            rows: values.map {
                .init(id: $0.id, label: $0.label, value: format($0.value), unit: $0.unit, span: spanLabel($0.span), link: $0.listUrl)
            })
    }

    func drillDown(_ req: Request) async throws -> Response {
        let selection = try await MetricsService.selection(req)
        let metric = try MetricsService.metric(req, req.platform.registry)
        try MetricsAPIController.requireAnswerable(metric, selection)
        let readable = try metric.records.flatMap { try req.actor.can($0.permission) ? $0 : nil }
        if let source = readable, let format = req.exportFormat { return try await Self.export(metric, source, selection, format, req) }
        let service = MetricsService(registry: req.platform.registry, db: req.db)
        let value = try await service.value(metric, selection)
        let children = try await service.breakdown(metric, selection)
        let params = try ListParameters(
            request: req, path: PlatformRoutes.metric(metric.id), pageSize: 50, keys: ["organization", "period"])
        var records: (total: Int, rows: [MetricRecord])?
        if let source = readable {
            records = (
                try await source.count(selection.query, req.db),
                try await source.page(selection.query, req.db, params.offset, params.pageSize)
            )
        }
        let shell = await PageShell.build(for: req, title: metric.label)
        return try await Self.drillDownPage(metric, value, children, records, params, selection, shell: shell).render(req)
    }

    static func drillDownPage(
        _ metric: MetricDefinition, _ value: MetricValue, _ children: [(Organization, MetricValue)],
        _ records: (total: Int, rows: [MetricRecord])?,
        _ params: ListParameters, _ selection: MetricsService.Selection, shell: PageShell
    ) -> MetricPage {
        MetricPage(
            shell: shell, id: metric.id, label: metric.label, unit: metric.unit, value: format(value.value),
            organizationName: selection.organization.name, periodLabel: selection.period.label,
            children: children.map { .init(name: $0.0.name, value: format($0.1.value), number: $0.1.value, link: $0.1.listUrl) },
            records: records?.rows.map {
                .init(id: $0.id, title: $0.title, day: $0.day ?? "—", organization: $0.organization, link: $0.link)
            },
            list: records.map { params.chrome(total: $0.total) },
            backLink: PlatformRoutes.metrics(query: [
                "organization": selection.organization.id?.uuidString, "period": selection.period.description,
            ]))
    }

    static func export(
        _ metric: MetricDefinition, _ source: MetricRecords, _ selection: MetricsService.Selection, _ format: TableExport.Format,
        _ req: Request
    ) async throws -> Response {
        let rows = try await source.page(selection.query, req.db, 0, 200_000)
        return try await TableExport(
            fileName: "\(metric.label)-\(selection.organization.name)-\(selection.period.description)",
            headers: ["名称", "日期", "所属组织", "编号"],
            rows: rows.map { [$0.title, $0.day ?? "", $0.organization, $0.id.uuidString] }
        ).response(format, for: req)
    }

    /// Counts without decimals, averages and amounts with at most two.
    static func format(_ value: Double) -> String {
        if value == value.rounded() { return String(Int(value)) }
        return String(format: "%.2f", value)
    }

    static func spanLabel(_ span: String) -> String {
        switch MetricDefinition.Span(rawValue: span) {
        case .stock: return "现有总数"
        case .yearly: return "按年统计"
        default: return "统计期内"
        }
    }
}
