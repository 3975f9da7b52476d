import Fluent
import Foundation
import KexieKit
import Platform

/// A participant's evaluation of a finished event (评价): 内容 and 组织 from 1 to 5 and an optional
/// comment. One per registration (the database refuses a second); the participant may change it until
/// `EvaluationService.closesAfterDays` after the end. Pages and exports show it without a name.
final class EventEvaluation: Model, @unchecked Sendable {
    static let schema = "events_evaluations"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "registration_id") var registrationID: UUID
    /// The account that evaluated (nil for demo rows of registrations without an account).
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "content_score") var contentScore: Int
    @Field(key: "organization_score") var organizationScore: Int
    @Field(key: "comment") var comment: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

/// One speaker's score (1–5) within an evaluation; the event id is repeated so the event's averages
/// are one grouped statement.
final class EventSpeakerRating: Model, @unchecked Sendable {
    static let schema = "events_speaker_ratings"
    @ID(key: .id) var id: UUID?
    @Field(key: "evaluation_id") var evaluationID: UUID
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "speaker_id") var speakerID: UUID
    @Field(key: "score") var score: Int
    init() {}
}

/// The organizer's report after the event (活动总结): attendance (prefilled from the check-ins, a
/// change needs a reason), outputs and photos (Platform files owned by the report).
final class EventReport: Model, @unchecked Sendable {
    static let schema = "events_reports"
    @ID(key: .id) var id: UUID?
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "attendance") var attendance: Int
    /// The check-in count when the report was filed (checked-in registrations + walk-ins).
    @Field(key: "checked_in") var checkedIn: Int
    /// Why the attendance differs from `checkedIn` (required then).
    @Field(key: "attendance_reason") var attendanceReason: String
    /// 决策建议 (policy advice) produced.
    @Field(key: "advice_count") var adviceCount: Int
    @Field(key: "paper_count") var paperCount: Int
    /// Dockings / projects signed (签约对接项目).
    @Field(key: "docking_count") var dockingCount: Int
    @Field(key: "outputs_note") var outputsNote: String
    @Field(key: "filed_by") var filedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    init() {}
}

struct CreateEvaluationTables: AsyncMigration {
    var name: String { "2026_12_07_2100_events_evaluation_tables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(EventEvaluation.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("registration_id", .uuid, .required, .references(EventRegistration.schema, "id", onDelete: .cascade))
            .field("user_id", .uuid)
            .field("content_score", .int, .required)
            .field("organization_score", .int, .required)
            .field("comment", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "registration_id")
            .create()
        try await SQLIndex.create("idx_events_evaluations_event", on: EventEvaluation.schema, ["event_id", "created_at"], database)
        try await SQLIndex.create("idx_events_evaluations_user", on: EventEvaluation.schema, ["user_id", "event_id"], database)

        try await database.schema(EventSpeakerRating.schema)
            .id()
            .field("evaluation_id", .uuid, .required, .references(EventEvaluation.schema, "id", onDelete: .cascade))
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("speaker_id", .uuid, .required, .references(EventSpeaker.schema, "id", onDelete: .cascade))
            .field("score", .int, .required)
            .unique(on: "evaluation_id", "speaker_id")
            .create()
        try await SQLIndex.create("idx_events_speaker_ratings_event", on: EventSpeakerRating.schema, ["event_id", "speaker_id"], database)

        try await database.schema(EventReport.schema)
            .id()
            .field("event_id", .uuid, .required, .references(Event.schema, "id", onDelete: .cascade))
            .field("attendance", .int, .required)
            .field("checked_in", .int, .required)
            .field("attendance_reason", .string, .required)
            .field("advice_count", .int, .required)
            .field("paper_count", .int, .required)
            .field("docking_count", .int, .required)
            .field("outputs_note", .string, .required)
            .field("filed_by", .uuid, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "event_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [EventReport.schema, EventSpeakerRating.schema, EventEvaluation.schema] {
            try await database.schema(table).delete()
        }
    }
}

extension EventEvaluation: Audited {
    static var auditLabel: String { "活动评价" }
    static var auditEntityType: String { "events_evaluation" }
}

extension EventSpeakerRating: Audited {
    static var auditLabel: String { "报告人评分" }
    static var auditEntityType: String { "events_speaker_rating" }
}

extension EventReport: Audited {
    static var auditLabel: String { "活动总结" }
    static var auditEntityType: String { "events_report" }
}
