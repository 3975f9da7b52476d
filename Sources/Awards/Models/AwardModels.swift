import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// A program (奖项, 人才计划, 竞赛, 职称评审) of one cycle: who may apply, through which channels, with
/// which dates, how it is reviewed and how many it awards.
final class AwardProgram: Model, @unchecked Sendable {
    static let schema = "awards_programs"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case award, talent, competition, title
        var label: String {
            switch self {
            case .award: return "奖项评选"
            case .talent: return "人才举荐"
            case .competition: return "竞赛"
            case .title: return "职称评审"
            }
        }
    }

    /// What a candidate is: a person, an organization (十佳科普教育基地), or an entry with its authors
    /// (a video, a photo series).
    enum CandidateKind: String, Sendable, CaseIterable, Codable {
        case person, organization, entry
        var label: String {
            switch self {
            case .person: return "个人"
            case .organization: return "单位"
            case .entry: return "作品"
            }
        }
    }

    /// The program's stage, moved forward by its managers; each stage has its dates.
    enum Stage: String, Sendable, CaseIterable, Codable {
        case draft, open, checking, reviewing, publicity, announced
        var label: String {
            switch self {
            case .draft: return "草稿"
            case .open: return "申报中"
            case .checking: return "形式审查"
            case .reviewing: return "专家评审"
            case .publicity: return "公示中"
            case .announced: return "已公布"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    @Field(key: "year") var year: Int
    @Field(key: "kind") var kind: Kind
    @Field(key: "candidate_kind") var candidateKind: CandidateKind
    @Field(key: "summary") var summary: String
    @Field(key: "rules") var rulesJSON: String
    @OptionalField(key: "form_id") var formID: UUID?
    @Field(key: "attachments") var attachments: [String]
    @Field(key: "apply_opens_on") var applyOpensOn: Day
    @Field(key: "apply_closes_on") var applyClosesOn: Day
    @Field(key: "nominate_closes_on") var nominateClosesOn: Day
    @Field(key: "check_closes_on") var checkClosesOn: Day
    @Field(key: "review_closes_on") var reviewClosesOn: Day
    @Field(key: "publicity_days") var publicityDays: Int
    @Field(key: "laureate_count") var laureateCount: Int
    @Field(key: "stage") var stage: Stage
    @Field(key: "indicators") var indicatorsJSON: String
    @Field(key: "aggregation") var aggregation: ScoreAggregation
    @Field(key: "blind") var blind: Bool
    @Field(key: "reviewers_per_candidate") var reviewersPerCandidate: Int
    @Field(key: "support_years") var supportYears: Int
    @OptionalField(key: "review_round_id") var reviewRoundID: UUID?
    @OptionalField(key: "publicity_id") var publicityID: UUID?
    @Field(key: "created_by") var createdBy: UUID
    @OptionalField(key: "announced_on") var announcedOn: Day?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    func rules() throws -> EligibilityRules { try JSONDecoder().decode(EligibilityRules.self, from: Data(rulesJSON.utf8)) }

    func indicators() throws -> IndicatorTree {
        let rows = try JSONDecoder().decode([IndicatorRow].self, from: Data(indicatorsJSON.utf8))
        return try IndicatorTree(rows.map { IndicatorTree.Indicator(key: $0.key, label: $0.label, weight: $0.weight) })
    }

    static func encode(_ rules: EligibilityRules) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(rules), as: UTF8.self)
    }

    static func encode(_ tree: IndicatorTree) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(
            decoding: try encoder.encode(tree.indicators.map { IndicatorRow(key: $0.key, label: $0.label, weight: $0.weight) }),
            as: UTF8.self)
    }

    /// The age rule's reference day when the rules name none: the application deadline.
    var referenceDay: Day { applyClosesOn }

    struct IndicatorRow: Codable { let key: String; let label: String; let weight: Int }
}

/// A nomination channel (推荐渠道): a society, a city association, a university, or a group of experts
/// nominating jointly, each with its quota.
final class AwardChannel: Model, @unchecked Sendable {
    static let schema = "awards_channels"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case society, city, university, experts, other
        var label: String {
            switch self {
            case .society: return "学会推荐"
            case .city: return "市级科协推荐"
            case .university: return "高校推荐"
            case .experts: return "专家联名推荐"
            case .other: return "其他单位推荐"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "quota") var quota: Int

    init() {}

    init(programID: UUID, organizationID: UUID, kind: Kind, quota: Int) {
        self.programID = programID
        self.organizationID = organizationID
        self.kind = kind
        self.quota = quota
    }
}

/// One candidate's application to a program: a person, an organization or an entry with its authors.
final class AwardApplication: Model, @unchecked Sendable {
    static let schema = "awards_applications"

    enum Status: String, Sendable, CaseIterable, Codable {
        case submitted, nominated, returned, passed, rejected, proposed, notSelected = "not_selected", awarded, withdrawn
        var label: String {
            switch self {
            case .submitted: return "待推荐"
            case .nominated: return "已推荐"
            case .returned: return "退回修改"
            case .passed: return "形式审查通过"
            case .rejected: return "形式审查未通过"
            case .proposed: return "拟入选"
            case .notSelected: return "未入选"
            case .awarded: return "已入选"
            case .withdrawn: return "公示后撤销"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    /// The scope: the candidate person's organization, the candidate organization, or the applicant's.
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "candidate_organization_id") var candidateOrganizationID: UUID?
    @Field(key: "author_ids") var authorIDs: [UUID]
    @Field(key: "title") var title: String
    @Field(key: "field") var field: String
    @Field(key: "summary") var summary: String
    @Field(key: "employer") var employer: String
    @Field(key: "status") var status: Status
    @OptionalField(key: "channel_id") var channelID: UUID?
    @OptionalField(key: "submission_id") var submissionID: UUID?
    @OptionalField(key: "return_note") var returnNote: String?
    @Field(key: "applicant_user_id") var applicantUserID: UUID
    @OptionalField(key: "checked_by") var checkedBy: UUID?
    @OptionalField(key: "score") var score: Double?
    @OptionalField(key: "rank") var rank: Int?
    @OptionalField(key: "certificate_code") var certificateCode: String?
    @OptionalField(key: "awarded_on") var awardedOn: Day?
    @Field(key: "sex") var sex: String
    @Field(key: "region") var region: String
    @Field(key: "applied_on") var appliedOn: Day
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// A channel's nomination of an application, with the channel's own ranking of its nominees.
final class AwardNomination: Model, @unchecked Sendable {
    static let schema = "awards_nominations"

    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "channel_id") var channelID: UUID
    @Field(key: "rank") var rank: Int
    /// For 专家联名推荐: the nominating experts' names (at least three).
    @Field(key: "referees") var referees: [String]
    @Field(key: "nominated_by") var nominatedBy: UUID
    @Field(key: "nominated_on") var nominatedOn: Day
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// 托举工程: one support year of an awardee — the funding granted and the awardee's yearly report.
final class AwardSupportYear: Model, @unchecked Sendable {
    static let schema = "awards_support_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "application_id") var applicationID: UUID
    @Field(key: "year_index") var yearIndex: Int
    @Field(key: "funding_yuan") var fundingYuan: Int
    @Field(key: "report") var report: String
    @OptionalField(key: "reported_on") var reportedOn: Day?
    @Field(key: "recorded_by") var recordedBy: UUID
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

struct CreateAwardsTables: AsyncMigration {
    var name: String { "2026_12_08_0100_awards_create_tables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(AwardProgram.schema)
            .id()
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("name", .string, .required)
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("candidate_kind", .string, .required)
            .field("summary", .string, .required)
            .field("rules", .string, .required)
            .field("form_id", .uuid)
            .field("attachments", .array(of: .string), .required)
            .field("apply_opens_on", .string, .required)
            .field("apply_closes_on", .string, .required)
            .field("nominate_closes_on", .string, .required)
            .field("check_closes_on", .string, .required)
            .field("review_closes_on", .string, .required)
            .field("publicity_days", .int, .required)
            .field("laureate_count", .int, .required)
            .field("stage", .string, .required)
            .field("indicators", .string, .required)
            .field("aggregation", .string, .required)
            .field("blind", .bool, .required)
            .field("reviewers_per_candidate", .int, .required)
            .field("support_years", .int, .required)
            .field("review_round_id", .uuid)
            .field("publicity_id", .uuid)
            .field("created_by", .uuid, .required)
            .field("announced_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SQLIndex.create("idx_awards_programs_org", on: AwardProgram.schema, ["organization_id", "year"], database)
        try await SQLIndex.create("idx_awards_programs_year", on: AwardProgram.schema, ["year", "id"], database)

        try await database.schema(AwardChannel.schema)
            .id()
            .field("program_id", .uuid, .required, .references(AwardProgram.schema, "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("kind", .string, .required)
            .field("quota", .int, .required)
            .unique(on: "program_id", "organization_id")
            .create()
        try await SQLIndex.create("idx_awards_channels_org", on: AwardChannel.schema, ["organization_id"], database)

        try await database.schema(AwardApplication.schema)
            .id()
            .field("program_id", .uuid, .required, .references(AwardProgram.schema, "id", onDelete: .cascade))
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("person_id", .uuid)
            .field("candidate_organization_id", .uuid)
            .field("author_ids", .array(of: .uuid), .required)
            .field("title", .string, .required)
            .field("field", .string, .required)
            .field("summary", .string, .required)
            .field("employer", .string, .required)
            .field("status", .string, .required)
            .field("channel_id", .uuid, .references(AwardChannel.schema, "id"))
            .field("submission_id", .uuid)
            .field("return_note", .string)
            .field("applicant_user_id", .uuid, .required)
            .field("checked_by", .uuid)
            .field("score", .double)
            .field("rank", .int)
            .field("certificate_code", .string)
            .field("awarded_on", .string)
            .field("sex", .string, .required)
            .field("region", .string, .required)
            .field("applied_on", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "certificate_code")
            .create()
        try await SQLIndex.create("idx_awards_applications_program", on: AwardApplication.schema, ["program_id", "status", "id"], database)
        try await SQLIndex.create("idx_awards_applications_person", on: AwardApplication.schema, ["person_id", "status"], database)
        try await SQLIndex.create("idx_awards_applications_applicant", on: AwardApplication.schema, ["applicant_user_id"], database)
        // One live application per person and program: a second one is refused, not duplicated.
        try await database.sql().raw(
            """
            CREATE UNIQUE INDEX uq_awards_applications_person ON awards_applications (program_id, person_id)
            WHERE person_id IS NOT NULL
            """
        ).run()

        try await database.schema(AwardNomination.schema)
            .id()
            .field("application_id", .uuid, .required, .references(AwardApplication.schema, "id", onDelete: .cascade))
            .field("channel_id", .uuid, .required, .references(AwardChannel.schema, "id", onDelete: .cascade))
            .field("rank", .int, .required)
            .field("referees", .array(of: .string), .required)
            .field("nominated_by", .uuid, .required)
            .field("nominated_on", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "application_id")
            .create()
        try await SQLIndex.create("idx_awards_nominations_channel", on: AwardNomination.schema, ["channel_id", "rank"], database)

        try await database.schema(AwardSupportYear.schema)
            .id()
            .field("application_id", .uuid, .required, .references(AwardApplication.schema, "id", onDelete: .cascade))
            .field("year_index", .int, .required)
            .field("funding_yuan", .int, .required)
            .field("report", .string, .required)
            .field("reported_on", .string)
            .field("recorded_by", .uuid, .required)
            .field("updated_at", .datetime)
            .unique(on: "application_id", "year_index")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [AwardSupportYear.schema, AwardNomination.schema, AwardApplication.schema, AwardChannel.schema, AwardProgram.schema] {
            try await database.schema(table).delete()
        }
    }
}

extension AwardProgram: Audited {
    static var auditLabel: String { "评选项目" }
    static var auditTitleColumn: String? { "name" }
}

extension AwardChannel: Audited {
    static var auditLabel: String { "推荐渠道" }
    static var auditTitleColumn: String? { nil }
}

extension AwardApplication: Audited {
    static var auditLabel: String { "评选申报" }
    static var auditTitleColumn: String? { "title" }
}

extension AwardNomination: Audited {
    static var auditLabel: String { "推荐" }
    static var auditTitleColumn: String? { nil }
}

extension AwardSupportYear: Audited {
    static var auditLabel: String { "托举年度记录" }
    static var auditTitleColumn: String? { nil }
}

extension AwardProgram: OrganizationOwned {
    static var organizationIDKey: KeyPath<AwardProgram, FieldProperty<AwardProgram, UUID>> { \.$organizationID }
}
