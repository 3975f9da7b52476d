import Foundation
import Platform

/// Every route of the Innovation module: the 科创 home, supplies and demands, postings and their review,
/// enterprise registration, dockings, stations, figures and batch matching. The same value registers a
/// route and builds its links.
enum InnovationRoutes: RouteCatalog {
    static let home = SiteRoute<Void>("/innovation")
    static let review = SiteRoute<Void>("/innovation/review")
    static let supplies = SiteRoute<Void>("/innovation/supplies")
    static let demands = SiteRoute<Void>("/innovation/demands")
    static let mine = SiteRoute<Void>("/innovation/mine")

    /// Creating a posting (POST); the form is `newPosting` with `?kind=`.
    static let postings = SiteRoute<Void>("/innovation/postings")
    static let newPosting = SiteRoute<Void>("/innovation/postings/new")
    /// The posting's page (GET) and saving its edit form (POST).
    static let posting = SiteRoute<UUID>("/innovation/postings/:id")
    static let editPosting = SiteRoute<UUID>("/innovation/postings/:id/edit")
    static let postingActions = SiteRoute<UUID>("/innovation/postings/:id/actions")
    static let pushMatch = SiteRoute<UUID>("/innovation/postings/:id/push")
    static let registerEnterprise = SiteRoute<Void>("/innovation/enterprises/register")

    static let dockings = SiteRoute<Void>("/innovation/dockings")
    static let docking = SiteRoute<UUID>("/innovation/dockings/:id")
    static let dockingActions = SiteRoute<UUID>("/innovation/dockings/:id/actions")

    static let stations = SiteRoute<Void>("/innovation/stations")
    static let newStation = SiteRoute<Void>("/innovation/stations/new")
    static let station = SiteRoute<UUID>("/innovation/stations/:id")
    static let stationActivities = SiteRoute<UUID>("/innovation/stations/:id/activities")

    static let figures = SiteRoute<Void>("/innovation/figures")
    static let batch = SiteRoute<Void>("/innovation/batch")
    static let batchTemplate = SiteRoute<Void>("/innovation/batch/template.csv")
    static let batchJob = SiteRoute<UUID>("/innovation/batch/:id")
    static let batchResult = SiteRoute<UUID>("/innovation/batch/:id/result.xlsx")

    static let all: [any AnySiteRoute] = [
        home, review, supplies, demands, mine,
        postings, newPosting, posting, editPosting, postingActions, pushMatch, registerEnterprise,
        dockings, docking, dockingActions, stations, newStation, station, stationActivities,
        figures, batch, batchTemplate, batchJob, batchResult,
    ]

    /// The public list of one kind of posting.
    static func list(of kind: Posting.Kind) -> SiteRoute<Void> { kind == .supply ? supplies : demands }
}
