import Fluent
import Foundation
import KexieKit
import Platform

/// The membership directory other modules ask through the registry ("is this person a member of this
/// society, since when"): Events for members-only events, Awards for membership rules, Societies for
/// member counts. Two queries: the person's memberships and their societies' names.
struct MembershipFacts: MembershipDirectory {
    func memberships(personID: UUID, on db: any Database) async throws -> [MembershipFact] {
        let memberships = try await Membership.query(on: db).filter(\.$personID == personID).sort(\.$appliedOn).all()
        let societies = try await Organization.query(on: db).filter(\.$id ~~ Set(memberships.map(\.organizationID))).all()
        let names = Dictionary(uniqueKeysWithValues: societies.compactMap { o in o.id.map { ($0, o.name) } })
        return memberships.map { m in
            MembershipFact(
                societyID: m.organizationID, societyName: names[m.organizationID] ?? "", memberNumber: m.memberNumber,
                grade: m.grade.label, standing: MembershipFact.Standing(rawValue: m.status.rawValue) ?? .applied, since: m.joinedOn)
        }
    }
}
