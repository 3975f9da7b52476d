import Fluent
import Foundation
import SQLKit
import Vapor

struct HomePage: Sendable {
    let shell: PageShell
    let greeting: String
    let organization: String?
    let roles: String
    let panels: [PanelContent]
}

struct HomeController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.home, use: home)
    }

    /// Every panel the modules registered, computed for this actor; empty panels are left out.
    func home(_ req: Request) async throws -> Response {
        let actor = try req.actor
        var panels: [PanelContent] = []
        for panel in req.platform.registry.homePanels {
            let lines = try await panel.lines(actor, req.db, req.platform.clock())
            if !lines.isEmpty { panels.append(PanelContent(title: panel.title, lines: lines)) }
        }
        return try await HomePage(
            shell: await PageShell.build(for: req, title: "首页"), greeting: "您好，\(actor.displayName)",
            organization: actor.acting?.organizationName,
            roles: actor.roles.map(\.label).sorted().joined(separator: "、"), panels: panels
        ).render(req)
    }
}

/// The foundation's own panels: administrators see the size of their subtree, everyone sees their account.
enum FoundationPanels {
    static let administration = HomePanel(title: "管理概况", order: 10) { actor, db, now in
        guard actor.can(PlatformPermission.orgsRead), let acting = actor.actingOrganizationID,
            let prefix = actor.scope.rootPath
        else { return [] }
        let sql = try db.sql()
        // The three figures in one round trip: the home page is the most visited page.
        let row = try await sql.raw(
            """
            SELECT
              (SELECT COUNT(*) FROM platform_organizations WHERE path LIKE \(bind: prefix + "%") AND is_active = \(bind: true)) AS organizations,
              (SELECT COUNT(DISTINCT g.user_id) FROM platform_role_grants g
                 JOIN platform_organizations o ON o.id = g.organization_id WHERE o.path LIKE \(bind: prefix + "%")) AS users,
              (SELECT COUNT(*) FROM platform_departments WHERE organization_id = \(bind: acting)) AS departments
            """
        ).first()
        let organizations = try row?.decode(column: "organizations", as: Int.self) ?? 0
        let users = try row?.decode(column: "users", as: Int.self) ?? 0
        let departments = try row?.decode(column: "departments", as: Int.self) ?? 0
        var lines = [HomePanel.Line(label: "本级及下级组织", value: "\(organizations) 个", link: PlatformRoutes.organizations())]
        if actor.can(PlatformPermission.usersRead) {
            lines.append(.init(label: "账号", value: "\(users) 个", link: PlatformRoutes.users()))
        }
        lines.append(.init(label: "本组织部门", value: "\(departments) 个", link: PlatformRoutes.organization(acting)))
        return lines
    }

    static let audit = HomePanel(title: "审计", order: 20) { actor, db, now in
        guard actor.can(PlatformPermission.auditRead) else { return [] }
        let total = try await AuditEntry.query(on: db).count()
        let failures = try await AuditEntry.query(on: db).filter(\.$action == "login.failure").count()
        return [
            .init(label: "审计记录", value: "\(total) 条", link: PlatformRoutes.audit()),
            .init(label: "登录失败记录", value: "\(failures) 条", link: PlatformRoutes.audit(query: ["action": "login.failure"])),
        ]
    }

    /// Published forms of the platform's fill page for the acting organization and those above it.
    static let forms = HomePanel(title: "待填写的表单", order: 40) { actor, db, now in
        try await FormsPanel.lines(actor, db)
    }

    static let myAccount = HomePanel(title: "我的账号", order: 90) { actor, db, now in
        let tokens = try await APIToken.query(on: db).filter(\.$userID == actor.userID).filter(\.$revokedAt == nil).count()
        var lines = actor.grants.map { grant in HomePanel.Line(label: grant.role.label, value: grant.organizationName) }
        lines.append(.init(label: "有效 API 令牌", value: "\(tokens) 个", link: PlatformRoutes.tokens()))
        return lines
    }
}

struct HealthController {
    func register(_ routes: any RoutesBuilder) {
        routes.get(PlatformRoutes.healthz) { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ok")
        }
        routes.get(PlatformRoutes.readyz) { req async -> Response in
            do {
                _ = try await Organization.query(on: req.db).limit(1).all()
                return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "ready")
            } catch {
                return Response(
                    status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"], body: "database unreachable")
            }
        }
    }
}
