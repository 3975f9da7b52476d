import Fluent
import Foundation
import KexieKit
import Platform

/// The populated province's academic year 2026: about forty events of the province association, the
/// four city associations and the societies — 学术年会, 海南省科技论坛-style forums, 院士专家报告会,
/// 学术沙龙, 农村电商技能培训, 全国科普日 — with sessions and speakers, made through `EventService` and
/// its workflow: past ones finished (one cancelled), upcoming ones published with registration open, a
/// few submitted or in draft.
enum EventsProvinceDemo {
    struct Seed {
        let title: String
        let kind: Event.Kind
        let level: Event.Level
        /// Organizer's name.
        let organizer: String
        /// 2026-MM-DD.
        let day: String
        let startHour: Int
        let hours: Int
        /// Extra days (multi-day meetings).
        let days: Int
        let venue: String
        let capacity: Int?
        let summary: String
        let field: String
    }

    static let speakers: [(String, String, String)] = [
        ("王建国", "中国工程院院士 · 云海大学", "热带农业科技创新与乡村振兴"),
        ("李秀英", "研究员 · 云海省热带农业科学院", "天然橡胶产业的绿色转型"),
        ("张明远", "教授 · 云海理工学院", "海上风电装备的腐蚀与防护"),
        ("陈静", "主任医师 · 东港市人民医院", "基层慢病管理的数字化实践"),
        ("刘海涛", "中国科学院院士 · 中国科学院南海海洋研究所", "深海科技与海洋强省"),
        ("赵丽华", "高级工程师 · 云海能源集团", "新型储能技术路线与应用"),
        ("黄志强", "教授 · 云海大学计算机学院", "大模型在政务服务中的应用"),
        ("周晓梅", "科普作家 · 云海省科普作家协会", "如何把科学讲给孩子听"),
        ("吴国平", "农技推广研究员 · 西林市农业技术推广中心", "农产品电商直播与品牌打造"),
        ("郑宏", "教授级高工 · 云海省化工学会", "绿色化工与循环经济"),
    ]

    static let seeds: [Seed] = [
        Seed(
            title: "2026 年云海省科协学术年会", kind: .conference, level: .provincial, organizer: "云海省科学技术协会", day: "2026-10-15", startHour: 9,
            hours: 8, days: 1, venue: "云海国际会展中心", capacity: 800, summary: "全省科技工作者的年度学术盛会，设主论坛和 12 个分会场。", field: "综合"),
        Seed(
            title: "第十届云海科技论坛：数字经济与海洋强省", kind: .forum, level: .national, organizer: "云海省科学技术协会", day: "2026-12-10",
            startHour: 9, hours: 8, days: 1, venue: "云海国际会展中心 A 馆", capacity: 600, summary: "围绕数字经济、海洋科技和自贸港建设的高端论坛。", field: "海洋科学"),
        Seed(
            title: "院士专家报告会：深海科技前沿", kind: .lecture, level: .provincial, organizer: "云海省科学技术协会", day: "2026-03-20", startHour: 14,
            hours: 3, days: 0, venue: "云海省科技会堂报告厅", capacity: 300, summary: "院士专家解读深海探测与深海资源开发的最新进展。", field: "海洋科学"),
        Seed(
            title: "院士专家报告会：热带农业与乡村振兴", kind: .lecture, level: .provincial, organizer: "云海省科学技术协会", day: "2026-06-12",
            startHour: 14, hours: 3, days: 0, venue: "云海省科技会堂报告厅", capacity: 300, summary: "面向基层农技人员和种植大户的院士报告。", field: "作物学"),
        Seed(
            title: "院士专家报告会：新型储能与能源安全", kind: .lecture, level: .provincial, organizer: "云海省科学技术协会", day: "2026-12-18",
            startHour: 14, hours: 3, days: 0, venue: "云海省科技会堂报告厅", capacity: 300, summary: "储能技术路线、安全与产业布局。", field: "能源科学"),
        Seed(
            title: "2026 全国科普日云海主场活动", kind: .popularization, level: .national, organizer: "云海省科学技术协会", day: "2026-09-19",
            startHour: 9, hours: 7, days: 1, venue: "云海省科技馆", capacity: nil, summary: "全国科普日主场活动，科普展览、科学实验秀和院士讲座。", field: "科普"),
        Seed(
            title: "全国科技工作者日座谈会", kind: .forum, level: .provincial, organizer: "云海省科学技术协会", day: "2026-05-30", startHour: 9,
            hours: 3, days: 0, venue: "云海省科协 5 楼会议室", capacity: 80, summary: "科技工作者代表座谈，听取意见建议。", field: "综合"),
        Seed(
            title: "农村电商技能人才培训班（第一期）", kind: .training, level: .provincial, organizer: "云海省科学技术协会", day: "2026-04-13",
            startHour: 9, hours: 8, days: 4, venue: "云海省农业干部学校", capacity: 120, summary: "直播带货、网店运营、农产品品牌与冷链物流实训。", field: "电子商务"),
        Seed(
            title: "农村电商技能人才培训班（第二期）", kind: .training, level: .provincial, organizer: "西林市科学技术协会", day: "2026-12-14",
            startHour: 9, hours: 8, days: 4, venue: "西林市电商产业园培训中心", capacity: 100, summary: "面向返乡青年和合作社的电商实训。", field: "电子商务"),
        Seed(
            title: "农村电商技能人才培训班（第三期）", kind: .training, level: .local, organizer: "南川市科学技术协会", day: "2027-01-11",
            startHour: 9, hours: 8, days: 2, venue: "南川市职业技术学校", capacity: 80, summary: "农产品短视频拍摄与网店装修。", field: "电子商务"),
        Seed(
            title: "热带作物学术年会", kind: .conference, level: .provincial, organizer: "云海省热带作物学会", day: "2026-11-05", startHour: 9,
            hours: 8, days: 1, venue: "云海大学学术交流中心", capacity: 250, summary: "橡胶、椰子、槟榔等热带作物育种、栽培和植保研究交流。", field: "作物学"),
        Seed(
            title: "天然橡胶产业发展论坛", kind: .forum, level: .regional, organizer: "云海省橡胶学会", day: "2026-08-21", startHour: 9, hours: 6,
            days: 0, venue: "东港市国际会议中心", capacity: 200, summary: "华南三省区天然橡胶产业链上下游对话。", field: "材料科学"),
        Seed(
            title: "橡胶材料青年学者沙龙", kind: .salon, level: .provincial, organizer: "云海省橡胶学会", day: "2026-12-22", startHour: 14, hours: 3,
            days: 0, venue: "云海理工学院材料楼 201", capacity: 40, summary: "青年学者分享橡胶改性与回收利用研究。", field: "材料科学"),
        Seed(
            title: "智慧医疗与基层卫生学术会议", kind: .conference, level: .provincial, organizer: "云海省医学会", day: "2026-07-09", startHour: 9,
            hours: 8, days: 1, venue: "东港市人民医院学术报告厅", capacity: 300, summary: "远程医疗、慢病管理和基层卫生信息化。", field: "临床医学"),
        Seed(
            title: "全科医生继续教育培训", kind: .training, level: .provincial, organizer: "云海省医学会", day: "2026-12-05", startHour: 9, hours: 8,
            days: 2, venue: "云海医学院继续教育中心", capacity: 150, summary: "常见病、多发病诊疗规范更新。", field: "临床医学"),
        Seed(
            title: "人工智能与政务服务学术沙龙", kind: .salon, level: .provincial, organizer: "云海省计算机学会", day: "2026-04-25", startHour: 14,
            hours: 3, days: 0, venue: "云海大学计算机学院报告厅", capacity: 60, summary: "大模型落地政务服务的经验与风险。", field: "计算机科学"),
        Seed(
            title: "第五届云海程序设计竞赛", kind: .competition, level: .provincial, organizer: "云海省计算机学会", day: "2026-12-26", startHour: 9,
            hours: 6, days: 0, venue: "云海理工学院实验楼", capacity: 300, summary: "面向高校学生的程序设计团体赛。", field: "计算机科学"),
        Seed(
            title: "海洋生态保护学术研讨会", kind: .conference, level: .regional, organizer: "云海省海洋学会", day: "2026-06-05", startHour: 9,
            hours: 8, days: 1, venue: "南川市海洋科技馆", capacity: 180, summary: "珊瑚礁修复、红树林保护与海洋牧场。", field: "海洋科学"),
        Seed(
            title: "世界海洋日科普活动", kind: .popularization, level: .provincial, organizer: "云海省海洋学会", day: "2026-06-08", startHour: 9,
            hours: 6, days: 0, venue: "南川市海滨公园", capacity: nil, summary: "海洋知识展板、标本展示和亲子互动。", field: "海洋科学"),
        Seed(
            title: "智能制造与装备创新论坛", kind: .forum, level: .provincial, organizer: "云海省机械工程学会", day: "2026-09-10", startHour: 9,
            hours: 6, days: 0, venue: "北原市高新区会展中心", capacity: 200, summary: "工业机器人、数控装备与数字化车间。", field: "机械工程"),
        Seed(
            title: "绿色化工与循环经济研讨会", kind: .conference, level: .provincial, organizer: "云海省化工学会", day: "2026-10-28", startHour: 9,
            hours: 7, days: 0, venue: "北原市化工园区管委会", capacity: 150, summary: "园区循环化改造与危废资源化。", field: "化学工程"),
        Seed(
            title: "科普创作研修班", kind: .training, level: .provincial, organizer: "云海省科普作家协会", day: "2026-12-28", startHour: 9, hours: 8,
            days: 1, venue: "云海省科技馆培训室", capacity: 50, summary: "科普文章、短视频和科学绘本创作。", field: "科普"),
        Seed(
            title: "青年科技工作者创新沙龙", kind: .salon, level: .provincial, organizer: "云海省青年科技工作者协会", day: "2026-05-16", startHour: 14,
            hours: 3, days: 0, venue: "云海省科技会堂 2 楼", capacity: 50, summary: "青年科技工作者交流科研与创业经历。", field: "综合"),
        Seed(
            title: "东港市学术年会", kind: .conference, level: .local, organizer: "东港市科学技术协会", day: "2026-11-20", startHour: 9, hours: 7,
            days: 0, venue: "东港市会议中心", capacity: 300, summary: "东港市科技工作者年度学术交流。", field: "综合"),
        Seed(
            title: "东港市院士专家基层行报告会", kind: .lecture, level: .local, organizer: "东港市科学技术协会", day: "2026-12-16", startHour: 9,
            hours: 3, days: 0, venue: "青石县会议中心", capacity: 200, summary: "院士专家走进县区，讲解热带水果产业技术。", field: "作物学"),
        Seed(
            title: "东港市科普日活动", kind: .popularization, level: .local, organizer: "东港市科学技术协会", day: "2026-09-19", startHour: 9, hours: 6,
            days: 0, venue: "东港市人民广场", capacity: nil, summary: "科普大篷车、应急演练和健康义诊。", field: "科普"),
        Seed(
            title: "西林市热带水果产业技术论坛", kind: .forum, level: .local, organizer: "西林市科学技术协会", day: "2026-07-24", startHour: 9, hours: 6,
            days: 0, venue: "西林市农业科技园", capacity: 150, summary: "芒果、荔枝、菠萝的品种改良与采后处理。", field: "园艺学"),
        Seed(
            title: "西林市青少年科技创新大赛", kind: .competition, level: .local, organizer: "西林市科学技术协会", day: "2026-04-18", startHour: 9,
            hours: 7, days: 1, venue: "西林市第一中学", capacity: 400, summary: "中小学生科技创新成果展示与评审。", field: "科普"),
        Seed(
            title: "南川市海洋经济论坛", kind: .forum, level: .local, organizer: "南川市科学技术协会", day: "2026-08-07", startHour: 9, hours: 6,
            days: 0, venue: "南川市海洋大厦", capacity: 150, summary: "深远海养殖与海洋旅游。", field: "海洋科学"),
        Seed(
            title: "南川市防灾减灾科普讲座", kind: .popularization, level: .local, organizer: "南川市科学技术协会", day: "2026-12-12", startHour: 15,
            hours: 2, days: 0, venue: "南川市图书馆报告厅", capacity: 120, summary: "台风、暴雨季节的家庭应急准备。", field: "科普"),
        Seed(
            title: "北原市智能制造培训班", kind: .training, level: .local, organizer: "北原市科学技术协会", day: "2026-03-09", startHour: 9, hours: 8,
            days: 2, venue: "北原市职业技能实训基地", capacity: 80, summary: "工业机器人操作与维护实训。", field: "机械工程"),
        Seed(
            title: "北原市院士专家报告会", kind: .lecture, level: .local, organizer: "北原市科学技术协会", day: "2026-12-19", startHour: 14, hours: 3,
            days: 0, venue: "北原市会议中心", capacity: 250, summary: "院士解读新材料产业发展趋势。", field: "材料科学"),
        Seed(
            title: "青石县农技推广培训", kind: .training, level: .local, organizer: "青石县科学技术协会", day: "2026-02-26", startHour: 9, hours: 6,
            days: 0, venue: "青石县农技中心", capacity: 100, summary: "春耕生产与热带水果病虫害防治。", field: "作物学"),
        Seed(
            title: "白沙县乡村医生培训", kind: .training, level: .local, organizer: "白沙县科学技术协会", day: "2026-12-08", startHour: 9, hours: 7,
            days: 0, venue: "白沙县人民医院", capacity: 60, summary: "常见急症处置与慢病随访。", field: "临床医学"),
        Seed(
            title: "国际热带农业科技合作研讨会", kind: .conference, level: .international, organizer: "云海省科学技术协会", day: "2026-11-26",
            startHour: 9, hours: 8, days: 2, venue: "云海国际会展中心 B 馆", capacity: 400, summary: "东盟国家热带农业科研机构合作交流。", field: "作物学"),
        Seed(
            title: "南海深海科技国际论坛", kind: .forum, level: .international, organizer: "云海省海洋学会", day: "2027-03-18", startHour: 9, hours: 8,
            days: 1, venue: "南川市国际会议中心", capacity: 500, summary: "深海探测装备、深海生物与国际合作。", field: "海洋科学"),
        Seed(
            title: "产业技术大会暨项目签约活动", kind: .conference, level: .provincial, organizer: "云海省科学技术协会", day: "2026-08-28", startHour: 9,
            hours: 6, days: 0, venue: "东港高新技术产业园区", capacity: 350, summary: "发布产业技术需求，现场签约科技合作项目。", field: "综合"),
        Seed(
            title: "医学人文与科普沙龙", kind: .salon, level: .provincial, organizer: "云海省医学会", day: "2027-01-16", startHour: 14, hours: 3,
            days: 0, venue: "云海省图书馆", capacity: 80, summary: "医生如何做好健康科普。", field: "临床医学"),
        Seed(
            title: "热带作物种质资源保护研讨会", kind: .conference, level: .national, organizer: "云海省热带作物学会", day: "2027-02-24", startHour: 9,
            hours: 8, days: 1, venue: "云海省热带农业科学院", capacity: 200, summary: "种质资源圃建设与数字化保存。", field: "作物学"),
        Seed(
            title: "机械工程学会青年沙龙", kind: .salon, level: .provincial, organizer: "云海省机械工程学会", day: "2026-12-03", startHour: 14, hours: 3,
            days: 0, venue: "云海理工学院机械楼", capacity: 40, summary: "青年学者交流智能装备研究。", field: "机械工程"),
    ]

    /// The province's 学术会议参会回执: the registration form its conferences and its societies' ask.
    static func conferenceReceipt(on db: any Database, context: DemoContext, admin: Actor) async throws -> UUID? {
        guard let province = admin.actingOrganizationID else { return nil }
        let forms = FormService(db: db, services: context.services)
        let definition = FormDefinition(sections: [
            FormSection(
                title: "参会回执",
                fields: [
                    FormField(key: "role", label: "参会身份", kind: .singleChoice(options: ["参会代表", "报告人", "学生"]), required: true),
                    FormField(key: "meal", label: "会议用餐", kind: .singleChoice(options: ["需要", "不需要"]), required: true),
                    FormField(
                        key: "lodging", label: "住宿", help: "会务组协议酒店，费用自理",
                        kind: .singleChoice(options: ["不需要", "单间", "标准间（合住）"]), required: true),
                    FormField(key: "paper", label: "拟提交论文题目（选填）", kind: .text, rules: FormFieldRules(maxLength: 100)),
                ])
        ])
        let form = try await forms.create(
            title: "学术会议参会回执", details: "报名学术会议时填写，用于安排用餐、住宿和分会场。", organizationID: province, actor: admin,
            definition: definition, ownerModule: EventsModule.formOwner)
        let id = try form.requireID()
        _ = try await forms.publish(id, actor: admin)
        return id
    }

    static func load(on db: any Database, context: DemoContext) async throws {
        guard try await Event.query(on: db).count() < 10 else { return }
        let organizations = try await Organization.query(on: db).all()
        let byName = Dictionary(organizations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let admin = try await context.actor("demo.orgadmin", on: db)
        let staff = try await context.actor("demo.staff", on: db)
        let service = EventService(db: db, services: context.services)
        let now = context.now
        var random = context.random("events")
        var count = 0
        let receipt = try await conferenceReceipt(on: db, context: context, admin: admin)
        for (index, seed) in seeds.enumerated() {
            guard let organizer = byName[seed.organizer], let organizerID = organizer.id, let start = Day(seed.day) else { continue }
            let end = start.adding(days: seed.days)
            func time(_ day: Day, _ hour: Int) -> String { String(format: "%@T%02d:00", day.description, hour) }
            var input = EventService.Input()
            input.title = seed.title
            input.summary = seed.summary
            input.kind = seed.kind.rawValue
            input.level = seed.level.rawValue
            input.field = seed.field
            input.startsAt = time(start, seed.startHour)
            input.endsAt = time(end, min(23, seed.startHour + seed.hours))
            input.venue = seed.venue
            input.capacity = seed.capacity.map(String.init) ?? ""
            input.waitlist = seed.capacity != nil && index % 3 != 0
            input.audience = seed.kind == .training && index % 2 == 0 ? Event.Audience.invited.rawValue : Event.Audience.public.rawValue
            input.feeNote = seed.kind == .conference ? "会务费 600 元（会员 400 元），学生凭证免费" : "免费"
            input.organization = organizerID.uuidString
            // Conferences ask the province's 参会回执 (a shared form) when people register.
            if seed.kind == .conference, organizer.parentID == nil || seed.organizer.hasSuffix("学会") { input.form = receipt?.uuidString }
            let opens = start.adding(days: -30)
            input.registrationOpensAt = time(opens, 9)
            input.registrationClosesAt = time(start.adding(days: -1), 18)
            if seed.organizer != "云海省科学技术协会", let province = organizations.first(where: { $0.parentID == nil }), index % 4 == 1 {
                input.coOrganizers = [province.id?.uuidString ?? ""]
            }
            // A programme: a morning and, for longer events, an afternoon; one to three speakers.
            if seed.hours >= 6 {
                input.sessions = [
                    EventService.SessionInput(
                        title: "开幕式与主旨报告", startsAt: time(start, seed.startHour), endsAt: time(start, seed.startHour + 3), room: "主会场"),
                    EventService.SessionInput(
                        title: seed.kind == .training ? "实训与答疑" : "专题交流", startsAt: time(start, seed.startHour + 4),
                        endsAt: time(start, min(23, seed.startHour + seed.hours)), room: seed.kind == .training ? "实训室" : "分会场"),
                ]
            } else {
                input.sessions = [
                    EventService.SessionInput(
                        title: seed.kind == .salon ? "主题分享与讨论" : "报告", startsAt: time(start, seed.startHour),
                        endsAt: time(start, seed.startHour + seed.hours), room: "")
                ]
            }
            let speakerCount = 1 + index % 3
            for offset in 0..<speakerCount {
                let s = speakers[(index * 3 + offset + Int(random.next() % 3)) % speakers.count]
                if !input.speakers.contains(where: { $0.name == s.0 }) {
                    input.speakers.append(EventService.SpeakerInput(name: s.0, affiliation: s.1, topic: s.2))
                }
            }
            let event = try await service.create(input, actor: index % 2 == 0 ? admin : staff)
            let id = try event.requireID()
            guard let startsAt = EventService.parseTime(input.startsAt, requireOffset: false),
                let endsAt = EventService.parseTime(input.endsAt, requireOffset: false)
            else { continue }
            let ago = max(0, Int(now.timeIntervalSince(startsAt) / 86_400) + 40)
            let creator = index % 2 == 0 ? admin : staff
            let past = EventService(db: db, services: context.services(daysAgo: ago))
            switch index % 13 {
            case 5 where startsAt > now:
                // Waiting for approval.
                try await past.perform(.submit, on: id, comment: nil, actor: creator)
            case 9 where startsAt > now:
                break  // still a draft
            case 7 where endsAt < now:
                try await past.perform(.publish, on: id, comment: nil, actor: admin)
                try await service.perform(.cancel, on: id, comment: "受台风影响延期举办，另行通知", actor: admin)
            default:
                if creator.userID == staff.userID {
                    try await past.perform(.submit, on: id, comment: nil, actor: staff)
                    try await EventService(db: db, services: context.services(daysAgo: max(0, ago - 2))).perform(
                        .approve, on: id, comment: nil, actor: admin)
                } else {
                    try await past.perform(.publish, on: id, comment: nil, actor: admin)
                }
                if endsAt < now { try await service.perform(.finish, on: id, comment: nil, actor: admin) }
            }
            count += 1
        }
        try await context.audit("events_event", count: count, summary: "学术活动", on: db)
    }
}
