import Vapor

/// What every module's error enum conforms to: an HTTP status, a stable machine code that tests and API
/// clients rely on, and a Chinese message for people. `KexieErrorMiddleware` renders it as JSON under
/// `/api` and as an error page elsewhere.
public protocol KexieError: AbortError {
    var code: String { get }
    var message: String { get }
}

extension KexieError {
    public var reason: String { message }
}

public enum PlatformError: KexieError, Equatable {
    case unauthenticated
    case forbidden
    /// Forbidden with the reason a person can act on ("只有承办部门可以答复").
    case forbiddenBecause(String)
    case notFound
    case csrfRejected
    case invalidInput(field: String?, message: String)
    case conflict(message: String)
    case setupUnavailable
    case tokenInvalid
    case rateLimited

    public var status: HTTPResponseStatus {
        switch self {
        case .unauthenticated, .tokenInvalid: return .unauthorized
        case .forbidden, .forbiddenBecause, .csrfRejected, .setupUnavailable: return .forbidden
        case .notFound: return .notFound
        case .invalidInput: return .unprocessableEntity
        case .conflict: return .conflict
        case .rateLimited: return .tooManyRequests
        }
    }

    public var code: String {
        switch self {
        case .unauthenticated: return "platform.unauthenticated"
        case .forbidden, .forbiddenBecause: return "platform.forbidden"
        case .notFound: return "platform.not_found"
        case .csrfRejected: return "platform.csrf_rejected"
        case .invalidInput: return "platform.invalid_input"
        case .conflict: return "platform.conflict"
        case .setupUnavailable: return "platform.setup_unavailable"
        case .tokenInvalid: return "platform.token_invalid"
        case .rateLimited: return "platform.rate_limited"
        }
    }

    public var message: String {
        switch self {
        case .unauthenticated: return "请先登录"
        case .forbidden: return "您没有权限执行此操作"
        case .forbiddenBecause(let reason): return reason
        case .notFound: return "您访问的内容不存在或不在您的管理范围内"
        case .csrfRejected: return "表单已过期或来源不可信，请刷新页面后重试"
        case .invalidInput(_, let message): return message
        case .conflict(let message): return message
        case .setupUnavailable: return "初始化链接无效或已使用"
        case .tokenInvalid: return "访问令牌无效、已过期或已撤销"
        case .rateLimited: return "操作过于频繁，请稍后再试"
        }
    }
}

/// Field-level validation problems collected while checking a form or API body, so a page can show
/// each message beside its field and the API can answer 422 with the first one.
public struct FieldErrors: Sendable, Equatable {
    public private(set) var messages: [String: String] = [:]

    public init() {}

    public var isEmpty: Bool { messages.isEmpty }

    public mutating func add(_ field: String, _ message: String) {
        if messages[field] == nil { messages[field] = message }
    }

    public subscript(field: String) -> String? { messages[field] }

    /// Throws the first problem (in the order fields were checked) as a 422 error.
    public func throwIfAny(order: [String]) throws {
        for field in order { if let message = messages[field] { throw PlatformError.invalidInput(field: field, message: message) } }
        if let (field, message) = messages.first { throw PlatformError.invalidInput(field: field, message: message) }
    }
}

/// Every problem of a checked form or API body at once: a 422 whose message is the first problem (in
/// the form's order) and whose `fields` carry each message for its field.
public struct InvalidFields: KexieError {
    public let fields: FieldErrors
    public let field: String

    public init(_ fields: FieldErrors, order: [String]) {
        self.fields = fields
        field = order.first { fields[$0] != nil } ?? fields.messages.keys.sorted().first ?? ""
    }

    public var status: HTTPResponseStatus { .unprocessableEntity }
    public var code: String { PlatformError.invalidInput(field: nil, message: "").code }
    public var message: String { fields[field] ?? "" }
}
