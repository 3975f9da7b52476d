import Foundation
import XCTest

@testable import KexieKit

final class XLSXWriterTests: XCTestCase {
    private let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    private func sampleSheet() -> SpreadsheetSheet {
        SpreadsheetSheet(
            name: "会员",
            header: ["姓名", "年龄", "会费", "理事", "入会日期", "登记时间", "备注"],
            rows: [
                [
                    "张三", 45, 1200.5, true, .day(Day("2020-03-15")!),
                    .dateTime(Date(timeIntervalSince1970: 1_709_188_200)), "A&B <c> \"q\" 'x'",
                ],
                ["李四", .empty, 0.1, false, .empty, .empty, "  前后空格\n第二行  "],
            ])
    }

    func testWrittenWorkbookReadsBackWithTheSameValuesInTheSameColumns() throws {
        let data = try XLSXWriter(timeZone: shanghai).write([sampleSheet()])
        let rows = try XLSXReader(data: data).rows()
        XCTAssertEqual(
            rows,
            [
                ["姓名", "年龄", "会费", "理事", "入会日期", "登记时间", "备注"],
                ["张三", "45", "1200.5", "TRUE", "2020-03-15", "2024-02-29 14:30:00", "A&B <c> \"q\" 'x'"],
                ["李四", "", "0.1", "FALSE", "", "", "  前后空格\n第二行  "],
            ])
    }

    func testEveryRequiredPackagePartIsPresent() throws {
        let data = try XLSXWriter().write([sampleSheet(), SpreadsheetSheet(name: "第二页", header: [], rows: [["x"]])])
        let reader = try XLSXReader(data: data)
        XCTAssertEqual(reader.sheetNames, ["会员", "第二页"])
        XCTAssertEqual(try reader.rows(sheet: "第二页"), [["x"]])
    }

    func testControlCharactersThatXMLCannotHoldAreDroppedRatherThanCorruptingTheFile() throws {
        let data = try XLSXWriter().write([SpreadsheetSheet(name: "S", header: ["a"], rows: [["x\u{01}y\u{0B}z"]])])
        XCTAssertEqual(try XLSXReader(data: data).rows().last, ["xyz"])
    }

    func testSameInputProducesIdenticalBytes() throws {
        let writer = XLSXWriter(timeZone: shanghai)
        XCTAssertEqual(try writer.write([sampleSheet()]), try writer.write([sampleSheet()]))
    }

    func testSheetNamesThatExcelRejectsAreRefused() {
        for name in ["", "a/b", "问题?", String(repeating: "长", count: 32), "'quoted'"] {
            XCTAssertThrowsError(try XLSXWriter().write([SpreadsheetSheet(name: name, header: [], rows: [])])) {
                XCTAssertEqual($0 as? SpreadsheetError, .invalidSheetName(name))
            }
        }
        let duplicate = [
            SpreadsheetSheet(name: "Sheet", header: [], rows: []),
            SpreadsheetSheet(name: "sheet", header: [], rows: []),
        ]
        XCTAssertThrowsError(try XLSXWriter().write(duplicate)) {
            XCTAssertEqual(($0 as? SpreadsheetError)?.code, "spreadsheet.duplicate_sheet_name")
        }
        XCTAssertThrowsError(try XLSXWriter().write([])) {
            XCTAssertEqual(($0 as? SpreadsheetError)?.message, "工作簿至少需要一个工作表")
        }
    }

    func testHundredThousandRowsAreWrittenWithinAFewSeconds() throws {
        let rows: [[SpreadsheetCell]] = (0..<100_000).map { index in
            [
                .text("会员\(index)"), .text("中国科学技术协会 & 分会"), .number(Double(index)),
                .number(Double(index) / 7), .bool(index % 2 == 0), .day(Day("2025-01-01")!.adding(days: index % 365)),
            ]
        }
        let sheet = SpreadsheetSheet(name: "大表", header: ["姓名", "单位", "序号", "比例", "有效", "日期"], rows: rows)
        let start = Date()
        let data = try XLSXWriter().write([sheet])
        let elapsed = Date().timeIntervalSince(start)
        print("XLSX 100k rows x 6 columns: \(String(format: "%.2f", elapsed)) s, \(data.count) bytes")
        XCTAssertLessThan(elapsed, 15, "debug builds are slower; see report for release figures")

        let readStart = Date()
        let readBack = try XLSXReader(data: data).rows()
        print("XLSX 100k rows read: \(String(format: "%.2f", Date().timeIntervalSince(readStart))) s")
        XCTAssertEqual(readBack.count, 100_001)
        XCTAssertEqual(
            readBack[100_000],
            [
                "会员99999", "中国科学技术协会 & 分会", "99999",
                XLSXWriter.format(99_999.0 / 7), "FALSE",
                Day("2025-01-01")!.adding(days: 99_999 % 365).description,
            ])
    }

    /// Checks the file with an independent implementation, not only our own reader.
    func testOpenpyxlReadsTheWrittenWorkbook() throws {
        let python = try Python.requireOpenpyxl()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kexie-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter(timeZone: shanghai).write([sampleSheet()]).write(to: url)

        let script = """
            import json, sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb["会员"]
            out = {"sheets": wb.sheetnames,
                   "rows": [[None if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)],
                   "headerBold": ws["A1"].font.b, "dayFormat": ws["E2"].number_format,
                   "frozen": ws.freeze_panes}
            print(json.dumps(out, ensure_ascii=False))
            """
        let output = try python.run(script, arguments: [url.path])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        XCTAssertEqual(json["sheets"] as? [String], ["会员"])
        XCTAssertEqual(json["headerBold"] as? Bool, true)
        XCTAssertEqual(json["dayFormat"] as? String, "yyyy\\-mm\\-dd")
        XCTAssertEqual(json["frozen"] as? String, "A2")
        let rows = try XCTUnwrap(json["rows"] as? [[Any]])
        func text(_ value: Any) -> String? { value as? String }
        XCTAssertEqual(
            rows[1].map(text),
            [
                "张三", "45", "1200.5", "True", "2020-03-15 00:00:00",
                "2024-02-29 14:30:00", "A&B <c> \"q\" 'x'",
            ])
        XCTAssertEqual(rows[2].map(text), ["李四", nil, "0.1", "False", nil, nil, "  前后空格\n第二行  "])
    }
}

/// Runs snippets with the machine's python3 so tests can cross-check files
/// with openpyxl; tests skip when it is not installed.
struct Python {
    let executable: URL

    static func requireOpenpyxl() throws -> Python {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")
            .split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent("python3") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw XCTSkip("python3 is not installed")
        }
        let python = Python(executable: found)
        guard (try? python.run("import openpyxl", arguments: [])) != nil else {
            throw XCTSkip("openpyxl is not installed (pip install openpyxl)")
        }
        return python
    }

    struct Failed: Error { let status: Int32; let stderr: String }

    func run(_ script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(status: process.terminationStatus, stderr: String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
