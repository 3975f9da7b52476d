import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// A technology supply (科技成果/技术供给) or demand (技术需求). One table for both: they share the
/// review process, the search index, the lists and the matcher; the columns that belong to one side
/// only stay empty on the other.
final class Posting: Model, @unchecked Sendable {
    static let schema = "innovation_postings"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case supply, demand
        var label: String { self == .supply ? "技术供给" : "技术需求" }
    }

    /// Who offers a supply (or posts a demand: always an enterprise or other organization).
    enum OwnerKind: String, Sendable, CaseIterable, Codable {
        case person, society, university, institute, enterprise
        var label: String {
            switch self {
            case .person: return "个人"
            case .society: return "学会"
            case .university: return "高校"
            case .institute: return "科研院所"
            case .enterprise: return "企业"
            }
        }
    }

    enum CooperationMode: String, Sendable, CaseIterable, Codable {
        case transfer, license, joint, equity, service
        var label: String {
            switch self {
            case .transfer: return "转让"
            case .license: return "许可"
            case .joint: return "合作开发"
            case .equity: return "作价入股"
            case .service: return "技术服务"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    /// Kinds and states are stored as their raw values, as ServiceCase.state is (see there).
    @Field(key: "kind") var kind: Kind
    @Field(key: "state") var state: PostingWorkflow.State
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    /// Supplies: the public details. Demands: the problem as the enterprise states it.
    @Field(key: "public_detail") var publicDetail: String
    /// Shown only to the owner, reviewing staff and the other party of an accepted docking.
    @Field(key: "confidential_detail") var confidentialDetail: String
    /// Discipline (GB/T 13745 code or name).
    @OptionalField(key: "field") var field: String?
    /// GB/T 4754 section letter.
    @OptionalField(key: "industry") var industry: String?
    /// Supplies: the level reached; demands: the lowest level accepted.
    @OptionalField(key: "readiness") var readiness: Int?
    /// Intellectual property, one right per line: "ZL202310012345.6｜发明专利｜已授权".
    @Field(key: "patents") var patents: String
    /// The cooperation modes, one row each in `innovation_posting_modes` (the supply list filters on
    /// them). Loaded on demand with `PostingModes.load`; read through `modes`.
    @Children(for: \.$posting) var modeRows: [PostingMode]
    @Field(key: "owner_kind") var ownerKind: OwnerKind
    @Field(key: "owner_name") var ownerName: String
    /// The organization the posting belongs to (the enterprise, the society, or the person's unit).
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "owner_user_id") var ownerUserID: UUID
    @Field(key: "region") var region: String
    /// Tags weighted like the title by the matcher: `TEXT[]` on PostgreSQL, JSON text on SQLite. Never
    /// filtered on (search goes through the index), so a list column rather than a join table.
    @Field(key: "keywords") var keywords: [String]
    // Demand side (揭榜挂帅).
    @Field(key: "indicators") var indicators: String
    /// Last day of the call ("2027-06-30"); a published demand expires after it.
    @OptionalField(key: "deadline") var deadline: Day?
    /// 万元.
    @OptionalField(key: "budget") var budget: Double?
    @Field(key: "ip_ownership") var ipOwnership: String
    @Field(key: "solver_conditions") var solverConditions: String
    @Field(key: "contact_name") var contactName: String
    /// Sealed with the installation key ("v1:…"), or empty: personal data never sits in clear.
    @Field(key: "contact_phone") var contactPhoneSealed: String
    /// The phone in clear while a posting is being validated or shown; never stored as such.
    var contactPhone = ""
    /// Calendar days as `Day`, stored as the same `YYYY-MM-DD` text as before.
    @OptionalField(key: "published_on") var publishedOn: Day?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// The cooperation modes in their fixed order: as loaded by `PostingModes.load`, or as set on a posting
    /// being written (`PostingModes.save` stores them).
    var modes: [CooperationMode] {
        get {
            let chosen = Set(($modeRows.value ?? []).map(\.mode))
            return CooperationMode.allCases.filter(chosen.contains)
        }
        set { $modeRows.value = newValue.map { PostingMode(mode: $0) } }
    }
}

extension Posting: OrganizationOwned {
    static var organizationIDKey: KeyPath<Posting, FieldProperty<Posting, UUID>> { \.$organizationID }
}

extension Posting: Audited {
    static var auditLabel: String { "供需信息" }
    static var auditTitleColumn: String? { "title" }
    static var auditEntityType: String { "innovation_posting" }
    static var auditRedactedKeys: Set<String> { ["confidential_detail", "contact_phone"] }
}

/// One cooperation mode of a posting (转让, 许可, …). A row per mode so that the supply list can filter
/// by mode on an index instead of matching text.
final class PostingMode: Model, @unchecked Sendable {
    static let schema = "innovation_posting_modes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "posting_id") var posting: Posting
    @Field(key: "mode") var mode: Posting.CooperationMode

    init() {}

    init(mode: Posting.CooperationMode) {
        self.mode = mode
    }
}

extension PostingMode: Audited {
    static var auditLabel: String { "合作方式" }
    static var auditEntityType: String { "innovation_posting_mode" }
}

/// Reading and writing the cooperation modes of postings.
enum PostingModes {
    /// Fills `modes` of these postings in one query.
    static func load(_ postings: [Posting], on db: any Database) async throws {
        let ids = postings.compactMap(\.id)
        let rows = ids.isEmpty ? [] : try await PostingMode.query(on: db).filter(\.$posting.$id ~~ ids).all()
        let byPosting = Dictionary(grouping: rows, by: \.$posting.id)
        for posting in postings {
            posting.$modeRows.value = posting.id.flatMap { byPosting[$0] } ?? []
        }
    }

    /// Stores `posting.modes` for a saved posting: removes the modes no longer chosen, adds the new ones.
    static func save(_ posting: Posting, on tx: any Database) async throws {
        let id = try posting.requireID()
        let wanted = Set(posting.modes)
        let stored = try await PostingMode.query(on: tx).filter(\.$posting.$id == id).all()
        for row in stored where !wanted.contains(row.mode) { try await row.delete(on: tx) }
        let kept = Set(stored.map(\.mode))
        for mode in Posting.CooperationMode.allCases where wanted.contains(mode) && !kept.contains(mode) {
            let row = PostingMode(mode: mode)
            row.$posting.id = id
            try await row.create(on: tx)
        }
        try await load([posting], on: tx)
    }
}

/// An enterprise registered on the platform: its organization node plus the 统一社会信用代码.
final class EnterpriseRecord: Model, @unchecked Sendable {
    static let schema = "innovation_enterprises"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "credit_code") var creditCode: String
    @OptionalField(key: "industry") var industry: String?
    @Field(key: "region") var region: String
    @Field(key: "contact_name") var contactName: String
    /// Sealed with the installation key ("v1:…").
    @Field(key: "contact_phone") var contactPhoneSealed: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A docking between one supply and one demand. The stage dates are kept on the row for figures;
/// every step is in the workflow history.
final class Docking: Model, @unchecked Sendable {
    static let schema = "innovation_dockings"

    enum Side: String, Sendable, Codable { case supply, demand, staff }

    @ID(key: .id) var id: UUID?
    @Field(key: "supply_id") var supplyID: UUID
    @Field(key: "demand_id") var demandID: UUID
    @Field(key: "state") var state: DockingWorkflow.State
    @Field(key: "proposed_by") var proposedBy: Side
    @Field(key: "proposer_id") var proposerID: UUID
    @Field(key: "supply_consented") var supplyConsented: Bool
    @Field(key: "demand_consented") var demandConsented: Bool
    /// The association whose staff proposed it, or the demand's reviewing association: figures and
    /// staff scope follow it.
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "station_id") var stationID: UUID?
    @Field(key: "proposed_on") var proposedOn: Day
    @OptionalField(key: "intention_on") var intentionOn: Day?
    @OptionalField(key: "signed_on") var signedOn: Day?
    @OptionalField(key: "landed_on") var landedOn: Day?
    @OptionalField(key: "closed_on") var closedOn: Day?
    /// 万元, set at 签约.
    @OptionalField(key: "contract_amount") var contractAmount: Double?
    @Field(key: "notes") var notes: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// Staff pushing a match to both parties (推送); counted in the figures.
final class MatchPush: Model, @unchecked Sendable {
    static let schema = "innovation_match_pushes"

    @ID(key: .id) var id: UUID?
    @Field(key: "supply_id") var supplyID: UUID
    @Field(key: "demand_id") var demandID: UUID
    @Field(key: "score") var score: Double
    @Field(key: "reasons") var reasons: String
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "pushed_by") var pushedBy: UUID
    @Field(key: "pushed_on") var pushedOn: Day
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// A 学会科技服务站 or a 院士专家工作站.
final class Station: Model, @unchecked Sendable {
    static let schema = "innovation_stations"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case serviceStation = "service_station"
        case expertWorkstation = "expert_workstation"
        var label: String { self == .serviceStation ? "学会科技服务站" : "院士专家工作站" }
    }

    enum HostKind: String, Sendable, CaseIterable, Codable {
        case enterprise, village, hospital, park, university, other
        var label: String {
            switch self {
            case .enterprise: return "企业"
            case .village: return "乡村"
            case .hospital: return "医院"
            case .park: return "园区"
            case .university: return "高校"
            case .other: return "其他"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: Kind
    @Field(key: "name") var name: String
    @Field(key: "host_name") var hostName: String
    @Field(key: "host_kind") var hostKind: HostKind
    /// The society or association that runs it.
    @Field(key: "organization_id") var organizationID: UUID
    /// The experts stationed, one per line ("张三 研究员 云海大学").
    @Field(key: "experts") var experts: String
    @Field(key: "valid_from") var validFrom: Day
    @Field(key: "valid_until") var validUntil: Day
    @Field(key: "region") var region: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

extension Station: OrganizationOwned {
    static var organizationIDKey: KeyPath<Station, FieldProperty<Station, UUID>> { \.$organizationID }
}

extension Station: Audited {
    static var auditLabel: String { "服务站点" }
    static var auditTitleColumn: String? { "name" }
    static var auditEntityType: String { "innovation_station" }
}

/// One entry of a station's activity log.
final class StationActivity: Model, @unchecked Sendable {
    static let schema = "innovation_station_activities"

    enum Kind: String, Sendable, CaseIterable, Codable {
        case visit, training, problem
        var label: String {
            switch self {
            case .visit: return "专家服务"
            case .training: return "培训"
            case .problem: return "解决技术难题"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "station_id") var stationID: UUID
    @Field(key: "kind") var kind: Kind
    @Field(key: "held_on") var heldOn: Day
    @Field(key: "title") var title: String
    @Field(key: "participants") var participants: Int
    @Field(key: "notes") var notes: String
    @Field(key: "recorded_by") var recordedBy: UUID
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

/// One batch matching (对接会) run: its progress while it runs, its table once done.
final class BatchRun: Model, @unchecked Sendable {
    static let schema = "innovation_batch_runs"

    enum State: String, Sendable, Codable {
        case running, done, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "owner_id") var ownerID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "top") var top: Int
    @Field(key: "total") var total: Int
    @Field(key: "done") var done: Int
    @Field(key: "state") var state: State
    @OptionalField(key: "error") var error: String?
    /// The XLSX table; read only for a download.
    @OptionalField(key: "result") var result: Data?
    @OptionalField(key: "result_bytes") var resultBytes: Int?
    /// The same ranking as JSON, for the API.
    @OptionalField(key: "matches") var matches: Data?
    @OptionalField(key: "seconds") var seconds: Double?
    @Field(key: "started_at") var startedAt: Date
    /// Moved at every progress step, so a run whose process died is seen as interrupted.
    @Field(key: "touched_at") var touchedAt: Date

    init() {}
}

struct CreateInnovationTables: AsyncMigration {
    var name: String { "2026_11_23_2300_innovation_create_tables" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Posting.schema)
            .id()
            .field("kind", .string, .required)
            .field("state", .string, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("public_detail", .string, .required)
            .field("confidential_detail", .string, .required)
            .field("field", .string)
            .field("industry", .string)
            .field("readiness", .int)
            .field("patents", .string, .required)
            .field("cooperation_modes", .string, .required)
            .field("owner_kind", .string, .required)
            .field("owner_name", .string, .required)
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("owner_user_id", .uuid, .required)
            .field("region", .string, .required)
            .field("keywords", .string, .required)
            .field("indicators", .string, .required)
            .field("deadline", .string)
            .field("budget", .double)
            .field("ip_ownership", .string, .required)
            .field("solver_conditions", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_phone", .string, .required)
            .field("published_on", .string)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(EnterpriseRecord.schema)
            .id()
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("credit_code", .string, .required)
            .field("industry", .string)
            .field("region", .string, .required)
            .field("contact_name", .string, .required)
            .field("contact_phone", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "credit_code")
            .unique(on: "organization_id")
            .create()
        try await database.schema(Docking.schema)
            .id()
            .field("supply_id", .uuid, .required, .references(Posting.schema, "id"))
            .field("demand_id", .uuid, .required, .references(Posting.schema, "id"))
            .field("state", .string, .required)
            .field("proposed_by", .string, .required)
            .field("proposer_id", .uuid, .required)
            .field("supply_consented", .bool, .required)
            .field("demand_consented", .bool, .required)
            .field("organization_id", .uuid, .required)
            .field("station_id", .uuid)
            .field("proposed_on", .string, .required)
            .field("intention_on", .string)
            .field("signed_on", .string)
            .field("landed_on", .string)
            .field("closed_on", .string)
            .field("contract_amount", .double)
            .field("notes", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(MatchPush.schema)
            .id()
            .field("supply_id", .uuid, .required)
            .field("demand_id", .uuid, .required)
            .field("score", .double, .required)
            .field("reasons", .string, .required)
            .field("organization_id", .uuid, .required)
            .field("pushed_by", .uuid, .required)
            .field("pushed_on", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(Station.schema)
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("host_name", .string, .required)
            .field("host_kind", .string, .required)
            .field("organization_id", .uuid, .required, .references(Organization.schema, "id"))
            .field("experts", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string, .required)
            .field("region", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema(StationActivity.schema)
            .id()
            .field("station_id", .uuid, .required, .references(Station.schema, "id"))
            .field("kind", .string, .required)
            .field("held_on", .string, .required)
            .field("title", .string, .required)
            .field("participants", .int, .required)
            .field("notes", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("created_at", .datetime)
            .create()
        // The public lists: newest first (ties by id), or by name.
        try await SQLIndex.create("idx_innovation_postings_list", on: Posting.schema, ["kind", "state", "published_on", "id"], database)
        try await SQLIndex.create("idx_innovation_postings_title", on: Posting.schema, ["kind", "state", "title"], database)
        // The commonest filters (industry, then readiness) counted and read without visiting every row.
        try await SQLIndex.create(
            "idx_innovation_postings_industry", on: Posting.schema, ["kind", "state", "industry", "readiness"], database)
        // The matcher's change check (count and latest change of a side's published rows) reads only this.
        try await SQLIndex.create("idx_innovation_postings_changes", on: Posting.schema, ["kind", "state", "updated_at"], database)
        try await SQLIndex.create("idx_innovation_postings_owner", on: Posting.schema, ["owner_user_id"], database)
        try await SQLIndex.create("idx_innovation_postings_org", on: Posting.schema, ["organization_id"], database)
        try await SQLIndex.create("idx_innovation_dockings_supply", on: Docking.schema, ["supply_id"], database)
        try await SQLIndex.create("idx_innovation_dockings_demand", on: Docking.schema, ["demand_id"], database)
        try await SQLIndex.create("idx_innovation_pushes_pair", on: MatchPush.schema, ["demand_id", "supply_id"], database)
        try await SQLIndex.create("idx_innovation_activities_station", on: StationActivity.schema, ["station_id", "held_on"], database)
    }

    func revert(on database: any Database) async throws {
        for schema in [
            StationActivity.schema, Station.schema, MatchPush.schema, Docking.schema, EnterpriseRecord.schema, Posting.schema,
        ] {
            try await database.schema(schema).delete()
        }
    }
}

struct CreateInnovationBatchRuns: AsyncMigration {
    var name: String { "2026_11_24_0100_innovation_batch_runs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(BatchRun.schema)
            .id()
            .field("owner_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("top", .int, .required)
            .field("total", .int, .required)
            .field("done", .int, .required)
            .field("state", .string, .required)
            .field("error", .string)
            .field("result", .data)
            .field("result_bytes", .int)
            .field("matches", .data)
            .field("seconds", .double)
            .field("started_at", .datetime, .required)
            .field("touched_at", .datetime, .required)
            .create()
        try await SQLIndex.create("idx_innovation_batch_runs_owner", on: BatchRun.schema, ["owner_id", "started_at"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BatchRun.schema).delete()
    }
}

extension Posting {
    /// Seals `contactPhone` into the stored column; every create and update of a posting calls this.
    func sealContactPhone(_ secrets: SecretBox) throws {
        contactPhoneSealed = contactPhone.isEmpty ? "" : try secrets.seal(contactPhone)
    }

    /// The stored phone in clear (rows written before sealing are read as they are until the job seals them).
    func openedContactPhone(_ secrets: SecretBox) -> String {
        guard contactPhoneSealed.hasPrefix("v1:") else { return contactPhoneSealed }
        return (try? secrets.open(contactPhoneSealed)) ?? ""
    }
}

/// Contact phones stored before they were sealed are sealed in place (idempotent; a background job).
enum ContactPhoneSealing {
    static func sealStoredPhones(on db: any Database, services: PlatformServices) async throws {
        for posting in try await Posting.query(on: db).filter(\.$contactPhoneSealed != "").all()
        where !posting.contactPhoneSealed.hasPrefix("v1:") {
            posting.contactPhone = posting.contactPhoneSealed
            try posting.sealContactPhone(services.secrets)
            try await services.writes.transaction(on: db) { tx in try await posting.update(on: tx) }
        }
        for record in try await EnterpriseRecord.query(on: db).filter(\.$contactPhoneSealed != "").all()
        where !record.contactPhoneSealed.hasPrefix("v1:") {
            record.contactPhoneSealed = try services.secrets.seal(record.contactPhoneSealed)
            try await services.writes.transaction(on: db) { tx in try await record.update(on: tx) }
        }
    }
}

extension Docking: Audited {
    static var auditLabel: String { "对接" }
    static var auditEntityType: String { "innovation_docking" }
}

extension MatchPush: Audited {
    static var auditLabel: String { "匹配推送" }
    static var auditEntityType: String { "innovation_match_push" }
}

extension StationActivity: Audited {
    static var auditLabel: String { "站点活动" }
    static var auditTitleColumn: String? { "title" }
    static var auditEntityType: String { "innovation_station_activity" }
}

extension EnterpriseRecord: Audited {
    static var auditLabel: String { "企业" }
    static var auditEntityType: String { "innovation_enterprise" }
    static var auditRedactedKeys: Set<String> { ["contact_phone"] }
}

/// The comma lists of postings: the cooperation modes move to `innovation_posting_modes` (a row per
/// mode, for the supply list's filter), the keywords become a list column.
struct PostingListColumns: AsyncMigration {
    var name: String { "2026_12_07_1420_innovation_posting_lists" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PostingMode.schema)
            .id()
            .field("posting_id", .uuid, .required, .references(Posting.schema, "id", onDelete: .cascade))
            .field("mode", .string, .required)
            .unique(on: "posting_id", "mode")
            .create()
        // The supply list filters by mode: read the postings of one mode from the index.
        try await SQLIndex.create("idx_innovation_posting_modes_mode", on: PostingMode.schema, ["mode", "posting_id"], database)
        try await database.transaction { tx in
            let sql = try tx.sql()
            if sql.dialect.name == "sqlite" {
                // No split function in SQLite: the rows are split here as the application split them.
                for row in try await sql.raw("SELECT id, cooperation_modes FROM innovation_postings WHERE cooperation_modes <> ''").all() {
                    let posting = try row.decode(column: "id", as: UUID.self)
                    var seen: Set<Substring> = []
                    for mode in try row.decode(column: "cooperation_modes", as: String.self).split(separator: ",")
                    where seen.insert(mode).inserted {
                        try await sql.raw(
                            "INSERT INTO innovation_posting_modes (id, posting_id, mode) VALUES (\(bind: UUID()), \(bind: posting), \(bind: String(mode)))"
                        ).run()
                    }
                }
            } else {
                try await sql.raw(
                    """
                    INSERT INTO innovation_posting_modes (id, posting_id, mode) \
                    SELECT gen_random_uuid(), p.id, m.mode FROM innovation_postings p \
                    CROSS JOIN LATERAL (SELECT DISTINCT unnest(string_to_array(p.cooperation_modes, ',')) AS mode) AS m WHERE m.mode <> ''
                    """
                ).run()
            }
            try await sql.raw("ALTER TABLE innovation_postings DROP COLUMN cooperation_modes").run()
            try await ListColumnMigration.commaTextToList(table: Posting.schema, column: "keywords", element: .text, on: tx)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.transaction { tx in
            let sql = try tx.sql()
            try await ListColumnMigration.listToCommaText(
                table: Posting.schema, column: "keywords", element: .text, nullable: false, on: tx)
            try await sql.raw("ALTER TABLE innovation_postings ADD COLUMN cooperation_modes TEXT NOT NULL DEFAULT ''").run()
            var modes: [UUID: Set<String>] = [:]
            for row in try await sql.raw("SELECT posting_id, mode FROM innovation_posting_modes").all() {
                modes[try row.decode(column: "posting_id", as: UUID.self), default: []].insert(
                    try row.decode(column: "mode", as: String.self))
            }
            for (posting, chosen) in modes {
                // In the modes' fixed order, as the application wrote them.
                let text = Posting.CooperationMode.allCases.map(\.rawValue).filter(chosen.contains).joined(separator: ",")
                try await sql.raw("UPDATE innovation_postings SET cooperation_modes = \(bind: text) WHERE id = \(bind: posting)").run()
            }
        }
        try await database.schema(PostingMode.schema).delete()
    }
}
