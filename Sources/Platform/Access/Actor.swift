import Fluent
import Foundation
import Vapor

/// The logged-in person as a type: who they are, which organization they act for now, and what they
/// may do there. Handlers that need a user take an `Actor`; there is no optional user to forget to check.
public struct Actor: Sendable {
    public struct Grant: Sendable, Hashable {
        public let id: UUID
        public let role: RoleID
        public let organizationID: UUID
        public let organizationName: String
        public let organizationPath: String
        public let departmentID: UUID?
    }

    public let userID: UUID
    public let username: String
    public let displayName: String
    public let grants: [Grant]
    /// The grant the user is acting under; nil only for a user without any role.
    public let acting: Grant?
    public let permissions: Set<String>
    public let mustChangePassword: Bool

    public var actingOrganizationID: UUID? { acting?.organizationID }
    public var roles: Set<RoleID> { Set(grants.filter { $0.organizationID == acting?.organizationID }.map(\.role)) }

    public func can(_ permission: Permission) -> Bool { permissions.contains(permission.id) }

    /// Throws 403 unless the actor holds the permission in the acting organization.
    public func require(_ permission: Permission) throws {
        guard can(permission) else { throw PlatformError.forbidden }
    }

    /// The subtree the actor may see: the acting organization and everything below it.
    public var scope: Scope { Scope(rootPath: acting?.organizationPath) }
}

extension Actor {
    /// Timers and jobs (auto-close and the like): no account, no organization, no permissions; the
    /// workflow runtime records its steps as 系统.
    public static let system = Actor(
        userID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), username: "system", displayName: "系统", grants: [],
        acting: nil,
        permissions: [], mustChangePassword: false)

    /// Loads the user's grants and chooses the acting grant: the preferred one if still valid, else the
    /// highest organization the user has a role in.
    public static func load(user: User, preferredGrantID: UUID?, catalog: RoleCatalog, on db: any Database) async throws
        -> Actor
    {
        let userID = try user.requireID()
        // One query for grants and their organizations: this runs on every request.
        let rows = try await RoleGrant.query(on: db)
            .join(Organization.self, on: \RoleGrant.$organizationID == \Organization.$id)
            .filter(\.$userID == userID).filter(Organization.self, \.$isActive == true).all()
        let grants: [Grant] = try rows.compactMap { row in
            let org = try row.joined(Organization.self)
            guard let id = row.id, let role = RoleID(rawValue: row.role) else { return nil }
            return Grant(
                id: id, role: role, organizationID: row.organizationID, organizationName: org.name,
                organizationPath: org.path, departmentID: row.departmentID)
        }
        return assemble(
            userID: userID, username: user.username, displayName: user.displayName, mustChangePassword: user.mustChangePassword,
            grants: grants, preferredGrantID: preferredGrantID, catalog: catalog)
    }

    /// The actor of these grants: the preferred grant if still valid, else the highest organization's, and
    /// the permissions of every role held there.
    static func assemble(
        userID: UUID, username: String, displayName: String, mustChangePassword: Bool, grants unsorted: [Grant],
        preferredGrantID: UUID?, catalog: RoleCatalog
    ) -> Actor {
        let grants = unsorted.sorted {
            ($0.organizationPath.count, $0.role.rawValue, $0.id.uuidString) < (
                $1.organizationPath.count, $1.role.rawValue, $1.id.uuidString
            )
        }
        let acting = grants.first { $0.id == preferredGrantID } ?? grants.first
        var permissions = Set<String>()
        if let acting {
            for grant in grants where grant.organizationID == acting.organizationID {
                permissions.formUnion(catalog.permissions(of: grant.role))
            }
        }
        return Actor(
            userID: userID, username: username, displayName: displayName, grants: grants, acting: acting,
            permissions: permissions, mustChangePassword: mustChangePassword)
    }

    /// Distinct organizations the user can act for, for the header's switcher.
    public var actingChoices: [Grant] {
        var seen = Set<UUID>()
        return grants.filter { seen.insert($0.organizationID).inserted }
    }
}
