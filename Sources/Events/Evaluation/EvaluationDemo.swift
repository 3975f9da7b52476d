import Fluent
import Foundation
import KexieKit
import Platform

/// The populated province after its events: the finished events get confirmed registrations,
/// participants' evaluations (scores and a few comments) and, all but the latest two, the organizer's
/// report; 演示科技工作者 (demo.member) attended two of them, evaluated the first and has the latest
/// still to evaluate. Written straight as rows (demo data, not requests).
enum EvaluationDemo {
    static let names = [
        "林晓峰", "黄丽娟", "陈志刚", "吴海燕", "周建华", "郑美玲", "王立新", "符春花", "邢国强", "羊秀英", "蔡文斌", "云海波", "李俊杰", "张晓红", "刘建军", "许雅琴",
        "何振宇", "冯丽萍",
    ]
    static let units = ["云海大学", "云海省热带农业科学院", "东港市人民医院", "云海理工学院", "西林市农业技术推广中心", "云海能源集团"]
    static let comments = [
        "报告内容很实用，希望多组织此类活动。", "会场有点拥挤，建议提前公布座位安排。", "专家讲得深入浅出，收获很大。", "希望增加互动交流时间。", "通知发得有点晚，建议提前一周。",
        "对接环节效果好，已和两家企业建立联系。",
    ]

    static func load(on db: any Database, context: DemoContext) async throws {
        guard try await EventEvaluation.query(on: db).count() == 0 else { return }
        let events = try await Event.query(on: db).filter(\.$state == .finished).sort(\.$startsAt).sort(\.$id).limit(12).all()
        guard !events.isEmpty else { return }
        let ids = try events.map { try $0.requireID() }
        let speakers = Dictionary(grouping: try await EventSpeaker.query(on: db).filter(\.$eventID ~~ ids).all(), by: \.eventID)
        let member = try await User.query(on: db).filter(\.$username == "demo.member").first()
        let filer = try await context.actor("demo.orgadmin", on: db)
        var random = context.random("events.evaluation")
        func draw(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        var evaluations = 0
        var reports = 0
        var registrationRows: [[(any Encodable & Sendable)?]] = []
        var evaluationRows: [[(any Encodable & Sendable)?]] = []
        var ratingRows: [[(any Encodable & Sendable)?]] = []
        for (index, event) in events.enumerated() {
            let eventID = try event.requireID()
            let people = 8 + draw(0...10)
            let memberHere = member != nil && (index == 0 || index == events.count - 1)
            var sequence = event.registrationSequence
            let good = index % 3 != 1
            for n in 0..<(people + (memberHere ? 1 : 0)) {
                sequence += 1
                let isMember = memberHere && n == people
                let registrationID = UUID()
                let userID = isMember ? member?.id : nil
                registrationRows.append([
                    registrationID, eventID, EventRegistration.Status.confirmed.rawValue, EventRegistration.Channel.staff.rawValue,
                    sequence,
                    userID, nil as UUID?, isMember ? (member?.displayName ?? "演示科技工作者") : names[(index * 5 + n) % names.count],
                    nil as String?, nil as String?, units[(index + n) % units.count], CheckInCode.generate().canonical, nil as Date?,
                    filer.userID, context.now, context.now,
                ])
                // The member evaluated the first event and has the latest still to do; 3 in 4 others evaluate.
                let evaluates = isMember ? index == 0 : draw(0...3) > 0
                guard evaluates else { continue }
                // Evaluations and speakers' ratings are written together at the end (two statements).
                let evaluationID = UUID()
                evaluationRows.append([
                    evaluationID, eventID, registrationID, userID, good ? draw(4...5) : draw(3...5),
                    good ? draw(3...5) : draw(2...4), draw(0...2) == 0 ? comments[(index + n) % comments.count] : "", context.now,
                    context.now,
                ])
                for speaker in speakers[eventID] ?? [] {
                    ratingRows.append([UUID(), evaluationID, eventID, try speaker.requireID(), good ? draw(4...5) : draw(3...5)])
                }
                evaluations += 1
            }
            event.registrationSequence = sequence
            event.confirmedCount += people + (memberHere ? 1 : 0)
            try await event.update(on: db)
            guard index < events.count - 2 else { continue }
            let report = EventReport()
            report.eventID = eventID
            report.checkedIn = 0
            report.attendance = max(people - draw(0...2), 1) + (event.capacity.map { $0 / 3 } ?? 40)
            report.attendanceReason = "现场使用纸质签到表，按签到表统计"
            report.adviceCount = draw(0...2)
            report.paperCount = event.kind == .conference ? draw(5...30) : draw(0...3)
            report.dockingCount = [.forum, .conference].contains(event.kind) ? draw(1...6) : draw(0...1)
            report.outputsNote = report.dockingCount > 0 ? "现场签订合作协议 \(report.dockingCount) 项，形成专家建议报送有关部门。" : "形成会议纪要一份。"
            report.filedBy = filer.userID
            try await report.create(on: db)
            reports += 1
        }
        try await context.insert(
            into: EventRegistration.schema,
            columns: [
                "id", "event_id", "status", "channel", "sequence", "user_id", "person_id", "name", "phone_cipher", "phone_lookup", "unit",
                "code",
                "consented_at", "registered_by", "created_at", "updated_at",
            ], rows: registrationRows, on: db)
        try await context.insert(
            into: EventEvaluation.schema,
            columns: [
                "id", "event_id", "registration_id", "user_id", "content_score", "organization_score", "comment", "created_at",
                "updated_at",
            ],
            rows: evaluationRows, on: db)
        try await context.insert(
            into: EventSpeakerRating.schema, columns: ["id", "evaluation_id", "event_id", "speaker_id", "score"], rows: ratingRows, on: db)
        try await context.audit("events_evaluation", count: evaluations, summary: "活动评价", on: db)
        try await context.audit("events_report", count: reports, summary: "活动总结", on: db)
    }
}
