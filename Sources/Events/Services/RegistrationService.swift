import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// Registrations for an event: by the person (logged in), by a visitor for a public event, by staff on
/// someone's behalf; moderation, the waiting list and promotion, cancelling until the cut-off.
///
/// Capacity holds under concurrent sign-ups on both databases because a place is taken by one
/// conditional statement, `UPDATE events_events SET confirmed_count = confirmed_count + 1 WHERE id = ?
/// AND state = 'published' AND (capacity IS NULL OR confirmed_count < capacity) RETURNING id`: on
/// PostgreSQL the row lock makes a second writer re-check the condition after the first commits; on
/// SQLite writes are serialized. The arrival order is taken the same way (`registration_sequence + 1
/// … RETURNING`), first in the transaction, so it also serializes sign-ups per event and the duplicate
/// check after it sees every earlier registration. Partial unique indexes back the duplicate check.
struct RegistrationService: Sendable {
    let db: any Database
    let services: PlatformServices

    /// Visitors' sign-ups per client address and hour.
    static let visitorPerAddress = RatePolicy(name: "events_signup", limit: 10, window: 3600)
    /// Visitors' sign-ups per phone number (any address) and hour.
    static let visitorPerPhone = RatePolicy(name: "events_signup_phone", limit: 5, window: 3600)
    static let live: [EventRegistration.Status] = [.confirmed, .waitlisted, .pending]

    struct Input: Sendable {
        var name: String?
        var phone: String?
        var unit: String?
        var consent: Bool
    }

    enum Mode: Sendable, Equatable {
        /// The logged-in person registers themself.
        case own
        /// A visitor (no account) registers for a public event.
        case visitor
        /// Staff with `events.manage` in the organizer's scope register someone.
        case onBehalf
        /// Imported from the invitation list by staff.
        case invitation
    }

    static func phoneLookup(_ secrets: SecretBox, _ phone: String) -> String { secrets.lookupHash("phone:" + phone) }

    // MARK: Reading

    /// The event as anyone may see it for registering: published only (404 otherwise).
    func publishedEvent(_ id: UUID) async throws -> Event {
        guard let event = try await Event.find(id, on: db), event.state == .published else { throw PlatformError.notFound }
        return event
    }

    /// Whether the actor manages the event: `events.manage` and the organizer or a co-organizer in the
    /// actor's subtree.
    func manages(_ event: Event, actor: Actor?) async throws -> Bool {
        guard let actor, actor.can(EventsPermission.manage), let root = actor.scope.rootPath else { return false }
        let id = try event.requireID()
        let rows = try await db.sql().raw(
            """
            SELECT path FROM platform_organizations WHERE id = \(bind: event.organizationID)
            OR id IN (SELECT organization_id FROM events_co_organizers WHERE event_id = \(bind: id))
            """
        ).all()
        return try rows.contains { try $0.decode(column: "path", as: String.self).hasPrefix(root) }
    }

    /// The event for staff work on its registrations; 404 when out of scope or without permission.
    func managedEvent(_ id: UUID, actor: Actor) async throws -> Event {
        guard let event = try await Event.find(id, on: db), try await manages(event, actor: actor) else { throw PlatformError.notFound }
        return event
    }

    /// One registration for its owner (the account that registered) or staff managing the event; 404
    /// for anyone else, so ids reveal nothing.
    func visible(_ id: UUID, actor: Actor) async throws -> (EventRegistration, Event, staff: Bool) {
        guard let registration = try await EventRegistration.find(id, on: db),
            let event = try await Event.find(registration.eventID, on: db)
        else { throw PlatformError.notFound }
        if try await manages(event, actor: actor) { return (registration, event, true) }
        guard registration.userID == actor.userID else { throw PlatformError.notFound }
        return (registration, event, false)
    }

    /// Position on the waiting list (1 is next), nil unless waiting.
    func position(of registration: EventRegistration) async throws -> Int? {
        guard registration.status == .waitlisted else { return nil }
        let ahead = try await EventRegistration.query(on: db).filter(\.$eventID == registration.eventID)
            .filter(\.$status == .waitlisted).filter(\.$sequence < registration.sequence).count()
        return ahead + 1
    }

    /// Positions of several waiting registrations of possibly several events, in one query.
    func positions(of registrations: [EventRegistration]) async throws -> [UUID: Int] {
        let waiting = registrations.filter { $0.status == .waitlisted }
        guard !waiting.isEmpty else { return [:] }
        let events = Set(waiting.map(\.eventID))
        let all = try await EventRegistration.query(on: db).filter(\.$eventID ~~ events).filter(\.$status == .waitlisted)
            .field(\.$id).field(\.$eventID).field(\.$sequence).sort(\.$sequence).all()
        var result: [UUID: Int] = [:]
        var counter: [UUID: Int] = [:]
        for r in all {
            counter[r.eventID, default: 0] += 1
            if let id = r.id { result[id] = counter[r.eventID] }
        }
        return result
    }

    // MARK: Registering

    /// Registers and answers the registration (confirmed, waitlisted or pending). Refusals: 404 for an
    /// event the caller may not see, 422 with every field problem, 409 `events.*` for full, duplicate,
    /// closed; 403 for audience.
    func register(eventID: UUID, input: Input, mode: Mode, actor: Actor?, answers: [String: [String]] = [:]) async throws
        -> EventRegistration
    {
        let now = services.clock()
        let event: Event
        var errors = FieldErrors()
        let registration = EventRegistration()
        registration.eventID = eventID
        registration.unit = String((input.unit ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        switch mode {
        case .onBehalf, .invitation:
            guard let actor, let found = try await Event.find(eventID, on: db), try await manages(found, actor: actor) else {
                throw PlatformError.notFound
            }
            event = found
            registration.channel = mode == .invitation ? .invitation : .staff
            registration.registeredBy = actor.userID
            try fillNamed(registration, input, errors: &errors)
            if let lookup = registration.phoneLookup,
                let person = try await Person.query(on: db).filter(\.$phoneLookup == lookup).first()
            {
                registration.personID = person.id
                registration.userID = person.userID
                if registration.unit.isEmpty { registration.unit = person.employer ?? "" }
            }
        case .visitor:
            event = try await publishedEvent(eventID)
            guard event.audience == .public else { throw EventsError.loginRequired }
            registration.channel = .visitor
            try fillNamed(registration, input, errors: &errors)
        case .own:
            guard let actor else { throw PlatformError.unauthenticated }
            event = try await publishedEvent(eventID)
            registration.channel = .self
            registration.userID = actor.userID
            registration.registeredBy = actor.userID
            let person = try await Person.query(on: db).filter(\.$userID == actor.userID).first()
            registration.personID = person?.id
            registration.name = person?.name ?? actor.displayName
            if registration.unit.isEmpty { registration.unit = person?.employer ?? "" }
            if let person, !person.phoneCipher.isEmpty {
                registration.phoneCipher = person.phoneCipher
                registration.phoneLookup = person.phoneLookup
            }
        }
        // The event's own questions (a shared form): checked with the fields above, all errors at once.
        // Staff registering someone by name and phone answer the questions only when they have the
        // answers (then they are checked like anyone's); an imported invitation has none.
        let asked = mode == .own || mode == .visitor || (mode == .onBehalf && !answers.isEmpty)
        let form = asked ? try await registrationForm(event) : nil
        var formKeys: [String] = []
        if let form {
            formKeys = form.definition.fields.map { Self.answerKey($0.key) }
            if case .failure(let problems) = FormValidator(form.definition).validate(answers) {
                for problem in problems.fields { errors.add(Self.answerKey(problem.key), problem.message) }
            }
        }
        if !input.consent { errors.add("consent", mode == .visitor || mode == .own ? "请阅读并同意个人信息使用说明" : "请确认已征得本人同意") }
        if !errors.isEmpty { throw InvalidFields(errors, order: ["name", "phone", "unit"] + formKeys + ["consent"]) }
        registration.consentedAt = now
        if event.state != .published { throw EventsError.registrationNotOpen }
        if mode == .own || mode == .visitor {
            if let opens = event.registrationOpensAt, now < opens { throw EventsError.registrationClosed }
            if let closes = event.registrationClosesAt, now > closes { throw EventsError.registrationClosed }
            if now >= event.startsAt && event.registrationClosesAt == nil { throw EventsError.registrationClosed }
            if mode == .own, try await invited(event, registration) { registration.channel = .invitation }
            try await checkAudience(event, registration, now: now)
        }
        let saved = try await save(registration, event: event, moderated: event.moderated && mode != .onBehalf && mode != .invitation)
        if let form { try await storeAnswers(answers, form: form.id, registration: saved, submitter: actor?.userID) }
        return saved
    }

    /// The registration's answers to the event's form, labelled by the form's current version (a key
    /// no longer in it shows as itself), in the form's order.
    func answers(_ registration: EventRegistration, event: Event) async throws -> [(key: String, label: String, value: String)] {
        guard registration.submissionID != nil, let formID = event.formID else { return [] }
        let forms = FormService(db: db, services: services)
        guard let record = try await forms.answers(owner: FormOwner(module: EventsModule.formOwner, id: registration.id)).last,
            let form = try await PlatformForm.find(formID, on: db)
        else { return [] }
        let fields = try await forms.publishedVersion(form).definition().fields
        let known = fields.compactMap { field in
            record.answers[field.key].map { (key: field.key, label: field.label, value: $0.rawValues.joined(separator: "、")) }
        }
        let others = record.answers.keys.filter { key in !fields.contains { $0.key == key } }.sorted().map { key in
            (key: key, label: key, value: record.answers[key]?.rawValues.joined(separator: "、") ?? "")
        }
        return known + others
    }

    /// The key of a registration-form answer among the registration's own fields (`answers.KEY`), so
    /// one 422 carries both and a page can tell them apart.
    static func answerKey(_ key: String) -> String { "answers." + key }

    /// The event's registration form, when one is attached and open (its current published version).
    func registrationForm(_ event: Event) async throws -> (id: UUID, definition: FormDefinition)? {
        guard let formID = event.formID, let form = try await PlatformForm.find(formID, on: db), form.status == .published else {
            return nil
        }
        return (formID, try await FormService(db: db, services: services).publishedVersion(form).definition())
    }

    /// Stores the answers as a submission of the shared form owned by the registration. They were
    /// checked before the place was taken; a form republished in between is the only way to fail here,
    /// and then the registration stands without answers (the staff's list shows none) rather than be lost.
    private func storeAnswers(_ answers: [String: [String]], form: UUID, registration: EventRegistration, submitter: UUID?) async throws {
        let owner = FormOwner(module: EventsModule.formOwner, id: try registration.requireID())
        guard
            case .success(let submission) = try await FormService(db: db, services: services).submit(
                form, answers, owner: owner, submitter: submitter)
        else { return }
        registration.submissionID = submission
        try await registration.update(on: db)
    }

    /// Name and phone given by a visitor or by staff: both required, the phone a mainland mobile number.
    private func fillNamed(_ registration: EventRegistration, _ input: Input, errors: inout FieldErrors) throws {
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "请填写姓名") } else if name.count > 30 { errors.add("name", "姓名不超过 30 字") }
        registration.name = name
        let text = (input.phone ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            errors.add("phone", "请填写手机号码")
        } else {
            let phone: MobileNumber
            do { phone = try MobileNumber(text) } catch {
                errors.add("phone", error.message)
                return
            }
            registration.phoneCipher = try services.secrets.seal(phone.value)
            registration.phoneLookup = Self.phoneLookup(services.secrets, phone.value)
        }
    }

    /// Whether the registrant is on the event's invitation list (by person or phone).
    private func invited(_ event: Event, _ registration: EventRegistration) async throws -> Bool {
        let query = EventInvitation.query(on: db).filter(\.$eventID == (try event.requireID()))
        let person = registration.personID
        let lookup = registration.phoneLookup
        guard person != nil || lookup != nil else { return false }
        return try await query.group(.or) { or in
            if let person { or.filter(\.$personID == person) }
            if let lookup { or.filter(\.$phoneLookup == lookup) }
        }.first() != nil
    }

    private func checkAudience(_ event: Event, _ registration: EventRegistration, now: Date) async throws {
        switch event.audience {
        case .public: return
        case .invited:
            if registration.channel != .invitation { throw EventsError.notInvited }
        case .members:
            guard let personID = registration.personID else { throw EventsError.membersOnly }
            let societies = try await EventAudienceSociety.query(on: db).filter(\.$eventID == (try event.requireID())).all()
            let today = Day.today(now: now)
            for society in societies {
                if try await services.registry.activeMembership(personID: personID, societyID: society.organizationID, on: today, db: db)
                    != nil
                {
                    return
                }
            }
            throw EventsError.membersOnly
        }
    }

    /// Hands the registration to the event's sign-up queue, which writes the sign-ups that arrive
    /// together in one transaction (`SignUpQueue`).
    private func save(_ registration: EventRegistration, event: Event, moderated: Bool) async throws -> EventRegistration {
        registration.id = nil
        registration.code = CheckInCode.generate().canonical
        return try await SignUpQueue.shared.submit(registration, eventID: try event.requireID(), moderated: moderated, service: self)
    }

    /// One sign-up in its own transaction: arrival number, duplicate check, the place (or the waiting
    /// list), the code. A code that collides with another (rare) or a race the partial indexes catch
    /// runs it again; the second run answers `alreadyRegistered` for a duplicate.
    func saveAlone(_ registration: EventRegistration, eventID: UUID, moderated: Bool) async throws -> EventRegistration {
        for attempt in 0..<5 {
            registration.id = nil
            registration.code = CheckInCode.generate().canonical
            do {
                try await services.writes.transaction(on: db) { tx in
                    let sql = try tx.sql()
                    guard
                        let row = try await sql.raw(
                            """
                            UPDATE events_events SET registration_sequence = registration_sequence + 1
                            WHERE id = \(bind: eventID) AND state = \(bind: Event.State.published.rawValue)
                            RETURNING registration_sequence, waitlist
                            """
                        ).first()
                    else { throw EventsError.registrationNotOpen }
                    registration.sequence = try row.decode(column: "registration_sequence", as: Int.self)
                    let waitlist = try row.decode(column: "waitlist", as: Bool.self)
                    if try await Self.duplicate(of: registration, on: tx) { throw EventsError.alreadyRegistered }
                    if moderated {
                        registration.status = .pending
                    } else if try await Self.takePlace(eventID, on: tx) {
                        registration.status = .confirmed
                    } else if waitlist {
                        registration.status = .waitlisted
                    } else {
                        throw EventsError.eventFull
                    }
                    try await registration.create(on: tx)
                }
                return registration
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue
            }
        }
        throw EventsError.alreadyRegistered
    }

    static func duplicate(of registration: EventRegistration, on db: any Database) async throws -> Bool {
        let user = registration.userID
        let person = registration.personID
        let lookup = registration.phoneLookup
        guard user != nil || person != nil || lookup != nil else { return false }
        return try await EventRegistration.query(on: db).filter(\.$eventID == registration.eventID).filter(\.$status ~~ live)
            .group(.or) { or in
                if let user { or.filter(\.$userID == user) }
                if let person { or.filter(\.$personID == person) }
                if let lookup { or.filter(\.$phoneLookup == lookup) }
            }.first() != nil
    }

    /// Takes one confirmed place if there is one: the single conditional statement capacity rests on.
    static func takePlace(_ eventID: UUID, on db: any Database) async throws -> Bool {
        try await db.sql().raw(
            """
            UPDATE events_events SET confirmed_count = confirmed_count + 1 WHERE id = \(bind: eventID)
            AND state = \(bind: Event.State.published.rawValue) AND (capacity IS NULL OR confirmed_count < capacity) RETURNING id
            """
        ).first() != nil
    }

    static func releasePlace(_ eventID: UUID, on db: any Database) async throws {
        try await db.sql().raw(
            "UPDATE events_events SET confirmed_count = confirmed_count - 1 WHERE id = \(bind: eventID) AND confirmed_count > 0"
        ).run()
    }

    /// Locks the event row for the rest of the transaction (PostgreSQL; SQLite serializes writes anyway).
    static func lockEvent(_ eventID: UUID, on db: any Database) async throws {
        try await db.sql().raw("UPDATE events_events SET registration_sequence = registration_sequence WHERE id = \(bind: eventID)").run()
    }

    // MARK: Changing

    /// Cancels: the owner until the cut-off (`cancel_until`, else the start), staff managing the event at
    /// any time. A confirmed place freed promotes the first waiting registrations in arrival order.
    func cancel(_ id: UUID, actor: Actor) async throws -> EventRegistration {
        let (registration, event, staff) = try await visible(id, actor: actor)
        let now = services.clock()
        if !staff, now > (event.cancelUntil ?? event.startsAt) { throw EventsError.cancelClosed }
        return try await cancelLive(registration, event: event, now: now)
    }

    /// Visitors' cancellations per client address and hour (also what guessing codes costs).
    static let visitorCancelPerAddress = RatePolicy(name: "events_visitor_cancel", limit: 10, window: 3600)

    /// A visitor cancels with what only they hold: the code on their confirmation and the phone they
    /// registered with. A code and phone that do not belong together read exactly as an unknown code.
    func cancelAsVisitor(code text: String, phone phoneText: String) async throws -> (EventRegistration, Event) {
        var errors = FieldErrors()
        let code = CheckInCode.parse(text.trimmingCharacters(in: .whitespaces))
        if code == nil { errors.add("code", "请填写报名成功时显示的 8 位签到码") }
        let phone = try? MobileNumber(phoneText.trimmingCharacters(in: .whitespaces))
        if phone == nil { errors.add("phone", "请填写报名时的手机号码") }
        guard let code, let phone else { throw InvalidFields(errors, order: ["code", "phone"]) }
        guard let registration = try await EventRegistration.query(on: db).filter(\.$code == code.canonical).first(),
            registration.phoneLookup == Self.phoneLookup(services.secrets, phone.value),
            let event = try await Event.find(registration.eventID, on: db)
        else {
            errors.add("code", "没有找到该签到码和手机号对应的报名，请核对")
            throw InvalidFields(errors, order: ["code"])
        }
        let now = services.clock()
        if now > (event.cancelUntil ?? event.startsAt) { throw EventsError.cancelClosed }
        return (try await cancelLive(registration, event: event, now: now), event)
    }

    /// Cancels a live registration and gives its place to the first waiting (one transaction, event row locked).
    private func cancelLive(_ registration: EventRegistration, event: Event, now: Date) async throws -> EventRegistration {
        let id = try registration.requireID()
        let eventID = registration.eventID
        let registry = services.registry
        return try await services.writes.transaction(on: db) { tx in
            try await Self.lockEvent(eventID, on: tx)
            guard let current = try await EventRegistration.find(id, on: tx), Self.live.contains(current.status) else {
                throw EventsError.notCancellable
            }
            let wasConfirmed = current.status == .confirmed
            current.status = .cancelled
            current.cancelledAt = now
            try await current.save(on: tx)
            if wasConfirmed {
                try await Self.releasePlace(eventID, on: tx)
                try await Self.promote(event, now: now, registry: registry, on: tx)
            }
            return current
        }
    }

    /// Moves the first waiting registrations (arrival order) to confirmed while places are free, each
    /// with a 站内信 "候补转正".
    static func promote(_ event: Event, now: Date, registry: ModuleRegistry, on tx: any Database) async throws {
        let eventID = try event.requireID()
        while let next = try await EventRegistration.query(on: tx).filter(\.$eventID == eventID).filter(\.$status == .waitlisted)
            .sort(\.$sequence).first()
        {
            guard try await takePlace(eventID, on: tx) else { return }
            next.status = .confirmed
            next.promotedAt = now
            try await next.save(on: tx)
            if let user = next.userID {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: "候补转正：\(event.title)",
                        body: "您在“\(event.title)”的候补报名已转为正式报名，签到码 \(CheckInCode.parse(next.code)?.description ?? next.code)。",
                        link: EventsRoutes.registration(try next.requireID())), on: tx)
            }
        }
    }

    /// Staff decide a pending registration: approving takes a place (or the waiting list; refused with
    /// `events.event_full` when neither), rejecting closes it. The registrant gets a 站内信.
    func decide(_ id: UUID, approve: Bool, actor: Actor) async throws -> EventRegistration {
        guard let found = try await EventRegistration.find(id, on: db), let event = try await Event.find(found.eventID, on: db),
            try await manages(event, actor: actor)
        else { throw PlatformError.notFound }
        let eventID = found.eventID
        let registry = services.registry
        return try await services.writes.transaction(on: db) { tx in
            try await Self.lockEvent(eventID, on: tx)
            guard let current = try await EventRegistration.find(id, on: tx), current.status == .pending else {
                throw EventsError.notPending
            }
            if !approve {
                current.status = .rejected
            } else if try await Self.takePlace(eventID, on: tx) {
                current.status = .confirmed
            } else if event.waitlist {
                current.status = .waitlisted
            } else {
                throw EventsError.eventFull
            }
            try await current.save(on: tx)
            if let user = current.userID {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: (approve ? "报名已通过：" : "报名未通过：") + event.title,
                        body: "您在“\(event.title)”的报名状态：\(current.status.label)。", link: EventsRoutes.registration(try current.requireID())),
                    on: tx)
            }
            return current
        }
    }

    // MARK: Lists

    struct Filter: Sendable {
        var status: EventRegistration.Status?
        var channel: EventRegistration.Channel?
        var search: String?
    }

    /// An event's registrations for staff, filtered (status, channel, name contains).
    func query(event eventID: UUID, _ filter: Filter) -> QueryBuilder<EventRegistration> {
        let query = EventRegistration.query(on: db).filter(\.$eventID == eventID)
        if let status = filter.status { query.filter(\.$status == status) }
        if let channel = filter.channel { query.filter(\.$channel == channel) }
        if let q = filter.search?.trimmingCharacters(in: .whitespaces), !q.isEmpty { query.filter(\.$name ~~ q) }
        return query
    }

    /// The phone in clear for staff (exports, the list); "" when none.
    func phone(_ registration: EventRegistration) -> String {
        registration.phoneCipher.flatMap { try? services.secrets.open($0) } ?? ""
    }

    // MARK: Invitation list

    struct InvitationRow: Sendable, Equatable {
        let name: String
        let phone: String
        let unit: String
    }

    /// Reads an invitation list (XLSX; header row 姓名, 手机, 单位 in any order), refusing the whole file
    /// with the row numbers of bad rows (as Excel numbers them).
    static func parseInvitations(_ data: Data) throws -> [InvitationRow] {
        let rows: [[String]]
        do {
            rows = try XLSXReader(data: data, maxUncompressedBytes: 32 * 1_048_576).rows()
        } catch SpreadsheetError.tooLarge {
            // A bomb (or a workbook full of other sheets) is stopped at the budget, never inflated whole.
            throw PlatformError.invalidInput(field: "file", message: "文件解压后超过 32 MB，请只保留名单所在的工作表")
        } catch {
            throw PlatformError.invalidInput(field: "file", message: "无法读取该 XLSX 文件，请使用下载的模板（Excel 2007 及以上格式）")
        }
        guard let header = rows.first else { throw PlatformError.invalidInput(field: "file", message: "名单为空") }
        func column(_ names: [String]) -> Int? {
            header.firstIndex { cell in names.contains(cell.trimmingCharacters(in: .whitespaces)) }
        }
        guard let nameColumn = column(["姓名", "name"]), let phoneColumn = column(["手机", "手机号", "手机号码", "phone"]) else {
            throw PlatformError.invalidInput(field: "file", message: "第 1 行需有列名“姓名”和“手机”")
        }
        let unitColumn = column(["单位", "工作单位", "unit"])
        var problems: [String] = []
        var seen: [String: Int] = [:]
        var result: [InvitationRow] = []
        for (index, row) in rows.enumerated().dropFirst() {
            let number = index + 1
            func cell(_ column: Int?) -> String {
                guard let column, column < row.count else { return "" }
                return row[column].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let name = cell(nameColumn)
            let phoneText = cell(phoneColumn)
            if name.isEmpty && phoneText.isEmpty { continue }
            if name.isEmpty || name.count > 30 {
                problems.append("第 \(number) 行姓名\(name.isEmpty ? "为空" : "超过 30 字")")
                continue
            }
            guard let phone = try? MobileNumber(phoneText) else {
                problems.append("第 \(number) 行手机号码“\(phoneText)”无效")
                continue
            }
            if let first = seen[phone.value] {
                problems.append("第 \(number) 行手机号码与第 \(first) 行重复")
                continue
            }
            seen[phone.value] = number
            result.append(InvitationRow(name: name, phone: phone.value, unit: String(cell(unitColumn).prefix(100))))
        }
        if !problems.isEmpty {
            let shown = problems.prefix(10).joined(separator: "；")
            throw PlatformError.invalidInput(field: "file", message: shown + (problems.count > 10 ? "；另有 \(problems.count - 10) 行有误" : ""))
        }
        if result.isEmpty { throw PlatformError.invalidInput(field: "file", message: "名单中没有人员") }
        if result.count > 5000 { throw PlatformError.invalidInput(field: "file", message: "一次最多导入 5000 人") }
        return result
    }

    /// Adds the list's people to the event's invitation list (a phone already on it is skipped) and
    /// answers how many were added. Each person found in the directory by phone is linked.
    func importInvitations(_ rows: [InvitationRow], eventID: UUID, actor: Actor) async throws -> Int {
        _ = try await managedEvent(eventID, actor: actor)
        let secrets = services.secrets
        let lookups = rows.map { Self.phoneLookup(secrets, $0.phone) }
        let existing = Set(
            try await EventInvitation.query(on: db).filter(\.$eventID == eventID).filter(\.$phoneLookup ~~ lookups).all().map(\.phoneLookup)
        )
        let people = try await Person.query(on: db).filter(\.$phoneLookup ~~ lookups).field(\.$id).field(\.$phoneLookup).all()
        let personByLookup = Dictionary(people.map { ($0.phoneLookup, $0.id) }, uniquingKeysWith: { first, _ in first })
        return try await services.writes.transaction(on: db) { tx in
            var added = 0
            for (row, lookup) in zip(rows, lookups) where !existing.contains(lookup) {
                let invitation = EventInvitation()
                invitation.eventID = eventID
                invitation.name = row.name
                invitation.unit = row.unit
                invitation.phoneCipher = try secrets.seal(row.phone)
                invitation.phoneLookup = lookup
                invitation.personID = personByLookup[lookup] ?? nil
                invitation.invitedBy = actor.userID
                try await invitation.create(on: tx)
                added += 1
            }
            return added
        }
    }
}
