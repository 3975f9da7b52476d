import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

/// The form mechanism as modules use it: drafts, versions, submissions with typed and sealed answers,
/// and the export across versions.
final class FormServiceTests: DemoTestCase {
    func actor(_ username: String) async throws -> Actor { try await Self.actor(username, app) }

    static func actor(_ username: String, _ app: Application) async throws -> Actor {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else {
            throw Abort(.internalServerError, reason: "no user \(username)")
        }
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    var service: FormService { FormService(db: app.db, services: app.platform) }

    static let contact = FormDefinition(sections: [
        FormSection(
            title: "联系方式",
            fields: [
                FormField(key: "name", label: "姓名", kind: .text, required: true),
                FormField(key: "mobile", label: "手机号", kind: .phone, required: true),
                FormField(key: "id_number", label: "证件号码", kind: .text, personal: true),
            ])
    ])

    /// A published form with the contact definition, made by the provincial administrator.
    func publishedContactForm() async throws -> (UUID, Actor) {
        let admin = try await actor("demo.orgadmin")
        let form = try await service.create(
            title: "联系人登记", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: Self.contact)
        let id = try form.requireID()
        let version = try await service.publish(id, actor: admin)
        XCTAssertEqual(version, 1)
        return (id, admin)
    }

    func testASubmissionKeepsItsVersionAfterTheNextVersionIsPublished() async throws {
        let (id, admin) = try await publishedContactForm()
        let first = try await service.submit(id, ["name": ["张三"], "mobile": ["13912345678"]], owner: .fillPage, submitter: nil).get()

        try await service.addField(
            id, FormField(key: "city", label: "所在城市", kind: .text, required: true), section: 0, actor: admin)
        try await service.updateField(id, key: "name", FormField(key: "ignored", label: "联系人姓名", kind: .text, required: true), actor: admin)
        let form = try await service.managed(id, actor: admin)
        XCTAssertEqual(form.currentVersion, 1, "editing after publication leaves version 1 as it is")
        let published = try await service.publishedVersion(form).definition()
        XCTAssertEqual(published, Self.contact, "version 1 is unchanged")
        let second = try await service.publish(id, actor: admin)
        XCTAssertEqual(second, 2)

        let refused = try await service.submit(id, ["name": ["李四"], "mobile": ["13912345679"]], owner: .fillPage, submitter: nil)
        XCTAssertEqual(try? refused.get(), nil)
        guard case .failure(let errors) = refused else { return XCTFail("the new required field is checked") }
        XCTAssertEqual(errors.fields, [FormFieldError(key: "city", message: "此项必填")])
        clock.advance(minutes: 5)
        let later = try await service.submit(
            id, ["name": ["李四"], "mobile": ["13912345679"], "city": ["东港市"]], owner: FormOwner(module: "events", id: nil), submitter: nil
        ).get()

        let records = try await service.answers(id)
        XCTAssertEqual(records.map(\.id), [first, later])
        XCTAssertEqual(records.map(\.version), [1, 2])
        XCTAssertEqual(records[0].answers["mobile"], .text("13912345678"))
        XCTAssertEqual(records[1].answers["city"], .text("东港市"))
        XCTAssertEqual(records[1].owner.module, "events")
        let versions = try await FormVersion.query(on: app.db).filter(\.$formID == id).sort(\.$version).all()
        XCTAssertEqual(versions.map(\.version), [1, 2])
        XCTAssertEqual(try versions[0].definition(), Self.contact)
        XCTAssertEqual(try versions[1].definition().field("name")?.label, "联系人姓名", "the key stays, the label changed")

        let table = try await service.export(try await service.managed(id, actor: admin))
        XCTAssertEqual(table.headers, ["提交时间", "版本", "填报人", "联系人姓名", "手机号", "证件号码", "所在城市"])
        XCTAssertEqual(
            table.rows.map { Array($0.dropFirst()) }, [["1", "", "张三", "13912345678", "", ""], ["2", "", "李四", "13912345679", "", "东港市"]])
    }

    func testPhoneNumbersAndPersonalFieldsAreSealedInTheDatabase() async throws {
        let (id, _) = try await publishedContactForm()
        let submission = try await service.submit(
            id, ["name": ["张三"], "mobile": ["139 1234 5678"], "id_number": ["460100199001011234"]], owner: .fillPage, submitter: nil
        ).get()
        let rows = try await (try app.db.sql()).raw(
            "SELECT field_key, text_value, sealed FROM platform_form_answers WHERE submission_id = \(bind: submission) ORDER BY field_key"
        ).all()
        let stored = try rows.map {
            (try $0.decode(column: "field_key", as: String.self), try $0.decode(column: "text_value", as: String.self))
        }
        XCTAssertEqual(stored.map(\.0), ["id_number", "mobile", "name"])
        XCTAssertEqual(stored[2].1, "张三")
        for (key, text) in stored.prefix(2) {
            XCTAssertTrue(text.hasPrefix("v1:"), "\(key) is sealed")
            XCTAssertFalse(text.contains("13912345678") || text.contains("460100199001011234"), key)
        }
        let answers = try await service.answers(id)
        XCTAssertEqual(answers.first?.answers["mobile"], .text("13912345678"))
        XCTAssertEqual(answers.first?.answers["id_number"], .text("460100199001011234"))
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "form_answer").all().map(\.summary).joined()
        XCTAssertFalse(audit.contains("张三") || audit.contains("v1:"), audit)
    }

    func testADraftOrClosedFormTakesNoSubmissions() async throws {
        let admin = try await actor("demo.orgadmin")
        let draft = try await service.create(
            title: "草稿", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: Self.contact)
        do {
            _ = try await service.submit(try draft.requireID(), [:], owner: .fillPage, submitter: nil)
            XCTFail("a draft is not open")
        } catch let error as PlatformError {
            XCTAssertEqual(error.errorCode, .formNotOpen)
        }
        let (id, _) = try await publishedContactForm()
        try await service.close(id, actor: admin)
        do {
            _ = try await service.submit(id, ["name": ["张三"], "mobile": ["13912345678"]], owner: .fillPage, submitter: nil)
            XCTFail("a closed form is not open")
        } catch let error as PlatformError {
            XCTAssertEqual(error.errorCode, .formNotOpen)
        }
    }

    func testBuilderStepsKeepTheDefinitionValid() async throws {
        let admin = try await actor("demo.orgadmin")
        let form = try await service.create(title: "议题征集", details: "", organizationID: try demo.province.requireID(), actor: admin)
        let id = try form.requireID()
        try await service.addField(
            id, FormField(key: "attend", label: "参会", kind: .singleChoice(options: ["是", "否"])), section: 0, actor: admin)
        try await service.addField(
            id, FormField(key: "topic", label: "议题", kind: .text, showIf: FormShowIf(key: "attend", values: ["是"])), section: 0,
            actor: admin)
        do {
            try await service.moveField(id, key: "topic", up: true, actor: admin)
            XCTFail("a field cannot move above the field its condition depends on")
        } catch PlatformError.formDefinitionInvalid(let problems) {
            XCTAssertEqual(problems, ["字段“议题”的显示条件须引用它前面的单选或多选字段"])
        }
        do {
            try await service.removeField(id, key: "attend", actor: admin)
            XCTFail("a field another depends on cannot be removed")
        } catch let error as PlatformError {
            XCTAssertEqual(error.errorCode, .conflict)
        }
        try await service.addSection(id, title: "其他", actor: admin)
        try await service.moveField(id, key: "topic", up: false, actor: admin)
        let definition = try await service.draftDefinition(try await service.managed(id, actor: admin))
        XCTAssertEqual(definition.sections.map { $0.fields.map(\.key) }, [["attend"], ["topic"]])
    }

    func testAPlatformFormWithARequiredFileFieldIsNotPublished() async throws {
        let admin = try await actor("demo.orgadmin")
        let definition = FormDefinition(sections: [
            FormSection(
                title: "材料", fields: [FormField(key: "proof", label: "证明材料", kind: .file(maxFiles: 1, kinds: [.pdf]), required: true)])
        ])
        let platform = try await service.create(
            title: "材料收集", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: definition)
        do {
            try await service.publish(try platform.requireID(), actor: admin)
            XCTFail("the fill page cannot upload the required file")
        } catch PlatformError.conflict(let message) {
            XCTAssertEqual(message, "平台填写页不能上传附件：请将“证明材料”设为选填，或由使用此表单的业务模块收集")
        }
        let module = try await service.create(
            title: "评奖申报", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: definition,
            ownerModule: "awards")
        let version = try await service.publish(try module.requireID(), actor: admin)
        XCTAssertEqual(version, 1, "a module uploads the files itself")
        let id = UUID()
        let submitted = try await service.submit(
            try module.requireID(), ["proof": [id.uuidString]], owner: FormOwner(module: "awards", id: UUID()), submitter: nil
        ).get()
        let records = try await service.answers(try module.requireID())
        XCTAssertEqual(records.map(\.id), [submitted])
        XCTAssertEqual(records.first?.answers["proof"], .files([id]))
    }

    func testAnotherSubtreesFormIsNotFound() async throws {
        let (id, _) = try await publishedContactForm()
        let county = try await actor("demo.county1")
        do {
            _ = try await service.managed(id, actor: county)
            XCTFail("the province's form is outside the county's subtree")
        } catch let error as PlatformError {
            XCTAssertEqual(error, .notFound)
        }
    }

    func testPostedBodiesKeepEveryValueOfAKey() {
        XCTAssertEqual(
            PostedForm.parse("topics=%E6%96%B0%E6%9D%90%E6%96%99&topics=AI&name=%E5%BC%A0+%E4%B8%89&_csrf=x&empty="),
            ["topics": ["新材料", "AI"], "name": ["张 三"], "empty": [""]])
    }
}
