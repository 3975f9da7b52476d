import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// What `/api/openapi.yaml` rules out, the API refuses with a 422 naming the field — it does not ignore
/// the value, keep the old one or cut it short. Each case here was found by the contract test
/// (e2e/test_15_api_contract.py) before it was fixed.
final class APIRefusalTests: DemoTestCase {
    private var tokens: [String: String] = [:]

    private func call(_ method: HTTPMethod, _ path: String, as username: String, json: String? = nil) async throws -> (
        HTTPStatus, APIErrorBody.Detail?
    ) {
        if tokens[username] == nil {
            let user = try await User.query(on: app.db).filter(\.$username == username).first()!
            tokens[username] = try await TokenService(db: app.db, services: app.platform)
                .issue(userID: user.requireID(), name: "test", expiresInDays: nil).token
        }
        var headers: HTTPHeaders = [:]
        headers.bearerAuthorization = .init(token: tokens[username]!)
        if json != nil { headers.contentType = .json }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, try? response.content.decode(APIErrorBody.self).error)
    }

    private func expectRefused(
        _ method: HTTPMethod, _ path: String, as username: String = "demo.orgadmin", json: String? = nil, field: String,
        line: UInt = #line
    ) async throws {
        let (status, error) = try await call(method, path, as: username, json: json)
        XCTAssertEqual(status, .unprocessableEntity, "\(method) \(path)", line: line)
        XCTAssertEqual(error?.code, "platform.invalid_input", line: line)
        XCTAssertTrue(error?.field == field || error?.fields?[field] != nil, "\(String(describing: error)) names \(field)", line: line)
    }

    func testAnOrganizationUpdateRefusesAnUnknownKindInsteadOfKeepingTheOldOne() async throws {
        let id = try demo.county1.requireID()
        try await expectRefused(.PATCH, "/api/v1/organizations/\(id)", json: #"{"kind": "guild"}"#, field: "kind")
        try await expectRefused(.PATCH, "/api/v1/organizations/\(id)", json: #"{"level": "galaxy"}"#, field: "level")
        let stored = try await Organization.find(id, on: app.db)
        XCTAssertEqual(stored?.kind, .association)
        XCTAssertEqual(stored?.level, .county)
    }

    func testListParametersThatCannotBeReadAreRefusedNotIgnored() async throws {
        try await expectRefused(.GET, "/api/v1/organizations?per=", field: "per")
        try await expectRefused(.GET, "/api/v1/notifications?page=", field: "page")
        try await expectRefused(.GET, "/api/v1/people?sex=unknown", field: "sex")
        try await expectRefused(.GET, "/api/v1/people?verification=maybe", field: "verification")
        try await expectRefused(.GET, "/api/v1/people?org=not-an-id", field: "org")
        try await expectRefused(.GET, "/api/v1/people?discipline=999", field: "discipline")
        try await expectRefused(.GET, "/api/v1/experts?availability=sometimes", field: "availability")
        // A letter followed by other text was read as that letter's section.
        try await expectRefused(.GET, "/api/v1/supplies?industry=i%23", field: "industry")
        for accepted in ["C", "c36", "%E5%88%B6%E9%80%A0%E4%B8%9A"] {  // 制造业
            let (status, error) = try await call(.GET, "/api/v1/supplies?industry=\(accepted)", as: "demo.member")
            XCTAssertEqual(status, .ok, "\(accepted): \(String(describing: error))")
        }
    }

    func testAPersonBodyWithABadOrganizationIdOrAnOverLongFieldIsRefused() async throws {
        try await expectRefused(.POST, "/api/v1/people", json: #"{"name": "王芳", "organizationId": 5}"#, field: "organizationId")
        try await expectRefused(.POST, "/api/v1/people", json: #"{"name": "王芳", "organizationId": "x"}"#, field: "organizationId")
        let long = String(repeating: "长", count: 201)
        try await expectRefused(
            .POST, "/api/v1/people", json: #"{"name": "王芳", "researchDirection": "\#(long)"}"#, field: "researchDirection")
    }

    func testADemandWithAnUnknownOwnerKindIsRefusedAndWithoutOneIsAnEnterprises() async throws {
        let deadline = "2026-12-18"
        let body = """
            {"title": "胶园割胶用工短缺", "summary": "割胶用工紧张。", "indicators": "胶工效率提高一倍", "deadline": "\(deadline)",
             "ownerName": "云海绿源新材料有限公司", "region": "云海省东港市", "contactName": "李工", "contactPhone": "13800138001"
            """
        try await expectRefused(
            .POST, "/api/v1/demands", as: "demo.enterprise", json: body + #", "ownerKind": "alien"}"#, field: "ownerKind")
        let (created, error) = try await call(.POST, "/api/v1/demands", as: "demo.enterprise", json: body + "}")
        XCTAssertEqual(created, .created, String(describing: error))
    }

    /// Every module reads JSON bodies through `Request.jsonBody`: the same mistake gets the same answer
    /// whichever module's route it is sent to.
    func testEveryModuleAnswersAMistypedBodyAlikeNamingTheField() async throws {
        let county = try demo.county1.requireID()
        try await expectRefused(.PATCH, "/api/v1/organizations/\(county)", json: #"{"name": 7}"#, field: "name")
        try await expectRefused(.POST, "/api/v1/cases", json: #"{"type": "consultation", "title": ["x"]}"#, field: "title")
        try await expectRefused(.POST, "/api/v1/supplies", as: "demo.member", json: #"{"title": false}"#, field: "title")
        try await expectRefused(.POST, "/api/v1/events", json: #"{"title": "沙龙", "capacity": "many"}"#, field: "capacity")
        // Not JSON at all: refused with no field, never read as an empty object.
        for path in ["/api/v1/cases", "/api/v1/events", "/api/v1/supplies"] {
            let (status, error) = try await call(.POST, path, as: "demo.orgadmin", json: "{not json")
            XCTAssertEqual(status, .unprocessableEntity, path)
            XCTAssertEqual(error?.code, "platform.invalid_input", path)
            XCTAssertNil(error?.field, path)
        }
    }
}
