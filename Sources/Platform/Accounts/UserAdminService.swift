import Fluent
import Foundation

/// Administrators managing accounts in their subtree: listing, granting and revoking roles under the
/// separation of the three administrator roles (三权分立).
public struct UserAdminService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    /// Users visible to the actor: those holding any role inside the actor's subtree.
    public func visibleUser(_ id: UUID, actor: Actor) async throws -> User {
        try actor.require(PlatformPermission.usersRead)
        let inScope = try await actor.scope.query(RoleGrant.self, on: db).filter(\.$userID == id).count()
        guard inScope > 0, let user = try await User.find(id, on: db) else { throw PlatformError.notFound }
        return user
    }

    /// Roles the actor may grant now: the union over the actor's roles in the acting organization.
    public func grantableRoles(for actor: Actor) -> [RoleID] {
        let roles = actor.roles
        return RoleID.allCases.filter { candidate in roles.contains { RoleID.grantable(by: $0).contains(candidate) } }
    }

    public func grant(_ role: RoleID, to userID: UUID, organizationID: UUID, departmentID: UUID?, actor: Actor) async throws {
        try actor.require(PlatformPermission.rolesGrant)
        guard grantableRoles(for: actor).contains(role) else { throw PlatformError.forbidden }
        let org = try await actor.scope.requireOrganization(organizationID, on: db)
        guard let user = try await User.find(userID, on: db) else { throw PlatformError.notFound }
        // The target must already be visible, or be granted into the actor's own subtree right now.
        let orgID = try org.requireID()
        if let departmentID {
            guard try await Department.query(on: db).filter(\.$id == departmentID).filter(\.$organizationID == orgID).first() != nil
            else { throw PlatformError.invalidInput(field: "departmentID", message: "所选部门不属于该组织") }
        }
        let userIDValue = try user.requireID()
        if try await RoleGrant.query(on: db).filter(\.$userID == userIDValue).filter(\.$role == role.rawValue)
            .filter(\.$organizationID == orgID).first() != nil
        {
            throw PlatformError.invalidInput(field: "role", message: "该账号在此组织已有这个角色")
        }
        try await RoleGrant(userID: userIDValue, role: role, organizationID: orgID, departmentID: departmentID).create(on: db)
        try await services.audit.record(
            AuditEvent(
                action: "role.grant", entityType: "user", entityID: userIDValue.uuidString,
                summary: "授予 \(role.label)（\(org.name)）"),
            on: db)
    }

    public func revoke(grantID: UUID, actor: Actor) async throws {
        try actor.require(PlatformPermission.rolesGrant)
        guard let grant = try await actor.scope.query(RoleGrant.self, on: db).filter(\.$id == grantID).first(),
            let role = RoleID(rawValue: grant.role)
        else { throw PlatformError.notFound }
        guard grantableRoles(for: actor).contains(role) else { throw PlatformError.forbidden }
        if grant.userID == actor.userID, grant.id == actor.acting?.id {
            throw PlatformError.invalidInput(field: nil, message: "不能撤销您当前正在使用的角色")
        }
        try await grant.delete(on: db)
        try await services.audit.record(
            AuditEvent(
                action: "role.revoke", entityType: "user", entityID: grant.userID.uuidString,
                summary: "撤销 \(role.label)"),
            on: db)
    }
}
