/// One row of a transition table.
public struct Transition<State: Hashable & Sendable, Action: Hashable & Sendable>: Sendable, Equatable {
    public var from: Set<State>
    public var action: Action
    /// nil keeps the state (an opinion or a reminder is history, not progress).
    public var to: State?
    public var allowed: Set<ParticipantKind>
    /// What the comment is called in the refusal ("理由", "答复内容"); nil when optional.
    public var requiredComment: String?
    public var guards: [TransitionGuard]
    /// Who should be told; the Platform turns these into notification rows.
    public var notify: Set<ParticipantKind>

    public init(
        from: Set<State>, action: Action, to: State?, allowed: Set<ParticipantKind>,
        requiredComment: String? = nil, guards: [TransitionGuard] = [], notify: Set<ParticipantKind> = []
    ) {
        self.from = from
        self.action = action
        self.to = to
        self.allowed = allowed
        self.requiredComment = requiredComment
        self.guards = guards
        self.notify = notify
    }

    public var requiresComment: Bool { requiredComment != nil }
}

/// A business process: its states, actions, labels and transition table. Each module
/// (ServiceHall, Awards, …) supplies one; the engine is shared.
public protocol WorkflowDefinition: Sendable {
    associatedtype State: Hashable & Sendable & RawRepresentable<String>
    associatedtype Action: Hashable & Sendable & RawRepresentable<String>

    /// Instance rather than static so windows such as "15 days" can be configured per deployment.
    var transitions: [Transition<State, Action>] { get }
    func label(of state: State) -> String
    func label(of action: Action) -> String
    /// Defaults to `ParticipantKind.label`; override when a module names parts differently.
    func label(of kind: ParticipantKind) -> String
}

extension WorkflowDefinition {
    public func label(of kind: ParticipantKind) -> String { kind.label }
}
