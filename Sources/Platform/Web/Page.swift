import Foundation
import Vapor

/// The frame around every page: who is logged in, for which organization, and the navigation the
/// modules registered, filtered by permission.
public struct PageShell: Encodable, Sendable {
    public struct NavItem: Encodable, Sendable {
        let label: String
        let path: String
        let active: Bool
    }

    /// A channel of the main navigation with the items this actor may open.
    public struct NavGroup: Encodable, Sendable {
        let id: String
        let label: String
        let items: [NavItem]
        var active: Bool { items.contains(where: \.active) }
    }

    /// One step of the 当前位置 trail; the last has no link.
    public struct Crumb: Encodable, Sendable {
        let label: String
        let path: String?
    }

    public struct ActingChoice: Encodable, Sendable {
        let grantID: String
        let label: String
        let selected: Bool
    }

    public let title: String
    public let userName: String?
    public let actingOrganization: String?
    public let actingRoles: String?
    public let choices: [ActingChoice]
    public let hasChoices: Bool
    public let nav: [NavGroup]
    /// 当前位置 below the home page: 首页 › channel › item › page.
    public let breadcrumb: [Crumb]
    /// 关怀模式 (larger text, higher contrast, simpler chrome), remembered in a cookie.
    public let careMode: Bool
    /// The page's own path and query, where the 关怀模式 switch comes back to.
    public let currentLocation: String
    public let careModePath: String
    /// Whether the account menu offers API 令牌 (roles that use the API).
    public let showsTokens: Bool
    public let csrf: String
    public let notice: String?
    public let loginPath: String
    public let signupPath: String
    public let logoutPath: String
    public let passwordPath: String
    public let tokensPath: String
    public let secondFactorPath: String
    public let actingPath: String
    public let homePath: String
    public let inboxPath: String
    /// Unread 站内信 of the logged-in user, shown in the header.
    public let unread: Int
    /// The footer the system administrator keeps (from memory, see `SiteFooterCache`).
    public let footer: SiteFooter

    public static func build(for request: Request, title: String) async -> PageShell {
        let actor = request.optionalActor
        let currentPath = request.url.path
        let registry = request.platform.registry
        let visible = (actor == nil ? [] : registry.navigation).filter { entry in entry.permission.map { actor?.can($0) ?? false } ?? true }
        let nav = groups(visible, currentPath: currentPath)
        var unread = 0
        if let actor {
            if let counted = request.unreadMessages {
                unread = counted
            } else {
                unread = (try? await Inbox(db: request.db).unreadCount(userID: actor.userID)) ?? 0
            }
        }
        let choices =
            actor?.actingChoices.map { grant in
                ActingChoice(
                    grantID: grant.id.uuidString, label: grant.organizationName,
                    selected: grant.organizationID == actor?.actingOrganizationID)
            } ?? []
        let query = request.url.query.map { "?" + $0 } ?? ""
        // Decoding the query costs as much as a page's rows; only a redirect after a change carries a notice.
        let noticeCode = query.contains("notice=") ? request.query[String.self, at: "notice"] : nil
        return PageShell(
            title: title, userName: actor?.displayName, actingOrganization: actor?.acting?.organizationName,
            actingRoles: actor.map { $0.roles.map(\.label).sorted().joined(separator: "、") },
            choices: choices, hasChoices: choices.count > 1, nav: nav,
            breadcrumb: breadcrumb(title: title, currentPath: currentPath, entries: registry.navigation, visible: visible),
            careMode: request.cookies[CookieName.careMode]?.string == "on",
            currentLocation: LocalRedirect.target(currentPath + query) ?? currentPath,
            careModePath: PlatformRoutes.careMode(),
            showsTokens: actor?.grants.contains { $0.role.usesAPI } ?? false,
            csrf: request.csrfToken,
            notice: Notice.message(for: noticeCode) ?? noticeCode.flatMap { registry.notices[$0] },
            loginPath: PlatformRoutes.login(), signupPath: PlatformRoutes.signup(),
            logoutPath: PlatformRoutes.logout(), passwordPath: PlatformRoutes.changePassword(),
            tokensPath: PlatformRoutes.tokens(), secondFactorPath: PlatformRoutes.secondFactorSetup(),
            actingPath: PlatformRoutes.actingOrganization(),
            homePath: PlatformRoutes.home(), inboxPath: PlatformRoutes.inbox(),
            unread: unread, footer: await request.platform.siteFooter.current(on: request.db, now: request.platform.clock()))
    }

    /// Whether `entry` is the page at `path` or a page below it (the home entry only for `/` itself).
    static func covers(_ entry: NavigationEntry, _ path: String) -> Bool {
        entry.path == "/" ? path == "/" : path == entry.path || path.hasPrefix(entry.path + "/")
    }

    /// The visible entries by channel, channels in their order; the entry covering the page is active
    /// (the longest match, so 我的发布 and not 科创对接 on /innovation/mine).
    static func groups(_ entries: [NavigationEntry], currentPath: String) -> [NavGroup] {
        let active = entries.filter { covers($0, currentPath) }.max { $0.path.count < $1.path.count }
        var grouped: [NavigationGroup: [NavItem]] = [:]
        for entry in entries {
            grouped[entry.group, default: []].append(
                NavItem(label: entry.label, path: entry.path, active: active.map { $0.path == entry.path } ?? false))
        }
        return grouped.keys.sorted { $0.order < $1.order }.map { group in
            NavGroup(id: group.id, label: group.label, items: grouped[group] ?? [])
        }
    }

    /// 首页 › channel › item › page: the item is the registered entry covering the page (linked when
    /// the actor may open it), left out when it is the page itself; pages outside every entry get
    /// 首页 › page.
    static func breadcrumb(title: String, currentPath: String, entries: [NavigationEntry], visible: [NavigationEntry]) -> [Crumb] {
        guard currentPath != "/" else { return [] }
        var trail = [Crumb(label: "首页", path: PlatformRoutes.home())]
        if let entry = entries.filter({ $0.path != "/" && covers($0, currentPath) }).max(by: { $0.path.count < $1.path.count }) {
            trail.append(Crumb(label: entry.group.label, path: nil))
            if entry.path != currentPath {
                trail.append(Crumb(label: entry.label, path: visible.contains { $0.path == entry.path } ? entry.path : nil))
            }
        }
        trail.append(Crumb(label: title, path: nil))
        return trail
    }
}

/// Short confirmations shown after a redirect ("已保存"). Only known codes are shown, so a crafted link
/// cannot put arbitrary text on the page.
public enum Notice {
    static let messages: [String: String] = [
        "saved": "已保存",
        "created": "已创建",
        "deactivated": "已停用",
        "moved": "已移动",
        "granted": "已授予角色",
        "revoked": "已撤销",
        "password_changed": "密码已修改，您在其他设备上的登录已退出",
        "password_reset": "已重置密码，请将临时密码告知本人，本人登录后须修改",
        "unlocked": "已解除锁定",
        "second_factor_reset": "已重置身份验证器，该账号下次登录时需重新绑定",
        "welcome": "注册成功，欢迎使用智慧科协",
        "setup_done": "系统管理员已创建，请登录",
        "switched": "已切换当前组织",
        "form_published": "已发布，填写者从现在起填写新版本",
        "form_closed": "已停止收集",
        "form_submitted": "提交成功，感谢您的填写",
        "field_added": "已添加字段",
        "field_deleted": "已删除字段",
    ]

    public static func message(for code: String?) -> String? {
        code.flatMap { messages[$0] }
    }
}

struct ErrorPage: Sendable {
    let shell: PageShell
    let status: Int
    let heading: String
    let message: String
}

/// zh-CN display of dates and times in China Standard Time.
public enum ChineseDate {
    public static func dateTime(_ date: Date?) -> String {
        guard let date else { return "—" }
        let c = Calendar.china.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    /// The date as tables, lists and timelines show it: `2026-11-18` (prose uses `date`, 2026年11月18日).
    public static func day(_ date: Date?) -> String {
        guard let date else { return "—" }
        let c = Calendar.china.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// The date in prose: 2026年11月18日.
    public static func date(_ date: Date?) -> String {
        guard let date else { return "—" }
        let c = Calendar.china.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d年%d月%d日", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    /// Parses "YYYY-MM-DD" as the start of that day in China Standard Time.
    public static func parseDay(_ text: String?) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return Calendar.china.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
