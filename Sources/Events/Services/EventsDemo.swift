import Fluent
import Foundation
import KexieKit
import Platform

/// The small demo the route tests start from: one published public 学术沙龙 of the province with
/// registration open, one draft report meeting of 青石县科协 (a county's draft other subtrees must not
/// see), each with a session and a speaker.
enum EventsDemo {
    static let salonTitle = "热带作物病虫害绿色防控学术沙龙"
    static let draftTitle = "青石县院士专家报告会（草稿）"

    static func load(on db: any Database, services: PlatformServices) async throws {
        guard try await Event.query(on: db).first() == nil else { return }
        guard let province = try await Organization.query(on: db).filter(\.$parentID == nil).first(),
            let county = try await Organization.query(on: db).filter(\.$name == "青石县科学技术协会").first(),
            let society = try await Organization.query(on: db).filter(\.$name == "云海省热带作物学会").first()
        else { return }
        let today = Day.today(now: services.clock())
        func at(_ days: Int, _ hour: Int) -> String {
            let day = today.adding(days: days)
            return String(format: "%@T%02d:00", day.description, hour)
        }
        let context = DemoContext(services: services)
        let admin = try await context.actor("demo.orgadmin", on: db)
        let countyAdmin = try await context.actor("demo.county1", on: db)
        let service = EventService(db: db, services: services)

        var salon = EventService.Input()
        salon.title = salonTitle
        salon.summary = "围绕橡胶、槟榔、椰子等热带作物的病虫害绿色防控技术交流，欢迎科技工作者和种植户参加。"
        salon.kind = Event.Kind.salon.rawValue
        salon.level = Event.Level.provincial.rawValue
        salon.field = "植物保护"
        salon.startsAt = at(21, 14)
        salon.endsAt = at(21, 17)
        salon.venue = "云海省科技会堂 3 楼报告厅"
        salon.capacity = "60"
        salon.waitlist = true
        salon.audience = Event.Audience.public.rawValue
        salon.feeNote = "免费"
        salon.organization = try province.requireID().uuidString
        salon.coOrganizers = [try society.requireID().uuidString]
        salon.sessions = [EventService.SessionInput(title: "主题报告与交流", startsAt: at(21, 14), endsAt: at(21, 17), room: "报告厅")]
        salon.speakers = [EventService.SpeakerInput(name: "林海生", affiliation: "研究员 · 云海省热带农业科学院", topic: "橡胶树白粉病的绿色防控")]
        let published = try await service.create(salon, actor: admin)
        try await service.perform(.publish, on: published.requireID(), comment: nil, actor: admin)

        var draft = EventService.Input()
        draft.title = draftTitle
        draft.kind = Event.Kind.lecture.rawValue
        draft.level = Event.Level.local.rawValue
        draft.startsAt = at(30, 9)
        draft.endsAt = at(30, 11)
        draft.venue = "青石县科技馆"
        draft.capacity = "120"
        draft.audience = Event.Audience.public.rawValue
        draft.organization = try county.requireID().uuidString
        draft.sessions = [EventService.SessionInput(title: "报告", startsAt: at(30, 9), endsAt: at(30, 11), room: "一楼")]
        draft.speakers = [EventService.SpeakerInput(name: "陈立", affiliation: "教授 · 云海大学", topic: "热带水果采后保鲜")]
        _ = try await service.create(draft, actor: countyAdmin)
    }
}
