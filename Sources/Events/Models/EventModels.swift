import Fluent
import Foundation
import KexieKit
import Platform

/// An academic or popular-science event (学术会议, 论坛, 沙龙 …) organized by one organization, with
/// co-organizers, sessions, speakers and registrations.
final class Event: Model, @unchecked Sendable {
    static let schema = "events_events"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case conference, forum, salon, lecture, training, popularization, competition, other
        var label: String {
            switch self {
            case .conference: return "学术会议"
            case .forum: return "论坛"
            case .salon: return "沙龙"
            case .lecture: return "报告会"
            case .training: return "培训"
            case .popularization: return "科普活动"
            case .competition: return "竞赛"
            case .other: return "其他"
            }
        }
    }

    enum Level: String, Sendable, CaseIterable, Codable {
        case international, national, regional, provincial, local
        var label: String {
            switch self {
            case .international: return "国际"
            case .national: return "全国"
            case .regional: return "区域"
            case .provincial: return "省级"
            case .local: return "市县级"
            }
        }
    }

    /// Who may register: anyone (visitors too), members of the listed societies (through the
    /// membership directory), or only people on the invitation list.
    enum Audience: String, Sendable, CaseIterable, Codable {
        case `public`, members, invited
        var label: String {
            switch self {
            case .public: return "公开"
            case .members: return "指定学会会员"
            case .invited: return "仅限邀请"
            }
        }
    }

    /// The workflow's states (KexieKit `EventWorkflow`): 草稿, 待审核, 已发布, 已取消, 已结束.
    typealias State = EventWorkflow.State

    @ID(key: .id) var id: UUID?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "kind") var kind: Kind
    @Field(key: "level") var level: Level
    @Field(key: "state") var state: State
    /// The organizer; the event lives in its subtree (scope, approval, figures).
    @Field(key: "organization_id") var organizationID: UUID
    /// Discipline or field (GB/T 13745 name), for the calendar filter.
    @OptionalField(key: "field") var field: String?
    @Field(key: "venue") var venue: String
    @OptionalField(key: "online_link") var onlineLink: String?
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    /// Confirmed places; nil means no limit.
    @OptionalField(key: "capacity") var capacity: Int?
    /// Whether sign-ups beyond capacity join a waiting list (otherwise they are refused).
    @Field(key: "waitlist") var waitlist: Bool
    /// Whether each registration waits for the organizer's approval.
    @Field(key: "moderated") var moderated: Bool
    @OptionalField(key: "registration_opens_at") var registrationOpensAt: Date?
    @OptionalField(key: "registration_closes_at") var registrationClosesAt: Date?
    /// Registrants may cancel until this moment (default: the start).
    @OptionalField(key: "cancel_until") var cancelUntil: Date?
    @Field(key: "fee_note") var feeNote: String
    @Field(key: "audience") var audience: Audience
    /// The shared form registrants fill in (Platform forms), if any.
    @OptionalField(key: "form_id") var formID: UUID?
    /// Confirmed registrations, kept by the same statement that confirms one, so that capacity holds
    /// under concurrent sign-ups: `UPDATE … SET confirmed_count = confirmed_count + 1 WHERE … AND
    /// confirmed_count < capacity`.
    @Field(key: "confirmed_count") var confirmedCount: Int
    /// Arrival order of registrations (waiting-list positions), taken with an atomic increment.
    @Field(key: "registration_sequence") var registrationSequence: Int
    @Field(key: "created_by") var createdBy: UUID
    /// When it was first published; a cancelled event stays public (as 已取消) only if it had been.
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension EventWorkflow.State {
    var label: String { EventWorkflow().label(of: self) }
}

/// A co-organizer (协办/承办单位); its subtree sees the event like the organizer's.
final class EventCoOrganizer: Model, @unchecked Sendable {
    static let schema = "events_co_organizers"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    init() {}
    init(eventID: UUID, organizationID: UUID) {
        self.eventID = eventID
        self.organizationID = organizationID
    }
}

/// The societies whose members may register for an event of audience `members`.
final class EventAudienceSociety: Model, @unchecked Sendable {
    static let schema = "events_audience_societies"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    init() {}
    init(eventID: UUID, organizationID: UUID) {
        self.eventID = eventID
        self.organizationID = organizationID
    }
}

/// A session (分会场/日程) with its own time and room; check-in can be per session.
final class EventSession: Model, @unchecked Sendable {
    static let schema = "events_sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "title") var title: String
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "room") var room: String
    @Field(key: "position") var position: Int
    init() {}
}

/// A speaker, linked to a person of the directory where known.
final class EventSpeaker: Model, @unchecked Sendable {
    static let schema = "events_speakers"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @OptionalField(key: "session_id") var sessionID: UUID?
    @Field(key: "name") var name: String
    /// Title and unit as printed in the programme ("中国科学院院士 · 海南大学").
    @Field(key: "affiliation") var affiliation: String
    @Field(key: "topic") var topic: String
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "position") var position: Int
    init() {}
}

/// A registration. The phone is sealed (`phone_cipher`) with a keyed lookup hash (`phone_lookup`) so a
/// second sign-up with the same number is found without the number in clear.
final class EventRegistration: Model, @unchecked Sendable {
    static let schema = "events_registrations"

    enum Status: String, Sendable, CaseIterable, Codable {
        case confirmed, waitlisted, pending, cancelled, rejected
        var label: String {
            switch self {
            case .confirmed: return "已确认"
            case .waitlisted: return "候补"
            case .pending: return "待审核"
            case .cancelled: return "已取消"
            case .rejected: return "未通过"
            }
        }
    }

    /// How the registration came in.
    enum Channel: String, Sendable, CaseIterable, Codable {
        case `self`, visitor, staff, invitation, walkIn = "walk_in"
        var label: String {
            switch self {
            case .self: return "本人报名"
            case .visitor: return "访客报名"
            case .staff: return "代为报名"
            case .invitation: return "邀请名单"
            case .walkIn: return "现场登记"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "status") var status: Status
    @Field(key: "channel") var channel: Channel
    /// Arrival order within the event (from `Event.registrationSequence`); the waiting list is promoted
    /// in this order.
    @Field(key: "sequence") var sequence: Int
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "phone_cipher") var phoneCipher: String?
    @OptionalField(key: "phone_lookup") var phoneLookup: String?
    @Field(key: "unit") var unit: String
    /// The short check-in code printed beside the QR code (unique across all events).
    @Field(key: "code") var code: String
    /// The filled registration form (Platform forms), if the event has one.
    @OptionalField(key: "submission_id") var submissionID: UUID?
    @OptionalField(key: "consented_at") var consentedAt: Date?
    @OptionalField(key: "promoted_at") var promotedAt: Date?
    @OptionalField(key: "cancelled_at") var cancelledAt: Date?
    @OptionalField(key: "registered_by") var registeredBy: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

struct CreateEventsTables: AsyncMigration {
    var name: String { "2026_12_07_1800_events_create_tables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Event.schema)
            .id()
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("kind", .string, .required)
            .field("level", .string, .required)
            .field("state", .string, .required)
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("field", .string)
            .field("venue", .string, .required)
            .field("online_link", .string)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("capacity", .int)
            .field("waitlist", .bool, .required)
            .field("moderated", .bool, .required)
            .field("registration_opens_at", .datetime)
            .field("registration_closes_at", .datetime)
            .field("cancel_until", .datetime)
            .field("fee_note", .string, .required)
            .field("audience", .string, .required)
            .field("form_id", .uuid)
            .field("confirmed_count", .int, .required)
            .field("registration_sequence", .int, .required)
            .field("created_by", .uuid, .required)
            .field("published_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SQLIndex.create("idx_events_events_starts", on: Event.schema, ["starts_at", "id"], database)
        try await SQLIndex.create("idx_events_events_org", on: Event.schema, ["organization_id", "starts_at"], database)
        try await SQLIndex.create("idx_events_events_state", on: Event.schema, ["state", "starts_at"], database)

        for table in [EventCoOrganizer.schema, EventAudienceSociety.schema] {
            try await database.schema(table)
                .id()
                .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
                .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
                .unique(on: "event_id", "organization_id")
                .create()
        }
        try await SQLIndex.create("idx_events_co_organizers_org", on: EventCoOrganizer.schema, ["organization_id"], database)

        try await database.schema(EventSession.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("room", .string, .required)
            .field("position", .int, .required)
            .create()
        try await SQLIndex.create("idx_events_sessions_event", on: EventSession.schema, ["event_id", "position"], database)

        try await database.schema(EventSpeaker.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("session_id", .uuid, .references(EventSession.schema, "id", onDelete: .setNull))
            .field("name", .string, .required)
            .field("affiliation", .string, .required)
            .field("topic", .string, .required)
            .field("person_id", .uuid)
            .field("position", .int, .required)
            .create()
        try await SQLIndex.create("idx_events_speakers_event", on: EventSpeaker.schema, ["event_id", "position"], database)
        try await SQLIndex.create("idx_events_speakers_person", on: EventSpeaker.schema, ["person_id"], database)

        try await database.schema(EventRegistration.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("status", .string, .required)
            .field("channel", .string, .required)
            .field("sequence", .int, .required)
            .field("user_id", .uuid)
            .field("person_id", .uuid)
            .field("name", .string, .required)
            .field("phone_cipher", .string)
            .field("phone_lookup", .string)
            .field("unit", .string, .required)
            .field("code", .string, .required)
            .field("submission_id", .uuid)
            .field("consented_at", .datetime)
            .field("promoted_at", .datetime)
            .field("cancelled_at", .datetime)
            .field("registered_by", .uuid)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .unique(on: "event_id", "sequence")
            .create()
        try await SQLIndex.create(
            "idx_events_registrations_event", on: EventRegistration.schema, ["event_id", "status", "sequence"], database)
        try await SQLIndex.create("idx_events_registrations_user", on: EventRegistration.schema, ["user_id", "event_id"], database)
        try await SQLIndex.create("idx_events_registrations_person", on: EventRegistration.schema, ["person_id", "event_id"], database)
        try await SQLIndex.create("idx_events_registrations_phone", on: EventRegistration.schema, ["event_id", "phone_lookup"], database)
    }

    func revert(on database: any Database) async throws {
        for table in [
            EventRegistration.schema, EventSpeaker.schema, EventSession.schema, EventAudienceSociety.schema,
            EventCoOrganizer.schema, Event.schema,
        ] {
            try await database.schema(table).delete()
        }
    }
}

extension Event: Audited {
    static var auditLabel: String { "活动" }
    static var auditTitleColumn: String? { "title" }
    static var auditEntityType: String { "events_event" }
}

extension EventCoOrganizer: Audited {
    static var auditLabel: String { "协办单位" }
    static var auditEntityType: String { "events_co_organizer" }
}

extension EventAudienceSociety: Audited {
    static var auditLabel: String { "面向学会" }
    static var auditEntityType: String { "events_audience_society" }
}

extension EventSession: Audited {
    static var auditLabel: String { "活动日程" }
    static var auditTitleColumn: String? { "title" }
    static var auditEntityType: String { "events_session" }
}

extension EventSpeaker: Audited {
    static var auditLabel: String { "报告人" }
    static var auditTitleColumn: String? { "name" }
    static var auditEntityType: String { "events_speaker" }
}

extension EventRegistration: Audited {
    static var auditLabel: String { "活动报名" }
    static var auditEntityType: String { "events_registration" }
    static var auditRedactedKeys: Set<String> { ["phone_cipher", "phone_lookup"] }
}
