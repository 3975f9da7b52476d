import XCTest

@testable import KexieKit

final class ClassificationsTests: XCTestCase {
    private func bundled() throws -> Classifications { try Classifications.bundled() }

    func testBundledListsAreComplete() throws {
        let lists = try bundled()
        XCTAssertEqual(lists.disciplines.count, 62, "GB/T 13745-2009 has 62 first-level disciplines")
        XCTAssertEqual(lists.industries.map(\.code).joined(), "ABCDEFGHIJKLMNOPQRST")
        XCTAssertEqual(lists.disciplinesByGroup.map(\.group), ["自然科学", "农业科学", "医药科学", "工程与技术科学", "人文与社会科学"])
        XCTAssertEqual(lists.disciplinesByGroup.map(\.disciplines.count).reduce(0, +), 62)
    }

    func testDisciplineByCodeNameAliasAndExportedForm() throws {
        let lists = try bundled()
        XCTAssertEqual(lists.discipline(matching: "520")?.name, "计算机科学技术")
        XCTAssertEqual(lists.discipline(matching: " 计算机科学技术 ")?.code, "520")
        XCTAssertEqual(lists.discipline(matching: "５２０")?.code, "520", "full-width digits")
        XCTAssertEqual(lists.discipline(matching: "520 计算机科学技术")?.code, "520")
        XCTAssertEqual(lists.discipline(matching: "520计算机科学技术")?.code, "520")
        XCTAssertNil(lists.discipline(matching: "520 数学"), "code and name disagree")
    }

    func testEveryListedAliasResolvesToItsCode() throws {
        let lists = try bundled()
        XCTAssertEqual(lists.discipline(matching: "航空航天科学技术")?.code, "590")
        XCTAssertEqual(lists.discipline(matching: "预防医学与卫生学")?.code, "330")
        XCTAssertEqual(lists.discipline(matching: "电子、通信与自动控制技术")?.code, "510")
        XCTAssertEqual(lists.discipline(matching: "环境科学技术")?.code, "610")
        // Separators are not significant: 、 and a comma or nothing at all.
        XCTAssertEqual(lists.discipline(matching: "航空,航天科学技术")?.code, "590")
        XCTAssertEqual(lists.discipline(matching: "畜牧兽医科学")?.code, "230")
    }

    func testUnknownDisciplinesAreNotGuessed() throws {
        let lists = try bundled()
        XCTAssertNil(lists.discipline(matching: "计算机"), "a part of a name is not enough")
        XCTAssertNil(lists.discipline(matching: "999"))
        XCTAssertNil(lists.discipline(matching: "  "))
    }

    func testIndustryByLetterNameAndFinerCode() throws {
        let lists = try bundled()
        XCTAssertEqual(lists.industry(matching: "m")?.name, "科学研究和技术服务业")
        XCTAssertEqual(lists.industry(matching: "Ｍ")?.code, "M")
        XCTAssertEqual(lists.industry(matching: "C36")?.code, "C")
        XCTAssertEqual(lists.industry(matching: "制造业")?.code, "C")
        XCTAssertEqual(lists.industry(matching: "I 信息传输、软件和信息技术服务业")?.code, "I")
        XCTAssertEqual(lists.industry(matching: "信息传输")?.code, "I", "unique leading part")
        XCTAssertNil(lists.industry(matching: "C 教育"), "letter and name disagree")
        XCTAssertNil(lists.industry(matching: "U"))
        XCTAssertNil(lists.industry(matching: "Manufacturing"))
        XCTAssertEqual(lists.industry(matching: "P")?.section, IndustrySection(letter: "P"))
    }

    func testMalformedDataIsReported() {
        XCTAssertThrowsError(try Classifications(disciplineJSON: Data("{}".utf8), industryJSON: Data("{}".utf8))) {
            XCTAssertEqual(($0 as? ClassificationsError)?.code, "classifications.malformed")
        }
    }
}
