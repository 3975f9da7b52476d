import Fluent
import Foundation
import XCTVapor

@testable import Platform

final class APITests: DemoTestCase {

    private func token(_ username: String, days: Int? = nil) async throws -> String {
        let user = try await User.query(on: app.db).filter(\.$username == username).first()!
        return try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "test", expiresInDays: days)
            .token
    }

    private func call(_ method: HTTPMethod, _ path: String, token: String?, json: String? = nil) async throws -> XCTHTTPResponse {
        var headers: HTTPHeaders = [:]
        if let token { headers.bearerAuthorization = .init(token: token) }
        if json != nil { headers.contentType = .json }
        return try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    func testBearerTokenAuthenticatesAndErrorsAreStructuredChinese() async throws {
        let anonymous = try await call(.GET, "/api/v1/me", token: nil)
        XCTAssertEqual(anonymous.status, .unauthorized)
        let error = try anonymous.content.decode(APIErrorBody.self)
        XCTAssertEqual(error.error.code, "platform.unauthenticated")
        XCTAssertEqual(error.error.message, "请先登录")
        let bogus = try await call(.GET, "/api/v1/me", token: "kx_nope")
        XCTAssertEqual(try bogus.content.decode(APIErrorBody.self).error.code, "platform.token_invalid")

        let token = try await token("demo.county1")
        let me = try await call(.GET, "/api/v1/me", token: token)
        XCTAssertEqual(me.status, .ok)
        let dto = try me.content.decode(MeDTO.self)
        XCTAssertEqual(dto.username, "demo.county1")
        XCTAssertEqual(dto.actingOrganizationID, demo.county1.id)
        XCTAssertTrue(dto.permissions.contains("platform.orgs.write"))
        let stored = try await APIToken.query(on: app.db).all()
        XCTAssertFalse(stored.contains { $0.tokenHash == token }, "only the hash is stored")
    }

    func testExpiredAndRevokedTokensAreRefused() async throws {
        let shortLived = try await token("demo.staff", days: 1)
        clock.advance(minutes: 24 * 60 + 1)
        let expired = try await call(.GET, "/api/v1/me", token: shortLived)
        XCTAssertEqual(expired.status, .unauthorized)

        let browser = Browser(app)
        try await browser.login("demo.staff", demo.accounts["demo.staff"]!)
        let created = try await browser.post("/account/tokens", ["name": "同步脚本", "expiresInDays": "30"])
        let html = created.body.string
        guard let range = html.range(of: "id=\"new-token\">") else { return XCTFail("token not shown once") }
        let token = String(html[range.upperBound...].prefix { $0 != "<" })
        let works = try await call(.GET, "/api/v1/me", token: token)
        XCTAssertEqual(works.status, .ok)
        let record = try await APIToken.query(on: app.db).filter(\.$name == "同步脚本").first()!
        let revoked = try await browser.post("/account/tokens/\(try record.requireID())/revoke", [:])
        XCTAssertEqual(revoked.status, .seeOther)
        let refused = try await call(.GET, "/api/v1/me", token: token)
        XCTAssertEqual(refused.status, .unauthorized)
    }

    func testTheAPIKeepsTheSameScopeAndValidationAsThePages() async throws {
        let token = try await token("demo.county1")
        let list = try await call(.GET, "/api/v1/organizations", token: token)
        let page = try list.content.decode(PageDTO<OrganizationDTO>.self)
        XCTAssertEqual(page.total, 2, "the county and its rural association")
        let other = try demo.county2.requireID()
        let read = try await call(.GET, "/api/v1/organizations/\(other)", token: token)
        XCTAssertEqual(read.status, .notFound)
        XCTAssertEqual(try read.content.decode(APIErrorBody.self).error.code, "platform.not_found")
        let patch = try await call(.PATCH, "/api/v1/organizations/\(other)", token: token, json: #"{"name":"被改名"}"#)
        XCTAssertEqual(patch.status, .notFound)
        let delete = try await call(.DELETE, "/api/v1/organizations/\(other)", token: token)
        XCTAssertEqual(delete.status, .notFound)
        let untouched = try await Organization.find(other, on: app.db)
        XCTAssertEqual(untouched?.name, "白沙县科学技术协会")
        XCTAssertEqual(untouched?.isActive, true)

        let own = try demo.county1.requireID()
        let invalid = try await call(
            .POST, "/api/v1/organizations", token: token, json: #"{"name":"","kind":"society","parentID":"\#(own)"}"#)
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        let body = try invalid.content.decode(APIErrorBody.self)
        XCTAssertEqual(body.error.code, "platform.invalid_input")
        XCTAssertEqual(body.error.message, "请填写组织名称（不超过 100 个字）")
        XCTAssertEqual(body.error.field, "name", "a refusal names the field it is about")
        let created = try await call(
            .POST, "/api/v1/organizations", token: token, json: #"{"name":"青石县农学会","kind":"society","parentID":"\#(own)"}"#)
        XCTAssertEqual(created.status, .created)
        XCTAssertEqual(try created.content.decode(OrganizationDTO.self).parentID, own)
        let malformed = try await call(.POST, "/api/v1/organizations", token: token, json: "{not json")
        XCTAssertEqual(malformed.status, .unprocessableEntity)
        let unknown = try await call(.GET, "/api/v1/nothing-here", token: token)
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertEqual(try unknown.content.decode(APIErrorBody.self).error.code, "platform.not_found")
    }

    func testTheOpenAPIDocumentDescribesEveryAPIRoute() async throws {
        let response = try await app.testable().sendRequest(.GET, "/api/openapi.yaml")
        XCTAssertEqual(response.status, .ok)
        let document = response.body.string
        XCTAssertTrue(document.hasPrefix("openapi: 3.1.0"))
        for route in app.routes.all {
            let parts = route.path.map { "\($0)" }
            guard parts.starts(with: ["api", "v1"]), !parts.contains("**") else { continue }
            let path = "/" + parts.dropFirst(2).map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : $0 }.joined(separator: "/")
            XCTAssertTrue(document.contains("\n  \(path):"), "\(route.method) \(path) is missing from openapi.yaml")
            XCTAssertTrue(document.contains("\(route.method.rawValue.lowercased()):"), "\(route.method) \(path)")
        }
    }

    func testHealthAndReadiness() async throws {
        let health = try await app.testable().sendRequest(.GET, "/healthz")
        XCTAssertEqual(health.body.string, "ok")
        let ready = try await app.testable().sendRequest(.GET, "/readyz")
        XCTAssertEqual(ready.status, .ok)
        XCTAssertEqual(ready.body.string, "ready")
    }
}

final class MigrationTests: XCTestCase {
    func testMigrationsRevertAndReapplyCleanly() async throws {
        let (app, _) = try await TestApp.make()
        do {
            try await app.autoRevert()
            try await app.autoMigrate()
            try await app.autoRevert()
            try await app.autoMigrate()
            let count = try await Organization.query(on: app.db).count()
            XCTAssertEqual(count, 0)
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
