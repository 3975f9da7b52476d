import Foundation
import XCTVapor

@testable import Platform

final class MethodNotAllowedTests: KexieTestCase {
    private func send(_ method: HTTPMethod, _ path: String) async throws -> XCTHTTPResponse {
        try await app.testable().sendRequest(method, path, headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{}"))
    }

    func testAnUnservedMethodOnAKnownAPIPathAnswers405WithAllowAndTheJSONError() async throws {
        let response = try await send(.DELETE, "/api/v1/cases")
        XCTAssertEqual(response.status, .methodNotAllowed)
        XCTAssertEqual(response.headers.first(name: "Allow"), "GET, POST, HEAD, OPTIONS")
        let body = try response.content.decode(APIErrorBody.self)
        XCTAssertEqual(body.error.code, "platform.method_not_allowed")
        XCTAssertTrue(body.error.message.contains("DELETE"), body.error.message)

        let withParameter = try await send(.PUT, "/api/v1/organizations/\(UUID())")
        XCTAssertEqual(withParameter.status, .methodNotAllowed)
        XCTAssertEqual(withParameter.headers.first(name: "Allow"), "GET, PATCH, DELETE, HEAD, OPTIONS")
    }

    func testTheMethodCheckComesBeforeAuthentication() async throws {
        // Without a token: the path exists, the method does not — that is what the client must fix.
        let response = try await send(.PATCH, "/api/v1/me")
        XCTAssertEqual(response.status, .methodNotAllowed)
        XCTAssertEqual(response.headers.first(name: "Allow"), "GET, HEAD, OPTIONS")
    }

    func testOptionsListsTheMethodsWithoutABody() async throws {
        let response = try await send(.OPTIONS, "/api/v1/supplies")
        XCTAssertEqual(response.status, .noContent)
        XCTAssertEqual(response.headers.first(name: "Allow"), "GET, POST, HEAD, OPTIONS")
    }

    func testServedMethodsAndUnknownPathsKeepTheirAnswers() async throws {
        let served = try await send(.GET, "/api/v1/me")
        XCTAssertEqual(served.status, .unauthorized)
        // A parameter of one method's route is not mistaken for another route's constant.
        let routed = try await send(.POST, "/api/v1/cases/track/transitions")
        XCTAssertEqual(routed.status, .unauthorized, "POST /cases/{id}/transitions is served (and needs a token)")
        for method in [HTTPMethod.GET, .POST, .DELETE] {
            let unknown = try await send(method, "/api/v1/nothing-here")
            XCTAssertEqual(unknown.status, .notFound, "\(method)")
            XCTAssertEqual(try unknown.content.decode(APIErrorBody.self).error.code, "platform.not_found", "\(method)")
        }
        let page = try await send(.DELETE, "/login")
        XCTAssertNotEqual(page.status, .methodNotAllowed, "web pages are outside /api/v1")
    }
}
