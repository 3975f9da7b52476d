import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// 办理统计 and escalation: figures per type and unit computed by the database from answered cases;
/// overdue cases escalated once to the unit's administrators; the home page counts the queue.
final class FiguresTests: DemoTestCase {
    private func submit(_ browser: Browser, type: String, title: String) async throws -> ServiceCase {
        let response = try await browser.post(
            "/service/new", ["type": type, "title": title, "content": "请相关部门研究并答复这一事项，谢谢。", "contactPhone": "13700007777"])
        XCTAssertEqual(response.status, .created)
        return try await ServiceCase.query(on: app.db).filter(\.$title == title).first()!
    }

    private func step(_ browser: Browser, _ record: ServiceCase, _ fields: [String: String]) async throws {
        let response = try await browser.post("/service/cases/\(try record.requireID())/transitions", fields)
        XCTAssertEqual(response.status, .seeOther, String(response.body.string.prefix(300)))
        XCTAssertFalse(response.location?.hasPrefix("/login") ?? true, "still logged in")
    }

    func testFiguresPerTypeAndUnitAndEscalationOfOverdueCases() async throws {
        let member = try await loggedIn("demo.member")
        let firstOffice = try await loggedIn("demo.orgadmin")
        let department = try await Department.query(on: app.db).filter(\.$organizationID == demo.province.id!).filter(\.$name == "科普部")
            .first()!
        let first = try await submit(member, type: "suggestion", title: "第一条建议")
        let second = try await submit(member, type: "suggestion", title: "第二条建议")
        _ = try await submit(member, type: "appeal", title: "一条诉求")
        for record in [first, second] {
            try await step(firstOffice, record, ["action": "accept"])
            try await step(firstOffice, record, ["action": "assign", "department": try department.requireID().uuidString])
        }
        // Sessions end after 30 idle minutes, so everyone logs in again after the clock moves.
        clock.advance(minutes: 3 * 24 * 60)
        try await step(try await loggedIn("demo.staff"), first, ["action": "answer", "comment": "已答复第一条"])
        try await step(try await loggedIn("demo.member"), first, ["action": "rate", "rating": "5"])
        clock.advance(minutes: 30 * 24 * 60)
        try await step(try await loggedIn("demo.staff"), second, ["action": "answer", "comment": "迟到的答复"])
        try await step(try await loggedIn("demo.member"), second, ["action": "rate", "rating": "2"])
        let office = try await loggedIn("demo.orgadmin")

        let answered = try await ServiceCase.find(first.id, on: app.db)!
        XCTAssertEqual(answered.answeredOnTime, true)
        XCTAssertNotNil(answered.answerWorkingDays)
        let late = try await ServiceCase.find(second.id, on: app.db)!
        XCTAssertEqual(late.answeredOnTime, false)

        let actor = try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
        let year = first.receivedOn.year
        let (byType, byUnit) = try await CaseFiguresController.figures(actor: actor, year: year, on: app.db)
        let suggestions = byType.first { $0.label == "建言献策" }!
        XCTAssertEqual(suggestions.volume, 2)
        XCTAssertEqual(suggestions.answered, 2)
        XCTAssertEqual(suggestions.onTime, 1)
        XCTAssertEqual(suggestions.satisfaction ?? 0, 3.5, accuracy: 0.001)
        XCTAssertEqual(
            suggestions.averageDays ?? 0, Double((answered.answerWorkingDays ?? 0) + (late.answerWorkingDays ?? 0)) / 2, accuracy: 0.001)
        XCTAssertEqual(byType.first { $0.label == "诉求反映" }?.volume, 1)
        XCTAssertTrue(byUnit.contains { $0.label == "云海省科学技术协会 · 科普部" && $0.volume == 2 }, "\(byUnit.map(\.label))")
        let page = try await office.get("/service/statistics?year=\(year)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("50.0%"))
        let byTypeChart = try XCTUnwrap(ParsedPage(page.body.string).element(id: "fig-by-type"))
        let volumes = byTypeChart.elements("rect").map { [$0.attribute("data-label") ?? "", $0.attribute("data-value") ?? ""] }
        XCTAssertTrue(volumes.contains(["建言献策", "2"]), volumes.description)
        XCTAssertTrue(volumes.contains(["诉求反映", "1"]), volumes.description)
        XCTAssertEqual(byTypeChart.elements("rect").compactMap { $0.attribute("data-series") }.first, "volume")
        let xlsx = try await office.get("/service/statistics?year=\(year)&format=xlsx")
        XCTAssertEqual(try XLSXReader(data: Data(buffer: xlsx.body)).rows().first, ["分组", "受理量", "已答复", "按时答复率", "平均答复工作日", "满意度平均分"])
        let county = try await loggedIn("demo.county1")
        expectTrue(try await county.get("/service/statistics?year=\(year)").body.string.contains("该年度没有事项"))

        // The appeal was never accepted: 33 days later it is overdue, escalated once.
        let job = app.platform.registry.modules.flatMap(\.backgroundJobs).first { $0.name == "servicehall.escalate_overdue" }!
        try await job.run(app.db, app.platform)
        try await job.run(app.db, app.platform)
        let appeal = try await ServiceCase.query(on: app.db).filter(\.$title == "一条诉求").first()!
        XCTAssertNotNil(appeal.escalatedOn)
        expectEqual(try await InboxMessage.query(on: app.db).filter(\.$title == "事项已超期：一条诉求").count(), 1)
        expectTrue(try await office.get("/").body.string.contains("超期"))

        // The running totals the page reads equal a recount from the cases, also after a transfer
        // moved a case to another unit and a reopening took a rating back.
        try await step(office, appeal, ["action": "transfer", "organization": try demo.county1.requireID().uuidString, "comment": "属地办理"])
        try await step(try await loggedIn("demo.member"), late, ["action": "reopen", "comment": "仍不满意"])
        let kept = try await totals()
        let county1 = try demo.county1.requireID().uuidString
        XCTAssertTrue(kept.contains { $0.hasPrefix(county1 + "|") }, "the county has the transferred case")
        try await CaseTotals.rebuild(on: app.db)
        let recounted = try await totals()
        XCTAssertEqual(kept, recounted)
        let (reopened, _) = try await CaseFiguresController.figures(actor: actor, year: year, on: app.db)
        XCTAssertEqual(reopened.first { $0.label == "建言献策" }?.satisfaction ?? 0, 5, accuracy: 0.001)
    }

    func testTheQueueKeepsToTheSubtreeWhicheverWayItReadsTheCases() async throws {
        let member = try await loggedIn("demo.member")
        var records: [ServiceCase] = []
        for title in ["甲事项", "乙事项", "丙事项"] { records.append(try await submit(member, type: "appeal", title: title)) }
        let office = try await loggedIn("demo.orgadmin")
        try await step(
            office, records[1], ["action": "transfer", "organization": try demo.county1.requireID().uuidString, "comment": "属地办理"])
        func actor(_ username: String) async throws -> Actor {
            try await Actor.load(
                user: try await User.query(on: app.db).filter(\.$username == username).first()!, preferredGrantID: nil,
                catalog: app.platform.registry.roles, on: app.db)
        }
        let queue = CaseQueue(db: app.db)
        // The province sees the whole tree (no organization condition at all).
        let all = try await queue.page(.scope(try await actor("demo.orgadmin")), filter: .init(), offset: 0, limit: 20)
        XCTAssertEqual(all.total, 3)
        // The county holds a third of the cases: on SQLite the deadline index is walked, still only its own.
        let county = try await queue.page(.scope(try await actor("demo.county1")), filter: .init(), offset: 0, limit: 20)
        XCTAssertEqual(county.cases.map(\.title), ["乙事项"])
        let other = try await queue.page(.scope(try await actor("demo.county2")), filter: .init(), offset: 0, limit: 20)
        XCTAssertEqual(other.total, 0)
        // Counting stops past the cap: 2 means "more than 1".
        let capped = try await queue.page(.scope(try await actor("demo.orgadmin")), filter: .init(), offset: 0, limit: 1, countCap: 1)
        XCTAssertEqual(capped.total, 2)
        XCTAssertEqual(capped.cases.count, 1)
        var search = CaseQueue.Filter()
        search.search = "丙"
        let memberID = try await User.query(on: app.db).filter(\.$username == "demo.member").first()!.requireID()
        expectEqual(try await queue.page(.requester(memberID), filter: search, offset: 0, limit: 20).cases.map(\.title), ["丙事项"])
    }

    /// Every non-empty totals row as text, sorted.
    private func totals() async throws -> [String] {
        let sql = app.db as! any SQLDatabase
        return try await sql.raw(
            "SELECT organization_id, department_id, type, year, volume, answered, on_time, days_sum, days_count, rating_sum, rating_count FROM servicehall_case_totals WHERE volume > 0"
        ).all().map { row in
            var fields = [try row.decode(column: "organization_id", as: UUID.self).uuidString]
            fields.append(try row.decode(column: "department_id", as: UUID.self).uuidString)
            fields.append(try row.decode(column: "type", as: String.self))
            for column in ["year", "volume", "answered", "on_time", "days_sum", "days_count", "rating_sum", "rating_count"] {
                fields.append(String(try row.decode(column: column, as: Int.self)))
            }
            return fields.joined(separator: "|")
        }.sorted()
    }
}
