import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct PlanTaskPage: Sendable {
    struct Target: Encodable, Sendable {
        let id: String
        let text: String
        let planned: String
        let actual: String
        let bound: String?
        let reportable: Bool
        let metrics: [SelectOption]
        let bindAction: String
    }

    struct Report: Encodable, Sendable {
        let period: String
        let date: String
        let percent: Int
        let narrative: String
        let who: String
        let files: [SelectOption]
    }

    struct Step: Encodable, Sendable {
        let date: String
        let action: String
        let who: String
        let comment: String?
    }

    let shell: PageShell
    let planTitle: String
    let planLink: String
    let heading: String
    let section: String
    let source: String
    let lead: String
    let co: String
    let deadline: String
    let percent: Int
    let expected: Int
    let status: String
    let statusClass: String
    let state: String
    let targets: [Target]
    let reports: [Report]
    let steps: [Step]
    let canReport: Bool
    let canRequest: Bool
    let reportAction: String
    let supervisorActions: [SelectOption]
    let stepAction: String
    let values: [String: String]
    let errors: [String: String]
    let error: String?
}

struct PlanMinePage: Sendable {
    struct Row: Encodable, Sendable {
        let plan: String
        let heading: String
        let link: String
        let role: String
        let deadline: String
        let percent: Int
        let status: String
        let statusClass: String
        let state: String
        let lastReport: String
        /// Nothing reported yet in this period of the plan's cadence.
        let reportDue: Bool
    }

    let shell: PageShell
    let list: ListChrome
    let deadlineHeader: SortHeader
    let percentHeader: SortHeader
    let statuses: [SelectOption]
    let dueOnly: Bool
    let rows: [Row]
}

/// A task's page (进展报送, 督办), 我的任务 and metric binding (evidence is served by `GET /files/{id}`).
struct PlanTaskController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlansRoutes.mine, use: mine)
        web.get(PlansRoutes.task, use: show)
        web.upload(.POST, PlansRoutes.taskProgress, maxBytes: 60 << 20, use: report)
        web.post(PlansRoutes.taskSteps, use: step)
        web.post(PlansRoutes.targetMetric, use: bind)
    }

    private func service(_ req: Request) -> PlanService { PlanService(db: req.db, services: req.platform) }

    func show(_ req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:])
    }

    /// Handler: who, which task → its units, targets, reports, files and steps → the task page.
    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor
        let service = service(req)
        let (plan, task) = try await service.visibleTask(try req.uuidParameter(), actor: actor)
        let kinds = try await service.kinds(for: task, plan: plan, actor: actor)
        let today = Day.today(now: req.platform.clock())
        let rows = try await Self.load(task, service: service, on: req.db)
        let engine = WorkflowEngine(PlanService.definition)
        let available = engine.availableActions(in: task.state, for: kinds, context: WorkflowContext(now: req.platform.clock()))
        let manage = actor.can(PlansPermission.manage) && kinds.contains(.supervisor)
        let shell = await PageShell.build(for: req, title: task.heading)
        let metrics = req.platform.registry.metrics
        return try await Self.page(
            task, plan: plan, rows, today: today, available: available, manage: manage, metrics: metrics, values: values, errors: errors,
            shell: shell
        ).render(req, status: status)
    }

    /// What a task's page shows besides the task: one query per kind.
    struct TaskRows {
        let units: [PlanTaskUnit]
        let names: [String: String]
        let targets: [PlanTargetRecord]
        let reports: [PlanProgressReport]
        let files: [StoredFileInfo]
        let steps: [WorkflowStepRecord]

        func unitList(_ role: String) -> String {
            units.filter { $0.role == role }.map { names[PlanService.unitKey($0)] ?? $0.name }.joined(separator: "、")
        }
    }

    static func load(_ task: PlanTask, service: PlanService, on db: any Database) async throws -> TaskRows {
        let taskID = try task.requireID()
        let units = try await PlanTaskUnit.query(on: db).filter(\.$taskID == taskID).all()
        let names = try await service.unitNames(units)
        let targets = try await PlanTargetRecord.query(on: db).filter(\.$taskID == taskID).all()
        let reports = try await PlanProgressReport.query(on: db).filter(\.$taskID == taskID).sort(\.$createdAt, .descending).limit(100)
            .all()
        let files = try await FileStore(services: service.services).list(
            type: PlanFiles.policy.type, ids: try reports.map { try $0.requireID() }, on: db)
        let steps = try await service.runtime.history(of: taskID, on: db)
        return TaskRows(units: units, names: names, targets: targets, reports: reports, files: files, steps: steps)
    }

    /// The task page model.
    static func page(
        _ task: PlanTask, plan: PlanRecord, _ rows: TaskRows, today: Day, available: [PlanTaskWorkflow.Action], manage: Bool,
        metrics: [String: MetricDefinition], values: [String: String], errors: [String: String], shell: PageShell
    ) throws -> PlanTaskPage {
        let taskID = try task.requireID()
        let taskStatus = PlanService.status(of: task, plan: plan, today: today)
        let definition = PlanService.definition
        return PlanTaskPage(
            shell: shell, planTitle: plan.title,
            planLink: PlansRoutes.plan(try plan.requireID()),
            heading: task.heading, section: task.section, source: task.sourceText, lead: rows.unitList("lead"), co: rows.unitList("co"),
            deadline: taskStatus.deadline.description, percent: task.percent, expected: taskStatus.progress.expected,
            status: taskStatus.progress.status.label, statusClass: taskStatus.progress.status.rawValue,
            state: definition.label(of: task.state),
            targets: targets(rows.targets, available: available, manage: manage, metrics: metrics),
            reports: reports(rows.reports, files: rows.files), steps: steps(rows.steps),
            canReport: available.contains(.report), canRequest: available.contains(.requestCompletion),
            reportAction: PlansRoutes.taskProgress(taskID),
            supervisorActions: available.filter { ![.report, .requestCompletion].contains($0) }.map {
                SelectOption(value: $0.rawValue, label: definition.label(of: $0), selected: values["action"] == $0.rawValue)
            },
            stepAction: PlansRoutes.taskSteps(taskID), values: values, errors: errors,
            error: errors.isEmpty ? nil : errors.values.sorted().first)
    }

    static func targets(
        _ targets: [PlanTargetRecord], available: [PlanTaskWorkflow.Action], manage: Bool, metrics registered: [String: MetricDefinition]
    ) -> [PlanTaskPage.Target] {
        let metrics = registered.values.sorted { $0.id < $1.id }
        return targets.map { t in
            let id = t.id?.uuidString ?? ""
            let range: String = t.upTo.map { "–" + PlanFormat.number($0) } ?? ""
            let qualifier: String = t.qualifier.map { "\($0) " } ?? ""
            let planned = qualifier + PlanFormat.number(t.value) + range + " " + t.unit
            let actual: String = t.actual.map { PlanFormat.number($0) + " " + t.unit } ?? "未填报"
            var options: [SelectOption] = []
            if manage {
                options.append(SelectOption(value: "", label: "手工填报", selected: t.metricID == nil))
                for metric in metrics {
                    options.append(
                        SelectOption(value: metric.id, label: "\(metric.label)（\(metric.unit)）", selected: metric.id == t.metricID))
                }
            }
            return .init(
                id: id, text: t.text, planned: planned,
                actual: actual, bound: t.metricID.flatMap { registered[$0]?.label },
                reportable: t.metricID == nil && available.contains(.report), metrics: options,
                bindAction: t.id.map { PlansRoutes.targetMetric($0) } ?? "")
        }
    }

    static func reports(_ reports: [PlanProgressReport], files: [StoredFileInfo]) -> [PlanTaskPage.Report] {
        reports.map { r in
            .init(
                period: r.period, date: r.reportedOn.description, percent: r.percent, narrative: r.narrative, who: r.reporterName,
                files: files.filter { $0.owner.id == r.id }.map { f in
                    SelectOption(value: f.link, label: "\(f.fileName)（\(max(1, f.size / 1024)) KB）", selected: false)
                })
        }
    }

    static func steps(_ steps: [WorkflowStepRecord]) -> [PlanTaskPage.Step] {
        let definition = PlanService.definition
        return steps.map { step in
            .init(
                date: ChineseDate.dateTime(step.at),
                action: definition.action(of: step).map(definition.label(of:)) ?? step.action, who: step.actorName,
                comment: step.comment)
        }
    }

    /// Handler: the report form → the report, or the task page with what was refused.
    func report(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let targets = try await PlanTargetRecord.query(on: req.db).filter(\.$taskID == id).all()
        let fields = Self.reportFields(req.content, targets: targets)
        let (input, errors) = Self.reportInput(fields, files: Self.uploads(req.content))
        if !errors.isEmpty { return try await page(req, values: fields, errors: errors, status: .unprocessableEntity) }
        do {
            _ = try await service(req).report(id, input, actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, values: fields, errors: [refusal.field ?? "form": refusal.message], status: refusal.status)
        }
        return req.redirect(to: PlansRoutes.task(id, query: ["notice": "saved"]))
    }

    /// A multipart body does not decode as [String: String] (the files are not strings): read the known
    /// fields one by one, and one "actual-<target id>" per target of the task.
    static func reportFields(_ content: ContentContainer, targets: [PlanTargetRecord]) -> [String: String] {
        var fields: [String: String] = [:]
        for key in ["percent", "narrative", "requestCompletion"] {
            if let value = try? content.get(String.self, at: key) { fields[key] = value }
        }
        for target in targets {
            guard let targetID = target.id else { continue }
            if let value = try? content.get(String.self, at: "actual-\(targetID.uuidString)") {
                fields["actual-\(targetID.uuidString)"] = value
            }
        }
        return fields
    }

    static func uploads(_ content: ContentContainer) -> [PlanImportService.Upload] {
        struct FilesForm: Content { var files: [File]? }
        return ((try? content.decode(FilesForm.self))?.files ?? []).map {
            PlanImportService.Upload(fileName: $0.filename, data: Data(buffer: $0.data))
        }
    }

    /// The report the fields ask for, and the fields refused.
    static func reportInput(_ fields: [String: String], files: [PlanImportService.Upload]) -> (PlanService.Report, [String: String]) {
        var input = PlanService.Report()
        input.percent = fields["percent"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        input.narrative = fields["narrative"]
        input.requestCompletion = fields["requestCompletion"] != nil
        input.files = files
        var errors: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix("actual-") && !value.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let target = UUID(uuidString: String(key.dropFirst(7))) else { continue }
            if let number = try? BoundedNumber.decimal(value, field: key, in: InputBounds.amount) {
                input.actuals[target] = number
            } else {
                errors["percent"] = "实际完成数请填写 0 到 1 万亿之间的数字"
            }
        }
        return (input, errors)
    }

    func step(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        guard let action = fields["action"].flatMap(PlanTaskWorkflow.Action.init(rawValue:)), action != .report else {
            return try await page(req, values: fields, errors: ["action": "请选择要执行的操作"], status: .unprocessableEntity)
        }
        let quality = fields["quality"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        do {
            _ = try await service(req).step(action, on: id, comment: fields["comment"], quality: quality, actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            let key = refusal.field ?? (refusal.status == .unprocessableEntity ? "form" : "action")
            return try await page(req, values: fields, errors: [key: refusal.message], status: refusal.status)
        }
        return req.redirect(to: PlansRoutes.task(id, query: ["notice": "saved"]))
    }

    func bind(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let metric = (try? req.content.get(String.self, at: "metric")).flatMap { $0.isEmpty ? nil : $0 }
        guard let target = try await PlanTargetRecord.find(id, on: req.db) else { throw PlatformError.notFound }
        try await service(req).bind(id, metric: metric, actor: actor)
        return req.redirect(to: PlansRoutes.task(target.taskID, query: ["notice": "saved"]))
    }

    /// 我的任务: tasks of the actor's unit (its department, or the organization for its administrators).
    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let acting = actor.acting else { throw PlatformError.forbidden }
        let today = Day.today(now: req.platform.clock())
        let all = try await Self.mineEntries(for: actor, acting: acting, today: today, on: req.db)
        let params = try ListParameters(request: req, path: PlansRoutes.mine(), keys: ["status", "due"])
        let rows = Self.filter(all, params)
        if let format = req.exportFormat { return try await Self.export(rows).response(format, for: req) }
        return try await Self.minePage(rows, params, shell: await PageShell.build(for: req, title: "我的任务")).render(req)
    }

    /// One of my tasks, with what it is sorted by.
    typealias MineEntry = (deadline: Day, percent: Int, row: PlanMinePage.Row)

    /// The included tasks of active plans the actor's unit leads or helps with (its organization's,
    /// narrowed to its department unless an administrator): units, tasks and plans joined in one
    /// statement of plain columns.
    static func mineEntries(for actor: Actor, acting: Actor.Grant, today: Day, on db: any Database) async throws -> [MineEntry] {
        var statement: SQLQueryString = """
            SELECT u.role, t.id, t.heading, t.deadline, t.state, t.percent, t.last_report_on, p.title AS plan_title, p.year, p.cadence \
            FROM plans_task_units u JOIN plans_tasks t ON t.id = u.task_id JOIN plans_plans p ON p.id = t.plan_id \
            WHERE u.organization_id = \(bind: acting.organizationID) AND t.included \
            AND p.status = \(bind: PlanRecord.Status.active.rawValue)
            """
        if !actor.roles.contains(.orgadmin) {
            if let department = acting.departmentID {
                statement.appendInterpolation(unsafeRaw: " AND (u.department_id IS NULL OR u.department_id = ")
                statement.appendInterpolation(bind: department)
                statement.appendInterpolation(unsafeRaw: ")")
            } else {
                statement.appendInterpolation(unsafeRaw: " AND u.department_id IS NULL")
            }
        }
        statement.appendInterpolation(unsafeRaw: " LIMIT 5000")
        var leads: Set<UUID> = []
        var rows: [UUID: MineTask] = [:]
        var order: [UUID] = []
        for row in try await db.sql().raw(statement).all() {
            let task = try MineTask(row: row)
            if try row.decode(column: "role", as: String.self) == "lead" { leads.insert(task.id) }
            if rows[task.id] == nil { order.append(task.id) }
            rows[task.id] = task
        }
        return order.compactMap { id in rows[id].map { mineEntry($0, role: leads.contains(id) ? "牵头" : "配合", today: today) } }
    }

    /// The columns 我的任务 shows of one task and its plan.
    struct MineTask: Sendable {
        let id: UUID
        let heading: String
        let deadline: Day?
        let state: PlanTaskWorkflow.State
        let percent: Int
        let lastReportOn: Day?
        let planTitle: String
        let year: Int
        let cadence: PlanRecord.Cadence

        init(row: any SQLRow) throws {
            id = try row.decode(column: "id", as: UUID.self)
            heading = try row.decode(column: "heading", as: String.self)
            deadline = try row.decode(column: "deadline", as: Day?.self)
            state = try row.decode(column: "state", as: PlanTaskWorkflow.State.self)
            percent = try row.decode(column: "percent", as: Int.self)
            lastReportOn = try row.decode(column: "last_report_on", as: Day?.self)
            planTitle = try row.decode(column: "plan_title", as: String.self)
            year = try row.decode(column: "year", as: Int.self)
            cadence = try row.decode(column: "cadence", as: PlanRecord.Cadence.self)
        }
    }

    static func mineEntry(_ task: MineTask, role: String, today: Day) -> MineEntry {
        let deadline = task.deadline ?? Day(year: task.year, month: 12, day: 31) ?? today
        let progress = TaskProgress(
            actual: task.percent, done: task.state == .done, start: Day(year: task.year, month: 1, day: 1) ?? today, deadline: deadline,
            today: today)
        let cadence = task.cadence
        return (
            deadline, task.percent,
            .init(
                plan: task.planTitle, heading: task.heading, link: PlansRoutes.task(task.id), role: role,
                deadline: deadline.description, percent: task.percent, status: progress.status.label,
                statusClass: progress.status.rawValue,
                state: PlanService.definition.label(of: task.state),
                lastReport: task.lastReportOn?.description ?? "未报送",
                reportDue: task.state == .open
                    && task.lastReportOn.map { PlanService.period(of: $0, cadence: cadence) }
                        != PlanService.period(of: today, cadence: cadence)
            )
        )
    }

    /// Search, filter and sort in memory: a unit has tens of tasks, not thousands.
    static func filter(_ entries: [MineEntry], _ params: ListParameters) -> [MineEntry] {
        var rows = entries
        if let q = params.search { rows = rows.filter { $0.row.heading.contains(q) || $0.row.plan.contains(q) } }
        if let status = params["status"] { rows = rows.filter { $0.row.statusClass == status } }
        if params["due"] == "1" { rows = rows.filter { $0.row.reportDue } }
        rows.sort {
            params["sort"] == "percent"
                ? ($0.percent, $0.deadline) < ($1.percent, $1.deadline) : ($0.deadline, $0.percent) < ($1.deadline, $1.percent)
        }
        if params.descending { rows.reverse() }
        return rows
    }

    static func export(_ rows: [MineEntry]) -> TableExport {
        TableExport(
            fileName: "我的任务", headers: ["任务", "计划", "角色", "完成时限", "进度", "状态", "办理", "最近报送", "本期"],
            rows: rows.map { r in
                [
                    r.row.heading, r.row.plan, r.row.role, r.row.deadline, "\(r.row.percent)%", r.row.status, r.row.state,
                    r.row.lastReport,
                    r.row.reportDue ? "未报送" : "已报送",
                ]
            }
        )
    }

    /// The page model: one page of the filtered tasks.
    static func minePage(_ rows: [MineEntry], _ params: ListParameters, shell: PageShell) -> PlanMinePage {
        PlanMinePage(
            shell: shell, list: params.chrome(total: rows.count),
            deadlineHeader: params.sortLink("deadline", label: "完成时限"), percentHeader: params.sortLink("percent", label: "进度"),
            statuses: [SelectOption(value: "", label: "全部状态", selected: params["status"] == nil)]
                + TaskProgress.Status.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
                },
            dueOnly: params["due"] == "1",
            rows: Array(rows.dropFirst(params.offset).prefix(params.pageSize)).map(\.row)
        )
    }
}
