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
        let societies = try await Self.societies(in: actor.scope, year: year, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: societies.map { ($0.id, $0.name) })
        let condition = Self.condition(for: actor, params)
        if let format = req.exportFormat {
            let all = try await Self.select(condition, params, offset: 0, limit: 100_000, countCap: 0).run(on: req.db)
            return try await TableExport(
                fileName: "会员名单", headers: ["名称", "类别", "学会", "会员编号", "级别", "状态", "申请日期", "入会日期"],
                rows: try all.rows.map { try Self.cells(MembershipListing(row: $0), names: names) }
            ).response(format, for: req)
        }
        let page = try await Self.select(condition, params, offset: params.offset, limit: params.pageSize).run(on: req.db)
        let shell = await PageShell.build(for: req, title: "会员管理")
        // The acting organization is a society exactly when it is among the societies of its own subtree.
        let settings = societies.contains { $0.id == actor.actingOrganizationID }
        return try await Self.listPage(
            try page.rows.map(MembershipListing.init(row:)), total: page.total, societies: societies, names: names, year: year,
            params, settings: settings, shell: shell
        ).render(req)
    }

    /// A society of the actor's subtree with its counts (active, applied, new this year), all in one
    /// grouped statement.
    struct SocietyCounts: Sendable {
        let id: UUID
        let name: String
        let active: Int
        let applied: Int
        let newThisYear: Int
    }

    static func societies(in scope: Scope, year: Int, on db: any Database) async throws -> [SocietyCounts] {
        guard let root = scope.rootPath else { return [] }
        let active = MembershipStatus.active.rawValue
        let suspended = MembershipStatus.suspended.rawValue
        return try await db.sql().raw(
            """
            SELECT o.id, o.name,
              SUM(CASE WHEN m.status = \(bind: active) THEN 1 ELSE 0 END) AS active,
              SUM(CASE WHEN m.status = \(bind: MembershipStatus.applied.rawValue) THEN 1 ELSE 0 END) AS applied,
              SUM(CASE WHEN m.status IN (\(bind: active), \(bind: suspended)) AND m.joined_year = \(bind: year) THEN 1 ELSE 0 END)
                AS new_this_year
            FROM platform_organizations o LEFT JOIN members_memberships m ON m.organization_id = o.id
            WHERE o.kind = \(bind: OrganizationKind.society.rawValue) AND o.path LIKE \(bind: root + "%")
            GROUP BY o.id, o.name ORDER BY o.name, o.id
            """
        ).all().map { row in
            SocietyCounts(
                id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                active: try row.decode(column: "active", as: Int?.self) ?? 0,
                applied: try row.decode(column: "applied", as: Int?.self) ?? 0,
                newThisYear: try row.decode(column: "new_this_year", as: Int?.self) ?? 0)
        }
    }

    /// The memberships in the actor's scope that match the filters.
    static func condition(for actor: Actor, _ params: ListParameters) -> SQLQueryString {
        var sql = actor.scope.contains(column: "organization_id")
        if let society = params["society"].flatMap(UUID.init(uuidString:)) {
            sql.appendInterpolation(unsafeRaw: " AND organization_id = ")
            sql.appendInterpolation(bind: society)
        }
        if let status = params["status"].flatMap(MembershipStatus.init(rawValue:)) {
            sql.appendInterpolation(unsafeRaw: " AND status = ")
            sql.appendInterpolation(bind: status.rawValue)
        }
        if let grade = params["grade"].flatMap(MembershipGrade.init(rawValue:)) {
            sql.appendInterpolation(unsafeRaw: " AND grade = ")
            sql.appendInterpolation(bind: grade.rawValue)
        }
        if let q = params.search {
            let escaped = q.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
            sql.appendInterpolation(unsafeRaw: " AND (member_name LIKE ")
            sql.appendInterpolation(bind: "%" + escaped + "%")
            sql.appendInterpolation(unsafeRaw: " OR member_number LIKE ")
            sql.appendInterpolation(bind: "%" + escaped.uppercased() + "%")
            sql.appendInterpolation(unsafeRaw: ")")
        }
        return sql
    }

    /// The page (or the export) in the asked order.
    static func select(_ condition: SQLQueryString, _ params: ListParameters, offset: Int, limit: Int, countCap: Int? = nil)
        -> PagedSelect
    {
        let direction = params.descending ? "DESC" : "ASC"
        let column =
            switch params["sort"] {
            case "applied": "applied_on"
            case "number": "member_number"
            default: "member_name"
            }
        return PagedSelect(
            columns: MembershipListing.columns, from: Membership.schema, where: condition, order: "\(column) \(direction), id",
            limit: limit, offset: offset, countCap: countCap)
    }

    /// A membership's cells, in the export's column order.
    static func cells(_ m: MembershipListing, names: [UUID: String]) -> [String] {
        [
            m.memberName ?? "", (m.memberOrganizationID == nil ? MembershipKind.individual : .group).label,
            names[m.organizationID] ?? "", m.memberNumber ?? "", m.grade.label,
            m.status.label, m.appliedOn.description, m.joinedOn?.description ?? "",
        ]
    }

    /// The page model for one page of memberships.
    static func listPage(
        _ page: [MembershipListing], total: Int, societies: [SocietyCounts], names: [UUID: String], year: Int,
        _ params: ListParameters, settings: Bool, shell: PageShell
    ) throws -> MembershipListPage {
        try MembershipListPage(
            shell: shell, list: params.chrome(total: total),
            nameHeader: params.sortLink("name", label: "名称"), appliedHeader: params.sortLink("applied", label: "申请日期"),
            societies: [SelectOption(value: "", label: "全部学会", selected: params["society"] == nil)]
                + societies.map { s in
                    SelectOption(value: s.id.uuidString, label: s.name, selected: params["society"] == s.id.uuidString)
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
                    name: cells[0], link: MembersRoutes.membership(m.id), kind: cells[1], society: cells[2], number: cells[3],
                    grade: cells[4], status: cells[5], appliedOn: cells[6])
            },
            counts: societies.count > 1
                ? societies.map { s in
                    .init(
                        society: s.name, link: params.link(["society": s.id.uuidString, "page": nil]), active: s.active,
                        applied: s.applied, newThisYear: s.newThisYear)
                } : [],
            year: year,
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

/// One row of the membership list and its export, read without a Fluent model.
struct MembershipListing: Sendable {
    static let columns = "id, organization_id, member_organization_id, member_name, member_number, grade, status, applied_on, joined_on"

    let id: UUID
    let organizationID: UUID
    let memberOrganizationID: UUID?
    let memberName: String?
    let memberNumber: String?
    let grade: MembershipGrade
    let status: MembershipStatus
    let appliedOn: Day
    let joinedOn: Day?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        organizationID = try row.decode(column: "organization_id", as: UUID.self)
        memberOrganizationID = try row.decode(column: "member_organization_id", as: UUID?.self)
        memberName = try row.decode(column: "member_name", as: String?.self)
        memberNumber = try row.decode(column: "member_number", as: String?.self)
        grade = try row.decode(column: "grade", as: MembershipGrade.self)
        status = try row.decode(column: "status", as: MembershipStatus.self)
        appliedOn = try row.decode(column: "applied_on", as: Day.self)
        joinedOn = try row.decode(column: "joined_on", as: Day?.self)
    }
}
