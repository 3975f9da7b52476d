import Fluent
import Foundation

/// A login account. The phone number is stored encrypted with a keyed hash beside it for log-in lookups;
/// the database never holds it in plain text.
public final class User: Model, @unchecked Sendable {
    public static let schema = "platform_users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @OptionalField(key: "phone_lookup") public var phoneLookup: String?
    @OptionalField(key: "phone_cipher") public var phoneCipher: String?
    @OptionalField(key: "email") public var email: String?
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "is_active") public var isActive: Bool
    @Field(key: "must_change_password") public var mustChangePassword: Bool
    @OptionalField(key: "last_login_at") public var lastLoginAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: UUID = UUID(), username: String, displayName: String, passwordHash: String) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.isActive = true
        self.mustChangePassword = false
    }
}

/// A role granted to a user for one organization; it applies to that organization's whole subtree.
public final class RoleGrant: Model, @unchecked Sendable {
    public static let schema = "platform_role_grants"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "role") public var role: String
    @Field(key: "organization_id") public var organizationID: UUID
    @OptionalField(key: "department_id") public var departmentID: UUID?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID = UUID(), userID: UUID, role: RoleID, organizationID: UUID, departmentID: UUID? = nil) {
        self.id = id
        self.userID = userID
        self.role = role.rawValue
        self.organizationID = organizationID
        self.departmentID = departmentID
    }
}

/// A browser session. Only the SHA-256 of the cookie value is stored, so a leaked database cannot be
/// replayed as sessions.
public final class WebSession: Model, @unchecked Sendable {
    public static let schema = "platform_sessions"

    @ID(custom: "id", generatedBy: .user) public var id: String?
    @Field(key: "user_id") public var userID: UUID
    @OptionalField(key: "acting_grant_id") public var actingGrantID: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "last_seen_at") public var lastSeenAt: Date
    @Field(key: "client_address") public var clientAddress: String
    @Field(key: "second_factor") public var secondFactor: SecondFactorState

    public init() {}

    public init(
        tokenHash: String, userID: UUID, actingGrantID: UUID?, now: Date, clientAddress: String,
        secondFactor: SecondFactorState = .passed
    ) {
        self.id = tokenHash
        self.userID = userID
        self.actingGrantID = actingGrantID
        self.createdAt = now
        self.lastSeenAt = now
        self.clientAddress = clientAddress
        self.secondFactor = secondFactor
    }
}

/// A bearer token for the JSON API. The token is shown once; only its hash is kept.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "platform_api_tokens"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_hash") public var tokenHash: String
    @Field(key: "prefix") public var prefix: String
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?
    /// A read-only token answers GET and HEAD only.
    @Field(key: "read_only") public var readOnly: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(id: UUID = UUID(), userID: UUID, name: String, tokenHash: String, prefix: String, expiresAt: Date?) {
        self.id = id
        self.userID = userID
        self.name = name
        self.tokenHash = tokenHash
        self.prefix = prefix
        self.expiresAt = expiresAt
        self.readOnly = false
    }
}

/// One log-in attempt, kept to lock an identifier or a client address after repeated failures. Keyed
/// by a hash of the identifier typed, so non-existent user names lock exactly like real ones.
public final class LoginAttempt: Model, @unchecked Sendable {
    public static let schema = "platform_login_attempts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "identifier_key") public var identifierKey: String
    @Field(key: "client_address") public var clientAddress: String
    @Field(key: "succeeded") public var succeeded: Bool
    @Field(key: "attempted_at") public var attemptedAt: Date

    public init() {}

    public init(identifierKey: String, clientAddress: String, succeeded: Bool, attemptedAt: Date) {
        self.id = UUID()
        self.identifierKey = identifierKey
        self.clientAddress = clientAddress
        self.succeeded = succeeded
        self.attemptedAt = attemptedAt
    }
}

/// Small platform-wide settings (for example the hash of the one-time setup token).
public final class PlatformSetting: Model, @unchecked Sendable {
    public static let schema = "platform_settings"

    @ID(custom: "key", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: String
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(key: String, value: String) {
        self.id = key
        self.value = value
    }
}
