import Fluent
import Foundation
import KexieApp
import XCTVapor
import Yams

@testable import Awards
@testable import Events
@testable import Innovation
@testable import Members
@testable import Plans
@testable import Platform
@testable import ServiceHall

/// Every error the API answers carries a stable code of its module's enum (`servicehall.tracking_number_unknown`).
/// Clients and tests rely on the code, so: codes are well formed and unique, each module lists its own,
/// the OpenAPI document names them all and each operation names the ones it can give, and code reacts
/// to an error's case or code, never to its wording.
final class ErrorCodeTests: DemoTestCase {
    private typealias Object = [String: Any]

    /// Every module's enum, named here rather than read from the module list, so a module that forgets to
    /// publish its codes fails below.
    private static let enums: [(module: String, codes: [ErrorCodeEntry])] = [
        ("platform", PlatformError.Code.catalog), ("members", MembersError.Code.catalog),
        ("servicehall", ServiceHallError.Code.catalog), ("plans", PlansError.Code.catalog),
        ("innovation", InnovationError.Code.catalog), ("events", EventsError.Code.catalog), ("awards", AwardsError.Code.catalog),
        ("review", ReviewError.Code.catalog),
    ]

    /// The review engine is its own module in Platform; its codes carry Platform's prefix.
    private static func prefix(_ module: String) -> String { module == "review" ? "platform" : module }

    private func document() async throws -> Object {
        let response = try await app.testable().sendRequest(.GET, "/api/openapi.yaml")
        return try XCTUnwrap(try Yams.load(yaml: response.body.string) as? Object)
    }

    private func documentedCodes(_ document: Object) -> [String] {
        let schema = (document["components"] as? Object)?["schemas"] as? Object
        let error = ((schema?["Error"] as? Object)?["properties"] as? Object)?["error"] as? Object
        let code = (error?["properties"] as? Object)?["code"] as? Object
        return code?["enum"] as? [String] ?? []
    }

    func testCodesAreWellFormedUniqueAndCarryTheirModulesName() throws {
        var seen: Set<String> = []
        for (module, codes) in Self.enums {
            XCTAssertFalse(codes.isEmpty, module)
            for entry in codes {
                XCTAssertNotNil(entry.code.wholeMatch(of: /[a-z]+\.[a-z_]+/), "\(entry.code) is not module.snake_case_reason")
                XCTAssertTrue(entry.code.hasPrefix(Self.prefix(module) + "."), "\(entry.code) is not named after \(module)")
                XCTAssertTrue(seen.insert(entry.code).inserted, "\(entry.code) is used twice")
                XCTAssertTrue((400..<600).contains(entry.status), "\(entry.code) answers \(entry.status)")
                XCTAssertFalse(entry.summary.isEmpty, "\(entry.code) has no summary")
            }
        }
        for module in try KexieApp.modules() {
            let own = Self.enums.first { $0.module == module.id }?.codes ?? []
            XCTAssertEqual(module.errorCodes, own, "\(module.id) publishes its enum's codes")
        }
    }

    func testTheOpenAPIDocumentListsEveryCodeOfEveryModule() async throws {
        let documented = documentedCodes(try await document())
        XCTAssertEqual(Set(documented).count, documented.count, "codes listed twice")
        for (_, codes) in Self.enums {
            for entry in codes {
                XCTAssertTrue(documented.contains(entry.code), "\(entry.code) is missing from the Error schema's code enum")
            }
        }
        XCTAssertEqual(Set(documented), Set(Self.enums.flatMap { $0.codes.map(\.code) }), "the enum lists codes no module has")
    }

    /// Each error response of each operation names the codes it may carry (`x-codes`), all of them
    /// codes that answer with that status.
    func testEveryErrorResponseNamesItsCodesUnderTheirStatus() async throws {
        let document = try await document()
        let status = Dictionary(uniqueKeysWithValues: Self.enums.flatMap(\.codes).map { ($0.code, $0.status) })
        let components = (document["components"] as? Object)?["responses"] as? Object ?? [:]
        var named: Set<String> = []
        for (path, item) in document["paths"] as? Object ?? [:] {
            for (method, operation) in item as? Object ?? [:] {
                guard let responses = (operation as? Object)?["responses"] as? Object else { continue }
                for (code, value) in responses where code.hasPrefix("4") {
                    var response = value as? Object ?? [:]
                    if let ref = response["$ref"] as? String {
                        response = components[String(ref.split(separator: "/").last ?? "")] as? Object ?? [:]
                    }
                    let codes = response["x-codes"] as? [String] ?? []
                    XCTAssertFalse(codes.isEmpty, "\(method) \(path) \(code) names no codes")
                    for listed in codes {
                        XCTAssertEqual(status[listed], Int(code), "\(method) \(path) lists \(listed) under \(code)")
                        named.insert(listed)
                    }
                    for listed in codes where !listed.hasPrefix("platform.") {
                        XCTAssertTrue(
                            (response["description"] as? String ?? "").contains(listed), "\(method) \(path) \(code) describes \(listed)")
                    }
                }
            }
        }
        for expected in [
            "servicehall.tracking_number_unknown", "servicehall.tracking_number_malformed", "members.invalid_profile",
            "innovation.docking_already_open", "plans.document_unreadable", "platform.workflow_not_permitted",
        ] {
            XCTAssertTrue(named.contains(expected), "no operation names \(expected)")
        }
    }

    // MARK: The API answers with the codes

    private func get(_ path: String) async throws -> (HTTPStatus, APIErrorBody.Detail?) {
        let response = try await app.testable().sendRequest(.GET, path)
        return (response.status, try? response.content.decode(APIErrorBody.self).error)
    }

    func testAWellFormedTrackingNumberThatDoesNotExistIsUnknownAndAMalformedOneIsRefused() async throws {
        // KX-2222-2222-2222 has a valid check symbol; no case has it.
        let (unknownStatus, unknown) = try await get("/api/v1/cases/track/KX-2222-2222-2222")
        XCTAssertEqual(unknownStatus, .notFound)
        XCTAssertEqual(unknown?.code, "servicehall.tracking_number_unknown")
        XCTAssertEqual(unknown?.field, "code")
        let (shortStatus, short) = try await get("/api/v1/cases/track/KX-2222")
        XCTAssertEqual(shortStatus, .unprocessableEntity)
        XCTAssertEqual(short?.code, "servicehall.tracking_number_malformed")
        let (checksumStatus, checksum) = try await get("/api/v1/cases/track/KX-2222-2222-2223")
        XCTAssertEqual(checksumStatus, .unprocessableEntity)
        XCTAssertEqual(checksum?.code, "servicehall.tracking_number_malformed")
        let (routeStatus, route) = try await get("/api/v1/no-such-thing")
        XCTAssertEqual(routeStatus, .notFound)
        XCTAssertEqual(route?.code, "platform.not_found")
    }

    func testAWorkflowStepTheStateDoesNotAllowAnswersWithTheWorkflowCode() async throws {
        let submitted = try await app.testable().sendRequest(
            .POST, "/api/v1/cases", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(
                string:
                    #"{"type": "suggestion", "title": "建议开放实验室", "content": "建议推动高校实验室向中小企业开放共享。", "contactName": "王五", "contactPhone": "13700003333"}"#
            ))
        XCTAssertEqual(submitted.status, .created, submitted.body.string)
        let found = try await ServiceCase.query(on: app.db).first()
        let record = try XCTUnwrap(found)
        let orgadmin = try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()
        let user = try XCTUnwrap(orgadmin)
        let token = try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "t", expiresInDays: 1)
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.bearerAuthorization = .init(token: token.token)
        let answered = try await app.testable().sendRequest(
            .POST, "/api/v1/cases/\(try record.requireID())/transitions", headers: headers,
            body: ByteBuffer(string: #"{"action": "answer", "comment": "已答复"}"#))
        XCTAssertEqual(answered.status, .unprocessableEntity, answered.body.string)
        let error = try answered.content.decode(APIErrorBody.self).error
        XCTAssertEqual(error.code, "platform.workflow_invalid_state")
        XCTAssertEqual(error.field, "action")
    }

    /// Vapor refuses the body while reading it (the in-memory tester hands it over whole, so this runs
    /// a server); the refusal still carries the platform's code.
    func testABodyOverTheLimitAnswersPayloadTooLarge() async throws {
        let big = String(repeating: "科", count: (2 << 20) / 3 + 100)
        let response = try await app.testable(method: .running(port: 0)).sendRequest(
            .POST, "/api/v1/cases", headers: ["Content-Type": "application/json"],
            body: ByteBuffer(string: #"{"type": "suggestion", "title": "\#(big)"}"#))
        XCTAssertEqual(response.status, .payloadTooLarge)
        XCTAssertEqual(try response.content.decode(APIErrorBody.self).error.code, "platform.payload_too_large")
    }

    /// "No code branches on message text": errors are told apart by case or code. A comparison with an
    /// error's wording would break the day the wording improves.
    func testNoSourceBranchesOnAnErrorsWording() throws {
        let sources = URL(fileURLWithPath: TestApp.packageRoot).appendingPathComponent("Sources")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        let pattern =
            /(message|reason|localizedDescription)\??\.(contains|hasPrefix|hasSuffix|range)\(|(message|reason|localizedDescription) *[!=]= *"/
        var offenders: [String] = []
        for case let url as URL in enumerator where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains(pattern) {
                offenders.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertEqual(offenders, [])
    }
}
