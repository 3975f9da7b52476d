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

/// The work home of a logged-in user: at `/workbench`, and at `/` through `PortalController`.
struct HomeController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.workbench, use: home)
    }

    /// Every panel the modules registered, computed for this actor in one query; empty panels are left out.
    func home(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let panels = try await PanelRunner.compute(req.platform.registry.homePanels, actor: actor, now: req.platform.clock(), on: req.db)
        return try await HomePage(
            shell: await PageShell.build(for: req, title: "首页"), greeting: "您好，\(actor.displayName)",
            organization: actor.acting?.organizationName,
            roles: actor.roles.map(\.label).sorted().joined(separator: "、"), panels: panels
        ).render(req)
    }
}

/// The foundation's own panels: administrators see the size of their subtree, everyone sees their account.
enum FoundationPanels {
    static let administration = HomePanel(title: "管理概况", order: 10) { c in
        guard c.actor.can(PlatformPermission.orgsRead), let acting = c.actor.actingOrganizationID, let prefix = c.actor.scope.rootPath
        else { return nil }
        return [
            .count(
                "organizations",
                "SELECT COUNT(*) FROM platform_organizations WHERE path LIKE \(bind: prefix + "%") AND is_active = \(bind: true)"),
            .count(
                "users",
                """
                SELECT COUNT(DISTINCT g.user_id) FROM platform_role_grants g
                JOIN platform_organizations o ON o.id = g.organization_id WHERE o.path LIKE \(bind: prefix + "%")
                """),
            .count("departments", "SELECT COUNT(*) FROM platform_departments WHERE organization_id = \(bind: acting)"),
        ]
    } lines: { c, v in
        guard let acting = c.actor.actingOrganizationID else { return [] }
        var lines = [HomePanel.Line(label: "本级及下级组织", value: "\(v["organizations"]) 个", link: PlatformRoutes.organizations())]
        if c.actor.can(PlatformPermission.usersRead) {
            lines.append(.init(label: "账号", value: "\(v["users"]) 个", link: PlatformRoutes.users()))
        }
        lines.append(.init(label: "本组织部门", value: "\(v["departments"]) 个", link: PlatformRoutes.organization(acting)))
        return lines
    }

    static let audit = HomePanel(title: "审计", order: 20) { c in
        guard c.actor.can(PlatformPermission.auditRead) else { return nil }
        return [
            .count("total", "SELECT COUNT(*) FROM platform_audit_entries"),
            .count("failures", "SELECT COUNT(*) FROM platform_audit_entries WHERE action = \(bind: "login.failure")"),
        ]
    } lines: { _, v in
        [
            .init(label: "审计记录", value: "\(v["total"]) 条", link: PlatformRoutes.audit()),
            .init(label: "登录失败记录", value: "\(v["failures"]) 条", link: PlatformRoutes.audit(query: ["action": "login.failure"])),
        ]
    }

    /// Published forms of the platform's fill page for the acting organization and those above it.
    static let forms = HomePanel(title: "待填写的表单", order: 40) { c in
        FormsPanel.figures(c.actor)
    } lines: { _, v in
        FormsPanel.lines(v)
    }

    static let myAccount = HomePanel(title: "我的账号", order: 90) { c in
        [
            .count(
                "tokens",
                "SELECT COUNT(*) FROM platform_api_tokens WHERE user_id = \(bind: c.actor.userID) AND revoked_at IS NULL")
        ]
    } lines: { c, v in
        var lines = c.actor.grants.map { grant in HomePanel.Line(label: grant.role.label, value: grant.organizationName) }
        lines.append(.init(label: "有效 API 令牌", value: "\(v["tokens"]) 个", link: PlatformRoutes.tokens()))
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
