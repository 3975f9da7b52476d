import Fluent
import Foundation
import SQLKit

/// Moving a column that held a comma-separated list ("license,joint") to a list column, the way Fluent
/// stores a `[String]` or `[UUID]` field: a native array on PostgreSQL (`TEXT[]`, `UUID[]`) and JSON
/// text on SQLite (declared `JSON`). Used by the migrations that retire comma lists; the column keeps
/// its name, becomes NOT NULL with an empty default, and keeps the items in their order (empty items
/// dropped, as `split(separator: ",")` dropped them).
public enum ListColumnMigration {
    public enum Element: Sendable {
        case text, uuid

        var postgresType: String { self == .uuid ? "UUID[]" : "TEXT[]" }
    }

    /// Replaces the comma text of `table.column` (NULL reads as empty) by a list column of the same name.
    public static func commaTextToList(table: String, column: String, element: Element, on database: any Database) async throws {
        let sql = try database.sql()
        let postgres = sql.dialect.name != "sqlite"
        let list = column + "_list"
        try await sql.raw(
            "ALTER TABLE \(ident: table) ADD COLUMN \(ident: list) \(unsafeRaw: postgres ? element.postgresType : "JSON") NOT NULL DEFAULT \(unsafeRaw: postgres ? "'{}'" : "'[]'")"
        ).run()
        if postgres {
            try await sql.raw(
                """
                UPDATE \(ident: table) SET \(ident: list) = \
                CAST(array_remove(string_to_array(COALESCE(\(ident: column), ''), ','), '') AS \(unsafeRaw: element.postgresType))
                """
            ).run()
        } else {
            // SQLite has no split function: each row is split here as the application split it, and
            // bound as the array itself so the JSON is exactly what Fluent writes for the new field.
            let rows = try await sql.raw(
                "SELECT id, \(ident: column) AS items FROM \(ident: table) WHERE \(ident: column) IS NOT NULL AND \(ident: column) <> ''"
            ).all()
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                let items = try row.decode(column: "items", as: String.self).split(separator: ",").map(String.init)
                let update: SQLQueryString
                switch element {
                case .text: update = "UPDATE \(ident: table) SET \(ident: list) = \(bind: items) WHERE id = \(bind: id)"
                case .uuid:
                    update =
                        "UPDATE \(ident: table) SET \(ident: list) = \(bind: items.compactMap(UUID.init(uuidString:))) WHERE id = \(bind: id)"
                }
                try await sql.raw(update).run()
            }
        }
        try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        try await sql.raw("ALTER TABLE \(ident: table) RENAME COLUMN \(ident: list) TO \(ident: column)").run()
    }

    /// The way back: the list joined with commas into a text column (NULL for an empty list when
    /// `nullable`, else empty text), as the column was before (identifiers upper-cased, as Swift prints them).
    public static func listToCommaText(
        table: String, column: String, element: Element, nullable: Bool, on database: any Database
    ) async throws {
        let sql = try database.sql()
        let postgres = sql.dialect.name != "sqlite"
        let text = column + "_text"
        try await sql.raw(
            "ALTER TABLE \(ident: table) ADD COLUMN \(ident: text) TEXT\(unsafeRaw: nullable ? "" : " NOT NULL DEFAULT ''")"
        ).run()
        let joined: SQLQueryString =
            postgres
            ? (element == .uuid ? "upper(array_to_string(\(ident: column), ','))" : "array_to_string(\(ident: column), ',')")
            : "(SELECT group_concat(value, ',') FROM json_each(\(ident: table).\(ident: column)))"
        if nullable {
            try await sql.raw("UPDATE \(ident: table) SET \(ident: text) = NULLIF(\(joined), '')").run()
        } else {
            try await sql.raw("UPDATE \(ident: table) SET \(ident: text) = COALESCE(\(joined), '')").run()
        }
        try await sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        try await sql.raw("ALTER TABLE \(ident: table) RENAME COLUMN \(ident: text) TO \(ident: column)").run()
    }
}
