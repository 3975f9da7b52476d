import Fluent
import Foundation
import KexieKit
import Platform

/// Members' part of the global search: 科技工作者 of the actor's subtree, for staff who may read
/// people. Never public; members and enterprises get nothing. The bigram index ranks (scoped to the
/// subtree by path), then one query reads the people shown: name, unit and title, nothing masked.
struct PeopleSearchProvider: SearchProvider {
    var kind: String { PersonRecords.searchKind }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard let actor = request.actor, actor.can(MembersPermission.peopleRead), let root = actor.scope.rootPath else { return [] }
        let hits = try await SearchIndexStore.reader(db).search(kind: kind, query: request.text, scopePath: root, limit: request.limit)
        let ids = hits.compactMap { UUID(uuidString: $0.entityID) }
        guard !ids.isEmpty else { return [] }
        let people = try await Person.query(on: db).filter(\.$id ~~ ids).filter(\.$anonymizedAt == nil).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        return hits.compactMap { hit in
            guard let id = UUID(uuidString: hit.entityID), let person = byID[id] else { return nil }
            return SearchHit(
                kind: kind, kindLabel: "科技工作者", title: person.name,
                snippet: [person.employer, person.titleName, person.researchDirection].compactMap { $0 }.filter { !$0.isEmpty }
                    .joined(separator: " · "),
                link: MembersRoutes.person(id), score: hit.score, isPublic: false)
        }
    }
}
