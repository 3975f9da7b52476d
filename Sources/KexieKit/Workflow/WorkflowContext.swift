import Foundation

/// Everything a guard may look at, passed in by the caller so the engine never reads a clock
/// or a database and stays deterministic in tests.
public struct WorkflowContext: Sendable, Equatable {
    /// The instant written into the history record.
    public var now: Date
    /// The calendar day guards count from (in China time; see `Day.today`).
    public var today: Day
    /// Named dates of this case, e.g. `"answered"` → the day of the answer.
    public var dates: [String: Day]
    /// Named numbers supplied with the action, e.g. `"rating"` → 4.
    public var numbers: [String: Int]

    public init(now: Date, today: Day, dates: [String: Day] = [:], numbers: [String: Int] = [:]) {
        self.now = now
        self.today = today
        self.dates = dates
        self.numbers = numbers
    }

    /// Convenience that derives `today` from `now` in China time.
    public init(now: Date = Date(), dates: [String: Day] = [:], numbers: [String: Int] = [:]) {
        self.init(now: now, today: Day.today(now: now), dates: dates, numbers: numbers)
    }
}
