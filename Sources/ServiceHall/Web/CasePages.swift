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
    let transitionAction: String
    let departments: [SelectOption]
    let organizations: [SelectOption]
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
        web.get(ServiceHallRoutes.caseAttachment, use: download)
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

    private func list(_ req: Request, actor: Actor, mine: Bool) async throws -> Response {
        let params = try ListParameters(request: req, path: mine ? ServiceHallRoutes.mine() : ServiceHallRoutes.cases(), keys: ["state"])
        var filter = CaseQueue.Filter()
        filter.state = params["state"].flatMap(ServiceHallCaseWorkflow.State.init(rawValue:))
        filter.search = params.search
        filter.sort = params["sort"] == "received" ? .received : .due
        filter.descending = params.descending
        let owner: CaseQueue.Owner = mine ? .requester(actor.userID) : .scope(actor)
        let queue = CaseQueue(db: req.db)
        let definition = CaseService.definition
        let today = Day.today(now: req.platform.clock())
        if let format = req.exportFormat {
            let all = try await queue.all(owner, filter: filter, limit: 100_000)
            return try await TableExport(
                fileName: "诉求清单", headers: ["查询码", "类型", "标题", "状态", "提交日期", "受理期限", "答复期限"],
                rows: all.map {
                    [
                        $0.trackingCode, $0.type.label, $0.title,
                        definition.label(of: $0.state), $0.receivedOn.description,
                        $0.acceptDue.description,
                        $0.answerDue?.description ?? "",
                    ]
                }
            ).response(format, for: req)
        }
        let (total, records) = try await queue.page(owner, filter: filter, offset: params.offset, limit: params.pageSize)
        let units = Dictionary(
            uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Set(records.map(\.organizationID))).all()
                .compactMap { o in o.id.map { ($0, o.name) } })
        return try await CaseQueuePage(
            shell: await PageShell.build(for: req, title: mine ? "我的诉求" : "诉求办理"), heading: mine ? "我的诉求" : "诉求办理",
            list: params.chrome(total: total), dueHeader: params.sortLink("due", label: "期限"),
            states: [SelectOption(value: "", label: "全部状态", selected: params["state"] == nil)]
                + ServiceHallCaseWorkflow.State.allCases.map {
                    SelectOption(value: $0.rawValue, label: definition.label(of: $0), selected: params["state"] == $0.rawValue)
                },
            rows: records.map { record in
                let state = record.state
                let dueText = (state == .pending ? record.acceptDue : record.answerDue)?.description ?? ""
                let status = Self.status(record, state: state, today: today)
                return .init(
                    code: record.trackingCode, link: ServiceHallRoutes.serviceCase(try record.requireID()),
                    type: record.type.label,
                    title: record.title, state: definition.label(of: state), due: dueText, status: status.label,
                    statusClass: status.rawValue, unit: units[record.organizationID] ?? "")
            }
        ).render(req)
    }

    /// On time, near the limit (80 % of the working days used) or overdue, for the running deadline.
    static func status(_ record: ServiceCase, state: ServiceHallCaseWorkflow.State?, today: Day) -> TimeLimitStatus {
        let due: Day?
        switch state {
        case .pending: due = record.acceptDue
        case .accepted, .inProgress: due = record.answerDue
        default: due = nil
        }
        guard let due else { return .onTime }
        if today > due { return .overdue }
        return today.days(to: due) <= 2 ? .nearLimit : .onTime
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, error: nil)
    }

    private func page(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let record = try await service.visibleCase(try req.uuidParameter(), actor: actor)
        let definition = CaseService.definition
        let kinds = try await service.kinds(for: record, actor: actor)
        let state = record.state
        let engine = WorkflowEngine(definition)
        let available = engine.availableActions(in: state, for: kinds, context: service.context(for: record, rating: nil))
            .filter { $0 != .autoClose }
        let transitions = definition.transitions
        let history = try await service.runtime.history(of: try record.requireID(), on: req.db)
        let handling =
            kinds.contains(.dispatcher) || kinds.contains(.handler) || kinds.contains(.supervisor)
            || kinds.contains(.coHandler)
        let phone = (try? req.platform.secrets.open(record.contactPhoneCipher)).map(Masking.phone) ?? "—"
        let departments = try await Department.query(on: req.db).filter(\.$organizationID == record.organizationID)
            .filter(\.$isActive == true).sort(\.$name).all()
        return try await CasePage(
            shell: await PageShell.build(for: req, title: record.title), code: record.trackingCode, title: record.title,
            type: record.type.label, state: definition.label(of: state), content: record.content,
            contact: handling ? "\(record.contactName) \(phone)" : record.contactName,
            unit: try await Organization.find(record.organizationID, on: req.db)?.name ?? "", acceptDue: record.acceptDue.description,
            answerDue: record.answerDue?.description ?? "—", answer: record.answer,
            rating: record.rating.map { "\($0) 分" + (record.ratingComment.map { "：\($0)" } ?? "") },
            attachments: try await CaseAttachment.query(on: req.db).filter(\.$caseID == record.requireID()).field(\.$id).field(\.$fileName)
                .field(\.$size).field(\.$kind).sort(\.$createdAt).all().map { file in
                    SelectOption(
                        value: ServiceHallRoutes.caseAttachment(try record.requireID(), try file.requireID()),
                        label: "\(file.fileName)（\(file.kind.label)，\(max(1, file.size / 1024)) KB）",
                        selected: false)
                },
            adoption: record.adoptedOn.map { "\($0) 采纳：\(record.adoptionNote ?? "")" },
            adoptAction: record.type == .suggestion && record.adoptedOn == nil
                && (state == .answered || state == .closed) && !kinds.isDisjoint(with: [.dispatcher, .handler])
                ? ServiceHallRoutes.adoptCase(try record.requireID()) : nil,
            steps: history.map { step in
                .init(
                    date: ChineseDate.dateTime(step.at),
                    action: Self.stepLabel(step),
                    who: handling ? step.actorName : "", comment: step.comment)
            },
            actions: available.map { action in
                let transition = transitions.first { $0.action == action && $0.from.contains(state) }
                return .init(
                    action: action.rawValue, label: definition.label(of: action), needsComment: transition?.requiresComment ?? false,
                    commentLabel: transition?.requiredComment ?? "说明（选填）", needsDepartment: action == .assign,
                    needsOrganization: action == .transfer, needsRating: action == .rate)
            },
            transitionAction: ServiceHallRoutes.caseTransitions(try record.requireID()),
            departments: departments.compactMap { d in d.id.map { SelectOption(value: $0.uuidString, label: d.name, selected: false) } },
            organizations: available.contains(.transfer)
                ? try await actor.organizationOptions(selected: nil, anyLabel: "请选择单位", on: req.db) : [],
            error: error
        ).render(req, status: status)
    }

    /// A case's file, for those who may see the case; served as a download with its detected type.
    func download(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let record = try await service(req).visibleCase(try req.uuidParameter(), actor: actor)
        guard let attachmentID = req.parameters.get("attachment").flatMap(UUID.init(uuidString:)),
            let file = try await CaseAttachment.query(on: req.db).filter(\.$id == attachmentID).filter(\.$caseID == record.requireID())
                .first()
        else { throw PlatformError.notFound }
        return .download(
            file.content, fileName: file.fileName, contentType: file.kind.contentType)
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
        input.organizationID = (try? req.content.get(String.self, at: "organization")).flatMap(UUID.init(uuidString:))
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
