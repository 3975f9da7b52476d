import KexieKit
import Vapor

/// Refusals of the review engine, each with a stable code (`platform.review_…`). Generic ones (not found,
/// no permission) stay `PlatformError`.
public enum ReviewError: KexieError, Equatable {
    /// The reviewer may not review the candidate (回避): the reasons, as `AvoidanceReason` raw values.
    case conflict([AvoidanceReason])
    /// The round is not open for scoring (before it opens or after it closed).
    case closed
    /// An indicator's score outside 0…weight, or not a multiple of 0.5; names the indicator's key.
    case scoreOutOfRange(key: String, max: Int)
    /// An indicator left unscored, or a vote missing in a voting round; names the field.
    case scoreMissing(field: String)
    /// The assignment was declined (声明回避) and is closed.
    case assignmentDeclined
    /// The reviewer is already on this candidate.
    case alreadyAssigned
    /// Draw or aggregate before the round has candidates (or with no scores yet).
    case noCandidates

    public enum Code: String, KexieErrorCode {
        case conflict = "review_conflict"
        case closed = "review_closed"
        case scoreOutOfRange = "review_score_out_of_range"
        case scoreMissing = "review_score_missing"
        case assignmentDeclined = "review_assignment_declined"
        case alreadyAssigned = "review_already_assigned"
        case noCandidates = "review_no_candidates"

        public static var module: String { "platform" }

        public var status: HTTPResponseStatus {
            switch self {
            case .conflict, .closed, .assignmentDeclined, .alreadyAssigned, .noCandidates: return .conflict
            case .scoreOutOfRange, .scoreMissing: return .unprocessableEntity
            }
        }

        public var summary: String {
            switch self {
            case .conflict: return "该专家须回避此候选（fields 列出回避原因）"
            case .closed: return "评审未开始或已截止，不能提交或修改评分"
            case .scoreOutOfRange: return "评分超出该指标的分值范围（0 至指标权重，可精确到 0.5 分）"
            case .scoreMissing: return "有指标未评分，或未选择表决意见"
            case .assignmentDeclined: return "该评审任务已声明回避，不能再评分"
            case .alreadyAssigned: return "该专家已是此候选的评审专家"
            case .noCandidates: return "本轮评审还没有候选"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .conflict: return .conflict
        case .closed: return .closed
        case .scoreOutOfRange: return .scoreOutOfRange
        case .scoreMissing: return .scoreMissing
        case .assignmentDeclined: return .assignmentDeclined
        case .alreadyAssigned: return .alreadyAssigned
        case .noCandidates: return .noCandidates
        }
    }

    public var message: String {
        switch self {
        case .conflict(let reasons): return "该专家须回避此候选：" + reasons.map(\.label).joined(separator: "；")
        case .scoreOutOfRange(_, let max): return "请填写 0 至 \(max) 之间的分数（可精确到 0.5 分）"
        case .scoreMissing(let field): return field == "vote" ? "请选择赞成、反对或弃权" : "请为该指标评分"
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .scoreOutOfRange(let key, _): return key
        case .scoreMissing(let field): return field
        case .conflict: return "expertEntryId"
        default: return nil
        }
    }

    public var fields: [String: String]? {
        guard case .conflict(let reasons) = self else { return nil }
        return Dictionary(uniqueKeysWithValues: reasons.map { ($0.rawValue, $0.label) })
    }
}
