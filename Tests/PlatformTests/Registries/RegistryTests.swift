import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Members
@testable import Platform
@testable import ServiceHall

/// The cross-module registries other modules read instead of importing Members: the expert source
/// (roles, fields, availability, account, organization, declared conflicts), the membership directory,
/// the person page's panels from every module, and the search contract.
final class RegistryTests: DemoTestCase {
    private var registry: ModuleRegistry { app.platform.registry }

    /// 黄院长 (agronomy 210 by their own discipline 320): a review and 科普 expert of the province's pool.
    private func expert(_ admin: Browser) async throws -> (Person, Expert) {
        let person = try await createPerson(admin, 11, name: "黄院长", changes: ["phone": "13900010011"])
        let saved = try await admin.post(
            "/experts", ["person": "13900010011", "roles[]": "review", "fields": "210", "availability": "available"])
        XCTAssertEqual(saved.status, .seeOther, saved.body.string)
        // The form saves one role per request; the second role and the availability are set as an edit would.
        let entry = try await Expert.query(on: app.db).filter(\.$personID == person.requireID()).with(\.$roleRows).with(\.$fieldRows)
            .first().orThrow(Abort(.notFound))
        entry.roles = [.review, .popularization]
        entry.availability = .limited
        try await entry.update(on: app.db)
        try await ExpertLists.save(entry, on: app.db)
        return (person, entry)
    }

    func testTheExpertSourceFiltersByRoleFieldAndAvailabilityAndCarriesConflicts() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let (person, entry) = try await expert(admin)
        let entryID = try entry.requireID()

        // All three problems at once, summarised at the top with links to the fields.
        let refused = try await admin.post(
            "/experts/\(entryID)/conflicts", ["kind": "", "name": " ", "note": String(repeating: "长", count: 301)])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let page = ParsedPage(refused.body.string)
        XCTAssertEqual(page.elements(attribute: "data-field").map { $0.attribute("data-field") ?? "" }, ["kind", "name", "note"])
        XCTAssertEqual(page.fieldError("kind"), "请选择回避对象的类别")
        XCTAssertEqual(page.fieldError("name"), "请填写回避对象的名称")
        XCTAssertEqual(page.fieldError("note"), "说明不超过 300 字")
        XCTAssertEqual(page.link(to: "#name")?.text, "名称：请填写回避对象的名称")
        expectEqual(try await ExpertConflict.query(on: app.db).count(), 0)

        for (kind, name) in [("organization", "云海省橡胶学会"), ("employer", "云海热带农业研究所")] {
            let declared = try await admin.post("/experts/\(entryID)/conflicts", ["kind": kind, "name": name, "note": "曾任理事"])
            XCTAssertEqual(declared.status, .seeOther, declared.body.string)
        }
        let listed = ParsedPage(try await admin.get("/experts/\(entryID)/conflicts").body.string)
        XCTAssertEqual(listed.rows(inTable: "conflicts").map { $0[1] }, ["云海省橡胶学会（已关联组织）", "云海热带农业研究所"])

        let all = try await registry.experts(ExpertQuery(), on: app.db)
        let found = try XCTUnwrap(all.first { $0.personID == person.id })
        XCTAssertEqual(found.expertID, entryID)
        XCTAssertEqual(found.roles, [.review, .popularization])
        XCTAssertEqual(found.availability, .limited)
        XCTAssertEqual(found.organizationID, demo.province.id)
        XCTAssertNil(found.userID, "registered by staff, no account yet")
        let rubber = try await Organization.query(on: app.db).filter(\.$name == "云海省橡胶学会").first()
        XCTAssertEqual(
            found.conflicts,
            [
                DeclaredConflict(kind: .organization, subjectID: rubber?.id, name: "云海省橡胶学会", note: "曾任理事"),
                DeclaredConflict(kind: .employer, subjectID: nil, name: "云海热带农业研究所", note: "曾任理事"),
            ])

        func names(_ query: ExpertQuery) async throws -> [String] { try await registry.experts(query, on: app.db).map(\.name) }
        expectEqual(try await names(ExpertQuery(roles: [.review])), ["黄院长"])
        expectEqual(try await names(ExpertQuery(roles: [.emergency, .thinkTank])), [])
        expectEqual(try await names(ExpertQuery(field: "21")), ["黄院长"])
        expectEqual(try await names(ExpertQuery(field: "110")), [])
        expectEqual(try await names(ExpertQuery(scopePath: demo.county1.path)), [], "the province's pool is not the county's")

        entry.availability = .unavailable
        try await entry.update(on: app.db)
        expectEqual(try await names(ExpertQuery()), [])
        expectEqual(try await names(ExpertQuery(includeUnavailable: true)), ["黄院长"])

        // Withdrawing one declaration.
        let conflictID = try await ExpertConflict.query(on: app.db).filter(\.$kind == .employer).first()?.requireID()
        let withdrawn = try await admin.post("/experts/\(entryID)/conflicts/\(try XCTUnwrap(conflictID))/withdraw", [:])
        XCTAssertEqual(withdrawn.status, .seeOther)
        expectEqual(try await ExpertConflict.query(on: app.db).count(), 1)
    }

    func testConflictDeclarationsAreReachableOnlyByTheRosterAndTheExpert() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let (person, entry) = try await expert(admin)
        let path = "/experts/\(try entry.requireID())/conflicts"
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get(path).status, .notFound)
        expectEqual(try await county.post(path, ["kind": "employer", "name": "某单位"]).status, .notFound)
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.get(path).status, .notFound)
        let enterprise = try await loggedIn("demo.enterprise")
        expectEqual(try await enterprise.get(path).status, .notFound)
        expectEqual(try await enterprise.post(path, ["kind": "employer", "name": "某公司"]).status, .notFound)
        expectEqual(try await admin.get("/experts/\(UUID())/conflicts").status, .notFound)
        let flood = try await admin.post(path, ["kind": "employer", "name": "某单位", "note": String(repeating: "长", count: 10_000_000)])
        XCTAssertEqual(flood.status, .payloadTooLarge, "a 30 MB body is refused before it is read")

        // The expert themselves, once their account is linked to the person.
        let memberUser = try await User.query(on: app.db).filter(\.$username == "demo.member").first()
        person.userID = memberUser?.id
        try await person.update(on: app.db)
        expectEqual(try await member.get(path).status, .ok)
        expectEqual(try await member.post(path, ["kind": "person", "name": "李四", "note": "博士生"]).status, .seeOther)
        expectEqual(try await ExpertConflict.query(on: app.db).first()?.declaredBy, "演示科技工作者")
    }

    func testTheMembershipDirectoryAnswersSinceWhen() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 12)
        let society = try await Organization.query(on: app.db).filter(\.$name == "云海省计算机学会").first().orThrow(Abort(.notFound))
        let membership = Membership()
        membership.organizationID = try society.requireID()
        membership.personID = try person.requireID()
        membership.grade = .member
        membership.status = .active
        membership.memberNumber = "YHJSJ-2026-00001"
        membership.appliedOn = try XCTUnwrap(Day("2026-03-01"))
        membership.joinedOn = try XCTUnwrap(Day("2026-03-15"))
        membership.joinedYear = 2026
        try await membership.create(on: app.db)

        let facts = try await registry.membershipDirectories[0].memberships(personID: person.requireID(), on: app.db)
        XCTAssertEqual(
            facts,
            [
                MembershipFact(
                    societyID: try society.requireID(), societyName: "云海省计算机学会", memberNumber: "YHJSJ-2026-00001", grade: "会员",
                    standing: .active, since: Day("2026-03-15"))
            ])
        let onDay = try await registry.activeMembership(
            personID: person.requireID(), societyID: society.requireID(), on: XCTUnwrap(Day("2026-03-15")), db: app.db)
        XCTAssertEqual(onDay?.memberNumber, "YHJSJ-2026-00001")
        let before = try await registry.activeMembership(
            personID: person.requireID(), societyID: society.requireID(), on: XCTUnwrap(Day("2026-03-14")), db: app.db)
        XCTAssertNil(before, "not yet a member the day before joining")
        let other = try await registry.activeMembership(
            personID: person.requireID(), societyID: demo.province.requireID(), on: XCTUnwrap(Day("2026-06-01")), db: app.db)
        XCTAssertNil(other)
    }

    func testThePersonPageShowsEveryModulesPanel() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let (person, _) = try await expert(admin)
        let memberUser = try await User.query(on: app.db).filter(\.$username == "demo.member").first()
        person.userID = memberUser?.id
        try await person.update(on: app.db)
        let member = try await loggedIn("demo.member")
        let submitted = try await member.post(
            "/service/new",
            [
                "type": "suggestion", "title": "建议开放农业实验室", "content": "建议省科协推动农业实验室向合作社开放共享。", "contactName": "",
                "contactPhone": "13700002222",
            ])
        XCTAssertEqual(submitted.status, .created, String(submitted.body.string.prefix(800)))

        let page = ParsedPage(try await admin.get("/people/\(try person.requireID())").body.string)
        let panels = try XCTUnwrap(page.element(id: "person-panels"))
        XCTAssertEqual(panels.elements("h2").map(\.text), ["专家库", "诉求与建议"])
        let lines = panels.elements("dd").map(\.text)
        XCTAssertEqual(lines.first, "评审专家、科普专家")
        XCTAssertTrue(lines.contains("0 条"), "no conflicts declared: \(lines)")
        XCTAssertTrue(lines.contains("1 件"), "\(lines)")
        XCTAssertTrue(lines.contains("建议开放农业实验室"), "\(lines)")

        // A county administrator reading the same person (outside their subtree) is refused before any panel.
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get("/people/\(try person.requireID())").status, .notFound)
    }

    func testSearchKeepsVisitorsToPublicHitsAndRanksAcrossProviders() async throws {
        struct Fixed: SearchProvider {
            let kind: String
            let hits: [SearchHit]
            func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] { hits }
        }
        let hit = { (title: String, score: Double, isPublic: Bool) in
            SearchHit(kind: "k", kindLabel: "类", title: title, snippet: "", link: "/x", score: score, isPublic: isPublic)
        }
        let providers: [any SearchProvider] = [
            Fixed(kind: "a", hits: [hit("内部记录", 9, false), hit("公开答复", 2, true)]),
            Fixed(kind: "b", hits: [hit("技术供给", 5, true)]),
        ]
        let registry = ModuleRegistry(modules: [SearchOnly(providers: providers)])
        let visitor = try await registry.search(SearchRequest(text: "  实验室  ", actor: nil, limit: 10), on: app.db)
        XCTAssertEqual(visitor.map(\.title), ["技术供给", "公开答复"])
        let staff = try await registry.search(SearchRequest(text: "实验室", actor: try await actor("demo.orgadmin"), limit: 2), on: app.db)
        XCTAssertEqual(staff.map(\.title), ["内部记录", "技术供给"])
        expectEqual(
            try await registry.search(SearchRequest(text: "实", actor: nil, limit: 10), on: app.db), [], "one character is not searched")
        XCTAssertEqual(SearchRequest(text: String(repeating: "字", count: 500), actor: nil, limit: 1_000).text.count, 100)
        XCTAssertEqual(SearchRequest(text: "字字", actor: nil, limit: 1_000).limit, 50)
    }

    private struct SearchOnly: KexieModule {
        let providers: [any SearchProvider]
        var id: String { "search-only" }
        var searchProviders: [any SearchProvider] { providers }
        func registerRoutes(_ routes: ModuleRoutes) throws {}
    }

    private func actor(_ username: String) async throws -> Actor {
        let user = try await User.query(on: app.db).filter(\.$username == username).first().orThrow(Abort(.notFound))
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }
}
