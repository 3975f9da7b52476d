import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// The evaluation form (participants), the results with the report and quality score (staff), the
/// report form (the organizer's staff) and the organizer's yearly record.
struct EvaluationController: Sendable {
    /// Largest report body: twelve photos of 5 MB and the fields.
    static let reportBodyLimit = 12 * 5 * 1_048_576 + 64 * 1024

    func register(_ web: any RoutesBuilder) {
        web.get(EventsRoutes.evaluate, use: form)
        web.post(EventsRoutes.evaluate, use: submit).limitBody(BodyLimits.small)
        web.get(EventsRoutes.evaluation, use: results)
        web.get(EventsRoutes.report, use: reportForm)
        web.upload(.POST, EventsRoutes.report, maxBytes: Self.reportBodyLimit, use: fileReport)
        web.get(EventsRoutes.record, use: record)
    }

    private func service(_ req: Request) -> EvaluationService { EvaluationService(db: req.db, services: req.platform) }

    // MARK: Participants

    func form(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (event, registration) = try await service(req).participation(try req.uuidParameter(), actor: actor)
        return try await formPage(req, event: event, registration: registration, input: nil, errors: [:])
    }

    func formPage(
        _ req: Request, event: Event, registration: EventRegistration, input: EvaluationService.Input?, errors: [String: String],
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let service = service(req)
        let id = try event.requireID()
        let own = try await service.own(registration)
        let speakers = try await EventSpeaker.query(on: req.db).filter(\.$eventID == id).sort(\.$position).all()
        let now = req.platform.clock()
        var values = input ?? EvaluationService.Input()
        if input == nil, let own {
            let (evaluation, scores) = own
            values.content = String(evaluation.contentScore)
            values.organization = String(evaluation.organizationScore)
            values.comment = evaluation.comment
            values.speakers = Dictionary(uniqueKeysWithValues: scores.map { ($0.key.uuidString, String($0.value)) })
        }
        let closed: String?
        if !EvaluationService.isOver(event, now: now) {
            closed = EventsError.evaluationNotOpen.message
        } else if now > EvaluationService.closesAt(event) {
            closed = EventsError.evaluationClosed.message
        } else {
            closed = nil
        }
        let page = EvaluateFormPage(
            shell: await PageShell.build(for: req, title: "活动评价"), eventTitle: event.title, eventLink: EventsRoutes.event(id),
            when: ChineseDate.dateTime(event.startsAt) + " 至 " + ChineseDate.dateTime(event.endsAt),
            closesAt: ChineseDate.dateTime(EvaluationService.closesAt(event)), action: EventsRoutes.evaluate(id),
            evaluated: own != nil, evaluatedAt: own.map { ChineseDate.dateTime($0.0.updatedAt ?? $0.0.createdAt) },
            closedReason: closed, notice: req.query[String.self, at: "notice"] == "evaluated" ? "评价已提交，感谢您的反馈" : nil,
            speakers: try speakers.map { EvaluateFormPage.Speaker(id: try $0.requireID().uuidString, name: $0.name, topic: $0.topic) },
            values: values, errors: errors)
        return try await page.render(req, status: status)
    }

    func submit(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        var input = EvaluationService.Input()
        input.content = fields["content"] ?? ""
        input.organization = fields["organization"] ?? ""
        input.comment = fields["comment"] ?? ""
        for (key, value) in fields where key.hasPrefix("speaker-") { input.speakers[String(key.dropFirst(8))] = value }
        let service = service(req)
        do {
            try await service.submit(id, input: input, actor: actor)
        } catch let invalid as InvalidFields {
            let (event, registration) = try await service.participation(id, actor: actor)
            return try await formPage(
                req, event: event, registration: registration, input: input, errors: invalid.invalid.messages, status: .unprocessableEntity)
        } catch let error as EventsError where error != .notParticipant {
            let (event, registration) = try await service.participation(id, actor: actor)
            return try await formPage(
                req, event: event, registration: registration, input: input, errors: ["form": error.message], status: error.errorCode.status
            )
        }
        return req.redirect(to: EventsRoutes.evaluate(id, query: ["notice": "evaluated"]))
    }

    // MARK: Staff: results

    func results(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let event = try await service.resultsEvent(try req.uuidParameter(), actor: actor)
        let id = try event.requireID()
        if let format = req.exportFormat {
            return try await service.table(event).response(format, for: req)
        }
        let results = try await service.results(event)
        let report = try await service.report(of: id)
        let photos = try await service.photos(of: report)
        let checkedIn = try await service.checkedIn(id)
        let score = EvaluationService.qualityScore(
            .init(
                content: results.content, organization: results.organization, speakers: results.speakers,
                attendance: report?.attendance ?? (checkedIn > 0 ? checkedIn : nil), capacity: event.capacity,
                confirmed: event.confirmedCount,
                advice: report?.adviceCount, papers: report?.paperCount, dockings: report?.dockingCount))
        let organizes = try await EventService(db: req.db, services: req.platform).organizes(event, actor: actor)
        let year = Calendar.china.component(.year, from: event.startsAt)
        let page = EvaluationResultsPage(
            shell: await PageShell.build(for: req, title: "活动评价结果"), eventID: id.uuidString, eventTitle: event.title,
            eventLink: EventsRoutes.event(id), score: score, results: results, checkedIn: checkedIn, capacity: event.capacity,
            confirmed: event.confirmedCount,
            report: report.map {
                EvaluationResultsPage.Report(
                    attendance: $0.attendance, checkedIn: $0.checkedIn, reason: $0.attendanceReason, advice: $0.adviceCount,
                    papers: $0.paperCount, dockings: $0.dockingCount, note: $0.outputsNote, filedAt: ChineseDate.dateTime($0.updatedAt))
            },
            photos: photos.map { .init(id: $0.id.uuidString, name: $0.fileName, link: $0.link) },
            reportLink: organizes && EvaluationService.isOver(event, now: req.platform.clock()) ? EventsRoutes.report(id) : nil,
            recordLink: EventsRoutes.record(event.organizationID, query: ["year": String(year)]),
            xlsxLink: EventsRoutes.evaluation(id, query: ["format": "xlsx"]), csvLink: EventsRoutes.evaluation(id, query: ["format": "csv"])
        )
        return try await page.render(req)
    }

    // MARK: Staff: the report

    func reportForm(_ req: Request) async throws -> Response {
        let event = try await service(req).reportEvent(try req.uuidParameter(), actor: try req.actor)
        return try await reportPage(req, event: event, values: nil, errors: [:])
    }

    func reportPage(
        _ req: Request, event: Event, values: [String: String]?, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let service = service(req)
        let id = try event.requireID()
        let report = try await service.report(of: id)
        let checkedIn = try await service.checkedIn(id)
        var shown = values ?? [:]
        if values == nil {
            shown["attendance"] = String(report?.attendance ?? checkedIn)
            shown["attendanceReason"] = report?.attendanceReason ?? ""
            shown["adviceCount"] = String(report?.adviceCount ?? 0)
            shown["paperCount"] = String(report?.paperCount ?? 0)
            shown["dockingCount"] = String(report?.dockingCount ?? 0)
            shown["outputsNote"] = report?.outputsNote ?? ""
        }
        let photos = try await service.photos(of: report)
        let over = EvaluationService.isOver(event, now: req.platform.clock())
        let page = ReportFormPage(
            shell: await PageShell.build(for: req, title: "活动总结"), eventTitle: event.title, eventLink: EventsRoutes.event(id),
            resultsLink: EventsRoutes.evaluation(id), action: EventsRoutes.report(id), checkedIn: checkedIn, filed: report != nil,
            closedReason: over ? nil : EventsError.eventNotOver.message,
            photos: photos.map { .init(id: $0.id.uuidString, name: $0.fileName, link: $0.link) },
            maxPhotos: EvaluationService.photoCheck.maxFiles, values: shown, errors: errors)
        return try await page.render(req, status: status)
    }

    func fileReport(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let service = service(req)
        let event = try await service.reportEvent(id, actor: actor)
        var fields: [String: String] = [:]
        for key in ["attendance", "attendanceReason", "adviceCount", "paperCount", "dockingCount", "outputsNote"] {
            if let value = try? req.content.get(String.self, at: key) { fields[key] = value }
        }
        struct FilesForm: Content { var files: [File]? }
        let files = ((try? req.content.decode(FilesForm.self))?.files ?? []).map {
            UploadedFile(name: $0.filename, data: Data(buffer: $0.data))
        }
        let input = EvaluationService.ReportInput(
            attendance: fields["attendance"] ?? "", attendanceReason: fields["attendanceReason"] ?? "",
            adviceCount: fields["adviceCount"] ?? "", paperCount: fields["paperCount"] ?? "", dockingCount: fields["dockingCount"] ?? "",
            outputsNote: fields["outputsNote"] ?? "", photos: files)
        do {
            try await service.fileReport(id, input: input, actor: actor)
        } catch let invalid as InvalidFields {
            return try await reportPage(req, event: event, values: fields, errors: invalid.invalid.messages, status: .unprocessableEntity)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await reportPage(
                req, event: event, values: fields, errors: [field ?? "files": message], status: .unprocessableEntity)
        } catch let error as EventsError {
            return try await reportPage(req, event: event, values: fields, errors: ["form": error.message], status: error.errorCode.status)
        }
        return req.redirect(to: EventsRoutes.evaluation(id, query: ["notice": "report_filed"]))
    }

    // MARK: The yearly record

    static let sortKeys = ["starts", "title", "score", "evaluations", "attendance"]

    func record(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve) else { throw PlatformError.forbidden }
        let orgID = try req.uuidParameter()
        guard let root = actor.scope.rootPath, let organization = try await Organization.find(orgID, on: req.db),
            organization.path.hasPrefix(root)
        else { throw PlatformError.notFound }
        let now = req.platform.clock()
        let thisYear = Calendar.china.component(.year, from: now)
        let params = try ListParameters(request: req, path: EventsRoutes.record(orgID), pageSize: 50, keys: ["year", "kind", "level"])
        var year = thisYear
        if let raw = params["year"] { year = try BoundedNumber.integer(raw, field: "year", in: 2000...2100) }
        if let sort = params["sort"], !Self.sortKeys.contains(sort) {
            throw PlatformError.invalidInput(field: "sort", message: "未知的排序字段")
        }
        let all = try await service(req).record(organization, year: year)
        let kind = params["kind"].flatMap(Event.Kind.init(rawValue:))
        let level = params["level"].flatMap(Event.Level.init(rawValue:))
        var rows = all.filter { (kind == nil || $0.kind == kind) && (level == nil || $0.level == level) }
        if let q = params.search { rows = rows.filter { $0.title.contains(q) } }
        let descending = params.descending
        func ordered(_ a: Double?, _ b: Double?) -> Bool { (a ?? -1) < (b ?? -1) }
        switch params["sort"] ?? "starts" {
        case "title": rows.sort { $0.title < $1.title }
        case "score": rows.sort { ordered($0.score, $1.score) }
        case "evaluations": rows.sort { $0.evaluations < $1.evaluations }
        case "attendance": rows.sort { ($0.attendance ?? -1) < ($1.attendance ?? -1) }
        default: break
        }
        if descending { rows.reverse() }
        if let format = req.exportFormat {
            return try await TableExport(
                fileName: "\(organization.name)-\(year)年度活动记录",
                headers: [
                    "活动", "类型", "级别", "主办单位", "开始时间", "名额", "已确认", "实到人数", "评价份数", "内容均分", "组织均分", "报告人均分", "决策建议", "论文", "签约对接",
                    "质量分",
                ],
                rows: rows.map { r in
                    [
                        r.title, r.kind.label, r.level.label, r.organizer, ChineseDate.dateTime(r.startsAt),
                        r.capacity.map(String.init) ?? "不限",
                        String(r.confirmed), r.attendance.map(String.init) ?? "", String(r.evaluations),
                        EvaluationService.format(r.content),
                        EvaluationService.format(r.organization), EvaluationService.format(r.speakers), String(r.advice), String(r.papers),
                        String(r.dockings), r.score.map { String(format: "%.1f", $0) } ?? "",
                    ]
                }
            ).response(format, for: req)
        }
        let scored = rows.compactMap(\.score)
        let evaluated = rows.filter { $0.content != nil }
        let summary = RecordPage.Summary(
            events: rows.count, participants: rows.reduce(0) { $0 + ($1.attendance ?? 0) },
            evaluations: rows.reduce(0) { $0 + $1.evaluations },
            averageScore: scored.isEmpty ? nil : scored.reduce(0, +) / Double(scored.count),
            averageContent: evaluated.isEmpty ? nil : evaluated.reduce(0) { $0 + ($1.content ?? 0) } / Double(evaluated.count),
            advice: rows.reduce(0) { $0 + $1.advice }, papers: rows.reduce(0) { $0 + $1.papers },
            dockings: rows.reduce(0) { $0 + $1.dockings },
            byLevel: Event.Level.allCases.map { l in RecordPage.Count(label: l.label, count: rows.filter { $0.level == l }.count) }
                .filter { $0.count > 0 },
            byKind: Event.Kind.allCases.map { k in RecordPage.Count(label: k.label, count: rows.filter { $0.kind == k }.count) }
                .filter { $0.count > 0 })
        let pageRows = Array(rows.dropFirst(params.offset).prefix(params.pageSize))
        let headers = [
            params.sortLink("title", label: "活动"), params.sortLink("starts", label: "开始时间"), params.sortLink("attendance", label: "实到人数"),
            params.sortLink("evaluations", label: "评价份数"), params.sortLink("score", label: "质量分"),
        ]
        let page = RecordPage(
            shell: await PageShell.build(for: req, title: "年度活动记录"), organization: organization.name, year: year,
            years: Array((thisYear - 5)...(thisYear + 1)).reversed().map {
                SelectOption(value: String($0), label: "\($0) 年", selected: $0 == year)
            },
            kinds: EventDisplay.options(Event.Kind.allCases, selected: params["kind"], blank: "全部类型") { $0.label },
            levels: EventDisplay.options(Event.Level.allCases, selected: params["level"], blank: "全部级别") { $0.label },
            list: params.chrome(total: rows.count, headers: headers), summary: summary,
            rows: pageRows.map { r in
                RecordPage.Row(
                    id: r.id.uuidString, title: r.title, link: EventsRoutes.evaluation(r.id), kind: r.kind.label, level: r.level.label,
                    organizer: r.organizer, starts: ChineseDate.dateTime(r.startsAt), attendance: r.attendance.map(String.init) ?? "—",
                    evaluations: r.evaluations, content: EvaluationService.format(r.content),
                    organization: EvaluationService.format(r.organization), outputs: "\(r.advice) / \(r.papers) / \(r.dockings)",
                    score: r.score.map { String(format: "%.1f", $0) } ?? "—", reported: r.reported)
            })
        return try await page.render(req)
    }
}

/// What the event page shows after the event: the participant's 评价本活动, the staff's results link
/// and quality score.
struct EventEvaluationBox: Sendable {
    let evaluateLink: String?
    let evaluateLabel: String
    let resultsLink: String?
    let reportLink: String?
    let score: Double?

    /// Nil when there is nothing to show (before the end, visitors, people without a registration).
    static func build(_ req: Request, event: Event, actor: Actor?, organizes: Bool) async throws -> EventEvaluationBox? {
        guard let actor else { return nil }
        let now = req.platform.clock()
        guard EvaluationService.isOver(event, now: now) else { return nil }
        let service = EvaluationService(db: req.db, services: req.platform)
        let id = try event.requireID()
        var evaluateLink: String?
        var label = "评价本活动"
        if let registration = try await service.registration(of: id, actor: actor) {
            evaluateLink = EventsRoutes.evaluate(id)
            if try await service.own(registration) != nil { label = "我的评价" }
        }
        var resultsLink: String?
        var score: Double?
        if actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve),
            (try? await service.resultsEvent(id, actor: actor)) != nil
        {
            resultsLink = EventsRoutes.evaluation(id)
            score = try await service.score(event)
        }
        guard evaluateLink != nil || resultsLink != nil else { return nil }
        return EventEvaluationBox(
            evaluateLink: evaluateLink, evaluateLabel: label, resultsLink: resultsLink,
            reportLink: organizes ? EventsRoutes.report(id) : nil,
            score: score)
    }

    func write(_ h: inout HTML) {
        h.el(.div, .class("event-links event-evaluation"), .id("event-evaluation")) { h in
            if let evaluateLink { h.el(.a, .class("button primary"), .href(evaluateLink), .id("evaluate-link"), text: evaluateLabel) }
            if let resultsLink { h.el(.a, .class("button"), .href(resultsLink), .id("evaluation-link"), raw: "评价结果") }
            if let reportLink { h.el(.a, .class("button"), .href(reportLink), .id("report-link"), raw: "活动总结") }
            if resultsLink != nil {
                h.el(
                    .span, .class("badge quality-score"), .id("quality-score"),
                    .attr("data-score", score.map { String(format: "%.1f", $0) }),
                    text: "质量分 " + (score.map { String(format: "%.1f", $0) } ?? "—"))
            }
        }
    }
}
