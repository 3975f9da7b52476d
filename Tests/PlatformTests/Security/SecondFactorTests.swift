import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// 身份鉴别: the authenticator is mandatory for administrators, a code cannot be replayed, wrong codes
/// lock the account like wrong passwords, recovery codes work once.
final class SecondFactorTests: DemoTestCase {

    private func passwordStep(_ browser: Browser, _ username: String) async throws -> XCTHTTPResponse {
        try await browser.post("/login", ["identifier": username, "password": demo.accounts[username]!])
    }

    private func totp(_ username: String) throws -> KexieKit.TOTP {
        try XCTUnwrap(app.storage[DemoSecretsKey.self]?[username].flatMap { KexieKit.TOTP(base32Secret: $0) })
    }

    func testAnAdministratorGetsNothingBeforeTheCodeAndACodeWorksOnlyOnce() async throws {
        let browser = Browser(app)
        let first = try await passwordStep(browser, "demo.sysadmin")
        XCTAssertEqual(first.location, "/login/second-factor")
        let blocked = try await browser.get("/admin/users")
        XCTAssertEqual(blocked.status, HTTPStatus.seeOther, "the half-open session acts for nobody")
        let code = try totp("demo.sysadmin").code(at: clock.now)
        let answered = try await browser.post("/login/second-factor", ["code": code])
        XCTAssertEqual(answered.status, .seeOther)
        let users = try await browser.get("/admin/users")
        XCTAssertEqual(users.status, .ok)
        let step = try await AuditEntry.query(on: app.db).filter(\.$action == "login.second_factor").first()
        XCTAssertEqual(step?.actorName, "演示系统管理员", "the code step names the person, not 匿名")

        // The same code, seen over a shoulder and typed again in the same 30 seconds, is refused.
        let thief = Browser(app)
        thief.address = "127.0.0.88"
        _ = try await passwordStep(thief, "demo.sysadmin")
        let replay = try await thief.post("/login/second-factor", ["code": code])
        XCTAssertEqual(replay.status, HTTPStatus.unauthorized)
        XCTAssertTrue(replay.body.string.contains("验证码不正确或已使用过"))
        let stillBlocked = try await thief.get("/admin/users")
        XCTAssertEqual(stillBlocked.status, .seeOther)
    }

    func testWrongCodesLockTheAccountAndEndTheHalfOpenSession() async throws {
        let browser = Browser(app)
        _ = try await passwordStep(browser, "demo.secadmin")
        for attempt in 1..<app.platform.configuration.maxLoginFailures {
            let wrong = try await browser.post("/login/second-factor", ["code": "000000"])
            XCTAssertEqual(wrong.status, .unauthorized, "attempt \(attempt)")
        }
        let locked = try await browser.post("/login/second-factor", ["code": "000000"])
        XCTAssertEqual(locked.status, .tooManyRequests)
        XCTAssertTrue(locked.body.string.contains("已被暂时锁定"))
        // Even the right password and code are refused now.
        let again = Browser(app)
        let password = try await passwordStep(again, "demo.secadmin")
        XCTAssertEqual(password.status, .tooManyRequests)
        let failures = try await AuditEntry.query(on: app.db).filter(\.$action == "login.second_factor_failure").count()
        XCTAssertEqual(failures, app.platform.configuration.maxLoginFailures)
    }

    func testAnAdministratorWithoutAnAuthenticatorMustBindOneAndGetsRecoveryCodesThatWorkOnce() async throws {
        // A new organization administrator made by the province's administrator.
        let admin = try await loggedIn("demo.orgadmin")
        let created = try await admin.post(
            "/admin/users",
            [
                "username": "qingshi.admin", "displayName": "青石县新管理员", "contact": "", "role": "orgadmin",
                "organizationID": try demo.county1.requireID().uuidString,
            ])
        XCTAssertEqual(created.status, .ok)
        let temporary = try XCTUnwrap(created.body.string.firstMatch(of: #/id="temporary-password">([^<]+)</#)?.1).description
        let newcomer = Browser(app)
        try await newcomer.login("qingshi.admin", temporary)
        let changed = try await newcomer.post(
            "/account/password", ["current": temporary, "password": "Kexie#Safe2026", "confirm": "Kexie#Safe2026"])
        XCTAssertEqual(changed.status, HTTPStatus.seeOther, changed.body.string)
        let led = try await newcomer.get("/admin/organizations")
        XCTAssertEqual(led.location, "/account/second-factor", "every page leads to enrolment")
        let qr = try await newcomer.get("/account/second-factor/qr.svg")
        XCTAssertEqual(qr.headers.contentType?.subType, "svg+xml")
        XCTAssertTrue(qr.body.string.hasPrefix("<svg"))
        XCTAssertEqual(qr.headers.first(name: .cacheControl), "no-store")

        let wrong = try await newcomer.post("/account/second-factor", ["code": "123456"])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.string.contains("id=\"code-error\""))
        let totp = try await newcomer.enrolSecondFactor()
        let page = try await newcomer.get("/account/second-factor")
        XCTAssertTrue(page.body.string.contains("data-enrolled=\"yes\""))
        XCTAssertTrue(page.body.string.contains("<strong id=\"recovery-left\">10</strong>"))
        let works = try await newcomer.get("/admin/organizations")
        XCTAssertEqual(works.status, .ok)
        let noSecretAnyMore = try await newcomer.get("/account/second-factor/qr.svg")
        XCTAssertEqual(noSecretAnyMore.status, .notFound, "a bound secret is never shown again")
        let stored = try await SecondFactor.query(on: app.db).all()
        XCTAssertFalse(stored.contains { $0.secretCipher.contains(totp.base32Secret) }, "the secret is sealed at rest")
        let bound = try await SecondFactor.query(on: app.db).filter(\.$confirmedAt != nil).all()
        XCTAssertEqual(bound.count, 8, "seven demo administrators and the newcomer")
    }

    func testRecoveryCodesReplaceTheAuthenticatorOnce() async throws {
        let staff = try await loggedIn("demo.staff")
        // Optional for everyone else: the staff member binds one voluntarily.
        let page = try await staff.get("/account/second-factor")
        XCTAssertFalse(page.body.string.contains("必须绑定身份验证器"))
        let html = page.body.string
        let secret = try XCTUnwrap(html.firstMatch(of: #/<code id="secret">([A-Z2-7 ]+)</code>/#)?.1).replacingOccurrences(
            of: " ", with: "")
        let totp = try XCTUnwrap(KexieKit.TOTP(base32Secret: secret))
        let bound = try await staff.post("/account/second-factor", ["code": totp.code(at: clock.now)])
        let codes = bound.body.string.matches(of: #/<li><code>([a-z2-9-]+)</code></li>/#).map { String($0.1) }
        XCTAssertEqual(codes.count, 10)

        let phoneless = Browser(app)
        phoneless.address = "127.0.0.91"
        let password = try await passwordStep(phoneless, "demo.staff")
        XCTAssertEqual(password.location, "/login/second-factor", "once bound, the staff member gives a code too")
        let recovered = try await phoneless.post("/login/second-factor", ["code": codes[0].uppercased()])
        XCTAssertEqual(recovered.status, .seeOther)
        let used = Browser(app)
        used.address = "127.0.0.92"
        _ = try await passwordStep(used, "demo.staff")
        let twice = try await used.post("/login/second-factor", ["code": codes[0]])
        XCTAssertEqual(twice.status, .unauthorized, "a recovery code works once")
        let stored = try await RecoveryCode.query(on: app.db).all()
        XCTAssertFalse(stored.contains { codes.contains($0.codeHash) }, "only keyed hashes are stored")
    }
}

/// A lost authenticator: an administrator who may manage the account resets it; nobody else can.
final class SecondFactorResetTests: DemoTestCase {
    func testAnAdministratorResetsTheAuthenticatorOfAnAccountTheyManageOnly() async throws {
        let county = try await User.query(on: app.db).filter(\.$username == "demo.county1").first()!
        let countyID = try county.requireID()
        let province = try await loggedIn("demo.orgadmin")
        let page = try await province.get("/admin/users/\(countyID)")
        XCTAssertTrue(page.body.string.contains("id=\"reset-second-factor\""))
        let reset = try await province.post("/admin/users/\(countyID)/reset-second-factor", [:])
        XCTAssertEqual(reset.location, "/admin/users/\(countyID)?notice=second_factor_reset")
        let left = try await SecondFactor.query(on: app.db).filter(\.$userID == countyID).count()
        XCTAssertEqual(left, 0)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$action == "second_factor.reset").count()
        XCTAssertEqual(audited, 1)
        // The county administrator logs in with the password alone and is led to bind a new one.
        let again = Browser(app)
        try await again.login("demo.county1", demo.accounts["demo.county1"]!)
        let led = try await again.get("/")
        XCTAssertEqual(led.location, "/account/second-factor")

        // Over whom: a county administrator cannot reset the province administrator's authenticator.
        let orgadmin = try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!
        let other = try await loggedIn("demo.county2")
        let refused = try await other.post("/admin/users/\(try orgadmin.requireID())/reset-second-factor", [:])
        XCTAssertTrue([.forbidden, .notFound].contains(refused.status))
        let kept = try await SecondFactor.query(on: app.db).filter(\.$userID == (try orgadmin.requireID())).count()
        XCTAssertEqual(kept, 1)
    }
}

/// The authenticator pages refuse oversized bodies unread and say in words what is there.
final class SecondFactorPagesTests: DemoTestCase {
    func testTheCodeStepsTakeSmallBodiesOnly() async throws {
        let big = String(repeating: "1", count: 64 * 1024)
        let pending = Browser(app)
        _ = try await pending.post("/login", ["identifier": "demo.sysadmin", "password": demo.accounts["demo.sysadmin"]!])
        let login = try await pending.post("/login/second-factor", ["code": big])
        XCTAssertEqual(login.status, .payloadTooLarge)
        let staff = try await loggedIn("demo.staff")
        let enrol = try await staff.post("/account/second-factor", ["code": big])
        XCTAssertEqual(enrol.status, .payloadTooLarge)
        let count = try await SecondFactor.query(on: app.db).filter(\.$confirmedAt != nil).count()
        XCTAssertEqual(count, 7, "nothing was bound")
    }

    func testAnEnrolledAdministratorReadsTheStateInWords() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/account/second-factor")
        XCTAssertTrue(page.body.string.contains("data-enrolled=\"yes\""))
        XCTAssertTrue(page.body.string.contains("<strong id=\"recovery-left\" data-left=\"0\">没有可用的恢复码</strong>"))
        XCTAssertTrue(page.body.string.contains("id=\"second-factor-link\""), "the header leads to the page")
        XCTAssertFalse(page.body.string.contains("<img"), "no QR code for a bound authenticator")
    }
}
