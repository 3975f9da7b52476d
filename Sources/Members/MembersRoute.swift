import Foundation

/// Every link of the Members module, built in one place.
enum MembersRoute {
    static let myHome = "/me"
    static let myProfile = "/me/profile"
    static let myMemberships = "/me/memberships"
    static let myData = "/me/data"
    static let myDeletion = "/me/deletion"

    static let people = "/people"
    static let newPerson = "/people/new"
    static let peopleImport = "/people/import"
    static let importTemplate = "/people/import/template"
    static let statistics = "/people/statistics"
    static func person(_ id: UUID) -> String { "/people/\(id.uuidString)" }
    static func editPerson(_ id: UUID) -> String { "/people/\(id.uuidString)/edit" }
    static func verifyPerson(_ id: UUID) -> String { "/people/\(id.uuidString)/verify" }
    static func revealPerson(_ id: UUID) -> String { "/people/\(id.uuidString)/reveal" }
    static func importBatch(_ id: UUID) -> String { "/people/imports/\(id.uuidString)" }
    static func confirmImport(_ id: UUID) -> String { "/people/imports/\(id.uuidString)/confirm" }

    static let memberships = "/memberships"
    static let membershipSettings = "/memberships/settings"
    static let groupMembers = "/memberships/groups"
    static func membership(_ id: UUID) -> String { "/memberships/\(id.uuidString)" }
    static func approveMembership(_ id: UUID) -> String { "/memberships/\(id.uuidString)/approve" }
    static func refuseMembership(_ id: UUID) -> String { "/memberships/\(id.uuidString)/refuse" }
    static func changeMembership(_ id: UUID) -> String { "/memberships/\(id.uuidString)/change" }

    static let threeHeads = "/three-heads"
    static func removeThreeHead(_ id: UUID) -> String { "/three-heads/\(id.uuidString)/delete" }
    static let experts = "/experts"
    static let representatives = "/representatives"
    static let deletions = "/deletions"
    static func decideDeletion(_ id: UUID) -> String { "/deletions/\(id.uuidString)/decide" }
}
