import Foundation
import KexieKit
import XCTest

@testable import Innovation
@testable import Platform

/// The 对接会 list is read the same from XLSX, CSV and JSON Lines, with English or Chinese headers, and
/// a bad list is refused with the line to fix.
final class BatchParseTests: XCTestCase {
    func testXLSXWithChineseHeadersCSVAndJSONLinesGiveTheSameDemands() throws {
        let xlsx = try XLSXWriter().write([
            SpreadsheetSheet(
                name: "需求", header: ["编号", "需求名称", "需求描述", "行业", "地区"],
                rows: [["D1", "储能电芯寿命", "循环寿命不足", "C", "海南省海口市"], ["D2", "割胶效率", "胶工难招", "A", ""]])
        ])
        let csv = Data("id,title,description,industry,region\nD1,储能电芯寿命,循环寿命不足,C,海南省海口市\nD2,割胶效率,胶工难招,A,\n".utf8)
        let jsonl = Data(
            """
            {"id": "D1", "title": "储能电芯寿命", "description": "循环寿命不足", "industry": "C", "region": "海南省海口市", "extra": 1}
            {"id": "D2", "title": "割胶效率", "description": "胶工难招", "industry": "A"}
            """.utf8)
        for (name, data) in [("清单.xlsx", xlsx), ("清单.csv", csv), ("清单.jsonl", jsonl)] {
            let records = try BatchRuns.parse(fileName: name, data: data)
            XCTAssertEqual(records.map(\.id.description), ["D1", "D2"], name)
            XCTAssertEqual(records.map(\.title), ["储能电芯寿命", "割胶效率"], name)
            XCTAssertEqual(records[0].industry, "C", name)
            XCTAssertEqual(records[0].region, "海南省海口市", name)
            XCTAssertNil(records[1].region, name)
        }
    }

    func testBadListsAreRefusedWithTheLineToFix() {
        func message(_ name: String, _ text: String) -> String? {
            do {
                _ = try BatchRuns.parse(fileName: name, data: Data(text.utf8))
                return nil
            } catch PlatformError.invalidInput(_, let message) {
                return message
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("a.csv", "名称,描述\n储能,寿命\n"), "第 1 行需有列名 id（编号）和 title（需求名称）")
        XCTAssertEqual(message("a.csv", "id,title\nD1,储能\nD1,割胶\n"), "第 3 行编号“D1”重复")
        XCTAssertEqual(message("a.csv", "id,title\n,储能\n"), "第 2 行缺少编号（id）")
        XCTAssertEqual(message("a.csv", "id,title\n"), "清单中没有需求")
        XCTAssertEqual(message("a.csv", "id,title,description\nD1,,\n"), "第 2 行缺少需求名称和描述")
        // JSON Lines follow the same rules, counted by record.
        XCTAssertEqual(message("a.jsonl", "{\"id\": \"D1\", \"title\": \"储能\"}\n{\"id\": \"D1\", \"title\": \"割胶\"}\n"), "第 2 条编号“D1”重复")
        XCTAssertEqual(message("a.txt", "id,title\nD1,储能\n"), "请上传 .xlsx、.csv 或 .jsonl 文件")
        XCTAssertEqual(message("a.xlsx", "not a zip"), "无法读取该 XLSX 文件，请确认是 Excel 2007 及以上格式")
        XCTAssertTrue(message("a.jsonl", "{\"id\": \"D1\", \"title\": \"储能\"}\n{oops\n")?.hasPrefix("第 2 行无法解析") ?? false)
    }
}
