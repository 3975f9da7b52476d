import Fluent
import Foundation
import KexieKit
import Platform

/// The demo province's 诉求: 74 requests over the past six months, each taken through
/// the same intake and workflow steps as a real one (`IntakeService`, `CaseService`) with the clock
/// set to the day it happened, so history, deadlines, totals and notifications are what handling
/// would have left: waiting, accepted, 不予受理, in progress, answered, closed with ratings, some
/// adopted, some addressed to the counties; every demo account has asked at least one.
enum ServiceHallDemo {
    struct Topic {
        let type: CaseType
        let title: String
        let content: String
        let answer: String
    }

    static let topics: [Topic] = [
        Topic(
            type: .title, title: "基层农技人员职称评审条件咨询", content: "本人在乡镇农技站工作 12 年，中级职称满 6 年，想了解申报副高级农艺师需要哪些业绩材料，论文是否为必需条件。",
            answer: "基层农技人员可按“定向评价、定向使用”政策申报，论文不作硬性要求，可用推广报告、技术规程等代替，详见省人社厅今年的评审通知。"),
        Topic(
            type: .suggestion, title: "建议在县级设立科技志愿服务站", content: "乡镇群众对病虫害防治、养殖技术需求很大，建议在每个县设立科技志愿服务站，定期组织专家下乡服务。",
            answer: "感谢建议。我会已将县级科技志愿服务站纳入明年工作计划，首批在青石县、白沙县试点。"),
        Topic(
            type: .appeal, title: "学会年会注册费发票迟迟未开具", content: "上月参加学会年会缴纳了注册费 800 元，会务组承诺两周内开具发票，至今未收到，单位无法报销。",
            answer: "已督促学会秘书处核对，电子发票已于今日发送至您登记的邮箱，如仍未收到请致电学会办公室。"),
        Topic(
            type: .rights, title: "科研成果署名被他人冒用", content: "本人参与完成的芒果保鲜技术在某企业宣传材料中被冒用，未署本人及单位名称，希望科协协助维权。",
            answer: "已联系该企业核实并要求更正宣传材料，同时为您对接省科技工作者权益保护中心的律师，后续可依法主张权利。"),
        Topic(
            type: .legal, title: "技术转让合同条款咨询", content: "我们课题组准备向企业转让一项实用新型专利，想咨询合同中的入门费加提成条款如何约定比较合理。",
            answer: "建议约定入门费与按销售额提成相结合，并明确提成基数、结算周期和审计权利，可参考省技术市场发布的合同示范文本。"),
        Topic(
            type: .suggestion, title: "建议开放科技馆夜场", content: "暑期科技馆人流量大，很多双职工家庭只能晚上带孩子参观，建议暑期周五、周六开放夜场。",
            answer: "已转省科技馆研究，今年暑期周六将试行开放夜场至 20:30。"),
        Topic(
            type: .other, title: "科技工作者之家活动场地预约", content: "我们学会想在下月借用科技工作者之家报告厅举办学术沙龙，约 80 人，请问如何预约。",
            answer: "报告厅可通过省科协办公室预约，请提前 10 个工作日提交活动方案，场地免费使用。"),
        Topic(
            type: .appeal, title: "青少年科技创新大赛成绩查询", content: "孩子参加了今年的青少年科技创新大赛市级选拔，至今没有公布成绩，想了解何时公布以及复议渠道。",
            answer: "市级选拔成绩已在市科协网站公布，如对成绩有异议，可在公布后 7 日内向组委会提交书面复议申请。"),
        Topic(
            type: .title, title: "非公企业工程技术人员职称申报渠道", content: "我在民营新材料企业从事研发，单位没有职称评审权，请问可以通过什么渠道申报工程系列职称。",
            answer: "非公企业人员可通过属地人社部门或省科协委托的学会申报，本年度申报渠道已在省科协网站公布。"),
        Topic(
            type: .suggestion, title: "建议学会会费支持线上缴纳", content: "目前会费需要到学会办公室现场缴纳或对公转账，不太方便，建议增加线上缴费方式。",
            answer: "感谢建议，省属学会将于下半年统一开通线上缴费，届时会在学会网站通知。"),
        Topic(
            type: .rights, title: "外聘专家劳务费长期拖欠", content: "本人受某县农业部门邀请担任技术顾问，完成服务已半年，约定的劳务费至今未支付。",
            answer: "已与该县农业农村局沟通，对方确认将在本月内支付，如逾期未付可再次反映。"),
        Topic(
            type: .other, title: "科普讲解员培训报名", content: "我是一名退休中学教师，想参加科普讲解员培训并成为科普志愿者，请问如何报名。",
            answer: "欢迎加入。今年第二期科普讲解员培训将于下月开班，可在“科普云海”公众号报名。"),
    ]

    static let refusals = ["所反映事项属于劳动仲裁受理范围，请向当地劳动人事争议仲裁委员会申请", "内容不具体，无法受理，请补充具体单位和事项后重新提交", "属于司法程序已处理的事项，依法不予受理"]
    static let comments = ["答复及时，问题已解决", "态度很好，感谢", "处理较慢，但结果满意", "基本解决", "希望后续跟进"]

    enum Outcome { case pending, rejected, accepted, inProgress, answered, rated, autoClosed }

    static func load(on db: any Database, context: DemoContext) async throws {
        guard try await ServiceCase.query(on: db).count() == 0 else { return }
        var random = context.random("servicehall")
        let dispatcher = try await context.actor("demo.orgadmin", on: db)
        let handler = try await context.actor("demo.staff", on: db)
        let county1 = try await context.actor("demo.county1", on: db)
        let county2 = try await context.actor("demo.county2", on: db)
        let society = try await context.actor("demo.society", on: db)
        guard let provinceID = dispatcher.actingOrganizationID, let county1ID = county1.actingOrganizationID,
            let county2ID = county2.actingOrganizationID, let societyID = society.actingOrganizationID,
            let popularization = try await Department.query(on: db).filter(\.$organizationID == provinceID).filter(\.$name == "科普部")
                .first()?.id
        else { return }
        let coDepartment = try await Department.query(on: db).filter(\.$organizationID == provinceID).filter(\.$name == "学会部").first()?.id
        let usernames = [
            "demo.member", "demo.expert", "demo.enterprise", "demo.staff", "demo.orgadmin", "demo.society", "demo.county1", "demo.county2",
            "demo.sysadmin", "demo.secadmin", "demo.auditor",
        ]
        var requesters: [Actor] = []
        for name in usernames { requesters.append(try await context.actor(name, on: db)) }
        try await rules(provinceID: provinceID, counties: [county1ID, county2ID], on: db, context: context)

        // The plan: how far each case got, newest first (index 0 came in today).
        var plan: [(daysAgo: Int, outcome: Outcome, county: Int?)] = []
        for index in 0..<60 {
            let daysAgo = index * 180 / 60 + random.int(0...1)
            let outcome: Outcome
            switch daysAgo {
            case ..<3: outcome = index % 3 == 0 ? .accepted : .pending
            case ..<14: outcome = [.inProgress, .answered, .answered, .accepted, .rejected][index % 5]
            case ..<30: outcome = [.inProgress, .rated, .rejected, .rated, .answered][index % 5]
            default: outcome = [.rated, .rated, .autoClosed, .rejected, .rated][index % 5]
            }
            plan.append((daysAgo, outcome, index % 7 == 3 ? 0 : index % 7 == 5 ? 1 : nil))
        }
        // The province's office has something of every state at hand whatever the rotation gave.
        plan += [(2, .pending, nil), (5, .inProgress, nil), (6, .answered, nil), (9, .rejected, nil), (21, .inProgress, nil)]
        // The counties and the rubber society (addressed to them directly): one of each of their states.
        plan += [
            (1, .pending, 0), (2, .accepted, 0), (12, .rejected, 0), (1, .pending, 1), (4, .accepted, 1), (30, .rejected, 1),
            (2, .pending, 2),
            (9, .accepted, 2), (40, .rejected, 2),
        ]
        let calendar = try await CalendarService(db: db).calendar()
        let policies = try await TimeLimitStore.policies(on: db)
        var written: [ServiceCase] = []
        var history: [WorkflowStepRecord] = []
        for (index, step) in plan.enumerated() {
            let topic = topics[(index * 5 + random.int(0..<3)) % topics.count]
            // Every demo account has asked something; the rest came in without an account.
            let requester: Actor? = index < requesters.count ? requesters[index] : (index % 3 == 0 ? requesters[index % 3] : nil)
            // The demo accounts' own cases go through the services step by step (with their
            // notifications); the rest are written with the fields, deadlines and history those steps leave.
            if index >= requesters.count {
                let office = step.county.map { [county1, county2, society][$0] } ?? dispatcher
                let (record, steps) = try past(
                    topic: topic, index: index, daysAgo: step.daysAgo, outcome: step.outcome, requester: requester,
                    dispatcher: office, handler: handler, department: popularization, coDepartment: coDepartment,
                    organizationID: office.actingOrganizationID ?? provinceID, context: context, calendar: calendar, policies: policies,
                    random: &random)
                written.append(record)
                history += steps
                continue
            }
            let at = context.services(daysAgo: step.daysAgo, minutes: random.int(0..<480))
            let intake = IntakeService(db: db, services: at)
            var submission = IntakeService.Submission(
                type: topic.type.rawValue, title: topic.title, content: topic.content, isPublic: index % 4 != 1, contactName: nil,
                contactPhone: nil)
            if requester == nil || requester?.username.hasPrefix("demo.") == true {
                submission.contactName = requester == nil ? DemoPeople.surnames[index % DemoPeople.surnames.count] + "先生" : nil
                submission.contactPhone = "1990000" + String(1000 + index)
            }
            let countyID = step.county.map { [county1ID, county2ID, societyID][$0] }
            submission.addressedTo = countyID
            let record = try await intake.submit(submission, actor: requester, clientAddress: "10.8.\(index / 200).\(index % 200)")
            let id = try record.requireID()
            func act(_ action: ServiceHallCaseWorkflow.Action, _ actor: Actor, after days: Int, _ input: CaseService.StepInput = .init())
                async throws
            {
                let when = max(0, step.daysAgo - days)
                _ = try await CaseService(db: db, services: context.services(daysAgo: when, minutes: random.int(0..<60))).perform(
                    action, on: id, input: input, actor: actor)
            }
            let office = step.county.map { [county1, county2, society][$0] } ?? dispatcher
            switch step.outcome {
            case .pending: continue
            case .rejected:
                try await act(.reject, office, after: 1, .init(comment: refusals[index % refusals.count]))
                continue
            default: try await act(.accept, office, after: 1)
            }
            // County and society cases stop at 已受理 (they have no departments to hand them to).
            guard step.county == nil, step.outcome != .accepted else { continue }
            var assign = CaseService.StepInput(departmentID: popularization)
            if index % 6 == 0, let coDepartment { assign.coDepartmentIDs = [coDepartment] }
            try await act(.assign, dispatcher, after: 1, assign)
            guard step.outcome != .inProgress else { continue }
            // Answered ones were answered in the last three days (the timer closes them a week later).
            let answerAfter = step.outcome == .answered ? step.daysAgo - min(step.daysAgo, 1 + index % 3) : min(step.daysAgo, 2 + index % 9)
            try await act(.answer, handler, after: answerAfter, .init(comment: topic.answer))
            if step.outcome == .rated, let requester {
                try await act(
                    .rate, requester, after: min(step.daysAgo, answerAfter + 1 + index % 3),
                    .init(comment: comments[index % comments.count], rating: [5, 5, 4, 5, 3, 4, 2][index % 7]))
            } else if step.outcome == .rated || step.outcome == .autoClosed, step.daysAgo - answerAfter >= 8 {
                _ = try await CaseService(db: db, services: context.services(daysAgo: step.daysAgo - answerAfter - 8)).perform(
                    .autoClose, on: id, input: .init(), actor: .system, asSystem: true)
            }
            if topic.type == .suggestion, step.outcome == .rated || step.outcome == .autoClosed, index % 2 == 0 {
                _ = try await CaseService(db: db, services: context.services(daysAgo: max(0, step.daysAgo - 14))).adopt(
                    id, note: "已纳入本年度工作安排，按建议组织实施。", actor: dispatcher)
            }
        }
        // The cases one by one (each audited: the audit chain takes its rows in order), their history in
        // one INSERT, then the totals once.
        for record in written { try await record.create(on: db) }
        try await history.create(on: db)
        try await CaseTotals.refresh(Set(written.map(CaseTotals.Group.init)), on: db)
    }

    /// One of the province's past cases as the steps would have left it, with its history rows.
    static func past(
        topic: Topic, index: Int, daysAgo: Int, outcome: Outcome, requester: Actor?, dispatcher: Actor, handler: Actor,
        department: UUID, coDepartment: UUID?, organizationID: UUID, context: DemoContext, calendar: WorkingDayCalendar,
        policies: TimeLimitPolicies, random: inout SeededRandom
    ) throws -> (ServiceCase, [WorkflowStepRecord]) {
        let secrets = context.services.secrets
        let today = context.today
        let received = today.adding(days: -daysAgo)
        let policy = policies.policy(for: topic.type.rawValue)
        let record = ServiceCase()
        let id = UUID()
        record.id = id
        record.trackingCode = TrackingCode.generate().description
        record.type = topic.type
        record.title = topic.title
        record.content = topic.content
        record.isPublic = index % 4 != 1
        record.state = .pending
        record.requesterUserID = requester?.userID
        record.contactName = requester?.displayName ?? DemoPeople.surnames[index % DemoPeople.surnames.count] + "女士"
        let phone = "1990000" + String(1000 + index)
        record.contactPhoneCipher = try secrets.seal(phone)
        record.contactPhoneLookup = secrets.lookupHash("phone:" + phone)
        record.submitterLookup = secrets.lookupHash("addr:10.8.\(index / 200).\(index % 200)")
        record.organizationID = organizationID
        record.submittedAt = context.now.addingTimeInterval(-Double(daysAgo) * 86_400 - Double(random.int(0..<480)) * 60)
        record.receivedOn = received
        let limit = policy.acceptanceLimit(receivedOn: received, calendar: calendar)
        record.acceptDue = limit.due
        record.dueProvisional = limit.provisional
        record.routingNote = "未匹配分派规则，进入办公室待分派"
        record.coDepartmentIDs = []
        var steps: [WorkflowStepRecord] = []
        func step(
            _ action: ServiceHallCaseWorkflow.Action, _ to: ServiceHallCaseWorkflow.State, _ actor: Actor, on day: Day, _ comment: String?
        ) {
            let row = WorkflowStepRecord()
            row.process = ServiceHallModule.subjects.process
            row.subjectID = id
            row.sequence = steps.count + 1
            row.action = action.rawValue
            row.fromState = record.state.rawValue
            row.toState = to.rawValue
            row.comment = comment
            row.actorID = actor.userID.uuidString
            row.actorName = actor.displayName
            row.organizationID = actor.actingOrganizationID
            row.at = context.now.addingTimeInterval(-Double(day.days(to: today)) * 86_400 + Double(steps.count + 1) * 600)
            steps.append(row)
            record.state = to
        }
        let accepted = min(today, received.adding(days: 1))
        switch outcome {
        case .pending: return (record, steps)
        case .rejected:
            step(.reject, .rejected, dispatcher, on: accepted, refusals[index % refusals.count])
            record.closedOn = accepted
            return (record, steps)
        default:
            step(.accept, .accepted, dispatcher, on: accepted, nil)
            record.acceptedOn = accepted
            record.answerDue = calendar.addWorkingDays(from: accepted, days: policy.answerWorkingDays).date
        }
        // A county or society has no departments to hand a case to: its cases stop at 已受理 here.
        guard outcome != .accepted, organizationID == handler.actingOrganizationID else { return (record, steps) }
        step(.assign, .inProgress, dispatcher, on: min(today, accepted.adding(days: 1)), nil)
        record.departmentID = department
        if index % 6 == 0, let coDepartment { record.coDepartmentIDs = [coDepartment] }
        guard outcome != .inProgress else { return (record, steps) }
        let answerAfter = outcome == .answered ? daysAgo - min(daysAgo, 1 + index % 3) : min(daysAgo, 2 + index % 9)
        let answered = received.adding(days: answerAfter)
        step(.answer, .answered, handler, on: answered, topic.answer)
        record.answer = topic.answer
        record.answeredOn = answered
        record.answerWorkingDays = calendar.workingDays(between: received, and: answered)
        record.answeredOnTime = record.answerDue.map { answered <= $0 } ?? true
        if outcome == .rated, let requester {
            let closed = min(today, answered.adding(days: 1 + index % 3))
            record.rating = [5, 5, 4, 5, 3, 4, 2][index % 7]
            record.ratingComment = comments[index % comments.count]
            step(.rate, .closed, requester, on: closed, record.ratingComment)
            record.closedOn = closed
        } else if outcome == .rated || outcome == .autoClosed, answered.days(to: today) >= 8 {
            let closed = answered.adding(days: 8)
            step(.autoClose, .closed, Actor.system, on: closed, nil)
            record.closedOn = closed
        }
        if topic.type == .suggestion, record.state == .closed, index % 2 == 0, let closed = record.closedOn {
            record.adoptedOn = closed
            record.adoptionNote = "已纳入本年度工作安排，按建议组织实施。"
            let row = WorkflowStepRecord()
            row.process = ServiceHallModule.subjects.process
            row.subjectID = id
            row.sequence = steps.count + 1
            row.action = "adopt"
            row.fromState = record.state.rawValue
            row.toState = record.state.rawValue
            row.comment = record.adoptionNote
            row.actorID = dispatcher.userID.uuidString
            row.actorName = dispatcher.displayName
            row.organizationID = dispatcher.actingOrganizationID
            row.at = context.now.addingTimeInterval(-Double(closed.days(to: today)) * 86_400 + 7200)
            steps.append(row)
        }
        return (record, steps)
    }

    /// 分派规则: the province sends 职称 questions to the 组织人事部's city and legal questions on; each
    /// county routes requests naming its towns to itself.
    static func rules(provinceID: UUID, counties: [UUID], on db: any Database, context: DemoContext) async throws {
        guard try await RoutingRuleRecord.query(on: db).count() == 0 else { return }
        let cityID = try await Organization.query(on: db).filter(\.$level == .city).sort(\.$name).first()?.id ?? provinceID
        let rules: [(UUID, [CaseType], [String], UUID, Int)] = [
            (provinceID, [.legal], ["东港"], cityID, 10), (provinceID, [], ["青石县"], counties[0], 20),
            (provinceID, [], ["白沙县"], counties[1], 20),
            (counties[0], [.title], ["农技"], counties[0], 5), (counties[1], [.rights], [], counties[1], 5),
        ]
        for (owner, types, keywords, target, priority) in rules {
            let rule = RoutingRuleRecord()
            rule.organizationID = owner
            rule.caseTypes = types
            rule.keywords = keywords
            rule.targetOrganizationID = target
            rule.priority = priority
            rule.isActive = true
            try await rule.create(on: db)
        }
    }
}
