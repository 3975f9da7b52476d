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

    /// "Over whom": an account action (reset, unlock, grant, revoke, deactivate) is allowed only on an
    /// account whose every role the actor could grant, every one of them inside the actor's subtree, and
    /// never on the actor's own account. Because the grantable sets keep the three administrator roles
    /// apart, this one rule is also 三权分立: the system administrator cannot act on a security or audit
    /// administrator, the security administrator cannot act on a system administrator, and only a
    /// security administrator acts on another security administrator.
    /// An account the actor may not see is a 404; one the actor sees but may not manage is a 403.
    public func manageableUser(_ id: UUID, actor: Actor) async throws -> User {
        let user = try await visibleUser(id, actor: actor)
        guard try await isManageable(user, actor: actor) else {
            throw PlatformError.forbiddenBecause("该账号持有您无权管理的角色，或是您本人的账号，不能对其执行此操作")
        }
        return user
    }

    /// Whether `manageableUser` would accept the account; pages use it to hide actions that would fail.
    public func isManageable(_ user: User, actor: Actor) async throws -> Bool {
        let userID = try user.requireID()
        guard userID != actor.userID else { return false }
        let grantable = Set(grantableRoles(for: actor))
        let grants = try await RoleGrant.query(on: db)
            .join(Organization.self, on: \RoleGrant.$organizationID == \Organization.$id)
            .filter(\.$userID == userID).all()
        for grant in grants {
            guard let role = RoleID(rawValue: grant.role), grantable.contains(role) else { return false }
            let path = try grant.joined(Organization.self).path
            guard let root = actor.scope.rootPath, path.hasPrefix(root) else { return false }
        }
        return true
    }

    public func grant(_ role: RoleID, to userID: UUID, organizationID: UUID, departmentID: UUID?, actor: Actor) async throws {
        try actor.require(PlatformPermission.rolesGrant)
        guard grantableRoles(for: actor).contains(role) else { throw PlatformError.forbidden }
        let org = try await actor.scope.requireOrganization(organizationID, on: db)
        guard let user = try await User.find(userID, on: db) else { throw PlatformError.notFound }
        guard try await isManageable(user, actor: actor) else {
            throw PlatformError.forbiddenBecause("该账号持有您无权管理的角色，或是您本人的账号，不能为其授予角色")
        }
        try await Self.requireSeparation(adding: role, toUser: try user.requireID(), on: db)
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
        if grant.userID == actor.userID {
            throw PlatformError.forbiddenBecause("不能撤销您本人的角色，请由另一位管理员办理")
        }
        guard let user = try await User.find(grant.userID, on: db), try await isManageable(user, actor: actor) else {
            throw PlatformError.forbiddenBecause("该账号持有您无权管理的角色，不能撤销其角色")
        }
        try await grant.delete(on: db)
        try await services.audit.record(
            AuditEvent(
                action: "role.revoke", entityType: "user", entityID: grant.userID.uuidString,
                summary: "撤销 \(role.label)"),
            on: db)
    }

    /// 三权分立 held by the data: one account never holds two of 系统管理员, 安全管理员 and 审计管理员,
    /// whoever grants (page, API or command line).
    public static func requireSeparation(adding role: RoleID, toUser userID: UUID, on db: any Database) async throws {
        guard role.isAdministratorTriad else { return }
        let held = try await RoleGrant.query(on: db).filter(\.$userID == userID).all().compactMap { RoleID(rawValue: $0.role) }
        if let other = held.first(where: { $0.isAdministratorTriad && $0 != role }) {
            throw PlatformError.invalidInput(
                field: "role", message: "该账号已是\(other.label)，系统、安全、审计管理员不能由同一账号兼任")
        }
    }
}
