import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// Events themselves (evcore): the form's rules, scope, the workflow through pages and API, the
/// calendars and the .ics files. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
final class EvcoreEventTests: DemoTestCase {
    private var tokens: [String: String] = [:]

    private func userID(_ username: String) async throws -> UUID {
        try await User.query(on: app.db).filter(\.$username == username).first()!.requireID()
    }

    private func actor(_ username: String) async throws -> Actor {
        try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == username).first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
    }

    private var service: EventService { EventService(db: app.db, services: app.platform) }

    private func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: userID(username), name: "test", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

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

    private func json(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    private func event(_ title: String) async throws -> Event {
        try await Event.query(on: app.db).filter(\.$title == title).first()!
    }

    static var apiBody: [String: Any] {
        [
            "title": "云海省青年科学家论坛", "kind": "forum", "level": "provincial", "startsAt": "2026-12-20T09:00:00+08:00",
            "endsAt": "2026-12-20T17:00:00+08:00", "venue": "云海省科技会堂", "capacity": 100, "waitlist": true, "audience": "public",
        ]
    }

    // MARK: Service

    func testTheFormReportsEveryProblemAtOnce() async throws {
        let staff = try await actor("demo.staff")
        var input = EventService.Input()
        input.capacity = "0"
        input.audience = "members"
        input.onlineLink = "ftp://x"
        input.sessions = [EventService.SessionInput(title: "报告", startsAt: "2026-12-01T09:00", endsAt: "2026-12-01T08:00", room: "")]
        input.speakers = [EventService.SpeakerInput(name: "", affiliation: "教授", topic: "", personID: "nope")]
        let (errors, _) = try await service.check(input, actor: staff)
        XCTAssertEqual(
            Set(errors.messages.keys),
            [
                "title", "kind", "level", "startsAt", "endsAt", "onlineLink", "capacity", "societies", "session-1-endsAt", "speaker-1-name",
                "speaker-1-personID",
            ])
        XCTAssertEqual(errors["capacity"], "名额为 1 到 100000 的整数；不限名额请留空")
        XCTAssertEqual(errors["societies"], "面向指定学会会员时，请至少选择一个学会")

        var timing = EventService.Input()
        timing.title = "时间检查活动"
        timing.kind = "salon"
        timing.level = "local"
        timing.startsAt = "2026-12-20T14:00"
        timing.endsAt = "2026-12-20T12:00"
        timing.audience = "public"
        timing.capacity = "100001"
        timing.registrationOpensAt = "2026-12-10T09:00"
        timing.registrationClosesAt = "2026-12-09T09:00"
        let (second, _) = try await service.check(timing, actor: staff)
        XCTAssertEqual(second["endsAt"], "结束时间应晚于开始时间")
        XCTAssertEqual(second["venue"], "请填写地点，或填写线上链接")
        XCTAssertEqual(second["capacity"], "名额为 1 到 100000 的整数；不限名额请留空")
        XCTAssertEqual(second["registrationClosesAt"], "报名截止应晚于报名开始")

        timing.endsAt = "2026-12-20T17:00"
        timing.venue = "科技馆"
        timing.capacity = ""
        timing.registrationClosesAt = "2026-12-19T18:00"
        timing.sessions = [EventService.SessionInput(title: "提前的日程", startsAt: "2026-12-20T08:00", endsAt: "2026-12-20T10:00", room: "")]
        let (third, checked) = try await service.check(timing, actor: staff)
        XCTAssertEqual(third.messages, ["session-1-startsAt": "日程时间应在活动起止时间之内"])
        XCTAssertNil(checked.event.capacity)
        XCTAssertEqual(
            EventService.parseTime("2026-12-20T09:00", requireOffset: false),
            EventService.parseTime("2026-12-20T01:00:00Z", requireOffset: true))
        XCTAssertNil(EventService.parseTime("2026-12-20T09:00", requireOffset: true))
        XCTAssertNil(EventService.parseTime("2026-02-30T09:00", requireOffset: false))
    }

    func testCancellingAPublishedEventNotifiesEveryoneRegisteredInOneInsert() async throws {
        let salon = try await event(EventsDemo.salonTitle)
        let id = try salon.requireID()
        let member = try await userID("demo.member")
        let expert = try await userID("demo.expert")
        for (index, user) in [member, expert].enumerated() {
            let registration = EventRegistration()
            registration.eventID = id
            registration.status = .confirmed
            registration.channel = .self
            registration.sequence = index + 1
            registration.userID = user
            registration.name = "报名者\(index)"
            registration.unit = ""
            registration.code = CheckInCode.generate().canonical
            try await registration.create(on: app.db)
        }
        let staff = try await actor("demo.staff")
        do {
            try await service.perform(.cancel, on: id, comment: nil, actor: staff)
            XCTFail("staff may not cancel a published event")
        } catch let PlatformError.workflowRefused(refusal) {
            XCTAssertEqual(refusal.code, "workflow.not_permitted")
        }
        try await service.perform(.cancel, on: id, comment: "场地维修", actor: try await actor("demo.orgadmin"))
        let messages = try await InboxMessage.query(on: app.db).filter(\.$title == "活动已取消：\(EventsDemo.salonTitle)").all()
        XCTAssertEqual(Set(messages.map(\.userID)), [member, expert])
        XCTAssertTrue(messages.allSatisfy { $0.body.contains("原因：场地维修") && $0.link == "/events/\(id.uuidString)" })
        let cancelled = try await Event.find(id, on: app.db)
        XCTAssertEqual(cancelled?.state, .cancelled)
        // Still public, marked cancelled in its calendar file.
        let ics = try await app.testable().sendRequest(.GET, "/events/\(id.uuidString).ics")
        XCTAssertEqual(ics.status, .ok)
        XCTAssertTrue(ics.body.string.contains("STATUS:CANCELLED\r\n"))
    }

    // MARK: Pages

    func testStaffCreateWithASessionAndASpeakerTheAdministratorApprovesAndVisitorsFindIt() async throws {
        let staff = try await loggedIn("demo.staff")
        let form: [String: String] = [
            "title": "云海省青年科学家论坛", "kind": "forum", "level": "provincial", "startsAt": "2026-12-20T09:00",
            "endsAt": "2026-12-20T17:00", "venue": "云海省科技会堂", "capacity": "100", "waitlist": "on", "audience": "public",
            "registrationOpensAt": "2026-11-01T09:00", "registrationClosesAt": "2026-12-19T18:00", "sessionRows": "1", "speakerRows": "1",
            "session-1-title": "主旨报告", "session-1-startsAt": "2026-12-20T09:00", "session-1-endsAt": "2026-12-20T11:30",
            "session-1-room": "报告厅", "speaker-1-name": "王建国", "speaker-1-affiliation": "中国工程院院士 · 云海大学",
            "speaker-1-topic": "热带农业科技创新", "intent": "submit",
        ]
        // More rows without script: the form comes back with one more session row and nothing saved.
        var grow = form
        grow["intent"] = "add_session"
        let grown = try await staff.post("/events", grow)
        XCTAssertEqual(grown.status, .ok)
        XCTAssertTrue(grown.body.string.contains("data-session-row=\"2\""))
        XCTAssertTrue(grown.body.string.contains("value=\"主旨报告\""))
        expectEqual(try await Event.query(on: app.db).filter(\.$title == "云海省青年科学家论坛").count(), 0)

        var bad = form
        bad["title"] = ""
        bad["capacity"] = "0"
        bad["venue"] = ""
        let refused = try await staff.post("/events", bad)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let html = refused.body.string
        for key in ["title", "capacity", "venue"] { XCTAssertTrue(html.contains("data-error-key=\"\(key)\""), key) }
        XCTAssertTrue(html.contains("id=\"error-summary\""))

        let created = try await staff.post("/events", form)
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(500)))
        let stored = try await event("云海省青年科学家论坛")
        let id = try stored.requireID()
        XCTAssertEqual(stored.state, .submitted)
        XCTAssertEqual(stored.capacity, 100)
        expectEqual(try await EventSession.query(on: app.db).filter(\.$eventID == id).all().map(\.title), ["主旨报告"])
        expectEqual(try await EventSpeaker.query(on: app.db).filter(\.$eventID == id).all().map(\.name), ["王建国"])

        // Not public yet; another county's administrator does not see it either.
        expectEqual(try await Browser(app).get("/events/\(id.uuidString)").status, .notFound)
        let county = try await loggedIn("demo.county2")
        expectEqual(try await county.get("/events/\(id.uuidString)").status, .notFound)
        // Staff may not approve.
        let notMine = try await staff.post("/events/\(id.uuidString)/actions", ["action": "approve"])
        XCTAssertEqual(notMine.status, .forbidden)

        let office = try await loggedIn("demo.orgadmin")
        let page = try await office.get("/events/\(id.uuidString)")
        XCTAssertTrue(page.body.string.contains("id=\"action-approve\""))
        XCTAssertTrue(page.body.string.contains("id=\"event-history\""))
        let approved = try await office.post("/events/\(id.uuidString)/actions", ["action": "approve"])
        XCTAssertEqual(approved.status, .seeOther)
        expectEqual(try await Event.find(id, on: app.db)?.state, .published)

        let visitor = Browser(app)
        let month = try await visitor.get("/events?month=2026-12")
        XCTAssertEqual(month.status, .ok)
        XCTAssertTrue(month.body.string.contains("data-day=\"2026-12-20\""))
        XCTAssertTrue(month.body.string.contains("data-event-id=\"\(id.uuidString)\""))
        XCTAssertTrue(month.body.string.contains("data-month=\"2026-12\""))
        let list = try await visitor.get("/events?view=list")
        XCTAssertTrue(list.body.string.contains("data-event-id=\"\(id.uuidString)\""))
        XCTAssertFalse(list.body.string.contains(EventsDemo.draftTitle))
        let filtered = try await visitor.get("/events?view=list&kind=salon")
        XCTAssertFalse(filtered.body.string.contains("data-event-id=\"\(id.uuidString)\""))
        XCTAssertTrue(filtered.body.string.contains(EventsDemo.salonTitle))
        expectEqual(try await visitor.get("/events?month=2026-13").status, .unprocessableEntity)

        let shown = try await visitor.get("/events/\(id.uuidString)")
        XCTAssertEqual(shown.status, .ok)
        XCTAssertTrue(shown.body.string.contains("href=\"/events/\(id.uuidString)/register\""), "registration is open")
        XCTAssertTrue(shown.body.string.contains("data-left=\"100\""))
        XCTAssertFalse(shown.body.string.contains("event-history"), "the history is for staff")
        let staffView = try await office.get("/events/\(id.uuidString)").page
        XCTAssertEqual(staffView.element(id: "check-in-link")?.attribute("href"), "/check-in/events.event/\(id.uuidString)")
        XCTAssertEqual(staffView.element(id: "registrations-link")?.attribute("href"), "/events/\(id.uuidString)/registrations")
        XCTAssertEqual(staffView.element(id: "attendance-link")?.attribute("href"), "/events/\(id.uuidString)/attendance.xlsx")
        XCTAssertNil(shown.page.element(id: "registrations-link"), "the list is the organizer's")

        let ics = try await visitor.get("/events/\(id.uuidString).ics")
        XCTAssertEqual(ics.status, .ok)
        XCTAssertEqual(ics.headers.first(name: .contentType), "text/calendar; charset=utf-8")
        let text = ics.body.string
        XCTAssertTrue(text.contains("DTSTART;TZID=Asia/Shanghai:20261220T090000\r\n"))
        XCTAssertTrue(text.contains("SUMMARY:云海省青年科学家论坛\r\n"))
        XCTAssertTrue(text.contains("UID:\(id.uuidString.lowercased())@"))
        let feed = try await visitor.get("/organizations/\(demo.province.requireID().uuidString)/events.ics")
        XCTAssertEqual(feed.status, .ok)
        XCTAssertEqual(feed.body.string.components(separatedBy: "BEGIN:VEVENT").count - 1, 2, "the forum and the salon")

        let managed = try await office.get("/events/manage?state=published")
        XCTAssertTrue(managed.body.string.contains("data-event-id=\"\(id.uuidString)\""))
        let csv = try await office.get("/events/manage?format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("云海省青年科学家论坛"))
        expectEqual(try await office.get("/events/manage?format=xlsx").status, .ok)
    }

    func testAnotherSubtreeCannotSeeOrEditACountyDraftAndPublishedEventsChangeOnlyTheirLogistics() async throws {
        let draft = try await event(EventsDemo.draftTitle)
        let id = try draft.requireID().uuidString
        let county2 = try await loggedIn("demo.county2")
        expectEqual(try await county2.get("/events/\(id)").status, .notFound)
        expectEqual(try await county2.get("/events/\(id)/edit").status, .notFound)
        expectEqual(try await county2.post("/events/\(id)", ["title": "改名"]).status, .notFound)
        expectFalse(try await county2.get("/events/manage").body.string.contains(EventsDemo.draftTitle))
        let county1 = try await loggedIn("demo.county1")
        expectEqual(try await county1.get("/events/\(id)/edit").status, .ok)
        expectTrue(try await county1.get("/events/manage").body.string.contains(EventsDemo.draftTitle))
        // The province above sees its counties' drafts.
        expectEqual(try await (try await loggedIn("demo.orgadmin")).get("/events/\(id)").status, .ok)
        expectEqual(try await (try await loggedIn("demo.member")).get("/events/\(id)").status, .notFound)

        // Published: the administrator may move the venue but not rename it; staff may not edit at all.
        let salon = try await event(EventsDemo.salonTitle)
        let salonID = try salon.requireID()
        let office = try await loggedIn("demo.orgadmin")
        let form = try await office.get("/events/\(salonID.uuidString)/edit")
        XCTAssertTrue(form.body.string.contains("id=\"logistics-only\""))
        let staff = try await loggedIn("demo.staff")
        expectEqual(try await staff.get("/events/\(salonID.uuidString)/edit").status, .conflict)
        let parts = try await service.parts(of: salon)
        var values = EventFormController.values(salon, parts)
        values["title"] = "被改掉的名字"
        values["venue"] = "云海省科技馆 1 号厅"
        values["intent"] = "draft"
        let saved = try await office.post("/events/\(salonID.uuidString)", values)
        XCTAssertEqual(saved.status, .seeOther, String(saved.body.string.prefix(500)))
        let after = try await Event.find(salonID, on: app.db)
        XCTAssertEqual(after?.title, EventsDemo.salonTitle)
        XCTAssertEqual(after?.venue, "云海省科技馆 1 号厅")
    }

    /// Logged-in people see published events of other audiences in their subtree or their societies.
    func testAudiencesDecideWhoSeesAPublishedEventInTheCalendar() async throws {
        let admin = try await actor("demo.orgadmin")
        let rubber = try await Organization.query(on: app.db).filter(\.$name == "云海省橡胶学会").first()!
        func publish(_ title: String, audience: String, organization: Organization, societies: [String] = []) async throws -> UUID {
            var input = EventService.Input()
            input.title = title
            input.kind = "lecture"
            input.level = "local"
            input.startsAt = "2026-12-15T09:00"
            input.endsAt = "2026-12-15T11:00"
            input.venue = "会议室"
            input.audience = audience
            input.organization = try organization.requireID().uuidString
            input.societies = societies
            let event = try await service.create(input, actor: admin)
            try await service.perform(.publish, on: event.requireID(), comment: nil, actor: admin)
            return try event.requireID()
        }
        let invited = try await publish("东港市邀请制报告会", audience: "invited", organization: demo.city1)
        let members = try await publish(
            "橡胶学会会员报告会", audience: "members", organization: demo.province, societies: [rubber.requireID().uuidString])
        func sees(_ browser: Browser) async throws -> (Bool, Bool) {
            let html = try await browser.get("/events?month=2026-12").body.string
            return (html.contains("data-event-id=\"\(invited.uuidString)\""), html.contains("data-event-id=\"\(members.uuidString)\""))
        }
        let anonymous = try await sees(Browser(app))
        XCTAssertFalse(anonymous.0)
        XCTAssertFalse(anonymous.1)
        let county2 = try await sees(try await loggedIn("demo.county2"))
        XCTAssertFalse(county2.0, "白沙县 is below 东港市, not above it")
        XCTAssertFalse(county2.1)
        let society = try await sees(try await loggedIn("demo.society"))
        XCTAssertFalse(society.0)
        XCTAssertTrue(society.1, "the society's own people see its members' event")
        let province = try await sees(try await loggedIn("demo.orgadmin"))
        XCTAssertTrue(province.0)
        XCTAssertTrue(province.1)
        expectEqual(try await Browser(app).get("/events/\(invited.uuidString)").status, .notFound)
        expectEqual(try await (try await loggedIn("demo.society")).get("/events/\(members.uuidString)").status, .ok)
        let feed = try await Browser(app).get("/organizations/\(try demo.city1.requireID().uuidString)/events.ics")
        XCTAssertFalse(feed.body.string.contains("BEGIN:VEVENT"), "feeds hold public events only")
    }

    // MARK: API

    func testTheAPICreatesAndStepsEventsWithinScope() async throws {
        let (noToken, _) = try await call(.POST, "/api/v1/events", as: nil, json: json(Self.apiBody))
        XCTAssertEqual(noToken, .unauthorized)
        let (memberStatus, memberError) = try await call(.POST, "/api/v1/events", as: "demo.member", json: json(Self.apiBody))
        XCTAssertEqual(memberStatus, .forbidden)
        XCTAssertEqual((memberError["error"] as? [String: Any])?["code"] as? String, "events.not_organizer")

        let (created, event) = try await call(.POST, "/api/v1/events", as: "demo.staff", json: json(Self.apiBody))
        XCTAssertEqual(created, .created, event.description)
        XCTAssertEqual(event["state"] as? String, "draft")
        XCTAssertEqual(event["capacity"] as? Int, 100)
        XCTAssertEqual(event["startsAt"] as? String, "2026-12-20T09:00:00+08:00")
        let id = try XCTUnwrap(event["id"] as? String)

        // Every field's problem at once; times need an offset.
        let (invalid, refused) = try await call(
            .POST, "/api/v1/events", as: "demo.staff",
            json:
                #"{"title": "短", "kind": "party", "level": "city", "startsAt": "2026-12-20T09:00", "endsAt": "tomorrow", "capacity": 100001}"#
        )
        XCTAssertEqual(invalid, .unprocessableEntity)
        let fields = (refused["error"] as? [String: Any])?["fields"] as? [String: String] ?? [:]
        XCTAssertEqual(Set(fields.keys), ["title", "kind", "level", "startsAt", "endsAt", "venue", "capacity"])
        let (typed, _) = try await call(.POST, "/api/v1/events", as: "demo.staff", json: #"{"title": "一个活动", "capacity": "many"}"#)
        XCTAssertEqual(typed, .unprocessableEntity)

        // Drafts are the subtree's: the member and another county see nothing.
        expectEqual(try await call(.GET, "/api/v1/events/\(id)", as: "demo.member").0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/events/\(id)", as: "demo.county2").0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/events/\(id)", as: nil).0, .notFound)

        let (unknown, unknownError) = try await call(.POST, "/api/v1/events/\(id)/steps", as: "demo.staff", json: #"{"action": "party"}"#)
        XCTAssertEqual(unknown, .unprocessableEntity)
        XCTAssertEqual((unknownError["error"] as? [String: Any])?["code"] as? String, "events.unknown_action")
        let (submitted, afterSubmit) = try await call(.POST, "/api/v1/events/\(id)/steps", as: "demo.staff", json: #"{"action": "submit"}"#)
        XCTAssertEqual(submitted, .ok)
        XCTAssertEqual(afterSubmit["state"] as? String, "submitted")
        expectEqual(try await call(.POST, "/api/v1/events/\(id)/steps", as: "demo.staff", json: #"{"action": "approve"}"#).0, .forbidden)
        expectEqual(
            try await call(.POST, "/api/v1/events/\(id)/steps", as: "demo.county1", json: #"{"action": "approve"}"#).0, .notFound)
        let (approved, published) = try await call(
            .POST, "/api/v1/events/\(id)/steps", as: "demo.orgadmin", json: #"{"action": "approve"}"#)
        XCTAssertEqual(approved, .ok)
        XCTAssertEqual(published["state"] as? String, "published")
        let (early, earlyError) = try await call(.POST, "/api/v1/events/\(id)/steps", as: "demo.orgadmin", json: #"{"action": "finish"}"#)
        XCTAssertEqual(early, .conflict)
        XCTAssertEqual((earlyError["error"] as? [String: Any])?["code"] as? String, "events.event_not_over")

        // The orgadmin publishes a draft directly.
        let (_, second) = try await call(.POST, "/api/v1/events", as: "demo.orgadmin", json: json(Self.apiBody))
        let secondID = try XCTUnwrap(second["id"] as? String)
        let (direct, directly) = try await call(
            .POST, "/api/v1/events/\(secondID)/steps", as: "demo.orgadmin", json: #"{"action": "publish"}"#)
        XCTAssertEqual(direct, .ok)
        XCTAssertEqual(directly["state"] as? String, "published")

        // Members and visitors list published events only.
        let (_, visible) = try await call(.GET, "/api/v1/events?per=100", as: "demo.member")
        let states = Set((visible["items"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String })
        XCTAssertEqual(states, ["published"])
        XCTAssertEqual(visible["total"] as? Int, 3)
        let (_, anonymous) = try await call(.GET, "/api/v1/events", as: nil)
        XCTAssertEqual(anonymous["total"] as? Int, 3)
        let (_, staffView) = try await call(.GET, "/api/v1/events?state=draft", as: "demo.orgadmin")
        XCTAssertEqual((staffView["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String }, [EventsDemo.draftTitle])
        expectEqual(try await call(.GET, "/api/v1/events?per=1000", as: nil).0, .unprocessableEntity)
        expectEqual(try await call(.GET, "/api/v1/events?page=0", as: nil).0, .unprocessableEntity)

        // The body limit: 64 KiB for a new event.
        let huge = json(Self.apiBody.merging(["summary": String(repeating: "长", count: 30_000)]) { _, new in new })
        expectEqual(try await call(.POST, "/api/v1/events", as: "demo.staff", json: huge).0, .payloadTooLarge)
    }
}
