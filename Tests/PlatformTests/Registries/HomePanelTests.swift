import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

/// Home panels name their figures; `PanelRunner` asks every panel's figures in one statement and hands
/// each panel its own answers. Checked on a table of the test's own, on SQLite and PostgreSQL.
final class HomePanelTests: DemoTestCase {
    private func makeItems() async throws {
        let sql = try app.db.sql()
        try await sql.raw(
            "CREATE TABLE test_panel_items (id TEXT NOT NULL, title TEXT NOT NULL, kind TEXT NOT NULL, added INTEGER NOT NULL)"
        )
        .run()
        let rows: [(String, String, String, Int)] = [
            ("a1", "第一季度学术年会", "event", 1), ("a2", "青年科技论坛", "event", 3), ("a3", "科普日活动", "event", 2),
            ("b1", "会员大会通知", "notice", 4),
        ]
        for (id, title, kind, added) in rows {
            try await sql.raw("INSERT INTO test_panel_items VALUES (\(bind: id), \(bind: title), \(bind: kind), \(bind: added))").run()
        }
    }

    func testEveryPanelGetsItsOwnCountsAndNewestRecordsAndPanelsNotForTheActorAreLeftOut() async throws {
        try await makeItems()
        let events = HomePanel(title: "活动", order: 1) { _ in
            [
                .count("events", "SELECT COUNT(*) FROM test_panel_items WHERE kind = \(bind: "event")"),
                .records(
                    "newest", limit: 2, "SELECT id AS id, title AS title FROM test_panel_items WHERE kind = 'event' ORDER BY added DESC"),
            ]
        } lines: { _, v in
            [HomePanel.Line(label: "活动", value: "\(v["events"]) 场")] + v.records("newest").map { .init(label: $0.title, value: $0.id) }
        }
        let notices = HomePanel(title: "通知", order: 2) { _ in
            [
                .count("events", "SELECT COUNT(*) FROM test_panel_items WHERE kind = \(bind: "notice")"),
                .records("none", limit: 5, "SELECT id AS id, title AS title FROM test_panel_items WHERE kind = 'none' ORDER BY added"),
            ]
        } lines: { _, v in
            [HomePanel.Line(label: "通知", value: "\(v["events"]) 条"), .init(label: "无记录", value: "\(v.records("none").count)")]
        }
        let hidden = HomePanel(title: "不显示", order: 3) { _ in
            nil
        } lines: { _, _ in
            XCTFail("lines of a panel without figures are not asked for")
            return []
        }
        let empty = HomePanel(title: "空", order: 4) { _ in
            []
        } lines: { _, _ in
            []
        }
        let actor = Actor.system
        let panels = try await PanelRunner.compute([events, notices, hidden, empty], actor: actor, now: clock.now, on: app.db)
        XCTAssertEqual(panels.map(\.title), ["活动", "通知"])
        XCTAssertEqual(panels[0].lines.map(\.label), ["活动", "青年科技论坛", "科普日活动"])
        XCTAssertEqual(panels[0].lines.map(\.value), ["3 场", "a2", "a3"])
        XCTAssertEqual(panels[1].lines.map(\.value), ["1 条", "0"])
    }

    func testTheSubtreeConditionCountsOnlyTheActorsOrganizationAndThoseBelow() async throws {
        let county = try await demoActor("demo.county1")
        let province = try await demoActor("demo.orgadmin")
        func organizations(_ actor: Actor) async throws -> Int {
            let panel = HomePanel(title: "组织", order: 1) { c in
                [.count("n", "SELECT COUNT(*) FROM platform_organizations WHERE \(c.inSubtree("id"))")]
            } lines: { _, v in
                [.init(label: "组织", value: "\(v["n"])")]
            }
            let computed = try await PanelRunner.compute([panel], actor: actor, now: clock.now, on: app.db)
            return Int(computed.first?.lines.first?.value ?? "") ?? -1
        }
        let all = try await Organization.query(on: app.db).count()
        expectEqual(try await organizations(province), all)
        // 青石县科协 and the 热带水果专业技术协会 registered under it.
        expectEqual(try await organizations(county), 2)
        expectEqual(try await organizations(Actor.system), 0)
    }

    private func demoActor(_ username: String) async throws -> Actor {
        let user = try await User.query(on: app.db).filter(\.$username == username).first()
        return try await Actor.load(user: try XCTUnwrap(user), preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }
}
