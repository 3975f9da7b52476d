import Fluent
import Foundation
import KexieKit
import Platform

/// The demo province's 科创 corner: the demo enterprise registered with a credit code, a handful of
/// published supplies from societies and a university (rubber in both its senses, batteries), two
/// published demands of the demo enterprise, and one 学会科技服务站 with an activity.
enum InnovationDemo {
    struct SupplySeed {
        let title: String
        let summary: String
        let detail: String
        let secret: String
        let industry: String
        let readiness: Int
        let owner: String
        let ownerKind: Posting.OwnerKind
        let modes: [Posting.CooperationMode]
        let patents: String
        let keywords: [String]
    }

    static let supplies: [SupplySeed] = [
        SupplySeed(
            title: "高镍三元锂离子电池正极材料制备技术", summary: "高镍 NCM811 正极材料共沉淀与烧结工艺，循环寿命 2000 次以上。",
            detail: "适用于动力电池和储能电芯，单体能量密度 280 Wh/kg，已完成中试。", secret: "烧结温度曲线与掺杂配比（签约后提供）。", industry: "C",
            readiness: 7, owner: "云海大学材料学院", ownerKind: .university, modes: [.license, .joint],
            patents: "ZL202110123456.7｜发明专利｜已授权", keywords: ["正极材料", "锂电池", "储能"]),
        SupplySeed(
            title: "废旧轮胎橡胶常压连续再生脱硫技术", summary: "废轮胎胶粉常压连续脱硫，再生胶门尼黏度稳定，无废气排放。",
            detail: "处理能力每条线年产 1 万吨，适合轮胎和橡胶制品企业。", secret: "螺杆组合参数与助剂配方。", industry: "C", readiness: 8,
            owner: "云海省橡胶学会", ownerKind: .society, modes: [.transfer, .service], patents: "ZL201910654321.0｜发明专利｜已授权",
            keywords: ["再生胶", "废轮胎", "脱硫"]),
        SupplySeed(
            title: "天然橡胶树低频割胶与乙烯利刺激技术", summary: "割胶频率由两天一刀降至四天一刀，胶工效率提高一倍，产量不减。",
            detail: "已在 3 万亩胶园示范，配套电动割胶刀培训。", secret: "各品系刺激剂浓度与割面规划表。", industry: "A", readiness: 9,
            owner: "云海省热带作物学会", ownerKind: .society, modes: [.service], patents: "", keywords: ["割胶", "天然橡胶", "胶园"]),
        SupplySeed(
            title: "电动割胶刀", summary: "锂电池驱动的便携割胶刀，新胶工一周上手。", detail: "", secret: "", industry: "A", readiness: 8,
            owner: "云海理工学院机械学院", ownerKind: .university, modes: [.license, .transfer], patents: "ZL202220987654.3｜实用新型｜已授权",
            keywords: ["割胶"]),
        SupplySeed(
            title: "芒果采后热处理保鲜技术", summary: "热水与气调结合，常温货架期延长 7 天，炭疽病发病率降低 80%。", detail: "适合产地初加工。",
            secret: "处理温度与时间窗口。", industry: "A", readiness: 7, owner: "云海省农学会", ownerKind: .society, modes: [.service, .joint],
            patents: "", keywords: ["芒果", "保鲜", "采后"]),
        SupplySeed(
            title: "工业设备振动监测与故障预警平台", summary: "基于边缘计算的风机、水泵振动监测，提前 2 周预警轴承故障。",
            detail: "已接入 300 台设备。", secret: "故障特征库与模型参数。", industry: "I", readiness: 6, owner: "云海省计算机学会",
            ownerKind: .society, modes: [.license, .service], patents: "2023SR0123456｜软件著作权｜已登记", keywords: ["故障诊断", "预测性维护"]),
    ]

    static func load(on db: any Database, services: PlatformServices) async throws {
        guard try await Posting.query(on: db).first() == nil else { return }
        guard let enterprise = try await Organization.query(on: db).filter(\.$kind == .enterprise).first(),
            let enterpriseUser = try await user("demo.enterprise", on: db),
            let societyUser = try await user("demo.society", on: db),
            let staff = try await user("demo.orgadmin", on: db),
            let province = try await Organization.query(on: db).filter(\.$parentID == nil).first()
        else { return }
        let enterpriseID = try enterprise.requireID()
        if try await EnterpriseRecord.query(on: db).filter(\.$organizationID == enterpriseID).first() == nil {
            let record = EnterpriseRecord()
            record.organizationID = enterpriseID
            record.creditCode = "91460100MA5T0B1C29"
            record.industry = "C"
            record.region = "云海省东港市"
            record.contactName = "李工"
            record.contactPhoneSealed = try services.secrets.seal("13800138000")
            try await record.create(on: db)
        }
        let today = Day.today(now: services.clock())
        // Published on different days, a few days apart, as a real catalogue grows (and so the lists'
        // newest-first order is the same on every run).
        for (index, seed) in supplies.enumerated() {
            let organization = try await Organization.query(on: db).filter(\.$name == seed.owner).first()
            let posting = Posting()
            posting.kind = Posting.Kind.supply
            posting.state = .published
            posting.title = seed.title
            posting.summary = seed.summary
            posting.publicDetail = seed.detail
            posting.confidentialDetail = seed.secret
            posting.industry = seed.industry
            posting.readiness = seed.readiness
            posting.patents = seed.patents
            posting.modes = seed.modes
            posting.ownerKind = seed.ownerKind
            posting.ownerName = seed.owner
            posting.organizationID = try (organization ?? province).requireID()
            posting.ownerUserID = try (seed.ownerKind == .society && seed.owner == "云海省橡胶学会" ? societyUser : staff).requireID()
            posting.region = "云海省东港市"
            posting.keywords = seed.keywords
            posting.indicators = ""
            posting.ipOwnership = ""
            posting.solverConditions = ""
            posting.contactName = ""
            posting.contactPhone = ""
            try posting.sealContactPhone(services.secrets)
            posting.publishedOn = today.adding(days: -3 * (supplies.count - index))
            try await posting.create(on: db)
            try await PostingModes.save(posting, on: db)
            try await PostingService.syncSearch(posting, on: db, writes: services.writes)
        }
        let deadline = Day(year: today.year + 1, month: 6, day: 30)
        for (index, (title, summary, indicators, industry)) in [
            (
                "储能电芯循环寿命提升", "我司储能电站用电芯循环寿命不足 3000 次，需提升正极材料稳定性。", "循环寿命 ≥ 6000 次；容量保持率 ≥ 80%；成本增加不超过 5%。",
                "C"
            ),
            ("废旧轮胎综合利用", "年产生废轮胎 5000 吨，寻求再生胶或热解综合利用技术。", "再生胶拉伸强度 ≥ 12 MPa；无二次污染。", "C"),
        ].enumerated() {
            let posting = Posting()
            posting.kind = Posting.Kind.demand
            posting.state = .published
            posting.title = title
            posting.summary = summary
            posting.publicDetail = summary
            posting.confidentialDetail = "现有产线工艺参数与供应商名单（对接确认后提供）。"
            posting.industry = industry
            posting.readiness = 6
            posting.patents = ""
            posting.modes = [.license, .joint]
            posting.ownerKind = Posting.OwnerKind.enterprise
            posting.ownerName = enterprise.name
            posting.organizationID = enterpriseID
            posting.ownerUserID = try enterpriseUser.requireID()
            posting.region = "云海省东港市"
            posting.keywords = []
            posting.indicators = indicators
            posting.deadline = deadline
            posting.budget = 200
            posting.ipOwnership = "双方共有"
            posting.solverConditions = "具有相关领域中试经验的高校、科研院所或企业"
            posting.contactName = "李工"
            posting.contactPhone = "13800138000"
            try posting.sealContactPhone(services.secrets)
            posting.publishedOn = today.adding(days: -5 + 2 * index)
            try await posting.create(on: db)
            try await PostingModes.save(posting, on: db)
            try await PostingService.syncSearch(posting, on: db, writes: services.writes)
        }
        if let society = try await Organization.query(on: db).filter(\.$name == "云海省热带作物学会").first() {
            let station = Station()
            station.kind = Station.Kind.serviceStation
            station.name = "云海省热带作物学会青石县胶园科技服务站"
            station.hostName = "青石县农垦胶园"
            station.hostKind = Station.HostKind.village
            station.organizationID = try society.requireID()
            station.experts = "王建国 研究员 云海省热带农业科学院\n陈立 高级农艺师 青石县农技中心"
            station.validFrom = Day.firstDay(of: today.year)
            station.validUntil = Day.lastDay(of: today.year + 2)
            station.region = "云海省东港市青石县"
            try await station.create(on: db)
            let activity = StationActivity()
            activity.stationID = try station.requireID()
            activity.kind = StationActivity.Kind.training
            activity.heldOn = today
            activity.title = "低频割胶技术现场培训"
            activity.participants = 45
            activity.notes = ""
            activity.recordedBy = try staff.requireID()
            try await activity.create(on: db)
        }
    }

    private static func user(_ name: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$username == name).first()
    }
}
