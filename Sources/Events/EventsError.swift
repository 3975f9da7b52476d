import Platform
import Vapor

/// Refusals of events, registrations and check-ins, each with a stable code (`events.…`). Generic ones
/// (not found, no permission, a field left empty) stay `PlatformError`.
public enum EventsError: KexieError, Equatable {
    /// The event is full and keeps no waiting list.
    case eventFull

    public enum Code: String, KexieErrorCode {
        case eventFull = "event_full"

        public static var module: String { "events" }

        public var status: HTTPResponseStatus {
            switch self {
            case .eventFull: return .conflict
            }
        }

        public var summary: String {
            switch self {
            case .eventFull: return "名额已满，本活动不设候补"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .eventFull: return .eventFull
        }
    }

    public var message: String { errorCode.summary }

    public var field: String? { nil }
}
