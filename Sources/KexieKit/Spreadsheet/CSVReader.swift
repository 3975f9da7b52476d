import Foundation

/// Parses CSV files as people actually send them: UTF-8 with or without BOM,
/// UTF-16 with BOM, or GB18030/GBK (what Excel on Chinese Windows saves as
/// "CSV"), with CRLF, LF or CR line endings.
public struct CSVReader: Sendable {
    /// Must be an ASCII character (`,` `;` `\t` `|`); others fall back to a comma.
    public var delimiter: Character

    public init(delimiter: Character = ",") {
        self.delimiter = delimiter
    }

    /// Records as arrays of fields. A final line break does not add an empty record;
    /// an empty line in the middle yields `[""]` so record numbers match lines.
    public func read(_ data: Data) throws -> [[String]] {
        try read(text: Self.decode(data))
    }

    public func read(text: String) throws -> [[String]] {
        let delimiterByte = delimiter.asciiValue ?? UInt8(ascii: ",")
        let bytes = Array(text.utf8)
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var index = 0
        var line = 1
        var recordStartLine = 1
        var inQuotes = false
        var fieldWasQuoted = false

        func endField() {
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            records.append(record)
            record = []
        }

        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == 0x0A || (byte == 0x0D && (index + 1 >= bytes.count || bytes[index + 1] != 0x0A)) {
                        line += 1
                    }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                recordStartLine = record.isEmpty ? line : recordStartLine
            case delimiterByte:
                endField()
            case 0x0D, 0x0A:
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                endRecord()
                line += 1
                recordStartLine = line
            default:
                // Text after a closing quote or a stray quote mid-field is kept
                // literally: rejecting it would block imports over cosmetic issues.
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { throw SpreadsheetError.unterminatedQuote(line: recordStartLine) }
        if !field.isEmpty || !record.isEmpty || fieldWasQuoted { endRecord() }
        return records
    }

    /// GB18030 is a superset of GBK and GB2312, so one fallback covers all three.
    private static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decode(_ data: Data) throws -> String {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let text = String(data: data.dropFirst(3), encoding: .utf8) else { throw SpreadsheetError.undecodableText }
            return text
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: data, encoding: .utf16) else { throw SpreadsheetError.undecodableText }
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        if let text = String(data: data, encoding: gb18030) { return text }
        throw SpreadsheetError.undecodableText
    }
}
