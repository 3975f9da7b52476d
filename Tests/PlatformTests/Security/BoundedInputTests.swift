import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Plans
@testable import Platform

/// Bounded input: archives that lie about their size, bodies over a route's limit, rate limits, and
/// the pure rules behind redirects and client addresses.
final class BoundedInputTests: DemoTestCase {

    /// A .docx whose document part claims 2 KiB in both ZIP headers but inflates to 256 MiB.
    static func docxBomb() throws -> Data { try lyingArchive(path: "word/document.xml") }

    /// An archive whose part at `path` claims 2 KiB in both ZIP headers but inflates to 256 MiB.
    static func lyingArchive(path: String) throws -> Data {
        let parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array("<Types/>".utf8)), (path, [UInt8](repeating: 0x20, count: 256 << 20)),
        ]
        var bytes = Array(try XLSXWriter.zip(parts))
        let name = Array(path.utf8)
        func write(_ value: UInt32, at offset: Int) {
            for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
        }
        func header(_ signature: [UInt8], nameAt: Int) -> Int? {
            for start in 0..<(bytes.count - nameAt - name.count) where bytes[start..<(start + 4)].elementsEqual(signature) {
                let nameRange = (start + nameAt)..<(start + nameAt + name.count)
                if bytes[nameRange].elementsEqual(name) { return start }
            }
            return nil
        }
        guard let local = header([0x50, 0x4B, 0x03, 0x04], nameAt: 30), let central = header([0x50, 0x4B, 0x01, 0x02], nameAt: 46) else {
            throw Abort(.internalServerError, reason: "bomb headers not found")
        }
        write(2_048, at: local + 22)
        write(2_048, at: central + 24)
        return Data(bytes)
    }

    func testALyingDocxIsRefusedAtOnceByThePlanParser() async throws {
        let bomb = try Self.docxBomb()
        XCTAssertLessThan(bomb.count, 1 << 20, "the bomb is small on the wire")
        let user = try await User.query(on: app.db).filter(\User.$username == "demo.orgadmin").first()!
        let token = try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "t", expiresInDays: 1)
            .token
        var body = Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.docx\"\r\n\r\n".utf8)
        body.append(bomb)
        body.append(Data("\r\n--b--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=b"]
        headers.bearerAuthorization = .init(token: token)
        let started = Date()
        let response = try await app.testable().sendRequest(.POST, "/api/v1/plans/parse", headers: headers, body: ByteBuffer(data: body))
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertEqual(try response.content.decode(APIErrorBody.self).error.code, "plans.document_unreadable")
        XCTAssertTrue(response.body.string.contains("文档过大"), response.body.string)
        XCTAssertLessThan(seconds, 5, "refused without inflating the bomb")
    }

    func testAFormBodyOverItsRouteLimitIsRefusedBeforeTheCSRFCheckReadsIt() async throws {
        let browser = Browser(app)
        _ = try await browser.get("/login")
        let big = String(repeating: "a", count: BodyLimits.small + 1)
        let login = try await browser.post("/login", ["identifier": big, "password": "x"])
        XCTAssertEqual(login.status, .payloadTooLarge)
        // A form page (no files) reads at most BodyLimits.form.
        let admin = try await loggedIn("demo.orgadmin")
        let huge = try await admin.post("/admin/organizations", ["name": String(repeating: "科", count: BodyLimits.form / 3 + 10)])
        XCTAssertEqual(huge.status, .payloadTooLarge)
        let crossSite = try await app.testable().sendRequest(
            .POST, "/service/new", headers: ["Sec-Fetch-Site": "cross-site", "Content-Type": "multipart/form-data; boundary=b"],
            body: ByteBuffer(string: "--b--\r\n"))
        XCTAssertEqual(crossSite.status, .forbidden)
    }

    func testSignUpsAreRateLimitedPerAddressAndOthersAreUnaffected() async throws {
        let visitor = Browser(app)
        visitor.address = "203.0.113.9"
        for index in 0..<RatePolicy.signup.limit {
            let response = try await visitor.post("/signup", ["displayName": "测试\(index)", "contact": "", "password": "short"])
            XCTAssertNotEqual(response.status, .tooManyRequests, "attempt \(index)")
        }
        let limited = try await visitor.post("/signup", ["displayName": "测试", "contact": "", "password": "short"])
        XCTAssertEqual(limited.status, .tooManyRequests)
        XCTAssertTrue(limited.body.string.contains("操作过于频繁"))
        let other = Browser(app)
        other.address = "203.0.113.10"
        let allowed = try await other.post("/signup", ["displayName": "测试", "contact": "", "password": "short"])
        XCTAssertNotEqual(allowed.status, .tooManyRequests)
        clock.advance(minutes: 61)
        let later = try await visitor.post("/signup", ["displayName": "测试", "contact": "", "password": "short"])
        XCTAssertNotEqual(later.status, .tooManyRequests, "a new window an hour later")
    }

    func testTheClientIsTheRightmostUntrustedHop() async throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "192.168.1.1"])
        // The client wrote "1.1.1.1" itself; the proxy at 10.0.0.5 appended the real peer 203.0.113.7.
        XCTAssertEqual(proxies.client(forwardedFor: "1.1.1.1, 203.0.113.7", peer: "10.0.0.5"), "203.0.113.7")
        XCTAssertEqual(proxies.client(forwardedFor: "1.1.1.1, 203.0.113.7, 192.168.1.1", peer: "10.1.2.3"), "203.0.113.7")
        XCTAssertEqual(proxies.client(forwardedFor: "1.1.1.1", peer: "203.0.113.8"), "203.0.113.8", "an untrusted peer's header is ignored")
        XCTAssertEqual(proxies.client(forwardedFor: "not-an-ip, 203.0.113.7", peer: "10.0.0.5"), "203.0.113.7")
        XCTAssertEqual(proxies.client(forwardedFor: "203.0.113.7, garbage", peer: "10.0.0.5"), "invalid")
        XCTAssertEqual(proxies.client(forwardedFor: nil, peer: "10.0.0.5"), "10.0.0.5")
        let v6 = try TrustedProxies(["2001:db8::/32", "::1"])
        XCTAssertEqual(v6.client(forwardedFor: "2001:db9::1, 2001:db8::5", peer: "::1"), "2001:db9::1")
        XCTAssertTrue(v6.contains("::ffff:127.0.0.1") == false)
        XCTAssertTrue(TrustedProxies.loopback.contains("::ffff:127.0.0.1"), "IPv4-mapped loopback counts as loopback")
        XCTAssertThrowsError(try TrustedProxies(["10.0.0.0/33"]))
        XCTAssertThrowsError(try TrustedProxies(["example.com"]))
    }

    func testOnlyLocalPathsAreRedirectTargets() {
        let refused = [
            "/\\evil.example", "//evil.example", "///evil.example", "/\\/evil.example", "https://evil.example", "http:/evil.example",
            "/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/\tevil.example", "/\nevil.example", "/ evil",
            "javascript:alert(1)", "evil.example", "", "/%09/evil.example", "/\u{3000}/evil", "/\u{200B}/evil", "/\u{2028}x",
            "/innovation/../\\evil",
        ]
        for target in refused { XCTAssertNil(LocalRedirect.target(target), target.debugDescription) }
        let kept = ["/", "/service/cases?q=专利&page=2", "/admin/users/3F2504E0-4F89-11D3-9A0C-0305E82C3301", "/innovation/supplies#top"]
        for target in kept { XCTAssertEqual(LocalRedirect.target(target), target) }
        XCTAssertNil(LocalRedirect.target("/service/new", under: "/innovation/"))
        XCTAssertEqual(LocalRedirect.target("/innovation/x", under: "/innovation/"), "/innovation/x")
    }

    func testRateLimiterCountsPerKeyInFixedWindows() {
        let limiter = RateLimiter(maxKeys: 3)
        let policy = RatePolicy(name: "t", limit: 2, window: 60)
        let start = Date(timeIntervalSince1970: 1_000)
        XCTAssertTrue(limiter.allow(policy, key: "a", now: start))
        XCTAssertTrue(limiter.allow(policy, key: "a", now: start))
        XCTAssertFalse(limiter.allow(policy, key: "a", now: start.addingTimeInterval(59)))
        XCTAssertTrue(limiter.allow(policy, key: "b", now: start), "another key is unaffected")
        XCTAssertTrue(limiter.allow(policy, key: "a", now: start.addingTimeInterval(60)), "a new window")
        for key in ["c", "d", "e", "f"] { XCTAssertTrue(limiter.allow(policy, key: key, now: start.addingTimeInterval(61))) }
    }

    func testNumbersAreParsedIntoTheirRanges() throws {
        XCTAssertEqual(try BoundedNumber.integer(" 42 ", field: "n", in: 1...100), 42)
        XCTAssertThrowsError(try BoundedNumber.integer("101", field: "n", in: 1...100))
        XCTAssertThrowsError(try BoundedNumber.integer("9223372036854775808", field: "n", in: 1...100))
        XCTAssertThrowsError(try BoundedNumber.integer("1e3", field: "n", in: 1...10_000))
        XCTAssertEqual(try BoundedNumber.decimal("12.5", field: "x", in: 0...100), 12.5)
        for bad in ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1", ""] {
            XCTAssertThrowsError(try BoundedNumber.decimal(bad, field: "x", in: 0...100), bad)
        }
        XCTAssertEqual(Paging(page: 10_000, per: 200).offset, 1_999_800)
    }
}
