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

    /// The visible events matching the filters, with their organizer joined (for its name).
    static func query(_ filters: Filters, actor: Actor?, on db: any Database) -> QueryBuilder<Event> {
        let query = Event.query(on: db).join(Organization.self, on: \Event.$organizationID == \Organization.$id)
            .filterSQL((EventService.visibleCondition(actor: actor, allStates: false)))
        if let kind = filters.kind { query.filter(\.$kind == kind) }
        if let level = filters.level { query.filter(\.$level == level) }
        if !filters.organizerText.isEmpty {
            if let organizer = filters.organizer {
                // The organizer's subtree: a city association's calendar holds its counties' and societies' events.
                query.filterSQL(
                    ("events_events.organization_id IN (SELECT id FROM platform_organizations WHERE path LIKE \(bind: organizer.path + "%"))")
                )
            } else {
                query.filterSQL(("1 = 0"))
            }
        }
        if !filters.field.isEmpty { query.filterSQL(("events_events.field LIKE \(bind: "%" + filters.field + "%")")) }
        return query
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
        if list {
            // The month's events when a month is chosen, else what is still to come.
            let query = Self.query(filters, actor: actor, on: req.db)
            if params["month"] != nil {
                query.filter(\.$startsAt >= Self.chinaDate(first).addingTimeInterval(-EventService.maxDurationDays * 86_400))
                    .filter(\.$startsAt < Self.chinaDate(next)).filter(\.$endsAt >= Self.chinaDate(first))
            } else {
                // Events last at most 31 days: the start bound keeps the read an index range on starts_at.
                let now = req.platform.clock()
                query.filter(\.$startsAt >= now.addingTimeInterval(-EventService.maxDurationDays * 86_400)).filter(\.$endsAt >= now)
            }
            let total = try await query.count()
            let events = try await query.sort(\.$startsAt).sort(\.$id).range(params.offset..<(params.offset + params.pageSize)).all()
            page.rows = try events.map { try Self.row($0) }
            page.pager = params.pager(total: total)
            page.monthLabel = params["month"] != nil ? page.monthLabel : "近期活动"
        } else {
            let gridStart = first.adding(days: -(first.weekday - 1))
            let lastDay = next.adding(days: -1)
            let gridEnd = lastDay.adding(days: 7 - lastDay.weekday + 1)
            let events = try await Self.query(filters, actor: actor, on: req.db)
                .filter(\.$startsAt >= Self.chinaDate(gridStart).addingTimeInterval(-EventService.maxDurationDays * 86_400))
                .filter(\.$startsAt < Self.chinaDate(gridEnd)).filter(\.$endsAt >= Self.chinaDate(gridStart))
                .sort(\.$startsAt).sort(\.$id).limit(3000).all()
            var byDay: [Day: [CalendarPage.Entry]] = [:]
            for event in events {
                let row = try Self.row(event)
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

    static func row(_ event: Event) throws -> CalendarPage.Entry {
        let organizer = (try? event.joined(Organization.self).name) ?? ""
        return CalendarPage.Entry(
            id: try event.requireID().uuidString, title: event.title, link: EventsRoutes.event(try event.requireID()),
            time: String(ChineseDate.dateTime(event.startsAt).suffix(5)), when: EventDisplay.when(event), kind: event.kind.label,
            level: event.level.label, organizer: organizer, place: EventDisplay.place(event), state: event.state.rawValue,
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
