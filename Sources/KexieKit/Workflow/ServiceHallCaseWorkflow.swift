/// The ServiceHall case process (一网受理、协同办理).
///
/// 待受理 → 已受理 | 不予受理 → 办理中 → 已答复 → 已办结, with 转办, 退回, 重新打开, 协办意见 and 督办
/// on the side. Raw values are stored in the database and in history rows, so they never change.
public struct ServiceHallCaseWorkflow: WorkflowDefinition {
    public enum State: String, Sendable, CaseIterable, Codable {
        case pending
        case accepted
        case rejected
        case inProgress = "in_progress"
        case answered
        case closed
    }

    public enum Action: String, Sendable, CaseIterable, Codable {
        case accept
        case reject
        /// 转办 to another unit; the caller stores the new unit, the case waits there to be accepted.
        case transfer
        /// 交办 to the 承办 department (协办 departments are recorded by the caller).
        case assign
        /// 协办意见: history only.
        case addOpinion = "add_opinion"
        /// 督办 reminder: history only, notifies the handler.
        case supervise
        /// 退回 by the handler to the office for re-dispatch.
        case returnToDispatch = "return_to_dispatch"
        case answer
        /// 满意度评价 (1–5) closes the case.
        case rate
        /// Timer: closes an answered case nobody rated.
        case autoClose = "auto_close"
        /// By the requester when not satisfied, within the window after the answer.
        case reopen
    }

    /// Keys the caller fills in `WorkflowContext`.
    public enum ContextKey {
        /// `dates`: the day the case was answered.
        public static let answered = "answered"
        /// `numbers`: the rating submitted with `rate`, or the stored rating when reopening.
        public static let rating = "rating"
    }

    /// Days after the answer in which the requester may reopen.
    public var reopenWindowDays: Int
    /// Days after the answer after which an unrated case closes by itself.
    public var autoCloseAfterDays: Int
    /// Ratings above this count as satisfied and cannot be followed by a reopen.
    public var highestUnsatisfiedRating: Int

    public init(reopenWindowDays: Int = 15, autoCloseAfterDays: Int = 7, highestUnsatisfiedRating: Int = 3) {
        self.reopenWindowDays = reopenWindowDays
        self.autoCloseAfterDays = autoCloseAfterDays
        self.highestUnsatisfiedRating = highestUnsatisfiedRating
    }

    public var transitions: [Transition<State, Action>] {
        [
            Transition(
                from: [.pending], action: .accept, to: .accepted, allowed: [.dispatcher], notify: [.requester]),
            Transition(
                from: [.pending], action: .reject, to: .rejected, allowed: [.dispatcher], requiredComment: "理由",
                notify: [.requester]),
            Transition(
                from: [.pending, .accepted], action: .transfer, to: .pending, allowed: [.dispatcher],
                requiredComment: "理由", notify: [.requester, .dispatcher]),
            Transition(
                from: [.accepted], action: .assign, to: .inProgress, allowed: [.dispatcher],
                notify: [.handler, .coHandler]),
            Transition(
                from: [.inProgress], action: .addOpinion, to: nil, allowed: [.coHandler], requiredComment: "协办意见",
                notify: [.handler]),
            Transition(
                from: [.accepted, .inProgress], action: .supervise, to: nil, allowed: [.supervisor],
                requiredComment: "督办意见", notify: [.handler, .dispatcher]),
            Transition(
                from: [.inProgress], action: .returnToDispatch, to: .accepted, allowed: [.handler],
                requiredComment: "理由", notify: [.dispatcher]),
            Transition(
                from: [.inProgress], action: .answer, to: .answered, allowed: [.handler], requiredComment: "答复内容",
                notify: [.requester, .dispatcher]),
            Transition(
                from: [.answered], action: .rate, to: .closed, allowed: [.requester],
                guards: [.number(ContextKey.rating, in: 1...5, description: "满意度评分")],
                notify: [.handler, .dispatcher]),
            Transition(
                from: [.answered], action: .autoClose, to: .closed, allowed: [.system],
                guards: [.atLeastDays(autoCloseAfterDays, after: ContextKey.answered, description: "答复")],
                notify: [.requester]),
            Transition(
                from: [.answered, .closed], action: .reopen, to: .inProgress, allowed: [.requester],
                requiredComment: "理由",
                guards: [
                    .withinDays(reopenWindowDays, after: ContextKey.answered, description: "答复"),
                    .numberAbsentOrAtMost(
                        ContextKey.rating, max: highestUnsatisfiedRating, message: "已评价为满意，不能重新打开"),
                ],
                notify: [.handler, .dispatcher]),
        ]
    }

    public func label(of state: State) -> String {
        switch state {
        case .pending: return "待受理"
        case .accepted: return "已受理"
        case .rejected: return "不予受理"
        case .inProgress: return "办理中"
        case .answered: return "已答复"
        case .closed: return "已办结"
        }
    }

    public func label(of action: Action) -> String {
        switch action {
        case .accept: return "受理"
        case .reject: return "不予受理"
        case .transfer: return "转办"
        case .assign: return "交办"
        case .addOpinion: return "填写协办意见"
        case .supervise: return "督办"
        case .returnToDispatch: return "退回"
        case .answer: return "答复"
        case .rate: return "评价"
        case .autoClose: return "自动办结"
        case .reopen: return "重新打开"
        }
    }
}
