import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// Shared set-up: the check-in tests' event of 青石县科协 (three confirmed registrations, one
/// waitlisted, one cancelled, two sessions), two speakers, and a confirmed registration of 演示科技工作者
/// (demo.member) named 赵评价.
class EvaluationTestCase: CheckInTestCase {
    var speakers: [EventSpeaker] = []
    var memberRegistration: EventRegistration!

    override func setUp() async throws {
        try await super.setUp()
        let id = try event.requireID()
        for (index, name) in ["林海生", "符雅琴"].enumerated() {
            let speaker = EventSpeaker()
            speaker.eventID = id
            speaker.name = name
            speaker.affiliation = "研究员"
            speaker.topic = index == 0 ? "低频割胶技术" : "橡胶产业对接"
            speaker.position = index
            try await speaker.create(on: app.db)
            speakers.append(speaker)
        }
        let registration = EventRegistration()
        registration.eventID = id
        registration.status = .confirmed
        registration.channel = .self
        registration.sequence = 6
        registration.name = "赵评价"
        registration.unit = "青石县农科所"
        registration.userID = try await userID("demo.member")
        registration.code = CheckInCode.generate().canonical
        try await registration.create(on: app.db)
        memberRegistration = registration
        event.confirmedCount = 4
        try await event.update(on: app.db)
    }

    var evaluation: EvaluationService { EvaluationService(db: app.db, services: app.platform) }

    func input(content: String = "5", organization: String = "4", comment: String = "很有收获", speakers scores: [String] = ["5", "3"])
        -> EvaluationService.Input
    {
        var input = EvaluationService.Input()
        input.content = content
        input.organization = organization
        input.comment = comment
        for (speaker, score) in zip(speakers, scores) { input.speakers[speaker.id!.uuidString] = score }
        return input
    }

    /// Past the event's end (8 hours after the start).
    func endEvent() { clock.advance(minutes: 9 * 60) }

    static let png = Data(
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52] + Array(repeating: 0, count: 32))
}

/// EvaluationService: once-only evaluations that may change until the close, field errors, the
/// report's attendance and photos, the quality score, the yearly record and the metric; on SQLite and
/// PostgreSQL (DATABASE_URL).
final class EvreviewServiceTests: EvaluationTestCase {
    func testAParticipantEvaluatesOnceAfterTheEndAndMayChangeItUntilTheClose() async throws {
        let member = try await actor("demo.member")
        let id = try event.requireID()
        do {
            try await evaluation.submit(id, input: input(), actor: member)
            XCTFail("evaluated before the end")
        } catch let error as EventsError { XCTAssertEqual(error, .evaluationNotOpen) }
        endEvent()
        let first = try await evaluation.submit(id, input: input(), actor: member)
        XCTAssertEqual(first.contentScore, 5)
        XCTAssertEqual(first.organizationScore, 4)
        XCTAssertEqual(first.comment, "很有收获")
        let changed = try await evaluation.submit(id, input: input(content: "3", speakers: ["4", ""]), actor: member)
        XCTAssertEqual(changed.id, first.id, "a second submission changes the same evaluation")
        expectEqual(try await EventEvaluation.query(on: app.db).count(), 1)
        let ratings = try await EventSpeakerRating.query(on: app.db).all()
        XCTAssertEqual(ratings.map(\.score), [4], "the speaker left blank is no longer rated")
        XCTAssertEqual(ratings.first?.speakerID, speakers[0].id)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$entityType == "events_evaluation").count()
        XCTAssertEqual(audited, 2, "created and changed")

        clock.advance(minutes: 31 * 24 * 60)
        do {
            try await evaluation.submit(id, input: input(), actor: member)
            XCTFail("evaluated after the close")
        } catch let error as EventsError { XCTAssertEqual(error, .evaluationClosed) }
    }

    func testTwoSubmissionsAtOnceLeaveOneEvaluation() async throws {
        endEvent()
        let member = try await actor("demo.member")
        let id = try event.requireID()
        let service = evaluation
        let five = input(content: "5")
        let four = input(content: "4")
        async let first = service.submit(id, input: five, actor: member)
        async let second = service.submit(id, input: four, actor: member)
        let (a, b) = try await (first, second)
        XCTAssertEqual(a.id, b.id)
        expectEqual(try await EventEvaluation.query(on: app.db).count(), 1)
        expectEqual(try await EventSpeakerRating.query(on: app.db).count(), 2)
    }

    func testOnlyAConfirmedRegistrationEvaluatesAndEveryProblemIsNamed() async throws {
        endEvent()
        let id = try event.requireID()
        do {
            try await evaluation.submit(id, input: input(), actor: try await actor("demo.staff"))
            XCTFail("staff without a registration evaluated")
        } catch let error as EventsError { XCTAssertEqual(error, .notParticipant) }
        do {
            try await evaluation.submit(
                id, input: input(content: "6", organization: "", comment: String(repeating: "长", count: 501), speakers: ["0", "5"]),
                actor: try await actor("demo.member"))
            XCTFail("bad input accepted")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(invalid.invalid["content"], "请为活动内容打 1 到 5 分")
            XCTAssertEqual(invalid.invalid["organization"], "请为组织服务打 1 到 5 分")
            XCTAssertEqual(invalid.invalid["comment"], "意见和建议最多 500 字，现有 501 字")
            XCTAssertEqual(invalid.invalid["speaker-\(speakers[0].id!.uuidString)"], "请为报告人打 1 到 5 分")
            XCTAssertEqual(invalid.field, "content")
        }
        var foreign = input()
        foreign.speakers = [UUID().uuidString: "5"]
        do {
            try await evaluation.submit(id, input: foreign, actor: try await actor("demo.member"))
            XCTFail("a foreign speaker accepted")
        } catch let invalid as InvalidFields { XCTAssertEqual(invalid.invalid["speakers"], "不是本活动的报告人") }
        expectEqual(try await EventEvaluation.query(on: app.db).count(), 0)
    }

    func testTheReportPrefillsAttendanceFromCheckInsAndKeepsOnlyImages() async throws {
        let staff = try await actor("demo.county1")
        let subject = try await subject()
        _ = try await desk.checkIn(.init(code: codes[0]), kind: EventCheckIns(), subject: subject, actor: staff)
        _ = try await desk.checkIn(.init(code: codes[1]), kind: EventCheckIns(), subject: subject, actor: staff)
        // The same person again, to a session: still one.
        _ = try await desk.checkIn(
            .init(code: codes[0], sessionKey: sessions[0].id!.uuidString), kind: EventCheckIns(), subject: subject, actor: staff)
        let id = try event.requireID()
        expectEqual(try await evaluation.checkedIn(id), 2)

        var report = EvaluationService.ReportInput()
        report.adviceCount = "2"
        do {
            try await evaluation.fileReport(id, input: report, actor: staff)
            XCTFail("filed before the end")
        } catch let error as EventsError { XCTAssertEqual(error, .eventNotOver) }
        endEvent()
        report.attendance = "40"
        report.paperCount = "-1"
        report.photos = [UploadedFile(name: "议程.pdf", data: Data("%PDF-1.4\n".utf8))]
        do {
            try await evaluation.fileReport(id, input: report, actor: staff)
            XCTFail("bad report accepted")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(invalid.invalid["attendanceReason"], "实到人数与签到人数（2 人）不同，请说明原因")
            XCTAssertEqual(invalid.invalid["paperCount"], "请填写 0 到 100000 之间的整数")
            XCTAssertEqual(invalid.invalid["files"], "“议程.pdf”不是图片（PNG、JPEG、GIF 或 WebP，按文件内容判断）")
        }
        report.attendanceReason = "部分参会人员使用纸质签到"
        report.paperCount = "3"
        report.dockingCount = "1"
        report.photos = [UploadedFile(name: "合影.png", data: Self.png)]
        let filed = try await evaluation.fileReport(id, input: report, actor: staff)
        XCTAssertEqual(filed.attendance, 40)
        XCTAssertEqual(filed.checkedIn, 2)
        XCTAssertEqual(filed.adviceCount, 2)
        let photos = try await evaluation.photos(of: filed)
        XCTAssertEqual(photos.map(\.fileName), ["合影.png"])
        XCTAssertEqual(photos.first?.kind, .png)
        expectEqual(try await AuditEntry.query(on: app.db).filter(\.$entityType == "events_report").count(), 1)

        // Another county's administrator and a member may not file it.
        do {
            try await evaluation.fileReport(id, input: report, actor: try await actor("demo.county2"))
            XCTFail("another county filed")
        } catch let error as PlatformError { XCTAssertEqual(error, .notFound) }
        do {
            try await evaluation.fileReport(id, input: report, actor: try await actor("demo.member"))
            XCTFail("a member filed")
        } catch let error as PlatformError { XCTAssertEqual(error, .forbidden) }
    }

    func testTheQualityScoreFollowsItsFormula() {
        typealias Parts = EvaluationService.ScoreParts
        XCTAssertNil(EvaluationService.qualityScore(Parts(confirmed: 0)))
        // Ratings only: (4 + 5 + 4.5) / 3 = 4.5 → 90.
        XCTAssertEqual(EvaluationService.qualityScore(Parts(content: 4, organization: 5, speakers: 4.5, confirmed: 10)), 90)
        // 50 × 0.9 + 30 × (60 / 100) + 20 × min((3×1 + 2×2 + 3×1) / 10, 1) = 45 + 18 + 20 = 83.
        XCTAssertEqual(
            EvaluationService.qualityScore(
                Parts(
                    content: 4, organization: 5, speakers: 4.5, attendance: 60, capacity: 100, confirmed: 80, advice: 1, papers: 2,
                    dockings: 1)), 83)
        // No capacity: attendance over confirmed, capped at 1; outputs (2×1) / 10 = 0.2 → (30 + 4) / 50 = 68.
        XCTAssertEqual(
            EvaluationService.qualityScore(Parts(attendance: 12, confirmed: 10, advice: 0, papers: 1, dockings: 0)), 68)
    }

    func testTheYearlyRecordAndTheMetricReadTheEvaluationsInOneStatementEach() async throws {
        endEvent()
        let id = try event.requireID()
        try await evaluation.submit(
            id, input: input(content: "5", organization: "4", speakers: ["5", "3"]), actor: try await actor("demo.member"))
        let rows = try await evaluation.record(demo.county1, year: 2026)
        XCTAssertEqual(rows.map(\.title), ["青石县橡胶产业技术沙龙"])
        let row = try XCTUnwrap(rows.first)
        XCTAssertEqual(row.evaluations, 1)
        XCTAssertEqual(row.content, 5)
        XCTAssertEqual(row.organization, 4)
        XCTAssertEqual(row.speakers, 4)
        XCTAssertNil(row.attendance)
        // (5 + 4 + 4) / 3 / 5 = 0.8667 → 86.7 (attendance and outputs not known yet).
        XCTAssertEqual(row.score, 86.7)
        expectEqual(try await evaluation.score(event), 86.7)
        expectEqual(try await evaluation.record(demo.county2, year: 2026).count, 0)
        expectEqual(try await evaluation.record(demo.county1, year: 2025).count, 0)

        let metric = try XCTUnwrap(app.platform.registry.metrics["events.evaluation_average"])
        XCTAssertNil(metric.records, "an average has no list")
        expectEqual(try await metric.compute(.init(organization: demo.province, year: 2026), app.db), 4.5)
        expectEqual(try await metric.compute(.init(organization: demo.county2, year: 2026), app.db), 0)
    }
}

/// The pages through HTTP: the evaluation form (once, field errors, 422), the results (staff of the
/// subtree only, no names), the report form, the exports and the yearly record; SQLite and PostgreSQL.
final class EvreviewRouteTests: EvaluationTestCase {
    private var eventPath: String { "/events/\(event.id!.uuidString)" }

    private func multipart(_ browser: Browser, _ path: String, fields: [String: String], files: [(String, String, Data)]) async throws
        -> XCTHTTPResponse
    {
        let boundary = "kexie-evreview-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        var all = fields
        all["_csrf"] = browser.csrf!
        for (name, value) in all { part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)) }
        for (field, name, data) in files {
            part("Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream", data)
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }

    private func form(_ scores: [String: String]) -> [String: String] {
        var fields = scores
        for (key, value) in scores where key.hasPrefix("s") && Int(key.dropFirst()) != nil {
            fields.removeValue(forKey: key)
            fields["speaker-" + speakers[Int(key.dropFirst())!].id!.uuidString] = value
        }
        return fields
    }

    func testAMemberEvaluatesThroughThePageOnceAndSeesOnlyTheirOwn() async throws {
        var member = try await loggedIn("demo.member")
        let early = try await member.get(eventPath + "/evaluate")
        XCTAssertEqual(early.status, .ok)
        XCTAssertTrue(early.body.string.contains("id=\"evaluate-closed\""), "not over yet")
        XCTAssertFalse(early.body.string.contains("id=\"submit-evaluation\""))
        expectEqual(try await member.post(eventPath + "/evaluate", form(["content": "5", "organization": "4"])).status, .conflict)

        endEvent()
        member = try await loggedIn("demo.member")  // the session has idled out meanwhile
        let page = try await member.get(eventPath)
        XCTAssertTrue(page.body.string.contains("id=\"evaluate-link\""), "评价本活动 on the event page")
        XCTAssertFalse(page.body.string.contains("id=\"quality-score\""), "a member sees no score")
        let mine = try await member.get("/my/events")
        XCTAssertTrue(mine.body.string.contains("href=\"\(eventPath)/evaluate\""), "reached from 我的活动")

        let bad = try await member.post(eventPath + "/evaluate", form(["content": "9", "organization": "", "comment": "好"]))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let badHTML = bad.body.string
        XCTAssertTrue(badHTML.contains("id=\"error-summary\""))
        XCTAssertTrue(badHTML.contains("data-field=\"content\""))
        XCTAssertTrue(badHTML.contains("data-field=\"organization\""))
        XCTAssertTrue(badHTML.contains("id=\"content-error\""))

        let done = try await member.post(
            eventPath + "/evaluate", form(["content": "5", "organization": "4", "s0": "5", "comment": "收获很大"]))
        XCTAssertEqual(done.status, .seeOther)
        XCTAssertEqual(done.location, eventPath + "/evaluate?notice=evaluated")
        let again = try await member.post(eventPath + "/evaluate", form(["content": "4", "organization": "4", "s0": "4"]))
        XCTAssertEqual(again.status, .seeOther)
        expectEqual(try await EventEvaluation.query(on: app.db).count(), 1, "once: the second post changes it")
        let shown = try await member.get(eventPath + "/evaluate")
        XCTAssertTrue(shown.body.string.contains("id=\"evaluated-at\""))
        XCTAssertTrue(shown.body.string.contains("data-value=\"4\""))

        // The member reads neither the results nor the report.
        expectEqual(try await member.get(eventPath + "/evaluation").status, .forbidden)
        expectEqual(try await member.get(eventPath + "/evaluation?format=csv").status, .forbidden)
        expectEqual(try await member.get(eventPath + "/report").status, .forbidden)
        // Someone without a registration does not evaluate.
        let other = try await loggedIn("demo.expert")
        expectEqual(try await other.get(eventPath + "/evaluate").status, .forbidden)
        expectEqual(try await other.post(eventPath + "/evaluate", form(["content": "1", "organization": "1"])).status, .forbidden)
        expectEqual(try await member.get("/events/\(UUID().uuidString)/evaluate").status, .notFound)
    }

    func testStaffOfTheSubtreeReadTheResultsWithoutNamesAndOthersDoNot() async throws {
        endEvent()
        try await evaluation.submit(event.requireID(), input: input(comment: "建议多安排交流"), actor: try await actor("demo.member"))
        let staff = try await loggedIn("demo.county1")
        let results = try await staff.get(eventPath + "/evaluation")
        XCTAssertEqual(results.status, .ok)
        let html = results.body.string
        XCTAssertTrue(html.contains("data-count=\"1\""))
        XCTAssertTrue(html.contains("id=\"content-average\">5.00<"))
        XCTAssertTrue(html.contains("建议多安排交流"))
        XCTAssertFalse(html.contains("赵评价"), "no names beside ratings")
        XCTAssertTrue(html.contains("data-score=\"86.7\""), "(5 + 4 + 4) / 3 / 5 × 100")
        let eventPage = try await staff.get(eventPath)
        XCTAssertTrue(eventPage.body.string.contains("id=\"quality-score\""))
        XCTAssertTrue(eventPage.body.string.contains("id=\"evaluation-link\""))

        let csv = try await staff.get(eventPath + "/evaluation?format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("建议多安排交流"))
        XCTAssertFalse(csv.body.string.contains("赵评价"))
        let xlsx = try await staff.get(eventPath + "/evaluation?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        XCTAssertEqual(xlsx.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")

        expectEqual(try await loggedIn("demo.county2").get(eventPath + "/evaluation").status, .notFound, "another county")
        expectEqual(try await loggedIn("demo.county2").get(eventPath + "/report").status, .notFound)
        expectEqual(try await loggedIn("demo.staff").get(eventPath + "/evaluation").status, .ok, "the province above the county")
    }

    func testTheOrganizerFilesTheReportWithFieldErrorsAndPhotos() async throws {
        var staff = try await loggedIn("demo.county1")
        let early = try await staff.get(eventPath + "/report")
        XCTAssertTrue(early.body.string.contains("id=\"report-closed\""))
        endEvent()
        staff = try await loggedIn("demo.county1")
        let form = try await staff.get(eventPath + "/report")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.string.contains("data-checked-in=\"0\""))
        let bad = try await staff.post(
            eventPath + "/report", ["attendance": "30", "adviceCount": "x", "paperCount": "1", "dockingCount": "0", "outputsNote": ""])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("data-field=\"attendanceReason\""))
        XCTAssertTrue(bad.body.string.contains("data-field=\"adviceCount\""))
        XCTAssertTrue(bad.body.string.contains("id=\"adviceCount-error\""))
        let filed = try await staff.post(
            eventPath + "/report",
            [
                "attendance": "30", "attendanceReason": "纸质签到", "adviceCount": "1", "paperCount": "2", "dockingCount": "1",
                "outputsNote": "签约一项",
            ])
        XCTAssertEqual(filed.status, .seeOther)
        let report = try await EventReport.query(on: app.db).first()
        XCTAssertEqual(report?.attendance, 30)
        XCTAssertEqual(report?.dockingCount, 1)
        // Photos as the form sends them (`files[]`): a PNG is kept, a PDF renamed .png is refused.
        let refused = try await multipart(
            staff, eventPath + "/report", fields: ["attendance": "30", "attendanceReason": "纸质签到"],
            files: [("files[]", "假照片.png", Data("%PDF-1.4\n".utf8))])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("id=\"files-error\""))
        let photo = try await multipart(
            staff, eventPath + "/report",
            fields: ["attendance": "30", "attendanceReason": "纸质签到", "adviceCount": "1", "paperCount": "2", "dockingCount": "1"],
            files: [("files[]", "合影.png", Self.png)])
        XCTAssertEqual(photo.status, .seeOther)
        let stored = try await StoredFile.query(on: app.db).filter(\.$ownerType == "events.report").all()
        XCTAssertEqual(stored.map(\.fileName), ["合影.png"])
        let results = try await staff.get(eventPath + "/evaluation")
        XCTAssertTrue(results.body.string.contains("data-file-id=\"\(stored[0].id!.uuidString)\""))
        expectEqual(try await staff.get("/files/\(stored[0].id!.uuidString)").status, .ok)
        expectEqual(try await loggedIn("demo.county2").get("/files/\(stored[0].id!.uuidString)").status, .notFound)
        XCTAssertTrue(results.body.string.contains("data-attendance=\"30\""))
        // 30 × 30/100 + 20 × (3 + 4 + 3)/10 = 9 + 20 = 29 of 50 → 58.0.
        XCTAssertTrue(results.body.string.contains("data-score=\"58.0\""))
    }

    private func apiGet(_ path: String, as username: String?) async throws -> (HTTPStatus, [String: Any]) {
        var headers: HTTPHeaders = [:]
        if let username {
            let token = try await TokenService(db: app.db, services: app.platform).issue(
                userID: userID(username), name: "evaluation", expiresInDays: nil
            ).token
            headers.bearerAuthorization = .init(token: token)
        }
        let response = try await app.testable().sendRequest(.GET, path, headers: headers)
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }

    func testTheAPIAnswersTheResultsToStaffOfTheSubtreeOnly() async throws {
        endEvent()
        try await evaluation.submit(event.requireID(), input: input(comment: "不出现在接口中"), actor: try await actor("demo.member"))
        let path = "/api/v1/events/\(event.id!.uuidString)/evaluation"
        let (status, body) = try await apiGet(path, as: "demo.county1")
        XCTAssertEqual(status, .ok, body.description)
        XCTAssertEqual(body["eventId"] as? String, event.id!.uuidString)
        XCTAssertEqual(body["evaluations"] as? Int, 1)
        XCTAssertEqual(body["contentAverage"] as? Double, 5)
        XCTAssertEqual(body["speakerAverage"] as? Double, 4)
        XCTAssertEqual(body["contentDistribution"] as? [Int], [0, 0, 0, 0, 1])
        XCTAssertEqual(body["qualityScore"] as? Double, 86.7)
        XCTAssertNil(body["report"], "no report filed yet")
        XCTAssertEqual((body["speakers"] as? [[String: Any]])?.map { $0["name"] as? String }, ["林海生", "符雅琴"])
        let text = String(describing: body)
        XCTAssertFalse(text.contains("赵评价"))
        expectEqual(try await apiGet(path, as: nil).0, .unauthorized)
        expectEqual(try await apiGet(path, as: "demo.member").0, .forbidden)
        let (hidden, refusal) = try await apiGet(path, as: "demo.county2")
        XCTAssertEqual(hidden, .notFound)
        XCTAssertEqual((refusal["error"] as? [String: Any])?["code"] as? String, "platform.not_found")
        expectEqual(try await apiGet("/api/v1/events/\(UUID().uuidString)/evaluation", as: "demo.county1").0, .notFound)
    }

    func testTheYearlyRecordPagesFiltersExportsAndKeepsToTheSubtree() async throws {
        endEvent()
        try await evaluation.submit(event.requireID(), input: input(), actor: try await actor("demo.member"))
        let county = try demo.county1.requireID().uuidString
        let staff = try await loggedIn("demo.county1")
        let page = try await staff.get("/organizations/\(county)/events/record?year=2026")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("data-event-id=\"\(event.id!.uuidString)\""))
        XCTAssertTrue(page.body.string.contains("data-events=\"1\""))
        let filtered = try await staff.get("/organizations/\(county)/events/record?year=2026&kind=forum")
        XCTAssertTrue(filtered.body.string.contains("data-events=\"0\""))
        let csv = try await staff.get("/organizations/\(county)/events/record?year=2026&format=csv&sort=score&dir=desc")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("青石县橡胶产业技术沙龙"))
        expectEqual(try await staff.get("/organizations/\(county)/events/record?year=2026&format=xlsx").status, .ok)
        expectEqual(try await staff.get("/organizations/\(county)/events/record?year=99999").status, .unprocessableEntity)
        expectEqual(try await staff.get("/organizations/\(county)/events/record?sort=nope").status, .unprocessableEntity)
        expectEqual(try await staff.get("/organizations/\(county)/events/record?page=0").status, .unprocessableEntity)
        expectEqual(try await loggedIn("demo.county2").get("/organizations/\(county)/events/record").status, .notFound)
        expectEqual(try await loggedIn("demo.member").get("/organizations/\(county)/events/record").status, .forbidden)
        let province = try demo.province.requireID().uuidString
        expectEqual(try await staff.get("/organizations/\(province)/events/record").status, .notFound, "above the county")
    }
}

/// The populated province: finished events carry evaluations and reports, so the demo roles' pages are
/// not empty; demo.member has one event still to evaluate.
final class EvreviewDemoTests: KexieTestCase {
    func testTheProvinceHasEvaluatedAndReportedEvents() async throws {
        let demo = try await DemoFixture.load(app, populated: true)
        let evaluations = try await EventEvaluation.query(on: app.db).count()
        let reports = try await EventReport.query(on: app.db).count()
        XCTAssertGreaterThan(evaluations, 50)
        XCTAssertGreaterThan(reports, 3)
        let finished = try await Event.query(on: app.db).filter(\.$state == .finished).count()
        XCTAssertEqual(reports, min(finished, 12) - 2, "every finished event of the twelve but the latest two")

        let admin = Browser(app)
        try await admin.login("demo.orgadmin", demo.accounts["demo.orgadmin"] ?? "")
        let province = try demo.province.requireID().uuidString
        let record = try await admin.get("/organizations/\(province)/events/record?year=2026")
        XCTAssertEqual(record.status, .ok)
        XCTAssertTrue(record.body.string.contains("data-reported=\"true\""))
        let metric = try XCTUnwrap(app.platform.registry.metrics["events.evaluation_average"])
        let average = try await metric.compute(.init(organization: demo.province, year: 2026), app.db)
        XCTAssertGreaterThan(average, 3)
        XCTAssertLessThanOrEqual(average, 5)

        let member = Browser(app)
        try await member.login("demo.member", demo.accounts["demo.member"] ?? "")
        let mine = try await member.get("/my/events")
        XCTAssertEqual(mine.body.string.components(separatedBy: "class=\"evaluate-link\"").count - 1, 2, "two events attended")
    }
}
