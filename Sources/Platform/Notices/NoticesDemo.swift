import Fluent
import Foundation

/// The demo province's 通知公告 (from the province and 东港市, some pinned, some internal, one scheduled,
/// one with an attachment) and its site footer.
enum NoticesDemo {
    struct Item {
        let organization: String
        let title: String
        let body: String
        let isPublic: Bool
        let isPinned: Bool
        /// Days before the demo's "now" (negative: scheduled in the future).
        let daysAgo: Double
    }

    static let province = "云海省科学技术协会"
    static let city = "东港市科学技术协会"

    static let items: [Item] = [
        Item(
            organization: province, title: "关于开展2027年度云海省科技工作者状况调查的通知",
            body: """
                各市科协、省级学会：

                为掌握全省科技工作者的工作、生活和发展状况，省科协决定于2027年1月开展年度调查。

                ## 调查对象
                - 全省各类企事业单位的科技工作者
                - 在云海高校就读的博士研究生

                ## 工作要求
                请各单位于 **2026年12月31日前** 报送联络员名单，调查方案见附件。
                """, isPublic: true, isPinned: true, daysAgo: 2),
        Item(
            organization: province, title: "云海省科协诉求办理服务上线试运行公告",
            body: """
                “智慧科协”一网受理平台已上线试运行。科技工作者和社会公众可在线提交诉求、意见建议，凭受理编号查询办理进度。

                办理时限：受理后 **15 个工作日** 内答复；情况复杂的，经批准可延长。

                提交入口见首页“我要办事”，也可阅读[办理指南](/service/new)。
                """, isPublic: true, isPinned: true, daysAgo: 9),
        Item(
            organization: province, title: "2026年云海省优秀科技论文评选结果公示",
            body: """
                经形式审查、专家评审和省科协党组审定，拟评选优秀科技论文 120 篇，现予公示。

                公示期为 7 天。对公示结果有异议的，请在公示期内以书面形式向省科协学会学术部反映，并注明真实姓名和联系方式。
                """, isPublic: true, isPinned: false, daysAgo: 5),
        Item(
            organization: province, title: "关于征集2027年度科技成果转化项目的通知",
            body: """
                为推动科技成果与企业需求精准对接，现面向全省高校、科研院所和学会征集可转化的科技成果。

                1. 成果应具有自主知识产权
                2. 技术成熟度一般不低于 TRL 4
                3. 通过“科创对接 · 技术供给”在线填报

                联系人：学会学术部 陈老师，0898-65300001。
                """, isPublic: true, isPinned: false, daysAgo: 12),
        Item(
            organization: province, title: "2026年全国科普日云海省主场活动回顾",
            body: """
                全国科普日期间，全省共举办科普活动 1,260 场，参与公众逾 85 万人次。

                省主场活动设“海洋科技”“热带农业”“人工智能”三个展区，32 家学会和高校参展。
                """, isPublic: true, isPinned: false, daysAgo: 30),
        Item(
            organization: province, title: "关于做好年终工作总结和统计报表报送工作的通知",
            body: """
                各市科协、省级学会：

                请于 **2027年1月10日前** 通过平台“工作计划”填报年度任务完成情况，并报送统计报表。

                本通知为内部通知，请勿对外转发。
                """, isPublic: false, isPinned: true, daysAgo: 1),
        Item(
            organization: province, title: "省科协机关2027年元旦值班安排",
            body: """
                - 12月30日：办公室
                - 12月31日：组织人事部
                - 1月1日：科普部

                值班人员须保持通讯畅通，遇重要情况及时报告。
                """, isPublic: false, isPinned: false, daysAgo: 3),
        Item(
            organization: city, title: "东港市2026年青少年科技创新大赛获奖名单",
            body: """
                东港市第二十届青少年科技创新大赛评审工作已经结束，共评出一等奖 18 项、二等奖 35 项、三等奖 52 项。

                获奖证书由各县科协统一领取。
                """, isPublic: true, isPinned: false, daysAgo: 7),
        Item(
            organization: city, title: "关于东港市科技志愿服务站点年度考核的通知",
            body: """
                各县科协：

                请组织辖区科技志愿服务站点完成年度自评，于12月25日前报市科协科普部。考核结果将作为下年度经费安排的依据。
                """, isPublic: false, isPinned: false, daysAgo: 4),
        Item(
            organization: province, title: "2027年度省级学会学术年会申报指南",
            body: """
                2027年度省级学会学术年会申报将于1月开始，届时通过平台在线申报。本公告到时自动发布。
                """, isPublic: true, isPinned: false, daysAgo: -10),
    ]

    /// A one-page PDF (the survey plan), so the demo shows a downloadable attachment.
    static let surveyPlan = Data(
        """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)

    static let footer = SiteFooter(
        host: "云海省科学技术协会", address: "云海省海城市滨海大道 168 号科技会堂", phone: "0898-65300000",
        icp: "云ICP备2026000001号-1", publicSecurity: "云公网安备 46010802000001号")

    static func load(on db: any Database, services: PlatformServices) async throws {
        guard try await NoticeRecord.query(on: db).count() == 0,
            let author = try await User.query(on: db).filter(\.$username == "demo.orgadmin").first()
        else { return }
        let names = Set(items.map(\.organization))
        let organizations = try await Organization.query(on: db).filter(\.$name ~~ Array(names)).all()
        let byName = Dictionary(organizations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let now = services.clock()
        for item in items {
            guard let organization = byName[item.organization] else { continue }
            let notice = NoticeRecord()
            notice.id = UUID()
            notice.organizationID = try organization.requireID()
            notice.title = item.title
            notice.body = item.body
            notice.isPublic = item.isPublic
            notice.isPinned = item.isPinned
            notice.publishAt = now.addingTimeInterval(-item.daysAgo * 86_400)
            notice.authorID = try author.requireID()
            try await notice.create(on: db)
            if item.isPinned && item.isPublic && item.daysAgo == 2 {
                try await FileStore(services: services).store(
                    [UploadedFile(name: "调查工作方案.pdf", data: surveyPlan)], owner: NoticeService.owner(try notice.requireID()),
                    organizationID: notice.organizationID, uploadedBy: author.id, check: NoticeService.check, on: db)
            }
        }
        if try await PlatformSetting.find(SiteFooter.settingKey, on: db) == nil {
            try await SiteFooterCache.save(footer, services: services, on: db)
        }
    }
}
