import Foundation
import SnapshotTesting
import XCTVapor

@testable import Platform

/// HTML snapshots of every page kind a demo role reaches: the crawler visits the site as each role and
/// the first page of each route (ids replaced by `:id`) is compared, line by line, with the snapshot
/// recorded under `__Snapshots__/PageSnapshotTests/`. The snapshots were recorded from the Leaf templates
/// before the pages moved to the HTML writer (issue 14), so they prove the writer's pages unchanged and
/// keep any later change to a page visible in review.
///
/// What differs from run to run is replaced before comparing: ids (numbered by first appearance), the
/// CSRF token, tracking codes, times of day and authenticator secrets. `KEXIE_RECORD_SNAPSHOTS=1` records them again.
final class PageSnapshotTests: DemoTestCase {
    static let roles = ["demo.orgadmin", "demo.county1", "demo.society", "demo.member", "demo.expert", "demo.enterprise"]
    static let pageLimit = 300

    func testEveryPageKindMatchesItsSnapshot() async throws {
        // Markup does not depend on the database; the route suites cover PostgreSQL's data.
        try XCTSkipIf(TestApp.usesPostgres, "page snapshots are taken on SQLite")
        let record: SnapshotTestingConfiguration.Record =
            ProcessInfo.processInfo.environment["KEXIE_RECORD_SNAPSHOTS"] == "1" ? .all : .missing
        var compared = 0
        try await withSnapshotTesting(record: record) {
            for (role, pages) in try await pagesByRole() {
                for (route, html) in pages {
                    assertSnapshot(of: html, as: .lines, named: Self.snapshotName(role: role, route: route))
                    compared += 1
                }
            }
        }
        XCTAssertGreaterThan(compared, 100, "page kinds compared")
    }

    /// The first page of each route reached by each role (and a visitor), normalized.
    func pagesByRole() async throws -> [(String, [(String, String)])] {
        var result: [(String, [(String, String)])] = []
        result.append(("visitor", try await firstPages(Browser(app))))
        for role in Self.roles {
            result.append((role, try await firstPages(try await loggedIn(role))))
        }
        return result
    }

    func firstPages(_ browser: Browser) async throws -> [(String, String)] {
        var queue = ["/"]
        var seen: Set<String> = ["/"]
        var routes: Set<String> = []
        var pages: [(String, String)] = []
        var visited = 0
        while !queue.isEmpty, visited < Self.pageLimit {
            let path = queue.removeFirst()
            let response = try await browser.get(path)
            visited += 1
            let html = response.body.string
            let route = Self.route(of: path)
            if response.status == .ok, response.headers.contentType == .html, !routes.contains(route) {
                routes.insert(route)
                pages.append((route, Self.normalize(html)))
            }
            for link in CrawlerTests.links(in: html) where CrawlerTests.followable(link) && !seen.contains(link) {
                // Each route once is enough: queries (filters, pages, sorts) of a route already seen are skipped.
                guard !link.contains("?") || !routes.contains(Self.route(of: link)) else { continue }
                seen.insert(link)
                queue.append(link)
            }
        }
        return pages
    }

    static func route(of path: String) -> String {
        let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return bare.replacing(#/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/#, with: ":id")
            // A metric's drill-down is one route whatever the metric (its id is text, not a UUID).
            .replacing(#/^/metrics/[^/]+/#, with: "/metrics/:metric")
    }

    static func snapshotName(role: String, route: String) -> String {
        let slug =
            route == "/" ? "home" : route.dropFirst().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "")
        return role.replacingOccurrences(of: "demo.", with: "") + "-" + slug
    }

    /// Whitespace between tags and runs of whitespace carry no meaning in these pages (the snapshots were
    /// recorded from indented Leaf templates).
    static func collapse(_ html: String) -> String {
        var s = html.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        for (pattern, replacement) in [(#">\s+<"#, "><"), (#"\s+>"#, ">"), (#">\s+"#, ">"), (#"\s+<"#, "<")] {
            s = s.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return s.trimmingCharacters(in: .whitespaces)
    }

    /// One element per line, ids numbered in order of appearance, the CSRF token and tracking codes masked.
    static func normalize(_ html: String) -> String {
        var ids: [String: Int] = [:]
        var text = Self.collapse(html)
        text = text.replacing(#/[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/#) { match in
            let key = match.output.uppercased()
            if ids[key] == nil { ids[key] = ids.count + 1 }
            return "ID\(ids[key]!)"
        }
        text = text.replacing(#/name="_csrf" value="[^"]*"/#, with: #"name="_csrf" value="CSRF""#)
        text = text.replacing(#/data-csrf-token="[^"]*"/#, with: #"data-csrf-token="CSRF""#)
        text = text.replacing(#/KX-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/#, with: "KX-CODE")
        // Record times come from the database's clock, not the test clock; authenticator secrets are new each run.
        text = text.replacing(#/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/#, with: "DATE TIME")
        text = text.replacing(#/<code id="secret">[^<]*</code>/#, with: #"<code id="secret">SECRET</code>"#)
        return text.replacingOccurrences(of: "><", with: ">\n<")
    }
}
