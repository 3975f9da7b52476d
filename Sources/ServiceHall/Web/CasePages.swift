import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct CaseQueuePage: Sendable {
    struct Row: Encodable, Sendable {
        let code: String
        let link: String
        let type: String
        let title: String
        let state: String
        let due: String
        let status: String
        let statusClass: String
        let unit: String
    }

    let shell: PageShell
    let heading: String
    let list: ListChrome
    let dueHeader: SortHeader
    let states: [SelectOption]
    let rows: [Row]
}

struct CasePage: Sendable {
    struct Step: Encodable, Sendable {
        let date: String
        let action: String
        let who: String
        let comment: String?
    }

    struct ActionForm: Encodable, Sendable {
        let action: String
        let label: String
        let needsComment: Bool
        let commentLabel: String
        let needsDepartment: Bool
        let needsOrganization: Bool
        let needsRating: Bool
    }

    let shell: PageShell
    let code: String
    let title: String
    let type: String
    let state: String
    let content: String
    let contact: String
    let unit: String
    let acceptDue: String
    let answerDue: String
    let answer: String?
    let rating: String?
    let attachments: [SelectOption]
    let adoption: String?
    let adoptAction: String?
    let steps: [Step]
    let actions: [ActionForm]
    /// Why the viewer has no step to take ("等待办公室受理"), when they have none.
    let waiting: String?
    let transitionAction: String
    let departments: [SelectOption]
    /// The 转办 picker, when the viewer may transfer the case.
    let transferTarget: OrganizationPickerValue?
    let error: String?
}

/// 诉求办理: the queue of the actor's subtree (or the requester's own cases), a case's page with the
/// steps the actor may take, and the transition endpoint.
struct CaseController {

    func register(_ web: any RoutesBuilder) {
        web.get(ServiceHallRoutes.cases, use: queue)
        web.get(ServiceHallRoutes.mine, use: mine)
        web.get(ServiceHallRoutes.serviceCase, use: show)
        web.post(ServiceHallRoutes.caseTransitions, use: transition)
        web.post(ServiceHallRoutes.adoptCase, use: adopt)
    }

    private func service(_ req: Request) -> CaseService { CaseService(db: req.db, services: req.platform) }

    func queue(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.handle)
        return try await list(req, actor: actor, mine: false)
    }

    func mine(_ req: Request) async throws -> Response {
        try await list(req, actor: try req.actor, mine: true)
    }

    /// Handler: whose cases and which filters → the matching cases → the export or one page of them.
    private func list(_ req: Request, actor: Actor, mine: Bool) async throws -> Response {
        let params = try ListParameters(request: req, path: mine ? ServiceHallRoutes.mine() : ServiceHallRoutes.cases(), keys: ["state"])
        let filter = Self.filter(params)
        let owner: CaseQueue.Owner = mine ? .requester(actor.userID) : .scope(actor)
        let queue = CaseQueue(db: req.db)
        let today = Day.today(now: req.platform.clock())
        if let format = req.exportFormat {
            return try await Self.export(try await queue.all(owner, filter: filter, limit: 100_000), format, req)
        }
        let (total, records) = try await queue.listings(owner, filter: filter, offset: params.offset, limit: params.pageSize)
        let heading = mine ? "我的诉求" : "诉求办理"
        let shell = await PageShell.build(for: req, title: heading)
        return try await Self.listPage(records, total: total, heading: heading, params, today: today, shell: shell)
            .render(req)
    }

    /// The queue's filter and order, read from the list parameters.
    static func filter(_ params: ListParameters) -> CaseQueue.Filter {
        var filter = CaseQueue.Filter()
        filter.state = params["state"].flatMap(ServiceHallCaseWorkflow.State.init(rawValue:))
        filter.search = params.search
        filter.sort = params["sort"] == "received" ? .received : .due
        filter.descending = params.descending
        return filter
    }

    static func export(_ records: [ServiceCase], _ format: TableExport.Format, _ req: Request) async throws -> Response {
        let definition = CaseService.definition
        return try await TableExport(
            fileName: "诉求清单", headers: ["查询码", "类型", "标题", "状态", "提交日期", "受理期限", "答复期限"],
            rows: records.map {
                [
                    $0.trackingCode, $0.type.label, $0.title,
                    definition.label(of: $0.state), $0.receivedOn.description,
                    $0.acceptDue.description,
                    $0.answerDue?.description ?? "",
                ]
            }
        ).response(format, for: req)
    }

    /// The page model for one page of cases.
    static func listPage(
        _ records: [CaseListing], total: Int, heading: String, _ params: ListParameters, today: Day,
        shell: PageShell
    ) throws -> CaseQueuePage {
        let definition = CaseService.definition
        return CaseQueuePage(
            shell: shell, heading: heading,
            list: params.chrome(total: total), dueHeader: params.sortLink("due", label: "期限"),
            states: [SelectOption(value: "", label: "全部状态", selected: params["state"] == nil)]
                + ServiceHallCaseWorkflow.State.allCases.map {
                    SelectOption(value: $0.rawValue, label: definition.label(of: $0), selected: params["state"] == $0.rawValue)
                },
            rows: records.map { record in
                let state = record.state
                let dueText = (state == .pending ? record.acceptDue : record.answerDue)?.description ?? ""
                let status = Self.status(state: state, acceptDue: record.acceptDue, answerDue: record.answerDue, today: today)
                return .init(
                    code: record.trackingCode, link: ServiceHallRoutes.serviceCase(record.id),
                    type: record.type.label,
                    title: record.title, state: definition.label(of: state), due: dueText, status: status.label,
                    statusClass: status.rawValue, unit: record.unitName)
            })
    }

    /// On time, near the limit (80 % of the working days used) or overdue, for the running deadline.
    static func status(_ record: ServiceCase, state: ServiceHallCaseWorkflow.State?, today: Day) -> TimeLimitStatus {
        status(state: state, acceptDue: record.acceptDue, answerDue: record.answerDue, today: today)
    }

    static func status(state: ServiceHallCaseWorkflow.State?, acceptDue: Day, answerDue: Day?, today: Day) -> TimeLimitStatus {
        let due: Day?
        switch state {
        case .pending: due = acceptDue
        case .accepted, .inProgress: due = answerDue
        default: due = nil
        }
        guard let due else { return .onTime }
        if today > due { return .overdue }
        return today.days(to: due) <= 2 ? .nearLimit : .onTime
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, error: nil)
    }

    /// A case and what its page shows, loaded for the viewer.
    struct Loaded: Sendable {
        let record: ServiceCase
        let kinds: Set<ParticipantKind>
        let available: [ServiceHallCaseWorkflow.Action]
        let history: [WorkflowStepRecord]
        let unit: String
        let attachments: [StoredFileInfo]
        let departments: [Department]
        /// The 转办 picker (units of the viewer's subtree), when the viewer may transfer the case.
        let transferTarget: OrganizationPickerValue?
    }

    /// Handler: who and which case → the case, its history and the viewer's actions → the page.
    private func page(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let loaded = try await Self.load(try req.uuidParameter(), actor: actor, service(req), on: req.db)
        let phone = (try? req.platform.secrets.open(loaded.record.contactPhoneCipher)).map(Masking.phone) ?? "—"
        let shell = await PageShell.build(for: req, title: loaded.record.title)
        return try await Self.page(loaded, phone: phone, error: error, shell: shell).render(req, status: status)
    }

    /// The case the actor may see, how the actor takes part in it, the actions open to them, its history,
    /// unit, files and departments.
    static func load(_ id: UUID, actor: Actor, _ service: CaseService, on db: any Database) async throws -> Loaded {
        let record = try await service.visibleCase(id, actor: actor)
        let kinds = try await service.kinds(for: record, actor: actor)
        let available = WorkflowEngine(CaseService.definition)
            .availableActions(in: record.state, for: kinds, context: service.context(for: record, rating: nil))
            .filter { $0 != .autoClose }
        let history = try await service.runtime.history(of: try record.requireID(), on: db)
        let departments = try await Department.query(on: db).filter(\.$organizationID == record.organizationID)
            .filter(\.$isActive == true).sort(\.$name).all()
        let unit = try await Organization.find(record.organizationID, on: db)?.name ?? ""
        let attachments = try await FileStore(services: service.services).list(CaseFiles.owner(try record.requireID()), on: db)
        let transferTarget: OrganizationPickerValue? = available.contains(.transfer) ? .empty() : nil
        return Loaded(
            record: record, kinds: kinds, available: available, history: history, unit: unit, attachments: attachments,
            departments: departments, transferTarget: transferTarget)
    }

    /// The page model of one case; the contact's masked phone and the history's names only for those handling it.
    static func page(_ loaded: Loaded, phone: String, error: String?, shell: PageShell) throws -> CasePage {
        let (record, kinds) = (loaded.record, loaded.kinds)
        let handling =
            kinds.contains(.dispatcher) || kinds.contains(.handler) || kinds.contains(.supervisor)
            || kinds.contains(.coHandler)
        return CasePage(
            shell: shell, code: record.trackingCode, title: record.title,
            type: record.type.label, state: CaseService.definition.label(of: record.state), content: record.content,
            contact: handling ? "\(record.contactName) \(phone)" : record.contactName,
            unit: loaded.unit, acceptDue: record.acceptDue.description,
            answerDue: record.answerDue?.description ?? "—", answer: record.answer,
            rating: record.rating.map { "\($0) 分" + (record.ratingComment.map { "：\($0)" } ?? "") },
            attachments: attachments(loaded.attachments),
            adoption: record.adoptedOn.map { "\($0) 采纳：\(record.adoptionNote ?? "")" },
            adoptAction: try adoptAction(record, kinds: kinds),
            steps: loaded.history.map { step in
                .init(
                    date: ChineseDate.dateTime(step.at),
                    action: Self.stepLabel(step),
                    who: handling ? step.actorName : "", comment: step.comment)
            },
            actions: actionForms(loaded.available, in: record.state),
            waiting: waitingReason(record, unit: loaded.unit, departments: loaded.departments),
            transitionAction: ServiceHallRoutes.caseTransitions(try record.requireID()),
            departments: loaded.departments.compactMap { d in
                d.id.map { SelectOption(value: $0.uuidString, label: d.name, selected: false) }
            },
            transferTarget: loaded.transferTarget, error: error)
    }

    /// Whose turn it is, for a viewer who cannot act: the office of the handling unit accepts and
    /// dispatches, the 承办 department answers, the requester rates.
    static func waitingReason(_ record: ServiceCase, unit: String, departments: [Department]) -> String {
        let department = record.departmentID.flatMap { id in departments.first { $0.id == id }?.name }
        switch record.state {
        case .pending: return "等待\(unit)办公室受理（受理期限 \(record.acceptDue)）"
        case .accepted: return "已受理，等待\(unit)办公室交办承办部门"
        case .inProgress: return "正由\(department ?? "承办部门")办理，等待答复（答复期限 \(record.answerDue?.description ?? "—")）"
        case .answered: return "已答复，等待提出人评价；未评价的将自动办结"
        case .closed: return "已办结"
        case .rejected: return "已决定不予受理"
        }
    }

    /// The case's files as links to the one download route (`GET /files/{id}`, scope-checked by `CaseFiles.policy`).
    static func attachments(_ files: [StoredFileInfo]) -> [SelectOption] {
        files.map { SelectOption(value: $0.link, label: $0.label, selected: false) }
    }

    /// Adopting a suggestion: once it is answered, for its dispatchers and handlers.
    static func adoptAction(_ record: ServiceCase, kinds: Set<ParticipantKind>) throws -> String? {
        let state = record.state
        return record.type == .suggestion && record.adoptedOn == nil
            && (state == .answered || state == .closed) && !kinds.isDisjoint(with: [.dispatcher, .handler])
            ? ServiceHallRoutes.adoptCase(try record.requireID()) : nil
    }

    static func actionForms(_ available: [ServiceHallCaseWorkflow.Action], in state: ServiceHallCaseWorkflow.State)
        -> [CasePage.ActionForm]
    {
        let definition = CaseService.definition
        return available.map { action in
            let transition = definition.transitions.first { $0.action == action && $0.from.contains(state) }
            return .init(
                action: action.rawValue, label: definition.label(of: action), needsComment: transition?.requiresComment ?? false,
                commentLabel: transition?.requiredComment ?? "说明（选填）", needsDepartment: action == .assign,
                needsOrganization: action == .transfer, needsRating: action == .rate)
        }
    }

    static func stepLabel(_ step: WorkflowStepRecord) -> String {
        if step.action == "adopt" { return "采纳" }
        return CaseService.definition.action(of: step).map(CaseService.definition.label(of:)) ?? step.action
    }

    func adopt(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        do {
            _ = try await service(req).adopt(id, note: try? req.content.get(String.self, at: "note"), actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, error: refusal.message, status: refusal.status)
        }
        return req.redirect(to: ServiceHallRoutes.serviceCase(id, query: ["notice": "saved"]))
    }

    func transition(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        guard let action = (try? req.content.get(String.self, at: "action")).flatMap(ServiceHallCaseWorkflow.Action.init(rawValue:)),
            action != .autoClose
        else { return try await page(req, error: "请选择要执行的操作", status: .unprocessableEntity) }
        var input = CaseService.StepInput()
        input.comment = try? req.content.get(String.self, at: "comment")
        input.departmentID = (try? req.content.get(String.self, at: "department")).flatMap(UUID.init(uuidString:))
        input.coDepartmentIDs = ((try? req.content.get([String].self, at: "coDepartments")) ?? []).compactMap(UUID.init(uuidString:))
        input.organizationID = try await OrganizationLookup(db: req.db).resolve(
            try? req.content.get(String.self, at: "organization"), in: .subtree, actor: actor)
        input.rating = (try? req.content.get(String.self, at: "rating")).flatMap { Int($0) }
        do {
            _ = try await service(req).perform(action, on: id, input: input, actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, error: refusal.message, status: refusal.status)
        }
        // A transfer can take the case out of the actor's subtree: back to the queue then.
        if (try? await service(req).visibleCase(id, actor: actor)) == nil {
            return req.redirect(to: ServiceHallRoutes.cases(query: ["notice": "saved"]))
        }
        return req.redirect(to: ServiceHallRoutes.serviceCase(id, query: ["notice": "saved"]))
    }
}
