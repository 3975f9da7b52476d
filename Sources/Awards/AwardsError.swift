import KexieKit
import Platform
import Vapor

/// Refusals of programs, applications, nominations and results, each with a stable code (`awards.…`).
/// Generic ones (not found, no permission, a field left empty) stay `PlatformError`.
public enum AwardsError: KexieError, Equatable {
    /// The candidate fails an eligibility rule: the rule names the field and the code.
    case ineligible(rule: String, message: String)
    /// The channel has used its quota.
    case quotaExceeded(quota: Int)
    /// Outside the application dates, or the program is not taking applications.
    case applicationsClosed
    /// The person already has an application to this program.
    case alreadyApplied
    /// The application already has a nomination (from this or another channel).
    case alreadyNominated
    /// The organization is not a nomination channel of the program.
    case notAChannel
    /// An action the program's stage or dates do not allow (nominating after the deadline, checking twice…).
    case stageClosed(String)
    /// 专家联名推荐 needs at least three experts' names.
    case refereesRequired
    /// Announcing before the publicity is final (period running or objections not settled).
    case publicityNotFinal
    /// No certificate with this verification code.
    case certificateUnknown

    public enum Code: String, KexieErrorCode {
        case ineligibleAge = "ineligible_age"
        case ineligibleSex = "ineligible_sex"
        case ineligibleDegree = "ineligible_degree"
        case ineligibleTitleLevel = "ineligible_title_level"
        case ineligibleRegion = "ineligible_region"
        case ineligibleMembership = "ineligible_membership"
        case ineligibleLaureate = "ineligible_laureate"
        case quotaExceeded = "quota_exceeded"
        case applicationsClosed = "applications_closed"
        case alreadyApplied = "already_applied"
        case alreadyNominated = "already_nominated"
        case notAChannel = "not_a_channel"
        case stageClosed = "stage_closed"
        case refereesRequired = "referees_required"
        case publicityNotFinal = "publicity_not_final"
        case certificateUnknown = "certificate_unknown"

        public static var module: String { "awards" }

        public var status: HTTPResponseStatus {
            switch self {
            case .ineligibleAge, .ineligibleSex, .ineligibleDegree, .ineligibleTitleLevel, .ineligibleRegion, .ineligibleMembership,
                .ineligibleLaureate, .notAChannel, .refereesRequired:
                return .unprocessableEntity
            case .quotaExceeded, .applicationsClosed, .alreadyApplied, .alreadyNominated, .stageClosed, .publicityNotFinal: return .conflict
            case .certificateUnknown: return .notFound
            }
        }

        public var summary: String {
            switch self {
            case .ineligibleAge: return "超过本项目的年龄限制（按出生年月计算）"
            case .ineligibleSex: return "本项目限女性科技工作者申报"
            case .ineligibleDegree: return "学位不符合本项目要求"
            case .ineligibleTitleLevel: return "职称级别不符合本项目要求"
            case .ineligibleRegion: return "不在本项目限定的地区"
            case .ineligibleMembership: return "本项目限本学会有效会员申报"
            case .ineligibleLaureate: return "已获得过本奖项，不能重复申报"
            case .quotaExceeded: return "该推荐渠道的名额已用完"
            case .applicationsClosed: return "不在申报时间内，或本项目未开放申报"
            case .alreadyApplied: return "已申报本项目，请勿重复申报"
            case .alreadyNominated: return "该申报已被推荐，不能重复推荐"
            case .notAChannel: return "该单位不是本项目的推荐渠道"
            case .stageClosed: return "当前阶段或时间不允许此操作"
            case .refereesRequired: return "专家联名推荐须填写至少三位推荐专家的姓名"
            case .publicityNotFinal: return "公示期未结束或仍有未办结的异议，暂不能公布结果"
            case .certificateUnknown: return "未找到该证书编号"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .ineligible(let rule, _):
            switch EligibilityFailure.Rule(rawValue: rule) {
            case .age?: return .ineligibleAge
            case .sex?: return .ineligibleSex
            case .degree?: return .ineligibleDegree
            case .titleLevel?: return .ineligibleTitleLevel
            case .region?: return .ineligibleRegion
            case .membership?: return .ineligibleMembership
            case .laureate?, nil: return .ineligibleLaureate
            }
        case .quotaExceeded: return .quotaExceeded
        case .applicationsClosed: return .applicationsClosed
        case .alreadyApplied: return .alreadyApplied
        case .alreadyNominated: return .alreadyNominated
        case .notAChannel: return .notAChannel
        case .stageClosed: return .stageClosed
        case .refereesRequired: return .refereesRequired
        case .publicityNotFinal: return .publicityNotFinal
        case .certificateUnknown: return .certificateUnknown
        }
    }

    public var message: String {
        switch self {
        case .ineligible(_, let message): return message
        case .quotaExceeded(let quota): return "该推荐渠道的名额（\(quota) 名）已用完"
        case .stageClosed(let why): return why
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .ineligible(let rule, _): return EligibilityFailure.Rule(rawValue: rule)?.field
        case .notAChannel: return "channelOrganizationId"
        case .refereesRequired: return "referees"
        default: return nil
        }
    }

    static func refusing(_ failure: EligibilityFailure) -> AwardsError {
        .ineligible(rule: failure.rule.rawValue, message: failure.message)
    }
}
