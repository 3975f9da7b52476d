import Fluent
import Foundation
import XCTVapor

@testable import KexieApp
@testable import Platform

/// "No list page of a demo role is empty": every demo account logs in to the populated province and
/// opens every page of its navigation (the registry's entries its permissions allow); every list there
/// shows at least one row. Runs on PostgreSQL too with DATABASE_URL.
final class DemoListPagesTests: KexieTestCase {
    /// Navigation entries that are forms or personal summaries rather than lists.
    static let notLists: Set<String> = ["首页", "我的", "我要办事", "网站页脚"]
    /// Hub pages and the lists they link to (posting forms, figures and batch matching are not lists).
    static let hubLists: [String: Set<String>] = [
        "/innovation": [
            "/innovation/review", "/innovation/supplies", "/innovation/demands", "/innovation/mine", "/innovation/dockings",
            "/innovation/stations",
        ]
    ]

    func testEveryListPageOfEveryDemoRoleShowsRows() async throws {
        let demo = try await DemoFixture.load(app, populated: true)
        var opened: [String] = []
        var empty: [String] = []
        for username in demo.accounts.keys.sorted() {
            guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
                return XCTFail("no \(username)")
            }
            let actor = try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
            let browser = Browser(app)
            try await browser.login(username, demo.accounts[username] ?? "")
            let entries = app.platform.registry.navigation.filter { entry in
                entry.permission.map { actor.can($0) } ?? true
            }
            for entry in entries where !Self.notLists.contains(entry.label) {
                let response = try await browser.get(entry.path)
                XCTAssertEqual(response.status, .ok, "\(username) \(entry.label) \(entry.path)")
                let page = ParsedPage(response.body.string)
                // A hub (科创对接) lists nothing itself: its lists are the pages it links to.
                let paths =
                    Self.hubLists[entry.path].map { lists in
                        page.elements("a").compactMap { $0.attribute("href") }.filter(lists.contains)
                    } ?? [entry.path]
                XCTAssertFalse(paths.isEmpty, "\(username) \(entry.label): no lists")
                for path in Set(paths).sorted() {
                    let list = path == entry.path ? page : ParsedPage(try await browser.get(path).body.string)
                    let rows = list.elements("tbody").flatMap { $0.children.filter { $0.tag == "tr" } }
                    opened.append("\(username) \(path)")
                    if rows.isEmpty { empty.append("\(username) \(entry.label) \(path)") }
                }
            }
        }
        XCTAssertEqual(empty, [], "list pages without a row")
        XCTAssertGreaterThan(opened.count, 40, "pages opened: \(opened)")
    }
}
