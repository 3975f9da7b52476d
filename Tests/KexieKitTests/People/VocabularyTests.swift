import XCTest

@testable import KexieKit

final class VocabularyTests: XCTestCase {
    func testRawValuesAreStableSnakeCaseAndUnique() {
        func check<V: ProfileVocabulary>(_ type: V.Type, file: StaticString = #filePath, line: UInt = #line) {
            let raws = V.allCases.map(\.rawValue)
            XCTAssertEqual(Set(raws).count, raws.count, file: file, line: line)
            for raw in raws {
                XCTAssertTrue(raw.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }, raw, file: file, line: line)
            }
            XCTAssertEqual(Set(V.labels).count, V.allCases.count, "labels are distinct", file: file, line: line)
        }
        check(Sex.self)
        check(Ethnicity.self)
        check(PoliticalStatus.self)
        check(Education.self)
        check(Degree.self)
        check(TitleLevel.self)
    }

    func testSex() {
        XCTAssertEqual(Sex.resolve("男"), .male)
        XCTAssertEqual(Sex.resolve(" 女性 "), .female)
        XCTAssertEqual(Sex.resolve("2"), .female, "GB/T 2261.1 code")
        XCTAssertEqual(Sex.resolve("female"), .female)
        XCTAssertNil(Sex.resolve("未知"))
    }

    func testEthnicityHas56GroupsPlusTwoAndAcceptsNamesWithOrWithoutZu() {
        XCTAssertEqual(Ethnicity.allCases.count, 58)
        XCTAssertEqual(Ethnicity.han.gbCode, "01")
        XCTAssertEqual(Ethnicity.jino.gbCode, "56")
        XCTAssertEqual(Ethnicity.jino.label, "基诺族")
        XCTAssertEqual(Ethnicity.foreignOrigin.gbCode, "98")
        XCTAssertEqual(Ethnicity.resolve("汉族"), .han)
        XCTAssertEqual(Ethnicity.resolve("汉"), .han)
        XCTAssertEqual(Ethnicity.resolve("蒙古"), .mongol)
        XCTAssertEqual(Ethnicity.resolve("土"), .tu, "not 土家")
        XCTAssertEqual(Ethnicity.resolve("土家族"), .tujia)
        XCTAssertEqual(Ethnicity.resolve("维吾尔族"), .uyghur)
        XCTAssertEqual(Ethnicity.resolve("崩龙族"), .deang)
        XCTAssertEqual(Ethnicity.resolve("外国血统"), .foreignOrigin)
        XCTAssertEqual(Ethnicity.resolve("其他"), .other)
        XCTAssertEqual(Ethnicity.resolve("03"), .hui)
        XCTAssertNil(Ethnicity.resolve("火星族"))
    }

    func testPoliticalStatusFollowsGBT4762() {
        XCTAssertEqual(PoliticalStatus.allCases.count, 13)
        XCTAssertEqual(PoliticalStatus.cpcMember.gbCode, "01")
        XCTAssertEqual(PoliticalStatus.masses.gbCode, "13")
        XCTAssertEqual(PoliticalStatus.resolve("中共党员"), .cpcMember)
        XCTAssertEqual(PoliticalStatus.resolve("中国共产党党员"), .cpcMember)
        XCTAssertEqual(PoliticalStatus.resolve("预备党员"), .cpcProbationaryMember)
        XCTAssertEqual(PoliticalStatus.resolve("团员"), .communistYouthLeagueMember)
        XCTAssertEqual(PoliticalStatus.resolve("民革党员"), .rcckmtMember)
        XCTAssertEqual(PoliticalStatus.resolve("九三学社"), .jiusanMember)
        XCTAssertEqual(PoliticalStatus.resolve("无党派"), .nonPartisan)
        XCTAssertEqual(PoliticalStatus.resolve("群众"), .masses)
        XCTAssertNil(PoliticalStatus.resolve("党"))
    }

    func testEducationAndDegree() {
        XCTAssertEqual(Education.resolve("本科"), .bachelor)
        XCTAssertEqual(Education.resolve("大专"), .associate)
        XCTAssertEqual(Education.resolve("博士研究生"), .doctoral)
        XCTAssertEqual(Education.resolve("初中"), .highSchoolOrBelow)
        XCTAssertNil(Education.resolve("研究生"), "ambiguous between 博士 and 硕士")
        XCTAssertEqual(Degree.resolve("硕士学位"), .master)
        XCTAssertEqual(Degree.resolve("无"), Degree.none)
        XCTAssertNil(Degree.resolve("双学士"))
    }

    func testTitleNamesMapToLevels() {
        let expected: [String: TitleLevel] = [
            "教授": .senior, "研究员": .senior, "主任医师": .senior, "正高级工程师": .senior, "教授级高工": .senior,
            "编审": .senior, "正高级教师": .senior,
            "副教授": .associateSenior, "副研究员": .associateSenior, "高级工程师": .associateSenior,
            "副主任医师": .associateSenior, "高级经济师": .associateSenior, "高级讲师": .associateSenior,
            "讲师": .intermediate, "助理研究员": .intermediate, "工程师": .intermediate, "主治医师": .intermediate,
            "会计师": .intermediate,
            "助教": .junior, "研究实习员": .junior, "助理工程师": .junior, "医师": .junior, "护士": .junior,
            "技术员": .junior,
        ]
        for (title, level) in expected {
            XCTAssertEqual(TitleLevel.level(ofTitle: title), level, title)
        }
    }

    func testTitleVariants() {
        XCTAssertEqual(TitleLevel.level(ofTitle: "高级工程师（电气）"), .associateSenior, "remark ignored")
        XCTAssertEqual(TitleLevel.level(ofTitle: " 高级 工程师 "), .associateSenior)
        XCTAssertEqual(TitleLevel.level(ofTitle: "软件工程师"), .intermediate, "specialty before a known title")
        XCTAssertEqual(TitleLevel.level(ofTitle: "副高级"), .associateSenior, "a level in the title column")
        XCTAssertNil(TitleLevel.level(ofTitle: "副总工程师"), "a grade word in front is not guessed at")
        XCTAssertNil(TitleLevel.level(ofTitle: "首席科学家"))
        XCTAssertEqual(TitleLevel.resolve("正高"), .senior)
        XCTAssertEqual(TitleLevel.resolve("员级"), .junior)
        XCTAssertTrue(TitleLevel.associateSenior >= .associateSenior && TitleLevel.senior > .associateSenior)
        XCTAssertTrue(TitleLevel.none < .junior)
    }
}
