import Fluent
import Foundation
import KexieKit
import Platform

/// The demo province's attendance, so that 活动统计 and the metrics are never zero for a demo role:
/// every finished event gets confirmed registrations (some of them people of the directory, so the
/// person page's 学术活动 panel lists them), most of them checked in within the first half hour, and a
/// walk-in or two. Written in bulk (two statements per 200 rows) with one audit row.
enum EventFiguresDemo {
    static let names = [
        "王建国", "李晓梅", "张海峰", "刘芳", "陈志强", "杨丽", "赵明", "黄晓东", "周敏", "吴涛", "徐静", "孙磊", "胡玉兰", "朱文斌",
        "高洁", "林海", "何平", "郭晓燕", "马骏", "罗琳",
    ]
    static let units = ["云海大学", "云海省农业科学院", "云海理工学院", "云海省人民医院", "东港市农业技术推广中心", "西林市第一中学", "南川市科技局"]

    static func load(on db: any Database, context: DemoContext) async throws {
        let finished = try await Event.query(on: db).filter(\.$state == .finished).sort(\.$startsAt).all()
        guard !finished.isEmpty else { return }
        let ids = try finished.map { try $0.requireID() }
        guard try await EventRegistration.query(on: db).filter(\.$eventID ~~ ids).count() == 0 else { return }
        let staff = try await context.actor("demo.staff", on: db)
        let people = try await Person.query(on: db).sort(\.$name).limit(12).all()
        var random = context.random("events.figures")
        var registrations: [[(any Encodable & Sendable)?]] = []
        var checkIns: [[(any Encodable & Sendable)?]] = []
        for (index, event) in finished.enumerated() {
            let eventID = try event.requireID()
            let count = 8 + Int(random.next() % 13) + (event.kind == .training ? 10 : 0)
            for sequence in 1...count {
                let id = UUID()
                // The first registrations of some events are people of the directory (once per event each).
                let person = sequence <= 2 && !people.isEmpty ? people[(index * 2 + sequence - 1) % people.count] : nil
                let name = person?.name ?? names[(index * 7 + sequence * 3) % names.count] + (sequence > names.count ? "\(sequence)" : "")
                let unit = units[(index + sequence) % units.count]
                let code = CheckInCode.generate(using: &random).canonical
                let registeredAt = event.startsAt.addingTimeInterval(-Double(3 + sequence % 10) * 86_400)
                registrations.append([
                    id, eventID, EventRegistration.Status.confirmed.rawValue, EventRegistration.Channel.staff.rawValue, sequence,
                    nil as UUID?, try person?.requireID(), name, nil as String?, nil as String?, unit, code, registeredAt,
                    staff.userID, registeredAt, registeredAt,
                ])
                // About four in five come; they arrive within the first half hour.
                guard random.next() % 5 != 0 else { continue }
                let at = event.startsAt.addingTimeInterval(Double(random.next() % 1800))
                checkIns.append([
                    UUID(), EventCheckIns.kind, eventID, "", code, id, name, nil as String?, unit, at, nil as Date?, at, staff.userID,
                ])
            }
            // A walk-in at every other event.
            if index % 2 == 0 {
                let at = event.startsAt.addingTimeInterval(900)
                checkIns.append([
                    UUID(), EventCheckIns.kind, eventID, "", nil as String?, nil as UUID?, "现场登记" + names[index % names.count],
                    nil as String?, units[index % units.count], at, nil as Date?, at, staff.userID,
                ])
            }
            event.confirmedCount = count
            event.registrationSequence = count
        }
        try await context.insert(
            into: EventRegistration.schema,
            columns: [
                "id", "event_id", "status", "channel", "sequence", "user_id", "person_id", "name", "phone_cipher", "phone_lookup", "unit",
                "code",
                "consented_at", "registered_by", "created_at", "updated_at",
            ], rows: registrations, on: db)
        try await context.insert(
            into: CheckInRecord.schema,
            columns: [
                "id", "subject_kind", "subject_id", "session_key", "code", "registrant_id", "name", "phone_cipher", "unit", "checked_in_at",
                "scanned_at", "recorded_at", "recorded_by",
            ], rows: checkIns, on: db)
        for event in finished { try await event.update(on: db) }
        try await context.audit("events_registration", count: registrations.count + checkIns.count, summary: "活动报名与签到", on: db)
    }
}
