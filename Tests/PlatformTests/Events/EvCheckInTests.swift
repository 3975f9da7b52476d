import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// Shared set-up for the check-in tests: a published event of 青石县科协 with three confirmed
/// registrations, one waitlisted and one cancelled, and two sessions.
class CheckInTestCase: DemoTestCase {
    var event: Event!
    var codes: [String] = []
    var waitlistedCode = ""
    var cancelledCode = ""
    var sessions: [EventSession] = []

    override func setUp() async throws {
        try await super.setUp()
        event = try await makeEvent(title: "青石县橡胶产业技术沙龙", organization: demo.county1)
        let id = try event.requireID()
        for (index, title) in ["上午 · 割胶技术", "下午 · 产业对接"].enumerated() {
            let session = EventSession()
            session.eventID = id
            session.title = title
            session.startsAt = clock.now.addingTimeInterval(Double(index) * 4 * 3600)
            session.endsAt = session.startsAt.addingTimeInterval(3 * 3600)
            session.room = index == 0 ? "一号厅" : ""
            session.position = index
            try await session.create(on: app.db)
            sessions.append(session)
        }
        let people: [(String, EventRegistration.Status)] = [
            ("王橡胶", .confirmed), ("李割胶", .confirmed), ("陈制胶", .confirmed), ("赵候补", .waitlisted), ("钱取消", .cancelled),
        ]
        for (index, person) in people.enumerated() {
            let code = try await register(person.0, status: person.1, to: event, sequence: index + 1)
            switch person.1 {
            case .confirmed: codes.append(code)
            case .waitlisted: waitlistedCode = code
            default: cancelledCode = code
            }
        }
        event.confirmedCount = 3
        try await event.update(on: app.db)
    }

    func makeEvent(title: String, organization: Organization, state: Event.State = .published) async throws -> Event {
        let event = Event()
        event.title = title
        event.summary = "围绕低频割胶与产业对接的交流。"
        event.kind = .salon
        event.level = .local
        event.state = state
        event.organizationID = try organization.requireID()
        event.venue = "青石县科技馆"
        event.startsAt = clock.now
        event.endsAt = clock.now.addingTimeInterval(8 * 3600)
        event.capacity = 100
        event.waitlist = true
        event.moderated = false
        event.feeNote = "免费"
        event.audience = .public
        event.confirmedCount = 0
        event.registrationSequence = 0
        event.createdBy = try await userID("demo.county1")
        try await event.create(on: app.db)
        return event
    }

    @discardableResult
    func register(_ name: String, status: EventRegistration.Status, to event: Event, sequence: Int) async throws -> String {
        let registration = EventRegistration()
        registration.eventID = try event.requireID()
        registration.status = status
        registration.channel = .staff
        registration.sequence = sequence
        registration.name = name
        registration.unit = "青石县农科所"
        registration.code = CheckInCode.generate().canonical
        try await registration.create(on: app.db)
        return registration.code
    }

    func userID(_ username: String) async throws -> UUID {
        try await User.query(on: app.db).filter(\.$username == username).first()!.requireID()
    }

    func actor(_ username: String) async throws -> Actor {
        try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == username).first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
    }

    var desk: CheckInDesk { CheckInDesk(db: app.db, services: app.platform) }

    func subject(as username: String = "demo.county1") async throws -> CheckInSubject {
        try await XCTUnwrapAsync(try await EventCheckIns().subject(event.requireID(), actor: actor(username), on: app.db))
    }

    func XCTUnwrapAsync<T>(_ value: T?) throws -> T { try XCTUnwrap(value) }

    func expectNotNil<T>(_ value: T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(value, message, file: file, line: line)
    }

    /// `XXXX-XXXX` as printed beside the QR code.
    func printed(_ canonical: String) -> String { CheckInCode.parse(canonical)!.description }
}

/// `CheckInDesk`: a code accepted once per session, repeats with the first time, walk-ins, the count,
/// the bounds on a phone's scan time; the same on SQLite and PostgreSQL (DATABASE_URL).
final class EvCheckInDeskTests: CheckInTestCase {
    func testACodeIsAcceptedOnceAndARepeatAnswersTheFirstTime() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let first = clock.now
        let accepted = try await desk.checkIn(.init(code: codes[0].lowercased()), kind: EventCheckIns(), subject: subject, actor: staff)
        guard case .accepted(let at, _, let name) = accepted else { return XCTFail("\(accepted)") }
        XCTAssertEqual(at, first)
        XCTAssertEqual(name, "王橡胶")
        XCTAssertEqual(accepted.message, "签到成功 · 王橡胶")

        clock.advance(minutes: 20)
        let again = try await desk.checkIn(.init(code: printed(codes[0])), kind: EventCheckIns(), subject: subject, actor: staff)
        XCTAssertEqual(again.value, "repeated")
        guard case .repeated(let firstAt, _, _) = again else { return XCTFail("\(again)") }
        XCTAssertEqual(firstAt.timeIntervalSince1970, first.timeIntervalSince1970, accuracy: 0.001)
        XCTAssertEqual(again.message, "已于 \(CheckInDesk.clock(first)) 签到 · 王橡胶")

        // Another session of the same event takes the same code once more.
        let morning = try sessions[0].requireID().uuidString
        let session = try await desk.checkIn(
            .init(code: codes[0], sessionKey: morning), kind: EventCheckIns(), subject: subject, actor: staff)
        XCTAssertEqual(session.value, "accepted")
        expectEqual(try await desk.liveCount(subject, sessionKey: ""), 1)
        expectEqual(try await desk.liveCount(subject, sessionKey: morning), 1)
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 2)
        let audited = try await AuditEntry.query(on: app.db).filter(\.$entityType == "check_in").all()
        XCTAssertEqual(audited.count, 2)
        XCTAssertTrue(audited[0].summary.contains("王橡胶"), audited[0].summary)
        expectEqual(audited[0].actorID, try await userID("demo.county1").uuidString)
    }

    func testUnknownCodesOtherEventsCodesAndUnconfirmedRegistrationsAreNotCheckedIn() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let other = try await makeEvent(title: "白沙县科普日", organization: demo.county1)
        let otherCode = try await register("孙别处", status: .confirmed, to: other, sequence: 1)
        let outcomes = try await desk.checkIn(
            [.init(code: "not a code"), .init(code: otherCode), .init(code: waitlistedCode), .init(code: cancelledCode)],
            kind: EventCheckIns(), subject: subject, actor: staff)
        XCTAssertEqual(outcomes.map(\.value), ["unknown", "unknown", "not_admitted", "not_admitted"])
        XCTAssertEqual(outcomes[0].message, "无效签到码")
        XCTAssertEqual(outcomes[2].message, "赵候补的报名状态为“候补”，不能签到")
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 0)
    }

    func testConcurrentPostsOfTheSameCodeAcceptExactlyOne() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let desk = self.desk
        let code = codes[1]
        let outcomes = try await withThrowingTaskGroup(of: CheckInDesk.Outcome.self) { group in
            for _ in 0..<24 {
                group.addTask { try await desk.checkIn(.init(code: code), kind: EventCheckIns(), subject: subject, actor: staff) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(outcomes.filter { $0.value == "accepted" }.count, 1)
        XCTAssertEqual(outcomes.filter { $0.value == "repeated" }.count, 23)
        expectEqual(try await CheckInRecord.query(on: app.db).count(), 1)
        expectEqual(try await desk.liveCount(subject, sessionKey: ""), 1)
    }

    func testABatchAnswersEachScanInOrderAndADuplicateInsideItIsARepeat() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let outcomes = try await desk.checkIn(
            [.init(code: codes[0]), .init(code: codes[1]), .init(code: printed(codes[0])), .init(code: "XXXX")],
            kind: EventCheckIns(), subject: subject, actor: staff)
        XCTAssertEqual(outcomes.map(\.value), ["accepted", "accepted", "repeated", "unknown"])
        expectEqual(try await desk.liveCount(subject, sessionKey: ""), 2)
        let tooMany = (0...CheckInDesk.maximumBatch).map { _ in CheckInDesk.Scan(code: codes[2]) }
        do {
            _ = try await desk.checkIn(tooMany, kind: EventCheckIns(), subject: subject, actor: staff)
            XCTFail("201 scans were taken")
        } catch let error as PlatformError {
            XCTAssertEqual(error.code, "platform.invalid_input")
        }
        do {
            _ = try await desk.checkIn(
                [.init(code: codes[2], sessionKey: UUID().uuidString)], kind: EventCheckIns(), subject: subject, actor: staff)
            XCTFail("a session of no event was taken")
        } catch let error as PlatformError {
            XCTAssertEqual(error.field, "session")
        }
    }

    func testAScanSentLaterKeepsItsTimeWithinBounds() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let now = clock.now
        let outcomes = try await desk.checkIn(
            [
                .init(code: codes[0], scannedAt: now.addingTimeInterval(-2 * 3600)),
                .init(code: codes[1], scannedAt: now.addingTimeInterval(3600)),
                .init(code: codes[2], scannedAt: now.addingTimeInterval(-8 * 86_400)),
            ], kind: EventCheckIns(), subject: subject, actor: staff)
        XCTAssertEqual(outcomes.map(\.value), ["accepted", "accepted", "too_old"])
        guard case .accepted(let earlier, _, _) = outcomes[0], case .accepted(let future, _, _) = outcomes[1] else { return XCTFail() }
        XCTAssertEqual(earlier, now.addingTimeInterval(-2 * 3600), "an offline scan keeps the time it was scanned")
        XCTAssertEqual(future, now, "a phone ahead of the server is taken as now")
        let stored = try await CheckInRecord.query(on: app.db).filter(\.$code == codes[0]).first()
        XCTAssertEqual(
            stored?.scannedAt?.timeIntervalSince1970 ?? 0, now.addingTimeInterval(-2 * 3600).timeIntervalSince1970, accuracy: 0.001)
        XCTAssertEqual(stored?.recordedAt.timeIntervalSince1970 ?? 0, now.timeIntervalSince1970, accuracy: 0.001)
    }

    func testAWalkInIsRecordedWithItsPhoneSealedAndCounted() async throws {
        let subject = try await subject()
        let staff = try await actor("demo.county1")
        let afternoon = try sessions[1].requireID().uuidString
        let record = try await desk.walkIn(
            .init(name: " 周来宾 ", phone: "13800138000", unit: "青石县第一中学", sessionKey: afternoon), subject: subject, actor: staff)
        XCTAssertNil(record.code)
        XCTAssertEqual(record.name, "周来宾")
        XCTAssertTrue(record.phoneCipher?.hasPrefix("v1:") ?? false)
        XCTAssertFalse(record.phoneCipher?.contains("13800138000") ?? true)
        XCTAssertEqual(desk.phone(of: record), "13800138000")
        // Two walk-ins have no code: the unique key does not hold them back.
        try await desk.walkIn(.init(name: "吴来宾", phone: "", unit: "", sessionKey: afternoon), subject: subject, actor: staff)
        expectEqual(try await desk.liveCount(subject, sessionKey: afternoon), 2)
        expectEqual(try await desk.liveCount(subject, sessionKey: ""), 0)
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "check_in").all()
        XCTAssertEqual(audit.count, 2)
        XCTAssertFalse(audit.contains { $0.summary.contains("13800138000") }, "the phone never reaches the audit log")

        let refused = CheckInDesk.problems(.init(name: "", phone: "12345", unit: "", sessionKey: "nope"), subject: subject)
        XCTAssertEqual(refused["name"], "请填写姓名")
        XCTAssertEqual(refused["phone"], "手机号码应为 11 位数字，以 1 开头")
        XCTAssertEqual(refused["session"], "没有这个场次")
    }

    func testWhoMayCheckInIsThePermissionInTheOrganizersOrACoOrganizersSubtree() async throws {
        let id = try event.requireID()
        expectNotNil(try await EventCheckIns().subject(id, actor: actor("demo.orgadmin"), on: app.db), "the province above")
        expectNotNil(try await EventCheckIns().subject(id, actor: actor("demo.staff"), on: app.db), "province staff")
        let outside = try await EventCheckIns().subject(id, actor: actor("demo.county2"), on: app.db)
        XCTAssertNil(outside, "another county: not found")
        try await EventCoOrganizer(eventID: id, organizationID: demo.county2.requireID()).create(on: app.db)
        expectNotNil(try await EventCheckIns().subject(id, actor: actor("demo.county2"), on: app.db), "a co-organizer")
        do {
            _ = try await EventCheckIns().subject(id, actor: actor("demo.member"), on: app.db)
            XCTFail("a member checked people in")
        } catch let error as PlatformError {
            XCTAssertEqual(error, .forbidden)
        }
        let subject = try await subject()
        XCTAssertEqual(subject.expected, 3)
        XCTAssertEqual(subject.sessions.map(\.label).first?.hasPrefix("上午 · 割胶技术（"), true)
    }
}
