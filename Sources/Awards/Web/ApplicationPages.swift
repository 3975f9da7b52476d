import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// Applying, one application's page with its nomination, formal check and support years, the channels'
/// nomination work, and 我的申报.
struct ApplicationPages: Sendable {
    func register(web: any RoutesBuilder) {
        web.get(AwardsRoutes.apply, use: applyForm)
        web.post(AwardsRoutes.apply, use: apply).limitBody(BodyLimits.form)
        web.get(AwardsRoutes.application, use: show)
        web.post(AwardsRoutes.nominate, use: nominate).limitBody(BodyLimits.small)
        web.post(AwardsRoutes.check, use: check).limitBody(BodyLimits.small)
        web.post(AwardsRoutes.resubmit, use: resubmit).limitBody(BodyLimits.small)
        web.post(AwardsRoutes.supportYear, use: recordSupport).limitBody(BodyLimits.small)
        web.post(AwardsRoutes.moveUp, use: moveUp).limitBody(BodyLimits.small)
        web.upload(.POST, AwardsRoutes.materials, maxBytes: Self.materialsBodyLimit, use: addMaterials)
        web.get(AwardsRoutes.channels, use: channels)
        web.get(AwardsRoutes.mine, use: mine)
    }

    private func services(_ req: Request) -> ApplicationService { ApplicationService(db: req.db, services: req.platform) }

    // MARK: Applying

    func applyForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let program = try await ProgramService(db: req.db, services: req.platform).program(try req.uuidParameter())
        return try await renderApply(req, program: program, actor: actor, values: [:], errors: [:], formErrors: [])
    }

    func apply(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let program = try await ProgramService(db: req.db, services: req.platform).program(try req.uuidParameter())
        let posted = PostedForm.values(req)
        func first(_ key: String) -> String? { posted[key]?.first.map { String($0.prefix(3100)) } }
        var input = ApplicationInput(
            personID: nil, field: String((first("field") ?? "").prefix(40)), summary: first("summary") ?? "",
            channelOrganizationID: first("channel").flatMap(UUID.init(uuidString:)), answers: posted, requiresChannel: true)
        input.entryTitle = first("entryTitle")
        if program.candidateKind == .organization {
            input.candidateOrganizationID = try await OrganizationLookup(db: req.db).resolve(
                first("candidateOrganization"), in: .subtree, actor: actor)
        }
        do {
            let application = try await services(req).apply(program, input, by: actor)
            return req.redirect(to: AwardsRoutes.application(try application.requireID(), query: ["notice": "application_submitted"]))
        } catch let invalid as InvalidFields {
            return try await renderApply(
                req, program: program, actor: actor, values: posted, errors: invalid.invalid.messages, formErrors: [],
                status: .unprocessableEntity)
        } catch let refused as ApplicationFormRefused {
            return try await renderApply(
                req, program: program, actor: actor, values: posted, errors: [:], formErrors: refused.errors.fields,
                status: .unprocessableEntity)
        } catch let error as AwardsError {
            var errors: [String: String] = [:]
            errors[error.field ?? "application"] = error.message
            return try await renderApply(
                req, program: program, actor: actor, values: posted, errors: errors, formErrors: [], status: error.errorCode.status)
        } catch let PlatformError.invalidInput(field, message) {
            return try await renderApply(
                req, program: program, actor: actor, values: posted, errors: [field ?? "application": message], formErrors: [],
                status: .unprocessableEntity)
        }
    }

    private func renderApply(
        _ req: Request, program: AwardProgram, actor: Actor, values: [String: [String]], errors: [String: String],
        formErrors: [FormFieldError],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let model = try await ApplyPageLoader(db: req.db, services: req.platform).load(program, actor: actor)
        return try await ApplyPage(
            shell: await PageShell.build(for: req, title: "申报：" + program.name), model: model, values: values, errors: errors,
            formErrors: formErrors
        ).render(req, status: status)
    }

    // MARK: One application

    func show(_ req: Request) async throws -> Response {
        try await page(req, id: try req.uuidParameter(), errors: [:])
    }

    func page(_ req: Request, id: UUID, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let model = try await ApplicationPageLoader(db: req.db, services: req.platform).load(id, actor: actor)
        return try await ApplicationPage(shell: await PageShell.build(for: req, title: model.title), model: model, errors: errors)
            .render(req, status: status)
    }

    struct NominateValues: Content {
        var channel: String?
        var referees: String?
    }

    func nominate(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(NominateValues.self)) ?? .init()
        let referees = (values.referees ?? "").split(whereSeparator: { $0 == "，" || $0 == "," || $0 == "、" || $0.isNewline }).map(
            String.init)
        return try await refusing(req, id: id) {
            guard let channel = values.channel.flatMap(UUID.init(uuidString:)) else { throw AwardsError.notAChannel }
            _ = try await services(req).nominate(
                applicationID: id, channelOrganizationID: channel, referees: Array(referees.prefix(20)), by: actor)
            return "application_nominated"
        }
    }

    struct CheckValues: Content {
        var decision: String?
        var note: String?
    }

    func check(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(CheckValues.self)) ?? .init()
        return try await refusing(req, id: id) {
            guard let decision = ApplicationService.CheckDecision(rawValue: values.decision ?? "") else {
                throw PlatformError.invalidInput(field: "decision", message: "请选择审查结论")
            }
            try await services(req).check(applicationID: id, decision: decision, note: String((values.note ?? "").prefix(600)), by: actor)
            return "application_checked"
        }
    }

    struct ResubmitValues: Content {
        var summary: String?
    }

    func resubmit(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(ResubmitValues.self)) ?? .init()
        return try await refusing(req, id: id) {
            try await services(req).resubmit(applicationID: id, summary: String((values.summary ?? "").prefix(3100)), by: actor)
            return "application_resubmitted"
        }
    }

    struct SupportValues: Content {
        var yearIndex: String?
        var funding: String?
        var report: String?
    }

    func recordSupport(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(SupportValues.self)) ?? .init()
        return try await refusing(req, id: id) {
            try await SupportService(db: req.db, services: req.platform).record(
                applicationID: id, yearIndex: Int(values.yearIndex ?? "") ?? 0, funding: values.funding ?? "",
                report: String((values.report ?? "").prefix(3100)), by: actor)
            return "support_recorded"
        }
    }

    /// Ten files of 10 MB and the form's overhead.
    static let materialsBodyLimit = 101 * 1_048_576

    func addMaterials(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        struct FilesForm: Content { var files: [File]? }
        let files = ((try? req.content.decode(FilesForm.self))?.files ?? []).map {
            UploadedFile(name: String($0.filename.prefix(200)), data: Data(buffer: $0.data))
        }
        return try await refusing(req, id: id) {
            try await MaterialsService(db: req.db, services: req.platform).add(files, to: id, by: actor)
            return "materials_added"
        }
    }

    func moveUp(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try await services(req).moveUp(nominationID: try req.uuidParameter(), by: actor)
        return req.redirect(to: AwardsRoutes.channels(query: ["notice": "nomination_moved"]))
    }

    /// Runs an action of the application page: a redirect with its notice, or the page again with the
    /// refusal beside its field (and its status).
    private func refusing(_ req: Request, id: UUID, _ body: () async throws -> String) async throws -> Response {
        do {
            let notice = try await body()
            return req.redirect(to: AwardsRoutes.application(id, query: ["notice": notice]))
        } catch let error as AwardsError {
            return try await page(req, id: id, errors: [error.field ?? "action": error.message], status: error.errorCode.status)
        } catch let PlatformError.invalidInput(field, message) {
            return try await page(req, id: id, errors: [field ?? "action": message], status: .unprocessableEntity)
        }
    }

    // MARK: Lists

    /// 推荐工作: applications waiting for (or holding) a nomination of one of the actor's channels.
    func channels(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.nominate)
        let params = try ListParameters(request: req, path: AwardsRoutes.channels(), keys: ["status"])
        let page = try await ChannelWorkListing.page(actor.scope, params, on: req.db)
        if let format = req.exportFormat {
            let all = try await ChannelWorkListing.page(actor.scope, params, limit: ProgramPages.exportLimit, on: req.db)
            return try await TableExport(
                fileName: "推荐工作", headers: ["项目", "候选人", "单位", "推荐单位", "推荐排序", "状态"],
                rows: all.rows.map { [$0.program, $0.title, $0.employer, $0.channel, $0.rank.map(String.init) ?? "", $0.status.label] }
            ).response(format, for: req)
        }
        return try await ChannelWorkPage(
            shell: await PageShell.build(for: req, title: "推荐工作"), list: params.chrome(total: page.total), rows: page.rows,
            statuses: [("", "全部"), ("submitted", "待推荐"), ("nominated", "已推荐")].map {
                SelectOption(value: $0.0, label: $0.1, selected: (params["status"] ?? "") == $0.0)
            }
        ).render(req)
    }

    /// 我的申报: the actor's own applications.
    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let rows = try await AwardApplication.query(on: req.db).filter(\.$applicantUserID == actor.userID)
            .join(AwardProgram.self, on: \AwardApplication.$programID == \AwardProgram.$id)
            .sort(AwardProgram.self, \.$year, .descending).sort(\.$createdAt, .descending).limit(200).all()
        return try await MyApplicationsPage(
            shell: await PageShell.build(for: req, title: "我的申报"),
            rows: try rows.map {
                let program = try $0.joined(AwardProgram.self)
                return MyApplicationsPage.Row(
                    id: try $0.requireID(), program: program.name, year: program.year, title: $0.title, status: $0.status,
                    certificate: $0.certificateCode.map { AwardsRoutes.certificate($0) })
            }
        ).render(req)
    }
}
