import Foundation
import Platform

/// Every route of the Members module: the person's own pages, the people register, imports,
/// memberships, the rosters (三长, experts, representatives), deletion requests, and the `/api/v1`
/// operations (full paths, as in `PlatformRoutes`). The same value registers a route and builds its links.
enum MembersRoutes: RouteCatalog {
    static let myHome = SiteRoute<Void>("/me")
    static let myProfile = SiteRoute<Void>("/me/profile")
    /// Applying to join a society, from the person's own page.
    static let myMemberships = SiteRoute<Void>("/me/memberships")
    static let myReveal = SiteRoute<Void>("/me/reveal")
    static let myData = SiteRoute<Void>("/me/data")
    static let myDeletion = SiteRoute<Void>("/me/deletion")

    static let people = SiteRoute<Void>("/people")
    static let newPerson = SiteRoute<Void>("/people/new")
    static let peopleImport = SiteRoute<Void>("/people/import")
    static let importTemplate = SiteRoute<Void>("/people/import/template")
    static let statistics = SiteRoute<Void>("/people/statistics")
    static let person = SiteRoute<UUID>("/people/:id")
    static let editPerson = SiteRoute<UUID>("/people/:id/edit")
    static let verifyPerson = SiteRoute<UUID>("/people/:id/verify")
    static let revealPerson = SiteRoute<UUID>("/people/:id/reveal")
    static let importBatch = SiteRoute<UUID>("/people/imports/:id")
    static let confirmImport = SiteRoute<UUID>("/people/imports/:id/confirm")

    static let memberships = SiteRoute<Void>("/memberships")
    static let membershipSettings = SiteRoute<Void>("/memberships/settings")
    static let groupMembers = SiteRoute<Void>("/memberships/groups")
    static let membership = SiteRoute<UUID>("/memberships/:id")
    static let approveMembership = SiteRoute<UUID>("/memberships/:id/approve")
    static let refuseMembership = SiteRoute<UUID>("/memberships/:id/refuse")
    static let changeMembership = SiteRoute<UUID>("/memberships/:id/change")

    static let threeHeads = SiteRoute<Void>("/three-heads")
    static let removeThreeHead = SiteRoute<UUID>("/three-heads/:id/delete")
    static let experts = SiteRoute<Void>("/experts")
    static let expertConflicts = SiteRoute<UUID>("/experts/:id/conflicts")
    static let withdrawExpertConflict = SiteRoute<(UUID, UUID)>("/experts/:id/conflicts/:conflict/withdraw")
    static let representatives = SiteRoute<Void>("/representatives")
    static let deletions = SiteRoute<Void>("/deletions")
    static let decideDeletion = SiteRoute<UUID>("/deletions/:id/decide")

    static let apiPeople = SiteRoute<Void>("/api/v1/people")
    static let apiPerson = SiteRoute<UUID>("/api/v1/people/:id")
    static let apiSocietyMemberships = SiteRoute<UUID>("/api/v1/societies/:id/memberships")
    static let apiExperts = SiteRoute<Void>("/api/v1/experts")

    static let all: [any AnySiteRoute] = [
        myHome, myProfile, myMemberships, myReveal, myData, myDeletion,
        people, newPerson, peopleImport, importTemplate, statistics, person, editPerson, verifyPerson, revealPerson,
        importBatch, confirmImport,
        memberships, membershipSettings, groupMembers, membership, approveMembership, refuseMembership, changeMembership,
        threeHeads, removeThreeHead, experts, expertConflicts, withdrawExpertConflict, representatives, deletions, decideDeletion,
        apiPeople, apiPerson, apiSocietyMemberships, apiExperts,
    ]
}
