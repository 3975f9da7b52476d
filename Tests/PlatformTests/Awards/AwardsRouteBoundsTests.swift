import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Awards
@testable import Platform

/// Every route Awards adds, asked with a huge body, a huge page number and someone else's id: each is
/// refused before anything is read or written.
final class AwardsRouteBoundsTests: AwardsTestCase {
    private func send(_ method: HTTPMethod, _ path: String, bytes: Int, json: Bool, token: String? = nil) async throws -> HTTPStatus {
        var headers: HTTPHeaders = ["Content-Type": json ? "application/json" : "application/x-www-form-urlencoded"]
        if let token { headers.bearerAuthorization = .init(token: token) }
        let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: bytes)
        return try await app.testable().sendRequest(method, path, headers: headers, body: body).status
    }

    func testThirtyMegabyteBodiesAreRefusedBeforeTheyAreRead() async throws {
        let id = try await program()
        let (_, body) = try await apply(id, try await person("林雨桐", born: "1990-06"))
        let application = object(body)["id"] as? String ?? ""
        let thirty = 30 << 20
        let token = try await token("demo.orgadmin")
        var statuses: [String: HTTPStatus] = [:]
        for path in [
            "/api/v1/award-programs", "/api/v1/award-programs/\(id)/applications", "/api/v1/nominations",
            "/api/v1/award-applications/\(application)/check",
        ] {
            statuses[path] = try await send(.POST, path, bytes: thirty, json: true, token: token)
        }
        for path in [
            "/awards/new", "/awards/\(id)/apply", "/awards/\(id)/actions", "/award-applications/\(application)/nominate",
            "/award-applications/\(application)/check", "/award-applications/\(application)/resubmit",
            "/award-applications/\(application)/support",
        ] {
            statuses[path] = try await send(.POST, path, bytes: thirty, json: false)
        }
        // Materials take ten files of 10 MB: a body past that limit is refused unread too.
        statuses["materials"] = try await send(.POST, "/award-applications/\(application)/materials", bytes: 110 << 20, json: false)
        XCTAssertEqual(Set(statuses.values), [.payloadTooLarge], "\(statuses)")
        XCTAssertEqual(statuses.count, 12)
    }

    func testAHugePageOrPerIsRefusedByName() async throws {
        let id = try await program()
        let (api, body) = try await call(.GET, "/api/v1/award-programs?page=9223372036854775808", as: "demo.orgadmin")
        XCTAssertEqual(api, .unprocessableEntity)
        XCTAssertEqual(error(body)["field"] as? String, "page")
        let (per, perBody) = try await call(.GET, "/api/v1/award-programs/\(id)/applications?per=100000", as: "demo.orgadmin")
        XCTAssertEqual(per, .unprocessableEntity)
        XCTAssertEqual(error(perBody)["field"] as? String, "per")
        let admin = try await loggedIn("demo.orgadmin")
        var pages: [HTTPStatus] = []
        for path in ["/awards", "/awards/manage", "/awards/\(id)/manage", "/awards/channels"] {
            pages.append(try await admin.get(path + "?page=9223372036854775808").status)
        }
        XCTAssertEqual(pages, [.unprocessableEntity, .unprocessableEntity, .unprocessableEntity, .unprocessableEntity])
    }

    func testAMemberAnEnterpriseAndAnotherCountyAskingByIdAreRefused() async throws {
        let id = try await program()
        let (_, body) = try await apply(id, try await person("林雨桐", born: "1990-06"))
        let application = object(body)["id"] as? String ?? ""
        for username in ["demo.member", "demo.enterprise", "demo.county2"] {
            let browser = try await loggedIn(username)
            var statuses: [HTTPStatus] = []
            statuses.append(try await browser.get("/awards/\(id)/manage").status)
            statuses.append(try await browser.get("/award-applications/\(application)").status)
            statuses.append(try await browser.post("/awards/\(id)/actions", ["action": "close"]).status)
            statuses.append(try await browser.post("/award-applications/\(application)/check", ["decision": "pass"]).status)
            let (list, _) = try await call(.GET, "/api/v1/award-programs/\(id)/applications", as: username)
            let (check, _) = try await call(
                .POST, "/api/v1/award-applications/\(application)/check", as: username, json: #"{"decision": "pass"}"#)
            statuses += [list, check]
            XCTAssertTrue(statuses.allSatisfy { [.notFound, .forbidden].contains($0) }, "\(username): \(statuses)")
        }
        let stored = try await AwardApplication.find(UUID(uuidString: application), on: app.db)
        XCTAssertEqual(stored?.status, .submitted)
        let program = try await AwardProgram.find(id, on: app.db)
        XCTAssertEqual(program?.stage, .open)
        // Figures: members and enterprises hold no awards.manage; another county sees only its own subtree.
        let member = try await loggedIn("demo.member").get("/awards/figures").status
        let enterprise = try await loggedIn("demo.enterprise").get("/awards/figures").status
        XCTAssertEqual([member, enterprise], [.forbidden, .forbidden])
    }
}
