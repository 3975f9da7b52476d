import XCTest

@testable import KexieKit

final class TimeLimitPolicyTests: XCTestCase {
    var calendar: WorkingDayCalendar!

    override func setUpWithError() throws {
        calendar = WorkingDayCalendar(schedule: try HolidaySchedule.bundled())
    }

    func day(_ text: String) -> Day {
        guard let day = Day(text) else {
            XCTFail("bad day \(text)")
            return Day(dayNumber: 0)
        }
        return day
    }

    /// Received Tue 2025-09-30. Counting starts the next day; 10-01…10-08 is 国庆节、中秋节, so
    /// the working days are Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 调休上班 (3), Mon 10-13 (4),
    /// Tue 10-14 (5). The 5th working day is therefore 10-14, not 10-13.
    func testAcceptanceAcrossNationalDayUsesBundledHolidays() {
        let limit = TimeLimitPolicy(caseType: "consultation").acceptanceLimit(receivedOn: day("2025-09-30"), calendar: calendar)
        XCTAssertEqual(limit.due, day("2025-10-14"))
        XCTAssertFalse(limit.provisional)
        XCTAssertTrue(calendar.isWorkingDay(day("2025-10-11")))
        XCTAssertFalse(calendar.isWorkingDay(day("2025-10-08")))
    }

    func testAnswerLimitCountsFromAcceptance() {
        // Accepted Tue 2025-10-14: 15 working days are 10-15…11-04 (no holidays in between).
        let limit = TimeLimitPolicy(caseType: "consultation").answerLimit(acceptedOn: day("2025-10-14"), calendar: calendar)
        XCTAssertEqual(limit.due, day("2025-11-04"))
        XCTAssertEqual(limit.workingDays, 15)
    }

    func testReceiptOnAFridayStartsCountingMonday() {
        // Fri 2025-11-07 → Mon 11-10 (1) … Fri 11-14 (5).
        let limit = TimeLimitPolicy(caseType: "x").acceptanceLimit(receivedOn: day("2025-11-07"), calendar: calendar)
        XCTAssertEqual(limit.due, day("2025-11-14"))
    }

    func testSpringFestival2026WithAdjustedSaturday() {
        // Fri 2026-02-13 received; Sat 02-14 is 调休上班 (1); 02-15…02-23 春节; Tue 02-24 (2) … Fri 02-27 (5).
        let limit = TimeLimitPolicy(caseType: "x").acceptanceLimit(receivedOn: day("2026-02-13"), calendar: calendar)
        XCTAssertEqual(limit.due, day("2026-02-27"))
    }

    func testNearLimitAndOverdue() {
        // Due 2025-10-14 as above; 80% of 5 is the 4th working day, Mon 10-13.
        let limit = TimeLimitPolicy(caseType: "x").acceptanceLimit(receivedOn: day("2025-09-30"), calendar: calendar)
        XCTAssertEqual(limit.status(on: day("2025-09-30")), .onTime)
        XCTAssertEqual(limit.status(on: day("2025-10-08")), .onTime)
        XCTAssertEqual(limit.elapsedWorkingDays(on: day("2025-10-11")), 3)
        XCTAssertEqual(limit.status(on: day("2025-10-12")), .onTime)
        XCTAssertEqual(limit.status(on: day("2025-10-13")), .nearLimit)
        XCTAssertEqual(limit.remainingWorkingDays(on: day("2025-10-13")), 1)
        XCTAssertEqual(limit.status(on: day("2025-10-14")), .nearLimit)
        XCTAssertEqual(limit.status(on: day("2025-10-15")), .overdue)
        XCTAssertEqual(limit.remainingWorkingDays(on: day("2025-10-20")), 0)
        XCTAssertEqual(TimeLimitStatus.overdue.label, "超期")
    }

    func testFifteenDayNearLimitIsTwelveWorkingDays() {
        let limit = TimeLimitPolicy(caseType: "x").answerLimit(acceptedOn: day("2025-10-14"), calendar: calendar)
        // 10-15 is working day 1; 12th is Thu 10-30, 11th Wed 10-29.
        XCTAssertEqual(limit.status(on: day("2025-10-29")), .onTime)
        XCTAssertEqual(limit.status(on: day("2025-10-30")), .nearLimit)
    }

    func testPoliciesPerCaseTypeFallBackToDefaults() {
        let policies = TimeLimitPolicies(policies: [
            TimeLimitPolicy(caseType: "complaint", acceptWorkingDays: 3, answerWorkingDays: 10, nearLimitPercent: 50)
        ])
        XCTAssertEqual(policies.policy(for: "complaint").acceptWorkingDays, 3)
        XCTAssertEqual(policies.policy(for: "consultation").acceptWorkingDays, 5)
        XCTAssertEqual(policies.policy(for: "consultation").answerWorkingDays, 15)
        let limit = policies.policy(for: "complaint").acceptanceLimit(receivedOn: day("2025-11-07"), calendar: calendar)
        XCTAssertEqual(limit.due, day("2025-11-12"))
        // 50% of 3 is 1.5: the 2nd working day (Tue 11-11) is the first at or past it.
        XCTAssertEqual(limit.status(on: day("2025-11-10")), .onTime)
        XCTAssertEqual(limit.status(on: day("2025-11-11")), .nearLimit)
    }

    func testProvisionalWhenTheYearHasNoHolidayNotice() {
        // Bundled data ends with 2026: a limit running into 2027 is only weekend-aware.
        let limit = TimeLimitPolicy(caseType: "x").acceptanceLimit(receivedOn: day("2026-12-30"), calendar: calendar)
        XCTAssertTrue(limit.provisional)
        // Thu 12-31 (1), then 2027 counted with weekends only: Fri 01-01 (2), Mon 01-04 (3) … Wed 01-06 (5).
        XCTAssertEqual(limit.due, day("2027-01-06"))
        let inside = TimeLimitPolicy(caseType: "x").acceptanceLimit(receivedOn: day("2026-12-01"), calendar: calendar)
        XCTAssertFalse(inside.provisional)
    }

    func testRegionalOverrideMovesTheDueDate() {
        // A typhoon closure in 广西 on Thu 2025-11-13.
        guard let closure = Day("2025-11-13") else { return XCTFail() }
        let regional = WorkingDayCalendar(
            schedule: calendar.schedule.adding(RegionalOverride(region: "450000", restDays: [closure])))
        let policy = TimeLimitPolicy(caseType: "x")
        XCTAssertEqual(policy.acceptanceLimit(receivedOn: day("2025-11-07"), calendar: regional, region: "450100").due, day("2025-11-17"))
        XCTAssertEqual(policy.acceptanceLimit(receivedOn: day("2025-11-07"), calendar: regional, region: "110000").due, day("2025-11-14"))
    }
}
