/// A condition on a transition beyond state and role. An enum rather than a closure so a table
/// can be compared, printed for administrators and checked in tests.
public enum TransitionGuard: Sendable, Equatable {
    /// `today` is at most `days` calendar days after the named date (and the date is known).
    /// `description` names the event in the refusal, e.g. "答复".
    case withinDays(Int, after: String, description: String)
    /// `today` is at least `days` calendar days after the named date (timers such as auto-close).
    case atLeastDays(Int, after: String, description: String)
    /// The named number is present and inside `range` (e.g. a 1–5 rating).
    case number(String, in: ClosedRange<Int>, description: String)
    /// The named number is absent or at most `max` (e.g. reopening only when not satisfied).
    case numberAbsentOrAtMost(String, max: Int, message: String)

    /// True for checks on what the actor submits with the action rather than on the case, so
    /// buttons are not hidden before the actor has had a chance to fill in the form.
    var checksInput: Bool {
        if case .number = self { return true }
        return false
    }

    /// nil when the guard passes. Calendar days, not working days: the 15-day reopen window and
    /// the 7-day auto-close are promises to the public that read as plain dates.
    func refusal(in context: WorkflowContext, actionLabel: String) -> WorkflowRefusal? {
        switch self {
        case .withinDays(let days, let key, let what):
            guard let start = context.dates[key] else {
                return .guardFailed(code: "workflow.guard.missing_date", message: "缺少\(what)日期，不能\(actionLabel)")
            }
            let elapsed = start.days(to: context.today)
            guard elapsed >= 0, elapsed <= days else {
                return .guardFailed(code: "workflow.guard.window_closed", message: "\(what)后 \(days) 日内才能\(actionLabel)")
            }
            return nil
        case .atLeastDays(let days, let key, let what):
            guard let start = context.dates[key] else {
                return .guardFailed(code: "workflow.guard.missing_date", message: "缺少\(what)日期，不能\(actionLabel)")
            }
            guard start.days(to: context.today) >= days else {
                return .guardFailed(code: "workflow.guard.too_early", message: "\(what)满 \(days) 日后才能\(actionLabel)")
            }
            return nil
        case .number(let key, let range, let what):
            guard let value = context.numbers[key], range.contains(value) else {
                return .guardFailed(
                    code: "workflow.guard.number_out_of_range",
                    message: "\(what)须为 \(range.lowerBound)–\(range.upperBound)")
            }
            return nil
        case .numberAbsentOrAtMost(let key, let max, let message):
            if let value = context.numbers[key], value > max {
                return .guardFailed(code: "workflow.guard.number_too_high", message: message)
            }
            return nil
        }
    }
}
