import Fluent
import Foundation
import KexieKit
import Platform

/// The populated province's 科创 market: 30 supplies from societies, universities and institutes and
/// demands collected from enterprises across the four cities, published over the past six months (a
/// few waiting for review or in draft, some closed); dockings written as `DockingService`'s steps leave them, in every
/// stage (待确认, 意向, 洽谈, 签约, 落地, 终止, 已谢绝); 学会科技服务站 and 院士专家工作站 in each city with
/// their activity logs.
enum InnovationProvinceDemo {
    struct Topic {
        let title: String
        let summary: String
        let industry: String
        let keywords: [String]
    }

    static let supplyTopics: [Topic] = [
        Topic(title: "椰子水常温无菌灌装技术", summary: "超高温瞬时灭菌与无菌冷灌装结合，椰子水常温保质期 12 个月，风味保持良好。", industry: "C", keywords: ["椰子", "灌装", "保鲜"]),
        Topic(title: "槟榔黄化病快速检测试剂盒", summary: "基于 LAMP 等温扩增，田间 40 分钟出结果，检出限比常规 PCR 低一个数量级。", industry: "A", keywords: ["槟榔", "黄化病", "检测"]),
        Topic(title: "石斑鱼工厂化循环水养殖系统", summary: "循环水利用率 95%，单位水体产量提高 3 倍，尾水达标排放。", industry: "A", keywords: ["石斑鱼", "循环水", "养殖"]),
        Topic(title: "热带果蔬智能分选线", summary: "机器视觉识别外观缺陷与糖度，分选速度每小时 8 吨，准确率 97%。", industry: "C", keywords: ["分选", "机器视觉", "果蔬"]),
        Topic(title: "台风灾害风险评估模型", summary: "融合气象、地形与承灾体数据，提前 72 小时给出乡镇级风险等级。", industry: "M", keywords: ["台风", "风险评估", "气象"]),
        Topic(title: "海上风电桩基防腐涂层", summary: "石墨烯改性重防腐涂层，盐雾试验 6000 小时无起泡，寿命 25 年。", industry: "C", keywords: ["防腐", "海上风电", "涂层"]),
        Topic(title: "医院感染智能监测系统", summary: "自动抓取检验与医嘱数据预警院内感染聚集，已在 5 家三甲医院运行。", industry: "I", keywords: ["院感", "监测", "医疗信息化"]),
        Topic(title: "天然橡胶低蛋白胶乳制备工艺", summary: "酶解与离心结合，胶乳氮含量降至 0.1% 以下，适合医用手套生产。", industry: "C", keywords: ["胶乳", "天然橡胶", "医用"]),
        Topic(title: "珊瑚人工繁育与移植技术", summary: "珊瑚有性繁育与苗圃培育，移植成活率 85% 以上。", industry: "N", keywords: ["珊瑚", "生态修复", "海洋"]),
        Topic(title: "农村生活污水一体化处理设备", summary: "生物膜与人工湿地组合工艺，日处理 10—100 吨，运维成本低。", industry: "N", keywords: ["污水处理", "农村", "环保"]),
        Topic(title: "沉香人工结香技术", summary: "生物诱导结香，一年期结香率 90%，含油量达到药典标准。", industry: "A", keywords: ["沉香", "结香", "林下经济"]),
        Topic(title: "工业机器人视觉引导抓取", summary: "3D 视觉定位无序来料，抓取节拍 4 秒，适合小批量多品种产线。", industry: "C", keywords: ["机器人", "视觉", "智能制造"]),
    ]

    static let demandTopics: [Topic] = [
        Topic(title: "芒果深加工副产物综合利用", summary: "每年产生芒果皮核 2000 吨，寻求提取果胶、多酚等高值化利用技术。", industry: "C", keywords: ["芒果", "副产物", "提取"]),
        Topic(title: "胶园林下种植模式技术指导", summary: "胶园行间土地闲置，希望引进适合林下种植的作物和配套技术。", industry: "A", keywords: ["林下经济", "胶园", "间作"]),
        Topic(title: "冷库能耗降低改造方案", summary: "现有 5000 吨冷库年电费 300 万元，希望节能 20% 以上。", industry: "D", keywords: ["冷库", "节能", "冷链"]),
        Topic(title: "水产养殖尾水处理", summary: "对虾养殖尾水氮磷超标，需要低成本达标处理方案。", industry: "A", keywords: ["尾水", "对虾", "环保"]),
        Topic(title: "医疗废物就地无害化处理", summary: "县级医院医疗废物转运距离远，寻求小型就地处理设备。", industry: "Q", keywords: ["医疗废物", "无害化", "医院"]),
        Topic(title: "生产线设备预测性维护", summary: "注塑车间 40 台设备突发停机多，希望上线振动监测与故障预警。", industry: "C", keywords: ["预测性维护", "故障诊断", "设备"]),
        Topic(title: "热带水果电商溯源系统", summary: "需要从果园到消费者的溯源方案，支持一物一码。", industry: "I", keywords: ["溯源", "电商", "水果"]),
        Topic(title: "橡胶制品硫化工艺优化", summary: "硫化时间长、废品率 6%，希望优化配方和工艺。", industry: "C", keywords: ["硫化", "橡胶制品", "工艺"]),
    ]

    static let companies = [
        "东港椰林食品有限公司", "西林热带果业有限公司", "南川海洋渔业有限公司", "北原冷链物流有限公司", "青石县农垦胶业有限公司", "白沙县人民医院",
        "梅岭精密注塑有限公司", "临江电商产业园有限公司",
    ]

    static func load(on db: any Database, context: DemoContext) async throws {
        // The skeleton demo's postings are there; the province adds its own once.
        guard try await Posting.query(on: db).count() < 20 else { return }
        var random = context.random("innovation")
        let services = context.services
        let today = context.today
        let organizations = try await Organization.query(on: db).all()
        guard let province = organizations.first(where: { $0.parentID == nil }),
            let enterprise = organizations.first(where: { $0.kind == .enterprise })
        else { return }
        let admin = try await context.actor("demo.orgadmin", on: db)
        let enterpriseActor = try await context.actor("demo.enterprise", on: db)
        let expert = try await context.actor("demo.expert", on: db)
        let member = try await context.actor("demo.member", on: db)
        let staff = try await context.actor("demo.staff", on: db)
        let cities = organizations.filter { $0.level == .city }.sorted { $0.name < $1.name }
        let counties = organizations.filter { $0.level == .county }.sorted { $0.name < $1.name }
        let countyActors = [try await context.actor("demo.county1", on: db), try await context.actor("demo.county2", on: db)]
        let sources: [(String, Posting.OwnerKind)] = [
            ("云海大学", .university), ("云海理工学院", .university), ("云海省热带农业科学院", .institute), ("云海省海洋研究所", .institute),
            ("云海省农学会", .society), ("云海省医学会", .society), ("云海省机械工程学会", .society), ("云海省化工学会", .society),
        ]

        func region(_ index: Int) -> String {
            let county = counties[index % counties.count]
            return county.region.map { "云海省" + $0 } ?? "云海省"
        }

        var searchable: [Posting] = []
        var supplies: [Posting] = []
        for index in 0..<30 {
            let topic = supplyTopics[index % supplyTopics.count]
            // Mostly institutions (entered by the province's office or its 科普部), a few individuals.
            let (owner, kind) =
                index % 9 == 4 ? ("演示专家", Posting.OwnerKind.person) : index % 9 == 7 ? ("演示科技工作者", .person) : sources[index % sources.count]
            let ownerUser = index % 9 == 4 ? expert : index % 9 == 7 ? member : index % 9 == 1 ? staff : admin
            let organization = organizations.first { $0.name == owner } ?? province
            let posting = Posting()
            posting.kind = .supply
            posting.state = index % 12 == 5 ? .submitted : index % 12 == 7 ? .draft : index % 17 == 3 ? .closed : .published
            posting.title =
                index < supplyTopics.count ? topic.title : topic.title + ["（二期）", "（改进型）", "（示范推广）"][index / supplyTopics.count - 1]
            posting.summary = topic.summary
            posting.publicDetail = topic.summary + "可提供技术培训与现场指导。"
            posting.confidentialDetail = "关键工艺参数（签约后提供）。"
            posting.industry = topic.industry
            posting.readiness = 5 + index % 5
            posting.patents = index % 3 == 0 ? "ZL20231\(String(format: "%07d", 100_000 + index * 37)).\(index % 10)｜发明专利｜已授权" : ""
            posting.modes = [[.license, .service], [.transfer], [.joint, .service], [.equity, .joint]][index % 4]
            posting.ownerKind = kind
            posting.ownerName = owner
            posting.organizationID = try organization.requireID()
            posting.ownerUserID = ownerUser.userID
            posting.region = region(index)
            posting.keywords = topic.keywords
            posting.indicators = ""
            posting.ipOwnership = ""
            posting.solverConditions = ""
            posting.contactName = ""
            posting.contactPhone = ""
            try posting.sealContactPhone(services.secrets)
            if posting.state != .draft { posting.publishedOn = today.adding(days: -(index * 5 + random.int(0...4))) }
            try await posting.create(on: db)
            try await PostingModes.save(posting, on: db)
            if posting.state == .published { searchable.append(posting) }
            if posting.state == .published { supplies.append(posting) }
        }
        var demands: [Posting] = []
        for index in 0..<20 {
            let topic = demandTopics[index % demandTopics.count]
            let company = companies[index % companies.count]
            // The demo enterprise posts its own; the counties collect the others from their enterprises.
            let own = index % 3 == 0
            let county = countyActors[index % 2]
            let posting = Posting()
            posting.kind = .demand
            posting.state = index % 10 == 4 ? .submitted : index % 10 == 8 ? .draft : index % 13 == 6 ? .expired : .published
            posting.title = index < demandTopics.count ? topic.title : topic.title + ["（扩产）", "（二期）"][index / demandTopics.count - 1]
            posting.summary = topic.summary
            posting.publicDetail = topic.summary
            posting.confidentialDetail = "现有工艺与设备清单（对接确认后提供）。"
            posting.industry = topic.industry
            posting.readiness = 6
            posting.patents = ""
            posting.modes = [[.license, .joint], [.service], [.transfer, .service]][index % 3]
            posting.ownerKind = .enterprise
            posting.ownerName = own ? enterprise.name : company
            posting.organizationID = try own ? enterprise.requireID() : (county.actingOrganizationID ?? province.requireID())
            posting.ownerUserID = own ? enterpriseActor.userID : county.userID
            posting.region = own ? "云海省东港市" : region(index % 2 == 0 ? 0 : 1)
            posting.keywords = topic.keywords
            posting.indicators = "技术指标达到行业先进水平；投资回收期不超过 3 年。"
            posting.deadline = today.adding(days: 120 + index * 7)
            posting.budget = Double(50 + index * 25)
            posting.ipOwnership = "双方协商"
            posting.solverConditions = "具有相关领域成功案例的高校、科研院所或企业"
            posting.contactName = ["李工", "王经理", "陈主任", "林总"][index % 4]
            posting.contactPhone = "1990000" + String(2000 + index)
            try posting.sealContactPhone(services.secrets)
            if posting.state != .draft { posting.publishedOn = today.adding(days: -(index * 7 + random.int(0...6))) }
            try await posting.create(on: db)
            try await PostingModes.save(posting, on: db)
            if posting.state == .published { searchable.append(posting) }
            if posting.state == .published { demands.append(posting) }
        }
        // The published ones enter the search index in one batch per kind, as `syncSearch` would index each.
        let paths = Dictionary(organizations.compactMap { org in org.id.map { ($0, org.path) } }, uniquingKeysWith: { first, _ in first })
        for kind in Posting.Kind.allCases {
            let documents = try searchable.filter { $0.kind == kind }.map { posting in
                SearchIndexStore.Document(
                    entityID: try posting.requireID().uuidString, organizationPath: paths[posting.organizationID] ?? "/",
                    title: posting.title,
                    text: ([posting.summary, posting.publicDetail] + posting.keywords + [
                        posting.indicators, posting.ownerName, posting.region,
                    ])
                    .joined(separator: "\n"))
            }
            try await SearchIndexStore(db: db, writes: services.writes).indexNew(kind: PostingService.searchKind(kind), documents)
        }
        try await dockings(supplies: supplies, demands: demands, context: context, random: &random, on: db)
        try await stations(cities: cities, counties: counties, organizations: organizations, context: context, on: db)
    }

    /// A docking in every stage (and a second in the open ones), each proposed by the demand's owner and taken through the steps by
    /// the parties, a few days apart.
    static func dockings(
        supplies: [Posting], demands: [Posting], context: DemoContext, random: inout SeededRandom, on db: any Database
    ) async throws {
        let stages: [DockingWorkflow.State] = [.proposed, .intention, .negotiating, .signed, .landed, .terminated, .declined]
        var actors: [UUID: Actor] = [:]
        for name in [
            "demo.orgadmin", "demo.enterprise", "demo.expert", "demo.county1", "demo.county2", "demo.society", "demo.member", "demo.staff",
        ] {
            let actor = try await context.actor(name, on: db)
            actors[actor.userID] = actor
        }
        let admin = try await context.actor("demo.orgadmin", on: db)
        let supplyPool = supplies.filter { $0.ownerUserID != demands.first?.ownerUserID }
        guard !supplyPool.isEmpty, !demands.isEmpty else { return }
        let today = context.today
        var pairs: [(Posting, Posting, DockingWorkflow.State, Int)] = []
        for (index, stage) in (stages + [.proposed, .intention, .negotiating]).enumerated() {
            pairs.append((supplyPool[(index * 5) % supplyPool.count], demands[index % demands.count], stage, 100 - index * 6))
        }
        // Every owner of a supply has at least one docking on their 对接管理 page: the enterprise asks.
        if let enterprise = actors.values.first(where: { $0.username == "demo.enterprise" }),
            let demand = demands.first(where: { $0.ownerUserID == enterprise.userID })
        {
            for name in ["demo.member", "demo.expert", "demo.society", "demo.staff"] {
                guard let owner = actors.values.first(where: { $0.username == name }),
                    let supply = try await Posting.query(on: db).filter(\.$ownerUserID == owner.userID).filter(\.$kind == .supply)
                        .filter(\.$state == .published).sort(\.$title).first(),
                    !pairs.contains(where: { $0.0.id == supply.id })
                else { continue }
                pairs.append((supply, demand, .proposed, 2))
            }
        }
        // Written as `DockingService`'s steps leave them: the record (audited) with its stage days and
        // the history rows, proposed by the demand's owner, answered by the supply's.
        var history: [WorkflowStepRecord] = []
        for (index, (supply, demand, stage, startDaysAgo)) in pairs.enumerated() {
            guard let proposer = actors[demand.ownerUserID], let answerer = actors[supply.ownerUserID], proposer.userID != answerer.userID
            else { continue }
            let docking = Docking()
            let id = UUID()
            docking.id = id
            docking.supplyID = try supply.requireID()
            docking.demandID = try demand.requireID()
            docking.state = .proposed
            docking.proposedBy = .demand
            docking.proposerID = proposer.userID
            docking.supplyConsented = false
            docking.demandConsented = true
            docking.organizationID = demand.organizationID
            docking.proposedOn = today.adding(days: -startDaysAgo)
            docking.notes = ""
            var daysAgo = startDaysAgo
            func step(_ action: String, _ to: DockingWorkflow.State?, _ actor: Actor, _ comment: String?) {
                let row = WorkflowStepRecord()
                row.process = InnovationModule.dockingSubjects.process
                row.subjectID = id
                row.sequence = history.filter { $0.subjectID == id }.count + 1
                row.action = action
                row.fromState = action == "propose" ? "" : docking.state.rawValue
                row.toState = (to ?? docking.state).rawValue
                row.comment = comment
                row.actorID = actor.userID.uuidString
                row.actorName = actor.displayName
                row.organizationID = actor.actingOrganizationID
                row.at = context.now.addingTimeInterval(-Double(max(0, daysAgo)) * 86_400 - Double(random.int(0..<300)) * 60)
                history.append(row)
                if let to { docking.state = to }
            }
            step("propose", .proposed, proposer, "希望就该技术进一步了解合作方式。")
            func day() -> Day { today.adding(days: -max(0, daysAgo)) }
            if stage != .proposed {
                daysAgo -= 3
                if stage == .declined {
                    step("decline", .declined, answerer, "该技术与我方需求的规模不匹配")
                    docking.closedOn = day()
                } else {
                    docking.supplyConsented = true
                    step("accept", .intention, answerer, nil)
                    docking.intentionOn = day()
                }
            }
            if stage == .terminated {
                daysAgo -= 5
                step("terminate", .terminated, admin, "双方在知识产权归属上未能达成一致")
                docking.closedOn = day()
            } else if [.negotiating, .signed, .landed].contains(stage) {
                daysAgo -= 5
                step("negotiate", .negotiating, proposer, "已开展两轮技术交流")
                if stage != .negotiating {
                    daysAgo -= 10
                    let amount = Double(30 + index * 12)
                    step("sign", .signed, proposer, "合同金额 \(DockingService.amount(amount)) 万元；签订技术开发合同")
                    docking.signedOn = day()
                    docking.contractAmount = amount
                }
                if stage == .landed {
                    daysAgo -= 20
                    step("land", .landed, admin, "中试线建成投产")
                    docking.landedOn = day()
                }
            }
            try await docking.create(on: db)
        }
        try await history.create(on: db)
    }

    /// Stations in every city and in the two demo counties, each with a few activities over the year.
    static func stations(
        cities: [Organization], counties: [Organization], organizations: [Organization], context: DemoContext, on db: any Database
    ) async throws {
        let today = context.today
        let recorder = try await context.actor("demo.orgadmin", on: db).userID
        var hosts: [(Organization, Station.Kind, String, Station.HostKind, String)] = []
        let societies = organizations.filter { $0.kind == .society }.sorted { $0.name < $1.name }
        for (index, city) in cities.enumerated() {
            let society = societies[index % max(1, societies.count)]
            let place = city.region ?? city.name
            hosts.append((society, .serviceStation, "\(society.name)\(place)科技服务站", .park, place + "高新技术产业园"))
            hosts.append(
                (city, .expertWorkstation, "\(place)\(["椰林食品", "热带果业", "海洋渔业", "冷链物流"][index % 4])院士专家工作站", .enterprise, place + "企业"))
        }
        for county in counties.prefix(2) {
            let place = String((county.region ?? county.name).suffix(3))
            hosts.append((county, .serviceStation, "\(place)科协乡村科技服务站", .village, place + "中心村"))
        }
        if let countySociety = organizations.first(where: { $0.name == "白沙县医学会" }) {
            hosts.append((countySociety, .serviceStation, "白沙县医学会基层医疗科技服务站", .hospital, "白沙县人民医院"))
        }
        for (index, (organization, kind, name, hostKind, hostName)) in hosts.enumerated() {
            let station = Station()
            station.kind = kind
            station.name = name
            station.hostName = hostName
            station.hostKind = hostKind
            station.organizationID = try organization.requireID()
            station.experts = ["黄文博 研究员 云海省热带农业科学院", "符晓梅 教授 云海大学", "邢志强 正高级工程师 云海理工学院"].prefix(1 + index % 3).joined(separator: "\n")
            station.validFrom = Day.firstDay(of: today.year - index % 2)
            station.validUntil = Day.lastDay(of: today.year + 2)
            station.region = "云海省" + (organization.region ?? "")
            try await station.create(on: db)
            for activity in 0..<(2 + index % 3) {
                let record = StationActivity()
                record.stationID = try station.requireID()
                record.kind = StationActivity.Kind.allCases[(index + activity) % StationActivity.Kind.allCases.count]
                record.heldOn = today.adding(days: -(activity * 45 + index * 3 + 2))
                record.title = ["专家现场技术指导", "新技术推广培训", "解决生产线技术难题", "病虫害防治现场会"][(index + activity) % 4]
                record.participants = 10 + (index * 7 + activity * 13) % 60
                record.notes = ""
                record.recordedBy = recorder
                try await record.create(on: db)
            }
        }
    }
}
