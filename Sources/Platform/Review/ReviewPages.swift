import Fluent
import Foundation
import KexieKit
import SQLKit
import Vapor

// MARK: - Page models

/// 我的评审: the reviewer's assignments, progress per round.
struct MyReviewsPage: Sendable {
    struct Row: Sendable {
        let id: UUID
        let round: String
        let candidate: String
        let closesOn: String
        let state: String
        let stateLabel: String
        let link: String
    }

    struct Progress: Sendable {
        let roundID: UUID
        let round: String
        let done: Int
        let total: Int
        let closesOn: String
    }

    let shell: PageShell
    let progress: [Progress]
    let rows: [Row]
}

/// One assignment's scoring (or voting) page: the candidate's blind label in a blind round, the
/// abstract, one input per indicator, the comment; only the reviewer's own scores.
struct ScoringPage: Sendable {
    struct Indicator: Sendable {
        let key: String
        let label: String
        let weight: Int
        let value: String
    }

    let shell: PageShell
    let assignmentID: UUID
    let round: String
    let candidateLabel: String
    let abstract: String
    let mode: ReviewMode
    let closesOn: String
    let isOpen: Bool
    let state: ReviewAssignmentRecord.State
    let indicators: [Indicator]
    let total: String
    let vote: String?
    let comment: String
    let declinedReason: String?
    let errors: [String: String]
}

/// 评审轮次: the subtree's rounds.
struct ReviewRoundListPage: Sendable {
    struct Row: Sendable {
        let id: UUID
        let title: String
        let organization: String
        let mode: String
        let closesOn: String
        let state: String
        let candidates: Int
        let assignments: Int
        let submitted: Int
    }

    let shell: PageShell
    let list: ListChrome
    let rows: [Row]
    let modes: [SelectOption]
    let states: [SelectOption]
    let sorts: [SelectOption]
}

/// One round as its managers see it.
struct ReviewRoundPage: Sendable {
    struct Candidate: Sendable {
        let id: UUID
        let label: String
        let title: String
        let field: String
        let panel: String
        let assigned: Int
        let submitted: Int
    }

    struct DrawLine: Sendable {
        let drawNumber: Int
        let seed: String
        let candidate: String
        let reviewer: String
        let outcome: String
        let outcomeLabel: String
        let reasons: String
    }

    struct ReviewerProgress: Sendable {
        let name: String
        let assigned: Int
        let submitted: Int
        let declined: Int
    }

    struct Result: Sendable {
        let candidateID: UUID
        let title: String
        let score: String
        let rank: String
        let tieNote: String
        let votes: String
        let passes: String
    }

    let shell: PageShell
    let id: UUID
    let title: String
    let facts: [(String, String)]
    let mode: ReviewMode
    let candidates: [Candidate]
    let draws: [DrawLine]
    let reviewers: [ReviewerProgress]
    let results: [Result]
    let aggregation: String
    let candidateOptions: [SelectOption]
    let expertOptions: [SelectOption]
    let errors: [String: String]
}

// MARK: - Controller

struct ReviewController: Sendable {
    func register(_ web: any RoutesBuilder) {
        web.get(ReviewRoutes.myReviews, use: mine)
        web.get(ReviewRoutes.assignment, use: scoring)
        web.post(ReviewRoutes.assignment, use: submit)
        web.post(ReviewRoutes.declineAssignment, use: decline)
        web.get(ReviewRoutes.rounds, use: rounds)
        web.get(ReviewRoutes.round, use: round)
        web.post(ReviewRoutes.drawRound, use: draw)
        web.post(ReviewRoutes.aggregateRound, use: aggregate)
        web.post(ReviewRoutes.assignRound, use: assign)
        web.get(ReviewRoutes.roundResults, use: exportResults)
    }

    static func stateLabel(_ state: String) -> String {
        switch state {
        case "submitted": return "已提交"
        case "declined": return "已回避"
        default: return "待评审"
        }
    }

    // MARK: Reviewers

    /// `/reviews`: every assignment of the actor's account, one statement.
    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let rows = try await req.db.sql().raw(
            """
            SELECT a.id, a.round_id, a.state, r.title AS round_title, r.blind, r.closes_on, c.blind_label, c.title AS candidate_title \
            FROM platform_review_assignments a JOIN platform_review_rounds r ON r.id = a.round_id \
            JOIN platform_review_candidates c ON c.id = a.candidate_id \
            WHERE a.user_id = \(bind: actor.userID) ORDER BY r.closes_on, r.title, c.position LIMIT 500
            """
        ).all()
        var list: [MyReviewsPage.Row] = []
        var progress: [UUID: MyReviewsPage.Progress] = [:]
        var order: [UUID] = []
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let roundID = try row.decode(column: "round_id", as: UUID.self)
            let state = try row.decode(column: "state", as: String.self)
            let blind = try row.decode(column: "blind", as: Bool.self)
            let round = try row.decode(column: "round_title", as: String.self)
            let closes = try row.decode(column: "closes_on", as: String.self)
            let label = try row.decode(column: blind ? "blind_label" : "candidate_title", as: String.self)
            list.append(
                .init(
                    id: id, round: round, candidate: label, closesOn: closes, state: state, stateLabel: Self.stateLabel(state),
                    link: ReviewRoutes.assignment(id)))
            guard state != "declined" else { continue }
            let old = progress[roundID]
            if old == nil { order.append(roundID) }
            progress[roundID] = .init(
                roundID: roundID, round: round, done: (old?.done ?? 0) + (state == "submitted" ? 1 : 0), total: (old?.total ?? 0) + 1,
                closesOn: closes)
        }
        return try await MyReviewsPage(
            shell: await PageShell.build(for: req, title: "我的评审"), progress: order.compactMap { progress[$0] }, rows: list
        ).render(req)
    }

    /// `/reviews/{id}`: the scoring page, one statement (the assignment with its round and candidate).
    func scoring(_ req: Request) async throws -> Response {
        try await scoringPage(req, id: try req.uuidParameter(), posted: nil, errors: [:])
    }

    struct Loaded {
        let round: String
        let blind: Bool
        let label: String
        let title: String
        let abstract: String
        let mode: ReviewMode
        let indicators: IndicatorTree
        let opensOn: Day
        let closesOn: Day
        let state: ReviewAssignmentRecord.State
        let scores: [String: Decimal]
        let total: Double?
        let vote: String?
        let comment: String
        let declinedReason: String?
    }

    static func load(_ id: UUID, actor: Actor, on db: any Database) async throws -> Loaded {
        guard
            let row = try await db.sql().raw(
                """
                SELECT a.state, a.scores, a.total, a.vote, a.comment, a.declined_reason, r.title AS round_title, r.blind, r.mode, \
                r.indicators, r.opens_on, r.closes_on, c.blind_label, c.title AS candidate_title, c.abstract \
                FROM platform_review_assignments a JOIN platform_review_rounds r ON r.id = a.round_id \
                JOIN platform_review_candidates c ON c.id = a.candidate_id \
                WHERE a.id = \(bind: id) AND a.user_id = \(bind: actor.userID)
                """
            ).first()
        else { throw PlatformError.notFound }
        return Loaded(
            round: try row.decode(column: "round_title", as: String.self), blind: try row.decode(column: "blind", as: Bool.self),
            label: try row.decode(column: "blind_label", as: String.self),
            title: try row.decode(column: "candidate_title", as: String.self),
            abstract: try row.decode(column: "abstract", as: String.self),
            mode: ReviewMode(rawValue: try row.decode(column: "mode", as: String.self)) ?? .scoring,
            indicators: try ReviewIndicators.decode(try row.decode(column: "indicators", as: String.self)),
            opensOn: Day(try row.decode(column: "opens_on", as: String.self)) ?? Day.firstDay(of: 2000),
            closesOn: Day(try row.decode(column: "closes_on", as: String.self)) ?? Day.firstDay(of: 2000),
            state: ReviewAssignmentRecord.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .assigned,
            scores: ReviewIndicators.decodeScores(try row.decode(column: "scores", as: String.self)),
            total: try row.decode(column: "total", as: Double?.self), vote: try row.decode(column: "vote", as: String?.self),
            comment: try row.decode(column: "comment", as: String.self),
            declinedReason: try row.decode(column: "declined_reason", as: String?.self))
    }

    func scoringPage(_ req: Request, id: UUID, posted: [String: String]?, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        let loaded = try await Self.load(id, actor: actor, on: req.db)
        let today = Day.today(now: req.platform.clock())
        let indicators = loaded.indicators.indicators.map { indicator in
            ScoringPage.Indicator(
                key: indicator.key, label: indicator.label, weight: indicator.weight,
                value: posted?["score-" + indicator.key] ?? loaded.scores[indicator.key].map(ReviewText.plain) ?? "")
        }
        let total = loaded.total.map { ReviewText.score(Decimal(string: String($0)) ?? 0) } ?? "—"
        return try await ScoringPage(
            shell: await PageShell.build(for: req, title: "评审评分"), assignmentID: id, round: loaded.round,
            candidateLabel: loaded.blind ? loaded.label : loaded.title, abstract: loaded.abstract, mode: loaded.mode,
            closesOn: loaded.closesOn.description, isOpen: today >= loaded.opensOn && today <= loaded.closesOn, state: loaded.state,
            indicators: indicators, total: total, vote: posted?["vote"] ?? loaded.vote, comment: posted?["comment"] ?? loaded.comment,
            declinedReason: loaded.declinedReason, errors: errors
        ).render(req, status: status)
    }

    /// POST `/reviews/{id}`: `score-KEY` per indicator (or `vote`) and `comment`.
    func submit(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let loaded = try await Self.load(id, actor: actor, on: req.db)
        var posted: [String: String] = [:]
        for key in loaded.indicators.indicators.map({ "score-" + $0.key }) + ["vote", "comment"] {
            posted[key] = String(((try? req.content.get(String.self, at: key)) ?? "").prefix(key == "comment" ? 4000 : 20))
        }
        var scores: [String: Decimal] = [:]
        var errors: [String: String] = [:]
        if loaded.mode == .scoring {
            for indicator in loaded.indicators.indicators {
                let text = (posted["score-" + indicator.key] ?? "").trimmingCharacters(in: .whitespaces)
                if text.isEmpty { errors["score-" + indicator.key] = "请为该指标评分"; continue }
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")),
                    text.allSatisfy({ $0.isNumber || $0 == "." })
                else { errors["score-" + indicator.key] = "请填写数字"; continue }
                scores[indicator.key] = value
            }
        }
        if errors.isEmpty {
            do {
                try await ReviewService(db: req.db, services: req.platform).submit(
                    id, scores: scores, vote: posted["vote"].flatMap { $0.isEmpty ? nil : $0 }, comment: posted["comment"] ?? "", by: actor)
                return req.redirect(to: ReviewRoutes.assignment(id, query: ["notice": "review_saved"]))
            } catch let error as ReviewError {
                let key = error.field.map { $0 == "vote" ? "vote" : "score-" + $0 } ?? "form"
                errors[key] = error.message
                return try await scoringPage(req, id: id, posted: posted, errors: errors, status: error.status)
            } catch PlatformError.invalidInput(let field, let message) {
                errors[field == "comment" ? "comment" : "score-" + (field ?? "")] = message
            }
        }
        return try await scoringPage(req, id: id, posted: posted, errors: errors, status: .unprocessableEntity)
    }

    /// POST `/reviews/{id}/decline`: 声明回避 with a reason; a recorded redraw follows.
    func decline(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let reason = String(((try? req.content.get(String.self, at: "reason")) ?? "").prefix(1000))
        do {
            try await ReviewService(db: req.db, services: req.platform).decline(id, reason: reason, by: actor)
        } catch PlatformError.invalidInput(_, let message) {
            return try await scoringPage(req, id: id, posted: nil, errors: ["reason": message], status: .unprocessableEntity)
        } catch let error as ReviewError {
            return try await scoringPage(req, id: id, posted: nil, errors: ["form": error.message], status: error.status)
        }
        return req.redirect(to: ReviewRoutes.myReviews(query: ["notice": "review_declined"]))
    }

    // MARK: Managers

    /// `/review-rounds`: the subtree's rounds with their progress; filter, search, sort, page, export.
    func rounds(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.can(ReviewPermission.manage), let path = actor.scope.rootPath else { throw PlatformError.notFound }
        let params = try ListParameters(request: req, path: ReviewRoutes.rounds(), keys: ["mode", "state"])
        let mode = params["mode"].flatMap(ReviewMode.init(rawValue:))
        let state = ["open", "aggregated"].contains(params["state"] ?? "") ? params["state"] : nil
        let sort = params["sort"] == "title" ? "title" : "closes"
        var condition: SQLQueryString = "o.path LIKE \(bind: path + "%")"
        if let mode { condition.appendInterpolation(unsafeRaw: " AND r.mode = "); condition.appendInterpolation(bind: mode.rawValue) }
        if let state {
            condition.appendInterpolation(unsafeRaw: " AND r.state = ")
            condition.appendInterpolation(bind: state)
        }
        if let q = params.search {
            condition.appendInterpolation(unsafeRaw: " AND ")
            condition.appendInterpolation(SearchPattern.like("r.title", q))
        }
        let limit = req.exportFormat == nil ? params.pageSize : 10_000
        let offset = req.exportFormat == nil ? params.offset : 0
        let order = sort == "title" ? "r.title, r.id" : "r.closes_on DESC, r.id"
        let sql = try req.db.sql()
        let rows = try await sql.raw(
            """
            SELECT (SELECT COUNT(*) FROM platform_review_rounds r JOIN platform_organizations o ON o.id = r.organization_id WHERE \(condition)) \
            AS kexie_total, r.id, r.title, r.mode, r.closes_on, r.state, o.name AS organization, \
            (SELECT COUNT(*) FROM platform_review_candidates c WHERE c.round_id = r.id) AS candidates, \
            (SELECT COUNT(*) FROM platform_review_assignments a WHERE a.round_id = r.id AND a.state <> 'declined') AS assignments, \
            (SELECT COUNT(*) FROM platform_review_assignments a WHERE a.round_id = r.id AND a.state = 'submitted') AS submitted \
            FROM platform_review_rounds r JOIN platform_organizations o ON o.id = r.organization_id WHERE \(condition) \
            ORDER BY \(unsafeRaw: order) LIMIT \(unsafeRaw: String(limit)) OFFSET \(unsafeRaw: String(offset))
            """
        ).all()
        var total = 0
        let list = try rows.map { row -> ReviewRoundListPage.Row in
            total = try row.decode(column: "kexie_total", as: Int.self)
            return .init(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                organization: try row.decode(column: "organization", as: String.self),
                mode: ReviewMode(rawValue: try row.decode(column: "mode", as: String.self))?.label ?? "",
                closesOn: try row.decode(column: "closes_on", as: String.self),
                state: try row.decode(column: "state", as: String.self) == "aggregated" ? "已汇总" : "评审中",
                candidates: try row.decode(column: "candidates", as: Int.self),
                assignments: try row.decode(column: "assignments", as: Int.self),
                submitted: try row.decode(column: "submitted", as: Int.self))
        }
        if let format = req.exportFormat {
            return try await TableExport(
                fileName: "评审轮次", headers: ["评审轮次", "组织单位", "方式", "截止日期", "状态", "候选数", "评审任务", "已提交"],
                rows: list.map {
                    [
                        $0.title, $0.organization, $0.mode, $0.closesOn, $0.state, String($0.candidates), String($0.assignments),
                        String($0.submitted),
                    ]
                }
            ).response(format, for: req)
        }
        if rows.isEmpty, params.page > 1 {
            total =
                try await sql.raw(
                    "SELECT COUNT(*) AS n FROM platform_review_rounds r JOIN platform_organizations o ON o.id = r.organization_id WHERE \(condition)"
                ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return try await ReviewRoundListPage(
            shell: await PageShell.build(for: req, title: "评审轮次"), list: params.chrome(total: total), rows: list,
            modes: [("", "全部方式"), ("scoring", "评分"), ("voting", "表决")].map {
                SelectOption(value: $0.0, label: $0.1, selected: (params["mode"] ?? "") == $0.0)
            },
            states: [("", "全部状态"), ("open", "评审中"), ("aggregated", "已汇总")].map {
                SelectOption(value: $0.0, label: $0.1, selected: (state ?? "") == $0.0)
            },
            sorts: [("closes", "截止日期"), ("title", "名称")].map { SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0) }
        ).render(req)
    }

    /// `/review-rounds/{id}`: candidates, the draw record, progress per reviewer, results, actions.
    func round(_ req: Request) async throws -> Response {
        try await roundPage(req, id: try req.uuidParameter(), errors: [:])
    }

    func roundPage(_ req: Request, id: UUID, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let service = ReviewService(db: req.db, services: req.platform)
        let round = try await service.managedRound(id, actor: actor)
        let organization = try round.joined(Organization.self)
        let candidates = try await ReviewCandidateRecord.query(on: req.db).filter(\.$roundID == id).sort(\.$position).all()
        let assignments = try await ReviewAssignmentRecord.query(on: req.db).filter(\.$roundID == id).all()
        let entries = try await ReviewDrawEntry.query(on: req.db).filter(\.$roundID == id).sort(\.$drawNumber).sort(\.$recordedAt)
            .limit(2000).all()
        let labels = Dictionary(try candidates.map { (try $0.requireID(), $0.blindLabel) }, uniquingKeysWith: { first, _ in first })
        let rows = try candidates.map { candidate -> ReviewRoundPage.Candidate in
            let cid = try candidate.requireID()
            let on = assignments.filter { $0.candidateID == cid && $0.state != .declined }
            return .init(
                id: cid, label: candidate.blindLabel, title: candidate.title, field: candidate.field, panel: candidate.panel,
                assigned: on.count, submitted: on.filter { $0.state == .submitted }.count)
        }
        var reviewers: [UUID: ReviewRoundPage.ReviewerProgress] = [:]
        for a in assignments {
            let old = reviewers[a.personID]
            reviewers[a.personID] = .init(
                name: a.reviewerName, assigned: (old?.assigned ?? 0) + (a.state == .declined ? 0 : 1),
                submitted: (old?.submitted ?? 0) + (a.state == .submitted ? 1 : 0),
                declined: (old?.declined ?? 0) + (a.state == .declined ? 1 : 0))
        }
        // In the order drawn per draw; lines recorded in the same instant by candidate, outcome and name.
        let positions = Dictionary(try candidates.map { (try $0.requireID(), $0.position) }, uniquingKeysWith: { first, _ in first })
        let ordered = entries.sorted { a, b in
            (a.drawNumber, positions[a.candidateID] ?? 0, a.outcome, a.reviewerName)
                < (b.drawNumber, positions[b.candidateID] ?? 0, b.outcome, b.reviewerName)
        }
        let draws = ordered.map { entry in
            ReviewRoundPage.DrawLine(
                drawNumber: entry.drawNumber, seed: entry.seed, candidate: labels[entry.candidateID] ?? "", reviewer: entry.reviewerName,
                outcome: entry.outcome,
                outcomeLabel: entry.outcome == "drawn" ? "抽中" : entry.outcome == "passed_over" ? "回避" : "人数不足",
                reasons: entry.reasons.compactMap { AvoidanceReason(rawValue: $0)?.label }.joined(separator: "；"))
        }
        let results = try await service.results(id).map { r in
            ReviewRoundPage.Result(
                candidateID: r.candidateID, title: r.title, score: r.score.map(ReviewText.score) ?? "—",
                rank: r.rank.map(String.init) ?? "—",
                tieNote: r.tieNote ?? "", votes: "\(r.votesFor) / \(r.votesAgainst) / \(r.votesAbstain)",
                passes: r.passes.map { $0 ? "通过" : "未通过" } ?? "")
        }
        let experts = try await req.platform.registry.experts(
            ExpertQuery(scopePath: organization.path, roles: [.review], includeUnavailable: true), on: req.db
        ).filter { $0.userID != nil }
        let facts: [(String, String)] = [
            ("组织单位", organization.name), ("评审方式", round.mode.label), ("匿名评审", round.blind ? "是" : "否"),
            ("汇总方法", round.aggregation.label), ("每个候选评审专家", "\(round.reviewersPerCandidate) 人"),
            ("评审时间", "\(round.opensOn) 至 \(round.closesOn)"), ("状态", round.state == "aggregated" ? "已汇总" : "评审中"),
            ("抽取种子", round.drawSeed ?? "未抽取"),
        ]
        return try await ReviewRoundPage(
            shell: await PageShell.build(for: req, title: round.title), id: id, title: round.title, facts: facts, mode: round.mode,
            candidates: rows, draws: draws, reviewers: reviewers.values.sorted { $0.name < $1.name }, results: results,
            aggregation: round.aggregation.label,
            candidateOptions: rows.map { SelectOption(value: $0.id.uuidString, label: "\($0.label) \($0.title)", selected: false) },
            expertOptions: experts.sorted { ($0.name, $0.expertID.uuidString) < ($1.name, $1.expertID.uuidString) }.map {
                SelectOption(value: $0.expertID.uuidString, label: "\($0.name)（\($0.employer)）", selected: false)
            }, errors: errors
        ).render(req, status: status)
    }

    func draw(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let text = ((try? req.content.get(String.self, at: "seed")) ?? "").trimmingCharacters(in: .whitespaces)
        let seed: UInt64
        if text.isEmpty {
            seed = UInt64.random(in: 1...UInt64(Int64.max))
        } else {
            guard text.count <= 20, let parsed = UInt64(text) else {
                return try await roundPage(req, id: id, errors: ["seed": "种子为不超过 20 位的非负整数，留空则随机生成"], status: .unprocessableEntity)
            }
            seed = parsed
        }
        do {
            let short = try await ReviewService(db: req.db, services: req.platform).draw(id, seed: seed, by: actor)
            return req.redirect(to: ReviewRoutes.round(id, query: ["notice": short > 0 ? "review_short" : "review_drawn"]))
        } catch let error as ReviewError {
            return try await roundPage(req, id: id, errors: ["seed": error.message], status: error.status)
        }
    }

    func aggregate(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        do {
            _ = try await ReviewService(db: req.db, services: req.platform).aggregate(id, by: actor)
        } catch let error as ReviewError {
            return try await roundPage(req, id: id, errors: ["aggregate": error.message], status: error.status)
        }
        return req.redirect(to: ReviewRoutes.round(id, query: ["notice": "review_aggregated"]))
    }

    func assign(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let candidate = ((try? req.content.get(String.self, at: "candidate")) ?? "").prefix(40)
        let expert = ((try? req.content.get(String.self, at: "expert")) ?? "").prefix(40)
        guard let candidateID = UUID(uuidString: String(candidate)) else {
            return try await roundPage(req, id: id, errors: ["candidate": "请选择候选"], status: .unprocessableEntity)
        }
        guard let expertID = UUID(uuidString: String(expert)) else {
            return try await roundPage(req, id: id, errors: ["expert": "请选择评审专家"], status: .unprocessableEntity)
        }
        do {
            _ = try await ReviewService(db: req.db, services: req.platform).assign(
                id, candidateID: candidateID, expertEntryID: expertID, by: actor)
        } catch let error as ReviewError {
            return try await roundPage(req, id: id, errors: ["expert": error.message], status: error.status)
        } catch PlatformError.invalidInput(_, let message) {
            return try await roundPage(req, id: id, errors: ["expert": message], status: .unprocessableEntity)
        }
        return req.redirect(to: ReviewRoutes.round(id, query: ["notice": "review_assigned"]))
    }

    /// `/review-rounds/{id}/results?format=xlsx|csv`: the stored results.
    func exportResults(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let service = ReviewService(db: req.db, services: req.platform)
        let round = try await service.managedRound(id, actor: actor)
        let format = req.exportFormat ?? .csv
        let rows = try await service.results(id)
        return try await TableExport(
            fileName: "评审结果", headers: ["名次", "候选", "得分", "评分份数", "并列说明", "赞成", "反对", "弃权", "是否通过", "汇总方法"],
            rows: rows.map {
                [
                    $0.rank.map(String.init) ?? "", $0.title, $0.score.map(ReviewText.score) ?? "", String($0.scoresCount),
                    $0.tieNote ?? "",
                    String($0.votesFor), String($0.votesAgainst), String($0.votesAbstain), $0.passes.map { $0 ? "通过" : "未通过" } ?? "",
                    round.aggregation.label,
                ]
            }
        ).response(format, for: req)
    }
}
