import Foundation
import SQLKit

/// The tables of the connected database as the backup sees them: columns with their kinds, the primary
/// key (to write rows in a stable order) and the foreign keys (to restore parents before children).
/// Read from `sqlite_master`/`pragma_*` on SQLite and from the catalog of the current schema on PostgreSQL.
public struct DatabaseCatalog: Sendable {
    public struct Column: Codable, Sendable, Equatable {
        public let name: String
        public let kind: ColumnKind
        /// As the database names it; PostgreSQL casts timestamps to this on restore.
        public let declaredType: String
    }

    public struct Reference: Sendable, Equatable {
        public let column: String
        public let table: String
        public let referencedColumn: String
    }

    public struct Table: Sendable {
        public let name: String
        public var columns: [Column]
        public var primaryKey: [String]
        public var references: [Reference]
    }

    /// Fluent's own bookkeeping; the backup lists migration names instead of copying the table.
    public static let migrationsTable = "_fluent_migrations"

    public var tables: [String: Table]

    public var isEmpty: Bool { tables.isEmpty }

    /// Application tables, without Fluent's migration log, sorted by name.
    public var dataTables: [Table] {
        tables.values.filter { $0.name != Self.migrationsTable }.sorted { $0.name < $1.name }
    }

    public static func read(_ sql: any SQLDatabase) async throws -> DatabaseCatalog {
        sql.dialect.name == "sqlite" ? try await readSQLite(sql) : try await readPostgres(sql)
    }

    private static func readSQLite(_ sql: any SQLDatabase) async throws -> DatabaseCatalog {
        let names = try await sql.raw(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        ).all().map { try $0.decode(column: "name", as: String.self) }
        var tables: [String: Table] = [:]
        for name in names {
            var columns: [Column] = []
            var keyed: [(Int, String)] = []
            for row in try await sql.raw("SELECT name, type, pk FROM pragma_table_info(\(bind: name))").all() {
                let column = try row.decode(column: "name", as: String.self)
                let type = try row.decode(column: "type", as: String.self)
                columns.append(Column(name: column, kind: try ColumnKind(sqliteDeclaredType: type), declaredType: type))
                let position = try row.decode(column: "pk", as: Int.self)
                if position > 0 { keyed.append((position, column)) }
            }
            let references = try await sql.raw(
                "SELECT \"table\" AS parent, \"from\" AS child, \"to\" AS target FROM pragma_foreign_key_list(\(bind: name))"
            )
            .all().map { row in
                Reference(
                    column: try row.decode(column: "child", as: String.self),
                    table: try row.decode(column: "parent", as: String.self),
                    referencedColumn: try row.decode(column: "target", as: String?.self) ?? "id")
            }
            tables[name] = Table(
                name: name, columns: columns, primaryKey: keyed.sorted { $0.0 < $1.0 }.map(\.1), references: references)
        }
        return DatabaseCatalog(tables: tables)
    }

    private static func readPostgres(_ sql: any SQLDatabase) async throws -> DatabaseCatalog {
        var tables: [String: Table] = [:]
        let names = try await sql.raw(
            """
            SELECT table_name::text AS name FROM information_schema.tables \
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """
        ).all()
        for row in names {
            let name = try row.decode(column: "name", as: String.self)
            tables[name] = Table(name: name, columns: [], primaryKey: [], references: [])
        }
        let columns = try await sql.raw(
            """
            SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
            udt_name::text AS udt_name \
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """
        ).all()
        for row in columns {
            let table = try row.decode(column: "table_name", as: String.self)
            guard tables[table] != nil else { continue }  // views
            let type = try row.decode(column: "data_type", as: String.self)
            // An array is named by its element ("_text" → "text[]"), the type a restore casts to.
            let declared = type == "ARRAY" ? String(try row.decode(column: "udt_name", as: String.self).dropFirst()) + "[]" : type
            tables[table]?.columns.append(
                Column(
                    name: try row.decode(column: "column_name", as: String.self), kind: try ColumnKind(postgresDataType: type),
                    declaredType: declared))
        }
        let keys = try await sql.raw(
            """
            SELECT cl.relname::text AS table_name, a.attname::text AS column_name \
            FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, position) \
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
            WHERE c.contype = 'p' AND n.nspname = current_schema() ORDER BY cl.relname, k.position
            """
        ).all()
        for row in keys {
            let table = try row.decode(column: "table_name", as: String.self)
            tables[table]?.primaryKey.append(try row.decode(column: "column_name", as: String.self))
        }
        let references = try await sql.raw(
            """
            SELECT cl.relname::text AS child_table, a.attname::text AS child_column, \
            pcl.relname::text AS parent_table, pa.attname::text AS parent_column \
            FROM pg_constraint c JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_class pcl ON pcl.oid = c.confrelid \
            JOIN pg_namespace n ON n.oid = cl.relnamespace \
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, refnum) \
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum \
            JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.refnum \
            WHERE c.contype = 'f' AND n.nspname = current_schema()
            """
        ).all()
        for row in references {
            let table = try row.decode(column: "child_table", as: String.self)
            tables[table]?.references.append(
                Reference(
                    column: try row.decode(column: "child_column", as: String.self),
                    table: try row.decode(column: "parent_table", as: String.self),
                    referencedColumn: try row.decode(column: "parent_column", as: String.self)))
        }
        return DatabaseCatalog(tables: tables)
    }

    /// Tables in an order that writes every referenced table before the tables referring to it.
    /// References of a table to itself are left to `SelfReferenceOrder`.
    public func insertionOrder() throws -> [Table] {
        var remaining = Dictionary(uniqueKeysWithValues: dataTables.map { ($0.name, $0) })
        var ordered: [Table] = []
        while !remaining.isEmpty {
            let ready = remaining.values.filter { table in
                table.references.allSatisfy { $0.table == table.name || remaining[$0.table] == nil }
            }.sorted { $0.name < $1.name }
            guard !ready.isEmpty else {
                throw BackupError.tableOrder("循环引用 / reference cycle among \(remaining.keys.sorted().joined(separator: ", "))")
            }
            for table in ready { remaining[table.name] = nil }
            ordered += ready
        }
        return ordered
    }
}

/// Orders the rows of a table that refers to itself (an organization and its parent) so that each row
/// comes after the row it refers to; rows are otherwise kept in file order.
enum SelfReferenceOrder {
    static func sort(_ rows: [[BackupValue]], columns: [String], references: [DatabaseCatalog.Reference], table: String)
        throws -> [[BackupValue]]
    {
        let own = references.compactMap { reference -> (child: Int, parent: Int)? in
            guard let child = columns.firstIndex(of: reference.column),
                let parent = columns.firstIndex(of: reference.referencedColumn)
            else { return nil }
            return (child, parent)
        }
        guard !own.isEmpty else { return rows }
        func key(_ value: BackupValue) -> String? {
            switch value {
            case .null: return nil
            case .text(let text): return text.uppercased()
            case .integer(let number): return String(number)
            case .real(let number): return String(number)
            case .boolean(let flag): return String(flag)
            }
        }
        // Keys of every row, per referenced column, so a reference to a row absent from the file (which
        // the database would refuse anyway) is reported instead of looping.
        var present: [Int: Set<String>] = [:]
        for link in own { present[link.parent] = Set(rows.compactMap { key($0[link.parent]) }) }
        var written: [Int: Set<String>] = [:]
        var pending = rows
        var ordered: [[BackupValue]] = []
        ordered.reserveCapacity(rows.count)
        while !pending.isEmpty {
            var next: [[BackupValue]] = []
            for row in pending {
                let ready = own.allSatisfy { link in
                    guard let value = key(row[link.child]) else { return true }
                    guard present[link.parent]?.contains(value) == true else { return true }  // the database will say
                    return written[link.parent]?.contains(value) == true
                }
                if ready {
                    ordered.append(row)
                    for link in own { if let value = key(row[link.parent]) { written[link.parent, default: []].insert(value) } }
                } else {
                    next.append(row)
                }
            }
            guard next.count < pending.count else {
                throw BackupError.tableOrder("\(table) 中的行相互引用 / rows of \(table) refer to each other in a cycle")
            }
            pending = next
        }
        return ordered
    }
}
