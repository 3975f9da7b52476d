import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// 节假日与调休 through the HTTP layer: the public API counts working days from the day after, across
/// the National Day holiday and an adjusted Saturday; an administrator adds next year's schedule (and a
/// county's holiday), after which deadlines in that year are no longer provisional.
final class CalendarTests: DemoTestCase {
    private func addDays(_ from: String, _ days: Int, region: String? = nil) async throws -> WorkingDaysDTO {
        let path = "/api/v1/calendar/add-working-days?from=\(from)&days=\(days)" + (region.map { "&region=\($0)" } ?? "")
        let response = try await app.testable().sendRequest(.GET, path)
        XCTAssertEqual(response.status, .ok, response.body.string)
        return try response.content.decode(WorkingDaysDTO.self)
    }

    func testTheAPICountsWorkingDaysAcrossHolidaysAndAdjustedWorkdays() async throws {
        // Received 2025-09-30: Oct 1–8 rest, Oct 9 (Thu), 10 (Fri), 11 (adjusted Saturday), 13, 14.
        let national = try await addDays("2025-09-30", 5)
        XCTAssertEqual(national.date, "2025-10-14")
        XCTAssertFalse(national.provisional)
        let fridayStart = try await addDays("2026-11-20", 1)
        XCTAssertEqual(fridayStart.date, "2026-11-23", "counting starts the next day; the weekend rests")
        let unknownYear = try await addDays("2027-06-01", 5)
        XCTAssertTrue(unknownYear.provisional)
        let bad = try await app.testable().sendRequest(.GET, "/api/v1/calendar/add-working-days?from=2025-13-01&days=5")
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("YYYY-MM-DD"))
        let negative = try await app.testable().sendRequest(.GET, "/api/v1/calendar/add-working-days?from=2025-01-01&days=-1")
        XCTAssertEqual(negative.status, .unprocessableEntity)
    }

    func testAnAdministratorAddsNextYearAndARegionalHoliday() async throws {
        let admin = try await loggedIn("demo.sysadmin")
        let page = try await admin.get("/admin/calendar")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("2026"))
        let bad = try await admin.post(
            "/admin/calendar/years", ["year": "2027", "holidays": "国庆节 2027-10-07 2027-10-01", "workdays": ""])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.string.contains("id=\"holidays-error\""))
        XCTAssertTrue(bad.body.string.contains("国庆节 2027-10-07 2027-10-01"), "what was typed is kept")
        let badDay = try await admin.post(
            "/admin/calendar/years", ["year": "2027", "holidays": "劳动节 2027-05-01 2027-05-05", "workdays": "明天"])
        XCTAssertTrue(badDay.body.string.contains("id=\"workdays-error\""))
        let saved = try await admin.post(
            "/admin/calendar/years",
            ["year": "2027", "holidays": "元旦 2027-01-01 2027-01-01\n劳动节 2027-05-01 2027-05-05", "workdays": "2027-04-25"])
        XCTAssertEqual(saved.status, .seeOther, saved.body.string)
        // Friday 2027-04-30, then May 1–5 rest: the first working day is Thursday May 6.
        let afterMayDay = try await addDays("2027-04-30", 1)
        XCTAssertEqual(afterMayDay.date, "2027-05-06")
        XCTAssertFalse(afterMayDay.provisional)
        let sunday = try await addDays("2027-04-24", 1)
        XCTAssertEqual(sunday.date, "2027-04-25", "the adjusted Sunday is a working day")

        expectEqual(
            try await admin.post("/admin/calendar/overrides", ["region": "469024", "restDays": "2027-04-09", "note": "三月三"]).status,
            .seeOther)
        let local = try await addDays("2027-04-08", 1, region: "469024")
        XCTAssertEqual(local.date, "2027-04-12", "Friday 04-09 is the county's holiday")
        let elsewhere = try await addDays("2027-04-08", 1, region: "110000")
        XCTAssertEqual(elsewhere.date, "2027-04-09")

        let county = try await loggedIn("demo.orgadmin")
        let forbidden = try await county.get("/admin/calendar")
        XCTAssertEqual(forbidden.status, .forbidden)
        let entries = try await AuditEntry.query(on: app.db).filter(\.$entityType == "holiday_year").count()
        XCTAssertEqual(entries, 1)
    }
}
