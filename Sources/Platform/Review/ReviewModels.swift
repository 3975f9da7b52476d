import Fluent
import Foundation
import KexieKit
import SQLKit

/// 评审轮次: one review of a set of candidates for an owner module's record (an award program's round, a
/// society evaluation, …). The owner names it (`owner_module`, `owner_kind`, `owner_id`); Platform keeps
/// the candidates, the draw record, the assignments, the scores and the stored results.
public final class ReviewRoundRecord: Model, @unchecked Sendable {
    public static let schema = "platform_review_rounds"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organization_id") public var organizationID: UUID
    @Field(key: "owner_module") public var ownerModule: String
    @Field(key: "owner_kind") public var ownerKind: String
    @Field(key: "owner_id") public var ownerID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "mode") public var mode: ReviewMode
    @Field(key: "blind") public var blind: Bool
    /// The indicator tree as JSON (`[{"key","label","weight"}]`).
    @Field(key: "indicators") public var indicatorsJSON: String
    @Field(key: "aggregation") public var aggregation: ScoreAggregation
    @Field(key: "reviewers_per_candidate") public var reviewersPerCandidate: Int
    @Field(key: "opens_on") public var opensOn: Day
    @Field(key: "closes_on") public var closesOn: Day
    @OptionalField(key: "owner_link") public var ownerLink: String?
    /// `open` until aggregated (`aggregated`); reviewers may still revise until `closes_on`.
    @Field(key: "state") public var state: String
    /// The seed of the last draw (decimal text of a UInt64), nil before any draw.
    @OptionalField(key: "draw_seed") public var drawSeed: String?
    @OptionalField(key: "aggregated_at") public var aggregatedAt: Date?
    @Field(key: "created_by") public var createdBy: UUID
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    var indicators: IndicatorTree {
        get throws { try ReviewIndicators.decode(indicatorsJSON) }
    }

    /// Reviewers score until the closing day has passed (China's calendar day).
    func isOpen(today: Day) -> Bool { today >= opensOn && today <= closesOn }
}

extension ReviewRoundRecord: OrganizationOwned {
    public static var organizationIDKey: KeyPath<ReviewRoundRecord, FieldProperty<ReviewRoundRecord, UUID>> { \.$organizationID }
}

extension ReviewRoundRecord: Audited {
    public static var auditEntityType: String { "review_round" }
    public static var auditLabel: String { "评审轮次" }
    public static var auditTitleColumn: String? { "title" }
}

/// One candidate of a round: what managers see (title) and what reviewers read (blind label, abstract).
public final class ReviewCandidateRecord: Model, @unchecked Sendable {
    public static let schema = "platform_review_candidates"

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    @Field(key: "position") public var position: Int
    /// 候选 A-001: what a reviewer of a blind round sees instead of the title.
    @Field(key: "blind_label") public var blindLabel: String
    @Field(key: "owner_item_id") public var ownerItemID: UUID
    @Field(key: "title") public var title: String
    @Field(key: "abstract") public var abstract: String
    @Field(key: "field") public var field: String
    @Field(key: "panel") public var panel: String
    @Field(key: "person_ids") public var personIDs: [UUID]
    @Field(key: "employers") public var employers: [String]
    @OptionalField(key: "nominating_organization_id") public var nominatingOrganizationID: UUID?
    @OptionalField(key: "nominating_organization_name") public var nominatingOrganizationName: String?

    public init() {}
}

extension ReviewCandidateRecord: Audited {
    public static var auditEntityType: String { "review_candidate" }
    public static var auditLabel: String { "评审候选" }
    public static var auditTitleColumn: String? { "title" }
}

/// One reviewer on one candidate. It belongs to the reviewer's account (`user_id`): nobody else opens it.
public final class ReviewAssignmentRecord: Model, @unchecked Sendable {
    public static let schema = "platform_review_assignments"

    public enum State: String, Codable, Sendable { case assigned, submitted, declined }
    public enum Source: String, Codable, Sendable { case draw, redraw, manual }

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    @Field(key: "candidate_id") public var candidateID: UUID
    @Field(key: "expert_entry_id") public var expertEntryID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "user_id") public var userID: UUID
    @Field(key: "reviewer_name") public var reviewerName: String
    @Field(key: "source") public var source: Source
    @Field(key: "state") public var state: State
    /// Indicator key → score, as JSON (`{"innovation": 27.5}`); "{}" before scoring.
    @Field(key: "scores") public var scoresJSON: String
    @OptionalField(key: "total") public var total: Double?
    /// `for`, `against` or `abstain` in a voting round.
    @OptionalField(key: "vote") public var vote: String?
    @Field(key: "comment") public var comment: String
    @OptionalField(key: "declined_reason") public var declinedReason: String?
    @OptionalField(key: "submitted_at") public var submittedAt: Date?
    /// The last day a reminder went out (one a day at most).
    @OptionalField(key: "reminded_on") public var remindedOn: Day?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}
}

extension ReviewAssignmentRecord: Audited {
    public static var auditEntityType: String { "review_assignment" }
    public static var auditLabel: String { "评审任务" }
    public static var auditTitleColumn: String? { "reviewer_name" }
}

/// The draw record: for each draw (and redraw) of a round, who was drawn for which candidate, who was
/// passed over and why, and how many were short; with the seed, so the draw can be shown and repeated.
public final class ReviewDrawEntry: Model, @unchecked Sendable {
    public static let schema = "platform_review_draw_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    /// 1 for the first draw, then one more for each redraw.
    @Field(key: "draw_number") public var drawNumber: Int
    @Field(key: "seed") public var seed: String
    @Field(key: "candidate_id") public var candidateID: UUID
    @OptionalField(key: "person_id") public var personID: UUID?
    @Field(key: "reviewer_name") public var reviewerName: String
    /// `drawn`, `passed_over` or `short`.
    @Field(key: "outcome") public var outcome: String
    /// `AvoidanceReason` raw values for `passed_over`.
    @Field(key: "reasons") public var reasons: [String]
    @Field(key: "recorded_at") public var recordedAt: Date

    public init() {}
}

extension ReviewDrawEntry: Audited {
    public static var auditEntityType: String { "review_draw_entry" }
    public static var auditLabel: String { "评审抽取记录" }
    public static var auditTitleColumn: String? { "reviewer_name" }
}

/// A candidate's stored result of the last aggregation, with the method used.
public final class ReviewResultRecord: Model, @unchecked Sendable {
    public static let schema = "platform_review_results"

    @ID(key: .id) public var id: UUID?
    @Field(key: "round_id") public var roundID: UUID
    @Field(key: "candidate_id") public var candidateID: UUID
    /// Two decimals as text ("87.50"), nil without scores.
    @OptionalField(key: "score") public var score: String?
    @OptionalField(key: "rank") public var rank: Int?
    @OptionalField(key: "tie_note") public var tieNote: String?
    @Field(key: "scores_count") public var scoresCount: Int
    @Field(key: "votes_for") public var votesFor: Int
    @Field(key: "votes_against") public var votesAgainst: Int
    @Field(key: "votes_abstain") public var votesAbstain: Int
    @OptionalField(key: "passes") public var passes: Bool?
    @Field(key: "aggregation") public var aggregation: ScoreAggregation
    @Field(key: "computed_at") public var computedAt: Date

    public init() {}
}

/// The indicator tree as stored on a round.
enum ReviewIndicators {
    struct Stored: Codable {
        let key: String
        let label: String
        let weight: Int
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    static func encode(_ tree: IndicatorTree) -> String {
        let data =
            (try? ReviewIndicators.encoder.encode(tree.indicators.map { Stored(key: $0.key, label: $0.label, weight: $0.weight) }))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) throws -> IndicatorTree {
        let stored = try JSONDecoder().decode([Stored].self, from: Data(text.utf8))
        return try IndicatorTree(stored.map { .init(key: $0.key, label: $0.label, weight: $0.weight) })
    }

    static func encodeScores(_ scores: [String: Decimal]) -> String {
        let doubles = scores.mapValues { NSDecimalNumber(decimal: $0).doubleValue }
        return String(decoding: (try? ReviewIndicators.encoder.encode(doubles)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func decodeScores(_ text: String) -> [String: Decimal] {
        guard let doubles = try? JSONDecoder().decode([String: Double].self, from: Data(text.utf8)) else { return [:] }
        return doubles.mapValues { Decimal(string: String($0)) ?? Decimal($0) }
    }
}

struct CreateReviewTables: AsyncMigration {
    var name: String { "2026_12_08_0100_platform_create_review_tables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ReviewRoundRecord.schema)
            .id()
            .field("organization_id", .uuid, .required, .references("platform_organizations", "id"))
            .field("owner_module", .string, .required)
            .field("owner_kind", .string, .required)
            .field("owner_id", .uuid, .required)
            .field("title", .string, .required)
            .field("mode", .string, .required)
            .field("blind", .bool, .required)
            .field("indicators", .string, .required)
            .field("aggregation", .string, .required)
            .field("reviewers_per_candidate", .int, .required)
            .field("opens_on", .string, .required)
            .field("closes_on", .string, .required)
            .field("owner_link", .string)
            .field("state", .string, .required)
            .field("draw_seed", .string)
            .field("aggregated_at", .datetime)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        try await SQLIndex.create(
            "idx_platform_review_rounds_owner", on: ReviewRoundRecord.schema, ["owner_module", "owner_kind", "owner_id"], database)
        try await SQLIndex.create("idx_platform_review_rounds_org", on: ReviewRoundRecord.schema, ["organization_id"], database)

        try await database.schema(ReviewCandidateRecord.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ReviewRoundRecord.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("blind_label", .string, .required)
            .field("owner_item_id", .uuid, .required)
            .field("title", .string, .required)
            .field("abstract", .string, .required)
            .field("field", .string, .required)
            .field("panel", .string, .required)
            .field("person_ids", .array(of: .uuid), .required)
            .field("employers", .array(of: .string), .required)
            .field("nominating_organization_id", .uuid)
            .field("nominating_organization_name", .string)
            .unique(on: "round_id", "owner_item_id", name: "uq_platform_review_candidates_item")
            .create()
        try await SQLIndex.create(
            "idx_platform_review_candidates_round", on: ReviewCandidateRecord.schema, ["round_id", "position"], database)

        try await database.schema(ReviewAssignmentRecord.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ReviewRoundRecord.schema, "id", onDelete: .cascade))
            .field("candidate_id", .uuid, .required, .references(ReviewCandidateRecord.schema, "id", onDelete: .cascade))
            .field("expert_entry_id", .uuid, .required)
            .field("person_id", .uuid, .required)
            .field("user_id", .uuid, .required)
            .field("reviewer_name", .string, .required)
            .field("source", .string, .required)
            .field("state", .string, .required)
            .field("scores", .string, .required)
            .field("total", .double)
            .field("vote", .string)
            .field("comment", .string, .required)
            .field("declined_reason", .string)
            .field("submitted_at", .datetime)
            .field("reminded_on", .string)
            .field("created_at", .datetime)
            .unique(on: "candidate_id", "person_id", name: "uq_platform_review_assignments_person")
            .create()
        try await SQLIndex.create(
            "idx_platform_review_assignments_user", on: ReviewAssignmentRecord.schema, ["user_id", "state"], database)
        try await SQLIndex.create(
            "idx_platform_review_assignments_round", on: ReviewAssignmentRecord.schema, ["round_id", "candidate_id"], database)

        try await database.schema(ReviewDrawEntry.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ReviewRoundRecord.schema, "id", onDelete: .cascade))
            .field("draw_number", .int, .required)
            .field("seed", .string, .required)
            .field("candidate_id", .uuid, .required)
            .field("person_id", .uuid)
            .field("reviewer_name", .string, .required)
            .field("outcome", .string, .required)
            .field("reasons", .array(of: .string), .required)
            .field("recorded_at", .datetime, .required)
            .create()
        try await SQLIndex.create("idx_platform_review_draw_round", on: ReviewDrawEntry.schema, ["round_id", "draw_number"], database)

        try await database.schema(ReviewResultRecord.schema)
            .id()
            .field("round_id", .uuid, .required, .references(ReviewRoundRecord.schema, "id", onDelete: .cascade))
            .field("candidate_id", .uuid, .required)
            .field("score", .string)
            .field("rank", .int)
            .field("tie_note", .string)
            .field("scores_count", .int, .required)
            .field("votes_for", .int, .required)
            .field("votes_against", .int, .required)
            .field("votes_abstain", .int, .required)
            .field("passes", .bool)
            .field("aggregation", .string, .required)
            .field("computed_at", .datetime, .required)
            .unique(on: "round_id", "candidate_id", name: "uq_platform_review_results_candidate")
            .create()
    }

    func revert(on database: any Database) async throws {
        for schema in [
            ReviewResultRecord.schema, ReviewDrawEntry.schema, ReviewAssignmentRecord.schema, ReviewCandidateRecord.schema,
            ReviewRoundRecord.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}
