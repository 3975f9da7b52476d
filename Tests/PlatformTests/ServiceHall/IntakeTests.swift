import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// 一网受理: a logged-in person or an anonymous visitor submits once, gets a tracking number and an
/// acceptance deadline in working days; routing rules send the case to the right unit; the public
/// tracking answer carries no personal data; anonymous submission is rate-limited per address.
final class IntakeTests: DemoTestCase {
    private func form(_ changes: [String: String] = [:]) -> [String: String] {
        var fields = [
            "type": "appeal", "title": "职称评审材料退回", "content": "我的高级职称评审材料被退回，希望了解原因和补充要求。",
            "contactName": "李四", "contactPhone": "13700001111",
        ]
        for (key, value) in changes { fields[key] = value }
        return fields
    }

    func testAnAnonymousSubmissionGetsATrackingNumberAndAWorkingDayDeadline() async throws {
        let visitor = Browser(app)
        let refused = try await visitor.post("/service/new", form(["contactPhone": "", "content": "太短"]))
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("id=\"content-error\""))
        expectEqual(try await ServiceCase.query(on: app.db).count(), 0)
        let noPhone = try await visitor.post("/service/new", form(["contactPhone": ""]))
        XCTAssertTrue(noPhone.body.string.contains("请填写联系手机"))
        XCTAssertTrue(noPhone.body.string.contains("职称评审材料退回"), "what was typed is kept")

        let submitted = try await visitor.post("/service/new", form())
        XCTAssertEqual(submitted.status, .created, String(submitted.body.string.prefix(500)))
        let record = try await ServiceCase.query(on: app.db).first()!
        XCTAssertTrue(submitted.body.string.contains(record.trackingCode))
        XCTAssertNoThrow(try TrackingCode.parse(record.trackingCode))
        XCTAssertEqual(record.state, .pending)
        XCTAssertNil(record.requesterUserID)
        XCTAssertEqual(record.organizationID, demo.province.id, "no rule matched: the province's office queue")
        // The pinned clock is 2026-11-18 (Wednesday): five working days from the next day → 2026-11-25.
        let expected = try await CalendarService(db: app.db).calendar().addWorkingDays(from: record.receivedOn, days: 5)
        XCTAssertEqual(record.acceptDue, expected.date)
        XCTAssertFalse(record.contactPhoneCipher.contains("13700001111"))

        let tracked = try await visitor.get(
            "/service/track?code=" + record.trackingCode.lowercased().replacingOccurrences(of: "-", with: ""))
        XCTAssertEqual(tracked.status, .ok)
        XCTAssertTrue(tracked.body.string.contains("待受理"))
        XCTAssertFalse(tracked.body.string.contains("李四"))
        XCTAssertFalse(tracked.body.string.contains("1370000"))
        let wrong = try await visitor.get("/service/track?code=KX-2222-2222-2222")
        XCTAssertEqual(wrong.status, .notFound, "a well-formed number that no case has")
        XCTAssertTrue(wrong.body.string.contains("id=\"code-error\""))
    }

    func testRoutingRulesSendCasesToTheirUnit() async throws {
        let rule = RoutingRuleRecord()
        rule.organizationID = try demo.province.requireID()
        rule.caseTypes = [.legal]
        rule.keywords = ["专利", "知识产权"]
        rule.targetOrganizationID = try demo.city1.requireID()
        rule.priority = 10
        rule.isActive = true
        try await rule.create(on: app.db)
        let visitor = Browser(app)
        _ = try await visitor.post(
            "/service/new", form(["type": "legal", "title": "专利被侵权怎么办", "content": "我们团队的发明专利被一家企业仿冒，想咨询维权途径。"]))
        let routed = try await ServiceCase.query(on: app.db).first()!
        XCTAssertEqual(routed.organizationID, demo.city1.id)
        XCTAssertTrue(routed.routingNote?.contains("专利") ?? false)
    }

    func testLoggedInPeopleSubmitWithTheirAccountAndTheAPIAnswersWithTheTrackingNumber() async throws {
        let member = try await loggedIn("demo.member")
        let response = try await member.post("/service/new", form(["contactName": "", "contactPhone": "13700002222"]))
        XCTAssertEqual(response.status, .created)
        let record = try await ServiceCase.query(on: app.db).first()!
        XCTAssertNotNil(record.requesterUserID)
        XCTAssertEqual(record.contactName, "演示科技工作者")

        let api = try await app.testable().sendRequest(
            .POST, "/api/v1/cases", headers: ["Content-Type": "application/json", "X-Forwarded-For": "127.0.0.77"],
            body: ByteBuffer(
                string:
                    #"{"type": "suggestion", "title": "建议开放实验室", "content": "建议省科协推动高校实验室向中小企业开放共享。", "contactName": "王五", "contactPhone": "13700003333"}"#
            ))
        XCTAssertEqual(api.status, .created, api.body.string)
        let dto = try api.content.decode(SubmittedDTO.self)
        let tracked = try await app.testable().sendRequest(.GET, "/api/v1/cases/track/\(dto.trackingNumber)")
        XCTAssertEqual(tracked.status, .ok)
        XCTAssertEqual(try tracked.content.decode(TrackedDTO.self).state, "待受理")
        XCTAssertFalse(tracked.body.string.contains("王五"))
        expectEqual(try await app.testable().sendRequest(.GET, "/api/v1/cases/track/KX-2222-2222-2222").status, .notFound)
        let invalid = try await app.testable().sendRequest(
            .POST, "/api/v1/cases", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: #"{"type": "wish"}"#))
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertTrue(invalid.body.string.contains("请选择事项类型"))
    }

    func testAnonymousSubmissionIsRateLimitedPerAddress() async throws {
        let visitor = Browser(app)
        visitor.address = "127.0.0.99"
        for index in 0..<IntakeService.anonymousPerHour {
            let response = try await visitor.post("/service/new", form(["title": "第\(index)次"]))
            XCTAssertEqual(response.status, .created)
        }
        let limited = try await visitor.post("/service/new", form())
        XCTAssertEqual(limited.status, .tooManyRequests)
        XCTAssertTrue(limited.body.string.contains("提交过于频繁"))
        let other = Browser(app)
        other.address = "127.0.0.98"
        expectEqual(try await other.post("/service/new", form()).status, .created, "another address is not limited")
        clock.advance(minutes: 61)
        expectEqual(try await visitor.post("/service/new", form()).status, .created, "an hour later it is allowed again")
    }

    func testAdministratorsMaintainRoutingRulesOnTheirPage() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let empty = try await admin.post(
            "/service/rules", ["keywords": "", "target": try demo.city1.requireID().uuidString, "priority": "5"])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("id=\"keywords-error\""))
        let outside = try await loggedIn("demo.county1")
        let refusedTarget = try await outside.post("/service/rules", ["keywords": "专利", "target": try demo.city1.requireID().uuidString])
        XCTAssertTrue(refusedTarget.body.string.contains("id=\"target-error\""), "a county cannot route to a city above it")
        let created = try await admin.post(
            "/service/rules", ["types[]": "legal", "keywords": "专利、知识产权", "target": try demo.city1.requireID().uuidString, "priority": "5"])
        XCTAssertEqual(created.status, .seeOther)
        expectTrue(try await admin.get("/service/rules").body.string.contains("<td>专利、知识产权</td>"))
        expectFalse(try await outside.get("/service/rules").body.string.contains("<td>专利、知识产权</td>"))
        let visitor = Browser(app)
        _ = try await visitor.post("/service/new", form(["type": "legal", "title": "知识产权咨询", "content": "想咨询软件著作权和专利申请的区别。"]))
        expectEqual(try await ServiceCase.query(on: app.db).first()?.organizationID, demo.city1.id)
        let rule = try await RoutingRuleRecord.query(on: app.db).first()!
        expectEqual(try await admin.post("/service/rules/\(try rule.requireID())/toggle", [:]).status, .seeOther)
        _ = try await visitor.post("/service/new", form(["type": "legal", "title": "再问专利", "content": "专利年费没有按时缴纳怎么办？"]))
        expectEqual(
            try await ServiceCase.query(on: app.db).filter(\.$title == "再问专利").first()?.organizationID, demo.province.id,
            "a stopped rule no longer routes")
        expectEqual(try await AuditEntry.query(on: app.db).filter(\.$entityType == "routing_rule").count(), 2)
    }

    func testTheSystemAdministratorSetsTimeLimitsPerType() async throws {
        let admin = try await loggedIn("demo.sysadmin")
        var form: [String: String] = [:]
        for type in ["suggestion", "appeal", "rights", "legal", "title", "other"] {
            form["accept-\(type)"] = "5"
            form["answer-\(type)"] = "15"
        }
        form["accept-legal"] = "0"
        let refused = try await admin.post("/service/time-limits", form)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("id=\"legal-error\""))
        form["accept-legal"] = "2"
        form["answer-legal"] = "10"
        expectEqual(try await admin.post("/service/time-limits", form).status, .seeOther)
        expectEqual(try await loggedIn("demo.orgadmin").get("/service/time-limits").status, .forbidden)
        let visitor = Browser(app)
        _ = try await visitor.post("/service/new", self.form(["type": "legal", "title": "合同咨询"]))
        let record = try await ServiceCase.query(on: app.db).first()!
        let expected = try await CalendarService(db: app.db).calendar().addWorkingDays(from: record.receivedOn, days: 2)
        XCTAssertEqual(record.acceptDue, expected.date, "the legal type's two days apply")
    }
}
