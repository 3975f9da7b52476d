import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Synchronization

/// What a list of matches shows about one candidate.
struct MatchedPosting: Sendable {
    let id: UUID
    let title: String
    let ownerName: String
    let region: String
    let industry: String?
    let readiness: Int?
    let score: Double
    let reasons: [String]
}

struct MatchedExpert: Sendable {
    let expert: ExpertCandidate
    let score: Double
    let reasons: [String]
}

/// The matcher's indexes over published postings, one per side, rebuilt when the side changes.
/// A change is noticed by the count and latest `updated_at` of the side's published rows (every state
/// change touches `updated_at`), so several instances sharing one database stay right. Owned by the
/// module value.
final class MatchCatalog: Sendable {
    struct Entry: Sendable {
        let signature: String
        let index: MatchIndex
        let postings: [UUID: PostingSummary]
    }

    struct PostingSummary: Sendable {
        let title: String
        let ownerName: String
        let region: String
        let industry: String?
        let readiness: Int?
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// One build at a time per side; a second request waits for it rather than building again.
    private let building = Mutex<[String: Task<Entry, any Error>]>([:])

    func entry(_ kind: Posting.Kind, on db: any Database) async throws -> Entry {
        let sql = try db.sql()
        let signature = try await Self.signature(kind, on: sql)
        if let entry = entries.withLock({ $0[kind.rawValue] }), entry.signature == signature { return entry }
        let task = building.withLock { tasks -> Task<Entry, any Error> in
            if let running = tasks[kind.rawValue] { return running }
            let task = Task { try await Self.build(kind, signature: signature, on: sql) }
            tasks[kind.rawValue] = task
            return task
        }
        defer { _ = building.withLock { $0.removeValue(forKey: kind.rawValue) } }
        let entry = try await task.value
        entries.withLock { $0[kind.rawValue] = entry }
        return entry
    }

    /// Forgets the indexes (tests; after bulk loads).
    func reset() {
        entries.withLock { $0.removeAll() }
        expertIndex.withLock { $0 = nil }
    }

    struct ExpertEntry: Sendable {
        let fingerprint: Int
        let index: MatchIndex
        let experts: [UUID: ExpertCandidate]
    }

    private let expertIndex = Mutex<ExpertEntry?>(nil)

    /// The experts' index, rebuilt only when what the matcher reads of the pools changed: reading the
    /// pools is one query, extracting features from thousands of profiles is the costly part.
    func experts(_ candidates: [ExpertCandidate]) async -> ExpertEntry {
        let sorted = candidates.sorted { $0.personID.uuidString < $1.personID.uuidString }
        var hasher = Hasher()
        for expert in sorted {
            hasher.combine(expert.personID)
            hasher.combine(expert.researchDirection)
            hasher.combine(expert.title)
            hasher.combine(expert.employer)
            hasher.combine(expert.disciplines)
            hasher.combine(expert.industry)
            hasher.combine(expert.region)
        }
        let fingerprint = hasher.finalize()
        if let entry = expertIndex.withLock({ $0 }), entry.fingerprint == fingerprint { return entry }
        let profiles = sorted.map { expert in
            MatchProfile(
                id: .string(expert.personID.uuidString), kind: .expert, title: expert.researchDirection,
                description: [expert.title, expert.employer].joined(separator: " "), keywords: [],
                industry: expert.industry.flatMap { IndustrySection(parsing: $0) }, field: expert.disciplines.first,
                region: Region(parsing: expert.region))
        }
        let entry = ExpertEntry(
            fingerprint: fingerprint, index: await MatchIndex.build(candidates: profiles),
            experts: Dictionary(sorted.map { ($0.personID, $0) }, uniquingKeysWith: { first, _ in first }))
        expertIndex.withLock { $0 = entry }
        return entry
    }

    static func signature(_ kind: Posting.Kind, on sql: any SQLDatabase) async throws -> String {
        let row = try await sql.raw(
            """
            SELECT COUNT(*) AS n, CAST(MAX(updated_at) AS TEXT) AS latest FROM innovation_postings \
            WHERE kind = \(bind: kind.rawValue) AND state = 'published'
            """
        ).first()
        let count = try row?.decode(column: "n", as: Int.self) ?? 0
        let latest = try row?.decode(column: "latest", as: String?.self) ?? nil
        return "\(count)|\(latest ?? "")"
    }

    private static func build(_ kind: Posting.Kind, signature: String, on sql: any SQLDatabase) async throws -> Entry {
        let rows = try await sql.raw(
            """
            SELECT CAST(id AS TEXT) AS id, title, summary, public_detail, indicators, keywords, industry, field, readiness, region, owner_name \
            FROM innovation_postings WHERE kind = \(bind: kind.rawValue) AND state = 'published' ORDER BY published_on DESC, id
            """
        ).all()
        var profiles: [MatchProfile] = []
        var postings: [UUID: PostingSummary] = [:]
        profiles.reserveCapacity(rows.count)
        for row in rows {
            guard let id = UUID(uuidString: try row.decode(column: "id", as: String.self).uppercased()) else { continue }
            let text = { (column: String) in ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
            let readiness = try row.decode(column: "readiness", as: Int?.self)
            profiles.append(
                MatchService.profile(
                    id: id, kind: kind, title: text("title"),
                    description: [text("summary"), text("public_detail"), text("indicators")].joined(separator: "\n"),
                    keywords: try row.decode(column: "keywords", as: [String].self), industry: text("industry"), field: text("field"),
                    readiness: readiness,
                    region: text("region")))
            postings[id] = PostingSummary(
                title: text("title"), ownerName: text("owner_name"), region: text("region"), industry: text("industry").nilIfEmpty,
                readiness: readiness)
        }
        let index = await MatchIndex.build(candidates: profiles)
        return Entry(signature: signature, index: index, postings: postings)
    }
}

/// Ranking supplies for a demand, demands for a supply and experts for a demand, with the reasons;
/// staff pushing a match to both parties.
struct MatchService: Sendable {
    let db: any Database
    let services: PlatformServices
    let catalog: MatchCatalog

    static func profile(
        id: UUID, kind: Posting.Kind, title: String, description: String, keywords: [String], industry: String, field: String,
        readiness: Int?, region: String
    ) -> MatchProfile {
        MatchProfile(
            id: .string(id.uuidString), kind: kind == .supply ? .supply : .demand, title: title, description: description,
            keywords: keywords, industry: IndustrySection(parsing: industry),
            field: field.nilIfEmpty, readinessLevel: readiness, region: Region(parsing: region))
    }

    static func profile(of posting: Posting) throws -> MatchProfile {
        profile(
            id: try posting.requireID(), kind: posting.kind, title: posting.title,
            description: [posting.summary, posting.publicDetail, posting.indicators].joined(separator: "\n"), keywords: posting.keywords,
            industry: posting.industry ?? "", field: posting.field ?? "", readiness: posting.readiness, region: posting.region)
    }

    /// The best published postings of the other side for `posting`, best first.
    func matches(for posting: Posting, top: Int = 10) async throws -> [MatchedPosting] {
        let other: Posting.Kind = posting.kind == .supply ? .demand : .supply
        let entry = try await catalog.entry(other, on: db)
        return entry.index.rank(try Self.profile(of: posting), top: max(1, min(top, 100))).compactMap { match in
            guard let id = UUID(uuidString: match.id.description), let summary = entry.postings[id] else { return nil }
            return MatchedPosting(
                id: id, title: summary.title, ownerName: summary.ownerName, region: summary.region, industry: summary.industry,
                readiness: summary.readiness, score: match.score, reasons: match.reasons)
        }
    }

    /// Experts from the Members pools for a demand (all pools: a demand may need anyone's expert).
    func experts(for demand: Posting, top: Int = 10) async throws -> [MatchedExpert] {
        var candidates: [ExpertCandidate] = []
        for source in services.registry.expertSources { candidates += try await source.experts(scopePath: nil, on: db) }
        guard !candidates.isEmpty else { return [] }
        let entry = await catalog.experts(candidates)
        return entry.index.rank(try Self.profile(of: demand), top: max(1, min(top, 50))).compactMap { match in
            guard let id = UUID(uuidString: match.id.description), let expert = entry.experts[id] else { return nil }
            return MatchedExpert(expert: expert, score: match.score, reasons: match.reasons)
        }
    }

    /// 推送: staff send a match to both owners' inboxes and it counts in the figures. Both postings must
    /// be published; the staff member must review one of them. Pushing the same pair again is refused.
    func push(demandID: UUID, supplyID: UUID, actor: Actor) async throws -> MatchPush {
        let postings = PostingService(db: db, services: services)
        let demand = try await postings.visible(demandID, actor: actor)
        let supply = try await postings.visible(supplyID, actor: actor)
        guard demand.kind == .demand, supply.kind == .supply else { throw PlatformError.notFound }
        let reviewsDemand = try await postings.reviews(demand, actor: actor)
        let reviewsSupply = try await postings.reviews(supply, actor: actor)
        guard reviewsDemand || reviewsSupply else { throw InnovationError.pushNotPermitted }
        guard demand.state == .published, supply.state == .published else {
            throw InnovationError.pushNeedsPublished
        }
        if try await MatchPush.query(on: db).filter(\.$demandID == demandID).filter(\.$supplyID == supplyID).first() != nil {
            throw InnovationError.matchAlreadyPushed
        }
        let index = MatchIndex(candidates: [try Self.profile(of: supply)], configuration: MatchConfiguration())
        let match = index.rank(try Self.profile(of: demand), top: 1).first
        let push = MatchPush()
        push.demandID = demandID
        push.supplyID = supplyID
        push.score = match?.score ?? 0
        push.reasons = (match?.reasons ?? []).joined(separator: "\n")
        push.organizationID = actor.actingOrganizationID ?? demand.organizationID
        push.pushedBy = actor.userID
        push.pushedOn = Day.today(now: services.clock())
        let registry = services.registry
        try await services.writes.transaction(on: db) { tx in
            try await push.create(on: tx)
            let why = push.reasons.isEmpty ? "" : "\n匹配理由：" + push.reasons.replacingOccurrences(of: "\n", with: "；")
            try await registry.notify(
                PlatformNotification(
                    recipientUserID: demand.ownerUserID, title: "为您推荐技术成果：\(supply.title)",
                    body: "科协工作人员为您的需求“\(demand.title)”推荐了“\(supply.title)”（\(supply.ownerName)）。\(why)",
                    link: InnovationRoutes.posting(supplyID)), on: tx)
            try await registry.notify(
                PlatformNotification(
                    recipientUserID: supply.ownerUserID, title: "您的成果匹配到技术需求：\(demand.title)",
                    body: "科协工作人员将您的成果“\(supply.title)”推荐给需求“\(demand.title)”（\(demand.ownerName)）。\(why)",
                    link: InnovationRoutes.posting(demandID)), on: tx)
        }
        return push
    }
}
