import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Events: who may see and change them, the form's rules (every problem at once), sessions and
/// speakers, and the process 草稿 → 待审核 → 已发布 → 已结束 / 已取消 through the workflow runtime.
///
/// Editing: everything while a draft (the organizer's staff or its administrator). Once published,
/// only the administrator (`events.approve` in scope) may change the logistics — summary, venue, online
/// link, sessions and speakers, registration window, cancel cut-off and fee note — never the title,
/// kind, level, times, organizer, audience or capacity that people registered for. Submitted, cancelled
/// and finished events are not edited.
struct EventService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let definition = EventWorkflow()
    static let subjects = WorkflowSubjectTable(process: "events.event", table: Event.schema)
    var runtime: WorkflowRuntime<EventWorkflow> { WorkflowRuntime(Self.definition, subjects: Self.subjects) }

    // MARK: Who is who

    /// Organizations whose subtree sees the event: the organizer and the co-organizers.
    func hostIDs(_ event: Event) async throws -> [UUID] {
        let id = try event.requireID()
        let co = try await EventCoOrganizer.query(on: db).filter(\.$eventID == id).all().map(\.organizationID)
        return [event.organizationID] + co
    }

    /// Whether the actor's subtree holds the organizer (or, with `coOrganizers`, one of them).
    func inScope(_ event: Event, actor: Actor, coOrganizers: Bool) async throws -> Bool {
        guard let root = actor.scope.rootPath else { return false }
        let ids = coOrganizers ? try await hostIDs(event) : [event.organizationID]
        let count = try await Organization.query(on: db).filter(\.$id ~~ ids).filter(\.$path =~ root).count()
        return count > 0
    }

    /// The organizer's staff: `events.manage` with the organizer in the actor's subtree.
    func organizes(_ event: Event, actor: Actor) async throws -> Bool {
        actor.can(EventsPermission.manage) ? try await inScope(event, actor: actor, coOrganizers: false) : false
    }

    /// The organizer's administrator: `events.approve` with the organizer in the actor's subtree.
    func approves(_ event: Event, actor: Actor) async throws -> Bool {
        actor.can(EventsPermission.approve) ? try await inScope(event, actor: actor, coOrganizers: false) : false
    }

    /// Whether anyone may see it: published or finished, or cancelled after publication.
    static func isPublicState(_ event: Event) -> Bool {
        EventWorkflow.publicStates.contains(event.state) || (event.state == .cancelled && event.publishedAt != nil)
    }

    /// Published public events for everyone; published events of other audiences for logged-in people
    /// whose subtree holds a host or who hold a role in one of the audience societies; every state for
    /// staff (`events.manage` or `events.approve`) whose subtree holds a host. Others: 404.
    func visible(_ id: UUID, actor: Actor?) async throws -> Event {
        guard let event = try await Event.find(id, on: db) else { throw PlatformError.notFound }
        if Self.isPublicState(event) && event.audience == .public { return event }
        guard let actor else { throw PlatformError.notFound }
        let staff = actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve)
        let isPublic = Self.isPublicState(event)
        if isPublic || staff, try await inScope(event, actor: actor, coOrganizers: true) { return event }
        guard isPublic else { throw PlatformError.notFound }
        if event.audience == .members {
            let held = Set(actor.grants.map(\.organizationID))
            let societies = try await EventAudienceSociety.query(on: db).filter(\.$eventID == id).all().map(\.organizationID)
            if !held.isDisjoint(with: societies) { return event }
        }
        // Someone on the list (invited, or registered by staff) sees what they are registered for.
        if try await EventRegistration.query(on: db).filter(\.$eventID == id).filter(\.$userID == actor.userID).count() > 0 {
            return event
        }
        throw PlatformError.notFound
    }

    /// The visibility rule of `visible` as a WHERE condition on `events_events`, for lists and calendars
    /// (one statement). `allStates` lets staff see drafts of their subtree.
    static func visibleCondition(actor: Actor?, allStates: Bool) -> SQLQueryString {
        let publicState: SQLQueryString =
            "(events_events.state IN ('published', 'finished') OR (events_events.state = 'cancelled' AND events_events.published_at IS NOT NULL))"
        guard let actor, let root = actor.scope.rootPath else {
            return "(\(publicState) AND events_events.audience = 'public')"
        }
        let pattern = root + "%"
        let inScope: SQLQueryString = """
            (EXISTS (SELECT 1 FROM platform_organizations eo WHERE eo.id = events_events.organization_id AND eo.path LIKE \(bind: pattern)) \
            OR EXISTS (SELECT 1 FROM events_co_organizers ec JOIN platform_organizations eco ON eco.id = ec.organization_id \
            WHERE ec.event_id = events_events.id AND eco.path LIKE \(bind: pattern)))
            """
        var condition: SQLQueryString = "((\(publicState) AND (events_events.audience = 'public' OR \(inScope)"
        let held = Array(Set(actor.grants.map(\.organizationID)))
        if !held.isEmpty {
            condition.appendInterpolation(
                unsafeRaw:
                    " OR EXISTS (SELECT 1 FROM events_audience_societies ea WHERE ea.event_id = events_events.id AND ea.organization_id IN ("
            )
            for (index, id) in held.enumerated() {
                if index > 0 { condition.appendInterpolation(unsafeRaw: ", ") }
                condition.appendInterpolation(bind: id)
            }
            condition.appendInterpolation(unsafeRaw: "))")
        }
        condition.appendInterpolation(unsafeRaw: "))")
        if allStates && (actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve)) {
            condition.appendInterpolation(unsafeRaw: " OR ")
            condition.appendInterpolation(inScope)
        }
        condition.appendInterpolation(unsafeRaw: ")")
        return condition
    }

    /// The events of the actor's subtree (organized or co-organized there), every state: the staff list.
    static func managedCondition(actor: Actor) -> SQLQueryString {
        let pattern = (actor.scope.rootPath ?? "\u{0}") + "%"
        return """
            (EXISTS (SELECT 1 FROM platform_organizations eo WHERE eo.id = events_events.organization_id AND eo.path LIKE \(bind: pattern)) \
            OR EXISTS (SELECT 1 FROM events_co_organizers ec JOIN platform_organizations eco ON eco.id = ec.organization_id \
            WHERE ec.event_id = events_events.id AND eco.path LIKE \(bind: pattern)))
            """
    }

    // MARK: The form

    struct SessionInput: Sendable, Equatable {
        var title = ""
        var startsAt = ""
        var endsAt = ""
        var room = ""
        var isBlank: Bool { [title, startsAt, endsAt, room].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    struct SpeakerInput: Sendable, Equatable {
        var name = ""
        var affiliation = ""
        var topic = ""
        /// A person of the directory (id), optional.
        var personID = ""
        var isBlank: Bool { [name, affiliation, topic, personID].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }

    struct Input: Sendable {
        var title = ""
        var summary = ""
        var kind = ""
        var level = ""
        var field = ""
        var startsAt = ""
        var endsAt = ""
        var venue = ""
        var onlineLink = ""
        var capacity = ""
        var waitlist = false
        var moderated = false
        var registrationOpensAt = ""
        var registrationClosesAt = ""
        var cancelUntil = ""
        var feeNote = ""
        var audience = ""
        /// The registration form's id; nil keeps the stored one (an API update that does not name it).
        var form: String?
        /// The organizer as the picker sent it (id, name or path); empty = the acting organization.
        var organization = ""
        /// Co-organizers and audience societies as the pickers sent them.
        var coOrganizers: [String] = []
        var societies: [String] = []
        var sessions: [SessionInput] = []
        var speakers: [SpeakerInput] = []
        /// API: times must carry an offset (ISO 8601); forms send China wall-clock time.
        var requireOffset = false
    }

    /// What a checked form becomes.
    struct Checked: Sendable {
        let event: Event
        let coOrganizers: [UUID]
        let societies: [UUID]
        let sessions: [EventSession]
        let speakers: [EventSpeaker]
    }

    static let fieldOrder = [
        "title", "kind", "level", "organization", "startsAt", "endsAt", "venue", "onlineLink", "capacity", "registrationOpensAt",
        "registrationClosesAt", "cancelUntil", "audience", "form", "societies", "coOrganizers", "feeNote", "summary", "field",
    ]

    static let labels: [String: String] = [
        "title": "活动名称", "kind": "活动类型", "level": "活动级别", "organization": "主办单位", "startsAt": "开始时间", "endsAt": "结束时间",
        "venue": "地点", "onlineLink": "线上链接", "capacity": "名额", "registrationOpensAt": "报名开始", "registrationClosesAt": "报名截止",
        "cancelUntil": "取消报名截止", "audience": "面向对象", "societies": "面向学会", "coOrganizers": "协办单位", "feeNote": "费用说明",
        "summary": "活动简介", "field": "学科领域", "form": "报名表",
    ]

    /// Most sessions and speakers one event keeps.
    static let maxSessions = 30
    static let maxSpeakers = 60
    static let maxDurationDays = 31.0

    /// Reads a time: ISO 8601 with an offset (`2026-12-20T09:00:00+08:00`, `…Z`) or, unless
    /// `requireOffset`, China wall-clock time `2026-12-20T09:00` / `2026-12-20 09:00`.
    static func parseTime(_ raw: String, requireOffset: Bool) -> Date? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 40 else { return nil }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let date = iso.date(from: text) { return date }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: text) { return date }
        // Without seconds: 2026-12-20T09:00+08:00.
        if let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2}))?(Z|[+-]\d{2}:?\d{2})?/) {
            let offsetText = match.8.map(String.init)
            if requireOffset && offsetText == nil { return nil }
            var seconds = 8 * 3600
            if let offsetText {
                if offsetText == "Z" {
                    seconds = 0
                } else {
                    let digits = offsetText.dropFirst().filter(\.isNumber)
                    guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else { return nil }
                    seconds = (hours * 3600 + minutes * 60) * (offsetText.hasPrefix("-") ? -1 : 1)
                }
            }
            var calendar = Calendar(identifier: .gregorian)
            guard let zone = TimeZone(secondsFromGMT: seconds) else { return nil }
            calendar.timeZone = zone
            let components = DateComponents(
                year: Int(match.1), month: Int(match.2), day: Int(match.3), hour: Int(match.4), minute: Int(match.5),
                second: match.7.flatMap { Int($0) } ?? 0)
            guard components.isValidDate(in: calendar), (0...23).contains(components.hour ?? 99),
                (0...59).contains(components.minute ?? 99)
            else { return nil }
            return calendar.date(from: components)
        }
        return nil
    }

    /// The form's value of a time: China wall-clock `2026-12-20T09:00` (what `datetime-local` shows).
    static func formTime(_ date: Date?) -> String {
        guard let date else { return "" }
        return ChineseDate.dateTime(date).replacingOccurrences(of: " ", with: "T")
    }

    /// The registration forms staff may attach: published shared forms made for event registration
    /// (`owner_module` events) of organizations in the actor's subtree.
    func registrationForms(actor: Actor) async throws -> [PlatformForm] {
        try await actor.scope.query(PlatformForm.self, on: db).filter(\.$status == .published)
            .filter(\.$ownerModule == EventsModule.formOwner).sort(\.$title).limit(200).all()
    }

    /// The chosen registration form: one of `registrationForms`, without file fields (a registration
    /// takes no uploads). Empty text detaches it; nil keeps the current one.
    private func registrationForm(_ text: String?, current: Event?, actor: Actor, errors: inout FieldErrors) async throws -> UUID? {
        guard let text = text?.trimmingCharacters(in: .whitespaces) else { return current?.formID }
        if text.isEmpty { return nil }
        guard let id = UUID(uuidString: text),
            let form = try await actor.scope.query(PlatformForm.self, on: db).filter(\.$id == id).first(),
            form.ownerModule == EventsModule.formOwner
        else {
            errors.add("form", "请从本单位及下级单位的活动报名表中选择")
            return nil
        }
        if id == current?.formID { return id }
        guard form.status == .published else {
            errors.add("form", "该报名表尚未发布或已关闭")
            return nil
        }
        let definition = try await FormService(db: db, services: services).publishedVersion(form).definition()
        if definition.fields.contains(where: { if case .file = $0.kind { true } else { false } }) {
            errors.add("form", "报名表不能含上传文件的字段")
            return nil
        }
        return id
    }

    /// Checks everything and reports every problem at once; field keys are the form's names (sessions
    /// and speakers as `session-1-title`, `speaker-2-name`, counted from 1).
    func check(_ input: Input, actor: Actor, current: Event? = nil) async throws -> (FieldErrors, Checked) {
        var errors = FieldErrors()
        let event = Event()
        func text(_ value: String, _ limit: Int) -> String { String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit)) }
        event.title = text(input.title, 101)
        if event.title.count < 4 || event.title.count > 100 { errors.add("title", "请填写活动名称（4–100 个字）") }
        event.summary = text(input.summary, 4001)
        if event.summary.count > 4000 { errors.add("summary", "活动简介不超过 4000 个字") }
        if let kind = Event.Kind(rawValue: text(input.kind, 40)) { event.kind = kind } else { errors.add("kind", "请选择活动类型") }
        if let level = Event.Level(rawValue: text(input.level, 40)) { event.level = level } else { errors.add("level", "请选择活动级别") }
        event.field = text(input.field, 51).nilIfEmpty
        if (event.field?.count ?? 0) > 50 { errors.add("field", "学科领域不超过 50 个字") }

        // Organizer: the acting organization unless another of the subtree is chosen.
        let lookup = OrganizationLookup(db: db)
        var organizerID = current?.organizationID ?? actor.actingOrganizationID
        if !input.organization.trimmingCharacters(in: .whitespaces).isEmpty {
            organizerID = try await lookup.resolve(input.organization, in: .subtree, actor: actor)
            if organizerID == nil { errors.add("organization", "请从本单位及下级单位中选择主办单位") }
        }
        if let organizerID {
            if try await actor.scope.organization(organizerID, on: db) == nil && current == nil {
                errors.add("organization", "请从本单位及下级单位中选择主办单位")
            }
            event.organizationID = organizerID
        } else if errors["organization"] == nil {
            errors.add("organization", "请选择主办单位")
        }

        let starts = Self.parseTime(input.startsAt, requireOffset: input.requireOffset)
        let ends = Self.parseTime(input.endsAt, requireOffset: input.requireOffset)
        let format = input.requireOffset ? "ISO 8601 带时区，如 2026-12-20T09:00:00+08:00" : "如 2026-12-20 09:00"
        if let starts { event.startsAt = starts } else { errors.add("startsAt", "请填写开始时间（\(format)）") }
        if let ends { event.endsAt = ends } else { errors.add("endsAt", "请填写结束时间（\(format)）") }
        let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
        let latest = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        if let starts, starts < earliest || starts > latest { errors.add("startsAt", "开始时间应在 2000 年至 2099 年之间") }
        if let starts, let ends {
            if ends <= starts {
                errors.add("endsAt", "结束时间应晚于开始时间")
            } else if ends.timeIntervalSince(starts) > Self.maxDurationDays * 86_400 {
                errors.add("endsAt", "一次活动不超过 31 天；更长的请分期发布")
            }
        }

        event.venue = text(input.venue, 201)
        if event.venue.count > 200 { errors.add("venue", "地点不超过 200 个字") }
        let link = text(input.onlineLink, 501)
        event.onlineLink = link.nilIfEmpty
        if !link.isEmpty {
            if link.count > 500 || !(link.hasPrefix("https://") || link.hasPrefix("http://")) || link.contains(where: \.isWhitespace) {
                errors.add("onlineLink", "线上链接应为 http:// 或 https:// 开头的网址")
            }
        }
        if event.venue.isEmpty && link.isEmpty { errors.add("venue", "请填写地点，或填写线上链接") }

        let capacityText = text(input.capacity, 12)
        if capacityText.isEmpty {
            event.capacity = nil
        } else if let value = Int(capacityText), (1...100_000).contains(value) {
            event.capacity = value
        } else {
            errors.add("capacity", "名额为 1 到 100000 的整数；不限名额请留空")
        }
        event.waitlist = input.waitlist
        event.moderated = input.moderated
        event.formID = try await registrationForm(input.form, current: current, actor: actor, errors: &errors)

        func optionalTime(_ key: String, _ raw: String) -> Date? {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            guard let date = Self.parseTime(trimmed, requireOffset: input.requireOffset) else {
                errors.add(key, "时间格式不正确（\(format)）")
                return nil
            }
            return date
        }
        event.registrationOpensAt = optionalTime("registrationOpensAt", input.registrationOpensAt)
        event.registrationClosesAt = optionalTime("registrationClosesAt", input.registrationClosesAt)
        event.cancelUntil = optionalTime("cancelUntil", input.cancelUntil)
        if let opens = event.registrationOpensAt, let starts, opens < starts.addingTimeInterval(-366 * 86_400) {
            errors.add("registrationOpensAt", "报名最早在活动开始前一年开始")
        }
        if let opens = event.registrationOpensAt, let closes = event.registrationClosesAt, closes <= opens {
            errors.add("registrationClosesAt", "报名截止应晚于报名开始")
        }
        if let closes = event.registrationClosesAt, let ends, closes > ends {
            errors.add("registrationClosesAt", "报名截止不能晚于活动结束")
        }
        if let opens = event.registrationOpensAt, let ends, opens >= ends, errors["registrationOpensAt"] == nil {
            errors.add("registrationOpensAt", "报名开始应早于活动结束")
        }
        if let cancel = event.cancelUntil, let ends, cancel > ends {
            errors.add("cancelUntil", "取消报名截止不能晚于活动结束")
        }
        if let cancel = event.cancelUntil, let opens = event.registrationOpensAt, cancel < opens {
            errors.add("cancelUntil", "取消报名截止不能早于报名开始")
        }
        event.feeNote = text(input.feeNote, 201)
        if event.feeNote.count > 200 { errors.add("feeNote", "费用说明不超过 200 个字") }

        if let audience = Event.Audience(rawValue: text(input.audience, 20)) {
            event.audience = audience
        } else {
            errors.add("audience", "请选择面向对象")
            event.audience = .public
        }

        // Societies (audience `members`) and co-organizers: each sent value resolved by the picker's rules.
        var societies: [UUID] = []
        let sentSocieties = input.societies.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if sentSocieties.count > 20 { errors.add("societies", "面向学会最多 20 个") }
        for sent in sentSocieties.prefix(20) {
            if let id = try await lookup.resolve(sent, in: .societies, actor: actor) {
                if !societies.contains(id) { societies.append(id) }
            } else {
                errors.add("societies", "找不到学会“\(sent.prefix(40))”，请从列表中选择")
            }
        }
        if !societies.isEmpty {
            let found = try await Organization.query(on: db).filter(\.$id ~~ societies).filter(\.$kind == .society).count()
            if found != societies.count { errors.add("societies", "面向学会须为学会") }
        }
        if event.audience == .members && sentSocieties.isEmpty { errors.add("societies", "面向指定学会会员时，请至少选择一个学会") }
        if event.audience != .members { societies = [] }

        var coOrganizers: [UUID] = []
        let sentCo = input.coOrganizers.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if sentCo.count > 20 { errors.add("coOrganizers", "协办单位最多 20 个") }
        for sent in sentCo.prefix(20) {
            // Co-organizers may be anywhere in the province (another city's association, a society).
            var found = try await lookup.resolve(sent, in: .subtree, actor: actor)
            if found == nil { found = try await Self.resolveAnywhere(sent, on: db) }
            if let id = found {
                if id != organizerID && !coOrganizers.contains(id) { coOrganizers.append(id) }
            } else {
                errors.add("coOrganizers", "找不到单位“\(sent.prefix(40))”，请从列表中选择")
            }
        }
        if !coOrganizers.isEmpty {
            let found = try await Organization.query(on: db).filter(\.$id ~~ coOrganizers).filter(\.$isActive == true).count()
            if found != coOrganizers.count { errors.add("coOrganizers", "协办单位不存在或已停用") }
        }

        var sessions: [EventSession] = []
        let sentSessions = input.sessions.filter { !$0.isBlank }
        if sentSessions.count > Self.maxSessions { errors.add("sessions", "日程最多 \(Self.maxSessions) 项") }
        for (index, s) in sentSessions.prefix(Self.maxSessions).enumerated() {
            let key = "session-\(index + 1)-"
            let session = EventSession()
            session.title = text(s.title, 101)
            if session.title.count < 2 || session.title.count > 100 { errors.add(key + "title", "请填写第 \(index + 1) 项日程的名称（2–100 个字）") }
            session.room = text(s.room, 61)
            if session.room.count > 60 { errors.add(key + "room", "会场不超过 60 个字") }
            let from = Self.parseTime(s.startsAt, requireOffset: input.requireOffset)
            let to = Self.parseTime(s.endsAt, requireOffset: input.requireOffset)
            if let from { session.startsAt = from } else { errors.add(key + "startsAt", "请填写第 \(index + 1) 项日程的开始时间") }
            if let to { session.endsAt = to } else { errors.add(key + "endsAt", "请填写第 \(index + 1) 项日程的结束时间") }
            if let from, let to {
                if to <= from {
                    errors.add(key + "endsAt", "日程结束时间应晚于开始时间")
                } else if let starts, let ends, from < starts || to > ends {
                    errors.add(key + "startsAt", "日程时间应在活动起止时间之内")
                }
            }
            session.position = index + 1
            sessions.append(session)
        }

        var speakers: [EventSpeaker] = []
        let sentSpeakers = input.speakers.filter { !$0.isBlank }
        if sentSpeakers.count > Self.maxSpeakers { errors.add("speakers", "报告人最多 \(Self.maxSpeakers) 位") }
        var personIDs: [UUID] = []
        for (index, s) in sentSpeakers.prefix(Self.maxSpeakers).enumerated() {
            let key = "speaker-\(index + 1)-"
            let speaker = EventSpeaker()
            speaker.name = text(s.name, 51)
            if speaker.name.isEmpty || speaker.name.count > 50 { errors.add(key + "name", "请填写第 \(index + 1) 位报告人的姓名（不超过 50 个字）") }
            speaker.affiliation = text(s.affiliation, 101)
            if speaker.affiliation.count > 100 { errors.add(key + "affiliation", "职称与单位不超过 100 个字") }
            speaker.topic = text(s.topic, 201)
            if speaker.topic.count > 200 { errors.add(key + "topic", "报告题目不超过 200 个字") }
            let person = text(s.personID, 40)
            if !person.isEmpty {
                if let id = UUID(uuidString: person) {
                    speaker.personID = id
                    personIDs.append(id)
                } else {
                    errors.add(key + "personID", "人员编号无效")
                }
            }
            speaker.position = index + 1
            speakers.append(speaker)
        }
        if !personIDs.isEmpty {
            let known = Set(try await Person.query(on: db).filter(\.$id ~~ personIDs).all().compactMap(\.id))
            for (index, speaker) in speakers.enumerated() where speaker.personID.map({ !known.contains($0) }) ?? false {
                errors.add("speaker-\(index + 1)-personID", "人员库中没有这个人")
            }
        }
        return (errors, Checked(event: event, coOrganizers: coOrganizers, societies: societies, sessions: sessions, speakers: speakers))
    }

    /// A co-organizer named exactly (or by id) anywhere: the province's other associations co-organize too.
    static func resolveAnywhere(_ sent: String, on db: any Database) async throws -> UUID? {
        if let id = UUID(uuidString: sent) { return try await Organization.find(id, on: db)?.id }
        let name = sent.components(separatedBy: "›").last?.trimmingCharacters(in: .whitespaces) ?? sent
        let named = try await Organization.query(on: db).filter(\.$name == name).filter(\.$isActive == true).limit(2).all()
        return named.count == 1 ? named.first?.id : nil
    }

    /// Every field's problem in the form's order (sessions and speakers after the main fields).
    static func order(_ errors: FieldErrors) -> [String] {
        fieldOrder
            + errors.messages.keys.filter { !fieldOrder.contains($0) }.sorted { a, b in
                (a.hasPrefix("speaker") ? 1 : 0, Int(a.split(separator: "-").dropFirst().first ?? "") ?? 0, a)
                    < (b.hasPrefix("speaker") ? 1 : 0, Int(b.split(separator: "-").dropFirst().first ?? "") ?? 0, b)
            }
    }

    /// Saves a new draft with its sessions, speakers, co-organizers and societies.
    func create(_ input: Input, actor: Actor) async throws -> Event {
        guard actor.can(EventsPermission.manage) || actor.can(EventsPermission.approve), actor.actingOrganizationID != nil else {
            throw EventsError.notOrganizer
        }
        let (errors, checked) = try await check(input, actor: actor)
        if !errors.isEmpty { throw InvalidFields(errors, order: Self.order(errors)) }
        let event = checked.event
        event.state = .draft
        event.confirmedCount = 0
        event.registrationSequence = 0
        event.createdBy = actor.userID
        try await services.writes.transaction(on: db) { tx in
            try await event.create(on: tx)
            try await Self.saveParts(event, checked, on: tx, replacing: false)
        }
        return event
    }

    /// Changes an event: a draft entirely (its organizer's staff or administrator); a published one's
    /// logistics (its administrator). Anything else is refused with the reason.
    func update(_ id: UUID, _ input: Input, actor: Actor) async throws -> Event {
        let event = try await visible(id, actor: actor)
        let organizes = try await organizes(event, actor: actor)
        let approves = try await approves(event, actor: actor)
        guard organizes || approves else { throw EventsError.notOrganizer }
        let logisticsOnly: Bool
        switch event.state {
        case .draft: logisticsOnly = false
        case .published where approves: logisticsOnly = true
        default: throw EventsError.eventNotEditable
        }
        var input = input
        if logisticsOnly {
            // What people registered for stays as it was; the form shows it read-only.
            input.title = event.title
            input.kind = event.kind.rawValue
            input.level = event.level.rawValue
            input.startsAt = ISO8601DateFormatter().string(from: event.startsAt)
            input.endsAt = ISO8601DateFormatter().string(from: event.endsAt)
            input.capacity = event.capacity.map(String.init) ?? ""
            input.audience = event.audience.rawValue
            input.organization = event.organizationID.uuidString
            input.waitlist = event.waitlist
            input.moderated = event.moderated
            input.form = event.formID?.uuidString ?? ""
            let societies = try await EventAudienceSociety.query(on: db).filter(\.$eventID == id).all()
            input.societies = societies.map(\.organizationID.uuidString)
        }
        let (errors, checked) = try await check(input, actor: actor, current: event)
        if !errors.isEmpty { throw InvalidFields(errors, order: Self.order(errors)) }
        let changed = checked.event
        event.title = changed.title
        event.summary = changed.summary
        event.kind = changed.kind
        event.level = changed.level
        event.field = changed.field
        event.organizationID = changed.organizationID
        event.startsAt = changed.startsAt
        event.endsAt = changed.endsAt
        event.venue = changed.venue
        event.onlineLink = changed.onlineLink
        event.capacity = changed.capacity
        event.waitlist = changed.waitlist
        event.moderated = changed.moderated
        event.formID = changed.formID
        event.registrationOpensAt = changed.registrationOpensAt
        event.registrationClosesAt = changed.registrationClosesAt
        event.cancelUntil = changed.cancelUntil
        event.feeNote = changed.feeNote
        event.audience = changed.audience
        try await services.writes.transaction(on: db) { tx in
            try await event.update(on: tx)
            try await Self.saveParts(event, checked, on: tx, replacing: true)
        }
        return event
    }

    /// Writes the event's parts; on an edit, the old ones are deleted first (each change audited).
    static func saveParts(_ event: Event, _ checked: Checked, on db: any Database, replacing: Bool) async throws {
        let id = try event.requireID()
        if replacing {
            for old in try await EventSpeaker.query(on: db).filter(\.$eventID == id).all() { try await old.delete(on: db) }
            for old in try await EventSession.query(on: db).filter(\.$eventID == id).all() { try await old.delete(on: db) }
            let co = try await EventCoOrganizer.query(on: db).filter(\.$eventID == id).all()
            for old in co where !checked.coOrganizers.contains(old.organizationID) { try await old.delete(on: db) }
            let kept = Set(co.map(\.organizationID))
            for org in checked.coOrganizers where !kept.contains(org) {
                try await EventCoOrganizer(eventID: id, organizationID: org).create(on: db)
            }
            let societies = try await EventAudienceSociety.query(on: db).filter(\.$eventID == id).all()
            for old in societies where !checked.societies.contains(old.organizationID) { try await old.delete(on: db) }
            let keptSocieties = Set(societies.map(\.organizationID))
            for org in checked.societies where !keptSocieties.contains(org) {
                try await EventAudienceSociety(eventID: id, organizationID: org).create(on: db)
            }
        } else {
            for org in checked.coOrganizers { try await EventCoOrganizer(eventID: id, organizationID: org).create(on: db) }
            for org in checked.societies { try await EventAudienceSociety(eventID: id, organizationID: org).create(on: db) }
        }
        for session in checked.sessions {
            session.eventID = id
            try await session.create(on: db)
        }
        for speaker in checked.speakers {
            speaker.eventID = id
            try await speaker.create(on: db)
        }
    }

    // MARK: The process

    func kinds(for event: Event, actor: Actor) async throws -> Set<ParticipantKind> {
        var kinds: Set<ParticipantKind> = []
        if try await organizes(event, actor: actor) { kinds.insert(EventWorkflow.organizer) }
        if try await approves(event, actor: actor) { kinds.insert(EventWorkflow.approver) }
        return kinds
    }

    /// Actions to offer as buttons (活动结束 only once the event has ended).
    func availableActions(_ event: Event, actor: Actor) async throws -> [EventWorkflow.Action] {
        let kinds = try await kinds(for: event, actor: actor)
        let now = services.clock()
        return Self.definition.transitions.filter { $0.from.contains(event.state) && !$0.allowed.isDisjoint(with: kinds) }.map(\.action)
            .filter { $0 != .finish || event.endsAt <= now }
            .reduce(into: [EventWorkflow.Action]()) { if !$0.contains($1) { $0.append($1) } }
    }

    /// 提交 / 审核通过 / 直接发布 / 退回 / 取消 / 活动结束. Cancelling a published event tells everyone
    /// registered (one insert for all their messages).
    @discardableResult
    func perform(_ action: EventWorkflow.Action, on id: UUID, comment: String?, actor: Actor) async throws -> Event {
        let event = try await visible(id, actor: actor)
        let kinds: Set<ParticipantKind>
        if action == .finish && actor.userID == Actor.system.userID {
            kinds = [.system]
        } else {
            kinds = try await self.kinds(for: event, actor: actor)
        }
        let now = services.clock()
        if action == .finish, event.state == .published, event.endsAt > now, !kinds.isEmpty { throw EventsError.eventNotOver }
        let step = try await runtime.perform(
            action, subject: id, in: event.state, actor: actor, kinds: kinds,
            comment: comment?.trimmingCharacters(in: .whitespacesAndNewlines),
            context: WorkflowContext(now: now), services: services, on: db
        ) { tx, step in
            event.state = step.state
            var change = Event.query(on: tx).filter(\.$id == id).set(\.$updatedAt, to: now)
            if step.state == .published && event.publishedAt == nil {
                event.publishedAt = now
                change = change.set(\.$publishedAt, to: now)
            }
            try await change.update()
            if action == .cancel, event.publishedAt != nil {
                try await Self.notifyRegistered(event, reason: step.record.comment, on: tx)
            }
        }
        try await notify(event, action: action, comment: step.record.comment, actor: actor)
        return event
    }

    /// The cancellation notice to everyone registered with an account (confirmed, waiting or pending):
    /// one query for the recipients, one insert for all messages.
    static func notifyRegistered(_ event: Event, reason: String?, on db: any Database) async throws {
        let id = try event.requireID()
        let active: [EventRegistration.Status] = [.confirmed, .waitlisted, .pending]
        let rows = try await db.sql().raw(
            """
            SELECT DISTINCT user_id FROM events_registrations WHERE event_id = \(bind: id) AND user_id IS NOT NULL \
            AND status IN (\(binds: active.map(\.rawValue)))
            """
        ).all()
        let users = try rows.map { try $0.decode(column: "user_id", as: UUID.self) }
        guard !users.isEmpty else { return }
        let when = ChineseDate.dateTime(event.startsAt)
        let body = "原定 \(when) 举行的“\(event.title)”已取消。" + (reason.map { "原因：\($0)" } ?? "") + "给您带来不便，敬请谅解。"
        let messages = users.map { user in
            let message = InboxMessage()
            message.userID = user
            message.title = String("活动已取消：\(event.title)".prefix(200))
            message.body = String(body.prefix(2000))
            message.link = EventsRoutes.event(id)
            return message
        }
        try await messages.create(on: db)
    }

    /// Tells the organizer's staff (on approval or sending back) and the approvers (on submission).
    private func notify(_ event: Event, action: EventWorkflow.Action, comment: String?, actor: Actor) async throws {
        let id = try event.requireID()
        let link = EventsRoutes.event(id)
        switch action {
        case .submit:
            for user in try await holders(of: EventsPermission.approve, at: event.organizationID) where user != actor.userID {
                try await services.registry.notify(
                    PlatformNotification(
                        recipientUserID: user, title: "待审核活动：\(event.title)", body: "\(actor.displayName) 提交了活动，请审核发布。", link: link),
                    on: db)
            }
        case .approve, .publish, .sendBack:
            guard event.createdBy != actor.userID else { return }
            let title = action == .sendBack ? "活动被退回：\(event.title)" : "活动已发布：\(event.title)"
            let body = action == .sendBack ? "退回理由：\(comment ?? "")" : "活动已审核通过并公开发布。"
            try await services.registry.notify(
                PlatformNotification(recipientUserID: event.createdBy, title: title, body: body, link: link), on: db)
        case .cancel, .finish: break
        }
    }

    /// Users holding the permission at the organization or the nearest one above it that has any.
    func holders(of permission: Permission, at organizationID: UUID) async throws -> [UUID] {
        var next: UUID? = organizationID
        let roles = permission.grantedTo.map(\.rawValue)
        var hops = 0
        while let id = next, hops < 8 {
            let grants = try await RoleGrant.query(on: db).filter(\.$organizationID == id).filter(\.$role ~~ roles).all()
            if !grants.isEmpty { return Array(Set(grants.map(\.userID))) }
            next = try await Organization.find(id, on: db)?.parentID
            hops += 1
        }
        return []
    }

    /// Published events whose end has passed are finished by the system.
    func finishEnded() async throws -> Int {
        let now = services.clock()
        let ended = try await Event.query(on: db).filter(\.$state == .published).filter(\.$endsAt < now).limit(500).all()
        var finished = 0
        for event in ended {
            let id = try event.requireID()
            do {
                _ = try await runtime.perform(
                    .finish, subject: id, in: .published, actor: .system, kinds: [.system], comment: nil,
                    context: WorkflowContext(now: now), services: services, on: db
                ) { tx, _ in
                    try await Event.query(on: tx).filter(\.$id == id).set(\.$updatedAt, to: now).update()
                }
                finished += 1
            } catch PlatformError.stateChanged { continue }
        }
        return finished
    }

    // MARK: Reading

    struct Parts: Sendable {
        var organizer: Organization?
        var coOrganizers: [Organization] = []
        var societies: [Organization] = []
        var sessions: [EventSession] = []
        var speakers: [EventSpeaker] = []
    }

    /// Everything shown with one event (five small queries, none per row).
    func parts(of event: Event) async throws -> Parts {
        let id = try event.requireID()
        var parts = Parts()
        let co = try await EventCoOrganizer.query(on: db).filter(\.$eventID == id).all().map(\.organizationID)
        let societies = try await EventAudienceSociety.query(on: db).filter(\.$eventID == id).all().map(\.organizationID)
        let organizations = try await Organization.query(on: db).filter(\.$id ~~ ([event.organizationID] + co + societies)).all()
        let byID = Dictionary(organizations.compactMap { org in org.id.map { ($0, org) } }, uniquingKeysWith: { first, _ in first })
        parts.organizer = byID[event.organizationID]
        parts.coOrganizers = co.compactMap { byID[$0] }.sorted { $0.name < $1.name }
        parts.societies = societies.compactMap { byID[$0] }.sorted { $0.name < $1.name }
        parts.sessions = try await EventSession.query(on: db).filter(\.$eventID == id).sort(\.$position).all()
        parts.speakers = try await EventSpeaker.query(on: db).filter(\.$eventID == id).sort(\.$position).all()
        return parts
    }

    /// Whether registration is open now (published, inside the window, before the start when no window).
    static func registrationOpen(_ event: Event, now: Date) -> Bool {
        guard event.state == .published else { return false }
        if let opens = event.registrationOpensAt, now < opens { return false }
        let closes = event.registrationClosesAt ?? event.startsAt
        return now < closes
    }

    /// Places left; nil when there is no limit.
    static func placesLeft(_ event: Event) -> Int? {
        event.capacity.map { max(0, $0 - event.confirmedCount) }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension QueryBuilder {
    /// A raw condition (SQL with bound values) on the query, e.g. the visibility rule.
    @discardableResult
    func filterSQL(_ condition: SQLQueryString) -> Self { filter(.custom(condition)) }
}
