import KexieKit
import Vapor

/// One module's list of stable error codes, one case per code: the raw value is the reason
/// (`tracking_number_unknown`), `code` adds the module (`servicehall.tracking_number_unknown`). A code
/// always answers with the same HTTP status, so the OpenAPI document can list under each status the
/// codes it may carry. Codes are a contract with API clients: add new ones, never rename or reuse one.
public protocol KexieErrorCode: RawRepresentable, CaseIterable, Sendable where RawValue == String {
    /// The module's prefix, the part before the dot: `platform`, `members`, `servicehall`, …
    static var module: String { get }
    var status: HTTPResponseStatus { get }
    /// What the code means, in Chinese, as the OpenAPI document lists it.
    var summary: String { get }
}

extension KexieErrorCode {
    public var code: String { "\(Self.module).\(rawValue)" }

    /// Every code of this enum, for `KexieModule.errorCodes` and the OpenAPI document.
    public static var catalog: [ErrorCodeEntry] {
        allCases.map { ErrorCodeEntry(code: $0.code, status: Int($0.status.code), summary: $0.summary) }
    }
}

/// A code as the OpenAPI document lists it.
public struct ErrorCodeEntry: Sendable, Hashable {
    public let code: String
    public let status: Int
    public let summary: String

    public init(code: String, status: Int, summary: String) {
        self.code = code
        self.status = status
        self.summary = summary
    }
}

/// What every module's error enum conforms to: a stable machine code (whose enum also fixes the HTTP
/// status) that tests and API clients rely on, and a Chinese message for people. `KexieErrorMiddleware`
/// renders it as JSON under `/api` and as an error page elsewhere. Code that reacts to an error matches
/// its case or its code, never its message.
public protocol KexieError: AbortError {
    associatedtype Code: KexieErrorCode
    var errorCode: Code { get }
    var message: String { get }
    /// The form or body field the message is about, when there is one.
    var field: String? { get }
    /// Every refused field with its message, when a body was checked as a whole.
    var fields: [String: String]? { get }
}

extension KexieError {
    public var code: String { errorCode.code }
    public var status: HTTPResponseStatus { errorCode.status }
    public var reason: String { message }
    public var field: String? { nil }
    public var fields: [String: String]? { nil }
}

extension KexieError {
    /// Whether a page shows this error on the form that caused it, with its status, instead of leaving
    /// for the error page: input it cannot take (422), a state of the record that does not allow it
    /// (409), or a refusal whose reason the person can act on (a 403 other than the bare "no permission",
    /// the stale form or the read-only token).
    public var isFormRefusal: Bool {
        switch status {
        case .unprocessableEntity, .conflict: return true
        case .forbidden:
            guard let platform = self as? PlatformError else { return true }
            switch platform {
            case .forbiddenBecause, .workflowRefused: return true
            default: return false
            }
        default: return false
        }
    }
}

public enum PlatformError: KexieError, Equatable {
    case badRequest
    case unauthenticated
    case tokenInvalid
    case forbidden
    /// Forbidden with the reason a person can act on ("该账号持有您无权管理的角色").
    case forbiddenBecause(String)
    case readOnlyToken
    case csrfRejected
    case setupUnavailable
    case notFound
    /// A path under `/api/v1` that exists, but not for this method.
    case methodNotAllowed(method: String, allowed: [String])
    case invalidInput(field: String?, message: String)
    /// A refusal by a workflow's transition table (wrong state, wrong role, comment missing, a guard).
    case workflowRefused(WorkflowRefusal)
    case conflict(message: String)
    /// The record moved on while the request was acting on it (someone else handled it first).
    case stateChanged
    /// The body is larger than the route accepts; `limit` in bytes when known.
    case payloadTooLarge(limit: Int?)
    case unsupportedMediaType
    case rateLimited
    case internalError
    /// The form is a draft or no longer collects answers.
    case formNotOpen
    /// The form's definition has problems (each a sentence naming the field); publishing waits for them.
    case formDefinitionInvalid([String])
    /// 公示: an objection filed before the publicity starts or after it ends.
    case publicityClosed
    /// 公示: the objection has a verdict already; a decision is final.
    case publicityObjectionDecided
    /// 公示: no objection has this receipt code.
    case publicityCodeUnknown

    public enum Code: String, KexieErrorCode {
        case badRequest = "bad_request"
        case unauthenticated
        case tokenInvalid = "token_invalid"
        case forbidden
        case readOnlyToken = "read_only_token"
        case csrfRejected = "csrf_rejected"
        case setupUnavailable = "setup_unavailable"
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case conflict
        case stateChanged = "state_changed"
        case payloadTooLarge = "payload_too_large"
        case unsupportedMediaType = "unsupported_media_type"
        case invalidInput = "invalid_input"
        case workflowInvalidState = "workflow_invalid_state"
        case workflowNotPermitted = "workflow_not_permitted"
        case workflowCommentRequired = "workflow_comment_required"
        case workflowConditionUnmet = "workflow_condition_unmet"
        case rateLimited = "rate_limited"
        case internalError = "internal"
        case formNotOpen = "form_not_open"
        case formDefinitionInvalid = "form_definition_invalid"
        case publicityClosed = "publicity_closed"
        case publicityObjectionDecided = "publicity_objection_decided"
        case publicityCodeUnknown = "publicity_code_unknown"

        public static var module: String { "platform" }

        public var status: HTTPResponseStatus {
            switch self {
            case .badRequest: return .badRequest
            case .unauthenticated, .tokenInvalid: return .unauthorized
            case .forbidden, .readOnlyToken, .csrfRejected, .setupUnavailable, .workflowNotPermitted: return .forbidden
            case .notFound, .publicityCodeUnknown: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .conflict, .stateChanged, .formNotOpen, .publicityClosed, .publicityObjectionDecided: return .conflict
            case .payloadTooLarge: return .payloadTooLarge
            case .unsupportedMediaType: return .unsupportedMediaType
            case .invalidInput, .workflowInvalidState, .workflowCommentRequired, .workflowConditionUnmet, .formDefinitionInvalid:
                return .unprocessableEntity
            case .rateLimited: return .tooManyRequests
            case .internalError: return .internalServerError
            }
        }

        public var summary: String {
            switch self {
            case .badRequest: return "请求格式不正确"
            case .unauthenticated: return "未登录或未携带令牌"
            case .tokenInvalid: return "访问令牌无效、已过期或已撤销"
            case .forbidden: return "没有权限，message 说明原因"
            case .readOnlyToken: return "只读令牌只能查询，不能修改数据"
            case .csrfRejected: return "表单已过期或来源不可信"
            case .setupUnavailable: return "初始化链接无效或已使用"
            case .notFound: return "不存在或不在管理范围内"
            case .methodNotAllowed: return "路径存在但不支持所用方法，Allow 头列出可用的方法"
            case .conflict: return "与当前状态冲突"
            case .stateChanged: return "该事项已被他人处理，请刷新后再操作"
            case .payloadTooLarge: return "请求体超过上限"
            case .unsupportedMediaType: return "不支持的请求体格式（Content-Type）"
            case .invalidInput: return "填写有误；field 为出错的字段，整体校验时 fields 给出每个字段的说明"
            case .workflowInvalidState: return "当前状态不能执行这一步"
            case .workflowNotPermitted: return "当前身份不能执行这一步"
            case .workflowCommentRequired: return "这一步须填写意见或理由（field 为 comment）"
            case .workflowConditionUnmet: return "这一步的条件尚未满足（如期限未到或已过）"
            case .rateLimited: return "操作过于频繁，请稍后再试"
            case .internalError: return "服务器内部错误"
            case .formNotOpen: return "表单尚未发布或已停止收集"
            case .formDefinitionInvalid: return "表单的字段设置有误，message 列出每一处"
            case .publicityClosed: return "不在公示期内，不受理异议"
            case .publicityObjectionDecided: return "该异议已有处理结论，结论不可更改"
            case .publicityCodeUnknown: return "没有这个异议查询码"
            }
        }

        /// The platform's code for an HTTP error that carries none (the router's 404, Vapor's 400 for a
        /// body it cannot decode, 413 for one too large): the code of that status, else the nearest.
        public init(status: HTTPResponseStatus) {
            switch status.code {
            case 401: self = .unauthenticated
            case 403: self = .forbidden
            case 404: self = .notFound
            case 405: self = .methodNotAllowed
            case 409: self = .conflict
            case 413: self = .payloadTooLarge
            case 415: self = .unsupportedMediaType
            case 422: self = .invalidInput
            case 429: self = .rateLimited
            case 400..<500: self = .badRequest
            default: self = .internalError
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .badRequest: return .badRequest
        case .unauthenticated: return .unauthenticated
        case .tokenInvalid: return .tokenInvalid
        case .forbidden, .forbiddenBecause: return .forbidden
        case .readOnlyToken: return .readOnlyToken
        case .csrfRejected: return .csrfRejected
        case .setupUnavailable: return .setupUnavailable
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .invalidInput: return .invalidInput
        case .workflowRefused(let refusal):
            switch refusal {
            case .invalidState: return .workflowInvalidState
            case .notPermitted: return .workflowNotPermitted
            case .commentRequired: return .workflowCommentRequired
            case .guardFailed: return .workflowConditionUnmet
            }
        case .conflict: return .conflict
        case .stateChanged: return .stateChanged
        case .payloadTooLarge: return .payloadTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .rateLimited: return .rateLimited
        case .internalError: return .internalError
        case .formNotOpen: return .formNotOpen
        case .formDefinitionInvalid: return .formDefinitionInvalid
        case .publicityClosed: return .publicityClosed
        case .publicityObjectionDecided: return .publicityObjectionDecided
        case .publicityCodeUnknown: return .publicityCodeUnknown
        }
    }

    public var message: String {
        switch self {
        case .badRequest: return "请求格式不正确，请检查后重试"
        case .unauthenticated: return "请先登录"
        case .tokenInvalid: return "访问令牌无效、已过期或已撤销"
        case .forbidden: return "您没有权限执行此操作"
        case .forbiddenBecause(let reason): return reason
        case .readOnlyToken: return "只读令牌只能查询，不能修改数据"
        case .csrfRejected: return "表单已过期或来源不可信，请刷新页面后重试"
        case .setupUnavailable: return "初始化链接无效或已使用"
        case .notFound: return "您访问的内容不存在或不在您的管理范围内"
        case .methodNotAllowed(let method, let allowed): return "此地址不支持 \(method) 请求（可用：\(allowed.joined(separator: "、"))）"
        case .invalidInput(_, let message): return message
        case .workflowRefused(let refusal): return refusal.message
        case .conflict(let message): return message
        case .stateChanged: return "该事项已被他人处理，请刷新页面后再操作"
        case .payloadTooLarge(let limit):
            return limit.map { "请求内容过大（上限 \($0 / 1024) KB）" } ?? "上传的内容超过大小限制"
        case .unsupportedMediaType: return "不支持此请求体格式，请使用 application/json"
        case .rateLimited: return "操作过于频繁，请稍后再试"
        case .internalError: return "服务器暂时无法完成请求，请稍后再试。如持续出现，请联系系统管理员。"
        case .formNotOpen: return "该表单尚未发布或已停止收集"
        case .formDefinitionInvalid(let problems): return problems.joined(separator: "；")
        case .publicityClosed: return "不在公示期内，不能提出异议（公示期内方可提出）"
        case .publicityObjectionDecided: return "该异议已有处理结论，不能再次处理"
        case .publicityCodeUnknown: return "未找到该查询码对应的异议，请核对后重新输入"
        }
    }

    public var field: String? {
        switch self {
        case .invalidInput(let field, _): return field
        case .workflowRefused(.commentRequired): return "comment"
        case .workflowRefused(.invalidState), .workflowRefused(.guardFailed): return "action"
        default: return nil
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
    public let invalid: FieldErrors
    public let field: String?

    public init(_ fields: FieldErrors, order: [String]) {
        invalid = fields
        field = order.first { fields[$0] != nil } ?? fields.messages.keys.sorted().first ?? ""
    }

    public var errorCode: PlatformError.Code { .invalidInput }
    public var message: String { field.flatMap { invalid[$0] } ?? "" }
    public var fields: [String: String]? { invalid.messages }
}
