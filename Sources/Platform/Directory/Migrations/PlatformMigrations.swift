import Fluent
import SQLKit

/// The foundation's schema history. Names are frozen: add a new struct for a change, never edit one
/// that has been released.
enum PlatformMigrations {
    static let all: [any Migration] = [
        CreateOrganizations(), CreateDepartments(), CreateUsers(), CreateRoleGrants(), CreateSessions(),
        CreateAPITokens(), CreateLoginAttempts(), CreateSettings(), CreateAuditLog(), CreateSearchIndex(), CreatePeople(),
        AddPersonAnonymization(), DenormalizeSearchIndex(), CreateInbox(),
        CreateWorkflowSteps(), CreateCalendarTables(), CreateSecondFactors(), CalendarOverrideDayLists(),
        CreateJobRuns(), CreateStoredFiles(), CreateFormTables(), CreateNotices(), CreateCheckIns(),
    ]
}

struct CreateOrganizations: AsyncMigration {
    var name: String { "2026_11_23_1300_platform_create_organizations" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_organizations")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string)
            .field("parent_id", .uuid, .references("platform_organizations", "id"))
            .field("path", .string, .required)
            .field("depth", .int, .required)
            .field("is_active", .bool, .required)
            .field("region", .string)
            .field("established_year", .int)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "path")
            .create()
        try await SQLIndex.create("idx_platform_organizations_parent", on: "platform_organizations", ["parent_id"], database)
        try await SQLIndex.create("idx_platform_organizations_name", on: "platform_organizations", ["name"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_organizations").delete()
    }
}

struct CreateDepartments: AsyncMigration {
    var name: String { "2026_11_23_1301_platform_create_departments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_departments")
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("name", .string, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "organization_id", "name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_departments").delete()
    }
}

struct CreateUsers: AsyncMigration {
    var name: String { "2026_11_23_1302_platform_create_users" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("phone_lookup", .string)
            .field("phone_cipher", .string)
            .field("email", .string)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("must_change_password", .bool, .required)
            .field("last_login_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "username")
            .unique(on: "phone_lookup")
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_users").delete()
    }
}

struct CreateRoleGrants: AsyncMigration {
    var name: String { "2026_11_23_1303_platform_create_role_grants" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_role_grants")
            .id()
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("role", .string, .required)
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("department_id", .uuid, .references("platform_departments", "id"))
            .field("created_at", .datetime)
            .unique(on: "user_id", "role", "organization_id")
            .create()
        try await SQLIndex.create("idx_platform_role_grants_org", on: "platform_role_grants", ["organization_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_role_grants").delete()
    }
}

struct CreateSessions: AsyncMigration {
    var name: String { "2026_11_23_1304_platform_create_sessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_sessions")
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("acting_grant_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("client_address", .string, .required)
            .create()
        try await SQLIndex.create("idx_platform_sessions_user", on: "platform_sessions", ["user_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_sessions").delete()
    }
}

struct CreateAPITokens: AsyncMigration {
    var name: String { "2026_11_23_1305_platform_create_api_tokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_api_tokens")
            .id()
            .field("user_id", .uuid, .required, .references("platform_users", "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("prefix", .string, .required)
            .field("expires_at", .datetime)
            .field("revoked_at", .datetime)
            .field("last_used_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_api_tokens").delete()
    }
}

struct CreateLoginAttempts: AsyncMigration {
    var name: String { "2026_11_23_1306_platform_create_login_attempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_login_attempts")
            .id()
            .field("identifier_key", .string, .required)
            .field("client_address", .string, .required)
            .field("succeeded", .bool, .required)
            .field("attempted_at", .datetime, .required)
            .create()
        try await SQLIndex.create(
            "idx_platform_login_attempts_identifier", on: "platform_login_attempts", ["identifier_key", "attempted_at"],
            database)
        try await SQLIndex.create(
            "idx_platform_login_attempts_address", on: "platform_login_attempts", ["client_address", "attempted_at"],
            database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_login_attempts").delete()
    }
}

struct CreateSettings: AsyncMigration {
    var name: String { "2026_11_23_1307_platform_create_settings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_settings")
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("platform_settings").delete()
    }
}

/// The audit log, with triggers that refuse UPDATE and refuse DELETE of rows younger than 180 days,
/// so even code with database access cannot quietly rewrite history.
struct CreateAuditLog: AsyncMigration {
    var name: String { "2026_11_23_1308_platform_create_audit_log" }

    func prepare(on database: any Database) async throws {
        try await database.schema("platform_audit_entries")
            .field("id", .int64, .identifier(auto: false))
            .field("occurred_at", .string, .required)
            .field("actor_id", .string, .required)
            .field("actor_name", .string, .required)
            .field("organization_id", .string, .required)
            .field("client_address", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string, .required)
            .field("summary", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema("platform_audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("last_sequence", .int64, .required)
            .field("last_hash", .string, .required)
            .create()
        try await SQLIndex.create("idx_platform_audit_occurred", on: "platform_audit_entries", ["occurred_at"], database)
        try await SQLIndex.create("idx_platform_audit_action", on: "platform_audit_entries", ["action", "id"], database)
        let sql = try database.sql()
        if sql.dialect.name == "sqlite" {
            try await sql.raw(
                """
                CREATE TRIGGER platform_audit_no_update BEFORE UPDATE ON platform_audit_entries
                BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER platform_audit_keep_180_days BEFORE DELETE ON platform_audit_entries
                WHEN OLD.occurred_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')
                BEGIN SELECT RAISE(ABORT, 'audit rows younger than 180 days cannot be deleted'); END
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION platform_audit_guard() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'audit log is append-only'; END IF;
                  IF OLD.occurred_at > to_char((now() at time zone 'utc') - interval '180 days', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') THEN
                    RAISE EXCEPTION 'audit rows younger than 180 days cannot be deleted';
                  END IF;
                  RETURN OLD;
                END $$ LANGUAGE plpgsql
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER platform_audit_guard BEFORE UPDATE OR DELETE ON platform_audit_entries
                FOR EACH ROW EXECUTE FUNCTION platform_audit_guard()
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        if sql.dialect.name != "sqlite" {
            try await sql.raw("DROP TRIGGER IF EXISTS platform_audit_guard ON platform_audit_entries").run()
            try await sql.raw("DROP FUNCTION IF EXISTS platform_audit_guard()").run()
        }
        try await database.schema("platform_audit_head").delete()
        try await database.schema("platform_audit_entries").delete()
    }
}

/// Plain `CREATE INDEX`, which Fluent's schema builder does not offer; works on SQLite and PostgreSQL.
public enum SQLIndex {
    public static func create(_ name: String, on table: String, _ columns: [String], _ database: any Database)
        async throws
    {
        let sql = try database.sql()
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }
}
