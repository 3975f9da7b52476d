import XCTest

@testable import KexieKit

final class SearchIndexTests: XCTestCase {
    func makeIndex() -> SearchIndex<Int> {
        var index = SearchIndex<Int>()
        index.add(id: 1, text: "天然橡胶割胶技术")
        index.add(id: 2, text: "废旧轮胎再生胶生产线")
        index.add(id: 3, text: "橡胶树橡胶品种选育，橡胶产量高")
        index.add(id: 4, text: "锂离子电池正极材料")
        return index
    }

    func testTwoCharacterQueryFindsTheWordInsideCompounds() {
        let hits = makeIndex().search("橡胶")
        XCTAssertEqual(Set(hits.map(\.id)), [1, 3])
    }

    func testDocumentsWithMoreQueryTermsRankFirst() {
        let hits = makeIndex().search("天然橡胶割胶")
        XCTAssertEqual(hits.first?.id, 1)
        XCTAssertTrue(hits.allSatisfy { $0.score > 0 })
        XCTAssertEqual(hits.map(\.score), hits.map(\.score).sorted(by: >))
    }

    func testRemovedDocumentsAreNoLongerFound() {
        var index = makeIndex()
        index.remove(id: 1)
        XCTAssertEqual(index.count, 3)
        XCTAssertFalse(index.search("割胶").contains { $0.id == 1 })
    }

    func testAddingUnderAnExistingIdReplacesTheText() {
        var index = makeIndex()
        index.add(id: 4, text: "海水淡化反渗透膜")
        XCTAssertTrue(index.search("电池").isEmpty)
        XCTAssertEqual(index.search("淡化").first?.id, 4)
    }

    func testLimitAndUnknownTerms() {
        XCTAssertEqual(makeIndex().search("橡胶", limit: 1).count, 1)
        XCTAssertTrue(makeIndex().search("量子计算").isEmpty)
    }
}
