import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// The header every page shares: the main navigation in at most eight channels, 当前位置 below the home
/// page, the account menu (API 令牌 only for roles that use the API) and the 关怀模式 switch.
final class NavigationTests: DemoTestCase {
    private func groups(_ page: ParsedPage) -> [String] {
        page.elements(attribute: "data-nav-group").compactMap { $0.attribute("data-nav-group") }
    }

    func testTheMainNavigationGroupsTheAdministratorsEntriesIntoChannels() async throws {
        let page = try await loggedIn("demo.orgadmin").get("/people").page
        let nav = try XCTUnwrap(page.elements("nav").first { $0.attribute("aria-label") == "主导航" })
        XCTAssertEqual(groups(page), ["workbench", "people", "service", "innovation", "academic", "plans", "statistics", "admin"])
        XCTAssertLessThanOrEqual(groups(page).count, 8)
        let people = try XCTUnwrap(nav.elements(attribute: "data-nav-group", value: "people").first)
        XCTAssertEqual(people.elements("summary").first?.text, "科技工作者")
        XCTAssertEqual(
            people.elements("a").map(\.text), ["科技工作者", "会员管理", "专家库", "三长", "代表委员", "注销申请", "评选举荐", "评选管理", "推荐工作"])
        XCTAssertEqual(people.elements("a").first?.attribute("aria-current"), "page")
        XCTAssertTrue(people.has(class: "active"))
        XCTAssertEqual(nav.element(id: "nav-toggle")?.attribute("aria-controls"), "nav-groups")
    }

    func testAMemberSeesOnlyTheChannelsOfTheirWork() async throws {
        let page = try await loggedIn("demo.member").get("/").page
        XCTAssertEqual(groups(page), ["workbench", "people", "innovation", "academic"])
        let workbench = try XCTUnwrap(page.elements(attribute: "data-nav-group", value: "workbench").first)
        XCTAssertEqual(workbench.elements("a").map(\.text), ["首页", "我的", "我要办事", "我的诉求"])
        XCTAssertNil(page.element(id: "breadcrumb"), "no 当前位置 on the home page")
        XCTAssertNil(page.element(id: "tokens-link"), "a member does not use the API")
        XCTAssertEqual(page.element(id: "account-menu")?.elements("a").map(\.text), ["修改密码", "身份验证器"])
    }

    func testTheBreadcrumbLeadsFromTheHomePageThroughTheChannel() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let list = try await admin.get("/service/rules").page
        let trail = try XCTUnwrap(list.element(id: "breadcrumb"))
        XCTAssertEqual(trail.attribute("aria-label"), "当前位置")
        XCTAssertEqual(trail.elements("li").map(\.text), ["首页", "诉求办理", "分派规则"])
        XCTAssertEqual(trail.elements("a").map { $0.attribute("href") }, ["/"])

        let record = try await admin.get("/admin/organizations/\(try demo.county1.requireID())").page
        let steps = try XCTUnwrap(record.element(id: "breadcrumb")).elements("li")
        XCTAssertEqual(steps.prefix(3).map(\.text), ["首页", "系统管理", "组织机构"])
        XCTAssertEqual(steps[2].elements("a").first?.attribute("href"), "/admin/organizations")
        XCTAssertEqual(steps.last?.attribute("aria-current"), "page")

        let visitor = try await Browser(app).get("/service/track").page
        XCTAssertEqual(visitor.element(id: "breadcrumb")?.elements("li").map(\.text), ["首页", "办理进度查询"])
        XCTAssertTrue(groups(visitor).isEmpty, "visitors get the portal's channels, not the work navigation")
    }

    func testAPITokensSitInTheAccountMenuOfRolesThatUseTheAPI() async throws {
        for (account, shown) in [("demo.orgadmin", true), ("demo.enterprise", true), ("demo.expert", false), ("demo.auditor", false)] {
            let page = try await loggedIn(account).get("/").page
            XCTAssertEqual(page.element(id: "tokens-link") != nil, shown, account)
            XCTAssertNotNil(page.element(id: "inbox-link"), account)
        }
        // The page itself stays open to every account.
        expectEqual(try await loggedIn("demo.member").get("/account/tokens").status, .ok)
    }

    func testCareModeIsASwitchOnEveryPageRememberedInACookie() async throws {
        let visitor = Browser(app)
        let before = try await visitor.get("/service/track").page
        XCTAssertNil(before.elements("html").first?.attribute("data-care-mode"))
        let form = try XCTUnwrap(before.element(id: "care-mode-switch")?.parent)
        XCTAssertEqual(form.attribute("action"), "/care-mode")
        XCTAssertEqual(before.element(id: "care-mode-switch")?.attribute("aria-pressed"), "false")

        let on = try await visitor.post("/care-mode", ["on": "1", "next": "/service/track?code=KX"])
        XCTAssertEqual(on.status, .seeOther)
        XCTAssertEqual(on.location, "/service/track?code=KX")
        let cookie = try XCTUnwrap(on.headers.setCookie?["kexie_care"])
        XCTAssertEqual(cookie.string, "on")
        XCTAssertEqual(cookie.maxAge, 31_536_000)
        let after = try await visitor.get("/service/track")
        XCTAssertEqual(after.page.elements("html").first?.attribute("data-care-mode"), "on")
        XCTAssertEqual(after.page.element(id: "care-mode-switch")?.text, "退出关怀模式")
        XCTAssertEqual(after.page.element(id: "care-mode-switch")?.attribute("aria-pressed"), "true")

        // Another site as `next` is not followed; switching off clears the cookie.
        let off = try await visitor.post("/care-mode", ["on": "0", "next": "//evil.example/"])
        XCTAssertEqual(off.location, "/")
        let cleared = try await visitor.get("/service/track")
        XCTAssertNil(cleared.page.elements("html").first?.attribute("data-care-mode"))
        // Without the form's CSRF token the switch is refused like any other post.
        let forged = try await app.sendRequest(
            .POST, "/care-mode", headers: ["Content-Type": "application/x-www-form-urlencoded"], body: ByteBuffer(string: "on=1"))
        XCTAssertEqual(forged.status, .forbidden)
    }
}
