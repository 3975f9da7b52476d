import Fluent
import Foundation
import KexieKit
import SQLKit

/// One recorded step of a process (受理, 转办, 答复, …): who, when, for which organization, with what
/// comment. Append-only; the subject's own row holds its current state.
public final class WorkflowStepRecord: Model, @unchecked Sendable {
    public static let schema = "platform_workflow_steps"

    @ID(key: .id) public var id: UUID?
    @Field(key: "process") public var process: String
    @Field(key: "subject_id") public var subjectID: UUID
    @Field(key: "sequence") public var sequence: Int
    @Field(key: "action") public var action: String
    @Field(key: "from_state") public var fromState: String
    @Field(key: "to_state") public var toState: String
    @OptionalField(key: "comment") public var comment: String?
    @Field(key: "actor_id") public var actorID: String
    @Field(key: "actor_name") public var actorName: String
    @OptionalField(key: "organization_id") public var organizationID: UUID?
    @Field(key: "at") public var at: Date

    public init() {}
}

struct CreateWorkflowSteps: AsyncMigration {
    var name: String { "2026_11_23_1540_platform_create_workflow_steps" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WorkflowStepRecord.schema)
            .id()
            .field("process", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("sequence", .int, .required)
            .field("action", .string, .required)
            .field("from_state", .string, .required)
            .field("to_state", .string, .required)
            .field("comment", .string)
            .field("actor_id", .string, .required)
            .field("actor_name", .string, .required)
            .field("organization_id", .uuid)
            .field("at", .datetime, .required)
            .unique(on: "process", "subject_id", "sequence")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WorkflowStepRecord.schema).delete()
    }
}

/// Where a process keeps its subjects' current state: a table, its id column and its state column.
public struct WorkflowSubjectTable: Sendable {
    public let process: String
    public let table: String
    public let stateColumn: String

    public init(process: String, table: String, stateColumn: String = "state") {
        self.process = process
        self.table = table
        self.stateColumn = stateColumn
    }
}

/// Runs a module's process declared in KexieKit (an enum of states and actions plus a transition
/// table) against the database: checks the step with `WorkflowEngine`, then in one transaction moves
/// the subject's state only if it is still the state the step was checked against (so two people
/// pressing 受理 at once cannot both succeed), appends the step to the history, and lets the caller add
/// its own rows (deadlines, notifications) in the same transaction.
public struct WorkflowRuntime<Definition: WorkflowDefinition>: Sendable {
    public let engine: WorkflowEngine<Definition>
    public let subjects: WorkflowSubjectTable

    public init(_ definition: Definition, subjects: WorkflowSubjectTable) {
        engine = WorkflowEngine(definition)
        self.subjects = subjects
    }

    public typealias Step = WorkflowStep<Definition.State, Definition.Action>

    /// Performs `action` on the subject whose current state is `state`. A refusal by the transition
    /// table becomes `PlatformError.workflowRefused` (422, or 403 for the wrong role) with the engine's
    /// Chinese message; a subject that moved meanwhile becomes `PlatformError.stateChanged` (409).
    public func perform(
        _ action: Definition.Action, subject: UUID, in state: Definition.State, actor: Actor, kinds: Set<ParticipantKind>,
        comment: String?, context: WorkflowContext, services: PlatformServices, on db: any Database,
        alongside: @escaping @Sendable (any Database, Step) async throws -> Void = { _, _ in }
    ) async throws -> Step {
        let step: Step
        switch engine.perform(
            action, in: state, by: WorkflowActor(id: actor.userID.uuidString, kinds: kinds), comment: comment, context: context)
        {
        case .failure(let refusal): throw PlatformError.workflowRefused(refusal)
        case .success(let performed): step = performed
        }
        let subjects = self.subjects
        let organizationID = actor.actingOrganizationID
        // In words, as the audit page shows it to a person: 提交审核：草稿 → 待审核.
        let definition = engine.definition
        let summary = "\(definition.label(of: action))：\(definition.label(of: state)) → \(definition.label(of: step.state))"
        let actorName = actor.displayName
        try await services.writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            if step.state != state {
                let moved = try await sql.raw(
                    """
                    UPDATE \(ident: subjects.table) SET \(ident: subjects.stateColumn) = \(bind: step.state.rawValue) \
                    WHERE id = \(bind: subject) AND \(ident: subjects.stateColumn) = \(bind: state.rawValue) RETURNING id
                    """
                ).all()
                guard !moved.isEmpty else { throw PlatformError.stateChanged }
            }
            let last = try await WorkflowStepRecord.query(on: tx).filter(\.$process == subjects.process)
                .filter(\.$subjectID == subject).sort(\.$sequence, .descending).first()
            let record = WorkflowStepRecord()
            record.process = subjects.process
            record.subjectID = subject
            record.sequence = (last?.sequence ?? 0) + 1
            record.action = action.rawValue
            record.fromState = state.rawValue
            record.toState = step.state.rawValue
            record.comment = step.record.comment.map { String($0.prefix(2000)) }
            record.actorID = step.record.actorID
            record.actorName = actorName
            record.organizationID = organizationID
            record.at = step.record.at
            try await record.create(on: tx)
            // Every step of every process is a state change: it goes through the one recorded path.
            try await services.audit.record(
                AuditEvent(
                    action: "workflow.step", entityType: subjects.process, entityID: subject.uuidString,
                    summary: summary),
                on: tx)
            try await alongside(tx, step)
        }
        return step
    }

    /// The subject's steps, oldest first.
    public func history(of subject: UUID, on db: any Database) async throws -> [WorkflowStepRecord] {
        try await WorkflowStepRecord.query(on: db).filter(\.$process == subjects.process).filter(\.$subjectID == subject)
            .sort(\.$sequence).all()
    }
}

extension WorkflowDefinition {
    /// A recorded step's action read back as this process's type. The steps table keeps text because it
    /// holds the steps of every process; a step outside the transition table (采纳, 发起对接) reads nil.
    public func action(of step: WorkflowStepRecord) -> Action? { Action(rawValue: step.action) }

    /// A recorded step's states read back as this process's type (nil where none was recorded).
    public func states(of step: WorkflowStepRecord) -> (from: State?, to: State?) {
        (State(rawValue: step.fromState), State(rawValue: step.toState))
    }
}
