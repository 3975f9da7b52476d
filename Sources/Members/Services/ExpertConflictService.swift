import Fluent
import Foundation
import KexieKit
import Platform

/// Declaring and withdrawing conflicts of interest on a pool entry. The entry's organization's staff
/// (roster managers in its subtree) declare for the expert; the expert declares for themselves.
struct ExpertConflictService: Sendable {
    let db: any Database
    let services: PlatformServices

    struct Input: Sendable {
        var kind: String?
        var name: String?
        var note: String?
    }

    /// The entry and its person, if the actor may manage its declarations; otherwise not found (404),
    /// so an id outside one's reach says nothing about whether it exists.
    func entry(_ id: UUID, actor: Actor) async throws -> (Expert, Person) {
        guard let expert = try await Expert.find(id, on: db), let person = try await Person.find(expert.personID, on: db),
            let organization = try await Organization.find(expert.organizationID, on: db)
        else { throw PlatformError.notFound }
        let isSelf = person.userID == actor.userID
        let manages = actor.can(MembersPermission.rolesManage) && actor.scope.contains(organization)
        guard isSelf || manages else { throw PlatformError.notFound }
        return (expert, person)
    }

    func conflicts(of expertID: UUID) async throws -> [ExpertConflict] {
        try await ExpertConflict.query(on: db).filter(\.$expert.$id == expertID).sort(\.$createdAt).all()
    }

    /// Every problem with the input at once, keyed by field.
    static func problems(_ input: Input) -> FieldErrors {
        var problems = FieldErrors()
        if DeclaredConflict.Kind(rawValue: input.kind ?? "") == nil { problems.add("kind", "请选择回避对象的类别") }
        let name = input.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if name.isEmpty {
            problems.add("name", "请填写回避对象的名称")
        } else if name.count > 100 {
            problems.add("name", "名称不超过 100 字")
        }
        if (input.note ?? "").count > 300 { problems.add("note", "说明不超过 300 字") }
        return problems
    }

    static let order = ["kind", "name", "note"]

    func declare(_ input: Input, on expertID: UUID, actor: Actor) async throws -> ExpertConflict {
        let (expert, _) = try await entry(expertID, actor: actor)
        let problems = Self.problems(input)
        if !problems.isEmpty { throw InvalidFields(problems, order: Self.order) }
        guard let kind = DeclaredConflict.Kind(rawValue: input.kind ?? "") else { throw PlatformError.notFound }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let conflict = ExpertConflict()
        conflict.$expert.id = try expert.requireID()
        conflict.kind = kind
        conflict.name = name
        conflict.note = (input.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        conflict.declaredBy = actor.displayName
        // An organization named exactly as in the directory is linked, so avoidance also covers it by id.
        if kind == .organization {
            conflict.subjectID = try await Organization.query(on: db).filter(\.$name == name).first()?.requireID()
        }
        try await services.writes.transaction(on: db) { tx in try await conflict.create(on: tx) }
        return conflict
    }

    func withdraw(_ conflictID: UUID, on expertID: UUID, actor: Actor) async throws {
        _ = try await entry(expertID, actor: actor)
        guard let conflict = try await ExpertConflict.query(on: db).filter(\.$id == conflictID).filter(\.$expert.$id == expertID).first()
        else { throw PlatformError.notFound }
        try await services.writes.transaction(on: db) { tx in try await conflict.delete(on: tx) }
    }
}
