import Fluent
import Foundation
import KexieKit
import Platform

/// A society's own rules for its register (会员注册制): the member-number prefix and width.
final class SocietySettings: Model, @unchecked Sendable {
    static let schema = "members_society_settings"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "member_prefix") var memberPrefix: String
    @Field(key: "sequence_width") var sequenceWidth: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(organizationID: UUID, memberPrefix: String, sequenceWidth: Int) {
        self.organizationID = organizationID
        self.memberPrefix = memberPrefix
        self.sequenceWidth = sequenceWidth
    }
}

/// The last member-number sequence handed out per society and year. Incremented inside the approving
/// transaction, so a rolled-back approval gives its number back and numbers stay gapless.
final class MemberNumberCounter: Model, @unchecked Sendable {
    static let schema = "members_number_counters"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "last_sequence") var lastSequence: Int

    init() {}
}

/// One person's (or one organization's, for 团体会员) membership of one society, from application on.
final class Membership: Model, @unchecked Sendable {
    static let schema = "members_memberships"

    @ID(key: .id) var id: UUID?
    /// The society.
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    /// Set for a group member (团体会员) instead of a person.
    @OptionalField(key: "member_organization_id") var memberOrganizationID: UUID?
    @OptionalField(key: "member_name") var memberName: String?
    /// Stored as their raw values, as ServiceCase.state is (see there).
    @Field(key: "grade") var grade: MembershipGrade
    @Field(key: "status") var status: MembershipStatus
    @OptionalField(key: "member_number") var memberNumber: String?
    /// Calendar days as `Day`, stored as the same `YYYY-MM-DD` text as before.
    @Field(key: "applied_on") var appliedOn: Day
    @OptionalField(key: "joined_on") var joinedOn: Day?
    @OptionalField(key: "joined_year") var joinedYear: Int?
    @OptionalField(key: "refusal_reason") var refusalReason: String?
    @OptionalField(key: "statement") var statement: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension Membership: OrganizationOwned {
    static var organizationIDKey: KeyPath<Membership, FieldProperty<Membership, UUID>> { \.$organizationID }
}

extension Membership: Audited {
    static var auditLabel: String { "会员" }
    static var auditEntityType: String { "membership" }
}

/// The dated history of a membership: every status or grade change with who made it and why.
final class MembershipEvent: Model, @unchecked Sendable {
    static let schema = "members_membership_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "membership_id") var membershipID: UUID
    @Field(key: "occurred_on") var occurredOn: Day
    @Field(key: "action") var action: String
    @Field(key: "status") var status: MembershipStatus
    @Field(key: "grade") var grade: MembershipGrade
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "note") var note: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// 实名核验 decisions, kept as history beside the person's current verification state.
final class VerificationRecord: Model, @unchecked Sendable {
    static let schema = "members_verifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "note") var note: String?
    @Field(key: "actor_name") var actorName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

struct CreateMembershipTables: AsyncMigration {
    var name: String { "2026_11_23_2000_members_create_memberships" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SocietySettings.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("member_prefix", .string, .required)
            .field("sequence_width", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "organization_id")
            .create()
        try await database.schema(MemberNumberCounter.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("year", .int, .required)
            .field("last_sequence", .int, .required)
            .unique(on: "organization_id", "year")
            .create()
        try await database.schema(Membership.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("person_id", .uuid, .references("platform_people", "id"))
            .field("member_organization_id", .uuid, .references("platform_organizations", "id"))
            .field("member_name", .string)
            .field("grade", .string, .required)
            .field("status", .string, .required)
            .field("member_number", .string)
            .field("applied_on", .string, .required)
            .field("joined_on", .string)
            .field("joined_year", .int)
            .field("refusal_reason", .string)
            .field("statement", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "member_number")
            .create()
        try await SQLIndex.create("idx_members_memberships_org", on: Membership.schema, ["organization_id", "status"], database)
        try await SQLIndex.create("idx_members_memberships_person", on: Membership.schema, ["person_id"], database)
        try await database.schema(MembershipEvent.schema)
            .id()
            .field("membership_id", .uuid, .required, .references(Membership.schema, "id", onDelete: .cascade))
            .field("occurred_on", .string, .required)
            .field("action", .string, .required)
            .field("status", .string, .required)
            .field("grade", .string, .required)
            .field("actor_name", .string, .required)
            .field("note", .string)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_members_membership_events", on: MembershipEvent.schema, ["membership_id"], database)
        try await database.schema(VerificationRecord.schema)
            .id()
            .field("person_id", .uuid, .required, .references("platform_people", "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("outcome", .string, .required)
            .field("note", .string)
            .field("actor_name", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create("idx_members_verifications_person", on: VerificationRecord.schema, ["person_id"], database)
    }

    func revert(on database: any Database) async throws {
        for schema in [
            VerificationRecord.schema, MembershipEvent.schema, Membership.schema, MemberNumberCounter.schema, SocietySettings.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
