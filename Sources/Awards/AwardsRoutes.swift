import Foundation
import Platform

/// Every route of the Awards module (full paths). The same value registers a route and builds its links.
enum AwardsRoutes: RouteCatalog {
    /// Public: the programs (open calls and announced results).
    static let home = SiteRoute<Void>("/awards")
    /// Public: one program — rules, dates, channels and, once announced, its laureates.
    static let program = SiteRoute<UUID>("/awards/:id")
    /// Applying (GET form, POST), for a logged-in account.
    static let apply = SiteRoute<UUID>("/awards/:id/apply")
    /// Staff: the programs of the subtree (filters, export) and creating one.
    static let manage = SiteRoute<Void>("/awards/manage")
    static let newProgram = SiteRoute<Void>("/awards/new")
    /// Staff: one program's applications, channels and stage actions.
    static let manageProgram = SiteRoute<UUID>("/awards/:id/manage")
    static let programActions = SiteRoute<UUID>("/awards/:id/actions")
    /// A channel's staff: applications waiting for their nomination, and their ranking.
    static let channels = SiteRoute<Void>("/awards/channels")
    /// One application: the applicant, its channel's staff and the program's staff.
    static let application = SiteRoute<UUID>("/award-applications/:id")
    static let nominate = SiteRoute<UUID>("/award-applications/:id/nominate")
    static let check = SiteRoute<UUID>("/award-applications/:id/check")
    static let resubmit = SiteRoute<UUID>("/award-applications/:id/resubmit")
    static let supportYear = SiteRoute<UUID>("/award-applications/:id/support")
    /// The applicant adds 申报材料 (multipart).
    static let materials = SiteRoute<UUID>("/award-applications/:id/materials")
    static let moveUp = SiteRoute<UUID>("/award-nominations/:id/up")
    /// Staff: 评选统计 of the subtree's programs in a year.
    static let figures = SiteRoute<Void>("/awards/figures")
    /// 我的申报.
    static let mine = SiteRoute<Void>("/my/awards")
    /// Public: a certificate by its verification code, and the form to look one up.
    static let certificates = SiteRoute<Void>("/award-certificates")
    static let certificate = SiteRoute<String>("/award-certificates/:code")

    static let apiPrograms = SiteRoute<Void>("/api/v1/award-programs")
    static let apiProgram = SiteRoute<UUID>("/api/v1/award-programs/:id")
    static let apiApplications = SiteRoute<UUID>("/api/v1/award-programs/:id/applications")
    static let apiNominations = SiteRoute<Void>("/api/v1/nominations")
    static let apiCheck = SiteRoute<UUID>("/api/v1/award-applications/:id/check")

    static var all: [any AnySiteRoute] {
        [
            home, program, apply, manage, newProgram, manageProgram, programActions, channels, application, nominate, check, resubmit,
            supportYear, materials, moveUp, mine, figures, certificates, certificate, apiPrograms, apiProgram, apiApplications,
            apiNominations,
            apiCheck,
        ]
    }
}
