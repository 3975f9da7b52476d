import XCTest

@testable import KexieKit

/// Eligibility rules as data: ages from the birth month (the reference month counts as reached), and each
/// rule naming its field.
final class EligibilityTests: XCTestCase {
    static func facts(
        birth: String? = "1986-05", sex: Sex? = .male, degree: Degree? = .doctor, level: TitleLevel? = .associateSenior,
        places: [String] = ["云海省", "东港市"], member: Bool = true, laureate: Bool = false
    ) -> EligibilityFacts {
        EligibilityFacts(
            birthMonth: birth, sex: sex, degree: degree, titleLevel: level, places: places, isMember: member, isLaureate: laureate)
    }

    func testAgeCountsTheBirthMonthAsReached() {
        let day = Day(year: 2026, month: 5, day: 31)!
        XCTAssertEqual(Eligibility.age(birthYear: 1986, birthMonth: 5, on: day), 40)
        XCTAssertEqual(Eligibility.age(birthYear: 1986, birthMonth: 6, on: day), 39)
        XCTAssertEqual(Eligibility.age(birthYear: 1986, birthMonth: 4, on: day), 40)
        XCTAssertEqual(Eligibility.age(birthYear: 1985, birthMonth: 12, on: Day(year: 2026, month: 1, day: 1)!), 40)
        XCTAssertEqual(Eligibility.age(birthYear: 1986, birthMonth: 1, on: Day(year: 2026, month: 1, day: 1)!), 40)
    }

    func testTheAgeLimitAtItsBoundaries() {
        let rules = EligibilityRules(maxAge: 40, ageReferenceDate: Day("2026-05-31"), excludeLaureates: false)
        let reference = Day("2026-12-31")!
        // Born in the reference month forty years before: exactly 40, eligible.
        XCTAssertEqual(Eligibility.check(rules, Self.facts(birth: "1986-05"), referenceDay: reference), [])
        // A month earlier in 1985: 41, refused with the age field.
        let refused = Eligibility.check(rules, Self.facts(birth: "1985-05"), referenceDay: reference)
        XCTAssertEqual(refused.map(\.rule), [.age])
        XCTAssertEqual(refused.first?.message, "截至 2026-05-31 已满 41 周岁，超过本项目 40 周岁的年龄限制")
        // Born in June 1985: 40 on 2026-05-31 (not yet 41).
        XCTAssertEqual(Eligibility.check(rules, Self.facts(birth: "1985-06"), referenceDay: reference), [])
        // No birth month: cannot be checked, refused with a request to complete the profile.
        XCTAssertEqual(Eligibility.check(rules, Self.facts(birth: nil), referenceDay: reference).map(\.rule), [.age])
        // Without a reference date the deadline given by the caller is used.
        let noDate = EligibilityRules(maxAge: 40, excludeLaureates: false)
        XCTAssertEqual(Eligibility.check(noDate, Self.facts(birth: "1986-06"), referenceDay: Day("2026-05-31")!), [])
        XCTAssertEqual(Eligibility.check(noDate, Self.facts(birth: "1986-06"), referenceDay: Day("2027-06-01")!).map(\.rule), [.age])
    }

    func testEveryOtherRuleNamesItsField() {
        let rules = EligibilityRules(
            minDegree: .master, minTitleLevel: .senior, regions: ["云海省"], membersOnly: true, womenOnly: true, excludeLaureates: true)
        let failures = Eligibility.check(
            rules, Self.facts(sex: .male, degree: .bachelor, level: .intermediate, places: ["海滨省"], member: false, laureate: true),
            referenceDay: Day("2026-05-31")!)
        XCTAssertEqual(failures.map(\.rule), [.degree, .titleLevel, .region, .membership, .sex, .laureate])
        XCTAssertEqual(failures.map(\.rule.field), ["degree", "titleLevel", "region", "membership", "sex", "laureate"])
        XCTAssertEqual(failures[0].message, "本项目要求硕士及以上学位，登记的学位为学士")
        let eligible = Self.facts(sex: .female, degree: .doctor, level: .senior, places: ["云海省", "东港市"], member: true, laureate: false)
        XCTAssertEqual(Eligibility.check(rules, eligible, referenceDay: Day("2026-05-31")!), [])
        // Unknown degree and title level count as none.
        XCTAssertEqual(
            Eligibility.check(
                EligibilityRules(minDegree: .bachelor, excludeLaureates: false), Self.facts(degree: nil), referenceDay: Day("2026-05-31")!
            )
            .map(\.rule), [.degree])
    }

    func testRulesRoundTripAsJSONAndDescribeThemselves() throws {
        let rules = EligibilityRules(maxAge: 45, ageReferenceDate: Day("2026-03-01"), minTitleLevel: .associateSenior, womenOnly: true)
        let data = try JSONEncoder().encode(rules)
        XCTAssertEqual(try JSONDecoder().decode(EligibilityRules.self, from: data), rules)
        XCTAssertEqual(rules.descriptions, ["年龄不超过 45 周岁（以 2026-03-01 计，按出生年月）", "具有副高级及以上职称", "限女性科技工作者", "未获得过本奖项"])
    }
}
