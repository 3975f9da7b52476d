import Foundation
import ZIPFoundation

/// Writes a minimal Office Open XML workbook (.xlsx) in memory.
///
/// Strings are written inline rather than in a shared-string table: the sheet
/// can then be produced in one pass, and every reader we target accepts them.
public struct XLSXWriter: Sendable {
    /// Time zone used to turn `.dateTime` instants into wall-clock values,
    /// since spreadsheet dates carry no zone.
    public var timeZone: TimeZone

    public init(timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt) {
        self.timeZone = timeZone
    }

    public func write(_ sheets: [SpreadsheetSheet]) throws -> Data {
        guard !sheets.isEmpty else { throw SpreadsheetError.noSheets }
        try Self.validateNames(sheets.map(\.name))

        var parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", contentTypes(sheetCount: sheets.count)),
            ("_rels/.rels", Array(Self.rootRelationships.utf8)),
            ("xl/workbook.xml", workbook(names: sheets.map(\.name))),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: sheets.count)),
            ("xl/styles.xml", Array(Self.styles.utf8)),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet)))
        }
        return try Self.zip(parts)
    }

    // MARK: - Names

    private static func validateNames(_ names: [String]) throws {
        var seen = Set<String>()
        let forbidden = Set("[]:*?/\\")
        for name in names {
            guard !name.isEmpty, name.count <= 31, !name.contains(where: forbidden.contains),
                !name.hasPrefix("'"), !name.hasSuffix("'")
            else {
                throw SpreadsheetError.invalidSheetName(name)
            }
            // Excel compares sheet names case-insensitively.
            guard seen.insert(name.lowercased()).inserted else {
                throw SpreadsheetError.duplicateSheetName(name)
            }
        }
    }

    // MARK: - Parts

    private static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    private static let rootRelationships =
        declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationshipNamespace)/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """

    /// Style indexes used in cells' `s` attribute; order must match `cellXfs` below.
    private enum Style: Int {
        case plain = 0, header = 1, day = 2, dateTime = 3
    }

    private static let styles =
        declaration + """
            <styleSheet xmlns="\(mainNamespace)">\
            <numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
            <numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
            <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
            </styleSheet>
            """

    private func contentTypes(sheetCount: Int) -> [UInt8] {
        var xml = XMLBytes()
        xml.raw(Self.declaration)
        xml.raw("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
        xml.raw("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
        xml.raw("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
        xml.raw(
            "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        )
        xml.raw(
            "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        )
        for index in 1...sheetCount {
            xml.raw(
                "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
            )
        }
        xml.raw("</Types>")
        return xml.bytes
    }

    private func workbook(names: [String]) -> [UInt8] {
        var xml = XMLBytes()
        xml.raw(Self.declaration)
        xml.raw("<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\"><sheets>")
        for (index, name) in names.enumerated() {
            xml.raw("<sheet name=\"")
            xml.escaped(name)
            xml.raw("\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>")
        }
        xml.raw("</sheets></workbook>")
        return xml.bytes
    }

    private func workbookRelationships(sheetCount: Int) -> [UInt8] {
        var xml = XMLBytes()
        xml.raw(Self.declaration)
        xml.raw("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">")
        for index in 1...sheetCount {
            xml.raw(
                "<Relationship Id=\"rId\(index)\" Type=\"\(Self.relationshipNamespace)/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
            )
        }
        xml.raw("<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"\(Self.relationshipNamespace)/styles\" Target=\"styles.xml\"/>")
        xml.raw("</Relationships>")
        return xml.bytes
    }

    private func worksheet(_ sheet: SpreadsheetSheet) -> [UInt8] {
        let columnCount = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
        let columns = (0..<max(columnCount, 1)).map(ColumnName.letters)
        var xml = XMLBytes(capacity: 64 + sheet.rows.count * max(columnCount, 1) * 40)
        xml.raw(Self.declaration)
        xml.raw("<worksheet xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">")
        if !sheet.header.isEmpty {
            // Keep the header visible while scrolling long exports.
            xml.raw(
                "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
            )
        }
        xml.raw("<sheetData>")
        var rowNumber = 0
        if !sheet.header.isEmpty {
            rowNumber += 1
            appendRow(sheet.header.map(SpreadsheetCell.text), number: rowNumber, style: .header, columns: columns, to: &xml)
        }
        for row in sheet.rows {
            rowNumber += 1
            appendRow(row, number: rowNumber, style: .plain, columns: columns, to: &xml)
        }
        xml.raw("</sheetData></worksheet>")
        return xml.bytes
    }

    private func appendRow(
        _ cells: [SpreadsheetCell], number: Int, style: Style,
        columns: [String], to xml: inout XMLBytes
    ) {
        xml.raw("<row r=\"")
        xml.decimal(number)
        xml.raw("\">")
        for (index, cell) in cells.enumerated() {
            if case .empty = cell { continue }
            xml.raw("<c r=\"")
            xml.raw(columns[index])
            xml.decimal(number)
            xml.raw("\"")
            switch cell {
            case .text(let text):
                appendText(text, style: style, to: &xml)
            case .number(let value):
                appendNumber(value, style: style, to: &xml)
            case .bool(let value):
                appendStyle(style, to: &xml)
                xml.raw(value ? " t=\"b\"><v>1</v></c>" : " t=\"b\"><v>0</v></c>")
            case .day(let day):
                appendStyle(style == .plain ? .day : style, to: &xml)
                xml.raw("><v>")
                xml.decimal(SpreadsheetSerialDate.serial(of: day))
                xml.raw("</v></c>")
            case .dateTime(let date):
                appendStyle(style == .plain ? .dateTime : style, to: &xml)
                xml.raw("><v>")
                xml.raw(Self.format(SpreadsheetSerialDate.serial(of: date, in: timeZone)))
                xml.raw("</v></c>")
            case .empty:
                break
            }
        }
        xml.raw("</row>")
    }

    private func appendStyle(_ style: Style, to xml: inout XMLBytes) {
        guard style != .plain else { return }
        xml.raw(" s=\"")
        xml.decimal(style.rawValue)
        xml.raw("\"")
    }

    private func appendText(_ text: String, style: Style, to xml: inout XMLBytes) {
        appendStyle(style, to: &xml)
        // Without xml:space="preserve" readers may trim leading/trailing spaces.
        xml.raw(" t=\"inlineStr\"><is><t xml:space=\"preserve\">")
        xml.escaped(text)
        xml.raw("</t></is></c>")
    }

    private func appendNumber(_ value: Double, style: Style, to xml: inout XMLBytes) {
        guard value.isFinite else {
            // NaN and infinity have no cell representation; keep them visible as text.
            appendText(value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞"), style: style, to: &xml)
            return
        }
        appendStyle(style, to: &xml)
        xml.raw("><v>")
        xml.raw(Self.format(value))
        xml.raw("</v></c>")
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(value)
    }

    // MARK: - ZIP

    /// Fixed timestamp so identical input gives byte-identical files.
    private static let entryDate = Date(timeIntervalSince1970: 946_684_800)

    /// Public for tests that build archives (a ZIP of named parts, deflated); not an API for modules.
    public static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            for part in parts {
                let data = Data(part.bytes)
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count),
                    modificationDate: entryDate, compressionMethod: .deflate,
                    bufferSize: 256 * 1024
                ) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
            guard let data = archive.data else { throw SpreadsheetError.archiveFailure("no in-memory data") }
            return data
        } catch let error as SpreadsheetError {
            throw error
        } catch {
            throw SpreadsheetError.archiveFailure(String(describing: error))
        }
    }
}

/// Conversions between calendar values and spreadsheet serial numbers
/// (days since 1899-12-30, the 1900 date system as Excel actually computes it).
enum SpreadsheetSerialDate {
    private static let epochDayNumber = Day(year: 1899, month: 12, day: 30)!.dayNumber

    static func serial(of day: Day) -> Int {
        day.dayNumber - epochDayNumber
    }

    static func serial(of date: Date, in timeZone: TimeZone) -> Double {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        // Round to whole seconds so 12:00:00 does not come back as 11:59:59.
        return (local.rounded() / 86_400) + Double(-epochDayNumber)
    }

    static func text(fromSerial serial: Double) -> String {
        let wholeDays = Int(serial.rounded(.down))
        let day = Day(dayNumber: wholeDays + epochDayNumber)
        var seconds = Int(((serial - Double(wholeDays)) * 86_400).rounded())
        if seconds == 0 { return day.description }
        if seconds >= 86_400 { seconds = 86_399 }
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(day) \(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}
