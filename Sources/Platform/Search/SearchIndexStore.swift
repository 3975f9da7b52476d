import Fluent
import Foundation
import KexieKit
import SQLKit

/// The platform's full-text index: character-bigram postings in two plain tables, ranked with BM25 in
/// one aggregate query, so SQLite and PostgreSQL return the same results without either database's
/// own full-text features (neither segments Chinese out of the box).
public struct SearchIndexStore: Sendable {
    let db: any Database
    let writes: WriteSerializer
    let bm25 = BM25()

    public init(db: any Database, writes: WriteSerializer) {
        self.db = db
        self.writes = writes
    }

    public struct Hit: Sendable, Equatable {
        public let entityID: String
        public let title: String
        public let score: Double
    }

    /// Adds or replaces one document. `organizationPath` is the owning organization's path, so searches
    /// can be restricted to the acting user's subtree.
    public func index(kind: String, entityID: String, organizationPath: String, title: String, text: String) async throws {
        let terms = ChineseTokenizer.terms(title + "\n" + text)
        var frequencies: [String: Int] = [:]
        for term in terms { frequencies[term, default: 0] += 1 }
        let postings = frequencies.sorted { $0.key < $1.key }
        try await writes.transaction(on: db) { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            let existing = try await sql.select().column("id").from("platform_search_documents")
                .where("kind", .equal, kind).where("entity_id", .equal, entityID).first()
            let documentID: UUID
            if let row = existing {
                documentID = try row.decode(column: "id", as: UUID.self)
                try await sql.delete(from: "platform_search_postings").where("document_id", .equal, documentID).run()
                try await sql.update("platform_search_documents")
                    .set("organization_path", to: organizationPath).set("title", to: title).set("length", to: terms.count)
                    .where("id", .equal, documentID).run()
            } else {
                documentID = UUID()
                try await sql.insert(into: "platform_search_documents")
                    .columns("id", "kind", "entity_id", "organization_path", "title", "length")
                    .values(
                        SQLBind(documentID), SQLBind(kind), SQLBind(entityID), SQLBind(organizationPath), SQLBind(title),
                        SQLBind(terms.count)
                    )
                    .run()
            }
            // Batches keep each INSERT well under SQLite's bound-parameter limit.
            for start in stride(from: 0, to: postings.count, by: 200) {
                var insert = sql.insert(into: "platform_search_postings").columns("document_id", "term", "tf")
                for (term, tf) in postings[start..<min(postings.count, start + 200)] {
                    insert = insert.values(SQLBind(documentID), SQLBind(term), SQLBind(tf))
                }
                try await insert.run()
            }
        }
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

    /// Adds many documents not yet in the index (an import of fresh records) with multi-row inserts,
    /// inside the caller's transaction. Orders of magnitude fewer round trips than `index` per record.
    public func indexNew(kind: String, _ documents: [Document]) async throws {
        guard !documents.isEmpty else { return }
        try await writes.transaction(on: db) { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            var postings: [(UUID, String, Int)] = []
            var rows: [[any Encodable & Sendable]] = []
            for document in documents {
                let terms = ChineseTokenizer.terms(document.title + "\n" + document.text)
                var frequencies: [String: Int] = [:]
                for term in terms { frequencies[term, default: 0] += 1 }
                let id = UUID()
                rows.append([id, kind, document.entityID, document.organizationPath, document.title, terms.count])
                for (term, tf) in frequencies { postings.append((id, term, tf)) }
            }
            for start in stride(from: 0, to: rows.count, by: 150) {
                var insert = sql.insert(into: "platform_search_documents")
                    .columns("id", "kind", "entity_id", "organization_path", "title", "length")
                for row in rows[start..<min(rows.count, start + 150)] {
                    insert = insert.values(row.map { SQLBind($0) })
                }
                try await insert.run()
            }
            for start in stride(from: 0, to: postings.count, by: 300) {
                var insert = sql.insert(into: "platform_search_postings").columns("document_id", "term", "tf")
                for (id, term, tf) in postings[start..<min(postings.count, start + 300)] {
                    insert = insert.values(SQLBind(id), SQLBind(term), SQLBind(tf))
                }
                try await insert.run()
            }
        }
    }

    public func remove(kind: String, entityID: String) async throws {
        try await writes.transaction(on: db) { tx in
            guard let sql = tx as? any SQLDatabase else { return }
            if let row = try await sql.select().column("id").from("platform_search_documents")
                .where("kind", .equal, kind).where("entity_id", .equal, entityID).first()
            {
                let id = try row.decode(column: "id", as: UUID.self)
                try await sql.delete(from: "platform_search_postings").where("document_id", .equal, id).run()
                try await sql.delete(from: "platform_search_documents").where("id", .equal, id).run()
            }
        }
    }

    /// Ranked documents of one kind. A document must contain most of the query's bigrams (all of them for
    /// queries of up to three bigrams), so 天然橡胶 does not return everything that merely says 天然.
    public func search(kind: String, query: String, scopePath: String?, limit: Int = 20, offset: Int = 0) async throws -> [Hit] {
        let queryTerms = Array(Set(ChineseTokenizer.terms(query))).sorted()
        guard !queryTerms.isEmpty, let sql = db as? any SQLDatabase else { return [] }
        let stats = try await sql.raw(
            """
            SELECT COUNT(*) AS n, AVG(length) AS avg_length FROM platform_search_documents WHERE kind = \(bind: kind)
            """
        ).first()
        let count = try stats?.decode(column: "n", as: Int.self) ?? 0
        guard count > 0 else { return [] }
        let averageLength = max(1, (try? stats?.decode(column: "avg_length", as: Double.self)) ?? 1)
        let frequencyRows = try await sql.raw(
            """
            SELECT p.term AS term, COUNT(*) AS df FROM platform_search_postings p
            JOIN platform_search_documents d ON d.id = p.document_id
            WHERE d.kind = \(bind: kind) AND p.term IN (\(binds: queryTerms)) GROUP BY p.term
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
        var weight = SQLQueryString("CASE p.term")
        for term in present {
            weight.appendInterpolation(raw: " WHEN "); weight.appendInterpolation(bind: term); weight.appendInterpolation(raw: " THEN ");
            weight.appendInterpolation(bind: idf[term] ?? 0)
        }
        weight.appendInterpolation(raw: " ELSE 0 END")
        let k1 = bm25.k1, b = bm25.b
        var statement = SQLQueryString("SELECT d.entity_id AS entity_id, d.title AS title, SUM((")
        statement.appendInterpolation(weight)
        statement.appendInterpolation(
            raw: ") * (p.tf * \(k1 + 1)) / (p.tf + \(k1) * (\(1 - b) + \(b) * d.length / \(averageLength)))) AS score")
        statement.appendInterpolation(
            raw: " FROM platform_search_postings p JOIN platform_search_documents d ON d.id = p.document_id WHERE d.kind = ")
        statement.appendInterpolation(bind: kind)
        statement.appendInterpolation(raw: " AND p.term IN (")
        statement.appendInterpolation(binds: present)
        statement.appendInterpolation(raw: ")")
        if let scopePath {
            statement.appendInterpolation(raw: " AND d.organization_path LIKE ")
            statement.appendInterpolation(bind: scopePath + "%")
        }
        statement.appendInterpolation(raw: " GROUP BY d.entity_id, d.title HAVING COUNT(DISTINCT p.term) >= \(required)")
        statement.appendInterpolation(raw: " ORDER BY score DESC, d.entity_id LIMIT \(max(1, min(limit, 500))) OFFSET \(max(0, offset))")
        return try await sql.raw(statement).all().map { row in
            Hit(
                entityID: try row.decode(column: "entity_id", as: String.self), title: try row.decode(column: "title", as: String.self),
                score: try row.decode(column: "score", as: Double.self))
        }
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
