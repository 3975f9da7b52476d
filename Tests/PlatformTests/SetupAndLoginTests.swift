import Fluent
import Foundation
import XCTVapor

@testable import Platform

final class SetupTests: KexieTestCase {
    func testSetupLinkCreatesFirstSystemAdministratorOnceAndOnlyWithItsToken() async throws {
        let token = try await SetupService(db: app.db, services: app.platform).issueToken()
        let browser = Browser(app)
        let refused = try await browser.get("/setup?token=wrong")
        XCTAssertEqual(refused.status, .forbidden)
        XCTAssertTrue(refused.body.string.contains("初始化链接无效"))

        let form = try await browser.get("/setup?token=\(token ?? "")")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.string.contains("本级科协名称"))

        let weak = try await browser.post(
            "/setup",
            [
                "token": token ?? "", "organizationName": "测试省科学技术协会", "username": "chief", "displayName": "张主任",
                "password": "short", "confirm": "short",
            ])
        XCTAssertEqual(weak.status, .unprocessableEntity)
        XCTAssertTrue(weak.body.string.contains("密码至少需要 8 个字符"))
        XCTAssertTrue(weak.body.string.contains("value=\"chief\""), "the form keeps what was typed")
        let usersAfterRefusal = try await User.query(on: app.db).count()
        XCTAssertEqual(usersAfterRefusal, 0)

        let done = try await browser.post(
            "/setup",
            [
                "token": token ?? "", "organizationName": "测试省科学技术协会", "username": "chief", "displayName": "张主任",
                "password": "Kexie#2026x", "confirm": "Kexie#2026x",
            ])
        XCTAssertEqual(done.status, .seeOther)
        let user = try await User.query(on: app.db).filter(\.$username == "chief").first()
        let grant = try await RoleGrant.query(on: app.db).filter(\.$userID == user!.requireID()).first()
        XCTAssertEqual(grant?.role, "sysadmin")
        let root = try await Organization.find(grant?.organizationID, on: app.db)
        XCTAssertEqual(root?.name, "测试省科学技术协会")
        XCTAssertNil(root?.parentID)

        let reused = try await browser.get("/setup?token=\(token ?? "")")
        XCTAssertEqual(reused.status, .forbidden, "the link works once")
        let second = try await SetupService(db: app.db, services: app.platform).issueToken()
        XCTAssertNil(second, "no setup token once an account exists")
    }
}

final class LoginTests: DemoTestCase {

    func testLogInByUserNameSetsAnHttpOnlyLaxSessionCookieAndShowsTheHomePage() async throws {
        let browser = Browser(app)
        let response = try await browser.post("/login", ["identifier": "demo.orgadmin", "password": demo.accounts["demo.orgadmin"]!])
        XCTAssertEqual(response.status, .seeOther)
        let cookie = response.headers.setCookie?["kexie_session"]
        XCTAssertNotNil(cookie)
        XCTAssertEqual(cookie?.isHTTPOnly, true)
        XCTAssertEqual(cookie?.sameSite, .lax)
        XCTAssertEqual(response.location, "/login/second-factor", "an administrator gives the authenticator code next")
        // `/` is the visitors' portal: the work home is what must not open before the code.
        let beforeCode = try await browser.get("/workbench")
        XCTAssertEqual(beforeCode.status, .seeOther, "nothing opens before the code")
        try await browser.answerSecondFactor("demo.orgadmin", at: "/login/second-factor")
        let home = try await browser.get("/")
        XCTAssertEqual(home.status, .ok)
        XCTAssertTrue(home.body.string.contains("演示省科协管理员"))
        XCTAssertTrue(home.body.string.contains("本级及下级组织"))
        // 1 province + 4 cities + 8 counties + 10 societies + 6 grassroots + 1 enterprise
        XCTAssertTrue(home.body.string.contains("30 个"), home.body.string)
        let sessions = try await WebSession.query(on: app.db).all()
        XCTAssertFalse(sessions.contains { $0.id == cookie?.string }, "only the hash of the cookie is stored")
    }

    func testLogInByPhoneOrEmailOfASignedUpPerson() async throws {
        let browser = Browser(app)
        let signup = try await browser.post(
            "/signup",
            [
                "displayName": "李研究员", "contact": "138 1234 5678", "password": "Rubber#2026", "confirm": "Rubber#2026", "consent": "yes",
            ])
        XCTAssertEqual(signup.status, .seeOther, signup.body.string)
        let other = Browser(app)
        try await other.login("13812345678", "Rubber#2026")
        let mailUser = Browser(app)
        _ = try await mailUser.post(
            "/signup",
            [
                "displayName": "王工", "contact": "Wang@Example.com", "password": "Rubber#2026", "confirm": "Rubber#2026", "consent": "yes",
            ])
        try await Browser(app).login("wang@example.com", "Rubber#2026")
    }

    func testWrongPasswordSaysSoWithoutRevealingWhetherTheUserExists() async throws {
        let existing = try await Browser(app).post("/login", ["identifier": "demo.member", "password": "Wrong#Pass1"])
        let missing = try await Browser(app).post("/login", ["identifier": "nobody.here", "password": "Wrong#Pass1"])
        XCTAssertEqual(existing.status, .unauthorized)
        XCTAssertEqual(missing.status, .unauthorized)
        XCTAssertTrue(existing.body.string.contains("用户名或密码不正确"))
        XCTAssertTrue(missing.body.string.contains("用户名或密码不正确"))
    }

    func testFiveFailuresLockTheAccountForFifteenMinutesEvenWithTheRightPassword() async throws {
        let password = demo.accounts["demo.member"]!
        for attempt in 1...5 {
            let browser = Browser(app)
            browser.address = "127.0.0.\(20 + attempt)"  // different addresses: the account lock alone
            let response = try await browser.post("/login", ["identifier": "demo.member", "password": "Wrong#\(attempt)aa"])
            XCTAssertEqual(response.status, attempt < 5 ? .unauthorized : .tooManyRequests)
        }
        let locked = try await Browser(app).post("/login", ["identifier": "demo.member", "password": password])
        XCTAssertEqual(locked.status, .tooManyRequests)
        let lockMessage = locked.page.element(id: "login-error")
        XCTAssertEqual(lockMessage?.attribute("class"), "form-error locked")
        XCTAssertTrue(lockMessage?.text.contains("已被暂时锁定") ?? false, lockMessage?.text ?? "")
        XCTAssertTrue(lockMessage?.text.contains("2026-11-18 19:21") ?? false, "says until when: \(lockMessage?.text ?? "")")

        let ghost = Browser(app)
        for _ in 1...5 { _ = try await ghost.post("/login", ["identifier": "ghost.user", "password": "Wrong#Pass1"]) }
        let ghostLocked = try await Browser(app).post("/login", ["identifier": "ghost.user", "password": "Wrong#Pass1"])
        XCTAssertEqual(ghostLocked.status, .tooManyRequests, "a name that does not exist locks the same way")

        clock.advance(minutes: 16)
        try await Browser(app).login("demo.member", password)
        let failures = try await AuditEntry.query(on: app.db).filter(\.$action == "login.failure").count()
        XCTAssertEqual(failures, 10)
    }

    func testFailuresFromOneAddressLockThatAddressAcrossAccounts() async throws {
        let browser = Browser(app)
        browser.address = "127.0.0.99"
        for index in 1...5 { _ = try await browser.post("/login", ["identifier": "someone\(index)", "password": "Wrong#Pass1"]) }
        let blocked = try await browser.post("/login", ["identifier": "demo.staff", "password": demo.accounts["demo.staff"]!])
        XCTAssertEqual(blocked.status, .tooManyRequests)
        let elsewhere = Browser(app)
        try await elsewhere.login("demo.staff", demo.accounts["demo.staff"]!)
    }

    func testAnIdleSessionExpiresAfterThirtyMinutes() async throws {
        let browser = Browser(app)
        try await browser.login("demo.staff", demo.accounts["demo.staff"]!)
        clock.advance(minutes: 20)
        let active = try await browser.get("/")
        XCTAssertEqual(active.status, .ok)
        clock.advance(minutes: 29)
        let stillActive = try await browser.get("/")
        XCTAssertEqual(stillActive.status, .ok, "activity resets the idle timer")
        clock.advance(minutes: 31)
        let expired = try await browser.get("/workbench")
        XCTAssertEqual(expired.status, .seeOther)
        XCTAssertEqual(expired.location, "/login?next=%2Fworkbench")
        let remaining = try await WebSession.query(on: app.db).count()
        XCTAssertEqual(remaining, 0)
    }

    func testLogOutEndsTheSession() async throws {
        let browser = Browser(app)
        try await browser.login("demo.staff", demo.accounts["demo.staff"]!)
        let out = try await browser.post("/logout", [:])
        XCTAssertEqual(out.status, .seeOther)
        let after = try await browser.get("/workbench")
        XCTAssertEqual(after.status, .seeOther)
        let logouts = try await AuditEntry.query(on: app.db).filter(\.$action == "logout").count()
        XCTAssertEqual(logouts, 1)
    }

    func testSignUpExplainsEachPasswordRuleAndKeepsWhatWasTyped() async throws {
        let browser = Browser(app)
        let response = try await browser.post(
            "/signup",
            [
                "displayName": "赵博士", "contact": "13912345678", "password": "abcdefgh", "confirm": "abcdefgh", "consent": "yes",
            ])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.string.contains("密码需包含大写字母、小写字母、数字、符号中的至少三类"))
        XCTAssertTrue(response.body.string.contains("value=\"赵博士\""))
        let badPhone = try await browser.post(
            "/signup",
            [
                "displayName": "赵博士", "contact": "1391234", "password": "Abcdefg#1", "confirm": "Abcdefg#1",
            ])
        XCTAssertTrue(badPhone.body.string.contains("请输入正确的电子邮箱") || badPhone.body.string.contains("手机号"))
        XCTAssertTrue(badPhone.body.string.contains("请阅读并同意个人信息保护说明"))
        let count = try await User.query(on: app.db).count()
        XCTAssertEqual(count, 11, "only the demo accounts exist")
    }

    func testPhoneNumbersAreNotStoredInPlainText() async throws {
        let browser = Browser(app)
        _ = try await browser.post(
            "/signup",
            [
                "displayName": "钱工", "contact": "13700001111", "password": "Rubber#2026", "confirm": "Rubber#2026", "consent": "yes",
            ])
        let user = try await User.query(on: app.db).filter(\.$displayName == "钱工").first()
        XCTAssertNotNil(user?.phoneCipher)
        XCTAssertFalse(user?.phoneCipher?.contains("13700001111") ?? true)
        XCTAssertFalse(user?.phoneLookup?.contains("13700001111") ?? true)
        XCTAssertEqual(try app.platform.secrets.open(user?.phoneCipher ?? ""), "13700001111")
    }

    func testAdministratorResetForcesAPasswordChangeAtNextLogIn() async throws {
        let admin = Browser(app)
        try await admin.login("demo.orgadmin", demo.accounts["demo.orgadmin"]!)
        let staff = try await User.query(on: app.db).filter(\.$username == "demo.staff").first()!
        let reset = try await admin.post("/admin/users/\(try staff.requireID())/reset-password", [:])
        XCTAssertEqual(reset.status, .ok)
        let html = reset.body.string
        guard let range = html.range(of: "id=\"temporary-password\">") else { return XCTFail("no temporary password shown") }
        let temporary = String(html[range.upperBound...].prefix { $0 != "<" })
        XCTAssertFalse(temporary.contains("&"), "temporary passwords avoid characters HTML escapes")
        let person = Browser(app)
        try await person.login("demo.staff", temporary)
        let forced = try await person.get("/")
        XCTAssertEqual(forced.status, .seeOther)
        XCTAssertEqual(forced.location, "/account/password")
        let changed = try await person.post(
            "/account/password", ["current": temporary, "password": "New#Pass2026", "confirm": "New#Pass2026"])
        XCTAssertEqual(changed.status, .seeOther)
        let home = try await person.get("/")
        XCTAssertEqual(home.status, .ok)
    }
}
