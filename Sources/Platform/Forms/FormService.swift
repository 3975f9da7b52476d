import Fluent
import Foundation
import KexieKit

/// The record of another module a submission belongs to: `FormOwner(module: "events", id: registrationID)`.
public struct FormOwner: Sendable, Equatable {
    public let module: String
    public let id: UUID?

    public init(module: String, id: UUID?) {
        self.module = module
        self.id = id
    }

    /// A submission made on the platform's own fill page.
    public static let fillPage = FormOwner(module: "platform", id: nil)
}

/// One submission read back: its answers opened (sealed ones decrypted) and typed.
public struct FormSubmissionRecord: Sendable {
    public let id: UUID
    public let version: Int
    public let owner: FormOwner
    public let submitterID: UUID?
    public let submittedAt: Date
    public let answers: [String: FormValue]
}

/// The shared form mechanism: administrators build a definition, publish it as a version, and any
/// module takes submissions against the current version and reads them back. Modules call it directly
/// (`FormService(db: req.db, services: req.platform)`); the builder pages and the fill page use it too.
public struct FormService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    // MARK: Forms

    /// A new draft form of an organization in the actor's subtree, with one empty section unless a
    /// definition is given. `ownerModule` is the module whose pages take the submissions (`platform`:
    /// the platform's fill page).
    public func create(
        title: String, details: String, organizationID: UUID, actor: Actor, definition: FormDefinition? = nil,
        ownerModule: String = FormOwner.fillPage.module
    ) async throws -> PlatformForm {
        try actor.require(PlatformPermission.formsManage)
        _ = try await actor.scope.requireOrganization(organizationID, on: db)
        let title = try Self.checkDetails(title: title, details: details)
        let definition = definition ?? FormDefinition(sections: [FormSection(title: "基本信息")])
        try Self.check(definition)
        return try await services.writes.transaction(on: db) { tx in
            let form = PlatformForm(
                organizationID: organizationID, title: title, details: details, createdBy: actor.userID, ownerModule: ownerModule)
            try await form.create(on: tx)
            try await FormVersion(formID: try form.requireID(), version: 1, definition: definition).create(on: tx)
            return form
        }
    }

    /// A form's title (trimmed) when it and the description are within bounds, else 422 naming the field.
    static func checkDetails(title: String, details: String) throws -> String {
        var errors = FieldErrors()
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "请填写表单名称") }
        if title.count > 100 { errors.add("title", "表单名称不能超过 100 个字") }
        if details.count > 2000 { errors.add("description", "说明不能超过 2000 个字") }
        try errors.throwIfAny(order: ["title", "description"])
        return title
    }

    /// Changes the title and description (what people read above the fields; not versioned).
    public func updateDetails(_ formID: UUID, title: String, details: String, actor: Actor) async throws {
        let form = try await managed(formID, actor: actor)
        form.title = try Self.checkDetails(title: title, details: details)
        form.details = details
        try await form.update(on: db)
    }

    /// The form if it belongs to the actor's subtree, else 404.
    public func managed(_ id: UUID, actor: Actor) async throws -> PlatformForm {
        try actor.require(PlatformPermission.formsManage)
        guard let form = try await actor.scope.query(PlatformForm.self, on: db).filter(\.$id == id).first() else {
            throw PlatformError.notFound
        }
        return form
    }

    /// Forms of the actor's subtree, for lists.
    public func forms(actor: Actor) throws -> QueryBuilder<PlatformForm> {
        try actor.require(PlatformPermission.formsManage)
        return actor.scope.query(PlatformForm.self, on: db)
    }

    /// Published forms of the platform's fill page that the actor may fill: those of the acting
    /// organization and the organizations above it, newest first.
    public func fillable(actor: Actor, limit: Int = 50) async throws -> [PlatformForm] {
        try await Self.fillable(actor: actor, on: db, limit: limit)
    }

    static func fillable(actor: Actor, on db: any Database, limit: Int) async throws -> [PlatformForm] {
        guard let acting = actor.acting else { return [] }
        let forms = try await PlatformForm.query(on: db)
            .join(Organization.self, on: \PlatformForm.$organizationID == \Organization.$id)
            .filter(\.$status == .published).filter(\.$ownerModule == FormOwner.fillPage.module)
            .sort(\.$updatedAt, .descending).limit(500).all()
        return try forms.filter { acting.organizationPath.hasPrefix(try $0.joined(Organization.self).path) }.prefix(limit).map { $0 }
    }

    // MARK: Definition

    /// The definition being edited: the unpublished version, else a copy of the current one.
    public func draftDefinition(_ form: PlatformForm) async throws -> FormDefinition {
        if let draft = try await draftVersion(form) { return try draft.definition() }
        return try await publishedVersion(form).definition()
    }

    /// The unpublished version, if there is one.
    func draftVersion(_ form: PlatformForm) async throws -> FormVersion? {
        try await FormVersion.query(on: db).filter(\.$formID == form.requireID()).filter(\.$publishedAt == nil).first()
    }

    /// The version people fill in now; 409 `form_not_open` when there is none.
    public func publishedVersion(_ form: PlatformForm) async throws -> FormVersion {
        guard form.currentVersion > 0,
            let version = try await FormVersion.query(on: db).filter(\.$formID == form.requireID())
                .filter(\.$version == form.currentVersion).first()
        else { throw PlatformError.formNotOpen }
        return version
    }

    /// Whether the draft differs from what is published (so there is something to publish).
    public func hasUnpublishedChanges(_ form: PlatformForm) async throws -> Bool {
        try await draftVersion(form) != nil
    }

    /// Changes the draft: the unpublished version, created as the next version from the current one
    /// the first time the form is edited after a publication. The result is checked as a whole
    /// (`FormDefinition.validate`), so a draft never holds a definition that cannot be published.
    @discardableResult
    public func editDraft(
        _ formID: UUID, actor: Actor, _ change: @escaping @Sendable (inout FormDefinition) throws -> Void
    ) async throws -> FormDefinition {
        _ = try await managed(formID, actor: actor)
        // Read, change and write in one transaction, so two administrators' steps do not overwrite
        // each other on SQLite (serialized writers); on PostgreSQL the unique (form_id, version) refuses
        // a second draft created at the same moment.
        return try await services.writes.transaction(on: db) { tx in
            guard let form = try await PlatformForm.find(formID, on: tx) else { throw PlatformError.notFound }
            let tools = FormService(db: tx, services: services)
            let draft = try await tools.draftVersion(form)
            var definition: FormDefinition
            if let draft { definition = try draft.definition() } else { definition = try await tools.publishedVersion(form).definition() }
            try change(&definition)
            try Self.check(definition)
            if let draft {
                draft.definitionJSON = try FormVersion.encode(definition)
                try await draft.update(on: tx)
            } else {
                try await FormVersion(formID: formID, version: form.currentVersion + 1, definition: definition).create(on: tx)
            }
            return definition
        }
    }

    /// Replaces the whole draft (a module that builds its form in code).
    public func saveDraft(_ formID: UUID, _ definition: FormDefinition, actor: Actor) async throws {
        try await editDraft(formID, actor: actor) { $0 = definition }
    }

    public func addSection(_ formID: UUID, title: String, actor: Actor) async throws {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw PlatformError.invalidInput(field: "sectionTitle", message: "请填写分组标题") }
        try await editDraft(formID, actor: actor) { $0.sections.append(FormSection(title: title)) }
    }

    /// Adds a field at the end of a section (the last one when the index is out of range).
    public func addField(_ formID: UUID, _ field: FormField, section: Int, actor: Actor) async throws {
        try await editDraft(formID, actor: actor) { definition in
            if definition.sections.isEmpty { definition.sections.append(FormSection(title: "基本信息")) }
            let index = definition.sections.indices.contains(section) ? section : definition.sections.count - 1
            definition.sections[index].fields.append(field)
        }
    }

    /// Replaces the field with this key (its key stays: answers are stored by it).
    public func updateField(_ formID: UUID, key: String, _ field: FormField, actor: Actor) async throws {
        try await editDraft(formID, actor: actor) { definition in
            guard let position = Self.position(of: key, in: definition) else { throw PlatformError.notFound }
            let (s, f) = position
            var replacement = field
            replacement.key = key
            definition.sections[s].fields[f] = replacement
        }
    }

    /// Removes a field; refused while a later field is shown depending on it.
    public func removeField(_ formID: UUID, key: String, actor: Actor) async throws {
        try await editDraft(formID, actor: actor) { definition in
            guard let position = Self.position(of: key, in: definition) else { throw PlatformError.notFound }
            let (s, f) = position
            if let dependent = definition.fields.first(where: { $0.showIf?.key == key }) {
                throw PlatformError.conflict(message: "字段“\(dependent.label)”的显示条件依赖此字段，请先修改它")
            }
            definition.sections[s].fields.remove(at: f)
        }
    }

    /// Moves a field one place up or down, across into the neighbouring section at a section's edge.
    public func moveField(_ formID: UUID, key: String, up: Bool, actor: Actor) async throws {
        try await editDraft(formID, actor: actor) { definition in
            guard let position = Self.position(of: key, in: definition) else { throw PlatformError.notFound }
            let (s, f) = position
            let field = definition.sections[s].fields[f]
            if up {
                if f > 0 {
                    definition.sections[s].fields.swapAt(f, f - 1)
                } else if s > 0 {
                    definition.sections[s].fields.remove(at: f)
                    definition.sections[s - 1].fields.append(field)
                }
            } else {
                if f < definition.sections[s].fields.count - 1 {
                    definition.sections[s].fields.swapAt(f, f + 1)
                } else if s < definition.sections.count - 1 {
                    definition.sections[s].fields.remove(at: f)
                    definition.sections[s + 1].fields.insert(field, at: 0)
                }
            }
        }
    }

    static func position(of key: String, in definition: FormDefinition) -> (Int, Int)? {
        for (s, section) in definition.sections.enumerated() {
            if let f = section.fields.firstIndex(where: { $0.key == key }) { return (s, f) }
        }
        return nil
    }

    static func check(_ definition: FormDefinition) throws {
        let problems = definition.problems()
        if !problems.isEmpty { throw PlatformError.formDefinitionInvalid(problems) }
    }

    /// Publishes the draft as the form's current version (immutable from now on) and opens the form.
    /// Returns the version number.
    @discardableResult
    public func publish(_ formID: UUID, actor: Actor) async throws -> Int {
        let form = try await managed(formID, actor: actor)
        let now = services.clock()
        return try await services.writes.transaction(on: db) { tx in
            guard let draft = try await FormVersion.query(on: tx).filter(\.$formID == formID).filter(\.$publishedAt == nil).first()
            else {
                guard form.currentVersion > 0 else { throw PlatformError.conflict(message: "表单还没有字段，无法发布") }
                // Nothing changed since the last publication: reopen it if it was closed.
                form.status = .published
                try await form.update(on: tx)
                return form.currentVersion
            }
            let definition = try draft.definition()
            guard !definition.fields.isEmpty else { throw PlatformError.conflict(message: "表单还没有字段，无法发布") }
            try Self.check(definition)
            // The platform's fill page has no upload: a required file field would refuse everyone.
            if form.ownerModule == FormOwner.fillPage.module,
                let file = definition.fields.first(where: { $0.kind.name == .file && $0.required })
            {
                throw PlatformError.conflict(message: "平台填写页不能上传附件：请将“\(file.label)”设为选填，或由使用此表单的业务模块收集")
            }
            draft.publishedAt = now
            try await draft.update(on: tx)
            form.currentVersion = draft.version
            form.status = .published
            try await form.update(on: tx)
            return draft.version
        }
    }

    /// Stops collecting answers; publishing again reopens the form.
    public func close(_ formID: UUID, actor: Actor) async throws {
        let form = try await managed(formID, actor: actor)
        guard form.status == .published else { throw PlatformError.formNotOpen }
        form.status = .closed
        try await form.update(on: db)
    }

    // MARK: Submissions

    /// Checks raw values against the current version and stores the typed answers with that version.
    /// Returns every problem at once instead when there are any; 409 when the form is not open.
    public func submit(_ formID: UUID, _ raw: [String: [String]], owner: FormOwner, submitter: UUID?) async throws
        -> Result<UUID, FormErrors>
    {
        guard let form = try await PlatformForm.find(formID, on: db) else { throw PlatformError.notFound }
        guard form.status == .published else { throw PlatformError.formNotOpen }
        let version = try await publishedVersion(form)
        let definition = try version.definition()
        let answers: FormAnswers
        switch FormValidator(definition).validate(raw) {
        case .failure(let errors): return .failure(errors)
        case .success(let valid): answers = valid
        }
        let rows = try definition.fields.compactMap { field in
            try answers[field.key].map { try row(field, $0) }
        }
        let submission = FormSubmission()
        submission.formID = formID
        submission.version = version.version
        submission.ownerModule = owner.module
        submission.ownerID = owner.id
        submission.submitterID = submitter
        submission.submittedAt = services.clock()
        try await services.writes.transaction(on: db) { tx in
            try await submission.create(on: tx)
            let id = try submission.requireID()
            for row in rows {
                row.submissionID = id
                try await row.create(on: tx)
            }
        }
        return .success(try submission.requireID())
    }

    private func row(_ field: FormField, _ value: FormValue) throws -> FormAnswer {
        let answer = FormAnswer()
        answer.fieldKey = field.key
        answer.kind = field.kind.name
        answer.sealed = false
        answer.choices = []
        answer.fileIDs = []
        switch value {
        case .text(let text):
            answer.sealed = field.isSealed
            answer.textValue = field.isSealed ? try services.secrets.seal(text) : text
        case .number(let number): answer.numberValue = NSDecimalNumber(decimal: number).doubleValue
        case .choices(let choices): answer.choices = choices
        case .date(let day): answer.dateValue = day
        case .consent(let agreed): answer.boolValue = agreed
        case .files(let ids): answer.fileIDs = ids
        }
        return answer
    }

    /// Every submission of a form, oldest first, with its answers opened.
    public func answers(_ formID: UUID, range: Range<Int>? = nil, newestFirst: Bool = false) async throws -> [FormSubmissionRecord] {
        let direction: DatabaseQuery.Sort.Direction = newestFirst ? .descending : .ascending
        var query = FormSubmission.query(on: db).filter(\.$formID == formID).sort(\.$submittedAt, direction).sort(\.$id, direction)
        if let range { query = query.range(range) }
        return try await records(try await query.all())
    }

    /// The submissions of one record of a module (an event registration's form, say).
    public func answers(owner: FormOwner) async throws -> [FormSubmissionRecord] {
        var query = FormSubmission.query(on: db).filter(\.$ownerModule == owner.module).sort(\.$submittedAt)
        if let id = owner.id { query = query.filter(\.$ownerID == id) }
        return try await records(try await query.all())
    }

    public func submissionCount(_ formID: UUID) async throws -> Int {
        try await FormSubmission.query(on: db).filter(\.$formID == formID).count()
    }

    private func records(_ submissions: [FormSubmission]) async throws -> [FormSubmissionRecord] {
        let ids = try submissions.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        var bySubmission: [UUID: [String: FormValue]] = [:]
        // One query for all answers of the page (chunked so the IN list stays small).
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for answer in try await FormAnswer.query(on: db).filter(\.$submissionID ~~ chunk).all() {
                bySubmission[answer.submissionID, default: [:]][answer.fieldKey] = try value(of: answer)
            }
        }
        return try submissions.map { submission in
            let id = try submission.requireID()
            return FormSubmissionRecord(
                id: id, version: submission.version, owner: FormOwner(module: submission.ownerModule, id: submission.ownerID),
                submitterID: submission.submitterID, submittedAt: submission.submittedAt, answers: bySubmission[id] ?? [:])
        }
    }

    private func value(of answer: FormAnswer) throws -> FormValue {
        switch answer.kind {
        case .text, .longText, .phone, .email:
            let text = answer.textValue ?? ""
            return .text(answer.sealed ? try services.secrets.open(text) : text)
        case .number: return .number(Decimal(answer.numberValue ?? 0))
        case .singleChoice, .multipleChoice: return .choices(answer.choices)
        case .date:
            guard let day = answer.dateValue else { return .text("") }
            return .date(day)
        case .consent: return .consent(answer.boolValue ?? false)
        case .file: return .files(answer.fileIDs)
        }
    }

    // MARK: Export

    /// Every submission as a table: submitted time, version, submitter, then one column per field key
    /// across all versions (the newest label as heading; keys only older versions had come last).
    public func export(_ form: PlatformForm) async throws -> TableExport {
        try await table(form, try await answers(try form.requireID(), range: 0..<Self.exportLimit))
    }

    /// Exports stop here; a form with more submissions is read through `answers(_:range:)`.
    public static let exportLimit = 100_000

    /// The same table for some of the submissions (a page of the answers list).
    public func table(_ form: PlatformForm, _ records: [FormSubmissionRecord]) async throws -> TableExport {
        let formID = try form.requireID()
        let versions = try await FormVersion.query(on: db).filter(\.$formID == formID).filter(\.$publishedAt != nil)
            .sort(\.$version, .descending).all()
        var columns: [(key: String, label: String)] = []
        for version in versions {
            for field in try version.definition().fields where !columns.contains(where: { $0.key == field.key }) {
                columns.append((field.key, field.label))
            }
        }
        let names = try await submitterNames(records)
        return TableExport(
            fileName: form.title + "-填报数据", headers: ["提交时间", "版本", "填报人"] + columns.map(\.label),
            rows: records.map { record in
                [ChineseDate.dateTime(record.submittedAt), String(record.version), record.submitterID.flatMap { names[$0] } ?? ""]
                    + columns.map { record.answers[$0.key]?.display ?? "" }
            })
    }

    /// Display names of the submitters, one query.
    public func submitterNames(_ records: [FormSubmissionRecord]) async throws -> [UUID: String] {
        let ids = Array(Set(records.compactMap(\.submitterID)))
        guard !ids.isEmpty else { return [:] }
        return Dictionary(
            try await User.query(on: db).filter(\.$id ~~ ids).all().map { (try $0.requireID(), $0.displayName) },
            uniquingKeysWith: { first, _ in first })
    }
}

/// The home page's “待填写的表单”: up to five forms the actor may fill, each linking to its fill page.
enum FormsPanel {
    /// The newest five published fill-page forms of the acting organization and those above it (the
    /// organizations named in its path).
    static func figures(_ actor: Actor) -> [PanelFigure]? {
        guard let acting = actor.acting else { return nil }
        let ancestors = acting.organizationPath.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
        guard !ancestors.isEmpty else { return nil }
        return [
            .records(
                "forms", limit: 5,
                """
                SELECT id AS id, title AS title FROM platform_forms
                WHERE status = \(bind: PlatformForm.Status.published.rawValue) AND owner_module = \(bind: FormOwner.fillPage.module)
                AND organization_id IN (\(binds: ancestors)) ORDER BY updated_at DESC
                """)
        ]
    }

    static func lines(_ values: PanelValues) -> [HomePanel.Line] {
        values.records("forms").compactMap { form in
            UUID(uuidString: form.id).map { HomePanel.Line(label: form.title, value: "填写", link: PlatformRoutes.formFill($0)) }
        }
    }
}
