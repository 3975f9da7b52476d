import Fluent
import Foundation
import SQLKit

/// A model whose records belong to one organization. Conforming is all a module does to have its
/// queries restricted to the acting user's subtree.
public protocol OrganizationOwned: Model {
    static var organizationIDKey: KeyPath<Self, FieldProperty<Self, UUID>> { get }
}

/// The one place where organization scope is enforced: every scoped read starts from `query`, every
/// scoped write checks `contains`. Records outside the subtree behave as if they did not exist (404),
/// so guessing identifiers tells an intruder nothing.
public struct Scope: Sendable {
    /// Materialized path of the acting organization; nil sees nothing.
    public let rootPath: String?

    public init(rootPath: String?) { self.rootPath = rootPath }

    /// Organizations in the subtree.
    public func organizations(on db: any Database) -> QueryBuilder<Organization> {
        let query = Organization.query(on: db)
        guard let rootPath else { return query.filter(\.$id == UUID()).filter(\.$path == "") }
        return query.filter(\.$path =~ rootPath)
    }

    /// The ids of the subtree's organizations, read as plain columns: list pages filter by them on every
    /// view, and decoding a Fluent model per organization cost a tenth of a people list's time.
    public func organizationIDs(on db: any Database) async throws -> [UUID] {
        guard let rootPath else { return [] }
        return try await Self.organizationIDs(under: rootPath, on: db)
    }

    /// The ids of the organizations whose path starts with `path` (that organization and its subtree).
    public static func organizationIDs(under path: String, on db: any Database) async throws -> [UUID] {
        try await db.sql().raw("SELECT id FROM platform_organizations WHERE path LIKE \(bind: path + "%")").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
    }

    /// Any organization-owned model, restricted to the subtree by a join on the organization's path.
    public func query<M: OrganizationOwned>(_ type: M.Type, on db: any Database) -> QueryBuilder<M> {
        let query = M.query(on: db)
            .join(Organization.self, on: M.organizationIDKey == \Organization.$id)
        guard let rootPath else { return query.filter(Organization.self, \.$path == "") }
        return query.filter(Organization.self, \.$path =~ rootPath)
    }

    public func contains(_ organization: Organization) -> Bool {
        guard let rootPath else { return false }
        return organization.path.hasPrefix(rootPath)
    }

    /// Loads an organization by id only if it is in scope.
    public func organization(_ id: UUID?, on db: any Database) async throws -> Organization? {
        guard let id else { return nil }
        return try await organizations(on: db).filter(\.$id == id).first()
    }

    /// Throws 404 unless the organization id is in scope; use before writing a record owned by it.
    public func requireOrganization(_ id: UUID?, on db: any Database) async throws -> Organization {
        guard let org = try await organization(id, on: db) else { throw PlatformError.notFound }
        return org
    }
}

extension Department: OrganizationOwned {
    public static var organizationIDKey: KeyPath<Department, FieldProperty<Department, UUID>> { \.$organizationID }
}

extension RoleGrant: OrganizationOwned {
    public static var organizationIDKey: KeyPath<RoleGrant, FieldProperty<RoleGrant, UUID>> { \.$organizationID }
}
