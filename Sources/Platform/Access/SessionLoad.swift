import Fluent
import Foundation
import SQLKit

/// Everything a web request needs to know about its session, read in one query: the session, its user,
/// the user's role grants with their organizations, and the unread 站内信 for the header. This runs on
/// every page, so it is one round trip of plain columns rather than three Fluent model loads (issue 16:
/// the model loads alone held a logged-in page under a fifth of `/healthz`).
struct SessionSnapshot: Sendable {
    let lastSeenAt: Date
    let secondFactor: SecondFactorState
    let actingGrantID: UUID?
    let userID: UUID
    let username: String
    let displayName: String
    let isActive: Bool
    let mustChangePassword: Bool
    /// Grants in active organizations only.
    let grants: [Actor.Grant]
    let unread: Int

    static func load(tokenHash: String, on db: any Database) async throws -> SessionSnapshot? {
        let rows = try await db.sql().raw(
            """
            SELECT s.last_seen_at, s.second_factor, s.acting_grant_id, s.user_id,
              u.username, u.display_name, u.is_active, u.must_change_password,
              g.id AS grant_id, g.role AS grant_role, g.organization_id AS grant_organization,
              g.department_id AS grant_department, o.name AS organization_name, o.path AS organization_path,
              o.is_active AS organization_active,
              (SELECT COUNT(*) FROM platform_notifications n WHERE n.user_id = s.user_id AND n.read_at IS NULL) AS unread
            FROM platform_sessions s
            JOIN platform_users u ON u.id = s.user_id
            LEFT JOIN platform_role_grants g ON g.user_id = s.user_id
            LEFT JOIN platform_organizations o ON o.id = g.organization_id
            WHERE s.id = \(bind: tokenHash)
            """
        ).all()
        guard let first = rows.first else { return nil }
        var grants: [Actor.Grant] = []
        for row in rows {
            guard let id = try row.decodeNil(column: "grant_id") ? nil : row.decode(column: "grant_id", as: UUID.self),
                let role = RoleID(rawValue: try row.decode(column: "grant_role", as: String.self)),
                try !row.decodeNil(column: "organization_name"),
                try row.decode(column: "organization_active", as: Bool.self)
            else { continue }
            grants.append(
                Actor.Grant(
                    id: id, role: role, organizationID: try row.decode(column: "grant_organization", as: UUID.self),
                    organizationName: try row.decode(column: "organization_name", as: String.self),
                    organizationPath: try row.decode(column: "organization_path", as: String.self),
                    departmentID: try row.decode(column: "grant_department", as: UUID?.self)))
        }
        return SessionSnapshot(
            lastSeenAt: try first.decode(column: "last_seen_at", as: Date.self),
            secondFactor: SecondFactorState(rawValue: try first.decode(column: "second_factor", as: String.self)) ?? .pending,
            actingGrantID: try first.decode(column: "acting_grant_id", as: UUID?.self),
            userID: try first.decode(column: "user_id", as: UUID.self),
            username: try first.decode(column: "username", as: String.self),
            displayName: try first.decode(column: "display_name", as: String.self),
            isActive: try first.decode(column: "is_active", as: Bool.self),
            mustChangePassword: try first.decode(column: "must_change_password", as: Bool.self),
            grants: grants, unread: try first.decode(column: "unread", as: Int.self))
    }

    func actor(catalog: RoleCatalog) -> Actor {
        Actor.assemble(
            userID: userID, username: username, displayName: displayName, mustChangePassword: mustChangePassword,
            grants: grants, preferredGrantID: actingGrantID, catalog: catalog)
    }
}
