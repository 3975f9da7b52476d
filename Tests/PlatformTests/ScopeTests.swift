import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// A county administrator works inside its own county and cannot list, read, change or delete another
/// county's records, also by guessing identifiers.
final class ScopeTests: DemoTestCase {
    var county: Browser!

    override func setUp() async throws {
        try await super.setUp()
        county = try await loggedIn("demo.county1")
    }

    func testTheListShowsOnlyTheOwnSubtree() async throws {
        let list = try await county.get("/admin/organizations")
        XCTAssertEqual(list.status, .ok)
        XCTAssertTrue(list.body.string.contains("青石县科学技术协会"))
        XCTAssertTrue(list.body.string.contains("青石县热带水果专业技术协会"))
        XCTAssertFalse(list.body.string.contains("白沙县科学技术协会"))
        XCTAssertFalse(list.body.string.contains("云海省医学会"))
        let export = try await county.get("/admin/organizations?format=csv")
        XCTAssertFalse(export.body.string.contains("白沙县"))
    }

    func testAnotherCountysPagesAnswerNotFound() async throws {
        let other = try demo.county2.requireID()
        let page = try await county.get("/admin/organizations/\(other)")
        XCTAssertEqual(page.status, .notFound)
        XCTAssertTrue(page.body.string.contains("不存在或不在您的管理范围内"))
        XCTAssertFalse(page.body.string.contains("白沙县"))
        let edit = try await county.get("/admin/organizations/\(other)/edit")
        XCTAssertEqual(edit.status, .notFound)
    }

    func testAnotherCountyCannotBeChangedMovedDeactivatedOrGivenDepartments() async throws {
        let other = try demo.county2.requireID()
        let own = try demo.county1.requireID()
        let rename = try await county.post("/admin/organizations/\(other)/edit", ["name": "被篡改", "kind": "association", "level": "county"])
        XCTAssertEqual(rename.status, .notFound)
        let deactivate = try await county.post("/admin/organizations/\(other)/deactivate", [:])
        XCTAssertEqual(deactivate.status, .notFound)
        let department = try await county.post("/admin/organizations/\(other)/departments", ["departmentName": "渗透部"])
        XCTAssertEqual(department.status, .notFound)
        let moveIn = try await county.post("/admin/organizations/\(other)/move", ["parentID": own.uuidString])
        XCTAssertEqual(moveIn.status, .notFound)
        let fresh = try await Organization.find(other, on: app.db)
        XCTAssertEqual(fresh?.name, "白沙县科学技术协会")
        XCTAssertEqual(fresh?.isActive, true)
        XCTAssertEqual(fresh?.parentID, demo.city1.id)
        let departments = try await Department.query(on: app.db).filter(\.$organizationID == other).count()
        XCTAssertEqual(departments, 0)
    }

    func testCreatingUnderAnotherCountyIsRefused() async throws {
        let other = try demo.county2.requireID()
        let response = try await county.post(
            "/admin/organizations", ["name": "偷建的农技协", "kind": "rural_tech_association", "parentID": other.uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.string.contains("上级组织不存在或不在您的管理范围内"))
        let created = try await Organization.query(on: app.db).filter(\.$name == "偷建的农技协").count()
        XCTAssertEqual(created, 0)
    }

    func testGuessedIdentifiersTellNothing() async throws {
        let random = try await county.get("/admin/organizations/\(UUID())")
        let real = try await county.get("/admin/organizations/\(try demo.province.requireID())")
        XCTAssertEqual(random.status, .notFound)
        XCTAssertEqual(real.status, .notFound)
        XCTAssertEqual(random.body.string.count, real.body.string.count, "same page whether the record exists or not")
    }

    func testOtherCountysUsersAreInvisible() async throws {
        let otherAdmin = try await User.query(on: app.db).filter(\.$username == "demo.county2").first()!
        let list = try await county.get("/admin/users")
        XCTAssertEqual(list.status, .ok)
        XCTAssertFalse(list.body.string.contains("demo.county2"))
        let page = try await county.get("/admin/users/\(try otherAdmin.requireID())")
        XCTAssertEqual(page.status, .notFound)
        let reset = try await county.post("/admin/users/\(try otherAdmin.requireID())/reset-password", [:])
        XCTAssertEqual(reset.status, .notFound)
    }

    func testTheCountyCanManageItsOwnSubtree() async throws {
        let own = try demo.county1.requireID()
        let created = try await county.post(
            "/admin/organizations", ["name": "青石县第一中学科协", "kind": "university_association", "parentID": own.uuidString])
        XCTAssertEqual(created.status, .seeOther)
        let org = try await Organization.query(on: app.db).filter(\.$name == "青石县第一中学科协").first()
        XCTAssertEqual(org?.parentID, own)
        XCTAssertTrue(org?.path.hasPrefix(demo.county1.path) ?? false)
    }
}
