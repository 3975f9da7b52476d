import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// One event's page (public once published; `/events/{id}.ics` is its calendar file), its workflow
/// buttons and history, and the staff's list of the subtree's events.
struct EventController {
    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(EventsRoutes.event, use: show)
        web.post(EventsRoutes.eventActions, use: act).limitBody(BodyLimits.small)
        web.get(EventsRoutes.manage, use: manage)
    }

    private func service(_ req: Request) -> EventService { EventService(db: req.db, services: req.platform) }

    /// `/events/{id}` or, when the parameter ends in `.ics`, the event's calendar file.
    func show(_ req: Request) async throws -> Response {
        let raw = req.parameters.get("id") ?? ""
        if raw.hasSuffix(".ics") {
            guard let id = UUID(uuidString: String(raw.dropLast(4))) else { throw PlatformError.notFound }
            let event = try await service(req).visible(id, actor: req.optionalActor)
            return CalendarController.icsResponse(
                ICalendar(events: [try CalendarController.icsEvent(event, req: req)]), fileName: "event-" + id.uuidString.lowercased())
        }
        return try await page(req, id: try req.uuidParameter())
    }

    func page(_ req: Request, id: UUID, errors: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = req.optionalActor
        let service = service(req)
        let event = try await service.visible(id, actor: actor)
        let parts = try await service.parts(of: event)
        var organizes = false
        var approves = false
        var actions: [EventWorkflow.Action] = []
        if let actor {
            organizes = try await service.organizes(event, actor: actor)
            approves = try await service.approves(event, actor: actor)
            actions = try await service.availableActions(event, actor: actor)
        }
        let staff = organizes || approves
        var steps: [TimelineStep] = []
        if staff {
            steps = try await service.runtime.history(of: id, on: req.db).map { step in
                TimelineStep(
                    date: ChineseDate.dateTime(step.at),
                    action: EventDisplay.definition.action(of: step).map(EventDisplay.definition.label(of:)) ?? step.action,
                    who: step.actorName, comment: step.comment)
            }
        }
        let now = req.platform.clock()
        var canCheckIn = false
        if let actor, actor.can(EventsPermission.checkIn) {
            canCheckIn = try await service.inScope(event, actor: actor, coOrganizers: true)
        }
        let editable = (event.state == .draft && staff) || (event.state == .published && approves)
        var facts: [(String, String)] = [
            ("类型", event.kind.label), ("级别", event.level.label), ("时间", EventDisplay.when(event)),
            ("地点", event.venue.isEmpty ? "线上" : event.venue),
        ]
        if let link = event.onlineLink { facts.append(("线上链接", link)) }
        facts.append(("主办单位", parts.organizer?.name ?? "—"))
        if !parts.coOrganizers.isEmpty { facts.append(("协办单位", parts.coOrganizers.map(\.name).joined(separator: "、"))) }
        var audience = event.audience.label
        if event.audience == .members && !parts.societies.isEmpty { audience += "：" + parts.societies.map(\.name).joined(separator: "、") }
        facts.append(("面向对象", audience))
        if let field = event.field { facts.append(("学科领域", field)) }
        facts.append(("名额", EventDisplay.capacity(event)))
        facts.append(("剩余名额", EventDisplay.placesLeft(event)))
        if event.registrationOpensAt != nil || event.registrationClosesAt != nil {
            facts.append(
                (
                    "报名时间",
                    "\(ChineseDate.dateTime(event.registrationOpensAt)) 至 \(ChineseDate.dateTime(event.registrationClosesAt ?? event.startsAt))"
                ))
        }
        if let cancel = event.cancelUntil { facts.append(("取消报名截止", ChineseDate.dateTime(cancel))) }
        if !event.feeNote.isEmpty { facts.append(("费用", event.feeNote)) }
        let sessionTitles = Dictionary(parts.sessions.compactMap { s in s.id.map { ($0, s.title) } }, uniquingKeysWith: { a, _ in a })
        return try await EventPage(
            shell: await PageShell.build(for: req, title: event.title), id: id.uuidString, title: event.title, state: event.state.rawValue,
            stateLabel: event.state.label, summary: event.summary, facts: facts.map { EventPage.Fact(label: $0.0, value: $0.1) },
            capacity: event.capacity, confirmed: event.confirmedCount, placesLeft: EventService.placesLeft(event),
            sessions: parts.sessions.map {
                EventPage.Session(
                    time: String(ChineseDate.dateTime($0.startsAt).suffix(11)) + "–" + String(ChineseDate.dateTime($0.endsAt).suffix(5)),
                    title: $0.title, room: $0.room)
            },
            speakers: parts.speakers.map {
                EventPage.Speaker(
                    name: $0.name, affiliation: $0.affiliation, topic: $0.topic,
                    session: $0.sessionID.flatMap { sessionTitles[$0] })
            },
            notice: EventNotice.message(req),
            registerLink: EventService.registrationOpen(event, now: now) ? EventsRoutes.register(id) : nil,
            checkInLink: canCheckIn && event.state == .published ? EventsRoutes.checkIn(id) : nil,
            registrationsLink: organizes && event.state != .draft ? EventsRoutes.eventRegistrations(id) : nil,
            attendanceLink: (organizes || canCheckIn) && [.published, .finished].contains(event.state)
                ? EventsRoutes.attendanceXLSX(id) : nil,
            icsLink: EventsRoutes.ics(id),
            editLink: editable ? EventsRoutes.editEvent(id) : nil,
            actions: actions.map {
                EventPage.Action(
                    value: $0.rawValue, label: EventDisplay.definition.label(of: $0), needsReason: $0 == .sendBack,
                    style: $0 == .cancel ? "danger" : ([.submit, .approve, .publish].contains($0) ? "primary" : ""))
            },
            actionPath: EventsRoutes.eventActions(id), errors: errors, steps: steps,
            backLink: staff ? EventsRoutes.manage() : EventsRoutes.home(), backLabel: staff ? "活动管理" : "学术活动",
            evaluation: try await EventEvaluationBox.build(req, event: event, actor: actor, organizes: organizes)
        ).render(req, status: status)
    }

    /// A workflow button; a refusal is shown on the page beside the buttons.
    func act(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let fields = EventFormFields.read(req, keys: ["action", "comment"])
        guard let action = fields["action"].flatMap(EventWorkflow.Action.init(rawValue:)) else {
            return try await page(req, id: id, errors: ["action": "请选择要执行的操作"], status: .unprocessableEntity)
        }
        do {
            try await service(req).perform(action, on: id, comment: fields["comment"], actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, id: id, errors: [refusal.field ?? "action": refusal.message], status: refusal.status)
        }
        return req.redirect(to: EventsRoutes.event(id, query: ["notice": "event_\(action.rawValue)"]))
    }

    // MARK: The staff's list

    static let exportLimit = 10_000

    /// `/events/manage`: every event organized or co-organized in the actor's subtree, any state; filter,
    /// search, sort, page, export.
    /// The acting organization's yearly record. A function of its own: read inline in `manage`, the
    /// release optimizer of Swift 6 crashed on the borrowed actor ("Found ownership error").
    @inline(never)
    static func recordLink(_ actor: Actor) -> String? {
        actor.actingOrganizationID.map { EventsRoutes.record($0) }
    }

    func manage(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve) else { throw PlatformError.forbidden }
        let newLink = actor.can(EventsPermission.manage) ? EventsRoutes.newEvent() : nil
        let recordLink = Self.recordLink(actor)
        let params = try ListParameters(request: req, path: EventsRoutes.manage(), keys: ["kind", "level", "state", "organizer"])
        let query = Event.query(on: req.db).join(Organization.self, on: \Event.$organizationID == \Organization.$id)
            .filterSQL((EventService.managedCondition(actor: actor)))
        let kind = params["kind"].flatMap(Event.Kind.init(rawValue:))
        let level = params["level"].flatMap(Event.Level.init(rawValue:))
        let state = params["state"].flatMap(EventWorkflow.State.init(rawValue:))
        if let kind { query.filter(\.$kind == kind) }
        if let level { query.filter(\.$level == level) }
        if let state { query.filter(\.$state == state) }
        if let organizer = params["organizer"] {
            if let id = try await EventService.resolveAnywhere(organizer, on: req.db), let org = try await Organization.find(id, on: req.db)
            {
                query.filterSQL(
                    ("events_events.organization_id IN (SELECT id FROM platform_organizations WHERE path LIKE \(bind: org.path + "%"))"))
            } else {
                query.filterSQL(("1 = 0"))
            }
        }
        if let q = params.search { query.filterSQL(("events_events.title LIKE \(bind: "%" + q + "%")")) }
        let sort = params["sort"] ?? "starts"
        let descending = params["dir"].map { $0 == "desc" } ?? (sort == "starts" || sort == "updated")
        switch sort {
        case "title": query.sort(\.$title, descending ? .descending : .ascending)
        case "state": query.sort(\.$state, descending ? .descending : .ascending).sort(\.$startsAt, .descending)
        case "updated": query.sort(\.$updatedAt, descending ? .descending : .ascending)
        default: query.sort(\.$startsAt, descending ? .descending : .ascending)
        }
        query.sort(\.$id)
        if let format = req.exportFormat {
            let events = try await query.limit(Self.exportLimit).all()
            return try await TableExport(
                fileName: "学术活动", headers: ["名称", "类型", "级别", "主办单位", "开始时间", "结束时间", "地点", "状态", "名额", "已确认", "链接"],
                rows: try events.map { e in
                    [
                        e.title, e.kind.label, e.level.label, (try? e.joined(Organization.self).name) ?? "",
                        ChineseDate.dateTime(e.startsAt),
                        ChineseDate.dateTime(e.endsAt), EventDisplay.place(e), e.state.label, e.capacity.map(String.init) ?? "不限",
                        String(e.confirmedCount), EventsRoutes.event(try e.requireID()),
                    ]
                }
            ).response(format, for: req)
        }
        let total = try await query.count()
        let events = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let rows = try events.map { e in
            ManagePage.Row(
                id: try e.requireID().uuidString, title: e.title, link: EventsRoutes.event(try e.requireID()), kind: e.kind.label,
                level: e.level.label,
                organizer: (try? e.joined(Organization.self).name) ?? "", starts: ChineseDate.dateTime(e.startsAt), state: e.state.rawValue,
                stateLabel: e.state.label,
                places: e.capacity.map { "\(e.confirmedCount) / \($0)" } ?? "\(e.confirmedCount) / 不限")
        }
        let headers = [
            params.sortLink("title", label: "名称"), params.sortLink("starts", label: "开始时间"), params.sortLink("state", label: "状态"),
        ]
        return try await ManagePage(
            shell: await PageShell.build(for: req, title: "活动管理"),
            list: params.chrome(total: total, headers: headers, newLink: newLink),
            kinds: EventDisplay.options(Event.Kind.allCases, selected: params["kind"], blank: "全部类型") { $0.label },
            levels: EventDisplay.options(Event.Level.allCases, selected: params["level"], blank: "全部级别") { $0.label },
            states: EventDisplay.options(EventWorkflow.State.allCases, selected: params["state"], blank: "全部状态") { $0.label },
            organizer: params["organizer"] ?? "", rows: rows,
            recordLink: recordLink
        ).render(req)
    }
}

struct EventPage: Sendable {
    struct Fact: Sendable {
        let label: String
        let value: String
    }
    struct Session: Sendable {
        let time: String
        let title: String
        let room: String
    }
    struct Speaker: Sendable {
        let name: String
        let affiliation: String
        let topic: String
        let session: String?
    }
    struct Action: Sendable {
        let value: String
        let label: String
        let needsReason: Bool
        let style: String
    }

    let shell: PageShell
    let id: String
    let title: String
    let state: String
    let stateLabel: String
    let summary: String
    let facts: [Fact]
    let capacity: Int?
    let confirmed: Int
    let placesLeft: Int?
    let sessions: [Session]
    let speakers: [Speaker]
    let notice: String?
    let registerLink: String?
    let checkInLink: String?
    /// The organizer's list of registrations (approve, register on behalf, import, export).
    let registrationsLink: String?
    /// Who checked in, as XLSX.
    let attendanceLink: String?
    let icsLink: String
    let editLink: String?
    let actions: [Action]
    let actionPath: String
    let errors: [String: String]
    let steps: [TimelineStep]
    let backLink: String
    let backLabel: String
    /// After the event: 评价本活动, the results and the quality score (evreview).
    var evaluation: EventEvaluationBox? = nil
}

struct ManagePage: Sendable {
    struct Row: Sendable {
        let id: String
        let title: String
        let link: String
        let kind: String
        let level: String
        let organizer: String
        let starts: String
        let state: String
        let stateLabel: String
        let places: String
    }

    let shell: PageShell
    let list: ListChrome
    let kinds: [SelectOption]
    let levels: [SelectOption]
    let states: [SelectOption]
    let organizer: String
    let rows: [Row]
    /// The acting organization's yearly record (evreview).
    var recordLink: String? = nil
}
