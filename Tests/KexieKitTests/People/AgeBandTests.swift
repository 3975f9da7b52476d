import XCTest

@testable import KexieKit

final class AgeBandTests: XCTestCase {
    private let today = Day("2026-11-23")!

    func testYearMonthParsingAcceptsCommonForms() {
        let expected = YearMonth(year: 1990, month: 1)
        for text in [
            "1990-01", "1990-1", "1990/01", "1990.01", "1990年1月", "1990年01月", "199001", "１９９０－０１", "1990-01-15", "1990年1月15日",
            "1990-01-15 00:00:00", " 1990 - 01 ",
        ] {
            XCTAssertEqual(YearMonth(parsing: text), expected, text)
        }
        for text in ["1990", "90-01", "1990-13", "1990-00", "1990-02-30", "1990-01ab", "一九九〇年一月", ""] {
            XCTAssertNil(YearMonth(parsing: text), text)
        }
        XCTAssertEqual(expected?.description, "1990-01")
        XCTAssertEqual(expected?.chinese, "1990年1月")
    }

    func testAgeCountsTheBirthMonthAsReached() {
        XCTAssertEqual(YearMonth(year: 1991, month: 11)!.age(on: today), 35)
        XCTAssertEqual(YearMonth(year: 1991, month: 12)!.age(on: today), 34)
    }

    func testBandBoundaries() {
        XCTAssertEqual(AgeBand(age: 34), .under35)
        XCTAssertEqual(AgeBand(age: 35), .from35To44)
        XCTAssertEqual(AgeBand(age: 44), .from35To44)
        XCTAssertEqual(AgeBand(age: 45), .from45To54)
        XCTAssertEqual(AgeBand(age: 54), .from45To54)
        XCTAssertEqual(AgeBand(age: 55), .from55)
        // Turning 35 in November 2026 moves a member out of 35岁以下 that month.
        XCTAssertEqual(AgeBand(birthMonth: YearMonth(year: 1991, month: 12)!, on: today), .under35)
        XCTAssertEqual(AgeBand(birthMonth: YearMonth(year: 1991, month: 11)!, on: today), .from35To44)
        XCTAssertEqual(AgeBand.under35.label, "35岁以下")
        XCTAssertEqual(AgeBand.from55.label, "55岁及以上")
    }

    func testBirthMonthRangesAgreeWithBands() {
        // 35岁以下 on 2026-11-23: born in December 1991 or later.
        XCTAssertEqual(AgeBand.under35.birthMonths(on: today).earliest, YearMonth(year: 1991, month: 12))
        XCTAssertNil(AgeBand.under35.birthMonths(on: today).latest)
        XCTAssertNil(AgeBand.from55.birthMonths(on: today).earliest)
        XCTAssertEqual(AgeBand.from55.birthMonths(on: today).latest, YearMonth(year: 1971, month: 11))
        XCTAssertEqual(AgeBand.from35To44.birthMonths(on: today).latest, YearMonth(year: 1991, month: 11))
        XCTAssertEqual(AgeBand.from35To44.birthMonths(on: today).earliest, YearMonth(year: 1981, month: 12))
        // Every month from 1900 on falls in exactly the band whose range holds it.
        var month = YearMonth(year: 1900, month: 1)!
        while month <= YearMonth(today) {
            let band = AgeBand(birthMonth: month, on: today)
            for candidate in AgeBand.allCases {
                let range = candidate.birthMonths(on: today)
                let inside = range.earliest.map { month >= $0 } ?? true
                let inside2 = range.latest.map { month <= $0 } ?? true
                XCTAssertEqual(inside && inside2, candidate == band, "\(month) \(candidate)")
            }
            month = month.adding(months: 1)
        }
    }
}
