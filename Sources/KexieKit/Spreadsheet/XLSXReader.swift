import Foundation
import ZIPFoundation

/// Reads worksheets of an .xlsx workbook as rows of display strings.
///
/// Values come back as text because imports validate and convert each column
/// themselves: numbers use their shortest exact form (`42`, `0.1`), booleans
/// `TRUE`/`FALSE`, date-formatted numbers `YYYY-MM-DD` (plus ` HH:MM:SS` when
/// there is a time), formulas their cached result. Row `i` of the result is
/// spreadsheet row `i + 1`, so callers can report "第 N 行" accurately.
public struct XLSXReader: Sendable {
    /// Names of the worksheets, in workbook order.
    public let sheetNames: [String]

    private let parts: [String: [UInt8]]
    private let sheetPaths: [String]
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>
    private let uses1904Dates: Bool

    /// - Parameter maxUncompressedBytes: guards against ZIP bombs in uploads.
    public init(data: Data, maxUncompressedBytes: Int = 256 * 1_048_576) throws {
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw SpreadsheetError.legacyOrEncryptedWorkbook }
        guard data.starts(with: [0x50, 0x4B]),
            let archive = try? Archive(data: data, accessMode: .read, pathEncoding: nil)
        else {
            throw SpreadsheetError.notAnXLSXFile
        }
        let parts = try Self.extractXMLParts(archive, limit: maxUncompressedBytes)
        self.parts = parts

        let workbookPath = try Self.workbookPath(parts)
        guard let workbookBytes = parts[workbookPath] else { throw SpreadsheetError.missingPart(workbookPath) }
        let relationships = try Self.relationships(of: workbookPath, in: parts)
        let workbook = try Self.parseWorkbook(workbookBytes, part: workbookPath)
        self.sheetNames = workbook.sheets.map(\.name)
        self.sheetPaths = try workbook.sheets.map { sheet in
            guard let target = relationships.first(where: { $0.id == sheet.relationshipID }) else {
                throw SpreadsheetError.missingPart(sheet.name)
            }
            return target.path
        }
        self.uses1904Dates = workbook.uses1904Dates

        let sharedStringsPath = relationships.first { $0.type.hasSuffix("/sharedStrings") }?.path
        self.sharedStrings =
            try sharedStringsPath.flatMap { parts[$0] }
            .map { try Self.parseSharedStrings($0) } ?? []
        let stylesPath = relationships.first { $0.type.hasSuffix("/styles") }?.path
        self.dateStyles = try stylesPath.flatMap { parts[$0] }.map { try Self.parseDateStyles($0) } ?? []
    }

    /// Rows of the named sheet, or of the first sheet when `name` is nil.
    public func rows(sheet name: String? = nil) throws -> [[String]] {
        let index: Int
        if let name {
            guard let found = sheetNames.firstIndex(of: name) else { throw SpreadsheetError.sheetNotFound(name) }
            index = found
        } else {
            guard !sheetNames.isEmpty else { throw SpreadsheetError.noSheets }
            index = 0
        }
        let path = sheetPaths[index]
        guard let bytes = parts[path] else { throw SpreadsheetError.missingPart(path) }
        return try parseSheet(bytes, part: path)
    }

    // MARK: - Archive

    private static func extractXMLParts(_ archive: Archive, limit: Int) throws -> [String: [UInt8]] {
        var parts: [String: [UInt8]] = [:]
        var total = 0
        for entry in archive where entry.type == .file {
            // Media and other binaries are never needed to read cell values.
            guard entry.path.hasSuffix(".xml") || entry.path.hasSuffix(".rels") else { continue }
            total += Int(clamping: entry.uncompressedSize)
            guard total <= limit else { throw SpreadsheetError.tooLarge(limitBytes: limit) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(Int(clamping: entry.uncompressedSize))
            do {
                _ = try archive.extract(entry, skipCRC32: true) { chunk in
                    // The declared size can lie; count what actually arrives.
                    guard bytes.count + chunk.count <= limit else { throw SpreadsheetError.tooLarge(limitBytes: limit) }
                    bytes.append(contentsOf: chunk)
                }
            } catch let error as SpreadsheetError {
                throw error
            } catch {
                throw SpreadsheetError.notAnXLSXFile
            }
            parts[normalize(entry.path)] = bytes
        }
        return parts
    }

    /// Part names compare case-insensitively in OPC packages.
    private static func normalize(_ path: String) -> String {
        var path = path
        while path.hasPrefix("/") { path.removeFirst() }
        return path.lowercased()
    }

    private static func resolve(_ target: String, relativeTo sourcePart: String) -> String {
        if target.hasPrefix("/") { return normalize(target) }
        var components = sourcePart.split(separator: "/").dropLast().map(String.init)
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(String(component))
            }
        }
        return normalize(components.joined(separator: "/"))
    }

    // MARK: - Package structure

    private struct Relationship {
        let id: String
        let type: String
        let path: String
    }

    private static func workbookPath(_ parts: [String: [UInt8]]) throws -> String {
        let fallback = "xl/workbook.xml"
        guard parts["_rels/.rels"] != nil else {
            guard parts[fallback] != nil else { throw SpreadsheetError.notAnXLSXFile }
            return fallback
        }
        let relationships = try relationships(of: "", in: parts)
        return relationships.first { $0.type.hasSuffix("/officeDocument") }?.path ?? fallback
    }

    private static func relationships(of part: String, in parts: [String: [UInt8]]) throws -> [Relationship] {
        var directory = part.split(separator: "/").dropLast().joined(separator: "/")
        if !directory.isEmpty { directory += "/" }
        let fileName = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = normalize("\(directory)_rels/\(fileName).rels")
        guard let bytes = parts[relsPath] else { throw SpreadsheetError.missingPart(relsPath) }
        var scanner = XMLScanner(bytes)
        var result: [Relationship] = []
        do {
            while let event = try scanner.next() {
                guard case .open(let tag) = event, tag.localName == "Relationship",
                    let id = tag.attribute("Id"), let target = tag.attribute("Target")
                else { continue }
                if tag.attribute("TargetMode") == "External" { continue }
                result.append(
                    Relationship(
                        id: id, type: tag.attribute("Type") ?? "",
                        path: resolve(target, relativeTo: part)))
            }
        } catch {
            throw SpreadsheetError.malformedXML(part: relsPath)
        }
        return result
    }

    private struct WorkbookInfo {
        var sheets: [(name: String, relationshipID: String)] = []
        var uses1904Dates = false
    }

    private static func parseWorkbook(_ bytes: [UInt8], part: String) throws -> WorkbookInfo {
        var info = WorkbookInfo()
        var scanner = XMLScanner(bytes)
        do {
            while let event = try scanner.next() {
                guard case .open(let tag) = event else { continue }
                if tag.localName == "sheet", let name = tag.attribute("name"), let id = tag.attribute("id") {
                    info.sheets.append((name, id))
                } else if tag.localName == "workbookPr", let flag = tag.attribute("date1904") {
                    info.uses1904Dates = flag == "1" || flag == "true"
                }
            }
        } catch {
            throw SpreadsheetError.malformedXML(part: part)
        }
        return info
    }

    private static func parseSharedStrings(_ bytes: [UInt8]) throws -> [String] {
        var strings: [String] = []
        var scanner = XMLScanner(bytes)
        var current = ""
        var inText = false
        var phoneticDepth = 0
        do {
            while let event = try scanner.next() {
                switch event {
                case .open(let tag):
                    switch tag.localName {
                    case "si": current = ""; if tag.isSelfClosing { strings.append("") }
                    // Phonetic guides (rPh) repeat the reading, not the text itself.
                    case "rPh": if !tag.isSelfClosing { phoneticDepth += 1 }
                    case "t": inText = !tag.isSelfClosing && phoneticDepth == 0
                    default: break
                    }
                case .close(let name):
                    switch name {
                    case "si": strings.append(current)
                    case "rPh": phoneticDepth -= 1
                    case "t": inText = false
                    default: break
                    }
                case .text(let text):
                    if inText { current += text.decoded() }
                }
            }
        } catch {
            throw SpreadsheetError.malformedXML(part: "sharedStrings.xml")
        }
        return strings
    }

    /// Indexes into `cellXfs` whose number format displays a date or time.
    private static func parseDateStyles(_ bytes: [UInt8]) throws -> Set<Int> {
        var customDateFormats = Set<Int>()
        var dateStyles = Set<Int>()
        var inCellXfs = false
        var xfIndex = 0
        var scanner = XMLScanner(bytes)
        do {
            while let event = try scanner.next() {
                switch event {
                case .open(let tag):
                    switch tag.localName {
                    case "numFmt":
                        if let id = tag.attribute("numFmtId").flatMap(Int.init),
                            let code = tag.attribute("formatCode"), NumberFormat.isDate(code)
                        {
                            customDateFormats.insert(id)
                        }
                    case "cellXfs":
                        inCellXfs = !tag.isSelfClosing
                    case "xf" where inCellXfs:
                        let formatID = tag.attribute("numFmtId").flatMap(Int.init) ?? 0
                        if NumberFormat.isBuiltInDate(formatID) || customDateFormats.contains(formatID) {
                            dateStyles.insert(xfIndex)
                        }
                        xfIndex += 1
                    default: break
                    }
                case .close(let name):
                    if name == "cellXfs" { inCellXfs = false }
                case .text:
                    break
                }
            }
        } catch {
            throw SpreadsheetError.malformedXML(part: "styles.xml")
        }
        return dateStyles
    }

    // MARK: - Worksheet

    private func parseSheet(_ bytes: [UInt8], part: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var nextColumn = 0
        var cell = CellState()
        var capture: String? = nil
        var phoneticDepth = 0
        var scanner = XMLScanner(bytes)
        do {
            while let event = try scanner.next() {
                switch event {
                case .open(let tag):
                    switch tag.localName {
                    case "row":
                        let number = tag.attribute("r").flatMap(Int.init) ?? rows.count + 1
                        // Keep row positions: absent rows become empty rows.
                        while rows.count < number - 1 { rows.append([]) }
                        row = []
                        nextColumn = 0
                        if tag.isSelfClosing { rows.append(row) }
                    case "c":
                        let column = tag.attribute("r").flatMap { ColumnName.index(fromReference: Substring($0).utf8) }
                        cell = CellState(
                            column: column ?? nextColumn, type: tag.attribute("t") ?? "n",
                            style: tag.attribute("s").flatMap(Int.init) ?? 0)
                        if tag.isSelfClosing { nextColumn = cell.column + 1 }
                    case "v":
                        capture = tag.isSelfClosing ? nil : ""
                    case "rPh":
                        if !tag.isSelfClosing { phoneticDepth += 1 }
                    case "t":
                        capture = (tag.isSelfClosing || phoneticDepth > 0) ? nil : (capture ?? "")
                        if !tag.isSelfClosing, phoneticDepth == 0 { cell.inlineCapturing = true }
                    default:
                        break
                    }
                case .close(let name):
                    switch name {
                    case "v":
                        cell.value = capture
                        capture = nil
                    case "t":
                        if cell.inlineCapturing { cell.inline = (cell.inline ?? "") + (capture ?? "") }
                        cell.inlineCapturing = false
                        capture = nil
                    case "rPh":
                        phoneticDepth -= 1
                    case "c":
                        let text = display(cell)
                        if !text.isEmpty {
                            if row.count <= cell.column {
                                row.append(contentsOf: repeatElement("", count: cell.column - row.count + 1))
                            }
                            row[cell.column] = text
                        }
                        nextColumn = cell.column + 1
                    case "row":
                        rows.append(row)
                        row = []
                    default:
                        break
                    }
                case .text(let text):
                    if capture != nil { capture! += text.decoded() }
                }
            }
        } catch {
            throw SpreadsheetError.malformedXML(part: part)
        }
        return rows
    }

    private struct CellState {
        var column = 0
        var type = "n"
        var style = 0
        var value: String? = nil
        var inline: String? = nil
        var inlineCapturing = false
    }

    private func display(_ cell: CellState) -> String {
        switch cell.type {
        case "s":
            guard let index = cell.value.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                sharedStrings.indices.contains(index)
            else { return "" }
            return sharedStrings[index]
        case "inlineStr":
            return cell.inline ?? cell.value ?? ""
        case "b":
            guard let value = cell.value else { return "" }
            return value == "1" || value.lowercased() == "true" ? "TRUE" : "FALSE"
        case "str", "e", "d":
            // Formula strings, error codes and ISO dates are already display text.
            return cell.value ?? cell.inline ?? ""
        default:
            guard let raw = cell.value?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return "" }
            guard let number = Double(raw) else { return raw }
            if dateStyles.contains(cell.style) {
                return SpreadsheetSerialDate.text(fromSerial: number + (uses1904Dates ? 1462 : 0))
            }
            return XLSXWriter.format(number)
        }
    }
}

/// Recognizes number formats that display dates or times.
enum NumberFormat {
    /// Built-in formats that are dates, including the ones Chinese-locale
    /// Excel maps to 年/月/日 styles (27–36, 50–58).
    static func isBuiltInDate(_ id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    static func isDate(_ code: String) -> Bool {
        var stripped = ""
        var inQuote = false
        var inBracket = false
        var escaped = false
        for character in code {
            if escaped { escaped = false; continue }
            switch character {
            case "\\" where !inQuote: escaped = true
            case "\"": inQuote.toggle()
            case "[" where !inQuote: inBracket = true
            case "]" where !inQuote: inBracket = false
            default:
                if !inQuote && !inBracket { stripped.append(character) }
            }
        }
        let lowered = stripped.lowercased().replacingOccurrences(of: "general", with: "")
        return lowered.contains { "ymdhs".contains($0) }
    }
}
