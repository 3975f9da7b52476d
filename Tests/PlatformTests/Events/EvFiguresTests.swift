import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Plans
@testable import Platform

/// 活动统计: the four metrics on fixed events (values, batch and drill-down lists with literal numbers),
/// the figures page (scope, period, charts, tables, list and export), a Plans target that counts
/// itself, and the person page's 学术活动 panel. On SQLite, and on PostgreSQL with DATABASE_URL.
///
/// Events of 2026 (besides the demo's published salon of the province, on 2026-12-09):
/// - 国际热带农业大会 — province, conference, 国际, finished, 06-10: three registrations; 甲 checked in to
///   the whole event and a session (counted once), 乙 to a session only, one walk-in → 3 participants;
/// - 全国海洋论坛 — 东港市, forum, 全国, published, 11-20, co-organized by 青石县: one checked in → 1;
/// - 全国科技报告会 — province, lecture, 全国, finished, 03-05: not a meeting, nobody checked in;
/// - 青石县农技培训班 — 青石县, training, 市县级, finished, 11-02: two of three checked in → 2 trainees;
/// - 新年科普沙龙 — province, salon, starting 2026-01-01 00:30 China time (2025 in UTC);
/// - a cancelled international conference (05-01, one check-in) and a draft (07-01): never counted;
/// - 2025: 全国学术年会 — province, conference, 全国, finished, 2025-10-10.
final class EvFiguresTests: DemoTestCase {
    private var events: [String: Event] = [:]
    private var registrations: [String: EventRegistration] = [:]
    private var staffID = UUID()

    private func at(_ text: String) throws -> Date {
        try XCTUnwrap(ISO8601DateFormatter().date(from: text), text)
    }

    @discardableResult
    private func event(
        _ title: String, _ organization: Organization, _ kind: Event.Kind, _ level: Event.Level, _ state: Event.State, _ start: String,
        coOrganizer: Organization? = nil
    ) async throws -> Event {
        let event = Event()
        event.title = title
        event.summary = "测试活动"
        event.kind = kind
        event.level = level
        event.state = state
        event.organizationID = try organization.requireID()
        event.venue = "云海省科技会堂"
        event.startsAt = try at(start)
        event.endsAt = event.startsAt.addingTimeInterval(6 * 3600)
        event.waitlist = false
        event.moderated = false
        event.feeNote = "免费"
        event.audience = .public
        event.confirmedCount = 0
        event.registrationSequence = 0
        event.createdBy = staffID
        try await event.create(on: app.db)
        if let coOrganizer {
            try await EventCoOrganizer(eventID: try event.requireID(), organizationID: try coOrganizer.requireID()).create(on: app.db)
        }
        events[title] = event
        return event
    }

    @discardableResult
    private func register(_ name: String, to event: Event, sequence: Int, person: Person? = nil) async throws -> EventRegistration {
        let registration = EventRegistration()
        registration.eventID = try event.requireID()
        registration.status = .confirmed
        registration.channel = .staff
        registration.sequence = sequence
        registration.name = name
        registration.unit = "云海大学"
        registration.personID = try person?.requireID()
        registration.code = CheckInCode.generate().canonical
        try await registration.create(on: app.db)
        registrations[name] = registration
        return registration
    }

    private func checkIn(_ name: String, to event: Event, session: String = "", registration: EventRegistration?, at time: Date)
        async throws
    {
        let record = CheckInRecord()
        record.subjectKind = EventCheckIns.kind
        record.subjectID = try event.requireID()
        record.sessionKey = session
        record.code = registration?.code
        record.registrantID = try registration?.requireID()
        record.name = name
        record.unit = "云海大学"
        record.checkedInAt = time
        record.recordedAt = time
        record.recordedBy = staffID
        try await record.create(on: app.db)
    }

    override func setUp() async throws {
        try await super.setUp()
        staffID = try await User.query(on: app.db).filter(\.$username == "demo.staff").first()!.requireID()
        let province: Organization = demo.province
        let city: Organization = demo.city1
        let county: Organization = demo.county1

        let international = try await event("国际热带农业大会", province, .conference, .international, .finished, "2026-06-10T09:00:00+08:00")
        let start = international.startsAt
        let first = try await register("甲", to: international, sequence: 1)
        let second = try await register("乙", to: international, sequence: 2)
        try await register("丙", to: international, sequence: 3)
        try await checkIn("甲", to: international, registration: first, at: start.addingTimeInterval(300))
        try await checkIn("甲", to: international, session: "morning", registration: first, at: start.addingTimeInterval(600))
        try await checkIn("乙", to: international, session: "morning", registration: second, at: start.addingTimeInterval(900))
        try await checkIn("现场来宾", to: international, registration: nil, at: start.addingTimeInterval(1200))

        let forum = try await event(
            "全国海洋论坛", city, .forum, .national, .published, "2026-11-20T09:00:00+08:00", coOrganizer: county)
        let guest = try await register("丁", to: forum, sequence: 1)
        try await checkIn("丁", to: forum, registration: guest, at: forum.startsAt)

        try await event("全国科技报告会", province, .lecture, .national, .finished, "2026-03-05T14:00:00+08:00")

        let training = try await event("青石县农技培训班", county, .training, .local, .finished, "2026-11-02T09:00:00+08:00")
        for (index, name) in ["戊", "己", "庚"].enumerated() {
            let registration = try await register(name, to: training, sequence: index + 1)
            if index < 2 {
                try await checkIn(
                    name, to: training, registration: registration, at: training.startsAt.addingTimeInterval(Double(index) * 60))
            }
        }

        try await event("新年科普沙龙", province, .salon, .provincial, .finished, "2026-01-01T00:30:00+08:00")
        let cancelled = try await event("已取消的国际会议", province, .conference, .international, .cancelled, "2026-05-01T09:00:00+08:00")
        let cancelledGuest = try await register("辛", to: cancelled, sequence: 1)
        try await checkIn("辛", to: cancelled, registration: cancelledGuest, at: cancelled.startsAt)
        try await event("草稿学术会议", province, .conference, .national, .draft, "2026-07-01T09:00:00+08:00")
        try await event("全国学术年会", province, .conference, .national, .finished, "2025-10-10T09:00:00+08:00")
    }

    private func figures(_ organization: Organization, _ period: String) async throws -> [String: Double] {
        let query = MetricDefinition.Query(organization: organization, period: try XCTUnwrap(ReportingPeriod(parsing: period)))
        let batched = try await EventMetrics.batch.compute(query, app.db)
        var values: [String: Double] = [:]
        for metric in EventMetrics.all {
            let alone = try await metric.compute(query, app.db)
            XCTAssertEqual(batched[metric.id] ?? 0, alone, "\(metric.id) \(period): batched and alone")
            let records = try XCTUnwrap(metric.records)
            let listed = try await records.page(query, app.db, 0, 100)
            XCTAssertEqual(Double(listed.count), alone, "\(metric.id) \(period): the list has as many rows as the figure")
            values[metric.id] = alone
        }
        return values
    }

    func testTheFourMetricsOnFixedEvents() async throws {
        let province = try await figures(demo.province, "2026")
        XCTAssertEqual(province["events.events.held"], 6, "five events and the demo's salon of 2026-12-09")
        XCTAssertEqual(province["events.meetings.national"], 2)
        XCTAssertEqual(province["events.participants.total"], 6)
        XCTAssertEqual(province["events.trainees.total"], 2)

        let county = try await figures(demo.county1, "2026")
        XCTAssertEqual(county["events.events.held"], 2, "its training and the forum it co-organizes")
        XCTAssertEqual(county["events.meetings.national"], 1)
        XCTAssertEqual(county["events.participants.total"], 3)
        XCTAssertEqual(county["events.trainees.total"], 2)
        let city = try await figures(demo.city1, "2026")
        XCTAssertEqual(city["events.events.held"], 2, "the forum counts once though organizer and co-organizer are both in the subtree")
        let sibling = try await figures(demo.county2, "2026")
        XCTAssertEqual(sibling["events.events.held"], 0)

        let quarter = try await figures(demo.province, "2026-Q4")
        XCTAssertEqual(quarter["events.events.held"], 3)
        XCTAssertEqual(quarter["events.participants.total"], 3)
        let month = try await figures(demo.province, "2026-11")
        XCTAssertEqual(month["events.events.held"], 2)
        XCTAssertEqual(month["events.trainees.total"], 2)
        let first = try await figures(demo.province, "2026-Q1")
        XCTAssertEqual(first["events.events.held"], 2, "the salon starting at 00:30 on New Year's Day China time is 2026's")
        let earlier = try await figures(demo.province, "2025")
        XCTAssertEqual(earlier["events.events.held"], 1)
        XCTAssertEqual(earlier["events.meetings.national"], 1)

        // The lists: meetings by start, participants by check-in time (甲 once, the walk-in linked to the event).
        let query = MetricDefinition.Query(organization: demo.province, period: .year(2026))
        let metrics = Dictionary(uniqueKeysWithValues: EventMetrics.all.map { ($0.id, $0) })
        let meetings = try await metrics["events.meetings.national"]!.records!.page(query, app.db, 0, 10)
        XCTAssertEqual(meetings.map(\.title), ["国际热带农业大会", "全国海洋论坛"])
        XCTAssertEqual(meetings.map(\.organization), ["云海省科学技术协会", "东港市科学技术协会"])
        XCTAssertEqual(meetings.first?.day, "2026-06-10")
        let people = try await metrics["events.participants.total"]!.records!.page(query, app.db, 0, 10)
        XCTAssertEqual(
            people.map(\.title),
            ["甲 · 国际热带农业大会", "乙 · 国际热带农业大会", "现场来宾 · 国际热带农业大会", "戊 · 青石县农技培训班", "己 · 青石县农技培训班", "丁 · 全国海洋论坛"]
        )
        XCTAssertEqual(people.first?.link, "/registrations/\(try registrations["甲"]!.requireID().uuidString)")
        XCTAssertEqual(people[2].link, "/events/\(try events["国际热带农业大会"]!.requireID().uuidString)")
        let paged = try await metrics["events.participants.total"]!.records!.page(query, app.db, 4, 5)
        XCTAssertEqual(paged.map(\.title), ["己 · 青石县农技培训班", "丁 · 全国海洋论坛"])
    }

    func testTheFiguresPageChartsTablesListAndDrillDown() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let province = try demo.province.requireID().uuidString
        let response = try await admin.get("/events/figures?period=2026")
        XCTAssertEqual(response.status, .ok)
        let page = ParsedPage(response.body.string)
        XCTAssertEqual(page.element(id: "figures-scope")?.text, "云海省科学技术协会 · 2026年")
        func headline(_ id: String) -> String? {
            page.element(id: "headline-" + id)?.elements(attribute: "data-metric").first?.attribute("data-value")
        }
        XCTAssertEqual(headline("events.events.held"), "6")
        XCTAssertEqual(headline("events.meetings.national"), "2")
        XCTAssertEqual(headline("events.participants.total"), "6")
        XCTAssertEqual(headline("events.trainees.total"), "2")
        let link = try XCTUnwrap(
            page.element(id: "headline-events.meetings.national")?.elements(attribute: "data-metric").first?.attribute("href"))
        XCTAssertEqual(link, "/metrics/events.meetings.national?organization=\(province)&period=2026")

        // The month chart: twelve bars, November's two; the level chart: events and participants per level.
        let months = try XCTUnwrap(page.element(id: "fig-events-by-month")).elements(attribute: "data-label")
        XCTAssertEqual(months.count, 12)
        XCTAssertEqual(months.filter { $0.attribute("data-label") == "11月" }.map { $0.attribute("data-value") }, ["2"])
        let levels = try XCTUnwrap(page.element(id: "fig-events-by-level")).elements(attribute: "data-label")
        XCTAssertEqual(
            levels.filter { $0.attribute("data-label") == "国际" }.map {
                "\($0.attribute("data-series") ?? ""):\($0.attribute("data-value") ?? "")"
            },
            ["events:1", "participants:3"])
        XCTAssertEqual(page.rows(inTable: "table-figures-by-level").map { $0[1] }, ["1", "2", "0", "2", "1"])
        XCTAssertEqual(page.rows(inTable: "table-figures-by-kind").map { $0[0] + $0[1] }.prefix(5), ["学术会议1", "论坛1", "沙龙2", "报告会1", "培训1"])

        // The list: filtered by level, searched, sorted by participants, exported.
        XCTAssertEqual(page.element(id: "figures-event-list")?.attribute("data-total"), "6")
        let national = ParsedPage(try await admin.get("/events/figures?period=2026&level=national").body.string)
        XCTAssertEqual(national.rows(inTable: "figures-event-list").map { $0[0] }, ["全国科技报告会", "全国海洋论坛"])
        let sorted = ParsedPage(try await admin.get("/events/figures?period=2026&sort=participants&dir=desc").body.string)
        XCTAssertEqual(sorted.rows(inTable: "figures-event-list").first?[0], "国际热带农业大会")
        let searched = ParsedPage(try await admin.get("/events/figures?period=2026&q=培训").body.string)
        XCTAssertEqual(searched.rows(inTable: "figures-event-list").map { $0[0] }, ["青石县农技培训班"])
        let csv = try await admin.get("/events/figures?period=2026&kind=training&format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertTrue(csv.body.string.contains("青石县农技培训班"), csv.body.string)
        XCTAssertFalse(csv.body.string.contains("全国海洋论坛"))
        let xlsx = try await admin.get("/events/figures?period=2026&format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.count, 7)

        // The headline's drill-down is Platform's metric page: the value and the list it counts.
        let drill = ParsedPage(try await admin.get(link).body.string)
        XCTAssertEqual(drill.element(id: "metric-value")?.attribute("data-value"), "2")
        XCTAssertEqual(drill.rows(inTable: "metric-records").map { $0[0] }, ["国际热带农业大会", "全国海洋论坛"])

        // A quarter and an organization of the subtree.
        let city = try demo.city1.requireID().uuidString
        let quarter = ParsedPage(try await admin.get("/events/figures?organization=\(city)&period=2026-Q4").body.string)
        XCTAssertEqual(quarter.element(id: "figures-scope")?.text, "东港市科学技术协会 · 2026年第四季度")
        XCTAssertEqual(try XCTUnwrap(quarter.element(id: "fig-events-by-month")).elements(attribute: "data-label").count, 3)
        XCTAssertEqual(quarter.element(id: "figures-event-list")?.attribute("data-total"), "2")
    }

    func testTheFiguresPageKeepsToTheSubtreeAndThePermission() async throws {
        let province = try demo.province.requireID().uuidString
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get("/events/figures?organization=\(province)&period=2026").status, .notFound)
        let own = ParsedPage(try await county.get("/events/figures?period=2026").body.string)
        XCTAssertEqual(own.element(id: "figures-scope")?.text, "青石县科学技术协会 · 2026年")
        XCTAssertEqual(own.element(id: "figures-event-list")?.attribute("data-total"), "2")
        let other = try await loggedIn("demo.county2")
        let sibling = try demo.county1.requireID().uuidString
        expectEqual(try await other.get("/events/figures?organization=\(sibling)").status, .notFound)

        let member = try await loggedIn("demo.member")
        expectEqual(try await member.get("/events/figures").status, .forbidden)
        let visitor = Browser(app)
        let anonymous = try await visitor.get("/events/figures")
        XCTAssertTrue([.seeOther, .unauthorized].contains(anonymous.status), "\(anonymous.status)")

        // A period that cannot be read is reported beside its field; the figures are this year's.
        let admin = try await loggedIn("demo.orgadmin")
        let refused = try await admin.get("/events/figures?period=2026-Q5")
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let refusedPage = ParsedPage(refused.body.string)
        XCTAssertEqual(refusedPage.fieldError("period"), "统计期应写作 2026、2026-Q4 或 2026-11（1949–2100 年）")
        XCTAssertEqual(refusedPage.element(id: "figures-scope")?.text, "云海省科学技术协会 · 2026年")
        let unknown = try await admin.get("/events/figures?organization=不存在的组织")
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        XCTAssertEqual(ParsedPage(unknown.body.string).fieldError("organization"), "未找到该组织，请从列表中选择或填写完整路径")
        expectEqual(try await admin.get("/events/figures?page=9223372036854775808").status, .unprocessableEntity)

        // The drill-down list of another subtree is not found either.
        let drill = try await county.get("/metrics/events.events.held?organization=\(province)&period=2026")
        XCTAssertEqual(drill.status, .notFound)
    }

    func testAPlanTargetBoundToTheMeetingsMetricCountsItself() async throws {
        // The sentence as a plan writes it: Plans reads 17 场 from it.
        let parsed = PlanParser().parse(text: "云海省科协2026年工作要点\n\n一、学术交流\n1.打造学术品牌。主办承办17场国际性和全国性学术会议。（责任部门：学会部）\n")
        let target = try XCTUnwrap(parsed.tasks.first?.targets.first)
        XCTAssertEqual(target.value, 17)
        XCTAssertEqual(target.unit, "场")

        let plan = PlanRecord()
        plan.organizationID = try demo.province.requireID()
        plan.title = "云海省科协2026年工作要点"
        plan.year = 2026
        plan.status = .active
        plan.cadence = .monthly
        plan.fileName = "2026年工作要点.txt"
        plan.weightCompletion = 50
        plan.weightTimeliness = 30
        plan.weightQuality = 20
        plan.createdBy = staffID
        plan.revision = 1
        try await plan.create(on: app.db)
        let task = PlanTask()
        task.planID = try plan.requireID()
        task.sequence = 1
        task.section = "一、学术交流"
        task.label = "1"
        task.heading = "打造学术品牌"
        task.sourceText = "主办承办17场国际性和全国性学术会议。"
        task.leadNames = "学会部"
        task.coNames = ""
        task.included = true
        task.state = .open
        task.percent = 0
        try await task.create(on: app.db)
        let record = PlanTargetRecord()
        record.taskID = try task.requireID()
        record.value = target.value
        record.unit = target.unit
        record.text = target.text
        try await record.create(on: app.db)

        let admin = try await loggedIn("demo.orgadmin")
        let taskPath = "/plans/tasks/\(try task.requireID().uuidString)"
        let before = ParsedPage(try await admin.get(taskPath).body.string)
        let options = try XCTUnwrap(before.element(id: "metric-\(try record.requireID().uuidString)")).elements(attribute: "value")
        XCTAssertTrue(options.contains { $0.attribute("value") == "events.meetings.national" }, "the metric is offered")
        let bound = try await admin.post(
            "/plans/targets/\(try record.requireID().uuidString)/metric", ["metric": "events.meetings.national"])
        XCTAssertEqual(bound.status, .seeOther)
        expectEqual(try await PlanTargetRecord.find(record.id, on: app.db)?.actual, 2)
        let after = try await admin.get(taskPath).body.string
        XCTAssertTrue(after.contains("<td class=\"target-actual\">2 场</td>"), String(after.prefix(3000)))
        XCTAssertTrue(after.contains("自动统计：举办国际性和全国性学术会议（场）"))
    }

    func testThePersonPageListsTheEventsThePersonAttendedForStaffInScope() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 51)
        let international = events["国际热带农业大会"]!
        let attended = try await register("参会者", to: international, sequence: 4, person: person)
        try await checkIn("参会者", to: international, registration: attended, at: try at("2026-06-10T09:07:00+08:00"))
        try await register("参会者", to: events["青石县农技培训班"]!, sequence: 4, person: person)

        let page = try await admin.get("/people/\(try person.requireID())")
        XCTAssertEqual(page.status, .ok)
        let body = page.body.string
        XCTAssertTrue(body.contains("学术活动"))
        XCTAssertTrue(body.contains("报名 2 场，签到 1 场"), body)
        XCTAssertTrue(body.contains("2026-06-10 已确认 · 签到 2026-06-10 09:07"), body)
        XCTAssertTrue(body.contains("2026-11-02 已确认 · 未签到"))
        XCTAssertTrue(body.contains("href=\"/registrations/\(try attended.requireID().uuidString)\""))

        // Staff whose subtree does not hold the person do not see the person's page at all.
        let county = try await loggedIn("demo.county2")
        let outside = try await county.get("/people/\(try person.requireID())")
        XCTAssertNotEqual(outside.status, .ok)
        XCTAssertFalse(outside.body.string.contains("国际热带农业大会"))
    }
}

/// The demo province's figures are never zero for the demo roles that open 活动统计, and each equals its list.
final class EvFiguresDemoTests: KexieTestCase {
    func testTheDemoProvinceHasEventFiguresForItsStaff() async throws {
        let demo = try await DemoFixture.load(app, populated: true)
        let registrations = try await EventRegistration.query(on: app.db).count()
        XCTAssertGreaterThan(registrations, 100)
        for (username, organization) in [("demo.orgadmin", demo.province), ("demo.staff", demo.province), ("demo.county1", demo.county1)] {
            let browser = Browser(app)
            try await browser.login(username, demo.accounts[username] ?? "")
            let page = ParsedPage(try await browser.get("/events/figures?period=2026").body.string)
            let held = page.element(id: "headline-events.events.held")?.elements(attribute: "data-metric").first?.attribute("data-value")
            let participants = page.element(id: "headline-events.participants.total")?.elements(attribute: "data-metric").first?
                .attribute("data-value")
            XCTAssertGreaterThan(Int(held ?? "") ?? 0, 0, username)
            XCTAssertGreaterThan(Int(participants ?? "") ?? 0, 0, username)
            let query = MetricDefinition.Query(organization: organization, period: .year(2026))
            for metric in EventMetrics.all {
                let value = try await metric.compute(query, app.db)
                let listed = try await metric.records!.count(query, app.db)
                XCTAssertEqual(Double(listed), value, "\(username) \(metric.id)")
            }
        }
        let province = try await EventMetrics.batch.compute(.init(organization: demo.province, period: .year(2026)), app.db)
        XCTAssertGreaterThan(province[EventMetrics.meetings] ?? 0, 0)
        XCTAssertGreaterThan(province[EventMetrics.trainees] ?? 0, 0)
    }
}
