import XCTest

@testable import KexieKit

final class WorkingDayCalendarTests: XCTestCase {
    private var calendar: WorkingDayCalendar!

    override func setUpWithError() throws {
        calendar = WorkingDayCalendar(schedule: try HolidaySchedule.bundled())
    }

    private func day(_ text: String) -> Day { Day(text)! }

    func testBundledDataMatchesThePublishedNationalDayArrangementFor2025() throws {
        let schedule = try HolidaySchedule.bundled()
        XCTAssertTrue(schedule.hasSchedule(for: 2025))
        XCTAssertTrue(schedule.hasSchedule(for: 2026))
        XCTAssertEqual(schedule.holidayName(on: day("2025-10-01")), "国庆节、中秋节")
        XCTAssertEqual(schedule.holidayName(on: day("2025-10-08")), "国庆节、中秋节")
        XCTAssertNil(schedule.holidayName(on: day("2025-10-09")))
        // The adjusted workdays around National Day 2025 are Sunday 28 Sep and Saturday 11 Oct.
        XCTAssertTrue(calendar.isWorkingDay(day("2025-09-28")))
        XCTAssertTrue(calendar.isWorkingDay(day("2025-10-11")))
        XCTAssertFalse(calendar.isWorkingDay(day("2025-10-12")))
    }

    func testFiveWorkingDaysFromTheEveOfNationalDayEndAfterTheHoliday() {
        // 10-09 Thu, 10-10 Fri, 10-11 Sat (adjusted), 10-13 Mon, 10-14 Tue.
        let result = calendar.addWorkingDays(from: day("2025-09-30"), days: 5, region: nil)
        XCTAssertEqual(result, DeadlineResult(date: day("2025-10-14"), provisional: false))
    }

    func testTheDayOfReceiptIsNotCountedEvenWhenItIsAWorkingDay() {
        XCTAssertEqual(calendar.addWorkingDays(from: day("2025-11-03"), days: 1).date, day("2025-11-04"))
        XCTAssertEqual(calendar.addWorkingDays(from: day("2025-11-03"), days: 0).date, day("2025-11-03"))
    }

    func testAdjustedWeekendWorkdaysCountAsWorkingDays() {
        // Received Fri 2025-09-26: Sat 27 rests, Sun 28 is 调休上班, Mon 29 is the second.
        XCTAssertEqual(calendar.addWorkingDays(from: day("2025-09-26"), days: 2).date, day("2025-09-29"))
    }

    func testSpringFestival2026IsSkippedAndItsAdjustedSaturdaysCount() {
        // Thu 02-12 received: Fri 13, Sat 14 (adjusted), holiday 15–23, Tue 24.
        XCTAssertEqual(calendar.addWorkingDays(from: day("2026-02-12"), days: 3).date, day("2026-02-24"))
        // Sat 02-28 is also adjusted: Tue 24, Wed 25, Thu 26, Fri 27, Sat 28.
        XCTAssertEqual(calendar.addWorkingDays(from: day("2026-02-23"), days: 5).date, day("2026-02-28"))
        XCTAssertEqual(calendar.workingDays(between: day("2026-02-12"), and: day("2026-02-28")), 7)
    }

    func testDeadlinesReachingAYearWithoutScheduleAreProvisional() {
        // 12-29, 12-30, 12-31, then 2027-01-01 (unknown, a Friday, counted) and Mon 01-04.
        let result = calendar.addWorkingDays(from: day("2026-12-28"), days: 5)
        XCTAssertEqual(result, DeadlineResult(date: day("2027-01-04"), provisional: true))
        XCTAssertFalse(calendar.addWorkingDays(from: day("2026-12-01"), days: 5).provisional)
    }

    func testAYearAddedAtRunTimeMakesTheDeadlineFinal() throws {
        // Hypothetical 2027 元旦 arrangement entered by an administrator.
        let year2027 = HolidayYear(
            year: 2027, source: "测试数据",
            holidays: [.init(name: "元旦", start: day("2027-01-01"), end: day("2027-01-03"))],
            adjustedWorkdays: [])
        let extended = WorkingDayCalendar(schedule: try calendar.schedule.adding(year2027))
        let result = extended.addWorkingDays(from: day("2026-12-28"), days: 5)
        XCTAssertEqual(result, DeadlineResult(date: day("2027-01-05"), provisional: false))
    }

    func testInvalidAdministratorInputIsRejectedWithChineseMessages() {
        let weekdayAsWorkday = HolidayYear(year: 2027, holidays: [], adjustedWorkdays: [day("2027-01-06")])
        XCTAssertThrowsError(try calendar.schedule.adding(weekdayAsWorkday)) {
            XCTAssertEqual(($0 as? HolidayScheduleError)?.code, "holiday_schedule.workday_not_weekend")
            XCTAssertEqual(($0 as? HolidayScheduleError)?.message, "调休上班日 2027-01-06 不是周末，无需设置")
        }
        let backwards = HolidayYear(
            year: 2027, holidays: [.init(name: "春节", start: day("2027-02-10"), end: day("2027-02-05"))],
            adjustedWorkdays: [])
        XCTAssertThrowsError(try calendar.schedule.adding(backwards)) {
            XCTAssertEqual($0 as? HolidayScheduleError, .invalidRange("春节"))
        }
        XCTAssertThrowsError(try HolidaySchedule(json: Data("{\"years\": [{\"year\": 2027}]}".utf8))) {
            XCTAssertEqual(($0 as? HolidayScheduleError)?.code, "holiday_schedule.malformed")
        }
    }

    func testRegionalRestDaysApplyToTheProvinceAndItsCitiesOnly() {
        // Hypothetical two-day regional festival for Guangxi (450000).
        let regional = WorkingDayCalendar(
            schedule: calendar.schedule.adding(
                RegionalOverride(region: "450000", restDays: [day("2026-04-20"), day("2026-04-21")], note: "三月三")))
        XCTAssertFalse(regional.isWorkingDay(day("2026-04-20"), region: "450000"))
        XCTAssertFalse(regional.isWorkingDay(day("2026-04-20"), region: "450102"), "Nanning district inherits")
        XCTAssertTrue(regional.isWorkingDay(day("2026-04-20"), region: "110000"))
        XCTAssertTrue(regional.isWorkingDay(day("2026-04-20"), region: nil))
        // Fri 04-17 received, 2 days: Mon 20 and Tue 21 rest in Guangxi → Wed 22, Thu 23.
        XCTAssertEqual(regional.addWorkingDays(from: day("2026-04-17"), days: 2, region: "450100").date, day("2026-04-23"))
        XCTAssertEqual(regional.addWorkingDays(from: day("2026-04-17"), days: 2, region: "110000").date, day("2026-04-21"))
    }

    func testRegionalExtraWorkdayOverridesAWeekend() {
        let regional = WorkingDayCalendar(
            schedule: calendar.schedule.adding(
                RegionalOverride(region: "HN-TEST", workdays: [day("2026-03-07")])))
        XCTAssertTrue(regional.isWorkingDay(day("2026-03-07"), region: "HN-TEST"))
        XCTAssertFalse(regional.isWorkingDay(day("2026-03-07"), region: "HN-TESTX"))
        XCTAssertEqual(regional.workingDays(between: day("2026-03-06"), and: day("2026-03-09"), region: "HN-TEST"), 2)
        XCTAssertEqual(regional.workingDays(between: day("2026-03-06"), and: day("2026-03-09")), 1)
    }

    func testElapsedWorkingDaysSupportNearLimitWarnings() {
        let received = day("2025-09-30")
        XCTAssertEqual(calendar.workingDays(between: received, and: day("2025-10-14")), 5)
        XCTAssertEqual(calendar.workingDays(between: received, and: day("2025-10-08")), 0)
        XCTAssertEqual(calendar.workingDays(between: received, and: received), 0)
        XCTAssertEqual(calendar.workingDays(between: day("2025-10-14"), and: received), 0)
        // A 20-working-day limit: 80% is reached on the 16th working day.
        let limit = 20
        let nearLimit = calendar.addWorkingDays(from: received, days: limit * 8 / 10).date
        XCTAssertEqual(calendar.workingDays(between: received, and: nearLimit), 16)
        XCTAssertEqual(
            calendar.addWorkingDays(from: day("2025-10-14"), days: -5).date, received,
            "counting backwards is the inverse of counting forwards")
    }

    func testWithoutAnyScheduleOnlyWeekendsRestAndEverythingIsProvisional() {
        let bare = WorkingDayCalendar(schedule: HolidaySchedule())
        let result = bare.addWorkingDays(from: day("2025-09-30"), days: 5)
        XCTAssertEqual(result, DeadlineResult(date: day("2025-10-07"), provisional: true))
    }
}
