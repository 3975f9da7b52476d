import XCTest

@testable import KexieKit

final class BM25Tests: XCTestCase {
    let bm25 = BM25(k1: 1.2, b: 0.75)

    func testRareTermsWeighMoreThanCommonOnes() {
        XCTAssertGreaterThan(bm25.idf(documentFrequency: 1, documentCount: 100), bm25.idf(documentFrequency: 50, documentCount: 100))
        XCTAssertGreaterThan(bm25.idf(documentFrequency: 100, documentCount: 100), 0)
    }

    func testScoreMatchesTheFormulaByHand() {
        // idf = ln(1 + (10 - 2 + 0.5) / (2 + 0.5)); tf part = 3·2.2 / (3 + 1.2·(0.25 + 0.75·20/10))
        let expected = log(1 + 8.5 / 2.5) * (3 * 2.2) / (3 + 1.2 * (0.25 + 0.75 * 2))
        let actual = bm25.score(termFrequency: 3, documentFrequency: 2, documentLength: 20, averageDocumentLength: 10, documentCount: 10)
        XCTAssertEqual(actual, expected, accuracy: 1e-12)
    }

    func testRepeatedTermsSaturateBelowKOnePlusOne() {
        let once = bm25.saturation(termFrequency: 1, documentLength: 10, averageDocumentLength: 10)
        let often = bm25.saturation(termFrequency: 100, documentLength: 10, averageDocumentLength: 10)
        XCTAssertGreaterThan(often, once)
        XCTAssertLessThan(often, bm25.k1 + 1)
    }

    func testLongerDocumentsScoreLowerForTheSameTermFrequency() {
        let short = bm25.score(termFrequency: 1, documentFrequency: 5, documentLength: 5, averageDocumentLength: 20, documentCount: 100)
        let long = bm25.score(termFrequency: 1, documentFrequency: 5, documentLength: 80, averageDocumentLength: 20, documentCount: 100)
        XCTAssertGreaterThan(short, long)
        let flat = BM25(k1: 1.2, b: 0)
        XCTAssertEqual(
            flat.score(termFrequency: 1, documentFrequency: 5, documentLength: 5, averageDocumentLength: 20, documentCount: 100),
            flat.score(termFrequency: 1, documentFrequency: 5, documentLength: 80, averageDocumentLength: 20, documentCount: 100))
    }
}
