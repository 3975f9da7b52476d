import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PostingFormPage: Sendable {
    let shell: PageShell
    let heading: String
    let isSupply: Bool
    let kind: String
    let action: String
    let cancelLink: String
    let values: [String: String]
    let errors: [String: String]
    let error: String?
    let industries: [SelectOption]
    let readiness: [SelectOption]
    /// Checkboxes: `value` is the field name (`mode-transfer`), `selected` whether it is ticked.
    let modes: [SelectOption]
    let ownerKinds: [SelectOption]
}

/// The form for a supply or a demand: new (保存草稿 or 提交审核) and editing a draft.
struct PostingFormController {
    let catalog: MatchCatalog

    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.newPosting, use: newForm)
        web.post(InnovationRoutes.postings, use: create)
        web.get(InnovationRoutes.editPosting, use: editForm)
        web.post(InnovationRoutes.posting, use: update)
    }

    static let textKeys = [
        "title", "summary", "publicDetail", "confidentialDetail", "field", "industry", "readiness", "patents", "ownerKind", "ownerName",
        "region", "keywords", "indicators", "deadline", "budget", "ipOwnership", "solverConditions", "contactName", "contactPhone",
    ]

    // Checkbox names without brackets: URL-encoded `modes[]` keys would be parsed as nesting.
    static func modeKey(_ mode: Posting.CooperationMode) -> String { "mode-\(mode.rawValue)" }

    static var formKeys: [String] { textKeys + Posting.CooperationMode.allCases.map(modeKey) + ["kind", "intent"] }

    private func service(_ req: Request) -> PostingService { PostingService(db: req.db, services: req.platform) }

    static func input(_ fields: [String: String]) -> PostingService.Input {
        var input = PostingService.Input()
        input.title = fields["title"] ?? ""
        input.summary = fields["summary"] ?? ""
        input.publicDetail = fields["publicDetail"] ?? ""
        input.confidentialDetail = fields["confidentialDetail"] ?? ""
        input.field = fields["field"] ?? ""
        input.industry = fields["industry"] ?? ""
        input.readiness = fields["readiness"] ?? ""
        input.patents = fields["patents"] ?? ""
        input.cooperationModes = Posting.CooperationMode.allCases.filter { fields[modeKey($0)] != nil }.map(\.rawValue)
        input.ownerKind = fields["ownerKind"] ?? ""
        input.ownerName = fields["ownerName"] ?? ""
        input.region = fields["region"] ?? ""
        input.keywords = fields["keywords"] ?? ""
        input.indicators = fields["indicators"] ?? ""
        input.deadline = fields["deadline"] ?? ""
        input.budget = fields["budget"] ?? ""
        input.ipOwnership = fields["ipOwnership"] ?? ""
        input.solverConditions = fields["solverConditions"] ?? ""
        input.contactName = fields["contactName"] ?? ""
        input.contactPhone = fields["contactPhone"] ?? ""
        return input
    }

    static func values(of posting: Posting, secrets: SecretBox) -> [String: String] {
        var values: [String: String] = [
            "title": posting.title, "summary": posting.summary, "publicDetail": posting.publicDetail,
            "confidentialDetail": posting.confidentialDetail, "field": posting.field ?? "", "industry": posting.industry ?? "",
            "readiness": posting.readiness.map(String.init) ?? "", "patents": posting.patents, "ownerKind": posting.ownerKind.rawValue,
            "ownerName": posting.ownerName, "region": posting.region, "keywords": PostingDisplay.keywords(posting),
            "indicators": posting.indicators, "deadline": posting.deadline?.description ?? "",
            "budget": posting.budget.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? "", "ipOwnership": posting.ipOwnership,
            "solverConditions": posting.solverConditions, "contactName": posting.contactName,
            "contactPhone": posting.openedContactPhone(secrets),
        ]
        for mode in posting.modes { values[modeKey(mode)] = "on" }
        return values
    }

    private func render(
        _ req: Request, kind: Posting.Kind, action: String, cancel: String, values: [String: String], errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let isSupply = kind == .supply
        let editing = action != InnovationRoutes.postings()
        return try await PostingFormPage(
            shell: await PageShell.build(for: req, title: (editing ? "修改" : "发布") + kind.label),
            heading: (editing ? "修改" : "发布") + (isSupply ? "技术供给（科技成果）" : "技术需求（揭榜挂帅）"), isSupply: isSupply,
            kind: kind.rawValue, action: action, cancelLink: cancel, values: values, errors: errors,
            error: errors.isEmpty ? nil : "请按提示修改标出的 \(errors.count) 处内容",
            industries: PostingDisplay.industryOptions(selected: values["industry"], blank: "请选择"),
            readiness: PostingDisplay.readinessOptions(selected: values["readiness"], blank: isSupply ? "请选择" : "不限"),
            modes: Posting.CooperationMode.allCases.map {
                SelectOption(value: Self.modeKey($0), label: $0.label, selected: values[Self.modeKey($0)] != nil)
            },
            ownerKinds: [SelectOption(value: "", label: "请选择", selected: (values["ownerKind"] ?? "").isEmpty)]
                + Posting.OwnerKind.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: values["ownerKind"] == $0.rawValue)
                }
        ).render(req, status: status)
    }

    /// Every problem of the form at once (the service reports the first), each beside its field.
    private func errors(_ req: Request, input: PostingService.Input, kind: Posting.Kind, thrown field: String?, _ message: String)
        -> [String: String]
    {
        var errors = service(req).validate(input, kind: kind).0.messages
        errors[field ?? "title"] = errors[field ?? "title"] ?? message
        return errors
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let kind =
            req.query[String.self, at: "kind"].flatMap(Posting.Kind.init(rawValue:))
            ?? (service.mayPost(.supply, actor: actor) ? .supply : .demand)
        guard service.mayPost(kind, actor: actor) else {
            throw InnovationError.postingNotPermitted(isDemand: kind == .demand)
        }
        // Prefilled from who is posting: an enterprise posts as itself, a person offers their own results.
        var values: [String: String] = [:]
        var organization: Organization?
        if let acting = actor.actingOrganizationID { organization = try await Organization.find(acting, on: req.db) }
        let personal = actor.roles.isDisjoint(with: [.orgadmin, .staff, .enterprise])
        values["ownerName"] = kind == .supply && personal ? actor.displayName : (organization?.name ?? "")
        values["region"] = organization?.region ?? ""
        if kind == .supply {
            if personal {
                values["ownerKind"] = Posting.OwnerKind.person.rawValue
            } else if organization?.kind == .society {
                values["ownerKind"] = Posting.OwnerKind.society.rawValue
            }
        } else {
            values["contactName"] = actor.displayName
        }
        return try await render(
            req, kind: kind, action: InnovationRoutes.postings(), cancel: InnovationRoutes.home(), values: values, errors: [:])
    }

    /// 保存草稿 creates a draft; 提交审核 creates it and submits it in one go.
    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let fields = PostingFormFields.read(req, keys: Self.formKeys)
        let kind = fields["kind"].flatMap(Posting.Kind.init(rawValue:)) ?? .supply
        let input = Self.input(fields)
        let service = service(req)
        let posting: Posting
        do {
            posting = try await service.create(kind, input, actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await render(
                req, kind: kind, action: InnovationRoutes.postings(), cancel: InnovationRoutes.home(), values: fields,
                errors: errors(req, input: input, kind: kind, thrown: field, message), status: .unprocessableEntity)
        }
        return try await submitIfAsked(req, posting, fields: fields, actor: actor)
    }

    func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let posting = try await editable(req, actor: actor)
        let id = try posting.requireID()
        return try await render(
            req, kind: posting.kind, action: InnovationRoutes.posting(id), cancel: InnovationRoutes.posting(id),
            values: Self.values(of: posting, secrets: req.platform.secrets), errors: [:])
    }

    func update(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let posting = try await editable(req, actor: actor)
        let id = try posting.requireID()
        let fields = PostingFormFields.read(req, keys: Self.formKeys)
        let input = Self.input(fields)
        let updated: Posting
        do {
            updated = try await service(req).update(id, input, actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await render(
                req, kind: posting.kind, action: InnovationRoutes.posting(id), cancel: InnovationRoutes.posting(id), values: fields,
                errors: errors(req, input: input, kind: posting.kind, thrown: field, message), status: .unprocessableEntity)
        }
        return try await submitIfAsked(req, updated, fields: fields, actor: actor)
    }

    /// Only the owner's drafts can be edited; anything else is refused with the reason.
    private func editable(_ req: Request, actor: Actor) async throws -> Posting {
        let service = service(req)
        let posting = try await service.visible(try req.uuidParameter(), actor: actor)
        guard service.owns(posting, actor: actor) else { throw InnovationError.notPostingOwner }
        guard posting.state == .draft else {
            throw InnovationError.postingNotDraft
        }
        try await PostingModes.load([posting], on: req.db)
        return posting
    }

    private func submitIfAsked(_ req: Request, _ posting: Posting, fields: [String: String], actor: Actor) async throws -> Response {
        let id = try posting.requireID()
        guard fields["intent"] == "submit" else {
            return req.redirect(to: InnovationRoutes.posting(id, query: ["notice": "posting_saved"]))
        }
        do {
            try await service(req).perform(.submit, on: id, comment: nil, actor: actor)
        } catch let error as PlatformError {
            // The draft is kept; the posting page says why it could not be submitted.
            return try await PostingController(catalog: catalog).page(
                req, id: id, errors: ["action": error.message], status: error.status)
        }
        return req.redirect(to: InnovationRoutes.posting(id, query: ["notice": "posting_submitted"]))
    }
}
