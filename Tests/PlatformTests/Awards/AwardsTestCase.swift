import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Awards
@testable import Platform

/// Shared set-up of the Awards route tests: API calls with bearer tokens, people with birth months, and
/// a province program with one channel (东港市科协, whose subtree holds 青石县).
class AwardsTestCase: ReviewTestCase {
    private var tokens: [String: String] = [:]

    func userID(_ username: String) async throws -> UUID {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else { throw Abort(.internalServerError) }
        return try user.requireID()
    }

    func token(_ username: String) async throws -> String {
        if let token = tokens[username] { return token }
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: userID(username), name: "test", expiresInDays: nil
        ).token
        tokens[username] = token
        return token
    }

    /// Calls the API as `username`; answers status and the JSON body (object or array).
    func call(_ method: HTTPMethod, _ path: String, as username: String, json: String? = nil) async throws -> (HTTPStatus, Any?) {
        var headers: HTTPHeaders = ["X-Forwarded-For": "10.2.0.1"]
        headers.bearerAuthorization = .init(token: try await token(username))
        if json != nil { headers.contentType = .json }
        let response = try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, try? JSONSerialization.jsonObject(with: Data(buffer: response.body)))
    }

    func object(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
    func error(_ value: Any?) -> [String: Any] { object(value)["error"] as? [String: Any] ?? [:] }

    /// A person of `organization` (default 青石县) born in `birthMonth`, optionally linked to an account.
    @discardableResult
    func person(
        _ name: String, born birthMonth: String, sex: String = "male", organization: Organization? = nil, user: String? = nil,
        employer: String = "云海大学"
    ) async throws -> Person {
        let person = Person()
        person.organizationID = try (organization ?? demo.county1).requireID()
        person.name = name
        person.sex = sex
        person.birthMonth = birthMonth
        person.degree = "doctor"
        person.titleLevel = "associate_senior"
        person.employer = employer
        person.province = "云海省"
        person.city = "东港市"
        person.disciplineCode = "210"
        person.phoneCipher = "sealed"
        person.phoneLookup = UUID().uuidString
        person.verification = "unverified"
        if let user { person.userID = try await userID(user) }
        try await person.create(on: app.db)
        return person
    }

    /// 云海省青年科技奖 of the province: under 40 on 2026-05-31, applications 2026-11-01 … 2026-11-30
    /// (the test clock is 2026-11-18), one channel 东港市科协 with `quota`.
    func program(quota: Int = 2, extra: String = "") async throws -> UUID {
        let city = try demo.city1.requireID()
        let (status, body) = try await call(
            .POST, "/api/v1/award-programs", as: "demo.orgadmin",
            json: """
                {"name": "2026年度云海省青年科技奖", "year": 2026, "kind": "award", "maxAge": 40, "ageReferenceDate": "2026-05-31",
                 "applyOpensOn": "2026-11-01", "applyClosesOn": "2026-11-30", "nominateClosesOn": "2026-12-10",
                 "checkClosesOn": "2026-12-20", "reviewClosesOn": "2027-01-20", "laureateCount": 2\(extra),
                 "channels": [{"organizationId": "\(city)", "quota": \(quota), "kind": "city"}]}
                """)
        XCTAssertEqual(status, .created, "\(String(describing: body))")
        guard let id = UUID(uuidString: object(body)["id"] as? String ?? "") else { throw Abort(.internalServerError) }
        return id
    }

    /// Applies for `person` through the API as `username`; status and body.
    func apply(_ programID: UUID, _ person: Person, as username: String = "demo.orgadmin") async throws -> (HTTPStatus, Any?) {
        try await call(
            .POST, "/api/v1/award-programs/\(programID)/applications", as: username,
            json: #"{"personId": "\#(try person.requireID())", "summary": "长期从事橡胶树抗寒育种研究，培育新品种三个，推广面积十二万亩。"}"#)
    }
}
