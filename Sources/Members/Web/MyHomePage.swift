import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct MyHomePage: Sendable {
    struct MembershipRow: Encodable, Sendable {
        let society: String
        let number: String
        let grade: String
        let status: String
        let appliedOn: String
        let note: String?
    }

    struct Line: Encodable, Sendable {
        let label: String
        let value: String
    }

    struct Panel: Encodable, Sendable {
        let title: String
        let lines: [HomePanel.Line]
    }

    let shell: PageShell
    let hasProfile: Bool
    let name: String
    let verification: String
    let verified: Bool
    let phone: String
    let idNumber: String
    let revealed: String?
    let profileLink: String
    let revealAction: String
    let hasIDNumber: Bool
    let memberships: [MembershipRow]
    let applyAction: String
    let societies: [SelectOption]
    let applyError: String?
    let statement: String
    let roles: [Line]
    let panels: [Panel]
    let consents: [Line]
    let dataLink: String
    let deletionAction: String
    let deletionPending: String?
    let deletionRefused: String?
}

/// 我的: the person's own home — profile, memberships and the application form, the roles they hold,
/// panels other modules register, and their privacy rights (consent record, data download, deletion).
struct MyHomeController {
    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.myHome, use: show)
        web.post(MembersRoutes.myMemberships, use: apply)
        web.post(MembersRoutes.myReveal, use: reveal)
        web.get(MembersRoutes.myData, use: download)
        web.post(MembersRoutes.myDeletion, use: requestDeletion)
    }

    /// Audit times are stored as UTC ISO 8601 with milliseconds; pages show China time.
    nonisolated(unsafe) static let auditTime: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    private func person(_ req: Request, _ actor: Actor) async throws -> Person? {
        try await Person.query(on: req.db).filter(\.$userID == actor.userID).first()
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, revealed: nil, applyError: nil, statement: "")
    }

    /// Handler: who → their profile, memberships, roles, panels and consents → the page.
    private func page(_ req: Request, revealed: String?, applyError: String?, statement: String, status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        let person = try await person(req, actor)
        let records = PersonRecords(db: req.db, services: req.platform)
        let service = MembershipService(db: req.db, services: req.platform)
        let mine = try await Self.personal(person, services: req.platform, on: req.db)
        let panels = try await Self.panels(for: actor, services: req.platform, on: req.db)
        let consents = try await AuditEntry.query(on: req.db).filter(\.$action == "consent.accept")
            .filter(\.$entityID == actor.userID.uuidString).sort(\.$id).all()
        let societies = try await service.societies()
        let shell = await PageShell.build(for: req, title: "我的")
        let form = ApplyForm(revealed: revealed, applyError: applyError, statement: statement)
        return try await Self.page(
            actor, person, records: records, mine, panels: panels, consents: consents, societies: societies, form, shell: shell
        ).render(req, status: status)
    }

    /// What the person has: memberships, roles and the state of a deletion request.
    struct Personal {
        var memberships: [MyHomePage.MembershipRow] = []
        var roles: [MyHomePage.Line] = []
        var deletionPending: String?
        var deletionRefused: String?
    }

    /// What the page's forms show back: a revealed number, the apply form's refusal and statement.
    struct ApplyForm {
        let revealed: String?
        let applyError: String?
        let statement: String
    }

    static func personal(_ person: Person?, services: PlatformServices, on db: any Database) async throws -> Personal {
        var mine = Personal()
        guard let person, let personID = person.id else { return mine }
        mine.memberships = try await memberships(of: personID, on: db)
        mine.roles = try await roles(of: personID, on: db)
        let privacy = PrivacyService(db: db, services: services)
        if let pending = try await privacy.pendingRequest(of: person) {
            mine.deletionPending = "已于 \(ChineseDate.dateTime(pending.createdAt)) 提交注销申请，等待所在组织审核"
        } else if let refused = try await DeletionRequest.query(on: db).filter(\.$personID == personID)
            .filter(\.$status == DeletionStatus.refused).sort(\.$createdAt, .descending).first()
        {
            mine.deletionRefused = "上次注销申请未获同意：" + (refused.decisionNote ?? "")
        }
        return mine
    }

    static func memberships(of personID: UUID, on db: any Database) async throws -> [MyHomePage.MembershipRow] {
        let rows = try await Membership.query(on: db).filter(\.$personID == personID).sort(\.$createdAt, .descending).all()
        let societies = try await Organization.query(on: db).filter(\.$id ~~ rows.map(\.organizationID)).all()
        let names = Dictionary(uniqueKeysWithValues: societies.compactMap { o in o.id.map { ($0, o.name) } })
        return rows.map { m in
            .init(
                society: names[m.organizationID] ?? "—", number: m.memberNumber ?? "—",
                grade: m.grade.label,
                status: m.status.label,
                appliedOn: m.appliedOn.description, note: m.refusalReason.map { "未通过原因：" + $0 })
        }
    }

    /// The person's seats in the expert lists, representative bodies and three heads, with their organizations' names.
    static func roles(of personID: UUID, on db: any Database) async throws -> [MyHomePage.Line] {
        let experts = try await Expert.query(on: db).filter(\.$personID == personID).all()
        let seats = try await Representative.query(on: db).filter(\.$personID == personID).all()
        let heads = try await ThreeHead.query(on: db).filter(\.$personID == personID).all()
        let orgIDs = Set(experts.map(\.organizationID) + seats.map(\.organizationID) + heads.map(\.organizationID))
        let orgNames = Dictionary(
            uniqueKeysWithValues: try await Organization.query(on: db).filter(\.$id ~~ orgIDs).all().compactMap { o in
                o.id.map { ($0, o.name) }
            })
        try await ExpertLists.load(experts, on: db)
        var roles: [MyHomePage.Line] = []
        for expert in experts {
            let labels = expert.roles.map(\.label).joined(separator: "、")
            roles.append(.init(label: "专家库 · " + (orgNames[expert.organizationID] ?? ""), value: labels))
        }
        for seat in seats {
            roles.append(
                .init(
                    label: "\(seat.body) \(seat.term)",
                    value: (seat.role.label)
                        + (seat.constituency.map { "（\($0)）" } ?? "")))
        }
        for head in heads {
            roles.append(
                .init(
                    label: "三长 · " + (orgNames[head.organizationID] ?? ""),
                    value: "\(head.kind.label)（\(head.institution)，\(head.since)起）"))
        }
        return roles
    }

    /// The personal panels other modules register.
    static func panels(for actor: Actor, services: PlatformServices, on db: any Database) async throws -> [MyHomePage.Panel] {
        try await PanelRunner.compute(services.registry.personalPanels, actor: actor, now: services.clock(), on: db).map {
            MyHomePage.Panel(title: $0.title, lines: $0.lines)
        }
    }

    /// The page model.
    static func page(
        _ actor: Actor, _ person: Person?, records: PersonRecords, _ mine: Personal, panels: [MyHomePage.Panel], consents: [AuditEntry],
        societies: [Organization], _ form: ApplyForm, shell: PageShell
    ) -> MyHomePage {
        MyHomePage(
            shell: shell, hasProfile: person != nil, name: person?.name ?? actor.displayName,
            verification: person.flatMap { PersonVerification(rawValue: $0.verification)?.label } ?? "尚未填写资料",
            verified: person?.verification == PersonVerification.verified.rawValue, phone: person.map(records.maskedPhone) ?? "—",
            idNumber: person.map { $0.idNumberCipher == nil ? "未登记" : records.maskedIDNumber($0) } ?? "—", revealed: form.revealed,
            profileLink: MembersRoutes.myProfile(), revealAction: MembersRoutes.myReveal(), hasIDNumber: person?.idNumberCipher != nil,
            memberships: mine.memberships, applyAction: MembersRoutes.myMemberships(),
            societies: [SelectOption(value: "", label: "请选择学会", selected: true)]
                + societies.compactMap { s in s.id.map { SelectOption(value: $0.uuidString, label: s.name, selected: false) } },
            applyError: form.applyError, statement: form.statement, roles: mine.roles, panels: panels,
            consents: consents.map {
                .init(label: ChineseDate.dateTime(Self.auditTime.date(from: $0.occurredAt)), value: $0.summary)
            },
            dataLink: MembersRoutes.myData(), deletionAction: MembersRoutes.myDeletion(), deletionPending: mine.deletionPending,
            deletionRefused: mine.deletionRefused)
    }

    func apply(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let statement = (try? req.content.get(String.self, at: "statement")) ?? ""
        guard let person = try await person(req, actor) else {
            return try await page(req, revealed: nil, applyError: "请先填写“我的资料”，再申请入会", statement: statement, status: .unprocessableEntity)
        }
        let societyID = (try? req.content.get(String.self, at: "society")).flatMap(UUID.init(uuidString:))
        do {
            _ = try await MembershipService(db: req.db, services: req.platform).apply(
                person: person, societyID: societyID, statement: statement)
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await page(req, revealed: nil, applyError: refusal.message, statement: statement, status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.myHome(query: ["notice": "applied"]))
    }

    func reveal(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let person = try await person(req, actor), let id = person.id else { throw PlatformError.notFound }
        let field = (try? req.content.get(String.self, at: "field")).flatMap(PeopleDirectory.RevealedField.init(rawValue:)) ?? .phone
        let value = try await PeopleDirectory(
            db: req.db, services: req.platform, validator: PersonProfileValidator(classifications: try Classifications.bundled())
        ).reveal(field, of: id, actor: actor)
        return try await page(req, revealed: "\(field.label)：\(value)", applyError: nil, statement: "")
    }

    func download(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let data = try await PrivacyService(db: req.db, services: req.platform).export(person: try await person(req, actor), actor: actor)
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: "application/json; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"kexie-my-data.json\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func requestDeletion(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let person = try await person(req, actor) else { throw PlatformError.notFound }
        let reason = try? req.content.get(String.self, at: "reason")
        _ = try await PrivacyService(db: req.db, services: req.platform).requestDeletion(person: person, reason: reason)
        return req.redirect(to: MembersRoutes.myHome(query: ["notice": "deletion_requested"]))
    }
}
