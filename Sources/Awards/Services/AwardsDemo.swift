import Fluent
import Foundation
import KexieKit
import Platform

/// The populated province's awards, one program per stage so every page has something to show:
/// last year's 青年科技奖 announced (laureates with certificates), this year's open for applications
/// (some nominated and ranked, some waiting), 最美科技工作者 in formal check, 青年人才托举工程 announced
/// with its first support year, 优秀科技论文 under blind review, 优秀科普作品 under 公示, and a 科普讲解大赛
/// taking entries. 演示科技工作者 (demo.member) is linked
/// to one of the province's people (as if they had claimed their record) and has an application waiting
/// for its channel. Written as rows
/// (demo data, not requests); the audit log gets one row per kind.
enum AwardsDemo {
    static func load(on db: any Database, context: DemoContext) async throws {
        guard try await AwardProgram.query(on: db).count() == 0 else { return }
        let admin = try await context.actor("demo.orgadmin", on: db)
        guard let provinceID = admin.actingOrganizationID else { return }
        let organizations = try await Organization.query(on: db).all()
        let cities = organizations.filter { $0.kind == .association && $0.level == .city }.sorted { $0.name < $1.name }
        let societies = organizations.filter { $0.kind == .society }.sorted { $0.name < $1.name }
        let people = try await Person.query(on: db).filter(\.$anonymizedAt == nil).filter(\.$birthMonth >= "1978-01")
            .sort(\.$birthMonth, .descending).sort(\.$id).limit(80).all()
        guard people.count >= 40 else { return }
        let today = context.today
        var writer = Writer(db: db, context: context, admin: admin, provinceID: provinceID, today: today, people: people)

        // The society whose secretariat is demo.society is one of the channels, so its 推荐工作 has applications.
        let societyID = try await context.actor("demo.society", on: db).actingOrganizationID
        let ownSociety = societies.filter { $0.id == societyID }
        let channelOrgs = Array(cities.prefix(3)) + ownSociety + Array(societies.filter { $0.id != societyID }.prefix(1))
        // 2025 青年科技奖: announced in September 2025.
        let past = try await writer.program(
            "2025年度云海省青年科技奖", year: 2025, kind: .award, rules: EligibilityRules(maxAge: 40, ageReferenceDate: Day("2025-06-30")),
            opens: Day("2025-03-01")!, closes: Day("2025-04-30")!, stage: .announced, laureates: 6, channels: channelOrgs, quota: 3,
            summary: "表彰奖励在自然科学、工程技术等领域取得突出成绩的青年科技工作者，每两年评选一次（2025 年起每年评选）。")
        past.announcedOn = Day("2025-09-20")
        try await past.update(on: db)
        try await writer.applications(past, count: 10, channelled: true) { index, application in
            application.appliedOn = Day("2025-04-1\(index % 9)")!
            application.score = 92 - Double(index) * 1.7
            application.rank = index + 1
            if index < 6 {
                application.status = .awarded
                application.awardedOn = Day("2025-09-20")
                application.certificateCode = TrackingCode.generate().canonical
            } else {
                application.status = .notSelected
            }
        }

        // 2026 青年科技奖: open until 25 days from today.
        let open = try await writer.program(
            "2026年度云海省青年科技奖", year: 2026, kind: .award, rules: EligibilityRules(maxAge: 40, ageReferenceDate: Day("2026-06-30")),
            opens: today.adding(days: -20), closes: today.adding(days: 25), stage: .open, laureates: 6, channels: channelOrgs, quota: 3,
            summary: "面向全省 40 周岁以下（2026 年 6 月 30 日计）青年科技工作者。申报人选择推荐渠道，由推荐单位审核推荐，每个渠道限额推荐。",
            attachments: ["代表性论文或成果证明（不超过 5 项）", "单位推荐意见"])
        try await writer.applications(open, count: 9, channelled: true) { index, application in
            application.appliedOn = today.adding(days: -18 + index)
            if index < 5 { application.status = .nominated }
        }
        try await writer.nominations(open)

        // 最美科技工作者: applications closed ten days ago, formal check under way.
        let checking = try await writer.program(
            "2026年云海省最美科技工作者", year: 2026, kind: .talent, rules: EligibilityRules(excludeLaureates: true),
            opens: today.adding(days: -60), closes: today.adding(days: -10), stage: .checking, laureates: 10,
            channels: Array(cities.prefix(3)),
            quota: 4, summary: "学习宣传科技工作者的先进事迹，弘扬科学家精神。由各市科协推荐，经形式审查、专家评审和公示后发布。")
        try await writer.applications(checking, count: 8, channelled: true) { index, application in
            application.appliedOn = today.adding(days: -50 + index * 4)
            switch index {
            case 0, 1, 2: application.status = .passed
            case 3:
                application.status = .returned
                application.returnNote = "缺少所在单位党组织意见，请补充后重新提交"
            default: application.status = .nominated
            }
        }
        try await writer.nominations(checking)

        // 青年人才托举工程: announced, three support years, the first recorded.
        let lift = try await writer.program(
            "2026年度云海省青年人才托举工程", year: 2026, kind: .talent, rules: EligibilityRules(maxAge: 32, ageReferenceDate: Day("2026-01-01")),
            opens: Day("2026-03-01")!, closes: Day("2026-04-15")!, stage: .announced, laureates: 5, channels: Array(societies.prefix(2)),
            quota: 4,
            summary: "支持 32 周岁以下青年科技人才在创造力黄金时期做出突出业绩，连续托举 3 年，每年资助 10 万元。", supportYears: 3)
        lift.announcedOn = Day("2026-07-10")
        try await lift.update(on: db)
        let lifted = try await writer.applications(lift, count: 5, channelled: true) { index, application in
            application.appliedOn = Day("2026-04-0\(index + 1)")!
            application.status = .awarded
            application.awardedOn = Day("2026-07-10")
            application.rank = index + 1
            application.score = 90 - Double(index) * 2.5
            application.certificateCode = TrackingCode.generate().canonical
        }
        for application in lifted {
            let year = AwardSupportYear()
            year.applicationID = try application.requireID()
            year.yearIndex = 1
            year.fundingYuan = 100_000
            year.report = "第一年度完成课题开题，发表论文两篇，申请发明专利一项，参加全国学术会议并作报告。"
            year.reportedOn = today.adding(days: -5)
            year.recordedBy = admin.userID
            try await year.create(on: db)
        }

        // 科普讲解大赛: entries with their authors, no channels.
        let contest = try await writer.program(
            "2026年云海省科普讲解大赛", year: 2026, kind: .competition, rules: EligibilityRules(excludeLaureates: false),
            opens: today.adding(days: -15), closes: today.adding(days: 30), stage: .open, laureates: 12, channels: [], quota: 0,
            summary: "以科普讲解为主要形式，选拔优秀科普讲解人才，推荐参加全国科普讲解大赛。", candidates: .entry)
        let titles = ["橡胶树的一生", "台风是怎样形成的", "走进深海探测", "芯片里的微观世界", "热带雨林的秘密"]
        try await writer.applications(contest, count: titles.count, channelled: false) { index, application in
            application.title = titles[index]
            application.personID = nil
            application.appliedOn = today.adding(days: -12 + index)
        }

        // 优秀科技论文: under blind expert review (a round drawn from the province's review experts, demo.expert on it).
        let papers = try await writer.program(
            "2026年度云海省优秀科技论文评选", year: 2026, kind: .award, rules: EligibilityRules(excludeLaureates: false),
            opens: today.adding(days: -90), closes: today.adding(days: -40), stage: .reviewing, laureates: 5, channels: [], quota: 0,
            summary: "评选本省科技工作者近三年发表的优秀科技论文，匿名评审。")
        let reviewed = try await writer.applications(papers, count: 8, channelled: false) { index, application in
            application.appliedOn = today.adding(days: -80 + index * 3)
            application.status = .passed
        }
        if let province = try await Organization.find(provinceID, on: db) {
            let drafts = try reviewed.map { application in
                ReviewCandidateDraft(
                    ownerItemID: try application.requireID(), title: application.title, abstract: application.summary,
                    field: application.field,
                    panel: String(application.field.prefix(3)), personIDs: [application.personID].compactMap { $0 },
                    employers: application.employer.isEmpty ? [] : [application.employer], nominatingOrganizationID: nil)
            }
            papers.reviewRoundID = try await ReviewDemo.load(
                owner: ResultService.reviewOwner(try papers.requireID()), title: "\(papers.name) 专家评审", organization: province,
                candidates: drafts, reviewersPerCandidate: 3, context: context, on: db)
            try await papers.update(on: db)
        }

        // 优秀科普作品: the proposed list under 公示 (Platform's publicity, five working days from yesterday).
        let works = try await writer.program(
            "2026年度云海省优秀科普作品推荐", year: 2026, kind: .award, rules: EligibilityRules(excludeLaureates: false),
            opens: today.adding(days: -100), closes: today.adding(days: -60), stage: .publicity, laureates: 4, channels: [], quota: 0,
            summary: "推荐本省科技工作者创作的优秀科普图书、视频和展品。")
        let proposed = try await writer.applications(works, count: 6, channelled: false) { index, application in
            application.appliedOn = today.adding(days: -90 + index)
            application.score = 91 - Double(index) * 2.2
            application.rank = index + 1
            application.status = index < 4 ? .proposed : .notSelected
        }
        works.publicityID = try await PublicityService(db: db, services: context.services).open(
            PublicityDraft(
                owner: ResultService.publicityOwner(try works.requireID()), organizationID: provinceID, title: "\(works.name)拟入选名单公示",
                summary: "经形式审查、专家评审，现将拟入选名单予以公示。公示期内如有异议，请实名提出并留下联系方式。",
                items: try proposed.prefix(4).map {
                    PublicityItemDraft(
                        ownerItemID: try $0.requireID(), label: $0.title, detail: $0.employer, outcome: "拟入选（第 \($0.rank ?? 0) 名）")
                }, startsOn: today.adding(days: -1), workingDays: 5, ownerLink: AwardsRoutes.manageProgram(try works.requireID())),
            by: admin)
        try await works.update(on: db)

        // A county's own commendation (青石县, demo.county1): applications of its people, one returned.
        if let countyID = try await context.actor("demo.county1", on: db).actingOrganizationID,
            let county = organizations.first(where: { $0.id == countyID })
        {
            let local = try await Person.query(on: db).filter(\.$anonymizedAt == nil)
                .join(Organization.self, on: \Person.$organizationID == \Organization.$id).filter(Organization.self, \.$path =~ county.path)
                .sort(\.$name).limit(4).all()
            let countyProgram = try await writer.program(
                "2026年青石县优秀科技工作者", year: 2026, kind: .award, rules: EligibilityRules(excludeLaureates: false),
                opens: today.adding(days: -30), closes: today.adding(days: 15), stage: .open, laureates: 3, channels: [], quota: 0,
                summary: "表彰在本县农业技术推广、科学普及和科技服务中作出突出贡献的科技工作者。", owner: countyID)
            var countyWriter = Writer(db: db, context: context, admin: writer.admin, provinceID: countyID, today: today, people: local)
            if !local.isEmpty {
                try await countyWriter.applications(countyProgram, count: local.count, channelled: false) { index, application in
                    application.appliedOn = today.adding(days: -20 + index * 3)
                    if index == 0 {
                        application.status = .returned
                        application.returnNote = "请补充近三年的科普活动记录"
                    }
                }
            }
        }

        // 演示科技工作者: a profile and an application to this year's 青年科技奖, waiting for its channel.
        try await writer.memberApplication(open, context: context)
        try await context.audit("awards_program", count: 8, summary: "演示数据：评选项目 8 个及其申报、推荐、评审、公示和托举记录", on: db)
    }

    /// Writes programs, applications and nominations for the demo.
    struct Writer {
        let db: any Database
        let context: DemoContext
        let admin: Actor
        let provinceID: UUID
        let today: Day
        let people: [Person]
        var next = 0

        mutating func person() -> Person {
            defer { next += 1 }
            return people[next % people.count]
        }

        func program(
            _ name: String, year: Int, kind: AwardProgram.Kind, rules: EligibilityRules, opens: Day, closes: Day, stage: AwardProgram.Stage,
            laureates: Int, channels: [Organization], quota: Int, summary: String, attachments: [String] = [], supportYears: Int = 0,
            candidates: AwardProgram.CandidateKind = .person, owner: UUID? = nil
        ) async throws -> AwardProgram {
            let program = AwardProgram()
            program.organizationID = owner ?? provinceID
            program.name = name
            program.year = year
            program.kind = kind
            program.candidateKind = candidates
            program.summary = summary
            program.rulesJSON = try AwardProgram.encode(rules)
            program.attachments = attachments
            program.applyOpensOn = opens
            program.applyClosesOn = closes
            program.nominateClosesOn = closes.adding(days: 15)
            program.checkClosesOn = closes.adding(days: 30)
            program.reviewClosesOn = closes.adding(days: 60)
            program.publicityDays = 5
            program.laureateCount = laureates
            program.stage = stage
            program.indicatorsJSON = try AwardProgram.encode(try ProgramDraft.standardIndicators())
            program.aggregation = .trimmedMean
            program.blind = kind == .competition
            program.reviewersPerCandidate = 5
            program.supportYears = supportYears
            program.createdBy = admin.userID
            try await program.create(on: db)
            for (index, organization) in channels.enumerated() {
                let kind: AwardChannel.Kind = organization.kind == .society ? .society : .city
                try await AwardChannel(
                    programID: try program.requireID(), organizationID: try organization.requireID(), kind: kind, quota: quota + index % 2
                )
                .create(on: db)
            }
            return program
        }

        @discardableResult
        mutating func applications(
            _ program: AwardProgram, count: Int, channelled: Bool, _ adjust: (Int, AwardApplication) -> Void
        ) async throws -> [AwardApplication] {
            let channels = try await AwardChannel.query(on: db).filter(\.$programID == program.requireID()).sort(\.$id).all()
            var made: [AwardApplication] = []
            for index in 0..<count {
                let person = person()
                let application = AwardApplication()
                application.programID = try program.requireID()
                application.organizationID = person.organizationID
                application.personID = try person.requireID()
                application.authorIDs = []
                application.title = person.name
                application.field = person.disciplineCode ?? ""
                application.summary = Self.summaries[index % Self.summaries.count]
                application.employer = person.employer ?? ""
                application.status = .submitted
                application.channelID = channelled && !channels.isEmpty ? try channels[index % channels.count].requireID() : nil
                application.applicantUserID = admin.userID
                application.sex = person.sex
                application.region = person.city ?? person.province ?? ""
                application.appliedOn = today
                application.id = UUID()
                adjust(index, application)
                made.append(application)
            }
            // One statement for the program's applications (demo data: one audit row per kind at the end).
            let now = context.now
            let noAuthors: any Encodable & Sendable = context.services.configuration.database.isPostgres ? [UUID]() : "[]"
            try await context.insert(
                into: AwardApplication.schema,
                columns: [
                    "id", "program_id", "organization_id", "person_id", "author_ids", "title", "field", "summary", "employer", "status",
                    "channel_id", "return_note", "applicant_user_id", "score", "rank", "certificate_code", "awarded_on", "sex", "region",
                    "applied_on", "created_at", "updated_at",
                ],
                rows: try made.map { a in
                    [
                        try a.requireID(), a.programID, a.organizationID, a.personID, noAuthors, a.title, a.field, a.summary, a.employer,
                        a.status.rawValue, a.channelID, a.returnNote, a.applicantUserID, a.score, a.rank, a.certificateCode,
                        a.awardedOn?.description, a.sex, a.region, a.appliedOn.description, now, now,
                    ]
                }, on: db)
            return made
        }

        /// Nominations for every application past 待推荐 that has a channel, ranked per channel.
        func nominations(_ program: AwardProgram) async throws {
            let applications = try await AwardApplication.query(on: db).filter(\.$programID == program.requireID())
                .filter(\.$status != .submitted).filter(\.$channelID != nil).sort(\.$appliedOn).sort(\.$id).all()
            var ranks: [UUID: Int] = [:]
            for application in applications {
                guard let channelID = application.channelID else { continue }
                let rank = (ranks[channelID] ?? 0) + 1
                ranks[channelID] = rank
                let nomination = AwardNomination()
                nomination.applicationID = try application.requireID()
                nomination.channelID = channelID
                nomination.rank = rank
                nomination.referees = []
                nomination.nominatedBy = admin.userID
                nomination.nominatedOn = application.appliedOn.adding(days: 3)
                try await nomination.create(on: db)
            }
        }

        /// 演示科技工作者's person record (one of the province's people born in 1990 or later, so eligible)
        /// and application, waiting for its channel.
        func memberApplication(_ program: AwardProgram, context: DemoContext) async throws {
            guard let user = try await User.query(on: db).filter(\.$username == "demo.member").first() else { return }
            let userID = try user.requireID()
            // The member's own record among the province's people: the youngest one without an account.
            var person = try await Person.query(on: db).filter(\.$userID == userID).first()
            if person == nil, let unlinked = people.first(where: { $0.userID == nil && $0.birthMonth >= "1990-01" }) {
                unlinked.userID = userID
                try await unlinked.update(on: db)
                person = unlinked
            }
            guard let person else { return }
            let channel = try await AwardChannel.query(on: db).filter(\.$programID == program.requireID()).sort(\.$id).first()
            let application = AwardApplication()
            application.programID = try program.requireID()
            application.organizationID = person.organizationID
            application.personID = try person.requireID()
            application.authorIDs = []
            application.title = person.name
            application.field = person.disciplineCode ?? ""
            application.summary = "从事橡胶树抗寒高产育种研究，参与选育新品种两个，在国内外期刊发表论文十二篇，获省科技进步奖二等奖（排名第三）。"
            application.employer = person.employer ?? ""
            application.status = .submitted
            application.channelID = try channel?.requireID()
            application.applicantUserID = userID
            application.sex = person.sex
            application.region = person.city ?? ""
            application.appliedOn = today.adding(days: -3)
            try await application.create(on: db)
        }

        static let summaries = [
            "长期从事热带作物病虫害绿色防控研究，主持国家自然科学基金项目两项，成果在全省推广应用八十余万亩。",
            "围绕海洋牧场生态修复开展系统研究，建立珊瑚礁修复技术体系，获省科技进步奖一等奖（排名第二）。",
            "从事新型储能材料研究，发表高水平论文三十篇，获授权发明专利十一项，成果在本省企业实现转化。",
            "扎根基层开展农技推广二十年，培训农民两万余人次，带动特色产业增收，获全国农牧渔业丰收奖。",
            "在智慧医疗影像诊断方向取得突破，研发的辅助诊断系统在全省五十家医院应用。",
            "从事台风路径与强度预报研究，改进的预报模型使本省台风路径预报误差降低百分之十五。",
        ]
    }
}
