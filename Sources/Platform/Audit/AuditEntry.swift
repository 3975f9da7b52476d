import Fluent
import Foundation

/// One row of the append-only audit log. `id` is the chain sequence, assigned under a lock by
/// `AuditLog.append`; `occurredAt` is stored as ISO-8601 text so the hashed value survives any
/// database's timestamp precision unchanged.
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "platform_audit_entries"

    @ID(custom: "id", generatedBy: .user) public var id: Int64?
    @Field(key: "occurred_at") public var occurredAt: String
    @Field(key: "actor_id") public var actorID: String
    @Field(key: "actor_name") public var actorName: String
    @Field(key: "organization_id") public var organizationID: String
    @Field(key: "client_address") public var clientAddress: String
    @Field(key: "action") public var action: String
    @Field(key: "entity_type") public var entityType: String
    @Field(key: "entity_id") public var entityID: String
    @Field(key: "summary") public var summary: String
    @Field(key: "previous_hash") public var previousHash: String
    @Field(key: "hash") public var hash: String

    public init() {}
}

/// The newest sequence and hash, kept beside the chain so that deleting the newest rows is detected too.
final class AuditHead: Model, @unchecked Sendable {
    static let schema = "platform_audit_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "last_sequence") var lastSequence: Int64
    @Field(key: "last_hash") var lastHash: String

    init() {}

    init(lastSequence: Int64, lastHash: String) {
        self.id = 1
        self.lastSequence = lastSequence
        self.lastHash = lastHash
    }
}
