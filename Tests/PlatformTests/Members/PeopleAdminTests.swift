import Fluent
import Foundation
import SQLKit
import XCTVapor

@testable import Members
@testable import Platform

/// The administrators' people pages: creation with validation, scoped lists with filters and Chinese
/// search, masked exports, the audited "show in full", 实名核验, and encryption at rest.
final class PeopleAdminTests: DemoTestCase {
    func testCreationValidatesBesideTheFieldAndStoresNothingWhenRefused() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let refused = try await admin.post("/people", TestPeople.form(1, changes: ["phone": "1234", "idNumber": "460100199001010010"]))
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(refused.page.fieldError("phone"), "手机号格式不正确，应为以1开头的11位中国大陆手机号")
        XCTAssertEqual(refused.page.fieldError("idNumber"), "身份证号校验位不正确，请核对最后一位")
        XCTAssertNil(refused.page.fieldError("name"))
        XCTAssertEqual(refused.page.fieldValue("researchDirection"), "天然橡胶加工", "typed values are kept")
        let stored = try await Person.query(on: app.db).count()
        XCTAssertEqual(stored, 0)
        let person = try await createPerson(admin, 1, name: "王橡胶")
        XCTAssertEqual(person.verification, "unverified")
        let duplicate = try await admin.post("/people", TestPeople.form(1, name: "另一个人"))
        XCTAssertEqual(duplicate.status, .unprocessableEntity)
        XCTAssertEqual(duplicate.page.fieldError("phone"), "该手机号已登记在其他人的资料中")
    }

    func testListFiltersSearchesBigramsAndExportsMasked() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        try await createPerson(admin, 1, name: "李明", changes: ["researchDirection": "天然橡胶割胶技术", "titleName": "研究员"])
        try await createPerson(admin, 2, name: "陈芳", changes: ["researchDirection": "海洋生态", "employer": "云海海洋大学", "titleName": "讲师"])
        try await createPerson(
            admin, 3, name: "赵强", organization: demo.county1,
            changes: ["researchDirection": "热带水果栽培", "employer": "青石县农技站", "discipline": "220", "city": "西林市"])

        /// The names listed and the count line above the list.
        func listed(_ query: String, as browser: Browser? = nil) async throws -> (names: [String], count: String?) {
            let page = try await (browser ?? admin).get("/people" + query).page
            let names = page.rowElements(inTable: "people").compactMap { $0.elements("a").first?.text }
            return (names, page.element(id: "result-count")?.text)
        }
        let rubber = try await listed("?q=" + Browser.encode("橡胶"))
        XCTAssertEqual(rubber.names, ["李明"])
        XCTAssertEqual(rubber.count, "共 1 人")
        expectEqual(try await listed("?q=" + Browser.encode("海洋大学")).names, ["陈芳"])
        let surname = try await listed("?q=" + Browser.encode("陈"))
        XCTAssertEqual(surname.names, ["陈芳"], "one character finds names starting with it")
        XCTAssertEqual(surname.count, "共 1 人")
        let byPhone = try await listed("?q=13900010003")
        XCTAssertEqual(byPhone.names, ["赵强"])
        XCTAssertEqual(byPhone.count, "共 1 人")

        let women = try await listed("?sex=female").names
        XCTAssertTrue(women.contains("陈芳"), women.description)
        XCTAssertFalse(women.contains("李明"))
        let senior = try await listed("?title=senior").names
        XCTAssertTrue(senior.contains("李明"), senior.description)
        XCTAssertFalse(senior.contains("陈芳"))
        let county = try await listed("?org=\(try demo.county1.requireID().uuidString)")
        XCTAssertEqual(county.names, ["赵强"])
        XCTAssertEqual(county.count, "共 1 人")
        let region = try await listed("?region=" + Browser.encode("西林市")).names
        XCTAssertTrue(region.contains("赵强"), region.description)
        XCTAssertFalse(region.contains("李明"))
        let discipline = try await listed("?discipline=220").names
        XCTAssertTrue(discipline.contains("赵强"), discipline.description)
        XCTAssertFalse(discipline.contains("陈芳"))
        // Person 1 was born 1961-02 (index 1): 65 on the pinned clock (2026-11).
        expectTrue(try await listed("?age=55_plus").names.contains("李明"))
        let young = try await listed("?age=under_35")
        XCTAssertEqual(young.names, [])
        XCTAssertEqual(young.count, "共 0 人")

        let csv = try await admin.get("/people?format=csv&q=" + Browser.encode("橡胶"))
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("139****0001"))
        XCTAssertFalse(csv.body.string.contains("13900010001"))
        XCTAssertTrue(csv.body.string.contains("4601**********"))
        let xlsx = try await admin.get("/people?format=xlsx")
        XCTAssertEqual(xlsx.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        expectTrue(
            try await AuditEntry.query(on: app.db).filter(\.$action == "people.export").count() >= 2, "exports are audited")

        // A county administrator sees only the county's people, and no one else's record.
        let countyAdmin = try await loggedIn("demo.county1")
        let own = try await listed("", as: countyAdmin).names
        XCTAssertTrue(own.contains("赵强"), own.description)
        XCTAssertFalse(own.contains("李明"))
        let provincial = try await Person.query(on: app.db).filter(\.$name == "李明").first()!
        let hidden = try await countyAdmin.get("/people/\(try provincial.requireID())")
        XCTAssertEqual(hidden.status, .notFound)
        let searchOutside = try await listed("?q=" + Browser.encode("橡胶"), as: countyAdmin)
        XCTAssertEqual(searchOutside.names, [])
        XCTAssertEqual(searchOutside.count, "共 0 人")
    }

    func testShowingAPhoneInFullIsAuditedAndOnlyForPermittedAdministrators() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 5, name: "周敏")
        let id = try person.requireID()
        let page = try await admin.get("/people/\(id)")
        XCTAssertEqual(page.page.element(id: "masked-phone")?.text, "139****0005")
        XCTAssertFalse(page.body.string.contains("13900010005"), "the full number is nowhere on the page")
        XCTAssertNil(page.page.element(id: "revealed"))
        let revealed = try await admin.post("/people/\(id)/reveal", ["field": "phone"])
        XCTAssertEqual(revealed.page.element(id: "revealed")?.text, "手机：13900010005")
        let idShown = try await admin.post("/people/\(id)/reveal", ["field": "id_number"])
        XCTAssertEqual(idShown.page.element(id: "revealed")?.text, "身份证号：460100196506060114")
        let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "person.reveal").filter(\.$entityID == id.uuidString)
            .count()
        XCTAssertEqual(entries, 2)
        let staff = try await loggedIn("demo.staff")
        let forbidden = try await staff.post("/people/\(id)/reveal", ["field": "phone"])
        XCTAssertEqual(forbidden.status, .forbidden)
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.post("/people/\(id)/reveal", ["field": "phone"]).status, .notFound)
    }

    func testVerificationAndChangesToVerifiedFieldsGoBackToReview() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 7, name: "孙丽")
        let id = try person.requireID()
        let noReason = try await admin.post("/people/\(id)/verify", ["outcome": "reject", "note": ""])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        XCTAssertEqual(noReason.page.element(id: "person-error")?.text, "请填写核验未通过的原因")
        let ok = try await admin.post("/people/\(id)/verify", ["outcome": "approve"])
        XCTAssertEqual(ok.status, .seeOther)
        let verified = try await Person.find(id, on: app.db)
        XCTAssertEqual(verified?.verification, "verified")
        expectEqual(try await admin.get("/people/\(id)").page.element(id: "person-verification")?.text, "✔ 已实名核验")
        expectEqual(try await VerificationRecord.query(on: app.db).filter(\.$personID == id).count(), 1)
        // Research direction is not vouched for; the name is.
        var form = TestPeople.form(7, name: "孙丽", changes: ["researchDirection": "橡胶树育种", "phone": "", "idNumber": ""])
        expectEqual(try await admin.post("/people/\(id)", form).status, .seeOther)
        expectEqual(try await Person.find(id, on: app.db)?.verification, "verified")
        form["name"] = "孙莉"
        expectEqual(try await admin.post("/people/\(id)", form).status, .seeOther)
        let changed = try await Person.find(id, on: app.db)
        XCTAssertEqual(changed?.verification, "pending")
        XCTAssertEqual(changed?.name, "孙莉")
        XCTAssertEqual(try PersonRecords(db: app.db, services: app.platform).phone(of: changed!), "13900010007", "blank phone keeps it")
    }

    func testMovingAnOrganizationMovesItsPeoplesSearchScope() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        try await createPerson(admin, 15, name: "搬迁者", organization: demo.county1, changes: ["researchDirection": "椰子加工"])
        let xilin = try await organization("西林市科学技术协会")
        let actor = try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
        try await OrganizationService(db: app.db, services: app.platform).move(
            try demo.county1.requireID(), to: try xilin.requireID(), actor: actor)
        let store = SearchIndexStore(db: app.db, writes: app.platform.writes)
        let moved = try await Organization.find(demo.county1.id, on: app.db)!
        expectEqual(try await store.search(kind: "person", query: "椰子", scopePath: xilin.path).map(\.title), ["搬迁者"])
        expectEqual(try await store.search(kind: "person", query: "椰子", scopePath: moved.path).map(\.title), ["搬迁者"])
        expectEqual(try await store.search(kind: "person", query: "椰子", scopePath: demo.city1.path).count, 0)
    }

    func testPhoneAndIDNumberAreNotStoredInPlainText() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 9, name: "钱进")
        let phone = "13900010009"
        let idNumber = TestPeople.form(9)["idNumber"]!
        guard let sql = app.db as? any SQLDatabase else { return XCTFail("SQL database expected") }
        // Every text column of the people table, the search index and the audit log, as the database holds them.
        var dump = ""
        for table in ["platform_people", "platform_search_documents", "platform_search_terms", "platform_audit_entries"] {
            let rows = try await sql.raw("SELECT * FROM \(unsafeRaw: table)").all()
            for row in rows {
                for column in row.allColumns { dump += ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
            }
        }
        XCTAssertTrue(dump.contains("钱进"), "the dump reads the stored rows")
        XCTAssertFalse(dump.contains(phone))
        XCTAssertFalse(dump.contains(idNumber))
        XCTAssertFalse(dump.contains(String(idNumber.prefix(10))))
        XCTAssertNotNil(person.id)
    }
}

/// The embedded database's files on disk hold no phone or 身份证号 in plain text.
final class EncryptionAtRestTests: XCTestCase {
    func testTheSQLiteFileDoesNotContainThePhoneOrIDNumber() async throws {
        let folder = NSTemporaryDirectory() + "kexie-file-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/kexie.sqlite"
        let (app, _) = try await TestApp.make(sqliteFile: path)
        do {
            let demo = try await DemoFixture.load(app)
            let admin = Browser(app)
            try await admin.login("demo.orgadmin", demo.accounts["demo.orgadmin"] ?? "")
            let response = try await admin.post("/people", TestPeople.form(77, name: "明文检查"))
            XCTAssertEqual(response.status, .seeOther)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasPrefix("kexie.sqlite") {
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        }
        XCTAssertNotNil(bytes.range(of: Data("明文检查".utf8)), "the name is stored, so the files were read")
        XCTAssertNil(bytes.range(of: Data("13900010077".utf8)))
        XCTAssertNil(bytes.range(of: Data(TestPeople.form(77)["idNumber"]!.utf8)))
    }
}
