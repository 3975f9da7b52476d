/// A technology supply (科技成果) or demand (技术需求) from draft to publication and its end.
///
/// 草稿 → 待审核 (submitted by its owner) → 已发布 (approved by staff of the reviewing association) →
/// 已关闭 (withdrawn by the owner or closed by staff) or 已过期 (a published demand past its deadline, by
/// the system). Staff send a submission back to 草稿 with a reason. Raw values are stored; never change them.
public struct PostingWorkflow: WorkflowDefinition {
    public enum State: String, Sendable, CaseIterable, Codable {
        case draft
        case submitted
        case published
        case closed
        case expired
    }

    public enum Action: String, Sendable, CaseIterable, Codable {
        case submit
        case approve
        case sendBack = "send_back"
        case close
        case expire
    }

    /// The person or organization that posted it.
    public static let owner: ParticipantKind = "owner"
    /// Staff of the association that reviews it (学会部 or the owning association).
    public static let reviewer: ParticipantKind = "reviewer"

    public init() {}

    public var transitions: [Transition<State, Action>] {
        [
            Transition(from: [.draft], action: .submit, to: .submitted, allowed: [Self.owner], notify: [Self.reviewer]),
            Transition(from: [.submitted], action: .approve, to: .published, allowed: [Self.reviewer], notify: [Self.owner]),
            Transition(
                from: [.submitted], action: .sendBack, to: .draft, allowed: [Self.reviewer], requiredComment: "退回理由", notify: [Self.owner]),
            Transition(from: [.draft, .submitted, .published], action: .close, to: .closed, allowed: [Self.owner, Self.reviewer]),
            Transition(from: [.published], action: .expire, to: .expired, allowed: [.system], notify: [Self.owner]),
        ]
    }

    public func label(of state: State) -> String {
        switch state {
        case .draft: return "草稿"
        case .submitted: return "待审核"
        case .published: return "已发布"
        case .closed: return "已关闭"
        case .expired: return "已过期"
        }
    }

    public func label(of action: Action) -> String {
        switch action {
        case .submit: return "提交审核"
        case .approve: return "审核通过并发布"
        case .sendBack: return "退回修改"
        case .close: return "关闭"
        case .expire: return "到期"
        }
    }

    public func label(of kind: ParticipantKind) -> String {
        switch kind {
        case Self.owner: return "发布方"
        case Self.reviewer: return "审核人员"
        default: return kind.label
        }
    }
}

/// A docking (对接) between a supply and a demand, from proposal to a landed project.
///
/// 待确认 (proposed by one side, or by staff) → 意向 (accepted by the other side; a staff proposal needs
/// both sides, the first acceptance is `consent`) → 洽谈 → 签约 → 落地, or 终止 with a reason from any
/// open stage; a proposal can be declined (已谢绝). Notes are history that keep the stage.
public struct DockingWorkflow: WorkflowDefinition {
    public enum State: String, Sendable, CaseIterable, Codable {
        case proposed
        case intention
        case negotiating
        case signed
        case landed
        case terminated
        case declined
    }

    public enum Action: String, Sendable, CaseIterable, Codable {
        /// One side agrees to a staff proposal; the other side's agreement is still awaited.
        case consent
        case accept
        case decline
        case negotiate
        case sign
        case land
        case terminate
        case note
    }

    public static let supplySide: ParticipantKind = "supply_side"
    public static let demandSide: ParticipantKind = "demand_side"
    /// Staff of an association in whose scope both postings lie.
    public static let staff: ParticipantKind = "staff"

    public init() {}

    public var transitions: [Transition<State, Action>] {
        let parties: Set<ParticipantKind> = [Self.supplySide, Self.demandSide]
        let everyone = parties.union([Self.staff])
        return [
            Transition(from: [.proposed], action: .consent, to: nil, allowed: parties, notify: everyone),
            Transition(from: [.proposed], action: .accept, to: .intention, allowed: parties, notify: everyone),
            Transition(from: [.proposed], action: .decline, to: .declined, allowed: parties, requiredComment: "谢绝理由", notify: everyone),
            Transition(from: [.intention], action: .negotiate, to: .negotiating, allowed: everyone, notify: everyone),
            Transition(from: [.intention, .negotiating], action: .sign, to: .signed, allowed: everyone, notify: everyone),
            Transition(from: [.signed], action: .land, to: .landed, allowed: everyone, notify: everyone),
            Transition(
                from: [.proposed, .intention, .negotiating, .signed], action: .terminate, to: .terminated, allowed: everyone,
                requiredComment: "终止原因", notify: everyone),
            Transition(
                from: [.proposed, .intention, .negotiating, .signed, .landed], action: .note, to: nil, allowed: everyone,
                requiredComment: "备注", notify: everyone),
        ]
    }

    public func label(of state: State) -> String {
        switch state {
        case .proposed: return "待确认"
        case .intention: return "意向"
        case .negotiating: return "洽谈"
        case .signed: return "签约"
        case .landed: return "落地"
        case .terminated: return "终止"
        case .declined: return "已谢绝"
        }
    }

    public func label(of action: Action) -> String {
        switch action {
        case .consent: return "同意对接"
        case .accept: return "接受对接"
        case .decline: return "谢绝"
        case .negotiate: return "进入洽谈"
        case .sign: return "签约"
        case .land: return "项目落地"
        case .terminate: return "终止"
        case .note: return "记录进展"
        }
    }

    public func label(of kind: ParticipantKind) -> String {
        switch kind {
        case Self.supplySide: return "供给方"
        case Self.demandSide: return "需求方"
        case Self.staff: return "科协工作人员"
        default: return kind.label
        }
    }

    /// The pipeline's stages in order, for figures and progress bars.
    public static let stages: [State] = [.proposed, .intention, .negotiating, .signed, .landed]
}
