import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `/api/v1` for supplies, demands, matches and dockings. The published lists and single postings are
/// open to anyone (a token, when sent, shows the caller's own drafts and confidential parts); the rest
/// needs a token. Same services as the pages, so rules, messages and scope are the same.
struct InnovationAPIController: Sendable {
    let catalog: MatchCatalog

    func register(publicAPI: any RoutesBuilder, api: any RoutesBuilder) {
        for kind in Posting.Kind.allCases {
            publicAPI.get(InnovationRoutes.apiCollection(of: kind)) { req in try await list(kind, req) }
            publicAPI.get(InnovationRoutes.apiItem(of: kind)) { req in try await show(kind, req) }
            api.post(InnovationRoutes.apiCollection(of: kind)) { req in try await create(kind, req) }
            api.get(InnovationRoutes.apiMatches(of: kind)) { req in try await matches(kind, req) }
        }
        api.on(.PUT, InnovationRoutes.apiPosting, use: update)
        api.post(InnovationRoutes.apiPostingSteps, use: postingStep)
        api.get(InnovationRoutes.apiDockings, use: dockings)
        api.post(InnovationRoutes.apiDockings, use: propose)
        api.get(InnovationRoutes.apiDocking, use: docking)
        api.post(InnovationRoutes.apiDockingSteps, use: dockingStep)
    }

    /// An industry as the API documents it: a section letter, optionally with the digits of a finer class
    /// (C36), or a section's name. The forms read more leniently (any text after the letter), which a
    /// client should not come to rely on.
    static func industrySection(_ text: String) -> IndustrySection? {
        if let first = text.first, first.isASCII, text.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            return IndustrySection(letter: first)
        }
        return "ABCDEFGHIJKLMNOPQRST".compactMap(IndustrySection.init(letter:)).first { $0.name == text }
    }

    /// The form's problems, with the API's stricter reading of `industry`.
    private func problems(_ body: PostingBody, kind: Posting.Kind, service: PostingService) -> FieldErrors {
        var (errors, _) = service.validate(body.input, kind: kind)
        if let industry = body.industry, !industry.isEmpty, Self.industrySection(industry) == nil {
            errors.add("industry", "行业门类应为 GB/T 4754 门类字母（如 C 或 C36）或门类名称")
        }
        return errors
    }

    // MARK: Postings

    struct PostingDTO: Content {
        let id: UUID
        let kind: String
        let state: String
        let stateLabel: String
        let title: String
        let summary: String
        let ownerName: String
        let ownerKind: String
        let industry: String?
        let industryName: String?
        let region: String
        let readiness: Int?
        let cooperationModes: [String]
        let patents: [String]
        let keywords: [String]
        let publishedOn: String?
        // Demands only.
        let deadline: String?
        let budget: Double?
        let indicators: String?
        // One posting only.
        let publicDetail: String?
        let field: String?
        let ipOwnership: String?
        let solverConditions: String?
        let contactName: String?
        // The owner, reviewers and the other party of an accepted docking only.
        let contactPhone: String?
        let confidentialDetail: String?
        /// What the caller may do now (`POST /postings/{id}/steps`); one posting with a token only.
        let actions: [String]?

        init(
            _ p: Posting, detail: Bool, confidential: Bool, actions: [PostingWorkflow.Action]? = nil, secrets: SecretBox? = nil
        ) throws {
            let isDemand = p.kind == .demand
            id = try p.requireID()
            kind = p.kind.rawValue
            state = p.state.rawValue
            stateLabel = PostingService.definition.label(of: p.state)
            title = p.title
            summary = p.summary
            ownerName = p.ownerName
            ownerKind = p.ownerKind.rawValue
            industry = p.industry
            industryName = p.industry.flatMap(\.first).flatMap { IndustrySection(letter: $0) }?.name
            region = p.region
            readiness = p.readiness
            cooperationModes = p.modes.map(\.rawValue)
            patents = p.patents.split(whereSeparator: \.isNewline).map(String.init)
            keywords = p.keywords
            publishedOn = p.publishedOn?.description
            deadline = isDemand ? p.deadline?.description : nil
            budget = isDemand ? p.budget : nil
            indicators = isDemand ? p.indicators : nil
            publicDetail = detail ? p.publicDetail : nil
            field = detail ? p.field : nil
            ipOwnership = detail && isDemand ? p.ipOwnership : nil
            solverConditions = detail && isDemand ? p.solverConditions : nil
            contactName = detail ? p.contactName : nil
            contactPhone = detail && confidential ? secrets.map { p.openedContactPhone($0) } : nil
            confidentialDetail = detail && confidential ? p.confidentialDetail : nil
            self.actions = actions?.map(\.rawValue)
        }
    }

    struct PostingPageDTO: Content {
        let items: [PostingDTO]
        let page: Int
        let per: Int
        let total: Int
    }

    /// Published postings of one side, newest first or, with `q`, best first.
    func list(_ kind: Posting.Kind, _ req: Request) async throws -> PostingPageDTO {
        let q = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var industry: String?
        if let raw = req.query[String.self, at: "industry"], !raw.isEmpty {
            guard let section = Self.industrySection(raw) else {
                throw PlatformError.invalidInput(field: "industry", message: "未知的行业门类：\(raw)（GB/T 4754 门类字母 A–T）")
            }
            industry = String(section.letter)
        }
        let region = (req.query[String.self, at: "region"] ?? "").trimmingCharacters(in: .whitespaces)
        let paging = try req.paging(defaultPer: 20, maxPer: 100)
        let (page, per) = (paging.page, paging.per)
        let db = req.db
        func published() -> QueryBuilder<Posting> {
            let query = Posting.query(on: db).filter(\.$kind == kind).filter(\.$state == .published)
            if let industry { query.filter(\.$industry == industry) }
            if !region.isEmpty { query.filter(\.$region ~~ region) }
            return query
        }
        let total: Int
        let rows: [Posting]
        if q.isEmpty {
            total = try await published().count()
            rows = try await published().sort(\.$publishedOn, .descending).sort(\.$createdAt, .descending).sort(\.$id)
                .range(((page - 1) * per)..<(page * per)).all()
        } else {
            // The index holds the published postings only; its ranking orders the page.
            let hits = try await SearchIndexStore(db: db, writes: req.platform.writes).search(
                kind: PostingService.searchKind(kind), query: q, scopePath: nil, limit: 500)
            let ranked = hits.compactMap { UUID(uuidString: $0.entityID) }
            let found = ranked.isEmpty ? [] : try await published().filter(\.$id ~~ ranked).all()
            let byID = Dictionary(found.compactMap { posting in posting.id.map { ($0, posting) } }, uniquingKeysWith: { first, _ in first })
            let ordered = ranked.compactMap { byID[$0] }
            total = ordered.count
            rows = Array(ordered.dropFirst((page - 1) * per).prefix(per))
        }
        try await PostingModes.load(rows, on: db)
        return PostingPageDTO(
            items: try rows.map { try PostingDTO($0, detail: false, confidential: false) }, page: page, per: per, total: total)
    }

    private func posting(_ kind: Posting.Kind?, _ req: Request, actor: Actor?) async throws -> Posting {
        let posting = try await PostingService(db: req.db, services: req.platform).visible(try req.uuidParameter(), actor: actor)
        if let kind, posting.kind != kind { throw PlatformError.notFound }
        return posting
    }

    private func detail(_ posting: Posting, _ req: Request, actor: Actor?) async throws -> PostingDTO {
        let service = PostingService(db: req.db, services: req.platform)
        try await PostingModes.load([posting], on: req.db)
        let confidential = try await service.mayReadConfidential(posting, actor: actor)
        var actions: [PostingWorkflow.Action]?
        if let actor { actions = try await service.availableActions(posting, actor: actor) }
        return try PostingDTO(posting, detail: true, confidential: confidential, actions: actions, secrets: req.platform.secrets)
    }

    func show(_ kind: Posting.Kind, _ req: Request) async throws -> PostingDTO {
        let actor = req.optionalActor
        return try await detail(try await posting(kind, req, actor: actor), req, actor: actor)
    }

    /// The form's fields as JSON; lists are arrays, numbers may be sent as numbers or text.
    struct PostingBody: Decodable {
        var title: String?
        var summary: String?
        var publicDetail: String?
        var confidentialDetail: String?
        var field: String?
        var industry: String?
        var readiness: LooseText?
        var patents: [String]?
        var cooperationModes: [String]?
        var ownerKind: String?
        var ownerName: String?
        var region: String?
        var keywords: [String]?
        var indicators: String?
        var deadline: String?
        var budget: LooseText?
        var ipOwnership: String?
        var solverConditions: String?
        var contactName: String?
        var contactPhone: String?
        /// Submit for review at once.
        var submit: Bool?

        var input: PostingService.Input {
            PostingService.Input(
                title: title ?? "", summary: summary ?? "", publicDetail: publicDetail ?? "", confidentialDetail: confidentialDetail ?? "",
                field: field ?? "", industry: industry ?? "", readiness: readiness?.text ?? "",
                patents: (patents ?? []).joined(separator: "\n"),
                cooperationModes: cooperationModes ?? [], ownerKind: ownerKind ?? "", ownerName: ownerName ?? "", region: region ?? "",
                keywords: (keywords ?? []).joined(separator: ","), indicators: indicators ?? "", deadline: deadline ?? "",
                budget: budget?.text ?? "", ipOwnership: ipOwnership ?? "", solverConditions: solverConditions ?? "",
                contactName: contactName ?? "", contactPhone: contactPhone ?? "")
        }
    }

    /// Saves a draft (and submits it with `"submit": true`); every refused field is in `error.fields`.
    func create(_ kind: Posting.Kind, _ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(PostingBody.self)
        let service = PostingService(db: req.db, services: req.platform)
        // Someone who may not post this side hears that first (the service answers 403), not the form's problems.
        if service.mayPost(kind, actor: actor) {
            let errors = problems(body, kind: kind, service: service)
            if !errors.isEmpty { throw InvalidFields(errors, order: PostingService.fieldOrder) }
        }
        var posting = try await service.create(kind, body.input, actor: actor)
        if body.submit == true { posting = try await service.perform(.submit, on: posting.requireID(), comment: nil, actor: actor) }
        return try await detail(posting, req, actor: actor).encodeResponse(status: .created, for: req)
    }

    /// Replaces a draft's fields (a posting sent back comes back as a draft).
    func update(_ req: Request) async throws -> PostingDTO {
        let actor = try req.actor
        let body = try req.jsonBody(PostingBody.self)
        let service = PostingService(db: req.db, services: req.platform)
        let current = try await posting(nil, req, actor: actor)
        if service.owns(current, actor: actor), current.state == .draft {
            let errors = problems(body, kind: current.kind, service: service)
            if !errors.isEmpty { throw InvalidFields(errors, order: PostingService.fieldOrder) }
        }
        var posting = try await service.update(current.requireID(), body.input, actor: actor)
        if body.submit == true { posting = try await service.perform(.submit, on: posting.requireID(), comment: nil, actor: actor) }
        return try await detail(posting, req, actor: actor)
    }

    struct StepBody: Decodable {
        var action: String?
        var comment: String?
        var amount: LooseText?
        var date: String?
    }

    /// 提交 (owner), 审核通过 / 退回 (reviewers, 退回 needs a comment), 关闭 (owner or reviewers).
    func postingStep(_ req: Request) async throws -> PostingDTO {
        let actor = try req.actor
        let body = try req.jsonBody(StepBody.self)
        guard let action = body.action.flatMap(PostingWorkflow.Action.init(rawValue:)), action != .expire else {
            throw PlatformError.invalidInput(field: "action", message: "未知的操作：\(body.action ?? "")（可用 submit、approve、send_back、close）")
        }
        let posting = try await PostingService(db: req.db, services: req.platform).perform(
            action, on: try req.uuidParameter(), comment: body.comment, actor: actor)
        return try await detail(posting, req, actor: actor)
    }

    // MARK: Matches

    struct MatchDTO: Content {
        let id: UUID
        let kind: String
        let title: String
        let ownerName: String
        let region: String
        let industry: String?
        let readiness: Int?
        let score: Double
        let reasons: [String]
    }

    struct ExpertMatchDTO: Content {
        let personId: UUID
        let name: String
        let title: String
        let employer: String
        let organizationName: String
        let score: Double
        let reasons: [String]
    }

    struct MatchesDTO: Content {
        let postingId: UUID
        let kind: String
        let items: [MatchDTO]
        /// Demands only.
        let experts: [ExpertMatchDTO]?
    }

    /// The other side's published postings ranked for this one, with the reasons; for a demand also
    /// experts. Only for the posting's owner and its reviewers.
    func matches(_ kind: Posting.Kind, _ req: Request) async throws -> MatchesDTO {
        let actor = try req.actor
        let posting = try await posting(kind, req, actor: actor)
        let service = PostingService(db: req.db, services: req.platform)
        let reviews = try await service.reviews(posting, actor: actor)
        guard service.owns(posting, actor: actor) || reviews else {
            throw InnovationError.matchesNotVisible
        }
        let top = try req.boundedQuery("top", in: 1...50, default: 10)
        let matcher = MatchService(db: req.db, services: req.platform, catalog: catalog)
        let other: Posting.Kind = kind == .supply ? .demand : .supply
        let items = try await matcher.matches(for: posting, top: top).map {
            MatchDTO(
                id: $0.id, kind: other.rawValue, title: $0.title, ownerName: $0.ownerName, region: $0.region, industry: $0.industry,
                readiness: $0.readiness, score: $0.score, reasons: $0.reasons)
        }
        var experts: [ExpertMatchDTO]?
        if kind == .demand {
            experts = try await matcher.experts(for: posting, top: top).map {
                ExpertMatchDTO(
                    personId: $0.expert.personID, name: $0.expert.name, title: $0.expert.title, employer: $0.expert.employer,
                    organizationName: $0.expert.organizationName, score: $0.score, reasons: $0.reasons)
            }
        }
        return MatchesDTO(postingId: try posting.requireID(), kind: kind.rawValue, items: items, experts: experts)
    }

    // MARK: Dockings

    struct DockingDTO: Content {
        struct Party: Content {
            let id: UUID
            let title: String
            let ownerName: String
        }

        struct Step: Content {
            let sequence: Int
            let action: String
            let actionLabel: String
            let fromState: String
            let toState: String
            let comment: String?
            let actorName: String
            let at: String
        }

        let id: UUID
        let state: String
        let stateLabel: String
        let supply: Party
        let demand: Party
        /// supply, demand or staff.
        let proposedBy: String
        let supplyConsented: Bool
        let demandConsented: Bool
        /// Sides whose agreement is still awaited.
        let awaiting: [String]
        let proposedOn: String
        let intentionOn: String?
        let signedOn: String?
        let landedOn: String?
        let closedOn: String?
        /// 万元.
        let contractAmount: Double?
        let notes: String
        let stationId: UUID?
        /// One docking only: what the caller may do now, and every step so far.
        let actions: [String]?
        let history: [Step]?

        init(
            _ d: Docking, supply: Posting?, demand: Posting?, awaiting: [Docking.Side], actions: [DockingWorkflow.Action]? = nil,
            history: [WorkflowStepRecord]? = nil
        ) throws {
            let definition = DockingService.definition
            id = try d.requireID()
            state = d.state.rawValue
            stateLabel = definition.label(of: d.state)
            self.supply = Party(id: d.supplyID, title: supply?.title ?? "", ownerName: supply?.ownerName ?? "")
            self.demand = Party(id: d.demandID, title: demand?.title ?? "", ownerName: demand?.ownerName ?? "")
            proposedBy = d.proposedBy.rawValue
            supplyConsented = d.supplyConsented
            demandConsented = d.demandConsented
            self.awaiting = awaiting.map(\.rawValue)
            proposedOn = d.proposedOn.description
            intentionOn = d.intentionOn?.description
            signedOn = d.signedOn?.description
            landedOn = d.landedOn?.description
            closedOn = d.closedOn?.description
            contractAmount = d.contractAmount
            notes = d.notes
            stationId = d.stationID
            self.actions = actions?.map(\.rawValue)
            self.history = history?.map { step in
                Step(
                    sequence: step.sequence, action: step.action,
                    actionLabel: definition.action(of: step).map { definition.label(of: $0) } ?? "发起对接",
                    fromState: step.fromState, toState: step.toState, comment: step.comment, actorName: step.actorName,
                    at: step.at.formatted(.iso8601))
            }
        }
    }

    struct DockingListDTO: Content {
        let items: [DockingDTO]
        let total: Int
    }

    /// The caller's dockings (and, for staff, those of their subtree), newest first, at most 500.
    func dockings(_ req: Request) async throws -> DockingListDTO {
        let actor = try req.actor
        var state: DockingWorkflow.State?
        if let text = req.query[String.self, at: "state"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            guard let parsed = DockingWorkflow.State(rawValue: text) else {
                throw PlatformError.invalidInput(
                    field: "state", message: "未知的对接阶段：\(text)（可用 \(DockingWorkflow.State.allCases.map(\.rawValue).joined(separator: "、"))）")
            }
            state = parsed
        }
        let service = DockingService(db: req.db, services: req.platform)
        let rows = try await service.list(actor: actor, state: state)
        let ids = Array(Set(rows.flatMap { [$0.supplyID, $0.demandID] }))
        let postings = ids.isEmpty ? [] : try await Posting.query(on: req.db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(postings.compactMap { posting in posting.id.map { ($0, posting) } }, uniquingKeysWith: { first, _ in first })
        return DockingListDTO(
            items: try rows.map {
                try DockingDTO($0, supply: byID[$0.supplyID], demand: byID[$0.demandID], awaiting: service.awaitingSides($0))
            }, total: rows.count)
    }

    private func dockingDetail(_ id: UUID, _ req: Request, actor: Actor) async throws -> DockingDTO {
        let service = DockingService(db: req.db, services: req.platform)
        let (docking, supply, demand) = try await service.visible(id, actor: actor)
        let actions = try await service.availableActions(docking, supply: supply, demand: demand, actor: actor)
        let history = try await service.runtime.history(of: id, on: req.db)
        return try DockingDTO(
            docking, supply: supply, demand: demand, awaiting: service.awaitingSides(docking), actions: actions, history: history)
    }

    func docking(_ req: Request) async throws -> DockingDTO {
        try await dockingDetail(try req.uuidParameter(), req, actor: try req.actor)
    }

    struct ProposalBody: Decodable {
        var supply: UUID
        var demand: UUID
        var note: String?
        var station: UUID?
    }

    func propose(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(ProposalBody.self)
        let docking = try await DockingService(db: req.db, services: req.platform).propose(
            .init(supplyID: body.supply, demandID: body.demand, note: body.note ?? "", stationID: body.station), actor: actor)
        return try await dockingDetail(try docking.requireID(), req, actor: actor).encodeResponse(status: .created, for: req)
    }

    /// accept, decline, negotiate, sign (with amount), land, terminate (with a reason), note.
    func dockingStep(_ req: Request) async throws -> DockingDTO {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let body = try req.jsonBody(StepBody.self)
        guard let action = body.action.flatMap(DockingWorkflow.Action.init(rawValue:)) else {
            throw PlatformError.invalidInput(
                field: "action",
                message: "未知的操作：\(body.action ?? "")（可用 \(DockingWorkflow.Action.allCases.map(\.rawValue).joined(separator: "、"))）")
        }
        try await DockingService(db: req.db, services: req.platform).perform(
            action, on: id, .init(comment: body.comment, amount: body.amount?.text, date: body.date), actor: actor)
        return try await dockingDetail(id, req, actor: actor)
    }
}

/// A JSON value a form sends as text (技术成熟度, 预算, 合同金额), accepted as a string or a number.
struct LooseText: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else if let integer = try? container.decode(Int.self) {
            text = String(integer)
        } else {
            text = String(try container.decode(Double.self))
        }
    }
}
