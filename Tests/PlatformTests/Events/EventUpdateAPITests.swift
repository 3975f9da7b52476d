import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// PATCH /api/v1/events/{id}: only the fields sent change; a published event keeps what people
/// registered for; the same checks as creating; who and where as for the edit page.
final class EventUpdateAPITests: EvregTestCase {
    static let draft = """
        {"title": "椰子加工技术培训班", "kind": "training", "level": "local", "startsAt": "2027-04-10T09:00:00+08:00",
         "endsAt": "2027-04-10T17:00:00+08:00", "venue": "青石县农技中心", "capacity": 60, "waitlist": true,
         "sessions": [{"title": "椰子深加工", "startsAt": "2027-04-10T09:00:00+08:00", "endsAt": "2027-04-10T12:00:00+08:00", "room": "一楼"}]}
        """

    func testADraftChangesOnlyWhatIsSentAndBadValuesAreRefusedTogether() async throws {
        let (created, body) = try await call(.POST, "/api/v1/events", as: "demo.staff", json: Self.draft)
        XCTAssertEqual(created, .created)
        let id = try XCTUnwrap(body["id"] as? String)
        let (changed, event) = try await call(
            .PATCH, "/api/v1/events/\(id)", as: "demo.staff", json: #"{"venue": "青石县科技馆", "capacity": 80}"#)
        XCTAssertEqual(changed, .ok, "\(event)")
        XCTAssertEqual(event["venue"] as? String, "青石县科技馆")
        XCTAssertEqual(event["title"] as? String, "椰子加工技术培训班")
        XCTAssertEqual(event["kind"] as? String, "training")
        let stored = try await Event.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(stored?.capacity, 80)
        XCTAssertEqual(stored?.waitlist, true)
        let sessions = try await EventSession.query(on: app.db).filter(\.$eventID == XCTUnwrap(UUID(uuidString: id))).all()
        XCTAssertEqual(sessions.map(\.title), ["椰子深加工"], "the programme stays when not sent")

        let (refused, error) = try await call(
            .PATCH, "/api/v1/events/\(id)", as: "demo.staff", json: #"{"capacity": 0, "onlineLink": "ftp://x", "kind": "party"}"#)
        XCTAssertEqual(refused, .unprocessableEntity)
        let fields = ((error["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:]
        XCTAssertEqual(fields.keys.sorted(), ["capacity", "kind", "onlineLink"])
        let unchanged = try await Event.find(UUID(uuidString: id), on: app.db)
        XCTAssertEqual(unchanged?.capacity, 80)
    }

    func testAPublishedEventKeepsWhatPeopleRegisteredForAndOutsidersCannotChangeIt() async throws {
        let event = try await makeEvent(capacity: 50, waitlist: false)
        let path = "/api/v1/events/\(try event.requireID())"
        // Staff of the organizer without the right to approve cannot change a published event.
        let (staff, staffBody) = try await call(.PATCH, path, as: "demo.staff", json: #"{"venue": "海城会展中心"}"#)
        XCTAssertEqual(staff, .conflict, "\(staffBody)")
        XCTAssertEqual(code(staffBody), "events.event_not_editable")
        // What people registered for is refused by name, not silently ignored.
        let (locked, lockedBody) = try await call(
            .PATCH, path, as: "demo.orgadmin", json: #"{"venue": "海城会展中心", "title": "另一个名称", "capacity": 5}"#)
        XCTAssertEqual(locked, .unprocessableEntity)
        XCTAssertEqual(
            (((lockedBody["error"] as? [String: Any])?["fields"] as? [String: String]) ?? [:]).keys.sorted(), ["capacity", "title"])
        let (empty, _) = try await call(.PATCH, path, as: "demo.orgadmin", json: #"{"registrationOpensAt": ""}"#)
        XCTAssertEqual(empty, .unprocessableEntity)
        let (admin, changed) = try await call(.PATCH, path, as: "demo.orgadmin", json: #"{"venue": "海城会展中心"}"#)
        XCTAssertEqual(admin, .ok, "\(changed)")
        XCTAssertEqual(changed["venue"] as? String, "海城会展中心")
        XCTAssertEqual(changed["title"] as? String, "热带农业前沿沙龙")
        let stored = try await Event.find(event.requireID(), on: app.db)
        XCTAssertEqual(stored?.capacity, 50)
        // Another county's administrator and a member: not theirs.
        let (county, _) = try await call(.PATCH, path, as: "demo.county1", json: #"{"venue": "青石县"}"#)
        XCTAssertTrue([.notFound, .forbidden].contains(county), "\(county)")
        let (member, _) = try await call(.PATCH, path, as: "demo.member", json: #"{"venue": "青石县"}"#)
        XCTAssertTrue([.notFound, .forbidden].contains(member), "\(member)")
        let after = try await Event.find(event.requireID(), on: app.db)
        XCTAssertEqual(after?.venue, "海城会展中心")
    }
}
