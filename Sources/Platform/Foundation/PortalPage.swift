import Fluent
import Foundation
import Vapor

/// The visitors' portal at `/`: the public channels every module registered, the latest public
/// notices (pinned first) and the way in (log in, sign up).
struct PortalPage: Sendable {
    let shell: PageShell
    let channels: [PortalChannel]
    let notices: [NoticeRow]
    let noticesLink: String
    let loginLink: String
    let signupLink: String
}

/// `/` answers visitors with the portal and logged-in users with their work home (also `/workbench`).
struct PortalController {
    /// The portal shows this many notices; the rest are on `/notices`.
    static let noticeCount = 8

    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(PlatformRoutes.home, use: home)
    }

    func home(_ req: Request) async throws -> Response {
        guard req.optionalActor != nil else { return try await portal(req) }
        // A logged-in user meets the same checks as on every logged-in page (new password, authenticator).
        return try await RequireUserMiddleware().respond(to: req, chainingTo: AsyncBasicResponder(closure: HomeController().home))
    }

    /// One query: the latest public notices with their organizations.
    func portal(_ req: Request) async throws -> Response {
        let now = req.platform.clock()
        let notices = try await NoticeService(db: req.db, services: req.platform).readable(actor: nil)
            .join(Organization.self, on: \NoticeRecord.$organizationID == \Organization.$id)
            .sort(\.$isPinned, .descending).sort(\.$publishAt, .descending).sort(\.$id, .descending)
            .limit(Self.noticeCount).all()
            .map { try NoticeRow($0, now: now, manage: false) }
        return try await PortalPage(
            shell: await PageShell.build(for: req, title: "首页"), channels: req.platform.registry.portalChannels, notices: notices,
            noticesLink: PlatformRoutes.notices(), loginLink: PlatformRoutes.login(), signupLink: PlatformRoutes.signup()
        ).render(req)
    }
}

extension PortalPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("portal-hero"), .attr("aria-labelledby", literal: "portal-title")) { h in
            h.el(.div, .class("portal-hero-text")) { h in
                h.el(.h1, .id("portal-title"), raw: "智慧科协服务平台")
                h.el(.p, raw: "面向科技工作者、学会、企业和社会公众，一网受理诉求、公开答复、科技成果与企业需求对接。")
            }
            h.el(.div, .class("portal-entry"), .id("portal-entry")) { h in
                h.el(.a, .class("button primary"), .href(loginLink), .attr("data-portal-channel", literal: "login"), raw: "登录")
                h.el(.a, .class("button"), .href(signupLink), .attr("data-portal-channel", literal: "signup"), raw: "注册账号")
            }
        }
        h.el(.div, .class("portal-grid")) { h in
            h.el(.section, .class("portal-channels"), .attr("aria-labelledby", literal: "channels-title")) { h in
                h.el(.h2, .id("channels-title"), raw: "服务入口")
                h.el(.ul, .class("channel-list"), .id("portal-channels")) { h in
                    for channel in channels {
                        h.el(.li) { h in
                            h.el(.a, .class("channel"), .href(channel.path), .attr("data-portal-channel", channel.id)) { h in
                                h.el(.span, .class("channel-label"), text: channel.label)
                                h.el(.span, .class("channel-summary"), text: channel.summary)
                            }
                        }
                    }
                }
            }
            h.el(.section, .class("portal-notices card"), .attr("aria-labelledby", literal: "notices-title")) { h in
                h.el(.div, .class("section-head")) { h in
                    h.el(.h2, .id("notices-title"), raw: "通知公告")
                    h.el(.a, .href(noticesLink), .attr("data-portal-channel", literal: "notices"), raw: "更多")
                }
                h.noticeList(notices, id: "portal-notices")
            }
        }
    }
}
