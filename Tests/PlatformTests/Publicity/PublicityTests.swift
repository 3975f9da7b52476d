import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

/// 公示与异议. The test clock reads 2026-11-18 (a Wednesday); the demo's publicity runs from 2026-11-16
/// to 2026-11-20 (five working days). These suites run on SQLite and, with DATABASE_URL, on PostgreSQL.
class PublicityTestCase: DemoTestCase {
    var service: PublicityService { PublicityService(db: app.db, services: app.platform) }

    func actor(_ username: String) async throws -> Actor {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw Abort(.internalServerError, reason: "no user \(username)")
        }
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    func day(_ text: String) -> Day { Day(text)! }

    /// A publicity of the province with three items.
    func open(startsOn: String, workingDays: Int = 5, labels: [String] = ["张三", "李四", "王五"]) async throws -> UUID {
        try await service.open(
            PublicityDraft(
                owner: PublicityOwner(module: "awards", kind: "round", id: UUID()), organizationID: try demo.province.requireID(),
                title: "测试奖项拟授奖名单公示", summary: "现予公示。",
                items: labels.map { PublicityItemDraft(ownerItemID: UUID(), label: $0, detail: "云海大学", outcome: "拟授奖") },
                startsOn: day(startsOn), workingDays: workingDays, ownerLink: nil),
            by: try await actor("demo.orgadmin"))
    }

    func objection(item: UUID? = nil) -> PublicityService.ObjectionInput {
        .init(name: "张异议", contact: "13800001234", content: "所报成果与事实不符，请予核实。", itemID: item?.uuidString, consent: true)
    }

    var demoPublicity: PublicityRecord {
        get async throws {
            try await XCTUnwrapAsync(try await PublicityRecord.query(on: app.db).filter(\.$title == PublicityDemo.title).first())
        }
    }

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
}

final class PublicityServiceTests: PublicityTestCase {
    func testThePeriodEndsOnTheNthWorkingDayAcrossTheNationalHoliday() async throws {
        // 9-28, 9-29, 9-30, (国庆节 10-01…10-07), 10-08, 10-09.
        let first = try await open(startsOn: "2026-09-28")
        expectEqual(try await service.record(first).endsOn.description, "2026-10-09")
        // From a Saturday that is not a working day: the count starts on Monday.
        let weekend = try await open(startsOn: "2026-09-26")
        expectEqual(try await service.record(weekend).endsOn.description, "2026-10-09")
        // 10-10 is a Saturday the State Council made a working day.
        let adjusted = try await open(startsOn: "2026-09-30", workingDays: 4)
        expectEqual(try await service.record(adjusted).endsOn.description, "2026-10-10")
        let summaries = try await service.publicities(
            owner: PublicityOwner(module: "platform", kind: "commendation", id: PublicityDemo.ownerID))
        XCTAssertEqual(summaries.map(\.title), [PublicityDemo.title])
        XCTAssertEqual(summaries.map(\.endsOn.description), ["2026-11-20"])
    }

    func testADraftIsCheckedWhole() async throws {
        do {
            _ = try await service.open(
                PublicityDraft(
                    owner: PublicityOwner(module: "awards", kind: "round", id: UUID()), organizationID: UUID(), title: " ", summary: "",
                    items: [], startsOn: day("2026-11-18"), workingDays: 31, ownerLink: nil),
                by: try await actor("demo.county1"))
            XCTFail("opened an empty publicity")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(
                invalid.invalid.messages,
                [
                    "title": "请填写公示标题", "items": "公示名单不能为空", "workingDays": "公示期为 1 至 30 个工作日",
                    "organization": "公示单位须为本单位或下级单位",
                ])
            XCTAssertEqual(invalid.field, "organization")
        }
    }

    func testStatusMovesFromScheduledToRunningToAwaitingToFinal() async throws {
        // Thursday 11-19, one working day.
        let id = try await open(startsOn: "2026-11-19", workingDays: 1)
        expectEqual(try await service.status(id, today: day("2026-11-18")), .scheduled(startsOn: day("2026-11-19")))
        let early = await refusal { try await self.service.file(id, self.objection()) }
        XCTAssertEqual(early, .notFound, "a publicity that has not started is not shown")
        clock.advance(minutes: 24 * 60)
        expectEqual(try await service.status(id, today: day("2026-11-19")), .running(endsOn: day("2026-11-19")))
        let filed = try await service.file(id, objection())
        XCTAssertEqual(filed.state, .received)
        expectEqual(try await service.status(id, today: day("2026-11-20")), .awaitingSettlement(open: 1))
        clock.advance(minutes: 24 * 60)
        let late = await refusal { try await self.service.file(id, self.objection()) }
        XCTAssertEqual(late, .publicityClosed)
        let staff = try await actor("demo.staff")
        try await service.addNote(try filed.requireID(), note: "已向推荐单位核实。", actor: staff)
        expectEqual(try await PublicityObjectionRecord.find(try filed.requireID(), on: app.db)?.state, .investigating)
        try await service.decide(try filed.requireID(), verdict: .rejected, reason: "经核实，情况属实，不影响评选。", withdraw: false, actor: staff)
        expectEqual(try await service.status(id, today: day("2026-11-20")), .final)
        // A decision is final.
        let again = await refusal {
            try await self.service.decide(try filed.requireID(), verdict: .upheld, reason: "改判", withdraw: false, actor: staff)
        }
        XCTAssertEqual(again, .publicityObjectionDecided)
        let actions = try await AuditEntry.query(on: app.db).filter(\.$entityType == "publicity_objection")
            .filter(\.$entityID == (try filed.requireID()).uuidString).all().map(\.action)
        XCTAssertEqual(actions, ["create", "update", "update"])
    }

    func testAnUpheldObjectionWithdrawsItsItem() async throws {
        let id = try await open(startsOn: "2026-11-18")
        let items = try await service.items(id)
        let filed = try await service.file(id, objection(item: items[1].id))
        let staff = try await actor("demo.orgadmin")
        do {
            try await service.decide(try filed.requireID(), verdict: .rejected, reason: "不成立", withdraw: true, actor: staff)
            XCTFail("withdrew on a rejected objection")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(invalid.invalid.messages, ["withdraw": "只有异议成立时才能撤销名单中的一项"])
        }
        try await service.decide(try filed.requireID(), verdict: .upheld, reason: "论文存在署名争议。", withdraw: true, actor: staff)
        let after = try await service.items(id)
        XCTAssertEqual(after.map(\.withdrawn), [false, true, false])
        XCTAssertEqual(after[1].label, "李四")
        XCTAssertEqual(after[1].changeNote, "经核查，异议成立，撤销该项：论文存在署名争议。")
    }

    func testOfTwoDecisionsAtOnceOnlyOneStands() async throws {
        let id = try await open(startsOn: "2026-11-18")
        let objectionID = try await service.file(id, objection()).requireID()
        let staff = try await actor("demo.staff")
        let admin = try await actor("demo.orgadmin")
        let service = self.service
        let decide: @Sendable (PublicityObjectionRecord.Verdict, String, Actor) async -> PlatformError? = { verdict, reason, actor in
            do {
                try await service.decide(objectionID, verdict: verdict, reason: reason, withdraw: false, actor: actor)
                return nil
            } catch let error as PlatformError {
                return error
            } catch {
                return .internalError
            }
        }
        async let first = decide(.upheld, "甲的结论", staff)
        async let second = decide(.rejected, "乙的结论", admin)
        let outcomes = await [first, second]
        XCTAssertEqual(outcomes.filter { $0 == nil }.count, 1, "\(outcomes)")
        XCTAssertEqual(outcomes.compactMap { $0 }, [.publicityObjectionDecided])
        let stored = try await XCTUnwrapAsync(try await PublicityObjectionRecord.find(objectionID, on: app.db))
        XCTAssertEqual(stored.state, .decided)
        XCTAssertEqual(stored.reason, outcomes[0] == nil ? "甲的结论" : "乙的结论")
    }

    func testObjectionInputIsCheckedWholeAndNameAndContactAreSealed() async throws {
        let id = try await open(startsOn: "2026-11-18")
        do {
            _ = try await service.file(id, .init(name: " ", contact: "12345", content: "太短", itemID: UUID().uuidString, consent: false))
            XCTFail("filed an invalid objection")
        } catch let invalid as InvalidFields {
            XCTAssertEqual(
                invalid.invalid.messages,
                [
                    "name": "请填写真实姓名", "contact": "请填写 11 位手机号码或有效的电子邮箱", "content": "请写明异议的事实和理由，不少于 10 个字",
                    "itemId": "请选择名单中的一项，或选择“整个名单”", "consent": "请确认所填信息真实，并同意用于核查异议",
                ])
            XCTAssertEqual(invalid.field, "name")
        }
        let email = try await service.file(
            id, .init(name: "钱监督", contact: "Qian@Example.CN", content: "对整个名单的评审程序有异议。", itemID: "", consent: true))
        XCTAssertNil(email.itemID)
        let phone = try await service.file(id, objection())
        // Neither the name nor the contact is in the database in clear.
        let rows = try await app.db.sql().raw(
            "SELECT name_cipher, contact_cipher FROM platform_publicity_objections WHERE publicity_id = \(bind: id)"
        ).all()
        XCTAssertEqual(rows.count, 2)
        for row in rows {
            let stored =
                try row.decode(column: "name_cipher", as: String.self) + (try row.decode(column: "contact_cipher", as: String.self))
            for plain in ["钱监督", "张异议", "Qian", "example.cn", "13800001234"] { XCTAssertFalse(stored.contains(plain), plain) }
        }
        let opened = try service.opened([email, phone])
        XCTAssertEqual(opened.map(\.name), ["钱监督", "张异议"])
        XCTAssertEqual(opened.map(\.contact), ["Qian@example.cn", "13800001234"])
        // The receipt code finds it.
        let found = try await service.objection(code: try TrackingCode.parse(phone.code).description.lowercased())
        XCTAssertEqual(found.id, phone.id)
        let unknown = await refusal { try await self.service.objection(code: TrackingCode.generate().description) }
        XCTAssertEqual(unknown, .publicityCodeUnknown)
    }

    func testTheDemoPublicityRunsWithTwoObjections() async throws {
        let publicity = try await demoPublicity
        XCTAssertEqual(publicity.startsOn.description, "2026-11-16")
        XCTAssertEqual(publicity.endsOn.description, "2026-11-20")
        let objections = try await service.objectionRecords(try publicity.requireID())
        XCTAssertEqual(objections.map(\.state), [.decided, .received])
        XCTAssertEqual(objections.map(\.verdict), [.rejected, nil])
        expectEqual(try await service.items(try publicity.requireID()).count, 8)
    }
}

final class PublicityRouteTests: PublicityTestCase {
    func testAVisitorReadsTheListAndThePublicity() async throws {
        let publicity = try await demoPublicity
        let id = try publicity.requireID()
        let browser = Browser(app)
        let list = try await browser.get("/publicities")
        XCTAssertEqual(list.status, .ok)
        let rows = ParsedPage(list.body.string).elements(attribute: "data-publicity")
        XCTAssertEqual(rows.map { $0.attribute("data-publicity") }, [id.uuidString])
        XCTAssertEqual(rows.first?.attribute("data-status"), "running")
        let page = try await browser.get("/publicities/\(id.uuidString)")
        XCTAssertEqual(page.status, .ok)
        let parsed = ParsedPage(page.body.string)
        XCTAssertEqual(parsed.element(id: "publicity-status")?.attribute("data-status"), "running")
        XCTAssertEqual(parsed.element(id: "publicity-ends")?.text, "2026-11-20")
        XCTAssertTrue(parsed.element(id: "publicity-status")?.text.contains("还剩 3 个工作日") ?? false)
        let items = parsed.elements(attribute: "data-item-id")
        XCTAssertEqual(items.count, 8)
        XCTAssertEqual(items.map { $0.attribute("data-withdrawn") }, Array(repeating: "false", count: 8))
        XCTAssertNotNil(parsed.element(id: "objection-form"))
        // The objectors' names are not on the public page.
        XCTAssertFalse(page.body.string.contains("周建国"))
        // The portal offers the channel.
        let portal = ParsedPage(try await browser.get("/").body.string)
        XCTAssertEqual(portal.link(to: "/publicities")?.attribute("data-portal-channel"), "platform.publicities")
    }

    func testAVisitorFilesAnObjectionAndLooksItUp() async throws {
        let id = try await demoPublicity.requireID()
        let item = try await service.items(id)[3]
        let browser = Browser(app)
        _ = try await browser.get("/publicities/\(id.uuidString)")
        let refused = try await browser.post(
            "/publicities/\(id.uuidString)/objections", ["name": "", "contact": "abc", "content": "短", "itemId": ""])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let summary = ParsedPage(refused.body.string).element(id: "error-summary")
        XCTAssertEqual(
            summary?.elements(attribute: "data-field").compactMap { $0.attribute("data-field") }, ["name", "contact", "content", "consent"])
        let filed = try await browser.post(
            "/publicities/\(id.uuidString)/objections",
            ["name": "孙明", "contact": "13912345678", "content": "林海燕同志的科普工作量统计有重复计算。", "itemId": item.id.uuidString, "consent": "yes"])
        XCTAssertEqual(filed.status, .created, filed.body.string)
        let code = try XCTUnwrap(ParsedPage(filed.body.string).element(id: "objection-code")?.text)
        XCTAssertTrue(code.hasPrefix("KX-"))
        let lookup = try await browser.get("/publicities/objection-status?code=" + Browser.encode(code))
        XCTAssertEqual(lookup.status, .ok)
        let result = ParsedPage(lookup.body.string)
        XCTAssertEqual(result.element(id: "objection-result")?.attribute("data-state"), "received")
        XCTAssertEqual(result.element(id: "objection-state")?.text, "已受理")
        XCTAssertFalse(lookup.body.string.contains("孙明"))
        XCTAssertFalse(lookup.body.string.contains("13912345678"))
        let unknown = try await browser.get("/publicities/objection-status?code=" + Browser.encode(TrackingCode.generate().description))
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertEqual(ParsedPage(unknown.body.string).element(id: "code-error")?.text, "未找到该查询码对应的异议，请核对后重新输入")
        let malformed = try await browser.get("/publicities/objection-status?code=KX-123")
        XCTAssertEqual(malformed.status, .unprocessableEntity)
        // After the period: refused with a clear message.
        clock.advance(minutes: 5 * 24 * 60)
        let closed = try await browser.post(
            "/publicities/\(id.uuidString)/objections",
            ["name": "孙明", "contact": "13912345678", "content": "林海燕同志的科普工作量统计有重复计算。", "itemId": "", "consent": "yes"])
        XCTAssertEqual(closed.status, .conflict)
        XCTAssertTrue(closed.body.string.contains("不在公示期内"))
    }

    func testStaffSeeTheirSubtreesPublicitiesOnly() async throws {
        let id = try await demoPublicity.requireID()
        let orgadmin = try await loggedIn("demo.orgadmin")
        let list = try await orgadmin.get("/admin/publicities?status=running")
        XCTAssertEqual(list.status, .ok)
        XCTAssertEqual(ParsedPage(list.body.string).elements(attribute: "data-publicity").count, 1)
        let final = try await orgadmin.get("/admin/publicities?status=final")
        XCTAssertEqual(ParsedPage(final.body.string).elements(attribute: "data-publicity").count, 0)
        let page = try await orgadmin.get("/admin/publicities/\(id.uuidString)")
        XCTAssertEqual(page.status, .ok)
        let parsed = ParsedPage(page.body.string)
        XCTAssertEqual(
            parsed.element(id: "objections")?.elements("tr").compactMap { $0.attribute("data-objection-state") }, ["decided", "received"])
        XCTAssertEqual(parsed.elements(class: "objector-name").map(\.text), ["周建国", "吴晓丽"])
        XCTAssertEqual(parsed.elements(class: "objector-contact").map(\.text), ["13907550001", "wuxiaoli@example.cn"])
        // A county's administrator does not see the province's publicity; a member may not manage any.
        let county = try await loggedIn("demo.county1")
        let countyPage = try await county.get("/admin/publicities/\(id.uuidString)")
        XCTAssertEqual(countyPage.status, .notFound)
        let countyList = try await county.get("/admin/publicities")
        XCTAssertEqual(ParsedPage(countyList.body.string).elements(attribute: "data-publicity").count, 0)
        let member = try await loggedIn("demo.member")
        let memberPage = try await member.get("/admin/publicities/\(id.uuidString)")
        XCTAssertEqual(memberPage.status, .forbidden)
        let memberList = try await member.get("/admin/publicities")
        XCTAssertEqual(memberList.status, .forbidden)
        let received = try await service.objectionRecords(id)[1]
        let forged = try await county.post(
            "/admin/publicity-objections/\(try received.requireID().uuidString)/decision", ["verdict": "upheld", "reason": "越权"])
        XCTAssertEqual(forged.status, .notFound)
        // Exports parse.
        let csv = try await orgadmin.get("/admin/publicities?format=csv")
        XCTAssertEqual(csv.status, .ok)
        let lines = csv.body.string.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline)
        XCTAssertEqual(lines.first.map(String.init), "标题,公示单位,公示期,状态,名单项数,异议数,未办结异议")
        XCTAssertEqual(lines.count, 2)
        let objections = try await orgadmin.get("/admin/publicities/\(id.uuidString)?format=csv")
        let objectionLines = objections.body.string.split(whereSeparator: \.isNewline)
        XCTAssertEqual(objectionLines.count, 3)
        let xlsx = try await orgadmin.get("/admin/publicities/\(id.uuidString)?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        let sheet = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(sheet.count, 3)
        XCTAssertEqual(sheet.first?.prefix(3).map { $0 }, ["查询码", "姓名", "联系方式"])
        XCTAssertEqual(sheet.dropFirst().map { $0[1] }, ["周建国", "吴晓丽"])
        XCTAssertEqual(sheet.dropFirst().map { $0[6] }, ["已办结", "已受理"])
    }

    func testStaffInvestigateAndUpholdWithWithdrawal() async throws {
        let id = try await demoPublicity.requireID()
        let received = try await service.objectionRecords(id)[1]
        let objectionID = try received.requireID()
        let staff = try await loggedIn("demo.staff")
        let empty = try await staff.post("/admin/publicity-objections/\(objectionID.uuidString)/notes", ["note": " "])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertEqual(ParsedPage(empty.body.string).element(id: "note-\(objectionID.uuidString)-error")?.text, "请填写调查核实情况")
        let noted = try await staff.post("/admin/publicity-objections/\(objectionID.uuidString)/notes", ["note": "已向县农业农村局调取推广面积统计。"])
        XCTAssertEqual(noted.status, .seeOther)
        let missing = try await staff.post("/admin/publicity-objections/\(objectionID.uuidString)/decision", ["reason": ""])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertEqual(
            ParsedPage(missing.body.string).element(id: "error-summary")?.elements(attribute: "data-field").compactMap {
                $0.attribute("data-field")
            }, ["verdict", "reason"])
        let decided = try await staff.post(
            "/admin/publicity-objections/\(objectionID.uuidString)/decision",
            ["verdict": "upheld", "reason": "推广面积重复计算，不符合表彰条件。", "withdraw": "yes"])
        XCTAssertEqual(decided.status, .seeOther)
        let admin = ParsedPage(try await staff.get("/admin/publicities/\(id.uuidString)").body.string)
        XCTAssertEqual(
            admin.element(id: "objections")?.elements("tr").compactMap { $0.attribute("data-objection-state") }, ["decided", "decided"])
        let again = try await staff.post(
            "/admin/publicity-objections/\(objectionID.uuidString)/decision", ["verdict": "rejected", "reason": "改判"])
        XCTAssertEqual(again.status, .conflict)
        let page = ParsedPage(try await Browser(app).get("/publicities/\(id.uuidString)").body.string)
        let withdrawn = page.elements(attribute: "data-item-id").filter { $0.attribute("data-withdrawn") == "true" }
        XCTAssertEqual(withdrawn.map { $0.elements("del").first?.text }, ["李德明"])
        // After the period every objection is decided: the list is final.
        clock.advance(minutes: 5 * 24 * 60)
        let later = ParsedPage(try await Browser(app).get("/publicities/\(id.uuidString)").body.string)
        XCTAssertEqual(later.element(id: "publicity-status")?.attribute("data-status"), "final")
        XCTAssertNotNil(later.element(id: "objection-closed"))
    }

    func testTheAPI() async throws {
        let id = try await demoPublicity.requireID()
        let tester = try app.testable()
        let shown = try await tester.sendRequest(.GET, "/api/v1/publicities/\(id.uuidString)")
        XCTAssertEqual(shown.status, .ok)
        let dto = try shown.content.decode(PublicityDTO.self)
        XCTAssertEqual(dto.status, "running")
        XCTAssertEqual(dto.endsOn, "2026-11-20")
        XCTAssertEqual(dto.items.count, 8)
        XCTAssertEqual(dto.items.first?.label, "东港市科学技术协会")
        let unknown = try await tester.sendRequest(.GET, "/api/v1/publicities/\(UUID().uuidString)")
        XCTAssertEqual(unknown.status, .notFound)
        let json: HTTPHeaders = ["Content-Type": "application/json", "X-Forwarded-For": "127.0.0.20"]
        let bad = try await tester.sendRequest(
            .POST, "/api/v1/publicities/\(id.uuidString)/objections", headers: json,
            body: ByteBuffer(string: #"{"name":"郑某","contact":"nope","content":"名单中有人不符合条件，请核实。"}"#))
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertEqual(try bad.content.decode(APIErrorBody.self).error.field, "contact")
        let created = try await tester.sendRequest(
            .POST, "/api/v1/publicities/\(id.uuidString)/objections", headers: json,
            body: ByteBuffer(string: #"{"name":"郑某","contact":"13600001111","content":"名单中有人不符合条件，请核实。"}"#))
        XCTAssertEqual(created.status, .created, created.body.string)
        let receipt = try created.content.decode(ObjectionReceiptDTO.self)
        XCTAssertEqual(receipt.state, "received")
        XCTAssertNotNil(try? TrackingCode.parse(receipt.code))
        let nowhere = try await tester.sendRequest(
            .POST, "/api/v1/publicities/\(UUID().uuidString)/objections", headers: json,
            body: ByteBuffer(string: #"{"name":"郑某","contact":"13600001111","content":"名单中有人不符合条件，请核实。"}"#))
        XCTAssertEqual(nowhere.status, .notFound)
        // Staff read the objections with a token of the province; a county's token gets 404.
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: try await XCTUnwrapAsync(try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()).requireID(),
            name: "t", expiresInDays: nil
        ).token
        var bearer: HTTPHeaders = [:]
        bearer.bearerAuthorization = .init(token: token)
        let listed = try await tester.sendRequest(.GET, "/api/v1/publicities/\(id.uuidString)/objections", headers: bearer)
        XCTAssertEqual(listed.status, .ok)
        XCTAssertEqual(try listed.content.decode([ObjectionDTO].self).map(\.state), ["decided", "received", "received"])
        XCTAssertFalse(listed.body.string.contains("周建国"))
        let countyToken = try await TokenService(db: app.db, services: app.platform).issue(
            userID: try await XCTUnwrapAsync(try await User.query(on: app.db).filter(\.$username == "demo.county1").first()).requireID(),
            name: "t", expiresInDays: nil
        ).token
        var county: HTTPHeaders = [:]
        county.bearerAuthorization = .init(token: countyToken)
        let countyList = try await tester.sendRequest(.GET, "/api/v1/publicities/\(id.uuidString)/objections", headers: county)
        XCTAssertEqual(countyList.status, .notFound)
        clock.advance(minutes: 5 * 24 * 60)
        let closed = try await tester.sendRequest(
            .POST, "/api/v1/publicities/\(id.uuidString)/objections", headers: json,
            body: ByteBuffer(string: #"{"name":"郑某","contact":"13600001111","content":"名单中有人不符合条件，请核实。"}"#))
        XCTAssertEqual(closed.status, .conflict)
        XCTAssertEqual(try closed.content.decode(APIErrorBody.self).error.code, "platform.publicity_closed")
    }
}
