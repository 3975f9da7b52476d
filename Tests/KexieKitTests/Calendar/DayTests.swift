import XCTest

@testable import KexieKit

final class DayTests: XCTestCase {
    func testParsesAndFormatsOnlyStrictISODates() {
        XCTAssertEqual(Day("2025-09-30")?.description, "2025-09-30")
        XCTAssertEqual(Day("0999-01-02")?.description, "0999-01-02")
        for bad in ["2025-9-30", "2025/09/30", "2025-02-29", "2025-13-01", "2025-04-31", "20250930", "２０２５-09-30", ""] {
            XCTAssertNil(Day(bad), bad)
        }
        XCTAssertNotNil(Day("2024-02-29"))
        XCTAssertNil(Day("1900-02-29"), "1900 is not a leap year")
        XCTAssertNotNil(Day("2000-02-29"), "2000 is a leap year")
    }

    func testWeekdaysMatchTheCalendar() {
        XCTAssertEqual(Day("1970-01-01")?.weekday, 4, "Thursday")
        XCTAssertEqual(Day("2025-09-28")?.weekday, 7, "Sunday")
        XCTAssertEqual(Day("2025-10-11")?.weekday, 6, "Saturday")
        XCTAssertEqual(Day("2026-02-14")?.weekday, 6, "Saturday")
        XCTAssertEqual(Day("1949-10-01")?.weekday, 6, "Saturday")
        XCTAssertEqual(Day("2000-01-03")?.weekday, 1, "Monday")
    }

    func testAddingDaysCrossesMonthsYearsAndLeapDays() {
        let day = Day("2024-02-28")!
        XCTAssertEqual(day.adding(days: 1), Day("2024-02-29"))
        XCTAssertEqual(day.adding(days: 2), Day("2024-03-01"))
        XCTAssertEqual(Day("2025-12-31")!.adding(days: 1), Day("2026-01-01"))
        XCTAssertEqual(Day("2026-01-01")!.adding(days: -1), Day("2025-12-31"))
        XCTAssertEqual(Day("2025-01-01")!.adding(days: 365), Day("2026-01-01"))
        XCTAssertEqual(Day("2025-01-01")!.days(to: Day("2026-01-01")!), 365)
    }

    func testEveryDayOverFourHundredYearsRoundTripsThroughDayNumbers() {
        var day = Day("1900-01-01")!
        for number in day.dayNumber..<(day.dayNumber + 146_097) {
            XCTAssertEqual(Day(dayNumber: number), day)
            XCTAssertEqual(day.dayNumber, number)
            let next =
                day.day < Day.daysInMonth(year: day.year, month: day.month)
                ? Day(year: day.year, month: day.month, day: day.day + 1)
                : (day.month < 12 ? Day(year: day.year, month: day.month + 1, day: 1) : Day(year: day.year + 1, month: 1, day: 1))
            day = next!
        }
    }

    func testOrdersChronologicallyAndCodesAsISOString() throws {
        XCTAssertLessThan(Day("2025-12-31")!, Day("2026-01-01")!)
        let encoded = try JSONEncoder().encode([Day("2026-02-15")!])
        XCTAssertEqual(String(decoding: encoded, as: UTF8.self), "[\"2026-02-15\"]")
        XCTAssertEqual(try JSONDecoder().decode([Day].self, from: encoded), [Day("2026-02-15")!])
        XCTAssertThrowsError(try JSONDecoder().decode([Day].self, from: Data("[\"2026-2-15\"]".utf8)))
    }
}
