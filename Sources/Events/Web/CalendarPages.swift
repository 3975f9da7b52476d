import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// The public calendar `/events`: a month grid (`?month=2026-12`) or a list (`?view=list`), filtered by
/// kind, level, organizer and field. Visitors see published public events; logged-in people also the
/// published events of their subtree and their societies. One statement for the grid, two for a page
/// of the list (count and rows); a filter by organizer adds one look-up.
struct CalendarController {
    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(EventsRoutes.home, use: calendar)
        publicWeb.get(EventsRoutes.organizationFeed, use: organizationFeed)
    }

    struct Filters: Sendable {
        var kind: Event.Kind?
        var level: Event.Level?
        var organizer: Organization?
        var organizerText = ""
        var field = ""
    }

    /// The horizon of the list without a month.
    static let upcomingDays = 92.0

    static let filterKeys = ["month", "view", "kind", "level", "organizer", "field"]

    /// A month as `2026-12`, within 2000–2099.
    static func parseMonth(_ text: String?) -> (year: Int, month: Int)? {
        guard let text, let match = text.wholeMatch(of: /(\d{4})-(\d{1,2})/), let year = Int(match.1), let month = Int(match.2),
            (2000...2099).contains(year), (1...12).contains(month)
        else { return nil }
        return (year, month)
    }

    static func filters(_ params: ListParameters, on db: any Database) async throws -> Filters {
        var filters = Filters()
        filters.kind = params["kind"].flatMap(Event.Kind.init(rawValue:))
        filters.level = params["level"].flatMap(Event.Level.init(rawValue:))
        filters.field = params["field"].map { String($0.prefix(50)) } ?? ""
        if let text = params["organizer"] {
            filters.organizerText = text
            if let id = try await EventService.resolveAnywhere(text, on: db) { filters.organizer = try await Organization.find(id, on: db) }
        }
        return filters
    }

    static func chinaDate(_ day: Day) -> Date {
        Calendar.china.date(from: DateComponents(year: day.year, month: day.month, day: day.day)) ?? Date(timeIntervalSince1970: 0)
    }

    static func day(of date: Date) -> Day { Day.today(now: date) }

    func calendar(_ req: Request) async throws -> Response {
        let params = try ListParameters(request: req, path: EventsRoutes.home(), keys: Self.filterKeys)
        let actor = req.optionalActor
        let filters = try await Self.filters(params, on: req.db)
        let today = Day.today(now: req.platform.clock())
        if let sent = params["month"], Self.parseMonth(sent) == nil {
            throw PlatformError.invalidInput(field: "month", message: "月份应为 2000-01 至 2099-12 之间，如 2026-12")
        }
        let month = Self.parseMonth(params["month"]) ?? (today.year, today.month)
        let list = params["view"] == "list"
        let shell = await PageShell.build(for: req, title: "学术活动")
        let first = Day(year: month.year, month: month.month, day: 1)!
        let next = month.month == 12 ? Day(year: month.year + 1, month: 1, day: 1)! : Day(year: month.year, month: month.month + 1, day: 1)!
        let previous =
            month.month == 1 ? Day(year: month.year - 1, month: 12, day: 1)! : Day(year: month.year, month: month.month - 1, day: 1)!
        func monthText(_ day: Day) -> String { String(day.description.prefix(7)) }
        var page = CalendarPage(
            shell: shell, list: list, monthLabel: "\(month.year)年\(month.month)月", month: monthText(first),
            previousLink: params.link(["month": monthText(previous), "page": nil]),
            nextLink: params.link(["month": monthText(next), "page": nil]),
            todayLink: params.link(["month": nil, "page": nil]),
            monthViewLink: params.link(["view": nil, "page": nil]), listViewLink: params.link(["view": "list", "page": nil]),
            kinds: EventDisplay.options(Event.Kind.allCases, selected: params["kind"], blank: "全部类型") { $0.label },
            levels: EventDisplay.options(Event.Level.allCases, selected: params["level"], blank: "全部级别") { $0.label },
            organizer: filters.organizerText, field: filters.field, weeks: [], rows: [], pager: nil,
            manageLink: actor.map { $0.can(EventsPermission.manage) || $0.can(EventsPermission.approve) } == true
                ? EventsRoutes.manage() : nil,
            feedLink: filters.organizer?.id.map { EventsRoutes.organizationFeed($0) })
        let condition = Self.condition(filters, actor: actor)
        if list {
            // The month's events when a month is chosen, else what is still to come. Events last at most
            // 31 days: the start bound keeps the read an index range on starts_at.
            let from: Date
            var to: Date?
            let endsAfter: Date
            if params["month"] != nil {
                from = Self.chinaDate(first).addingTimeInterval(-EventService.maxDurationDays * 86_400)
                to = Self.chinaDate(next)
                endsAfter = Self.chinaDate(first)
            } else {
                // 近期: the next three months (later ones through the month navigation), so the count stays small.
                let now = req.platform.clock()
                from = now.addingTimeInterval(-EventService.maxDurationDays * 86_400)
                to = now.addingTimeInterval(Self.upcomingDays * 86_400)
                endsAfter = now
            }
            let total = try await Self.count(condition, from: from, to: to, endsAfter: endsAfter, on: req.db)
            let events = try await Self.fetch(
                condition, from: from, to: to, endsAfter: endsAfter, limit: params.pageSize, offset: params.offset, on: req.db)
            page.rows = events.map(Self.entry)
            page.pager = params.pager(total: total)
            page.monthLabel = params["month"] != nil ? page.monthLabel : "近期活动（三个月内）"
        } else {
            let gridStart = first.adding(days: -(first.weekday - 1))
            let lastDay = next.adding(days: -1)
            let gridEnd = lastDay.adding(days: 7 - lastDay.weekday + 1)
            let events = try await Self.fetch(
                condition, from: Self.chinaDate(gridStart).addingTimeInterval(-EventService.maxDurationDays * 86_400),
                to: Self.chinaDate(gridEnd), endsAfter: Self.chinaDate(gridStart), limit: 3000, offset: 0, on: req.db)
            var byDay: [Day: [CalendarPage.Entry]] = [:]
            for event in events {
                let row = Self.entry(event)
                var day = max(Self.day(of: event.startsAt), gridStart)
                // An event ending at midnight does not spill into the next day.
                let last = min(Self.day(of: event.endsAt.addingTimeInterval(-1)), gridEnd.adding(days: -1))
                while day <= last {
                    byDay[day, default: []].append(row)
                    day = day.adding(days: 1)
                }
            }
            var weeks: [[CalendarPage.Cell]] = []
            var day = gridStart
            while day < gridEnd {
                var week: [CalendarPage.Cell] = []
                for _ in 0..<7 {
                    week.append(
                        CalendarPage.Cell(
                            date: day.description, number: day.day, inMonth: day.month == month.month, isToday: day == today,
                            entries: byDay[day] ?? []))
                    day = day.adding(days: 1)
                }
                weeks.append(week)
            }
            page.weeks = weeks
        }
        return try await page.render(req)
    }

    /// What a calendar shows of an event, read as plain columns: decoding a Fluent model (and its joined
    /// organizer) per event cost most of a month grid's time.
    struct Slim: Sendable {
        let id: UUID
        let title: String
        let kind: Event.Kind
        let level: Event.Level
        let state: EventWorkflow.State
        let startsAt: Date
        let endsAt: Date
        let venue: String
        let online: Bool
        let organizer: String
    }

    /// The visibility rule and the filters as one WHERE condition on `events_events`.
    static func condition(_ filters: Filters, actor: Actor?) -> SQLQueryString {
        var condition = EventService.visibleCondition(actor: actor, allStates: false)
        if let kind = filters.kind { condition = "\(condition) AND events_events.kind = \(bind: kind.rawValue)" }
        if let level = filters.level { condition = "\(condition) AND events_events.level = \(bind: level.rawValue)" }
        if !filters.organizerText.isEmpty {
            if let organizer = filters.organizer {
                // The organizer's subtree: a city association's calendar holds its counties' and societies' events.
                condition = """
                    \(condition) AND events_events.organization_id IN \
                    (SELECT id FROM platform_organizations WHERE path LIKE \(bind: organizer.path + "%"))
                    """
            } else {
                condition = "\(condition) AND 1 = 0"
            }
        }
        if !filters.field.isEmpty { condition = "\(condition) AND events_events.field LIKE \(bind: "%" + filters.field + "%")" }
        return condition
    }

    static func range(from: Date, to: Date?, endsAfter: Date) -> SQLQueryString {
        var range: SQLQueryString = "events_events.starts_at >= \(bind: from) AND events_events.ends_at >= \(bind: endsAfter)"
        if let to { range = "\(range) AND events_events.starts_at < \(bind: to)" }
        return range
    }

    static func fetch(
        _ condition: SQLQueryString, from: Date, to: Date?, endsAfter: Date, limit: Int, offset: Int, on db: any Database
    ) async throws -> [Slim] {
        let rows = try await db.sql().raw(
            """
            SELECT events_events.id, events_events.title, events_events.kind, events_events.level, events_events.state, \
            events_events.starts_at, events_events.ends_at, events_events.venue, events_events.online_link, \
            platform_organizations.name AS organizer_name \
            FROM events_events JOIN platform_organizations ON platform_organizations.id = events_events.organization_id \
            WHERE \(condition) AND \(range(from: from, to: to, endsAfter: endsAfter)) \
            ORDER BY events_events.starts_at, events_events.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all()
        return try rows.compactMap { row in
            guard let kind = Event.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                let level = Event.Level(rawValue: try row.decode(column: "level", as: String.self)),
                let state = EventWorkflow.State(rawValue: try row.decode(column: "state", as: String.self))
            else { return nil }
            return Slim(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self), kind: kind,
                level: level, state: state, startsAt: try row.decode(column: "starts_at", as: Date.self),
                endsAt: try row.decode(column: "ends_at", as: Date.self), venue: try row.decode(column: "venue", as: String.self),
                online: try row.decode(column: "online_link", as: String?.self) != nil,
                organizer: try row.decode(column: "organizer_name", as: String.self))
        }
    }

    static func count(_ condition: SQLQueryString, from: Date, to: Date?, endsAfter: Date, on db: any Database) async throws -> Int {
        let row = try await db.sql().raw(
            "SELECT COUNT(*) AS n FROM events_events WHERE \(condition) AND \(range(from: from, to: to, endsAfter: endsAfter))"
        ).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// `2026-12-20 09:00` in China time, by arithmetic (China has kept +08:00 without daylight saving).
    static func wallClock(_ date: Date) -> (day: Day, time: String) {
        let seconds = Int((date.timeIntervalSince1970 + 8 * 3600).rounded(.down))
        let minutes = ((seconds % 86_400) + 86_400) % 86_400 / 60
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return (Day.today(now: date), two(minutes / 60) + ":" + two(minutes % 60))
    }

    static func entry(_ event: Slim) -> CalendarPage.Entry {
        let start = wallClock(event.startsAt)
        let end = wallClock(event.endsAt)
        let when =
            start.day == end.day
            ? "\(start.day) \(start.time)–\(end.time)" : "\(start.day) \(start.time) 至 \(end.day) \(end.time)"
        let place = event.venue.isEmpty ? "线上" : (event.online ? event.venue + "（另有线上）" : event.venue)
        return CalendarPage.Entry(
            id: event.id.uuidString, title: event.title, link: EventsRoutes.event(event.id), time: start.time, when: when,
            kind: event.kind.label, level: event.level.label, organizer: event.organizer, place: place, state: event.state.rawValue,
            stateLabel: event.state.label)
    }

    /// `/organizations/{id}/events.ics`: the organizer's published public events (a year back and
    /// everything ahead, at most 1,000), for calendar programs to subscribe to.
    func organizationFeed(_ req: Request) async throws -> Response {
        guard let organization = try await Organization.find(try req.uuidParameter(), on: req.db), organization.isActive else {
            throw PlatformError.notFound
        }
        let since = req.platform.clock().addingTimeInterval(-366 * 86_400)
        let events = try await Event.query(on: req.db).filter(\.$organizationID == organization.requireID())
            .filterSQL((EventService.visibleCondition(actor: nil, allStates: false)))
            .filter(\.$endsAt >= since).sort(\.$startsAt).limit(1000).all()
        let calendar = ICalendar(name: organization.name + " 学术活动", events: try events.map { try Self.icsEvent($0, req: req) })
        return Self.icsResponse(calendar, fileName: "events")
    }

    static func icsEvent(_ event: Event, req: Request) throws -> ICalendar.Event {
        let id = try event.requireID()
        let host = req.headers.first(name: .host).map { String($0.prefix(100)) } ?? "kexie"
        let base = req.platform.configuration.publicBaseURL ?? "http://" + host
        var description = event.summary
        if let link = event.onlineLink { description += (description.isEmpty ? "" : "\n") + "线上：" + link }
        if !event.feeNote.isEmpty { description += (description.isEmpty ? "" : "\n") + "费用：" + event.feeNote }
        return ICalendar.Event(
            uid: id.uuidString.lowercased() + "@" + (host.split(separator: ":").first.map(String.init) ?? "kexie"),
            stamp: event.updatedAt ?? event.createdAt ?? req.platform.clock(), start: event.startsAt, end: event.endsAt,
            summary: event.title,
            location: event.venue.isEmpty ? (event.onlineLink ?? "") : event.venue, description: description,
            url: base + EventsRoutes.event(id),
            status: event.state == .cancelled ? .cancelled : .confirmed, sequence: event.state == .cancelled ? 1 : 0)
    }

    static func icsResponse(_ calendar: ICalendar, fileName: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/calendar; charset=utf-8")
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(fileName).ics\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return Response(status: .ok, headers: headers, body: .init(string: calendar.render()))
    }
}

struct CalendarPage: Sendable {
    struct Entry: Sendable {
        let id: String
        let title: String
        let link: String
        let time: String
        let when: String
        let kind: String
        let level: String
        let organizer: String
        let place: String
        let state: String
        let stateLabel: String
    }

    struct Cell: Sendable {
        let date: String
        let number: Int
        let inMonth: Bool
        let isToday: Bool
        let entries: [Entry]
    }

    let shell: PageShell
    let list: Bool
    var monthLabel: String
    let month: String
    let previousLink: String
    let nextLink: String
    let todayLink: String
    let monthViewLink: String
    let listViewLink: String
    let kinds: [SelectOption]
    let levels: [SelectOption]
    let organizer: String
    let field: String
    var weeks: [[Cell]]
    var rows: [Entry]
    var pager: Pager?
    let manageLink: String?
    let feedLink: String?
}
