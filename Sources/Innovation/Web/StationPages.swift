import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct StationListPage: Sendable {
    struct Row: Encodable, Sendable {
        let link: String
        let name: String
        let kind: String
        let host: String
        let region: String
        let validity: String
        let expired: Bool
        let experts: Int
        let activities: Int
        let dockings: Int
    }

    let shell: PageShell
    let list: ListChrome
    let year: Int
    let kinds: [SelectOption]
    let activitiesHeader: SortHeader
    let rows: [Row]
}

struct StationFormPage: Sendable {
    struct Values: Content, Sendable {
        var kind: String?
        var name: String?
        var hostName: String?
        var hostKind: String?
        var experts: String?
        var validFrom: String?
        var validUntil: String?
        var region: String?
    }

    let shell: PageShell
    let action: String
    let kinds: [SelectOption]
    let hostKinds: [SelectOption]
    let values: Values
    let errors: [String: String]
    let error: String?
}

struct StationPage: Sendable {
    struct Activity: Encodable, Sendable {
        let date: String
        let kind: String
        let title: String
        let participants: Int
        let notes: String
    }

    struct DockingRow: Encodable, Sendable {
        let link: String
        let supply: String
        let demand: String
        let stage: String
        let stageClass: String
        let proposedOn: String
        let amount: String
    }

    struct Year: Encodable, Sendable {
        let year: Int
        let visits: Int
        let trainings: Int
        let problemsSolved: Int
        let participants: Int
        let dockings: Int
        let signed: Int
        let amount: String
    }

    struct ActivityValues: Content, Sendable {
        var kind: String?
        var heldOn: String?
        var title: String?
        var participants: String?
        var notes: String?
    }

    let shell: PageShell
    let name: String
    let kind: String
    let host: String
    let hostKind: String
    let organization: String
    let region: String
    let experts: [String]
    let validFrom: String
    let validUntil: String
    let expired: Bool
    let activities: [Activity]
    let dockings: [DockingRow]
    let years: [Year]
    let activityKinds: [SelectOption]
    let activityAction: String
    let values: ActivityValues
    let errors: [String: String]
    let error: String?
    let today: String
    let csvLink: String
    let xlsxLink: String
    let listLink: String
}

/// 学会科技服务站 and 院士专家工作站: the registry with this year's figures, the form, and a station's
/// page with its activity log, the dockings it produced and three years of figures.
struct StationController {
    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.stations, use: list)
        web.get(InnovationRoutes.newStation, use: new)
        web.post(InnovationRoutes.stations, use: create)
        web.get(InnovationRoutes.station, use: show)
        web.post(InnovationRoutes.stationActivities, use: record)
    }

    private func service(_ req: Request) -> StationService { StationService(db: req.db, services: req.platform) }

    /// Handler: who and which filters → the stations with this year's counts → the export or one page of them.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.stations)
        let params = try ListParameters(request: req, path: InnovationRoutes.stations(), keys: ["kind"])
        let kind = params["kind"].flatMap(Station.Kind.init(rawValue:))?.rawValue
        let stations = try await service(req).list(actor: actor, kind: kind, query: params.search)
        let today = Day.today(now: req.platform.clock())
        let counts = try await Self.counts(of: stations, year: today.year, on: req.db)
        let rows = Self.sorted(try Self.rows(stations, counts, today: today), params)
        if let format = req.exportFormat { return try await Self.export(rows, year: today.year, format, req) }
        let shell = await PageShell.build(for: req, title: "科技服务站和专家工作站")
        return try await Self.listPage(rows, kind: kind, year: today.year, params, shell: shell).render(req)
    }

    /// This year's activities and dockings of every listed station in two queries, counted here.
    static func counts(of stations: [Station], year: Int, on db: any Database) async throws
        -> (activities: [UUID: Int], dockings: [UUID: Int])
    {
        let ids = stations.compactMap(\.id)
        let activities = try await StationActivity.query(on: db).filter(\.$stationID ~~ ids)
            .filter(\.$heldOn >= Day.firstDay(of: year)).filter(\.$heldOn <= Day.lastDay(of: year)).field(\.$stationID).all()
        let dockings = try await Docking.query(on: db).filter(\.$stationID ~~ ids)
            .filter(\.$proposedOn >= Day.firstDay(of: year)).filter(\.$proposedOn <= Day.lastDay(of: year)).field(\.$stationID).all()
        var activityCount: [UUID: Int] = [:]
        for activity in activities { activityCount[activity.stationID, default: 0] += 1 }
        var dockingCount: [UUID: Int] = [:]
        for docking in dockings { if let id = docking.stationID { dockingCount[id, default: 0] += 1 } }
        return (activityCount, dockingCount)
    }

    static func rows(_ stations: [Station], _ counts: (activities: [UUID: Int], dockings: [UUID: Int]), today: Day) throws
        -> [StationListPage.Row]
    {
        try stations.map { station in
            let id = try station.requireID()
            return .init(
                link: InnovationRoutes.station(id), name: station.name, kind: station.kind.label,
                host: "\(station.hostName)（\(station.hostKind.label)）", region: station.region,
                validity: "\(station.validFrom) 至 \(station.validUntil)", expired: station.validUntil < today,
                experts: station.experts.split(whereSeparator: \.isNewline).count, activities: counts.activities[id] ?? 0,
                dockings: counts.dockings[id] ?? 0)
        }
    }

    /// The rows in the chosen order: by this year's activities, or as the service listed them.
    static func sorted(_ rows: [StationListPage.Row], _ params: ListParameters) -> [StationListPage.Row] {
        guard params["sort"] == "activities" else { return rows }
        let sorted = rows.sorted { ($0.activities, $0.dockings) < ($1.activities, $1.dockings) }
        return params.descending ? sorted.reversed() : sorted
    }

    static func export(_ rows: [StationListPage.Row], year: Int, _ format: TableExport.Format, _ req: Request) async throws -> Response {
        try await TableExport(
            fileName: "科技服务站和专家工作站",
            headers: ["名称", "类型", "依托单位", "所在地区", "有效期", "状态", "进站专家（人）", "\(year)年活动（次）", "\(year)年对接（项）"],
            rows: rows.map { r in
                [
                    r.name, r.kind, r.host, r.region, r.validity, r.expired ? "已过期" : "有效", String(r.experts), String(r.activities),
                    String(r.dockings),
                ]
            }
        ).response(format, for: req)
    }

    /// The page model for one page of stations.
    static func listPage(_ rows: [StationListPage.Row], kind: String?, year: Int, _ params: ListParameters, shell: PageShell)
        -> StationListPage
    {
        StationListPage(
            shell: shell, list: params.chrome(total: rows.count, newLink: InnovationRoutes.newStation()), year: year,
            kinds: [SelectOption(value: "", label: "全部类型", selected: kind == nil)]
                + Station.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: kind == $0.rawValue) },
            activitiesHeader: params.sortLink("activities", label: "\(year)年活动"),
            rows: Array(rows.dropFirst(params.offset).prefix(params.pageSize)))
    }

    func new(_ req: Request) async throws -> Response {
        try req.actor.require(InnovationPermission.stations)
        return try await formPage(req, values: .init(), errors: [:])
    }

    private func formPage(_ req: Request, values: StationFormPage.Values, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        try await StationFormPage(
            shell: await PageShell.build(for: req, title: "登记工作站"), action: InnovationRoutes.stations(),
            kinds: [SelectOption(value: "", label: "请选择", selected: values.kind == nil)]
                + Station.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values.kind == $0.rawValue) },
            hostKinds: [SelectOption(value: "", label: "请选择", selected: values.hostKind == nil)]
                + Station.HostKind.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: values.hostKind == $0.rawValue)
                },
            values: values, errors: errors, error: errors.isEmpty ? nil : "请按提示修改标红的内容"
        ).render(req, status: status)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.stations)
        let values = (try? req.content.decode(StationFormPage.Values.self)) ?? .init()
        let input = StationService.Input(
            kind: values.kind ?? "", name: values.name ?? "", hostName: values.hostName ?? "", hostKind: values.hostKind ?? "",
            experts: values.experts ?? "", validFrom: values.validFrom ?? "", validUntil: values.validUntil ?? "",
            region: values.region ?? "")
        do {
            let station = try await service(req).create(input, actor: actor)
            return req.redirect(to: InnovationRoutes.station(try station.requireID(), query: ["notice": "created"]))
        } catch PlatformError.invalidInput(let field, let message) {
            return try await formPage(req, values: values, errors: [field ?? "name": message], status: .unprocessableEntity)
        }
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, values: .init(), errors: [:])
    }

    func record(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(StationPage.ActivityValues.self)) ?? .init()
        let input = StationService.ActivityInput(
            kind: values.kind ?? "", heldOn: values.heldOn ?? "", title: values.title ?? "", participants: values.participants ?? "",
            notes: values.notes ?? "")
        do {
            _ = try await service(req).record(input, station: id, actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await page(req, values: values, errors: [field ?? "title": message], status: .unprocessableEntity)
        }
        return req.redirect(to: InnovationRoutes.station(id, query: ["notice": "saved"]) + "#activities")
    }

    /// Handler: who and which station → its activities, dockings and figures → the activity export or the page.
    private func page(_ req: Request, values: StationPage.ActivityValues, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        let today = Day.today(now: req.platform.clock())
        let detail = try await service(req).detail(try req.uuidParameter(), actor: actor, today: today)
        if let format = req.exportFormat { return try await Self.exportActivities(detail, format, req) }
        let titles = try await Self.postingTitles(of: detail.dockings, on: req.db)
        let organization = try await Organization.find(detail.station.organizationID, on: req.db)
        let shell = await PageShell.build(for: req, title: detail.station.name)
        return try await Self.page(
            detail, titles: titles, organization: organization?.name ?? "", values: values, errors: errors, today: today, shell: shell
        ).render(req, status: status)
    }

    static func exportActivities(_ detail: StationService.Detail, _ format: TableExport.Format, _ req: Request) async throws -> Response {
        try await TableExport(
            fileName: "\(detail.station.name)活动记录", headers: ["日期", "类型", "活动内容", "参与人数", "备注"],
            rows: detail.activities.map { a in
                [a.heldOn.description, a.kind.label, a.title, String(a.participants), a.notes]
            }
        ).response(format, for: req)
    }

    /// The titles of the dockings' postings, in one query.
    static func postingTitles(of dockings: [Docking], on db: any Database) async throws -> [UUID: String] {
        let postings = try await Posting.query(on: db).filter(\.$id ~~ Set(dockings.flatMap { [$0.supplyID, $0.demandID] })).all()
        return Dictionary(uniqueKeysWithValues: postings.compactMap { p in p.id.map { ($0, p.title) } })
    }

    /// The page model of one station; `values` and `errors` are those of the posted activity form.
    static func page(
        _ detail: StationService.Detail, titles: [UUID: String], organization: String, values: StationPage.ActivityValues,
        errors: [String: String], today: Day, shell: PageShell
    ) throws -> StationPage {
        let station = detail.station
        let id = try station.requireID()
        return StationPage(
            shell: shell, name: station.name, kind: station.kind.label,
            host: station.hostName, hostKind: station.hostKind.label, organization: organization,
            region: station.region, experts: station.experts.split(whereSeparator: \.isNewline).map(String.init),
            validFrom: station.validFrom.description, validUntil: station.validUntil.description, expired: station.validUntil < today,
            activities: activities(detail.activities), dockings: try dockings(detail.dockings, titles: titles), years: years(detail.years),
            activityKinds: [SelectOption(value: "", label: "请选择", selected: values.kind == nil)]
                + StationActivity.Kind.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: values.kind == $0.rawValue)
                },
            activityAction: InnovationRoutes.stationActivities(id),
            values: errors.isEmpty ? .init(heldOn: today.description) : values, errors: errors,
            error: errors.isEmpty ? nil : "活动未登记，请按提示修改", today: today.description,
            csvLink: InnovationRoutes.station(id, query: ["format": "csv"]),
            xlsxLink: InnovationRoutes.station(id, query: ["format": "xlsx"]), listLink: InnovationRoutes.stations())
    }

    static func activities(_ activities: [StationActivity]) -> [StationPage.Activity] {
        activities.map { a in
            .init(
                date: a.heldOn.description, kind: a.kind.label, title: a.title,
                participants: a.participants,
                notes: a.notes)
        }
    }

    static func dockings(_ dockings: [Docking], titles: [UUID: String]) throws -> [StationPage.DockingRow] {
        try dockings.map { d in
            .init(
                link: InnovationRoutes.docking(try d.requireID()), supply: titles[d.supplyID] ?? "", demand: titles[d.demandID] ?? "",
                stage: DockingController.stateLabel(d.state), stageClass: DockingController.stateClass(d.state),
                proposedOn: d.proposedOn.description,
                amount: DockingController.amount(d))
        }
    }

    static func years(_ years: [StationService.YearFigures]) -> [StationPage.Year] {
        years.map { y in
            .init(
                year: y.year, visits: y.visits, trainings: y.trainings, problemsSolved: y.problemsSolved, participants: y.participants,
                dockings: y.dockings, signed: y.signed, amount: DockingService.amount(y.contractAmount))
        }
    }
}
