import Foundation
import Platform

/// Every route of the Innovation module: the 科创 home, supplies and demands, postings and their review,
/// enterprise registration, dockings, stations, figures, batch matching, and the `/api/v1` operations
/// (full paths, as in `PlatformRoutes`). The same value registers a route and builds its links.
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

    static let apiSupplies = SiteRoute<Void>("/api/v1/supplies")
    static let apiSupply = SiteRoute<UUID>("/api/v1/supplies/:id")
    static let apiSupplyMatches = SiteRoute<UUID>("/api/v1/supplies/:id/matches")
    static let apiDemands = SiteRoute<Void>("/api/v1/demands")
    static let apiDemand = SiteRoute<UUID>("/api/v1/demands/:id")
    static let apiDemandMatches = SiteRoute<UUID>("/api/v1/demands/:id/matches")
    static let apiPosting = SiteRoute<UUID>("/api/v1/postings/:id")
    static let apiPostingSteps = SiteRoute<UUID>("/api/v1/postings/:id/steps")
    static let apiDockings = SiteRoute<Void>("/api/v1/dockings")
    static let apiDocking = SiteRoute<UUID>("/api/v1/dockings/:id")
    static let apiDockingSteps = SiteRoute<UUID>("/api/v1/dockings/:id/steps")
    static let apiMatchBatches = SiteRoute<Void>("/api/v1/match-batches")
    static let apiMatchBatch = SiteRoute<UUID>("/api/v1/match-batches/:id")
    static let apiMatchBatchResult = SiteRoute<UUID>("/api/v1/match-batches/:id/result.xlsx")
    static let apiMatchPushes = SiteRoute<Void>("/api/v1/match-pushes")
    static let apiStations = SiteRoute<Void>("/api/v1/stations")
    static let apiStation = SiteRoute<UUID>("/api/v1/stations/:id")
    static let apiStationActivities = SiteRoute<UUID>("/api/v1/stations/:id/activities")
    static let apiFigures = SiteRoute<Void>("/api/v1/innovation/figures")

    static let all: [any AnySiteRoute] = [
        home, review, supplies, demands, mine,
        postings, newPosting, posting, editPosting, postingActions, pushMatch, registerEnterprise,
        dockings, docking, dockingActions, stations, newStation, station, stationActivities,
        figures, batch, batchTemplate, batchJob, batchResult,
        apiSupplies, apiSupply, apiSupplyMatches, apiDemands, apiDemand, apiDemandMatches, apiPosting, apiPostingSteps,
        apiDockings, apiDocking, apiDockingSteps, apiMatchBatches, apiMatchBatch, apiMatchBatchResult, apiMatchPushes,
        apiStations, apiStation, apiStationActivities, apiFigures,
    ]

    /// The public list of one kind of posting.
    static func list(of kind: Posting.Kind) -> SiteRoute<Void> { kind == .supply ? supplies : demands }

    /// The API collection, item and matches of one kind of posting (the same operations for both kinds).
    static func apiCollection(of kind: Posting.Kind) -> SiteRoute<Void> { kind == .supply ? apiSupplies : apiDemands }
    static func apiItem(of kind: Posting.Kind) -> SiteRoute<UUID> { kind == .supply ? apiSupply : apiDemand }
    static func apiMatches(of kind: Posting.Kind) -> SiteRoute<UUID> { kind == .supply ? apiSupplyMatches : apiDemandMatches }
}
