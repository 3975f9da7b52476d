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
        XCTAssertEqual(docking.state, .proposed)
        XCTAssertEqual(docking.proposedBy, .demand)
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
        expectEqual(
            try await enterprise.get(location).page.element(id: "docking-error")?.text, "发起对接未成功：这项成果与需求之间已有进行中的对接",
            "the posting page shows it")
        // Without a local page to go back to, the refusal is an error page of its own.
        let offsite = try await enterprise.post(
            "/innovation/dockings",
            ["supply": supply.id!.uuidString, "demand": demand.id!.uuidString, "back": "https://example.com/innovation/"])
        XCTAssertEqual(offsite.status, .conflict)
        XCTAssertEqual(offsite.page.elements(class: "error-page").first?.elements("p").map(\.text).dropFirst().first, "这项成果与需求之间已有进行中的对接")
        expectEqual(try await Docking.query(on: app.db).count(), 1)

        // The proposer cannot accept its own proposal; the page says who still has to.
        let response = try await enterprise.get(path)
        XCTAssertEqual(response.status, .ok)
        let page = response.page
        XCTAssertEqual(page.element(id: "docking-supply")?.elements("a").first?.text, Self.tyreSupply)
        XCTAssertEqual(page.element(id: "docking-demand")?.elements("a").first?.text, Self.tyreDemand)
        XCTAssertEqual(page.element(id: "docking-awaiting")?.text, "等待供给方（云海省橡胶学会）确认")
        XCTAssertNil(page.element(id: "do-accept"))
        let selfAccept = try await enterprise.post(path + "/actions", ["action": "accept"])
        XCTAssertEqual(selfAccept.status, .forbidden)
        XCTAssertEqual(selfAccept.page.element(id: "docking-error")?.text, "对接邀请需由对方确认")
        expectEqual(try await Docking.find(id, on: app.db)?.state, .proposed)

        // Someone who is neither side nor supervising staff does not see it.
        expectEqual(try await loggedIn("demo.member").get(path).status, .notFound)
        expectEqual(try await loggedIn("demo.county1").get(path).status, .notFound)
        expectEqual(try await loggedIn("demo.member").post(path + "/actions", ["action": "note", "comment": "看看"]).status, .notFound)

        // The society accepts: 意向, and now the enterprise may read the confidential part.
        let societyPage = try await society.get(path).page
        XCTAssertNotNil(societyPage.element(id: "do-accept"))
        XCTAssertNotNil(societyPage.element(id: "do-decline"))
        let accepted = try await society.post(path + "/actions", ["action": "accept", "comment": "欢迎来访"])
        XCTAssertEqual(accepted.status, .seeOther, String(accepted.body.string.prefix(300)))
        let intention = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(intention.state, .intention)
        XCTAssertNotNil(intention.intentionOn)
        expectEqual(
            try await enterprise.get(supplyPage).page.element(id: "confidential")?.elements(class: "source-text").first?.text,
            "螺杆组合参数与助剂配方。",
            "the accepted counterpart reads it")
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
        XCTAssertEqual(noReason.page.element(id: "terminate-comment-error")?.text, "终止须填写终止原因")
        expectEqual(try await Docking.find(id, on: app.db)?.state, .negotiating)

        // 签约 with an amount that is not a number is refused beside the amount; then 12.5 万元.
        let badAmount = try await society.post(path + "/actions", ["action": "sign", "amount": "十二万"])
        XCTAssertEqual(badAmount.status, .unprocessableEntity)
        XCTAssertTrue(badAmount.page.element(id: "sign-amount-error")?.text.hasPrefix("请填写合同金额") ?? false)
        XCTAssertEqual(badAmount.page.element(id: "sign-amount")?.attribute("value"), "十二万", "the typed value stays in the field")
        expectEqual(try await Docking.find(id, on: app.db)?.state, .negotiating)
        let futureDate = try await society.post(path + "/actions", ["action": "sign", "amount": "12.5", "date": "2099-01-01"])
        XCTAssertEqual(futureDate.status, .unprocessableEntity)
        XCTAssertEqual(futureDate.page.element(id: "sign-date-error")?.text, "日期不能晚于今天")
        expectEqual(try await society.post(path + "/actions", ["action": "sign", "amount": "12.5"]).status, .seeOther)
        let signed = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(signed.state, .signed)
        XCTAssertEqual(signed.contractAmount, 12.5)
        XCTAssertEqual(signed.signedOn, Day("2026-11-18"))
        expectEqual(
            try await enterprise.post(path + "/actions", ["action": "land", "date": signed.signedOn?.description ?? ""]).status, .seeOther)
        let landed = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(landed.state, .landed)
        XCTAssertEqual(landed.landedOn, signed.signedOn)

        // The page: the stage bar ends at 落地, the amount, and every step in order.
        let final = try await enterprise.get(path).page
        XCTAssertEqual(final.element(id: "docking-state")?.text, "落地")
        XCTAssertEqual(final.element(id: "docking-amount")?.text, "12.50 万元")
        XCTAssertEqual(
            final.element(id: "docking-stages")?.elements("li").first { $0.has(attribute: "aria-current") }?.elements(class: "stage-label")
                .first?.text,
            "落地")
        let history = final.element(id: "docking-history")?.elements("li").map(\.text) ?? []
        XCTAssertEqual(
            history,
            [
                "2026-11-18 19:07 发起对接 · 演示企业用户：希望考察再生胶中试线", "2026-11-18 19:07 接受对接 · 演示橡胶学会秘书处：欢迎来访",
                "2026-11-18 19:07 进入洽谈 · 演示橡胶学会秘书处", "2026-11-18 19:07 签约 · 演示橡胶学会秘书处：合同金额 12.50 万元",
                "2026-11-18 19:07 项目落地 · 演示企业用户",
            ], "every step, oldest first")
        XCTAssertNil(final.element(id: "do-terminate"), "a landed project is not ended any more")

        // The list: filter, search, export.
        let list = try await enterprise.get("/innovation/dockings")
        XCTAssertEqual(list.status, .ok)
        XCTAssertEqual(
            list.page.rows(inTable: "dockings"),
            [[Self.tyreSupply, Self.tyreDemand, "落地", "需求方（云海绿源新材料有限公司）", "2026-11-18", "2026-11-18", "12.50", "2026-11-18"]])
        func supplies(_ query: String) async throws -> [String] {
            try await enterprise.get("/innovation/dockings" + query).page.column(0, inTable: "dockings")
        }
        expectEqual(try await supplies("?state=proposed"), ["暂无对接"])
        expectEqual(try await supplies("?state=landed&q=" + Browser.encode("轮胎")), [Self.tyreSupply])
        expectEqual(try await supplies("?q=" + Browser.encode("芒果")), ["暂无对接"])
        expectEqual(try await supplies("?sort=stage&dir=desc"), [Self.tyreSupply])
        let csv = try await enterprise.get("/innovation/dockings?format=csv").csvLines
        XCTAssertEqual(csv.first, "成果,需求,阶段,发起方,发起日期,签约日期,合同金额（万元）,落地日期")
        XCTAssertEqual(csv.count, 2)
        XCTAssertTrue(csv.last?.hasPrefix("\(Self.tyreSupply),\(Self.tyreDemand),落地,") ?? false, csv.description)
        XCTAssertTrue(csv.last?.hasSuffix(",2026-11-18,2026-11-18,12.50,2026-11-18") ?? false, csv.description)
        let xlsx = try await society.get("/innovation/dockings?format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.first?.first, "成果")
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows.last?[2], "落地")
        expectEqual(
            try await loggedIn("demo.orgadmin").get("/innovation/dockings").page.column(0, inTable: "dockings"), [Self.tyreSupply],
            "the province's staff supervise it")
        expectEqual(try await loggedIn("demo.member").get("/innovation/dockings").page.column(0, inTable: "dockings"), ["暂无对接"])
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
        XCTAssertEqual(docking.proposedBy, .staff)
        XCTAssertFalse(docking.supplyConsented || docking.demandConsented)
        for owner in ["demo.society", "demo.enterprise"] {
            let userID = try await user(owner).requireID()
            expectEqual(
                try await InboxMessage.query(on: app.db).filter(\.$userID == userID).filter(\.$title ~~ "新的对接邀请").count(), 1,
                "\(owner) is invited")
        }
        let staffPage = try await office.get(path).page
        XCTAssertEqual(staffPage.element(id: "docking-awaiting")?.text, "等待供给方（云海省橡胶学会）、需求方（云海绿源新材料有限公司）确认")
        XCTAssertNil(staffPage.element(id: "do-accept"), "staff do not accept for the parties")

        // Declining needs a reason.
        let society = try await loggedIn("demo.society")
        let bare = try await society.post(path + "/actions", ["action": "decline"])
        XCTAssertEqual(bare.status, .unprocessableEntity)
        XCTAssertEqual(bare.page.element(id: "decline-comment-error")?.text, "谢绝须填写谢绝理由")
        expectEqual(try await Docking.find(id, on: app.db)?.state, .proposed)

        // The first side's agreement keeps it 待确认; the second side's makes it 意向.
        let consentPage = try await society.get(path).page
        XCTAssertNotNil(consentPage.element(id: "do-consent"), "the first side consents")
        expectEqual(try await society.post(path + "/actions", ["action": "accept"]).status, .seeOther)
        let half = try await Docking.find(id, on: app.db).required()
        XCTAssertEqual(half.state, .proposed)
        XCTAssertTrue(half.supplyConsented)
        let enterprise = try await loggedIn("demo.enterprise")
        let waiting = try await enterprise.get(path).page
        XCTAssertEqual(waiting.element(id: "docking-state")?.text, "待确认")
        XCTAssertEqual(waiting.element(id: "docking-awaiting")?.text, "等待需求方（云海绿源新材料有限公司）确认")
        XCTAssertNotNil(waiting.element(id: "do-accept"))
        expectNil(try await society.get(path).page.element(id: "do-consent"), "one agreement per side")
        expectEqual(try await enterprise.post(path + "/actions", ["action": "accept"]).status, .seeOther)
        expectEqual(try await Docking.find(id, on: app.db)?.state, .intention)
        let history = try await enterprise.get(path).page.element(id: "docking-history")?.elements("li").map(\.text) ?? []
        XCTAssertEqual(history.dropFirst().first, "2026-11-18 19:07 同意对接 · 演示橡胶学会秘书处", history.description)
        XCTAssertEqual(history.dropFirst(2).first, "2026-11-18 19:07 接受对接 · 演示企业用户", history.description)
        let societyUser = try await user("demo.society").requireID()
        expectTrue(
            try await InboxMessage.query(on: app.db).filter(\.$userID == societyUser).filter(\.$title ~~ "对接进展").count() >= 1,
            "the other side hears of the acceptance")

        // Ending it with a reason: the bar marks 终止 and where it stopped.
        expectEqual(try await office.post(path + "/actions", ["action": "terminate", "comment": "企业转产"]).status, .seeOther)
        let ended = try await enterprise.get(path).page
        XCTAssertNotNil(ended.element(id: "docking-closed"))
        let current = ended.element(id: "docking-stages")?.elements("li").first { $0.has(attribute: "aria-current") }
        XCTAssertEqual(current?.attribute("class"), "closed")
        XCTAssertEqual(current?.elements(class: "stage-label").first?.text, "终止")
        XCTAssertEqual(ended.element(id: "docking-history")?.elements("li").last?.text.hasSuffix("：企业转产"), true)
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
