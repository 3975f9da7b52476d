import Fluent
import Foundation
import XCTVapor

@testable import Members
@testable import Platform

/// 会员注册制 through the pages and the API: applications, decisions with reasons, gapless member
/// numbers under concurrency, grades and status with dated history, group members, and scope.
final class MembershipTests: DemoTestCase {
    var rubber: Organization!

    override func setUp() async throws {
        try await super.setUp()
        rubber = try await organization("云海省橡胶学会")
    }

    /// demo.member fills in the profile and applies; returns the application.
    private func memberApplies() async throws -> Membership {
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.post("/me/profile", TestPeople.form(21, name: "林秀英")).status, .seeOther)
        let noSociety = try await member.post("/me/memberships", ["society": "", "statement": "热爱橡胶事业"])
        XCTAssertEqual(noSociety.status, .unprocessableEntity)
        XCTAssertTrue(noSociety.body.string.contains("请选择要申请加入的学会"))
        XCTAssertTrue(noSociety.body.string.contains("热爱橡胶事业"), "the statement is kept")
        let applied = try await member.post("/me/memberships", ["society": try rubber.requireID().uuidString, "statement": "热爱橡胶事业"])
        XCTAssertEqual(applied.location, "/me?notice=applied")
        let again = try await member.post("/me/memberships", ["society": try rubber.requireID().uuidString])
        XCTAssertTrue(again.body.string.contains("您已提交过申请"))
        let home = try await member.get("/me")
        XCTAssertTrue(home.body.string.contains("待审核"))
        return try await Membership.query(on: app.db).first()!
    }

    func testASocietyApprovesWithANumberOrRefusesWithAReason() async throws {
        let application = try await memberApplies()
        let id = try application.requireID()
        let society = try await loggedIn("demo.society")
        let list = try await society.get("/memberships?status=applied")
        XCTAssertTrue(list.body.string.contains("林秀英"))
        let refuse = try await society.post("/memberships/\(id)/refuse", ["reason": " "])
        XCTAssertEqual(refuse.status, .unprocessableEntity)
        XCTAssertTrue(refuse.body.string.contains("请填写不予通过的理由"))
        let approve = try await society.post("/memberships/\(id)/approve", ["grade": "senior"])
        XCTAssertEqual(approve.status, .seeOther)
        let approved = try await Membership.find(id, on: app.db)!
        XCTAssertEqual(approved.memberNumber, "YHXJ-2026-00001")
        XCTAssertEqual(approved.status, .active)
        XCTAssertEqual(approved.grade, .senior)
        let twice = try await society.post("/memberships/\(id)/approve", ["grade": "member"])
        XCTAssertEqual(twice.status, .conflict)
        expectEqual(try await Membership.find(id, on: app.db)?.memberNumber, "YHXJ-2026-00001")

        let member = try await loggedIn("demo.member")
        expectTrue(try await member.get("/me").body.string.contains("YHXJ-2026-00001"))
        // Changes made inside service transactions are attributed to the person who made them.
        let audited = try await AuditEntry.query(on: app.db).filter(\.$entityType == "membership").filter(\.$action == "update").all()
        XCTAssertFalse(audited.isEmpty)
        XCTAssertTrue(audited.allSatisfy { $0.actorName == "演示橡胶学会秘书处" && !$0.clientAddress.isEmpty }, "\(audited.map(\.actorName))")
        // The society reads and verifies its applicant, but corrects nothing and reveals nothing.
        let personID = try approved.personID.orThrow(Abort(.internalServerError))
        expectEqual(try await society.get("/people/\(personID)").status, .ok)
        expectEqual(try await society.get("/people/\(personID)/edit").status, .notFound)
        expectEqual(try await society.post("/people/\(personID)/reveal", ["field": "phone"]).status, .notFound)
        let nav = try await society.get("/memberships").body.string
        XCTAssertTrue(nav.contains("<a href=\"/memberships\" aria-current=\"page\">"))
        XCTAssertFalse(nav.contains("<a href=\"/me\" aria-current=\"page\">"), "/memberships is not under /me")

        // Suspend, then withdraw: each dated in the history.
        expectEqual(
            try await society.post("/memberships/\(id)/change", ["grade": "senior", "status": "suspended", "note": "欠缴会费"]).status,
            .seeOther)
        expectEqual(try await society.post("/memberships/\(id)/change", ["grade": "director", "status": "withdrawn"]).status, .seeOther)
        let events = try await MembershipEvent.query(on: app.db).filter(\.$membershipID == id).sort(\.$createdAt).all().map(\.action)
        XCTAssertEqual(events, ["applied", "approved", "suspended", "grade_changed", "withdrawn"])
        let page = try await society.get("/memberships/\(id)")
        XCTAssertTrue(page.body.string.contains("欠缴会费"))
        XCTAssertTrue(page.body.string.contains("2026-"))
    }

    func testRefusalIsShownToTheApplicant() async throws {
        let application = try await memberApplies()
        let society = try await loggedIn("demo.society")
        let refused = try await society.post("/memberships/\(try application.requireID())/refuse", ["reason": "请补充单位推荐意见"])
        XCTAssertEqual(refused.status, .seeOther)
        let member = try await loggedIn("demo.member")
        let home = try await member.get("/me")
        XCTAssertTrue(home.body.string.contains("未通过原因：请补充单位推荐意见"))
        expectNil(try await Membership.find(application.id, on: app.db)?.memberNumber)
    }

    func testSocietiesSeeOnlyTheirOwnAndTheProvinceSeesCounts() async throws {
        let application = try await memberApplies()
        let other = try await Organization.query(on: app.db).filter(\.$name == "云海省医学会").first()!
        let grant = RoleGrant(
            userID: try await User.query(on: app.db).filter(\.$username == "demo.county2").first()!.requireID(), role: .orgadmin,
            organizationID: try other.requireID())
        try await grant.create(on: app.db)
        let county2 = try await loggedIn("demo.county2")
        // demo.county2 acts for 白沙县 first; the medical society's scope does not include the rubber society anyway.
        expectEqual(try await county2.get("/memberships/\(try application.requireID())").status, .notFound)
        expectEqual(try await county2.post("/memberships/\(try application.requireID())/approve", [:]).status, .notFound)
        let province = try await loggedIn("demo.orgadmin")
        let list = try await province.get("/memberships")
        XCTAssertTrue(list.body.string.contains("各学会会员数"))
        XCTAssertTrue(list.body.string.contains("云海省橡胶学会"))
        XCTAssertTrue(list.body.string.contains("林秀英"))
        let society = try await loggedIn("demo.society")
        let own = try await society.get("/memberships")
        XCTAssertFalse(own.body.string.contains("各学会会员数"), "a society sees its own list, not the province's table")
    }

    func testConcurrentApprovalsGetGaplessUniqueNumbers() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        var people: [Person] = []
        for index in 0..<12 { people.append(try await createPerson(admin, 100 + index)) }
        let service = MembershipService(db: app.db, services: app.platform)
        var ids: [UUID] = []
        for person in people {
            ids.append(try await service.apply(person: person, societyID: rubber.id, statement: nil).requireID())
        }
        let browsers = try await [loggedIn("demo.society"), loggedIn("demo.orgadmin"), loggedIn("demo.society")]
        // Every application approved twice at once by different administrators: exactly one wins each.
        let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for (index, id) in ids.enumerated() {
                for offset in 0..<2 {
                    let browser = browsers[(index + offset) % browsers.count]
                    group.addTask { try await browser.post("/memberships/\(id)/approve", ["grade": "member"]).status }
                }
            }
            var all: [HTTPStatus] = []
            for try await status in group { all.append(status) }
            return all
        }
        XCTAssertEqual(statuses.filter { $0 == .seeOther }.count, 12, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == .conflict }.count, 12, "\(statuses)")
        let numbers = try await Membership.query(on: app.db).all().compactMap(\.memberNumber).sorted()
        XCTAssertEqual(numbers, (1...12).map { String(format: "YHXJ-2026-%05d", $0) })
        let counter = try await MemberNumberCounter.query(on: app.db).first()
        XCTAssertEqual(counter?.lastSequence, 12)
    }

    func testNumberFormatAndGroupMembers() async throws {
        let society = try await loggedIn("demo.society")
        let bad = try await society.post("/memberships/settings", ["prefix": "橡胶", "width": "5"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("id=\"prefix-error\""))
        expectEqual(try await society.post("/memberships/settings", ["prefix": "rub", "width": "4"]).status, .seeOther)
        expectTrue(try await society.get("/memberships/settings").body.string.contains("RUB-2026-0001"))
        let enterprise = try await organization("云海绿源新材料有限公司")
        let added = try await society.post("/memberships/groups", ["organization": try enterprise.requireID().uuidString])
        XCTAssertEqual(added.status, .seeOther)
        let group = try await Membership.query(on: app.db).filter(\.$memberOrganizationID == enterprise.id).first()
        XCTAssertEqual(group?.memberNumber, "RUB-2026-0001")
        XCTAssertEqual(group?.status, .active)
        let again = try await society.post("/memberships/groups", ["organization": try enterprise.requireID().uuidString])
        XCTAssertTrue(again.body.string.contains("该单位已是本学会团体会员"))
    }

    func testMembershipAPI() async throws {
        // The society registers people it registered itself (someone registered elsewhere joins by
        // applying; see ExploitTests.testASocietyCannotRegisterSomeoneElsesPersonByPhone).
        let secretary = try await loggedIn("demo.society")
        let person = try await createPerson(secretary, 31, name: "吴刚")
        let token = try await apiToken("demo.society")
        let path = "/api/v1/societies/\(try rubber.requireID())/memberships"
        let unknown = try await api(.POST, path, token: token, json: #"{"person": "13900000000"}"#)
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        XCTAssertTrue(unknown.body.string.contains("没有找到该手机号或身份证号对应的人员"))
        let badGrade = try await api(.POST, path, token: token, json: #"{"person": "13900010031", "grade": "盟主"}"#)
        XCTAssertEqual(badGrade.status, .unprocessableEntity)
        let created = try await api(.POST, path, token: token, json: #"{"person": "13900010031", "grade": "理事"}"#)
        XCTAssertEqual(created.status, .created, created.body.string)
        let dto = try created.content.decode(MembershipDTO.self)
        XCTAssertEqual(dto.memberNumber, "YHXJ-2026-00001")
        XCTAssertEqual(dto.grade, "director")
        XCTAssertEqual(dto.personId, person.id)
        let list = try await api(.GET, path + "?status=active", token: token)
        XCTAssertEqual(try list.content.decode(ListDTO<MembershipDTO>.self).total, 1)
        let other = try await organization("云海省医学会")
        expectEqual(try await api(.GET, "/api/v1/societies/\(try other.requireID())/memberships", token: token).status, .notFound)
    }
}
