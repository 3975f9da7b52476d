import KexieKit
import Platform
import Vapor

/// The service hall's refusals, each with a stable code (`servicehall.…`). Generic ones (not found, no
/// permission, a field left empty) stay `PlatformError`.
public enum ServiceHallError: KexieError, Equatable {
    /// The tracking number (查询码) is not one: wrong length, a character codes never use, a bad check symbol.
    case trackingNumberMalformed(TrackingCodeError)
    /// A well-formed tracking number that no case has.
    case trackingNumberUnknown
    /// Anonymous submissions from one address are limited per hour.
    case tooManySubmissions
    /// Five random tracking numbers in a row were taken already.
    case submissionCollided
    /// No organization exists yet to receive requests.
    case intakeNotSetUp
    case adoptionNotPermitted
    case adoptionNotSuggestion
    case adoptionBeforeAnswer
    case alreadyAdopted
    /// `phoneLast4` is not four digits.
    case phoneDigitsMalformed

    public enum Code: String, KexieErrorCode {
        case trackingNumberMalformed = "tracking_number_malformed"
        case trackingNumberUnknown = "tracking_number_unknown"
        case tooManySubmissions = "too_many_submissions"
        case submissionCollided = "submission_collided"
        case intakeNotSetUp = "intake_not_set_up"
        case adoptionNotPermitted = "adoption_not_permitted"
        case adoptionNotSuggestion = "adoption_not_suggestion"
        case adoptionBeforeAnswer = "adoption_before_answer"
        case alreadyAdopted = "already_adopted"
        case phoneDigitsMalformed = "phone_digits_malformed"

        public static var module: String { "servicehall" }

        public var status: HTTPResponseStatus {
            switch self {
            case .trackingNumberMalformed, .phoneDigitsMalformed: return .unprocessableEntity
            case .trackingNumberUnknown: return .notFound
            case .tooManySubmissions: return .tooManyRequests
            case .submissionCollided, .intakeNotSetUp, .adoptionNotSuggestion, .adoptionBeforeAnswer, .alreadyAdopted: return .conflict
            case .adoptionNotPermitted: return .forbidden
            }
        }

        public var summary: String {
            switch self {
            case .trackingNumberMalformed: return "查询码格式不正确（位数、字符或校验位不对），field 为 code"
            case .trackingNumberUnknown: return "没有找到这个查询码，请核对后重试"
            case .tooManySubmissions: return "提交过于频繁，请一小时后再试，或登录后提交"
            case .submissionCollided: return "提交失败，请重试"
            case .intakeNotSetUp: return "系统尚未设置组织机构，暂不能受理"
            case .adoptionNotPermitted: return "只有办公室或承办部门可以标记采纳"
            case .adoptionNotSuggestion: return "只有建言献策类事项可以标记采纳"
            case .adoptionBeforeAnswer: return "答复后才能标记采纳"
            case .alreadyAdopted: return "该建议已标记为采纳"
            case .phoneDigitsMalformed: return "请填写联系电话的后四位数字"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .trackingNumberMalformed: return .trackingNumberMalformed
        case .trackingNumberUnknown: return .trackingNumberUnknown
        case .tooManySubmissions: return .tooManySubmissions
        case .submissionCollided: return .submissionCollided
        case .intakeNotSetUp: return .intakeNotSetUp
        case .adoptionNotPermitted: return .adoptionNotPermitted
        case .adoptionNotSuggestion: return .adoptionNotSuggestion
        case .adoptionBeforeAnswer: return .adoptionBeforeAnswer
        case .alreadyAdopted: return .alreadyAdopted
        case .phoneDigitsMalformed: return .phoneDigitsMalformed
        }
    }

    public var message: String {
        switch self {
        case .trackingNumberMalformed(let error): return error.message
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .trackingNumberMalformed, .trackingNumberUnknown: return "code"
        case .phoneDigitsMalformed: return "phoneLast4"
        default: return nil
        }
    }
}
