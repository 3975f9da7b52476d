import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// The routes added with events' questions, visitor cancellation, PATCH, evaluation and the yearly
/// record: a huge number, a huge body and someone else's id are each refused.
final class EventRouteBoundsTests: EvregTestCase {
    private func send(_ method: HTTPMethod, _ path: String, bytes: Int, json: Bool, token: String? = nil) async throws -> HTTPStatus {
        var headers: HTTPHeaders = ["Content-Type": json ? "application/json" : "application/x-www-form-urlencoded"]
        if let token { headers.bearerAuthorization = .init(token: token) }
        let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes)
        return try await app.testable().sendRequest(method, path, headers: headers, body: body).status
    }

    func testThirtyMegabyteBodiesAreRefusedBeforeTheyAreRead() async throws {
        let event = try await makeEvent(capacity: 10, waitlist: false)
        let id = try event.requireID()
        let thirty = 30 << 20
        let token = try await token("demo.orgadmin")
        expectEqual(try await send(.PATCH, "/api/v1/events/\(id)", bytes: thirty, json: true, token: token), .payloadTooLarge)
        expectEqual(try await send(.POST, "/api/v1/events/\(id)/registrations", bytes: thirty, json: true, token: token), .payloadTooLarge)
        expectEqual(try await send(.POST, "/events/cancel-registration", bytes: thirty, json: false), .payloadTooLarge)
        expectEqual(try await send(.POST, "/events/\(id)/register", bytes: thirty, json: false), .payloadTooLarge)
        expectEqual(try await send(.POST, "/events/\(id)/evaluate", bytes: thirty, json: false), .payloadTooLarge)
    }

    func testTheYearlyRecordRefusesAHugePageAndOthersSubtrees() async throws {
        let province = try demo.province.requireID()
        let admin = try await loggedIn("demo.orgadmin")
        expectEqual(try await admin.get("/organizations/\(province)/events/record?page=9223372036854775808").status, .unprocessableEntity)
        expectEqual(try await admin.get("/organizations/\(province)/events/record").status, .ok)
        // Another county's administrator asking for the province's record by id, a member, an enterprise.
        let county = try await loggedIn("demo.county1")
        let countyStatus = try await county.get("/organizations/\(province)/events/record").status
        XCTAssertTrue([.notFound, .forbidden].contains(countyStatus), "\(countyStatus)")
        for username in ["demo.member", "demo.enterprise"] {
            let browser = try await loggedIn(username)
            let status = try await browser.get("/organizations/\(province)/events/record").status
            XCTAssertTrue([.notFound, .forbidden].contains(status), "\(username): \(status)")
        }
    }

    func testAMemberAndAnEnterpriseCannotChangeAnEventOrReadItsRegistrations() async throws {
        let event = try await makeEvent(capacity: 10, waitlist: false)
        let id = try event.requireID()
        for username in ["demo.member", "demo.enterprise", "demo.county1"] {
            let (patch, _) = try await call(.PATCH, "/api/v1/events/\(id)", as: username, json: #"{"venue": "别处"}"#)
            XCTAssertTrue([.notFound, .forbidden].contains(patch), "\(username) PATCH: \(patch)")
            let (list, _) = try await call(.GET, "/api/v1/events/\(id)/registrations", as: username)
            XCTAssertTrue([.notFound, .forbidden].contains(list), "\(username) list: \(list)")
        }
        let stored = try await Event.find(id, on: app.db)
        XCTAssertEqual(stored?.venue, "云海省科技会堂 301")
    }
}
