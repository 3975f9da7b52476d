import Foundation
import XCTest

@testable import KexieKit

final class BatchMatchingTests: XCTestCase {
    let supplies = """
        {"id": 7, "title": "天然橡胶智能割胶机", "description": "电动割胶", "industry": "A", "region": "469002", "owner": "热科院"}

        {"id": "S-2", "title": "废旧轮胎再生胶", "description": "胶粉脱硫", "industry": "C36", "region": 460100, "trl": "TRL 7"}
        """

    func testRecordsKeepTheirIdTypesAndTolerateExtraFields() throws {
        let records = try JSONLines.decode(MatchRecord.self, from: Data(supplies.utf8))
        XCTAssertEqual(records.map(\.id), [.integer(7), .string("S-2")])
        XCTAssertEqual(records[1].trl, 7)
        XCTAssertEqual(records[1].region, "460100")
        XCTAssertEqual(records[1].profile(kind: .supply).industry?.letter, "C")
    }

    func testBadLinesAreReportedByLineNumber() {
        let data = Data("{\"id\": 1, \"title\": \"a\"}\n{oops}\n".utf8)
        XCTAssertThrowsError(try JSONLines.decode(MatchRecord.self, from: data)) { error in
            XCTAssertEqual((error as? JSONLines.LineError)?.line, 2)
        }
    }

    func testOutputHasTheDocumentedShapeAndIdTypes() async throws {
        let demands = """
            {"id": "D1", "title": "割胶机械化", "industry": "A", "region": "琼海市"}
            {"id": 2, "title": "量子密钥分发"}
            """
        let output = try await BatchMatching.run(suppliesJSONL: Data(supplies.utf8), demandsJSONL: Data(demands.utf8), top: 10)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        XCTAssertEqual(json.count, 2)
        XCTAssertEqual(json[0]["demand"] as? String, "D1")
        XCTAssertEqual(json[1]["demand"] as? Int, 2)
        XCTAssertEqual((json[1]["matches"] as? [Any])?.count, 0)
        let first = try XCTUnwrap((json[0]["matches"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(first.keys), ["supply", "score", "reasons"])
        XCTAssertEqual(first["supply"] as? Int, 7)
        XCTAssertNotNil(first["score"] as? Double)
        let reasons = try XCTUnwrap(first["reasons"] as? [String])
        XCTAssertTrue(reasons.contains("同一地区：琼海市"))
        XCTAssertTrue(String(decoding: output, as: UTF8.self).contains("共同关键词"), "Chinese is written unescaped")
    }

    func testTopLimitsTheNumberOfMatches() async throws {
        let records = (1...30).map { MatchRecord(id: .integer(Int64($0)), title: "割胶机第\($0)型") }
        let result = await BatchMatching.run(supplies: records, demands: [MatchRecord(id: "d", title: "割胶机")], top: 3)
        XCTAssertEqual(result.first?.matches.count, 3)
    }

    func testEncodedResultsDecodeBackUnchanged() throws {
        let results = [DemandMatches(demand: .number(1.5), matches: [SupplyMatch(supply: "a", score: 0.5, reasons: ["行业相同：制造业"])])]
        XCTAssertEqual(try JSONDecoder().decode([DemandMatches].self, from: BatchMatching.encode(results)), results)
    }
    func testByteOrderMarkAndWindowsLineEndingsAreAccepted() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data("{\"id\": 1, \"title\": \"割胶\"}\r\n{\"id\": 2, \"title\": \"胶园\"}\r\n".utf8)
        XCTAssertEqual(try JSONLines.decode(MatchRecord.self, from: data).map(\.id), [1, 2])
    }
    func testIndustryIsReadFromLettersCodesAndNames() {
        XCTAssertEqual(IndustrySection(parsing: "c")?.letter, "C")
        XCTAssertEqual(IndustrySection(parsing: "C36")?.letter, "C")
        XCTAssertEqual(IndustrySection(parsing: "C 制造业")?.letter, "C")
        XCTAssertEqual(IndustrySection(parsing: "制造业")?.letter, "C")
        XCTAssertEqual(IndustrySection(parsing: "卫生和社会工作")?.letter, "Q")
        XCTAssertNil(IndustrySection(parsing: "Manufacturing"))
        XCTAssertNil(IndustrySection(parsing: "Z"))
    }
}
