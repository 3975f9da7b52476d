import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 协同办理: the steps of a case through the Platform workflow runtime. Who may take which step is
/// decided per case: the requester; the 办公室 (dispatcher) of the unit holding the case — its
/// administrators and the staff of a department named 办公室; the 承办 and 协办 departments' staff; and
/// administrators above the unit as 督办 (supervisor).
struct CaseService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let definition = ServiceHallCaseWorkflow()
    var runtime: WorkflowRuntime<ServiceHallCaseWorkflow> { WorkflowRuntime(Self.definition, subjects: ServiceHallModule.subjects) }

    struct StepInput: Sendable {
        var comment: String?
        var departmentID: UUID?
        var coDepartmentIDs: [UUID] = []
        var organizationID: UUID?
        var rating: Int?
    }

    /// A case the actor handles (in scope) or asked (requester); anything else is "not found".
    func visibleCase(_ id: UUID, actor: Actor) async throws -> ServiceCase {
        if actor.can(ServiceHallPermission.handle),
            let record = try await actor.scope.query(ServiceCase.self, on: db).filter(\.$id == id).fields(for: ServiceCase.self).first()
        {
            return record
        }
        if let record = try await ServiceCase.find(id, on: db), record.requesterUserID == actor.userID { return record }
        throw PlatformError.notFound
    }

    func kinds(for record: ServiceCase, actor: Actor) async throws -> Set<ParticipantKind> {
        var kinds: Set<ParticipantKind> = []
        if record.requesterUserID == actor.userID { kinds.insert(.requester) }
        guard actor.can(ServiceHallPermission.handle), let acting = actor.acting,
            let organization = try await Organization.find(record.organizationID, on: db), actor.scope.contains(organization)
        else { return kinds }
        let isAdmin = actor.roles.contains(.orgadmin)
        if acting.organizationID == record.organizationID {
            var office = isAdmin
            if let department = acting.departmentID, let name = try await Department.find(department, on: db)?.name, name == "办公室" {
                office = true
            }
            if office { kinds.insert(.dispatcher) }
            if let department = acting.departmentID {
                if department == record.departmentID { kinds.insert(.handler) }
                if record.coDepartmentIDs.contains(department) { kinds.insert(.coHandler) }
            }
        } else if isAdmin {
            kinds.insert(.supervisor)
        }
        return kinds
    }

    func context(for record: ServiceCase, rating: Int?) -> WorkflowContext {
        var context = WorkflowContext(now: services.clock())
        if let answered = record.answeredOn { context.dates[ServiceHallCaseWorkflow.ContextKey.answered] = answered }
        if let rating = rating ?? record.rating { context.numbers[ServiceHallCaseWorkflow.ContextKey.rating] = rating }
        return context
    }

    /// Takes one step. Inputs the step needs (承办部门 for 交办, the unit for 转办, the score for 评价)
    /// are checked before the runtime runs; everything is written in the runtime's transaction.
    func perform(
        _ action: ServiceHallCaseWorkflow.Action, on id: UUID, input: StepInput, actor: Actor, asSystem: Bool = false
    ) async throws -> ServiceCase {
        let record: ServiceCase
        if asSystem {
            guard let found = try await ServiceCase.find(id, on: db) else { throw PlatformError.notFound }
            record = found
        } else {
            record = try await visibleCase(id, actor: actor)
        }
        let state = record.state
        let kinds: Set<ParticipantKind> = asSystem ? [.system] : try await kinds(for: record, actor: actor)
        let today = Day.today(now: services.clock())
        var targetOrganization: Organization?
        switch action {
        case .assign:
            guard let department = input.departmentID,
                try await Department.query(on: db).filter(\.$id == department).filter(\.$organizationID == record.organizationID).first()
                    != nil
            else { throw PlatformError.invalidInput(field: "department", message: "请选择承办部门") }
        case .transfer:
            guard let target = try await actor.scope.organization(input.organizationID, on: db), target.id != record.organizationID,
                target.isActive
            else { throw PlatformError.invalidInput(field: "organization", message: "请选择转办到的单位（本级或下级组织）") }
            targetOrganization = target
        default: break
        }
        let target = targetOrganization
        let calendar = try await CalendarService(db: db).calendar()
        let policy = try await TimeLimitStore.policies(on: db).policy(for: record.type.rawValue)
        let registry = services.registry
        let caseID = try record.requireID()
        let groupBefore = CaseTotals.Group(record)
        _ = try await runtime.perform(
            action, subject: caseID, in: state, actor: actor, kinds: kinds, comment: input.comment,
            context: context(for: record, rating: input.rating), services: services, on: db
        ) { tx, step in
            record.state = step.state
            switch action {
            case .accept:
                record.acceptedOn = today
                record.answerDue = calendar.addWorkingDays(from: today, days: policy.answerWorkingDays).date
            case .reject:
                record.closedOn = today
            case .transfer:
                if let target, let targetID = target.id {
                    record.organizationID = targetID
                    record.departmentID = nil
                    record.coDepartmentIDs = []
                    record.acceptDue = calendar.addWorkingDays(from: today, days: policy.acceptWorkingDays).date
                }
            case .assign:
                record.departmentID = input.departmentID
                record.coDepartmentIDs = input.coDepartmentIDs.filter { $0 != input.departmentID }
            case .returnToDispatch:
                record.departmentID = nil
            case .answer:
                record.answer = step.record.comment
                record.answeredOn = today
                record.answerWorkingDays = calendar.workingDays(between: record.receivedOn, and: today)
                record.answeredOnTime = record.answerDue.map { today <= $0 } ?? true
            case .rate:
                record.rating = input.rating
                record.ratingComment = step.record.comment
                record.closedOn = today
            case .reopen:
                record.rating = nil
                record.closedOn = nil
            case .autoClose:
                record.closedOn = today
            case .addOpinion, .supervise:
                break
            }
            try await record.save(on: tx)
            try await CaseTotals.refresh([groupBefore, CaseTotals.Group(record)], on: tx)
            try await Self.notify(step.notify, about: record, action: action, registry: registry, on: tx)
        }
        return record
    }

    /// 采纳: the receiving unit marks an answered suggestion adopted and says what was done. Outside the
    /// transition table because it changes no state; recorded in the history all the same.
    func adopt(_ id: UUID, note: String?, actor: Actor) async throws -> ServiceCase {
        let record = try await visibleCase(id, actor: actor)
        let kinds = try await kinds(for: record, actor: actor)
        guard !kinds.isDisjoint(with: [.dispatcher, .handler]) else {
            throw ServiceHallError.adoptionNotPermitted
        }
        guard record.type == CaseType.suggestion else {
            throw ServiceHallError.adoptionNotSuggestion
        }
        guard [.answered, .closed].contains(record.state) else {
            throw ServiceHallError.adoptionBeforeAnswer
        }
        guard record.adoptedOn == nil else { throw ServiceHallError.alreadyAdopted }
        guard let note = note?.trimmingCharacters(in: .whitespacesAndNewlines), !note.isEmpty else {
            throw PlatformError.invalidInput(field: "note", message: "请写明采纳后做了什么")
        }
        let today = Day.today(now: services.clock())
        record.adoptedOn = today
        record.adoptionNote = String(note.prefix(1000))
        let step = WorkflowStepRecord()
        step.process = ServiceHallModule.subjects.process
        step.subjectID = try record.requireID()
        step.action = "adopt"
        step.fromState = record.state.rawValue
        step.toState = record.state.rawValue
        step.comment = record.adoptionNote
        step.actorID = actor.userID.uuidString
        step.actorName = actor.displayName
        step.organizationID = actor.actingOrganizationID
        step.at = services.clock()
        let registry = services.registry
        try await services.writes.transaction(on: db) { tx in
            let last = try await WorkflowStepRecord.query(on: tx).filter(\.$process == step.process).filter(\.$subjectID == step.subjectID)
                .sort(\.$sequence, .descending).first()
            step.sequence = (last?.sequence ?? 0) + 1
            try await step.create(on: tx)
            try await record.save(on: tx)
            if let user = record.requesterUserID {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: "您的建议已被采纳：\(record.title)", body: record.adoptionNote ?? "",
                        link: ServiceHallRoutes.serviceCase(try record.requireID())), on: tx)
            }
        }
        return record
    }

    /// Closes answered cases nobody rated within the window (7 days by default), as 系统. Each case is
    /// claimed by the runtime's conditional update, so two instances running this at once do not clash.
    func autoClose() async throws -> Int {
        let today = Day.today(now: services.clock())
        let cutoff = today.adding(days: -Self.definition.autoCloseAfterDays)
        let due = try await ServiceCase.query(on: db).filter(\.$state == .answered)
            .filter(\.$answeredOn <= cutoff).limit(1000).all()
        var closed = 0
        for record in due {
            do {
                _ = try await perform(.autoClose, on: record.requireID(), input: StepInput(), actor: .system, asSystem: true)
                closed += 1
            } catch PlatformError.stateChanged {
                continue
            }
        }
        return closed
    }

    /// Cases past their running deadline go up to the unit's head (its administrators) once, by 站内信.
    /// Each case is claimed with a conditional update so several instances escalate it once.
    func escalateOverdue() async throws -> Int {
        let today = Day.today(now: services.clock())
        let running: [ServiceHallCaseWorkflow.State] = [.accepted, .inProgress]
        // Two range reads on the (escalated_on, state, due) indexes: this runs beside page requests, and
        // an OR over both deadlines made it read every case.
        let waiting = try await ServiceCase.query(on: db).filter(\.$escalatedOn == nil).filter(\.$state == .pending)
            .filter(\.$acceptDue < today).limit(1000).all()
        var overdue = waiting
        for state in running where overdue.count < 1000 {
            overdue += try await ServiceCase.query(on: db).filter(\.$escalatedOn == nil).filter(\.$state == state)
                .filter(\.$answerDue < today).limit(1000 - overdue.count).all()
        }
        var escalated = 0
        let registry = services.registry
        for record in overdue {
            let id = try record.requireID()
            let claimed = try await services.writes.transaction(on: db) { tx -> Bool in
                let sql = try tx.sql()
                let rows = try await sql.raw(
                    "UPDATE servicehall_cases SET escalated_on = \(bind: today.description) WHERE id = \(bind: id) AND escalated_on IS NULL RETURNING id"
                ).all()
                guard !rows.isEmpty else { return false }
                record.escalatedOn = today
                try await Self.notify([.dispatcher], about: record, headline: "事项已超期", registry: registry, on: tx)
                return true
            }
            if claimed { escalated += 1 }
        }
        return escalated
    }

    /// 站内信 to the participants the transition names.
    static func notify(
        _ kinds: [ParticipantKind], about record: ServiceCase, action: ServiceHallCaseWorkflow.Action, registry: ModuleRegistry,
        on tx: any Database
    ) async throws {
        try await notify(kinds, about: record, headline: "诉求\(definition.label(of: action))", registry: registry, on: tx)
    }

    static func notify(
        _ kinds: [ParticipantKind], about record: ServiceCase, headline: String, registry: ModuleRegistry, on tx: any Database
    ) async throws {
        var users = Set<UUID>()
        for kind in kinds {
            switch kind {
            case .requester:
                if let user = record.requesterUserID { users.insert(user) }
            case .handler, .coHandler:
                let departments = kind == .handler ? [record.departmentID].compactMap { $0 } : record.coDepartmentIDs
                if !departments.isEmpty {
                    for grant in try await RoleGrant.query(on: tx).filter(\.$departmentID ~~ departments).all() {
                        users.insert(grant.userID)
                    }
                }
            case .dispatcher:
                for grant in try await RoleGrant.query(on: tx).filter(\.$organizationID == record.organizationID)
                    .filter(\.$role == RoleID.orgadmin.rawValue).all()
                {
                    users.insert(grant.userID)
                }
            default: break
            }
        }
        let state = definition.label(of: record.state)
        for user in users {
            try await registry.notify(
                PlatformNotification(
                    recipientUserID: user, title: "\(headline)：\(record.title)", body: "事项 \(record.trackingCode) 当前状态：\(state)。",
                    link: ServiceHallRoutes.serviceCase(try record.requireID())), on: tx)
        }
    }
}
