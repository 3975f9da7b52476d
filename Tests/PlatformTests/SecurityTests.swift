import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

final class SecurityTests: DemoTestCase {

    func testAPostWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        let admin = Browser(app)
        try await admin.login("demo.orgadmin", demo.accounts["demo.orgadmin"]!)
        let county = try demo.county1.requireID()
        let forged = try await admin.post("/admin/organizations/\(county)/deactivate", [:], includeCSRF: false)
        XCTAssertEqual(forged.status, .forbidden)
        XCTAssertTrue(forged.body.string.contains("表单已过期或来源不可信"))
        let wrong = try await admin.post(
            "/admin/organizations/\(county)/deactivate", ["_csrf": String(repeating: "x", count: 43)], includeCSRF: false)
        XCTAssertEqual(wrong.status, .forbidden)
        let org = try await Organization.find(county, on: app.db)
        XCTAssertEqual(org?.isActive, true)
        let anonymousLogin = try await Browser(app).post("/login", ["identifier": "demo.staff", "password": "x"], includeCSRF: false)
        XCTAssertEqual(anonymousLogin.status, .forbidden, "log-in form is protected too")
    }

    func testEveryPageCarriesSecurityHeadersWithoutInlineScript() async throws {
        let browser = Browser(app)
        for path in ["/login", "/healthz", "/no-such-page", "/api/v1/me"] {
            let response = try await browser.get(path)
            let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
            XCTAssertTrue(csp.contains("script-src 'self'"), path)
            XCTAssertFalse(csp.contains("unsafe-inline"), path)
            XCTAssertTrue(csp.contains("frame-ancestors 'none'"), path)
            XCTAssertEqual(response.headers.first(name: "X-Content-Type-Options"), "nosniff", path)
            XCTAssertEqual(response.headers.first(name: "X-Frame-Options"), "DENY", path)
            XCTAssertEqual(response.headers.first(name: "Referrer-Policy"), "same-origin", path)
        }
        let login = try await browser.get("/login")
        XCTAssertFalse(login.body.string.contains("<script>"), "no inline script")
        XCTAssertNil(login.headers.first(name: "Strict-Transport-Security"), "no HSTS over plain HTTP")
        let secure = try await Browser(app).get("/login", headers: ["X-Forwarded-Proto": "https"])
        XCTAssertEqual(secure.headers.first(name: "Strict-Transport-Security"), "max-age=31536000")
        XCTAssertEqual(secure.headers.setCookie?["kexie_csrf"]?.isSecure, true, "cookies are Secure behind HTTPS")
    }

    func testErrorPagesAreChineseWithoutInternals() async throws {
        let browser = Browser(app)
        let missing = try await browser.get("/no-such-page")
        XCTAssertEqual(missing.status, .notFound)
        XCTAssertTrue(missing.body.string.contains("页面不存在"))
        let member = Browser(app)
        try await member.login("demo.member", demo.accounts["demo.member"]!)
        let forbidden = try await member.get("/admin/organizations")
        XCTAssertEqual(forbidden.status, .forbidden)
        XCTAssertTrue(forbidden.body.string.contains("您没有权限执行此操作"))
        let anonymous = try await Browser(app).get("/admin/organizations")
        XCTAssertEqual(anonymous.status, .seeOther)
        XCTAssertEqual(anonymous.location, "/login?next=%2Fadmin%2Forganizations")
    }

    func testSeparationOfTheThreeAdministrators() async throws {
        let sys = Browser(app)
        try await sys.login("demo.sysadmin", demo.accounts["demo.sysadmin"]!)
        let auditBySys = try await sys.get("/admin/audit")
        XCTAssertEqual(auditBySys.status, .forbidden, "the system administrator cannot read the audit log")
        let member = try await User.query(on: app.db).filter(\.$username == "demo.member").first()!
        let province = try demo.province.requireID().uuidString
        let grantSecurity = try await sys.post(
            "/admin/users/\(try member.requireID())/grants", ["role": "auditor", "organizationID": province])
        XCTAssertEqual(grantSecurity.status, .forbidden, "nor grant security roles")
        let grantStaff = try await sys.post("/admin/users/\(try member.requireID())/grants", ["role": "staff", "organizationID": province])
        XCTAssertEqual(grantStaff.status, .seeOther)

        let auditor = Browser(app)
        try await auditor.login("demo.auditor", demo.accounts["demo.auditor"]!)
        let log = try await auditor.get("/admin/audit")
        XCTAssertEqual(log.status, .ok)
        XCTAssertTrue(log.body.string.contains("授予 工作人员"))
        let orgsByAuditor = try await auditor.get("/admin/organizations")
        XCTAssertEqual(orgsByAuditor.status, .forbidden, "the auditor only reads the audit log")
        let usersByAuditor = try await auditor.get("/admin/users")
        XCTAssertEqual(usersByAuditor.status, .forbidden)

        let sec = Browser(app)
        try await sec.login("demo.secadmin", demo.accounts["demo.secadmin"]!)
        let grantAuditor = try await sec.post(
            "/admin/users/\(try member.requireID())/grants", ["role": "auditor", "organizationID": province])
        XCTAssertEqual(grantAuditor.status, .forbidden, "not to an account holding roles the security administrator cannot grant")
        let newAuditor = try await sec.post(
            "/admin/users",
            ["username": "audit.second", "displayName": "第二审计员", "contact": "", "role": "auditor", "organizationID": province])
        XCTAssertEqual(newAuditor.status, .ok, "the security administrator makes security accounts")
        let auditBySec = try await sec.get("/admin/audit")
        XCTAssertEqual(auditBySec.status, .forbidden)
    }
}

final class AuditTests: DemoTestCase {

    func testChangesAreRecordedWithActorOrganizationAndAddress() async throws {
        let admin = Browser(app)
        admin.address = "127.0.0.77"
        try await admin.login("demo.orgadmin", demo.accounts["demo.orgadmin"]!)
        _ = try await admin.post(
            "/admin/organizations",
            [
                "name": "云海省海洋生物学会", "kind": "society", "parentID": try demo.province.requireID().uuidString,
            ])
        let org = try await Organization.query(on: app.db).filter(\.$name == "云海省海洋生物学会").first()!
        let entry = try await AuditEntry.query(on: app.db).filter(\.$entityID == org.requireID().uuidString).first()
        XCTAssertEqual(entry?.action, "create")
        XCTAssertEqual(entry?.entityType, "organization")
        XCTAssertEqual(entry?.actorName, "演示省科协管理员")
        XCTAssertEqual(entry?.organizationID, try demo.province.requireID().uuidString)
        XCTAssertEqual(entry?.clientAddress, "127.0.0.77")
        XCTAssertTrue(entry?.summary.contains("云海省海洋生物学会") ?? false)
        let login = try await AuditEntry.query(on: app.db).filter(\.$action == "login.success").first()
        XCTAssertEqual(login?.clientAddress, "127.0.0.77")
        let passwordEntries = try await AuditEntry.query(on: app.db).filter(\.$summary ~~ "$2").count()
        XCTAssertEqual(passwordEntries, 0, "password hashes never reach the log")
    }

    func testTheChainVerifiesAndDetectsAnEditedOrDeletedRow() async throws {
        let intact = try await AuditLog.verify(on: app.db)
        XCTAssertNil(intact.problem)
        XCTAssertGreaterThan(intact.checked, 40)
        guard let sql = app.db as? any SQLDatabase else { return XCTFail("SQL database expected") }
        do {
            try await sql.raw("UPDATE platform_audit_entries SET summary = 'x' WHERE id = 5").run()
            XCTFail("the database refuses updates")
        } catch {}
        do {
            try await sql.raw("DELETE FROM platform_audit_entries WHERE id = 5").run()
            XCTFail("the database refuses deleting recent rows")
        } catch {}
        // An attacker with the database owner's rights can drop the guard; the chain still tells.
        if TestApp.usesPostgres {
            try await sql.raw("ALTER TABLE platform_audit_entries DISABLE TRIGGER platform_audit_guard").run()
        } else {
            try await sql.raw("DROP TRIGGER platform_audit_no_update").run()
            try await sql.raw("DROP TRIGGER platform_audit_keep_180_days").run()
        }
        try await sql.raw("UPDATE platform_audit_entries SET summary = 'x' WHERE id = 5").run()
        let edited = try await AuditLog.verify(on: app.db)
        XCTAssertEqual(edited.problem, "第 5 条记录的内容被修改")
        try await sql.raw("DELETE FROM platform_audit_entries WHERE id = 5").run()
        let deleted = try await AuditLog.verify(on: app.db)
        XCTAssertEqual(deleted.problem, "第 4 条之后缺少记录（下一条为第 6 条）")
    }

    func testDeletingTheNewestRowIsDetectedThroughTheHead() async throws {
        guard let sql = app.db as? any SQLDatabase else { return XCTFail("SQL database expected") }
        if TestApp.usesPostgres {
            try await sql.raw("ALTER TABLE platform_audit_entries DISABLE TRIGGER platform_audit_guard").run()
        } else {
            try await sql.raw("DROP TRIGGER platform_audit_keep_180_days").run()
        }
        try await sql.raw("DELETE FROM platform_audit_entries WHERE id = (SELECT MAX(id) FROM platform_audit_entries)").run()
        let result = try await AuditLog.verify(on: app.db)
        XCTAssertTrue(result.problem?.contains("链尾不一致") ?? false, result.problem ?? "no problem found")
    }

    func testTheAuditorFiltersAndExports() async throws {
        _ = try await Browser(app).post("/login", ["identifier": "demo.member", "password": "Wrong#Pass1"])
        let auditor = Browser(app)
        try await auditor.login("demo.auditor", demo.accounts["demo.auditor"]!)
        let failures = try await auditor.get("/admin/audit?action=login.failure")
        XCTAssertTrue(failures.body.string.contains("登录失败：demo.member"))
        XCTAssertTrue(failures.body.string.contains("共 1 条"))
        let xlsx = try await auditor.get("/admin/audit?action=login.failure&format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[1][5], "登录失败")
        let exports = try await AuditEntry.query(on: app.db).filter(\.$action == "export").filter(\.$summary ~~ "审计日志").count()
        XCTAssertEqual(exports, 1, "exporting the log is itself logged")
    }
}

final class ActingOrganizationTests: DemoTestCase {
    func testAUserWithRolesInSeveralOrganizationsSwitchesWhomTheyActFor() async throws {
        let member = try await User.query(on: app.db).filter(\.$username == "demo.member").first()!
        try await RoleGrant(userID: member.requireID(), role: .orgadmin, organizationID: demo.county2.requireID()).create(on: app.db)
        let browser = Browser(app)
        try await browser.login("demo.member", demo.accounts["demo.member"]!)
        // Holding an administrator role anywhere makes the second factor mandatory: enrol first.
        let led = try await browser.get("/")
        XCTAssertEqual(led.location, "/account/second-factor")
        try await browser.enrolSecondFactor()
        let home = try await browser.get("/")
        XCTAssertTrue(home.body.string.contains("id=\"acting-grant\""), "a switcher appears with two organizations")
        XCTAssertTrue(home.body.string.contains("当前组织：云海省科学技术协会"))
        let refused = try await browser.get("/admin/organizations")
        XCTAssertEqual(refused.status, .forbidden, "a member of the province is no administrator there")
        let grant = try await RoleGrant.query(on: app.db).filter(\.$userID == member.requireID()).filter(\.$role == "orgadmin").first()!
        let switched = try await browser.post("/account/acting-organization", ["grant": try grant.requireID().uuidString])
        XCTAssertEqual(switched.status, .seeOther)
        let after = try await browser.get("/admin/organizations")
        XCTAssertEqual(after.status, .ok)
        XCTAssertTrue(after.body.string.contains("白沙县科学技术协会"))
        XCTAssertFalse(after.body.string.contains("青石县科学技术协会"))
        let foreign = try await RoleGrant.query(on: app.db).filter(\.$role == "sysadmin").first()!
        let stolen = try await browser.post("/account/acting-organization", ["grant": try foreign.requireID().uuidString])
        XCTAssertEqual(stolen.status, .forbidden, "one cannot act under somebody else's grant")
    }
}
