import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// Programs on the web: the public list and page, the managers' list, the new-program form, and one
/// program's administration with its stage actions.
struct ProgramPages: Sendable {
    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(AwardsRoutes.home, use: list)
        publicWeb.get(AwardsRoutes.program, use: show)
        web.get(AwardsRoutes.manage, use: manage)
        web.get(AwardsRoutes.newProgram, use: newForm)
        web.post(AwardsRoutes.newProgram, use: create).limitBody(BodyLimits.small)
        web.get(AwardsRoutes.manageProgram, use: administer)
        web.post(AwardsRoutes.programActions, use: act).limitBody(BodyLimits.small)
    }

    static let exportLimit = 10_000

    // MARK: Lists

    /// Public: every program that is not a draft, newest year first; filter by year, kind, stage, text.
    func list(_ req: Request) async throws -> Response {
        let params = try ListParameters(request: req, path: AwardsRoutes.home(), keys: ["year", "kind", "stage", "sort"])
        let page = try await ProgramListing.page(params, scope: nil, on: req.db)
        return try await ProgramListPage(
            shell: await PageShell.build(for: req, title: "评选举荐"), manage: false, list: params.chrome(total: page.total),
            rows: try page.programs, filters: .init(params)
        ).render(req)
    }

    /// Staff: the programs of the subtree, with export.
    func manage(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.manage)
        let params = try ListParameters(request: req, path: AwardsRoutes.manage(), keys: ["year", "kind", "stage", "sort"])
        if let format = req.exportFormat {
            let rows = try await ProgramListing.page(params, scope: actor.scope, limit: Self.exportLimit, on: req.db).programs
            return try await TableExport(
                fileName: "评选项目", headers: ["项目", "年度", "类别", "主办单位", "申报开始", "申报截止", "阶段", "申报数"],
                rows: rows.map {
                    [
                        $0.name, String($0.year), $0.kind.label, $0.organization, $0.opens, $0.closes, $0.stage.label,
                        String($0.applications),
                    ]
                }
            ).response(format, for: req)
        }
        let page = try await ProgramListing.page(params, scope: actor.scope, on: req.db)
        return try await ProgramListPage(
            shell: await PageShell.build(for: req, title: "评选管理"), manage: true,
            list: params.chrome(total: page.total, newLink: AwardsRoutes.newProgram()), rows: try page.programs, filters: .init(params)
        ).render(req)
    }

    // MARK: One program

    func show(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        let program = try await ProgramService(db: req.db, services: req.platform).program(id)
        let actor = req.optionalActor
        let manages: Bool
        if let actor, actor.can(AwardsPermission.manage) {
            manages = try await actor.scope.organization(program.organizationID, on: req.db) != nil
        } else {
            manages = false
        }
        guard program.stage != .draft || manages else { throw PlatformError.notFound }
        let model = try await ProgramPageLoader(db: req.db, today: Day.today(now: req.platform.clock())).load(
            program, actor: actor, manages: manages)
        return try await ProgramPage(shell: await PageShell.build(for: req, title: program.name), model: model).render(req)
    }

    // MARK: Creating

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.manage)
        return try await renderForm(
            req, actor: actor, values: ProgramFormValues.defaults(today: Day.today(now: req.platform.clock())), errors: [:])
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.manage)
        let values = (try? req.content.decode(ProgramFormValues.self)) ?? ProgramFormValues()
        let lookup = OrganizationLookup(db: req.db)
        var channels: [ProgramInput.Channel] = []
        var pickerErrors: [String: String] = [:]
        for index in 0..<ProgramFormValues.channelRows {
            let sent = values.channel(index)
            guard !(sent.organization ?? "").trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard let id = try await lookup.resolve(sent.organization, in: .subtree, actor: actor) else {
                pickerErrors["channel\(index)"] = "未找到该组织"
                continue
            }
            channels.append(.init(organizationId: id, kind: sent.kind, quota: Int(sent.quota ?? "")))
        }
        do {
            let draft = try values.input(channels: channels).draft(today: Day.today(now: req.platform.clock()))
            if !pickerErrors.isEmpty { throw InvalidFields(FieldErrors(), order: []) }
            let id = try await ProgramService(db: req.db, services: req.platform).create(draft, by: actor)
            return req.redirect(to: AwardsRoutes.manageProgram(id, query: ["notice": "program_created"]))
        } catch let invalid as InvalidFields {
            let errors = ProgramFormValues.pageErrors(invalid.invalid.messages).merging(pickerErrors) { first, _ in first }
            return try await renderForm(req, actor: actor, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    private func renderForm(
        _ req: Request, actor: Actor, values: ProgramFormValues, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        var pickers: [OrganizationPickerValue] = []
        for index in 0..<ProgramFormValues.channelRows {
            let sent = values.channel(index).organization
            pickers.append(
                (sent ?? "").isEmpty ? .empty(.subtree) : try await actor.organizationPicker(sent: sent, set: .subtree, on: req.db))
        }
        let forms = try await PlatformForm.query(on: req.db).filter(\.$ownerModule == AwardsModule.formOwner)
            .join(Organization.self, on: \PlatformForm.$organizationID == \Organization.$id)
            .filter(Organization.self, \.$path =~ (actor.acting?.organizationPath ?? "\u{0}"))
            .sort(\.$title).limit(100).all()
        return try await ProgramFormPage(
            shell: await PageShell.build(for: req, title: "新建评选项目"), values: values, errors: errors, pickers: pickers,
            forms: try forms.map { (try $0.requireID().uuidString, $0.title) }
        ).render(req, status: status)
    }

    // MARK: Administration

    func administer(_ req: Request) async throws -> Response {
        try await administer(req, id: try req.uuidParameter(), refusal: nil)
    }

    /// The page, with the refusal of a stage action when there was one (answered with its status).
    func administer(_ req: Request, id: UUID, refusal: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let program = try await ProgramService(db: req.db, services: req.platform).managed(id, by: actor)
        let programID = try program.requireID()
        let params = try ListParameters(
            request: req, path: AwardsRoutes.manageProgram(programID), keys: ["status", "channel", "sort"])
        if let format = req.exportFormat {
            let rows = try await ApplicationListing.page(programID, params, limit: Self.exportLimit, on: req.db).rows
            return try await TableExport(
                fileName: "\(program.name)申报", headers: ["候选人", "单位", "学科", "推荐单位", "推荐排序", "状态", "评审得分", "名次", "申报日期"],
                rows: rows.map {
                    [
                        $0.title, $0.employer, $0.field, $0.channel ?? "", $0.channelRank.map(String.init) ?? "", $0.status.label,
                        $0.score.map { String(format: "%.2f", $0) } ?? "", $0.rank.map(String.init) ?? "", $0.appliedOn,
                    ]
                }
            ).response(format, for: req)
        }
        let page = try await ApplicationListing.page(programID, params, on: req.db)
        let summary = try await ProgramAdminLoader(db: req.db).load(program)
        return try await ProgramAdminPage(
            shell: await PageShell.build(for: req, title: program.name + " · 管理"), program: ProgramFacts(program), summary: summary,
            refusal: refusal, list: params.chrome(total: page.total), rows: page.rows, filters: .init(params, channels: summary.channels)
        ).render(req, status: status)
    }

    struct ActionValues: Content {
        var action: String?
    }

    /// 截止申报, 开始评审 (draws the reviewers), 汇总并公示, 公布结果.
    func act(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let action = (try? req.content.decode(ActionValues.self))?.action ?? ""
        let results = ResultService(db: req.db, services: req.platform)
        do {
            switch action {
            case "close": try await ProgramService(db: req.db, services: req.platform).closeApplications(id, by: actor)
            case "start_review": try await results.startReview(id, seed: UInt64.random(in: 1...UInt64(Int64.max)), by: actor)
            case "propose": _ = try await results.propose(id, by: actor)
            case "announce": try await results.announce(id, by: actor)
            default: throw PlatformError.invalidInput(field: "action", message: "未知的操作")
            }
        } catch let error as AwardsError {
            return try await administer(req, id: id, refusal: error.message, status: error.errorCode.status)
        }
        return req.redirect(to: AwardsRoutes.manageProgram(id, query: ["notice": "stage_moved"]))
    }
}
