import Foundation
import XCTVapor

@testable import Platform

/// Every same-site link a person can reach works: logged in as each demo role (and as a visitor), the
/// crawler follows links breadth first from the home page and finds no 404 and no server error.
final class CrawlerTests: DemoTestCase {
    static let pageLimit = 300

    /// Links that change state or leave the session are not followed; exports are a separate concern.
    static func followable(_ path: String) -> Bool {
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return false }
        let skipped = ["/logout", "/api/", "/css/", "/js/", "/img/", "/favicon"]
        if skipped.contains(where: { path.hasPrefix($0) }) { return false }
        if path.contains("format=") || path.hasSuffix(".xlsx") || path.hasSuffix(".csv") || path.hasSuffix(".svg") { return false }
        return true
    }

    static func links(in html: String) -> [String] {
        html.matches(of: #/href="([^"#]*)(#[^"]*)?"/#).map { String($0.1).replacingOccurrences(of: "&amp;", with: "&") }
    }

    /// Returns the pages visited and the broken ones with their status.
    func crawl(_ browser: Browser) async throws -> (visited: Int, broken: [String]) {
        var queue = ["/"]
        var seen: Set<String> = ["/"]
        var broken: [String] = []
        var visited = 0
        while !queue.isEmpty, visited < Self.pageLimit {
            let path = queue.removeFirst()
            let response = try await browser.get(path)
            visited += 1
            let status = response.status.code
            if status == 404 || status >= 500 {
                broken.append("\(path) → \(status)")
                continue
            }
            var next = Self.links(in: response.body.string)
            if (300..<400).contains(status), let location = response.location { next.append(location) }
            for link in next where Self.followable(link) && !seen.contains(link) {
                seen.insert(link)
                queue.append(link)
            }
        }
        return (visited, broken)
    }

    func testNoLinkAnyDemoRoleOrAVisitorCanReachIsBroken() async throws {
        var report: [String] = []
        let visitor = try await crawl(Browser(app))
        XCTAssertGreaterThan(visitor.visited, 5)
        report += visitor.broken.map { "visitor: \($0)" }
        for role in [
            "demo.sysadmin", "demo.secadmin", "demo.auditor", "demo.orgadmin", "demo.county1", "demo.society",
            "demo.staff", "demo.expert", "demo.member", "demo.enterprise",
        ] {
            let browser = try await loggedIn(role)
            let result = try await crawl(browser)
            XCTAssertGreaterThan(result.visited, 3, "\(role) reached pages")
            report += result.broken.map { "\(role): \($0)" }
            print("crawler: \(role) visited \(result.visited) pages")
            if role == "demo.orgadmin" { XCTAssertGreaterThan(result.visited, 200, "the office reaches most of the site") }
            // Crawling takes a while in test-clock terms for administrators (15 idle minutes): a fresh log-in each role.
        }
        XCTAssertEqual(report, [], report.joined(separator: "\n"))
    }
}
