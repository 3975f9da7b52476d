import Foundation
import XCTest

@testable import KexieKit

/// ZIP bombs and grid bombs against BoundedArchive, DocxReader and XLSXReader.
///
/// Archives are real: they are deflated by ZIPFoundation's in-memory `Archive(accessMode: .create)` through
/// `XLSXWriter.zip` (the test target may import only KexieKit), then their headers are edited to lie.
final class BoundedArchiveTests: XCTestCase {
    // MARK: - Lying headers

    func testDocxWhoseDocumentLiesAboutItsSizeIsRefusedWithinSeconds() throws {
        let bomb = try Bombs.docx()
        XCTAssertLessThan(bomb.count, 2_000_000, "300 MiB of zeros deflates to a few hundred kilobytes")
        let started = Date()
        XCTAssertThrowsError(try PlanParser().parse(docx: bomb)) {
            XCTAssertEqual($0 as? PlanParseError, .documentTooLarge)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testXLSXWhoseSheetLiesAboutItsSizeIsRefusedWithinSeconds() throws {
        let bomb = try Bombs.xlsx()
        let started = Date()
        XCTAssertThrowsError(try XLSXReader(data: bomb)) {
            XCTAssertEqual($0 as? SpreadsheetError, .tooLarge(limitBytes: 268_435_456))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3)
    }

    func testInflatingStopsAtTheFirstChunkPastTheDeclaredSize() throws {
        var archive = try BoundedArchive(data: try Bombs.docx())
        let document = try XCTUnwrap(archive.entry("word/document.xml"))
        XCTAssertEqual(document.declaredSize, 2_048)
        XCTAssertThrowsError(try archive.read(document)) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .declaredSizeExceeded(path: "word/document.xml", declared: 2_048))
            XCTAssertEqual(($0 as? ArchiveBudgetError)?.isOverBudget, true)
        }
        XCTAssertEqual(archive.inflatedBytes, 0, "a refused entry adds nothing to the total")
    }

    // MARK: - Budget on actual bytes

    func testEntryDeclaringMoreThanTheBudgetIsRefusedBeforeInflating() throws {
        let honest = try XLSXWriter.zip([("word/document.xml", [UInt8](repeating: 0, count: 100 * 1_048_576))])
        var archive = try BoundedArchive(data: honest)
        let started = Date()
        XCTAssertThrowsError(try archive.read(path: "word/document.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .entryTooLarge(path: "word/document.xml", limit: 67_108_864))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 0.5)
        XCTAssertThrowsError(try PlanParser().parse(docx: honest)) {
            XCTAssertEqual($0 as? PlanParseError, .documentTooLarge)
        }
    }

    func testActualBytesCountAgainstTheEntryLimit() throws {
        // Declares exactly the limit, so only counting what the inflater produces can catch it.
        var zip = ZipBytes(try XLSXWriter.zip([("a.xml", [UInt8](repeating: 0, count: 4 * 1_048_576))]))
        try zip.setDeclaredSize(of: "a.xml", to: 1_048_576)
        var archive = try BoundedArchive(data: zip.data, budget: .init(maxEntryBytes: 1_048_576))
        XCTAssertThrowsError(try archive.read(path: "a.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .entryTooLarge(path: "a.xml", limit: 1_048_576))
        }
    }

    func testActualBytesCountAgainstTheTotalAcrossEntries() throws {
        var zip = ZipBytes(
            try XLSXWriter.zip([
                ("a.xml", [UInt8](repeating: 0x41, count: 600 * 1_024)),
                ("b.xml", [UInt8](repeating: 0x42, count: 2 * 1_048_576)),
            ]))
        try zip.setDeclaredSize(of: "b.xml", to: 400 * 1_024)
        var archive = try BoundedArchive(data: zip.data, budget: .init(maxTotalBytes: 1_048_576))
        XCTAssertEqual(try archive.read(path: "a.xml")?.count, 614_400)
        XCTAssertEqual(archive.inflatedBytes, 614_400)
        XCTAssertThrowsError(try archive.read(path: "b.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .totalTooLarge(limit: 1_048_576))
        }
        XCTAssertEqual(archive.inflatedBytes, 614_400)
    }

    func testTotalIsCheckedAgainstDeclaredSizesBeforeInflating() throws {
        let zip = try XLSXWriter.zip([
            ("a.xml", [UInt8](repeating: 0x41, count: 700 * 1_024)),
            ("b.xml", [UInt8](repeating: 0x42, count: 700 * 1_024)),
        ])
        var archive = try BoundedArchive(data: zip, budget: .init(maxTotalBytes: 1_048_576))
        XCTAssertEqual(try archive.read(path: "a.xml")?.count, 716_800)
        XCTAssertThrowsError(try archive.read(path: "b.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .totalTooLarge(limit: 1_048_576))
        }
    }

    func testImplausibleCompressionRatioIsRefused() throws {
        // 50 MiB of zeros fits the default entry budget but deflates about a thousand times.
        let zip = try XLSXWriter.zip([("xl/worksheets/sheet1.xml", [UInt8](repeating: 0, count: 50 * 1_048_576))])
        var archive = try BoundedArchive(data: zip)
        XCTAssertThrowsError(try archive.read(path: "xl/worksheets/sheet1.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .suspiciousCompressionRatio(path: "xl/worksheets/sheet1.xml"))
        }
        // Repetitive but small parts stay under the allowance and read.
        let small = try XLSXWriter.zip([("styles.xml", [UInt8](repeating: 0x20, count: 900_000))])
        var smallArchive = try BoundedArchive(data: small)
        XCTAssertEqual(try smallArchive.read(path: "styles.xml")?.count, 900_000)
    }

    // MARK: - Entry count

    func testTooManyEntriesAreRefusedBeforeAnyIsRead() throws {
        let parts = (1...11).map { (path: "part\($0).xml", bytes: Array("<x/>".utf8)) }
        let zip = try XLSXWriter.zip(parts)
        XCTAssertThrowsError(try BoundedArchive(data: zip, budget: .init(maxEntries: 10))) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .tooManyEntries(limit: 10))
        }
        XCTAssertEqual(try BoundedArchive(data: zip, budget: .init(maxEntries: 11)).entries.count, 11)
    }

    func testDirectoryClaimingTwentyThousandEntriesIsRefusedByBothReaders() throws {
        var zip = ZipBytes(try Workbooks.zip(sheet: "<worksheet><sheetData/></worksheet>"))
        try zip.setEntryCount(20_000)
        XCTAssertThrowsError(try PlanParser().parse(docx: zip.data)) {
            XCTAssertEqual($0 as? PlanParseError, .documentTooLarge)
        }
        XCTAssertThrowsError(try XLSXReader(data: zip.data)) {
            XCTAssertEqual($0 as? SpreadsheetError, .tooLarge(limitBytes: 268_435_456))
        }
    }

    // MARK: - Damaged archives

    func testCRCMismatchIsRefused() throws {
        var zip = ZipBytes(try XLSXWriter.zip([("a.xml", Array("<a>hello</a>".utf8))]))
        try zip.setCRC(of: "a.xml", to: 0x1234_5678)
        var archive = try BoundedArchive(data: zip.data)
        XCTAssertThrowsError(try archive.read(path: "a.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .corruptEntry(path: "a.xml"))
            XCTAssertEqual(($0 as? ArchiveBudgetError)?.isOverBudget, false)
        }
    }

    /// ZIPFoundation's own `Archive.extract` spins forever on this entry on Linux: its inflater asks for more
    /// input past the end of the file and never gets the end of the stream.
    func testDeflateStreamThatNeverEndsIsRefusedInsteadOfSpinning() throws {
        // A final stored block that promises 65,535 bytes and delivers none.
        let zip = ZipBytes.singleEntry(
            path: "word/document.xml", method: 8, payload: [0x01, 0xFF, 0xFF, 0x00, 0x00], declaredSize: 65_535)
        var archive = try BoundedArchive(data: zip)
        let started = Date()
        XCTAssertThrowsError(try archive.read(path: "word/document.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .corruptEntry(path: "word/document.xml"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertThrowsError(try PlanParser().parse(docx: zip)) {
            XCTAssertEqual($0 as? PlanParseError, .unreadableDocx)
        }
    }

    func testStoredEntriesAreReadAndCheckedToo() throws {
        let text = Array("<w:document/>".utf8)
        let good = ZipBytes.singleEntry(path: "a.xml", method: 0, payload: text, declaredSize: text.count, crc: 0x0D86_5ADD)
        var archive = try BoundedArchive(data: good)
        XCTAssertEqual(try archive.read(path: "a.xml"), text)

        let badCRC = ZipBytes.singleEntry(path: "a.xml", method: 0, payload: text, declaredSize: text.count, crc: 0)
        var damaged = try BoundedArchive(data: badCRC)
        XCTAssertThrowsError(try damaged.read(path: "a.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .corruptEntry(path: "a.xml"))
        }
        let longer = ZipBytes.singleEntry(path: "a.xml", method: 0, payload: text, declaredSize: 4, crc: 0x0D86_5ADD)
        var lying = try BoundedArchive(data: longer)
        XCTAssertThrowsError(try lying.read(path: "a.xml")) {
            XCTAssertEqual($0 as? ArchiveBudgetError, .declaredSizeExceeded(path: "a.xml", declared: 4))
        }
    }

    func testEmptyDeflatedEntryWithNoDataReadsAsEmpty() throws {
        let zip = ZipBytes.singleEntry(path: "empty.xml", method: 8, payload: [], declaredSize: 0)
        var archive = try BoundedArchive(data: zip)
        XCTAssertEqual(try archive.read(path: "empty.xml"), [])
    }

    func testThingsThatAreNotArchivesAreRefused() throws {
        for data in [Data(), Data("PK not really".utf8), Data([0x50, 0x4B, 0x03, 0x04, 0, 0])] {
            XCTAssertThrowsError(try BoundedArchive(data: data)) {
                XCTAssertEqual($0 as? ArchiveBudgetError, .notAnArchive)
            }
        }
        let zip = try XLSXWriter.zip([("a.xml", Array("<a/>".utf8))])
        XCTAssertThrowsError(try BoundedArchive(data: zip.dropLast(30)), "central directory cut short") {
            XCTAssertEqual($0 as? ArchiveBudgetError, .notAnArchive)
        }
    }

    // MARK: - Honest files

    func testHonestFixturesStillReadWithTheirChecksums() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "openpyxl-members", withExtension: "xlsx", subdirectory: "Fixtures"))
        var archive = try BoundedArchive(data: try Data(contentsOf: url))
        let workbook = try XCTUnwrap(try archive.read(path: "xl/workbook.xml"))
        XCTAssertTrue(String(decoding: workbook, as: UTF8.self).contains("会员名单"))
        XCTAssertNil(try archive.read(path: "no/such/part.xml"))

        let docx = try Data(contentsOf: PlanSampleTests.plansDirectory.appendingPathComponent("invented-bold-runs.docx"))
        XCTAssertEqual(try PlanParser().parse(docx: docx).title, "江海省科协2022年工作要点")
        XCTAssertEqual(try XLSXReader(data: try Data(contentsOf: url)).rows()[0][0], "姓名")
    }

    func testASliceOfLargerDataReadsLikeTheWhole() throws {
        let zip = try XLSXWriter.zip([("a.xml", Array("<a>slice</a>".utf8))])
        let padded = Data([1, 2, 3]) + zip
        var archive = try BoundedArchive(data: padded[3...])
        XCTAssertEqual(try archive.read(path: "a.xml"), Array("<a>slice</a>".utf8))
    }

    // MARK: - Worksheet grid

    func testCellsBeyondExcelsGridAreRefused() throws {
        let cases: [(String, SpreadsheetLimitError)] = [
            (#"<row r="1"><c r="XFE1" t="inlineStr"><is><t>x</t></is></c></row>"#, .outsideGrid(reference: "XFE1")),
            (#"<row r="1"><c r="A1048577"><v>1</v></c></row>"#, .outsideGrid(reference: "A1048577")),
            (#"<row r="1048577"><c><v>1</v></c></row>"#, .outsideGrid(reference: "1048577")),
            (#"<row r="99999999999999999999999"><c><v>1</v></c></row>"#, .outsideGrid(reference: "99999999999999999999999")),
            (
                #"<row r="1"><c r="ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ1"><v>1</v></c></row>"#,
                .outsideGrid(reference: String(repeating: "Z", count: 24))
            ),
            (#"<row r="1"><c r="A0"><v>1</v></c></row>"#, .outsideGrid(reference: "A0")),
            ("<row>" + String(repeating: "<c><v>1</v></c>", count: 16_385) + "</row>", .outsideGrid(reference: "XFE1")),
        ]
        for (rows, expected) in cases {
            let reader = try XLSXReader(data: try Workbooks.zip(sheet: "<worksheet><sheetData>\(rows)</sheetData></worksheet>"))
            XCTAssertThrowsError(try reader.rows(), String(rows.prefix(60))) {
                XCTAssertEqual($0 as? SpreadsheetLimitError, expected)
            }
        }
    }

    func testLastColumnAndLastRowAreStillInside() throws {
        let sheet = #"""
            <worksheet><sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><t>far</t></is></c></row>\#
            <row r="1048576"><c r="A1048576"><v>7</v></c></row></sheetData></worksheet>
            """#
        let rows = try XLSXReader(data: try Workbooks.zip(sheet: sheet)).rows()
        XCTAssertEqual(rows.count, 1_048_576)
        XCTAssertEqual(rows[0].count, 16_384)
        XCTAssertEqual(rows[0].last, "far")
        XCTAssertEqual(rows[1], [])
        XCTAssertEqual(rows[1_048_575], ["7"])
    }

    func testFarColumnsOnEveryRowHitTheCellCapInsteadOfAllocatingGigabytes() throws {
        // 130 rows × 16,384 padded cells = 2,129,920 > 2,000,000; without the cap a million such rows would
        // ask for 17 billion strings.
        let rows = (1...130).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        let reader = try XLSXReader(data: try Workbooks.zip(sheet: "<worksheet><sheetData>\(rows)</sheetData></worksheet>"))
        XCTAssertThrowsError(try reader.rows()) {
            XCTAssertEqual($0 as? SpreadsheetLimitError, .tooManyCells(limit: 2_000_000))
            XCTAssertEqual(($0 as? SpreadsheetLimitError)?.code, "spreadsheet.too_many_cells")
        }
        // 122 such rows (1,998,848 cells) are still within the cap.
        let fewer = (1...122).map { #"<row r="\#($0)"><c r="XFD\#($0)"><v>1</v></c></row>"# }.joined()
        let fewerRows = try XLSXReader(data: try Workbooks.zip(sheet: "<worksheet><sheetData>\(fewer)</sheetData></worksheet>")).rows()
        XCTAssertEqual(fewerRows.count, 122)
        XCTAssertEqual(fewerRows[121].count, 16_384)
    }

    func testCallersCanTightenTheCellCap() throws {
        let sheet = #"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="E1"><v>5</v></c></row></sheetData></worksheet>"#
        let data = try Workbooks.zip(sheet: sheet)
        XCTAssertEqual(try XLSXReader(data: data, budget: .default, maxCells: 5).rows(), [["1", "", "", "", "5"]])
        XCTAssertThrowsError(try XLSXReader(data: data, budget: .default, maxCells: 4).rows()) {
            XCTAssertEqual($0 as? SpreadsheetLimitError, .tooManyCells(limit: 4))
        }
    }

    // MARK: - Numbers that are not numbers

    func testNonFiniteNumbersAreShownAsWrittenEvenInDateCells() throws {
        let values = ["NaN", "Infinity", "-Infinity", "1e999", "nan", "1e300", "45000", "-1"]
        let plain = values.enumerated().map { #"<c r="\#(ColumnName.letters($0.offset))1"><v>\#($0.element)</v></c>"# }
        let dated = values.enumerated().map { #"<c r="\#(ColumnName.letters($0.offset))2" s="1"><v>\#($0.element)</v></c>"# }
        let sheet = #"<worksheet><sheetData><row r="1">\#(plain.joined())</row><row r="2">\#(dated.joined())</row></sheetData></worksheet>"#
        let rows = try XLSXReader(data: try Workbooks.zip(sheet: sheet)).rows()
        XCTAssertEqual(rows[0], ["NaN", "Infinity", "-Infinity", "1e999", "nan", "1e+300", "45000", "-1"])
        XCTAssertEqual(rows[1], ["NaN", "Infinity", "-Infinity", "1e999", "nan", "1e+300", "2023-03-15", "-1"])
    }
}

// MARK: - Building archives

/// The two bombs: 300 MiB of zeros deflated once per test process, with both size fields claiming 2 KiB.
private enum Bombs {
    static let inflatedSize = 300 * 1_048_576

    private static let docxBomb = Result {
        try lying(path: "word/document.xml", around: Array(Workbooks.parts(sheet: nil).prefix(1)))
    }
    private static let xlsxBomb = Result { try lying(path: "xl/worksheets/sheet1.xml", around: Workbooks.parts(sheet: nil)) }

    static func docx() throws -> Data { try docxBomb.get() }
    static func xlsx() throws -> Data { try xlsxBomb.get() }

    private static func lying(path: String, around parts: [(path: String, bytes: [UInt8])]) throws -> Data {
        let zeros = [UInt8](repeating: 0, count: inflatedSize)
        var zip = ZipBytes(try XLSXWriter.zip(parts + [(path, zeros)]))
        try zip.setDeclaredSize(of: path, to: 2_048)
        return zip.data
    }
}

/// The smallest workbook XLSXReader accepts, with a styles part whose style 1 is a date (format 14).
private enum Workbooks {
    static func parts(sheet: String?) -> [(path: String, bytes: [UInt8])] {
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        func relationships(_ items: [(id: String, type: String, target: String)]) -> String {
            let list = items.map { #"<Relationship Id="\#($0.id)" Type="\#(rel)/\#($0.type)" Target="\#($0.target)"/>"# }
            return #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + list.joined() + "</Relationships>"
        }
        let texts: [(path: String, text: String)] = [
            ("[Content_Types].xml", #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            ("_rels/.rels", relationships([("r1", "officeDocument", "xl/workbook.xml")])),
            ("xl/workbook.xml", #"<workbook xmlns:r="\#(rel)"><sheets><sheet name="S" sheetId="1" r:id="s1"/></sheets></workbook>"#),
            (
                "xl/_rels/workbook.xml.rels",
                relationships([("s1", "worksheet", "worksheets/sheet1.xml"), ("st", "styles", "styles.xml")])
            ),
            ("xl/styles.xml", #"<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>"#),
        ]
        var parts = texts.map { (path: $0.path, bytes: Array($0.text.utf8)) }
        if let sheet { parts.append(("xl/worksheets/sheet1.xml", Array(sheet.utf8))) }
        return parts
    }

    static func zip(sheet: String) throws -> Data {
        try XLSXWriter.zip(parts(sheet: sheet))
    }
}

/// Edits the fields of a ZIP that a bomb would lie in, in both the local header and the central directory.
private struct ZipBytes {
    private var bytes: [UInt8]
    var data: Data { Data(bytes) }

    init(_ data: Data) { bytes = Array(data) }

    mutating func setDeclaredSize(of path: String, to size: UInt32) throws {
        try patch(path, localOffset: 22, centralOffset: 24, value: size)
    }

    mutating func setCRC(of path: String, to crc: UInt32) throws {
        try patch(path, localOffset: 14, centralOffset: 16, value: crc)
    }

    /// The end-of-central-directory record's two entry counts.
    mutating func setEntryCount(_ count: UInt16) throws {
        let end = try XCTUnwrap((0...(bytes.count - 22)).reversed().first { matches([0x50, 0x4B, 0x05, 0x06], at: $0) })
        write(UInt32(count), at: end + 8, width: 2)
        write(UInt32(count), at: end + 10, width: 2)
    }

    /// A one-entry archive written by hand, for data no ZIP writer would produce.
    static func singleEntry(path: String, method: UInt16, payload: [UInt8], declaredSize: Int, crc: UInt32 = 0) -> Data {
        func le(_ value: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let name = Array(path.utf8)
        let sizes = le(payload.count, 4) + le(declaredSize, 4)
        var zip = le(0x0403_4B50, 4) + le(20, 2) + le(0, 2) + le(Int(method), 2) + le(0, 4) + le(Int(crc), 4) + sizes
        zip += le(name.count, 2) + le(0, 2) + name + payload
        let directory = zip.count
        zip += le(0x0201_4B50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(Int(method), 2) + le(0, 4) + le(Int(crc), 4) + sizes
        zip += le(name.count, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name
        let directorySize = zip.count - directory
        zip += le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(directorySize, 4) + le(directory, 4) + le(0, 2)
        return Data(zip)
    }

    private mutating func patch(_ path: String, localOffset: Int, centralOffset: Int, value: UInt32) throws {
        let name = Array(path.utf8)
        let local = try XCTUnwrap(header([0x50, 0x4B, 0x03, 0x04], nameAt: 30, name: name), "local header of \(path)")
        let central = try XCTUnwrap(header([0x50, 0x4B, 0x01, 0x02], nameAt: 46, name: name), "directory entry of \(path)")
        write(value, at: local + localOffset, width: 4)
        write(value, at: central + centralOffset, width: 4)
    }

    private func header(_ signature: [UInt8], nameAt nameOffset: Int, name: [UInt8]) -> Int? {
        (0..<(bytes.count - nameOffset - name.count)).first { start in
            matches(signature, at: start) && matches(name, at: start + nameOffset)
        }
    }

    private func matches(_ pattern: [UInt8], at start: Int) -> Bool {
        start + pattern.count <= bytes.count && bytes[start..<(start + pattern.count)].elementsEqual(pattern)
    }

    private mutating func write(_ value: UInt32, at offset: Int, width: Int) {
        for index in 0..<width { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }
}
