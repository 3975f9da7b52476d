import Foundation
import XCTVapor

@testable import Platform

/// The single authorization table decides every permission for every role.
final class AuthorizationTableTests: KexieTestCase {

    func testEveryRegisteredPermissionHasAnExplicitDecisionForEveryRole() {
        let registered = Set(app.platform.registry.roles.permissions.map(\.id))
        XCTAssertGreaterThanOrEqual(registered.count, 27)
        let table = AuthorizationTable.decisions
        for permission in registered.sorted() {
            let row = table[permission]
            XCTAssertNotNil(row, "\(permission) has no row in AuthorizationTable")
            for role in RoleID.allCases {
                XCTAssertNotNil(row?[role], "\(permission) has no decision for \(role.rawValue)")
            }
        }
        for permission in table.keys.sorted() {
            XCTAssertTrue(registered.contains(permission), "the table decides \(permission), which no module registers")
        }
        let cells = AuthorizationTable.text.split(separator: "\n").dropFirst().flatMap { $0.split(separator: " ").dropFirst() }
        XCTAssertEqual(cells.count, table.count * RoleID.allCases.count, "every cell is allow or deny, nothing else")
        XCTAssertTrue(cells.allSatisfy { $0 == "allow" || $0 == "deny" })
    }

    func testTheTableKeepsTheThreeAdministratorsApartAndOrdinaryAccountsOutOfAdministration() {
        XCTAssertEqual(AuthorizationTable.roles(allowed: "platform.audit.read"), [.auditor])
        let auditor = app.platform.registry.roles.permissions(of: .auditor)
        XCTAssertEqual(auditor, ["platform.audit.read"], "the auditor only reads the audit log")
        for role in [RoleID.member, .enterprise] {
            let held = app.platform.registry.roles.permissions(of: role)
            XCTAssertEqual(held, ["innovation.post"], "\(role.rawValue) holds only posting supplies and demands")
        }
        // Experts also see 我的评审 in the navigation (the pages check the assignment's account, not this).
        XCTAssertEqual(
            app.platform.registry.roles.permissions(of: .expert), ["innovation.post", "platform.review.participate"],
            "experts hold only posting and the 我的评审 entry")
        XCTAssertFalse(RoleID.grantable(by: .sysadmin).contains(.secadmin))
        XCTAssertFalse(RoleID.grantable(by: .sysadmin).contains(.auditor))
        XCTAssertEqual(RoleID.grantable(by: .secadmin), [.secadmin, .auditor])
    }
}
