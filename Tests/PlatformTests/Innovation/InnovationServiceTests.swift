import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// The demo province's 科创 corner with the services at hand: six published supplies (batteries, rubber
/// in both its senses, mangoes, vibration), two published demands of demo.enterprise.
class InnovationTestCase: DemoTestCase {
    var postings: PostingService { PostingService(db: app.db, services: app.platform) }
    var dockings: DockingService { DockingService(db: app.db, services: app.platform) }

    func innovationActor(_ username: String) async throws -> Actor {
        try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == username).first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
    }

    func userID(_ username: String) async throws -> UUID {
        try await User.query(on: app.db).filter(\.$username == username).first()!.requireID()
    }

    func postingTitled(_ title: String) async throws -> Posting {
        try await Posting.query(on: app.db).filter(\.$title == title).first()!
    }

    static let battery = "高镍三元锂离子电池正极材料制备技术"
    static let reclaimedRubber = "废旧轮胎橡胶常压连续再生脱硫技术"
    static let tapping = "天然橡胶树低频割胶与乙烯利刺激技术"
    static let tyreDemand = "废旧轮胎综合利用"
    static let cellDemand = "储能电芯循环寿命提升"

    func supplyInput(_ title: String = "稻田甲烷减排水分管理技术") -> PostingService.Input {
        var input = PostingService.Input()
        input.title = title
        input.summary = "间歇灌溉与晒田结合，稻田甲烷排放减少三成，产量不减。"
        input.publicDetail = "已在青石县示范 2000 亩。"
        input.confidentialDetail = "各生育期水层控制表。"
        input.industry = "A"
        input.readiness = "7"
        input.cooperationModes = ["service", "joint"]
        input.ownerKind = "person"
        input.ownerName = "张三"
        input.region = "云海省东港市青石县"
        input.keywords = "甲烷减排，水稻"
        return input
    }

    func demandInput(_ title: String, summary: String, industry: String = "C", owner: String = "云海绿源新材料有限公司") -> PostingService.Input {
        var input = PostingService.Input()
        input.title = title
        input.summary = summary
        input.publicDetail = summary
        input.confidentialDetail = "现有工艺参数。"
        input.industry = industry
        input.indicators = "效率提高一倍"
        input.deadline = "2027-06-06"
        input.budget = "80"
        input.ownerName = owner
        input.region = "云海省东港市"
        input.contactName = "李工"
        input.contactPhone = "13800138001"
        return input
    }

    /// Created by `owner`, submitted, approved by demo.orgadmin.
    func publish(_ kind: Posting.Kind, _ input: PostingService.Input, owner: String) async throws -> Posting {
        let draft = try await postings.create(kind, input, actor: try await innovationActor(owner))
        try await postings.perform(.submit, on: draft.requireID(), comment: nil, actor: try await innovationActor(owner))
        return try await postings.perform(.approve, on: draft.requireID(), comment: nil, actor: try await innovationActor("demo.orgadmin"))
    }

    /// The Kexie error `operation` throws (failing the test when it succeeds or throws something else).
    func refusal<T>(_ operation: () async throws -> T, file: StaticString = #filePath, line: UInt = #line) async -> (any KexieError)? {
        do {
            _ = try await operation()
            XCTFail("expected a refusal", file: file, line: line)
        } catch let error as any KexieError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func searchIDs(_ kind: Posting.Kind, _ query: String) async throws -> [String] {
        try await SearchIndexStore(db: app.db, writes: app.platform.writes).search(
            kind: PostingService.searchKind(kind), query: query, scopePath: nil
        ).map(\.entityID)
    }
}

final class InnovationServiceTests: InnovationTestCase {
    func testTheFormExplainsEachProblemInChinese() async throws {
        var supply = supplyInput("")
        supply.readiness = "12"
        let (supplyErrors, _) = postings.validate(supply, kind: .supply)
        XCTAssertEqual(supplyErrors["title"], "请填写成果名称（4–100 个字）")
        XCTAssertEqual(supplyErrors["readiness"], "技术成熟度为 1 到 9 级")
        var modes = supplyInput()
        modes.cooperationModes = []
        XCTAssertEqual(postings.validate(modes, kind: .supply).0["cooperationModes"], "请至少选择一种合作方式")
        XCTAssertTrue(postings.validate(supplyInput(), kind: .supply).0.isEmpty)

        var demand = demandInput("胶园割胶用工短缺", summary: "割胶用工紧张")
        demand.deadline = ""
        demand.budget = "-3"
        let (demandErrors, _) = postings.validate(demand, kind: .demand)
        XCTAssertEqual(demandErrors["deadline"], "请填写截止日期（如 2027-06-30）")
        XCTAssertEqual(demandErrors["budget"], "预算为不小于 0 的数（万元）")
        demand.deadline = "2026-11-17"
        demand.budget = "abc"
        let (past, _) = postings.validate(demand, kind: .demand)
        XCTAssertEqual(past["deadline"], "截止日期不能早于今天")
        XCTAssertEqual(past["budget"], "预算为不小于 0 的数（万元）")
        demand.deadline = "2026-11-18"
        demand.budget = ""
        XCTAssertTrue(postings.validate(demand, kind: .demand).0.isEmpty, "today is still open; the budget may be left out")
    }

    func testPublicationIndexesAPostingForSearchAndClosingRemovesIt() async throws {
        let member = try await innovationActor("demo.member")
        let draft = try await postings.create(.supply, supplyInput(), actor: member)
        let id = try draft.requireID()
        XCTAssertEqual(draft.state, .draft)
        expectEqual(try await searchIDs(.supply, "甲烷减排"), [], "drafts are not searchable")
        try await postings.perform(.submit, on: id, comment: nil, actor: member)
        expectEqual(try await Posting.find(id, on: app.db)?.state, .submitted)
        expectEqual(try await searchIDs(.supply, "甲烷减排"), [])
        let office = try await innovationActor("demo.orgadmin")
        let refused = await refusal { try await postings.perform(.approve, on: id, comment: nil, actor: member) }
        XCTAssertEqual(refused?.code, "platform.workflow_not_permitted", "the owner cannot publish their own posting")
        let published = try await postings.perform(.approve, on: id, comment: nil, actor: office)
        XCTAssertEqual(published.state, .published)
        XCTAssertEqual(published.publishedOn, Day("2026-11-18"))
        expectEqual(try await searchIDs(.supply, "甲烷减排"), [id.uuidString])
        expectEqual(try await InboxMessage.query(on: app.db).filter(\.$title == "技术供给已发布：稻田甲烷减排水分管理技术").count(), 1)

        try await postings.perform(.close, on: id, comment: nil, actor: member)
        expectEqual(try await Posting.find(id, on: app.db)?.state, .closed)
        expectEqual(try await searchIDs(.supply, "甲烷减排"), [])
    }

    func testSendingBackNeedsAReasonAndReturnsADraft() async throws {
        let enterprise = try await innovationActor("demo.enterprise")
        let draft = try await postings.create(.demand, demandInput("胶园割胶用工短缺", summary: "割胶用工紧张"), actor: enterprise)
        let id = try draft.requireID()
        try await postings.perform(.submit, on: id, comment: nil, actor: enterprise)
        let staff = try await innovationActor("demo.staff")
        let noReason = await refusal { try await postings.perform(.sendBack, on: id, comment: "", actor: staff) }
        XCTAssertEqual(noReason?.code, "platform.workflow_comment_required")
        XCTAssertEqual(noReason?.field, "comment")
        expectEqual(try await Posting.find(id, on: app.db)?.state, .submitted)
        try await postings.perform(.sendBack, on: id, comment: "请写明核心指标的测试方法", actor: staff)
        expectEqual(try await Posting.find(id, on: app.db)?.state, .draft)
        let message = try await InboxMessage.query(on: app.db).filter(\.$userID == userID("demo.enterprise"))
            .filter(\.$title == "技术需求被退回：胶园割胶用工短缺").first()
        XCTAssertEqual(message?.body, "退回理由：请写明核心指标的测试方法")
        let changed = try await postings.update(id, demandInput("胶园割胶用工短缺问题", summary: "割胶用工紧张"), actor: enterprise)
        XCTAssertEqual(changed.title, "胶园割胶用工短缺问题")
    }

    func testAPublishedDemandPastItsDeadlineExpiresAndItsOwnerIsTold() async throws {
        let demand = try await postingTitled(Self.cellDemand)
        let id = try demand.requireID()
        expectEqual(try await postings.expireOverdue(), 0)
        try await Posting.query(on: app.db).filter(\.$id == id).set(\.$deadline, to: Day("2026-11-17")).update()
        expectEqual(try await searchIDs(.demand, "储能电芯"), [id.uuidString])

        expectEqual(try await postings.expireOverdue(), 1)
        expectEqual(try await Posting.find(id, on: app.db)?.state, .expired)
        expectEqual(try await postingTitled(Self.tyreDemand).state, .published)
        expectEqual(try await searchIDs(.demand, "储能电芯"), [])
        let inbox = try await InboxMessage.query(on: app.db).filter(\.$userID == userID("demo.enterprise"))
            .filter(\.$title == "技术需求已到期：储能电芯循环寿命提升").count()
        XCTAssertEqual(inbox, 1)
        let steps = try await postings.runtime.history(of: id, on: app.db)
        XCTAssertEqual(steps.map(\.action), ["expire"])
        XCTAssertEqual(steps.first?.actorID, Actor.system.userID.uuidString)
        expectEqual(try await postings.expireOverdue(), 0, "already expired")
        // Still readable (a party of a docking may look it up), no longer matchable.
        expectEqual(try await postings.visible(id, actor: nil).state, .expired)
    }

    func testTheConfidentialPartIsForOwnerReviewersAndAnAcceptedCounterpart() async throws {
        let demand = try await postingTitled(Self.tyreDemand)
        let supply = try await postingTitled(Self.reclaimedRubber)
        let enterprise = try await innovationActor("demo.enterprise")
        let society = try await innovationActor("demo.society")
        expectTrue(try await postings.mayReadConfidential(demand, actor: enterprise), "owner")
        expectTrue(try await postings.mayReadConfidential(demand, actor: try await innovationActor("demo.orgadmin")), "reviewer")
        expectTrue(try await postings.mayReadConfidential(demand, actor: try await innovationActor("demo.staff")), "reviewer")
        expectFalse(try await postings.mayReadConfidential(demand, actor: try await innovationActor("demo.member")), "stranger")
        expectFalse(try await postings.mayReadConfidential(demand, actor: nil), "anonymous")
        expectFalse(try await postings.mayReadConfidential(demand, actor: society), "counterpart before any docking")

        let docking = try await dockings.propose(.init(supplyID: supply.requireID(), demandID: demand.requireID()), actor: society)
        expectFalse(try await postings.mayReadConfidential(demand, actor: society), "a proposal is not yet accepted")
        expectFalse(try await postings.mayReadConfidential(supply, actor: enterprise))
        try await dockings.perform(.accept, on: docking.requireID(), .init(), actor: enterprise)
        expectTrue(try await postings.mayReadConfidential(demand, actor: society), "accepted counterpart")
        expectTrue(try await postings.mayReadConfidential(supply, actor: enterprise), "both ways")
        expectFalse(try await postings.mayReadConfidential(demand, actor: try await innovationActor("demo.member")))

        // Drafts stay with their owner and reviewers.
        let draft = try await postings.create(.supply, supplyInput(), actor: try await innovationActor("demo.member"))
        let hidden = await refusal { try await postings.visible(draft.requireID(), actor: enterprise) }
        XCTAssertEqual(hidden?.code, "platform.not_found")
        expectEqual(try await postings.visible(draft.requireID(), actor: try await innovationActor("demo.staff")).title, "稻田甲烷减排水分管理技术")
    }

    func testTheMatcherRanksBatteriesAndTellsRubberFromRubber() async throws {
        let matcher = MatchService(db: app.db, services: app.platform, catalog: MatchCatalog())
        let cells = try await publish(
            .demand,
            demandInput("动力电池与储能电芯寿命提升", summary: "我司动力电池和储能电芯循环寿命不足，需要提高正极材料的稳定性。"),
            owner: "demo.enterprise")
        let ranked = try await matcher.matches(for: cells)
        XCTAssertEqual(ranked.first?.title, Self.battery, ranked.map(\.title).description)
        let reasons = ranked.first?.reasons ?? []
        XCTAssertTrue(
            reasons.contains { $0.hasPrefix("共同关键词") || $0.hasPrefix("相关概念") }, "a reason names the shared terms: \(reasons)")

        let farm = try await publish(
            .demand,
            demandInput(
                "胶园割胶用工短缺", summary: "农场胶工老龄化，割胶用工紧张，希望减少割胶次数、提高胶工效率，不降低天然橡胶产量。", industry: "A",
                owner: "青石县国营东风农场"),
            owner: "demo.enterprise")
        let farmRanked = try await matcher.matches(for: farm)
        let titles = farmRanked.map(\.title)
        let tapping = try XCTUnwrap(titles.firstIndex(of: Self.tapping), titles.description)
        XCTAssertEqual(tapping, 0, titles.description)
        XCTAssertTrue(farmRanked[tapping].reasons.contains { $0.hasPrefix("同一领域：橡胶") }, farmRanked[tapping].reasons.description)
        // Reclaimed tyre rubber is the other sense of 橡胶: below the tapping technique, if listed at all.
        if let reclaimed = titles.firstIndex(of: Self.reclaimedRubber) {
            XCTAssertLessThan(tapping, reclaimed, titles.description)
        }

        // From the supply's side: the tyre demand comes first for reclaimed rubber.
        let demands = try await matcher.matches(for: try await postingTitled(Self.reclaimedRubber))
        XCTAssertEqual(demands.first?.title, Self.tyreDemand, demands.map(\.title).description)
    }

    func testTheCatalogRebuildsWhenASupplyIsPublished() async throws {
        let catalog = MatchCatalog()
        let before = try await catalog.entry(.supply, on: app.db)
        XCTAssertEqual(before.postings.count, 6)
        let again = try await catalog.entry(.supply, on: app.db)
        XCTAssertEqual(again.signature, before.signature, "nothing changed, the same index")
        let published = try await publish(.supply, supplyInput(), owner: "demo.member")
        let after = try await catalog.entry(.supply, on: app.db)
        XCTAssertNotEqual(after.signature, before.signature)
        XCTAssertEqual(after.postings.count, 7)
        XCTAssertNotNil(after.postings[try published.requireID()])
        let rice = try await publish(
            .demand, demandInput("稻田甲烷排放偏高", summary: "稻田甲烷排放偏高，需要减排的水分管理技术。", industry: "A"), owner: "demo.enterprise")
        let ranked = try await MatchService(db: app.db, services: app.platform, catalog: catalog).matches(for: rice)
        XCTAssertEqual(ranked.first?.id, try published.requireID())
    }

    func testAPushReachesBothOwnersOnce() async throws {
        let demand = try await postingTitled(Self.tyreDemand)
        let supply = try await postingTitled(Self.reclaimedRubber)
        let matcher = MatchService(db: app.db, services: app.platform, catalog: MatchCatalog())
        let member = await refusal {
            try await matcher.push(
                demandID: demand.requireID(), supplyID: supply.requireID(), actor: try await self.innovationActor("demo.member"))
        }
        XCTAssertEqual(member?.code, "innovation.push_not_permitted")
        let staff = try await innovationActor("demo.staff")
        let push = try await matcher.push(demandID: demand.requireID(), supplyID: supply.requireID(), actor: staff)
        XCTAssertGreaterThan(push.score, 0)
        XCTAssertFalse(push.reasons.isEmpty)
        expectEqual(
            try await InboxMessage.query(on: app.db).filter(\.$userID == userID("demo.enterprise"))
                .filter(\.$title == "为您推荐技术成果：\(Self.reclaimedRubber)").count(), 1)
        expectEqual(
            try await InboxMessage.query(on: app.db).filter(\.$userID == userID("demo.society"))
                .filter(\.$title == "您的成果匹配到技术需求：\(Self.tyreDemand)").count(), 1)
        let twice = await refusal { try await matcher.push(demandID: demand.requireID(), supplyID: supply.requireID(), actor: staff) }
        XCTAssertEqual(twice?.code, "innovation.match_already_pushed")
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)
        let figures = try await InnovationFigures.compute(scopePath: demo.province.path, year: 2026, on: app.db)
        XCTAssertEqual(figures.pushes, 1)
    }

    func testAPartyDockingRunsFromProposalToALandedProjectAndCountsInTheFigures() async throws {
        let demand = try await postingTitled(Self.tyreDemand)
        let supply = try await postingTitled(Self.reclaimedRubber)
        let enterprise = try await innovationActor("demo.enterprise")
        let society = try await innovationActor("demo.society")
        let docking = try await dockings.propose(
            .init(supplyID: supply.requireID(), demandID: demand.requireID(), note: "希望到厂交流"), actor: enterprise)
        let id = try docking.requireID()
        XCTAssertEqual(docking.state, .proposed)
        XCTAssertEqual(docking.proposedBy, .demand)
        XCTAssertEqual(docking.proposedOn, Day("2026-11-18"))
        expectEqual(
            try await InboxMessage.query(on: app.db).filter(\.$userID == userID("demo.society"))
                .filter(\.$title == "新的对接邀请：\(Self.reclaimedRubber) ↔ \(Self.tyreDemand)").count(), 1)
        let duplicate = await refusal {
            try await dockings.propose(.init(supplyID: supply.requireID(), demandID: demand.requireID()), actor: society)
        }
        XCTAssertEqual(duplicate?.code, "innovation.docking_already_open")
        let own = await refusal { try await dockings.perform(.accept, on: id, .init(), actor: enterprise) }
        XCTAssertEqual(own?.code, "innovation.docking_awaits_other_side", "the proposer does not accept their own proposal")
        let stranger = await refusal {
            try await dockings.perform(.accept, on: id, .init(), actor: try await innovationActor("demo.member"))
        }
        XCTAssertEqual(stranger?.code, "platform.not_found")

        try await dockings.perform(.accept, on: id, .init(comment: "欢迎来访"), actor: society)
        try await dockings.perform(.negotiate, on: id, .init(), actor: enterprise)
        let noAmount = await refusal { try await dockings.perform(.sign, on: id, .init(), actor: enterprise) }
        XCTAssertEqual(noAmount?.code, "platform.invalid_input")
        XCTAssertEqual(noAmount?.field, "amount")
        let future = await refusal {
            try await dockings.perform(.sign, on: id, .init(amount: "120", date: "2026-11-19"), actor: enterprise)
        }
        XCTAssertEqual(future?.code, "platform.invalid_input")
        XCTAssertEqual(future?.field, "date")
        let signed = try await dockings.perform(.sign, on: id, .init(amount: "120"), actor: enterprise)
        XCTAssertEqual(signed.state, .signed)
        XCTAssertEqual(signed.contractAmount, 120)
        XCTAssertEqual(signed.intentionOn, Day("2026-11-18"))
        XCTAssertEqual(signed.signedOn, Day("2026-11-18"))

        let figures = try await InnovationFigures.compute(scopePath: demo.province.path, year: 2026, on: app.db)
        XCTAssertEqual(figures.signed, 1)
        XCTAssertEqual(figures.contractAmount, 120)
        XCTAssertEqual(figures.dockingsByState, ["signed": 1])
        let metrics = app.platform.registry.metrics
        let province = MetricDefinition.Query(organization: demo.province, year: 2026)
        expectEqual(try await metrics["innovation.dockings.signed"]!.compute(province, app.db), 1)
        expectEqual(try await metrics["innovation.contracts.amount"]!.compute(province, app.db), 120)
        let county = MetricDefinition.Query(organization: demo.county1, year: 2026)
        expectEqual(try await metrics["innovation.dockings.signed"]!.compute(county, app.db), 0)
        expectEqual(try await metrics["innovation.contracts.amount"]!.compute(county, app.db), 0)
        let lastYear = MetricDefinition.Query(organization: demo.province, year: 2025)
        expectEqual(try await metrics["innovation.dockings.signed"]!.compute(lastYear, app.db), 0)

        let landed = try await dockings.perform(.land, on: id, .init(), actor: society)
        XCTAssertEqual(landed.state, .landed)
        XCTAssertEqual(landed.landedOn, Day("2026-11-18"))
        expectEqual(try await metrics["innovation.dockings.landed"]!.compute(province, app.db), 1)
        let steps = try await dockings.runtime.history(of: id, on: app.db)
        XCTAssertEqual(steps.map(\.action), ["propose", "accept", "negotiate", "sign", "land"])
        XCTAssertEqual(steps[3].comment, "合同金额 120 万元")
    }

    func testAStaffProposalNeedsBothConsentsAndEndingNeedsAReason() async throws {
        let demand = try await postingTitled(Self.tyreDemand)
        let supply = try await postingTitled(Self.reclaimedRubber)
        let staff = try await innovationActor("demo.staff")
        let docking = try await dockings.propose(.init(supplyID: supply.requireID(), demandID: demand.requireID()), actor: staff)
        let id = try docking.requireID()
        XCTAssertEqual(docking.proposedBy, .staff)
        XCTAssertEqual(dockings.awaitingSides(docking), [.supply, .demand])
        expectEqual(
            try await InboxMessage.query(on: app.db).filter(\.$title == "新的对接邀请：\(Self.reclaimedRubber) ↔ \(Self.tyreDemand)").count(), 2)
        let staffAccepts = await refusal { try await dockings.perform(.accept, on: id, .init(), actor: staff) }
        XCTAssertEqual(staffAccepts?.code, "innovation.docking_awaits_other_side")

        let first = try await dockings.perform(.accept, on: id, .init(), actor: try await innovationActor("demo.enterprise"))
        XCTAssertEqual(first.state, .proposed, "one side's consent is not yet an intention")
        XCTAssertTrue(first.demandConsented)
        XCTAssertEqual(dockings.awaitingSides(first), [.supply])
        let second = try await dockings.perform(.accept, on: id, .init(), actor: try await innovationActor("demo.society"))
        XCTAssertEqual(second.state, .intention)
        expectEqual(try await dockings.runtime.history(of: id, on: app.db).map(\.action), ["propose", "consent", "accept"])

        let noReason = await refusal { try await dockings.perform(.terminate, on: id, .init(comment: " "), actor: staff) }
        XCTAssertEqual(noReason?.code, "platform.workflow_comment_required")
        XCTAssertEqual(noReason?.field, "comment")
        let ended = try await dockings.perform(.terminate, on: id, .init(comment: "企业改用热解路线"), actor: staff)
        XCTAssertEqual(ended.state, .terminated)
        XCTAssertEqual(ended.closedOn, Day("2026-11-18"))
        // A new docking of the same pair may start once the old one is over.
        let renewed = try await dockings.propose(
            .init(supplyID: supply.requireID(), demandID: demand.requireID()), actor: try await innovationActor("demo.society"))
        XCTAssertEqual(renewed.proposedBy, .supply)
    }
}
