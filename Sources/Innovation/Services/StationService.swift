import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 学会科技服务站 and 院士专家工作站: the registry, the activity log and the yearly figures per station.
/// Stations belong to the society or association that runs them; its administrators and the staff of
/// associations above keep them (`innovation.stations`).
struct StationService: Sendable {
    let db: any Database
    let services: PlatformServices

    struct Input: Sendable {
        var kind = ""
        var name = ""
        var hostName = ""
        var hostKind = ""
        var experts = ""
        var validFrom = ""
        var validUntil = ""
        var region = ""
    }

    func create(_ input: Input, actor: Actor) async throws -> Station {
        try actor.require(InnovationPermission.stations)
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        var errors = FieldErrors()
        let station = Station()
        func text(_ value: String, _ limit: Int) -> String { String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit)) }
        if let kind = Station.Kind(rawValue: input.kind) { station.kind = kind } else { errors.add("kind", "请选择工作站类型") }
        station.name = text(input.name, 100)
        if station.name.count < 4 { errors.add("name", "请填写工作站名称（4–100 个字）") }
        station.hostName = text(input.hostName, 100)
        if station.hostName.isEmpty { errors.add("hostName", "请填写依托单位") }
        if let host = Station.HostKind(rawValue: input.hostKind) {
            station.hostKind = host
        } else {
            errors.add("hostKind", "请选择依托单位类型")
        }
        let experts = input.experts.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        if experts.isEmpty { errors.add("experts", "请至少填写一位进站专家（每行一位）") }
        station.experts = experts.prefix(200).map { String($0.prefix(100)) }.joined(separator: "\n")
        let from = Day(text(input.validFrom, 10))
        let until = Day(text(input.validUntil, 10))
        if from == nil { errors.add("validFrom", "请填写有效期开始日期（如 2026-01-01）") }
        if until == nil { errors.add("validUntil", "请填写有效期结束日期（如 2028-12-31）") }
        if let from, let until, until < from { errors.add("validUntil", "结束日期不能早于开始日期") }
        if let from { station.validFrom = from }
        if let until { station.validUntil = until }
        station.region = text(input.region, 60)
        if station.region.isEmpty { errors.add("region", "请填写所在地区") }
        try errors.throwIfAny(order: ["kind", "name", "hostName", "hostKind", "experts", "validFrom", "validUntil", "region"])
        station.organizationID = organizationID
        try await services.writes.transaction(on: db) { tx in try await station.create(on: tx) }
        return station
    }

    func visible(_ id: UUID, actor: Actor) async throws -> Station {
        guard actor.can(InnovationPermission.stations),
            let station = try await actor.scope.query(Station.self, on: db).filter(\.$id == id).first()
        else { throw PlatformError.notFound }
        return station
    }

    struct ActivityInput: Sendable {
        var kind = ""
        var heldOn = ""
        var title = ""
        var participants = ""
        var notes = ""
    }

    func record(_ input: ActivityInput, station id: UUID, actor: Actor) async throws -> StationActivity {
        let station = try await visible(id, actor: actor)
        var errors = FieldErrors()
        let activity = StationActivity()
        activity.stationID = try station.requireID()
        if let kind = StationActivity.Kind(rawValue: input.kind) { activity.kind = kind } else { errors.add("kind", "请选择活动类型") }
        let today = Day.today(now: services.clock())
        if let day = Day(input.heldOn.trimmingCharacters(in: .whitespaces)) {
            if day > today { errors.add("heldOn", "活动日期不能晚于今天") }
            activity.heldOn = day
        } else {
            errors.add("heldOn", "请填写活动日期（如 2026-11-20）")
        }
        activity.title = String(input.title.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        if activity.title.count < 2 { errors.add("title", "请填写活动内容") }
        let participantsText = input.participants.trimmingCharacters(in: .whitespaces)
        if participantsText.isEmpty {
            activity.participants = 0
        } else if let count = Int(participantsText), (0...100_000).contains(count) {
            activity.participants = count
        } else {
            errors.add("participants", "参与人数为 0 到 100000 之间的整数")
        }
        activity.notes = String(input.notes.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))
        activity.recordedBy = actor.userID
        try errors.throwIfAny(order: ["kind", "heldOn", "title", "participants"])
        try await services.writes.transaction(on: db) { tx in try await activity.create(on: tx) }
        return activity
    }

    /// Everything one station's page and API show: its log (newest first), the dockings it produced and
    /// this year's and the two previous years' figures.
    struct Detail: Sendable {
        let station: Station
        let activities: [StationActivity]
        let dockings: [Docking]
        let years: [YearFigures]
    }

    func detail(_ id: UUID, actor: Actor, today: Day) async throws -> Detail {
        let station = try await visible(id, actor: actor)
        let activities = try await StationActivity.query(on: db).filter(\.$stationID == id).sort(\.$heldOn, .descending)
            .sort(\.$createdAt, .descending).limit(2000).all()
        let dockings = try await Docking.query(on: db).filter(\.$stationID == id).sort(\.$createdAt, .descending).limit(500).all()
        let years = try await figures(station: id, years: [today.year, today.year - 1, today.year - 2])
        return Detail(station: station, activities: activities, dockings: dockings, years: years)
    }

    /// One station's year: activities by kind, people reached, dockings it produced and their amounts.
    struct YearFigures: Sendable, Codable {
        var year: Int
        var visits = 0
        var trainings = 0
        var problemsSolved = 0
        var participants = 0
        var dockings = 0
        var signed = 0
        var contractAmount = 0.0
    }

    func figures(station id: UUID, years: [Int]) async throws -> [YearFigures] {
        let activities = try await StationActivity.query(on: db).filter(\.$stationID == id).all()
        let dockings = try await Docking.query(on: db).filter(\.$stationID == id).all()
        return years.map { year in
            var figures = YearFigures(year: year)
            for activity in activities where activity.heldOn.year == year {
                switch activity.kind {
                case .visit: figures.visits += 1
                case .training: figures.trainings += 1
                case .problem: figures.problemsSolved += 1
                }
                figures.participants += activity.participants
            }
            for docking in dockings {
                if docking.proposedOn.year == year { figures.dockings += 1 }
                if let signed = docking.signedOn, signed.year == year {
                    figures.signed += 1
                    figures.contractAmount += docking.contractAmount ?? 0
                }
            }
            return figures
        }
    }

    /// Stations in the actor's subtree, with this year's figures, for the registry list.
    func list(actor: Actor, kind: String?, query text: String?) async throws -> [Station] {
        guard actor.can(InnovationPermission.stations) else { return [] }
        var query = actor.scope.query(Station.self, on: db)
        if let kind = kind.flatMap(Station.Kind.init(rawValue:)) { query = query.filter(\.$kind == kind) }
        if let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            query = query.group(.or) { $0.filter(\.$name ~~ text).filter(\.$hostName ~~ text).filter(\.$experts ~~ text) }
        }
        return try await query.sort(\.$createdAt, .descending).limit(2000).all()
    }
}
