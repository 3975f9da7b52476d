import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// The audit log speaks the reader's language: Chinese action names and the record's kind and title,
/// never a table name or a bare id.
final class AuditNamesTests: DemoTestCase {
    func testEntriesShowTheKindAndTitleOfTheirRecord() async throws {
        let auditor = try await loggedIn("demo.auditor")
        let page = try await auditor.get("/admin/audit?q=\(Browser.encode("name=青石县科学技术协会"))")
        XCTAssertEqual(page.status, .ok)
        let rows = page.page.rows(inTable: "audit-entries")
        let created = try XCTUnwrap(rows.first { $0[5] == "组织《青石县科学技术协会》" }, "rows: \(rows.map { $0[5] })")
        XCTAssertEqual(created[4], "新增")
        // The summary names the parent organization instead of its id.
        XCTAssertTrue(created[6].contains("东港市科学技术协会"), created[6])
        XCTAssertNil(created[6].firstMatch(of: /[0-9A-F]{8}-[0-9A-F]{4}-/), created[6])
        XCTAssertFalse(page.body.string.contains(">organization<"))

        let logins = try await auditor.get("/admin/audit?action=login.success").page.rows(inTable: "audit-entries")
        XCTAssertTrue(logins.contains { $0[4] == "登录成功" && $0[5] == "账号《演示审计管理员》" }, "\(logins.map { $0[5] })")
        // Every kind of record a module audits has a Chinese name.
        let kinds = app.storage[AuditKindsKey.self] ?? [:]
        XCTAssertGreaterThanOrEqual(kinds.count, 35)
        for (type, kind) in kinds {
            XCTAssertTrue(kind.label.unicodeScalars.contains { $0.value >= 0x4E00 }, "\(type) has the label \(kind.label)")
        }
    }
}
