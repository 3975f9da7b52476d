import XCTest

@testable import KexieKit

final class ChineseTokenizerTests: XCTestCase {
    func testHanRunsBecomeOverlappingBigrams() {
        XCTAssertEqual(ChineseTokenizer.terms("天然橡胶"), ["天然", "然橡", "橡胶"])
    }

    func testTwoCharacterWordIsFoundInsideALongerCompound() {
        XCTAssertTrue(ChineseTokenizer.terms("天然橡胶割胶技术").contains("橡胶"))
        XCTAssertEqual(ChineseTokenizer.terms("橡胶"), ["橡胶"])
    }

    func testOneCharacterRunIsKeptAsASingleCharacter() {
        XCTAssertEqual(ChineseTokenizer.terms("膜，分离"), ["膜", "分离"])
    }

    func testLatinWordsAndNumbersStayWholeAndSplitFromHan() {
        XCTAssertEqual(ChineseTokenizer.terms("5G通信与AI芯片"), ["5g", "通信", "信与", "ai", "芯片"])
        XCTAssertEqual(ChineseTokenizer.terms("PM2.5 检测"), ["pm2.5", "检测"])
    }

    func testFullWidthInputGivesTheSameTermsAsHalfWidth() {
        XCTAssertEqual(ChineseTokenizer.terms("ＢＭＳ电池"), ChineseTokenizer.terms("bms电池"))
    }

    func testEmptyAndPunctuationOnlyTextHasNoTerms() {
        XCTAssertEqual(ChineseTokenizer.terms(""), [])
        XCTAssertEqual(ChineseTokenizer.terms("，。！？"), [])
    }
}
