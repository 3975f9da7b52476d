import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// 通知公告, the portal and the footer. These suites run on SQLite and, with DATABASE_URL, on PostgreSQL.
class NoticeTestCase: DemoTestCase {
    let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)

    func actor(_ username: String) async throws -> Actor {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw Abort(.internalServerError, reason: "no user \(username)")
        }
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    var service: NoticeService { NoticeService(db: app.db, services: app.platform) }

    /// A notice written by the province's administrator (or `by`) through the service.
    @discardableResult
    func publish(
        _ title: String, by username: String = "demo.orgadmin", organization: Organization, isPublic: Bool, pinned: Bool = false,
        body: String = "正文", at publishAt: String = "", files: [UploadedFile] = []
    ) async throws -> NoticeRecord {
        try await service.save(
            .init(
                organizationID: try organization.requireID().uuidString, title: title, body: body,
                visibility: isPublic ? "public" : "internal", pinned: pinned, publishAt: publishAt),
            files: files, id: nil, actor: try await actor(username))
    }

    /// A member of 西林市科协: another city than 东港市.
    func otherCityToken() async throws -> String {
        let city = try await organization("西林市科学技术协会")
        let user = User(username: "xilin.member", displayName: "西林市会员", passwordHash: try await app.password.async.hash("Xilin-2026-pass"))
        try await user.create(on: app.db)
        try await RoleGrant(userID: user.requireID(), role: .member, organizationID: city.requireID()).create(on: app.db)
        return try await token("xilin.member")
    }

    func token(_ username: String) async throws -> String {
        let user = try await XCTUnwrapAsync(try await User.query(on: app.db).filter(\.$username == username).first())
        return try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "t", expiresInDays: nil)
            .token
    }

    /// The error a call throws (nil when it succeeds).
    func refusal<T>(_ body: () async throws -> T) async -> PlatformError? {
        do {
            _ = try await body()
            return nil
        } catch let error as PlatformError {
            return error
        } catch {
            XCTFail("unexpected \(error)")
            return nil
        }
    }

    func api(_ path: String, token: String?) async throws -> XCTHTTPResponse {
        var headers: HTTPHeaders = [:]
        if let token { headers.bearerAuthorization = .init(token: token) }
        return try await app.testable().sendRequest(.GET, path, headers: headers)
    }
}

final class NoticeServiceTests: NoticeTestCase {
    func testInternalNoticesReachTheSubtreeOfThePublisherOnly() async throws {
        let dongGang = try await organization("东港市科学技术协会")
        let notice = try await publish("东港市内部通知", organization: dongGang, isPublic: false)
        let id = try notice.requireID()
        // Visible in the subtree: 青石县 is under 东港市.
        let county = try await service.readable(id, actor: try await actor("demo.county1"))
        XCTAssertEqual(county.title, "东港市内部通知")
        // Not to the province above it, an enterprise or member of the province, nor a visitor.
        for username in ["demo.orgadmin", "demo.enterprise", "demo.member"] {
            let reader = try await actor(username)
            let error = await refusal { try await self.service.readable(id, actor: reader) }
            XCTAssertEqual(error, .notFound, username)
        }
        let visitor = await refusal { try await self.service.readable(id, actor: nil) }
        XCTAssertEqual(visitor, .notFound)
    }

    func testAScheduledNoticeShowsFromItsTimeAndAWithdrawnOneNoMore() async throws {
        let later = Date(timeIntervalSince1970: 1_795_000_000 + 3600)
        let notice = try await publish(
            "定时公告", organization: demo.province, isPublic: true, at: NoticeService.minuteField(later))
        let id = try notice.requireID()
        expectEqual(try await service.readable(actor: nil).filter(\.$id == id).count(), 0)
        clock.advance(minutes: 60)
        expectEqual(try await service.readable(actor: nil).filter(\.$id == id).count(), 1)
        try await service.withdraw(id, actor: try await actor("demo.orgadmin"))
        expectEqual(try await service.readable(actor: nil).filter(\.$id == id).count(), 0)
        // Every change is in the audit log.
        let actions = try await AuditEntry.query(on: app.db).filter(\.$entityType == "notice").filter(\.$entityID == id.uuidString).all()
            .map(\.action)
        XCTAssertEqual(actions, ["create", "update"])
    }

    func testEveryProblemOfTheInputIsReportedAtOnce() async throws {
        let staff = try await actor("demo.orgadmin")
        do {
            try await service.save(
                .init(organizationID: "nope", title: " ", body: "", visibility: "everyone", pinned: false, publishAt: "2026-13-40 25:00"),
                files: [UploadedFile(name: "a.exe", data: Data("MZ program".utf8))], id: nil, actor: staff)
            XCTFail("saved an invalid notice")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(
                invalid.invalid.messages,
                [
                    "organization": "请选择本单位或下级单位", "title": "请填写标题", "body": "请填写正文", "visibility": "请选择公开或内部",
                    "publishAt": "请按“年-月-日 时:分”填写发布时间",
                    "files": "“a.exe”不是 PDF、图片或 Word/Excel/PowerPoint 文件（按文件内容判断，与扩展名无关）",
                ])
            XCTAssertEqual(invalid.field, "organization")
        }
        expectEqual(try await NoticeRecord.query(on: app.db).filter(\.$title == " ").count(), 0)
    }

    func testStaffManageOnlyTheirSubtreeAndMembersNothing() async throws {
        let provincial = try await publish("省级公开通知", organization: demo.province, isPublic: true)
        let county = try await actor("demo.county2")
        // A public notice above: readable, so the refusal says so (403); an internal one it cannot read is 404.
        let above = await refusal { try await self.service.managed(try provincial.requireID(), actor: county) }
        XCTAssertEqual(above, .forbidden)
        let westCity = try await organization("西林市科学技术协会")
        let otherInternal = try await publish("西林市内部通知", organization: westCity, isPublic: false)
        let hidden = await refusal { try await self.service.managed(try otherInternal.requireID(), actor: county) }
        XCTAssertEqual(hidden, .notFound)
        // Without the permission nothing is managed, not even what one reads.
        let member = try await actor("demo.member")
        let unpermitted = await refusal { try await self.service.withdraw(try provincial.requireID(), actor: member) }
        XCTAssertEqual(unpermitted, .forbidden)
        let dongGang = try await organization("东港市科学技术协会")
        // A county may not publish for the city above it.
        do {
            try await publish("越级发布", by: "demo.county1", organization: dongGang, isPublic: true)
            XCTFail("published above its subtree")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(invalid.invalid["organization"], "请选择本单位或下级单位")
        }
    }

    func testTheSearchProviderFindsWhatTheSearcherMayRead() async throws {
        let dongGang = try await organization("东港市科学技术协会")
        try await publish("东港市内部检索测试", organization: dongGang, isPublic: false)
        try await publish("全省公开检索测试", organization: demo.province, isPublic: true, body: "正文含有 **重点**")
        let registry = app.platform.registry
        let anonymous = try await registry.search(SearchRequest(text: "检索测试", actor: nil, limit: 10, now: clock.now), on: app.db)
        XCTAssertEqual(anonymous.map(\.title), ["全省公开检索测试"])
        XCTAssertEqual(anonymous.map(\.kind), ["notice"])
        XCTAssertEqual(anonymous.first?.snippet, "正文含有 重点")
        let county = try await registry.search(
            SearchRequest(text: "检索测试", actor: try await actor("demo.county1"), limit: 10, now: clock.now), on: app.db)
        XCTAssertEqual(Set(county.map(\.title)), ["东港市内部检索测试", "全省公开检索测试"])
        let province = try await registry.search(
            SearchRequest(text: "检索测试", actor: try await actor("demo.orgadmin"), limit: 10, now: clock.now), on: app.db)
        XCTAssertEqual(province.map(\.title), ["全省公开检索测试"], "a city's internal notice is not the province's")
    }

    func testTheDemoHasBelievableNoticesAndAFooter() async throws {
        let all = try await NoticeRecord.query(on: app.db).all()
        XCTAssertEqual(all.count, 10)
        XCTAssertEqual(all.filter(\.isPinned).count, 3)
        XCTAssertEqual(all.filter { !$0.isPublic }.count, 3)
        expectEqual(
            try await FileStore(services: app.platform).list(type: "notice", ids: all.compactMap(\.id), on: app.db).map(\.fileName),
            ["调查工作方案.pdf"])
        let footer = await app.platform.siteFooter.current(on: app.db, now: clock.now)
        XCTAssertEqual(footer.host, "云海省科学技术协会")
    }
}

final class PortalRouteTests: NoticeTestCase {
    func testAVisitorSeesThePortalWithEveryChannelAndThePublicNoticesPinnedFirst() async throws {
        let response = try await Browser(app).get("/")
        XCTAssertEqual(response.status, .ok)
        let page = ParsedPage(response.body.string)
        let channels = page.elements(attribute: "data-portal-channel").compactMap { $0.attribute("data-portal-channel") }
        XCTAssertEqual(
            channels,
            [
                "login", "signup", "servicehall.new", "servicehall.track", "servicehall.public", "innovation.supplies",
                "innovation.demands", "events.calendar", "awards.programs",
                "platform.notices", "platform.publicities", "notices",
            ])
        XCTAssertEqual(page.link(to: "/service/new")?.attribute("data-portal-channel"), "servicehall.new")
        XCTAssertEqual(page.link(to: "/innovation/demands")?.attribute("data-portal-channel"), "innovation.demands")
        let titles = page.element(id: "portal-notices")?.elements("a").map(\.text) ?? []
        XCTAssertEqual(
            titles,
            [
                "关于开展2027年度云海省科技工作者状况调查的通知", "云海省科协诉求办理服务上线试运行公告", "2026年云海省优秀科技论文评选结果公示",
                "东港市2026年青少年科技创新大赛获奖名单", "关于征集2027年度科技成果转化项目的通知", "2026年全国科普日云海省主场活动回顾",
            ], "public ones only, pinned first, then the newest; not the internal nor the scheduled one")
        XCTAssertEqual(page.element(id: "footer-host")?.text, "主办单位：云海省科学技术协会")
        XCTAssertEqual(page.element(id: "footer-icp")?.text, "云ICP备2026000001号-1")
    }

    func testALoggedInUserKeepsTheWorkHomeAtTheRootAndAtWorkbench() async throws {
        let member = try await loggedIn("demo.member")
        for path in ["/", "/workbench"] {
            let response = try await member.get(path)
            XCTAssertEqual(response.status, .ok, path)
            let page = ParsedPage(response.body.string)
            XCTAssertNil(page.element(id: "portal-channels"), path)
            XCTAssertTrue(response.body.string.contains("您好，演示科技工作者"), path)
        }
        expectEqual(try await Browser(app).get("/workbench").location, "/login?next=%2Fworkbench")
    }

    func testTheFooterIsEditedBySystemAdministratorsOnlyAndShowsAtOnce() async throws {
        let orgadmin = try await loggedIn("demo.orgadmin")
        expectEqual(try await orgadmin.get("/admin/site-footer").status, .forbidden)
        let sysadmin = try await loggedIn("demo.sysadmin")
        let refused = try await sysadmin.post(
            "/admin/site-footer", ["host": "", "address": "海城市", "phone": "电话123", "icp": "备案", "publicSecurity": "x"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let form = ParsedPage(refused.body.string)
        XCTAssertEqual(
            form.elements(attribute: "data-field").compactMap { $0.attribute("data-field") }, ["host", "phone", "icp", "publicSecurity"])
        XCTAssertEqual(form.fieldError("phone"), "联系电话只能包含数字、空格、括号和“-”，不超过 30 个字符")
        let saved = try await sysadmin.post(
            "/admin/site-footer",
            ["host": "云海省科协办公室", "address": "滨海大道 1 号", "phone": "0898-1234 5678", "icp": "云ICP备2026000009号", "publicSecurity": ""])
        XCTAssertEqual(saved.status, .seeOther)
        let portal = ParsedPage(try await Browser(app).get("/").body.string)
        XCTAssertEqual(portal.element(id: "footer-host")?.text, "主办单位：云海省科协办公室")
        XCTAssertEqual(portal.element(id: "footer-phone")?.text, "联系电话：0898-1234 5678")
        XCTAssertNil(portal.element(id: "footer-public-security"))
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "site_footer").sort(\.$id, .descending).first()
        XCTAssertEqual(audit?.summary, "主办单位=云海省科协办公室; 地址=滨海大道 1 号; 联系电话=0898-1234 5678; ICP 备案号=云ICP备2026000009号; 公安备案号=空")
    }
}

final class NoticeRouteTests: NoticeTestCase {
    func testAnInternalNoticeIsHiddenOutsideItsSubtreeOnPagesFilesAndTheAPI() async throws {
        let dongGang = try await organization("东港市科学技术协会")
        let notice = try await publish(
            "东港市内部通知", organization: dongGang, isPublic: false, files: [UploadedFile(name: "名单.pdf", data: pdf)])
        let id = try notice.requireID()
        let file = try await XCTUnwrapAsync(try await FileStore(services: app.platform).list(NoticeService.owner(id), on: app.db).first)
        let path = "/notices/\(id.uuidString)"

        let visitor = Browser(app)
        expectEqual(try await visitor.get(path).status, .notFound)
        expectTrue(!(try await visitor.get("/notices").body.string.contains("东港市内部通知")))
        expectEqual(try await visitor.get(file.link).location, PlatformRoutes.login(next: file.link))
        expectEqual(try await api("/api/v1/notices/\(id.uuidString)", token: nil).status, .notFound)

        for username in ["demo.enterprise", "demo.member"] {
            let outsider = try await loggedIn(username)
            expectEqual(try await outsider.get(path).status, .notFound, username)
            expectEqual(try await outsider.get(file.link).status, .notFound, username)
        }
        // The province's readers do not see it (not on its lists, not its file); its administrators, who
        // manage the city's notices, open it marked as internal to the city.
        let province = try await loggedIn("demo.orgadmin")
        expectTrue(!(try await province.get("/notices").body.string.contains("东港市内部通知")))
        expectEqual(try await province.get(file.link).status, .notFound)
        let managed = ParsedPage(try await province.get(path).body.string)
        XCTAssertEqual(
            managed.element(id: "notice-status")?.text, "此通知为下级单位的内部通知，只有发布单位及其下级单位的用户能看到；您作为上级单位的管理人员可以查看。")
        let otherCity = try await otherCityToken()
        expectEqual(try await api("/api/v1/notices/\(id.uuidString)", token: otherCity).status, .notFound)

        let county = try await loggedIn("demo.county1")
        let shown = try await county.get(path)
        XCTAssertEqual(shown.status, .ok)
        XCTAssertEqual(ParsedPage(shown.body.string).element(id: "notice-organization")?.text, "东港市科学技术协会")
        expectEqual(try await county.get(file.link).status, .ok)
        let countyToken = try await token("demo.county1")
        let json = try await api("/api/v1/notices/\(id.uuidString)", token: countyToken)
        XCTAssertEqual(json.status, .ok)
        let dto = try json.content.decode(NoticeDTO.self)
        XCTAssertEqual(dto.isPublic, false)
        XCTAssertEqual(dto.attachments?.map(\.fileName), ["名单.pdf"])
        let list = try await api("/api/v1/notices?per=50", token: countyToken).content.decode(PageDTO<NoticeDTO>.self)
        XCTAssertTrue(list.items.contains { $0.id == id })
        let anonymousList = try await api("/api/v1/notices?per=50", token: nil).content.decode(PageDTO<NoticeDTO>.self)
        XCTAssertEqual(anonymousList.total, 6)
        XCTAssertTrue(anonymousList.items.allSatisfy(\.isPublic))
        let searched = try await api("/api/v1/notices?q=%E5%85%AC%E7%A4%BA", token: nil).content.decode(PageDTO<NoticeDTO>.self)
        XCTAssertEqual(searched.items.map(\.title), ["2026年云海省优秀科技论文评选结果公示"])
        let tooLong = try await api("/api/v1/notices?q=" + String(repeating: "0", count: 101), token: nil)
        XCTAssertEqual(tooLong.status, .unprocessableEntity)
        XCTAssertEqual(try tooLong.content.decode(APIErrorBody.self).error.field, "q")
    }

    func testAVisitorReadsAPublicNoticeAndDownloadsItsAttachment() async throws {
        let notice = try await XCTUnwrapAsync(
            try await NoticeRecord.query(on: app.db).filter(\.$title == "关于开展2027年度云海省科技工作者状况调查的通知").first())
        let visitor = Browser(app)
        let page = try await visitor.get("/notices/\(try notice.requireID().uuidString)")
        XCTAssertEqual(page.status, .ok)
        let parsed = ParsedPage(page.body.string)
        XCTAssertEqual(parsed.element(id: "notice-body")?.elements("h2").map(\.text), ["调查对象", "工作要求"])
        let link = try XCTUnwrap(parsed.element(id: "notice-attachments")?.elements("a").first?.attribute("href"))
        let download = try await visitor.get(link)
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.headers.first(name: .contentType), "application/pdf")
        XCTAssertEqual(Data(buffer: download.body).prefix(8), Data("%PDF-1.4".utf8))
        XCTAssertNil(parsed.element(id: "notice-actions"), "a visitor has no edit or withdraw")
    }

    func testAScheduledNoticeIsNotShownBeforeItsTime() async throws {
        let notice = try await publish(
            "明天上午发布的公告", organization: demo.province, isPublic: true,
            at: NoticeService.minuteField(Date(timeIntervalSince1970: 1_795_000_000 + 86_400)))
        let path = "/notices/\(try notice.requireID().uuidString)"
        let visitor = Browser(app)
        expectEqual(try await visitor.get(path).status, .notFound)
        expectTrue(!(try await visitor.get("/").body.string.contains("明天上午发布的公告")))
        let staff = try await loggedIn("demo.orgadmin")
        let managed = ParsedPage(try await staff.get("/admin/notices?q=明天上午").body.string)
        XCTAssertEqual(managed.elements(attribute: "data-status").compactMap { $0.attribute("data-status") }, ["scheduled"])
        // Its staff open it from their list, marked as not yet shown.
        let preview = ParsedPage(try await staff.get(path).body.string)
        XCTAssertEqual(preview.element(id: "notice-status")?.text, "此通知待发布，读者看不到。")
        expectEqual(try await loggedIn("demo.county1").get(path).status, .notFound)
        clock.advance(minutes: 24 * 60)
        expectEqual(try await visitor.get(path).status, .ok)
    }

    func testRawHTMLAndScriptLinksInABodyComeOutEscaped() async throws {
        let notice = try await publish(
            "格式测试", organization: demo.province, isPublic: true,
            body: "<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n[点我](javascript:alert(1)) [官网](https://www.cast.org.cn)")
        let response = try await Browser(app).get("/notices/\(try notice.requireID().uuidString)")
        let html = response.body.string
        XCTAssertFalse(html.contains("<script>alert"))
        XCTAssertFalse(html.contains("<img src=x"))
        XCTAssertFalse(html.contains("javascript:"))
        let body = try XCTUnwrap(ParsedPage(html).element(id: "notice-body"))
        XCTAssertEqual(body.elements("a").compactMap { $0.attribute("href") }, ["https://www.cast.org.cn"])
        XCTAssertEqual(body.elements("p").first?.rawText, "<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n点我) 官网")
    }

    func testStaffPublishThroughTheFormAndOutsidersAreRefused() async throws {
        let staff = try await loggedIn("demo.staff")
        let refused = try await staff.post("/admin/notices/new", ["organization": "", "title": "", "body": "", "visibility": ""])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(
            ParsedPage(refused.body.string).elements(attribute: "data-field").compactMap { $0.attribute("data-field") },
            ["organization", "title", "body", "visibility"])
        let saved = try await staff.post(
            "/admin/notices/new",
            [
                "organization": try demo.province.requireID().uuidString, "title": "科普部通知", "body": "请各单位**按时**报送。",
                "visibility": "public", "pinned": "yes", "publishAt": "",
            ])
        XCTAssertEqual(saved.status, .seeOther)
        let notice = try await XCTUnwrapAsync(try await NoticeRecord.query(on: app.db).filter(\.$title == "科普部通知").first())
        XCTAssertEqual(saved.location, "/notices/\(try notice.requireID().uuidString)?notice=notice_saved")
        XCTAssertTrue(notice.isPinned)
        let portal = ParsedPage(try await Browser(app).get("/").body.string)
        XCTAssertEqual(portal.element(id: "portal-notices")?.elements("a").first?.text, "科普部通知", "pinned and newest")
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "notice").filter(\.$action == "create")
            .filter(\.$entityID == notice.requireID().uuidString).count()
        XCTAssertEqual(audit, 1)

        // A county's administrator may not edit or withdraw the province's notice; a member may not manage at all.
        let county = try await loggedIn("demo.county2")
        expectEqual(try await county.get("/admin/notices/\(try notice.requireID().uuidString)/edit").status, .forbidden)
        expectEqual(try await county.post("/admin/notices/\(try notice.requireID().uuidString)/withdraw", [:]).status, .forbidden)
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.get("/admin/notices").status, .forbidden)
        expectEqual(try await member.get("/admin/notices/new").status, .forbidden)

        let withdrawn = try await staff.post("/admin/notices/\(try notice.requireID().uuidString)/withdraw", [:])
        XCTAssertEqual(withdrawn.location, "/admin/notices?notice=notice_withdrawn")
        expectEqual(try await Browser(app).get("/notices/\(try notice.requireID().uuidString)").status, .notFound)
    }

    func testTheStaffListFiltersSortsPagesAndExports() async throws {
        let staff = try await loggedIn("demo.orgadmin")
        let all = ParsedPage(try await staff.get("/admin/notices").body.string)
        XCTAssertEqual(all.rows(inTable: "manage-notices").count, 10)
        let internalOnly = ParsedPage(try await staff.get("/admin/notices?visibility=internal&sort=title").body.string)
        XCTAssertEqual(
            internalOnly.column(0, inTable: "manage-notices"),
            ["关于东港市科技志愿服务站点年度考核的通知", "关于做好年终工作总结和统计报表报送工作的通知置顶", "省科协机关2027年元旦值班安排"])
        let dongGang = try await organization("东港市科学技术协会")
        let city = ParsedPage(try await staff.get("/admin/notices?organization=\(try dongGang.requireID().uuidString)").body.string)
        XCTAssertEqual(city.column(1, inTable: "manage-notices"), ["东港市科学技术协会", "东港市科学技术协会"])
        let searched = ParsedPage(try await staff.get("/admin/notices?q=值班").body.string)
        XCTAssertEqual(searched.column(0, inTable: "manage-notices"), ["省科协机关2027年元旦值班安排"])
        let csv = try await staff.get("/admin/notices?visibility=internal&format=csv")
        XCTAssertEqual(csv.status, .ok)
        XCTAssertEqual(csv.body.string.split(whereSeparator: \.isNewline).count, 4)
        let xlsx = try await staff.get("/admin/notices?format=xlsx")
        XCTAssertEqual(try XLSXReader(data: Data(buffer: xlsx.body)).rows().count, 11)
        let readers = ParsedPage(try await Browser(app).get("/notices?q=公示").body.string)
        XCTAssertEqual(readers.element(id: "notices")?.elements("li").count, 1)
        let board = ParsedPage(try await Browser(app).get("/notices").body.string)
        XCTAssertEqual(
            board.element(id: "notices")?.elements("li").map { $0.elements(class: "pinned").count }, [1, 1, 0, 0, 0, 0],
            "pinned first on the board too")
        let byTitle = ParsedPage(try await Browser(app).get("/notices?sort=title").body.string)
        XCTAssertEqual(byTitle.element(id: "notices")?.elements("li").first?.elements("a").first?.text, "2026年云海省优秀科技论文评选结果公示")
    }
}
