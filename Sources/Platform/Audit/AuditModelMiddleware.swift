import Fluent
import Foundation
import Vapor

/// A model whose changes are written to the audit log.
public protocol Audited: Model {
    static var auditEntityType: String { get }
    /// Columns whose values never go into a summary (password hashes, ciphertexts, token hashes).
    static var auditRedactedKeys: Set<String> { get }
    /// What the audit log calls this kind of record (诉求, 计划任务): never the table's name.
    static var auditLabel: String { get }
    /// The column holding the record's own title or name, which the audit log shows instead of its id.
    static var auditTitleColumn: String? { get }
}

extension Audited {
    public static var auditEntityType: String { schema }
    public static var auditRedactedKeys: Set<String> { [] }
    public static var auditLabel: String { "记录" }
    public static var auditTitleColumn: String? { nil }
}

/// Every audited kind of record, by entity type: its Chinese label and where its title is read.
public struct AuditKind: Sendable {
    public let label: String
    let schema: String
    let titleColumn: String?
}

struct AuditKindsKey: StorageKey { typealias Value = [String: AuditKind] }

/// Records every create, update and delete of an audited model in the same transaction as the change,
/// so a change without its audit row (or the reverse) cannot be committed.
struct AuditModelMiddleware<M: Audited>: AsyncModelMiddleware {
    let serializer: WriteSerializer
    let clock: @Sendable () -> Date

    // The actor is read here, still in the request's task: the transaction below may run its body in
    // a task that no longer carries the request's task-locals.
    func create(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let summary = Self.summary(of: model, all: true)
        let context = AuditContext.current ?? .system
        try await write(db) { tx in
            try await next.create(model, on: tx)
            try await self.log("create", model, summary, context, tx)
        }
    }

    func update(model: M, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let summary = Self.summary(of: model, all: false)
        let context = AuditContext.current ?? .system
        try await write(db) { tx in
            try await next.update(model, on: tx)
            try await self.log("update", model, summary, context, tx)
        }
    }

    func delete(model: M, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let context = AuditContext.current ?? .system
        try await write(db) { tx in
            try await next.delete(model, force: force, on: tx)
            try await self.log("delete", model, "删除记录", context, tx)
        }
    }

    private func write(_ db: any Database, _ body: @escaping @Sendable (any Database) async throws -> Void) async throws {
        try await serializer.transaction(on: db, body)
    }

    private func log(_ action: String, _ model: M, _ summary: String, _ context: AuditContext, _ tx: any Database) async throws {
        let id = model.id.map { "\($0)" } ?? ""
        try await AuditLog.append(
            AuditEvent(action: action, entityType: M.auditEntityType, entityID: id, summary: summary),
            context: context, at: clock(), on: tx)
    }

    /// "字段=值" pairs of what the write sends to the database; only changed fields for updates.
    static func summary(of model: M, all: Bool) -> String {
        let collector = InputCollector(all: all)
        model.input(to: collector)
        return collector.pairs
            .filter { !["created_at", "updated_at", "id"].contains($0.key) }
            .sorted { $0.key < $1.key }
            .map { key, value in
                M.auditRedactedKeys.contains(key) ? "\(key)=（已隐藏）" : "\(key)=\(value)"
            }
            .joined(separator: "; ")
    }
}

private final class InputCollector: DatabaseInput {
    let wantsUnmodifiedKeys: Bool
    var pairs: [String: String] = [:]

    init(all: Bool) { wantsUnmodifiedKeys = all }

    func set(_ value: DatabaseQuery.Value, at key: FieldKey) {
        let text: String
        switch value {
        case .bind(let encodable):
            // A typed column (an enum stored by its raw value) reads in the summary as it is stored.
            let stored: Any = (encodable as? any RawRepresentable<String>)?.rawValue ?? encodable
            text = String(String(describing: stored).prefix(120))
        case .null: text = "空"
        case .default: return
        default: text = String(String(describing: value).prefix(120))
        }
        pairs[key.description] = text
    }
}

extension Organization: Audited {
    public static var auditLabel: String { "组织" }
    public static var auditTitleColumn: String? { "name" }
    public static var auditEntityType: String { "organization" }
}

extension Department: Audited {
    public static var auditLabel: String { "部门" }
    public static var auditTitleColumn: String? { "name" }
    public static var auditEntityType: String { "department" }
}

extension User: Audited {
    public static var auditLabel: String { "账号" }
    public static var auditTitleColumn: String? { "display_name" }
    public static var auditEntityType: String { "user" }
    public static var auditRedactedKeys: Set<String> { ["password_hash", "phone_cipher", "phone_lookup"] }
}

extension RoleGrant: Audited {
    public static var auditLabel: String { "角色授予" }
    public static var auditEntityType: String { "role_grant" }
}

extension APIToken: Audited {
    public static var auditLabel: String { "API 令牌" }
    public static var auditTitleColumn: String? { "name" }
    public static var auditEntityType: String { "api_token" }
    public static var auditRedactedKeys: Set<String> { ["token_hash"] }
}

extension PlatformSetting: Audited {
    public static var auditLabel: String { "系统设置" }
    public static var auditEntityType: String { "setting" }
    public static var auditRedactedKeys: Set<String> { ["value"] }
}

/// Handed to modules so they can put their models under audit without touching Fluent configuration.
public struct AuditRegistrar {
    let app: Application
    let serializer: WriteSerializer
    let clock: @Sendable () -> Date

    public func audit<M: Audited>(_ type: M.Type) {
        app.databases.middleware.use(AuditModelMiddleware<M>(serializer: serializer, clock: clock))
        var kinds = app.storage[AuditKindsKey.self] ?? [:]
        kinds[M.auditEntityType] = AuditKind(label: M.auditLabel, schema: M.schema, titleColumn: M.auditTitleColumn)
        app.storage[AuditKindsKey.self] = kinds
    }
}
