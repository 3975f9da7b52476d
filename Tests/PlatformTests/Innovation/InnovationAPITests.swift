import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// `/api/v1/supplies`, `/demands`, `/postings`, `/dockings` through HTTP with bearer tokens.
final class InnovationAPITests: InnovationTestCase {
    private var tokens: [String: String] = [:]

    private func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: userID(username), name: "test", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

    /// Calls the API as `username` (anonymously when nil) and answers the status and the JSON object.
    private func call(_ method: HTTPMethod, _ path: String, as username: String?, json: String? = nil) async throws -> (
        HTTPStatus, [String: Any]
    ) {
        var headers: HTTPHeaders = [:]
        if let username { headers.bearerAuthorization = .init(token: try await token(username)) }
        if json != nil { headers.contentType = .json }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    private func items(_ object: [String: Any]) -> [[String: Any]] { object["items"] as? [[String: Any]] ?? [] }
    private func titles(_ object: [String: Any]) -> [String] { items(object).compactMap { $0["title"] as? String } }
    private func error(_ object: [String: Any]) -> [String: Any] { object["error"] as? [String: Any] ?? [:] }

    private func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    private var supplyBody: [String: Any] {
        [
            "title": "稻田甲烷减排水分管理技术", "summary": "间歇灌溉与晒田结合，稻田甲烷排放减少三成。", "publicDetail": "已在青石县示范 2000 亩。",
            "confidentialDetail": "各生育期水层控制表。", "industry": "A", "readiness": 7, "cooperationModes": ["service", "joint"],
            "ownerKind": "person", "ownerName": "张三", "region": "云海省东港市青石县", "keywords": ["甲烷减排", "水稻"],
            "patents": ["ZL202310012345.6｜发明专利｜已授权"],
        ]
    }

    func testThePublishedListsAreOpenSearchableFilterableAndPaged() async throws {
        let (status, all) = try await call(.GET, "/api/v1/supplies", as: nil)
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(all["total"] as? Int, 6)
        XCTAssertEqual(items(all).count, 6)
        for item in items(all) {
            XCTAssertNil(item["confidentialDetail"], "never the confidential part in a list")
            XCTAssertNil(item["contactPhone"])
            XCTAssertNil(item["deadline"])
        }
        let battery = items(all).first { $0["title"] as? String == Self.battery }
        XCTAssertEqual(battery?["ownerName"] as? String, "云海大学材料学院")
        XCTAssertEqual(battery?["ownerKind"] as? String, "university")
        XCTAssertEqual(battery?["industry"] as? String, "C")
        XCTAssertEqual(battery?["readiness"] as? Int, 7)
        XCTAssertEqual(battery?["cooperationModes"] as? [String], ["license", "joint"])
        XCTAssertEqual(battery?["patents"] as? [String], ["ZL202110123456.7｜发明专利｜已授权"])
        // The demo publishes its six supplies three days apart, the battery first: 18 days before the test clock's 2026-11-18.
        XCTAssertEqual(battery?["publishedOn"] as? String, "2026-10-31")

        let tapping = titles(try await call(.GET, "/api/v1/supplies?q=%E5%89%B2%E8%83%B6", as: nil).1)  // 割胶
        XCTAssertTrue(tapping.contains(Self.tapping), tapping.description)
        XCTAssertTrue(tapping.contains("电动割胶刀"), tapping.description)
        XCTAssertFalse(tapping.contains("芒果采后热处理保鲜技术"))
        let farming = try await call(.GET, "/api/v1/supplies?industry=A", as: nil).1
        XCTAssertEqual(farming["total"] as? Int, 3)
        XCTAssertEqual(Set(titles(farming)), [Self.tapping, "电动割胶刀", "芒果采后热处理保鲜技术"])
        let searchedAndFiltered = try await call(.GET, "/api/v1/supplies?q=%E5%89%B2%E8%83%B6&industry=C", as: nil).1
        XCTAssertEqual(searchedAndFiltered["total"] as? Int, 0)
        let elsewhere = try await call(.GET, "/api/v1/supplies?region=%E7%99%BD%E6%B2%99", as: nil).1  // 白沙
        XCTAssertEqual(elsewhere["total"] as? Int, 0)
        let here = try await call(.GET, "/api/v1/supplies?region=%E4%B8%9C%E6%B8%AF", as: nil).1  // 东港
        XCTAssertEqual(here["total"] as? Int, 6)
        let second = try await call(.GET, "/api/v1/supplies?per=4&page=2", as: nil).1
        XCTAssertEqual(second["total"] as? Int, 6)
        XCTAssertEqual(items(second).count, 2)
        expectEqual(Set(titles(second)).intersection(titles(try await call(.GET, "/api/v1/supplies?per=4", as: nil).1)), [])
        let (badStatus, bad) = try await call(.GET, "/api/v1/supplies?industry=Z", as: nil)
        XCTAssertEqual(badStatus, .unprocessableEntity)
        XCTAssertEqual(error(bad)["code"] as? String, "platform.invalid_input")
        XCTAssertEqual(error(bad)["field"] as? String, "industry")

        let demands = try await call(.GET, "/api/v1/demands", as: "demo.member").1
        XCTAssertEqual(Set(titles(demands)), [Self.cellDemand, Self.tyreDemand])
        let tyres = items(demands).first { $0["title"] as? String == Self.tyreDemand }
        XCTAssertEqual(tyres?["budget"] as? Double, 200)
        XCTAssertNotNil(tyres?["deadline"] as? String)
        XCTAssertEqual(tyres?["indicators"] as? String, "再生胶拉伸强度 ≥ 12 MPa；无二次污染。")
        XCTAssertNil(tyres?["confidentialDetail"])
        expectEqual(titles(try await call(.GET, "/api/v1/demands?q=%E8%BD%AE%E8%83%8E", as: nil).1), [Self.tyreDemand])  // 轮胎
    }

    func testPostingChecksTheRoleAndTheFormAndKeepsTheConfidentialPartToThoseEntitled() async throws {
        let (noToken, _) = try await call(.POST, "/api/v1/supplies", as: nil, json: json(supplyBody))
        XCTAssertEqual(noToken, .unauthorized)
        var body = supplyBody
        body["submit"] = true
        let (created, posting) = try await call(.POST, "/api/v1/supplies", as: "demo.member", json: json(body))
        XCTAssertEqual(created, .created, posting.description)
        XCTAssertEqual(posting["state"] as? String, "submitted")
        XCTAssertEqual(posting["confidentialDetail"] as? String, "各生育期水层控制表。", "the owner sees their confidential part")
        XCTAssertEqual(posting["keywords"] as? [String], ["甲烷减排", "水稻"])
        XCTAssertEqual(posting["actions"] as? [String], ["close"])
        let id = try XCTUnwrap(posting["id"] as? String)
        let stored = try await Posting.find(UUID(uuidString: id), on: app.db)
        expectEqual(stored?.ownerUserID, try await userID("demo.member"))
        XCTAssertEqual(stored?.readiness, 7)

        let (invalid, refused) = try await call(
            .POST, "/api/v1/supplies", as: "demo.member", json: #"{"summary": "只有简介", "readiness": 12}"#)
        XCTAssertEqual(invalid, .unprocessableEntity)
        XCTAssertEqual(error(refused)["code"] as? String, "platform.invalid_input")
        XCTAssertEqual(error(refused)["field"] as? String, "title")
        XCTAssertEqual(error(refused)["message"] as? String, "请填写成果名称（4–100 个字）")
        let fields = error(refused)["fields"] as? [String: String] ?? [:]
        XCTAssertEqual(fields["readiness"], "技术成熟度为 1 到 9 级")
        XCTAssertEqual(fields["cooperationModes"], "请至少选择一种合作方式")
        let (mistyped, wrongType) = try await call(.POST, "/api/v1/supplies", as: "demo.member", json: #"{"title": 5}"#)
        XCTAssertEqual(mistyped, .unprocessableEntity)
        XCTAssertEqual(error(wrongType)["field"] as? String, "title")
        let (memberDemand, forbidden) = try await call(.POST, "/api/v1/demands", as: "demo.member", json: json(supplyBody))
        XCTAssertEqual(memberDemand, .forbidden)
        XCTAssertEqual(error(forbidden)["code"] as? String, "innovation.posting_not_permitted")
        XCTAssertEqual(error(forbidden)["message"] as? String, "只有企业用户和科协工作人员可以发布技术需求")
        let (enterpriseSupply, _) = try await call(.POST, "/api/v1/supplies", as: "demo.enterprise", json: json(supplyBody))
        XCTAssertEqual(enterpriseSupply, .forbidden)
        expectEqual(try await Posting.query(on: app.db).filter(\.$title == "稻田甲烷减排水分管理技术").count(), 1)

        // Submitted: only the owner and the reviewers find it; published: everyone, without the secret.
        expectEqual(try await call(.GET, "/api/v1/supplies/\(id)", as: nil).0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/supplies/\(id)", as: "demo.expert").0, .notFound)
        let (approved, published) = try await call(
            .POST, "/api/v1/postings/\(id)/steps", as: "demo.orgadmin", json: #"{"action": "approve"}"#)
        XCTAssertEqual(approved, .ok, published.description)
        XCTAssertEqual(published["state"] as? String, "published")
        XCTAssertEqual(published["stateLabel"] as? String, "已发布")
        let (shown, anonymous) = try await call(.GET, "/api/v1/supplies/\(id)", as: nil)
        XCTAssertEqual(shown, .ok)
        XCTAssertEqual(anonymous["publicDetail"] as? String, "已在青石县示范 2000 亩。")
        XCTAssertNil(anonymous["confidentialDetail"])
        XCTAssertNil(anonymous["actions"])
        expectNil(try await call(.GET, "/api/v1/supplies/\(id)", as: "demo.expert").1["confidentialDetail"])
        expectEqual(try await call(.GET, "/api/v1/supplies/\(id)", as: "demo.member").1["confidentialDetail"] as? String, "各生育期水层控制表。")
        expectEqual(try await call(.GET, "/api/v1/demands/\(id)", as: "demo.member").0, .notFound, "a supply is not a demand")
        expectEqual(try await call(.GET, "/api/v1/supplies/\(UUID())", as: nil).0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/supplies/not-an-id", as: nil).0, .notFound)
        expectTrue(titles(try await call(.GET, "/api/v1/supplies?q=%E7%94%B2%E7%83%B7", as: nil).1).contains("稻田甲烷减排水分管理技术"))  // 甲烷

        let (unknownAction, _) = try await call(.POST, "/api/v1/postings/\(id)/steps", as: "demo.member", json: #"{"action": "expire"}"#)
        XCTAssertEqual(unknownAction, .unprocessableEntity)
        let (closed, closing) = try await call(.POST, "/api/v1/postings/\(id)/steps", as: "demo.member", json: #"{"action": "close"}"#)
        XCTAssertEqual(closed, .ok)
        XCTAssertEqual(closing["state"] as? String, "closed")
        expectEqual(try await call(.GET, "/api/v1/supplies", as: nil).1["total"] as? Int, 6)
    }

    func testADemandDraftIsChangedAndSentBackThroughTheAPI() async throws {
        let deadline = "2027-02-26"
        var demand: [String: Any] = [
            "title": "胶园割胶用工短缺", "summary": "割胶用工紧张。", "indicators": "胶工效率提高一倍", "deadline": deadline, "budget": "50",
            "ownerName": "云海绿源新材料有限公司", "region": "云海省东港市", "contactName": "李工", "contactPhone": "13800138001",
            "confidentialDetail": "胶园面积与胶工名单。",
        ]
        let (created, draft) = try await call(.POST, "/api/v1/demands", as: "demo.enterprise", json: json(demand))
        XCTAssertEqual(created, .created, draft.description)
        XCTAssertEqual(draft["state"] as? String, "draft")
        XCTAssertEqual(draft["ownerKind"] as? String, "enterprise")
        XCTAssertEqual(draft["budget"] as? Double, 50)
        XCTAssertEqual(draft["contactPhone"] as? String, "13800138001")
        let id = try XCTUnwrap(draft["id"] as? String)

        demand["deadline"] = "2026-11-17"
        let (past, refused) = try await call(.PUT, "/api/v1/postings/\(id)", as: "demo.enterprise", json: json(demand))
        XCTAssertEqual(past, .unprocessableEntity)
        XCTAssertEqual(error(refused)["field"] as? String, "deadline")
        XCTAssertEqual(error(refused)["message"] as? String, "截止日期不能早于今天")
        demand["deadline"] = deadline
        demand["title"] = "胶园割胶用工短缺问题"
        demand["submit"] = true
        let (changed, submitted) = try await call(.PUT, "/api/v1/postings/\(id)", as: "demo.enterprise", json: json(demand))
        XCTAssertEqual(changed, .ok, submitted.description)
        XCTAssertEqual(submitted["title"] as? String, "胶园割胶用工短缺问题")
        XCTAssertEqual(submitted["state"] as? String, "submitted")
        expectEqual(try await call(.PUT, "/api/v1/postings/\(id)", as: "demo.enterprise", json: json(demand)).0, .conflict)

        let (asStaff, reviewing) = try await call(.GET, "/api/v1/demands/\(id)", as: "demo.staff")
        XCTAssertEqual(asStaff, .ok)
        XCTAssertEqual(Set(reviewing["actions"] as? [String] ?? []), ["approve", "send_back", "close"])
        XCTAssertEqual(reviewing["confidentialDetail"] as? String, "胶园面积与胶工名单。", "reviewers read the confidential part")
        let (noReason, why) = try await call(.POST, "/api/v1/postings/\(id)/steps", as: "demo.staff", json: #"{"action": "send_back"}"#)
        XCTAssertEqual(noReason, .unprocessableEntity)
        XCTAssertEqual(error(why)["field"] as? String, "comment")
        let (sentBack, back) = try await call(
            .POST, "/api/v1/postings/\(id)/steps", as: "demo.staff", json: #"{"action": "send_back", "comment": "请写明胶园面积"}"#)
        XCTAssertEqual(sentBack, .ok)
        XCTAssertEqual(back["state"] as? String, "draft")
        let (ownerApproves, _) = try await call(
            .POST, "/api/v1/postings/\(id)/steps", as: "demo.enterprise", json: #"{"action": "approve"}"#)
        XCTAssertEqual(ownerApproves, .unprocessableEntity, "a draft is not reviewed")
    }

    func testMatchesAreForTheOwnerAndTheReviewersWithReasons() async throws {
        let cells = try await postingTitled(Self.cellDemand).requireID()
        let (status, matches) = try await call(.GET, "/api/v1/demands/\(cells)/matches?top=3", as: "demo.enterprise")
        XCTAssertEqual(status, .ok, matches.description)
        XCTAssertEqual(matches["postingId"] as? String, cells.uuidString)
        let ranked = items(matches)
        XCTAssertFalse(ranked.isEmpty)
        XCTAssertLessThanOrEqual(ranked.count, 3)
        XCTAssertEqual(ranked.first?["title"] as? String, Self.battery)
        XCTAssertEqual(ranked.first?["kind"] as? String, "supply")
        XCTAssertEqual(ranked.first?["ownerName"] as? String, "云海大学材料学院")
        XCTAssertFalse((ranked.first?["reasons"] as? [String] ?? []).isEmpty)
        XCTAssertGreaterThan(ranked.first?["score"] as? Double ?? 0, 0)
        XCTAssertNotNil(matches["experts"] as? [[String: Any]])
        expectEqual(try await call(.GET, "/api/v1/demands/\(cells)/matches", as: "demo.staff").0, .ok)

        let (member, refused) = try await call(.GET, "/api/v1/demands/\(cells)/matches", as: "demo.member")
        XCTAssertEqual(member, .forbidden)
        XCTAssertEqual(error(refused)["message"] as? String, "匹配结果只向发布方和审核工作人员提供")
        expectEqual(try await call(.GET, "/api/v1/demands/\(cells)/matches", as: "demo.society").0, .forbidden)
        expectEqual(try await call(.GET, "/api/v1/demands/\(cells)/matches", as: nil).0, .unauthorized)
        expectEqual(try await call(.GET, "/api/v1/demands/\(UUID())/matches", as: "demo.enterprise").0, .notFound)

        let rubber = try await postingTitled(Self.reclaimedRubber).requireID()
        let (supplySide, demands) = try await call(.GET, "/api/v1/supplies/\(rubber)/matches", as: "demo.society")
        XCTAssertEqual(supplySide, .ok)
        XCTAssertEqual(titles(demands).first, Self.tyreDemand)
        XCTAssertNil(demands["experts"], "experts are matched to demands only")
        expectEqual(try await call(.GET, "/api/v1/supplies/\(rubber)/matches", as: "demo.enterprise").0, .forbidden)
    }

    func testDockingsAreProposedAcceptedAndSignedThroughTheAPI() async throws {
        let supply = try await postingTitled(Self.reclaimedRubber).requireID()
        let demand = try await postingTitled(Self.tyreDemand).requireID()
        let proposal = #"{"supply": "\#(supply)", "demand": "\#(demand)", "note": "希望到厂交流"}"#
        expectEqual(try await call(.POST, "/api/v1/dockings", as: nil, json: proposal).0, .unauthorized)
        let (created, docking) = try await call(.POST, "/api/v1/dockings", as: "demo.enterprise", json: proposal)
        XCTAssertEqual(created, .created, docking.description)
        XCTAssertEqual(docking["state"] as? String, "proposed")
        XCTAssertEqual(docking["proposedBy"] as? String, "demand")
        XCTAssertEqual(docking["awaiting"] as? [String], ["supply"])
        XCTAssertEqual((docking["supply"] as? [String: Any])?["title"] as? String, Self.reclaimedRubber)
        XCTAssertEqual((docking["history"] as? [[String: Any]])?.count, 1)
        let id = try XCTUnwrap(docking["id"] as? String)

        let (again, duplicate) = try await call(.POST, "/api/v1/dockings", as: "demo.enterprise", json: proposal)
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(error(duplicate)["code"] as? String, "innovation.docking_already_open")
        let (badID, malformed) = try await call(.POST, "/api/v1/dockings", as: "demo.enterprise", json: #"{"supply": "nope"}"#)
        XCTAssertEqual(badID, .unprocessableEntity)
        XCTAssertEqual(error(malformed)["field"] as? String, "supply")
        let (ownAccept, own) = try await call(.POST, "/api/v1/dockings/\(id)/steps", as: "demo.enterprise", json: #"{"action": "accept"}"#)
        XCTAssertEqual(ownAccept, .forbidden)
        XCTAssertEqual(error(own)["message"] as? String, "对接邀请需由对方确认")

        let (listed, list) = try await call(.GET, "/api/v1/dockings", as: "demo.society")
        XCTAssertEqual(listed, .ok)
        XCTAssertEqual(items(list).compactMap { $0["id"] as? String }, [id])
        XCTAssertNil(items(list).first?["history"])
        expectEqual(try await call(.GET, "/api/v1/dockings", as: "demo.member").1["total"] as? Int, 0)
        let (accepted, intention) = try await call(
            .POST, "/api/v1/dockings/\(id)/steps", as: "demo.society", json: #"{"action": "accept"}"#)
        XCTAssertEqual(accepted, .ok, intention.description)
        XCTAssertEqual(intention["state"] as? String, "intention")
        XCTAssertEqual(intention["intentionOn"] as? String, "2026-11-18")

        let (noAmount, missing) = try await call(.POST, "/api/v1/dockings/\(id)/steps", as: "demo.enterprise", json: #"{"action": "sign"}"#)
        XCTAssertEqual(noAmount, .unprocessableEntity)
        XCTAssertEqual(error(missing)["field"] as? String, "amount")
        let (signed, contract) = try await call(
            .POST, "/api/v1/dockings/\(id)/steps", as: "demo.enterprise", json: #"{"action": "sign", "amount": 120, "comment": "首期设备"}"#)
        XCTAssertEqual(signed, .ok, contract.description)
        XCTAssertEqual(contract["state"] as? String, "signed")
        XCTAssertEqual(contract["contractAmount"] as? Double, 120)
        XCTAssertEqual(contract["signedOn"] as? String, "2026-11-18")
        let (unknown, _) = try await call(.POST, "/api/v1/dockings/\(id)/steps", as: "demo.enterprise", json: #"{"action": "celebrate"}"#)
        XCTAssertEqual(unknown, .unprocessableEntity)

        let (shown, detail) = try await call(.GET, "/api/v1/dockings/\(id)", as: "demo.orgadmin")
        XCTAssertEqual(shown, .ok)
        let history = detail["history"] as? [[String: Any]] ?? []
        XCTAssertEqual(history.compactMap { $0["action"] as? String }, ["propose", "accept", "sign"])
        XCTAssertEqual(history.last?["comment"] as? String, "合同金额 120 万元；首期设备")
        XCTAssertEqual(history.first?["actionLabel"] as? String, "发起对接")
        XCTAssertTrue((detail["actions"] as? [String] ?? []).contains("land"))
        expectEqual(try await call(.GET, "/api/v1/dockings?state=signed", as: "demo.enterprise").1["total"] as? Int, 1)
        expectEqual(try await call(.GET, "/api/v1/dockings?state=landed", as: "demo.enterprise").1["total"] as? Int, 0)
        expectEqual(try await call(.GET, "/api/v1/dockings?state=bogus", as: "demo.enterprise").0, .unprocessableEntity)
        expectEqual(try await call(.GET, "/api/v1/dockings/\(id)", as: "demo.member").0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/dockings/\(UUID())", as: "demo.enterprise").0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/dockings", as: nil).0, .unauthorized)

        // Now both sides read each other's confidential part.
        let (_, tyres) = try await call(.GET, "/api/v1/demands/\(demand)", as: "demo.society")
        XCTAssertEqual(tyres["confidentialDetail"] as? String, "现有产线工艺参数与供应商名单（对接确认后提供）。")
        XCTAssertEqual(tyres["contactPhone"] as? String, "13800138000")
    }

    func testBatchMatchingRunsThroughTheAPIForTheAccountThatStartedIt() async throws {
        let demands: [[String: Any]] = [
            ["id": "D1", "title": "储能电芯循环寿命提升", "description": "储能电站用电芯循环寿命不足，需提升锂电池正极材料稳定性", "industry": "C"],
            ["id": 2, "title": "胶园割胶效率提升", "description": "胶工短缺，希望降低割胶频率", "region": "云海省"],
        ]
        let start = json(["name": "第三届对接会", "top": 3, "demands": demands])
        expectEqual(try await call(.POST, "/api/v1/match-batches", as: "demo.enterprise", json: start).0, .forbidden)
        expectEqual(try await call(.POST, "/api/v1/match-batches", as: nil, json: start).0, .unauthorized)

        // Refusals name the field; nothing is started.
        let (badTop, topError) = try await call(
            .POST, "/api/v1/match-batches", as: "demo.orgadmin", json: json(["top": 99, "demands": demands]))
        XCTAssertEqual(badTop, .unprocessableEntity)
        XCTAssertEqual(error(topError)["field"] as? String, "top")
        let (missing, missingError) = try await call(.POST, "/api/v1/match-batches", as: "demo.orgadmin", json: json(["top": 3]))
        XCTAssertEqual(missing, .unprocessableEntity)
        XCTAssertEqual(error(missingError)["field"] as? String, "demands")
        let twice = [demands[0], demands[0]]
        let (duplicate, duplicateError) = try await call(
            .POST, "/api/v1/match-batches", as: "demo.orgadmin", json: json(["demands": twice]))
        XCTAssertEqual(duplicate, .unprocessableEntity)
        XCTAssertEqual(error(duplicateError)["message"] as? String, "第 2 项编号“D1”重复")
        let (empty, emptyError) = try await call(.POST, "/api/v1/match-batches", as: "demo.orgadmin", json: json(["demands": [] as [Any]]))
        XCTAssertEqual(empty, .unprocessableEntity)
        XCTAssertEqual(error(emptyError)["field"] as? String, "demands")
        let untouched = try await BatchRun.query(on: app.db).count()
        XCTAssertEqual(untouched, 0)

        let (accepted, run) = try await call(.POST, "/api/v1/match-batches", as: "demo.orgadmin", json: start)
        XCTAssertEqual(accepted, .accepted, run.description)
        XCTAssertEqual(run["name"] as? String, "第三届对接会")
        XCTAssertEqual(run["total"] as? Int, 2)
        let id = try XCTUnwrap(run["id"] as? String)
        var finished: [String: Any] = [:]
        for _ in 0..<300 {
            finished = try await call(.GET, "/api/v1/match-batches/\(id)", as: "demo.orgadmin").1
            if finished["state"] as? String != "running" { break }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        XCTAssertEqual(finished["state"] as? String, "done", finished.description)
        XCTAssertEqual(finished["done"] as? Int, 2)
        // The shape `kexie match` prints, in the order sent, ids as sent, supplies by posting id.
        let results = finished["results"] as? [[String: Any]] ?? []
        XCTAssertEqual(results.count, 2)
        XCTAssertEqual(results.first?["demand"] as? String, "D1")
        XCTAssertEqual(results.last?["demand"] as? Int, 2)
        let best = (results.first?["matches"] as? [[String: Any]])?.first
        let battery = try await postingTitled(Self.battery).requireID()
        XCTAssertEqual(best?["supply"] as? String, battery.uuidString)
        XCTAssertFalse((best?["reasons"] as? [String] ?? []).isEmpty)
        XCTAssertLessThanOrEqual((results.last?["matches"] as? [Any])?.count ?? 99, 3)

        let (listed, list) = try await call(.GET, "/api/v1/match-batches", as: "demo.orgadmin")
        XCTAssertEqual(listed, .ok)
        XCTAssertEqual(items(list).first?["id"] as? String, id)
        XCTAssertNil(items(list).first?["results"], "the list leaves the results out")
        // The same run appears on the batch page of its owner, and to no one else.
        expectEqual(try await call(.GET, "/api/v1/match-batches/\(id)", as: "demo.staff").0, .notFound)
        let (staffListed, staffList) = try await call(.GET, "/api/v1/match-batches", as: "demo.staff")
        XCTAssertEqual(staffListed, .ok)
        XCTAssertEqual(items(staffList).count, 0)
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: try await token("demo.orgadmin"))
        let table = try await app.testable().sendRequest(.GET, "/api/v1/match-batches/\(id)/result.xlsx", headers: headers)
        XCTAssertEqual(table.status, .ok)
        let rows = try XLSXReader(data: Data(buffer: table.body)).rows()
        XCTAssertEqual(rows.dropFirst().first?[3], Self.battery)
    }

    func testStaffPushMatchesKeepStationsAndReadTheFiguresThroughTheAPI() async throws {
        let demand = try await postingTitled(Self.tyreDemand)
        let supply = try await postingTitled(Self.reclaimedRubber)
        let pair = #"{"demand": "\#(try demand.requireID())", "supply": "\#(try supply.requireID())"}"#

        // Pushing: staff only, both sides told, once per pair.
        let (byOwner, owner) = try await call(.POST, "/api/v1/match-pushes", as: "demo.enterprise", json: pair)
        XCTAssertEqual(byOwner, .forbidden)
        XCTAssertEqual(error(owner)["message"] as? String, "您没有权限执行此操作")
        let (malformed, bad) = try await call(.POST, "/api/v1/match-pushes", as: "demo.orgadmin", json: #"{"demand": "x"}"#)
        XCTAssertEqual(malformed, .unprocessableEntity)
        XCTAssertEqual(error(bad)["field"] as? String, "demand")
        let (pushed, push) = try await call(.POST, "/api/v1/match-pushes", as: "demo.orgadmin", json: pair)
        XCTAssertEqual(pushed, .created, push.description)
        XCTAssertEqual(push["supply"] as? String, try supply.requireID().uuidString)
        XCTAssertGreaterThan(push["score"] as? Double ?? 0, 0)
        XCTAssertTrue((push["reasons"] as? [String] ?? []).contains { $0.hasPrefix("共同关键词") }, push.description)
        XCTAssertEqual(push["pushedOn"] as? String, "2026-11-18")
        let toDemand = try await InboxMessage.query(on: app.db).filter(\.$userID == demand.ownerUserID).all()
        XCTAssertTrue(toDemand.contains { $0.title == "为您推荐技术成果：\(Self.reclaimedRubber)" })
        let toSupply = try await InboxMessage.query(on: app.db).filter(\.$userID == supply.ownerUserID).all()
        XCTAssertTrue(toSupply.contains { $0.title == "您的成果匹配到技术需求：\(Self.tyreDemand)" })
        let (again, twice) = try await call(.POST, "/api/v1/match-pushes", as: "demo.orgadmin", json: pair)
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(error(twice)["message"] as? String, "这条匹配已经推送过")
        expectEqual(try await MatchPush.query(on: app.db).count(), 1)

        // Stations: the registry of the caller's subtree, registered with the page's rules.
        expectEqual(try await call(.GET, "/api/v1/stations", as: "demo.member").0, .forbidden)
        expectEqual(try await call(.GET, "/api/v1/stations?kind=farm", as: "demo.orgadmin").0, .unprocessableEntity)
        let (listed, list) = try await call(.GET, "/api/v1/stations", as: "demo.orgadmin")
        XCTAssertEqual(listed, .ok)
        XCTAssertEqual(names(list), ["云海省热带作物学会青石县胶园科技服务站"])
        let station: [String: Any] = [
            "kind": "expert_workstation", "name": "云海绿源院士专家工作站", "hostName": "云海绿源新材料有限公司", "hostKind": "enterprise",
            "experts": ["张院士 中国工程院院士 云海大学", "李明 研究员 云海省橡胶研究所"], "validFrom": "2026-01-01",
            "validUntil": "2028-12-31", "region": "云海省东港市",
        ]
        var backwards = station
        backwards["validUntil"] = "2025-12-31"
        let (refused, reversed) = try await call(.POST, "/api/v1/stations", as: "demo.orgadmin", json: json(backwards))
        XCTAssertEqual(refused, .unprocessableEntity)
        XCTAssertEqual(error(reversed)["field"] as? String, "validUntil")
        XCTAssertEqual(error(reversed)["message"] as? String, "结束日期不能早于开始日期")
        expectEqual(try await Station.query(on: app.db).count(), 1, "nothing half-saved")
        let (created, saved) = try await call(.POST, "/api/v1/stations", as: "demo.orgadmin", json: json(station))
        XCTAssertEqual(created, .created, saved.description)
        XCTAssertEqual(saved["experts"] as? [String], ["张院士 中国工程院院士 云海大学", "李明 研究员 云海省橡胶研究所"])
        XCTAssertEqual(saved["expired"] as? Bool, false)
        let id = try XCTUnwrap(saved["id"] as? String)
        expectEqual(try await Station.find(UUID(uuidString: id), on: app.db)?.organizationID, demo.province.id)

        let (noTitle, untitled) = try await call(
            .POST, "/api/v1/stations/\(id)/activities", as: "demo.orgadmin", json: #"{"kind": "visit", "heldOn": "2026-11-10"}"#)
        XCTAssertEqual(noTitle, .unprocessableEntity)
        XCTAssertEqual(error(untitled)["field"] as? String, "title")
        for (kind, day, title, people) in [("visit", "2026-11-10", "院士团队进企业诊断再生胶工艺", 12), ("training", "2025-03-05", "橡胶配方设计培训", 30)] {
            let body = json(["kind": kind, "heldOn": day, "title": title, "participants": people])
            let (recorded, activity) = try await call(.POST, "/api/v1/stations/\(id)/activities", as: "demo.orgadmin", json: body)
            XCTAssertEqual(recorded, .created, activity.description)
            XCTAssertEqual(activity["participants"] as? Int, people)
        }
        let (shown, detail) = try await call(.GET, "/api/v1/stations/\(id)", as: "demo.orgadmin")
        XCTAssertEqual(shown, .ok)
        XCTAssertEqual((detail["activities"] as? [[String: Any]])?.compactMap { $0["title"] as? String }, ["院士团队进企业诊断再生胶工艺", "橡胶配方设计培训"])
        let years = detail["years"] as? [[String: Any]] ?? []
        XCTAssertEqual(years.compactMap { $0["year"] as? Int }, [2026, 2025, 2024])
        XCTAssertEqual(years.first?["visits"] as? Int, 1)
        XCTAssertEqual(years.first?["participants"] as? Int, 12)
        expectEqual(try await call(.GET, "/api/v1/stations/\(id)", as: "demo.county1").0, .notFound, "outside the county's subtree")
        expectEqual(names(try await call(.GET, "/api/v1/stations?q=绿源", as: "demo.orgadmin").1), ["云海绿源院士专家工作站"])

        // Figures: the page's numbers, for the caller's subtree and year.
        expectEqual(try await call(.GET, "/api/v1/innovation/figures", as: "demo.enterprise").0, .forbidden)
        let (tooEarly, early) = try await call(.GET, "/api/v1/innovation/figures?year=1999", as: "demo.orgadmin")
        XCTAssertEqual(tooEarly, .unprocessableEntity)
        XCTAssertEqual(error(early)["field"] as? String, "year")
        let (read, figures) = try await call(.GET, "/api/v1/innovation/figures?year=2026", as: "demo.orgadmin")
        XCTAssertEqual(read, .ok)
        XCTAssertEqual(figures["year"] as? Int, 2026)
        XCTAssertEqual(figures["suppliesPublished"] as? Int, 6)
        XCTAssertEqual(figures["demandsPublished"] as? Int, 2)
        XCTAssertEqual(figures["pushes"] as? Int, 1)
        let county = try await call(.GET, "/api/v1/innovation/figures", as: "demo.county1").1
        XCTAssertEqual(county["pushes"] as? Int, 0, "the province's push is not the county's")
    }

    private func names(_ object: [String: Any]) -> [String] { items(object).compactMap { $0["name"] as? String } }
}
