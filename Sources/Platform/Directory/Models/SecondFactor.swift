import Fluent
import Foundation
import SQLKit

/// A TOTP authenticator bound to an account. The secret is sealed with the installation key; a code is
/// accepted only for a time step after `lastCounter`, so an observed code cannot be replayed.
public final class SecondFactor: Model, @unchecked Sendable {
    public static let schema = "platform_second_factors"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "secret_cipher") public var secretCipher: String
    /// Nil while enrolment waits for the first correct code.
    @OptionalField(key: "confirmed_at") public var confirmedAt: Date?
    /// The last time step accepted; -1 before any.
    @Field(key: "last_counter") public var lastCounter: Int64
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// One single-use recovery code; only its keyed hash is stored.
public final class RecoveryCode: Model, @unchecked Sendable {
    public static let schema = "platform_recovery_codes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "code_hash") public var codeHash: String
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}
}

/// Where a browser session stands with the second factor, decided at log-in so no request pays a query.
public enum SecondFactorState: String, Codable, Sendable {
    /// No second factor is needed (or it was given).
    case passed
    /// The password was right; the code is still owed. The session acts for nobody until then.
    case pending
    /// An administrator without an authenticator: every page leads to enrolment until it is done.
    case enrolmentRequired = "enrolment_required"
}

struct CreateSecondFactors: AsyncMigration {
    var name: String { "2026_12_07_0900_platform_create_second_factors" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SecondFactor.schema)
            .id()
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("secret_cipher", .string, .required)
            .field("confirmed_at", .datetime)
            .field("last_counter", .int64, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "user_id")
            .create()
        try await database.schema(RecoveryCode.schema)
            .id()
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .field("used_at", .datetime)
            .create()
        try await SQLIndex.create("idx_platform_recovery_codes_user", on: RecoveryCode.schema, ["user_id"], database)
        try await database.schema(WebSession.schema)
            .field("second_factor", .string, .required, .sql(.default(SecondFactorState.passed.rawValue)))
            .update()
        try await database.schema(APIToken.schema)
            .field("read_only", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).deleteField("read_only").update()
        try await database.schema(WebSession.schema).deleteField("second_factor").update()
        try await database.schema(RecoveryCode.schema).delete()
        try await database.schema(SecondFactor.schema).delete()
    }
}
