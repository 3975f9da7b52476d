import Foundation

/// Writes RFC 4180 CSV.
public struct CSVWriter: Sendable {
    /// Excel on Chinese Windows opens BOM-less CSV as GBK and garbles UTF-8
    /// Chinese text, so the BOM is on by default.
    public var includesByteOrderMark: Bool
    /// Prefixes `'` to text starting with `=`, `+`, `-`, `@` (unless it is a
    /// plain number), so user-supplied values cannot run as formulas when an
    /// administrator opens the export in a spreadsheet program.
    public var neutralizesFormulas: Bool
    public var delimiter: Character

    public init(includesByteOrderMark: Bool = true, neutralizesFormulas: Bool = true, delimiter: Character = ",") {
        self.includesByteOrderMark = includesByteOrderMark
        self.neutralizesFormulas = neutralizesFormulas
        self.delimiter = delimiter
    }

    /// Rows end with CRLF as RFC 4180 specifies.
    public func write(header: [String]? = nil, rows: [[String]]) -> Data {
        var output = ""
        if let header { appendRecord(header, to: &output) }
        for row in rows { appendRecord(row, to: &output) }
        var data = Data()
        if includesByteOrderMark { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        data.append(contentsOf: output.utf8)
        return data
    }

    private func appendRecord(_ fields: [String], to output: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(delimiter) }
            output += encode(field)
        }
        output += "\r\n"
    }

    func encode(_ field: String) -> String {
        var value = field
        if neutralizesFormulas, let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil {
            value = "'" + value
        }
        let needsQuotes = value.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
