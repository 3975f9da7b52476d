import Fluent
import Foundation
import KexieKit
import Platform

/// Upload → review → confirm. The parsed plan is stored as a draft at once (nothing is lost if the
/// reviewer comes back tomorrow); confirming maps every written unit name to a unit of the tree (or
/// marks it external) and turns the included items into tracked tasks, in one transaction.
struct PlanImportService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let maxFileBytes = 20 * 1024 * 1024

    struct Upload: Sendable {
        var fileName: String
        var data: Data
    }

    static func parse(_ upload: Upload) throws -> ParsedPlan {
        guard !upload.data.isEmpty else { throw PlatformError.invalidInput(field: "file", message: "请选择要上传的工作计划文件（.docx 或 .txt）") }
        guard upload.data.count <= maxFileBytes else { throw PlatformError.invalidInput(field: "file", message: "文件超过 20 MB") }
        do {
            return try PlanParser().parse(data: upload.data, fileName: upload.fileName)
        } catch {
            throw PlansError.documentUnreadable(error)
        }
    }

    /// The year a plan is for: the first 20xx in its title, else this year.
    static func year(of title: String, today: Day) -> Int {
        let digits = Array(title)
        for start in digits.indices where start + 4 <= digits.count {
            let slice = String(digits[start..<(start + 4)])
            if let year = Int(slice), (2000...2100).contains(year) { return year }
        }
        return today.year
    }

    /// Stores the parsed plan as a draft of the actor's organization.
    func importPlan(_ upload: Upload, cadence: PlanRecord.Cadence, actor: Actor) async throws -> PlanRecord {
        try actor.require(PlansPermission.manage)
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        let parsed = try Self.parse(upload)
        let drafts = Self.drafts(from: parsed)
        guard !drafts.isEmpty else {
            throw PlansError.noTasksFound
        }
        let today = Day.today(now: services.clock())
        let plan = PlanRecord()
        plan.organizationID = organizationID
        plan.title = String((parsed.title.isEmpty ? upload.fileName : parsed.title).prefix(200))
        plan.year = Self.year(of: plan.title, today: today)
        plan.status = PlanRecord.Status.draft
        plan.cadence = cadence
        plan.fileName = String(upload.fileName.prefix(200))
        plan.weightCompletion = 50
        plan.weightTimeliness = 30
        plan.weightQuality = 20
        plan.createdBy = actor.userID
        plan.revision = 0
        try await services.writes.transaction(on: db) { tx in
            try await plan.create(on: tx)
            for (index, draft) in drafts.enumerated() {
                let task = PlanTask()
                task.planID = try plan.requireID()
                task.sequence = index + 1
                task.section = String(draft.section.prefix(200))
                task.label = draft.item.label
                task.heading = String(draft.item.heading.prefix(300))
                task.sourceText = draft.item.text
                let leads = draft.item.leadDepartments.isEmpty ? Array(draft.item.departments.prefix(1)) : draft.item.leadDepartments
                task.leadNames = leads.joined(separator: "、")
                task.coNames = draft.item.departments.filter { !leads.contains($0) }.joined(separator: "、")
                task.included = true
                task.deadline = draft.item.deadlines.compactMap { Day($0.date) }.min()
                task.state = .open
                task.percent = 0
                try await task.create(on: tx)
                for target in draft.item.targets {
                    let record = PlanTargetRecord()
                    record.taskID = try task.requireID()
                    record.value = target.value
                    record.upTo = target.upTo
                    record.qualifier = target.qualifier
                    record.unit = target.unit
                    record.text = String(target.text.prefix(300))
                    try await record.create(on: tx)
                }
            }
        }
        return plan
    }

    struct Draft {
        let section: String
        let item: PlanItem
    }

    /// The items that carry their own units, each with the top-level section it stands in. Inline
    /// 一是/二是 parts stay inside their paragraph's task.
    static func drafts(from plan: ParsedPlan) -> [Draft] {
        var result: [Draft] = []
        func visit(_ item: PlanItem, section: String, parentHasUnits: Bool) {
            let hasUnits = !item.departments.isEmpty
            if hasUnits && !parentHasUnits { result.append(Draft(section: section, item: item)) }
            for child in item.children { visit(child, section: section, parentHasUnits: parentHasUnits || hasUnits) }
        }
        for root in plan.items { visit(root, section: root.label + root.heading, parentHasUnits: false) }
        return result
    }

    // MARK: Units

    /// The names a reviewer may map to: the owner's departments, then the organizations of its subtree.
    func candidates(for plan: PlanRecord) async throws -> [UnitNameMatcher.Candidate] {
        guard let owner = try await Organization.find(plan.organizationID, on: db) else { return [] }
        let departments = try await Department.query(on: db).filter(\.$organizationID == plan.organizationID).filter(\.$isActive == true)
            .sort(\.$name).all()
        let organizations = try await Organization.query(on: db).filter(\.$path =~ owner.path).filter(\.$isActive == true).sort(\.$path)
            .limit(2000).all()
        return departments.compactMap { d in d.id.map { .init(id: "d:\($0.uuidString)", name: d.name) } }
            + organizations.compactMap { o in o.id.map { .init(id: "o:\($0.uuidString)", name: o.name) } }
    }

    func matcher(for plan: PlanRecord) async throws -> UnitNameMatcher {
        let aliases = try await PlanUnitAlias.query(on: db).filter(\.$organizationID == plan.organizationID).all()
        return UnitNameMatcher(
            candidates: try await candidates(for: plan),
            aliases: Dictionary(aliases.map { ($0.alias, $0.target) }, uniquingKeysWith: { first, _ in first }))
    }

    static func names(_ text: String) -> [String] {
        text.split(whereSeparator: { "、，,；;".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    struct TaskEdit: Sendable {
        var heading: String
        var leadNames: String
        var coNames: String
        var deadline: String
        var included: Bool
        var targets: String
    }

    /// Saves the reviewer's corrections and unit mappings together; mappings are remembered as the
    /// organization's aliases for the next plan. Errors are keyed "heading-<task id>" etc.
    func saveReview(planID: UUID, edits: [UUID: TaskEdit], mappings: [String: String], actor: Actor) async throws {
        let plan = try await draft(planID, actor: actor)
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == planID).all()
        let candidates = Set(try await candidates(for: plan).map(\.id))
        var errors: [String: String] = [:]
        var parsedTargets: [UUID: [PlanTarget]] = [:]
        for task in tasks {
            guard let id = task.id, let edit = edits[id] else { continue }
            let key = id.uuidString
            if edit.heading.trimmingCharacters(in: .whitespaces).isEmpty { errors["heading-\(key)"] = "请填写任务名称" }
            if edit.included && Self.names(edit.leadNames).isEmpty { errors["lead-\(key)"] = "请填写牵头单位" }
            let deadline = edit.deadline.trimmingCharacters(in: .whitespaces)
            if !deadline.isEmpty && Day(deadline) == nil { errors["deadline-\(key)"] = "日期格式为 2026-09-15" }
            switch Self.targets(edit.targets) {
            case .success(let targets): parsedTargets[id] = targets
            case .failure(let error): errors["targets-\(key)"] = error.message
            }
        }
        for (name, target) in mappings where target != "" && target != "external" && !candidates.contains(target) {
            errors["map-\(name)"] = "“\(name)”请选择本单位的部门或下级组织"
        }
        guard errors.isEmpty else { throw PlansError.reviewIncomplete(errors) }
        let targetsByTask = parsedTargets
        try await services.writes.transaction(on: db) { tx in
            for task in tasks {
                guard let id = task.id, let edit = edits[id] else { continue }
                task.heading = String(edit.heading.trimmingCharacters(in: .whitespaces).prefix(300))
                task.leadNames = Self.names(edit.leadNames).joined(separator: "、")
                task.coNames = Self.names(edit.coNames).joined(separator: "、")
                let deadline = edit.deadline.trimmingCharacters(in: .whitespaces)
                task.deadline = Day(deadline)
                task.included = edit.included
                try await task.save(on: tx)
                if let targets = targetsByTask[id] {
                    try await PlanTargetRecord.query(on: tx).filter(\.$taskID == id).delete()
                    for target in targets {
                        let record = PlanTargetRecord()
                        record.taskID = id
                        record.value = target.value
                        record.upTo = target.upTo
                        record.qualifier = target.qualifier
                        record.unit = target.unit
                        record.text = target.text
                        try await record.create(on: tx)
                    }
                }
            }
            for (name, target) in mappings where !target.isEmpty {
                let alias = UnitNameMatcher.normalize(name)
                if let existing = try await PlanUnitAlias.query(on: tx).filter(\.$organizationID == plan.organizationID)
                    .filter(\.$alias == alias).first()
                {
                    existing.target = target
                    try await existing.save(on: tx)
                } else {
                    let record = PlanUnitAlias()
                    record.organizationID = plan.organizationID
                    record.alias = alias
                    record.target = target
                    try await record.create(on: tx)
                }
            }
        }
    }

    /// Targets as the review page writes them, one per line: "17 场", "30000 人 以上", "1-2 期".
    static func targets(_ text: String) -> Result<[PlanTarget], TargetTextError> {
        var result: [PlanTarget] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
            guard !parts.isEmpty else { continue }
            let range = parts[0].split(whereSeparator: { "-－~～至".contains($0) }).map(String.init)
            guard parts.count >= 2, let value = Double(range[0]), value.isFinite, (0...1e12).contains(value), range.count <= 2 else {
                return .failure(TargetTextError(message: "“\(line)”应写成“数量 单位”，如“17 场”或“30000 人 以上”"))
            }
            let upTo = range.count == 2 ? Double(range[1]).flatMap { $0.isFinite && $0 <= 1e12 ? $0 : nil } : nil
            if range.count == 2 && (upTo == nil || upTo! < value) {
                return .failure(TargetTextError(message: "“\(line)”的范围应由小到大，如“1-2 期”"))
            }
            result.append(
                PlanTarget(
                    value: value, upTo: upTo, qualifier: parts.count > 2 ? parts[2] : nil, unit: String(parts[1].prefix(10)),
                    text: String(line)))
        }
        return .success(result)
    }

    struct TargetTextError: Error { let message: String }

    /// Confirms the review: every written name of the included tasks must be mapped (a unit or
    /// external) and every included task must have a unit of the tree to answer for it.
    func confirm(planID: UUID, actor: Actor) async throws -> PlanRecord {
        let plan = try await draft(planID, actor: actor)
        let matcher = try await matcher(for: plan)
        let tasks = try await PlanTask.query(on: db).filter(\.$planID == planID).filter(\.$included == true).sort(\.$sequence).all()
        guard !tasks.isEmpty else { throw PlansError.reviewIncomplete(["plan": "至少保留一项任务"]) }
        var errors: [String: String] = [:]
        struct Assignment {
            let role: String
            let name: String
            let target: String
        }
        var assignments: [UUID: [Assignment]] = [:]
        for task in tasks {
            let id = try task.requireID()
            var list: [Assignment] = []
            for (role, text) in [("lead", task.leadNames), ("co", task.coNames)] {
                for name in Self.names(text) {
                    guard let target = matcher.match(name).id else {
                        errors["map-\(name)"] = "请为“\(name)”选择对应的部门或单位，或标为外部单位"
                        continue
                    }
                    list.append(Assignment(role: role, name: name, target: target))
                }
            }
            if errors.isEmpty && !list.contains(where: { $0.target != "external" }) {
                errors["lead-\(id.uuidString)"] = "“\(task.heading)”没有本系统内的责任单位，请至少对应一个部门或组织"
            }
            assignments[id] = list
        }
        guard errors.isEmpty else { throw PlansError.reviewIncomplete(errors) }
        let now = services.clock()
        let assigned = assignments
        try await services.writes.transaction(on: db) { tx in
            for task in tasks {
                let id = try task.requireID()
                try await PlanTaskUnit.query(on: tx).filter(\.$taskID == id).delete()
                let list = assigned[id] ?? []
                // The first unit of the tree among the leads answers for the task; when the document
                // puts an outside body first (省教育厅、省科协), the association's own unit leads here.
                let insideTree = list.filter { $0.target != "external" }
                let lead = insideTree.first { $0.role == "lead" } ?? insideTree.first
                for assignment in list {
                    let unit = PlanTaskUnit()
                    unit.taskID = id
                    unit.planID = planID
                    unit.role = assignment.name == lead?.name ? "lead" : "co"
                    unit.name = assignment.name
                    let (organizationID, departmentID) = try await Self.resolve(assignment.target, owner: plan.organizationID, on: tx)
                    unit.organizationID = organizationID
                    unit.departmentID = departmentID
                    try await unit.create(on: tx)
                    if assignment.name == lead?.name {
                        task.leadOrganizationID = organizationID
                        task.leadDepartmentID = departmentID
                    }
                }
                try await task.save(on: tx)
            }
            plan.status = PlanRecord.Status.active
            plan.confirmedAt = now
            plan.revision += 1
            try await plan.save(on: tx)
        }
        return plan
    }

    /// "d:<id>" is a department of the owner; "o:<id>" an organization; "external" neither.
    static func resolve(_ target: String, owner: UUID, on db: any Database) async throws -> (UUID?, UUID?) {
        if target.hasPrefix("d:"), let id = UUID(uuidString: String(target.dropFirst(2))),
            let department = try await Department.find(id, on: db)
        {
            return (department.organizationID, id)
        }
        if target.hasPrefix("o:"), let id = UUID(uuidString: String(target.dropFirst(2))) { return (id, nil) }
        return (nil, nil)
    }

    func draft(_ id: UUID, actor: Actor) async throws -> PlanRecord {
        let plan = try await PlanService(db: db, services: services).managedPlan(id, actor: actor)
        guard plan.status == PlanRecord.Status.draft else { throw PlansError.planConfirmed }
        return plan
    }
}
