import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Members
@testable import Platform

/// Experts come from the Members pools through the platform registry; a demand is matched to the one
/// whose research direction fits, with reasons, on the demand owner's page.
final class ExpertMatchTests: DemoTestCase {
    /// Three experts in the province's pool, stored the way Members stores people.
    private func addExperts() async throws {
        let province = demo.province
        let validator = PersonProfileValidator(classifications: try Classifications.bundled())
        let records = PersonRecords(db: app.db, services: app.platform)
        let people: [(String, String, String, String, String, String, String)] = [
            ("林海峰", "男", "1975-03", "云海大学", "430", "C", "锂离子电池正极材料与储能电芯寿命"),
            ("陈雨桐", "女", "1982-07", "云海省热带农业科学院", "210", "A", "天然橡胶割胶技术与胶园管理"),
            ("赵明远", "男", "1979-11", "云海理工学院", "430", "C", "废旧轮胎再生胶与橡胶复合材料"),
            ("孙伟", "男", "1970-01", "云海大学", "430", "C", "储能电芯与锂离子电池寿命"),
        ]
        for (index, (name, sex, birth, employer, discipline, industry, direction)) in people.enumerated() {
            var draft = PersonProfileDraft()
            draft.name = name
            draft.sex = sex
            draft.birthMonth = birth
            draft.employer = employer
            draft.province = "云海省"
            draft.discipline = discipline
            draft.industry = industry
            draft.researchDirection = direction
            draft.phone = "1390000\(8801 + index)"
            guard case .success(let profile) = validator.validate(draft, today: Day.today(now: app.platform.clock())) else {
                return XCTFail("profile of \(name) refused")
            }
            let person = Person()
            person.organizationID = try province.requireID()
            try records.apply(profile, to: person, isNew: true)
            try await records.save(person)
            let expert = Expert()
            expert.organizationID = try province.requireID()
            expert.personID = try person.requireID()
            expert.roles = [.review]
            expert.fields = [discipline]
            // 时间有限 still counts; 暂不可参加 is left out of matching.
            expert.availability = [ExpertAvailability.available, .limited, .available, .unavailable][index]
            try await expert.create(on: app.db)
            try await ExpertLists.save(expert, on: app.db)
        }
    }

    func testADemandIsMatchedToTheFittingExpertOfThePools() async throws {
        try await addExperts()
        let found = try await Posting.query(on: app.db).filter(\.$title == "储能电芯循环寿命提升").first()
        let demand = try XCTUnwrap(found)
        let matcher = MatchService(db: app.db, services: app.platform, catalog: MatchCatalog())
        let experts = try await matcher.experts(for: demand)
        let first = try XCTUnwrap(experts.first)
        XCTAssertEqual(first.expert.name, "林海峰")
        XCTAssertTrue(first.reasons.contains { $0.hasPrefix("共同关键词") }, "\(first.reasons)")
        XCTAssertFalse(experts.contains { $0.expert.name == "陈雨桐" }, "the rubber-tapping expert is not offered for batteries")
        XCTAssertFalse(experts.contains { $0.expert.name == "孙伟" }, "an expert marked unavailable is not offered")

        let tyreDemand = try await Posting.query(on: app.db).filter(\.$title == "废旧轮胎综合利用").first()
        let tyres = try XCTUnwrap(tyreDemand)
        expectEqual(try await matcher.experts(for: tyres).first?.expert.name, "赵明远")

        let owner = try await loggedIn("demo.enterprise")
        let page = try await owner.get("/innovation/postings/\(try demand.requireID().uuidString)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("林海峰"), "the owner's page lists the expert")
    }
}

/// The home page tells each party what waits for them.
final class InnovationHomePanelTests: DemoTestCase {
    func testTheHomePanelCountsProposalsWaitingForMySideAndTheReviewQueue() async throws {
        let supply = try await Posting.query(on: app.db).filter(\.$title == "废旧轮胎橡胶常压连续再生脱硫技术").first()
        let demand = try await Posting.query(on: app.db).filter(\.$title == "废旧轮胎综合利用").first()
        let enterprise = try await loggedIn("demo.enterprise")
        try await enterprise.get("/innovation")
        let proposed = try await enterprise.post(
            "/innovation/dockings",
            ["supply": try XCTUnwrap(supply).requireID().uuidString, "demand": try XCTUnwrap(demand).requireID().uuidString, "note": ""])
        XCTAssertEqual(proposed.status, .seeOther)

        let society = try await loggedIn("demo.society")
        let home = try await society.get("/")
        XCTAssertTrue(home.body.string.contains("待我确认的对接"), home.body.string)
        XCTAssertTrue(home.body.string.contains("1 个"))
        let enterpriseHome = try await enterprise.get("/")
        XCTAssertTrue(enterpriseHome.body.string.contains("我的发布"))
        XCTAssertTrue(enterpriseHome.body.string.contains("0 个"), "the proposer's side has nothing to answer")
        let office = try await loggedIn("demo.orgadmin")
        let officeHome = try await office.get("/")
        XCTAssertTrue(officeHome.body.string.contains("待审核供需信息"))
    }
}
