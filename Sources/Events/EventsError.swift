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

    public enum Code: String, KexieErrorCode {
        case eventFull = "event_full"
        case eventNotEditable = "event_not_editable"
        case notOrganizer = "not_organizer"
        case eventNotOver = "event_not_over"
        case unknownAction = "unknown_action"

        public static var module: String { "events" }

        public var status: HTTPResponseStatus {
            switch self {
            case .eventFull: return .conflict
            case .eventNotEditable: return .conflict
            case .notOrganizer: return .forbidden
            case .eventNotOver: return .conflict
            case .unknownAction: return .unprocessableEntity
            }
        }

        public var summary: String {
            switch self {
            case .eventFull: return "名额已满，本活动不设候补"
            case .eventNotEditable: return "只有草稿可以修改；已发布的活动仅主办单位管理员可修改地点、日程等安排"
            case .notOrganizer: return "只有主办单位的活动组织人员可以新建或修改活动"
            case .eventNotOver: return "活动结束时间未到，不能标记为已结束"
            case .unknownAction: return "未知的操作（可用 submit、approve、publish、send_back、cancel、finish）"
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
        }
    }

    public var message: String { errorCode.summary }

    public var field: String? { self == .unknownAction ? "action" : nil }
}
