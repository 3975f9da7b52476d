import Fluent
import Foundation
import KexieKit
import SQLKit

/// Who a round belongs to: the owner module's record (an award program, a society evaluation, …).
public struct ReviewOwner: Sendable, Hashable, Codable {
    public let module: String
    public let kind: String
    public let id: UUID

    public init(module: String, kind: String, id: UUID) {
        self.module = module
        self.kind = kind
        self.id = id
    }
}

/// 评分 (weighted indicators) or 表决 (赞成/反对/弃权, passing with more than two thirds).
public enum ReviewMode: String, Sendable, Codable, CaseIterable {
    case scoring, voting

    public var label: String { self == .scoring ? "评分" : "表决" }
}

public struct ReviewRoundDraft: Sendable {
    public let owner: ReviewOwner
    public let organizationID: UUID
    public let title: String
    public let mode: ReviewMode
    public let blind: Bool
    public let indicators: IndicatorTree
    public let aggregation: ScoreAggregation
    public let reviewersPerCandidate: Int
    public let opensOn: Day
    public let closesOn: Day
    public let ownerLink: String?

    public init(
        owner: ReviewOwner, organizationID: UUID, title: String, mode: ReviewMode, blind: Bool,
        indicators: IndicatorTree, aggregation: ScoreAggregation, reviewersPerCandidate: Int,
        opensOn: Day, closesOn: Day, ownerLink: String?
    ) {
        self.owner = owner
        self.organizationID = organizationID
        self.title = title
        self.mode = mode
        self.blind = blind
        self.indicators = indicators
        self.aggregation = aggregation
        self.reviewersPerCandidate = reviewersPerCandidate
        self.opensOn = opensOn
        self.closesOn = closesOn
        self.ownerLink = ownerLink
    }
}

public struct ReviewCandidateDraft: Sendable {
    public let ownerItemID: UUID
    /// Identity shown to managers (never to reviewers of a blind round).
    public let title: String
    /// What reviewers read (the owner module keeps names out of it in a blind round).
    public let abstract: String
    /// GB/T 13745 code, matched by prefix against experts' fields.
    public let field: String
    /// The 学科组 name. Reviewers are drawn per candidate (see docs/operators/review.md); the panel is
    /// shown and exported with the candidate.
    public let panel: String
    public let personIDs: [UUID]
    public let employers: [String]
    public let nominatingOrganizationID: UUID?

    public init(
        ownerItemID: UUID, title: String, abstract: String, field: String, panel: String,
        personIDs: [UUID], employers: [String], nominatingOrganizationID: UUID?
    ) {
        self.ownerItemID = ownerItemID
        self.title = title
        self.abstract = abstract
        self.field = field
        self.panel = panel
        self.personIDs = personIDs
        self.employers = employers
        self.nominatingOrganizationID = nominatingOrganizationID
    }
}

public struct ReviewResultRow: Sendable {
    public let candidateID: UUID
    public let ownerItemID: UUID
    public let title: String
    public let score: Decimal?
    public let rank: Int?
    public let tieNote: String?
    public let scoresCount: Int
    public let votesFor: Int
    public let votesAgainst: Int
    public let votesAbstain: Int
    public let passes: Bool?
}

public struct ReviewRoundSummary: Sendable {
    public let id: UUID
    public let title: String
    public let mode: ReviewMode
    public let state: String
    public let candidates: Int
    public let assignments: Int
    public let submitted: Int
}

/// The stateful review engine (issue 18): rounds, candidates, the recorded draw with avoidance, manual
/// assignment, blind scoring and voting, declared conflicts with a recorded redraw, aggregation and
/// ranking stored with the method. The pure rules are KexieKit's (`ReviewAvoidance`, `ReviewDraw`,
/// `IndicatorTree`, `ScoreAggregation`, `ReviewRanking`, `VotingRule`); this type only asks them.
public struct ReviewService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    var today: Day { Day.today(now: services.clock()) }

    // MARK: Rounds

    public func createRound(_ draft: ReviewRoundDraft, by actor: Actor) async throws -> UUID {
        try actor.require(ReviewPermission.manage)
        let organization = try await actor.scope.requireOrganization(draft.organizationID, on: db)
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(title.count) else { throw PlatformError.invalidInput(field: "title", message: "请填写评审轮次名称（不超过 200 字）") }
        guard (1...20).contains(draft.reviewersPerCandidate) else {
            throw PlatformError.invalidInput(field: "reviewersPerCandidate", message: "每个候选的评审专家人数为 1 至 20")
        }
        guard draft.opensOn <= draft.closesOn else { throw PlatformError.invalidInput(field: "closesOn", message: "截止日期不能早于开始日期") }
        guard !draft.owner.module.isEmpty, !draft.owner.kind.isEmpty else {
            throw PlatformError.invalidInput(field: "owner", message: "缺少评审所属模块")
        }
        let round = ReviewRoundRecord()
        round.id = UUID()
        round.organizationID = try organization.requireID()
        round.ownerModule = String(draft.owner.module.prefix(40))
        round.ownerKind = String(draft.owner.kind.prefix(40))
        round.ownerID = draft.owner.id
        round.title = title
        round.mode = draft.mode
        round.blind = draft.blind
        round.indicatorsJSON = ReviewIndicators.encode(draft.indicators)
        round.aggregation = draft.aggregation
        round.reviewersPerCandidate = draft.reviewersPerCandidate
        round.opensOn = draft.opensOn
        round.closesOn = draft.closesOn
        round.ownerLink = draft.ownerLink
        round.state = "open"
        round.createdBy = actor.userID
        try await services.writes.transaction(on: db) { tx in try await round.create(on: tx) }
        return try round.requireID()
    }

    /// A round the actor manages: `platform.review.manage` and the round's organization in the actor's
    /// subtree; anything else is 404, as if it did not exist.
    func managedRound(_ id: UUID, actor: Actor) async throws -> ReviewRoundRecord {
        guard actor.can(ReviewPermission.manage),
            let round = try await actor.scope.query(ReviewRoundRecord.self, on: db).filter(\.$id == id).first()
        else { throw PlatformError.notFound }
        return round
    }

    public func addCandidates(_ roundID: UUID, _ candidates: [ReviewCandidateDraft], by actor: Actor) async throws -> [UUID] {
        let round = try await managedRound(roundID, actor: actor)
        guard candidates.count <= 2000 else { throw PlatformError.invalidInput(field: "candidates", message: "一次最多加入 2000 个候选") }
        for (index, draft) in candidates.enumerated() {
            guard !draft.title.trimmingCharacters(in: .whitespaces).isEmpty, !draft.field.trimmingCharacters(in: .whitespaces).isEmpty
            else { throw PlatformError.invalidInput(field: "candidates[\(index)]", message: "候选须有名称和学科代码") }
        }
        let start =
            try await ReviewCandidateRecord.query(on: db).filter(\.$roundID == roundID).sort(\.$position, .descending).first()?.position
            ?? 0
        let organizationIDs = Array(Set(candidates.compactMap(\.nominatingOrganizationID)))
        var names: [UUID: String] = [:]
        if !organizationIDs.isEmpty {
            for org in try await Organization.query(on: db).filter(\.$id ~~ organizationIDs).all() { names[try org.requireID()] = org.name }
        }
        let records = candidates.enumerated().map { index, draft in
            let record = ReviewCandidateRecord()
            record.id = UUID()
            record.roundID = roundID
            record.position = start + index + 1
            record.blindLabel = Self.blindLabel(start + index + 1)
            record.ownerItemID = draft.ownerItemID
            record.title = String(draft.title.prefix(300))
            record.abstract = String(draft.abstract.prefix(20_000))
            record.field = draft.field.trimmingCharacters(in: .whitespaces)
            record.panel = String(draft.panel.prefix(100))
            record.personIDs = draft.personIDs
            record.employers = draft.employers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            record.nominatingOrganizationID = draft.nominatingOrganizationID
            record.nominatingOrganizationName = draft.nominatingOrganizationID.flatMap { names[$0] }
            return record
        }
        _ = round
        try await services.writes.transaction(on: db) { tx in
            for record in records { try await record.create(on: tx) }
        }
        return try records.map { try $0.requireID() }
    }

    /// 候选 A-001, 候选 A-002, …
    static func blindLabel(_ position: Int) -> String {
        let letter = Character(UnicodeScalar(UInt8(65 + ((position - 1) / 1000) % 26)))
        return "候选 \(letter)-" + String(format: "%03d", (position - 1) % 1000 + 1)
    }

    // MARK: Avoidance

    /// The reviewer as KexieKit's avoidance check reads them. Declared conflicts: a person or an
    /// organization by id, an organization also by name (it may be the nominating one), an employer as
    /// `employer:NAME` (matched against the candidate's employers, see `reviewCandidate`).
    static func profile(_ expert: ExpertCandidate, field: String) -> ReviewerProfile {
        var declared: Set<String> = []
        for conflict in expert.conflicts {
            if let id = conflict.subjectID { declared.insert(id.uuidString) }
            switch conflict.kind {
            case .organization: declared.insert(conflict.name)
            case .employer: declared.insert("employer:" + conflict.name.trimmingCharacters(in: .whitespaces))
            case .person: break
            }
        }
        return ReviewerProfile(id: expert.personID.uuidString, employer: expert.employer, fields: [field], declared: declared)
    }

    /// The candidate for the avoidance check: its people, employers (also as `employer:NAME` so a
    /// declared employer conflicts) and nominating organization's name.
    static func reviewCandidate(_ candidate: ReviewCandidateRecord) throws -> ReviewCandidate {
        var people = Set(candidate.personIDs.map(\.uuidString))
        for employer in candidate.employers { people.insert("employer:" + employer) }
        if let org = candidate.nominatingOrganizationID { people.insert(org.uuidString) }
        return ReviewCandidate(
            id: try candidate.requireID().uuidString, people: people, employers: Set(candidate.employers),
            nominatingOrganization: candidate.nominatingOrganizationName)
    }

    /// The round's pool for a field: review experts of the round organization's subtree with an account.
    private func pool(field: String, round: ReviewRoundRecord, cache: inout [String: [ExpertCandidate]]) async throws -> [ExpertCandidate] {
        if let cached = cache[field] { return cached }
        let path = try await Organization.find(round.organizationID, on: db)?.path ?? "/none/"
        let experts = try await services.registry.experts(ExpertQuery(scopePath: path, roles: [.review], field: field), on: db)
            .filter { $0.userID != nil }
        cache[field] = experts
        return experts
    }

    // MARK: Draw

    /// The seed of one candidate's draw: the round's seed mixed with the candidate's position, so each
    /// candidate gets its own (repeatable) order and the work spreads over the pool.
    static func candidateSeed(_ seed: UInt64, position: Int, drawNumber: Int) -> UInt64 {
        seed &+ UInt64(position) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(drawNumber) &* 0xBF58_476D_1CE4_E5B9
    }

    public func draw(_ roundID: UUID, seed: UInt64, by actor: Actor) async throws -> Int {
        let round = try await managedRound(roundID, actor: actor)
        let candidates = try await ReviewCandidateRecord.query(on: db).filter(\.$roundID == roundID).sort(\.$position).all()
        guard !candidates.isEmpty else { throw ReviewError.noCandidates }
        let assignments = try await ReviewAssignmentRecord.query(on: db).filter(\.$roundID == roundID).all()
        let drawNumber = try await nextDrawNumber(roundID)
        var cache: [String: [ExpertCandidate]] = [:]
        var newAssignments: [ReviewAssignmentRecord] = []
        var entries: [ReviewDrawEntry] = []
        var short = 0
        for candidate in candidates {
            let candidateID = try candidate.requireID()
            let on = assignments.filter { $0.candidateID == candidateID }
            let needed = round.reviewersPerCandidate - on.filter { $0.state != .declined }.count
            guard needed > 0 else { continue }
            let outcome = try await drawFor(
                candidate, count: needed, excluded: Set(on.map(\.personID.uuidString)), round: round,
                seed: Self.candidateSeed(seed, position: candidate.position, drawNumber: drawNumber), drawNumber: drawNumber,
                source: .draw, cache: &cache)
            newAssignments += outcome.assignments
            entries += outcome.entries
            short += outcome.short
        }
        round.drawSeed = String(seed)
        let (recorded, created) = (entries, newAssignments)
        try await services.writes.transaction(on: db) { tx in
            for entry in recorded { try await entry.create(on: tx) }
            for assignment in created { try await assignment.create(on: tx) }
            try await round.update(on: tx)
        }
        return short
    }

    private func nextDrawNumber(_ roundID: UUID) async throws -> Int {
        (try await ReviewDrawEntry.query(on: db).filter(\.$roundID == roundID).max(\.$drawNumber) ?? 0) + 1
    }

    private struct DrawOutcome {
        var assignments: [ReviewAssignmentRecord] = []
        var entries: [ReviewDrawEntry] = []
        var short = 0
    }

    private func drawFor(
        _ candidate: ReviewCandidateRecord, count: Int, excluded: Set<String>, round: ReviewRoundRecord, seed: UInt64, drawNumber: Int,
        source: ReviewAssignmentRecord.Source, cache: inout [String: [ExpertCandidate]]
    ) async throws -> DrawOutcome {
        let experts = try await pool(field: candidate.field, round: round, cache: &cache)
        let byPerson = Dictionary(experts.map { ($0.personID.uuidString, $0) }, uniquingKeysWith: { first, _ in first })
        let profiles = experts.map { Self.profile($0, field: candidate.field) }
        let result = ReviewDraw.draw(
            count: count, field: candidate.field, from: profiles, for: [try Self.reviewCandidate(candidate)], seed: seed, excluded: excluded
        )
        let now = services.clock()
        let candidateID = try candidate.requireID()
        var outcome = DrawOutcome()
        func entry(_ person: ExpertCandidate?, _ kind: String, _ reasons: [String], name: String) {
            let record = ReviewDrawEntry()
            record.id = UUID()
            record.roundID = candidate.roundID
            record.drawNumber = drawNumber
            record.seed = String(seed)
            record.candidateID = candidateID
            record.personID = person?.personID
            record.reviewerName = name
            record.outcome = kind
            record.reasons = reasons
            record.recordedAt = now
            outcome.entries.append(record)
        }
        for skipped in result.skipped {
            let expert = byPerson[skipped.reviewer]
            entry(expert, "passed_over", skipped.reasons.map(\.rawValue), name: expert?.name ?? "")
        }
        for id in result.drawn {
            guard let expert = byPerson[id], let userID = expert.userID else { continue }
            entry(expert, "drawn", [], name: expert.name)
            outcome.assignments.append(
                Self.assignment(round: candidate.roundID, candidate: candidateID, expert: expert, userID: userID, source: source))
        }
        if result.shortBy > 0 {
            entry(nil, "short", [], name: "缺 \(result.shortBy) 人")
            outcome.short = result.shortBy
        }
        return outcome
    }

    static func assignment(
        round: UUID, candidate: UUID, expert: ExpertCandidate, userID: UUID, source: ReviewAssignmentRecord.Source
    ) -> ReviewAssignmentRecord {
        let record = ReviewAssignmentRecord()
        record.id = UUID()
        record.roundID = round
        record.candidateID = candidate
        record.expertEntryID = expert.expertID
        record.personID = expert.personID
        record.userID = userID
        record.reviewerName = expert.name
        record.source = source
        record.state = .assigned
        record.scoresJSON = "{}"
        record.comment = ""
        return record
    }

    /// Manual assignment; refuses a conflicting reviewer with ReviewConflict 409 naming the reasons.
    public func assign(_ roundID: UUID, candidateID: UUID, expertEntryID: UUID, by actor: Actor) async throws -> UUID {
        let round = try await managedRound(roundID, actor: actor)
        guard
            let candidate = try await ReviewCandidateRecord.query(on: db).filter(\.$roundID == roundID).filter(\.$id == candidateID).first()
        else { throw PlatformError.notFound }
        let path = try await Organization.find(round.organizationID, on: db)?.path ?? "/none/"
        let experts = try await services.registry.experts(
            ExpertQuery(scopePath: path, roles: [.review], includeUnavailable: true), on: db)
        guard let expert = experts.first(where: { $0.expertID == expertEntryID }) else {
            throw PlatformError.invalidInput(field: "expertEntryId", message: "评审专家库中没有这位专家")
        }
        guard let userID = expert.userID else {
            throw PlatformError.invalidInput(field: "expertEntryId", message: "这位专家还没有关联账号，无法接收评审任务")
        }
        let reasons = ReviewAvoidance.conflicts(Self.profile(expert, field: candidate.field), try Self.reviewCandidate(candidate))
        guard reasons.isEmpty else { throw ReviewError.conflict(reasons) }
        let existing = try await ReviewAssignmentRecord.query(on: db).filter(\.$candidateID == candidateID)
            .filter(\.$personID == expert.personID).first()
        if let existing {
            // Someone who declared a conflict with this candidate stays away from it.
            throw existing.state == .declined ? ReviewError.conflict([.declared]) : ReviewError.alreadyAssigned
        }
        let record = Self.assignment(round: roundID, candidate: candidateID, expert: expert, userID: userID, source: .manual)
        try await services.writes.transaction(on: db) { tx in try await record.create(on: tx) }
        return try record.requireID()
    }

    // MARK: Reviewers

    /// The reviewer's own assignment; anybody else's is 404.
    func ownAssignment(_ id: UUID, actor: Actor) async throws -> ReviewAssignmentRecord {
        guard let record = try await ReviewAssignmentRecord.query(on: db).filter(\.$id == id).filter(\.$userID == actor.userID).first()
        else { throw PlatformError.notFound }
        return record
    }

    /// Scores (or votes on) the reviewer's own assignment; revisable until the round closes.
    public func submit(
        _ assignmentID: UUID, scores: [String: Decimal], vote: String?, comment: String, by actor: Actor
    ) async throws {
        let assignment = try await ownAssignment(assignmentID, actor: actor)
        guard assignment.state != .declined else { throw ReviewError.assignmentDeclined }
        guard let round = try await ReviewRoundRecord.find(assignment.roundID, on: db) else { throw PlatformError.notFound }
        guard round.isOpen(today: today) else { throw ReviewError.closed }
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard comment.count <= 2000 else { throw PlatformError.invalidInput(field: "comment", message: "评审意见不超过 2000 字") }
        switch round.mode {
        case .scoring:
            let total = try Self.validate(scores, tree: try round.indicators)
            assignment.scoresJSON = ReviewIndicators.encodeScores(scores)
            assignment.total = NSDecimalNumber(decimal: total).doubleValue
            assignment.vote = nil
        case .voting:
            guard let vote, ["for", "against", "abstain"].contains(vote) else { throw ReviewError.scoreMissing(field: "vote") }
            assignment.vote = vote
        }
        assignment.comment = comment
        assignment.state = .submitted
        assignment.submittedAt = services.clock()
        try await services.writes.transaction(on: db) { tx in try await assignment.update(on: tx) }
    }

    /// Every indicator scored, each within 0…weight in steps of 0.5, no unknown key; the total.
    static func validate(_ scores: [String: Decimal], tree: IndicatorTree) throws -> Decimal {
        let keys = Set(tree.indicators.map(\.key))
        if let unknown = scores.keys.sorted().first(where: { !keys.contains($0) }) {
            throw PlatformError.invalidInput(field: unknown, message: "没有这个评分指标")
        }
        for indicator in tree.indicators {
            guard let score = scores[indicator.key] else { throw ReviewError.scoreMissing(field: indicator.key) }
            var doubled = score * 2
            var rounded = Decimal()
            NSDecimalRound(&rounded, &doubled, 0, .plain)
            guard score >= 0, score <= Decimal(indicator.weight), rounded == doubled else {
                throw ReviewError.scoreOutOfRange(key: indicator.key, max: indicator.weight)
            }
        }
        do { return try tree.total(scores) } catch IndicatorTree.Problem.outOfRange(let key, let max) {
            throw ReviewError.scoreOutOfRange(key: key, max: max)
        } catch IndicatorTree.Problem.missing(let key) { throw ReviewError.scoreMissing(field: key) }
    }

    /// 声明回避: the reviewer declines their assignment with a reason; a recorded redraw puts another
    /// reviewer on the candidate (avoidance again; everyone already on it, or who declined it, excluded).
    /// Returns the new assignment, nil when the pool had nobody left.
    @discardableResult
    public func decline(_ assignmentID: UUID, reason: String, by actor: Actor) async throws -> UUID? {
        let assignment = try await ownAssignment(assignmentID, actor: actor)
        guard assignment.state != .declined else { throw ReviewError.assignmentDeclined }
        guard let round = try await ReviewRoundRecord.find(assignment.roundID, on: db) else { throw PlatformError.notFound }
        guard round.isOpen(today: today) || today < round.opensOn else { throw ReviewError.closed }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...500).contains(reason.count) else { throw PlatformError.invalidInput(field: "reason", message: "请填写回避原因（不超过 500 字）") }
        guard let candidate = try await ReviewCandidateRecord.find(assignment.candidateID, on: db) else { throw PlatformError.notFound }
        assignment.state = .declined
        assignment.declinedReason = reason
        let on = try await ReviewAssignmentRecord.query(on: db).filter(\.$candidateID == assignment.candidateID).all()
        let drawNumber = try await nextDrawNumber(round.requireID())
        let seed = Self.candidateSeed(UInt64(round.drawSeed ?? "") ?? 0, position: candidate.position, drawNumber: drawNumber)
        var cache: [String: [ExpertCandidate]] = [:]
        let outcome = try await drawFor(
            candidate, count: 1, excluded: Set(on.map(\.personID.uuidString)), round: round, seed: seed, drawNumber: drawNumber,
            source: .redraw, cache: &cache)
        try await services.writes.transaction(on: db) { tx in
            try await assignment.update(on: tx)
            for entry in outcome.entries { try await entry.create(on: tx) }
            for record in outcome.assignments { try await record.create(on: tx) }
        }
        return try outcome.assignments.first?.requireID()
    }

    // MARK: Results

    /// Aggregates with the round's method and ranks (ties explained); stores the results with the method.
    public func aggregate(_ roundID: UUID, by actor: Actor) async throws -> [ReviewResultRow] {
        let round = try await managedRound(roundID, actor: actor)
        let sql = try db.sql()
        let candidates = try await sql.raw(
            "SELECT id, owner_item_id, title FROM platform_review_candidates WHERE round_id = \(bind: roundID) ORDER BY position"
        ).all().map {
            (
                id: try $0.decode(column: "id", as: UUID.self), item: try $0.decode(column: "owner_item_id", as: UUID.self),
                title: try $0.decode(column: "title", as: String.self)
            )
        }
        guard !candidates.isEmpty else { throw ReviewError.noCandidates }
        var totals: [UUID: [Decimal]] = [:]
        var votes: [UUID: (yes: Int, no: Int, abstain: Int)] = [:]
        for row in try await sql.raw(
            """
            SELECT candidate_id, total, vote FROM platform_review_assignments \
            WHERE round_id = \(bind: roundID) AND state = \(bind: ReviewAssignmentRecord.State.submitted.rawValue)
            """
        ).all() {
            let candidate = try row.decode(column: "candidate_id", as: UUID.self)
            if let total = try row.decode(column: "total", as: Double?.self) {
                totals[candidate, default: []].append(Decimal(string: String(total)) ?? Decimal(total))
            }
            switch try row.decode(column: "vote", as: String?.self) {
            case "for": votes[candidate, default: (0, 0, 0)].yes += 1
            case "against": votes[candidate, default: (0, 0, 0)].no += 1
            case "abstain": votes[candidate, default: (0, 0, 0)].abstain += 1
            default: break
            }
        }
        let rows = Self.rank(candidates, mode: round.mode, aggregation: round.aggregation, totals: totals, votes: votes)
        let now = services.clock()
        round.state = "aggregated"
        round.aggregatedAt = now
        let aggregation = round.aggregation
        try await services.writes.transaction(on: db) { tx in
            let sql = try tx.sql()
            try await sql.raw("DELETE FROM platform_review_results WHERE round_id = \(bind: roundID)").run()
            let columns = [
                "id", "round_id", "candidate_id", "score", "rank", "tie_note", "scores_count", "votes_for", "votes_against",
                "votes_abstain", "passes", "aggregation", "computed_at",
            ]
            for start in stride(from: 0, to: rows.count, by: 200) {
                var insert = sql.insert(into: ReviewResultRecord.schema).columns(columns)
                for row in rows[start..<min(rows.count, start + 200)] {
                    let values: [(any Encodable & Sendable)?] = [
                        UUID(), roundID, row.candidateID, row.score.map(ReviewText.score), row.rank, row.tieNote, row.scoresCount,
                        row.votesFor, row.votesAgainst, row.votesAbstain, row.passes, aggregation.rawValue, now,
                    ]
                    insert = insert.values(values.map { value in value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null })
                }
                try await insert.run()
            }
            try await round.update(on: tx)
        }
        return rows
    }

    /// The ranking of one round's candidates: by aggregated score (scoring) or by 赞成 votes (voting);
    /// ties share a rank and are explained with the other candidates' titles.
    static func rank(
        _ candidates: [(id: UUID, item: UUID, title: String)], mode: ReviewMode, aggregation: ScoreAggregation, totals: [UUID: [Decimal]],
        votes: [UUID: (yes: Int, no: Int, abstain: Int)]
    ) -> [ReviewResultRow] {
        var scores: [String: Decimal?] = [:]
        var aggregated: [UUID: Decimal] = [:]
        for candidate in candidates {
            let score: Decimal?
            switch mode {
            case .scoring: score = aggregation.aggregate(totals[candidate.id] ?? [])
            case .voting: score = votes[candidate.id].map { Decimal($0.yes) }
            }
            scores[candidate.id.uuidString] = score
            if mode == .scoring, let score { aggregated[candidate.id] = score }
        }
        let ranking = ReviewRanking(scores: scores)
        let names = Dictionary(candidates.map { ($0.id.uuidString, $0.title) }, uniquingKeysWith: { first, _ in first })
        let entries = Dictionary(ranking.entries.map { ($0.candidate, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = candidates.map { candidate -> ReviewResultRow in
            let entry = entries[candidate.id.uuidString]
            let vote = votes[candidate.id] ?? (0, 0, 0)
            let cast = vote.yes + vote.no + vote.abstain
            return ReviewResultRow(
                candidateID: candidate.id, ownerItemID: candidate.item, title: candidate.title, score: aggregated[candidate.id],
                rank: entry?.rank, tieNote: mode == .scoring ? entry?.tieExplanation(names: names) : nil,
                scoresCount: mode == .scoring ? (totals[candidate.id]?.count ?? 0) : cast, votesFor: vote.yes, votesAgainst: vote.no,
                votesAbstain: vote.abstain, passes: mode == .voting ? VotingRule.passes(yes: vote.yes, cast: cast) : nil)
        }
        return rows.sorted { a, b in
            switch (a.rank, b.rank) {
            case (let x?, let y?): return x != y ? x < y : a.title < b.title
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.title < b.title
            }
        }
    }

    public func results(_ roundID: UUID) async throws -> [ReviewResultRow] {
        let rows = try await db.sql().raw(
            """
            SELECT r.candidate_id, c.owner_item_id, c.title, r.score, r.rank, r.tie_note, r.scores_count, r.votes_for, \
            r.votes_against, r.votes_abstain, r.passes FROM platform_review_results r \
            JOIN platform_review_candidates c ON c.id = r.candidate_id WHERE r.round_id = \(bind: roundID) \
            ORDER BY CASE WHEN r.rank IS NULL THEN 1 ELSE 0 END, r.rank, c.title, c.position
            """
        ).all()
        return try rows.map { row in
            ReviewResultRow(
                candidateID: try row.decode(column: "candidate_id", as: UUID.self),
                ownerItemID: try row.decode(column: "owner_item_id", as: UUID.self),
                title: try row.decode(column: "title", as: String.self),
                score: try row.decode(column: "score", as: String?.self).flatMap { Decimal(string: $0) },
                rank: try row.decode(column: "rank", as: Int?.self), tieNote: try row.decode(column: "tie_note", as: String?.self),
                scoresCount: try row.decode(column: "scores_count", as: Int.self),
                votesFor: try row.decode(column: "votes_for", as: Int.self),
                votesAgainst: try row.decode(column: "votes_against", as: Int.self),
                votesAbstain: try row.decode(column: "votes_abstain", as: Int.self),
                passes: try row.decode(column: "passes", as: Bool?.self))
        }
    }

    public func rounds(owner: ReviewOwner) async throws -> [ReviewRoundSummary] {
        let rows = try await db.sql().raw(
            """
            SELECT r.id, r.title, r.mode, r.state, \
            (SELECT COUNT(*) FROM platform_review_candidates c WHERE c.round_id = r.id) AS candidates, \
            (SELECT COUNT(*) FROM platform_review_assignments a WHERE a.round_id = r.id AND a.state <> 'declined') AS assignments, \
            (SELECT COUNT(*) FROM platform_review_assignments a WHERE a.round_id = r.id AND a.state = 'submitted') AS submitted \
            FROM platform_review_rounds r WHERE r.owner_module = \(bind: owner.module) AND r.owner_kind = \(bind: owner.kind) \
            AND r.owner_id = \(bind: owner.id) ORDER BY r.created_at, r.id
            """
        ).all()
        return try rows.map { row in
            ReviewRoundSummary(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                mode: ReviewMode(rawValue: try row.decode(column: "mode", as: String.self)) ?? .scoring,
                state: try row.decode(column: "state", as: String.self), candidates: try row.decode(column: "candidates", as: Int.self),
                assignments: try row.decode(column: "assignments", as: Int.self),
                submitted: try row.decode(column: "submitted", as: Int.self))
        }
    }

    // MARK: Reminders

    /// 催评: one in-app message per unsubmitted assignment of a round closing within 3 days, once a day.
    /// Returns how many went out.
    @discardableResult
    public func sendReminders() async throws -> Int {
        let today = self.today
        let rows = try await db.sql().raw(
            """
            SELECT a.id, a.user_id, r.title, r.closes_on FROM platform_review_assignments a \
            JOIN platform_review_rounds r ON r.id = a.round_id \
            WHERE a.state = \(bind: ReviewAssignmentRecord.State.assigned.rawValue) AND r.closes_on >= \(bind: today.description) \
            AND r.closes_on <= \(bind: today.adding(days: 3).description) AND r.opens_on <= \(bind: today.description) \
            AND (a.reminded_on IS NULL OR a.reminded_on < \(bind: today.description))
            """
        ).all()
        var ids: [UUID] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let closes = try row.decode(column: "closes_on", as: String.self)
            try await services.registry.notify(
                PlatformNotification(
                    recipientUserID: try row.decode(column: "user_id", as: UUID.self),
                    title: "评审提醒：\(try row.decode(column: "title", as: String.self))",
                    body: "您有尚未提交的评审任务，评审将于 \(closes) 截止，请及时完成评分。", link: ReviewRoutes.assignment(id)), on: db)
            ids.append(id)
        }
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(ids.count, start + 500)])
            try await db.sql().update(ReviewAssignmentRecord.schema).set("reminded_on", to: SQLBind(today.description))
                .where("id", .in, SQLBind.group(chunk)).run()
        }
        return ids.count
    }
}

enum ReviewText {
    /// Two decimals, "87.50".
    static func score(_ value: Decimal) -> String {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        formatter.usesGroupingSeparator = false
        return formatter.string(from: rounded as NSDecimalNumber) ?? "\(rounded)"
    }

    /// A score as typed: "27.5", "30".
    static func plain(_ value: Decimal) -> String { "\(value)" }
}
