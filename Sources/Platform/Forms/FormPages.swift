import Fluent
import Foundation
import KexieKit
import Vapor

struct FormListPage: Sendable {
    struct Row: Sendable {
        let title: String
        let link: String
        let organization: String
        let status: String
        let statusCode: String
        let version: String
        let updated: String
    }

    let shell: PageShell
    let list: ListChrome
    let statuses: [SelectOption]
    let rows: [Row]
}

struct FormNewPage: Sendable {
    let shell: PageShell
    let organization: OrganizationPickerValue
    let purposes: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
}

struct FormBuilderPage: Sendable {
    struct FieldRow: Sendable {
        let key: String
        let label: String
        let kind: String
        let required: Bool
        let condition: String
        let editLink: String
    }

    struct SectionRows: Sendable {
        let title: String
        let fields: [FieldRow]
    }

    let shell: PageShell
    let formID: UUID
    let title: String
    let details: String
    let organization: String
    let status: String
    let statusCode: String
    let version: String
    let submissions: Int
    let hasChanges: Bool
    let sections: [SectionRows]
    let editor: FieldEditor
    let preview: FormView
    let problems: [String]
    let answersLink: String
    let fillLink: String?
}

/// The field editor, on the builder page (a new field) and on its own page (editing one).
struct FieldEditor: Sendable {
    let action: String
    let editingKey: String?
    let values: [String: String]
    let errors: [String: String]
    let kinds: [SelectOption]
    let sections: [SelectOption]
    let controllers: [SelectOption]
}

struct FieldEditorPage: Sendable {
    let shell: PageShell
    let formTitle: String
    let backLink: String
    let editor: FieldEditor
    let problems: [String]
}

struct FormAnswersPage: Sendable {
    let shell: PageShell
    let title: String
    let backLink: String
    let list: ListChrome
    let headers: [String]
    let rows: [[String]]
}

struct FormFillPage: Sendable {
    let shell: PageShell
    let title: String
    let details: String
    let action: String
    let view: FormView
}

/// The administrators' form pages (list, create, builder, field editor, answers) and the fill page.
struct FormController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.forms, use: list)
        web.post(PlatformRoutes.forms, use: create)
        web.get(PlatformRoutes.newForm, use: newForm)
        web.get(PlatformRoutes.form, use: builder)
        web.post(PlatformRoutes.formFields, use: addField)
        web.get(PlatformRoutes.formField, use: fieldEditor)
        web.post(PlatformRoutes.formField, use: saveField)
        web.post(PlatformRoutes.formFieldMove, use: moveField)
        web.post(PlatformRoutes.formFieldDelete, use: deleteField)
        web.post(PlatformRoutes.formSections, use: addSection)
        web.post(PlatformRoutes.formSettings, use: saveSettings)
        web.post(PlatformRoutes.formPublish, use: publish)
        web.post(PlatformRoutes.formClose, use: close)
        web.get(PlatformRoutes.formAnswers, use: answers)
        web.get(PlatformRoutes.formFill, use: fillForm)
        web.post(PlatformRoutes.formFill, use: fill)
    }

    private func service(_ req: Request) -> FormService { FormService(db: req.db, services: req.platform) }

    // MARK: List and create

    /// Handler: who and which filters → the forms of the subtree → the export or one page of them.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let params = try ListParameters(request: req, path: PlatformRoutes.forms(), keys: ["status"])
        let query = try Self.forms(try service(req).forms(actor: actor), params)
        if let format = req.exportFormat { return try await Self.export(try await query.limit(100_000).all(), format, req) }
        let total = try await query.count()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let shell = await PageShell.build(for: req, title: "表单")
        return try await Self.listPage(rows, total: total, params, shell: shell).render(req)
    }

    /// The filters and order of the list, on the scoped query (joined with the organization).
    static func forms(_ scoped: QueryBuilder<PlatformForm>, _ params: ListParameters) throws -> QueryBuilder<PlatformForm> {
        var query = scoped
        if let q = params.search { query = query.filter(\.$title ~~ q) }
        if let status = params["status"].flatMap(PlatformForm.Status.init(rawValue:)) { query = query.filter(\.$status == status) }
        let direction: DatabaseQuery.Sort.Direction = params.descending ? .descending : .ascending
        switch params["sort"] {
        case "title": return query.sort(\.$title, direction)
        case "status": return query.sort(\.$status, direction).sort(\.$title)
        default: return query.sort(\.$updatedAt, params["sort"] == nil ? .descending : direction).sort(\.$title)
        }
    }

    static func export(_ forms: [PlatformForm], _ format: TableExport.Format, _ req: Request) async throws -> Response {
        try await TableExport(
            fileName: "表单列表", headers: ["表单名称", "所属组织", "状态", "当前版本", "更新时间"],
            rows: try forms.map { form in
                [
                    form.title, try form.joined(Organization.self).name, form.status.label,
                    form.currentVersion == 0 ? "未发布" : "第 \(form.currentVersion) 版", ChineseDate.dateTime(form.updatedAt),
                ]
            }
        ).response(format, for: req)
    }

    static func listPage(_ forms: [PlatformForm], total: Int, _ params: ListParameters, shell: PageShell) throws -> FormListPage {
        FormListPage(
            shell: shell,
            list: params.chrome(
                total: total,
                headers: [
                    params.sortLink("title", label: "表单名称"), params.sortLink("status", label: "状态"),
                    params.sortLink("updated", label: "更新时间"),
                ], newLink: PlatformRoutes.newForm()),
            statuses: [SelectOption(value: "", label: "全部状态", selected: params["status"] == nil)]
                + PlatformForm.Status.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
                },
            rows: try forms.map { form in
                FormListPage.Row(
                    title: form.title, link: PlatformRoutes.form(try form.requireID()),
                    organization: try form.joined(Organization.self).name,
                    status: form.status.label, statusCode: form.status.rawValue,
                    version: form.currentVersion == 0 ? "未发布" : "第 \(form.currentVersion) 版", updated: ChineseDate.dateTime(form.updatedAt))
            })
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.formsManage)
        return try await newPage(req, actor: actor, values: [:], errors: [:])
    }

    private func newPage(_ req: Request, actor: Actor, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let organization =
            if let sent = values["organization"], !sent.isEmpty {
                try await actor.organizationPicker(sent: sent, on: req.db)
            } else {
                try await actor.organizationPicker(selected: nil, on: req.db)
            }
        return try await FormNewPage(
            shell: await PageShell.build(for: req, title: "新建表单"), organization: organization,
            purposes: req.platform.registry.formPurposes.map {
                SelectOption(value: $0.module, label: $0.label, selected: (values["purpose"] ?? FormOwner.fillPage.module) == $0.module)
            }, values: values, errors: errors
        ).render(req, status: status)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let values = PostedForm.single(PostedForm.values(req))
        let sent = values["organization"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let resolved = try await OrganizationLookup(db: req.db).resolve(sent, in: .subtree, actor: actor)
        if resolved == nil, !sent.isEmpty {
            return try await newPage(
                req, actor: actor, values: values, errors: ["organization": "未找到该组织，请从列表中选择或填写完整路径"], status: .unprocessableEntity)
        }
        let organization = resolved ?? actor.actingOrganizationID
        let purpose = values["purpose"].flatMap { sent in req.platform.registry.formPurposes.first { $0.module == sent } }
        if purpose == nil, values["purpose"] != nil {
            return try await newPage(req, actor: actor, values: values, errors: ["purpose": "请选择表单用途"], status: .unprocessableEntity)
        }
        do {
            let form = try await service(req).create(
                title: values["title"] ?? "", details: values["description"] ?? "", organizationID: organization ?? UUID(), actor: actor,
                ownerModule: purpose?.module ?? FormOwner.fillPage.module)
            return req.redirect(to: PlatformRoutes.form(try form.requireID(), query: ["notice": "created"]))
        } catch PlatformError.invalidInput(let field, let message) {
            return try await newPage(req, actor: actor, values: values, errors: [field ?? "title": message], status: .unprocessableEntity)
        }
    }

    // MARK: Builder

    func builder(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try await service(req).managed(try req.uuidParameter(), actor: actor)
        return try await renderBuilder(req, form, editor: [:], errors: [:], problems: [])
    }

    /// The builder with the new-field editor holding `editor` values and `errors`, and `problems` of
    /// the last change (a definition that would not be valid, a refused step) listed at the top.
    private func renderBuilder(
        _ req: Request, _ form: PlatformForm, editor: [String: String], errors: [String: String], problems: [String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let service = service(req)
        let definition = try await service.draftDefinition(form)
        let id = try form.requireID()
        let organization = try await Organization.find(form.organizationID, on: req.db)
        let page = FormBuilderPage(
            shell: await PageShell.build(for: req, title: form.title), formID: id, title: form.title, details: form.details,
            organization: organization?.name ?? "", status: form.status.label, statusCode: form.status.rawValue,
            version: form.currentVersion == 0 ? "未发布" : "第 \(form.currentVersion) 版",
            submissions: try await service.submissionCount(id), hasChanges: try await service.hasUnpublishedChanges(form),
            sections: Self.sectionRows(definition, formID: id),
            editor: Self.editor(definition, action: PlatformRoutes.formFields(id), editingKey: nil, values: editor, errors: errors),
            preview: FormView(definition: definition), problems: problems, answersLink: PlatformRoutes.formAnswers(id),
            fillLink: form.status == .published && form.ownerModule == FormOwner.fillPage.module ? PlatformRoutes.formFill(id) : nil)
        return try await page.render(req, status: status)
    }

    static func sectionRows(_ definition: FormDefinition, formID: UUID) -> [FormBuilderPage.SectionRows] {
        definition.sections.map { section in
            FormBuilderPage.SectionRows(
                title: section.title,
                fields: section.fields.map { field in
                    FormBuilderPage.FieldRow(
                        key: field.key, label: field.label, kind: field.kind.name.label, required: field.required,
                        condition: field.showIf.map { showIf in
                            "“\(definition.field(showIf.key)?.label ?? showIf.key)”为“\(showIf.values.joined(separator: "”或“"))”时显示"
                        } ?? "",
                        editLink: PlatformRoutes.formField(formID, query: ["key": field.key]))
                })
        }
    }

    static func editor(
        _ definition: FormDefinition, action: String, editingKey: String?, values: [String: String], errors: [String: String]
    ) -> FieldEditor {
        let before: [FormField]
        if let editingKey, let index = definition.fields.firstIndex(where: { $0.key == editingKey }) {
            before = Array(definition.fields[..<index])
        } else {
            before = definition.fields
        }
        let kind = values["kind"] ?? FormFieldKind.Name.text.rawValue
        let section = values["section"] ?? String(max(0, definition.sections.count - 1))
        return FieldEditor(
            action: action, editingKey: editingKey, values: values, errors: errors,
            kinds: FormFieldKind.Name.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind) },
            sections: definition.sections.enumerated().map { index, s in
                SelectOption(
                    value: String(index), label: s.title.isEmpty ? "第 \(index + 1) 组" : s.title, selected: String(index) == section)
            },
            controllers: [SelectOption(value: "", label: "始终显示", selected: (values["showIfKey"] ?? "").isEmpty)]
                + before.filter(\.kind.isChoice).map {
                    SelectOption(value: $0.key, label: "当“\($0.label)”为…", selected: values["showIfKey"] == $0.key)
                })
    }

    func addField(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let form = try await service.managed(try req.uuidParameter(), actor: actor)
        let values = PostedForm.single(PostedForm.values(req))
        let input = FormFieldInput(values: values)
        let taken = Set(try await service.draftDefinition(form).fields.map(\.key))
        switch input.field(key: nil, taken: taken) {
        case .failure(let errors):
            return try await renderBuilder(
                req, form, editor: values, errors: errors.invalid.messages, problems: [], status: .unprocessableEntity)
        case .success(let field):
            do {
                try await service.addField(try form.requireID(), field, section: input.section, actor: actor)
            } catch PlatformError.formDefinitionInvalid(let problems) {
                return try await renderBuilder(req, form, editor: values, errors: [:], problems: problems, status: .unprocessableEntity)
            }
            return req.redirect(to: PlatformRoutes.form(try form.requireID(), query: ["notice": "field_added"]))
        }
    }

    func fieldEditor(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let form = try await service.managed(try req.uuidParameter(), actor: actor)
        let definition = try await service.draftDefinition(form)
        let key = req.query[String.self, at: "key"] ?? ""
        guard let position = FormService.position(of: key, in: definition), let field = definition.field(key) else {
            throw PlatformError.notFound
        }
        let section = position.0
        return try await renderEditor(
            req, form, definition, key: key, values: FormFieldInput.values(of: field, section: section), errors: [:])
    }

    private func renderEditor(
        _ req: Request, _ form: PlatformForm, _ definition: FormDefinition, key: String, values: [String: String],
        errors: [String: String], problems: [String] = [], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let id = try form.requireID()
        return try await FieldEditorPage(
            shell: await PageShell.build(for: req, title: "修改字段"), formTitle: form.title, backLink: PlatformRoutes.form(id),
            editor: Self.editor(definition, action: PlatformRoutes.formField(id), editingKey: key, values: values, errors: errors),
            problems: problems
        ).render(req, status: status)
    }

    func saveField(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let form = try await service.managed(try req.uuidParameter(), actor: actor)
        let definition = try await service.draftDefinition(form)
        var values = PostedForm.single(PostedForm.values(req))
        let key = values["key"] ?? ""
        guard definition.field(key) != nil else { throw PlatformError.notFound }
        values["key"] = key
        switch FormFieldInput(values: values).field(key: key, taken: []) {
        case .failure(let errors):
            return try await renderEditor(
                req, form, definition, key: key, values: values, errors: errors.invalid.messages, status: .unprocessableEntity)
        case .success(let field):
            do {
                try await service.updateField(try form.requireID(), key: key, field, actor: actor)
            } catch PlatformError.formDefinitionInvalid(let problems) {
                return try await renderEditor(
                    req, form, definition, key: key, values: values, errors: [:], problems: problems, status: .unprocessableEntity)
            }
            return req.redirect(to: PlatformRoutes.form(try form.requireID(), query: ["notice": "saved"]))
        }
    }

    func moveField(_ req: Request) async throws -> Response {
        try await step(req) { service, id, values, actor in
            try await service.moveField(id, key: values["key"] ?? "", up: values["direction"] != "down", actor: actor)
            return String?.none
        }
    }

    func deleteField(_ req: Request) async throws -> Response {
        try await step(req) { service, id, values, actor in
            try await service.removeField(id, key: values["key"] ?? "", actor: actor)
            return "field_deleted"
        }
    }

    func addSection(_ req: Request) async throws -> Response {
        try await step(req) { service, id, values, actor in
            try await service.addSection(id, title: values["sectionTitle"] ?? "", actor: actor)
            return "saved"
        }
    }

    func saveSettings(_ req: Request) async throws -> Response {
        try await step(req) { service, id, values, actor in
            try await service.updateDetails(id, title: values["title"] ?? "", details: values["description"] ?? "", actor: actor)
            return "saved"
        }
    }

    func publish(_ req: Request) async throws -> Response {
        try await step(req) { service, id, _, actor in
            try await service.publish(id, actor: actor)
            return "form_published"
        }
    }

    func close(_ req: Request) async throws -> Response {
        try await step(req) { service, id, _, actor in
            try await service.close(id, actor: actor)
            return "form_closed"
        }
    }

    /// One builder step: run it, go back to the builder with its notice; a refusal (a definition that
    /// would be invalid, a dependent field, nothing to publish) shows the builder with the reason.
    private func step(
        _ req: Request, _ body: (FormService, UUID, [String: String], Actor) async throws -> String?
    ) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let form = try await service.managed(try req.uuidParameter(), actor: actor)
        let id = try form.requireID()
        let values = PostedForm.single(PostedForm.values(req))
        do {
            let notice = try await body(service, id, values, actor)
            return req.redirect(to: PlatformRoutes.form(id, query: ["notice": notice]))
        } catch PlatformError.formDefinitionInvalid(let problems) {
            return try await renderBuilder(req, form, editor: [:], errors: [:], problems: problems, status: .unprocessableEntity)
        } catch let error as PlatformError where error.isFormRefusal {
            let fresh = try await service.managed(id, actor: actor)
            return try await renderBuilder(req, fresh, editor: [:], errors: [:], problems: [error.message], status: error.status)
        }
    }

    // MARK: Answers

    /// Handler: the form → its submissions → the export or one page of them.
    func answers(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let form = try await service.managed(try req.uuidParameter(), actor: actor)
        let id = try form.requireID()
        if let format = req.exportFormat { return try await service.export(form).response(format, for: req) }
        let params = try ListParameters(request: req, path: PlatformRoutes.formAnswers(id), pageSize: 50, keys: [])
        let records = try await service.answers(id, range: params.offset..<(params.offset + params.pageSize), newestFirst: true)
        let table = try await service.table(form, records)
        return try await FormAnswersPage(
            shell: await PageShell.build(for: req, title: form.title + " · 填报数据"), title: form.title, backLink: PlatformRoutes.form(id),
            list: params.chrome(total: try await service.submissionCount(id)), headers: table.headers, rows: table.rows
        ).render(req)
    }

    // MARK: Fill

    /// A published form of the fill page the actor may fill: its organization is the actor's acting
    /// organization or above it. Anything else (a module's form too) is 404, a draft or closed form 409.
    private func fillable(_ req: Request, actor: Actor) async throws -> (PlatformForm, FormDefinition) {
        guard let form = try await PlatformForm.find(try req.uuidParameter(), on: req.db), form.ownerModule == FormOwner.fillPage.module,
            let organization = try await Organization.find(form.organizationID, on: req.db),
            let acting = actor.acting, acting.organizationPath.hasPrefix(organization.path)
        else { throw PlatformError.notFound }
        let version = try await service(req).publishedVersion(form)
        guard form.status == .published else { throw PlatformError.formNotOpen }
        return (form, try version.definition())
    }

    func fillForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (form, definition) = try await fillable(req, actor: actor)
        return try await fillPage(req, form, FormView(definition: definition))
    }

    func fill(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (form, definition) = try await fillable(req, actor: actor)
        let values = PostedForm.values(req)
        let id = try form.requireID()
        switch try await service(req).submit(id, values, owner: .fillPage, submitter: actor.userID) {
        case .success:
            return req.redirect(to: PlatformRoutes.home(query: ["notice": "form_submitted"]))
        case .failure(let errors):
            return try await fillPage(
                req, form, FormView(definition: definition, values: values, errors: errors.fields), status: .unprocessableEntity)
        }
    }

    private func fillPage(_ req: Request, _ form: PlatformForm, _ view: FormView, status: HTTPResponseStatus = .ok) async throws -> Response
    {
        try await FormFillPage(
            shell: await PageShell.build(for: req, title: form.title), title: form.title, details: form.details,
            action: PlatformRoutes.formFill(try form.requireID()), view: view
        ).render(req, status: status)
    }
}
