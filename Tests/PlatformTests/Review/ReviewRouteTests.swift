import Fluent
import Foundation
import KexieKit
import SnapshotTesting
import XCTVapor

@testable import Platform

/// The review pages and API through HTTP, on SQLite and (with DATABASE_URL) PostgreSQL: blindness (no
/// candidate title, no other reviewer's score), another reviewer's assignment 404, another county's staff
/// 404, and the API's statuses.
final class ReviewRouteTests: ReviewTestCase {
    var round: UUID!
    var candidates: [UUID] = []
    var reviewerA: MadeExpert!
    var reviewerB: MadeExpert!

    override func setUp() async throws {
        try await super.setUp()
        reviewerA = try await makeExpert("rev.a", name: "甲专家", employer: "单位甲")
        reviewerB = try await makeExpert("rev.b", name: "乙专家", employer: "单位乙")
        round = try await makeRound(reviewers: 2)
        candidates = try await service.addCandidates(
            round, [candidate("张三的水稻育种成果"), candidate("李四的橡胶栽培技术", employers: ["单位甲"])], by: try await actor("demo.orgadmin"))
        _ = try await service.draw(round, seed: 9, by: try await actor("demo.orgadmin"))
    }

    func assignment(of expert: MadeExpert, candidate index: Int) async throws -> UUID? {
        try await ReviewAssignmentRecord.query(on: app.db).filter(\.$userID == expert.userID).filter(\.$candidateID == candidates[index])
            .first()?.requireID()
    }

    func testTheScoringPageOfABlindRoundShowsNeitherTheTitleNorOtherScores() async throws {
        let a = try unwrapped(try await assignment(of: reviewerA, candidate: 0))
        let b = try unwrapped(try await assignment(of: reviewerB, candidate: 0))
        // 甲 works at the second candidate's employer: never on it.
        expectNil(try await assignment(of: reviewerA, candidate: 1))
        try await service.submit(b, scores: scores(29, 39, 29), vote: nil, comment: "乙的秘密意见", by: try await actor("rev.b"))
        let browser = Browser(app)
        try await browser.login("rev.a", Self.password)
        let list = try await browser.get("/reviews")
        XCTAssertEqual(list.status, .ok)
        let listPage = ParsedPage(list.body.string)
        XCTAssertEqual(listPage.element(id: "review-progress")?.elements("li").first?.attribute("data-total"), "1")
        XCTAssertFalse(list.body.string.contains("张三的水稻育种成果"))
        let response = try await browser.get("/reviews/\(a)")
        XCTAssertEqual(response.status, .ok)
        let page = ParsedPage(response.body.string)
        XCTAssertEqual(page.element(id: "candidate-label")?.text, "候选 A-001")
        XCTAssertFalse(response.body.string.contains("张三的水稻育种成果"))
        XCTAssertFalse(response.body.string.contains("乙的秘密意见"))
        XCTAssertEqual(page.elements(attribute: "data-indicator").count, 3)
        // Submitting through the page.
        let posted = try await browser.post(
            "/reviews/\(a)", ["score-innovation": "25.5", "score-contribution": "35", "score-impact": "20", "comment": "较好"])
        XCTAssertEqual(posted.status, .seeOther, posted.body.string)
        expectEqual(try await ReviewAssignmentRecord.find(a, on: app.db)?.total, 80.5)
        // Out of range: 422 with the message beside the indicator.
        let refused = try await browser.post(
            "/reviews/\(a)", ["score-innovation": "31", "score-contribution": "35", "score-impact": "20", "comment": ""])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(ParsedPage(refused.body.string).fieldError("score-innovation"), "请填写 0 至 30 之间的分数（可精确到 0.5 分）")
        // 乙's assignment is not 甲's: 404.
        expectEqual(try await browser.get("/reviews/\(b)").status, .notFound)
    }

    func testManagersSeeTheRoundAndOtherCountiesDoNot() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/review-rounds/\(round!)")
        XCTAssertEqual(page.status, .ok)
        let parsed = ParsedPage(page.body.string)
        XCTAssertEqual(parsed.rowElements(inTable: "round-candidates").count, 2)
        XCTAssertFalse(parsed.elements(attribute: "data-outcome", value: "drawn").isEmpty)
        func listed(_ query: String) async throws -> Int {
            ParsedPage(try await admin.get("/review-rounds" + query).body.string).rowElements(inTable: "review-rounds")
                .filter { $0.attribute("data-round") != nil }.count
        }
        expectEqual(try await listed(""), 1)
        expectEqual(try await listed("?q=%E6%B5%8B%E8%AF%95"), 1, "测试评审 by its title")
        expectEqual(try await listed("?q=%25%25"), 0, "a % is searched as itself")
        expectEqual(try await listed("?state=aggregated"), 0)
        expectEqual(try await listed("?mode=voting"), 0)
        let exported = try await admin.get("/review-rounds?format=csv")
        expectEqual(exported.status, .ok)
        expectTrue(exported.body.string.contains("测试评审"))
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get("/review-rounds/\(round!)").status, .notFound)
        // Aggregating through the page, then the CSV export.
        let aggregated = try await admin.post("/review-rounds/\(round!)/aggregate", [:])
        XCTAssertEqual(aggregated.status, .seeOther, aggregated.body.string)
        expectEqual(try await listed("?state=aggregated"), 1)
        let csv = try await admin.get("/review-rounds/\(round!)/results?format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("张三的水稻育种成果"))
        // Manual assignment refused with the reasons on the page.
        let refused = try await admin.post(
            "/review-rounds/\(round!)/assign", ["candidate": candidates[1].uuidString, "expert": reviewerA.entryID.uuidString])
        XCTAssertEqual(refused.status, .conflict)
        XCTAssertEqual(ParsedPage(refused.body.string).fieldError("expert"), "该专家须回避此候选：与候选人同一工作单位")
    }

    func testAReviewerDeclinesThroughThePageAndAVotingRoundTakesAVote() async throws {
        let c = try await makeExpert("rev.c", name: "丙专家", employer: "单位丙")
        let a = try unwrapped(try await assignment(of: reviewerA, candidate: 0))
        let browser = Browser(app)
        try await browser.login("rev.a", Self.password)
        let empty = try await browser.post("/reviews/\(a)/decline", ["reason": " "])
        expectEqual(empty.status, .unprocessableEntity)
        expectEqual(ParsedPage(empty.body.string).fieldError("reason"), "请填写回避原因（不超过 500 字）")
        let declined = try await browser.post("/reviews/\(a)/decline", ["reason": "与候选人有合作关系"])
        expectEqual(declined.status, .seeOther)
        expectEqual(declined.headers.first(name: .location), "/reviews?notice=review_declined")
        expectEqual(try await ReviewAssignmentRecord.find(a, on: app.db)?.state, .declined)
        // 丙 was redrawn onto the candidate.
        expectEqual(
            try await ReviewAssignmentRecord.query(on: app.db).filter(\.$candidateID == candidates[0]).filter(\.$personID == c.personID)
                .first()?.source, .redraw)
        let page = ParsedPage(try await browser.get("/reviews/\(a)").body.string)
        expectEqual(page.element(id: "declined-reason")?.text, "已声明回避：与候选人有合作关系")
        expectNil(page.element(id: "scoring-form"))

        let orgadmin = try await actor("demo.orgadmin")
        let voting = try await makeRound(mode: .voting, reviewers: 1)
        let ids = try await service.addCandidates(voting, [candidate("表决候选")], by: orgadmin)
        let vote = try await service.assign(voting, candidateID: ids[0], expertEntryID: reviewerA.entryID, by: orgadmin)
        let form = ParsedPage(try await browser.get("/reviews/\(vote)").body.string)
        expectEqual(form.elements(attribute: "name", value: "vote").count, 3)
        let missing = try await browser.post("/reviews/\(vote)", ["comment": ""])
        expectEqual(missing.status, .unprocessableEntity)
        let voted = try await browser.post("/reviews/\(vote)", ["vote": "for", "comment": "同意"])
        expectEqual(voted.status, .seeOther)
        expectEqual(try await ReviewAssignmentRecord.find(vote, on: app.db)?.vote, "for")
    }

    private var tokens: [String: String] = [:]

    private func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else { throw PlatformError.notFound }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: try user.requireID(), name: "t", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

    private func api(_ method: HTTPMethod, _ path: String, as username: String, body: String? = nil) async throws -> (
        HTTPStatus, [String: Any]
    ) {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.bearerAuthorization = .init(token: try await token(username))
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }

    private func code(_ object: [String: Any]) -> String? { (object["error"] as? [String: Any])?["code"] as? String }

    func testTheAPIAnswersItsStatuses() async throws {
        let a = try unwrapped(try await assignment(of: reviewerA, candidate: 0))
        let path = "/api/v1/review-assignments/\(a)/scores"
        var (status, body) = try await api(
            .POST, path, as: "rev.a", body: #"{"scores": {"innovation": 31, "contribution": 30, "impact": 20}}"#)
        XCTAssertEqual(status, .unprocessableEntity)
        XCTAssertEqual(code(body), "platform.review_score_out_of_range")
        XCTAssertEqual((body["error"] as? [String: Any])?["field"] as? String, "innovation")
        (status, body) = try await api(.POST, path, as: "rev.b", body: #"{"scores": {"innovation": 20, "contribution": 30, "impact": 20}}"#)
        XCTAssertEqual(status, .notFound)
        (status, body) = try await api(
            .POST, path, as: "rev.a", body: #"{"scores": {"innovation": 20, "contribution": 30.5, "impact": 20}, "comment": "好"}"#)
        XCTAssertEqual(status, .ok, body.description)
        XCTAssertEqual(body["total"] as? Double, 70.5)

        (status, body) = try await api(
            .POST, "/api/v1/review-rounds/\(round!)/assignments", as: "demo.orgadmin",
            body: #"{"candidateId": "\#(candidates[1])", "expertEntryId": "\#(reviewerA.entryID)"}"#)
        XCTAssertEqual(status, .conflict)
        XCTAssertEqual(code(body), "platform.review_conflict")
        XCTAssertEqual(((body["error"] as? [String: Any])?["fields"] as? [String: Any])?.keys.sorted(), ["same_employer"])
        (status, body) = try await api(
            .POST, "/api/v1/review-rounds/\(round!)/assignments", as: "demo.county1",
            body: #"{"candidateId": "\#(candidates[1])", "expertEntryId": "\#(reviewerB.entryID)"}"#)
        XCTAssertEqual(status, .notFound)

        _ = try await service.aggregate(round, by: try await actor("demo.orgadmin"))
        (status, body) = try await api(.GET, "/api/v1/review-rounds/\(round!)/results", as: "demo.orgadmin")
        XCTAssertEqual(status, .ok)
        XCTAssertEqual(body["aggregation"] as? String, "mean")
        XCTAssertEqual(body["mode"] as? String, "scoring")
        let results = try XCTUnwrap(body["results"] as? [[String: Any]])
        XCTAssertEqual(results.first?["title"] as? String, "张三的水稻育种成果")
        XCTAssertEqual(results.first?["score"] as? Double, 70.5)
        XCTAssertEqual(results.first?["rank"] as? Int, 1)
        XCTAssertEqual((results.first?["votes"] as? [String: Any])?["for"] as? Int, 0)
        (status, body) = try await api(.GET, "/api/v1/review-rounds/\(round!)/results", as: "demo.county1")
        XCTAssertEqual(status, .notFound)
        (status, body) = try await api(.GET, "/api/v1/review-rounds/\(round!)/results", as: "rev.a")
        XCTAssertEqual(status, .notFound)

        // After the closing day: 409.
        clock.advance(minutes: 7 * 24 * 60)
        (status, body) = try await api(.POST, path, as: "rev.a", body: #"{"scores": {"innovation": 20, "contribution": 30, "impact": 20}}"#)
        XCTAssertEqual(status, .conflict)
        XCTAssertEqual(code(body), "platform.review_closed")
    }

    /// The two page kinds the crawler's demo does not reach (it has no round): the scoring page and the
    /// round's page, normalized as PageSnapshotTests does.
    func testTheReviewPagesMatchTheirSnapshots() async throws {
        try XCTSkipIf(TestApp.usesPostgres, "page snapshots are taken on SQLite")
        let a = try unwrapped(try await assignment(of: reviewerA, candidate: 0))
        let reviewer = Browser(app)
        try await reviewer.login("rev.a", Self.password)
        let scoring = try await reviewer.get("/reviews/\(a)").body.string
        let admin = try await loggedIn("demo.orgadmin")
        let round = try await admin.get("/review-rounds/\(round!)").body.string
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["KEXIE_RECORD_SNAPSHOTS"] == "1" ? .all : .missing
        withSnapshotTesting(record: record) {
            assertSnapshot(of: PageSnapshotTests.normalize(scoring), as: .lines, named: "expert-reviews_id")
            assertSnapshot(of: PageSnapshotTests.normalize(round), as: .lines, named: "orgadmin-review-rounds_id")
        }
    }
}
