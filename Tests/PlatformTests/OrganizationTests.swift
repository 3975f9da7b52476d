import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

final class OrganizationTests: DemoTestCase {
    var admin: Browser!

    override func setUp() async throws {
        try await super.setUp()
        admin = try await loggedIn("demo.orgadmin")
    }

    func testCreatingAnAssociationWithoutALevelIsRefusedBesideTheField() async throws {
        let response = try await admin.post(
            "/admin/organizations", ["name": "某市科协", "kind": "association", "parentID": try demo.province.requireID().uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.string.contains("id=\"level-error\""))
        XCTAssertTrue(response.body.string.contains("科协需选择层级"))
        XCTAssertTrue(response.body.string.contains("value=\"某市科协\""))
    }

    func testRenameMoveAndDeactivateKeepTheTreeConsistent() async throws {
        let county = try demo.county1.requireID()
        let rural = try await Organization.query(on: app.db).filter(\.$name == "青石县热带水果专业技术协会").first()!
        let renamed = try await admin.post(
            "/admin/organizations/\(county)/edit", ["name": "青石县科协", "kind": "association", "level": "county", "region": "东港市青石县"])
        XCTAssertEqual(renamed.status, .seeOther)
        let newCity = try await Organization.query(on: app.db).filter(\.$name == "西林市科学技术协会").first()!
        let moved = try await admin.post("/admin/organizations/\(county)/move", ["parentID": try newCity.requireID().uuidString])
        XCTAssertEqual(moved.status, .seeOther)
        let movedCounty = try await Organization.find(county, on: app.db)!
        let movedRural = try await Organization.find(rural.id, on: app.db)!
        XCTAssertEqual(movedCounty.name, "青石县科协")
        XCTAssertEqual(movedCounty.parentID, newCity.id)
        XCTAssertTrue(movedCounty.path.hasPrefix(newCity.path))
        XCTAssertTrue(movedRural.path.hasPrefix(movedCounty.path), "the subtree moves along")
        XCTAssertEqual(movedRural.depth, movedCounty.depth + 1)

        let intoItself = try await admin.post("/admin/organizations/\(newCity.id!)/move", ["parentID": county.uuidString])
        XCTAssertEqual(intoItself.status, .unprocessableEntity)
        XCTAssertTrue(intoItself.body.string.contains("不能把组织移动到它自己或它的下级组织之下"))

        let off = try await admin.post("/admin/organizations/\(county)/deactivate", [:])
        XCTAssertEqual(off.status, .seeOther)
        let inactive = try await Organization.find(county, on: app.db)
        XCTAssertEqual(inactive?.isActive, false)
    }

    func testListFiltersSortsPagesAndExports() async throws {
        let filtered = try await admin.get("/admin/organizations?kind=county")
        XCTAssertTrue(rowNames(filtered.body.string).contains("青石县科学技术协会"))
        XCTAssertFalse(rowNames(filtered.body.string).contains("东港市科学技术协会"))
        XCTAssertTrue(filtered.body.string.contains("共 8 条"))
        let search = try await admin.get("/admin/organizations?q=" + Browser.encode("医学"))
        XCTAssertTrue(search.body.string.contains("云海省医学会"))
        XCTAssertTrue(search.body.string.contains("共 1 条"))
        let paged = try await admin.get("/admin/organizations?page=2")
        XCTAssertTrue(paged.body.string.contains("第 2 / 2 页"))
        let ascending = try await admin.get("/admin/organizations?kind=society&sort=name&dir=asc")
        let descending = try await admin.get("/admin/organizations?kind=society&sort=name&dir=desc")
        XCTAssertEqual(rowNames(descending.body.string), rowNames(ascending.body.string).reversed())
        XCTAssertEqual(rowNames(ascending.body.string).count, 10)

        let csv = try await admin.get("/admin/organizations?kind=society&format=csv")
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        let rows = try CSVReader().read(Data(buffer: csv.body))
        XCTAssertEqual(rows.first, ["名称", "类型", "上级组织", "地区", "成立年份", "状态"])
        XCTAssertEqual(rows.count, 11)
        let xlsx = try await admin.get("/admin/organizations?kind=society&format=xlsx")
        let sheet = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(sheet.count, 11)
        XCTAssertTrue(sheet.contains { $0.first == "云海省橡胶学会" })
    }

    func testDepartmentsAreAddedOncePerOrganization() async throws {
        let county = try demo.county1.requireID()
        let added = try await admin.post("/admin/organizations/\(county)/departments", ["departmentName": "办公室"])
        XCTAssertEqual(added.status, .seeOther)
        let again = try await admin.post("/admin/organizations/\(county)/departments", ["departmentName": "办公室"])
        XCTAssertEqual(again.status, .unprocessableEntity)
        XCTAssertTrue(again.body.string.contains("该组织已有同名部门"))
    }

    func testOrganizationMetricsCountWhatTheTreeHolds() async throws {
        let registry = app.platform.registry
        let query = MetricDefinition.Query(organization: demo.province, year: 2026)
        let founded = try await registry.metrics["platform.organizations.established.university_association"]!.compute(query, app.db)
        XCTAssertEqual(founded, 2)
        let societies = try await registry.metrics["platform.organizations.total.society"]!.compute(query, app.db)
        XCTAssertEqual(societies, 10)
        let countyQuery = MetricDefinition.Query(organization: demo.county1, year: 2026)
        let countySocieties = try await registry.metrics["platform.organizations.total.society"]!.compute(countyQuery, app.db)
        XCTAssertEqual(countySocieties, 0)
        let counties = try await registry.metrics["platform.organizations.level.county"]!.compute(query, app.db)
        XCTAssertEqual(counties, 8)
        let cities = try await registry.metrics["platform.organizations.level.city"]!.compute(query, app.db)
        XCTAssertEqual(cities, 4)
    }

    private func rowNames(_ html: String) -> [String] {
        html.components(separatedBy: "<tr><td><a href=\"/admin/organizations/").dropFirst().compactMap { part in
            part.split(separator: ">", maxSplits: 1).last.map { String($0.prefix { $0 != "<" }) }
        }
    }
}
