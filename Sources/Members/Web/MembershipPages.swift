import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct MembershipListPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let link: String
        let kind: String
        let society: String
        let number: String
        let grade: String
        let status: String
        let appliedOn: String
    }

    struct Count: Encodable, Sendable {
        let society: String
        let link: String
        let active: Int
        let applied: Int
        let newThisYear: Int
    }

    let shell: PageShell
    let list: ListChrome
    let nameHeader: SortHeader
    let appliedHeader: SortHeader
    let societies: [SelectOption]
    let statuses: [SelectOption]
    let grades: [SelectOption]
    let rows: [Row]
    let counts: [Count]
    let year: Int
    let settingsLink: String?
}

struct MembershipPage: Sendable {
    struct Event: Encodable, Sendable {
        let date: String
        let action: String
        let detail: String
    }

    let shell: PageShell
    let name: String
    let personLink: String?
    let society: String
    let kind: String
    let number: String
    let grade: String
    let status: String
    let statement: String?
    let refusalReason: String?
    let isApplication: Bool
    let canChange: Bool
    let approveAction: String
    let refuseAction: String
    let changeAction: String
    let grades: [SelectOption]
    let statuses: [SelectOption]
    let history: [Event]
    let errors: [String: String]
}

struct SocietySettingsPage: Sendable {
    let shell: PageShell
    let society: String
    let action: String
    let prefix: String
    let width: String
    let example: String?
    let groupAction: String
    let organizations: [SelectOption]
    let errors: [String: String]
}

/// 会员管理: a society's applications and members (only its own), the provincial association's counts
/// across societies, decisions with reasons, grades and status with history, and the number format.
struct MembershipController {
    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.memberships, use: list)
        web.get(MembersRoutes.membershipSettings, use: settings)
        web.post(MembersRoutes.membershipSettings, use: saveSettings)
        web.post(MembersRoutes.groupMembers, use: addGroup)
        web.get(MembersRoutes.membership, use: detail)
        web.post(MembersRoutes.approveMembership, use: approve)
        web.post(MembersRoutes.refuseMembership, use: refuse)
        web.post(MembersRoutes.changeMembership, use: change)
    }

    private func service(_ req: Request) -> MembershipService { MembershipService(db: req.db, services: req.platform) }

    /// Handler: who, which filters → the society's memberships → the export or one page with the counts.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.membershipsManage)
        let params = try ListParameters(request: req, path: MembersRoutes.memberships(), keys: ["society", "status", "grade"])
        let year = Day.today(now: req.platform.clock()).year
        let societies = try await actor.scope.organizations(on: req.db).filter(\.$kind == .society).sort(\.$name).all()
        let query = Self.memberships(for: actor, params, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: societies.compactMap { s in s.id.map { ($0, s.name) } })
        if let format = req.exportFormat { return try await Self.export(query, names: names).response(format, for: req) }
        let total = try await query.count(\.$id)
        let page = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let counts = try await Self.counts(societies, year: year, params, on: req.db)
        let acting = try await Organization.find(actor.actingOrganizationID, on: req.db)
        let shell = await PageShell.build(for: req, title: "会员管理")
        return try await Self.listPage(
            page, total: total, societies: societies, names: names, counts: counts, year: year, params,
            settings: acting?.kind == .society, shell: shell
        ).render(req)
    }

    /// The memberships in the actor's scope that match the filters, in the asked order.
    static func memberships(for actor: Actor, _ params: ListParameters, on db: any Database) -> QueryBuilder<Membership> {
        var query = actor.scope.query(Membership.self, on: db).fields(for: Membership.self)
        if let society = params["society"].flatMap(UUID.init(uuidString:)) { query = query.filter(\.$organizationID == society) }
        if let status = params["status"].flatMap(MembershipStatus.init(rawValue:)) { query = query.filter(\.$status == status) }
        if let grade = params["grade"].flatMap(MembershipGrade.init(rawValue:)) { query = query.filter(\.$grade == grade) }
        if let q = params.search {
            query = query.group(.or) { $0.filter(\.$memberName ~~ q).filter(\.$memberNumber ~~ q.uppercased()) }
        }
        let direction: DatabaseQuery.Sort.Direction = params.descending ? .descending : .ascending
        switch params["sort"] {
        case "applied": query = query.sort(\.$appliedOn, direction)
        case "number": query = query.sort(\.$memberNumber, direction)
        default: query = query.sort(\.$memberName, direction)
        }
        return query
    }

    /// A membership's cells, in the export's column order.
    static func cells(_ m: Membership, names: [UUID: String]) -> [String] {
        [
            m.memberName ?? "", (m.memberOrganizationID == nil ? MembershipKind.individual : .group).label,
            names[m.organizationID] ?? "", m.memberNumber ?? "", m.grade.label,
            m.status.label, m.appliedOn.description, m.joinedOn?.description ?? "",
        ]
    }

    static func export(_ query: QueryBuilder<Membership>, names: [UUID: String]) async throws -> TableExport {
        let all = try await query.limit(100_000).all()
        return TableExport(
            fileName: "会员名单", headers: ["名称", "类别", "学会", "会员编号", "级别", "状态", "申请日期", "入会日期"],
            rows: all.map { cells($0, names: names) })
    }

    /// Counts per society in one grouped query.
    static func counts(
        _ societies: [Organization], year: Int, _ params: ListParameters, on db: any Database
    ) async throws -> [MembershipListPage.Count] {
        let sql = try db.sql()
        guard !societies.isEmpty else { return [] }
        let ids = societies.compactMap(\.id)
        let rows = try await sql.raw(
            """
            SELECT organization_id AS s, status AS st, COUNT(*) AS n, \
            SUM(CASE WHEN joined_year = \(bind: year) THEN 1 ELSE 0 END) AS y \
            FROM members_memberships WHERE organization_id IN (\(binds: ids)) GROUP BY organization_id, status
            """
        ).all()
        var table: [UUID: (active: Int, applied: Int, new: Int)] = [:]
        for row in rows {
            let society = try row.decode(column: "s", as: UUID.self)
            let status = try row.decode(column: "st", as: MembershipStatus.self)
            let n = try row.decode(column: "n", as: Int.self)
            let y = (try? row.decode(column: "y", as: Int.self)) ?? 0
            var entry = table[society] ?? (0, 0, 0)
            if status == MembershipStatus.active { entry.active += n }
            if status == MembershipStatus.applied { entry.applied += n }
            if status == MembershipStatus.active || status == MembershipStatus.suspended { entry.new += y }
            table[society] = entry
        }
        return societies.compactMap { society in
            guard let id = society.id else { return nil }
            let entry = table[id] ?? (0, 0, 0)
            return .init(
                society: society.name, link: params.link(["society": id.uuidString, "page": nil]), active: entry.active,
                applied: entry.applied, newThisYear: entry.new)
        }
    }

    /// The page model for one page of memberships.
    static func listPage(
        _ page: [Membership], total: Int, societies: [Organization], names: [UUID: String], counts: [MembershipListPage.Count],
        year: Int, _ params: ListParameters, settings: Bool, shell: PageShell
    ) throws -> MembershipListPage {
        try MembershipListPage(
            shell: shell, list: params.chrome(total: total),
            nameHeader: params.sortLink("name", label: "名称"), appliedHeader: params.sortLink("applied", label: "申请日期"),
            societies: [SelectOption(value: "", label: "全部学会", selected: params["society"] == nil)]
                + societies.compactMap { s in
                    s.id.map { SelectOption(value: $0.uuidString, label: s.name, selected: params["society"] == $0.uuidString) }
                },
            statuses: [SelectOption(value: "", label: "全部状态", selected: params["status"] == nil)]
                + MembershipStatus.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
                },
            grades: [SelectOption(value: "", label: "全部级别", selected: params["grade"] == nil)]
                + MembershipGrade.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: params["grade"] == $0.rawValue)
                },
            rows: page.map { m in
                let cells = cells(m, names: names)
                return .init(
                    name: cells[0], link: MembersRoutes.membership(try m.requireID()), kind: cells[1], society: cells[2], number: cells[3],
                    grade: cells[4], status: cells[5], appliedOn: cells[6])
            },
            counts: societies.count > 1 ? counts : [], year: year,
            settingsLink: settings ? MembersRoutes.membershipSettings() : nil)
    }

    func detail(_ req: Request) async throws -> Response {
        try await detailPage(req, errors: [:])
    }

    private func detailPage(_ req: Request, errors: [String: String], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.membershipsManage)
        let service = service(req)
        let id = try req.uuidParameter()
        let membership = try await service.membership(id, actor: actor)
        let society = try await Organization.find(membership.organizationID, on: req.db)
        let history = try await service.history(of: membership)
        let current = membership.status
        return try await MembershipPage(
            shell: await PageShell.build(for: req, title: "会籍：\(membership.memberName ?? "")"), name: membership.memberName ?? "",
            personLink: membership.personID.map { MembersRoutes.person($0) }, society: society?.name ?? "",
            kind: membership.memberOrganizationID == nil ? MembershipKind.individual.label : MembershipKind.group.label,
            number: membership.memberNumber ?? "—", grade: membership.grade.label,
            status: current.label, statement: membership.statement, refusalReason: membership.refusalReason,
            isApplication: current == .applied, canChange: current == .active || current == .suspended,
            approveAction: MembersRoutes.approveMembership(id), refuseAction: MembersRoutes.refuseMembership(id),
            changeAction: MembersRoutes.changeMembership(id),
            grades: MembershipGrade.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == membership.grade)
            },
            statuses: [MembershipStatus.active, .suspended, .withdrawn].map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == membership.status)
            },
            history: history.map { e in
                .init(
                    date: e.occurredOn.description, action: MembershipService.actionLabel(e.action),
                    detail:
                        "\(e.actorName) · \(e.grade.label) · \(e.status.label)"
                        + (e.note.map { " · " + $0 } ?? ""))
            },
            errors: errors
        ).render(req, status: status)
    }

    /// Runs a decision; a refusal of the input comes back as the page with the message beside its field.
    private func decide(_ req: Request, _ body: () async throws -> Void) async throws -> Response {
        let id = try req.uuidParameter()
        do {
            try await body()
        } catch let refusal as any KexieError where [.unprocessableEntity, .conflict].contains(refusal.status) {
            return try await detailPage(req, errors: [refusal.field ?? "form": refusal.message], status: refusal.status)
        }
        return req.redirect(to: MembersRoutes.membership(id, query: ["notice": "saved"]))
    }

    func approve(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let grade = MembershipGrade.parse(try? req.content.get(String.self, at: "grade")) ?? .member
        return try await decide(req) { _ = try await service(req).approve(try req.uuidParameter(), grade: grade, actor: actor) }
    }

    func refuse(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let reason = try? req.content.get(String.self, at: "reason")
        return try await decide(req) { _ = try await service(req).refuse(try req.uuidParameter(), reason: reason, actor: actor) }
    }

    func change(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let grade = MembershipGrade.parse(try? req.content.get(String.self, at: "grade"))
        let status = MembershipStatus.parse(try? req.content.get(String.self, at: "status"))
        let note = try? req.content.get(String.self, at: "note")
        return try await decide(req) {
            _ = try await service(req).change(try req.uuidParameter(), grade: grade, status: status, note: note, actor: actor)
        }
    }

    func settings(_ req: Request) async throws -> Response {
        try await settingsPage(req, prefix: nil, width: nil, errors: [:])
    }

    private func settingsPage(_ req: Request, prefix: String?, width: String?, errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        try actor.require(MembersPermission.membershipsManage)
        let service = service(req)
        let society = try await service.society(actor.actingOrganizationID, actor: actor)
        let settings = try await service.settings(of: try society.requireID())
        let example = settings.flatMap { try? MemberNumberFormat(prefix: $0.memberPrefix, sequenceWidth: $0.sequenceWidth) }
            .flatMap { try? $0.number(year: Day.today(now: req.platform.clock()).year, sequence: 1) }?.description
        let candidates = try await Organization.query(on: req.db).filter(\.$isActive == true).filter(\.$kind != .society)
            .filter(\.$kind != .association).sort(\.$name).limit(1000).all()
        return try await SocietySettingsPage(
            shell: await PageShell.build(for: req, title: "会员编号规则"), society: society.name, action: MembersRoutes.membershipSettings(),
            prefix: prefix ?? settings?.memberPrefix ?? "", width: width ?? String(settings?.sequenceWidth ?? 5), example: example,
            groupAction: MembersRoutes.groupMembers(),
            organizations: [SelectOption(value: "", label: "请选择单位", selected: true)]
                + candidates.compactMap { o in o.id.map { SelectOption(value: $0.uuidString, label: o.name, selected: false) } },
            errors: errors
        ).render(req, status: status)
    }

    func saveSettings(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let prefix = (try? req.content.get(String.self, at: "prefix")) ?? ""
        let widthText = (try? req.content.get(String.self, at: "width")) ?? ""
        guard let width = Int(widthText.trimmingCharacters(in: .whitespaces)) else {
            return try await settingsPage(
                req, prefix: prefix, width: widthText, errors: ["width": "序号位数应为 3 到 8 的整数"], status: .unprocessableEntity)
        }
        do {
            _ = try await service(req).saveSettings(
                societyID: try actor.actingOrganizationID.orThrow(PlatformError.forbidden), prefix: prefix, width: width, actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await settingsPage(
                req, prefix: prefix, width: widthText, errors: [field ?? "prefix": message], status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.membershipSettings(query: ["notice": "saved"]))
    }

    func addGroup(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let organizationID = (try? req.content.get(String.self, at: "organization")).flatMap(UUID.init(uuidString:))
        let membership: Membership
        do {
            membership = try await service(req).addGroupMember(
                societyID: actor.actingOrganizationID, memberOrganizationID: organizationID, actor: actor)
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await settingsPage(
                req, prefix: nil, width: nil, errors: [refusal.field ?? "organization": refusal.message], status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.membership(try membership.requireID(), query: ["notice": "created"]))
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}
