import Platform
import Vapor

/// The service hall's refusals, each with a stable code (`servicehall.…`). Generic ones (not found, no
/// permission, a field left empty) stay `PlatformError`.
public enum ServiceHallError: KexieError, Equatable {
    /// Anonymous submissions from one address are limited per hour.
    case tooManySubmissions

    public enum Code: String, KexieErrorCode {
        case tooManySubmissions = "too_many_submissions"

        public static var module: String { "servicehall" }

        public var status: HTTPResponseStatus {
            switch self {
            case .tooManySubmissions: return .tooManyRequests
            }
        }

        public var summary: String {
            switch self {
            case .tooManySubmissions: return "提交过于频繁，请一小时后再试，或登录后提交"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .tooManySubmissions: return .tooManySubmissions
        }
    }

    public var message: String { errorCode.summary }
}
