/// Who may apply to a program (奖项, 人才计划, 竞赛, 职称评审), as data the program stores and the server
/// checks before anything is saved. Every rule is optional; a program without rules takes everyone.
public struct EligibilityRules: Codable, Equatable, Sendable {
    /// 不超过 N 周岁 on `ageReferenceDate` (ages counted from the birth month, see `Eligibility.age`).
    public var maxAge: Int?
    /// The day ages are taken on; without one the program's application deadline is used.
    public var ageReferenceDate: Day?
    /// 学位 at least (博士 > 硕士 > 学士).
    public var minDegree: Degree?
    /// 职称 at least (正高级 > 副高级 > 中级 > 初级).
    public var minTitleLevel: TitleLevel?
    /// The person's province, city or county must be one of these (e.g. 云海省, 东港市); empty: anywhere.
    public var regions: [String]
    /// A member in good standing of the program's society (the membership directory answers).
    public var membersOnly: Bool
    /// 女科学家 programs.
    public var womenOnly: Bool
    /// Someone already awarded by this program (any year) may not apply again.
    public var excludeLaureates: Bool

    public init(
        maxAge: Int? = nil, ageReferenceDate: Day? = nil, minDegree: Degree? = nil, minTitleLevel: TitleLevel? = nil,
        regions: [String] = [], membersOnly: Bool = false, womenOnly: Bool = false, excludeLaureates: Bool = true
    ) {
        self.maxAge = maxAge
        self.ageReferenceDate = ageReferenceDate
        self.minDegree = minDegree
        self.minTitleLevel = minTitleLevel
        self.regions = regions
        self.membersOnly = membersOnly
        self.womenOnly = womenOnly
        self.excludeLaureates = excludeLaureates
    }

    /// One sentence per rule, for the program page (申报条件).
    public var descriptions: [String] {
        var lines: [String] = []
        if let maxAge {
            lines.append("年龄不超过 \(maxAge) 周岁" + (ageReferenceDate.map { "（以 \($0) 计，按出生年月）" } ?? "（以申报截止日计，按出生年月）"))
        }
        if let minDegree { lines.append("具有\(minDegree.label)及以上学位") }
        if let minTitleLevel { lines.append("具有\(minTitleLevel.label)及以上职称") }
        if !regions.isEmpty { lines.append("在\(regions.joined(separator: "、"))工作或生活") }
        if membersOnly { lines.append("为本学会会员且会籍有效") }
        if womenOnly { lines.append("限女性科技工作者") }
        if excludeLaureates { lines.append("未获得过本奖项") }
        return lines
    }
}

/// What the server knows about a candidate when it checks the rules.
public struct EligibilityFacts: Sendable, Equatable {
    /// `YYYY-MM` as people are registered; nil when unknown.
    public var birthMonth: String?
    public var sex: Sex?
    public var degree: Degree?
    public var titleLevel: TitleLevel?
    public var places: [String]
    public var isMember: Bool
    public var isLaureate: Bool

    public init(
        birthMonth: String?, sex: Sex?, degree: Degree?, titleLevel: TitleLevel?, places: [String], isMember: Bool, isLaureate: Bool
    ) {
        self.birthMonth = birthMonth
        self.sex = sex
        self.degree = degree
        self.titleLevel = titleLevel
        self.places = places
        self.isMember = isMember
        self.isLaureate = isLaureate
    }
}

/// A rule the candidate does not meet: the field it is about (the API's `error.field`), a stable code
/// suffix (`awards.ineligible_<code>`) and the sentence shown beside the field.
public struct EligibilityFailure: Sendable, Equatable {
    public enum Rule: String, Sendable, CaseIterable {
        case age, sex, degree, titleLevel = "title_level", region, membership, laureate
        /// The person's profile field the rule reads.
        public var field: String {
            switch self {
            case .age: return "age"
            case .sex: return "sex"
            case .degree: return "degree"
            case .titleLevel: return "titleLevel"
            case .region: return "region"
            case .membership: return "membership"
            case .laureate: return "laureate"
            }
        }
    }
    public let rule: Rule
    public let message: String
}

public enum Eligibility {
    /// Age in whole years on `day`, from a birth month: someone born in the reference month has reached
    /// that age (the day of birth is not registered, so the month counts as reached).
    public static func age(birthYear: Int, birthMonth: Int, on day: Day) -> Int {
        day.year - birthYear - (birthMonth > day.month ? 1 : 0)
    }

    /// `YYYY-MM` → (year, month), nil for anything else.
    public static func parseBirthMonth(_ text: String) -> (year: Int, month: Int)? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1900...2100).contains(year), (1...12).contains(month)
        else { return nil }
        return (year, month)
    }

    /// Every rule the facts fail, in the rules' order; empty when eligible. `referenceDay` is used when
    /// the rules name no reference date.
    public static func check(_ rules: EligibilityRules, _ facts: EligibilityFacts, referenceDay: Day) -> [EligibilityFailure] {
        var failures: [EligibilityFailure] = []
        if let maxAge = rules.maxAge {
            let day = rules.ageReferenceDate ?? referenceDay
            if let birth = facts.birthMonth.flatMap(parseBirthMonth) {
                let age = age(birthYear: birth.year, birthMonth: birth.month, on: day)
                if age > maxAge {
                    failures.append(.init(rule: .age, message: "截至 \(day) 已满 \(age) 周岁，超过本项目 \(maxAge) 周岁的年龄限制"))
                }
            } else {
                failures.append(.init(rule: .age, message: "未登记出生年月，无法核对年龄条件，请先完善个人资料"))
            }
        }
        if let minDegree = rules.minDegree, rank(facts.degree) < rank(minDegree) {
            failures.append(.init(rule: .degree, message: "本项目要求\(minDegree.label)及以上学位，登记的学位为\(facts.degree?.label ?? "未填写")"))
        }
        if let minLevel = rules.minTitleLevel, (facts.titleLevel ?? TitleLevel.none) < minLevel {
            failures.append(
                .init(rule: .titleLevel, message: "本项目要求\(minLevel.label)及以上职称，登记的职称级别为\(facts.titleLevel?.label ?? "未填写")"))
        }
        if !rules.regions.isEmpty, !facts.places.contains(where: rules.regions.contains) {
            failures.append(.init(rule: .region, message: "本项目限\(rules.regions.joined(separator: "、"))的科技工作者申报"))
        }
        if rules.membersOnly, !facts.isMember {
            failures.append(.init(rule: .membership, message: "本项目限本学会有效会员申报，未查到有效会籍"))
        }
        if rules.womenOnly, facts.sex != .female {
            failures.append(.init(rule: .sex, message: "本项目限女性科技工作者申报"))
        }
        if rules.excludeLaureates, facts.isLaureate {
            failures.append(.init(rule: .laureate, message: "已获得过本奖项，不能重复申报"))
        }
        return failures
    }

    private static func rank(_ degree: Degree?) -> Int {
        switch degree {
        case .doctor: return 3
        case .master: return 2
        case .bachelor: return 1
        case .some(.none), nil: return 0
        }
    }
}

// Stored in a program's rules as their raw values.
extension Degree: Codable {}
extension TitleLevel: Codable {}
