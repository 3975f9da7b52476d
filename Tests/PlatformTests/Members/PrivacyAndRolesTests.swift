import Fluent
import Foundation
import SQLKit
import XCTVapor

@testable import Members
@testable import Platform

/// 我的: data download, deletion by anonymization; 三长, expert pools, representatives; statistics,
/// metrics and the people API.
final class PrivacyAndRolesTests: DemoTestCase {
    func testThePersonDownloadsTheirDataAndDeletionAnonymizesButKeepsStatistics() async throws {
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.post("/me/profile", TestPeople.form(3, name: "郑和平")).status, .seeOther)
        let rubber = try await organization("云海省橡胶学会")
        _ = try await member.post("/me/memberships", ["society": try rubber.requireID().uuidString])
        let download = try await member.get("/me/data")
        XCTAssertEqual(download.headers.contentType?.subType, "json")
        let json = try JSONSerialization.jsonObject(with: Data(buffer: download.body)) as! [String: Any]
        let profile = json["profile"] as! [String: Any]
        XCTAssertEqual(profile["phone"] as? String, "13900010003", "the person's own copy is complete")
        XCTAssertEqual((json["memberships"] as? [[String: Any]])?.first?["society"] as? String, "云海省橡胶学会")
        XCTAssertNotNil(json["consents"])

        expectEqual(try await member.post("/me/deletion", ["reason": "不再从事科研工作"]).location, "/me?notice=deletion_requested")
        expectTrue(try await member.get("/me").body.string.contains("等待所在组织审核"))
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await Person.query(on: app.db).first()!
        try await admin.post("/people/\(try person.requireID())/verify", ["outcome": "approve"])
        let statsBefore = try await admin.get("/people/statistics").body.string
        XCTAssertTrue(statsBefore.contains("共 1 人"))
        let request = try await DeletionRequest.query(on: app.db).first()!
        let noReason = try await admin.post("/deletions/\(try request.requireID())/decide", ["outcome": "refuse", "note": ""])
        XCTAssertEqual(noReason.status, .unprocessableEntity)
        expectEqual(try await admin.post("/deletions/\(try request.requireID())/decide", ["outcome": "approve"]).status, .seeOther)

        let gone = try await Person.find(person.id, on: app.db)!
        XCTAssertEqual(gone.name, "已注销用户")
        XCTAssertNil(gone.idNumberCipher)
        XCTAssertNil(gone.userID)
        XCTAssertNotNil(gone.anonymizedAt)
        XCTAssertEqual(gone.sex, "male", "statistical fields stay")
        XCTAssertEqual(gone.disciplineCode, "210")
        expectEqual(try await Membership.query(on: app.db).first()?.status, .refused, "the open application is closed")
        expectEqual(try await Membership.query(on: app.db).first()?.memberName, "已注销用户")
        let history = try await MembershipEvent.query(on: app.db).all()
        XCTAssertFalse(history.contains { $0.actorName == "郑和平" }, "the applicant's name leaves the history too")
        XCTAssertEqual(history.last { _ in true }.map { MembershipService.actionLabel($0.action) }, "本人注销，会籍终止")
        let search = try await admin.get("/people?q=" + Browser.encode("郑和平"))
        XCTAssertTrue(search.body.string.contains("共 0 人"))
        let byPhone = try await admin.get("/people?q=13900010003")
        XCTAssertTrue(byPhone.body.string.contains("共 0 人"), "the phone no longer finds anyone")
        expectTrue(try await admin.get("/people/statistics").body.string.contains("共 1 人"), "statistics keep the person")
        let user = try await User.query(on: app.db).filter(\.$displayName == "已注销用户").first()
        XCTAssertEqual(user?.isActive, false)
        XCTAssertNil(user?.phoneCipher)
        let loggedOut = try await member.get("/me")
        XCTAssertEqual(loggedOut.status, .seeOther, "the account's sessions end")
    }

    func testThreeHeadsExpertsAndRepresentatives() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let person = try await createPerson(admin, 11, name: "黄院长", changes: ["city": "西林市", "discipline": "320"])
        let hospital = try await organization("东港市人民医院科学技术协会")
        let missing = try await admin.post(
            "/three-heads",
            [
                "organizationID": try hospital.requireID().uuidString, "person": "13900099999",
                "kind": "hospital", "institution": "东港市人民医院", "since": "2025-01-01",
            ])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertTrue(missing.body.string.contains("没有找到该手机号或身份证号对应的人员"))
        let badDate = try await admin.post(
            "/three-heads",
            [
                "organizationID": try hospital.requireID().uuidString, "person": "13900010011",
                "kind": "hospital", "institution": "东港市人民医院", "since": "去年",
            ])
        XCTAssertTrue(badDate.body.string.contains("请按“2026-01-01”的格式填写日期"))
        expectEqual(
            try await admin.post(
                "/three-heads",
                [
                    "organizationID": try hospital.requireID().uuidString, "person": "13900010011",
                    "kind": "hospital", "institution": "东港市人民医院", "since": "2025-01-01",
                ]
            ).status, .seeOther)
        expectTrue(try await admin.get("/three-heads").body.string.contains("黄院长"))
        let countyAdmin = try await loggedIn("demo.county2")
        expectFalse(try await countyAdmin.get("/three-heads").body.string.contains("黄院长"))

        let noRole = try await admin.post("/experts", ["person": "13900010011", "availability": "available"])
        XCTAssertTrue(noRole.body.string.contains("请至少选择一种专家类别"))
        expectEqual(
            try await admin.post("/experts", ["person": "13900010011", "roles[]": "review", "fields": "210", "availability": "available"])
                .status, .seeOther)
        let byField = try await admin.get("/experts?field=210&region=" + Browser.encode("西林市"))
        XCTAssertTrue(byField.body.string.contains("黄院长"))
        expectFalse(try await admin.get("/experts?field=110").body.string.contains("黄院长"))
        expectTrue(try await admin.get("/experts?field=320").body.string.contains("黄院长"), "the person's own discipline is always a field")
        let token = try await apiToken("demo.orgadmin")
        let experts = try await api(.GET, "/api/v1/experts?field=" + Browser.encode("农学") + "&role=review", token: token)
        XCTAssertEqual(try experts.content.decode(ListDTO<ExpertDTO>.self).items.map(\.name), ["黄院长"])
        expectEqual(try await api(.GET, "/api/v1/experts?role=wizard", token: token).status, .unprocessableEntity)

        expectEqual(
            try await admin.post(
                "/representatives",
                [
                    "person": "13900010011", "body": "云海省科协第十次代表大会",
                    "term": "第十届", "role": "delegate", "constituency": "东港市",
                ]
            ).status, .seeOther)
        let duplicate = try await admin.post(
            "/representatives",
            [
                "person": "13900010011", "body": "云海省科协第十次代表大会",
                "term": "第十届", "role": "committee",
            ])
        XCTAssertTrue(duplicate.body.string.contains("此人在该届次已有记录"))
        let reps = try await admin.get("/representatives")
        XCTAssertTrue(reps.body.string.contains("云海省科协第十次代表大会 第十届"))
        XCTAssertTrue(reps.body.string.contains("黄院长"))
        XCTAssertNotNil(person.id)
    }

    func testRepresentativesSeeTheirOwnRecordOnTheirHomePage() async throws {
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.post("/me/profile", TestPeople.form(13, name: "欧阳青")).status, .seeOther)
        let admin = try await loggedIn("demo.orgadmin")
        _ = try await admin.post("/representatives", ["person": "13900010013", "body": "云海省科协第十届委员会", "term": "第十届", "role": "standing"])
        let home = try await member.get("/me")
        XCTAssertTrue(home.body.string.contains("云海省科协第十届委员会 第十届"))
        XCTAssertTrue(home.body.string.contains("常委"))
    }

    func testStatisticsAndMetrics() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        for index in 0..<4 { try await createPerson(admin, 200 + index, changes: index == 3 ? ["titleName": "工程师"] : [:]) }
        let page = try await admin.get("/people/statistics")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("按年龄段"))
        XCTAssertTrue(page.body.string.contains("共 4 人"))
        // The chart's values, from the bars' data attributes and from the table screen readers read.
        let parsed = ParsedPage(page.body.string)
        let titleChart = try XCTUnwrap(parsed.element(id: "fig-title"))
        XCTAssertEqual(titleChart.elements("figcaption").first?.text, "按职称级别的科技工作者人数")
        XCTAssertEqual(titleChart.elements("svg").first?.attribute("aria-labelledby"), "fig-title-title fig-title-desc")
        let titleBars = titleChart.elements("rect").map {
            [$0.attribute("data-series") ?? "", $0.attribute("data-label") ?? "", $0.attribute("data-value") ?? ""]
        }
        XCTAssertTrue(titleBars.contains(["people", "副高级", "3"]), titleBars.description)
        XCTAssertTrue(titleBars.contains(["people", "中级", "1"]), titleBars.description)
        XCTAssertTrue(parsed.rows(inTable: "fig-title-data").contains(["副高级", "3"]), parsed.rows(inTable: "fig-title-data").description)
        let sexBars = try XCTUnwrap(parsed.element(id: "fig-sex")).elements("rect").compactMap { $0.attribute("data-value") }.compactMap(
            Int.init)
        XCTAssertEqual(sexBars.reduce(0, +), 4)
        XCTAssertEqual(
            try XCTUnwrap(parsed.element(id: "fig-sex")).elements("text").filter { $0.has(class: "chart-axis-title") }.map(\.text),
            ["人数", "性别"])
        let xlsx = try await admin.get("/people/statistics?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        let charts = try await StatisticsService(db: app.db, services: app.platform, classifications: try .bundled())
            .charts(
                actor: try await Actor.load(
                    user: try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!, preferredGrantID: nil,
                    catalog: app.platform.registry.roles, on: app.db))
        let titles = charts.first { $0.id == "title" }!.rows
        XCTAssertEqual(titles.first { $0.first == "副高级" }?.last, "3")
        XCTAssertEqual(titles.first { $0.first == "中级" }?.last, "1")
        XCTAssertEqual(charts.first { $0.id == "discipline" }?.total, 4, "every chart counts everyone")
        XCTAssertEqual(StatisticsService.top((1...20).map { ("学科\($0)", 1) }, 15).last?.0, "其他")
        XCTAssertEqual(StatisticsService.top((1...20).map { ("学科\($0)", 1) }, 15).reduce(0) { $0 + $1.1 }, 20)
        let sexes = charts.first { $0.id == "sex" }!.figure.categories
        XCTAssertEqual(sexes.map { $0.values.reduce(0, +) }.reduce(0, +), 4)

        let metric = app.platform.registry.metrics["members.people.total"]!
        expectEqual(try await metric.compute(.init(organization: demo.province, year: 2026), app.db), 4)
        expectEqual(try await metric.compute(.init(organization: demo.county1, year: 2026), app.db), 0)
        XCTAssertNotNil(app.platform.registry.metrics["members.members.new"])
    }

    func testPeopleAPIValidatesLikeThePages() async throws {
        let token = try await apiToken("demo.orgadmin")
        var form = TestPeople.form(51, name: "API人员")
        form["idNumber"] = "460100199001010010"
        let bodyData = try JSONSerialization.data(withJSONObject: form)
        let refused = try await api(.POST, "/api/v1/people", token: token, json: String(decoding: bodyData, as: UTF8.self))
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let error = try refused.content.decode(APIErrorBody.self).error
        XCTAssertEqual(error.code, "members.invalid_profile")
        XCTAssertEqual(error.field, "idNumber")
        XCTAssertTrue(error.fields?["idNumber"]?.contains("校验位") ?? false, "\(error.fields ?? [:])")
        let good = try JSONSerialization.data(withJSONObject: TestPeople.form(51, name: "API人员"))
        let created = try await api(.POST, "/api/v1/people", token: token, json: String(decoding: good, as: UTF8.self))
        XCTAssertEqual(created.status, .created, created.body.string)
        let dto = try created.content.decode(PersonDTO.self)
        XCTAssertEqual(dto.phone, "139****0051")
        let patched = try await api(.PATCH, "/api/v1/people/\(dto.id)", token: token, json: #"{"researchDirection": "热带作物病虫害防治"}"#)
        XCTAssertEqual(patched.status, .ok, patched.body.string)
        XCTAssertEqual(try patched.content.decode(PersonDTO.self).researchDirection, "热带作物病虫害防治")
        expectEqual(try await api(.PATCH, "/api/v1/people/\(dto.id)", token: token, json: #"{"phone": "12"}"#).status, .unprocessableEntity)
        let list = try await api(.GET, "/api/v1/people?q=" + Browser.encode("病虫害"), token: token)
        XCTAssertEqual(try list.content.decode(ListDTO<PersonDTO>.self).items.map(\.name), ["API人员"])
        expectEqual(try await api(.GET, "/api/v1/people?title=boss", token: token).status, .unprocessableEntity)
        let county = try await apiToken("demo.county1")
        expectEqual(try await api(.GET, "/api/v1/people/\(dto.id)", token: county).status, .notFound)
        expectEqual(try await api(.GET, "/api/v1/people", token: try await apiToken("demo.member")).status, .forbidden)
    }
}
