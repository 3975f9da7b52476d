import XCTest

@testable import KexieKit

final class ResidentIDNumberTests: XCTestCase {
    private let today = Day("2026-11-23")!

    private func rejection(_ text: String) -> ValidationError? {
        do {
            _ = try ResidentIDNumber(text, today: today)
            return nil
        } catch {
            return error
        }
    }

    func testTheExamplesPrintedInGB11643AreValid() throws {
        let first = try ResidentIDNumber("11010519491231002X", today: today)
        XCTAssertEqual(first.birthDate, Day("1949-12-31"))
        XCTAssertEqual(first.sex, .female, "17th digit 2 is even")
        XCTAssertEqual(first.regionCode, "110105")

        let second = try ResidentIDNumber("440524188001010014", today: today)
        XCTAssertEqual(second.birthDate, Day("1880-01-01"))
        XCTAssertEqual(second.sex, .male, "17th digit 1 is odd")
    }

    func testNumbersWithIndependentlyComputedCheckDigitsAreValid() throws {
        for base in ["46010019900101123", "32010219851130456", "65010120000229001", "81000019991231987"] {
            let full = ReferenceChecksums.idNumber(base)
            XCTAssertEqual(try ResidentIDNumber(full, today: today).value, full)
        }
        XCTAssertEqual(try ResidentIDNumber("460100199001011230", today: today).sex, .male)
    }

    func testLowercaseXSpacesAndFullWidthDigitsAreNormalized() throws {
        XCTAssertEqual(try ResidentIDNumber(" 110105 19491231 002x ", today: today).value, "11010519491231002X")
        XCTAssertEqual(try ResidentIDNumber("１１０１０５１９４９１２３１００２Ｘ", today: today).value, "11010519491231002X")
    }

    func testEveryWrongCheckCharacterIsRejectedWithTheChecksumMessage() {
        let valid = "11010519491231002X"
        for replacement in "0123456789" {
            let wrong = String(valid.dropLast()) + String(replacement)
            XCTAssertEqual(rejection(wrong), .idNumberChecksum, wrong)
        }
        XCTAssertEqual(rejection("110105194912310021")?.message, "身份证号校验位不正确，请核对最后一位")
    }

    func testSwappedAdjacentDigitsAreCaught() {
        XCTAssertEqual(rejection("11010519491321002X"), .idNumberBirthDate)
        XCTAssertEqual(rejection("11010591491231002X"), .idNumberBirthDate)
        XCTAssertEqual(rejection("10110519491231002X"), .idNumberRegion)
        XCTAssertEqual(rejection("11010519941231002X"), .idNumberChecksum)
    }

    func testStructuralProblemsGetTheirOwnCodes() {
        XCTAssertEqual(rejection("")?.code, "id_number.empty")
        XCTAssertEqual(rejection("110105491231002")?.code, "id_number.length", "old 15-digit numbers")
        XCTAssertEqual(rejection("1101051949123100XX")?.code, "id_number.format")
        XCTAssertEqual(rejection("11010519491231002Y")?.code, "id_number.format")
        XCTAssertEqual(rejection(ReferenceChecksums.idNumber("00010519491231002"))?.code, "id_number.region")
    }

    func testBirthDatesMustExistAndNotBeInTheFuture() {
        XCTAssertEqual(rejection(ReferenceChecksums.idNumber("11010519490230002")), .idNumberBirthDate)
        XCTAssertEqual(rejection(ReferenceChecksums.idNumber("11010520261124002")), .idNumberBirthDate)
        XCTAssertNil(rejection(ReferenceChecksums.idNumber("11010520261123002")), "born today is fine")
        XCTAssertEqual(rejection(ReferenceChecksums.idNumber("11010517991231002")), .idNumberBirthDate)
    }

    func testMaskKeepsTheFirstAndLastFourCharacters() throws {
        XCTAssertEqual(try ResidentIDNumber("460100199001011230", today: today).masked, "4601**********1230")
        XCTAssertEqual(Masking.idNumber("460100199001011234"), "4601**********1234")
        XCTAssertEqual(Masking.idNumber("1234567"), "*******", "short input is hidden entirely")
    }
}
