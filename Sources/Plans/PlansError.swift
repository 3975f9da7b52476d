import KexieKit
import Platform
import Vapor

/// Refusals of plan documents, their review and progress reports, each with a stable code
/// (`plans.…`). Generic ones (not found, no permission, a field left empty) stay `PlatformError`.
public enum PlansError: KexieError, Equatable {
    /// The file is not a plan document the parser can read (type, encoding, a damaged .docx, empty).
    case documentUnreadable(PlanParseError)
    /// The document was read but holds no work item with a responsible unit.
    case noTasksFound
    /// The plan was confirmed: its parsed tasks no longer change.
    case planConfirmed
    /// The review form's problems by field ("heading-<task>", "map-<name>"), shown beside each field.
    case reviewIncomplete([String: String])
    /// A target the platform counts itself (bound to a metric) takes no reported figure.
    case targetMeasuredAutomatically(targetID: UUID, text: String)

    public enum Code: String, KexieErrorCode {
        case documentUnreadable = "document_unreadable"
        case noTasksFound = "no_tasks_found"
        case planConfirmed = "plan_confirmed"
        case reviewIncomplete = "review_incomplete"
        case targetMeasuredAutomatically = "target_measured_automatically"

        public static var module: String { "plans" }

        public var status: HTTPResponseStatus {
            switch self {
            case .documentUnreadable, .noTasksFound, .reviewIncomplete, .targetMeasuredAutomatically: return .unprocessableEntity
            case .planConfirmed: return .conflict
            }
        }

        public var summary: String {
            switch self {
            case .documentUnreadable: return "无法读取该文件（类型、编码不受支持，文档损坏或为空），field 为 file"
            case .noTasksFound: return "文档中没有找到带责任单位的工作事项，请确认上传的是工作要点或计划"
            case .planConfirmed: return "该计划已确认，不能再修改解析结果"
            case .reviewIncomplete: return "核对结果有误，fields 按字段给出说明"
            case .targetMeasuredAutomatically: return "该指标由系统自动统计，无需填报"
            }
        }
    }

    public var errorCode: Code {
        switch self {
        case .documentUnreadable: return .documentUnreadable
        case .noTasksFound: return .noTasksFound
        case .planConfirmed: return .planConfirmed
        case .reviewIncomplete: return .reviewIncomplete
        case .targetMeasuredAutomatically: return .targetMeasuredAutomatically
        }
    }

    public var message: String {
        switch self {
        case .documentUnreadable(let error): return error.message
        case .reviewIncomplete(let errors): return errors.sorted { $0.key < $1.key }.map(\.value).prefix(5).joined(separator: "；")
        case .targetMeasuredAutomatically(_, let text): return "“\(text)”由系统自动统计，无需填报"
        default: return errorCode.summary
        }
    }

    public var field: String? {
        switch self {
        case .documentUnreadable, .noTasksFound: return "file"
        case .reviewIncomplete(let errors): return errors.keys.sorted().first
        case .targetMeasuredAutomatically(let id, _): return "actual-\(id.uuidString)"
        case .planConfirmed: return nil
        }
    }

    public var fields: [String: String]? {
        guard case .reviewIncomplete(let errors) = self else { return nil }
        return errors
    }
}
