import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PlanEvaluationPage: Sendable {
    struct Row: Encodable, Sendable {
        let rank: Int
        let unit: String
        let lead: Int
        let co: Int
        let completion: String
        let timeliness: String
        let quality: String
        let total: String
    }

    let shell: PageShell
    let title: String
    let planLink: String
    let rows: [Row]
    let weights: [String: String]
    let canEdit: Bool
    let action: String
    let errors: [String: String]
    let csvLink: String
    let xlsxLink: String
}

struct PlanAnnualReportPage: Sendable {
    struct Section: Encodable, Sendable {
        let title: String
        let tasks: [Task]
    }

    struct Task: Encodable, Sendable {
        let sequence: Int
        let heading: String
        let lead: String
        let percent: Int
        let status: String
        let state: String
        let latest: String
    }

    let shell: PageShell
    let title: String
    let year: Int
    let generated: String
    let totals: String
    let sections: [Section]
    let units: [PlanEvaluationPage.Row]
}

/// 年度考核 (weights per plan, scores per unit, export) and the printable 年度报告.
struct PlanEvaluationController {
    let boards: PlanBoardCache

    func register(_ web: any RoutesBuilder) {
        web.get(PlansRoutes.evaluation, use: show)
        web.post(PlansRoutes.evaluation, use: saveWeights)
        web.get(PlansRoutes.annualReport, use: annualReport)
    }

    private func plan(_ req: Request) async throws -> (PlanService, PlanRecord) {
        let service = PlanService(db: req.db, services: req.platform)
        guard let plan = try await service.visiblePlan(try req.uuidParameter(), actor: try req.actor),
            plan.status == PlanRecord.Status.active
        else { throw PlatformError.notFound }
        return (service, plan)
    }

    static func rows(_ scores: [PlanService.UnitScore]) -> [PlanEvaluationPage.Row] {
        scores.enumerated().map { index, s in
            .init(
                rank: index + 1, unit: s.unit, lead: s.lead, co: s.co, completion: String(format: "%.1f", s.completion),
                timeliness: String(format: "%.1f", s.timeliness), quality: String(format: "%.1f", s.quality),
                total: String(format: "%.1f", s.total))
        }
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, weights: nil, errors: [:])
    }

    private func page(_ req: Request, weights: [String: String]?, errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor
        let (service, plan) = try await plan(req)
        let id = try plan.requireID()
        let today = Day.today(now: req.platform.clock())
        let rows = Self.rows(PlanService.evaluation(plan, board: try await boards.board(for: plan, today: today, on: req.db), today: today))
        if let format = req.exportFormat {
            return try await TableExport(
                fileName: "\(plan.year)年度考核",
                headers: ["名次", "单位", "牵头任务", "配合任务", "完成度", "及时性", "质量", "综合得分"],
                rows: rows.map {
                    [String($0.rank), $0.unit, String($0.lead), String($0.co), $0.completion, $0.timeliness, $0.quality, $0.total]
                }
            ).response(format, for: req)
        }
        return try await PlanEvaluationPage(
            shell: await PageShell.build(for: req, title: "年度考核"), title: plan.title, planLink: PlansRoutes.plan(id), rows: rows,
            weights: weights ?? [
                "completion": String(plan.weightCompletion), "timeliness": String(plan.weightTimeliness),
                "quality": String(plan.weightQuality),
            ],
            canEdit: (try? await service.managedPlan(id, actor: actor)) != nil, action: PlansRoutes.evaluation(id), errors: errors,
            csvLink: PlansRoutes.evaluation(id, query: ["format": "csv"]), xlsxLink: PlansRoutes.evaluation(id, query: ["format": "xlsx"])
        ).render(req, status: status)
    }

    func saveWeights(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (_, visible) = try await plan(req)
        let plan = try await PlanService(db: req.db, services: req.platform).managedPlan(try visible.requireID(), actor: actor)
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        var values: [String: Int] = [:]
        var errors: [String: String] = [:]
        for key in ["completion", "timeliness", "quality"] {
            guard let value = fields[key].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), (0...100).contains(value) else {
                errors[key] = "权重为 0 到 100 的整数"
                continue
            }
            values[key] = value
        }
        if errors.isEmpty && values.values.reduce(0, +) != 100 { errors["completion"] = "三项权重之和应为 100" }
        guard errors.isEmpty else { return try await page(req, weights: fields, errors: errors, status: .unprocessableEntity) }
        plan.weightCompletion = values["completion"] ?? 50
        plan.weightTimeliness = values["timeliness"] ?? 30
        plan.weightQuality = values["quality"] ?? 20
        try await req.platform.writes.transaction(on: req.db) { tx in try await plan.save(on: tx) }
        return req.redirect(to: PlansRoutes.evaluation(try plan.requireID(), query: ["notice": "saved"]))
    }

    func annualReport(_ req: Request) async throws -> Response {
        let (_, plan) = try await plan(req)
        let today = Day.today(now: req.platform.clock())
        let board = try await boards.board(for: plan, today: today, on: req.db)
        let latest = try await PlanProgressReport.query(on: req.db).filter(\.$planID == plan.requireID()).sort(\.$createdAt, .descending)
            .limit(5000).all()
        var latestByTask: [UUID: String] = [:]
        for report in latest where latestByTask[report.taskID] == nil { latestByTask[report.taskID] = report.narrative }
        var sections: [PlanAnnualReportPage.Section] = []
        let definition = PlanService.definition
        for entry in board.tasks {
            let task = PlanAnnualReportPage.Task(
                sequence: entry.sequence, heading: entry.heading, lead: board.name(entry.leadKey), percent: entry.percent,
                status: entry.status.progress.status.label,
                state: definition.label(of: entry.state),
                latest: latestByTask[entry.id] ?? "未报送")
            if let index = sections.firstIndex(where: { $0.title == entry.section }) {
                sections[index] = .init(title: sections[index].title, tasks: sections[index].tasks + [task])
            } else {
                sections.append(.init(title: entry.section, tasks: [task]))
            }
        }
        let done = board.tasks.filter { $0.state == .done }.count
        let average = board.tasks.isEmpty ? 0 : board.tasks.map(\.percent).reduce(0, +) / board.tasks.count
        return try await PlanAnnualReportPage(
            shell: await PageShell.build(for: req, title: "\(plan.year)年度执行情况报告"), title: plan.title, year: plan.year,
            generated: today.description, totals: "共 \(board.tasks.count) 项任务，已完成 \(done) 项，平均进度 \(average)%。",
            sections: sections, units: Self.rows(PlanService.evaluation(plan, board: board, today: today))
        ).render(req)
    }
}
