import Foundation

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
    private let maxCells: Int

    /// Most cells `rows(sheet:)` materialises for one sheet, counting the empty cells that pad a row up to its
    /// last value: 2,000,000 is far beyond any import and keeps the result within a few tens of megabytes.
    public static let defaultMaxCells = 2_000_000

    /// - Parameter maxUncompressedBytes: guards against ZIP bombs in uploads: the most bytes all XML parts may
    ///   inflate to together (a single part is also held to the archive default of 64 MiB).
    public init(data: Data, maxUncompressedBytes: Int = 256 * 1_048_576) throws {
        let budget = BoundedArchive.Budget(
            maxEntryBytes: min(maxUncompressedBytes, BoundedArchive.Budget.default.maxEntryBytes),
            maxTotalBytes: maxUncompressedBytes)
        try self.init(data: data, budget: budget)
    }

    /// Reads the workbook's XML parts within `budget`; `maxCells` bounds what each `rows(sheet:)` returns.
    public init(data: Data, budget: BoundedArchive.Budget, maxCells: Int = XLSXReader.defaultMaxCells) throws {
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw SpreadsheetError.legacyOrEncryptedWorkbook }
        guard data.starts(with: [0x50, 0x4B]) else { throw SpreadsheetError.notAnXLSXFile }
        let parts = try Self.extractXMLParts(data, budget: budget)
        self.parts = parts
        self.maxCells = maxCells

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

    private static func extractXMLParts(_ data: Data, budget: BoundedArchive.Budget) throws -> [String: [UInt8]] {
        var parts: [String: [UInt8]] = [:]
        do throws(ArchiveBudgetError) {
            var archive = try BoundedArchive(data: data, budget: budget)
            for entry in archive.entries where !entry.isDirectory {
                // Media and other binaries are never needed to read cell values, so they cost no budget.
                guard entry.path.hasSuffix(".xml") || entry.path.hasSuffix(".rels") else { continue }
                parts[normalize(entry.path)] = try archive.read(entry)
            }
        } catch {
            throw map(error, budget: budget)
        }
        return parts
    }

    private static func map(_ error: ArchiveBudgetError, budget: BoundedArchive.Budget) -> SpreadsheetError {
        switch error {
        case .entryTooLarge(_, let limit), .totalTooLarge(let limit):
            return .tooLarge(limitBytes: limit)
        case .tooManyEntries, .suspiciousCompressionRatio, .declaredSizeExceeded:
            // A bomb's real size is unknown by design; the workbook limit is the honest thing to report.
            return .tooLarge(limitBytes: budget.maxTotalBytes)
        case .notAnArchive, .corruptEntry:
            return .notAnXLSXFile
        }
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
        var rowNumber = 1
        var nextColumn = 0
        // Cells held by `rows`, padding included: a value at XFD pads its row with 16,383 empty strings.
        var materialisedCells = 0
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
                        let number = try SheetGrid.row(tag.attribute("r")) ?? rows.count + 1
                        guard number <= SheetGrid.maxRow, rows.count < SheetGrid.maxRow else {
                            throw SpreadsheetLimitError.outsideGrid(reference: String(number))
                        }
                        // Keep row positions: absent rows become empty rows (at most a million, each empty).
                        while rows.count < number - 1 { rows.append([]) }
                        row = []
                        rowNumber = number
                        nextColumn = 0
                        if tag.isSelfClosing { rows.append(row) }
                    case "c":
                        let column = try SheetGrid.column(ofReference: tag.attribute("r")) ?? nextColumn
                        guard column < SheetGrid.maxColumns else {
                            throw SpreadsheetLimitError.outsideGrid(reference: ColumnName.letters(column) + String(rowNumber))
                        }
                        cell = CellState(
                            column: column, type: tag.attribute("t") ?? "n",
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
                                let added = cell.column - row.count + 1
                                materialisedCells += added
                                guard materialisedCells <= maxCells else { throw SpreadsheetLimitError.tooManyCells(limit: maxCells) }
                                row.append(contentsOf: repeatElement("", count: added))
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
        } catch let error as SpreadsheetLimitError {
            throw error
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
            // "NaN", "Infinity" and "1e999" parse as non-finite doubles; Excel never writes them, so they are
            // shown as written rather than fed to the integer conversions below.
            guard let number = Double(raw), number.isFinite else { return raw }
            if dateStyles.contains(cell.style) {
                let serial = number + (uses1904Dates ? 1462 : 0)
                // Excel's calendar ends at 9999-12-31 (serial 2,958,465) and shows #### outside it; so does
                // this reader, by falling back to the number, instead of overflowing the day arithmetic.
                if serial >= 0 && serial < 2_958_466 { return SpreadsheetSerialDate.text(fromSerial: serial) }
            }
            return XLSXWriter.format(number)
        }
    }
}

/// A worksheet that does not fit Excel's grid or the reader's cell budget.
public enum SpreadsheetLimitError: KexieKitError, Equatable {
    /// A cell or row beyond XFD1048576 (Excel's last cell). The reference is cut to 24 characters.
    case outsideGrid(reference: String)
    /// The sheet would materialise more than `limit` cells, padding included.
    case tooManyCells(limit: Int)

    public var code: String {
        switch self {
        case .outsideGrid: return "spreadsheet.outside_grid"
        case .tooManyCells: return "spreadsheet.too_many_cells"
        }
    }

    public var message: String {
        switch self {
        case .outsideGrid(let reference):
            return "单元格 \(reference) 超出 Excel 表格范围（最大为 XFD1048576），文件可能已损坏"
        case .tooManyCells(let limit):
            return "工作表的单元格超过 \(limit) 个，请分批导入"
        }
    }
}

/// Excel's grid, A1 to XFD1048576, and bounded parsing of the references that point into it.
///
/// References come from the uploaded file, so they are parsed digit by digit and refused as soon as they
/// pass the grid: neither a 40-letter column nor a 30-digit row can overflow an `Int` or size an array.
enum SheetGrid {
    static let maxRow = 1_048_576
    static let maxColumns = 16_384

    /// Zero-based column of a cell reference such as "C7" or "$C$7"; nil when there is no reference or it
    /// has no letters (the reader then places the cell after the previous one).
    static func column(ofReference reference: String?) throws(SpreadsheetLimitError) -> Int? {
        guard let reference else { return nil }
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "$"):
                continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                guard !sawDigit else { return sawLetter ? column - 1 : nil }
                column = column * 26 + Int((byte | 0x20) - UInt8(ascii: "a")) + 1
                sawLetter = true
                guard column <= maxColumns else { throw .outsideGrid(reference: String(reference.prefix(24))) }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                sawDigit = true
                guard row <= maxRow else { throw .outsideGrid(reference: String(reference.prefix(24))) }
            default:
                return sawLetter ? column - 1 : nil
            }
        }
        if sawLetter && sawDigit && row == 0 { throw .outsideGrid(reference: String(reference.prefix(24))) }
        return sawLetter ? column - 1 : nil
    }

    /// A row element's `r`: its number when it is all digits (refused beyond the grid), nil otherwise.
    static func row(_ text: String?) throws(SpreadsheetLimitError) -> Int? {
        guard let text, !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        var row = 0
        for byte in text.utf8 {
            row = row * 10 + Int(byte - 0x30)
            guard row <= maxRow else { throw .outsideGrid(reference: String(text.prefix(24))) }
        }
        guard row >= 1 else { throw .outsideGrid(reference: text) }
        return row
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
