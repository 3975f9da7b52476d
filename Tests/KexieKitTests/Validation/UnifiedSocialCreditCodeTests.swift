import XCTest

@testable import KexieKit

final class UnifiedSocialCreditCodeTests: XCTestCase {
    private func rejection(_ text: String) -> ValidationError? {
        do {
            _ = try UnifiedSocialCreditCode(text)
            return nil
        } catch {
            return error
        }
    }

    func testTheExampleFromGB32100IsValid() throws {
        let code = try UnifiedSocialCreditCode("91350100M000100Y43")
        XCTAssertEqual(code.registrationAuthority, "9")
        XCTAssertEqual(code.regionCode, "350100")
    }

    func testCodesWithIndependentlyComputedCheckCharactersAreValid() throws {
        // Covers 社会团体 (51), 事业单位 (12), enterprises (91) and individual businesses (92).
        for base in [
            "51110000500000012", "12100000400000624", "91440300MA5DXXXX1", "92460100MA5TQ8Y3K",
            "31110000A00000000", "Y1110000000000000",
        ] {
            let full = ReferenceChecksums.creditCode(base)
            XCTAssertEqual(try UnifiedSocialCreditCode(full).value, full)
        }
    }

    func testLowercaseSpacesAndFullWidthAreNormalized() throws {
        XCTAssertEqual(try UnifiedSocialCreditCode(" 91350100m000100y43 ").value, "91350100M000100Y43")
        XCTAssertEqual(try UnifiedSocialCreditCode("9135 0100 M000 100Y 43").value, "91350100M000100Y43")
        XCTAssertEqual(try UnifiedSocialCreditCode("９１３５０１００Ｍ０００１００Ｙ４３").value, "91350100M000100Y43")
    }

    func testAnyOtherCheckCharacterIsRejected() {
        for replacement in "0124ABCDY" {
            XCTAssertEqual(rejection("91350100M000100Y4" + String(replacement)), .creditCodeChecksum)
        }
        XCTAssertEqual(rejection("91350100M000100Y4A")?.message, "统一社会信用代码校验位不正确，请核对最后一位")
    }

    func testLettersExcludedByTheStandardAreRejected() {
        for letter in "IOZSV" {
            XCTAssertEqual(rejection("91350100M000100\(letter)43"), .creditCodeCharacters, String(letter))
        }
        XCTAssertEqual(rejection("91350100M00010-Y43"), .creditCodeLength, "dashes are stripped, leaving 17")
    }

    func testLengthEmptinessAndRegionAreChecked() {
        XCTAssertEqual(rejection("")?.code, "credit_code.empty")
        XCTAssertEqual(rejection("91350100M000100Y4")?.code, "credit_code.length")
        XCTAssertEqual(rejection(ReferenceChecksums.creditCode("913501A0M000100Y4"))?.code, "credit_code.region")
    }
}
