import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PlanDashboardPage: Sendable {
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
    let boards: PlanBoardCache

    func register(_ web: any RoutesBuilder) {
        web.get(PlansRoutes.plan, use: show)
        web.post(PlansRoutes.refreshPlan, use: refresh)
    }

    /// Handler: who, which plan and filters → the board's matching tasks → the export or the dashboard.
    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = PlanService(db: req.db, services: req.platform)
        guard let plan = try await service.visiblePlan(try req.uuidParameter(), actor: actor) else { throw PlatformError.notFound }
        let id = try plan.requireID()
        guard plan.status == PlanRecord.Status.active else { return req.redirect(to: PlansRoutes.review(id)) }
        let today = Day.today(now: req.platform.clock())
        let board = try await boards.board(for: plan, today: today, on: req.db)
        let params = try ListParameters(request: req, path: PlansRoutes.plan(id), keys: ["status", "unit"])
        let filtered = try await Self.tasks(of: board, plan: id, params, on: req.db)
        if let format = req.exportFormat {
            return try await Self.export(filtered, of: board, plan: plan, on: req.db).response(format, for: req)
        }
        let canRefresh = actor.can(PlansPermission.manage)
        let shell = await PageShell.build(for: req, title: plan.title)
        return try await Self.page(plan, board: board, filtered: filtered, params, canRefresh: canRefresh, shell: shell).render(req)
    }

    /// The board's tasks that match the filters, in the asked order.
    static func tasks(of board: PlanBoard, plan id: UUID, _ params: ListParameters, on db: any Database) async throws -> [PlanBoard.Task] {
        var filtered = board.tasks
        if let status = params["status"] { filtered = filtered.filter { $0.status.progress.status.rawValue == status } }
        if let unit = params["unit"] { filtered = filtered.filter { $0.unitKeys.contains(unit) } }
        if let q = params.search {
            let found = try await PlanBoard.matching(q, plan: id, on: db)
            filtered = filtered.filter { found.contains($0.id) || board.name($0.leadKey).contains(q) }
        }
        switch params["sort"] {
        case "deadline": filtered.sort { ($0.status.deadline, $0.sequence) < ($1.status.deadline, $1.sequence) }
        case "percent": filtered.sort { ($0.percent, $0.sequence) < ($1.percent, $1.sequence) }
        default: break
        }
        if params.descending { filtered.reverse() }
        return filtered
    }

    /// The task list export: the filtered tasks with their targets (one query) and texts (one query).
    static func export(
        _ filtered: [PlanBoard.Task], of board: PlanBoard, plan: PlanRecord, on db: any Database
    ) async throws -> TableExport {
        let id = try plan.requireID()
        let definition = PlanService.definition
        let targets = try await PlanTargetRecord.query(on: db).filter(\.$taskID ~~ board.tasks.map(\.id)).all()
        let byTask = Dictionary(grouping: targets, by: \.taskID)
        let texts = Dictionary(
            uniqueKeysWithValues: try await PlanTask.query(on: db).filter(\.$planID == id).all().compactMap { t in
                t.id.map { ($0, (t.coNames, t.sourceText)) }
            })
        return TableExport(
            fileName: "\(plan.year)年任务清单",
            headers: ["序号", "所属部分", "任务", "牵头单位", "配合单位", "完成时限", "进度", "应完成进度", "状态", "办理状态", "指标完成情况", "原文"],
            rows: filtered.map { e in
                [
                    String(e.sequence), e.section, e.heading, board.name(e.leadKey), texts[e.id]?.0 ?? "",
                    e.status.deadline.description,
                    "\(e.percent)%", "\(e.status.progress.expected)%", e.status.progress.status.label,
                    definition.label(of: e.state),
                    (byTask[e.id] ?? []).map { t in
                        "\(t.text)：\(t.actual.map(PlanFormat.number) ?? "未填报")/\(PlanFormat.number(t.value))\(t.unit)"
                    }.joined(separator: "；"),
                    texts[e.id]?.1 ?? "",
                ]
            }
        )
    }

    /// The page model: counts, the two charts, the filters and one page of the filtered tasks.
    static func page(
        _ plan: PlanRecord, board: PlanBoard, filtered: [PlanBoard.Task], _ params: ListParameters, canRefresh: Bool, shell: PageShell
    ) throws -> PlanDashboardPage {
        let id = try plan.requireID()
        let unitGroups = unitGroups(board)
        return PlanDashboardPage(
            shell: shell, title: plan.title, year: plan.year, counts: counts(board.tasks),
            charts: [
                chart("by-section", "按部分的平均进度", category: "部分", groups: sections(board.tasks)),
                chart("by-unit", "按责任单位的平均进度", category: "责任单位", groups: unitGroups),
            ],
            list: params.chrome(total: filtered.count), deadlineHeader: params.sortLink("deadline", label: "完成时限"),
            percentHeader: params.sortLink("percent", label: "进度"),
            statuses: [SelectOption(value: "", label: "全部状态", selected: params["status"] == nil)]
                + TaskProgress.Status.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
                },
            units: unitOptions(unitGroups, names: board.names, params),
            rows: rows(Array(filtered.dropFirst(params.offset).prefix(params.pageSize)), board: board),
            evaluationLink: PlansRoutes.evaluation(id), reportLink: PlansRoutes.annualReport(id),
            refreshAction: canRefresh ? PlansRoutes.refreshPlan(id) : nil)
    }

    /// The counts by traffic light, done and due this period.
    static func counts(_ entries: [PlanBoard.Task]) -> [SelectOption] {
        TaskProgress.Status.allCases.map { status in
            SelectOption(
                value: status.rawValue, label: "\(status.label) \(entries.filter { $0.status.progress.status == status }.count)",
                selected: false)
        } + [
            SelectOption(
                value: "done", label: "已完成 \(entries.filter { $0.state == .done }.count)",
                selected: false),
            SelectOption(value: "due", label: "本期未报送 \(entries.filter(\.reportDue).count)", selected: false),
        ]
    }

    /// One bar per group: the average percent of its tasks, on an axis to 100%.
    static func chart(_ id: String, _ title: String, category: String, groups: [(String, [PlanBoard.Task])]) -> Chart {
        Chart.bars(
            id: id, title: "各\(category)任务平均完成进度", summary: "\(title)：每个\(category)所有任务完成进度的平均值（0–100%）。", categoryTitle: category,
            valueTitle: "平均进度（%）",
            unit: "%", maximum: 100, series: .init(id: "average", label: "平均进度"),
            groups.map { group in
                let tasks = group.1
                return (group.0, Double(tasks.isEmpty ? 0 : tasks.map(\.percent).reduce(0, +) / tasks.count))
            })
    }

    /// The tasks grouped by section, in the order the sections first appear.
    static func sections(_ entries: [PlanBoard.Task]) -> [(String, [PlanBoard.Task])] {
        var sections: [(String, [PlanBoard.Task])] = []
        for entry in entries {
            if let index = sections.firstIndex(where: { $0.0 == entry.section }) {
                sections[index].1.append(entry)
            } else {
                sections.append((entry.section, [entry]))
            }
        }
        return sections
    }

    /// The tasks grouped by responsible unit, the units with most tasks first.
    static func unitGroups(_ board: PlanBoard) -> [(String, [PlanBoard.Task])] {
        let entries = board.tasks
        return Set(entries.flatMap(\.unitKeys)).map { key in
            (board.names[key] ?? key, entries.filter { $0.unitKeys.contains(key) })
        }.sorted { ($0.1.count, $1.0) > ($1.1.count, $0.0) }
    }

    static func unitOptions(
        _ unitGroups: [(String, [PlanBoard.Task])], names unitNames: [String: String], _ params: ListParameters
    ) -> [SelectOption] {
        [SelectOption(value: "", label: "全部单位", selected: params["unit"] == nil)]
            + unitGroups.compactMap { group in
                guard let key = unitNames.first(where: { $0.value == group.0 })?.key else { return nil }
                return SelectOption(value: key, label: group.0, selected: params["unit"] == key)
            }
    }

    static func rows(_ page: [PlanBoard.Task], board: PlanBoard) -> [PlanDashboardPage.Row] {
        let definition = PlanService.definition
        return page.map { e in
            .init(
                sequence: e.sequence, heading: e.heading, link: PlansRoutes.task(e.id), section: e.section, lead: board.name(e.leadKey),
                deadline: e.status.deadline.description, percent: e.percent, expected: e.status.progress.expected,
                status: e.status.progress.status.label, statusClass: e.status.progress.status.rawValue,
                state: definition.label(of: e.state))
        }
    }

    /// 刷新指标: recomputes the bound targets now rather than at the next background run.
    func refresh(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = PlanService(db: req.db, services: req.platform)
        let plan = try await service.managedPlan(try req.uuidParameter(), actor: actor)
        try await service.refreshTargets(of: plan)
        return req.redirect(to: PlansRoutes.plan(try plan.requireID(), query: ["notice": "saved"]))
    }
}
