import Foundation
import SQLKit

/// What a column holds, independent of the database: the backup names columns by kind so that a table
/// written from SQLite restores into PostgreSQL and back. SQLite's declared types are those Fluent's
/// SQLite driver writes (`REAL` is its date-time, `UUID` its identifiers); a type not listed here stops
/// the backup rather than guessing. A list column (Fluent's `[String]`/`[UUID]` fields: JSON on SQLite,
/// an array on PostgreSQL) travels as the JSON array text.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    case text, integer, real, boolean, uuid, timestamp, bytes, list

    init(sqliteDeclaredType declared: String) throws {
        switch declared.uppercased() {
        case "TEXT", "VARCHAR", "CHAR": self = .text
        case "JSON": self = .list
        // Fluent declares Bool columns INTEGER on SQLite; the target's kind decides on restore.
        case "INTEGER", "INT", "BIGINT", "SMALLINT": self = .integer
        case "REAL": self = .timestamp
        case "DOUBLE", "FLOAT", "DOUBLE PRECISION": self = .real
        case "BOOLEAN", "BOOL": self = .boolean
        case "UUID": self = .uuid
        case "BLOB": self = .bytes
        default: throw BackupError.unsupportedColumnType(declared)
        }
    }

    init(postgresDataType type: String) throws {
        switch type {
        case "text", "character varying", "character", "json", "jsonb": self = .text
        case "bigint", "integer", "smallint": self = .integer
        case "double precision", "real": self = .real
        case "boolean": self = .boolean
        case "uuid": self = .uuid
        case "timestamp with time zone", "timestamp without time zone": self = .timestamp
        case "bytea": self = .bytes
        case "ARRAY": self = .list
        default: throw BackupError.unsupportedColumnType(type)
        }
    }
}

/// One cell as it travels in a table file. UUIDs travel as text, timestamps as whole microseconds since
/// 1970 (PostgreSQL's precision, and the precision Fluent's SQLite driver rounds to when reading), bytes
/// as base64 text.
public enum BackupValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case boolean(Bool)

    /// Reads one column of a result row as its kind.
    static func read(_ row: any SQLRow, column described: DatabaseCatalog.Column) throws -> BackupValue {
        let column = described.name
        if try row.decodeNil(column: column) { return .null }
        switch described.kind {
        case .text: return .text(try row.decode(column: column, as: String.self))
        case .integer: return .integer(try row.decode(column: column, as: Int64.self))
        case .real: return .real(try row.decode(column: column, as: Double.self))
        case .boolean: return .boolean(try row.decode(column: column, as: Bool.self))
        case .uuid: return .text(try row.decode(column: column, as: UUID.self).uuidString)
        case .timestamp:
            let date = try row.decode(column: column, as: Date.self)
            return .integer(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
        case .bytes: return .text(try row.decode(column: column, as: Data.self).base64EncodedString())
        case .list:
            // SQLite holds the JSON text already; PostgreSQL's array is written out as JSON.
            guard described.declaredType.hasSuffix("[]") else { return .text(try row.decode(column: column, as: String.self)) }
            let items =
                described.declaredType == "uuid[]"
                ? try row.decode(column: column, as: [UUID].self).map(\.uuidString) : try row.decode(column: column, as: [String].self)
            return .text(String(decoding: try JSONEncoder().encode(items), as: UTF8.self))
        }
    }

    /// The SQL expression that stores this value (written from a `source` column) into a `target` column.
    func expression(from source: ColumnKind, into target: DatabaseCatalog.Column, postgres: Bool) throws -> any SQLExpression {
        let mismatch = BackupError.valueDoesNotFit(column: target.name, kind: target.kind)
        switch (self, target.kind) {
        case (.null, _): return SQLLiteral.null
        case (.text(let text), .text) where source != .bytes: return SQLBind(text)
        case (.integer(let number), .integer) where source != .timestamp: return SQLBind(number)
        case (.boolean(let flag), .integer): return SQLBind(Int64(flag ? 1 : 0))
        case (.real(let number), .real): return SQLBind(number)
        case (.integer(let number), .real) where source == .integer: return SQLBind(Double(number))
        case (.boolean(let flag), .boolean): return SQLBind(flag)
        case (.integer(let number), .boolean) where source == .integer: return SQLBind(number != 0)
        case (.text(let text), .uuid):
            guard let uuid = UUID(uuidString: text) else { throw mismatch }
            return SQLBind(uuid)
        case (.integer(let micros), .timestamp) where source == .timestamp:
            // PostgreSQL gets the exact microsecond as text; a bound Date would pass through a Double and
            // could come back one microsecond short.
            if postgres {
                return SQLQueryString("CAST(\(bind: Self.isoTimestamp(micros)) AS \(unsafeRaw: target.declaredType))")
            }
            return SQLBind(Double(micros) / 1_000_000)
        case (.text(let base64), .bytes) where source == .bytes:
            guard let data = Data(base64Encoded: base64) else { throw mismatch }
            return SQLBind(data)
        case (.text(let json), .list) where source == .list:
            guard postgres else { return SQLBind(json) }
            guard let items = try? JSONDecoder().decode([String].self, from: Data(json.utf8)) else { throw mismatch }
            return SQLQueryString("CAST(\(bind: items) AS \(unsafeRaw: target.declaredType))")
        default: throw mismatch
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` from microseconds since 1970, computed with integers only.
    static func isoTimestamp(_ micros: Int64) -> String {
        let (seconds, fraction) = micros.quotientAndRemainder(dividingBy: 1_000_000)
        let (wholeSeconds, micro) = fraction < 0 ? (seconds - 1, fraction + 1_000_000) : (seconds, fraction)
        let parts = Calendar.utc.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: TimeInterval(wholeSeconds)))
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0, Int(micro))
    }
}

/// One line of a table file: a JSON array of the row's values in the manifest's column order.
struct BackupRow: Encodable {
    let values: [BackupValue]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for value in values {
            switch value {
            case .null: try container.encodeNil()
            case .integer(let number): try container.encode(number)
            case .real(let number): try container.encode(number)
            case .text(let text): try container.encode(text)
            case .boolean(let flag): try container.encode(flag)
            }
        }
    }
}

/// Reads a row back by the kinds the manifest lists, so a number is an integer or a real because the
/// column says so, not because of how it happens to be written.
struct DecodedBackupRow: Decodable {
    static let kindsKey = CodingUserInfoKey(rawValue: "kexie.backup.kinds")!
    let values: [BackupValue]

    init(from decoder: any Decoder) throws {
        guard let kinds = decoder.userInfo[Self.kindsKey] as? [ColumnKind] else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "column kinds missing"))
        }
        var container = try decoder.unkeyedContainer()
        var values: [BackupValue] = []
        values.reserveCapacity(kinds.count)
        for kind in kinds {
            if try container.decodeNil() {
                values.append(.null)
                continue
            }
            switch kind {
            case .integer, .timestamp: values.append(.integer(try container.decode(Int64.self)))
            case .real: values.append(.real(try container.decode(Double.self)))
            case .boolean: values.append(.boolean(try container.decode(Bool.self)))
            case .text, .uuid, .bytes, .list: values.append(.text(try container.decode(String.self)))
            }
        }
        guard container.isAtEnd else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "more values than columns"))
        }
        self.values = values
    }
}
