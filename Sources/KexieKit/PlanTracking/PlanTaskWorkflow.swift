/// A plan task from assignment to approved completion (督办).
///
/// 进行中 → 待审核 (the lead unit asks to close it) → 已完成 (the supervisor approves) or back to 进行中
/// with a reason. Progress reports, 催办 and supervisors' comments are history that keep the state.
/// Raw values are stored in the database and in history rows, so they never change.
public struct PlanTaskWorkflow: WorkflowDefinition {
    public enum State: String, Sendable, CaseIterable, Codable {
        case open
        case requested
        case done
    }

    public enum Action: String, Sendable, CaseIterable, Codable {
        /// 报送进展: percent, narrative, evidence (stored by the caller).
        case report
        /// 申请办结.
        case requestCompletion = "request_completion"
        /// 审核通过 (with a quality score stored by the caller).
        case approve
        /// 退回 with a reason.
        case sendBack = "send_back"
        /// 催办: a reminder to the responsible units.
        case urge
        /// 督办意见.
        case comment
        /// 重新打开 a completed task, with a reason.
        case reopen
    }

    public init() {}

    public var transitions: [Transition<State, Action>] {
        [
            Transition(from: [.open, .requested], action: .report, to: nil, allowed: [.handler, .coHandler], notify: [.supervisor]),
            Transition(from: [.open], action: .requestCompletion, to: .requested, allowed: [.handler], notify: [.supervisor]),
            Transition(from: [.requested], action: .approve, to: .done, allowed: [.supervisor], notify: [.handler]),
            Transition(
                from: [.requested], action: .sendBack, to: .open, allowed: [.supervisor], requiredComment: "退回理由", notify: [.handler]),
            Transition(
                from: [.open, .requested], action: .urge, to: nil, allowed: [.supervisor], requiredComment: "催办内容",
                notify: [.handler, .coHandler]),
            Transition(
                from: [.open, .requested, .done], action: .comment, to: nil, allowed: [.supervisor], requiredComment: "督办意见",
                notify: [.handler]),
            Transition(from: [.done], action: .reopen, to: .open, allowed: [.supervisor], requiredComment: "重新打开的理由", notify: [.handler]),
        ]
    }

    public func label(of state: State) -> String {
        switch state {
        case .open: return "进行中"
        case .requested: return "待审核"
        case .done: return "已完成"
        }
    }

    public func label(of action: Action) -> String {
        switch action {
        case .report: return "报送进展"
        case .requestCompletion: return "申请办结"
        case .approve: return "审核通过"
        case .sendBack: return "退回"
        case .urge: return "催办"
        case .comment: return "督办意见"
        case .reopen: return "重新打开"
        }
    }

    public func label(of kind: ParticipantKind) -> String {
        switch kind {
        case .handler: return "牵头单位"
        case .coHandler: return "配合单位"
        case .supervisor: return "督办人员"
        default: return kind.label
        }
    }
}
