import Foundation

/// What happened, ready to be stored as a history row.
public struct HistoryRecord<State: Hashable & Sendable, Action: Hashable & Sendable>: Sendable, Equatable {
    public let action: Action
    public let from: State
    /// Equal to `from` for actions that do not change state.
    public let to: State
    /// Trimmed; nil when blank.
    public let comment: String?
    public let actorID: String
    public let at: Date

    /// Public so the Platform can rebuild records it loaded from history rows.
    public init(action: Action, from: State, to: State, comment: String?, actorID: String, at: Date) {
        self.action = action
        self.from = from
        self.to = to
        self.comment = comment
        self.actorID = actorID
        self.at = at
    }

    /// True for opinions and reminders, which are history but not progress.
    public var changesState: Bool { from != to }
}

/// The outcome of an allowed action.
public struct WorkflowStep<State: Hashable & Sendable, Action: Hashable & Sendable>: Sendable, Equatable {
    public let state: State
    public let record: HistoryRecord<State, Action>
    /// Sorted by raw value so notification rows come out in a stable order.
    public let notify: [ParticipantKind]
}

/// Applies a definition's table. Pure: no clock, no storage, same input same answer.
public struct WorkflowEngine<Definition: WorkflowDefinition>: Sendable {
    public typealias State = Definition.State
    public typealias Action = Definition.Action

    public let definition: Definition

    public init(_ definition: Definition) {
        self.definition = definition
    }

    /// Checks in the order a person would want to hear about problems: impossible now (state),
    /// not yours (role), incomplete (comment), then business rules (guards).
    public func perform(
        _ action: Action, in state: State, by actor: WorkflowActor, comment: String? = nil,
        context: WorkflowContext
    ) -> Result<WorkflowStep<State, Action>, WorkflowRefusal> {
        let actionLabel = definition.label(of: action)
        let candidates = definition.transitions.filter { $0.action == action && $0.from.contains(state) }
        guard !candidates.isEmpty else {
            return .failure(.invalidState(state: definition.label(of: state), action: actionLabel))
        }
        guard let transition = candidates.first(where: { !$0.allowed.isDisjoint(with: actor.kinds) }) else {
            let allowed = Set(candidates.flatMap(\.allowed))
                .sorted { $0.rawValue < $1.rawValue }
                .map { definition.label(of: $0) }
            return .failure(.notPermitted(action: actionLabel, allowed: allowed))
        }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let cleanComment = (trimmed?.isEmpty ?? true) ? nil : trimmed
        if let what = transition.requiredComment, cleanComment == nil {
            return .failure(.commentRequired(action: actionLabel, what: what))
        }
        for check in transition.guards {
            if let refusal = check.refusal(in: context, actionLabel: actionLabel) { return .failure(refusal) }
        }
        let target = transition.to ?? state
        let record = HistoryRecord(
            action: action, from: state, to: target, comment: cleanComment, actorID: actor.id, at: context.now)
        let notify = transition.notify.sorted { $0.rawValue < $1.rawValue }
        return .success(WorkflowStep(state: target, record: record, notify: notify))
    }

    /// Actions to offer as buttons, in table order. With a context, actions whose guards fail
    /// (e.g. the reopen window has passed) are hidden too; comments and input checks such as the
    /// rating range are not, because the form asks for them after the button is pressed.
    public func availableActions(
        in state: State, for kinds: Set<ParticipantKind>, context: WorkflowContext? = nil
    ) -> [Action] {
        var seen: Set<Action> = []
        var result: [Action] = []
        for transition in definition.transitions
        where transition.from.contains(state) && !transition.allowed.isDisjoint(with: kinds) {
            if let context,
                transition.guards.contains(where: {
                    !$0.checksInput
                        && $0.refusal(in: context, actionLabel: definition.label(of: transition.action)) != nil
                })
            {
                continue
            }
            if seen.insert(transition.action).inserted { result.append(transition.action) }
        }
        return result
    }

    /// Whether a state has no way out, so the Platform can stop its deadline timers.
    public func isTerminal(_ state: State) -> Bool {
        !definition.transitions.contains { $0.from.contains(state) && $0.to != nil && $0.to != state }
    }
}
