import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// A staff member who sees a case they cannot act on is told whose turn it is.
final class WaitingReasonTests: DemoTestCase {
    func testStaffWhoCannotActAreToldWhoseTurnItIs() async throws {
        let submitted = try await Browser(app).post(
            "/service/new",
            [
                "type": "suggestion", "title": "建议开放科技馆夜场", "content": "建议科技馆每周五开放夜场，方便上班族参观。",
                "contactName": "赵六", "contactPhone": "13600002222",
            ])
        XCTAssertEqual(submitted.status, .created)
        let found = try await ServiceCase.query(on: app.db).filter(\.$title == "建议开放科技馆夜场").first()
        let record = try XCTUnwrap(found)
        let staff = try await loggedIn("demo.staff")
        let page = try await staff.get("/service/cases/\(try record.requireID())")
        XCTAssertEqual(page.status, .ok)
        XCTAssertNil(page.page.element(id: "do-accept"), "only the office accepts")
        XCTAssertEqual(page.page.element(id: "case-waiting")?.text, "等待云海省科学技术协会办公室受理（受理期限 2026-11-25）")

        let office = try await loggedIn("demo.orgadmin")
        let officePage = try await office.get("/service/cases/\(try record.requireID())").page
        XCTAssertNotNil(officePage.element(id: "do-accept"))
        XCTAssertNil(officePage.element(id: "case-waiting"), "the office has steps to take")
        XCTAssertEqual(officePage.element(id: "comment-reject")?.tag, "textarea", "a refusal's reason is a paragraph")
    }
}
