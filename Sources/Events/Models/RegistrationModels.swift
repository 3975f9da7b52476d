import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// One person on an event's invitation list (imported from XLSX). For an event of audience `invited`
/// only people on the list register: matched by the keyed phone hash or by the directory person the
/// import found for that phone. The phone is sealed like a registration's.
final class EventInvitation: Model, @unchecked Sendable {
    static let schema = "events_invitations"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "name") var name: String
    @Field(key: "unit") var unit: String
    @Field(key: "phone_cipher") var phoneCipher: String
    @Field(key: "phone_lookup") var phoneLookup: String
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "invited_by") var invitedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    init() {}
}

extension EventInvitation: Audited {
    static var auditLabel: String { "活动邀请名单" }
    static var auditTitleColumn: String? { "name" }
    static var auditEntityType: String { "events_invitation" }
    static var auditRedactedKeys: Set<String> { ["phone_cipher", "phone_lookup"] }
}

/// The invitation list, and the database's own guarantee against double registration: at most one live
/// registration (confirmed, waiting or pending) per event and account, per event and person, and per
/// event and phone. Partial unique indexes (`CREATE UNIQUE INDEX … WHERE …`) read the same on SQLite
/// (3.8 and later) and PostgreSQL; a cancelled or rejected registration leaves the index, so the person
/// may register again.
struct CreateRegistrationGuards: AsyncMigration {
    var name: String { "2026_12_07_1900_events_registration_guards" }

    static let live = "status IN ('confirmed', 'waitlisted', 'pending')"

    func prepare(on database: any Database) async throws {
        try await database.schema(EventInvitation.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("unit", .string, .required)
            .field("phone_cipher", .string, .required)
            .field("phone_lookup", .string, .required)
            .field("person_id", .uuid)
            .field("invited_by", .uuid, .required)
            .field("created_at", .datetime)
            .unique(on: "event_id", "phone_lookup")
            .create()
        try await SQLIndex.create("idx_events_invitations_person", on: EventInvitation.schema, ["person_id", "event_id"], database)
        let sql = try database.sql()
        for (name, column) in [
            ("uq_events_registrations_live_user", "user_id"), ("uq_events_registrations_live_person", "person_id"),
            ("uq_events_registrations_live_phone", "phone_lookup"),
        ] {
            try await sql.raw(
                """
                CREATE UNIQUE INDEX \(unsafeRaw: name) ON events_registrations (event_id, \(unsafeRaw: column))
                WHERE \(unsafeRaw: column) IS NOT NULL AND \(unsafeRaw: Self.live)
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for name in ["uq_events_registrations_live_user", "uq_events_registrations_live_person", "uq_events_registrations_live_phone"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: name)").run()
        }
        try await database.schema(EventInvitation.schema).delete()
    }
}
