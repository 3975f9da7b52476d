import Fluent
import Foundation
import KexieKit
import SQLKit

/// The platform's full-text index: character-bigram postings in plain tables, ranked with BM25 in one
/// aggregate query, so SQLite and PostgreSQL return the same results without either database's own
/// full-text features (neither segments Chinese out of the box).
///
/// Each posting carries its document's kind, length and organization path, so a search reads one
/// covering index range per term and never joins while ranking; the per-kind document count and total
/// length are kept in `platform_search_stats` in the same transactions, so BM25 needs no table scan.
public struct SearchIndexStore: Sendable {
    let db: any Database
    let writes: WriteSerializer
    let bm25 = BM25()

    public init(db: any Database, writes: WriteSerializer) {
        self.db = db
        self.writes = writes
    }

    /// A store for searching only (the search providers): it never writes, so it needs no serializer.
    public static func reader(_ db: any Database) -> SearchIndexStore {
        SearchIndexStore(db: db, writes: WriteSerializer(enabled: false))
    }

    public struct Hit: Sendable, Equatable {
        public let entityID: String
        public let title: String
        public let score: Double
    }

    public struct Document: Sendable {
        public let entityID: String
        public let organizationPath: String
        public let title: String
        public let text: String

        public init(entityID: String, organizationPath: String, title: String, text: String) {
            self.entityID = entityID
            self.organizationPath = organizationPath
            self.title = title
            self.text = text
        }
    }

    /// Adds or replaces one document. `organizationPath` is the owning organization's path, so searches
    /// can be restricted to the acting user's subtree.
    public func index(kind: String, entityID: String, organizationPath: String, title: String, text: String) async throws {
        try await writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            try await Self.removeDocument(kind: kind, entityID: entityID, on: sql)
            try await Self.insert(
                kind: kind, [Document(entityID: entityID, organizationPath: organizationPath, title: title, text: text)], on: sql)
        }
    }

    /// Adds many documents not yet in the index (an import of fresh records) with multi-row inserts,
    /// inside the caller's transaction.
    public func indexNew(kind: String, _ documents: [Document]) async throws {
        guard !documents.isEmpty else { return }
        try await writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            try await Self.insert(kind: kind, documents, on: sql)
        }
    }

    public func remove(kind: String, entityID: String) async throws {
        try await writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            try await Self.removeDocument(kind: kind, entityID: entityID, on: sql)
        }
    }

    /// Follows an organization move: documents of the subtree keep matching their new scope.
    public func movePaths(from oldPrefix: String, to newPrefix: String) async throws {
        try await writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            for table in ["platform_search_documents", "platform_search_terms"] {
                try await sql.raw(
                    """
                    UPDATE \(ident: table) SET organization_path = CAST(\(bind: newPrefix) AS TEXT) || SUBSTR(organization_path, CAST(\(bind: oldPrefix.count + 1) AS INTEGER)) \
                    WHERE organization_path LIKE \(bind: oldPrefix + "%")
                    """
                ).run()
            }
        }
    }

    private static func insert(kind: String, _ documents: [Document], on sql: any SQLDatabase) async throws {
        var rows: [[any Encodable & Sendable]] = []
        var terms: [[any Encodable & Sendable]] = []
        var totalLength = 0
        for document in documents {
            let tokens = ChineseTokenizer.terms(document.title + "\n" + document.text)
            var frequencies: [String: Int] = [:]
            for term in tokens { frequencies[term, default: 0] += 1 }
            let id = UUID()
            totalLength += tokens.count
            rows.append([id, kind, document.entityID, document.organizationPath, document.title, tokens.count])
            for (term, tf) in frequencies.sorted(by: { $0.key < $1.key }) {
                terms.append([kind, term, id, tf, tokens.count, document.organizationPath])
            }
        }
        // Batches keep each INSERT well under SQLite's bound-parameter limit.
        for start in stride(from: 0, to: rows.count, by: 150) {
            var insert = sql.insert(into: "platform_search_documents").columns(
                "id", "kind", "entity_id", "organization_path", "title", "length")
            for row in rows[start..<min(rows.count, start + 150)] { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
        }
        for start in stride(from: 0, to: terms.count, by: 150) {
            var insert = sql.insert(into: "platform_search_terms").columns(
                "kind", "term", "document_id", "tf", "length", "organization_path")
            for row in terms[start..<min(terms.count, start + 150)] { insert = insert.values(row.map { SQLBind($0) }) }
            try await insert.run()
        }
        try await adjustStats(kind: kind, documents: documents.count, length: totalLength, on: sql)
    }

    private static func removeDocument(kind: String, entityID: String, on sql: any SQLDatabase) async throws {
        guard
            let row = try await sql.select().column("id").column("length").from("platform_search_documents")
                .where("kind", .equal, kind).where("entity_id", .equal, entityID).first()
        else { return }
        let id = try row.decode(column: "id", as: UUID.self)
        let length = try row.decode(column: "length", as: Int.self)
        try await sql.delete(from: "platform_search_terms").where("document_id", .equal, id).run()
        try await sql.delete(from: "platform_search_documents").where("id", .equal, id).run()
        try await adjustStats(kind: kind, documents: -1, length: -length, on: sql)
    }

    private static func adjustStats(kind: String, documents: Int, length: Int, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO platform_search_stats (kind, documents, total_length) VALUES (\(bind: kind), 0, 0) ON CONFLICT (kind) DO NOTHING
            """
        ).run()
        try await sql.raw(
            """
            UPDATE platform_search_stats SET documents = documents + \(bind: documents), total_length = total_length + \(bind: length) \
            WHERE kind = \(bind: kind)
            """
        ).run()
    }

    /// Ranked documents of one kind. A document must contain most of the query's bigrams (all of them for
    /// queries of up to three bigrams), so 天然橡胶 does not return everything that merely says 天然.
    public func search(kind: String, query: String, scopePath: String?, limit: Int = 20, offset: Int = 0) async throws -> [Hit] {
        let queryTerms = Array(Set(ChineseTokenizer.terms(query))).sorted()
        let sql = try db.sql()
        guard !queryTerms.isEmpty else { return [] }
        guard
            let stats = try await sql.select().column("documents").column("total_length").from("platform_search_stats")
                .where("kind", .equal, kind).first()
        else { return [] }
        let count = try stats.decode(column: "documents", as: Int.self)
        guard count > 0 else { return [] }
        let averageLength = max(1, Double(try stats.decode(column: "total_length", as: Int.self)) / Double(count))
        let frequencyRows = try await sql.raw(
            """
            SELECT term, COUNT(*) AS df FROM platform_search_terms WHERE kind = \(bind: kind) AND term IN (\(binds: queryTerms)) GROUP BY term
            """
        ).all()
        var idf: [String: Double] = [:]
        for row in frequencyRows {
            idf[try row.decode(column: "term", as: String.self)] = bm25.idf(
                documentFrequency: try row.decode(column: "df", as: Int.self), documentCount: count)
        }
        let present = queryTerms.filter { idf[$0] != nil }
        let required = queryTerms.count <= 3 ? queryTerms.count : Int((Double(queryTerms.count) * 0.6).rounded(.up))
        guard present.count >= required else { return [] }

        // score = Σ idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen)), computed by the database.
        var weight = SQLQueryString("CASE term")
        for term in present {
            weight.appendInterpolation(unsafeRaw: " WHEN ")
            weight.appendInterpolation(bind: term)
            weight.appendInterpolation(unsafeRaw: " THEN ")
            weight.appendInterpolation(bind: idf[term] ?? 0)
        }
        weight.appendInterpolation(unsafeRaw: " ELSE 0 END")
        let k1 = bm25.k1, b = bm25.b
        var statement = SQLQueryString("SELECT document_id, SUM((")
        statement.appendInterpolation(weight)
        statement.appendInterpolation(
            unsafeRaw: ") * (tf * \(k1 + 1)) / (tf + \(k1) * (\(1 - b) + \(b) * length / \(averageLength)))) AS score")
        statement.appendInterpolation(unsafeRaw: " FROM platform_search_terms WHERE kind = ")
        statement.appendInterpolation(bind: kind)
        statement.appendInterpolation(unsafeRaw: " AND term IN (")
        statement.appendInterpolation(binds: present)
        statement.appendInterpolation(unsafeRaw: ")")
        if let scopePath {
            if sql.dialect.name == "sqlite" {
                // A range instead of LIKE: SQLite seeks it inside each term's index range rather than
                // pattern-matching every posting. Paths hold only '/', '-' and hex digits, all below '~'.
                statement.appendInterpolation(unsafeRaw: " AND organization_path >= ")
                statement.appendInterpolation(bind: scopePath)
                statement.appendInterpolation(unsafeRaw: " AND organization_path < ")
                statement.appendInterpolation(bind: scopePath + "~")
            } else {
                statement.appendInterpolation(unsafeRaw: " AND organization_path LIKE ")
                statement.appendInterpolation(bind: scopePath + "%")
            }
        }
        statement.appendInterpolation(unsafeRaw: " GROUP BY document_id HAVING COUNT(*) >= \(required)")
        statement.appendInterpolation(
            unsafeRaw: " ORDER BY score DESC, document_id LIMIT \(max(1, min(limit, 500))) OFFSET \(max(0, offset))")
        let ranked = try await sql.raw(statement).all().map { row in
            (try row.decode(column: "document_id", as: UUID.self), try row.decode(column: "score", as: Double.self))
        }
        guard !ranked.isEmpty else { return [] }
        let documents = try await sql.select().column("id").column("entity_id").column("title").from("platform_search_documents")
            .where("id", .in, ranked.map(\.0)).all()
        var byID: [UUID: (String, String)] = [:]
        for row in documents {
            byID[try row.decode(column: "id", as: UUID.self)] = (
                try row.decode(column: "entity_id", as: String.self), try row.decode(column: "title", as: String.self)
            )
        }
        return ranked.compactMap { id, score in byID[id].map { Hit(entityID: $0.0, title: $0.1, score: score) } }
    }
}

/// Postings carry kind, length and path (no join while ranking); statistics are kept, not counted.
struct DenormalizeSearchIndex: AsyncMigration {
    var name: String { "2026_11_23_1520_platform_search_terms" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_search_terms")
            .field("kind", .string, .required)
            .field("term", .string, .required)
            .field("document_id", .uuid, .required, .references("platform_search_documents", "id", onDelete: .cascade))
            .field("tf", .int, .required)
            .field("length", .int, .required)
            .field("organization_path", .string, .required)
            .unique(on: "document_id", "term")
            .create()
        try await database.schema("platform_search_stats")
            .field("kind", .string, .identifier(auto: false))
            .field("documents", .int, .required)
            .field("total_length", .int, .required)
            .create()
        let sql = try database.sql()
        try await sql.raw(
            """
            INSERT INTO platform_search_terms (kind, term, document_id, tf, length, organization_path) \
            SELECT d.kind, p.term, p.document_id, p.tf, d.length, d.organization_path \
            FROM platform_search_postings p JOIN platform_search_documents d ON d.id = p.document_id
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO platform_search_stats (kind, documents, total_length) \
            SELECT kind, COUNT(*), COALESCE(SUM(length), 0) FROM platform_search_documents GROUP BY kind
            """
        ).run()
        try await database.schema("platform_search_postings").delete()
        try await SQLIndex.create(
            "idx_platform_search_terms_lookup", on: "platform_search_terms",
            ["kind", "term", "organization_path", "document_id", "tf", "length"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_search_postings")
            .field("document_id", .uuid, .required, .references("platform_search_documents", "id", onDelete: .cascade))
            .field("term", .string, .required)
            .field("tf", .int, .required)
            .unique(on: "document_id", "term")
            .create()
        try await database.sql().raw(
            "INSERT INTO platform_search_postings (document_id, term, tf) SELECT document_id, term, tf FROM platform_search_terms"
        ).run()
        try await database.schema("platform_search_stats").delete()
        try await database.schema("platform_search_terms").delete()
    }
}

struct CreateSearchIndex: AsyncMigration {
    var name: String { "2026_11_23_1400_platform_create_search_index" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_search_documents")
            .id()
            .field("kind", .string, .required)
            .field("entity_id", .string, .required)
            .field("organization_path", .string, .required)
            .field("title", .string, .required)
            .field("length", .int, .required)
            .unique(on: "kind", "entity_id")
            .create()
        try await database.schema("platform_search_postings")
            .field("document_id", .uuid, .required, .references("platform_search_documents", "id", onDelete: .cascade))
            .field("term", .string, .required)
            .field("tf", .int, .required)
            .unique(on: "document_id", "term")
            .create()
        try await SQLIndex.create("idx_platform_search_postings_term", on: "platform_search_postings", ["term", "document_id"], database)
        try await SQLIndex.create(
            "idx_platform_search_documents_path", on: "platform_search_documents", ["kind", "organization_path"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_search_postings").delete()
        try await database.schema("platform_search_documents").delete()
    }
}
