import Fluent
import Foundation
import SQLKit

/// One kind of result on the search page: its hits (at most the request's limit), best first.
public struct SearchGroup: Sendable, Codable, Equatable {
    public let kind: String
    public let label: String
    public let hits: [SearchHit]
    /// The provider returned as many hits as it was allowed: there may be more than shown.
    public let more: Bool
}

extension ModuleRegistry {
    /// The global search grouped by kind, in the modules' order: every provider asked once with the
    /// request's limit as the per-kind limit; non-public hits dropped for visitors whatever a provider
    /// returns. Nothing for fewer than 2 characters.
    public func searchGroups(_ request: SearchRequest, on db: any Database) async throws -> [SearchGroup] {
        guard request.text.count >= 2 else { return [] }
        var order: [String] = []
        var byKind: [String: [SearchHit]] = [:]
        for provider in searchProviders {
            var hits = try await provider.search(request, on: db)
            if request.actor == nil { hits = hits.filter(\.isPublic) }
            for hit in hits {
                if byKind[hit.kind] == nil { order.append(hit.kind) }
                byKind[hit.kind, default: []].append(hit)
            }
        }
        return order.compactMap { kind in
            guard let hits = byKind[kind], let first = hits.first else { return nil }
            let sorted = hits.sorted { ($0.score, $1.title) > ($1.score, $0.title) }
            return SearchGroup(
                kind: kind, label: first.kindLabel, hits: Array(sorted.prefix(request.limit)), more: hits.count >= request.limit)
        }
    }
}

/// `LIKE` patterns for the search providers that match titles rather than read the bigram index: the
/// user's `%`, `_` and `\` are escaped (write `ESCAPE '\'` after the pattern), and the text is cut to the
/// request's 100 characters.
public enum SearchPattern {
    public static func contains(_ text: String) -> String {
        var escaped = ""
        for character in text.prefix(100) {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// `column LIKE pattern ESCAPE '\'`, case-insensitive for Latin letters on both databases.
    public static func like(_ column: String, _ text: String) -> SQLQueryString {
        var sql = SQLQueryString("LOWER(")
        sql.appendInterpolation(unsafeRaw: column)
        sql.appendInterpolation(unsafeRaw: ") LIKE ")
        sql.appendInterpolation(bind: contains(text.lowercased()))
        sql.appendInterpolation(unsafeRaw: " ESCAPE '\\'")
        return sql
    }

    /// A short excerpt of `text` around the first occurrence of `query` (or its start), on one line.
    public static func snippet(_ text: String, around query: String, length: Int = 80) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        guard flat.count > length else { return flat }
        var start = flat.startIndex
        if let found = flat.range(of: query, options: .caseInsensitive) {
            start = flat.index(found.lowerBound, offsetBy: -20, limitedBy: flat.startIndex) ?? flat.startIndex
        }
        let end = flat.index(start, offsetBy: length, limitedBy: flat.endIndex) ?? flat.endIndex
        return (start == flat.startIndex ? "" : "…") + flat[start..<end] + (end == flat.endIndex ? "" : "…")
    }
}

/// Platform's part of the search: organizations of the actor's subtree, for staff who may read the
/// organization tree. Visitors get none — an organization has no public page to link to, and the tree
/// (enterprises, grassroots associations) is the association's internal register; the public channels
/// name the units they need themselves.
struct OrganizationSearchProvider: SearchProvider {
    var kind: String { "organization" }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard let actor = request.actor, actor.can(PlatformPermission.orgsRead), let root = actor.scope.rootPath else { return [] }
        var statement = SQLQueryString("SELECT id, name, kind, path FROM platform_organizations WHERE path LIKE ")
        statement.appendInterpolation(bind: root + "%")
        statement.appendInterpolation(unsafeRaw: " AND ")
        statement.appendInterpolation(SearchPattern.like("name", request.text))
        statement.appendInterpolation(unsafeRaw: " ORDER BY is_active DESC, depth, name LIMIT \(request.limit)")
        let rows = try await db.sql().raw(statement).all()
        let found = try rows.map { row in
            (
                id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                kind: try row.decode(column: "kind", as: String.self), path: try row.decode(column: "path", as: String.self)
            )
        }
        let labels = try await OrganizationPaths.labels(found.map(\.path), on: db)
        return found.map { org in
            SearchHit(
                kind: kind, kindLabel: "组织", title: org.name,
                snippet: [OrganizationKind(rawValue: org.kind)?.label ?? "", labels[org.path] ?? ""].filter { !$0.isEmpty }.joined(
                    separator: " · "),
                link: PlatformRoutes.organization(org.id), score: org.name == request.text ? 2 : 1, isPublic: false)
        }
    }
}
