import Fluent
import Foundation
import KexieKit
import Platform

/// Tracking a confirmed plan: who may do what on a task, progress reports, 督办 steps, bound targets,
/// red/amber/green status, the dashboard's figures and the annual evaluation.
struct PlanService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let definition = PlanTaskWorkflow()
    var runtime: WorkflowRuntime<PlanTaskWorkflow> { WorkflowRuntime(Self.definition, subjects: PlansModule.subjects) }

    // MARK: Visibility

    /// A plan of the actor's subtree, or one in which a unit of the actor's has a task.
    /// Who may read a plan: holders of `plans.read` in the owner's subtree (drafts only for those who
    /// may also manage it), and in any organization the confirmed plan gives tasks to.
    func visiblePlan(_ id: UUID, actor: Actor) async throws -> PlanRecord? {
        // The plan and its owner in one statement.
        guard actor.can(PlansPermission.read),
            let plan = try await PlanRecord.query(on: db).join(Organization.self, on: \PlanRecord.$organizationID == \Organization.$id)
                .filter(\.$id == id).first()
        else { return nil }
        let isDraft = plan.status != PlanRecord.Status.active
        if let owner = try? plan.joined(Organization.self), actor.scope.contains(owner) {
            return !isDraft || actor.can(PlansPermission.manage) ? plan : nil
        }
        guard !isDraft else { return nil }
        if let organization = actor.actingOrganizationID,
            try await PlanTaskUnit.query(on: db).filter(\.$planID == id).filter(\.$organizationID == organization).first() != nil
        {
            return plan
        }
        return nil
    }

    /// The plans of the actor's subtree the actor may list: confirmed ones for `plans.read`, drafts too
    /// for `plans.manage`. (Plans of other organizations that give the actor tasks appear in 我的任务.)
    static func listQuery(actor: Actor, on db: any Database) throws -> QueryBuilder<PlanRecord> {
        try actor.require(PlansPermission.read)
        let query = actor.scope.query(PlanRecord.self, on: db).fields(for: PlanRecord.self)
        if !actor.can(PlansPermission.manage) { query.filter(\.$status == PlanRecord.Status.active) }
        return query
    }

    /// A plan the actor may change (weights, bindings, refresh, review): `plans.manage` and the owner in
    /// the actor's subtree. An organization that is only assessed by the plan reads it but never edits it.
    func managedPlan(_ id: UUID, actor: Actor) async throws -> PlanRecord {
        try actor.require(PlansPermission.manage)
        guard let plan = try await PlanRecord.find(id, on: db), let owner = try await Organization.find(plan.organizationID, on: db),
            actor.scope.contains(owner)
        else { throw PlatformError.notFound }
        return plan
    }

    func visibleTask(_ id: UUID, actor: Actor) async throws -> (PlanRecord, PlanTask) {
        guard let task = try await PlanTask.find(id, on: db), let plan = try await visiblePlan(task.planID, actor: actor),
            plan.status == PlanRecord.Status.active, task.included
        else { throw PlatformError.notFound }
        return (plan, task)
    }

    /// The parts the actor plays on a task: the lead unit's people (its department, or the whole
    /// organization's administrators and staff when an organization leads), the co-units', and the
    /// plan owner's administrators as 督办.
    func kinds(for task: PlanTask, plan: PlanRecord, actor: Actor) async throws -> Set<ParticipantKind> {
        var kinds: Set<ParticipantKind> = []
        guard let acting = actor.acting else { return kinds }
        let units = try await PlanTaskUnit.query(on: db).filter(\.$taskID == task.requireID()).all()
        for unit in units where unit.organizationID == acting.organizationID {
            let mine = unit.departmentID == nil ? true : unit.departmentID == acting.departmentID || actor.roles.contains(.orgadmin)
            guard mine else { continue }
            kinds.insert(unit.role == "lead" ? .handler : .coHandler)
        }
        if actor.can(PlansPermission.supervise), let owner = try await Organization.find(plan.organizationID, on: db),
            actor.scope.contains(owner)
        {
            kinds.insert(.supervisor)
        }
        return kinds
    }

    // MARK: Steps

    struct Report: Sendable {
        var percent: Int?
        var narrative: String?
        var files: [PlanImportService.Upload] = []
        /// Reported values of unbound targets, by target id.
        var actuals: [UUID: Double] = [:]
        var requestCompletion = false
    }

    /// The reporting period a day falls in: "2026-11" monthly, "2026-Q4" quarterly.
    static func period(of day: Day, cadence: PlanRecord.Cadence) -> String {
        switch cadence {
        case .monthly: return String(format: "%04d-%02d", day.year, day.month)
        case .quarterly: return "\(day.year)-Q\((day.month - 1) / 3 + 1)"
        }
    }

    /// 报送进展: percent, narrative, evidence and reported figures, in one transaction with the history row.
    func report(_ taskID: UUID, _ input: Report, actor: Actor) async throws -> PlanTask {
        let (plan, task) = try await visibleTask(taskID, actor: actor)
        let state = task.state
        let kinds = try await kinds(for: task, plan: plan, actor: actor)
        guard let percent = input.percent, (0...100).contains(percent) else {
            throw PlatformError.invalidInput(field: "percent", message: "完成进度为 0 到 100 之间的整数")
        }
        guard let narrative = input.narrative?.trimmingCharacters(in: .whitespacesAndNewlines), narrative.count >= 4 else {
            throw PlatformError.invalidInput(field: "narrative", message: "请写明本期进展情况（至少 4 个字）")
        }
        // Checked before anything is written; `FileStore` checks them again as it stores them.
        let files = input.files.filter { !$0.data.isEmpty }.map { UploadedFile(name: $0.fileName, data: $0.data) }
        _ = try PlanFiles.check.check(files.map { ($0.name, $0.data) })
        let targets = try await PlanTargetRecord.query(on: db).filter(\.$taskID == taskID).all()
        for (id, value) in input.actuals {
            guard let target = targets.first(where: { $0.id == id }) else { continue }
            guard target.metricID == nil else {
                throw PlansError.targetMeasuredAutomatically(targetID: id, text: target.text)
            }
            guard value >= 0, value < 1e12 else {
                throw PlatformError.invalidInput(field: "actual-\(id.uuidString)", message: "实际完成数应为不小于 0 的数")
            }
        }
        let today = Day.today(now: services.clock())
        let cadence = plan.cadence
        let report = PlanProgressReport()
        report.taskID = taskID
        report.planID = try plan.requireID()
        report.period = Self.period(of: today, cadence: cadence)
        report.percent = percent
        report.narrative = String(narrative.prefix(4000))
        report.reporterID = actor.userID
        report.reporterName = actor.displayName
        report.reportedOn = today
        let registry = services.registry
        let now = services.clock()
        let supervisors = try await supervisorIDs(plan)
        _ = try await runtime.perform(
            .report, subject: taskID, in: state, actor: actor, kinds: kinds, comment: "\(percent)%：\(report.narrative)",
            context: WorkflowContext(now: now), services: services, on: db
        ) { tx, _ in
            try await report.create(on: tx)
            try await FileStore(services: services).store(
                files, owner: PlanFiles.owner(try report.requireID()), organizationID: plan.organizationID, uploadedBy: actor.userID,
                check: PlanFiles.check, on: tx)
            for target in targets {
                guard let id = target.id, let value = input.actuals[id] else { continue }
                target.actual = value
                target.actualAt = now
                try await target.save(on: tx)
            }
            task.percent = percent
            task.lastReportOn = today
            try await task.save(on: tx)
            try await PlanRecord.bumpRevision(task.planID, on: tx)
            for user in supervisors {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: "任务进展：\(task.heading)", body: "\(percent)%：\(report.narrative)",
                        link: PlansRoutes.task(taskID)), on: tx)
            }
        }
        if input.requestCompletion {
            _ = try await step(.requestCompletion, on: taskID, comment: nil, quality: nil, actor: actor)
        }
        guard let saved = try await PlanTask.find(taskID, on: db) else { throw PlatformError.notFound }
        return saved
    }

    /// A 督办 step or the lead's request to close. Approval takes a quality score (0–100).
    func step(_ action: PlanTaskWorkflow.Action, on taskID: UUID, comment: String?, quality: Int?, actor: Actor) async throws -> PlanTask {
        guard action != .report else { throw PlatformError.invalidInput(field: "action", message: "请使用进展报送表单") }
        let (plan, task) = try await visibleTask(taskID, actor: actor)
        let state = task.state
        let kinds = try await kinds(for: task, plan: plan, actor: actor)
        if action == .approve {
            guard let quality, (0...100).contains(quality) else {
                throw PlatformError.invalidInput(field: "quality", message: "请给出 0 到 100 的质量评分")
            }
        }
        let today = Day.today(now: services.clock())
        let registry = services.registry
        let handlers = try await handlerIDs(task)
        let supervisors = try await supervisorIDs(plan)
        let label = Self.definition.label(of: action)
        _ = try await runtime.perform(
            action, subject: taskID, in: state, actor: actor, kinds: kinds, comment: comment,
            context: WorkflowContext(now: services.clock()),
            services: services, on: db
        ) { tx, step in
            task.state = step.state
            switch action {
            case .approve:
                task.completedOn = today
                task.qualityScore = quality
                task.percent = 100
            case .reopen:
                task.completedOn = nil
                task.qualityScore = nil
            default: break
            }
            try await task.save(on: tx)
            try await PlanRecord.bumpRevision(task.planID, on: tx)
            var recipients: Set<UUID> = []
            if step.notify.contains(.handler) || step.notify.contains(.coHandler) { recipients.formUnion(handlers) }
            if step.notify.contains(.supervisor) { recipients.formUnion(supervisors) }
            recipients.remove(actor.userID)
            for user in recipients {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: "\(label)：\(task.heading)", body: step.record.comment ?? "",
                        link: PlansRoutes.task(taskID)),
                    on: tx)
            }
        }
        guard let saved = try await PlanTask.find(taskID, on: db) else { throw PlatformError.notFound }
        return saved
    }

    /// People of the task's units: the department's members, or an organization's administrators.
    func handlerIDs(_ task: PlanTask) async throws -> Set<UUID> {
        let units = try await PlanTaskUnit.query(on: db).filter(\.$taskID == task.requireID()).all()
        var users: Set<UUID> = []
        for unit in units {
            guard let organization = unit.organizationID else { continue }
            var grants = RoleGrant.query(on: db).filter(\.$organizationID == organization)
            if let department = unit.departmentID {
                grants = grants.filter(\.$departmentID == department)
            } else {
                grants = grants.filter(\.$role == RoleID.orgadmin.rawValue)
            }
            users.formUnion(try await grants.all().map(\.userID))
        }
        return users
    }

    func supervisorIDs(_ plan: PlanRecord) async throws -> Set<UUID> {
        Set(
            try await RoleGrant.query(on: db).filter(\.$organizationID == plan.organizationID).filter(\.$role == RoleID.orgadmin.rawValue)
                .all()
                .map(\.userID))
    }

    // MARK: Targets bound to metrics

    /// Binds a target to a registry metric (or unbinds it with nil) and fills in its value.
    func bind(_ targetID: UUID, metric: String?, actor: Actor) async throws {
        try actor.require(PlansPermission.manage)
        guard let target = try await PlanTargetRecord.find(targetID, on: db) else { throw PlatformError.notFound }
        let (visible, _) = try await visibleTask(target.taskID, actor: actor)
        let plan = try await managedPlan(try visible.requireID(), actor: actor)
        if let metric, services.registry.metrics[metric] == nil {
            throw PlatformError.invalidInput(field: "metric", message: "未知的统计指标")
        }
        target.metricID = metric
        if metric == nil { target.actual = nil }
        let planID = try plan.requireID()
        try await services.writes.transaction(on: db) { tx in
            try await target.save(on: tx)
            try await PlanRecord.bumpRevision(planID, on: tx)
        }
        if metric != nil { try await refreshTargets(of: plan) }
    }

    /// Recomputes the bound targets of a plan from the registry, for the plan owner's subtree and year.
    /// The dashboard reads the stored values; a background job refreshes them every 10 minutes.
    @discardableResult
    func refreshTargets(of plan: PlanRecord) async throws -> Int {
        guard let owner = try await Organization.find(plan.organizationID, on: db) else { return 0 }
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == plan.requireID()).field(\.$id).all().compactMap(\.id)
        guard !tasks.isEmpty else { return 0 }
        let bound = try await PlanTargetRecord.query(on: db).filter(\.$taskID ~~ tasks).filter(\.$metricID != nil).all()
        var computed: [String: Double] = [:]
        for target in bound {
            guard let id = target.metricID, let metric = services.registry.metrics[id] else { continue }
            if computed[id] == nil { computed[id] = try await metric.compute(.init(organization: owner, year: plan.year), db) }
        }
        let values = computed
        let now = services.clock()
        let planID = try plan.requireID()
        let changed = bound.filter { target in target.metricID.flatMap { values[$0] } != target.actual }
        guard !changed.isEmpty else { return bound.count }
        try await services.writes.transaction(on: db) { tx in
            for target in changed {
                guard let id = target.metricID, let value = values[id] else { continue }
                target.actual = value
                target.actualAt = now
                try await target.save(on: tx)
            }
            try await PlanRecord.bumpRevision(planID, on: tx)
        }
        return bound.count
    }

    // MARK: Status and figures

    struct TaskStatus: Sendable {
        let progress: TaskProgress
        let deadline: Day
    }

    static func status(of task: PlanTask, plan: PlanRecord, today: Day) -> TaskStatus {
        let start = Day(year: plan.year, month: 1, day: 1) ?? today
        let deadline = task.deadline ?? Day(year: plan.year, month: 12, day: 31) ?? today
        return TaskStatus(
            progress: TaskProgress(
                actual: task.percent, done: task.state == .done, start: start, deadline: deadline,
                today: today),
            deadline: deadline)
    }

    struct UnitScore: Sendable {
        let unit: String
        let lead: Int
        let co: Int
        let completion: Double
        let timeliness: Double
        let quality: Double
        let total: Double
    }

    /// 年度考核: each task scored (completion, timeliness, quality), then averaged per unit over the
    /// tasks it leads (weight 1) and supports (weight ½: a co-unit shares the task, it does not own it).
    func evaluation(_ plan: PlanRecord) async throws -> [UnitScore] {
        let today = Day.today(now: services.clock())
        return Self.evaluation(plan, board: try await PlanBoard.load(plan, today: today, on: db), today: today)
    }

    static func evaluation(_ plan: PlanRecord, board: PlanBoard, today: Day) -> [UnitScore] {
        var scores: [UUID: TaskScore] = [:]
        for task in board.tasks {
            scores[task.id] = TaskScore(
                percent: task.percent, targetsReached: task.targetsReached, completedOn: task.completedOn,
                deadline: task.status.deadline, today: today, expected: task.status.progress.expected, quality: task.qualityScore)
        }
        struct Sum {
            var lead = 0
            var co = 0
            var weight = 0.0
            var completion = 0.0
            var timeliness = 0.0
            var quality = 0.0
        }
        var sums: [String: Sum] = [:]
        for unit in board.units {
            guard let score = scores[unit.taskID] else { continue }
            let key = board.names[unit.key] ?? unit.key
            let weight = unit.role == "lead" ? 1.0 : 0.5
            var sum = sums[key, default: Sum()]
            if unit.role == "lead" { sum.lead += 1 } else { sum.co += 1 }
            sum.weight += weight
            sum.completion += score.completion * weight
            sum.timeliness += score.timeliness * weight
            sum.quality += score.quality * weight
            sums[key] = sum
        }
        let weights = (plan.weightCompletion, plan.weightTimeliness, plan.weightQuality)
        return sums.map { name, sum in
            let completion = sum.completion / sum.weight
            let timeliness = sum.timeliness / sum.weight
            let quality = sum.quality / sum.weight
            let total = TaskScore.weighted(completion, timeliness, quality, weights)
            return UnitScore(
                unit: name, lead: sum.lead, co: sum.co, completion: completion, timeliness: timeliness, quality: quality, total: total)
        }
        .sorted { ($0.total, $1.unit) > ($1.total, $0.unit) }
    }

    static func unitKey(_ unit: PlanTaskUnit) -> String {
        unit.departmentID.map { "d:\($0.uuidString)" } ?? unit.organizationID.map { "o:\($0.uuidString)" } ?? "x:\(unit.name)"
    }

    /// Display names of mapped units: "科学技术普及部" for the owner's departments, the organization's
    /// name for organizations (with the department for a department of another organization).
    func unitNames(_ units: [PlanTaskUnit]) async throws -> [String: String] {
        let departments = try await Department.query(on: db).filter(\.$id ~~ Set(units.compactMap(\.departmentID))).all()
        let organizations = try await Organization.query(on: db).filter(\.$id ~~ Set(units.compactMap(\.organizationID))).all()
        var names: [String: String] = [:]
        for department in departments { if let id = department.id { names["d:\(id.uuidString)"] = department.name } }
        for organization in organizations { if let id = organization.id { names["o:\(id.uuidString)"] = organization.name } }
        return names
    }
}

extension TaskScore {
    static func weighted(_ completion: Double, _ timeliness: Double, _ quality: Double, _ weights: (Int, Int, Int)) -> Double {
        let sum = Double(weights.0 + weights.1 + weights.2)
        guard sum > 0 else { return 0 }
        return (completion * Double(weights.0) + timeliness * Double(weights.1) + quality * Double(weights.2)) / sum
    }
}
