import Platform
import Vapor

/// Refusals of events, registrations and check-ins, each with a stable code (`events.…`). Generic ones
/// (not found, no permission, a field left empty) stay `PlatformError`.
public enum EventsError: KexieError, Equatable {
    /// The event is full and keeps no waiting list.
    case eventFull
    /// Changing an event that is past its draft (only logistics may change once published, by its approver).
    case eventNotEditable
    /// Creating or changing events needs `events.manage` for the organizer (or `events.approve` above it).
    case notOrganizer
    /// 活动结束 before the event's end.
    case eventNotOver
    /// An action name the steps endpoint does not know.
    case unknownAction
    /// The code was checked in to this session before (the API adds the first `checkedInAt`).
    case alreadyCheckedIn
    /// Not a code of this event.
    case checkInCodeUnknown
    /// A registration of this event that may not be checked in: its status label (候补, 已取消 …).
    case checkInNotConfirmed(String)
    /// The event is not published (or was cancelled): nobody is checked in to it.
    case checkInNotOpen
    /// The same person, account or phone already holds a live registration (confirmed, waiting or pending).
    case alreadyRegistered
    /// The event is not published (a draft, cancelled or finished): nobody registers.
    case registrationNotOpen
    /// Outside the registration window (before it opens or after it closes).
    case registrationClosed
    /// Visitors register for public events only; others need an account.
    case loginRequired
    /// Audience `members`: the person is not a member in good standing of a listed society.
    case membersOnly
    /// Audience `invited`: the person is not on the invitation list.
    case notInvited
    /// Past the cut-off for cancelling.
    case cancelClosed
    /// The registration is already cancelled or rejected.
    case notCancellable
    /// Approve or reject a registration that is not pending.
    case notPending
    /// Evaluating needs a confirmed registration of the event (evreview).
    case notParticipant
    /// The event is not over yet: nobody evaluates it.
    case evaluationNotOpen
    /// Past the evaluation's closing date (30 days after the end).
    case evaluationClosed

    public enum Code: String, KexieErrorCode {
        case eventFull = "event_full"
        case eventNotEditable = "event_not_editable"
        case notOrganizer = "not_organizer"
        case eventNotOver = "event_not_over"
        case unknownAction = "unknown_action"
        case alreadyCheckedIn = "already_checked_in"
        case checkInCodeUnknown = "check_in_code_unknown"
        case checkInNotConfirmed = "check_in_not_confirmed"
        case checkInNotOpen = "check_in_not_open"
        case alreadyRegistered = "already_registered"
        case registrationNotOpen = "registration_not_open"
        case registrationClosed = "registration_closed"
        case loginRequired = "login_required"
        case membersOnly = "members_only"
        case notInvited = "not_invited"
        case cancelClosed = "cancel_closed"
        case notCancellable = "not_cancellable"
        case notPending = "not_pending"
        case notParticipant = "not_participant"
        case evaluationNotOpen = "evaluation_not_open"
        case evaluationClosed = "evaluation_closed"

        public static var module: String { "events" }

        public var status: HTTPResponseStatus {
            switch self {
            case .eventFull, .alreadyRegistered, .registrationNotOpen, .registrationClosed, .cancelClosed, .notCancellable, .notPending,
                .eventNotEditable, .eventNotOver, .alreadyCheckedIn, .checkInNotConfirmed, .checkInNotOpen, .evaluationNotOpen,
                .evaluationClosed:
                return .conflict
            case .notParticipant: return .forbidden
            case .notOrganizer, .membersOnly, .notInvited: return .forbidden
            case .loginRequired: return .unauthorized
            case .unknownAction: return .unprocessableEntity
            case .checkInCodeUnknown: return .notFound
            }
        }

        public var summary: String {
            switch self {
            case .eventFull: return "名额已满，本活动不设候补"
            case .eventNotEditable: return "只有草稿可以修改；已发布的活动仅主办单位管理员可修改地点、日程等安排"
            case .notOrganizer: return "只有主办单位的活动组织人员可以新建或修改活动"
            case .eventNotOver: return "活动结束时间未到，不能标记为已结束"
            case .unknownAction: return "未知的操作（可用 submit、approve、publish、send_back、cancel、finish）"
            case .alreadyCheckedIn: return "该签到码已签到，checkedInAt 为首次签到时间"
            case .checkInCodeUnknown: return "不是本活动的签到码"
            case .checkInNotConfirmed: return "该报名未确认（候补、待审核、已取消或未通过），不能签到"
            case .checkInNotOpen: return "活动未发布或已取消，不能签到"
            case .alreadyRegistered: return "已报名本活动，请勿重复报名"
            case .registrationNotOpen: return "本活动未开放报名"
            case .registrationClosed: return "不在报名时间内"
            case .loginRequired: return "本活动仅限登录用户报名，请先登录"
            case .membersOnly: return "本活动仅限指定学会会员报名"
            case .notInvited: return "本活动仅限受邀人员报名"
            case .cancelClosed: return "已过取消报名截止时间，如需取消请联系主办单位"
            case .notCancellable: return "该报名已取消或未通过，无需再取消"
            case .notPending: return "该报名不在待审核状态"
            case .notParticipant: return "只有本活动已确认报名的参会人员可以评价"
            case .evaluationNotOpen: return "活动结束后才能评价"
            case .evaluationClosed: return "评价已截止（活动结束 30 天后）"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .eventFull: return .eventFull
        case .eventNotEditable: return .eventNotEditable
        case .notOrganizer: return .notOrganizer
        case .eventNotOver: return .eventNotOver
        case .unknownAction: return .unknownAction
        case .alreadyCheckedIn: return .alreadyCheckedIn
        case .checkInCodeUnknown: return .checkInCodeUnknown
        case .checkInNotConfirmed: return .checkInNotConfirmed
        case .checkInNotOpen: return .checkInNotOpen
        case .alreadyRegistered: return .alreadyRegistered
        case .registrationNotOpen: return .registrationNotOpen
        case .registrationClosed: return .registrationClosed
        case .loginRequired: return .loginRequired
        case .membersOnly: return .membersOnly
        case .notInvited: return .notInvited
        case .cancelClosed: return .cancelClosed
        case .notCancellable: return .notCancellable
        case .notPending: return .notPending
        case .notParticipant: return .notParticipant
        case .evaluationNotOpen: return .evaluationNotOpen
        case .evaluationClosed: return .evaluationClosed
        }
    }

    public var message: String {
        switch self {
        case .checkInNotConfirmed(let label): return "该报名的状态为“\(label)”，不能签到"
        case .alreadyCheckedIn: return "已签到"
        default: return errorCode.summary
        }
    }

    public var field: String? { self == .unknownAction ? "action" : nil }
}
