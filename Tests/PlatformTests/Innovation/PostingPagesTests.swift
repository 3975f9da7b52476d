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
        try await Posting.query(on: app.db).filter(\.$kind == .demand).count()
    }

    /// The enterprise's demand, submitted for review: the enterprise's browser and the demand's id.
    private func submittedDemand() async throws -> (enterprise: Browser, id: UUID) {
        let enterprise = try await loggedIn("demo.enterprise")
        let created = try await enterprise.post("/innovation/postings", Self.demandForm())
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(400)))
        return (enterprise, try await posting(titled: Self.demandTitle).requireID())
    }

    /// The same demand approved by the provincial office, so it is published.
    private func publishedDemand() async throws -> (enterprise: Browser, office: Browser, id: UUID) {
        let (enterprise, id) = try await submittedDemand()
        let office = try await loggedIn("demo.orgadmin")
        let approved = try await office.post("/innovation/postings/\(id)/actions", ["action": "approve", "comment": ""])
        XCTAssertEqual(approved.status, .seeOther, String(approved.body.string.prefix(400)))
        return (enterprise, office, id)
    }

    private func demandTitles(_ browser: Browser, query: String = "") async throws -> [String] {
        try await browser.get("/innovation/demands" + query).page.column(0, inTable: "postings")
    }

    func testAnEnterpriseIsOfferedOnlyTheDemandFormOnTheHub() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let hub = try await enterprise.get("/innovation")
        XCTAssertEqual(hub.status, .ok)
        XCTAssertEqual(hub.page.element(id: "innovation-post")?.elements("a").map(\.text), ["发布技术需求"], "an enterprise posts demands only")
        XCTAssertNil(hub.page.link(to: "/innovation/batch"), "batch matching is for reviewing staff")
        expectEqual(try await enterprise.get("/innovation/postings/new?kind=supply").status, .forbidden)
    }

    func testABadDemandIsRefusedWithEachMessageBesideItsFieldAndNothingSaved() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let before = try await demandCount()
        let bad = try await enterprise.post(
            "/innovation/postings", Self.demandForm(["title": "储能", "indicators": "", "deadline": "明年六月"]))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let page = bad.page
        XCTAssertEqual(page.fieldError("title"), "请填写需求名称（4–100 个字）")
        XCTAssertEqual(page.fieldError("indicators"), "请写明需要达到的核心指标")
        XCTAssertEqual(page.fieldError("deadline"), "请填写截止日期（如 2027-06-30）")
        XCTAssertNil(page.fieldError("summary"))
        XCTAssertEqual(page.fieldValue("summary"), "高温工况下储能电芯容量衰减快，需提升正极材料热稳定性。", "typed values are kept")
        XCTAssertEqual(page.fieldValue("deadline"), "明年六月")
        expectEqual(try await demandCount(), before)
    }

    func testASubmittedDemandWaitsForReviewAndIsNotPublic() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let created = try await enterprise.post("/innovation/postings", Self.demandForm())
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(400)))
        let demand = try await posting(titled: Self.demandTitle)
        let id = try demand.requireID()
        XCTAssertEqual(created.location, "/innovation/postings/\(id.uuidString)?notice=posting_submitted")
        XCTAssertEqual(demand.state, .submitted)
        XCTAssertEqual(demand.keywords, ["正极材料", "储能", "锂电池"])
        XCTAssertEqual(demand.budget, 300)
        let submittedPage = try await enterprise.get(created.location ?? "").page
        XCTAssertEqual(submittedPage.element(id: "posting-notice")?.text, "已提交审核，审核通过后将公开发布")
        XCTAssertEqual(submittedPage.element(id: "posting-state")?.text, "待审核")
        expectFalse(try await demandTitles(Browser(app)).contains(Self.demandTitle), "not public before review")
        expectEqual(try await Browser(app).get("/innovation/postings/\(id)").status, .notFound)
    }

    func testTheReviewerFindsTheSubmissionInTheQueueWithItsConfidentialPart() async throws {
        let (_, id) = try await submittedDemand()
        let office = try await loggedIn("demo.orgadmin")
        let queue = try await office.get("/innovation/review")
        XCTAssertEqual(queue.status, .ok)
        let queued = queue.page.rowElements(inTable: "review-queue").filter {
            $0.elements("a").first?.attribute("href") == "/innovation/postings/\(id.uuidString)"
        }
        XCTAssertEqual(queued.first?.children.map(\.text).prefix(4), [Self.demandTitle, "技术需求", "云海绿源新材料有限公司", "云海省东港市"])
        let hub = try await office.get("/innovation").page
        let hubLink = hub.element(id: "main")?.elements("a").first { $0.attribute("href") == "/innovation/review" }
        XCTAssertEqual(hubLink?.parent?.elements(class: "badge").first?.text, "1 项", "the hub counts the queue")
        let review = try await office.get("/innovation/postings/\(id)").page
        XCTAssertEqual(review.element(id: "confidential")?.elements(class: "source-text").map(\.text), [Self.secret, "李工 13800138001"])
        XCTAssertEqual(review.element(id: "action-approve")?.text, "审核通过并发布")
        expectEqual(try await loggedIn("demo.member").get("/innovation/review").status, .forbidden)
    }

    func testSendingBackNeedsAReasonAndNeitherAMemberNorTheOwnerMayApprove() async throws {
        let (enterprise, id) = try await submittedDemand()
        let office = try await loggedIn("demo.orgadmin")
        let noReason = try await office.post("/innovation/postings/\(id)/actions", ["action": "send_back", "comment": " "])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        XCTAssertEqual(noReason.page.fieldError("comment"), "退回修改须填写退回理由")
        expectEqual(try await posting(titled: Self.demandTitle).state, .submitted)

        // A member cannot approve: the submission is not even visible to them.
        let memberApprove = try await loggedIn("demo.member").post("/innovation/postings/\(id)/actions", ["action": "approve"])
        XCTAssertEqual(memberApprove.status, .notFound)
        expectEqual(try await posting(titled: Self.demandTitle).state, .submitted)
        // The owner cannot approve their own either: refused with the reason on the page.
        let ownApprove = try await enterprise.post("/innovation/postings/\(id)/actions", ["action": "approve"])
        XCTAssertEqual(ownApprove.status, .forbidden)
        XCTAssertEqual(ownApprove.page.fieldError("action"), "只有审核人员可以审核通过并发布")
        expectEqual(try await posting(titled: Self.demandTitle).state, .submitted)
    }

    func testAnApprovedDemandIsPublishedTodayAndItsOwnerIsTold() async throws {
        let (_, _, id) = try await publishedDemand()
        let demand = try await posting(titled: Self.demandTitle)
        XCTAssertEqual(demand.id, id)
        XCTAssertEqual(demand.state, .published)
        XCTAssertEqual(demand.publishedOn, Day("2026-11-18"))
        let inbox = try await InboxMessage.query(on: app.db).filter(\.$userID == demand.ownerUserID).all()
        XCTAssertTrue(inbox.contains { $0.title == "技术需求已发布：\(Self.demandTitle)" })
    }

    func testAPublishedDemandIsFoundByTheListBySearchAndByFilter() async throws {
        _ = try await publishedDemand()
        let visitor = Browser(app)
        expectTrue(try await demandTitles(visitor).contains(Self.demandTitle))
        let byTitle = try await visitor.get("/innovation/demands?q=" + Browser.encode("热稳定")).page
        XCTAssertEqual(byTitle.column(0, inTable: "postings"), [Self.demandTitle])
        XCTAssertEqual(byTitle.selectedOption("sort"), "relevance", "relevance is offered when searching")
        expectEqual(try await demandTitles(visitor, query: "?q=" + Browser.encode("热失控")), [Self.demandTitle])
        expectFalse(try await demandTitles(visitor, query: "?q=" + Browser.encode("割胶")).contains(Self.demandTitle))
        expectFalse(
            try await demandTitles(visitor, query: "?industry=A").contains(Self.demandTitle),
            "a manufacturing demand is not under agriculture")
    }

    func testTheConfidentialPartStaysWithTheOwnerAndTheReviewer() async throws {
        let (enterprise, office, id) = try await publishedDemand()
        let publicResponse = try await Browser(app).get("/innovation/postings/\(id)")
        XCTAssertEqual(publicResponse.status, .ok)
        let publicPage = publicResponse.page
        XCTAssertTrue(publicPage.elements(class: "source-text").map(\.text).contains("电站夏季舱内温度达 45℃，需降低热失控风险并保持容量。"))
        XCTAssertEqual(publicPage.element(id: "confidential")?.elements("p").map(\.text), ["保密内容仅对发布方、审核人员和已接受对接的对方可见。"])
        XCTAssertFalse(publicResponse.body.string.contains(Self.secret))
        XCTAssertFalse(publicResponse.body.string.contains("13800138001"), "the contact phone is confidential too")
        XCTAssertNil(publicPage.element(id: "matches"))
        let member = try await loggedIn("demo.member")
        expectFalse(try await member.get("/innovation/postings/\(id)").body.string.contains(Self.secret))
        for browser in [enterprise, office] {
            let confidential = try await browser.get("/innovation/postings/\(id)").page.element(id: "confidential")
            XCTAssertEqual(confidential?.elements(class: "source-text").first?.text, Self.secret)
        }

        // A member cannot close someone else's demand.
        let memberClose = try await member.post("/innovation/postings/\(id)/actions", ["action": "close"])
        XCTAssertEqual(memberClose.status, .forbidden)
        expectEqual(try await posting(titled: Self.demandTitle).state, .published)
    }

    func testTheOwnerSeesMatchesWithTheirReasonsAndTheRecommendedExperts() async throws {
        let (enterprise, _, id) = try await publishedDemand()
        let own = try await enterprise.get("/innovation/postings/\(id)").page
        let matches = own.rowElements(inTable: "match-table")
        let cathode = matches.first { $0.elements("a").first?.text == "高镍三元锂离子电池正极材料制备技术" }
        XCTAssertNotNil(cathode)
        let reasons = cathode?.elements(class: "match-reasons").first?.elements("li").map(\.text) ?? []
        XCTAssertTrue(reasons.contains { $0.hasPrefix("共同关键词：") || $0.hasPrefix("行业相同：") }, "each match says why: \(reasons)")
        XCTAssertNotNil(own.element(id: "expert-table"))
        let backs = own.element(id: "match-table")?.elements("input").filter { $0.attribute("name") == "back" }.map {
            $0.attribute("value")
        }
        XCTAssertEqual(Set(backs ?? []), ["/innovation/postings/\(id.uuidString)"], "发起对接 comes back here")
        XCTAssertFalse(own.element(id: "match-table")?.elements("button").map(\.text).contains("推送") ?? true, "only staff push")
        let refused = try await enterprise.get("/innovation/postings/\(id)?docking_error=" + Browser.encode("这项成果与需求之间已有进行中的对接"))
        XCTAssertEqual(refused.page.element(id: "docking-error")?.text, "发起对接未成功：这项成果与需求之间已有进行中的对接")
    }

    func testTheFilteredDemandListIsExported() async throws {
        _ = try await publishedDemand()
        let visitor = Browser(app)
        let csv = try await visitor.get("/innovation/demands?format=csv&q=" + Browser.encode("热稳定"))
        XCTAssertEqual(csv.status, .ok)
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        let lines = csv.csvLines
        XCTAssertEqual(lines.count, 2, "a header and the one demand found")
        XCTAssertTrue(lines.last?.hasPrefix(Self.demandTitle) ?? false, String(lines.last ?? ""))
        let xlsx = try await visitor.get("/innovation/demands?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        XCTAssertTrue(xlsx.headers.first(name: .contentType)?.contains("spreadsheetml") ?? false)
        XCTAssertEqual(Array(xlsx.body.readableBytesView.prefix(2)), Array("PK".utf8))
    }

    func testADraftIsSavedEditedAndListedUnderMine() async throws {
        let enterprise = try await loggedIn("demo.enterprise")
        let form = try await enterprise.get("/innovation/postings/new?kind=demand")
        XCTAssertEqual(form.status, .ok)
        XCTAssertEqual(form.page.fieldValue("ownerName"), "云海绿源新材料有限公司", "the enterprise posts as itself")
        let saved = try await enterprise.post("/innovation/postings", Self.demandForm(["intent": "draft"]))
        XCTAssertEqual(saved.status, .seeOther)
        let draft = try await posting(titled: Self.demandTitle)
        let id = try draft.requireID()
        XCTAssertEqual(draft.state, .draft)
        XCTAssertEqual(saved.location, "/innovation/postings/\(id.uuidString)?notice=posting_saved")

        let edit = try await enterprise.get("/innovation/postings/\(id)/edit")
        XCTAssertEqual(edit.status, .ok)
        XCTAssertEqual(edit.page.fieldValue("indicators"), "45℃ 循环 3000 次容量保持率 ≥ 85%")
        let badEdit = try await enterprise.post("/innovation/postings/\(id)", Self.demandForm(["contactPhone": "电话"]))
        XCTAssertEqual(badEdit.status, .unprocessableEntity)
        XCTAssertEqual(badEdit.page.fieldError("contactPhone"), "请输入正确的电话号码")
        let updated = try await enterprise.post(
            "/innovation/postings/\(id)", Self.demandForm(["title": "储能电芯正极材料高温稳定性提升", "intent": "draft"]))
        XCTAssertEqual(updated.status, .seeOther)
        expectEqual(try await Posting.find(id, on: app.db)?.title, "储能电芯正极材料高温稳定性提升")
        expectEqual(try await loggedIn("demo.member").get("/innovation/postings/\(id)/edit").status, .notFound)

        let mine = try await enterprise.get("/innovation/mine")
        XCTAssertEqual(mine.status, .ok)
        let mineTitles = mine.page.column(0, inTable: "my-postings")
        XCTAssertTrue(mineTitles.contains("储能电芯正极材料高温稳定性提升"), mineTitles.description)
        XCTAssertTrue(mineTitles.contains("废旧轮胎综合利用"), "the enterprise's published demands too")
        let drafts = try await enterprise.get("/innovation/mine?state=draft").page
        XCTAssertEqual(drafts.rows(inTable: "my-postings").map { Array($0.prefix(3)) }, [["储能电芯正极材料高温稳定性提升", "技术需求", "草稿"]])
        let csv = try await enterprise.get("/innovation/mine?format=csv&state=draft")
        let csvLines = csv.csvLines
        XCTAssertEqual(csvLines.count, 2, csv.body.string)
        XCTAssertTrue(csvLines.last?.hasPrefix("储能电芯正极材料高温稳定性提升,技术需求,草稿") ?? false, csv.body.string)

        // Submitting from the page; then it is no longer editable.
        let submitted = try await enterprise.post("/innovation/postings/\(id)/actions", ["action": "submit"])
        XCTAssertEqual(submitted.status, .seeOther)
        expectEqual(try await Posting.find(id, on: app.db)?.state, .submitted)
        expectEqual(try await enterprise.get("/innovation/postings/\(id)/edit").status, .conflict)
    }

    func testTheSupplyListFiltersByReadinessModeAndIndustry() async throws {
        let visitor = Browser(app)
        func titles(_ query: String) async throws -> [String] {
            try await visitor.get("/innovation/supplies" + query).page.column(0, inTable: "postings")
        }
        let all = try await titles("")
        XCTAssertTrue(all.contains("高镍三元锂离子电池正极材料制备技术"), all.description)
        XCTAssertFalse(all.contains("储能电芯循环寿命提升"), "demands are on their own list")
        let mature = try await titles("?readiness=8")
        XCTAssertTrue(mature.contains("废旧轮胎橡胶常压连续再生脱硫技术"), mature.description)
        XCTAssertFalse(mature.contains("高镍三元锂离子电池正极材料制备技术"), "TRL 7 is below 8")
        let transfer = try await titles("?mode=transfer")
        XCTAssertTrue(transfer.contains("废旧轮胎橡胶常压连续再生脱硫技术"), transfer.description)
        XCTAssertFalse(transfer.contains("芒果采后热处理保鲜技术"))
        let farming = try await titles("?industry=A&sort=readiness")
        XCTAssertFalse(farming.contains("高镍三元锂离子电池正极材料制备技术"))
        let low = try XCTUnwrap(farming.firstIndex(of: "天然橡胶树低频割胶与乙烯利刺激技术"), farming.description)
        let mango = try XCTUnwrap(farming.firstIndex(of: "芒果采后热处理保鲜技术"), farming.description)
        XCTAssertLessThan(low, mango, "TRL 9 before TRL 7")
        expectTrue(try await titles("?region=" + Browser.encode("东港")).contains("电动割胶刀"))
        expectFalse(try await titles("?region=" + Browser.encode("白沙县")).contains("电动割胶刀"))
        expectEqual(
            try await visitor.get("/innovation/demands").page.element(id: "register-enterprise")?.attribute("href"),
            "/innovation/enterprises/register")

        let member = try await loggedIn("demo.member")
        let hub = try await member.get("/innovation")
        XCTAssertEqual(hub.page.element(id: "innovation-post")?.elements("a").map(\.text), ["发布技术供给"])
        expectEqual(try await member.get("/innovation/postings/new?kind=demand").status, .forbidden)
        expectEqual(try await member.get("/innovation/postings/new?kind=supply").status, .ok)
    }

    func testStaffPushAMatchToBothOwnersOnce() async throws {
        let demand = try await posting(titled: "废旧轮胎综合利用")
        let supply = try await posting(titled: "废旧轮胎橡胶常压连续再生脱硫技术")
        let demandID = try demand.requireID()
        let supplyID = try supply.requireID()
        let office = try await loggedIn("demo.orgadmin")
        /// The match row of the rubber reclaiming supply on the demand's page.
        func supplyRow(_ browser: Browser) async throws -> ParsedElement? {
            try await browser.get("/innovation/postings/\(demandID)").page.rowElements(inTable: "match-table").first {
                $0.elements("a").first?.text == "废旧轮胎橡胶常压连续再生脱硫技术"
            }
        }
        let row = try await supplyRow(office)
        let pushForm = row?.elements("form").first { $0.attribute("action") == "/innovation/postings/\(demandID.uuidString)/push" }
        XCTAssertEqual(pushForm?.elements("input").first { $0.attribute("name") == "supply" }?.attribute("value"), supplyID.uuidString)
        XCTAssertEqual(pushForm?.elements("button").map(\.text), ["推送"])

        // The owner of the demand may not push.
        let ownerPush = try await loggedIn("demo.enterprise").post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(ownerPush.status, .forbidden)
        XCTAssertEqual(ownerPush.page.element(id: "match-error")?.text, "只有科协工作人员可以推送匹配结果")

        let pushed = try await office.post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(pushed.status, .seeOther, String(pushed.body.string.prefix(400)))
        XCTAssertEqual(pushed.location, "/innovation/postings/\(demandID.uuidString)?notice=posting_pushed")
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)
        let toDemand = try await InboxMessage.query(on: app.db).filter(\.$userID == demand.ownerUserID).all()
        XCTAssertTrue(toDemand.contains { $0.title == "为您推荐技术成果：废旧轮胎橡胶常压连续再生脱硫技术" })
        let toSupply = try await InboxMessage.query(on: app.db).filter(\.$userID == supply.ownerUserID).all()
        XCTAssertTrue(toSupply.contains { $0.title == "您的成果匹配到技术需求：废旧轮胎综合利用" })
        let pushedPage = try await office.get(pushed.location ?? "").page
        XCTAssertEqual(pushedPage.element(id: "posting-notice")?.text, "已将匹配结果推送给供需双方")
        expectEqual(try await supplyRow(office)?.elements(class: "badge").map(\.text), ["已推送"])

        let again = try await office.post("/innovation/postings/\(demandID)/push", ["supply": supplyID.uuidString])
        XCTAssertEqual(again.status, .conflict)
        XCTAssertEqual(again.page.element(id: "match-error")?.text, "这条匹配已经推送过")
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)

        // The rubber society owns a published supply: it may propose a docking from the demand's page.
        let society = try await loggedIn("demo.society")
        let offer = try await society.get("/innovation/postings/\(demandID)").page
        let choices = offer.element(id: "offer-choice")?.elements("option").map { [$0.attribute("value") ?? "", $0.text] }
        XCTAssertEqual(choices, [[supplyID.uuidString, "废旧轮胎橡胶常压连续再生脱硫技术"]])
        expectNil(try await Browser(app).get("/innovation/postings/\(demandID)").page.element(id: "offer"))
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
        XCTAssertEqual(refusedPage.page.element(id: "docking-error")?.text, "发起对接未成功：这项成果与需求之间已有进行中的对接")
    }

    func testAnEnterpriseRegistersWithACheckedCreditCodeAndPostsADemand() async throws {
        let visitor = Browser(app)
        let form = try await visitor.get("/innovation/enterprises/register")
        XCTAssertEqual(form.status, .ok)
        let associations = form.page.elements("select").first { $0.attribute("name") == "associationID" }?.elements("option")
        XCTAssertEqual(
            associations?.first { $0.attribute("value") == demo.city1.id?.uuidString }?.text, "东港市科学技术协会")
        var fields = [
            "name": "云海海创储能科技有限公司", "creditCode": "91460000MA5RC0XK13", "associationID": try demo.city1.requireID().uuidString,
            "industry": "C", "region": "云海省东港市", "contactName": "周明", "contactPhone": "13907550123", "username": "haichuang",
            "password": "Yunhai#Energy26",
        ]
        let wrong = try await visitor.post("/innovation/enterprises/register", fields)
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertEqual(wrong.page.fieldError("creditCode"), "统一社会信用代码校验位不正确，请核对最后一位")
        XCTAssertEqual(wrong.page.fieldValue("name"), "云海海创储能科技有限公司", "typed values are kept")
        XCTAssertFalse(wrong.body.string.contains("Yunhai#Energy26"), "the password is not sent back")
        expectEqual(try await User.query(on: app.db).filter(\.$username == "haichuang").count(), 0)
        // Every problem is shown at once, each beside its field.
        var several = fields
        several["contactPhone"] = "12345"
        let many = try await visitor.post("/innovation/enterprises/register", several)
        XCTAssertNotNil(many.page.fieldError("creditCode"))
        XCTAssertEqual(many.page.fieldError("contactPhone"), "请输入正确的 11 位手机号")

        fields["creditCode"] = "91460000MA5RC0XK12"
        let done = try await visitor.post("/innovation/enterprises/register", fields)
        XCTAssertEqual(
            done.status, .ok,
            done.body.string.components(separatedBy: "field-error").dropFirst().map { String($0.prefix(120)) }.joined(separator: " | "))
        let registered = done.page.element(id: "registered")
        XCTAssertEqual(registered?.elements("strong").first?.text, "haichuang")
        XCTAssertEqual(done.page.element(id: "login-link")?.attribute("href"), "/login?next=%2Finnovation%2Fpostings%2Fnew%3Fkind%3Ddemand")
        let record = try await EnterpriseRecord.query(on: app.db).filter(\.$creditCode == "91460000MA5RC0XK12").first()
        XCTAssertNotNil(record)
        let organization = try await Organization.find(record?.organizationID, on: app.db)
        XCTAssertEqual(organization?.name, "云海海创储能科技有限公司")
        XCTAssertEqual(organization?.parentID, demo.city1.id)

        let again = try await visitor.post("/innovation/enterprises/register", fields.merging(["username": "haichuang2"]) { $1 })
        XCTAssertEqual(again.status, .unprocessableEntity)
        XCTAssertEqual(again.page.fieldError("creditCode"), "该统一社会信用代码已注册，请联系本企业的平台账号管理人")

        let account = Browser(app)
        try await account.login("haichuang", "Yunhai#Energy26")
        let newDemand = try await account.get("/innovation/postings/new?kind=demand")
        XCTAssertEqual(newDemand.status, .ok)
        XCTAssertEqual(newDemand.page.fieldValue("ownerName"), "云海海创储能科技有限公司")
    }
}
