import Platform

/// The fixed lists of the Members module, stored by raw value and shown by label. Codable so a model
/// keeps the term itself in its column (stored as the raw value, the same text as before).
protocol MembersTerm: RawRepresentable, CaseIterable, Sendable, Codable where RawValue == String {
    var label: String { get }
}

extension MembersTerm {
    /// Accepts the stored value or the Chinese label (forms post labels' values, APIs may send either).
    static func parse(_ text: String?) -> Self? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return Self(rawValue: text) ?? allCases.first { $0.label == text }
    }
}

enum MembershipGrade: String, MembersTerm {
    case member, senior, director, executiveDirector = "executive_director", vicePresident = "vice_president", president,
        secretaryGeneral = "secretary_general"

    var label: String {
        switch self {
        case .member: return "会员"
        case .senior: return "高级会员"
        case .director: return "理事"
        case .executiveDirector: return "常务理事"
        case .vicePresident: return "副会长"
        case .president: return "会长"
        case .secretaryGeneral: return "秘书长"
        }
    }
}

enum MembershipStatus: String, MembersTerm {
    case applied, refused, active, suspended, withdrawn

    var label: String {
        switch self {
        case .applied: return "待审核"
        case .refused: return "未通过"
        case .active: return "有效"
        case .suspended: return "暂停"
        case .withdrawn: return "退出"
        }
    }
}

enum MembershipKind: String, MembersTerm {
    case individual, group

    var label: String { self == .individual ? "个人会员" : "团体会员" }
}

enum ThreeHeadKind: String, MembersTerm {
    case hospital, school, agriculturalStation = "agricultural_station"

    var label: String {
        switch self {
        case .hospital: return "医院院长"
        case .school: return "学校校长"
        case .agriculturalStation: return "农技站站长"
        }
    }
}

/// The pools' roles and availability are the platform's vocabulary (other modules filter by them
/// through the expert source); Members reads and parses them like its own terms.
typealias ExpertRole = ExpertPoolRole
typealias ExpertAvailability = ExpertAvailabilityLevel

extension ExpertPoolRole: MembersTerm {}
extension ExpertAvailabilityLevel: MembersTerm {}

enum RepresentativeRole: String, MembersTerm {
    case delegate, committee, standing

    var label: String {
        switch self {
        case .delegate: return "代表"
        case .committee: return "委员"
        case .standing: return "常委"
        }
    }
}

enum DeletionStatus: String, MembersTerm {
    case pending, approved, refused

    var label: String {
        switch self {
        case .pending: return "待处理"
        case .approved: return "已注销"
        case .refused: return "未同意"
        }
    }
}
