import Foundation
import XCTest

@testable import KexieKit

final class CSVWriterTests: XCTestCase {
    func testFieldsWithCommasQuotesAndLineBreaksAreQuotedPerRFC4180() {
        let data = CSVWriter(includesByteOrderMark: false).write(
            header: ["姓名", "备注"],
            rows: [["张三", "北京, 海淀"], ["李四", "他说\"你好\""], ["王五", "第一行\n第二行"], ["", "plain"]])
        XCTAssertEqual(
            String(decoding: data, as: UTF8.self),
            "姓名,备注\r\n张三,\"北京, 海淀\"\r\n李四,\"他说\"\"你好\"\"\"\r\n王五,\"第一行\n第二行\"\r\n,plain\r\n")
    }

    func testByteOrderMarkIsWrittenByDefaultSoExcelShowsChinese() {
        let data = CSVWriter().write(rows: [["中文"]])
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertEqual(String(decoding: data.dropFirst(3), as: UTF8.self), "中文\r\n")
    }

    func testValuesThatWouldRunAsFormulasAreNeutralizedButNumbersAreNot() {
        let writer = CSVWriter(includesByteOrderMark: false)
        XCTAssertEqual(writer.encode("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"")
        XCTAssertEqual(writer.encode("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(writer.encode("-5"), "-5")
        XCTAssertEqual(writer.encode("+8613812345678"), "+8613812345678")
        XCTAssertEqual(CSVWriter(neutralizesFormulas: false).encode("=1+1"), "=1+1")
    }
}

final class CSVReaderTests: XCTestCase {
    func testQuotedFieldsMayContainDelimitersQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n\"北京, 海淀\",\"他说\"\"你好\"\"\",\"第一行\r\n第二行\"\r\nx,,z\r\n"
        XCTAssertEqual(
            try CSVReader().read(text: text),
            [
                ["a", "b", "c"], ["北京, 海淀", "他说\"你好\"", "第一行\r\n第二行"], ["x", "", "z"],
            ])
    }

    func testLineEndingsOfEveryKindSeparateRecordsAndEmptyLinesAreKept() throws {
        XCTAssertEqual(try CSVReader().read(text: "a\nb\rc\r\n\r\nd"), [["a"], ["b"], ["c"], [""], ["d"]])
        XCTAssertEqual(try CSVReader().read(text: ""), [])
        XCTAssertEqual(try CSVReader().read(text: "a,\n"), [["a", ""]])
        XCTAssertEqual(try CSVReader().read(text: "\"\""), [[""]])
    }

    func testByteOrderMarkIsNotPartOfTheFirstField() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data("姓名,年龄\r\n张三,45\r\n".utf8)
        XCTAssertEqual(try CSVReader().read(data), [["姓名", "年龄"], ["张三", "45"]])
    }

    func testWriterOutputReadsBackUnchanged() throws {
        let rows = [["姓名", "备注"], ["张,三", "\"引号\"\n换行"], ["", " 空格 "]]
        let data = CSVWriter(neutralizesFormulas: false).write(rows: rows)
        XCTAssertEqual(try CSVReader().read(data), rows)
    }

    /// Excel on Chinese Windows saves "CSV" as GBK; GB18030 decoding covers it
    /// and also the four-byte sequences (rare characters such as 㐀, and emoji).
    func testGB18030FilesFromChineseExcelAreDecoded() throws {
        // "姓名,单位\r\n张三,㐀😀\r\n" encoded as GB18030 (bytes produced with Python's codec).
        let bytes: [UInt8] = [
            0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xB5, 0xA5, 0xCE, 0xBB, 0x0D, 0x0A,
            0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0x81, 0x39, 0xEE, 0x39, 0x94, 0x39, 0xFC, 0x36, 0x0D, 0x0A,
        ]
        XCTAssertEqual(try CSVReader().read(Data(bytes)), [["姓名", "单位"], ["张三", "㐀😀"]])
    }

    func testUTF16WithByteOrderMarkIsDecoded() throws {
        var data = Data([0xFF, 0xFE])
        for unit in "名,值\n".utf16 { data.append(contentsOf: [UInt8(unit & 0xFF), UInt8(unit >> 8)]) }
        XCTAssertEqual(try CSVReader().read(data), [["名", "值"]])
    }

    func testUnclosedQuoteIsReportedWithTheLineWhereTheRecordStarted() {
        XCTAssertThrowsError(try CSVReader().read(text: "a,b\nc,\"未闭合\nmore")) {
            XCTAssertEqual($0 as? SpreadsheetError, .unterminatedQuote(line: 2))
            XCTAssertEqual(($0 as? SpreadsheetError)?.message, "CSV 第 2 行的引号没有闭合")
        }
    }

    func testOtherDelimitersSuchAsSemicolonAndTabWork() throws {
        XCTAssertEqual(try CSVReader(delimiter: ";").read(text: "a;\"b;c\"\n"), [["a", "b;c"]])
        XCTAssertEqual(try CSVReader(delimiter: "\t").read(text: "a\tb\n"), [["a", "b"]])
    }
}
