import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// 科创 pages: an enterprise posts a demand (errors beside the fields), staff review it, the public
/// finds it by list, filter and search, confidential parts stay with those allowed, matches carry
/// their reasons and staff push them; 我的发布; enterprise sign-up.
final class PostingPagesTests: DemoTestCase {
    static let demandTitle = "储能电芯正极材料热稳定性提升"
    static let secret = "现有电芯型号YH-280Ah及配方（保密）"

    /// The demand form as the page would post it.
    static func demandForm(_ changes: [String: String] = [:]) -> [String: String] {
        var form = [
            "kind": "demand", "title": demandTitle, "summary": "高温工况下储能电芯容量衰减快，需提升正极材料热稳定性。",
            "publicDetail": "电站夏季舱内温度达 45℃，需降低热失控风险并保持容量。", "confidentialDetail": secret,
            "indicators": "45℃ 循环 3000 次容量保持率 ≥ 85%", "deadline": "2027-06-30", "budget": "300", "ipOwnership": "双方共有",
            "solverConditions": "具有正极材料中试经验", "industry": "C", "readiness": "", "region": "云海省东港市",
            "ownerName": "云海绿源新材料有限公司", "contactName": "李工", "contactPhone": "13800138001", "keywords": "正极材料 储能 锂电池",
            "intent": "submit",
        ]
        for (key, value) in changes { form[key] = value }
        return form
    }

    private func posting(titled title: String) async throws -> Posting {
        guard let posting = try await Posting.query(on: app.db).filter(\.$title == title).first() else {
            throw Abort(.internalServerError, reason: "posting \(title) missing")
        }
        return posting
    }

    private func demandCount() async throws -> Int {
        try await Posting.query(on: app.db).filter(\.$kind == Posting.Kind.demand.rawValue).count()
    }

    func testAnEnterpriseDemandIsReviewedPublishedFoundAndMatched() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let hub = try await enterprise.get("/innovation")
        XCTAssertEqual(hub.status, .ok)
        XCTAssertTrue(hub.body.string.contains("发布技术需求"))
        XCTAssertFalse(hub.body.string.contains("发布技术供给"), "an enterprise account posts demands only")
        XCTAssertFalse(hub.body.string.contains("批量匹配"), "batch matching is for reviewing staff")
        expectEqual(try await enterprise.get("/innovation/postings/new?kind=supply").status, .forbidden)

        // Bad input: 422, each message beside its field, the typed values kept, nothing saved.
        let before = try await demandCount()
        let bad = try await enterprise.post(
            "/innovation/postings", Self.demandForm(["title": "储能", "indicators": "", "deadline": "明年六月"]))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("<p class=\"field-error\" id=\"title-error\">请填写需求名称（4–100 个字）</p>"))
        XCTAssertTrue(bad.body.string.contains("id=\"indicators-error\">请写明需要达到的核心指标"))
        XCTAssertTrue(bad.body.string.contains("id=\"deadline-error\">请填写截止日期"))
        XCTAssertTrue(bad.body.string.contains("高温工况下储能电芯容量衰减快"), "typed values are kept")
        expectEqual(try await demandCount(), before)

        // A good one, submitted at once.
        let created = try await enterprise.post("/innovation/postings", Self.demandForm())
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(400)))
        var demand = try await posting(titled: Self.demandTitle)
        let id = try demand.requireID()
        XCTAssertEqual(created.location, "/innovation/postings/\(id.uuidString)?notice=posting_submitted")
        XCTAssertEqual(demand.state, "submitted")
        XCTAssertEqual(demand.keywords, "正极材料,储能,锂电池")
        XCTAssertEqual(demand.budget, 300)
        let submittedPage = try await enterprise.get(created.location ?? "")
        XCTAssertTrue(submittedPage.body.string.contains("已提交审核，审核通过后将公开发布"))
        expectFalse(try await Browser(app).get("/innovation/demands").body.string.contains(Self.demandTitle), "not public before review")
        expectEqual(try await Browser(app).get("/innovation/postings/\(id)").status, .notFound)

        // The reviewer finds it in the queue and sees everything, the confidential part included.
        let office = try await loggedIn("demo.orgadmin")
        let queue = try await office.get("/innovation/review")
        XCTAssertEqual(queue.status, .ok)
        XCTAssertTrue(queue.body.string.contains("/innovation/postings/\(id.uuidString)"))
        expectTrue(try await office.get("/innovation").body.string.contains("1 项"), "the hub counts the queue")
        let review = try await office.get("/innovation/postings/\(id)")
        XCTAssertTrue(review.body.string.contains(Self.secret))
        XCTAssertTrue(review.body.string.contains("审核通过并发布"))
        expectEqual(try await loggedIn("demo.member").get("/innovation/review").status, .forbidden)

        // Sending back needs a reason; without one nothing changes.
        let noReason = try await office.post("/innovation/postings/\(id)/actions", ["action": "send_back", "comment": " "])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        XCTAssertTrue(noReason.body.string.contains("id=\"comment-error\""))
        XCTAssertTrue(noReason.body.string.contains("退回理由"))
        expectEqual(try await posting(titled: Self.demandTitle).state, "submitted")

        // A member cannot approve: the submission is not even visible to them.
        let member = try await loggedIn("demo.member")
        let memberApprove = try await member.post("/innovation/postings/\(id)/actions", ["action": "approve"])
        XCTAssertEqual(memberApprove.status, .notFound)
        expectEqual(try await posting(titled: Self.demandTitle).state, "submitted")
        // The owner cannot approve their own either: refused with the reason on the page.
        let ownApprove = try await enterprise.post("/innovation/postings/\(id)/actions", ["action": "approve"])
        XCTAssertEqual(ownApprove.status, .forbidden)
        XCTAssertTrue(ownApprove.body.string.contains("id=\"action-error\""))
        expectEqual(try await posting(titled: Self.demandTitle).state, "submitted")

        let approved = try await office.post("/innovation/postings/\(id)/actions", ["action": "approve", "comment": ""])
        XCTAssertEqual(approved.status, .seeOther, String(approved.body.string.prefix(400)))
        demand = try await posting(titled: Self.demandTitle)
        XCTAssertEqual(demand.state, "published")
        XCTAssertEqual(demand.publishedOn, Day.today(now: clock.now).description)
        let inbox = try await InboxMessage.query(on: app.db).filter(\.$userID == demand.ownerUserID).all()
        XCTAssertTrue(inbox.contains { $0.title == "技术需求已发布：\(Self.demandTitle)" })

        // Public: the list, a search by a word of the title and by one of the description.
        let visitor = Browser(app)
        expectTrue(try await visitor.get("/innovation/demands").body.string.contains(Self.demandTitle))
        let byTitle = try await visitor.get("/innovation/demands?q=" + Browser.encode("热稳定"))
        XCTAssertTrue(byTitle.body.string.contains(Self.demandTitle))
        XCTAssertFalse(byTitle.body.string.contains("废旧轮胎综合利用"))
        XCTAssertTrue(byTitle.body.string.contains("相关度"), "relevance is offered when searching")
        expectTrue(try await visitor.get("/innovation/demands?q=" + Browser.encode("热失控")).body.string.contains(Self.demandTitle))
        expectFalse(try await visitor.get("/innovation/demands?q=" + Browser.encode("割胶")).body.string.contains(Self.demandTitle))
        let filtered = try await visitor.get("/innovation/demands?industry=A")
        XCTAssertFalse(filtered.body.string.contains(Self.demandTitle), "a manufacturing demand is not under agriculture")

        // The confidential part: not for visitors or other members; for the owner and the reviewer.
        let publicPage = try await visitor.get("/innovation/postings/\(id)")
        XCTAssertEqual(publicPage.status, .ok)
        XCTAssertTrue(publicPage.body.string.contains("需降低热失控风险"))
        XCTAssertFalse(publicPage.body.string.contains(Self.secret))
        XCTAssertFalse(publicPage.body.string.contains("13800138001"), "the contact phone is confidential too")
        XCTAssertTrue(publicPage.body.string.contains("保密内容仅对发布方、审核人员和已接受对接的对方可见"))
        XCTAssertFalse(publicPage.body.string.contains("匹配结果"))
        expectFalse(try await member.get("/innovation/postings/\(id)").body.string.contains(Self.secret))
        expectTrue(try await office.get("/innovation/postings/\(id)").body.string.contains(Self.secret))

        // A member cannot close someone else's demand.
        let memberClose = try await member.post("/innovation/postings/\(id)/actions", ["action": "close"])
        XCTAssertEqual(memberClose.status, .forbidden)
        expectEqual(try await posting(titled: Self.demandTitle).state, "published")

        // The owner sees the matches with their reasons, and the recommended experts.
        let own = try await enterprise.get("/innovation/postings/\(id)")
        XCTAssertTrue(own.body.string.contains(Self.secret))
        XCTAssertTrue(own.body.string.contains("匹配结果"))
        let matches = own.body.string.components(separatedBy: "id=\"match-table\"").last ?? ""
        XCTAssertTrue(matches.contains("高镍三元锂离子电池正极材料制备技术"))
        XCTAssertTrue(matches.contains("共同关键词：") || matches.contains("行业相同："), "each match says why")
        XCTAssertTrue(own.body.string.contains("推荐专家"))
        XCTAssertTrue(own.body.string.contains("name=\"back\" value=\"/innovation/postings/\(id.uuidString)\""), "发起对接 comes back here")
        XCTAssertFalse(own.body.string.contains(">推送<"), "only staff push")
        let refused = try await enterprise.get("/innovation/postings/\(id)?docking_error=" + Browser.encode("这项成果与需求之间已有进行中的对接"))
        XCTAssertTrue(refused.body.string.contains("这项成果与需求之间已有进行中的对接"))

        // Export of the filtered list.
        let csv = try await visitor.get("/innovation/demands?format=csv&q=" + Browser.encode("热稳定"))
        XCTAssertEqual(csv.status, .ok)
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        XCTAssertTrue(csv.body.string.contains(Self.demandTitle))
        XCTAssertFalse(csv.body.string.contains("废旧轮胎综合利用"))
        let xlsx = try await visitor.get("/innovation/demands?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        XCTAssertTrue(xlsx.headers.first(name: .contentType)?.contains("spreadsheetml") ?? false)
        XCTAssertEqual(Array(xlsx.body.readableBytesView.prefix(2)), Array("PK".utf8))
    }

    func testADraftIsSavedEditedAndListedUnderMine() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let form = try await enterprise.get("/innovation/postings/new?kind=demand")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.string.contains("value=\"云海绿源新材料有限公司\""), "the enterprise posts as itself")
        let saved = try await enterprise.post("/innovation/postings", Self.demandForm(["intent": "draft"]))
        XCTAssertEqual(saved.status, .seeOther)
        let draft = try await posting(titled: Self.demandTitle)
        let id = try draft.requireID()
        XCTAssertEqual(draft.state, "draft")
        XCTAssertEqual(saved.location, "/innovation/postings/\(id.uuidString)?notice=posting_saved")

        let edit = try await enterprise.get("/innovation/postings/\(id)/edit")
        XCTAssertEqual(edit.status, .ok)
        XCTAssertTrue(edit.body.string.contains("45℃ 循环 3000 次容量保持率 ≥ 85%"))
        let badEdit = try await enterprise.post("/innovation/postings/\(id)", Self.demandForm(["contactPhone": "电话"]))
        XCTAssertEqual(badEdit.status, .unprocessableEntity)
        XCTAssertTrue(badEdit.body.string.contains("id=\"contactPhone-error\">请输入正确的电话号码"))
        let updated = try await enterprise.post(
            "/innovation/postings/\(id)", Self.demandForm(["title": "储能电芯正极材料高温稳定性提升", "intent": "draft"]))
        XCTAssertEqual(updated.status, .seeOther)
        expectEqual(try await Posting.find(id, on: app.db)?.title, "储能电芯正极材料高温稳定性提升")
        expectEqual(try await loggedIn("demo.member").get("/innovation/postings/\(id)/edit").status, .notFound)

        let mine = try await enterprise.get("/innovation/mine")
        XCTAssertEqual(mine.status, .ok)
        XCTAssertTrue(mine.body.string.contains("储能电芯正极材料高温稳定性提升"))
        XCTAssertTrue(mine.body.string.contains("废旧轮胎综合利用"), "the enterprise's published demands too")
        let drafts = try await enterprise.get("/innovation/mine?state=draft")
        XCTAssertTrue(drafts.body.string.contains("储能电芯正极材料高温稳定性提升"))
        XCTAssertFalse(drafts.body.string.contains("废旧轮胎综合利用"))
        let csv = try await enterprise.get("/innovation/mine?format=csv&state=draft")
        XCTAssertTrue(csv.body.string.contains("储能电芯正极材料高温稳定性提升"))
        XCTAssertTrue(csv.body.string.contains("草稿"))

        // Submitting from the page; then it is no longer editable.
        let submitted = try await enterprise.post("/innovation/postings/\(id)/actions", ["action": "submit"])
        XCTAssertEqual(submitted.status, .seeOther)
        expectEqual(try await Posting.find(id, on: app.db)?.state, "submitted")
        expectEqual(try await enterprise.get("/innovation/postings/\(id)/edit").status, .conflict)
    }

    func testTheSupplyListFiltersByReadinessModeAndIndustry() async throws {
        let visitor = Browser(app)
        let all = try await visitor.get("/innovation/supplies")
        XCTAssertEqual(all.status, .ok)
        XCTAssertTrue(all.body.string.contains("高镍三元锂离子电池正极材料制备技术"))
        XCTAssertFalse(all.body.string.contains("储能电芯循环寿命提升"), "demands are on their own list")
        let mature = try await visitor.get("/innovation/supplies?readiness=8")
        XCTAssertTrue(mature.body.string.contains("废旧轮胎橡胶常压连续再生脱硫技术"))
        XCTAssertFalse(mature.body.string.contains("高镍三元锂离子电池正极材料制备技术"), "TRL 7 is below 8")
        let transfer = try await visitor.get("/innovation/supplies?mode=transfer")
        XCTAssertTrue(transfer.body.string.contains("废旧轮胎橡胶常压连续再生脱硫技术"))
        XCTAssertFalse(transfer.body.string.contains("芒果采后热处理保鲜技术"))
        let farming = try await visitor.get("/innovation/supplies?industry=A&sort=readiness")
        let body = farming.body.string
        XCTAssertFalse(body.contains("高镍三元锂离子电池正极材料制备技术"))
        let low = body.range(of: "天然橡胶树低频割胶与乙烯利刺激技术")?.lowerBound
        let mango = body.range(of: "芒果采后热处理保鲜技术")?.lowerBound
        XCTAssertNotNil(low)
        XCTAssertNotNil(mango)
        if let low, let mango { XCTAssertLessThan(low, mango, "TRL 9 before TRL 7") }
        expectTrue(try await visitor.get("/innovation/supplies?region=" + Browser.encode("东港")).body.string.contains("电动割胶刀"))
        expectFalse(try await visitor.get("/innovation/supplies?region=" + Browser.encode("白沙县")).body.string.contains("电动割胶刀"))
        expectTrue(try await visitor.get("/innovation/demands").body.string.contains("/innovation/enterprises/register"))

        let member = try await loggedIn("demo.member")
        let hub = try await member.get("/innovation")
        XCTAssertTrue(hub.body.string.contains("发布技术供给"))
        XCTAssertFalse(hub.body.string.contains("发布技术需求"))
        expectEqual(try await member.get("/innovation/postings/new?kind=demand").status, .forbidden)
        expectEqual(try await member.get("/innovation/postings/new?kind=supply").status, .ok)
    }

    func testStaffPushAMatchToBothOwnersOnce() async throws {
        let demand = try await posting(titled: "废旧轮胎综合利用")
        let supply = try await posting(titled: "废旧轮胎橡胶常压连续再生脱硫技术")
        let demandID = try demand.requireID()
        let supplyID = try supply.requireID()
        let office = try await loggedIn("demo.orgadmin")
        let page = try await office.get("/innovation/postings/\(demandID)")
        XCTAssertTrue(page.body.string.contains("废旧轮胎橡胶常压连续再生脱硫技术"))
        XCTAssertTrue(page.body.string.contains("name=\"supply\" value=\"\(supplyID.uuidString)\""))
        XCTAssertTrue(page.body.string.contains(">推送<"))

        // The owner of the demand may not push.
        let ownerPush = try await loggedIn("demo.enterprise").post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(ownerPush.status, .forbidden)
        XCTAssertTrue(ownerPush.body.string.contains("只有科协工作人员可以推送匹配结果"))

        let pushed = try await office.post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(pushed.status, .seeOther, String(pushed.body.string.prefix(400)))
        XCTAssertEqual(pushed.location, "/innovation/postings/\(demandID.uuidString)?notice=posting_pushed")
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)
        let toDemand = try await InboxMessage.query(on: app.db).filter(\.$userID == demand.ownerUserID).all()
        XCTAssertTrue(toDemand.contains { $0.title == "为您推荐技术成果：废旧轮胎橡胶常压连续再生脱硫技术" })
        let toSupply = try await InboxMessage.query(on: app.db).filter(\.$userID == supply.ownerUserID).all()
        XCTAssertTrue(toSupply.contains { $0.title == "您的成果匹配到技术需求：废旧轮胎综合利用" })
        expectTrue(try await office.get(pushed.location ?? "").body.string.contains("已推送"))

        let again = try await office.post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(again.status, .conflict)
        XCTAssertTrue(again.body.string.contains("这条匹配已经推送过"))
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)

        // The rubber society owns a published supply: it may propose a docking from the demand's page.
        let society = try await loggedIn("demo.society")
        let offer = try await society.get("/innovation/postings/\(demandID)")
        XCTAssertTrue(offer.body.string.contains("id=\"offer\""))
        XCTAssertTrue(offer.body.string.contains("<option value=\"\(supplyID.uuidString)\">废旧轮胎橡胶常压连续再生脱硫技术</option>"))
        expectFalse(try await Browser(app).get("/innovation/postings/\(demandID)").body.string.contains("id=\"offer\""))
        let offerForm = [
            "supply": supplyID.uuidString, "demand": demandID.uuidString, "note": "可来厂试制", "back": "/innovation/postings/\(demandID)",
        ]
        let proposed = try await society.post("/innovation/dockings", offerForm)
        XCTAssertEqual(proposed.status, .seeOther)
        XCTAssertTrue(proposed.location?.hasPrefix("/innovation/dockings/") ?? false)
        // Proposing the same pair again is refused back on this page, with the reason beside the form.
        let twice = try await society.post("/innovation/dockings", offerForm)
        XCTAssertTrue(twice.location?.hasPrefix("/innovation/postings/\(demandID)?docking_error=") ?? false)
        let refusedPage = try await society.get(twice.location ?? "")
        XCTAssertTrue(refusedPage.body.string.contains("id=\"docking-error\">发起对接未成功：这项成果与需求之间已有进行中的对接"))
    }

    func testAnEnterpriseRegistersWithACheckedCreditCodeAndPostsADemand() async throws {
        let visitor = Browser(app)
        let form = try await visitor.get("/innovation/enterprises/register")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.string.contains("东港市科学技术协会"))
        var fields = [
            "name": "云海海创储能科技有限公司", "creditCode": "91460000MA5RC0XK13", "associationID": try demo.city1.requireID().uuidString,
            "industry": "C", "region": "云海省东港市", "contactName": "周明", "contactPhone": "13907550123", "username": "haichuang",
            "password": "Yunhai#Energy26",
        ]
        let wrong = try await visitor.post("/innovation/enterprises/register", fields)
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.string.contains("id=\"creditCode-error\">统一社会信用代码校验位不正确，请核对最后一位"))
        XCTAssertTrue(wrong.body.string.contains("value=\"云海海创储能科技有限公司\""), "typed values are kept")
        XCTAssertFalse(wrong.body.string.contains("Yunhai#Energy26"), "the password is not sent back")
        expectEqual(try await User.query(on: app.db).filter(\.$username == "haichuang").count(), 0)
        // Every problem is shown at once, each beside its field.
        var several = fields
        several["contactPhone"] = "12345"
        let many = try await visitor.post("/innovation/enterprises/register", several)
        XCTAssertTrue(many.body.string.contains("id=\"creditCode-error\""))
        XCTAssertTrue(many.body.string.contains("id=\"contactPhone-error\">请输入正确的 11 位手机号"))

        fields["creditCode"] = "91460000MA5RC0XK12"
        let done = try await visitor.post("/innovation/enterprises/register", fields)
        XCTAssertEqual(
            done.status, .ok,
            done.body.string.components(separatedBy: "field-error").dropFirst().map { String($0.prefix(120)) }.joined(separator: " | "))
        XCTAssertTrue(done.body.string.contains("注册成功"))
        XCTAssertTrue(done.body.string.contains("/login"))
        let record = try await EnterpriseRecord.query(on: app.db).filter(\.$creditCode == "91460000MA5RC0XK12").first()
        XCTAssertNotNil(record)
        let organization = try await Organization.find(record?.organizationID, on: app.db)
        XCTAssertEqual(organization?.name, "云海海创储能科技有限公司")
        XCTAssertEqual(organization?.parentID, demo.city1.id)

        let again = try await visitor.post("/innovation/enterprises/register", fields.merging(["username": "haichuang2"]) { $1 })
        XCTAssertEqual(again.status, .unprocessableEntity)
        XCTAssertTrue(again.body.string.contains("id=\"creditCode-error\">该统一社会信用代码已注册"))

        let account = Browser(app)
        try await account.login("haichuang", "Yunhai#Energy26")
        let newDemand = try await account.get("/innovation/postings/new?kind=demand")
        XCTAssertEqual(newDemand.status, .ok)
        XCTAssertTrue(newDemand.body.string.contains("value=\"云海海创储能科技有限公司\""))
    }
}
