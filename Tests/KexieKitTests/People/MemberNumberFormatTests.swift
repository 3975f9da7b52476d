import XCTest

@testable import KexieKit

final class MemberNumberFormatTests: XCTestCase {
    func testFormatsWithZeroPaddedSequence() throws {
        let format = try MemberNumberFormat(prefix: "hnnx")
        XCTAssertEqual(format.prefix, "HNNX")
        XCTAssertEqual(try format.number(year: 2026, sequence: 42).description, "HNNX-2026-00042")
        XCTAssertEqual(try format.number(year: 2026, sequence: 99_999).description, "HNNX-2026-99999")
    }

    func testRejectsBadPrefixesAndRanges() throws {
        func rejection(_ prefix: String) -> String? {
            do {
                _ = try MemberNumberFormat(prefix: prefix)
                return nil
            } catch {
                return error.code
            }
        }
        XCTAssertEqual(rejection(""), "member_prefix.empty")
        XCTAssertEqual(rejection("H"), "member_prefix.length")
        XCTAssertEqual(rejection("ABCDEFGHI"), "member_prefix.length")
        XCTAssertEqual(rejection("HN-NX"), "member_prefix.characters")
        XCTAssertEqual(rejection("海南"), "member_prefix.characters")
        XCTAssertNil(rejection("AB12"))
        XCTAssertNil(rejection("ＨＮ"), "full-width letters fold to ASCII")

        let format = try MemberNumberFormat(prefix: "HN", sequenceWidth: 3)
        XCTAssertThrowsError(try format.number(year: 2026, sequence: 1000)) {
            XCTAssertEqual(($0 as? ValidationError)?.code, "member_number.exhausted")
        }
        XCTAssertThrowsError(try format.number(year: 2026, sequence: 0))
        XCTAssertThrowsError(try format.number(year: 26, sequence: 1))
    }

    func testParseRoundTripsAndToleratesPasting() throws {
        let format = try MemberNumberFormat(prefix: "HNNX")
        let number = try format.number(year: 2026, sequence: 42)
        XCTAssertEqual(format.parse(number.description), number)
        XCTAssertEqual(format.parse(" hnnx-2026-00042 "), number)
        XCTAssertEqual(format.parse("ＨＮＮＸ－２０２６－０００４２"), number, "full-width")
        XCTAssertNil(format.parse("GDKX-2026-00042"), "other prefix")
        XCTAssertNil(format.parse("HNNX-2026-042"), "other width")
        XCTAssertNil(format.parse("HNNX-2026-00000"))
        XCTAssertNil(format.parse("HNNX202600042"))
        XCTAssertTrue(try format.number(year: 2025, sequence: 900) < number)
    }
}
