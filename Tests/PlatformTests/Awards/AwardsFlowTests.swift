import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Awards
@testable import Platform

/// One program from formal check to certificates through Platform's review engine and publicity, on
/// SQLite and (with DATABASE_URL) PostgreSQL: avoidance in the draw, blindness, aggregation into a
/// proposed list, the 公示 holding the announcement until its objection is settled, and an upheld
/// objection changing the result.
final class AwardsFlowTests: AwardsTestCase {
    struct Flow {
        let programID: UUID
        let applications: [String: UUID]
    }

    /// A blind program without channels (two laureates, two reviewers each), three candidates who passed
    /// formal check, four review experts (one of 云海大学, the first candidate's employer), and the clock
    /// past the application deadline (2026-11-20).
    func prepare() async throws -> Flow {
        let (status, body) = try await call(
            .POST, "/api/v1/award-programs", as: "demo.orgadmin",
            json: """
                {"name": "2026年度云海省优秀科技论文评选", "year": 2026, "applyOpensOn": "2026-11-01", "applyClosesOn": "2026-11-20",
                 "nominateClosesOn": "2026-11-22", "checkClosesOn": "2026-11-25", "reviewClosesOn": "2026-12-31", "laureateCount": 2,
                 "reviewersPerCandidate": 2, "blind": true, "aggregation": "mean", "excludeLaureates": false}
                """)
        XCTAssertEqual(status, .created, "\(String(describing: body))")
        let programID = try unwrapped(UUID(uuidString: object(body)["id"] as? String ?? ""))
        var applications: [String: UUID] = [:]
        for (name, employer) in [("林雨桐", "云海大学"), ("陈晓雯", "云海省热带农业科学院"), ("黄志明", "云海理工学院")] {
            let (created, createdBody) = try await apply(programID, try await person(name, born: "1990-05", employer: employer))
            XCTAssertEqual(created, .created)
            let id = object(createdBody)["id"] as? String ?? ""
            applications[name] = UUID(uuidString: id)
            let (checked, _) = try await call(
                .POST, "/api/v1/award-applications/\(id)/check", as: "demo.orgadmin", json: #"{"decision": "pass"}"#)
            XCTAssertEqual(checked, .ok)
        }
        try await makeExpert("expert.yunhai", name: "云海大学专家", employer: "云海大学")
        try await makeExpert("expert.a", name: "专家甲", employer: "海城职业技术学院")
        try await makeExpert("expert.b", name: "专家乙", employer: "云海能源集团")
        try await makeExpert("expert.c", name: "专家丙", employer: "东港市人民医院")
        clock.advance(minutes: 60 * 24 * 3)
        return Flow(programID: programID, applications: applications)
    }

    /// The round's candidate of an application.
    func candidate(_ applicationID: UUID?) async throws -> ReviewCandidateRecord {
        try unwrapped(try await ReviewCandidateRecord.query(on: app.db).filter(\.$ownerItemID == unwrapped(applicationID)).first())
    }

    func testTheReviewAvoidsTheSameEmployerAndReviewersReadNoNames() async throws {
        let flow = try await prepare()
        let admin = try await loggedIn("demo.orgadmin")
        let closed = try await admin.post("/awards/\(flow.programID)/actions", ["action": "close"])
        XCTAssertEqual(closed.status, .seeOther)
        let started = try await admin.post("/awards/\(flow.programID)/actions", ["action": "start_review"])
        XCTAssertEqual(started.status, .seeOther)
        let program = try unwrapped(try await AwardProgram.find(flow.programID, on: app.db))
        XCTAssertEqual(program.stage, .reviewing)
        let roundID = try unwrapped(program.reviewRoundID)
        let all = try await assignments(roundID)
        XCTAssertEqual(all.count, 6, "two reviewers for each of three candidates")
        // The 云海大学 expert is never on 林雨桐 (same employer), whatever the seed.
        let lin = try await candidate(flow.applications["林雨桐"])
        let yunhai = try unwrapped(try await User.query(on: app.db).filter(\.$username == "expert.yunhai").first()).requireID()
        XCTAssertFalse(all.contains { $0.candidateID == lin.id && $0.userID == yunhai })
        // A reviewer of 林雨桐's paper reads the abstract, not the name or employer.
        let reviewer = try unwrapped(all.first { $0.candidateID == lin.id })
        let username = try unwrapped(try await User.find(reviewer.userID, on: app.db)).username
        let expert = Browser(app)
        try await expert.login(username, Self.password)
        let page = try await expert.get("/reviews/\(try reviewer.requireID())")
        XCTAssertEqual(page.status, .ok)
        XCTAssertFalse(page.body.string.contains("林雨桐"))
        XCTAssertFalse(page.body.string.contains("云海大学"))
        XCTAssertTrue(page.body.string.contains("长期从事橡胶树抗寒育种研究"))
        // The administration links the round.
        let administration = try await admin.get("/awards/\(flow.programID)/manage").page
        XCTAssertEqual(administration.element(id: "review-round-link")?.attribute("href"), "/review-rounds/\(roundID.uuidString)")
    }

    func testScoresBecomeAProposedListWhoseUpheldObjectionChangesTheResult() async throws {
        let flow = try await prepare()
        var admin = try await loggedIn("demo.orgadmin")
        let manager = try await actor("demo.orgadmin")
        let closed = try await admin.post("/awards/\(flow.programID)/actions", ["action": "close"])
        let started = try await admin.post("/awards/\(flow.programID)/actions", ["action": "start_review"])
        XCTAssertEqual([closed.status, started.status], [.seeOther, .seeOther])
        let roundID = try unwrapped(try await AwardProgram.find(flow.programID, on: app.db)?.reviewRoundID)
        // Totals: 林雨桐 90, 陈晓雯 80, 黄志明 70 from each reviewer.
        let totals: [String: (Decimal, Decimal, Decimal)] = ["林雨桐": (27, 36, 27), "陈晓雯": (24, 32, 24), "黄志明": (21, 28, 21)]
        for (name, score) in totals {
            let candidate = try await candidate(flow.applications[name])
            for assignment in try await assignments(roundID) where assignment.candidateID == candidate.id {
                let username = try unwrapped(try await User.find(assignment.userID, on: app.db)).username
                try await ReviewService(db: app.db, services: app.platform).submit(
                    try assignment.requireID(), scores: scores(score.0, score.1, score.2), vote: nil, comment: "",
                    by: try await actor(username))
            }
        }
        let proposed = try await admin.post("/awards/\(flow.programID)/actions", ["action": "propose"])
        XCTAssertEqual(proposed.status, .seeOther)
        let statuses = try await AwardApplication.query(on: app.db).all().reduce(into: [String: String]()) {
            $0[$1.title] = $1.status.rawValue
        }
        XCTAssertEqual(statuses, ["林雨桐": "proposed", "陈晓雯": "proposed", "黄志明": "not_selected"])
        let ranks = try await AwardApplication.query(on: app.db).all().reduce(into: [String: Int]()) { $0[$1.title] = $1.rank ?? 0 }
        XCTAssertEqual(ranks, ["林雨桐": 1, "陈晓雯": 2, "黄志明": 3])
        let publicityID = try unwrapped(try await AwardProgram.find(flow.programID, on: app.db)?.publicityID)

        // The 公示 runs five working days from 2026-11-21: announcing now is refused with the reason.
        let early = try await admin.post("/awards/\(flow.programID)/actions", ["action": "announce"])
        XCTAssertEqual(early.status, .conflict)
        XCTAssertEqual(early.page.element(id: "action-refusal")?.text, "公示期未结束或仍有未办结的异议，暂不能公布结果")
        // Anyone files an objection against 林雨桐 through the API.
        let item = try unwrapped(
            try await PublicityService(db: app.db, services: app.platform).items(publicityID).first { $0.label == "林雨桐" })
        let objection = try await app.testable().sendRequest(
            .POST, "/api/v1/publicities/\(publicityID)/objections",
            headers: ["Content-Type": "application/json", "X-Forwarded-For": "10.9.0.1"],
            body: ByteBuffer(string: #"{"name": "王建国", "contact": "13800001234", "content": "代表作存在一稿多投问题，请核查。", "itemId": "\#(item.id)"}"#))
        XCTAssertEqual(objection.status, .created)
        let objectionID = try unwrapped(try await PublicityObjectionRecord.query(on: app.db).filter(\.$publicityID == publicityID).first())
            .requireID()
        // The period ends (the administrator logs in again after a fortnight); the objection still holds the announcement.
        clock.advance(minutes: 60 * 24 * 14)
        admin = try await loggedIn("demo.orgadmin")
        let held = try await admin.post("/awards/\(flow.programID)/actions", ["action": "announce"])
        XCTAssertEqual(held.status, .conflict)
        try await PublicityService(db: app.db, services: app.platform).decide(
            objectionID, verdict: .upheld, reason: "经核查，代表作确有一稿多投，撤销其拟入选资格", withdraw: true, actor: manager)
        let announced = try await admin.post("/awards/\(flow.programID)/actions", ["action": "announce"])
        XCTAssertEqual(announced.status, .seeOther)
        let final = try await AwardApplication.query(on: app.db).all().reduce(into: [String: String]()) {
            $0[$1.title] = $1.status.rawValue
        }
        XCTAssertEqual(final, ["林雨桐": "withdrawn", "陈晓雯": "awarded", "黄志明": "not_selected"])
        // The public page lists the result; the laureate's certificate opens by its code.
        let page = try await Browser(app).get("/awards/\(flow.programID)").page
        XCTAssertEqual(page.rows(inTable: "laureates").map(\.first), [Optional("陈晓雯"), Optional("林雨桐")])
        XCTAssertEqual(page.rowElements(inTable: "laureates").map { $0.attribute("data-status") }, ["awarded", "withdrawn"])
        let certificate = try unwrapped(page.element(id: "laureates")?.elements("a").first?.attribute("href"))
        let printed = try await Browser(app).get(certificate).page
        XCTAssertEqual(printed.element(id: "certificate-name")?.text, "陈晓雯")
    }
}
