import Foundation
import XCTest

@testable import KexieKit

final class XLSXReaderTests: XCTestCase {
    private func fixture(_ name: String) throws -> Data {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "xlsx", subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    private let expectedHeader = ["姓名", "单位", "年龄", "会费", "是否理事", "入会日期"]

    func testOpenpyxlWorkbookIsReadWithSharedStringsDatesBooleansAndGaps() throws {
        let reader = try XLSXReader(data: fixture("openpyxl-members"))
        XCTAssertEqual(reader.sheetNames, ["会员名单", "第二页"])
        let rows = try reader.rows()
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows[0], expectedHeader)
        XCTAssertEqual(rows[1], ["张三", "北京市科学技术协会", "45", "1200.5", "TRUE", "2020-03-15"])
        XCTAssertEqual(rows[2], ["李四 & <王五>", "“引号”与'单引号'", "38", "0.1", "FALSE", "2024-02-29 14:30:00"])
        XCTAssertEqual(rows[3], [], "row 4 is absent in the file and must stay empty so row numbers line up")
        XCTAssertEqual(rows[4], ["跳过第4行", "", "", "7"])
        XCTAssertEqual(rows[5], [], "openpyxl stores formulas without a cached result")
        XCTAssertEqual(rows[6], ["  前后空格  ", "", "换行\n第二行"])
    }

    func testLibreOfficeWorkbookIsReadIncludingRichTextAndCachedFormulaResults() throws {
        let rows = try XLSXReader(data: fixture("libreoffice-members")).rows()
        XCTAssertEqual(rows[0], expectedHeader)
        XCTAssertEqual(rows[1], ["张三", "北京市科学技术协会", "45", "1200.5", "TRUE", "2020-03-15"])
        XCTAssertEqual(rows[2], ["李四 & <王五>", "“引号”与'单引号'", "38", "0.1", "FALSE", "2024-02-29 14:30:00"])
        XCTAssertEqual(rows[5], ["", "83"])
        XCTAssertEqual(rows[6], ["  前后空格  ", "", "换行\n第二行"])
    }

    func testNamedSheetIsReadAndFarColumnsLandInTheirColumn() throws {
        let rows = try XLSXReader(data: fixture("openpyxl-members")).rows(sheet: "第二页")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows[0], ["second"])
        XCTAssertEqual(rows[2].count, 27)
        XCTAssertEqual(rows[2][26], "123456789012")
    }

    func testUnknownSheetNameIsReportedByName() throws {
        let reader = try XLSXReader(data: fixture("openpyxl-members"))
        XCTAssertThrowsError(try reader.rows(sheet: "不存在")) {
            XCTAssertEqual($0 as? SpreadsheetError, .sheetNotFound("不存在"))
            XCTAssertEqual(($0 as? SpreadsheetError)?.message, "找不到名为“不存在”的工作表")
        }
    }

    func testFilesThatAreNotXLSXAreRejectedWithAHelpfulMessage() {
        XCTAssertThrowsError(try XLSXReader(data: Data("姓名,年龄\n".utf8))) {
            XCTAssertEqual($0 as? SpreadsheetError, .notAnXLSXFile)
        }
        XCTAssertThrowsError(try XLSXReader(data: Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))) {
            XCTAssertEqual(($0 as? SpreadsheetError)?.code, "spreadsheet.legacy_or_encrypted")
        }
        XCTAssertThrowsError(try XLSXReader(data: Data([0x50, 0x4B, 0x03, 0x04, 0, 0]))) {
            XCTAssertEqual($0 as? SpreadsheetError, .notAnXLSXFile)
        }
    }

    func testDecompressedSizeLimitStopsOversizedUploads() throws {
        XCTAssertThrowsError(try XLSXReader(data: fixture("openpyxl-members"), maxUncompressedBytes: 1_000)) {
            XCTAssertEqual(($0 as? SpreadsheetError)?.code, "spreadsheet.too_large")
        }
    }

    func testDateFormatsAreRecognizedButNumberFormatsAreNot() {
        XCTAssertTrue(NumberFormat.isDate("yyyy\\-mm\\-dd"))
        XCTAssertTrue(NumberFormat.isDate("yyyy\"年\"m\"月\"d\"日\""))
        XCTAssertTrue(NumberFormat.isDate("[$-F800]dddd, mmmm dd, yyyy"))
        XCTAssertFalse(NumberFormat.isDate("0.00"))
        XCTAssertFalse(NumberFormat.isDate("#,##0.00 \"元\""))
        XCTAssertFalse(NumberFormat.isDate("[Red]0.00;[Blue]-0.00"))
        XCTAssertFalse(NumberFormat.isDate("General"))
        XCTAssertTrue(NumberFormat.isBuiltInDate(14))
        XCTAssertTrue(NumberFormat.isBuiltInDate(31), "Chinese-locale 年月日 format")
        XCTAssertFalse(NumberFormat.isBuiltInDate(2))
    }

    func testScannerDoesNotExpandDocumentTypeEntities() throws {
        let xml = """
            <?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "boom">]><x><!-- c --><t>&a;&lt;&#x4E2D;&#25991;<![CDATA[<raw>&amp;]]></t></x>
            """
        var scanner = XMLScanner(Array(xml.utf8))
        var text = ""
        while let event = try scanner.next() {
            if case .text(let t) = event { text += t.decoded() }
        }
        XCTAssertEqual(text, "&a;<中文<raw>&amp;")
    }
}

final class XLSXReaderToleranceTests: XCTestCase {
    /// Some generators (.NET SDK, older Java libraries) prefix every element,
    /// omit cell references, use absolute relationship targets and inline strings.
    func testPrefixedElementsMissingReferencesAndAbsoluteTargetsAreRead() throws {
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".utf8)),
            (
                "_rels/.rels",
                Array(
                    """
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="r1" Type="\(rel)/officeDocument" Target="/xl/workbook.xml"/></Relationships>
                    """.utf8)
            ),
            (
                "xl/workbook.xml",
                Array(
                    """
                    <x:workbook xmlns:x="\(main)" xmlns:rel="\(rel)"><x:sheets>\
                    <x:sheet name="数据" sheetId="7" rel:id="s1"/></x:sheets></x:workbook>
                    """.utf8)
            ),
            (
                "xl/_rels/workbook.xml.rels",
                Array(
                    """
                    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                    <Relationship Id="s1" Type="\(rel)/worksheet" Target="/xl/worksheets/data.xml"/>\
                    <Relationship Id="s2" Type="\(rel)/sharedStrings" Target="strings.xml"/></Relationships>
                    """.utf8)
            ),
            (
                "xl/strings.xml",
                Array(
                    """
                    <x:sst xmlns:x="\(main)"><x:si><x:t>共享</x:t></x:si><x:si><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r>\
                    <x:rPh sb="0" eb="1"><x:t>ふり</x:t></x:rPh></x:si><x:si/></x:sst>
                    """.utf8)
            ),
            (
                "xl/worksheets/data.xml",
                Array(
                    """
                    <x:worksheet xmlns:x="\(main)"><x:sheetData>\
                    <x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t>内联</x:t></x:is></x:c></x:row>\
                    <x:row><x:c/><x:c t="str"><x:f>A1&amp;"!"</x:f><x:v>共享!</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c>\
                    <x:c t="n"><x:v>1.0000000000000002E-3</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>\
                    </x:sheetData></x:worksheet>
                    """.utf8)
            ),
        ]
        let reader = try XLSXReader(data: XLSXWriter.zip(parts))
        XCTAssertEqual(reader.sheetNames, ["数据"])
        XCTAssertEqual(try reader.rows(), [["共享", "富文本", "内联"], ["", "共享!", "#DIV/0!", "0.0010000000000000002"]])
    }
}
