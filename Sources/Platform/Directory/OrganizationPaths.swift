import Fluent
import Foundation
import SQLKit

/// Organizations named by their place in the tree, `云海省科协 › 东港市科协 › 青石县科协`: what the
/// organization picker and the search show, since 1,000 organizations hold many a 计算机学会.
public enum OrganizationPaths {
    public static let separator = " › "

    /// The ids of a materialized path ("/a/b/c/"), root first.
    static func ids(_ path: String) -> [UUID] {
        path.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
    }

    /// Each path's label, the names of all their organizations read in one query.
    public static func labels(_ paths: [String], on db: any Database) async throws -> [String: String] {
        let all = Set(paths.flatMap(ids))
        guard !all.isEmpty else { return [:] }
        let names = try await Organization.query(on: db).filter(\.$id ~~ all).field(\.$id).field(\.$name).all()
        let byID = Dictionary(uniqueKeysWithValues: names.compactMap { org in org.id.map { ($0, org.name) } })
        var result: [String: String] = [:]
        for path in paths { result[path] = ids(path).compactMap { byID[$0] }.joined(separator: separator) }
        return result
    }
}

/// Which organizations a picker offers, as the form's own server-side check allows them.
public enum OrganizationChoiceSet: String, Sendable, CaseIterable, Codable {
    /// The active organizations of the actor's subtree (most forms).
    case subtree
    /// The active associations (科协) of the subtree: a new organization's parent, a move's target.
    case associations
    /// The active societies (学会) of the subtree.
    case societies

    /// The one kind the set is limited to, if any.
    var kind: OrganizationKind? {
        switch self {
        case .subtree: return nil
        case .associations: return .association
        case .societies: return .society
        }
    }

    /// The set's organizations of the actor's subtree, nothing when the actor acts for none.
    public func query(for actor: Actor, on db: any Database) -> QueryBuilder<Organization> {
        let query = actor.scope.organizations(on: db).filter(\.$isActive == true)
        guard let kind else { return query }
        return query.filter(\.$kind == kind)
    }
}

/// One organization as the picker shows it.
public struct OrganizationChoice: Sendable, Codable, Equatable {
    public let id: UUID
    public let name: String
    /// `云海省科协 › 东港市科协 › 青石县科协`.
    public let path: String
    public let kind: String

    public init(id: UUID, name: String, path: String, kind: String) {
        self.id = id
        self.name = name
        self.path = path
        self.kind = kind
    }
}

/// The shared organization picker's server side: looking organizations up by name for the type-ahead,
/// and reading what a form sent — the chosen id, or (without JavaScript, or typed without choosing) an
/// exact name or path.
public struct OrganizationLookup: Sendable {
    public let db: any Database

    public init(db: any Database) { self.db = db }

    public static let maxLimit = 20

    /// Organizations of the set whose name contains `text`, shallowest first, at most `limit` (1…20);
    /// with an empty text, the first ones of the set (the actor's own organization first). Two queries.
    public func find(_ text: String, in set: OrganizationChoiceSet, actor: Actor, limit: Int) async throws -> [OrganizationChoice] {
        guard let root = actor.scope.rootPath else { return [] }
        let text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        let name = text.components(separatedBy: "›").last?.trimmingCharacters(in: .whitespaces) ?? ""
        var statement = SQLQueryString("SELECT id, name, kind, path FROM platform_organizations WHERE path LIKE ")
        statement.appendInterpolation(bind: root + "%")
        statement.appendInterpolation(unsafeRaw: " AND is_active = ")
        statement.appendInterpolation(bind: true)
        if let kind = set.kind {
            statement.appendInterpolation(unsafeRaw: " AND kind = ")
            statement.appendInterpolation(bind: kind.rawValue)
        }
        if !name.isEmpty {
            statement.appendInterpolation(unsafeRaw: " AND ")
            statement.appendInterpolation(SearchPattern.like("name", name))
        }
        statement.appendInterpolation(unsafeRaw: " ORDER BY depth, name, id LIMIT \(min(max(limit, 1), Self.maxLimit))")
        let rows = try await db.sql().raw(statement).all()
        let found = try rows.map { row in
            (
                id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                kind: try row.decode(column: "kind", as: String.self), path: try row.decode(column: "path", as: String.self)
            )
        }
        let labels = try await OrganizationPaths.labels(found.map(\.path), on: db)
        return found.map { OrganizationChoice(id: $0.id, name: $0.name, path: labels[$0.path] ?? $0.name, kind: $0.kind) }
    }

    /// The organizations as choices, their paths named in one query.
    public func choices(_ organizations: [Organization]) async throws -> [OrganizationChoice] {
        let labels = try await OrganizationPaths.labels(organizations.map(\.path), on: db)
        return organizations.compactMap { org in
            org.id.map { OrganizationChoice(id: $0, name: org.name, path: labels[org.path] ?? org.name, kind: org.kind.rawValue) }
        }
    }

    /// One organization as a choice (the picker's current value), if it exists.
    public func choice(_ id: UUID?) async throws -> OrganizationChoice? {
        guard let id, let org = try await Organization.find(id, on: db) else { return nil }
        return try await choices([org]).first
    }

    /// What a picker sent: an id is returned as it is (the form's service checks it is allowed); a name
    /// or path is looked up in the set and answers only when exactly one organization matches. nil for
    /// nothing sent or nothing (or more than one) found.
    public func resolve(_ sent: String?, in set: OrganizationChoiceSet, actor: Actor) async throws -> UUID? {
        guard let sent = sent?.trimmingCharacters(in: .whitespacesAndNewlines), !sent.isEmpty,
            !sent.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        if let id = UUID(uuidString: sent) { return id }
        let parts = sent.components(separatedBy: "›").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let name = parts.last else { return nil }
        let named = try await set.query(for: actor, on: db).filter(\.$name == name).limit(50).all()
        guard parts.count > 1 else { return named.count == 1 ? named.first?.id : nil }
        let wanted = parts.joined(separator: OrganizationPaths.separator)
        let matching = try await choices(named).filter { $0.path == wanted || $0.path.hasSuffix(OrganizationPaths.separator + wanted) }
        return matching.count == 1 ? matching.first?.id : nil
    }
}
