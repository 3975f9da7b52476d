/// The end of a period counted in working days.
public struct DeadlineResult: Sendable, Equatable {
    public let date: Day
    /// True when a counted day lies in a year whose holiday notice is not
    /// loaded yet: only weekends were treated as rest days, so the date may
    /// move once that year's schedule is added.
    public let provisional: Bool

    public init(date: Day, provisional: Bool) {
        self.date = date
        self.provisional = provisional
    }
}

/// Counts working days (工作日) under the national schedule and regional overrides.
public struct WorkingDayCalendar: Sendable {
    public let schedule: HolidaySchedule

    public init(schedule: HolidaySchedule) {
        self.schedule = schedule
    }

    public func isWorkingDay(_ day: Day, region: String? = nil) -> Bool {
        schedule.isWorkingDay(day, region: region)
    }

    /// The `days`-th working day after `start`. The day of receipt itself is
    /// never counted (民法典第二百零一条: periods start on the following day).
    /// With `days == 0` the result is `start`; negative values count backwards.
    public func addWorkingDays(from start: Day, days: Int, region: String? = nil) -> DeadlineResult {
        let step = days < 0 ? -1 : 1
        var remaining = abs(days)
        var day = start
        var provisional = false
        while remaining > 0 {
            day = day.adding(days: step)
            if !schedule.hasSchedule(for: day.year) { provisional = true }
            if isWorkingDay(day, region: region) { remaining -= 1 }
        }
        return DeadlineResult(date: day, provisional: provisional)
    }

    /// Working days after `start` up to and including `end`; 0 when `end` is
    /// not after `start`. Used for elapsed time and near-limit warnings.
    public func workingDays(between start: Day, and end: Day, region: String? = nil) -> Int {
        guard start < end else { return 0 }
        var count = 0
        var day = start.adding(days: 1)
        while day <= end {
            if isWorkingDay(day, region: region) { count += 1 }
            day = day.adding(days: 1)
        }
        return count
    }
}
