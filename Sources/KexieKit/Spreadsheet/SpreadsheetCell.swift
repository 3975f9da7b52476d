import Foundation

/// One cell value to export.
public enum SpreadsheetCell: Sendable, Equatable {
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A calendar day, shown as `yyyy-mm-dd`.
    case day(Day)
    /// An instant, shown as `yyyy-mm-dd hh:mm:ss` in the writer's time zone.
    case dateTime(Date)
    case empty
}

extension SpreadsheetCell: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .empty }
}

/// A worksheet to export: a header row (shown bold and frozen) and data rows.
public struct SpreadsheetSheet: Sendable, Equatable {
    public var name: String
    public var header: [String]
    public var rows: [[SpreadsheetCell]]

    public init(name: String, header: [String], rows: [[SpreadsheetCell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }
}

/// Errors from reading or writing spreadsheets.
public enum SpreadsheetError: KexieKitError, Equatable {
    case noSheets
    case invalidSheetName(String)
    case duplicateSheetName(String)
    case notAnXLSXFile
    /// Legacy `.xls` and password-protected workbooks share the OLE container format.
    case legacyOrEncryptedWorkbook
    case missingPart(String)
    case malformedXML(part: String)
    case sheetNotFound(String)
    case tooLarge(limitBytes: Int)
    case unterminatedQuote(line: Int)
    case undecodableText
    case archiveFailure(String)

    public var code: String {
        switch self {
        case .noSheets: return "spreadsheet.no_sheets"
        case .invalidSheetName: return "spreadsheet.invalid_sheet_name"
        case .duplicateSheetName: return "spreadsheet.duplicate_sheet_name"
        case .notAnXLSXFile: return "spreadsheet.not_xlsx"
        case .legacyOrEncryptedWorkbook: return "spreadsheet.legacy_or_encrypted"
        case .missingPart: return "spreadsheet.missing_part"
        case .malformedXML: return "spreadsheet.malformed_xml"
        case .sheetNotFound: return "spreadsheet.sheet_not_found"
        case .tooLarge: return "spreadsheet.too_large"
        case .unterminatedQuote: return "csv.unterminated_quote"
        case .undecodableText: return "csv.undecodable_text"
        case .archiveFailure: return "spreadsheet.archive_failure"
        }
    }

    public var message: String {
        switch self {
        case .noSheets:
            return "工作簿至少需要一个工作表"
        case .invalidSheetName(let name):
            return "工作表名称“\(name)”无效：不能为空、不超过31个字符，且不能包含 [ ] : * ? / \\"
        case .duplicateSheetName(let name):
            return "工作表名称“\(name)”重复"
        case .notAnXLSXFile:
            return "文件不是有效的 Excel（.xlsx）文件"
        case .legacyOrEncryptedWorkbook:
            return "这是旧版 .xls 文件或已加密的工作簿，请在 Excel 中去除密码并另存为 .xlsx 后再上传"
        case .missingPart(let part):
            return "Excel 文件不完整，缺少 \(part)"
        case .malformedXML(let part):
            return "Excel 文件已损坏（\(part) 无法解析）"
        case .sheetNotFound(let name):
            return "找不到名为“\(name)”的工作表"
        case .tooLarge(let limit):
            return "文件解压后超过 \(limit / 1_048_576) MB，无法导入"
        case .unterminatedQuote(let line):
            return "CSV 第 \(line) 行的引号没有闭合"
        case .undecodableText:
            return "无法识别文件编码，请另存为 UTF-8 编码的 CSV"
        case .archiveFailure:
            return "生成或读取 Excel 文件时出错"
        }
    }
}
