import XCTest

@testable import KexieKit

final class ReportingPeriodTests: XCTestCase {
    func testParsesTheThreeFormsAndGivesTheirDays() throws {
        let year = try XCTUnwrap(ReportingPeriod(parsing: "2026"))
        XCTAssertEqual(year, .year(2026))
        XCTAssertEqual(year.firstDay.description, "2026-01-01")
        XCTAssertEqual(year.lastDay.description, "2026-12-31")
        XCTAssertEqual(year.label, "2026年")

        let quarter = try XCTUnwrap(ReportingPeriod(parsing: "2026-Q4"))
        XCTAssertEqual(quarter, .quarter(year: 2026, quarter: 4))
        XCTAssertEqual(quarter.firstDay.description, "2026-10-01")
        XCTAssertEqual(quarter.lastDay.description, "2026-12-31")
        XCTAssertEqual(quarter.label, "2026年第四季度")
        XCTAssertEqual(ReportingPeriod(parsing: "2026-Q1")?.lastDay.description, "2026-03-31")

        let month = try XCTUnwrap(ReportingPeriod(parsing: "2026-11"))
        XCTAssertEqual(month.description, "2026-11")
        XCTAssertEqual(month.firstDay.description, "2026-11-01")
        XCTAssertEqual(month.lastDay.description, "2026-11-30")
        XCTAssertEqual(ReportingPeriod(parsing: "2024-02")?.lastDay.description, "2024-02-29")
        XCTAssertEqual(ReportingPeriod(parsing: "2026-02")?.lastDay.description, "2026-02-28")
        XCTAssertEqual(ReportingPeriod.month(year: 2026, month: 3).description, "2026-03")
    }

    func testRefusesEverythingElse() {
        for bad in [
            "", "26", "02026", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "2026-1", "2026-11-01", "1900", "2101", "２０２６", "+202",
            "2026-Qa", "2026-q1", "2026-", "-2026", "2026--11", "abcd",
        ] {
            XCTAssertNil(ReportingPeriod(parsing: bad), bad)
        }
    }

    func testContainsIsInclusiveAtBothEnds() throws {
        let q = ReportingPeriod.quarter(year: 2026, quarter: 2)
        XCTAssertTrue(q.contains(try XCTUnwrap(Day("2026-04-01"))))
        XCTAssertTrue(q.contains(try XCTUnwrap(Day("2026-06-30"))))
        XCTAssertFalse(q.contains(try XCTUnwrap(Day("2026-07-01"))))
        XCTAssertFalse(q.contains(try XCTUnwrap(Day("2026-03-31"))))
    }
}
