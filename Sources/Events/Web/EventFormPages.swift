import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// The event form: new (保存草稿 or 提交审核) and editing, with rows of sessions and speakers. More rows
/// come without script: 增加一行 posts the form back and it returns with one more empty row.
struct EventFormController {
    func register(_ web: any RoutesBuilder) {
        web.get(EventsRoutes.newEvent, use: newForm)
        web.post(EventsRoutes.home, use: create).limitBody(Self.bodyLimit)
        web.get(EventsRoutes.editEvent, use: editForm)
        web.post(EventsRoutes.event, use: update).limitBody(Self.bodyLimit)
    }

    /// 30 sessions and 60 speakers of long text fit well inside.
    static let bodyLimit = 128 * 1024

    static let textKeys = [
        "title", "summary", "kind", "level", "field", "organization", "startsAt", "endsAt", "venue", "onlineLink", "capacity", "waitlist",
        "moderated", "registrationOpensAt", "registrationClosesAt", "cancelUntil", "feeNote", "audience", "society1", "society2",
        "society3",
        "coOrganizer1", "coOrganizer2", "coOrganizer3", "intent", "sessionRows", "speakerRows", "form",
    ]

    static func sessionKeys(_ i: Int) -> [String] { ["title", "startsAt", "endsAt", "room"].map { "session-\(i)-\($0)" } }
    static func speakerKeys(_ i: Int) -> [String] { ["name", "affiliation", "topic", "personID"].map { "speaker-\(i)-\($0)" } }

    /// The rows the form had (bounded), plus one when 增加一行 was pressed.
    static func rows(_ fields: [String: String], _ key: String, max: Int) -> Int {
        min(max, Swift.max(1, Int(fields[key] ?? "") ?? 1))
    }

    static func read(_ req: Request) -> [String: String] {
        var fields = EventFormFields.read(req, keys: textKeys)
        let sessions = rows(fields, "sessionRows", max: EventService.maxSessions)
        let speakers = rows(fields, "speakerRows", max: EventService.maxSpeakers)
        let dynamic = (1...sessions).flatMap(sessionKeys) + (1...speakers).flatMap(speakerKeys)
        fields.merge(EventFormFields.read(req, keys: dynamic)) { a, _ in a }
        return fields
    }

    static func input(_ fields: [String: String]) -> EventService.Input {
        var input = EventService.Input()
        input.title = fields["title"] ?? ""
        input.summary = fields["summary"] ?? ""
        input.kind = fields["kind"] ?? ""
        input.level = fields["level"] ?? ""
        input.field = fields["field"] ?? ""
        input.organization = fields["organization"] ?? ""
        input.startsAt = fields["startsAt"] ?? ""
        input.endsAt = fields["endsAt"] ?? ""
        input.venue = fields["venue"] ?? ""
        input.onlineLink = fields["onlineLink"] ?? ""
        input.capacity = fields["capacity"] ?? ""
        input.waitlist = fields["waitlist"] != nil
        input.moderated = fields["moderated"] != nil
        input.registrationOpensAt = fields["registrationOpensAt"] ?? ""
        input.registrationClosesAt = fields["registrationClosesAt"] ?? ""
        input.cancelUntil = fields["cancelUntil"] ?? ""
        input.feeNote = fields["feeNote"] ?? ""
        input.audience = fields["audience"] ?? ""
        input.form = fields["form"] ?? ""
        input.societies = (1...3).compactMap { fields["society\($0)"] }
        input.coOrganizers = (1...3).compactMap { fields["coOrganizer\($0)"] }
        let sessions = rows(fields, "sessionRows", max: EventService.maxSessions)
        input.sessions = (1...sessions).map { i in
            EventService.SessionInput(
                title: fields["session-\(i)-title"] ?? "", startsAt: fields["session-\(i)-startsAt"] ?? "",
                endsAt: fields["session-\(i)-endsAt"] ?? "", room: fields["session-\(i)-room"] ?? "")
        }
        let speakers = rows(fields, "speakerRows", max: EventService.maxSpeakers)
        input.speakers = (1...speakers).map { i in
            EventService.SpeakerInput(
                name: fields["speaker-\(i)-name"] ?? "", affiliation: fields["speaker-\(i)-affiliation"] ?? "",
                topic: fields["speaker-\(i)-topic"] ?? "", personID: fields["speaker-\(i)-personID"] ?? "")
        }
        return input
    }

    /// The form's values of a stored event.
    static func values(_ event: Event, _ parts: EventService.Parts) -> [String: String] {
        var values: [String: String] = [
            "title": event.title, "summary": event.summary, "kind": event.kind.rawValue, "level": event.level.rawValue,
            "field": event.field ?? "", "startsAt": EventService.formTime(event.startsAt), "endsAt": EventService.formTime(event.endsAt),
            "venue": event.venue, "onlineLink": event.onlineLink ?? "", "capacity": event.capacity.map(String.init) ?? "",
            "registrationOpensAt": EventService.formTime(event.registrationOpensAt),
            "registrationClosesAt": EventService.formTime(event.registrationClosesAt),
            "cancelUntil": EventService.formTime(event.cancelUntil),
            "feeNote": event.feeNote, "audience": event.audience.rawValue, "form": event.formID?.uuidString ?? "",
            "sessionRows": String(max(1, parts.sessions.count + 1)), "speakerRows": String(max(1, parts.speakers.count + 1)),
        ]
        if event.waitlist { values["waitlist"] = "on" }
        if event.moderated { values["moderated"] = "on" }
        for (i, org) in parts.societies.prefix(3).enumerated() { values["society\(i + 1)"] = org.id?.uuidString }
        for (i, org) in parts.coOrganizers.prefix(3).enumerated() { values["coOrganizer\(i + 1)"] = org.id?.uuidString }
        values["organization"] = event.organizationID.uuidString
        for (i, s) in parts.sessions.enumerated() {
            values["session-\(i + 1)-title"] = s.title
            values["session-\(i + 1)-startsAt"] = EventService.formTime(s.startsAt)
            values["session-\(i + 1)-endsAt"] = EventService.formTime(s.endsAt)
            values["session-\(i + 1)-room"] = s.room
        }
        for (i, s) in parts.speakers.enumerated() {
            values["speaker-\(i + 1)-name"] = s.name
            values["speaker-\(i + 1)-affiliation"] = s.affiliation
            values["speaker-\(i + 1)-topic"] = s.topic
            values["speaker-\(i + 1)-personID"] = s.personID?.uuidString ?? ""
        }
        return values
    }

    private func render(
        _ req: Request, actor: Actor, action: String, cancel: String, values: [String: String], errors: [String: String],
        logisticsOnly: Bool = false, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let editing = action != EventsRoutes.home()
        func picker(_ key: String, set: OrganizationChoiceSet) async throws -> OrganizationPickerValue {
            let sent = values[key] ?? ""
            if sent.isEmpty { return .empty(set) }
            if let id = UUID(uuidString: sent), let choice = try await OrganizationLookup(db: req.db).choice(id) {
                return OrganizationPickerValue(set: set, id: choice.id.uuidString, text: choice.path)
            }
            return try await actor.organizationPicker(sent: sent, set: set, on: req.db)
        }
        var pickers: [String: OrganizationPickerValue] = [:]
        pickers["organization"] =
            (values["organization"] ?? "").isEmpty
            ? try await actor.organizationPicker(selected: nil, on: req.db) : try await picker("organization", set: .subtree)
        for i in 1...3 {
            pickers["society\(i)"] = try await picker("society\(i)", set: .societies)
            pickers["coOrganizer\(i)"] = try await picker("coOrganizer\(i)", set: .subtree)
        }
        return try await EventFormPage(
            shell: await PageShell.build(for: req, title: editing ? "修改活动" : "新建活动"), heading: editing ? "修改活动" : "新建活动",
            action: action, cancelLink: cancel, values: values, errors: errors,
            kinds: EventDisplay.options(Event.Kind.allCases, selected: values["kind"], blank: "请选择") { $0.label },
            levels: EventDisplay.options(Event.Level.allCases, selected: values["level"], blank: "请选择") { $0.label },
            audiences: Event.Audience.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: (values["audience"] ?? "public") == $0.rawValue)
            },
            forms: [SelectOption(value: "", label: "不需要（只填姓名、手机和单位）", selected: (values["form"] ?? "").isEmpty)]
                + (try await service(req).registrationForms(actor: actor)).map { form in
                    SelectOption(value: form.id?.uuidString ?? "", label: form.title, selected: values["form"] == form.id?.uuidString)
                },
            pickers: pickers, sessionRows: Self.rows(values, "sessionRows", max: EventService.maxSessions),
            speakerRows: Self.rows(values, "speakerRows", max: EventService.maxSpeakers), logisticsOnly: logisticsOnly
        ).render(req, status: status)
    }

    private func service(_ req: Request) -> EventService { EventService(db: req.db, services: req.platform) }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve) else { throw EventsError.notOrganizer }
        return try await render(
            req, actor: actor, action: EventsRoutes.home(), cancel: EventsRoutes.manage(),
            values: ["audience": "public", "sessionRows": "2", "speakerRows": "2"], errors: [:])
    }

    /// 增加一行 re-shows the form with one more row; 保存草稿 / 提交审核 save (and submit).
    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve) else { throw EventsError.notOrganizer }
        var fields = Self.read(req)
        if let grown = Self.grow(&fields) {
            return try await render(
                req, actor: actor, action: EventsRoutes.home(), cancel: EventsRoutes.manage(), values: grown, errors: [:])
        }
        let event: Event
        do {
            event = try await service(req).create(Self.input(fields), actor: actor)
        } catch let invalid as InvalidFields {
            return try await render(
                req, actor: actor, action: EventsRoutes.home(), cancel: EventsRoutes.manage(), values: fields,
                errors: invalid.invalid.messages,
                status: .unprocessableEntity)
        }
        return try await submitIfAsked(req, event, fields: fields, actor: actor, saved: "event_saved")
    }

    /// Adds a row when asked; answers the values to show again, or nil to go on saving.
    static func grow(_ fields: inout [String: String]) -> [String: String]? {
        switch fields["intent"] {
        case "add_session":
            fields["sessionRows"] = String(min(EventService.maxSessions, rows(fields, "sessionRows", max: EventService.maxSessions) + 1))
            return fields
        case "add_speaker":
            fields["speakerRows"] = String(min(EventService.maxSpeakers, rows(fields, "speakerRows", max: EventService.maxSpeakers) + 1))
            return fields
        default: return nil
        }
    }

    func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (event, logistics) = try await editable(req, actor: actor)
        let id = try event.requireID()
        let parts = try await service(req).parts(of: event)
        return try await render(
            req, actor: actor, action: EventsRoutes.event(id), cancel: EventsRoutes.event(id), values: Self.values(event, parts),
            errors: [:],
            logisticsOnly: logistics)
    }

    func update(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let (event, logistics) = try await editable(req, actor: actor)
        let id = try event.requireID()
        var fields = Self.read(req)
        if let grown = Self.grow(&fields) {
            return try await render(
                req, actor: actor, action: EventsRoutes.event(id), cancel: EventsRoutes.event(id), values: grown, errors: [:],
                logisticsOnly: logistics)
        }
        let updated: Event
        do {
            updated = try await service(req).update(id, Self.input(fields), actor: actor)
        } catch let invalid as InvalidFields {
            return try await render(
                req, actor: actor, action: EventsRoutes.event(id), cancel: EventsRoutes.event(id), values: fields,
                errors: invalid.invalid.messages, logisticsOnly: logistics, status: .unprocessableEntity)
        }
        return try await submitIfAsked(req, updated, fields: fields, actor: actor, saved: "event_updated")
    }

    /// Drafts for their organizer's staff and administrator; published events (logistics) for the administrator.
    private func editable(_ req: Request, actor: Actor) async throws -> (Event, logisticsOnly: Bool) {
        let service = service(req)
        let event = try await service.visible(try req.uuidParameter(), actor: actor)
        let organizes = try await service.organizes(event, actor: actor)
        let approves = try await service.approves(event, actor: actor)
        guard organizes || approves else { throw EventsError.notOrganizer }
        switch event.state {
        case .draft: return (event, false)
        case .published where approves: return (event, true)
        default: throw EventsError.eventNotEditable
        }
    }

    private func submitIfAsked(_ req: Request, _ event: Event, fields: [String: String], actor: Actor, saved: String) async throws
        -> Response
    {
        let id = try event.requireID()
        guard fields["intent"] == "submit", event.state == .draft else {
            return req.redirect(to: EventsRoutes.event(id, query: ["notice": saved]))
        }
        do {
            try await service(req).perform(.submit, on: id, comment: nil, actor: actor)
        } catch let error as any KexieError where error.isFormRefusal {
            return try await EventController().page(req, id: id, errors: ["action": error.message], status: error.status)
        }
        return req.redirect(to: EventsRoutes.event(id, query: ["notice": "event_submit"]))
    }
}

struct EventFormPage: Sendable {
    let shell: PageShell
    let heading: String
    let action: String
    let cancelLink: String
    let values: [String: String]
    let errors: [String: String]
    let kinds: [SelectOption]
    let levels: [SelectOption]
    let audiences: [SelectOption]
    /// The registration forms staff may attach, the chosen one selected.
    let forms: [SelectOption]
    let pickers: [String: OrganizationPickerValue]
    let sessionRows: Int
    let speakerRows: Int
    let logisticsOnly: Bool

    /// Labels for the error summary, sessions and speakers included.
    var labels: [String: String] {
        var labels = EventService.labels
        for i in 1...max(sessionRows, 1) {
            for (key, name) in [("title", "名称"), ("startsAt", "开始时间"), ("endsAt", "结束时间"), ("room", "会场")] {
                labels["session-\(i)-\(key)"] = "第 \(i) 项日程\(name)"
            }
        }
        for i in 1...max(speakerRows, 1) {
            for (key, name) in [("name", "姓名"), ("affiliation", "职称与单位"), ("topic", "报告题目"), ("personID", "人员编号")] {
                labels["speaker-\(i)-\(key)"] = "第 \(i) 位报告人\(name)"
            }
        }
        return labels
    }
}
