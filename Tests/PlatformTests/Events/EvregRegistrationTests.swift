import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Members
@testable import Platform

/// Registrations through HTTP (API with bearer tokens, pages with a browser) on SQLite, and on
/// PostgreSQL when DATABASE_URL is set: capacity under concurrency, the waiting list and promotion,
/// cut-off, double registration, visitors' rate limit, audiences, moderation, scope.
class EvregTestCase: DemoTestCase {
    private var tokens: [String: String] = [:]

    func userID(_ username: String) async throws -> UUID {
        try await User.query(on: app.db).filter(\.$username == username).first().orThrow(Abort(.internalServerError)).requireID()
    }

    func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: userID(username), name: "test", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

    /// Calls the API as `username` (anonymously when nil) from `address`; answers status and JSON object.
    func call(_ method: HTTPMethod, _ path: String, as username: String?, json: String? = nil, address: String = "10.1.0.1") async throws
        -> (HTTPStatus, [String: Any])
    {
        var headers: HTTPHeaders = ["X-Forwarded-For": address]
        if let username { headers.bearerAuthorization = .init(token: try await token(username)) }
        if json != nil { headers.contentType = .json }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        return (response.status, object)
    }

    func code(_ object: [String: Any]) -> String? { (object["error"] as? [String: Any])?["code"] as? String }

    /// A published event of `organization` (default the province), a week ahead.
    @discardableResult
    func makeEvent(
        capacity: Int?, waitlist: Bool, audience: Event.Audience = .public, moderated: Bool = false, organization: Organization? = nil,
        cancelUntil: Date? = nil
    ) async throws -> Event {
        let event = Event()
        event.title = "热带农业前沿沙龙"
        event.summary = "割胶技术与胶园管理"
        event.kind = .salon
        event.level = .provincial
        event.state = .published
        event.organizationID = try (organization ?? demo.province).requireID()
        event.venue = "云海省科技会堂 301"
        event.startsAt = clock.now.addingTimeInterval(7 * 86400)
        event.endsAt = clock.now.addingTimeInterval(7 * 86400 + 7200)
        event.capacity = capacity
        event.waitlist = waitlist
        event.moderated = moderated
        event.cancelUntil = cancelUntil
        event.feeNote = ""
        event.audience = audience
        event.confirmedCount = 0
        event.registrationSequence = 0
        event.createdBy = try await userID("demo.orgadmin")
        try await event.create(on: app.db)
        return event
    }

    /// One staff sign-up from a task of a group: status and the registration's status or the error code.
    static func concurrentPost(_ app: Application, _ path: String, token: String, name: String, phone: String) async throws -> (
        HTTPStatus, String?
    ) {
        var headers: HTTPHeaders = ["X-Forwarded-For": "10.1.0.1", "Content-Type": "application/json"]
        headers.bearerAuthorization = .init(token: token)
        let body = "{\"name\": \"\(name)\", \"phone\": \"\(phone)\"}"
        let response = try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        let object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any] ?? [:]
        let code = (object["error"] as? [String: Any])?["code"] as? String
        return (response.status, response.status == .created ? object["status"] as? String : code)
    }

    func registrationsPath(_ event: Event) throws -> String { "/api/v1/events/\(try event.requireID())/registrations" }

    func person(json name: String, _ phone: String) -> String { "{\"name\": \"\(name)\", \"phone\": \"\(phone)\"}" }

    func statuses(_ event: Event) async throws -> [EventRegistration.Status: Int] {
        var result: [EventRegistration.Status: Int] = [:]
        for r in try await EventRegistration.query(on: app.db).filter(\.$eventID == event.requireID()).all() {
            result[r.status, default: 0] += 1
        }
        return result
    }
}

final class EvregRegistrationTests: EvregTestCase {
    func testThirtyConcurrentSignUpsForTenPlacesConfirmExactlyTen() async throws {
        let event = try await makeEvent(capacity: 10, waitlist: false)
        let path = try registrationsPath(event)
        let token = try await token("demo.staff")
        let app: Application = app
        let answers = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
            for index in 0..<30 {
                group.addTask {
                    try await Self.concurrentPost(app, path, token: token, name: "报名人\(index)", phone: String(format: "1380000%04d", index))
                }
            }
            var all: [(HTTPStatus, String?)] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        XCTAssertEqual(answers.filter { $0.0 == .created }.count, 10)
        XCTAssertEqual(answers.filter { $0.0 == .created }.map(\.1), Array(repeating: "confirmed", count: 10))
        XCTAssertEqual(answers.filter { $0.0 == .conflict }.map(\.1), Array(repeating: "events.event_full", count: 20))
        let stored = try await Event.find(event.requireID(), on: app.db)
        XCTAssertEqual(stored?.confirmedCount, 10)
        expectEqual(try await statuses(event), [.confirmed: 10])
    }

    /// Sign-ups arriving together are written in one batch: the same phone twice in one batch is still
    /// one registration, and a phone registered before the batch is refused too.
    func testTheSamePhoneSentTwiceAtOnceRegistersOnce() async throws {
        let event = try await makeEvent(capacity: 5, waitlist: true)
        let path = try registrationsPath(event)
        let token = try await token("demo.staff")
        let (first, _) = try await call(.POST, path, as: "demo.staff", json: person(json: "先报名", "13800009999"))
        XCTAssertEqual(first, .created)
        let app: Application = app
        let answers = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
            for index in 0..<24 {
                // 0-9 twice each (20 sign-ups, 10 people), and 4 more of the phone registered before.
                let phone = index < 20 ? String(format: "1380001%04d", index % 10) : "13800009999"
                group.addTask { try await Self.concurrentPost(app, path, token: token, name: "同时报名\(index)", phone: phone) }
            }
            var all: [(HTTPStatus, String?)] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        XCTAssertEqual(answers.filter { $0.0 == .created }.count, 10)
        XCTAssertEqual(answers.filter { $0.0 == .conflict }.map(\.1), Array(repeating: "events.already_registered", count: 14))
        expectEqual(try await statuses(event), [.confirmed: 5, .waitlisted: 6])
        let stored = try await Event.find(event.requireID(), on: app.db)
        XCTAssertEqual(stored?.confirmedCount, 5)
    }

    func testConcurrentSignUpsBeyondCapacityWaitInArrivalOrderAndCancellingPromotesTheFirst() async throws {
        let event = try await makeEvent(capacity: 10, waitlist: true)
        let path = try registrationsPath(event)
        let token = try await token("demo.staff")
        let app: Application = app
        let answers = try await withThrowingTaskGroup(of: (HTTPStatus, String?).self) { group in
            for index in 0..<25 {
                group.addTask {
                    try await Self.concurrentPost(app, path, token: token, name: "报名人\(index)", phone: String(format: "1380001%04d", index))
                }
            }
            var all: [(HTTPStatus, String?)] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        XCTAssertEqual(answers.map(\.0), Array(repeating: .created, count: 25))
        expectEqual(try await statuses(event), [.confirmed: 10, .waitlisted: 15])
        let all = try await EventRegistration.query(on: app.db).filter(\.$eventID == event.requireID()).sort(\.$sequence).all()
        XCTAssertEqual(all.map(\.sequence), Array(1...25))
        // The first ten arrivals hold the places; the rest wait in the order they came.
        XCTAssertEqual(all.prefix(10).map(\.status), Array(repeating: .confirmed, count: 10))
        let firstWaiting = try XCTUnwrap(all.dropFirst(10).first)
        let (_, waiting) = try await call(.GET, "/api/v1/registrations/\(try firstWaiting.requireID())", as: "demo.staff")
        XCTAssertEqual(waiting["status"] as? String, "waitlisted")
        XCTAssertEqual(waiting["position"] as? Int, 1)
        let (_, last) = try await call(.GET, "/api/v1/registrations/\(try all[24].requireID())", as: "demo.staff")
        XCTAssertEqual(last["position"] as? Int, 15)

        let (cancelled, body) = try await call(.DELETE, "/api/v1/registrations/\(try all[3].requireID())", as: "demo.staff")
        XCTAssertEqual(cancelled, .ok)
        XCTAssertEqual(body["status"] as? String, "cancelled")
        let promoted = try await EventRegistration.find(firstWaiting.requireID(), on: app.db)
        XCTAssertEqual(promoted?.status, .confirmed)
        XCTAssertNotNil(promoted?.promotedAt)
        let (_, next) = try await call(.GET, "/api/v1/registrations/\(try all[11].requireID())", as: "demo.staff")
        XCTAssertEqual(next["position"] as? Int, 1)
        expectEqual(try await Event.find(event.requireID(), on: app.db)?.confirmedCount, 10)
        // Cancelling twice is refused.
        let (again, refusal) = try await call(.DELETE, "/api/v1/registrations/\(try all[3].requireID())", as: "demo.staff")
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(code(refusal), "events.not_cancellable")
    }

    func testAMemberIsPromotedWithANoticeAndCancelsOnlyUntilTheCutOff() async throws {
        let event = try await makeEvent(capacity: 1, waitlist: true, cancelUntil: clock.now.addingTimeInterval(86400))
        let path = try registrationsPath(event)
        let (first, taken) = try await call(.POST, path, as: "demo.expert", json: "{\"consent\": true}")
        XCTAssertEqual(first, .created)
        XCTAssertEqual(taken["status"] as? String, "confirmed")
        XCTAssertEqual((taken["code"] as? String)?.count, 8)
        let (second, waiting) = try await call(.POST, path, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(second, .created)
        XCTAssertEqual(waiting["status"] as? String, "waitlisted")
        XCTAssertEqual(waiting["position"] as? Int, 1)
        // Oneself needs consent.
        let (noConsent, refused) = try await call(.POST, path, as: "demo.staff", json: "{}")
        XCTAssertEqual(noConsent, .unprocessableEntity)
        XCTAssertEqual((refused["error"] as? [String: Any])?["field"] as? String, "consent")

        // Another member cannot read or cancel it.
        let firstID = try XCTUnwrap(taken["id"] as? String)
        expectEqual(try await call(.GET, "/api/v1/registrations/\(firstID)", as: "demo.member").0, .notFound)
        expectEqual(try await call(.DELETE, "/api/v1/registrations/\(firstID)", as: "demo.member").0, .notFound)

        let (cancelled, _) = try await call(.DELETE, "/api/v1/registrations/\(firstID)", as: "demo.expert")
        XCTAssertEqual(cancelled, .ok)
        let secondID = try XCTUnwrap(waiting["id"] as? String)
        let (_, promoted) = try await call(.GET, "/api/v1/registrations/\(secondID)", as: "demo.member")
        XCTAssertEqual(promoted["status"] as? String, "confirmed")
        XCTAssertNil(promoted["position"] as? Int)
        let member = try await userID("demo.member")
        let notice = try await InboxMessage.query(on: app.db).filter(\.$userID == member).first()
        XCTAssertEqual(notice?.title, "候补转正：热带农业前沿沙龙")
        XCTAssertEqual(notice?.link, "/registrations/\(secondID)")

        // Past the cut-off the member may no longer cancel; staff of the organizer still may.
        clock.advance(minutes: 2 * 24 * 60)
        let (late, body) = try await call(.DELETE, "/api/v1/registrations/\(secondID)", as: "demo.member")
        XCTAssertEqual(late, .conflict)
        XCTAssertEqual(code(body), "events.cancel_closed")
        expectEqual(try await call(.DELETE, "/api/v1/registrations/\(secondID)", as: "demo.orgadmin").0, .ok)
    }

    func testNoDoubleRegistrationBySamePersonOrPhone() async throws {
        let event = try await makeEvent(capacity: 50, waitlist: false)
        let path = try registrationsPath(event)
        expectEqual(try await call(.POST, path, as: "demo.member", json: "{\"consent\": true}").0, .created)
        let (again, body) = try await call(.POST, path, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(code(body), "events.already_registered")

        expectEqual(try await call(.POST, path, as: "demo.staff", json: person(json: "王五", "13912345678")).0, .created)
        // The same number written another way, by staff or by a visitor.
        let (staffAgain, staffBody) = try await call(.POST, path, as: "demo.staff", json: person(json: "王五", "+86 139-1234-5678"))
        XCTAssertEqual(staffAgain, .conflict)
        XCTAssertEqual(code(staffBody), "events.already_registered")
        let (visitorAgain, visitorBody) = try await call(
            .POST, path, as: nil, json: "{\"name\": \"王五\", \"phone\": \"13912345678\", \"consent\": true}")
        XCTAssertEqual(visitorAgain, .conflict)
        XCTAssertEqual(code(visitorBody), "events.already_registered")

        // The database refuses a second live registration of the same phone even past the service.
        let stored = try await EventRegistration.query(on: app.db).filter(\.$eventID == event.requireID()).filter(\.$channel == .staff)
            .first()
        let copy = EventRegistration()
        copy.eventID = try event.requireID()
        copy.status = .confirmed
        copy.channel = .staff
        copy.sequence = 999
        copy.name = "王五"
        copy.phoneLookup = stored?.phoneLookup
        copy.unit = ""
        copy.code = CheckInCode.generate().canonical
        do {
            try await copy.create(on: app.db)
            XCTFail("a second live registration of the same phone was stored")
        } catch let error as any DatabaseError {
            XCTAssertTrue(error.isConstraintFailure, "\(error)")
        }
        // Phones are sealed: never the number in clear in the table.
        let row = try await EventRegistration.query(on: app.db).filter(\.$channel == .staff).first()
        XCTAssertFalse(row?.phoneCipher?.contains("13912345678") ?? true)
        XCTAssertFalse(row?.phoneLookup?.contains("13912345678") ?? true)

        // Once cancelled, the person may register again.
        let id = try XCTUnwrap(row?.requireID())
        expectEqual(try await call(.DELETE, "/api/v1/registrations/\(id)", as: "demo.staff").0, .ok)
        expectEqual(try await call(.POST, path, as: "demo.staff", json: person(json: "王五", "13912345678")).0, .created)
    }

    func testVisitorsAreRateLimitedPerAddressAndPerPhone() async throws {
        let event = try await makeEvent(capacity: nil, waitlist: false)
        let path = try registrationsPath(event)
        func visitor(_ phone: String, address: String) async throws -> (HTTPStatus, [String: Any]) {
            try await call(.POST, path, as: nil, json: "{\"name\": \"访客\", \"phone\": \"\(phone)\", \"consent\": true}", address: address)
        }
        for index in 0..<10 {
            expectEqual(try await visitor(String(format: "1370000%04d", index), address: "10.9.0.1").0, .created)
        }
        let (limited, body) = try await visitor("13700009999", address: "10.9.0.1")
        XCTAssertEqual(limited, .tooManyRequests)
        XCTAssertEqual(code(body), "platform.rate_limited")
        // Another address is not affected; one phone from many addresses is.
        expectEqual(try await visitor("13700009999", address: "10.9.0.2").0, .created)
        for index in 0..<4 {
            expectEqual(try await visitor("13700009999", address: "10.9.1.\(index)").0, .conflict)
        }
        expectEqual(try await visitor("13700009999", address: "10.9.2.1").0, .tooManyRequests)
        // Visitors need name and phone and consent; without a body they are asked to log in.
        let (missing, refusal) = try await call(.POST, path, as: nil, json: "{\"name\": \"访客\", \"phone\": \"123\"}", address: "10.9.3.1")
        XCTAssertEqual(missing, .unprocessableEntity)
        let fields = (refusal["error"] as? [String: Any])?["fields"] as? [String: String]
        XCTAssertEqual(Set(fields?.keys.map { $0 } ?? []), ["phone", "consent"])
        expectEqual(try await call(.POST, path, as: nil, json: "{}", address: "10.9.3.2").0, .unauthorized)
    }

    func testMembersOnlyAndInvitedAudiences() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 41)
        person.userID = try await userID("demo.member")
        try await person.update(on: app.db)
        let society = try await organization("云海省计算机学会")
        let members = try await makeEvent(capacity: nil, waitlist: false, audience: .members)
        try await EventAudienceSociety(eventID: members.requireID(), organizationID: society.requireID()).create(on: app.db)
        let membersPath = try registrationsPath(members)
        let (visitor, visitorBody) = try await call(
            .POST, membersPath, as: nil, json: "{\"name\": \"访客\", \"phone\": \"13700001111\", \"consent\": true}")
        XCTAssertEqual(visitor, .unauthorized)
        XCTAssertEqual(code(visitorBody), "events.login_required")
        let (notMember, body) = try await call(.POST, membersPath, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(notMember, .forbidden)
        XCTAssertEqual(code(body), "events.members_only")
        let membership = Membership()
        membership.organizationID = try society.requireID()
        membership.personID = try person.requireID()
        membership.grade = .member
        membership.status = .active
        membership.appliedOn = try XCTUnwrap(Day("2026-03-01"))
        membership.joinedOn = try XCTUnwrap(Day("2026-03-15"))
        membership.joinedYear = 2026
        try await membership.create(on: app.db)
        let (member, registered) = try await call(.POST, membersPath, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(member, .created)
        XCTAssertEqual(registered["name"] as? String, person.name)

        let invited = try await makeEvent(capacity: nil, waitlist: false, audience: .invited)
        let invitedPath = try registrationsPath(invited)
        let (outsider, outsiderBody) = try await call(.POST, invitedPath, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(outsider, .forbidden)
        XCTAssertEqual(code(outsiderBody), "events.not_invited")
        // Staff import the list (the member's phone on row 3) through the page, then the member registers.
        let list = try XLSXWriter().write([
            SpreadsheetSheet(name: "邀请名单", header: ["姓名", "手机", "单位"], rows: [["李四", "13800138000", "云海大学"], ["本人", "13900010041", ""]])
        ])
        let bad = try XLSXWriter().write([
            SpreadsheetSheet(name: "邀请名单", header: ["姓名", "手机"], rows: [["李四", "12345"], ["", "13800138001"], ["赵六", "13800138002"]])
        ])
        let importPath = "/events/\(try invited.requireID())/invitations"
        let refused = try await upload(admin, importPath, bad)
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("第 2 行手机号码“12345”无效；第 3 行姓名为空"), String(refused.body.string.prefix(300)))
        expectEqual(try await EventInvitation.query(on: app.db).count(), 0)
        let imported = try await upload(admin, importPath, list)
        XCTAssertEqual(imported.status, .seeOther)
        expectEqual(try await EventInvitation.query(on: app.db).count(), 2)
        let (guest, guestBody) = try await call(.POST, invitedPath, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(guest, .created)
        XCTAssertEqual(guestBody["channel"] as? String, "invitation")
    }

    /// An invitation list that inflates far past its size on the wire is refused at the budget, fast,
    /// with the reason beside the file field; nothing is imported.
    func testAnInvitationListThatInflatesPastTheBudgetIsRefusedQuickly() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let invited = try await makeEvent(capacity: nil, waitlist: false, audience: .invited)
        let bomb = try BoundedInputTests.lyingArchive(path: "xl/worksheets/sheet1.xml")
        XCTAssertLessThan(bomb.count, 1 << 20, "the bomb is small on the wire")
        let started = Date()
        let refused = try await upload(admin, "/events/\(try invited.requireID())/invitations", bomb)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "refused without inflating the bomb")
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("文件解压后超过 32 MB"), String(refused.body.string.prefix(300)))
        expectEqual(try await EventInvitation.query(on: app.db).count(), 0)
    }

    func testMyPagePersonPageAndMyEventsShowTheRegistrations() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 42)
        person.userID = try await userID("demo.member")
        try await person.update(on: app.db)
        let event = try await makeEvent(capacity: 1, waitlist: true)
        _ = try await call(.POST, try registrationsPath(event), as: "demo.expert", json: "{\"consent\": true}")
        let (_, waiting) = try await call(.POST, try registrationsPath(event), as: "demo.member", json: "{\"consent\": true}")
        let id = try XCTUnwrap(waiting["id"] as? String)

        let member = try await loggedIn("demo.member")
        let me = try await member.get("/me").body.string
        XCTAssertTrue(me.contains("我的活动"), String(me.prefix(500)))
        XCTAssertTrue(me.contains("候补中"))
        XCTAssertTrue(me.contains("href=\"/registrations/\(id)\""))
        let mine = try await member.get("/my/events")
        XCTAssertEqual(mine.status, .ok)
        XCTAssertTrue(mine.body.string.contains("data-registration-id=\"\(id)\" data-status=\"waitlisted\""))
        XCTAssertTrue(mine.body.string.contains("第 1 位"))
        let page = try await member.get("/registrations/\(id)")
        XCTAssertTrue(page.body.string.contains("id=\"registration-position\">第 1 位"))
        XCTAssertTrue(page.body.string.contains("src=\"/registrations/\(id)/qr.svg\""))
        expectEqual(try await member.get("/registrations/\(id)/qr.svg").headers.contentType?.description, "image/svg+xml")

        let staffView = try await admin.get("/people/\(try person.requireID())").body.string
        XCTAssertTrue(staffView.contains("学术活动"))
        XCTAssertTrue(staffView.contains("候补"))
        XCTAssertTrue(staffView.contains("热带农业前沿沙龙"))
        let county = try await loggedIn("demo.county2")
        let countyView = try await county.get("/people/\(try person.requireID())").body.string
        XCTAssertFalse(countyView.contains("热带农业前沿沙龙"))

        // Staff export the list with the phones in clear (only there).
        let csv = try await admin.get("/events/\(try event.requireID())/registrations?format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("13900010042"), csv.body.string)
        let list = try await admin.get("/events/\(try event.requireID())/registrations?status=waitlisted").body.string
        XCTAssertTrue(list.contains("data-registration-id=\"\(id)\" data-status=\"waitlisted\""))
        XCTAssertTrue(list.contains("139****0042"))
        XCTAssertFalse(list.contains("13900010042"))
    }

    func upload(_ browser: Browser, _ path: String, _ data: Data) async throws -> XCTHTTPResponse {
        if browser.csrf == nil { try await browser.get("/login") }
        let boundary = "----evreg\(UUID().uuidString)"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(browser.csrf ?? "")\r\n".utf8))
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, path, headers: headers, body: ByteBuffer(data: body))
    }

    func testModerationKeepsRegistrationsPendingUntilStaffDecide() async throws {
        let event = try await makeEvent(capacity: 1, waitlist: true, moderated: true)
        let path = try registrationsPath(event)
        let (_, pending) = try await call(.POST, path, as: "demo.member", json: "{\"consent\": true}")
        XCTAssertEqual(pending["status"] as? String, "pending")
        let (_, other) = try await call(.POST, path, as: "demo.expert", json: "{\"consent\": true}")
        XCTAssertEqual(other["status"] as? String, "pending")
        expectEqual(try await Event.find(event.requireID(), on: app.db)?.confirmedCount, 0)
        let staff = try await loggedIn("demo.orgadmin")
        let memberID = try XCTUnwrap(pending["id"] as? String)
        let expertID = try XCTUnwrap(other["id"] as? String)
        expectEqual(try await staff.post("/registrations/\(memberID)/decision", ["decision": "approve"]).status, .seeOther)
        expectEqual(try await staff.post("/registrations/\(expertID)/decision", ["decision": "approve"]).status, .seeOther)
        expectEqual(try await EventRegistration.find(UUID(uuidString: memberID), on: app.db)?.status, .confirmed)
        expectEqual(try await EventRegistration.find(UUID(uuidString: expertID), on: app.db)?.status, .waitlisted)
        let decided = try await staff.post("/registrations/\(memberID)/decision", ["decision": "reject"])
        XCTAssertEqual(decided.location, "/registrations/\(memberID)?notice=registration_not_pending")
        // A member cannot decide.
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.post("/registrations/\(expertID)/decision", ["decision": "approve"]).status, .notFound)
    }

    func testScopeStaffOfAnotherCountyCannotListOrRead() async throws {
        let event = try await makeEvent(capacity: 5, waitlist: false, organization: demo.county1)
        let path = try registrationsPath(event)
        let (_, created) = try await call(.POST, path, as: "demo.county1", json: person(json: "李雷", "13811112222"))
        let id = try XCTUnwrap(created["id"] as? String)
        expectEqual(try await call(.GET, path, as: "demo.county1").0, .ok)
        expectEqual(try await call(.GET, path, as: "demo.orgadmin").0, .ok, "the province sees its subtree")
        expectEqual(try await call(.GET, path, as: "demo.county2").0, .notFound)
        expectEqual(try await call(.GET, "/api/v1/registrations/\(id)", as: "demo.county2").0, .notFound)
        expectEqual(try await call(.POST, path, as: "demo.county2", json: person(json: "韩梅梅", "13811113333")).0, .notFound)
        expectEqual(try await call(.GET, path, as: "demo.member").0, .notFound)
        let county2 = try await loggedIn("demo.county2")
        expectEqual(try await county2.get("/events/\(try event.requireID())/registrations").status, .notFound)
        expectEqual(try await county2.get("/registrations/\(id)").status, .notFound)
        // Bounded numbers and a bounded body.
        expectEqual(try await call(.GET, path + "?per=100000", as: "demo.county1").0, .unprocessableEntity)
        expectEqual(try await call(.GET, path + "?status=lost", as: "demo.county1").0, .unprocessableEntity)
        // A body that is not the documented object is refused, not read as `{}` (oneself).
        let (mistyped, _) = try await call(.POST, path, as: "demo.county1", json: "{\"name\": 5, \"phone\": true}")
        XCTAssertEqual(mistyped, .unprocessableEntity)
        // The registration form reads at most BodyLimits.small (16 KB); the API route collects no more either.
        let visitor = Browser(app)
        let flood = try await visitor.post(
            "/events/\(try event.requireID())/register",
            ["name": String(repeating: "长", count: 20000), "phone": "13811114444", "consent": "yes"])
        XCTAssertEqual(flood.status, .payloadTooLarge)
        let long = try await visitor.post(
            "/events/\(try event.requireID())/register", ["name": String(repeating: "长", count: 31), "phone": "13811114444"])
        XCTAssertEqual(long.status, .unprocessableEntity)
        XCTAssertTrue(long.body.string.contains("姓名不超过 30 字"))
        XCTAssertTrue(long.body.string.contains("data-error-key=\"consent\""))
    }

    func testTheQRCodeDecodesToTheCheckInCode() async throws {
        guard let rsvg = Self.executable("rsvg-convert"), let zbarimg = Self.executable("zbarimg") else {
            return XCTFail("rsvg-convert and zbarimg are needed: apt-get install -y librsvg2-bin zbar-tools")
        }
        let event = try await makeEvent(capacity: 5, waitlist: false)
        let (_, created) = try await call(.POST, try registrationsPath(event), as: "demo.member", json: "{\"consent\": true}")
        let id = try XCTUnwrap(created["id"] as? String)
        let code = try XCTUnwrap(created["code"] as? String)
        var headers: HTTPHeaders = [:]
        headers.bearerAuthorization = .init(token: try await token("demo.member"))
        let response = try await app.testable().sendRequest(.GET, "/api/v1/registrations/\(id)/qr.svg", headers: headers)
        XCTAssertEqual(response.status, .ok)
        XCTAssertEqual(response.headers.contentType?.description, "image/svg+xml")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evreg-qr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("code.svg")
        let png = directory.appendingPathComponent("code.png")
        try Data(buffer: response.body).write(to: svg)
        XCTAssertEqual(try Self.run(rsvg, ["-b", "white", "-o", png.path, svg.path]).status, 0)
        let decoded = try Self.run(zbarimg, ["--raw", "-q", png.path])
        XCTAssertEqual(decoded.status, 0)
        XCTAssertEqual(decoded.output.trimmingCharacters(in: .newlines), code)
        // Someone else gets 404.
        headers.bearerAuthorization = .init(token: try await token("demo.expert"))
        expectEqual(try await app.testable().sendRequest(.GET, "/api/v1/registrations/\(id)/qr.svg", headers: headers).status, .notFound)
    }

    static func executable(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = Pipe()
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
