import Fluent
import Foundation
import Platform

/// Members' panels on the staff's person page (through `KexieModule.personPanels`).
enum MembersPanels {
    /// The person's expert entries in pools the actor's subtree keeps: roles, availability and the
    /// conflicts declared, linked to the declaration page.
    static let expertEntry = PersonPanel(title: "专家库", order: 100) { subject, actor, db, _ in
        guard actor.can(MembersPermission.peopleRead) else { return [] }
        let entries = try await Expert.query(on: db).filter(\.$personID == subject.personID).with(\.$roleRows).all()
        let organizations = try await Organization.query(on: db).filter(\.$id ~~ Set(entries.map(\.organizationID))).all()
        let visible = Dictionary(uniqueKeysWithValues: organizations.filter(actor.scope.contains).compactMap { o in o.id.map { ($0, o) } })
        let counts = try await ExpertConflict.query(on: db).filter(\.$expert.$id ~~ entries.compactMap(\.id)).all()
            .reduce(into: [UUID: Int]()) { $0[$1.$expert.id, default: 0] += 1 }
        var lines: [HomePanel.Line] = []
        for entry in entries {
            guard let organization = visible[entry.organizationID], let id = entry.id else { continue }
            lines.append(.init(label: organization.name, value: entry.roles.map(\.label).joined(separator: "、")))
            lines.append(.init(label: "可参加情况", value: entry.availability.label))
            lines.append(.init(label: "回避声明", value: "\(counts[id] ?? 0) 条", link: MembersRoutes.expertConflicts(id)))
        }
        return lines
    }
}
