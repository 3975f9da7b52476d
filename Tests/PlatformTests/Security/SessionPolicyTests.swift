import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// Sessions and tokens end: administrators after 15 idle minutes, everyone after 30; tokens after 90
/// days unless told otherwise; a read-only token cannot change anything.
final class SessionPolicyTests: DemoTestCase {

    func testAdministratorsTimeOutSoonerThanOtherAccounts() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let staff = try await loggedIn("demo.staff")
        clock.advance(minutes: 16)
        let adminPage = try await admin.get("/")
        XCTAssertEqual(adminPage.status, .seeOther, "15 idle minutes end an administrator's session")
        XCTAssertEqual(adminPage.location, "/login?next=%2F")
        let staffPage = try await staff.get("/")
        XCTAssertEqual(staffPage.status, .ok, "other accounts keep 30 minutes")
        clock.advance(minutes: 31)
        let later = try await staff.get("/")
        XCTAssertEqual(later.status, .seeOther)
    }

    func testTokensExpireAfterNinetyDaysByDefaultAndReadOnlyTokensOnlyRead() async throws {
        let staff = try await loggedIn("demo.staff")
        let created = try await staff.post("/account/tokens", ["name": "只读同步", "expiresInDays": "", "readOnly": "yes"])
        XCTAssertEqual(created.status, .ok)
        let token = try XCTUnwrap(created.body.string.firstMatch(of: #/id="new-token">(kx_[A-Za-z0-9_-]+)</#)?.1).description
        XCTAssertTrue(created.body.string.contains("data-access=\"只读\""))
        let record = try await APIToken.query(on: app.db).filter(\.$name == "只读同步").first()!
        let days = record.expiresAt.map { $0.timeIntervalSince(clock.now) / 86_400 }
        XCTAssertEqual(days ?? 0, 90, accuracy: 0.01)
        XCTAssertTrue(record.readOnly)

        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.bearerAuthorization = .init(token: token)
        let read = try await app.testable().sendRequest(.GET, "/api/v1/me", headers: headers)
        XCTAssertEqual(read.status, .ok)
        let write = try await app.testable().sendRequest(
            .POST, "/api/v1/cases", headers: headers,
            body: ByteBuffer(
                string: #"{"type": "suggestion", "title": "只读令牌", "content": "不应保存", "contactName": "王五", "contactPhone": "13700003333"}"#))
        XCTAssertEqual(write.status, .forbidden)
        XCTAssertTrue(write.body.string.contains("只读令牌只能查询"))
        clock.advance(minutes: 90 * 24 * 60 + 1)
        let expired = try await app.testable().sendRequest(.GET, "/api/v1/me", headers: headers)
        XCTAssertEqual(expired.status, .unauthorized)
        let issued = try await AuditEntry.query(on: app.db).filter(\.$action == "token.issue").count()
        XCTAssertEqual(issued, 1, "issuing a token is audited")
    }
}
