/// An academic event (学术会议, 论坛, 沙龙 …) from draft to publication and its end.
///
/// 草稿 → 待审核 (submitted by the organizer's staff) → 已发布 (approved by the organizer's
/// administrator, who may also publish a draft directly) → 已结束 (after the end). The administrator
/// sends a submission back to 草稿 with a reason. 已取消 from a draft or a submission (the organizer or
/// the administrator) or from publication (the administrator only; everyone registered is told).
/// Raw values are stored; never change them.
public struct EventWorkflow: WorkflowDefinition {
    public enum State: String, Sendable, CaseIterable, Codable {
        case draft
        case submitted
        case published
        case cancelled
        case finished
    }

    public enum Action: String, Sendable, CaseIterable, Codable {
        case submit
        case approve
        case publish
        case sendBack = "send_back"
        case cancel
        case finish
    }

    /// Staff of the organizer holding `events.manage`.
    public static let organizer: ParticipantKind = "organizer"
    /// The organizer's administrator: `events.approve` in a subtree holding the organizer.
    public static let approver: ParticipantKind = "approver"

    public init() {}

    public var transitions: [Transition<State, Action>] {
        [
            Transition(from: [.draft], action: .submit, to: .submitted, allowed: [Self.organizer], notify: [Self.approver]),
            Transition(from: [.submitted], action: .approve, to: .published, allowed: [Self.approver], notify: [Self.organizer]),
            Transition(from: [.draft], action: .publish, to: .published, allowed: [Self.approver], notify: [Self.organizer]),
            Transition(
                from: [.submitted], action: .sendBack, to: .draft, allowed: [Self.approver], requiredComment: "退回理由",
                notify: [Self.organizer]),
            Transition(from: [.draft, .submitted], action: .cancel, to: .cancelled, allowed: [Self.organizer, Self.approver]),
            Transition(from: [.published], action: .cancel, to: .cancelled, allowed: [Self.approver], notify: [Self.organizer]),
            Transition(from: [.published], action: .finish, to: .finished, allowed: [Self.organizer, Self.approver, .system]),
        ]
    }

    public func label(of state: State) -> String {
        switch state {
        case .draft: return "草稿"
        case .submitted: return "待审核"
        case .published: return "已发布"
        case .cancelled: return "已取消"
        case .finished: return "已结束"
        }
    }

    public func label(of action: Action) -> String {
        switch action {
        case .submit: return "提交审核"
        case .approve: return "审核通过并发布"
        case .publish: return "直接发布"
        case .sendBack: return "退回修改"
        case .cancel: return "取消活动"
        case .finish: return "活动结束"
        }
    }

    public func label(of kind: ParticipantKind) -> String {
        switch kind {
        case Self.organizer: return "主办单位工作人员"
        case Self.approver: return "主办单位管理员"
        default: return kind.label
        }
    }

    /// States in which the event is shown to the public (a cancelled one only if it had been published).
    public static let publicStates: Set<State> = [.published, .finished]
}
