import Foundation
import KexieKit
import Vapor

/// A list exported as a file. Every list page offers CSV (UTF-8 with BOM, which Excel in China needs to
/// show Chinese) and XLSX built by KexieKit.
public struct TableExport: Sendable {
    public let fileName: String
    public let headers: [String]
    public let rows: [[String]]

    public init(fileName: String, headers: [String], rows: [[String]]) {
        self.fileName = fileName
        self.headers = headers
        self.rows = rows
    }

    public enum Format: String, Sendable {
        case csv, xlsx
    }

    /// The file, with an audit row naming what was exported and how many rows: every export is recorded.
    public func response(_ format: Format, for req: Request) async throws -> Response {
        try await ExportAudit.record(req, name: fileName, rows: rows.count, format: format.rawValue)
        return try response(format)
    }

    func response(_ format: Format) throws -> Response {
        let response = Response(status: .ok)
        switch format {
        case .csv:
            let data = CSVWriter().write(header: headers, rows: rows)
            response.body = .init(data: data)
            response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        case .xlsx:
            let sheet = SpreadsheetSheet(name: "Sheet1", header: headers, rows: rows.map { $0.map(SpreadsheetCell.text) })
            let data = try XLSXWriter().write([sheet])
            response.body = .init(data: data)
            response.headers.replaceOrAdd(
                name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        let name = fileName + "." + format.rawValue
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "export"
        response.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"export.\(format.rawValue)\"; filename*=UTF-8''\(encoded)")
        return response
    }
}

/// One audit row per export, whatever builds the file (lists, figures, statistics, batch results).
public enum ExportAudit {
    public static func record(_ req: Request, name: String, rows: Int, format: String) async throws {
        try await req.platform.audit.record(
            AuditEvent(action: "export", entityType: "export", entityID: req.url.path, summary: "导出“\(name)” \(rows) 行（\(format)）"),
            on: req.db)
    }
}

extension Request {
    /// The export a list was asked for (`?format=csv` or `?format=xlsx`); nil for the page itself.
    public var exportFormat: TableExport.Format? {
        // Most views are not exports: the query is decoded only when it names a format.
        guard url.query?.contains("format=") ?? false else { return nil }
        return query[String.self, at: "format"].flatMap(TableExport.Format.init(rawValue:))
    }
}
