import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct DockingListPage: Sendable {
    struct Row: Encodable, Sendable {
        let link: String
        let supply: String
        let demand: String
        let stage: String
        let stageClass: String
        let proposer: String
        let proposedOn: String
        let signedOn: String
        let amount: String
        let landedOn: String
    }

    let shell: PageShell
    let list: ListChrome
    let dateHeader: SortHeader
    let stageHeader: SortHeader
    let states: [SelectOption]
    let rows: [Row]
}

struct DockingPage: Sendable {
    struct Party: Encodable, Sendable {
        let role: String
        let title: String
        let link: String
        let owner: String
        let summary: String
        /// While the proposal waits: whether this side has agreed.
        let consent: String?
    }

    struct Stage: Encodable, Sendable {
        let label: String
        let date: String?
        /// `done`, `current`, `todo` or `closed`.
        let status: String
        let current: Bool
    }

    /// One form per action the viewer may take; the posted one keeps its values and its errors.
    struct ActionForm: Encodable, Sendable {
        let action: String
        let label: String
        /// `primary` for steps forward, `danger` for ending, plain for a progress note.
        let style: String
        let commentLabel: String
        let commentRequired: Bool
        let askAmount: Bool
        let askDate: Bool
        let comment: String
        let amount: String
        let date: String
        let actionError: String?
        let commentError: String?
        let amountError: String?
        let dateError: String?
    }

    struct Step: Encodable, Sendable {
        let date: String
        let action: String
        let who: String
        let comment: String?
    }

    let shell: PageShell
    let title: String
    let state: String
    let stateClass: String
    let closed: String?
    let awaiting: String?
    let supply: Party
    let demand: Party
    let stages: [Stage]
    let proposer: String
    let proposedOn: String
    let amount: String?
    let station: String?
    let stationLink: String?
    let note: String?
    let actions: [ActionForm]
    let actionPath: String
    let today: String
    let steps: [Step]
    let listLink: String
    let error: String?
}

/// 对接: proposing from a posting page, the list of one's dockings, and a docking's page with its
/// stage bar, the steps the viewer may take and the history.
struct DockingController {
    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.dockings, use: list)
        web.post(InnovationRoutes.dockings, use: propose)
        web.get(InnovationRoutes.docking, use: show)
        web.post(InnovationRoutes.dockingActions, use: act)
    }

    private func service(_ req: Request) -> DockingService { DockingService(db: req.db, services: req.platform) }

    static let definition = DockingWorkflow()

    static func stateLabel(_ state: DockingWorkflow.State) -> String { definition.label(of: state) }

    /// Badge colours shared with the station page: landed and signed are good news, ended ones red,
    /// a proposal waiting for an answer amber.
    static func stateClass(_ state: DockingWorkflow.State) -> String {
        switch state {
        case .signed, .landed: return "green"
        case .terminated, .declined: return "red"
        case .proposed: return "amber"
        default: return ""
        }
    }

    /// Position in the pipeline for sorting; closed dockings after landed ones.
    static func stageOrder(_ state: DockingWorkflow.State) -> Int {
        DockingWorkflow.stages.firstIndex(of: state) ?? (DockingWorkflow.stages.count + (state == .terminated ? 0 : 1))
    }

    static func proposer(_ docking: Docking, supply: Posting?, demand: Posting?) -> String {
        switch docking.proposedBy {
        case .supply: return "供给方" + (supply.map { "（\($0.ownerName)）" } ?? "")
        case .demand: return "需求方" + (demand.map { "（\($0.ownerName)）" } ?? "")
        case .staff: return "科协工作人员"
        }
    }

    static func amount(_ docking: Docking) -> String {
        docking.contractAmount.map(DockingService.amount) ?? ""
    }

    // MARK: List

    /// Handler: who and which filters → the actor's dockings, searched and sorted in the database → the
    /// export or one page of them, in one statement (`PagedSelect`).
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let params = try ListParameters(request: req, path: InnovationRoutes.dockings(), keys: ["state"])
        let state = params["state"].flatMap(DockingWorkflow.State.init(rawValue:))
        let condition = Self.condition(actor: actor, state: state, search: params.search)
        let format = req.exportFormat
        let page = try await PagedSelect(
            columns: DockingListing.columns, from: DockingListing.from, where: condition, order: Self.order(params),
            limit: format == nil ? params.pageSize : 10_000, offset: format == nil ? params.offset : 0, countCap: format == nil ? nil : 0
        ).run(on: req.db)
        let rows = try page.rows.map(DockingListing.init(row:))
        if let format { return try await Self.export(rows, format, req) }
        let shell = await PageShell.build(for: req, title: "我的对接")
        return try await Self.listPage(rows, total: page.total, state: state, params, shell: shell).render(req)
    }

    /// The dockings the actor takes part in (through postings the actor owns) or supervises (reviewing
    /// staff of an association: every docking of the subtree), in the state asked, whose supply or demand
    /// title contains the search text.
    static func condition(actor: Actor, state: DockingWorkflow.State?, search: String?) -> SQLQueryString {
        let owned = PostingService.ownedCondition(by: actor)
        var sql: SQLQueryString = "(d.supply_id IN (SELECT id FROM innovation_postings WHERE \(owned))"
        sql.appendInterpolation(unsafeRaw: " OR d.demand_id IN (SELECT id FROM innovation_postings WHERE ")
        sql.appendInterpolation(owned)
        sql.appendInterpolation(unsafeRaw: ")")
        if actor.can(InnovationPermission.review), let acting = actor.actingOrganizationID {
            sql.appendInterpolation(unsafeRaw: " OR (")
            sql.appendInterpolation(actor.scope.contains(column: "d.organization_id"))
            // Only an association's reviewers supervise the subtree's dockings.
            sql.appendInterpolation(unsafeRaw: " AND EXISTS (SELECT 1 FROM platform_organizations a WHERE a.id = ")
            sql.appendInterpolation(bind: acting)
            sql.appendInterpolation(unsafeRaw: " AND a.kind = ")
            sql.appendInterpolation(bind: OrganizationKind.association.rawValue)
            sql.appendInterpolation(unsafeRaw: "))")
        }
        sql.appendInterpolation(unsafeRaw: ")")
        if let state {
            sql.appendInterpolation(unsafeRaw: " AND d.state = ")
            sql.appendInterpolation(bind: state.rawValue)
        }
        if let q = search {
            let pattern = "%" + q.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            sql.appendInterpolation(unsafeRaw: " AND (s.title LIKE ")
            sql.appendInterpolation(bind: pattern)
            sql.appendInterpolation(unsafeRaw: " OR m.title LIKE ")
            sql.appendInterpolation(bind: pattern)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        return sql
    }

    /// Newest first by default; by proposal date; or by stage in the pipeline (closed ones after landed),
    /// the newest proposal first within a stage.
    static func order(_ params: ListParameters) -> String {
        let flip = params.descending
        switch params["sort"] {
        case "proposed": return "d.proposed_on \(flip ? "DESC" : "ASC"), d.id"
        case "stage":
            let cases = DockingWorkflow.State.allCases.map { "WHEN '\($0.rawValue)' THEN \(stageOrder($0))" }.joined(separator: " ")
            return "CASE d.state \(cases) END \(flip ? "DESC" : "ASC"), d.proposed_on \(flip ? "ASC" : "DESC"), d.id"
        default: return "d.created_at DESC, d.id DESC"
        }
    }

    static func proposer(_ row: DockingListing) -> String {
        switch row.proposedBy {
        case .supply: return "供给方" + (row.supplyOwner.map { "（\($0)）" } ?? "")
        case .demand: return "需求方" + (row.demandOwner.map { "（\($0)）" } ?? "")
        case .staff: return "科协工作人员"
        }
    }

    static func amount(_ row: DockingListing) -> String {
        row.contractAmount.map(DockingService.amount) ?? ""
    }

    static func export(_ rows: [DockingListing], _ format: TableExport.Format, _ req: Request) async throws -> Response {
        try await TableExport(
            fileName: "对接清单", headers: ["成果", "需求", "阶段", "发起方", "发起日期", "签约日期", "合同金额（万元）", "落地日期"],
            rows: rows.map { row in
                [
                    row.supplyTitle ?? "", row.demandTitle ?? "", Self.stateLabel(row.state), Self.proposer(row),
                    row.proposedOn.description, row.signedOn?.description ?? "", Self.amount(row), row.landedOn?.description ?? "",
                ]
            }
        ).response(format, for: req)
    }

    /// The page model for one page of dockings.
    static func listPage(_ rows: [DockingListing], total: Int, state: DockingWorkflow.State?, _ params: ListParameters, shell: PageShell)
        -> DockingListPage
    {
        DockingListPage(
            shell: shell, list: params.chrome(total: total),
            dateHeader: params.sortLink("proposed", label: "发起日期"), stageHeader: params.sortLink("stage", label: "阶段"),
            states: [SelectOption(value: "", label: "全部阶段", selected: state == nil)]
                + DockingWorkflow.State.allCases.map {
                    SelectOption(value: $0.rawValue, label: Self.definition.label(of: $0), selected: state == $0)
                },
            rows: rows.map { row in
                .init(
                    link: InnovationRoutes.docking(row.id), supply: row.supplyTitle ?? "", demand: row.demandTitle ?? "",
                    stage: Self.stateLabel(row.state), stageClass: Self.stateClass(row.state), proposer: Self.proposer(row),
                    proposedOn: row.proposedOn.description, signedOn: row.signedOn?.description ?? "", amount: Self.amount(row),
                    landedOn: row.landedOn?.description ?? "")
            })
    }

    // MARK: Propose

    /// The form sits on a posting page (built elsewhere): a refusal goes back there with the message in
    /// `docking_error`, which that page shows beside the form. Only paths inside the module are
    /// accepted as `back`, so the form cannot be used to send people to another site.
    func propose(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        let back = Self.localBack(fields["back"])
        do {
            guard let supplyID = Self.uuid(fields["supply"]), let demandID = Self.uuid(fields["demand"]) else {
                throw PlatformError.invalidInput(field: "supply", message: "请选择要对接的技术供给和技术需求")
            }
            var stationID: UUID?
            if let text = fields["station"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                guard let id = UUID(uuidString: text) else {
                    throw InnovationError.stationUnavailable
                }
                stationID = id
            }
            let docking = try await service(req).propose(
                .init(supplyID: supplyID, demandID: demandID, note: fields["note"] ?? "", stationID: stationID), actor: actor)
            return req.redirect(to: InnovationRoutes.docking(try docking.requireID(), query: ["notice": "created"]))
        } catch let error as any KexieError where error.status != .unauthorized {
            guard let back else { throw error }
            return req.redirect(to: Self.appending(error: error.message, to: back))
        }
    }

    static func uuid(_ text: String?) -> UUID? {
        text.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
    }

    /// A path on this site inside /innovation/, without its fragment; nil for anything else.
    static func localBack(_ text: String?) -> String? {
        guard let text = LocalRedirect.target(text?.trimmingCharacters(in: .whitespaces), under: InnovationRoutes.home() + "/") else {
            return nil
        }
        return String(text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// `back` with `docking_error` set (an earlier one removed).
    static func appending(error message: String, to back: String) -> String {
        let parts = back.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var items = parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : []
        items.removeAll { $0.hasPrefix("docking_error=") || $0.isEmpty }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        items.append("docking_error=" + (message.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""))
        return String(parts[0]) + "?" + items.joined(separator: "&")
    }

    // MARK: One docking

    func show(_ req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:])
    }

    func act(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        guard let action = fields["action"].flatMap(DockingWorkflow.Action.init(rawValue:)) else {
            return try await page(req, values: fields, errors: ["action": "请选择要执行的操作"], status: .unprocessableEntity)
        }
        let input = DockingService.StepInput(comment: fields["comment"], amount: fields["amount"], date: fields["date"])
        do {
            try await service(req).perform(action, on: id, input, actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, values: fields, errors: [refusal.field ?? "action": refusal.message], status: refusal.status)
        }
        return req.redirect(to: InnovationRoutes.docking(id, query: ["notice": "saved"]))
    }

    /// A docking and what its page shows, loaded for the viewer.
    struct Loaded: Sendable {
        let docking: Docking
        let supply: Posting
        let demand: Posting
        let history: [WorkflowStepRecord]
        let available: [DockingWorkflow.Action]
        let awaiting: [Docking.Side]
        /// The station's name and kind, and its link for those who manage stations.
        let station: (name: String, link: String?)?
    }

    /// Handler: who and which docking → the docking, its history and the viewer's actions → the page.
    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor
        let loaded = try await Self.load(try req.uuidParameter(), actor: actor, service(req), on: req.db)
        let shell = await PageShell.build(for: req, title: "对接：\(loaded.supply.title)")
        let today = Day.today(now: req.platform.clock()).description
        return try await Self.page(loaded, values: values, errors: errors, today: today, shell: shell).render(req, status: status)
    }

    /// The docking the actor may see, its postings, history, the actions open to the actor and its station.
    static func load(_ id: UUID, actor: Actor, _ service: DockingService, on db: any Database) async throws -> Loaded {
        let (docking, supply, demand) = try await service.visible(id, actor: actor)
        let history = try await service.runtime.history(of: try docking.requireID(), on: db)
        let available = try await service.availableActions(docking, supply: supply, demand: demand, actor: actor)
        var station: (name: String, link: String?)?
        if let stationID = docking.stationID, let found = try await Station.find(stationID, on: db) {
            station = (
                "\(found.name)（\(found.kind.label)）", actor.can(InnovationPermission.stations) ? InnovationRoutes.station(stationID) : nil
            )
        }
        return Loaded(
            docking: docking, supply: supply, demand: demand, history: history, available: available,
            awaiting: service.awaitingSides(docking), station: station)
    }

    /// The page model of one docking; `values` and `errors` are those of the posted action form.
    static func page(_ loaded: Loaded, values: [String: String], errors: [String: String], today: String, shell: PageShell) throws
        -> DockingPage
    {
        let (docking, supply, demand) = (loaded.docking, loaded.supply, loaded.demand)
        return DockingPage(
            shell: shell, title: "\(supply.title) ↔ \(demand.title)",
            state: definition.label(of: docking.state), stateClass: Self.stateClass(docking.state), closed: closedText(docking),
            awaiting: waitingText(loaded.awaiting, supply: supply, demand: demand),
            supply: try party(supply, side: .supply, of: docking), demand: try party(demand, side: .demand, of: docking),
            stages: stages(docking, history: loaded.history),
            proposer: Self.proposer(docking, supply: supply, demand: demand), proposedOn: docking.proposedOn.description,
            amount: docking.contractAmount.map { DockingService.amount($0) + " 万元" }, station: loaded.station?.name,
            stationLink: loaded.station?.link, note: docking.notes.nilIfEmpty,
            actions: actionForms(loaded.available, values: values, errors: errors),
            actionPath: InnovationRoutes.dockingActions(try docking.requireID()), today: today, steps: steps(loaded.history),
            listLink: InnovationRoutes.dockings(), error: errors.isEmpty ? nil : errors.values.sorted().first)
    }

    /// The stage bar: how far the docking came, with the day each stage was reached; a closed one ends with its closing.
    static func stages(_ docking: Docking, history: [WorkflowStepRecord]) -> [DockingPage.Stage] {
        let state = docking.state
        // How far a closed docking had come: the state it left when it was ended.
        let closing = history.last { step in
            let to = definition.states(of: step).to
            return to == .terminated || to == .declined
        }
        let reached = closing.flatMap { definition.states(of: $0).from } ?? state
        let reachedIndex = DockingWorkflow.stages.firstIndex(of: reached) ?? 0
        let isClosed = state == .terminated || state == .declined
        let dates = stageDates(docking, history: history)
        var stages: [DockingPage.Stage] = DockingWorkflow.stages.enumerated().map { index, stage in
            let status: String
            if isClosed {
                status = index <= reachedIndex ? "done" : "todo"
            } else {
                status = index < reachedIndex ? "done" : (index == reachedIndex ? "current" : "todo")
            }
            return .init(
                label: definition.label(of: stage), date: status == "todo" ? nil : (dates[stage] ?? nil), status: status,
                current: status == "current")
        }
        if isClosed {
            stages.append(.init(label: definition.label(of: state), date: docking.closedOn?.description, status: "closed", current: true))
        }
        return stages
    }

    /// The day each stage was reached, where known.
    static func stageDates(_ docking: Docking, history: [WorkflowStepRecord]) -> [DockingWorkflow.State: String?] {
        let negotiatedOn = history.first { definition.states(of: $0).to == .negotiating && $0.fromState != $0.toState }
            .map { Day.today(now: $0.at).description }
        return [
            .proposed: docking.proposedOn.description, .intention: docking.intentionOn?.description, .negotiating: negotiatedOn,
            .signed: docking.signedOn?.description, .landed: docking.landedOn?.description,
        ]
    }

    static func party(_ posting: Posting, side: Docking.Side, of docking: Docking) throws -> DockingPage.Party {
        let agreed = side == .supply ? docking.supplyConsented : docking.demandConsented
        return .init(
            role: side == .supply ? "技术供给" : "技术需求", title: posting.title, link: InnovationRoutes.posting(try posting.requireID()),
            owner: posting.ownerName, summary: posting.summary,
            consent: docking.state == .proposed ? (agreed ? "已同意对接" : "待确认") : nil)
    }

    /// Whose agreement the proposal still waits for; nil when nobody's.
    static func waitingText(_ awaiting: [Docking.Side], supply: Posting, demand: Posting) -> String? {
        awaiting.isEmpty
            ? nil
            : "等待"
                + awaiting.map { side in
                    side == .supply ? "供给方（\(supply.ownerName)）" : "需求方（\(demand.ownerName)）"
                }.joined(separator: "、") + "确认"
    }

    static func closedText(_ docking: Docking) -> String? {
        switch docking.state {
        case .terminated: "该对接已终止" + (docking.closedOn.map { "（\($0)）" } ?? "")
        case .declined: "对接邀请已被谢绝" + (docking.closedOn.map { "（\($0)）" } ?? "")
        default: nil
        }
    }

    /// One form per available action; the posted one keeps its values and errors.
    static func actionForms(_ available: [DockingWorkflow.Action], values: [String: String], errors: [String: String])
        -> [DockingPage.ActionForm]
    {
        let posted = values["action"]
        return available.map { action in
            let transition = definition.transitions.first { $0.action == action }
            let mine = posted == action.rawValue
            func value(_ key: String) -> String { mine ? (values[key] ?? "") : "" }
            func error(_ key: String) -> String? { mine ? errors[key] : nil }
            return .init(
                action: action.rawValue, label: definition.label(of: action),
                style: action == .terminate || action == .decline ? "danger" : (action == .note ? "" : "primary"),
                commentLabel: transition?.requiredComment ?? (action == .sign ? "签约说明（选填）" : "说明（选填）"),
                commentRequired: transition?.requiresComment ?? false, askAmount: action == .sign,
                askDate: [.accept, .negotiate, .sign, .land, .terminate, .decline].contains(action), comment: value("comment"),
                amount: value("amount"), date: value("date"), actionError: error("action"), commentError: error("comment"),
                amountError: error("amount"), dateError: error("date"))
        }
    }

    static func steps(_ history: [WorkflowStepRecord]) -> [DockingPage.Step] {
        history.map { step in
            .init(
                date: ChineseDate.dateTime(step.at),
                action: definition.action(of: step).map(definition.label(of:))
                    ?? (step.action == "propose" ? "发起对接" : step.action),
                who: step.actorName, comment: step.comment)
        }
    }
}

/// One row of the docking list with its two postings' titles and owners, read without Fluent models.
struct DockingListing: Sendable {
    static let columns =
        "d.id, d.state, d.proposed_by, d.proposed_on, d.signed_on, d.landed_on, d.contract_amount, "
        + "s.title AS supply_title, s.owner_name AS supply_owner, m.title AS demand_title, m.owner_name AS demand_owner"
    static let from =
        "innovation_dockings d LEFT JOIN innovation_postings s ON s.id = d.supply_id LEFT JOIN innovation_postings m ON m.id = d.demand_id"

    let id: UUID
    let state: DockingWorkflow.State
    let proposedBy: Docking.Side
    let proposedOn: Day
    let signedOn: Day?
    let landedOn: Day?
    let contractAmount: Double?
    let supplyTitle: String?
    let supplyOwner: String?
    let demandTitle: String?
    let demandOwner: String?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        state = try row.decode(column: "state", as: DockingWorkflow.State.self)
        proposedBy = try row.decode(column: "proposed_by", as: Docking.Side.self)
        proposedOn = try row.decode(column: "proposed_on", as: Day.self)
        signedOn = try row.decode(column: "signed_on", as: Day?.self)
        landedOn = try row.decode(column: "landed_on", as: Day?.self)
        contractAmount = try row.decode(column: "contract_amount", as: Double?.self)
        supplyTitle = try row.decode(column: "supply_title", as: String?.self)
        supplyOwner = try row.decode(column: "supply_owner", as: String?.self)
        demandTitle = try row.decode(column: "demand_title", as: String?.self)
        demandOwner = try row.decode(column: "demand_owner", as: String?.self)
    }
}
