import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct SubmitPage: Sendable {
    let shell: PageShell
    let action: String
    let loggedIn: Bool
    let types: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
}

struct SubmittedPage: Sendable {
    let shell: PageShell
    let trackingCode: String
    let acceptDue: String
    let provisional: Bool
    let trackLink: String
}

struct TrackPage: Sendable {
    struct Step: Encodable, Sendable {
        let date: String
        let label: String
    }

    let shell: PageShell
    let code: String
    /// 联系电话后四位 as typed.
    let digits: String
    let errors: [String: String]
    let found: Bool
    let type: String
    let title: String
    let state: String
    let receivedOn: String
    let acceptDue: String
    let steps: [Step]
    /// Shown only after the phone's last four digits matched.
    let reply: CaseReply?
    /// The digits matched but there is no answer yet.
    let replyPending: Bool
    let refused: Bool

    static func empty(_ shell: PageShell, code: String, digits: String, errors: [String: String]) -> TrackPage {
        TrackPage(
            shell: shell, code: code, digits: digits, errors: errors, found: false, type: "", title: "", state: "", receivedOn: "",
            acceptDue: "", steps: [], reply: nil, replyPending: false, refused: false)
    }
}

/// 我要办事: the public intake form (anyone, logged in or not) and the tracking page.
struct IntakeController {

    func register(_ publicWeb: any RoutesBuilder) {
        publicWeb.get(ServiceHallRoutes.newCase, use: form)
        publicWeb.upload(.POST, ServiceHallRoutes.newCase, maxBytes: 60 << 20, use: submit)
        publicWeb.grouped(RateLimitMiddleware(.tracking, methods: [.GET])).get(ServiceHallRoutes.track, use: track)
    }

    func form(_ req: Request) async throws -> Response {
        // `?to=<organization>` is a county's or society's own intake link: the request is addressed there.
        let to = req.query[String.self, at: "to"].flatMap(UUID.init(uuidString:))?.uuidString ?? ""
        return try await formPage(req, values: ["isPublic": "", "to": to], errors: [:])
    }

    private func formPage(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        try await SubmitPage(
            shell: await PageShell.build(for: req, title: "我要办事"), action: ServiceHallRoutes.newCase(), loggedIn: req.optionalActor != nil,
            types: [SelectOption(value: "", label: "请选择", selected: (values["type"] ?? "").isEmpty)]
                + CaseType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: values["type"] == $0.rawValue) },
            values: values, errors: errors
        ).render(req, status: status)
    }

    func submit(_ req: Request) async throws -> Response {
        var values: [String: String] = [:]
        for key in ["type", "title", "content", "contactName", "contactPhone", "isPublic", "to"] {
            values[key] = String(((try? req.content.get(String.self, at: key)) ?? "").prefix(6000))
        }
        struct FilesForm: Content {
            var files: [File]?
        }
        let files = ((try? req.content.decode(FilesForm.self))?.files ?? []).map {
            IntakeService.Upload(fileName: $0.filename, data: Data(buffer: $0.data))
        }
        let submission = IntakeService.Submission(
            type: values["type"], title: values["title"], content: values["content"], isPublic: values["isPublic"] == "yes",
            contactName: values["contactName"], contactPhone: values["contactPhone"], files: files,
            addressedTo: values["to"].flatMap(UUID.init(uuidString:)))
        let record: ServiceCase
        do {
            record = try await IntakeService(db: req.db, services: req.platform).submit(
                submission, actor: req.optionalActor, clientAddress: req.clientAddress)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await formPage(req, values: values, errors: [field ?? "type": message], status: .unprocessableEntity)
        } catch let error as ServiceHallError {
            return try await formPage(req, values: values, errors: ["form": error.message], status: error.status)
        }
        return try await SubmittedPage(
            shell: await PageShell.build(for: req, title: "已提交"), trackingCode: record.trackingCode,
            acceptDue: record.acceptDue.description, provisional: record.dueProvisional,
            trackLink: ServiceHallRoutes.track(query: ["code": record.trackingCode])
        ).render(req, status: .created)
    }

    func track(_ req: Request) async throws -> Response {
        let code = (req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespaces)
        let rawDigits = (req.query[String.self, at: "phoneLast4"] ?? "").trimmingCharacters(in: .whitespaces)
        let shell = await PageShell.build(for: req, title: "办理进度查询")
        guard !code.isEmpty else { return try await TrackPage.empty(shell, code: "", digits: "", errors: [:]).render(req) }
        var errors: [String: String] = [:]
        let digits: String?
        do { digits = try CaseReply.digits(String(rawDigits.prefix(16))) } catch let error as ServiceHallError {
            errors["phoneLast4"] = error.message
            digits = nil
        }
        do {
            let intake = IntakeService(db: req.db, services: req.platform)
            let record = try await intake.track(code)
            let view = try await CaseProgress(record: record, db: req.db)
            var reply: CaseReply?
            if let digits {
                try req.enforce(.trackingDigits, key: record.trackingCode)
                if intake.phoneMatches(record, last4: digits) {
                    reply = view.reply
                    if reply == nil { errors["phoneLast4"] = nil }
                } else {
                    errors["phoneLast4"] = "联系电话后四位不符，请核对后重试"
                }
            }
            return try await TrackPage(
                shell: shell, code: record.trackingCode, digits: rawDigits, errors: errors, found: true,
                type: view.type, title: record.title, state: view.state, receivedOn: record.receivedOn.description,
                acceptDue: record.acceptDue.description,
                steps: view.steps.map { .init(date: $0.date, label: $0.label) }, reply: reply,
                replyPending: digits != nil && reply == nil
                    && errors.isEmpty,
                refused: record.state == .rejected
            ).render(req, status: errors.isEmpty ? .ok : .unprocessableEntity)
        } catch let error as ServiceHallError {
            errors["code"] = error.message
            return try await TrackPage.empty(shell, code: code, digits: rawDigits, errors: errors).render(req, status: error.status)
        }
    }
}

/// The public view of a case's progress: labels and dates only, never who handled it or who asked.
struct CaseProgress: Sendable {
    struct Step: Sendable, Encodable {
        let date: String
        let label: String
    }

    let type: String
    let state: String
    let steps: [Step]
    /// The answer or refusal reason, whether or not the caller may see it (`revealed`).
    let reply: CaseReply?

    init(record: ServiceCase, db: any Database) async throws {
        let definition = ServiceHallCaseWorkflow()
        type = record.type.label
        state = definition.label(of: record.state)
        let history = try await WorkflowRuntime(definition, subjects: ServiceHallModule.subjects).history(of: record.requireID(), on: db)
        reply = CaseReply(record: record, history: history)
        steps =
            [Step(date: record.receivedOn.description, label: "已提交，等待受理")]
            + history.map { step in
                Step(
                    date: ChineseDate.day(step.at),
                    label: CaseController.stepLabel(step))
            }
    }
}
