import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// 对接 through the web: an enterprise proposes, the society accepts and the docking goes through
/// 洽谈 → 签约 → 落地 with every step in the history; refusals are shown beside their fields; staff
/// proposals need both sides; outsiders do not see a docking at all.
final class DockingPagesTests: DemoTestCase {
    static let tyreSupply = "废旧轮胎橡胶常压连续再生脱硫技术"
    static let tyreDemand = "废旧轮胎综合利用"
    static let secret = "螺杆组合参数与助剂配方"

    func posting(_ title: String) async throws -> Posting {
        try await Posting.query(on: app.db).filter(\.$title == title).first().required()
    }

    func user(_ username: String) async throws -> User {
        try await User.query(on: app.db).filter(\.$username == username).first().required()
    }

    func actor(_ username: String) async throws -> Actor {
        try await Actor.load(user: try await user(username), preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    /// Proposes from the supply's page the way its form posts, returning the response.
    func propose(_ browser: Browser, supply: Posting, demand: Posting, note: String = "", station: UUID? = nil) async throws
        -> XCTHTTPResponse
    {
        var form = [
            "supply": try supply.requireID().uuidString, "demand": try demand.requireID().uuidString, "note": note,
            "back": InnovationRoutes.posting(try supply.requireID()),
        ]
        if let station { form["station"] = station.uuidString }
        return try await browser.post("/innovation/dockings", form)
    }

    func dockingID(_ response: XCTHTTPResponse, file: StaticString = #filePath, line: UInt = #line) throws -> UUID {
        let location = response.location ?? ""
        XCTAssertTrue(location.hasPrefix("/innovation/dockings/"), "expected the docking page, got \(location)", file: file, line: line)
        let text = location.dropFirst("/innovation/dockings/".count).split(separator: "?").first.map(String.init) ?? ""
        return try UUID(uuidString: text).required()
    }

    func testAnEnterpriseProposalIsAcceptedBySocietyAndGoesToLandingWithItsHistory() async throws {
        let supply = try await posting(Self.tyreSupply)
        let demand = try await posting(Self.tyreDemand)
        let supplyPage = InnovationRoutes.posting(try supply.requireID())
        let enterprise = try await loggedIn("demo.enterprise")
        let society = try await loggedIn("demo.society")

        // Before any docking the enterprise sees the public part only.
        let before = try await enterprise.get(supplyPage)
        XCTAssertEqual(before.status, .ok)
        XCTAssertFalse(before.body.string.contains(Self.secret))
        expectEqual(
            try await PostingService(db: app.db, services: app.platform).mayReadConfidential(
                supply, actor: try await actor("demo.enterprise")), false)

        let proposed = try await propose(enterprise, supply: supply, demand: demand, note: "希望考察再生胶中试线")
        XCTAssertEqual(proposed.status, .seeOther, String(proposed.body.string.prefix(300)))
        let id = try dockingID(proposed)
        let path = InnovationRoutes.docking(id)
        let docking = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(docking.state, "proposed")
        XCTAssertEqual(docking.proposedBy, "demand")
        XCTAssertTrue(docking.demandConsented)
        XCTAssertFalse(docking.supplyConsented)
        let societyUser = try await user("demo.society").requireID()
        expectEqual(
            try await InboxMessage.query(on: app.db).filter(\.$userID == societyUser).filter(\.$title ~~ "新的对接邀请").count(), 1,
            "the supply's owner is told")

        // A second open docking for the same pair goes back to the posting page with the 409 message.
        let again = try await propose(enterprise, supply: supply, demand: demand)
        XCTAssertEqual(again.status, .seeOther)
        let location = again.location ?? ""
        XCTAssertTrue(location.hasPrefix(supplyPage + "?docking_error="), location)
        XCTAssertEqual(location.removingPercentEncoding?.contains("这项成果与需求之间已有进行中的对接"), true)
        expectTrue(try await enterprise.get(location).body.string.contains("这项成果与需求之间已有进行中的对接"), "the posting page shows it")
        // Without a local page to go back to, the refusal is an error page of its own.
        let offsite = try await enterprise.post(
            "/innovation/dockings",
            ["supply": supply.id!.uuidString, "demand": demand.id!.uuidString, "back": "https://example.com/innovation/"])
        XCTAssertEqual(offsite.status, .conflict)
        XCTAssertTrue(offsite.body.string.contains("这项成果与需求之间已有进行中的对接"))
        expectEqual(try await Docking.query(on: app.db).count(), 1)

        // The proposer cannot accept its own proposal; the page says who still has to.
        let page = try await enterprise.get(path)
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains(Self.tyreSupply))
        XCTAssertTrue(page.body.string.contains(Self.tyreDemand))
        XCTAssertTrue(page.body.string.contains("等待供给方（云海省橡胶学会）确认"))
        XCTAssertFalse(page.body.string.contains("id=\"do-accept\""))
        let selfAccept = try await enterprise.post(path + "/actions", ["action": "accept"])
        XCTAssertEqual(selfAccept.status, .forbidden)
        XCTAssertTrue(selfAccept.body.string.contains("对接邀请需由对方确认"))
        expectEqual(try await Docking.find(id, on: app.db)?.state, "proposed")

        // Someone who is neither side nor supervising staff does not see it.
        expectEqual(try await loggedIn("demo.member").get(path).status, .notFound)
        expectEqual(try await loggedIn("demo.county1").get(path).status, .notFound)
        expectEqual(try await loggedIn("demo.member").post(path + "/actions", ["action": "note", "comment": "看看"]).status, .notFound)

        // The society accepts: 意向, and now the enterprise may read the confidential part.
        let societyPage = try await society.get(path)
        XCTAssertTrue(societyPage.body.string.contains("id=\"do-accept\""))
        XCTAssertTrue(societyPage.body.string.contains("id=\"do-decline\""))
        let accepted = try await society.post(path + "/actions", ["action": "accept", "comment": "欢迎来访"])
        XCTAssertEqual(accepted.status, .seeOther, String(accepted.body.string.prefix(300)))
        let intention = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(intention.state, "intention")
        XCTAssertNotNil(intention.intentionOn)
        expectTrue(try await enterprise.get(supplyPage).body.string.contains(Self.secret), "the accepted counterpart reads it")
        expectEqual(
            try await PostingService(db: app.db, services: app.platform).mayReadConfidential(
                supply, actor: try await actor("demo.enterprise")), true)
        let enterpriseUser = try await user("demo.enterprise").requireID()
        expectTrue(
            try await InboxMessage.query(on: app.db).filter(\.$userID == enterpriseUser).filter(\.$title ~~ "对接进展").count() >= 1,
            "the proposer hears of the acceptance")

        // 洽谈; 终止 without a reason is refused beside the reason field; nothing changes.
        expectEqual(try await society.post(path + "/actions", ["action": "negotiate"]).status, .seeOther)
        let noReason = try await enterprise.post(path + "/actions", ["action": "terminate", "comment": "  "])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        XCTAssertTrue(noReason.body.string.contains("id=\"terminate-comment-error\""))
        expectEqual(try await Docking.find(id, on: app.db)?.state, "negotiating")

        // 签约 with an amount that is not a number is refused beside the amount; then 12.5 万元.
        let badAmount = try await society.post(path + "/actions", ["action": "sign", "amount": "十二万"])
        XCTAssertEqual(badAmount.status, .unprocessableEntity)
        XCTAssertTrue(badAmount.body.string.contains("id=\"sign-amount-error\""))
        XCTAssertTrue(badAmount.body.string.contains("请填写合同金额"))
        XCTAssertTrue(badAmount.body.string.contains("value=\"十二万\""), "the typed value stays in the field")
        expectEqual(try await Docking.find(id, on: app.db)?.state, "negotiating")
        let futureDate = try await society.post(path + "/actions", ["action": "sign", "amount": "12.5", "date": "2099-01-01"])
        XCTAssertEqual(futureDate.status, .unprocessableEntity)
        XCTAssertTrue(futureDate.body.string.contains("id=\"sign-date-error\""))
        expectEqual(try await society.post(path + "/actions", ["action": "sign", "amount": "12.5"]).status, .seeOther)
        let signed = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(signed.state, "signed")
        XCTAssertEqual(signed.contractAmount, 12.5)
        XCTAssertNotNil(signed.signedOn)
        expectEqual(try await enterprise.post(path + "/actions", ["action": "land", "date": signed.signedOn ?? ""]).status, .seeOther)
        let landed = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(landed.state, "landed")
        XCTAssertEqual(landed.landedOn, signed.signedOn)

        // The page: the stage bar ends at 落地, the amount, and every step in order.
        let final = try await enterprise.get(path).body.string
        XCTAssertTrue(final.contains("id=\"docking-state\">落地</span>"))
        XCTAssertTrue(final.contains("12.50 万元"))
        XCTAssertTrue(final.contains("aria-current=\"step\"><span class=\"stage-label\">落地</span>"))
        let history = try XCTUnwrap(final.components(separatedBy: "id=\"docking-history\"").last)
        let steps = ["发起对接", "接受对接", "进入洽谈", "签约", "项目落地"].map { history.range(of: $0)?.lowerBound }
        XCTAssertFalse(steps.contains(nil), "every step is listed")
        XCTAssertEqual(steps.compactMap { $0 }, steps.compactMap { $0 }.sorted(), "oldest first")
        XCTAssertTrue(history.contains("希望考察再生胶中试线"))
        XCTAssertTrue(history.contains("合同金额 12.50 万元"))
        XCTAssertTrue(history.contains("演示橡胶学会秘书处"))
        XCTAssertFalse(final.contains("id=\"do-terminate\""), "a landed project is not ended any more")

        // The list: filter, search, export.
        let list = try await enterprise.get("/innovation/dockings")
        XCTAssertEqual(list.status, .ok)
        XCTAssertTrue(list.body.string.contains(Self.tyreSupply))
        XCTAssertTrue(list.body.string.contains("需求方（云海绿源新材料有限公司）"))
        expectTrue(!(try await enterprise.get("/innovation/dockings?state=proposed").body.string.contains(Self.tyreSupply)))
        expectTrue(try await enterprise.get("/innovation/dockings?state=landed&q=轮胎").body.string.contains(Self.tyreSupply))
        expectTrue(!(try await enterprise.get("/innovation/dockings?q=芒果").body.string.contains(Self.tyreSupply)))
        expectTrue(try await enterprise.get("/innovation/dockings?sort=stage&dir=desc").body.string.contains(Self.tyreSupply))
        let csv = try await enterprise.get("/innovation/dockings?format=csv").body.string
        XCTAssertTrue(csv.contains("成果,需求,阶段,发起方,发起日期,签约日期,合同金额（万元）,落地日期"))
        XCTAssertTrue(csv.contains("\(Self.tyreSupply),\(Self.tyreDemand),落地"))
        XCTAssertTrue(csv.contains("12.50"))
        let xlsx = try await society.get("/innovation/dockings?format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.first?.first, "成果")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.last?[2], "落地")
        expectTrue(
            try await loggedIn("demo.orgadmin").get("/innovation/dockings").body.string.contains(Self.tyreSupply),
            "the province's staff supervise it")
        expectTrue(!(try await loggedIn("demo.member").get("/innovation/dockings").body.string.contains(Self.tyreSupply)))
    }

    func testAStaffProposalNeedsBothSidesAndADeclineNeedsAReason() async throws {
        let supply = try await posting(Self.tyreSupply)
        let demand = try await posting(Self.tyreDemand)
        let office = try await loggedIn("demo.orgadmin")
        let proposed = try await propose(office, supply: supply, demand: demand, note: "对接会现场推荐")
        XCTAssertEqual(proposed.status, .seeOther, String(proposed.body.string.prefix(300)))
        let id = try dockingID(proposed)
        let path = InnovationRoutes.docking(id)
        let docking = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(docking.proposedBy, "staff")
        XCTAssertFalse(docking.supplyConsented || docking.demandConsented)
        for owner in ["demo.society", "demo.enterprise"] {
            let userID = try await user(owner).requireID()
            expectEqual(
                try await InboxMessage.query(on: app.db).filter(\.$userID == userID).filter(\.$title ~~ "新的对接邀请").count(), 1,
                "\(owner) is invited")
        }
        let staffPage = try await office.get(path).body.string
        XCTAssertTrue(staffPage.contains("等待供给方（云海省橡胶学会）、需求方（云海绿源新材料有限公司）确认"))
        XCTAssertFalse(staffPage.contains("id=\"do-accept\""), "staff do not accept for the parties")

        // Declining needs a reason.
        let society = try await loggedIn("demo.society")
        let bare = try await society.post(path + "/actions", ["action": "decline"])
        XCTAssertEqual(bare.status, .unprocessableEntity)
        XCTAssertTrue(bare.body.string.contains("id=\"decline-comment-error\""))

        // The first side's agreement keeps it 待确认; the second side's makes it 意向.
        let consentPage = try await society.get(path).body.string
        XCTAssertTrue(consentPage.contains("id=\"do-consent\""), "the first side consents")
        expectEqual(try await society.post(path + "/actions", ["action": "accept"]).status, .seeOther)
        let half = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(half.state, "proposed")
        XCTAssertTrue(half.supplyConsented)
        let enterprise = try await loggedIn("demo.enterprise")
        let waiting = try await enterprise.get(path).body.string
        XCTAssertTrue(waiting.contains("id=\"docking-state\">待确认</span>"))
        XCTAssertTrue(waiting.contains("等待需求方（云海绿源新材料有限公司）确认"))
        XCTAssertTrue(waiting.contains("id=\"do-accept\""))
        expectTrue(!(try await society.get(path).body.string.contains("id=\"do-consent\"")), "one agreement per side")
        expectEqual(try await enterprise.post(path + "/actions", ["action": "accept"]).status, .seeOther)
        expectEqual(try await Docking.find(id, on: app.db)?.state, "intention")
        let history = try await enterprise.get(path).body.string
        XCTAssertTrue(history.contains("同意对接 · 演示橡胶学会秘书处"))
        XCTAssertTrue(history.contains("接受对接 · 演示企业用户"))
        let societyUser = try await user("demo.society").requireID()
        expectTrue(
            try await InboxMessage.query(on: app.db).filter(\.$userID == societyUser).filter(\.$title ~~ "对接进展").count() >= 1,
            "the other side hears of the acceptance")

        // Ending it with a reason: the bar marks 终止 and where it stopped.
        expectEqual(try await office.post(path + "/actions", ["action": "terminate", "comment": "企业转产"]).status, .seeOther)
        let ended = try await enterprise.get(path).body.string
        XCTAssertTrue(ended.contains("id=\"docking-closed\""))
        XCTAssertTrue(ended.contains("class=\"closed\" aria-current=\"step\"><span class=\"stage-label\">终止</span>"))
        XCTAssertTrue(ended.contains("企业转产"))
        // After it ended the pair may be proposed again.
        expectEqual(try await propose(office, supply: supply, demand: demand).status, .seeOther)
        expectEqual(try await Docking.query(on: app.db).count(), 2)
    }
}

extension Optional {
    /// The value, or a test failure naming the line; for `try await query.first().required()`.
    func required(file: StaticString = #filePath, line: UInt = #line) throws -> Wrapped {
        try XCTUnwrap(self, file: file, line: line)
    }
}
