import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// The bigram/BM25 index answers the same way on SQLite and PostgreSQL (CI runs this suite on both).
final class SearchIndexTests: KexieTestCase {
    var store: SearchIndexStore!

    override func setUp() async throws {
        try await super.setUp()
        store = SearchIndexStore(db: app.db, writes: app.platform.writes)
        let documents: [(String, String, String, String)] = [
            ("p1", "/a/x/", "张三", "天然橡胶割胶技术与胶园管理"),
            ("p2", "/a/x/", "李四", "废旧轮胎橡胶再生利用"),
            ("p3", "/a/y/", "王五", "锂离子电池正极材料"),
            ("p4", "/a/y/", "赵六", "天然产物化学"),
            ("p5", "/a/y/", "钱七", "橡胶橡胶橡胶 高分子材料 橡胶制品"),
        ]
        for (id, path, name, text) in documents {
            try await store.index(kind: "person", entityID: id, organizationPath: path, title: name, text: text)
        }
        try await store.index(kind: "supply", entityID: "s1", organizationPath: "/a/", title: "橡胶", text: "橡胶")
    }

    func testATwoCharacterWordIsFoundInsideLongerText() async throws {
        let hits = try await store.search(kind: "person", query: "橡胶", scopePath: nil)
        XCTAssertEqual(Set(hits.map(\.entityID)), ["p1", "p2", "p5"])
        XCTAssertEqual(hits.first?.entityID, "p5", "the document that is mostly about rubber ranks first")
        XCTAssertFalse(hits.contains { $0.entityID == "s1" }, "kinds are separate")
    }

    func testAllBigramsOfAShortQueryMustBePresent() async throws {
        let hits = try await store.search(kind: "person", query: "天然橡胶", scopePath: nil)
        XCTAssertEqual(hits.map(\.entityID), ["p1"], "天然产物 alone does not match 天然橡胶")
        let none = try await store.search(kind: "person", query: "量子计算", scopePath: nil)
        XCTAssertTrue(none.isEmpty)
    }

    func testScopeRestrictsToTheSubtree() async throws {
        let hits = try await store.search(kind: "person", query: "橡胶", scopePath: "/a/y/")
        XCTAssertEqual(hits.map(\.entityID), ["p5"])
    }

    func testReindexingReplacesAndRemovingDeletes() async throws {
        try await store.index(kind: "person", entityID: "p3", organizationPath: "/a/y/", title: "王五", text: "橡胶树育种")
        let after = try await store.search(kind: "person", query: "电池", scopePath: nil)
        XCTAssertTrue(after.isEmpty)
        let rubber = try await store.search(kind: "person", query: "橡胶", scopePath: nil)
        XCTAssertTrue(rubber.contains { $0.entityID == "p3" })
        try await store.remove(kind: "person", entityID: "p3")
        let removed = try await store.search(kind: "person", query: "橡胶", scopePath: nil)
        XCTAssertFalse(removed.contains { $0.entityID == "p3" })
    }

    func testScoresFollowBM25() async throws {
        let hits = try await store.search(kind: "person", query: "橡胶", scopePath: nil)
        XCTAssertTrue(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
        XCTAssertTrue(hits.allSatisfy { $0.score > 0 })
    }
}
