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
        // The work home (`/` is the visitors' portal once a session has ended).
        let adminPage = try await admin.get("/workbench")
        XCTAssertEqual(adminPage.status, .seeOther, "15 idle minutes end an administrator's session")
        XCTAssertEqual(adminPage.location, "/login?next=%2Fworkbench")
        let staffPage = try await staff.get("/workbench")
        XCTAssertEqual(staffPage.status, .ok, "other accounts keep 30 minutes")
        clock.advance(minutes: 31)
        let later = try await staff.get("/workbench")
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
        XCTAssertEqual(try write.content.decode(APIErrorBody.self).error.code, "platform.read_only_token")
        XCTAssertTrue(write.body.string.contains("只读令牌只能查询"))
        clock.advance(minutes: 90 * 24 * 60 + 1)
        let expired = try await app.testable().sendRequest(.GET, "/api/v1/me", headers: headers)
        XCTAssertEqual(expired.status, .unauthorized)
        let issued = try await AuditEntry.query(on: app.db).filter(\.$action == "token.issue").count()
        XCTAssertEqual(issued, 1, "issuing a token is audited")
    }
}

/// The audit log is read per subtree: a county's auditor sees the county's entries, the root auditor all.
final class AuditScopeTests: DemoTestCase {
    func testACountyAuditorReadsOnlyTheCountysEntries() async throws {
        let sec = try await loggedIn("demo.secadmin")
        let made = try await sec.post(
            "/admin/users",
            [
                "username": "qingshi.audit", "displayName": "青石县审计员", "contact": "", "role": "auditor",
                "organizationID": try demo.county1.requireID().uuidString,
            ])
        XCTAssertEqual(made.status, .ok)
        let temporary = try XCTUnwrap(made.body.string.firstMatch(of: #/id="temporary-password">([^<]+)</#)?.1).description
        // Entries in the county (an organization change by its administrator) and at the province.
        let county = try await loggedIn("demo.county1")
        let countyChange = try await county.post(
            "/admin/organizations",
            ["name": "青石县农技协", "kind": "rural_tech_association", "parentID": try demo.county1.requireID().uuidString])
        XCTAssertEqual(countyChange.status, .seeOther)
        let province = try await loggedIn("demo.orgadmin")
        _ = try await province.post(
            "/admin/organizations", ["name": "云海省海洋生物学会", "kind": "society", "parentID": try demo.province.requireID().uuidString])

        let auditor = Browser(app)
        try await auditor.login("qingshi.audit", temporary)
        _ = try await auditor.post(
            "/account/password", ["current": temporary, "password": "Audit#Qingshi26", "confirm": "Audit#Qingshi26"])
        try await auditor.enrolSecondFactor()
        let log = try await auditor.get("/admin/audit?q=" + Browser.encode("农技协"))
        XCTAssertEqual(log.status, .ok)
        XCTAssertTrue(log.body.string.contains("青石县农技协"), "the county's own entries")
        let other = try await auditor.get("/admin/audit?q=" + Browser.encode("海洋生物学会"))
        XCTAssertFalse(other.body.string.contains("云海省海洋生物学会"), "not the province's")
        let root = try await loggedIn("demo.auditor")
        let all = try await root.get("/admin/audit?q=" + Browser.encode("海洋生物学会"))
        XCTAssertTrue(all.body.string.contains("云海省海洋生物学会"), "the root auditor reads everything")
    }
}

/// Every state change leaves an audit row: workflow steps (all processes), and records that used to be
/// written without one (dockings, pushes, targets, evidence, attachments).
final class AuditCoverageTests: DemoTestCase {
    func testAWorkflowStepAndAnAttachmentAreAudited() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let posted = try await enterprise.post("/innovation/postings", PostingPagesTests.demandForm())
        XCTAssertEqual(posted.status, .seeOther)
        let steps = try await AuditEntry.query(on: app.db).filter(\.$action == "workflow.step").all()
        XCTAssertTrue(steps.contains { $0.summary == "提交审核：草稿 → 待审核" }, steps.map(\.summary).joined(separator: " | "))

        var body = Data()
        let boundary = "XB"
        func part(_ name: String, _ value: String) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for (key, value) in [
            "type": "appeal", "title": "职称评审材料退回", "content": "我的高级职称评审材料被退回，希望了解原因和补充要求。",
            "contactName": "李四", "contactPhone": "13700001111", "isPublic": "no",
        ] {
            part(key, value)
        }
        let visitor = Browser(app)
        _ = try await visitor.get("/service/new")
        part("_csrf", visitor.csrf ?? "")
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"证明.pdf\"\r\nContent-Type: application/pdf\r\n\r\n"
                    .utf8))
        body.append(Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8))
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let sent = try await app.testable().sendRequest(
            .POST, "/service/new",
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Cookie": "kexie_csrf=\(visitor.csrf ?? "")"],
            body: ByteBuffer(data: body))
        XCTAssertEqual(sent.status, .created, String(sent.body.string.prefix(300)))
        let attachment = try await AuditEntry.query(on: app.db).filter(\.$entityType == "stored_file").first()
        XCTAssertNotNil(attachment)
        XCTAssertTrue(attachment?.summary.contains("content=（已隐藏）") ?? false, attachment?.summary ?? "")
    }
}
