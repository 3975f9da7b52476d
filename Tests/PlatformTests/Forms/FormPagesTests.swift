import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// The form pages: who may build forms and see them, filling in with every error at once, the
/// builder's steps, and the answers exported.
final class FormPagesTests: DemoTestCase {
    func form(titled title: String) async throws -> UUID {
        guard let form = try await PlatformForm.query(on: app.db).filter(\.$title == title).first() else {
            throw Abort(.internalServerError, reason: "form \(title) missing")
        }
        return try form.requireID()
    }

    var conference: UUID { get async throws { try await form(titled: "2026年学术年会参会报名表") } }

    /// The conference registration as a person fills it in correctly (online, so no lodging questions).
    static func registration(_ changes: [String: String] = [:]) -> [String: String] {
        var form = [
            "name": "赵一鸣", "employer": "云海大学", "title": "中级", "mobile": "13907719999", "email": "", "attendance": "线上参会",
            "topics": "人工智能", "companions": "0", "consent": "on",
        ]
        for (key, value) in changes { form[key] = value }
        return form
    }

    func testTheOrganizationAdministratorListsTheDemoForms() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/admin/forms?sort=title&dir=asc").page
        XCTAssertEqual(page.column(0, inTable: "forms"), ["2026年学术年会参会报名表", "学会年度工作报告（年审）"])
        XCTAssertEqual(page.rowElements(inTable: "forms").map { $0.attribute("data-status") }, ["published", "draft"])
        let csv = try await admin.get("/admin/forms?sort=title&dir=asc&format=csv")
        XCTAssertEqual(csv.csvLines.count, 3)
    }

    func testAMemberWithoutThePermissionIsRefused() async throws {
        let member = try await loggedIn("demo.member")
        let id = try await conference
        let list = try await member.get("/admin/forms")
        let builder = try await member.get("/admin/forms/\(id)")
        let publish = try await member.post("/admin/forms/\(id)/publish", [:])
        XCTAssertEqual([list.status, builder.status, publish.status], [.forbidden, .forbidden, .forbidden])
    }

    func testAnotherSubtreesAdministratorGetsNotFound() async throws {
        let county = try await loggedIn("demo.county1")
        let id = try await conference
        let builder = try await county.get("/admin/forms/\(id)")
        let answers = try await county.get("/admin/forms/\(id)/answers")
        let close = try await county.post("/admin/forms/\(id)/close", [:])
        XCTAssertEqual([builder.status, answers.status, close.status], [.notFound, .notFound, .notFound])
        let list = try await county.get("/admin/forms").page
        XCTAssertEqual(list.elements(attribute: "data-status").count, 0)
    }

    func testFillingInWithThreeBadFieldsShowsEachErrorAndTheSummaryAndKeepsTheValues() async throws {
        let member = try await loggedIn("demo.member")
        let id = try await conference
        let blank = try await member.get("/forms/\(id)/fill").page
        XCTAssertEqual(blank.element(id: "wrap-lodging")?.attribute("data-show-if"), "attendance")
        XCTAssertEqual(blank.element(id: "wrap-lodging")?.attribute("data-show-values"), #"["现场参会"]"#)
        XCTAssertNil(blank.element(id: "error-summary"))

        let response = try await member.post(
            "/forms/\(id)/fill", Self.registration(["name": "", "mobile": "12345", "companions": "9"]))
        XCTAssertEqual(response.status, .unprocessableEntity)
        let page = response.page
        XCTAssertEqual(page.element(id: "error-summary")?.attribute("role"), "alert")
        XCTAssertEqual(
            page.elements(attribute: "data-error-key").map { $0.attribute("href") }, ["#field-name", "#field-mobile", "#field-companions"])
        XCTAssertEqual(page.fieldError("field-name"), "此项必填")
        XCTAssertEqual(page.fieldError("field-mobile"), "不是有效的手机号或固定电话")
        XCTAssertEqual(page.fieldError("field-companions"), "超出范围，应在 0–5 之间")
        XCTAssertEqual(page.element(id: "field-mobile")?.attribute("aria-invalid"), "true")
        XCTAssertEqual(page.fieldValue("mobile"), "12345")
        XCTAssertEqual(page.fieldValue("employer"), "云海大学")
        XCTAssertEqual(page.selectedOption("attendance"), "线上参会")
        XCTAssertEqual(page.element(id: "field-topics-1")?.has(attribute: "checked"), true)
        XCTAssertEqual(page.element(id: "field-consent")?.has(attribute: "checked"), true)
        let count = try await FormSubmission.query(on: app.db).filter(\.$formID == id).count()
        XCTAssertEqual(count, 8)

        let done = try await member.post("/forms/\(id)/fill", Self.registration(["lodging": "需要"]))
        XCTAssertEqual(done.status, .seeOther, String(done.body.string.prefix(500)))
        XCTAssertEqual(done.location, "/?notice=form_submitted")
        let stored = try await FormService(db: app.db, services: app.platform).answers(id).last
        XCTAssertEqual(stored?.answers["name"], .text("赵一鸣"))
        XCTAssertNil(stored?.answers["lodging"], "lodging was hidden (online attendance), so its value was dropped")
    }

    func testTheHomePageOffersPublishedFormsToFill() async throws {
        let member = try await loggedIn("demo.member")
        let home = try await member.get("/").page
        let id = try await conference
        XCTAssertEqual(home.link(to: "/forms/\(id.uuidString)/fill")?.text, "填写")
    }

    func testAModulesFormIsNotFilledOnThePlatformsFillPage() async throws {
        let admin = try await FormServiceTests.actor("demo.orgadmin", app)
        let service = FormService(db: app.db, services: app.platform)
        let form = try await service.create(
            title: "活动报名", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: FormServiceTests.contact,
            ownerModule: "events")
        try await service.publish(try form.requireID(), actor: admin)
        let member = try await loggedIn("demo.member")
        let response = try await member.get("/forms/\(try form.requireID())/fill")
        XCTAssertEqual(response.status, .notFound)
    }

    func testADraftCannotBeFilledAndAnotherSubtreeCannotSeeTheFillPage() async throws {
        let member = try await loggedIn("demo.member")
        let draft = try await form(titled: "学会年度工作报告（年审）")
        let refused = try await member.get("/forms/\(draft)/fill")
        XCTAssertEqual(refused.status, .conflict)
        let county = try await loggedIn("demo.county1")
        let id = try await conference
        let open = try await county.get("/forms/\(id)/fill")
        XCTAssertEqual(open.status, .ok, "the county is inside the province")
    }

    /// A form is made for the fill page or for a module's pages (用途 from the modules' registry); an
    /// unknown purpose is refused beside the field.
    func testAFormIsCreatedForAPurposeTheModulesOffer() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let page = try await admin.get("/admin/forms/new").body.string
        XCTAssertTrue(page.contains("<option value=\"events\">活动报名</option>"), page)
        let province = try demo.province.requireID().uuidString
        let refused = try await admin.post("/admin/forms", ["title": "参会回执", "organization": province, "purpose": "alien"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("id=\"purpose-error\""))
        let created = try await admin.post("/admin/forms", ["title": "参会回执", "organization": province, "purpose": "events"])
        XCTAssertEqual(created.status, .seeOther)
        let form = try await PlatformForm.find(try await form(titled: "参会回执"), on: app.db)
        XCTAssertEqual(form?.ownerModule, "events")
    }

    func testTheBuilderAddsFieldsWithAConditionReordersAndPublishes() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let created = try await admin.post(
            "/admin/forms", ["title": "科普志愿者招募", "description": "", "organization": try demo.province.requireID().uuidString])
        XCTAssertEqual(created.status, .seeOther, String(created.body.string.prefix(500)))
        let id = try await form(titled: "科普志愿者招募")
        XCTAssertEqual(created.location, "/admin/forms/\(id.uuidString)?notice=created")

        let fields: [[String: String]] = [
            ["kind": "text", "label": "姓名", "required": "on"],
            ["kind": "single_choice", "label": "是否有科普经验", "options": "有\n没有", "required": "on"],
            ["kind": "long_text", "label": "经验简述", "showIfKey": "f2", "showIfValues": "有"],
            ["kind": "number", "label": "每月可服务小时", "min": "1", "max": "100", "integer": "on"],
            ["kind": "multiple_choice", "label": "服务方向", "options": "青少年\n老年人\n农村", "max": "2"],
            ["kind": "date", "label": "可开始日期", "min": "2026-01-01"],
            ["kind": "phone", "label": "手机号"],
            ["kind": "email", "label": "邮箱"],
            ["kind": "file", "label": "证书", "maxFiles": "2"],
            ["kind": "consent", "label": "承诺", "statement": "服从志愿服务安排", "required": "on"],
        ]
        for field in fields {
            let added = try await admin.post("/admin/forms/\(id)/fields", field)
            XCTAssertEqual(added.status, .seeOther, "\(field): \(added.body.string.prefix(300))")
        }
        let refused = try await admin.post("/admin/forms/\(id)/fields", ["kind": "single_choice", "label": "空选项"])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertEqual(refused.page.fieldError("options"), "请填写选项，每行一个")

        let moveAboveController = try await admin.post("/admin/forms/\(id)/fields/move", ["key": "f3", "direction": "up"])
        XCTAssertEqual(moveAboveController.status, .unprocessableEntity)
        XCTAssertEqual(moveAboveController.page.element(id: "builder-problems")?.text, "字段“经验简述”的显示条件须引用它前面的单选或多选字段")
        let moved = try await admin.post("/admin/forms/\(id)/fields/move", ["key": "f1", "direction": "down"])
        XCTAssertEqual(moved.status, .seeOther)
        let deleted = try await admin.post("/admin/forms/\(id)/fields/delete", ["key": "f8"])
        XCTAssertEqual(deleted.status, .seeOther)
        let edited = try await admin.post(
            "/admin/forms/\(id)/field", ["key": "f1", "kind": "text", "label": "真实姓名", "required": "on", "maxLength": "20"])
        XCTAssertEqual(edited.status, .seeOther, String(edited.body.string.prefix(300)))

        let builder = try await admin.get("/admin/forms/\(id)").page
        XCTAssertEqual(
            builder.rowElements(inTable: "form-fields").map { $0.attribute("data-key") },
            ["f2", "f1", "f3", "f4", "f5", "f6", "f7", "f9", "f10"])
        XCTAssertEqual(builder.column(1, inTable: "form-fields")[1], "真实姓名")
        XCTAssertEqual(builder.element(id: "wrap-f3")?.attribute("data-show-if"), "f2", "the preview writes the condition")

        let renamed = try await admin.post("/admin/forms/\(id)/settings", ["title": "科普志愿者招募（2027）", "description": "每月至少服务 4 小时"])
        XCTAssertEqual(renamed.status, .seeOther)
        let blank = try await admin.post("/admin/forms/\(id)/settings", ["title": " ", "description": ""])
        XCTAssertEqual(blank.status, .unprocessableEntity)
        XCTAssertEqual(blank.page.element(id: "builder-problems")?.text, "请填写表单名称")

        let publish = try await admin.post("/admin/forms/\(id)/publish", [:])
        XCTAssertEqual(publish.location, "/admin/forms/\(id.uuidString)?notice=form_published")
        let published = try await admin.get("/admin/forms/\(id)").page
        XCTAssertEqual(published.facts(in: "form-facts")["当前版本"], "第 1 版")
        XCTAssertEqual(published.elements("h1").first?.text, "科普志愿者招募（2027）")
        XCTAssertNotNil(published.element(id: "fill-link"))
    }

    func testTheAnswersExportParsesBackWithOneColumnPerField() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let id = try await conference
        let page = try await admin.get("/admin/forms/\(id)/answers").page
        XCTAssertEqual(page.rows(inTable: "answers").count, 8)
        XCTAssertEqual(page.column(3, inTable: "answers").first, "周晓燕", "newest first")

        let xlsx = try await admin.get("/admin/forms/\(id)/answers?format=xlsx")
        XCTAssertEqual(xlsx.status, .ok)
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(
            rows.first,
            ["提交时间", "版本", "填报人", "姓名", "工作单位", "职称", "手机号", "电子邮箱", "参会方式", "是否需要安排住宿", "到达日期", "拟参加的分论坛", "随行人数", "信息使用"])
        XCTAssertEqual(rows.count, 9)
        XCTAssertEqual(
            Array(rows[1].dropFirst(3)),
            ["林海涛", "云海大学海洋学院", "正高级", "13907710001", "demo1@example.cn", "现场参会", "需要", "2026-05-14", "新材料、海洋科技", "0", "已同意"])
        XCTAssertEqual(rows[1][1], "1")
        XCTAssertEqual(Array(rows[3].dropFirst(3).prefix(1)) + [rows[3][9], rows[3][10]], ["黄志强", "", ""], "online: no lodging questions")

        let csv = try await admin.get("/admin/forms/\(id)/answers?format=csv")
        XCTAssertEqual(csv.csvLines.count, 9)
        XCTAssertTrue(csv.csvLines.first?.hasPrefix("提交时间,版本,填报人,姓名,工作单位") ?? false, csv.csvLines.first ?? "")
    }

    func testTheAPIGivesTheCurrentDefinition() async throws {
        let id = try await conference
        let user = try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()
        let token = try await TokenService(db: app.db, services: app.platform).issue(
            userID: try XCTUnwrap(user).requireID(), name: "test", expiresInDays: nil
        ).token
        var headers = HTTPHeaders()
        headers.bearerAuthorization = .init(token: token)
        let response = try await app.testable().sendRequest(.GET, "/api/v1/forms/\(id)", headers: headers)
        XCTAssertEqual(response.status, .ok)
        struct Body: Decodable {
            let title: String
            let status: String
            let currentVersion: Int
            let definition: FormDefinition
        }
        let body = try response.content.decode(Body.self)
        XCTAssertEqual(body.title, "2026年学术年会参会报名表")
        XCTAssertEqual(body.status, "published")
        XCTAssertEqual(body.currentVersion, 1)
        XCTAssertEqual(body.definition.fields.count, 11)
        XCTAssertEqual(body.definition.field("lodging")?.showIf, FormShowIf(key: "attendance", values: ["现场参会"]))
    }
}
