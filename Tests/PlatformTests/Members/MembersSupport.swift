import Fluent
import Foundation
import XCTVapor

@testable import Members
@testable import Platform

/// Test people with valid 身份证号 (GB 11643 check digit computed here, independently of KexieKit).
enum TestPeople {
    static func idNumber(birth: String, sequence: Int, area: String = "460100") -> String {
        let digits = area + birth.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return digits + String(Array("10X98765432")[sum % 11])
    }

    /// Names may not contain digits: 测试一二 for 12.
    static func testName(_ index: Int) -> String {
        "测试" + String(index).map { String(Array("零一二三四五六七八九")[Int(String($0))!]) }.joined()
    }

    /// A complete, valid profile form; `index` makes phone and ID unique.
    static func form(_ index: Int, name: String? = nil, changes: [String: String] = [:]) -> [String: String] {
        let male = index % 2 == 1
        let year = 1960 + index % 30
        let birth = String(format: "%04d-%02d-%02d", year, 1 + index % 12, 1 + index % 28)
        var fields = [
            "name": name ?? testName(index), "sex": male ? "男" : "女", "birthMonth": String(birth.prefix(7)), "ethnicity": "汉族",
            "politicalStatus": "群众", "education": "大学本科", "degree": "学士", "titleName": "高级工程师",
            "employer": "云海热带农业科学院", "province": "云海省", "city": "东港市", "county": "青石县", "discipline": "210", "industry": "A",
            "researchDirection": "天然橡胶加工", "phone": String(format: "139%08d", 10_000 + index), "email": "",
            "idNumber": idNumber(birth: birth, sequence: male ? 11 : 12),
        ]
        for (key, value) in changes { fields[key] = value }
        return fields
    }
}

extension DemoTestCase {
    func organization(_ name: String) async throws -> Organization {
        try await Organization.query(on: app.db).filter(\.$name == name).first().orThrow(Abort(.internalServerError))
    }

    /// Creates a person through the administrators' form and returns the stored record.
    @discardableResult
    func createPerson(
        _ browser: Browser, _ index: Int, name: String? = nil, organization: Organization? = nil,
        changes: [String: String] = [:]
    ) async throws -> Person {
        var form = TestPeople.form(index, name: name, changes: changes)
        if let organization { form["organizationID"] = try organization.requireID().uuidString }
        let response = try await browser.post("/people", form)
        XCTAssertEqual(response.status, .seeOther, String(response.body.string.prefix(2000)))
        let id = UUID(uuidString: String(response.location?.split(separator: "/").last?.split(separator: "?").first ?? ""))
        return try await Person.find(id, on: app.db).orThrow(Abort(.internalServerError))
    }

    func apiToken(_ username: String) async throws -> String {
        let user = try await User.query(on: app.db).filter(\.$username == username).first()!
        return try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "test", expiresInDays: nil)
            .token
    }

    func api(_ method: HTTPMethod, _ path: String, token: String, json: String? = nil) async throws -> XCTHTTPResponse {
        var headers: HTTPHeaders = [:]
        headers.bearerAuthorization = .init(token: token)
        if json != nil { headers.contentType = .json }
        return try await app.testable().sendRequest(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

// XCTest's assertions take autoclosures, which cannot await; these take plain values, so
// `expectEqual(try await query.count(), 0)` reads like the assertion it is.
func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual, expected, message, file: file, line: line)
}

func expectTrue(_ value: Bool, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertTrue(value, message, file: file, line: line)
}

func expectFalse(_ value: Bool, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(value, message, file: file, line: line)
}

func expectNil<T>(_ value: T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertNil(value, message, file: file, line: line)
}
