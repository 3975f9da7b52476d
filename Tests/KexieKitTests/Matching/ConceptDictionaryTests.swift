import XCTest

@testable import KexieKit

final class ConceptDictionaryTests: XCTestCase {
    func testBuiltInDictionaryShipsBatterySynonymsAndRubberSenses() {
        let dictionary = ConceptDictionary.builtIn
        let battery = dictionary.concepts.first { $0.name == "动力电池" }
        XCTAssertNotNil(battery)
        XCTAssertTrue(battery?.synonyms.contains("锂离子电池") == true)
        XCTAssertTrue(battery?.synonyms.contains("储能电芯") == true)
        XCTAssertEqual(dictionary.senses.filter { $0.word == "橡胶" }.count, 2)
        XCTAssertTrue(dictionary.stopWords.contains("技术"))
    }

    func testParsesConceptsSensesAndStopWords() throws {
        let dictionary = try ConceptDictionary(
            parsing: """
                # 注释
                椰子 = 椰青 椰肉
                病毒 ~ 计算机病毒 [i] : 木马 漏洞
                stop: 技术 需求
                """)
        XCTAssertEqual(dictionary.concepts, [.init(name: "椰子", synonyms: ["椰青", "椰肉"])])
        XCTAssertEqual(dictionary.senses, [.init(word: "病毒", label: "计算机病毒", industries: ["I"], cues: ["木马", "漏洞"])])
        XCTAssertEqual(dictionary.stopWords, ["技术", "需求"])
    }

    func testMalformedLinesAreReportedWithTheirNumber() {
        XCTAssertThrowsError(try ConceptDictionary(parsing: "椰子 = 椰青\n这一行没有分隔符")) { error in
            XCTAssertEqual(error as? ConceptDictionary.ParseError, .malformedLine(number: 2, text: "这一行没有分隔符"))
        }
    }

    func testAdministratorEntriesMergeIntoExistingConcepts() throws {
        let extra = try ConceptDictionary(parsing: "动力电池 = 刀片电池\n沉香 = 奇楠")
        let merged = ConceptDictionary.builtIn.merging(extra)
        XCTAssertTrue(merged.concepts.first { $0.name == "动力电池" }?.synonyms.contains("刀片电池") == true)
        XCTAssertTrue(merged.concepts.contains { $0.name == "沉香" })
        XCTAssertEqual(merged.concepts.filter { $0.name == "动力电池" }.count, 1)
    }
}
