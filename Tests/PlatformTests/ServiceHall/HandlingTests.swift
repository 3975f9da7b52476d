import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// 协同办理 through the HTTP layer: accept, assign to a 承办 department with a 协办 department, answer,
/// rate; refusals for the wrong person, a missing comment, an illegal step and an out-of-range rating;
/// transfer to a county; scope; the API's transitions.
final class HandlingTests: DemoTestCase {
    private func submitAsMember() async throws -> (Browser, ServiceCase) {
        let member = try await loggedIn("demo.member")
        let response = try await member.post(
            "/service/new",
            ["type": "suggestion", "title": "建议增加科普大篷车下乡", "content": "建议在偏远乡镇增加科普大篷车巡展次数。", "contactPhone": "13700004444"])
        XCTAssertEqual(response.status, .created)
        return (member, try await ServiceCase.query(on: app.db).sort(\.$submittedAt, .descending).first()!)
    }

    private func step(_ browser: Browser, _ record: ServiceCase, _ fields: [String: String]) async throws -> XCTHTTPResponse {
        try await browser.post("/service/cases/\(try record.requireID())/transitions", fields)
    }

    private func department(_ name: String) async throws -> Department {
        try await Department.query(on: app.db).filter(\.$organizationID == demo.province.id!).filter(\.$name == name).first()!
    }

    func testACaseGoesFromAcceptanceToRating() async throws {
        let (member, record) = try await submitAsMember()
        let id = try record.requireID()
        let notMine = try await step(member, record, ["action": "accept"])
        XCTAssertEqual(notMine.status, .forbidden)
        XCTAssertTrue(notMine.body.string.contains("办公室"))

        let office = try await loggedIn("demo.orgadmin")
        let queue = try await office.get("/service/cases")
        XCTAssertTrue(queue.body.string.contains("建议增加科普大篷车下乡"))
        let early = try await step(office, record, ["action": "answer", "comment": "已答复"])
        XCTAssertEqual(early.status, .unprocessableEntity, "cannot answer a case not yet accepted")
        expectEqual(try await step(office, record, ["action": "accept", "comment": "已收到"]).status, .seeOther)
        let accepted = try await ServiceCase.find(id, on: app.db)!
        XCTAssertEqual(accepted.state, .accepted)
        XCTAssertNotNil(accepted.answerDue)
        let noDepartment = try await step(office, record, ["action": "assign"])
        XCTAssertTrue(noDepartment.body.string.contains("请选择承办部门"))
        let popularization = try await department("科普部")
        let publicity = try await department("宣传部")
        expectEqual(
            try await step(
                office, record,
                [
                    "action": "assign", "department": try popularization.requireID().uuidString,
                    "coDepartments[]": try publicity.requireID().uuidString,
                ]
            ).status, .seeOther)
        let assigned = try await ServiceCase.find(id, on: app.db)!
        XCTAssertEqual(assigned.state, .inProgress)
        XCTAssertEqual(assigned.departmentID, popularization.id)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$entityType == "service_case").filter(\.$action == "update").all()
        XCTAssertTrue(audited.contains { $0.summary.contains("state=in_progress") }, "typed columns read as stored in the audit log")

        let handler = try await loggedIn("demo.staff")
        let page = try await handler.get("/service/cases/\(id)")
        XCTAssertTrue(page.body.string.contains("do-answer"), "the 承办 department sees the answer form")
        let empty = try await step(handler, record, ["action": "answer", "comment": " "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("答复内容"))
        expectEqual(try await step(handler, record, ["action": "answer", "comment": "明年起每季度增加一次巡展。"]).status, .seeOther)

        let tracked = try await member.get("/service/cases/\(id)")
        XCTAssertTrue(tracked.body.string.contains("明年起每季度增加一次巡展"))
        expectTrue(try await member.get("/notifications").body.string.contains("诉求答复"))
        let outOfRange = try await step(member, record, ["action": "rate", "rating": "6"])
        XCTAssertEqual(outOfRange.status, .unprocessableEntity)
        expectEqual(try await step(member, record, ["action": "rate", "rating": "4", "comment": "很及时"]).status, .seeOther)
        let closed = try await ServiceCase.find(id, on: app.db)!
        XCTAssertEqual(closed.state, .closed)
        XCTAssertEqual(closed.rating, 4)
        let reopen = try await step(member, record, ["action": "reopen", "comment": "还想补充"])
        XCTAssertEqual(reopen.status, .unprocessableEntity)
        XCTAssertTrue(reopen.body.string.contains("已评价为满意"))

        let history = try await WorkflowStepRecord.query(on: app.db).filter(\.$subjectID == id).sort(\.$sequence).all()
        XCTAssertEqual(history.map(\.action), ["accept", "assign", "answer", "rate"])
        XCTAssertEqual(history.map(\.actorName), ["演示省科协管理员", "演示省科协管理员", "演示科普部工作人员", "演示科技工作者"])

        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get("/service/cases/\(id)").status, .notFound)
        expectFalse(try await county.get("/service/cases").body.string.contains("科普大篷车"))
    }

    func testTransferMovesTheCaseToACountyWhichAcceptsIt() async throws {
        let (_, record) = try await submitAsMember()
        let office = try await loggedIn("demo.orgadmin")
        let noReason = try await step(office, record, ["action": "transfer", "organization": try demo.county1.requireID().uuidString])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        let outside = try await loggedIn("demo.county2")
        expectEqual(try await step(outside, record, ["action": "accept"]).status, .notFound)
        expectEqual(
            try await step(
                office, record, ["action": "transfer", "organization": try demo.county1.requireID().uuidString, "comment": "属地办理"]
            ).status, .seeOther)
        let moved = try await ServiceCase.find(record.id, on: app.db)!
        XCTAssertEqual(moved.organizationID, demo.county1.id)
        XCTAssertEqual(moved.state, .pending)
        let county = try await loggedIn("demo.county1")
        expectTrue(try await county.get("/service/cases").body.string.contains("科普大篷车"))
        expectEqual(try await step(county, record, ["action": "accept"]).status, .seeOther)
    }

    func testTheAPITakesStepsAndListsTheCallersCases() async throws {
        let (_, record) = try await submitAsMember()
        let office = try await apiToken("demo.orgadmin")
        let path = "/api/v1/cases/\(try record.requireID())/transitions"
        let unknown = try await api(.POST, path, token: office, json: #"{"action": "teleport"}"#)
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        let rejectWithoutReason = try await api(.POST, path, token: office, json: #"{"action": "reject"}"#)
        XCTAssertEqual(rejectWithoutReason.status, .unprocessableEntity)
        let accepted = try await api(.POST, path, token: office, json: #"{"action": "accept", "comment": "受理"}"#)
        XCTAssertEqual(accepted.status, .ok, accepted.body.string)
        XCTAssertEqual(try accepted.content.decode(ServiceHallAPIController.CaseDTO.self).state, "accepted")
        let again = try await api(.POST, path, token: office, json: #"{"action": "accept"}"#)
        XCTAssertEqual(again.status, .unprocessableEntity, "accepting twice is an illegal step")
        let list = try await api(.GET, "/api/v1/cases?state=accepted", token: office)
        XCTAssertEqual(try list.content.decode(ServiceHallAPIController.CasesDTO.self).total, 1)
        let mine = try await api(.GET, "/api/v1/cases", token: try await apiToken("demo.member"))
        XCTAssertEqual(try mine.content.decode(ServiceHallAPIController.CasesDTO.self).total, 1)
        let stranger = try await api(.GET, "/api/v1/cases", token: try await apiToken("demo.expert"))
        XCTAssertEqual(try stranger.content.decode(ServiceHallAPIController.CasesDTO.self).total, 0)
    }

    func testUnratedAnsweredCasesCloseThemselvesAfterSevenDays() async throws {
        let (_, record) = try await submitAsMember()
        let office = try await loggedIn("demo.orgadmin")
        let popularization = try await department("科普部")
        _ = try await step(office, record, ["action": "accept"])
        _ = try await step(office, record, ["action": "assign", "department": try popularization.requireID().uuidString])
        let handler = try await loggedIn("demo.staff")
        _ = try await step(handler, record, ["action": "answer", "comment": "已答复"])
        let job = app.platform.registry.modules.flatMap(\.backgroundJobs).first { $0.name == "servicehall.auto_close" }!
        clock.advance(minutes: 6 * 24 * 60)
        try await job.run(app.db, app.platform)
        expectEqual(try await ServiceCase.find(record.id, on: app.db)?.state, .answered, "six days: still waiting for a rating")
        clock.advance(minutes: 2 * 24 * 60)
        try await job.run(app.db, app.platform)
        let closed = try await ServiceCase.find(record.id, on: app.db)!
        XCTAssertEqual(closed.state, .closed)
        let last = try await WorkflowStepRecord.query(on: app.db).filter(\.$subjectID == record.id!).sort(\.$sequence, .descending).first()
        XCTAssertEqual(last?.action, "auto_close")
        XCTAssertEqual(last?.actorName, "系统")
        try await job.run(app.db, app.platform)
        expectEqual(
            try await WorkflowStepRecord.query(on: app.db).filter(\.$subjectID == record.id!).count(), 4, "closing twice does nothing")
    }

    func testSuggestionsAreAdoptedAndConsentedAnswersArePublishedWithoutPersonalData() async throws {
        let member = try await loggedIn("demo.member")
        _ = try await member.post(
            "/service/new",
            [
                "type": "suggestion", "title": "建议设立青年科技人才基金", "content": "建议省科协联合企业设立青年科技人才小额资助基金。",
                "contactPhone": "13700005555", "isPublic": "yes",
            ])
        let record = try await ServiceCase.query(on: app.db).first()!
        XCTAssertTrue(record.isPublic)
        let office = try await loggedIn("demo.orgadmin")
        let popularization = try await department("科普部")
        _ = try await step(office, record, ["action": "accept"])
        let tooEarly = try await office.post("/service/cases/\(try record.requireID())/adopt", ["note": "已采纳"])
        XCTAssertEqual(tooEarly.status, .conflict, "adopted only once answered (servicehall.adoption_before_answer)")
        _ = try await step(office, record, ["action": "assign", "department": try popularization.requireID().uuidString])
        let handler = try await loggedIn("demo.staff")
        _ = try await step(handler, record, ["action": "answer", "comment": "已列入明年工作要点。"])
        expectEqual(try await member.post("/service/cases/\(try record.requireID())/adopt", ["note": "我觉得好"]).status, .forbidden)
        let noNote = try await handler.post("/service/cases/\(try record.requireID())/adopt", ["note": ""])
        XCTAssertTrue(noNote.body.string.contains("请写明采纳后做了什么"))
        expectEqual(try await handler.post("/service/cases/\(try record.requireID())/adopt", ["note": "2027年设立首期基金"]).status, .seeOther)
        let adopted = try await ServiceCase.find(record.id, on: app.db)!
        XCTAssertNotNil(adopted.adoptedOn)
        expectTrue(try await member.get("/notifications").body.string.contains("您的建议已被采纳"))

        let visitor = Browser(app)
        let published = try await visitor.get("/service/public").body.string
        XCTAssertTrue(published.contains("建议设立青年科技人才基金"))
        XCTAssertTrue(published.contains("已列入明年工作要点"))
        XCTAssertTrue(published.contains("已采纳"))
        XCTAssertFalse(published.contains("演示科技工作者"))
        XCTAssertFalse(published.contains("1370000"))
        XCTAssertFalse(published.contains("小额资助基金"), "the original text stays private")

        let metrics = app.platform.registry.metrics
        let year = Day.today(now: clock.now).year
        expectEqual(
            try await metrics["servicehall.suggestions.adopted"]!.compute(.init(organization: demo.province, year: year), app.db), 1)
        expectEqual(try await metrics["servicehall.cases.received"]!.compute(.init(organization: demo.province, year: year), app.db), 1)
        expectEqual(try await metrics["servicehall.cases.received"]!.compute(.init(organization: demo.county1, year: year), app.db), 0)
    }
}
