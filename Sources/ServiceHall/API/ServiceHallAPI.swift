import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct CaseInput: Content {
    var type: String?
    var title: String?
    var content: String?
    var isPublic: Bool?
    var contactName: String?
    var contactPhone: String?
    /// The association addressed (its own intake); absent means the province.
    var organizationId: UUID?
}

struct SubmittedDTO: Content {
    let trackingNumber: String
    let acceptDue: String
    let provisional: Bool
}

struct TrackedDTO: Content {
    struct Step: Content {
        let date: String
        let label: String
    }

    let trackingNumber: String
    let type: String
    let title: String
    let state: String
    let receivedOn: String
    let acceptDue: String
    let steps: [Step]
    /// The answer (or the reason for 不予受理), only when `phoneLast4` matched the contact phone.
    let reply: String?
    /// The day of that answer or decision (`YYYY-MM-DD`), with `reply` only.
    let answeredAt: String?
}

/// `POST /api/v1/cases` (anonymous allowed) and the public tracking lookup.
struct ServiceHallAPIController {
    func register(publicAPI: any RoutesBuilder, api: any RoutesBuilder) {
        publicAPI.post(ServiceHallRoutes.apiCases, use: submit)
        publicAPI.grouped(RateLimitMiddleware(.tracking, methods: [.GET])).get(ServiceHallRoutes.apiTrack, use: track)
        api.get(ServiceHallRoutes.apiCases, use: list)
        api.post(ServiceHallRoutes.apiCaseTransitions, use: transition)
    }

    struct CaseDTO: Content {
        let id: UUID
        let trackingNumber: String
        let type: String
        let title: String
        let state: String
        let organizationId: UUID
        let departmentId: UUID?
        let receivedOn: String
        let acceptDue: String
        let answerDue: String?
        let answer: String?
        let rating: Int?

        init(_ r: ServiceCase) throws {
            id = try r.requireID()
            trackingNumber = r.trackingCode
            type = r.type.rawValue
            title = r.title
            state = r.state.rawValue
            organizationId = r.organizationID
            departmentId = r.departmentID
            receivedOn = r.receivedOn.description
            acceptDue = r.acceptDue.description
            answerDue = r.answerDue?.description
            answer = r.answer
            rating = r.rating
        }
    }

    struct CasesDTO: Content {
        let items: [CaseDTO]
        let page: Int
        let per: Int
        let total: Int
    }

    /// The cases of the caller's subtree (handlers) or their own cases (everyone else).
    func list(_ req: Request) async throws -> CasesDTO {
        let actor = try req.actor
        var filter = CaseQueue.Filter()
        if let raw = req.query[String.self, at: "state"] {
            guard let state = ServiceHallCaseWorkflow.State(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "state", message: "未知的状态：\(raw)")
            }
            filter.state = state
        }
        let paging = try req.paging()
        let (page, per) = (paging.page, paging.per)
        let owner: CaseQueue.Owner = actor.can(ServiceHallPermission.handle) ? .scope(actor) : .requester(actor.userID)
        // The API answers with the exact total: clients page through all of it.
        let (total, rows) = try await CaseQueue(db: req.db).page(owner, filter: filter, offset: (page - 1) * per, limit: per, countCap: nil)
        return CasesDTO(items: try rows.map(CaseDTO.init), page: page, per: per, total: total)
    }

    struct TransitionInput: Content {
        var action: String?
        var comment: String?
        var department: UUID?
        var coDepartments: [UUID]?
        var organization: UUID?
        var rating: Int?
    }

    func transition(_ req: Request) async throws -> CaseDTO {
        let actor = try req.actor
        let input = try req.jsonBody(TransitionInput.self)
        guard let action = input.action.flatMap(ServiceHallCaseWorkflow.Action.init(rawValue:)), action != .autoClose else {
            throw PlatformError.invalidInput(field: "action", message: "未知的操作：\(input.action ?? "")")
        }
        let record = try await CaseService(db: req.db, services: req.platform).perform(
            action, on: try req.uuidParameter(),
            input: .init(
                comment: input.comment, departmentID: input.department, coDepartmentIDs: input.coDepartments ?? [],
                organizationID: input.organization, rating: input.rating),
            actor: actor)
        return try CaseDTO(record)
    }

    func submit(_ req: Request) async throws -> Response {
        let input = try req.jsonBody(CaseInput.self)
        let record = try await IntakeService(db: req.db, services: req.platform).submit(
            .init(
                type: input.type, title: input.title, content: input.content, isPublic: input.isPublic ?? false,
                contactName: input.contactName, contactPhone: input.contactPhone, addressedTo: input.organizationId),
            actor: req.optionalActor, clientAddress: req.clientAddress)
        return try await SubmittedDTO(
            trackingNumber: record.trackingCode, acceptDue: record.acceptDue.description, provisional: record.dueProvisional
        )
        .encodeResponse(status: .created, for: req)
    }

    func track(_ req: Request) async throws -> TrackedDTO {
        let code = req.parameters.get("trackingNumber") ?? ""
        // 404 servicehall.tracking_number_unknown, or 422 servicehall.tracking_number_malformed.
        // 422 servicehall.phone_digits_malformed unless phoneLast4 is absent or four digits.
        let digits = try CaseReply.digits(req.query[String.self, at: "phoneLast4"].map { String($0.prefix(16)) })
        let intake = IntakeService(db: req.db, services: req.platform)
        let record = try await intake.track(code)
        let progress = try await CaseProgress(record: record, db: req.db)
        var reply: CaseReply?
        if let digits {
            try req.enforce(.trackingDigits, key: record.trackingCode)
            if intake.phoneMatches(record, last4: digits) { reply = progress.reply }
        }
        return TrackedDTO(
            trackingNumber: record.trackingCode, type: progress.type, title: record.title, state: progress.state,
            receivedOn: record.receivedOn.description, acceptDue: record.acceptDue.description,
            steps: progress.steps.map { .init(date: $0.date, label: $0.label) }, reply: reply?.text, answeredAt: reply?.on.description)
    }
}
