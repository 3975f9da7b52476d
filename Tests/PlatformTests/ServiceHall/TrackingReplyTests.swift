import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// The requester closes the loop without an account: with the tracking number and the last four digits
/// of the contact phone, the tracking page and `GET /api/v1/cases/track/{n}?phoneLast4=` show the answer
/// (or the reason for 不予受理) and its day; with wrong, missing or malformed digits neither appears.
final class TrackingReplyTests: DemoTestCase {
    private static let answer = "明年起每季度增加一次巡展，首站为青石县。"
    private static let reason = "该事项属于市场监管部门职责，请向当地市场监管局反映。"

    private func submit(_ title: String, phone: String) async throws -> ServiceCase {
        let visitor = Browser(app)
        let submitted = try await visitor.post(
            "/service/new",
            [
                "type": "suggestion", "title": title, "content": "建议在偏远乡镇增加科普大篷车巡展次数，覆盖更多学校。",
                "contactName": "王五", "contactPhone": phone,
            ])
        XCTAssertEqual(submitted.status, .created, String(submitted.body.string.prefix(300)))
        return try await ServiceCase.query(on: app.db).filter(\.$title == title).first().unwrapped()
    }

    private func step(_ browser: Browser, _ record: ServiceCase, _ fields: [String: String]) async throws {
        let answer = try await browser.post("/service/cases/\(try record.requireID())/transitions", fields)
        XCTAssertEqual(answer.status, .seeOther, String(answer.body.string.prefix(300)))
    }

    /// An answered case (phone …4821) and a refused one (phone …0937).
    private func answeredAndRefused() async throws -> (answered: ServiceCase, refused: ServiceCase) {
        let answered = try await submit("建议增加科普大篷车下乡", phone: "13700004821")
        let refused = try await submit("反映某超市食品价格过高", phone: "13900000937")
        let office = try await loggedIn("demo.orgadmin")
        try await step(office, answered, ["action": "accept", "comment": "已收到"])
        let department = try await Department.query(on: app.db).filter(\.$organizationID == demo.province.id!)
            .filter(\.$name == "科普部").first().unwrapped()
        try await step(office, answered, ["action": "assign", "department": try department.requireID().uuidString])
        try await step(try await loggedIn("demo.staff"), answered, ["action": "answer", "comment": Self.answer])
        try await step(office, refused, ["action": "reject", "comment": Self.reason])
        return (answered, refused)
    }

    func testTheTrackingPageShowsTheAnswerOnlyWithTheRightDigits() async throws {
        let (answered, refused) = try await answeredAndRefused()
        let visitor = Browser(app)
        let code = answered.trackingCode

        let without = try await visitor.get("/service/track?code=\(code)")
        XCTAssertEqual(without.status, .ok)
        XCTAssertNil(without.page.element(id: "case-reply"))
        XCTAssertFalse(without.body.string.contains(Self.answer))

        let wrong = try await visitor.get("/service/track?code=\(code)&phoneLast4=4822")
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertNil(wrong.page.element(id: "case-reply"))
        XCTAssertFalse(wrong.body.string.contains(Self.answer))
        XCTAssertEqual(wrong.page.fieldError("phoneLast4"), "联系电话后四位不符，请核对后重试")
        XCTAssertEqual(
            wrong.page.element(id: "error-summary")?.elements(attribute: "data-field").map { $0.attribute("data-field") }, ["phoneLast4"])

        let malformed = try await visitor.get("/service/track?code=\(code)&phoneLast4=48a1")
        XCTAssertEqual(malformed.status, .unprocessableEntity)
        XCTAssertEqual(malformed.page.fieldError("phoneLast4"), "请填写联系电话的后四位数字")
        XCTAssertFalse(malformed.body.string.contains(Self.answer))

        let right = try await visitor.get("/service/track?code=\(code)&phoneLast4=4821")
        XCTAssertEqual(right.status, .ok)
        let reply = try XCTUnwrap(right.page.element(id: "case-reply"))
        XCTAssertEqual(reply.elements(class: "source-text").first?.text, Self.answer)
        XCTAssertEqual(reply.attribute("data-replied-on"), "2026-11-18")

        let refusal = try await visitor.get("/service/track?code=\(refused.trackingCode)&phoneLast4=0937")
        XCTAssertEqual(refusal.page.element(id: "case-reply")?.elements(class: "source-text").first?.text, Self.reason)
        XCTAssertEqual(refusal.page.element(id: "case-reply")?.elements("h3").first?.text, "不予受理的理由")
        // The other case's digits do not open this one.
        let otherDigits = try await visitor.get("/service/track?code=\(refused.trackingCode)&phoneLast4=4821")
        XCTAssertNil(otherDigits.page.element(id: "case-reply"))
    }

    func testThePendingCaseSaysThereIsNoAnswerYet() async throws {
        let record = try await submit("建议开放科技馆夜场", phone: "13600001234")
        let page = try await Browser(app).get("/service/track?code=\(record.trackingCode)&phoneLast4=1234").page
        XCTAssertNil(page.element(id: "case-reply"))
        XCTAssertEqual(page.element(id: "case-reply-pending")?.text, "尚未答复，答复后可在此查看答复内容。")
    }

    func testTheAPIAddsReplyAndAnsweredAtOnlyForTheRightDigits() async throws {
        let (answered, refused) = try await answeredAndRefused()
        func track(_ code: String, _ digits: String?) async throws -> (HTTPStatus, [String: Any]) {
            var path = "/api/v1/cases/track/\(code)"
            if let digits { path += "?phoneLast4=\(digits)" }
            let response = try await app.sendRequest(.GET, path)
            let json = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status, json)
        }
        let (okStatus, right) = try await track(answered.trackingCode, "4821")
        XCTAssertEqual(okStatus, .ok)
        XCTAssertEqual(right["reply"] as? String, Self.answer)
        XCTAssertEqual(right["answeredAt"] as? String, "2026-11-18")
        XCTAssertEqual(right["state"] as? String, "已答复")

        for digits in [nil, "0000", "4822"] as [String?] {
            let (status, json) = try await track(answered.trackingCode, digits)
            XCTAssertEqual(status, .ok)
            XCTAssertNil(json["reply"], "digits \(digits ?? "none")")
            XCTAssertNil(json["answeredAt"], "digits \(digits ?? "none")")
        }
        for digits in ["482", "48211", "abcd", "４８２１"] {
            let (status, json) = try await track(
                answered.trackingCode, digits.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            XCTAssertEqual(status, .unprocessableEntity, digits)
            XCTAssertEqual((json["error"] as? [String: Any])?["code"] as? String, "servicehall.phone_digits_malformed")
            XCTAssertEqual((json["error"] as? [String: Any])?["field"] as? String, "phoneLast4")
        }
        let (_, refusal) = try await track(refused.trackingCode, "0937")
        XCTAssertEqual(refusal["reply"] as? String, Self.reason)
        XCTAssertEqual(refusal["answeredAt"] as? String, "2026-11-18")
    }

    func testGuessingTheDigitsIsLimitedPerTrackingNumber() async throws {
        let (answered, _) = try await answeredAndRefused()
        // Ten tries an hour for one number, from any address; the eleventh is refused even when right.
        for guess in 0..<10 {
            let response = try await app.sendRequest(
                .GET, "/api/v1/cases/track/\(answered.trackingCode)?phoneLast4=\(String(format: "%04d", guess))",
                headers: ["X-Forwarded-For": "10.0.0.\(guess + 1)"])
            XCTAssertEqual(response.status, .ok)
        }
        let eleventh = try await app.sendRequest(
            .GET, "/api/v1/cases/track/\(answered.trackingCode)?phoneLast4=4821", headers: ["X-Forwarded-For": "10.0.1.1"])
        XCTAssertEqual(eleventh.status, .tooManyRequests)
        XCTAssertFalse(eleventh.body.string.contains(Self.answer))
    }
}

extension Optional {
    fileprivate func unwrapped(file: StaticString = #filePath, line: UInt = #line) throws -> Wrapped {
        try XCTUnwrap(self, file: file, line: line)
    }
}
