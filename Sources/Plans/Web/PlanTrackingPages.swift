import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PlanDashboardPage: TypedPage {
    struct Bar: Encodable, Sendable {
        let label: String
        let tasks: Int
        let done: Int
        let average: Int
        let percent: Double
        let y: Int
        let labelY: Int
    }

    struct Chart: Encodable, Sendable {
        let id: String
        let title: String
        let bars: [Bar]
        let height: Int
    }

    struct Row: Encodable, Sendable {
        let sequence: Int
        let heading: String
        let link: String
        let section: String
        let lead: String
        let deadline: String
        let percent: Int
        let expected: Int
        let status: String
        let statusClass: String
        let state: String
    }

    static let template = "Plans/dashboard"
    let shell: PageShell
    let title: String
    let year: Int
    let counts: [SelectOption]
    let charts: [Chart]
    let list: ListChrome
    let deadlineHeader: SortHeader
    let percentHeader: SortHeader
    let statuses: [SelectOption]
    let units: [SelectOption]
    let rows: [Row]
    let evaluationLink: String
    let reportLink: String
    let refreshAction: String?
}

/// 计划看板: completion by section and by unit, red/amber/green counts and the task table.
struct PlanDashboardController {
    func register(_ web: any RoutesBuilder) {
        web.get("plans", ":id", use: show)
        web.post("plans", ":id", "refresh", use: refresh)
    }

    struct Entry: Sendable {
        let task: PlanTask
        let status: PlanService.TaskStatus
        let lead: String
        let unitKeys: [String]
    }

    /// Every included task with its status and lead unit's name; the dashboard, the export and the
    /// annual report read this.
    static func entries(_ plan: PlanRecord, today: Day, on db: any Database, services: PlatformServices) async throws -> [Entry] {
        let planID = try plan.requireID()
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == planID).filter(\.$included == true).sort(\.$sequence).all()
        let units = try await PlanTaskUnit.query(on: db).filter(\.$planID == planID).all()
        let names = try await PlanService(db: db, services: services).unitNames(units)
        let byTask = Dictionary(grouping: units, by: \.taskID)
        return tasks.map { task in
            let mine = byTask[task.id ?? UUID()] ?? []
            let lead = mine.first { $0.role == "lead" }
            return Entry(
                task: task, status: PlanService.status(of: task, plan: plan, today: today),
                lead: lead.map { names[PlanService.unitKey($0)] ?? $0.name } ?? "",
                unitKeys: mine.filter { $0.organizationID != nil }.map(PlanService.unitKey))
        }
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = PlanService(db: req.db, services: req.platform)
        guard let plan = try await service.visiblePlan(try req.uuidParameter(), actor: actor) else { throw PlatformError.notFound }
        let id = try plan.requireID()
        guard plan.status == PlanRecord.Status.active.rawValue else { return req.redirect(to: PlanPaths.review(id)) }
        let today = Day.today(now: req.platform.clock())
        let entries = try await Self.entries(plan, today: today, on: req.db, services: req.platform)
        let units = try await PlanTaskUnit.query(on: req.db).filter(\.$planID == id).filter(\.$organizationID != nil).all()
        let unitNames = try await service.unitNames(units)
        let params = ListParameters(request: req, path: PlanPaths.plan(id), pageSize: 50, keys: ["status", "unit"])
        var filtered = entries
        if let status = params["status"] { filtered = filtered.filter { $0.status.progress.status.rawValue == status } }
        if let unit = params["unit"] { filtered = filtered.filter { $0.unitKeys.contains(unit) } }
        if let q = params.search {
            filtered = filtered.filter { $0.task.heading.contains(q) || $0.task.sourceText.contains(q) || $0.lead.contains(q) }
        }
        switch params["sort"] {
        case "deadline": filtered.sort { ($0.status.deadline, $0.task.sequence) < ($1.status.deadline, $1.task.sequence) }
        case "percent": filtered.sort { ($0.task.percent, $0.task.sequence) < ($1.task.percent, $1.task.sequence) }
        default: break
        }
        if params.descending { filtered.reverse() }
        let definition = PlanService.definition
        if let format = req.query[String.self, at: "format"].flatMap(TableExport.Format.init(rawValue:)) {
            let targets = try await PlanTargetRecord.query(on: req.db).filter(\.$taskID ~~ entries.compactMap(\.task.id)).all()
            let byTask = Dictionary(grouping: targets, by: \.taskID)
            return try TableExport(
                fileName: "\(plan.year)年任务清单",
                headers: ["序号", "所属部分", "任务", "牵头单位", "配合单位", "完成时限", "进度", "应完成进度", "状态", "办理状态", "指标完成情况", "原文"],
                rows: filtered.map { e in
                    [
                        String(e.task.sequence), e.task.section, e.task.heading, e.lead, e.task.coNames, e.status.deadline.description,
                        "\(e.task.percent)%", "\(e.status.progress.expected)%", e.status.progress.status.label,
                        PlanTaskWorkflow.State(rawValue: e.task.state).map(definition.label(of:)) ?? e.task.state,
                        (byTask[e.task.id ?? UUID()] ?? []).map { t in
                            "\(t.text)：\(t.actual.map(PlanFormat.number) ?? "未填报")/\(PlanFormat.number(t.value))\(t.unit)"
                        }.joined(separator: "；"),
                        e.task.sourceText,
                    ]
                }
            ).response(format)
        }
        func chart(_ id: String, _ title: String, groups: [(String, [Entry])]) -> PlanDashboardPage.Chart {
            let bars = groups.enumerated().map { index, group in
                let tasks = group.1
                let average = tasks.isEmpty ? 0 : tasks.map(\.task.percent).reduce(0, +) / tasks.count
                return PlanDashboardPage.Bar(
                    label: group.0, tasks: tasks.count, done: tasks.filter { $0.task.state == PlanTaskWorkflow.State.done.rawValue }.count,
                    average: average, percent: Double(average), y: index * 28, labelY: index * 28 + 16)
            }
            return .init(id: id, title: title, bars: bars, height: max(28, bars.count * 28))
        }
        var sections: [(String, [Entry])] = []
        for entry in entries {
            if let index = sections.firstIndex(where: { $0.0 == entry.task.section }) {
                sections[index].1.append(entry)
            } else {
                sections.append((entry.task.section, [entry]))
            }
        }
        let unitGroups = Set(entries.flatMap(\.unitKeys)).map { key in
            (unitNames[key] ?? key, entries.filter { $0.unitKeys.contains(key) })
        }.sorted { ($0.1.count, $1.0) > ($1.1.count, $0.0) }
        let page = Array(filtered.dropFirst(params.offset).prefix(params.pageSize))
        return try await PlanDashboardPage(
            shell: await PageShell.build(for: req, title: plan.title), title: plan.title, year: plan.year,
            counts: TaskProgress.Status.allCases.map { status in
                SelectOption(
                    value: status.rawValue, label: "\(status.label) \(entries.filter { $0.status.progress.status == status }.count)",
                    selected: false)
            } + [
                SelectOption(
                    value: "done", label: "已完成 \(entries.filter { $0.task.state == PlanTaskWorkflow.State.done.rawValue }.count)",
                    selected: false)
            ],
            charts: [chart("by-section", "按部分的平均进度", groups: sections), chart("by-unit", "按责任单位的平均进度", groups: unitGroups)],
            list: params.chrome(total: filtered.count), deadlineHeader: params.sortLink("deadline", label: "完成时限"),
            percentHeader: params.sortLink("percent", label: "进度"),
            statuses: [SelectOption(value: "", label: "全部状态", selected: params["status"] == nil)]
                + TaskProgress.Status.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
                },
            units: [SelectOption(value: "", label: "全部单位", selected: params["unit"] == nil)]
                + unitGroups.compactMap { group in
                    guard let key = unitNames.first(where: { $0.value == group.0 })?.key else { return nil }
                    return SelectOption(value: key, label: group.0, selected: params["unit"] == key)
                },
            rows: page.map { e in
                .init(
                    sequence: e.task.sequence, heading: e.task.heading, link: PlanPaths.task(e.task.id ?? UUID()), section: e.task.section,
                    lead: e.lead, deadline: e.status.deadline.description, percent: e.task.percent, expected: e.status.progress.expected,
                    status: e.status.progress.status.label, statusClass: e.status.progress.status.rawValue,
                    state: PlanTaskWorkflow.State(rawValue: e.task.state).map(definition.label(of:)) ?? e.task.state)
            },
            evaluationLink: PlanPaths.plan(id) + "/evaluation", reportLink: PlanPaths.plan(id) + "/annual-report",
            refreshAction: actor.can(PlansPermission.manage) ? PlanPaths.plan(id) + "/refresh" : nil
        ).render(req)
    }

    /// 刷新指标: recomputes the bound targets now rather than at the next background run.
    func refresh(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlansPermission.manage)
        let service = PlanService(db: req.db, services: req.platform)
        guard let plan = try await service.visiblePlan(try req.uuidParameter(), actor: actor) else { throw PlatformError.notFound }
        try await service.refreshTargets(of: plan)
        return req.redirect(to: PlanPaths.plan(try plan.requireID()) + "?notice=saved")
    }
}
