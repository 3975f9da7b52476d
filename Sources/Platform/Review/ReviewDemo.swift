import Fluent
import Foundation
import KexieKit

/// The review engine's part of the demo province. Owner modules call `load` from their own demo
/// (Awards: an award program's round); `loadCommendationRound` adds a round of Platform's own only
/// when no module made one, so the demo expert always has something in 我的评审.
public enum ReviewDemo {
    public static let indicators: IndicatorTree = {
        // Weights add up to 100: the initializer cannot fail.
        guard
            let tree = try? IndicatorTree([
                .init(key: "innovation", label: "创新性", weight: 30), .init(key: "contribution", label: "贡献", weight: 40),
                .init(key: "impact", label: "影响", weight: 30),
            ])
        else { preconditionFailure("demo indicators") }
        return tree
    }()

    /// Creates a blind scoring round owned by `owner` in `organization` (open from three days ago for
    /// two weeks), adds the candidates and draws with a fixed seed, as `demo.orgadmin`. The demo's pool
    /// experts have no accounts, so `demo.expert` is linked to one of the province's review experts first
    /// (`demoReviewer`), and put by hand on the first candidate it may review when the draw did not take
    /// it (nothing when the round's organization is outside the province pool's reach). Returns its id.
    @discardableResult
    public static func load(
        owner: ReviewOwner, title: String, organization: Organization, candidates: [ReviewCandidateDraft], reviewersPerCandidate: Int = 3,
        context: DemoContext, on db: any Database
    ) async throws -> UUID {
        let actor = try await context.actor("demo.orgadmin", on: db)
        let reviewer = try await demoReviewer(context: context, on: db)
        let service = ReviewService(db: db, services: context.services)
        let id = try await service.createRound(
            ReviewRoundDraft(
                owner: owner, organizationID: try organization.requireID(), title: title, mode: .scoring, blind: true,
                indicators: indicators,
                aggregation: .trimmedMean, reviewersPerCandidate: reviewersPerCandidate, opensOn: context.today.adding(days: -3),
                closesOn: context.today.adding(days: 11), ownerLink: nil), by: actor)
        let ids = try await service.addCandidates(id, candidates, by: actor)
        _ = try await service.draw(id, seed: 20_261_208, by: actor)
        if let reviewer, let userID = reviewer.userID,
            try await ReviewAssignmentRecord.query(on: db).filter(\.$roundID == id).filter(\.$userID == userID).count() == 0
        {
            // Refusals (a conflict, outside the pool's subtree) are checks before any write: try the next.
            for candidate in ids {
                if (try? await service.assign(id, candidateID: candidate, expertEntryID: reviewer.expertID, by: actor)) != nil { break }
            }
        }
        return id
    }

    /// `demo.expert` as a review expert of the province's pool: the one already linked to the account,
    /// else the first review expert of the province's own pool (with a discipline and an employer), whose
    /// person is then linked to the account. Nil when the demo has no such expert.
    public static func demoReviewer(context: DemoContext, on db: any Database) async throws -> ExpertCandidate? {
        let actor = try await context.actor("demo.orgadmin", on: db)
        guard let provinceID = actor.actingOrganizationID, let province = try await Organization.find(provinceID, on: db),
            let user = try await User.query(on: db).filter(\.$username == "demo.expert").first()
        else { return nil }
        let userID = try user.requireID()
        let query = ExpertQuery(scopePath: province.path, roles: [.review])
        let experts = try await context.services.registry.experts(query, on: db)
        if let linked = experts.first(where: { $0.userID == userID }) { return linked }
        guard
            let expert = experts.first(where: {
                $0.userID == nil && $0.organizationID == provinceID && !$0.disciplines.isEmpty && !$0.employer.isEmpty
            }), let person = try await Person.find(expert.personID, on: db)
        else { return nil }
        person.userID = userID
        try await person.update(on: db)
        return try await context.services.registry.experts(query, on: db).first { $0.userID == userID }
    }

    /// 2026年度优秀学会工作者评审, only when no module's demo made a round (Awards makes its own): six
    /// people of the province's subtree in `demo.expert`'s field, one reviewer each.
    static func loadCommendationRound(on db: any Database, context: DemoContext) async throws {
        guard try await ReviewRoundRecord.query(on: db).count() == 0 else { return }
        let actor = try await context.actor("demo.orgadmin", on: db)
        guard let provinceID = actor.actingOrganizationID, let province = try await Organization.find(provinceID, on: db),
            let expert = try await demoReviewer(context: context, on: db)
        else { return }
        let field = String(expert.disciplines.first?.prefix(3) ?? "210")
        let people = try await actor.scope.query(Person.self, on: db).filter(\.$anonymizedAt == nil).sort(\.$name).limit(60).all()
        let chosen = people.filter { $0.id != expert.personID && ($0.employer ?? "") != expert.employer && !($0.employer ?? "").isEmpty }
            .prefix(6)
        let drafts = try chosen.map { person in
            ReviewCandidateDraft(
                ownerItemID: try person.requireID(), title: "\(person.name)（\(person.employer ?? "")）",
                abstract: "长期从事学会组织建设与学术交流服务工作，组织学术活动、科普活动多次，服务会员成效明显。",
                field: field, panel: "学会工作组", personIDs: [try person.requireID()], employers: [person.employer ?? ""],
                nominatingOrganizationID: nil)
        }
        guard !drafts.isEmpty else { return }
        try await load(
            owner: ReviewOwner(module: "platform", kind: "commendation", id: provinceID), title: "2026年度优秀学会工作者评审",
            organization: province, candidates: drafts, reviewersPerCandidate: 1, context: context, on: db)
    }
}
