import Fluent
import Foundation
import KexieKit
import Platform

/// The demo province's two work plans (工作要点 and 科普工作要点, fictional documents in Resources/demo),
/// imported, reviewed and confirmed through the plan import as staff would, in January; then reported
/// on month by month through `PlanService`, so the board shows tasks done, waiting for approval, on
/// track, behind and not started.
enum PlansDemo {
    static let documents: [(file: String, cadence: PlanRecord.Cadence)] = [
        ("work-points", .monthly), ("popularization-points", .quarterly),
    ]

    static let narratives = [
        "已制定实施方案并印发通知，各单位正在组织落实。", "已完成阶段性任务，组织活动若干场，参与人数超过预期。", "正在推进中，部分市县进度偏慢，已电话督促。",
        "主体工作已完成，正在整理台账和总结材料。", "已召开专题会议部署，明确了责任分工和时间节点。",
    ]

    enum Outcome { case done, requested, onTrack, behind, farBehind, notStarted }

    static func load(on db: any Database, context: DemoContext) async throws {
        guard try await PlanRecord.query(on: db).count() == 0 else { return }
        var random = context.random("plans")
        let admin = try await context.actor("demo.orgadmin", on: db)
        let today = context.today
        // Imported in the first days of the year (or 30 days ago early in January).
        let startDay = Day(year: today.year, month: 1, day: 6) ?? today
        let importedDaysAgo = max(30, startDay.days(to: today))
        for document in documents {
            guard let url = Bundle.module.url(forResource: document.file, withExtension: "txt", subdirectory: "Resources/demo"),
                let template = try? String(contentsOf: url, encoding: .utf8)
            else { throw PlatformError.invalidInput(field: "demo", message: "演示工作计划文件缺失：\(document.file)") }
            let text = template.replacingOccurrences(of: "{{year}}", with: String(today.year))
            let at = context.services(daysAgo: importedDaysAgo)
            let importer = PlanImportService(db: db, services: at)
            let plan = try await importer.importPlan(
                .init(fileName: "云海省科协\(today.year)年\(document.file == "work-points" ? "工作要点" : "科普工作要点").txt", data: Data(text.utf8)),
                cadence: document.cadence, actor: admin)
            let planID = try plan.requireID()
            // The review: names the matcher does not know are mapped as the reviewer would (a
            // county's short name to its association), anything else marked external.
            let matcher = try await importer.matcher(for: plan)
            let candidates = try await importer.candidates(for: plan)
            var mappings: [String: String] = [:]
            for task in try await PlanTask.query(on: db).filter(\.$planID == planID).all() {
                for name in PlanImportService.names(task.leadNames) + PlanImportService.names(task.coNames)
                where matcher.match(name).id == nil {
                    let stem = String(name.prefix(3))
                    mappings[name] = candidates.first { $0.name.hasPrefix(stem) }?.id ?? "external"
                }
            }
            try await importer.saveReview(planID: planID, edits: [:], mappings: mappings, actor: admin)
            _ = try await importer.confirm(planID: planID, actor: admin)
            try await progress(
                planID: planID, cadence: document.cadence, importedDaysAgo: importedDaysAgo, context: context, random: &random, on: db)
        }
    }

    /// Reports through the year: each task gets an outcome (done, waiting for approval, on track, behind,
    /// not started) and the reports that lead there, one a period, from its lead unit's people.
    static func progress(
        planID: UUID, cadence: PlanRecord.Cadence, importedDaysAgo: Int, context: DemoContext, random: inout SeededRandom,
        on db: any Database
    ) async throws {
        let admin = try await context.actor("demo.orgadmin", on: db)
        let staff = try await context.actor("demo.staff", on: db)
        let counties = [try await context.actor("demo.county1", on: db), try await context.actor("demo.county2", on: db)]
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == planID).filter(\.$included == true).sort(\.$sequence).all()
        let step = cadence == .monthly ? 30 : 90
        guard let plan = try await PlanRecord.find(planID, on: db) else { return }
        let today = context.today
        var running = 0
        var history: [WorkflowStepRecord] = []
        for (index, task) in tasks.enumerated() {
            let id = try task.requireID()
            // Who reports: the county when a county leads, the 科普部's staff member for its tasks,
            // else the province's administrator (who acts for every department).
            let reporter: Actor
            if let lead = task.leadOrganizationID, let county = counties.first(where: { $0.actingOrganizationID == lead }) {
                reporter = county
            } else if task.leadDepartmentID != nil, task.leadDepartmentID == staff.acting?.departmentID {
                reporter = staff
            } else {
                reporter = admin
            }
            // Past its deadline a task is done, waiting for approval or far behind; before it, on
            // track, behind, far behind, not started or done, in turn.
            let expected = PlanService.status(of: task, plan: plan, today: today).progress.expected
            let outcome: Outcome
            if let deadline = task.deadline, deadline < today {
                outcome = [.done, .requested, .farBehind][index % 3]
            } else {
                outcome = [.onTrack, .behind, .farBehind, .notStarted, .done][running % 5]
                running += 1
            }
            guard outcome != .notStarted else { continue }
            let reports = max(1, min(importedDaysAgo / step, outcome == .farBehind ? 1 : 2))
            let finalPercent: Int
            switch outcome {
            case .done, .requested: finalPercent = 100
            case .onTrack: finalPercent = min(99, max(5, expected - random.int(0...5)))
            case .behind: finalPercent = max(1, expected - 17)
            default: finalPercent = max(1, min(expected - 30, 10 + random.int(0...20)))
            }
            // Written as `PlanService.report` and `step` leave them: the reports (audited), the task's
            // progress and state, and the history rows; the plan's revision is bumped once at the end.
            for report in 0..<reports {
                let daysAgo = max(1, importedDaysAgo - (report + 1) * (importedDaysAgo - 1) / reports)
                let day = today.adding(days: -daysAgo)
                let at = context.now.addingTimeInterval(-Double(daysAgo) * 86_400 - Double(random.int(0..<300)) * 60)
                let percent = report == reports - 1 ? finalPercent : finalPercent * (report + 1) / (reports + 1)
                let record = PlanProgressReport()
                record.taskID = id
                record.planID = planID
                record.period = PlanService.period(of: day, cadence: cadence)
                record.percent = percent
                record.narrative = narratives[(index + report) % narratives.count]
                record.reporterID = reporter.userID
                record.reporterName = reporter.displayName
                record.reportedOn = day
                try await record.create(on: db)
                history.append(stepRow("report", task.state, task.state, "\(percent)%：\(record.narrative)", reporter, at, id))
                task.percent = percent
                task.lastReportOn = day
                if (outcome == .done || outcome == .requested) && report == reports - 1 {
                    history.append(stepRow("request_completion", .open, .requested, nil, reporter, at.addingTimeInterval(60), id))
                    task.state = .requested
                }
            }
            if outcome == .done {
                let quality = 80 + random.int(0...15)
                history.append(stepRow("approve", .requested, .done, "材料齐全，同意办结", admin, context.now.addingTimeInterval(-1800), id))
                task.state = .done
                task.completedOn = today
                task.qualityScore = quality
                task.percent = 100
            }
            try await task.save(on: db)
        }
        var sequences: [UUID: Int] = [:]
        for row in history {
            sequences[row.subjectID, default: 0] += 1
            row.sequence = sequences[row.subjectID] ?? 1
        }
        try await history.create(on: db)
        try await PlanRecord.bumpRevision(planID, on: db)
    }

    static func stepRow(
        _ action: String, _ from: PlanTaskWorkflow.State, _ to: PlanTaskWorkflow.State, _ comment: String?, _ actor: Actor, _ at: Date,
        _ taskID: UUID
    ) -> WorkflowStepRecord {
        let row = WorkflowStepRecord()
        row.process = PlansModule.subjects.process
        row.subjectID = taskID
        row.sequence = 0
        row.action = action
        row.fromState = from.rawValue
        row.toState = to.rawValue
        row.comment = comment
        row.actorID = actor.userID.uuidString
        row.actorName = actor.displayName
        row.organizationID = actor.actingOrganizationID
        row.at = at
        return row
    }
}
