import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// `POST /api/v1/events/{id}/check-ins`, the scanning page, its JSON queue and count, walk-ins and the
/// attendance export, through HTTP; on SQLite, and on PostgreSQL with DATABASE_URL.
final class EvCheckInRouteTests: CheckInTestCase {
    private var tokens: [String: String] = [:]

    private func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: userID(username), name: "door", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

    private func api(_ path: String, as username: String?, body: String) async throws -> (HTTPStatus, [String: Any]) {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let username { headers.bearerAuthorization = .init(token: try await token(username)) }
        let response = try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:])
    }

    private var apiPath: String { "/api/v1/events/\(event.id!.uuidString)/check-ins" }
    private var pagePath: String { "/check-in/events.event/\(event.id!.uuidString)" }

    private func errorCode(_ object: [String: Any]) -> String? { (object["error"] as? [String: Any])?["code"] as? String }

    func testTheAPIAcceptsACodeOnceAndAnswersRepeatsUnknownAndUnconfirmedCodes() async throws {
        let (status, first) = try await api(apiPath, as: "demo.county1", body: #"{"code": "\#(printed(codes[0]).lowercased())"}"#)
        XCTAssertEqual(status, .ok, first.description)
        let registration = try await EventRegistration.query(on: app.db).filter(\.$code == codes[0]).first()!
        XCTAssertEqual(first["registrationId"] as? String, registration.id?.uuidString)
        XCTAssertEqual(first["name"] as? String, "王橡胶")
        let checkedInAt = try XCTUnwrap(first["checkedInAt"] as? String)
        XCTAssertTrue(checkedInAt.hasSuffix("+08:00"), checkedInAt)

        clock.advance(minutes: 15)
        let (repeatStatus, repeated) = try await api(apiPath, as: "demo.county1", body: #"{"code": "\#(codes[0])"}"#)
        XCTAssertEqual(repeatStatus, .conflict)
        let error = try XCTUnwrap(repeated["error"] as? [String: Any])
        XCTAssertEqual(error["code"] as? String, "events.already_checked_in")
        XCTAssertEqual(error["checkedInAt"] as? String, checkedInAt, "a repeat answers the first check-in time")
        XCTAssertEqual(error["registrationId"] as? String, registration.id?.uuidString)

        let (unknownStatus, unknown) = try await api(apiPath, as: "demo.county1", body: #"{"code": "AAAA-AAAA"}"#)
        XCTAssertEqual(unknownStatus, .notFound)
        XCTAssertEqual(errorCode(unknown), "events.check_in_code_unknown")
        let (waitStatus, waiting) = try await api(apiPath, as: "demo.county1", body: #"{"code": "\#(waitlistedCode)"}"#)
        XCTAssertEqual(waitStatus, .conflict)
        XCTAssertEqual(errorCode(waiting), "events.check_in_not_confirmed")
        let (cancelledStatus, cancelled) = try await api(apiPath, as: "demo.county1", body: #"{"code": "\#(cancelledCode)"}"#)
        XCTAssertEqual(cancelledStatus, .conflict)
        XCTAssertEqual(errorCode(cancelled), "events.check_in_not_confirmed")

        // Per session: the same code once more, for the morning.
        let morning = try sessions[0].requireID().uuidString
        let (sessionStatus, session) = try await api(
            apiPath, as: "demo.county1", body: #"{"code": "\#(codes[0])", "sessionId": "\#(morning)"}"#)
        XCTAssertEqual(sessionStatus, .ok)
        XCTAssertEqual(session["sessionId"] as? String, morning)
        let (badSession, bad) = try await api(apiPath, as: "demo.county1", body: #"{"code": "\#(codes[1])", "sessionId": "nope"}"#)
        XCTAssertEqual(badSession, .unprocessableEntity)
        XCTAssertEqual((bad["error"] as? [String: Any])?["field"] as? String, "sessionId")
        let (empty, emptyBody) = try await api(apiPath, as: "demo.county1", body: "{}")
        XCTAssertEqual(empty, .unprocessableEntity)
        XCTAssertEqual((emptyBody["error"] as? [String: Any])?["field"] as? String, "code")
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 2)
    }

    func testTheAPIKeepsToTheScopeThePermissionAndItsBodyLimit() async throws {
        let body = #"{"code": "\#(codes[0])"}"#
        expectEqual(try await api(apiPath, as: nil, body: body).0, .unauthorized)
        let (member, refused) = try await api(apiPath, as: "demo.member", body: body)
        XCTAssertEqual(member, .forbidden)
        XCTAssertEqual(errorCode(refused), "platform.forbidden")
        let (otherCounty, hidden) = try await api(apiPath, as: "demo.county2", body: body)
        XCTAssertEqual(otherCounty, .notFound, "another county's staff do not see the event")
        XCTAssertEqual(errorCode(hidden), "platform.not_found")
        expectEqual(try await api("/api/v1/events/\(UUID().uuidString)/check-ins", as: "demo.county1", body: body).0, .notFound)
        let padded = #"{"code": "\#(codes[0])", "note": "\#(String(repeating: "x", count: 5000))"}"#
        let (tooLarge, large) = try await api(apiPath, as: "demo.county1", body: padded)
        XCTAssertEqual(tooLarge, .payloadTooLarge)
        XCTAssertEqual(errorCode(large), "platform.payload_too_large")
        expectEqual(try await api(apiPath, as: "demo.staff", body: body).0, .ok, "province staff above the county")

        let draft = try await makeEvent(title: "未发布的沙龙", organization: demo.county1, state: .draft)
        let (closed, closedBody) = try await api(
            "/api/v1/events/\(draft.id!.uuidString)/check-ins", as: "demo.county1", body: body)
        XCTAssertEqual(closed, .conflict)
        XCTAssertEqual(errorCode(closedBody), "events.check_in_not_open")
    }

    /// Posts JSON from the logged-in browser with its CSRF token in the header, as check-in.js does.
    private func postJSON(_ browser: Browser, _ path: String, _ body: String, csrf: Bool = true) async throws -> XCTHTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "X-Forwarded-For": browser.address]
        if csrf, let token = browser.csrf { headers.add(name: "X-CSRF-Token", value: token) }
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    private func scans(_ items: [(id: String, code: String, at: String?)], session: String = "") -> String {
        let list = items.map { item in
            #"{"id": "\#(item.id)", "code": "\#(item.code)", "session": "\#(session)""#
                + (item.at.map { #", "scannedAt": "\#($0)""# } ?? "") + "}"
        }
        return #"{"scans": [\#(list.joined(separator: ","))]}"#
    }

    func testTheScanningPageTakesAQueueAndAnswersEachScan() async throws {
        let staff = try await loggedIn("demo.county1")
        let page = try await staff.get(pagePath)
        XCTAssertEqual(page.status, .ok)
        let html = page.body.string
        XCTAssertTrue(html.contains(#"data-live-count="0""#), html)
        XCTAssertTrue(html.contains(#"data-pending-count="0""#))
        XCTAssertTrue(html.contains(#"<span id="expected-count">3</span>"#))
        XCTAssertTrue(html.contains(#"src="/js/check-in.js""#))
        XCTAssertTrue(html.contains(#"id="camera-button" hidden"#), "the camera button waits for BarcodeDetector")
        XCTAssertTrue(html.contains("上午 · 割胶技术"))
        XCTAssertFalse(html.contains("<script>"), "no inline script")

        let earlier = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(-600))
        let answer = try await postJSON(
            staff, pagePath + "/scans",
            scans([("a1", printed(codes[0]), earlier), ("a2", codes[0], nil), ("a3", "ZZZZ-ZZZZ", nil), ("a4", waitlistedCode, nil)]))
        XCTAssertEqual(answer.status, .ok, answer.body.string)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])
        let results = try XCTUnwrap(object["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["id"] as? String }, ["a1", "a2", "a3", "a4"])
        XCTAssertEqual(results.map { $0["outcome"] as? String }, ["accepted", "repeated", "unknown", "not_admitted"])
        XCTAssertEqual(results[0]["message"] as? String, "签到成功 · 王橡胶")
        let time = CheckInDesk.clock(clock.now.addingTimeInterval(-600))
        XCTAssertEqual(results[1]["message"] as? String, "已于 \(time) 签到 · 王橡胶")
        XCTAssertEqual(results[2]["message"] as? String, "无效签到码")
        XCTAssertEqual(object["count"] as? Int, 1)

        let count = try await staff.get(pagePath + "/count")
        XCTAssertEqual(count.status, .ok)
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(buffer: count.body)) as? [String: Any])?["count"] as? Int, 1)
        let reloaded = try await staff.get(pagePath)
        XCTAssertTrue(reloaded.body.string.contains(#"data-live-count="1""#))
        XCTAssertTrue(reloaded.body.string.contains(#"data-code="\#(printed(codes[0]))""#))

        // Without the CSRF header the queue is refused; a queue over 200 scans and a body over 64 KB too.
        expectEqual(try await postJSON(staff, pagePath + "/scans", scans([("b1", codes[1], nil)]), csrf: false).status, .forbidden)
        let tooMany = scans((0...200).map { ("c\($0)", codes[1], nil) })
        XCTAssertLessThan(tooMany.utf8.count, CheckInController.scansBodyLimit)
        expectEqual(try await postJSON(staff, pagePath + "/scans", tooMany).status, .unprocessableEntity)
        let huge = scans((0..<200).map { ("d\($0)-" + String(repeating: "x", count: 400), codes[1], nil) })
        expectEqual(try await postJSON(staff, pagePath + "/scans", huge).status, .payloadTooLarge)
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 1)
    }

    func testWithoutScriptTheCodeFormPostsItselfAndThePageAnswers() async throws {
        let staff = try await loggedIn("demo.county1")
        let first = try await staff.post(pagePath + "/scans", ["code": printed(codes[2]).lowercased(), "session": ""])
        XCTAssertEqual(first.status, .ok)
        XCTAssertTrue(first.body.string.contains(#"<li data-outcome="accepted" data-code="\#(printed(codes[2]))">"#), first.body.string)
        XCTAssertTrue(first.body.string.contains("签到成功 · 陈制胶"))
        XCTAssertTrue(first.body.string.contains(#"data-live-count="1""#))
        let again = try await staff.post(pagePath + "/scans", ["code": codes[2], "session": ""])
        XCTAssertTrue(again.body.string.contains(#"<li data-outcome="repeated" data-code="\#(printed(codes[2]))">"#))
        let unknown = try await staff.post(pagePath + "/scans", ["code": "nonsense", "session": ""])
        XCTAssertTrue(unknown.body.string.contains(#"<li data-outcome="unknown" data-code="nonsense">"#))
        expectEqual(try await staff.post(pagePath + "/scans", ["code": codes[0]], includeCSRF: false).status, .forbidden)
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 1)
    }

    func testThePageKeepsToTheScopeAndThePermission() async throws {
        let other = try await loggedIn("demo.county2")
        expectEqual(try await other.get(pagePath).status, .notFound)
        expectEqual(try await other.get(pagePath + "/count").status, .notFound)
        expectEqual(try await postJSON(other, pagePath + "/scans", scans([("x", codes[0], nil)])).status, .notFound)
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.get(pagePath).status, .forbidden)
        expectEqual(try await postJSON(member, pagePath + "/scans", scans([("x", codes[0], nil)])).status, .forbidden)
        let staff = try await loggedIn("demo.county1")
        expectEqual(try await staff.get("/check-in/volunteers.shift/\(event.id!.uuidString)").status, .notFound)
        expectEqual(try await staff.get(pagePath + "?session=nope").status, .notFound)
        expectEqual(try await Browser(app).get(pagePath).status, .seeOther, "visitors go to the log-in page")
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 0)
    }

    func testAWalkInIsRecordedFromTheFormWithErrorsBesideTheFields() async throws {
        let staff = try await loggedIn("demo.county1")
        let afternoon = try sessions[1].requireID().uuidString
        let refused = try await staff.post(pagePath + "/walk-ins", ["name": "", "phone": "123", "unit": "", "session": afternoon])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let html = refused.body.string
        XCTAssertTrue(html.contains(#"id="error-summary""#))
        XCTAssertTrue(html.contains(#"data-error-key="name""#))
        XCTAssertTrue(html.contains("请填写姓名"))
        XCTAssertTrue(html.contains("手机号码应为 11 位数字，以 1 开头"))
        XCTAssertTrue(html.contains(#"<details id="walk-in" class="check-in-walk-in" open>"#), html)

        let saved = try await staff.post(
            pagePath + "/walk-ins", ["name": "周来宾", "phone": "13800138000", "unit": "青石县第一中学", "session": afternoon])
        XCTAssertEqual(saved.status, .seeOther)
        XCTAssertEqual(saved.location, pagePath + "?session=\(afternoon)&notice=check_in_walk_in")
        let page = try await staff.get(saved.location!)
        XCTAssertTrue(page.body.string.contains("现场登记已记录并签到"))
        XCTAssertTrue(page.body.string.contains(#"data-live-count="1""#))
        XCTAssertTrue(page.body.string.contains("签到成功 · 周来宾"))
        let record = try await CheckInRecord.query(on: app.db).first()
        XCTAssertEqual(record?.sessionKey, afternoon)
        XCTAssertNil(record?.code)
        expectEqual(try await staff.post(pagePath + "/walk-ins", ["name": "甲"], includeCSRF: false).status, .forbidden)
    }

    func testTheAttendanceListExportsWhoCheckedInWhenAndWhere() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        try await desk.checkIn(.init(code: codes[1]), kind: EventCheckIns(), subject: subject, actor: staff)
        clock.advance(minutes: 5)
        try await desk.walkIn(
            .init(name: "周来宾", phone: "13800138000", unit: "青石县第一中学", sessionKey: try sessions[0].requireID().uuidString), subject: subject,
            actor: staff)
        let browser = try await loggedIn("demo.county1")
        let csv = try await browser.get("/events/\(event.id!.uuidString)/attendance.csv")
        XCTAssertEqual(csv.status, .ok)
        let lines = csv.body.string.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(lines.first, "姓名,单位,签到码,报名方式,场次,签到时间,签到人员")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("李割胶,青石县农科所,\(printed(codes[1])),代为报名,全场,"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("周来宾,青石县第一中学,,现场登记,上午 · 割胶技术"), lines[2])
        XCTAssertFalse(csv.body.string.contains("13800138000"), "phones stay out of the list")
        let xlsx = try await browser.get("/events/\(event.id!.uuidString)/attendance.xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        XCTAssertEqual(xlsx.headers.contentType?.subType, "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        expectEqual(try await loggedIn("demo.county2").get("/events/\(event.id!.uuidString)/attendance.csv").status, .notFound)
        expectEqual(try await loggedIn("demo.member").get("/events/\(event.id!.uuidString)/attendance.csv").status, .forbidden)
    }
}
