import XCTest

@testable import KexieKit

final class TextNormalizerTests: XCTestCase {
    func testFullWidthLettersAndDigitsBecomeHalfWidthLowercase() {
        XCTAssertEqual(TextNormalizer.normalize("ＰＭ２．５监测ＡＢＣ"), "pm2.5监测abc")
    }

    func testPunctuationOfBothWidthsBecomesOneSpace() {
        XCTAssertEqual(TextNormalizer.normalize("割胶技术，（天然橡胶）!!  胶园。"), "割胶技术 天然橡胶 胶园")
    }

    func testIdeographicSpaceIsASeparator() {
        XCTAssertEqual(TextNormalizer.normalize("动力电池\u{3000}正极"), "动力电池 正极")
    }

    func testDotSurvivesOnlyBetweenDigits() {
        XCTAssertEqual(TextNormalizer.normalize("版本3.5. 结束.x"), "版本3.5 结束 x")
    }
}
