/// 红黄绿 status of a task: how far it is against how far it should be by now.
///
/// The expected progress grows linearly from the plan's start (1 January of its year) to the task's
/// deadline (31 December when it has none): a task due on 30 June should be half done on 1 April.
/// A task is green when its progress is at most 10 points behind, amber up to 25 points behind, red
/// beyond that or when its deadline passed unfinished. Completed tasks are green. The thresholds are
/// the ones a supervisor reads at a glance; they are parameters so a plan could change them later.
public struct TaskProgress: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable, Codable {
        case green, amber, red

        public var label: String {
            switch self {
            case .green: return "正常"
            case .amber: return "滞后"
            case .red: return "严重滞后"
            }
        }
    }

    /// Percent 0…100 the task should have reached today.
    public let expected: Int
    public let actual: Int
    public let status: Status

    public init(actual: Int, done: Bool, start: Day, deadline: Day, today: Day, amberGap: Int = 10, redGap: Int = 25) {
        let total = max(1, start.days(to: deadline))
        let elapsed = min(max(0, start.days(to: today)), total)
        expected = today > deadline ? 100 : Int((Double(elapsed) / Double(total) * 100).rounded())
        self.actual = min(100, max(0, actual))
        if done {
            status = .green
        } else if today > deadline {
            status = .red
        } else if expected - self.actual > redGap {
            status = .red
        } else if expected - self.actual > amberGap {
            status = .amber
        } else {
            status = .green
        }
    }
}

/// The annual evaluation of one task (纳入工作绩效): completion, timeliness and quality, each 0…100,
/// weighted by the plan's weights.
public struct TaskScore: Sendable, Equatable {
    public let completion: Double
    public let timeliness: Double
    public let quality: Double

    /// - completion: the reported percent, or the share of numeric targets reached when higher
    ///   (targets count themselves; a task whose figures are met is complete in substance).
    /// - timeliness: 100 when completed by the deadline; 10 points off per started week late, down
    ///   to 40 for completed-late; an unfinished task past its deadline scores 0, one not yet due
    ///   scores in proportion to its progress against the expected.
    /// - quality: the supervisor's score given on approval; unscored tasks take the completion.
    public init(percent: Int, targetsReached: Double?, completedOn: Day?, deadline: Day, today: Day, expected: Int, quality: Int?) {
        let reported = Double(min(100, max(0, percent)))
        completion = max(reported, (targetsReached ?? 0) * 100)
        if let completedOn {
            let late = deadline.days(to: completedOn)
            timeliness = late <= 0 ? 100 : max(40, 100 - Double((late + 6) / 7) * 10)
        } else if today > deadline {
            timeliness = 0
        } else {
            timeliness = expected <= 0 ? 100 : min(100, reported / Double(expected) * 100)
        }
        self.quality = quality.map { Double(min(100, max(0, $0))) } ?? completion
    }

    /// Weighted total; weights need not sum to 100.
    public func total(completionWeight: Int, timelinessWeight: Int, qualityWeight: Int) -> Double {
        let sum = Double(completionWeight + timelinessWeight + qualityWeight)
        guard sum > 0 else { return 0 }
        return (completion * Double(completionWeight) + timeliness * Double(timelinessWeight) + quality * Double(qualityWeight)) / sum
    }
}
