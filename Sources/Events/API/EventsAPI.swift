import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `/api/v1/events`: the visible events (anyone; a token shows the caller's subtree too), creating a
/// draft, one event, and its workflow steps. Same service as the pages, so rules, messages and scope
/// are the same.
struct EventsAPIController: Sendable {
    func register(publicAPI: any RoutesBuilder, api: any RoutesBuilder) {
        publicAPI.get(EventsRoutes.apiEvents, use: list)
        publicAPI.get(EventsRoutes.apiEvent, use: show)
        // API routes have no CSRF check to read their body: the limit is the route's collection size.
        api.on(.POST, EventsRoutes.apiEvents, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: create)
            .limitBody(Self.bodyLimit)
        api.on(.PATCH, EventsRoutes.apiEvent, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: update)
            .limitBody(Self.bodyLimit)
        api.on(.POST, EventsRoutes.apiEventSteps, body: .collect(maxSize: ByteCount(value: BodyLimits.small)), use: step)
            .limitBody(BodyLimits.small)
    }

    static let bodyLimit = 64 * 1024

    struct SessionDTO: Content {
        let title: String
        let startsAt: String
        let endsAt: String
        let room: String
    }

    struct SpeakerDTO: Content {
        let name: String
        let affiliation: String
        let topic: String
        let personId: UUID?
    }

    struct EventDTO: Content {
        let id: UUID
        let state: String
        let stateLabel: String
        let title: String
        let kind: String
        let level: String
        let startsAt: String
        let endsAt: String
        let venue: String
        let onlineLink: String?
        let capacity: Int?
        let confirmed: Int
        let placesLeft: Int?
        let waitlist: Bool
        let audience: String
        let organizationId: UUID
        let field: String?
        let registrationOpen: Bool
        let link: String
        // One event only.
        let summary: String?
        let feeNote: String?
        let registrationOpensAt: String?
        let registrationClosesAt: String?
        let cancelUntil: String?
        let coOrganizerIds: [UUID]?
        let societyIds: [UUID]?
        let sessions: [SessionDTO]?
        let speakers: [SpeakerDTO]?
        /// What the caller may do now (`POST /events/{id}/steps`); with a token only.
        let actions: [String]?

        init(_ e: Event, now: Date, parts: EventService.Parts? = nil, actions: [EventWorkflow.Action]? = nil) throws {
            let iso = ISO8601DateFormatter()
            iso.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
            func time(_ date: Date?) -> String? { date.map { iso.string(from: $0) } }
            id = try e.requireID()
            state = e.state.rawValue
            stateLabel = e.state.label
            title = e.title
            kind = e.kind.rawValue
            level = e.level.rawValue
            startsAt = iso.string(from: e.startsAt)
            endsAt = iso.string(from: e.endsAt)
            venue = e.venue
            onlineLink = e.onlineLink
            capacity = e.capacity
            confirmed = e.confirmedCount
            placesLeft = EventService.placesLeft(e)
            waitlist = e.waitlist
            audience = e.audience.rawValue
            organizationId = e.organizationID
            field = e.field
            registrationOpen = EventService.registrationOpen(e, now: now)
            link = EventsRoutes.event(id)
            summary = parts == nil ? nil : e.summary
            feeNote = parts == nil ? nil : e.feeNote
            registrationOpensAt = parts == nil ? nil : time(e.registrationOpensAt)
            registrationClosesAt = parts == nil ? nil : time(e.registrationClosesAt)
            cancelUntil = parts == nil ? nil : time(e.cancelUntil)
            coOrganizerIds = parts?.coOrganizers.compactMap(\.id)
            societyIds = parts?.societies.compactMap(\.id)
            sessions = parts?.sessions.map {
                SessionDTO(title: $0.title, startsAt: iso.string(from: $0.startsAt), endsAt: iso.string(from: $0.endsAt), room: $0.room)
            }
            speakers = parts?.speakers.map {
                SpeakerDTO(name: $0.name, affiliation: $0.affiliation, topic: $0.topic, personId: $0.personID)
            }
            self.actions = actions?.map(\.rawValue)
        }
    }

    struct EventPageDTO: Content {
        let items: [EventDTO]
        let page: Int
        let per: Int
        let total: Int
    }

    /// Visible events from `from` (default: now) until `to`, soonest first; filters kind and level.
    func list(_ req: Request) async throws -> EventPageDTO {
        let paging = try req.paging(defaultPer: 20, maxPer: 100)
        let actor = req.optionalActor
        let query = Event.query(on: req.db).filterSQL((EventService.visibleCondition(actor: actor, allStates: true)))
        if let raw = req.query[String.self, at: "kind"], !raw.isEmpty {
            guard let kind = Event.Kind(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "kind", message: "未知的活动类型：\(raw.prefix(40))")
            }
            query.filter(\.$kind == kind)
        }
        if let raw = req.query[String.self, at: "level"], !raw.isEmpty {
            guard let level = Event.Level(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "level", message: "未知的活动级别：\(raw.prefix(40))")
            }
            query.filter(\.$level == level)
        }
        if let raw = req.query[String.self, at: "state"], !raw.isEmpty {
            guard let state = EventWorkflow.State(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "state", message: "未知的状态：\(raw.prefix(40))")
            }
            query.filter(\.$state == state)
        }
        let from = try Self.time(req, "from") ?? req.platform.clock().addingTimeInterval(-EventService.maxDurationDays * 86_400)
        query.filter(\.$startsAt >= from.addingTimeInterval(-EventService.maxDurationDays * 86_400)).filter(\.$endsAt >= from)
        if let to = try Self.time(req, "to") { query.filter(\.$startsAt < to) }
        let total = try await query.count()
        let rows = try await query.sort(\.$startsAt).sort(\.$id).range(((paging.page - 1) * paging.per)..<(paging.page * paging.per)).all()
        let now = req.platform.clock()
        return EventPageDTO(items: try rows.map { try EventDTO($0, now: now) }, page: paging.page, per: paging.per, total: total)
    }

    static func time(_ req: Request, _ key: String) throws -> Date? {
        // Absent means the default; sent empty (`to=`) is a client's mistake, refused like any bad value.
        guard let raw = req.query[String.self, at: key] else { return nil }
        if let date = EventService.parseTime(raw, requireOffset: true) { return date }
        if let day = Day(raw) { return CalendarController.chinaDate(day) }
        throw PlatformError.invalidInput(field: key, message: "\(key) 应为日期（2026-12-01）或带时区的 ISO 8601 时间")
    }

    private func detail(_ event: Event, _ req: Request, actor: Actor?) async throws -> EventDTO {
        let service = EventService(db: req.db, services: req.platform)
        let parts = try await service.parts(of: event)
        var actions: [EventWorkflow.Action]?
        if let actor { actions = try await service.availableActions(event, actor: actor) }
        return try EventDTO(event, now: req.platform.clock(), parts: parts, actions: actions)
    }

    func show(_ req: Request) async throws -> EventDTO {
        let actor = req.optionalActor
        let event = try await EventService(db: req.db, services: req.platform).visible(try req.uuidParameter(), actor: actor)
        return try await detail(event, req, actor: actor)
    }

    /// The body the issue names, with optional extras (summary, online link, window, sessions, speakers…).
    struct EventBody: Decodable {
        var title: String?
        var kind: String?
        var level: String?
        var startsAt: String?
        var endsAt: String?
        var venue: String?
        var capacity: Int?
        var waitlist: Bool?
        var audience: String?
        var summary: String?
        var field: String?
        var onlineLink: String?
        var moderated: Bool?
        var registrationOpensAt: String?
        var registrationClosesAt: String?
        var cancelUntil: String?
        var feeNote: String?
        var organizationId: String?
        var coOrganizerIds: [String]?
        var societyIds: [String]?
        var sessions: [SessionBody]?
        var speakers: [SpeakerBody]?

        struct SessionBody: Decodable {
            var title: String?
            var startsAt: String?
            var endsAt: String?
            var room: String?
        }

        struct SpeakerBody: Decodable {
            var name: String?
            var affiliation: String?
            var topic: String?
            var personId: String?
        }

        /// A time sent is a time: an empty text is refused, not read as "none" (the document says date-time).
        func refuseEmptyTimes() throws {
            var errors = FieldErrors()
            let times = [
                ("startsAt", startsAt), ("endsAt", endsAt), ("registrationOpensAt", registrationOpensAt),
                ("registrationClosesAt", registrationClosesAt), ("cancelUntil", cancelUntil),
            ]
            for (key, value) in times where value?.trimmingCharacters(in: .whitespaces).isEmpty == true {
                errors.add(key, "时间不能为空文本；不改请不传此字段")
            }
            if !errors.isEmpty { throw InvalidFields(errors, order: times.map(\.0)) }
        }

        /// A published event keeps what people registered for: a change of those fields is refused with
        /// each named, never silently ignored.
        func refuseLockedFields() throws {
            var errors = FieldErrors()
            let locked: [(String, Bool)] = [
                ("title", title != nil), ("kind", kind != nil), ("level", level != nil), ("startsAt", startsAt != nil),
                ("endsAt", endsAt != nil), ("capacity", capacity != nil), ("waitlist", waitlist != nil), ("audience", audience != nil),
                ("moderated", moderated != nil), ("organizationId", organizationId != nil), ("societyIds", societyIds != nil),
            ]
            for (key, sent) in locked where sent { errors.add(key, "活动已发布，此项不能修改（报名者按发布时的信息报名）") }
            if !errors.isEmpty { throw InvalidFields(errors, order: locked.map(\.0)) }
        }

        /// The stored event with the sent fields laid over it (times as ISO 8601 with offset, like the body).
        func merged(over event: Event, parts: EventService.Parts) -> EventService.Input {
            let iso = ISO8601DateFormatter()
            iso.timeZone = TimeZone(identifier: "Asia/Shanghai")
            func time(_ date: Date?) -> String { date.map { iso.string(from: $0) } ?? "" }
            var input = EventService.Input()
            input.title = title ?? event.title
            input.kind = kind ?? event.kind.rawValue
            input.level = level ?? event.level.rawValue
            input.startsAt = startsAt ?? time(event.startsAt)
            input.endsAt = endsAt ?? time(event.endsAt)
            input.venue = venue ?? event.venue
            input.capacity = capacity.map(String.init) ?? event.capacity.map(String.init) ?? ""
            input.waitlist = waitlist ?? event.waitlist
            input.audience = audience ?? event.audience.rawValue
            input.summary = summary ?? event.summary
            input.field = field ?? event.field ?? ""
            input.onlineLink = onlineLink ?? event.onlineLink ?? ""
            input.moderated = moderated ?? event.moderated
            input.registrationOpensAt = registrationOpensAt ?? time(event.registrationOpensAt)
            input.registrationClosesAt = registrationClosesAt ?? time(event.registrationClosesAt)
            input.cancelUntil = cancelUntil ?? time(event.cancelUntil)
            input.feeNote = feeNote ?? event.feeNote
            input.organization = organizationId ?? event.organizationID.uuidString
            input.coOrganizers = coOrganizerIds ?? parts.coOrganizers.compactMap { $0.id?.uuidString }
            input.societies = societyIds ?? parts.societies.compactMap { $0.id?.uuidString }
            input.sessions =
                sessions.map(Self.sessionInputs)
                ?? parts.sessions.map {
                    EventService.SessionInput(title: $0.title, startsAt: time($0.startsAt), endsAt: time($0.endsAt), room: $0.room)
                }
            input.speakers =
                speakers.map(Self.speakerInputs)
                ?? parts.speakers.map {
                    EventService.SpeakerInput(
                        name: $0.name, affiliation: $0.affiliation, topic: $0.topic, personID: $0.personID?.uuidString ?? "")
                }
            input.form = nil
            input.requireOffset = true
            return input
        }

        static func sessionInputs(_ sessions: [SessionBody]) -> [EventService.SessionInput] {
            sessions.map {
                EventService.SessionInput(title: $0.title ?? "", startsAt: $0.startsAt ?? "", endsAt: $0.endsAt ?? "", room: $0.room ?? "")
            }
        }

        static func speakerInputs(_ speakers: [SpeakerBody]) -> [EventService.SpeakerInput] {
            speakers.map {
                EventService.SpeakerInput(
                    name: $0.name ?? "", affiliation: $0.affiliation ?? "", topic: $0.topic ?? "", personID: $0.personId ?? "")
            }
        }

        var input: EventService.Input {
            var input = EventService.Input()
            input.title = title ?? ""
            input.kind = kind ?? ""
            input.level = level ?? ""
            input.startsAt = startsAt ?? ""
            input.endsAt = endsAt ?? ""
            input.venue = venue ?? ""
            input.capacity = capacity.map(String.init) ?? ""
            input.waitlist = waitlist ?? false
            input.audience = audience ?? "public"
            input.summary = summary ?? ""
            input.field = field ?? ""
            input.onlineLink = onlineLink ?? ""
            input.moderated = moderated ?? false
            input.registrationOpensAt = registrationOpensAt ?? ""
            input.registrationClosesAt = registrationClosesAt ?? ""
            input.cancelUntil = cancelUntil ?? ""
            input.feeNote = feeNote ?? ""
            input.organization = organizationId ?? ""
            input.coOrganizers = coOrganizerIds ?? []
            input.societies = societyIds ?? []
            input.sessions = (sessions ?? []).map {
                EventService.SessionInput(title: $0.title ?? "", startsAt: $0.startsAt ?? "", endsAt: $0.endsAt ?? "", room: $0.room ?? "")
            }
            input.speakers = (speakers ?? []).map {
                EventService.SpeakerInput(
                    name: $0.name ?? "", affiliation: $0.affiliation ?? "", topic: $0.topic ?? "", personID: $0.personId ?? "")
            }
            input.requireOffset = true
            return input
        }
    }

    /// Saves a draft → 201 with `id` and `state`; every refused field is in `error.fields`.
    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(EventBody.self, limit: Self.bodyLimit)
        try body.refuseEmptyTimes()
        let event = try await EventService(db: req.db, services: req.platform).create(body.input, actor: actor)
        return try await detail(event, req, actor: actor).encodeResponse(status: .created, for: req)
    }

    /// Changes a draft (organizer's staff) or a published event's logistics (its administrator): the
    /// fields sent replace the stored ones, the others stay; `sessions` / `speakers`, when sent,
    /// replace the whole programme. Same checks and 422 `fields` as creating.
    func update(_ req: Request) async throws -> EventDTO {
        let actor = try req.actor
        let body = try req.jsonBody(EventBody.self, limit: Self.bodyLimit)
        let service = EventService(db: req.db, services: req.platform)
        let event = try await service.visible(try req.uuidParameter(), actor: actor)
        try body.refuseEmptyTimes()
        if event.state == .published { try body.refuseLockedFields() }
        let input = body.merged(over: event, parts: try await service.parts(of: event))
        let updated = try await service.update(try event.requireID(), input, actor: actor)
        return try await detail(updated, req, actor: actor)
    }

    struct StepBody: Decodable {
        var action: String?
        var comment: String?
    }

    /// submit (organizer's staff), approve / publish / send_back (its administrator), cancel, finish.
    func step(_ req: Request) async throws -> EventDTO {
        let actor = try req.actor
        let body = try req.jsonBody(StepBody.self, limit: BodyLimits.small)
        guard let action = body.action.flatMap(EventWorkflow.Action.init(rawValue:)) else { throw EventsError.unknownAction }
        // Refused rather than cut: a client must not lose text silently.
        if let comment = body.comment, comment.count > 2000 {
            throw PlatformError.invalidInput(field: "comment", message: "说明不能超过 2000 字")
        }
        let event = try await EventService(db: req.db, services: req.platform).perform(
            action, on: try req.uuidParameter(), comment: body.comment, actor: actor)
        return try await detail(event, req, actor: actor)
    }
}
