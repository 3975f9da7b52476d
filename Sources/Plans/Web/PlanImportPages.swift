import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct PlanListPage: Sendable {
    struct Row: Encodable, Sendable {
        let title: String
        let link: String
        let year: Int
        let status: String
        let tasks: Int
        let cadence: String
    }

    let shell: PageShell
    let list: ListChrome
    let yearHeader: SortHeader
    let rows: [Row]
    let canImport: Bool
}

struct PlanUploadPage: Sendable {
    let shell: PageShell
    let cadences: [SelectOption]
    let errors: [String: String]
}

struct PlanReviewPage: Sendable {
    struct Task: Encodable, Sendable {
        let id: String
        let sequence: Int
        let section: String
        let label: String
        let heading: String
        let source: String
        let leadNames: String
        let coNames: String
        let deadline: String
        let included: Bool
        let targets: String
        /// What is wrong with this task's fields, shown beside them.
        let error: String?
    }

    struct Name: Encodable, Sendable {
        let name: String
        let field: String
        let options: [SelectOption]
        let how: String
        let known: Bool
        let error: String?
    }

    let shell: PageShell
    let title: String
    let fileName: String
    let action: String
    let confirmAction: String
    let tasks: [Task]
    let names: [Name]
    let errors: [String: String]
    let error: String?
}

/// 计划列表, 上传, 解析结果核对 and 确认.
struct PlanImportController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlansRoutes.plans, use: list)
        web.get(PlansRoutes.newPlan, use: new)
        web.upload(.POST, PlansRoutes.plans, maxBytes: 24 << 20, use: upload)
        web.get(PlansRoutes.review, use: review)
        web.post(PlansRoutes.review, use: saveReview)
        web.post(PlansRoutes.confirm, use: confirm)
    }

    private func importer(_ req: Request) -> PlanImportService { PlanImportService(db: req.db, services: req.platform) }

    /// Handler: the plans in scope → the export or one page, each with its number of tasks, in one
    /// statement (`PagedSelect`).
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlansPermission.read)
        let params = try ListParameters(request: req, path: PlansRoutes.plans(), keys: [])
        var condition = actor.scope.contains(column: "organization_id")
        if !actor.can(PlansPermission.manage) {
            condition.appendInterpolation(unsafeRaw: " AND status = ")
            condition.appendInterpolation(bind: PlanRecord.Status.active.rawValue)
        }
        if let q = params.search {
            condition.appendInterpolation(unsafeRaw: " AND title LIKE ")
            condition.appendInterpolation(
                bind: "%" + q.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%")
        }
        let order = params["sort"] == "year" ? "year \(params.descending ? "DESC" : "ASC"), id" : "created_at DESC, id"
        let format = req.exportFormat
        let page = try await PagedSelect(
            columns: PlanListing.columns, from: PlanRecord.schema, where: condition, order: order,
            limit: format == nil ? params.pageSize : 10_000, offset: format == nil ? params.offset : 0, countCap: nil
        ).run(on: req.db)
        let plans = try page.rows.map(PlanListing.init(row:))
        func status(_ plan: PlanListing) -> String { plan.status == .active ? "执行中" : "待确认" }
        if let format {
            return try await TableExport(
                fileName: "工作计划", headers: ["计划", "年度", "状态", "任务数", "报送周期"],
                rows: plans.map { [$0.title, String($0.year), status($0), String($0.tasks), $0.cadence.label] }
            ).response(format, for: req)
        }
        return try await PlanListPage(
            shell: await PageShell.build(for: req, title: "工作计划"), list: params.chrome(total: page.total),
            yearHeader: params.sortLink("year", label: "年度"),
            rows: plans.map { plan in
                .init(
                    title: plan.title, link: plan.status == .active ? PlansRoutes.plan(plan.id) : PlansRoutes.review(plan.id),
                    year: plan.year, status: status(plan), tasks: plan.tasks, cadence: plan.cadence.label)
            },
            canImport: actor.can(PlansPermission.manage)
        ).render(req)
    }

    func new(_ req: Request) async throws -> Response {
        try req.actor.require(PlansPermission.manage)
        return try await uploadPage(req, errors: [:])
    }

    private func uploadPage(_ req: Request, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        try await PlanUploadPage(
            shell: await PageShell.build(for: req, title: "上传工作计划"),
            cadences: PlanRecord.Cadence.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == .monthly) },
            errors: errors
        ).render(req, status: status)
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlansPermission.manage)
        struct Form: Content {
            var file: File?
            var cadence: String?
        }
        let form = try? req.content.decode(Form.self)
        let upload = PlanImportService.Upload(
            fileName: form?.file?.filename ?? "", data: form?.file.map { Data(buffer: $0.data) } ?? Data())
        let cadence = form?.cadence.flatMap(PlanRecord.Cadence.init(rawValue:)) ?? .monthly
        do {
            let plan = try await importer(req).importPlan(upload, cadence: cadence, actor: actor)
            return req.redirect(to: PlansRoutes.review(try plan.requireID()))
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await uploadPage(req, errors: [refusal.field ?? "form": refusal.message], status: .unprocessableEntity)
        }
    }

    func review(_ req: Request) async throws -> Response {
        try await reviewPage(req, errors: [:])
    }

    /// Handler: who, which draft → its tasks, targets and unit names → the review page.
    private func reviewPage(_ req: Request, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let importer = importer(req)
        let plan = try await importer.draft(try req.uuidParameter(), actor: actor)
        let id = try plan.requireID()
        let tasks = try await PlanTask.query(on: req.db).filter(\.$planID == id).sort(\.$sequence).all()
        let targets = try await PlanTargetRecord.query(on: req.db).filter(\.$taskID ~~ tasks.compactMap(\.id)).all()
        let matcher = try await importer.matcher(for: plan)
        let candidates = try await importer.candidates(for: plan)
        let names = Self.reviewNames(tasks, matcher: matcher, candidates: candidates, errors: errors)
        let shell = await PageShell.build(for: req, title: "核对解析结果")
        return try await Self.reviewPage(plan, tasks: tasks, targets: targets, names: names, errors: errors, shell: shell)
            .render(req, status: status)
    }

    /// One row per unit name of the included tasks, in the order first written, with the units it may mean.
    static func reviewNames(
        _ tasks: [PlanTask], matcher: UnitNameMatcher, candidates: [UnitNameMatcher.Candidate], errors: [String: String]
    ) -> [PlanReviewPage.Name] {
        var seen: Set<String> = []
        var names: [PlanReviewPage.Name] = []
        for task in tasks where task.included {
            for name in PlanImportService.names(task.leadNames) + PlanImportService.names(task.coNames) where seen.insert(name).inserted {
                let match = matcher.match(name)
                let chosen = match.id
                names.append(
                    .init(
                        name: name, field: "unit-\(name)",
                        options: [SelectOption(value: "", label: "请选择", selected: chosen == nil)]
                            + [SelectOption(value: "external", label: "外部单位（不分派任务）", selected: chosen == "external")]
                            + candidates.map {
                                SelectOption(
                                    value: $0.id, label: ($0.id.hasPrefix("d:") ? "部门：" : "组织：") + $0.name, selected: $0.id == chosen)
                            },
                        how: how(match), known: match != .unknown, error: errors["map-\(name)"]))
            }
        }
        return names
    }

    static func how(_ match: UnitNameMatcher.Match) -> String {
        switch match {
        case .alias: return "按已保存的对应关系"
        case .exact: return "名称一致"
        case .abbreviation: return "按简称推测，请确认"
        case .unknown: return "未能识别，请选择"
        }
    }

    /// The review page model.
    static func reviewPage(
        _ plan: PlanRecord, tasks: [PlanTask], targets: [PlanTargetRecord], names: [PlanReviewPage.Name], errors: [String: String],
        shell: PageShell
    ) throws -> PlanReviewPage {
        let id = try plan.requireID()
        func targetText(_ taskID: UUID?) -> String {
            targets.filter { $0.taskID == taskID }.map { t in
                let value = PlanFormat.number(t.value) + (t.upTo.map { "-" + PlanFormat.number($0) } ?? "")
                return [value, t.unit, t.qualifier ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            }.joined(separator: "\n")
        }
        return PlanReviewPage(
            shell: shell, title: plan.title, fileName: plan.fileName,
            action: PlansRoutes.review(id), confirmAction: PlansRoutes.confirm(id),
            tasks: tasks.map { task in
                .init(
                    id: task.id?.uuidString ?? "", sequence: task.sequence, section: task.section, label: task.label, heading: task.heading,
                    source: task.sourceText, leadNames: task.leadNames, coNames: task.coNames, deadline: task.deadline?.description ?? "",
                    included: task.included, targets: targetText(task.id),
                    error: task.id.flatMap { id in
                        let messages = errors.filter { $0.key.hasSuffix(id.uuidString) }.sorted { $0.key < $1.key }.map(\.value)
                        return messages.isEmpty ? nil : messages.joined(separator: "；")
                    })
            },
            names: names, errors: errors, error: errors.isEmpty ? nil : errors["plan"] ?? "请按提示修改标红的内容")
    }

    /// The review form: per task `heading-<id>`, `lead-<id>`, `co-<id>`, `deadline-<id>`, `targets-<id>`,
    /// `include-<id>`, and per unit name `unit-<name>`.
    static func edits(_ req: Request, tasks: [PlanTask]) -> ([UUID: PlanImportService.TaskEdit], [String: String]) {
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        var edits: [UUID: PlanImportService.TaskEdit] = [:]
        for task in tasks {
            guard let id = task.id else { continue }
            let key = id.uuidString
            guard fields["heading-\(key)"] != nil else { continue }
            edits[id] = .init(
                heading: fields["heading-\(key)"] ?? "", leadNames: fields["lead-\(key)"] ?? "", coNames: fields["co-\(key)"] ?? "",
                deadline: fields["deadline-\(key)"] ?? "", included: fields["include-\(key)"] != nil,
                targets: fields["targets-\(key)"] ?? "")
        }
        var mappings: [String: String] = [:]
        // "unit-<name>", not "map[<name>]": the form decoder reads brackets as nesting.
        for (key, value) in fields where key.hasPrefix("unit-") {
            mappings[String(key.dropFirst(5))] = value
        }
        return (edits, mappings)
    }

    func saveReview(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let tasks = try await PlanTask.query(on: req.db).filter(\.$planID == id).all()
        let (edits, mappings) = Self.edits(req, tasks: tasks)
        do {
            try await importer(req).saveReview(planID: id, edits: edits, mappings: mappings, actor: actor)
        } catch PlansError.reviewIncomplete(let errors) {
            return try await reviewPage(req, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: PlansRoutes.review(id, query: ["notice": "saved"]))
    }

    func confirm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let tasks = try await PlanTask.query(on: req.db).filter(\.$planID == id).all()
        let (edits, mappings) = Self.edits(req, tasks: tasks)
        do {
            // The review form's 确认 button sends the corrections too: save them, then confirm.
            if !edits.isEmpty || !mappings.isEmpty {
                try await importer(req).saveReview(planID: id, edits: edits, mappings: mappings, actor: actor)
            }
            _ = try await importer(req).confirm(planID: id, actor: actor)
        } catch PlansError.reviewIncomplete(let errors) {
            return try await reviewPage(req, errors: errors, status: .unprocessableEntity)
        }
        return req.redirect(to: PlansRoutes.plan(id, query: ["notice": "saved"]))
    }
}

enum PlanFormat {
    /// 17 rather than 17.0; 1.5 stays.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
    }
}

/// One row of the plan list: the plan's columns and its number of included tasks, read without a model.
struct PlanListing: Sendable {
    static let columns =
        "id, title, year, status, cadence, "
        + "(SELECT COUNT(*) FROM plans_tasks t WHERE t.plan_id = plans_plans.id AND t.included) AS tasks"

    let id: UUID
    let title: String
    let year: Int
    let status: PlanRecord.Status
    let cadence: PlanRecord.Cadence
    let tasks: Int

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        title = try row.decode(column: "title", as: String.self)
        year = try row.decode(column: "year", as: Int.self)
        status = try row.decode(column: "status", as: PlanRecord.Status.self)
        cadence = try row.decode(column: "cadence", as: PlanRecord.Cadence.self)
        tasks = try row.decode(column: "tasks", as: Int.self)
    }
}
