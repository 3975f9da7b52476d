/// The two promises a case type makes to the public, in working days.
public struct TimeLimitPolicy: Sendable, Equatable, Codable {
    public var caseType: String
    /// From receipt to 受理/不予受理.
    public var acceptWorkingDays: Int
    /// From 受理 to 答复.
    public var answerWorkingDays: Int
    /// Share of the limit, in percent, after which a case is flagged as near its limit.
    public var nearLimitPercent: Int

    public init(caseType: String, acceptWorkingDays: Int = 5, answerWorkingDays: Int = 15, nearLimitPercent: Int = 80) {
        self.caseType = caseType
        self.acceptWorkingDays = acceptWorkingDays
        self.answerWorkingDays = answerWorkingDays
        self.nearLimitPercent = nearLimitPercent
    }

    /// Due date for accepting a case received on `receivedOn`. The receipt day is not counted.
    public func acceptanceLimit(receivedOn: Day, calendar: WorkingDayCalendar, region: String? = nil) -> TimeLimit {
        TimeLimit(
            start: receivedOn, workingDays: acceptWorkingDays, nearLimitPercent: nearLimitPercent,
            calendar: calendar, region: region)
    }

    /// Due date for answering a case accepted on `acceptedOn`. The acceptance day is not counted.
    public func answerLimit(acceptedOn: Day, calendar: WorkingDayCalendar, region: String? = nil) -> TimeLimit {
        TimeLimit(
            start: acceptedOn, workingDays: answerWorkingDays, nearLimitPercent: nearLimitPercent,
            calendar: calendar, region: region)
    }
}

/// Policies by case type with a fallback, so an administrator configures only the exceptions.
public struct TimeLimitPolicies: Sendable, Equatable {
    public var fallback: TimeLimitPolicy
    public private(set) var byType: [String: TimeLimitPolicy]

    public init(fallback: TimeLimitPolicy = TimeLimitPolicy(caseType: "*"), policies: [TimeLimitPolicy] = []) {
        self.fallback = fallback
        self.byType = Dictionary(policies.map { ($0.caseType, $0) }, uniquingKeysWith: { _, later in later })
    }

    public func policy(for caseType: String) -> TimeLimitPolicy {
        byType[caseType] ?? fallback
    }
}

public enum TimeLimitStatus: String, Sendable, Equatable, Codable {
    case onTime = "on_time"
    case nearLimit = "near_limit"
    case overdue

    public var label: String {
        switch self {
        case .onTime: return "正常"
        case .nearLimit: return "临期"
        case .overdue: return "超期"
        }
    }
}

/// One running limit: when it started, when it is due and how it stands on a given day.
public struct TimeLimit: Sendable, Equatable {
    public let start: Day
    public let workingDays: Int
    public let due: Day
    /// Passed through from the calendar: the due date may move once a missing year's holiday
    /// notice is loaded, so the UI should say "暂定".
    public let provisional: Bool
    public let nearLimitPercent: Int
    private let calendar: WorkingDayCalendar
    private let region: String?

    public init(start: Day, workingDays: Int, nearLimitPercent: Int = 80, calendar: WorkingDayCalendar, region: String? = nil) {
        let result = calendar.addWorkingDays(from: start, days: max(0, workingDays), region: region)
        self.start = start
        self.workingDays = max(0, workingDays)
        self.due = result.date
        self.provisional = result.provisional
        self.nearLimitPercent = nearLimitPercent
        self.calendar = calendar
        self.region = region
    }

    /// Working days used up by the end of `day`.
    public func elapsedWorkingDays(on day: Day) -> Int {
        calendar.workingDays(between: start, and: day, region: region)
    }

    /// Working days left after `day`, never negative.
    public func remainingWorkingDays(on day: Day) -> Int {
        max(0, workingDays - elapsedWorkingDays(on: day))
    }

    /// Overdue once the due day has passed (a weekend right after the due day is already late).
    /// Near limit once the elapsed share reaches `nearLimitPercent`, compared in integers so
    /// 80% of 5 days is exactly 4 days, not 3.9999.
    public func status(on day: Day) -> TimeLimitStatus {
        if day > due { return .overdue }
        let elapsed = elapsedWorkingDays(on: day)
        if elapsed * 100 >= workingDays * nearLimitPercent { return .nearLimit }
        return .onTime
    }

    public static func == (lhs: TimeLimit, rhs: TimeLimit) -> Bool {
        lhs.start == rhs.start && lhs.workingDays == rhs.workingDays && lhs.due == rhs.due
            && lhs.provisional == rhs.provisional && lhs.nearLimitPercent == rhs.nearLimitPercent
            && lhs.region == rhs.region
    }
}
