import KexieKit
import Platform
import Vapor

/// Refusals about people, memberships and roles, each with a stable code (`members.…`). Generic ones
/// (not found, no permission, a field left empty or malformed) stay `PlatformError`.
public enum MembersError: KexieError, Equatable {
    /// A profile that did not pass its checks, every problem by field.
    case invalidProfile(ProfileErrors)
    /// The account applying to a society has no profile yet.
    case profileMissing
    /// No person of the actor's subtree has this phone or 身份证号 (the same words whether or not
    /// someone outside has it). `field` is the form field that carried the number.
    case personNotFound(field: String)
    case personAnonymized
    /// Finding people by a full phone or 身份证号 needs the reveal permission.
    case identifierSearchNotPermitted
    case alreadyApplied
    case alreadyMember
    /// An administrator registering someone who already is a member or has applied.
    case membershipExists
    case groupMemberExists
    case applicationDecided
    case membershipNotAdjustable
    case numberFormatMissing
    case numberAllocationFailed
    case numberUnavailable(ValidationError)
    case deletionRequestDecided
    case importFileGone
    case importAlreadyStarted
    case importRowsRefused(count: Int)
    case threeHeadExists(label: String)
    case seatExists

    public enum Code: String, KexieErrorCode {
        case invalidProfile = "invalid_profile"
        case profileMissing = "profile_missing"
        case personNotFound = "person_not_found"
        case personAnonymized = "person_anonymized"
        case identifierSearchNotPermitted = "identifier_search_not_permitted"
        case alreadyApplied = "already_applied"
        case alreadyMember = "already_member"
        case membershipExists = "membership_exists"
        case groupMemberExists = "group_member_exists"
        case applicationDecided = "application_decided"
        case membershipNotAdjustable = "membership_not_adjustable"
        case numberFormatMissing = "number_format_missing"
        case numberAllocationFailed = "number_allocation_failed"
        case numberUnavailable = "number_unavailable"
        case deletionRequestDecided = "deletion_request_decided"
        case importFileGone = "import_file_gone"
        case importAlreadyStarted = "import_already_started"
        case importRowsRefused = "import_rows_refused"
        case threeHeadExists = "three_head_exists"
        case seatExists = "seat_exists"

        public static var module: String { "members" }

        public var status: HTTPResponseStatus {
            switch self {
            case .invalidProfile, .profileMissing, .personNotFound, .identifierSearchNotPermitted, .alreadyApplied, .alreadyMember,
                .membershipExists, .groupMemberExists, .numberFormatMissing, .threeHeadExists, .seatExists:
                return .unprocessableEntity
            case .personAnonymized, .applicationDecided, .membershipNotAdjustable, .numberAllocationFailed, .numberUnavailable,
                .deletionRequestDecided, .importFileGone, .importAlreadyStarted, .importRowsRefused:
                return .conflict
            }
        }

        public var summary: String {
            switch self {
            case .invalidProfile: return "资料未通过检查，fields 按字段给出说明"
            case .profileMissing: return "请先填写个人资料，再申请入会"
            case .personNotFound: return "在您的管理范围内没有找到该手机号或身份证号对应的人员；范围外的科技工作者请由本人申请加入"
            case .personAnonymized: return "该人员已注销，资料不可修改"
            case .identifierSearchNotPermitted: return "按完整手机号或身份证号查找需要“查看完整手机号与身份证号”权限，请按姓名或单位查找"
            case .alreadyApplied: return "您已提交过申请，请等待学会审核"
            case .alreadyMember: return "您已是该学会会员"
            case .membershipExists: return "此人已是该学会会员或已提交申请"
            case .groupMemberExists: return "该单位已是本学会团体会员"
            case .applicationDecided: return "该申请已处理，请刷新页面"
            case .membershipNotAdjustable: return "只能调整有效或暂停状态的会员"
            case .numberFormatMissing: return "请先在“会员编号规则”中设置本学会的编号前缀"
            case .numberAllocationFailed: return "会员编号分配失败，请重试"
            case .numberUnavailable: return "按本学会的编号规则已无法再编号（如序号用尽），请调整编号规则"
            case .deletionRequestDecided: return "该申请已处理"
            case .importFileGone: return "导入文件已删除或无法读取，请重新上传"
            case .importAlreadyStarted: return "该文件已导入或正在导入"
            case .importRowsRefused: return "文件中有未通过检查的行，未导入任何数据"
            case .threeHeadExists: return "此人已登记为本组织的这类“三长”"
            case .seatExists: return "此人在该届次已有记录"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .invalidProfile: return .invalidProfile
        case .profileMissing: return .profileMissing
        case .personNotFound: return .personNotFound
        case .personAnonymized: return .personAnonymized
        case .identifierSearchNotPermitted: return .identifierSearchNotPermitted
        case .alreadyApplied: return .alreadyApplied
        case .alreadyMember: return .alreadyMember
        case .membershipExists: return .membershipExists
        case .groupMemberExists: return .groupMemberExists
        case .applicationDecided: return .applicationDecided
        case .membershipNotAdjustable: return .membershipNotAdjustable
        case .numberFormatMissing: return .numberFormatMissing
        case .numberAllocationFailed: return .numberAllocationFailed
        case .numberUnavailable: return .numberUnavailable
        case .deletionRequestDecided: return .deletionRequestDecided
        case .importFileGone: return .importFileGone
        case .importAlreadyStarted: return .importAlreadyStarted
        case .importRowsRefused: return .importRowsRefused
        case .threeHeadExists: return .threeHeadExists
        case .seatExists: return .seatExists
        }
    }

    public var message: String {
        switch self {
        case .invalidProfile(let errors): return errors.ordered.first?.message ?? "资料未通过检查"
        case .numberUnavailable(let error): return error.message
        case .importRowsRefused(let count): return "文件中有 \(count) 行未通过检查，未导入任何数据"
        case .threeHeadExists(let label): return "此人已登记为本组织的\(label)"
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .invalidProfile(let errors): return errors.ordered.first?.field.rawValue
        case .profileMissing, .membershipExists, .threeHeadExists, .seatExists: return "person"
        case .personNotFound(let field): return field
        case .identifierSearchNotPermitted: return "q"
        case .alreadyApplied, .alreadyMember: return "society"
        case .groupMemberExists: return "organization"
        case .numberFormatMissing: return "grade"
        default: return nil
        }
    }

    public var fields: [String: String]? {
        guard case .invalidProfile(let errors) = self else { return nil }
        return errors.messages
    }
}
