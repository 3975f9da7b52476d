/// A fixed list of values for a profile field: a stable snake_case raw value
/// for storage and APIs, a Chinese label for people, and a resolver for what
/// people type (labels, common synonyms, with or without full-width characters).
public protocol ProfileVocabulary: CaseIterable, Sendable, Hashable, RawRepresentable where RawValue == String {
    /// The Chinese label shown in forms and exports.
    var label: String { get }
    /// Other spellings accepted on input, besides the label and the raw value.
    var synonyms: [String] { get }
}

extension ProfileVocabulary {
    public var synonyms: [String] { [] }

    /// The value whose label, synonym or raw value matches `text`, ignoring
    /// whitespace, full-width forms and letter case; nil when nothing matches.
    public static func resolve(_ text: String) -> Self? {
        let key = PeopleText.key(text)
        guard !key.isEmpty else { return nil }
        return allCases.first { value in
            PeopleText.key(value.rawValue) == key || PeopleText.key(value.label) == key
                || value.synonyms.contains { PeopleText.key($0) == key }
        }
    }

    /// Labels in list order, for select boxes and error messages.
    public static var labels: [String] { allCases.map(\.label) }
}

/// 性别 reuses the identity card's `Sex` so the cross-check needs no mapping.
/// GB/T 2261.1 codes 1 and 2 are accepted because HR exports often use them.
extension Sex: ProfileVocabulary {
    public static var allCases: [Sex] { [.male, .female] }
    public var label: String { displayName }
    public var synonyms: [String] {
        switch self {
        case .male: return ["男性", "男士", "m", "1"]
        case .female: return ["女性", "女士", "f", "2"]
        }
    }
}

/// 学历 (highest completed schooling), in the six bands the spec asks for.
public enum Education: String, ProfileVocabulary {
    case doctoral = "doctoral"
    case master = "master"
    case bachelor = "bachelor"
    case associate = "associate"
    case secondaryVocational = "secondary_vocational"
    case highSchoolOrBelow = "high_school_or_below"

    public var label: String {
        switch self {
        case .doctoral: return "博士研究生"
        case .master: return "硕士研究生"
        case .bachelor: return "大学本科"
        case .associate: return "大学专科"
        case .secondaryVocational: return "中专"
        case .highSchoolOrBelow: return "高中及以下"
        }
    }

    // "研究生" alone is left out on purpose: it does not say which of the two levels.
    public var synonyms: [String] {
        switch self {
        case .doctoral: return ["博士", "博士研究生毕业", "研究生（博士）", "研究生(博士)"]
        case .master: return ["硕士", "硕士研究生毕业", "研究生（硕士）", "研究生(硕士)"]
        case .bachelor: return ["本科", "大学", "大本", "本科毕业"]
        case .associate: return ["专科", "大专", "高职", "大学专科毕业"]
        case .secondaryVocational: return ["中等专科", "中等专业学校", "中技", "技工学校", "技校"]
        case .highSchoolOrBelow: return ["高中", "职高", "初中", "小学", "中学", "初中及以下"]
        }
    }
}

/// 学位.
public enum Degree: String, ProfileVocabulary {
    case doctor = "doctor"
    case master = "master"
    case bachelor = "bachelor"
    case none = "none"

    public var label: String {
        switch self {
        case .doctor: return "博士"
        case .master: return "硕士"
        case .bachelor: return "学士"
        case .none: return "无"
        }
    }

    public var synonyms: [String] {
        switch self {
        case .doctor: return ["博士学位"]
        case .master: return ["硕士学位"]
        case .bachelor: return ["学士学位"]
        case .none: return ["无学位", "没有"]
        }
    }
}

/// 政治面貌 in the order and meaning of GB/T 4762, with the short labels used on forms.
public enum PoliticalStatus: String, ProfileVocabulary {
    case cpcMember = "cpc_member"
    case cpcProbationaryMember = "cpc_probationary_member"
    case communistYouthLeagueMember = "communist_youth_league_member"
    case rcckmtMember = "rcckmt_member"
    case chinaDemocraticLeagueMember = "china_democratic_league_member"
    case democraticNationalConstructionMember = "democratic_national_construction_member"
    case promotingDemocracyMember = "promoting_democracy_member"
    case peasantsWorkersDemocraticMember = "peasants_workers_democratic_member"
    case zhiGongMember = "zhi_gong_member"
    case jiusanMember = "jiusan_member"
    case taiwanLeagueMember = "taiwan_league_member"
    case nonPartisan = "non_partisan"
    case masses = "masses"

    /// GB/T 4762 two-digit code, for exports to systems that expect it.
    public var gbCode: String {
        let index = Self.allCases.firstIndex(of: self) ?? 0
        return index < 9 ? "0\(index + 1)" : "\(index + 1)"
    }

    public var label: String {
        switch self {
        case .cpcMember: return "中共党员"
        case .cpcProbationaryMember: return "中共预备党员"
        case .communistYouthLeagueMember: return "共青团员"
        case .rcckmtMember: return "民革会员"
        case .chinaDemocraticLeagueMember: return "民盟盟员"
        case .democraticNationalConstructionMember: return "民建会员"
        case .promotingDemocracyMember: return "民进会员"
        case .peasantsWorkersDemocraticMember: return "农工党党员"
        case .zhiGongMember: return "致公党党员"
        case .jiusanMember: return "九三学社社员"
        case .taiwanLeagueMember: return "台盟盟员"
        case .nonPartisan: return "无党派人士"
        case .masses: return "群众"
        }
    }

    public var synonyms: [String] {
        switch self {
        case .cpcMember: return ["中国共产党党员", "党员", "共产党员", "中共"]
        case .cpcProbationaryMember: return ["中国共产党预备党员", "预备党员"]
        case .communistYouthLeagueMember: return ["中国共产主义青年团团员", "团员", "共青团"]
        case .rcckmtMember: return ["中国国民党革命委员会会员", "民革党员", "民革"]
        case .chinaDemocraticLeagueMember: return ["中国民主同盟盟员", "民盟"]
        case .democraticNationalConstructionMember: return ["中国民主建国会会员", "民建"]
        case .promotingDemocracyMember: return ["中国民主促进会会员", "民进"]
        case .peasantsWorkersDemocraticMember: return ["中国农工民主党党员", "农工党", "农工民主党"]
        case .zhiGongMember: return ["中国致公党党员", "致公党"]
        case .jiusanMember: return ["九三学社", "九三"]
        case .taiwanLeagueMember: return ["台湾民主自治同盟盟员", "台盟"]
        case .nonPartisan: return ["无党派民主人士", "无党派"]
        case .masses: return ["普通群众"]
        }
    }
}
