import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Awards
@testable import Platform

/// The Awards pages as people use them, on SQLite and (with DATABASE_URL) PostgreSQL: the public call,
/// an applicant refused by the age rule before and after writing, a channel nominating, the managers'
/// pages and exports, scope, certificates.
final class AwardsPageTests: AwardsTestCase {
    func testVisitorsSeeTheCallWithItsRulesAndChannels() async throws {
        let id = try await program(quota: 3)
        let visitor = Browser(app)
        let list = try await visitor.get("/awards")
        XCTAssertEqual(list.status, .ok)
        XCTAssertEqual(list.page.rowElements(inTable: "programs").map { $0.attribute("data-program") }, [id.uuidString])
        let page = try await visitor.get("/awards/\(id)").page
        XCTAssertEqual(page.element(id: "program-name")?.text, "2026年度云海省青年科技奖")
        XCTAssertEqual(page.element(id: "program-stage")?.attribute("data-stage"), "open")
        XCTAssertEqual(
            page.element(id: "rules")?.elements("li").map(\.text), ["年龄不超过 40 周岁（以 2026-05-31 计，按出生年月）", "未获得过本奖项"])
        XCTAssertEqual(page.rows(inTable: "channels"), [["东港市科学技术协会", "市级科协推荐", "3", "0"]])
        // A visitor is sent to log in first, and comes back to the form.
        XCTAssertEqual(page.element(id: "apply")?.attribute("href"), "/login?next=%2Fawards%2F\(id)%2Fapply")
        XCTAssertNil(page.element(id: "manage-program"))
    }

    func testAnApplicantOverTheAgeIsToldBeforeWritingAndRefusedBesideTheRule() async throws {
        let id = try await program()
        try await person("演示科技工作者", born: "1980-01", user: "demo.member")
        let member = try await loggedIn("demo.member")
        let form = try await member.get("/awards/\(id)/apply").page
        XCTAssertEqual(form.element(id: "eligibility")?.attribute("data-eligible"), "false")
        XCTAssertEqual(form.element(id: "rule-age")?.text, "截至 2026-05-31 已满 46 周岁，超过本项目 40 周岁的年龄限制")
        let refused = try await member.post(
            "/awards/\(id)/apply",
            ["channel": try demo.city1.requireID().uuidString, "summary": "长期从事热带作物栽培研究，推广新技术十余项，培训农技人员三千人次。"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let summary = try XCTUnwrap(refused.page.element(id: "error-summary"))
        XCTAssertEqual(summary.elements("li").map { $0.attribute("data-field") }, ["age"])
        let saved = try await AwardApplication.query(on: app.db).count()
        XCTAssertEqual(saved, 0)
    }

    func testAnEligibleMemberAppliesChoosingAChannelAndTheChannelNominatesIt() async throws {
        let id = try await program(quota: 1)
        try await person("演示科技工作者", born: "1993-09", user: "demo.member")
        let member = try await loggedIn("demo.member")
        let value1 = try await member.get("/awards/\(id)/apply").page.element(id: "eligibility")?.attribute("data-eligible")
        XCTAssertEqual(value1, "true")
        // Every problem of the form at once: no channel, a summary too short.
        let incomplete = try await member.post("/awards/\(id)/apply", ["summary": "太短"])
        XCTAssertEqual(incomplete.status, .unprocessableEntity)
        XCTAssertEqual(
            Set(incomplete.page.element(id: "error-summary")?.elements("li").compactMap { $0.attribute("data-field") } ?? []),
            ["channelOrganizationId", "summary"])
        let applied = try await member.post(
            "/awards/\(id)/apply",
            ["channel": try demo.city1.requireID().uuidString, "summary": "主持省重点研发项目两项，发表论文二十篇，获授权发明专利五项。"])
        XCTAssertEqual(applied.status, .seeOther)
        let location = try XCTUnwrap(applied.location)
        let found2 = try await AwardApplication.query(on: app.db).first()
        let application = try XCTUnwrap(found2)
        XCTAssertEqual(location, "/award-applications/\(try application.requireID())?notice=application_submitted")
        let value3 = try await member.get("/my/awards").page.rowElements(inTable: "my-applications").map { $0.attribute("data-status") }
        XCTAssertEqual(value3, ["submitted"])

        // The province's administrator holds the 东港市科协 channel's subtree: it is waiting in 推荐工作.
        let admin = try await loggedIn("demo.orgadmin")
        let work = try await admin.get("/awards/channels").page
        XCTAssertEqual(work.rowElements(inTable: "channel-work").map { $0.attribute("data-status") }, ["submitted"])
        let nominated = try await admin.post(
            "/award-applications/\(try application.requireID())/nominate", ["channel": try demo.city1.requireID().uuidString])
        XCTAssertEqual(nominated.status, .seeOther)
        let after = try await admin.get("/award-applications/\(try application.requireID())").page
        XCTAssertEqual(after.element(id: "application-status")?.attribute("data-status"), "nominated")
        XCTAssertEqual(after.facts(in: "main")["推荐排序"], "第 1 位")
        // Another county's administrator cannot open it; another member neither.
        let value4 = try await loggedIn("demo.county2").get("/award-applications/\(try application.requireID())").status
        XCTAssertEqual(value4, .notFound)
        let value5 = try await loggedIn("demo.expert").get("/award-applications/\(try application.requireID())").status
        XCTAssertEqual(value5, .notFound)
    }

    func testManagersListExportAndOnlyTheirSubtreeSeesTheAdministration() async throws {
        let id = try await program(quota: 2)
        for (index, name) in ["黄志明", "吴佳怡", "邢海燕"].enumerated() {
            let (status, _) = try await apply(id, try await person(name, born: "199\(index)-02"))
            XCTAssertEqual(status, .created)
        }
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/awards/\(id)/manage").page
        XCTAssertEqual(page.element(id: "stage")?.attribute("data-stage"), "open")
        XCTAssertEqual(page.rows(inTable: "applications").map(\.first), ["吴佳怡", "邢海燕", "黄志明"].map(Optional.some))
        XCTAssertEqual(page.element(id: "status-counts")?.elements(attribute: "data-status").map { $0.attribute("data-count") }, ["3"])
        let searched = try await admin.get("/awards/\(id)/manage?q=%E9%82%A2").page
        XCTAssertEqual(searched.rows(inTable: "applications").map(\.first), [Optional("邢海燕")])
        let csv = try await admin.get("/awards/\(id)/manage?format=csv&sort=title")
        XCTAssertEqual(csv.csvLines.first, "候选人,单位,学科,推荐单位,推荐排序,状态,评审得分,名次,申报日期")
        XCTAssertEqual(csv.csvLines.count, 4)
        let xlsx = try await admin.get("/awards/\(id)/manage?format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows.dropFirst().map { $0[5] }, ["待推荐", "待推荐", "待推荐"])
        let managed = try await admin.get("/awards/manage").page
        XCTAssertEqual(managed.rowElements(inTable: "programs").map { $0.attribute("data-program") }, [id.uuidString])

        let value6 = try await loggedIn("demo.county2").get("/awards/\(id)/manage").status
        XCTAssertEqual(value6, .notFound)
        let value7 = try await loggedIn("demo.member").get("/awards/manage").status
        XCTAssertEqual(value7, .forbidden)
        // 截止申报 moves the stage; a second time is refused on the page with its reason.
        let closed = try await admin.post("/awards/\(id)/actions", ["action": "close"])
        XCTAssertEqual(closed.status, .seeOther)
        let again = try await admin.post("/awards/\(id)/actions", ["action": "close"])
        XCTAssertEqual(again.status, .conflict)
        XCTAssertEqual(again.page.element(id: "action-refusal")?.text, "只有申报中的项目可以截止申报")
    }

    func testTheNewProgramFormShowsEveryErrorAndCreatesTheProgram() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let value8 = try await admin.get("/awards/new").status
        XCTAssertEqual(value8, .ok)
        let refused = try await admin.post(
            "/awards/new",
            ["name": "X", "maxAge": "abc", "applyOpensOn": "2026-12-01", "applyClosesOn": "2026-11-01", "channel0": "不存在的单位"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let fields = refused.page.element(id: "error-summary")?.elements("li").compactMap { $0.attribute("data-field") } ?? []
        XCTAssertEqual(Set(fields), ["name", "maxAge", "applyClosesOn", "channel0"])
        XCTAssertEqual(refused.page.fieldError("channel0"), "未找到该组织")
        let created = try await admin.post(
            "/awards/new",
            [
                "name": "2026年云海省科普工作十佳学会", "year": "2026", "kind": "award", "candidateKind": "organization",
                "applyOpensOn": "2026-11-10", "applyClosesOn": "2026-12-10", "nominateClosesOn": "2026-12-15",
                "checkClosesOn": "2026-12-20",
                "reviewClosesOn": "2027-01-10", "publicityDays": "5", "laureateCount": "10", "reviewersPerCandidate": "5",
                "aggregation": "trimmed_mean", "supportYears": "0", "channel0": try demo.city1.requireID().uuidString,
                "channel0Kind": "city",
                "channel0Quota": "2",
            ])
        XCTAssertEqual(created.status, .seeOther)
        let found9 = try await AwardProgram.query(on: app.db).first()
        let program = try XCTUnwrap(found9)
        XCTAssertEqual(program.candidateKind, .organization)
        XCTAssertEqual(program.applyClosesOn, Day("2026-12-10"))
        let value10 = try await AwardChannel.query(on: app.db).all().map(\.quota)
        XCTAssertEqual(value10, [2])
    }

    func testACertificateIsVerifiedByItsCodeAndAnUnknownCodeIsSaidBesideTheField() async throws {
        let id = try await program()
        let (_, body) = try await apply(id, try await person("林雨桐", born: "1990-06"))
        let found11 = try await AwardApplication.find(UUID(uuidString: object(body)["id"] as? String ?? ""), on: app.db)
        let application = try XCTUnwrap(found11)
        application.status = .awarded
        application.awardedOn = Day("2026-11-18")
        let code = TrackingCode.generate()
        application.certificateCode = code.canonical
        try await application.update(on: app.db)
        let visitor = Browser(app)
        let certificate = try await visitor.get("/award-certificates/\(code.description)")
        XCTAssertEqual(certificate.status, .ok)
        XCTAssertEqual(certificate.page.element(id: "certificate-name")?.text, "林雨桐")
        XCTAssertEqual(certificate.page.element(id: "certificate-code")?.text, code.description)
        // The lookup form takes the code as printed and opens the certificate.
        let lookedUp = try await visitor.get("/award-certificates?code=\(code.description)")
        XCTAssertEqual(lookedUp.location, "/award-certificates/\(code.canonical)")
        let unknown = try await visitor.get("/award-certificates?code=KX-2222-2222-2222")
        XCTAssertEqual(unknown.status, .notFound)
        XCTAssertEqual(unknown.page.fieldError("code"), "未找到该证书编号")
    }

    func testFiguresCountApplicationsChannelsAndLaureatesBySexAndExportEachTable() async throws {
        let id = try await program(quota: 3)
        var ids: [UUID] = []
        for (index, (name, sex)) in [("黄志明", "male"), ("吴佳怡", "female"), ("邢海燕", "female")].enumerated() {
            let (_, body) = try await apply(id, try await person(name, born: "199\(index)-02", sex: sex))
            ids.append(UUID(uuidString: object(body)["id"] as? String ?? "") ?? UUID())
        }
        // Two awarded women, one nominated man (written as the announcement would).
        for (index, applicationID) in ids.enumerated() {
            let application = try await AwardApplication.find(applicationID, on: app.db)
            application?.status = index == 0 ? .nominated : .awarded
            try await application?.update(on: app.db)
        }
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/awards/figures?year=2026").page
        XCTAssertEqual(page.rows(inTable: "table-programs"), [["2026年度云海省青年科技奖", "3", "3", "0", "2", "67%"]])
        XCTAssertEqual(page.rows(inTable: "table-channels"), [["2026年度云海省青年科技奖", "东港市科学技术协会", "3", "0"]])
        XCTAssertEqual(page.rows(inTable: "fig-by-sex-data").map { $0.suffix(1) }, [["2"]])
        let csv = try await admin.get("/awards/figures?year=2026&table=sex&format=csv")
        XCTAssertEqual(csv.csvLines, ["性别,入选", "女,2"])
        let unknown = try await admin.get("/awards/figures?year=2026&table=nothing&format=csv")
        XCTAssertEqual(unknown.status, .unprocessableEntity)
        let county = try await loggedIn("demo.county2").get("/awards/figures?year=2026").page
        XCTAssertEqual(county.rows(inTable: "table-programs"), [["本年度暂无评选项目"]])
    }

    func testTheApplicantAddsMaterialsWhichOnlyThoseWhoMayReadTheApplicationDownload() async throws {
        let id = try await program()
        try await person("演示科技工作者", born: "1993-09", user: "demo.member")
        let member = try await loggedIn("demo.member")
        let applied = try await member.post(
            "/awards/\(id)/apply",
            ["channel": try demo.city1.requireID().uuidString, "summary": "主持省重点研发项目两项，发表论文二十篇，获授权发明专利五项。"])
        let applicationPath = String(applied.location?.split(separator: "?").first ?? "")
        let pdf = Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
        let refused = try await member.multipart(applicationPath + "/materials", files: [("files[]", "成果.pdf", Data("不是PDF".utf8))])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(refused.page.fieldError("files"), "“成果.pdf”不是 PDF、图片或 Word/Excel/PowerPoint 文件（按文件内容判断，与扩展名无关）")
        let added = try await member.multipart(applicationPath + "/materials", files: [("files[]", "代表性论文.pdf", pdf)])
        XCTAssertEqual(added.status, .seeOther, added.page.element(id: "error-summary")?.text ?? "")
        let page = try await member.get(applicationPath).page
        let links = page.element(id: "material-files")?.elements("a") ?? []
        XCTAssertEqual(links.map(\.text), ["代表性论文.pdf"])
        let link = try XCTUnwrap(links.first?.attribute("href"))
        let own = try await member.get(link).status
        let manager = try await loggedIn("demo.orgadmin").get(link).status
        let outsider = try await loggedIn("demo.county2").get(link).status
        XCTAssertEqual([own, manager, outsider], [.ok, .ok, .notFound])
    }
}
