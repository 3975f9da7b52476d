import Foundation
import KexieKit
import Platform
import Vapor

/// The staff side of 科创对接 for other systems: pushing a match to both parties, the registry of
/// stations with their activity logs, and the year's figures. Same services and permissions as the
/// pages, so a provincial reporting system reads exactly what the figures page shows.
struct OutcomesAPIController: Sendable {
    let catalog: MatchCatalog

    func register(api: any RoutesBuilder) {
        api.post(InnovationRoutes.apiMatchPushes, use: push)
        api.get(InnovationRoutes.apiStations, use: stations)
        api.post(InnovationRoutes.apiStations, use: createStation)
        api.get(InnovationRoutes.apiStation, use: station)
        api.post(InnovationRoutes.apiStationActivities, use: recordActivity)
        api.get(InnovationRoutes.apiFigures, use: figures)
    }

    // MARK: Pushes

    struct PushBody: Decodable {
        var demand: UUID
        var supply: UUID
    }

    struct PushDTO: Content {
        let id: UUID
        let demand: UUID
        let supply: UUID
        let score: Double
        let reasons: [String]
        let pushedOn: String
    }

    func push(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.review)
        let body = try req.jsonBody(PushBody.self)
        let push = try await MatchService(db: req.db, services: req.platform, catalog: catalog)
            .push(demandID: body.demand, supplyID: body.supply, actor: actor)
        return try await PushDTO(
            id: try push.requireID(), demand: push.demandID, supply: push.supplyID, score: push.score,
            reasons: push.reasons.split(separator: "\n").map(String.init), pushedOn: push.pushedOn.description
        ).encodeResponse(status: .created, for: req)
    }

    // MARK: Stations

    struct StationDTO: Content {
        let id: UUID
        let kind: String
        let kindLabel: String
        let name: String
        let hostName: String
        let hostKind: String
        let organizationID: UUID
        let experts: [String]
        let validFrom: String
        let validUntil: String
        let expired: Bool
        let region: String
        // One station only.
        let activities: [ActivityDTO]?
        let dockings: [StationDockingDTO]?
        /// This year and the two before, newest first.
        let years: [StationService.YearFigures]?

        init(
            _ s: Station, today: Day, activities: [ActivityDTO]? = nil, dockings: [StationDockingDTO]? = nil,
            years: [StationService.YearFigures]? = nil
        ) throws {
            id = try s.requireID()
            kind = s.kind.rawValue
            kindLabel = s.kind.label
            name = s.name
            hostName = s.hostName
            hostKind = s.hostKind.rawValue
            organizationID = s.organizationID
            experts = s.experts.split(whereSeparator: \.isNewline).map(String.init)
            validFrom = s.validFrom.description
            validUntil = s.validUntil.description
            expired = s.validUntil < today
            region = s.region
            self.activities = activities
            self.dockings = dockings
            self.years = years
        }
    }

    struct ActivityDTO: Content {
        let id: UUID
        let kind: String
        let heldOn: String
        let title: String
        let participants: Int
        let notes: String

        init(_ a: StationActivity) throws {
            id = try a.requireID()
            kind = a.kind.rawValue
            heldOn = a.heldOn.description
            title = a.title
            participants = a.participants
            notes = a.notes
        }
    }

    struct StationDockingDTO: Content {
        let id: UUID
        let supply: UUID
        let demand: UUID
        let state: String
        let proposedOn: String
        let contractAmount: Double?
    }

    struct StationListDTO: Content {
        let items: [StationDTO]
    }

    func stations(_ req: Request) async throws -> StationListDTO {
        let actor = try req.actor
        try actor.require(InnovationPermission.stations)
        let kind = req.query[String.self, at: "kind"]
        if let kind, Station.Kind(rawValue: kind) == nil {
            throw PlatformError.invalidInput(field: "kind", message: "kind 为 service_station 或 expert_workstation")
        }
        let today = Day.today(now: req.platform.clock())
        let stations = try await StationService(db: req.db, services: req.platform)
            .list(actor: actor, kind: kind, query: req.query[String.self, at: "q"])
        return StationListDTO(items: try stations.map { try StationDTO($0, today: today) })
    }

    /// A station's JSON body. `experts` is a list here; the page's one-per-line text is the same thing.
    struct StationBody: Decodable {
        var kind: String?
        var name: String?
        var hostName: String?
        var hostKind: String?
        var experts: [String]?
        var validFrom: String?
        var validUntil: String?
        var region: String?
    }

    func createStation(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(StationBody.self)
        var input = StationService.Input()
        input.kind = body.kind ?? ""
        input.name = body.name ?? ""
        input.hostName = body.hostName ?? ""
        input.hostKind = body.hostKind ?? ""
        // A line break inside one name would make two experts; the page has the same rule.
        input.experts = (body.experts ?? []).joined(separator: "\n")
        input.validFrom = body.validFrom ?? ""
        input.validUntil = body.validUntil ?? ""
        input.region = body.region ?? ""
        let station = try await StationService(db: req.db, services: req.platform).create(input, actor: actor)
        let response = try await StationDTO(station, today: Day.today(now: req.platform.clock()))
            .encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: InnovationRoutes.apiStation(try station.requireID()))
        return response
    }

    func station(_ req: Request) async throws -> StationDTO {
        let today = Day.today(now: req.platform.clock())
        let detail = try await StationService(db: req.db, services: req.platform)
            .detail(try req.uuidParameter(), actor: try req.actor, today: today)
        return try StationDTO(
            detail.station, today: today, activities: try detail.activities.map(ActivityDTO.init),
            dockings: try detail.dockings.map { d in
                StationDockingDTO(
                    id: try d.requireID(), supply: d.supplyID, demand: d.demandID, state: d.state.rawValue,
                    proposedOn: d.proposedOn.description,
                    contractAmount: d.contractAmount)
            },
            years: detail.years)
    }

    struct ActivityBody: Decodable {
        var kind: String?
        var heldOn: String?
        var title: String?
        var participants: Int?
        var notes: String?
    }

    func recordActivity(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(ActivityBody.self)
        var input = StationService.ActivityInput()
        input.kind = body.kind ?? ""
        input.heldOn = body.heldOn ?? ""
        input.title = body.title ?? ""
        input.participants = body.participants.map(String.init) ?? ""
        input.notes = body.notes ?? ""
        let activity = try await StationService(db: req.db, services: req.platform)
            .record(input, station: try req.uuidParameter(), actor: actor)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
    }

    // MARK: Figures

    /// The figures page's numbers for the caller's subtree. Unlike the page, which falls back to this
    /// year, a year outside 2000…this year is refused: a program asking for 1999 should learn so.
    func figures(_ req: Request) async throws -> InnovationFigures {
        let actor = try req.actor
        try actor.require(InnovationPermission.figures)
        guard let scopePath = actor.scope.rootPath else { throw PlatformError.forbidden }
        let thisYear = Day.today(now: req.platform.clock()).year
        var year = thisYear
        if let text = req.query[String.self, at: "year"] {
            guard let requested = Int(text), (2000...thisYear).contains(requested) else {
                throw PlatformError.invalidInput(field: "year", message: "year 为 2000 到 \(thisYear) 之间的年份")
            }
            year = requested
        }
        return try await InnovationFigures.compute(scopePath: scopePath, year: year, on: req.db)
    }
}

extension InnovationFigures: Content {}
