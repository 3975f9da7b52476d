/// Why an action was refused. Returned, not thrown: refusing is an ordinary outcome that the
/// web layer turns into a 4xx with `code` and `message`.
public enum WorkflowRefusal: KexieKitError, Equatable {
    /// No transition for this action leaves the current state (or the action is unknown).
    case invalidState(state: String, action: String)
    /// The actor holds none of the allowed participant kinds.
    case notPermitted(action: String, allowed: [String])
    /// A comment/reason is required and was missing or blank.
    case commentRequired(action: String, what: String)
    case guardFailed(code: String, message: String)

    public var code: String {
        switch self {
        case .invalidState: return "workflow.invalid_state"
        case .notPermitted: return "workflow.not_permitted"
        case .commentRequired: return "workflow.comment_required"
        case .guardFailed(let code, _): return code
        }
    }

    public var message: String {
        switch self {
        case .invalidState(let state, let action):
            return "当前状态“\(state)”不能执行“\(action)”"
        case .notPermitted(let action, let allowed):
            return "只有\(allowed.joined(separator: "或"))可以\(action)"
        case .commentRequired(let action, let what):
            return "\(action)须填写\(what)"
        case .guardFailed(_, let message):
            return message
        }
    }
}
