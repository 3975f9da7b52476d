import Fluent
import SQLKit

/// The one way to reach SQL. Both supported databases (SQLite and PostgreSQL) are SQL databases, so a
/// database that is not is a wiring mistake: it throws instead of silently returning nothing, which
/// used to hide such mistakes behind empty pages.
extension Database {
    public func sql() throws -> any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { throw SQLAccessError.notSQL(String(describing: type(of: self))) }
        return sql
    }
}

public enum SQLAccessError: Error, CustomStringConvertible {
    case notSQL(String)

    public var description: String {
        switch self {
        case .notSQL(let type): return "database \(type) does not speak SQL; Kexie runs on SQLite or PostgreSQL"
        }
    }
}
