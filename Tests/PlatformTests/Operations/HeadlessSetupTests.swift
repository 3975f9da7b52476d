import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// `kexie setup`'s logic: the link's rules without the link, once only, with its own audit event.
final class HeadlessSetupTests: KexieTestCase {
    private func setUpFromCommandLine(organization: String = "测试省科学技术协会", username: String = "chief", password: String)
        async throws -> FieldErrors
    {
        try await SetupService(db: app.db, services: app.platform).completeFromCommandLine(
            organizationName: organization, username: username, displayName: username, password: password,
            accounts: AccountService(db: app.db, services: app.platform, passwords: app.password.async))
    }

    func testRefusesAWeakPasswordWithThePolicysChineseMessagesAndCreatesNothing() async throws {
        let weak = try await setUpFromCommandLine(password: "short")
        XCTAssertEqual(weak["password"], "密码至少需要 8 个字符；密码需包含大写字母、小写字母、数字、符号中的至少三类")
        let containsName = try await setUpFromCommandLine(password: "Chief#2026")
        XCTAssertEqual(containsName["password"], "密码不能包含用户名")
        let noOrganization = try await setUpFromCommandLine(organization: " ", password: "Kexie#2026x")
        XCTAssertEqual(noOrganization["organizationName"], "请填写本级科协名称，例如：某某省科学技术协会")
        let users = try await User.query(on: app.db).count()
        let organizations = try await Organization.query(on: app.db).count()
        XCTAssertEqual(users, 0)
        XCTAssertEqual(organizations, 0)
    }

    func testCreatesTheRootAndTheAdministratorOnceEndsTheSetupLinkAndIsAudited() async throws {
        let setup = SetupService(db: app.db, services: app.platform)
        let link = try await setup.issueToken()
        let errors = try await setUpFromCommandLine(password: "Kexie#2026x")
        XCTAssertTrue(errors.isEmpty, "\(errors.messages)")

        let user = try await User.query(on: app.db).filter(\.$username == "chief").first()
        let grant = try await RoleGrant.query(on: app.db).filter(\.$userID == user!.requireID()).first()
        XCTAssertEqual(grant?.role, "sysadmin")
        let root = try await Organization.find(grant?.organizationID, on: app.db)
        XCTAssertEqual(root?.name, "测试省科学技术协会")
        XCTAssertNil(root?.parentID)
        let linkStillValid = try await setup.isValid(link)
        XCTAssertFalse(linkStillValid, "the console link stops working")

        let event = try await AuditEntry.query(on: app.db).filter(\.$action == "setup.complete").first()
        XCTAssertEqual(event?.entityID, user?.id?.uuidString)
        XCTAssertTrue(event?.summary.contains("kexie setup") ?? false)
        let verification = try await AuditLog.verify(on: app.db)
        XCTAssertNil(verification.problem)

        // The password works; the system administrator is then sent to bind an authenticator (mandatory).
        let browser = Browser(app)
        try await browser.login("chief", "Kexie#2026x")
        let home = try await browser.get("/")
        XCTAssertEqual(home.location, "/account/second-factor")

        do {
            _ = try await setUpFromCommandLine(username: "second", password: "Kexie#2026y")
            XCTFail("a second setup must be refused")
        } catch PlatformError.setupUnavailable {}
        let users = try await User.query(on: app.db).count()
        XCTAssertEqual(users, 1)
    }
}
