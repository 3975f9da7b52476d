import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Members
@testable import Plans
@testable import Platform
@testable import ServiceHall

/// 全站搜索 and the organization picker's look-up: every module's provider keeps to what the actor may
/// read — people, cases and tasks of their subtree for staff (never a sibling county's), 公开答复 and
/// published postings for everyone, unpublished postings for their owner and reviewers in scope, nothing
/// internal for members, enterprises and visitors. Runs on SQLite and, with DATABASE_URL, PostgreSQL.
final class GlobalSearchTests: DemoTestCase {
    private var registry: ModuleRegistry { app.platform.registry }

    private func actor(_ username: String) async throws -> Actor {
        let user = try await User.query(on: app.db).filter(\.$username == username).first().orThrow(Abort(.notFound))
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: registry.roles, on: app.db)
    }

    private func newCase(_ title: String, in organization: Organization, public isPublic: Bool = false) async throws {
        let record = ServiceCase()
        record.trackingCode = TrackingCode.generate().description
        record.type = .suggestion
        record.title = title
        record.content = "内容"
        record.isPublic = isPublic
        record.state = isPublic ? .answered : .pending
        record.contactName = "某人"
        record.contactPhoneCipher = "-"
        record.contactPhoneLookup = UUID().uuidString
        record.submitterLookup = "-"
        record.organizationID = try organization.requireID()
        record.submittedAt = clock.now
        record.receivedOn = Day.today(now: clock.now)
        record.acceptDue = Day.today(now: clock.now)
        record.dueProvisional = false
        record.coDepartmentIDs = []
        if isPublic { record.answer = "已在湖区增设科普展板。" }
        try await record.create(on: app.db)
    }

    private func newTask(_ heading: String, plan title: String, owner: Organization) async throws {
        let plan = PlanRecord()
        plan.organizationID = try owner.requireID()
        plan.title = title
        plan.year = 2026
        plan.status = .active
        plan.cadence = .monthly
        plan.fileName = "要点.txt"
        plan.weightCompletion = 50
        plan.weightTimeliness = 30
        plan.weightQuality = 20
        plan.createdBy = UUID()
        plan.revision = 0
        try await plan.create(on: app.db)
        let task = PlanTask()
        task.planID = try plan.requireID()
        task.sequence = 1
        task.section = "一、提升公民科学素质"
        task.label = "1."
        task.heading = heading
        task.sourceText = heading + "。（牵头单位：科普部）"
        task.leadNames = "科普部"
        task.coNames = ""
        task.included = true
        task.state = .open
        task.percent = 0
        try await task.create(on: app.db)
    }

    private func posting(_ kind: Posting.Kind, _ title: String, owner: String, publish: Bool) async throws {
        var input = PostingService.Input()
        input.title = title
        input.summary = "改性后耐磨性提高三成，已小试。"
        input.publicDetail = input.summary
        input.confidentialDetail = "配方。"
        input.industry = "C"
        input.readiness = "5"
        input.cooperationModes = ["joint"]
        input.ownerKind = kind == .supply ? "person" : ""
        input.ownerName = kind == .supply ? "张三" : "云海绿源新材料有限公司"
        input.region = "云海省东港市"
        input.indicators = "效率提高一倍"
        input.deadline = "2027-06-06"
        input.budget = "80"
        input.contactName = "李工"
        input.contactPhone = "13800138001"
        let service = PostingService(db: app.db, services: app.platform)
        let draft = try await service.create(kind, input, actor: try await actor(owner))
        guard publish else { return }
        try await service.perform(.submit, on: draft.requireID(), comment: nil, actor: try await actor(owner))
        _ = try await service.perform(.approve, on: draft.requireID(), comment: nil, actor: try await actor("demo.orgadmin"))
    }

    /// 司马 in every kind: a person and a case in each of the two sibling counties, a 公开答复, a task
    /// of the province's plan and one of 白沙县's, a published supply and demo.enterprise's draft demand.
    private func seed() async throws {
        let office = try await loggedIn("demo.orgadmin")
        try await createPerson(office, 61, name: "司马青石", organization: demo.county1)
        try await createPerson(office, 62, name: "司马白沙", organization: demo.county2)
        try await newCase("司马河道整治建议（青石）", in: demo.county1)
        try await newCase("司马河道整治建议（白沙）", in: demo.county2)
        try await newCase("司马湖科普设施建议", in: demo.province, public: true)
        try await newTask("司马湖湿地科普基地建设", plan: "云海省科协2026年工作要点", owner: demo.province)
        try await newTask("司马渡口科普站建设", plan: "白沙县科协2026年工作要点", owner: demo.county2)
        try await posting(.supply, "司马牌橡胶改性技术", owner: "demo.member", publish: true)
        try await posting(.demand, "司马工业园污水处理需求", owner: "demo.enterprise", publish: false)
    }

    /// Kind → titles, as the registry groups them for the actor.
    private func found(_ username: String?, _ text: String = "司马") async throws -> [String: [String]] {
        var who: Actor?
        if let username { who = try await actor(username) }
        let groups = try await registry.searchGroups(SearchRequest(text: text, actor: who, limit: 10), on: app.db)
        return Dictionary(uniqueKeysWithValues: groups.map { ($0.kind, $0.hits.map(\.title).sorted()) })
    }

    func testEachProviderKeepsToWhatTheActorMayRead() async throws {
        try await seed()
        let publicOnly: [String: [String]] = ["public_reply": ["司马湖科普设施建议"], "innovation.supply": ["司马牌橡胶改性技术"]]
        expectEqual(try await found(nil), publicOnly, "visitors: public records only")
        expectEqual(try await found("demo.member"), publicOnly, "a member: no people, cases or tasks")
        var enterprise = publicOnly
        enterprise["innovation.demand"] = ["司马工业园污水处理需求"]
        expectEqual(try await found("demo.enterprise"), enterprise, "an enterprise: its own draft besides the public records")

        let province = try await found("demo.orgadmin")
        XCTAssertEqual(province["person"], ["司马白沙", "司马青石"])
        XCTAssertEqual(province["case"], ["司马河道整治建议（白沙）", "司马河道整治建议（青石）", "司马湖科普设施建议"])
        XCTAssertEqual(province["plan_task"], ["1. 司马渡口科普站建设", "1. 司马湖湿地科普基地建设"])
        XCTAssertEqual(province["innovation.demand"], ["司马工业园污水处理需求"], "a reviewer of the province sees the draft")

        let county1 = try await found("demo.county1")
        XCTAssertEqual(county1["person"], ["司马青石"], "not the sibling county's person")
        XCTAssertEqual(county1["case"], ["司马河道整治建议（青石）"], "not the sibling county's case")
        XCTAssertNil(county1["plan_task"], "neither the province's plan nor the sibling county's")
        XCTAssertNil(county1["innovation.demand"], "the enterprise is not in 青石县's subtree")
        XCTAssertEqual(county1["public_reply"], ["司马湖科普设施建议"])
        let county2 = try await found("demo.county2")
        XCTAssertEqual(county2["person"], ["司马白沙"])
        XCTAssertEqual(county2["plan_task"], ["1. 司马渡口科普站建设"])

        // Organizations: staff of the subtree; nobody else.
        let orgs = try await found("demo.county1", "青石县")
        XCTAssertEqual(orgs["organization"], ["青石县热带水果专业技术协会", "青石县科学技术协会"])
        let sibling = try await found("demo.county2", "青石县")
        XCTAssertNil(sibling["organization"], "a sibling county's organizations are not found")
        let visitor = try await found(nil, "青石县")
        XCTAssertNil(visitor["organization"], "visitors do not search the organization register")
        let member = try await found("demo.member", "青石县")
        XCTAssertNil(member["organization"])
    }

    func testThePerKindLimitHoldsAndLikeWildcardsAreText() async throws {
        try await seed()
        let one = try await registry.searchGroups(SearchRequest(text: "司马", actor: try await actor("demo.orgadmin"), limit: 1), on: app.db)
        let byKind = Dictionary(uniqueKeysWithValues: one.map { ($0.kind, $0) })
        XCTAssertEqual(byKind["person"]?.hits.count, 1)
        XCTAssertEqual(byKind["person"]?.more, true)
        XCTAssertEqual(byKind["case"]?.hits.count, 1)
        XCTAssertEqual(byKind["case"]?.more, true)
        let wildcard = try await found("demo.orgadmin", "%%")
        XCTAssertNil(wildcard["case"], "a % is searched as the character, not as any text")
        XCTAssertNil(wildcard["organization"])
    }

    func testTheSearchPageGroupsHitsByKindForEachActor() async throws {
        try await seed()
        let visitor = try await Browser(app).get("/search?q=%E5%8F%B8%E9%A9%AC")
        XCTAssertEqual(visitor.status, .ok)
        let page = visitor.page
        XCTAssertEqual(
            Set(page.elements(attribute: "data-search-kind").compactMap { $0.attribute("data-search-kind") }),
            ["public_reply", "innovation.supply"])
        XCTAssertEqual(page.element(id: "search-kind-public_reply")?.attribute("data-search-group"), "public_reply")
        XCTAssertEqual(page.elements(attribute: "data-search-count").compactMap { $0.attribute("data-search-count") }, ["1", "1"])
        XCTAssertFalse(visitor.body.string.contains("司马河道"), "no case title reaches a visitor")

        let member = try await loggedIn("demo.member")
        let memberPage = try await member.get("/search?q=%E5%8F%B8%E9%A9%AC").page
        XCTAssertEqual(
            Set(memberPage.elements(attribute: "data-search-kind").compactMap { $0.attribute("data-search-kind") }),
            ["public_reply", "innovation.supply"])

        let county = try await loggedIn("demo.county1")
        let countyPage = try await county.get("/search?q=%E5%8F%B8%E9%A9%AC").page
        let kinds = countyPage.elements(attribute: "data-search-kind").compactMap { $0.attribute("data-search-kind") }
        XCTAssertEqual(kinds.filter { $0 == "person" }.count, 1)
        XCTAssertEqual(kinds.filter { $0 == "case" }.count, 1)
        XCTAssertFalse(countyPage.mainText.contains("白沙"), "nothing of the sibling county")
        let caseLink = countyPage.elements(attribute: "data-search-kind", value: "case").first?.elements("a").first?.attribute("href")
        XCTAssertEqual(caseLink?.hasPrefix("/service/cases/"), true)

        // The header box is on every page: a labelled search input in a role=search form to /search.
        let home = try await county.get("/").page
        XCTAssertEqual(home.element(id: "site-search")?.attribute("name"), "q")
        XCTAssertEqual(home.element(id: "site-search")?.ancestors.first { $0.tag == "form" }?.attribute("action"), "/search")
        XCTAssertEqual(home.elements("label").first { $0.attribute("for") == "site-search" }?.text, "全站搜索")
    }

    func testEmptyShortAndLongQueriesAreExplainedBesideTheField() async throws {
        let browser = Browser(app)
        let landing = try await browser.get("/search").page
        XCTAssertNil(landing.fieldError("search-q"), "no query yet: a hint, not an error")
        XCTAssertEqual(landing.element(id: "search-q-hint")?.text, "至少 2 个字，最多 100 个字")
        let empty = try await browser.get("/search?q=").page
        XCTAssertEqual(empty.fieldError("search-q"), "请输入要搜索的内容")
        let blank = try await browser.get("/search?q=%20%20").page
        XCTAssertEqual(blank.fieldError("search-q"), "请输入要搜索的内容")
        let short = try await browser.get("/search?q=%E5%8F%B8").page
        XCTAssertEqual(short.fieldError("search-q"), "请至少输入 2 个字")
        let long = String(repeating: "%E5%8F%B8", count: 101)
        let tooLong = try await browser.get("/search?q=" + long)
        XCTAssertEqual(tooLong.status, .ok)
        XCTAssertEqual(tooLong.page.fieldError("search-q"), "搜索内容不能超过 100 个字")
        XCTAssertEqual(tooLong.page.element(id: "search-q")?.attribute("aria-invalid"), "true")
    }

    func testTheSearchAPIIsPublicAndABearerAddsScope() async throws {
        try await seed()
        let anonymous = try await app.testable().sendRequest(.GET, "/api/v1/search?q=%E5%8F%B8%E9%A9%AC")
        XCTAssertEqual(anonymous.status, .ok)
        struct Body: Decodable {
            struct Hit: Decodable { let title: String }
            struct Group: Decodable {
                let kind: String
                let hits: [Hit]
            }
            let groups: [Group]
        }
        XCTAssertEqual(
            Set(try anonymous.content.decode(Body.self).groups.map(\.kind)), ["public_reply", "innovation.supply"])
        let staff = try await api(.GET, "/api/v1/search?q=%E5%8F%B8%E9%A9%AC&limit=1", token: try await apiToken("demo.county1"))
        let groups = try staff.content.decode(Body.self).groups
        XCTAssertEqual(groups.first { $0.kind == "case" }?.hits.map(\.title), ["司马河道整治建议（青石）"])
        XCTAssertTrue(groups.allSatisfy { $0.hits.count <= 1 })
        expectEqual(try await app.testable().sendRequest(.GET, "/api/v1/search?q=").status, .unprocessableEntity)
        expectEqual(try await app.testable().sendRequest(.GET, "/api/v1/search?q=%E5%8F%B8").status, .unprocessableEntity)
        expectEqual(
            try await app.testable().sendRequest(.GET, "/api/v1/search?q=%E5%8F%B8%E9%A9%AC&limit=51").status, .unprocessableEntity)
        expectEqual(
            try await app.testable().sendRequest(.GET, "/api/v1/search?q=%E5%8F%B8%00%E9%A9%AC").status, .unprocessableEntity,
            "a NUL (which PostgreSQL refuses to bind) is refused before any query")
    }

    func testTheLookupIsScopedBoundedAndShowsPaths() async throws {
        struct Body: Decodable { let organizations: [OrganizationChoice] }
        let anonymous = try await Browser(app).get("/organizations/lookup?q=%E9%9D%92%E7%9F%B3")
        XCTAssertNotEqual(anonymous.status, .ok, "logged-in only")
        let county = try await loggedIn("demo.county1")
        let found = try await county.get("/organizations/lookup?q=%E5%8E%BF")
        XCTAssertEqual(found.status, .ok)
        let organizations = try found.content.decode(Body.self).organizations
        XCTAssertEqual(organizations.map(\.name), ["青石县科学技术协会", "青石县热带水果专业技术协会"])
        XCTAssertEqual(organizations.first?.path, "云海省科学技术协会 › 东港市科学技术协会 › 青石县科学技术协会")
        let sibling = try await county.get("/organizations/lookup?q=%E7%99%BD%E6%B2%99")
        XCTAssertEqual(try sibling.content.decode(Body.self).organizations.count, 0, "白沙县 is a sibling, outside the subtree")
        let associations = try await county.get("/organizations/lookup?q=%E5%8E%BF&set=associations")
        XCTAssertEqual(try associations.content.decode(Body.self).organizations.map(\.name), ["青石县科学技术协会"])

        let office = try await loggedIn("demo.orgadmin")
        let two = try await office.get("/organizations/lookup?q=&limit=2")
        XCTAssertEqual(try two.content.decode(Body.self).organizations.map(\.name), ["云海省科学技术协会", "东港市科学技术协会"])
        expectEqual(try await office.get("/organizations/lookup?limit=21").status, .unprocessableEntity)
        expectEqual(try await office.get("/organizations/lookup?limit=0").status, .unprocessableEntity)
        expectEqual(try await office.get("/organizations/lookup?set=everyone").status, .unprocessableEntity)
        expectEqual(
            try await office.get("/organizations/lookup?q=" + String(repeating: "x", count: 101)).status, .unprocessableEntity)
    }

    func testPickerFormsAcceptAPathWithoutScriptAndStillRefuseOutsideTheSubtree() async throws {
        let county = try await loggedIn("demo.county1")
        let page = try await county.get("/people/new").page
        let picker = page.elements(attribute: "data-org-picker").first
        XCTAssertEqual(picker?.attribute("data-lookup"), "/organizations/lookup?set=subtree")
        XCTAssertEqual(page.element(id: "organizationID")?.attribute("value"), "云海省科学技术协会 › 东港市科学技术协会 › 青石县科学技术协会")
        XCTAssertTrue(page.elements("select").allSatisfy { $0.attribute("name") != "organizationID" }, "no select of organizations")

        // Without the script the text box is posted: an exact path (or a unique name) is resolved.
        var form = TestPeople.form(71)
        form["organizationID"] = "云海省科学技术协会 › 东港市科学技术协会 › 青石县科学技术协会 › 青石县热带水果专业技术协会"
        let byPath = try await county.post("/people", form)
        XCTAssertEqual(byPath.status, .seeOther, String(byPath.body.string.prefix(500)))
        let person = try await Person.query(on: app.db).filter(\.$name == TestPeople.testName(71)).first()
        let fruit = try await organization("青石县热带水果专业技术协会")
        XCTAssertEqual(person?.organizationID, fruit.id)

        // A sibling county's name is not found; its id is refused by the service as before.
        form = TestPeople.form(72)
        form["organizationID"] = "白沙县科学技术协会"
        let named = try await county.post("/people", form)
        XCTAssertEqual(named.status, .unprocessableEntity)
        XCTAssertEqual(named.page.fieldError("organizationID"), "未找到该组织，请从列表中选择或填写完整路径")
        form["organizationID"] = try demo.county2.requireID().uuidString
        expectEqual(try await county.post("/people", form).status, .notFound)
        expectEqual(try await Person.query(on: app.db).filter(\.$name == TestPeople.testName(72)).count(), 0)
    }
}
