import Platform
import Vapor

/// Refusals of supplies, demands, matching and docking, each with a stable code (`innovation.…`).
/// Generic ones (not found, no permission, a field left empty) stay `PlatformError`.
public enum InnovationError: KexieError, Equatable {
    /// Only some roles post: demands come from enterprises and staff, supplies from people and staff.
    case postingNotPermitted(isDemand: Bool)
    case notPostingOwner
    case postingNotDraft
    case deadlinePassed
    case matchesNotVisible
    case pushNotPermitted
    case pushNeedsPublished
    case matchAlreadyPushed
    case dockingNeedsSupplyAndDemand
    case dockingWithOwnPosting
    case dockingNotPermitted
    case dockingNeedsPublished
    case dockingAlreadyOpen
    case stationUnavailable
    /// The proposer cannot accept their own invitation: the other side does.
    case dockingAwaitsOtherSide
    case dockingNotAwaitingConsent

    public enum Code: String, KexieErrorCode {
        case postingNotPermitted = "posting_not_permitted"
        case notPostingOwner = "not_posting_owner"
        case postingNotDraft = "posting_not_draft"
        case deadlinePassed = "deadline_passed"
        case matchesNotVisible = "matches_not_visible"
        case pushNotPermitted = "push_not_permitted"
        case postingNotPublished = "posting_not_published"
        case matchAlreadyPushed = "match_already_pushed"
        case dockingNeedsSupplyAndDemand = "docking_needs_supply_and_demand"
        case dockingWithOwnPosting = "docking_with_own_posting"
        case dockingNotPermitted = "docking_not_permitted"
        case dockingAlreadyOpen = "docking_already_open"
        case stationUnavailable = "station_unavailable"
        case dockingAwaitsOtherSide = "docking_awaits_other_side"
        case dockingNotAwaitingConsent = "docking_not_awaiting_consent"

        public static var module: String { "innovation" }

        public var status: HTTPResponseStatus {
            switch self {
            case .postingNotPermitted, .notPostingOwner, .matchesNotVisible, .pushNotPermitted, .dockingNotPermitted,
                .dockingAwaitsOtherSide:
                return .forbidden
            case .postingNotDraft, .postingNotPublished, .matchAlreadyPushed, .dockingAlreadyOpen, .dockingNotAwaitingConsent:
                return .conflict
            case .deadlinePassed, .dockingNeedsSupplyAndDemand, .dockingWithOwnPosting, .stationUnavailable:
                return .unprocessableEntity
            }
        }

        public var summary: String {
            switch self {
            case .postingNotPermitted: return "当前身份不能发布这类成果或需求（技术需求由企业用户和科协工作人员发布）"
            case .notPostingOwner: return "只有发布方可以修改"
            case .postingNotDraft: return "只有草稿可以修改；已提交的请等待审核或退回"
            case .deadlinePassed: return "截止日期已过，请修改后再提交"
            case .matchesNotVisible: return "匹配结果只向发布方和审核工作人员提供"
            case .pushNotPermitted: return "只有科协工作人员可以推送匹配结果"
            case .postingNotPublished: return "成果和需求须已发布"
            case .matchAlreadyPushed: return "这条匹配已经推送过"
            case .dockingNeedsSupplyAndDemand: return "对接需在一项技术供给和一项技术需求之间进行"
            case .dockingWithOwnPosting: return "不能与自己发布的成果或需求对接"
            case .dockingNotPermitted: return "只有成果或需求的发布方，或科协工作人员，可以发起对接"
            case .dockingAlreadyOpen: return "这项成果与需求之间已有进行中的对接"
            case .stationUnavailable: return "所选工作站不存在或不在本单位管理范围内"
            case .dockingAwaitsOtherSide: return "对接邀请需由对方确认"
            case .dockingNotAwaitingConsent: return "该对接已不在待确认阶段"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .postingNotPermitted: return .postingNotPermitted
        case .notPostingOwner: return .notPostingOwner
        case .postingNotDraft: return .postingNotDraft
        case .deadlinePassed: return .deadlinePassed
        case .matchesNotVisible: return .matchesNotVisible
        case .pushNotPermitted: return .pushNotPermitted
        case .pushNeedsPublished, .dockingNeedsPublished: return .postingNotPublished
        case .matchAlreadyPushed: return .matchAlreadyPushed
        case .dockingNeedsSupplyAndDemand: return .dockingNeedsSupplyAndDemand
        case .dockingWithOwnPosting: return .dockingWithOwnPosting
        case .dockingNotPermitted: return .dockingNotPermitted
        case .dockingAlreadyOpen: return .dockingAlreadyOpen
        case .stationUnavailable: return .stationUnavailable
        case .dockingAwaitsOtherSide: return .dockingAwaitsOtherSide
        case .dockingNotAwaitingConsent: return .dockingNotAwaitingConsent
        }
    }

    public var message: String {
        switch self {
        case .postingNotPermitted(let isDemand): return isDemand ? "只有企业用户和科协工作人员可以发布技术需求" : "当前身份不能发布技术供给"
        case .pushNeedsPublished: return "只能推送已发布的需求和成果"
        case .dockingNeedsPublished: return "只能对已发布的成果和需求发起对接"
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .deadlinePassed: return "deadline"
        case .dockingNeedsSupplyAndDemand, .dockingWithOwnPosting: return "supply"
        case .stationUnavailable: return "station"
        default: return nil
        }
    }
}
