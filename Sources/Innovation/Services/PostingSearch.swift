import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Innovation's part of the global search, one provider per kind (技术供给, 技术需求):
/// - published postings for everyone, ranked by the platform index (which holds only published ones),
///   their summaries read in one query;
/// - for a logged-in actor, also the unpublished ones (草稿, 待审核, 已关闭) they may open, as
///   `PostingService.visible` decides: their own (`PostingService.owned`), and — for reviewers acting
///   for an association — those of their subtree; matched on the title in one query.
struct PostingSearchProvider: SearchProvider {
    let postingKind: Posting.Kind

    var kind: String { PostingService.searchKind(postingKind) }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        try await published(request, on: db) + unpublished(request, on: db)
    }

    private func published(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        let hits = try await SearchIndexStore.reader(db).search(kind: kind, query: request.text, scopePath: nil, limit: request.limit)
        let ids = hits.compactMap { UUID(uuidString: $0.entityID) }
        guard !ids.isEmpty else { return [] }
        let postings = try await Posting.query(on: db).filter(\.$id ~~ ids).filter(\.$state == .published)
            .field(\.$id).field(\.$title).field(\.$summary).field(\.$ownerName).field(\.$region).all()
        let byID = Dictionary(uniqueKeysWithValues: postings.compactMap { p in p.id.map { ($0, p) } })
        return hits.compactMap { hit in
            guard let id = UUID(uuidString: hit.entityID), let posting = byID[id] else { return nil }
            return SearchHit(
                kind: kind, kindLabel: postingKind.label, title: posting.title,
                snippet: [posting.ownerName, posting.region, SearchPattern.snippet(posting.summary, around: request.text, length: 60)]
                    .filter { !$0.isEmpty }.joined(separator: " · "),
                link: InnovationRoutes.posting(id), score: hit.score, isPublic: true)
        }
    }

    private func unpublished(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard let actor = request.actor else { return [] }
        var reviewsSubtree = false
        if actor.can(InnovationPermission.review), let acting = actor.actingOrganizationID {
            reviewsSubtree = try await Organization.find(acting, on: db)?.kind == .association
        }
        var statement = SQLQueryString(
            "SELECT p.id, p.title, p.state, p.owner_name FROM innovation_postings p "
                + "JOIN platform_organizations o ON o.id = p.organization_id WHERE p.kind = ")
        statement.appendInterpolation(bind: postingKind.rawValue)
        statement.appendInterpolation(unsafeRaw: " AND p.state <> ")
        statement.appendInterpolation(bind: PostingWorkflow.State.published.rawValue)
        statement.appendInterpolation(unsafeRaw: " AND ")
        statement.appendInterpolation(SearchPattern.like("p.title", request.text))
        statement.appendInterpolation(unsafeRaw: " AND (p.owner_user_id = ")
        statement.appendInterpolation(bind: actor.userID)
        if let organization = actor.actingOrganizationID, !actor.roles.isDisjoint(with: [.orgadmin, .enterprise]) {
            statement.appendInterpolation(unsafeRaw: " OR (p.organization_id = ")
            statement.appendInterpolation(bind: organization)
            statement.appendInterpolation(unsafeRaw: " AND p.owner_kind <> ")
            statement.appendInterpolation(bind: Posting.OwnerKind.person.rawValue)
            statement.appendInterpolation(unsafeRaw: ")")
        }
        if reviewsSubtree, let root = actor.scope.rootPath {
            statement.appendInterpolation(unsafeRaw: " OR o.path LIKE ")
            statement.appendInterpolation(bind: root + "%")
        }
        statement.appendInterpolation(unsafeRaw: ") ORDER BY p.updated_at DESC, p.id LIMIT \(request.limit)")
        let workflow = PostingWorkflow()
        return try await db.sql().raw(statement).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let state = PostingWorkflow.State(rawValue: try row.decode(column: "state", as: String.self)).map(workflow.label(of:)) ?? ""
            return SearchHit(
                kind: kind, kindLabel: postingKind.label, title: try row.decode(column: "title", as: String.self),
                snippet: [state, try row.decode(column: "owner_name", as: String.self)].filter { !$0.isEmpty }.joined(separator: " · "),
                link: InnovationRoutes.posting(id), score: 0.5, isPublic: false)
        }
    }
}
