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
        for (index, event) in events.enumerated() {
            let eventID = try event.requireID()
            let people = 8 + draw(0...10)
            let memberHere = member != nil && (index == 0 || index == events.count - 1)
            var sequence = event.registrationSequence
            let good = index % 3 != 1
            for n in 0..<(people + (memberHere ? 1 : 0)) {
                sequence += 1
                let registration = EventRegistration()
                registration.eventID = eventID
                registration.status = .confirmed
                registration.channel = .staff
                registration.sequence = sequence
                let isMember = memberHere && n == people
                registration.name = isMember ? (member?.displayName ?? "演示科技工作者") : names[(index * 5 + n) % names.count]
                registration.unit = units[(index + n) % units.count]
                registration.userID = isMember ? member?.id : nil
                registration.code = CheckInCode.generate().canonical
                registration.registeredBy = filer.userID
                try await registration.create(on: db)
                // The member evaluated the first event and has the latest still to do; 3 in 4 others evaluate.
                let evaluates = isMember ? index == 0 : draw(0...3) > 0
                guard evaluates else { continue }
                let evaluation = EventEvaluation()
                evaluation.eventID = eventID
                evaluation.registrationID = try registration.requireID()
                evaluation.userID = registration.userID
                evaluation.contentScore = good ? draw(4...5) : draw(3...5)
                evaluation.organizationScore = good ? draw(3...5) : draw(2...4)
                evaluation.comment = draw(0...2) == 0 ? comments[(index + n) % comments.count] : ""
                try await evaluation.create(on: db)
                for speaker in speakers[eventID] ?? [] {
                    let rating = EventSpeakerRating()
                    rating.evaluationID = try evaluation.requireID()
                    rating.eventID = eventID
                    rating.speakerID = try speaker.requireID()
                    rating.score = good ? draw(4...5) : draw(3...5)
                    try await rating.create(on: db)
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
        try await context.audit("events_evaluation", count: evaluations, summary: "活动评价", on: db)
        try await context.audit("events_report", count: reports, summary: "活动总结", on: db)
    }
}
