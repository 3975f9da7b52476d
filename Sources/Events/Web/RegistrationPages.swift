import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// The registration form (the person or a visitor), one registration's page (owner or staff), the
/// staff's list of an event's registrations with moderation, registering on someone's behalf and the
/// invitation list, and 我的活动.
struct RegistrationController: Sendable {
    /// Largest invitation list accepted.
    static let maxUploadBytes = 5 * 1_048_576

    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(EventsRoutes.register, use: form)
        publicWeb.post(EventsRoutes.register, use: submit).limitBody(BodyLimits.small)
        web.get(EventsRoutes.registration, use: show)
        web.get(EventsRoutes.registrationQR, use: qr)
        web.post(EventsRoutes.cancelRegistration, use: cancel).limitBody(BodyLimits.small)
        web.post(EventsRoutes.decideRegistration, use: decide).limitBody(BodyLimits.small)
        web.get(EventsRoutes.eventRegistrations, use: list)
        web.post(EventsRoutes.eventRegistrations, use: registerOnBehalf).limitBody(BodyLimits.small)
        web.upload(.POST, EventsRoutes.invitations, maxBytes: Self.maxUploadBytes + 64 * 1024, use: importList)
        web.get(EventsRoutes.invitationTemplate, use: template)
        web.get(EventsRoutes.myEvents, use: mine)
    }

    private func service(_ req: Request) -> RegistrationService { RegistrationService(db: req.db, services: req.platform) }

    struct FormValues: Content, Sendable {
        var name: String?
        var phone: String?
        var unit: String?
        var consent: String?
    }

    // MARK: Registering

    func form(_ req: Request) async throws -> Response {
        let event = try await service(req).publishedEvent(try req.uuidParameter())
        return try await formPage(req, event: event, values: .init(), errors: [:], refusal: nil)
    }

    /// The event's own questions as a form view: the posted answers kept, their errors (`answers.KEY`
    /// among the registration's field errors) beside each field.
    private func questions(_ req: Request, event: Event, posted: [String: [String]], errors: [String: String]) async throws -> FormView? {
        guard let form = try await service(req).registrationForm(event) else { return nil }
        let prefix = RegistrationService.answerKey("")
        let problems = form.definition.fields.compactMap { field in
            errors[prefix + field.key].map { FormFieldError(key: field.key, message: $0) }
        }
        return FormView(definition: form.definition, values: posted, errors: problems)
    }

    func formPage(
        _ req: Request, event: Event, values: FormValues, errors: [String: String], refusal: String?, status: HTTPResponseStatus = .ok,
        posted: [String: [String]] = [:]
    ) async throws -> Response {
        let actor = req.optionalActor
        let id = try event.requireID()
        var existing: EventRegistration?
        if let actor {
            existing = try await EventRegistration.query(on: req.db).filter(\.$eventID == id).filter(\.$userID == actor.userID)
                .filter(\.$status ~~ RegistrationService.live).first()
        }
        var person: Person?
        if let actor { person = try await Person.query(on: req.db).filter(\.$userID == actor.userID).first() }
        let now = req.platform.clock()
        let page = RegisterFormPage(
            shell: await PageShell.build(for: req, title: "活动报名"), eventTitle: event.title, eventLink: EventsRoutes.event(id),
            when: ChineseDate.dateTime(event.startsAt) + " 至 " + ChineseDate.dateTime(event.endsAt), venue: event.venue,
            places: Self.places(event), audience: event.audience.label, action: EventsRoutes.register(id), visitor: actor == nil,
            accountName: person?.name ?? actor?.displayName ?? "", accountUnit: person?.employer ?? "",
            closedReason: Self.closedReason(event, visitor: actor == nil, now: now),
            existingLink: try existing.map { EventsRoutes.registration(try $0.requireID()) }, loginLink: "/login",
            values: values, errors: errors.filter { !$0.key.hasPrefix(RegistrationService.answerKey("")) }, refusal: refusal,
            questions: try await questions(req, event: event, posted: posted, errors: errors))
        return try await page.render(req, status: status)
    }

    static func places(_ event: Event) -> String {
        guard let capacity = event.capacity else { return "不限名额" }
        let left = max(capacity - event.confirmedCount, 0)
        return "名额 \(capacity) 人，剩余 \(left) 人" + (left == 0 ? (event.waitlist ? "（可候补）" : "（已满）") : "")
    }

    /// Why the form is not offered (the POST refuses the same way).
    static func closedReason(_ event: Event, visitor: Bool, now: Date) -> String? {
        if let opens = event.registrationOpensAt, now < opens { return "报名将于 \(ChineseDate.dateTime(opens)) 开始" }
        if let closes = event.registrationClosesAt, now > closes { return "报名已于 \(ChineseDate.dateTime(closes)) 截止" }
        if event.registrationClosesAt == nil, now >= event.startsAt { return "活动已开始，报名已截止" }
        if visitor, event.audience != .public { return EventsError.loginRequired.message }
        if let capacity = event.capacity, event.confirmedCount >= capacity, !event.waitlist { return EventsError.eventFull.message }
        return nil
    }

    func submit(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        let service = service(req)
        let event = try await service.publishedEvent(id)
        let values = (try? req.content.decode(FormValues.self)) ?? .init()
        let posted = PostedForm.values(req)
        let actor = req.optionalActor
        let input = RegistrationService.Input(name: values.name, phone: values.phone, unit: values.unit, consent: values.consent == "yes")
        do {
            if actor == nil { try RegistrationsAPIController.limitVisitor(req, phone: values.phone) }
            let registration = try await service.register(
                eventID: id, input: input, mode: actor == nil ? .visitor : .own, actor: actor, answers: posted)
            if actor != nil {
                return req.redirect(to: EventsRoutes.registration(try registration.requireID(), query: ["notice": "registration_created"]))
            }
            return try await confirmation(req, registration, event: event)
        } catch let invalid as InvalidFields {
            return try await formPage(
                req, event: event, values: values, errors: invalid.invalid.messages, refusal: nil, status: .unprocessableEntity,
                posted: posted)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await formPage(
                req, event: event, values: values, errors: [field ?? "name": message], refusal: nil, status: .unprocessableEntity,
                posted: posted)
        } catch let error as EventsError {
            return try await formPage(
                req, event: event, values: values, errors: [:], refusal: error.message, status: error.errorCode.status, posted: posted)
        } catch PlatformError.rateLimited {
            return try await formPage(
                req, event: event, values: values, errors: [:], refusal: "提交过于频繁，请稍后再试", status: .tooManyRequests,
                posted: posted)
        }
    }

    /// A visitor's confirmation: the code and its QR code inline (a visitor has no page to come back to).
    private func confirmation(_ req: Request, _ registration: EventRegistration, event: Event) async throws -> Response {
        let svg = try RegistrationsAPIController.qrSVG(registration)
        let position = try await service(req).position(of: registration)
        let page = RegistrationConfirmedPage(
            shell: await PageShell.build(for: req, title: "报名成功"), eventTitle: event.title,
            eventLink: EventsRoutes.event(try event.requireID()),
            name: registration.name, status: registration.status.rawValue, statusLabel: registration.status.label, position: position,
            code: Self.displayCode(registration.code), qrSource: "data:image/svg+xml;base64," + Data(svg.utf8).base64EncodedString())
        return try await page.render(req, status: .created)
    }

    static func displayCode(_ code: String) -> String { CheckInCode.parse(code)?.description ?? code }

    // MARK: One registration

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let (registration, event, staff) = try await service.visible(try req.uuidParameter(), actor: actor)
        let id = try registration.requireID()
        let now = req.platform.clock()
        let cutOff = event.cancelUntil ?? event.startsAt
        let live = RegistrationService.live.contains(registration.status)
        let page = RegistrationPage(
            shell: await PageShell.build(for: req, title: "报名详情"), eventTitle: event.title,
            eventLink: EventsRoutes.event(try event.requireID()), when: ChineseDate.dateTime(event.startsAt), venue: event.venue,
            name: registration.name, unit: registration.unit, channel: registration.channel.label, status: registration.status.rawValue,
            statusLabel: registration.status.label, position: try await service.position(of: registration),
            code: Self.displayCode(registration.code), qrLink: EventsRoutes.registrationQR(id),
            registeredAt: ChineseDate.dateTime(registration.createdAt), cutOff: ChineseDate.dateTime(cutOff),
            cancelAction: live && (staff || now <= cutOff) ? EventsRoutes.cancelRegistration(id) : nil,
            decideAction: staff && registration.status == .pending ? EventsRoutes.decideRegistration(id) : nil,
            listLink: staff ? EventsRoutes.eventRegistrations(try event.requireID()) : EventsRoutes.myEvents(),
            answers: try await service.answers(registration, event: event))
        return try await page.render(req)
    }

    func qr(_ req: Request) async throws -> Response {
        let (registration, _, _) = try await service(req).visible(try req.uuidParameter(), actor: try req.actor)
        return try RegistrationsAPIController.qrResponse(registration)
    }

    func cancel(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        do {
            _ = try await service(req).cancel(id, actor: try req.actor)
        } catch let error as EventsError {
            return req.redirect(to: EventsRoutes.registration(id, query: ["notice": "registration_" + error.errorCode.rawValue]))
        }
        return req.redirect(to: EventsRoutes.registration(id, query: ["notice": "registration_cancelled"]))
    }

    func decide(_ req: Request) async throws -> Response {
        struct Form: Content { var decision: String? }
        let id = try req.uuidParameter()
        let decision = (try? req.content.decode(Form.self))?.decision
        guard decision == "approve" || decision == "reject" else {
            throw PlatformError.invalidInput(field: "decision", message: "请选择通过或不通过")
        }
        do {
            _ = try await service(req).decide(id, approve: decision == "approve", actor: try req.actor)
        } catch let error as EventsError {
            return req.redirect(to: EventsRoutes.registration(id, query: ["notice": "registration_" + error.errorCode.rawValue]))
        }
        return req.redirect(to: EventsRoutes.registration(id, query: ["notice": "registration_decided"]))
    }

    // MARK: Staff list

    func list(_ req: Request) async throws -> Response {
        try await listPage(req, values: .init(), errors: [:], importErrors: [:])
    }

    private func listPage(
        _ req: Request, values: FormValues, errors: [String: String], importErrors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let event = try await service.managedEvent(try req.uuidParameter(), actor: actor)
        let eventID = try event.requireID()
        let params = try ListParameters(
            request: req, path: EventsRoutes.eventRegistrations(eventID), pageSize: 50, keys: ["status", "channel"])
        let filter = RegistrationService.Filter(
            status: params["status"].flatMap(EventRegistration.Status.init(rawValue:)),
            channel: params["channel"].flatMap(EventRegistration.Channel.init(rawValue:)), search: params.search)
        let query = service.query(event: eventID, filter)
        switch params["sort"] {
        case "name": query.sort(\.$name, params.descending ? .descending : .ascending).sort(\.$sequence)
        case "status": query.sort(\.$status, params.descending ? .descending : .ascending).sort(\.$sequence)
        default: query.sort(\.$sequence, params.descending ? .descending : .ascending)
        }
        if let format = req.exportFormat { return try await Self.export(try await query.all(), event: event, service, format, req) }
        let total = try await query.count()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let positions = try await service.positions(of: rows)
        let invited = try await EventInvitation.query(on: req.db).filter(\.$eventID == eventID).count()
        let page = RegistrationListPage(
            shell: await PageShell.build(for: req, title: "报名名单"), eventTitle: event.title, eventLink: EventsRoutes.event(eventID),
            places: Self.places(event), confirmed: event.confirmedCount,
            list: params.chrome(
                total: total,
                headers: [
                    params.sortLink("sequence", label: "序号"), params.sortLink("name", label: "姓名"), params.sortLink("status", label: "状态"),
                ]),
            statuses: [SelectOption(value: "", label: "全部状态", selected: filter.status == nil)]
                + EventRegistration.Status.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: filter.status == $0) },
            channels: [SelectOption(value: "", label: "全部渠道", selected: filter.channel == nil)]
                + EventRegistration.Channel.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: filter.channel == $0)
                },
            rows: try rows.map { r in
                let id = try r.requireID()
                return RegistrationListPage.Row(
                    id: id.uuidString, link: EventsRoutes.registration(id), sequence: r.sequence, name: r.name, unit: r.unit,
                    phone: Masking.phone(service.phone(r)), channel: r.channel.label, status: r.status.rawValue,
                    statusLabel: r.status.label,
                    position: positions[id], code: Self.displayCode(r.code), registeredAt: ChineseDate.dateTime(r.createdAt),
                    decideAction: r.status == .pending ? EventsRoutes.decideRegistration(id) : nil)
            },
            onBehalfAction: EventsRoutes.eventRegistrations(eventID), values: values, errors: errors,
            importAction: EventsRoutes.invitations(eventID), templateLink: EventsRoutes.invitationTemplate(eventID), invited: invited,
            importErrors: importErrors)
        return try await page.render(req, status: status)
    }

    static func export(
        _ rows: [EventRegistration], event: Event, _ service: RegistrationService, _ format: TableExport.Format, _ req: Request
    ) async throws -> Response {
        let positions = try await service.positions(of: rows)
        return try await TableExport(
            fileName: "\(event.title)报名名单", headers: ["序号", "姓名", "单位", "手机", "渠道", "状态", "候补位次", "签到码", "报名时间"],
            rows: rows.map { r in
                [
                    String(r.sequence), r.name, r.unit, service.phone(r), r.channel.label, r.status.label,
                    r.id.flatMap { positions[$0] }.map(String.init) ?? "", displayCode(r.code), ChineseDate.dateTime(r.createdAt),
                ]
            }
        ).response(format, for: req)
    }

    func registerOnBehalf(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let values = (try? req.content.decode(FormValues.self)) ?? .init()
        let input = RegistrationService.Input(name: values.name, phone: values.phone, unit: values.unit, consent: values.consent == "yes")
        do {
            let registration = try await service(req).register(eventID: id, input: input, mode: .onBehalf, actor: actor)
            return req.redirect(to: EventsRoutes.registration(try registration.requireID(), query: ["notice": "registration_created"]))
        } catch let invalid as InvalidFields {
            return try await listPage(
                req, values: values, errors: invalid.invalid.messages, importErrors: [:], status: .unprocessableEntity)
        } catch let error as EventsError {
            return try await listPage(
                req, values: values, errors: ["name": error.message], importErrors: [:], status: error.errorCode.status)
        }
    }

    func importList(_ req: Request) async throws -> Response {
        struct Form: Content { var file: File? }
        let actor = try req.actor
        let id = try req.uuidParameter()
        _ = try await service(req).managedEvent(id, actor: actor)
        guard let file = (try? req.content.decode(Form.self))?.file, file.data.readableBytes > 0 else {
            return try await listPage(
                req, values: .init(), errors: [:], importErrors: ["file": "请选择邀请名单文件（.xlsx）"], status: .unprocessableEntity)
        }
        do {
            let rows = try RegistrationService.parseInvitations(Data(buffer: file.data))
            let added = try await service(req).importInvitations(rows, eventID: id, actor: actor)
            return req.redirect(to: EventsRoutes.eventRegistrations(id, query: ["notice": "invitations_imported", "added": String(added)]))
        } catch PlatformError.invalidInput(_, let message) {
            return try await listPage(req, values: .init(), errors: [:], importErrors: ["file": message], status: .unprocessableEntity)
        }
    }

    func template(_ req: Request) async throws -> Response {
        _ = try await service(req).managedEvent(try req.uuidParameter(), actor: try req.actor)
        let data = try XLSXWriter().write([
            SpreadsheetSheet(name: "邀请名单", header: ["姓名", "手机", "单位"], rows: [["张三", "13800000000", "云海大学"]])
        ])
        return .download(
            data, fileName: "邀请名单模板.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    // MARK: 我的活动

    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let paging = try req.paging(defaultPer: 50, maxPer: 200)
        let registrations = try await EventRegistration.query(on: req.db).filter(\.$userID == actor.userID)
            .join(Event.self, on: \EventRegistration.$eventID == \Event.$id).sort(Event.self, \.$startsAt, .descending)
            .range(((paging.page - 1) * paging.per)..<(paging.page * paging.per)).all()
        let positions = try await service.positions(of: registrations)
        let now = req.platform.clock()
        let page = MyEventsPage(
            shell: await PageShell.build(for: req, title: "我的活动"),
            rows: try registrations.map { r in
                let event = try r.joined(Event.self)
                let id = try r.requireID()
                return MyEventsPage.Row(
                    id: id.uuidString, link: EventsRoutes.registration(id), eventTitle: event.title,
                    eventLink: EventsRoutes.event(try event.requireID()), when: ChineseDate.dateTime(event.startsAt), venue: event.venue,
                    status: r.status.rawValue, statusLabel: r.status.label, position: positions[id], code: Self.displayCode(r.code),
                    evaluateLink: r.status == .confirmed && EvaluationService.isOver(event, now: now)
                        ? EventsRoutes.evaluate(try event.requireID()) : nil)
            })
        return try await page.render(req)
    }
}
