import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct ThreeHeadsPage: Sendable {
    struct Row: Encodable, Sendable {
        let organization: String
        let name: String
        let link: String
        let kind: String
        let institution: String
        let since: String
        let removeAction: String
    }

    let shell: PageShell
    let rows: [Row]
    let action: String
    let organization: OrganizationPickerValue
    let kinds: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
    let csvLink: String
    let xlsxLink: String
}

struct ExpertsPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let link: String
        let employer: String
        let title: String
        let region: String
        let roles: String
        let fields: String
        let availability: String
        let conflictsLink: String
    }

    let shell: PageShell
    let q: String
    let region: String
    let fields: [SelectOption]
    let roles: [SelectOption]
    let availabilities: [SelectOption]
    let rows: [Row]
    let canManage: Bool
    let action: String
    let roleChoices: [SelectOption]
    let fieldChoices: [SelectOption]
    let availabilityChoices: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
    let csvLink: String
    let xlsxLink: String
}

struct RepresentativesPage: Sendable {
    struct Seat: Encodable, Sendable {
        let name: String
        let link: String
        let role: String
        let constituency: String
        let employer: String
    }

    struct Body: Encodable, Sendable {
        let title: String
        let count: Int
        let seats: [Seat]
    }

    let shell: PageShell
    let bodies: [Body]
    let action: String
    let roles: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
    let csvLink: String
    let xlsxLink: String
}

struct DeletionsPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let requestedAt: String
        let reason: String
        let status: String
        let decision: String
        let action: String?
    }

    let shell: PageShell
    let rows: [Row]
    let error: String?
}

/// 三长, expert pools, representatives and committee members, and deletion requests.
struct RolesController {
    let classifications: Classifications

    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.threeHeads, use: threeHeads)
        web.post(MembersRoutes.threeHeads, use: addThreeHead)
        web.post(MembersRoutes.removeThreeHead, use: removeThreeHead)
        web.get(MembersRoutes.experts, use: experts)
        web.post(MembersRoutes.experts, use: saveExpert)
        web.get(MembersRoutes.representatives, use: representatives)
        web.post(MembersRoutes.representatives, use: addRepresentative)
        web.get(MembersRoutes.deletions, use: deletions)
        web.post(MembersRoutes.decideDeletion, use: decideDeletion)
    }

    private func service(_ req: Request) -> RolesService { RolesService(db: req.db, services: req.platform) }

    private func form(_ req: Request, _ keys: [String]) -> [String: String] {
        var values: [String: String] = [:]
        for key in keys { values[key] = (try? req.content.get(String.self, at: key)) ?? "" }
        return values
    }

    private func export(_ req: Request, name: String, headers: [String], rows: [[String]]) async throws -> Response? {
        guard let format = req.exportFormat else { return nil }
        return try await TableExport(fileName: name, headers: headers, rows: rows).response(format, for: req)
    }

    // MARK: 三长

    func threeHeads(_ req: Request) async throws -> Response {
        try await threeHeadsPage(req, values: [:], errors: [:])
    }

    private func threeHeadsPage(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        try actor.require(MembersPermission.rolesManage)
        let heads = try await actor.scope.query(ThreeHead.self, on: req.db).fields(for: ThreeHead.self).sort(\.$createdAt).limit(5000).all()
        let people = try await Person.query(on: req.db).filter(\.$id ~~ heads.map(\.personID)).all()
        let peopleByID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        let orgs = try await actor.scope.organizations(on: req.db).filter(\.$isActive == true).sort(\.$depth).sort(\.$name).limit(2000)
            .all()
        let orgNames = Dictionary(uniqueKeysWithValues: orgs.compactMap { o in o.id.map { ($0, o.name) } })
        let rows: [ThreeHeadsPage.Row] = try heads.map { head in
            .init(
                organization: orgNames[head.organizationID] ?? "", name: peopleByID[head.personID]?.name ?? "",
                link: MembersRoutes.person(head.personID), kind: head.kind.label,
                institution: head.institution, since: head.since.description,
                removeAction: MembersRoutes.removeThreeHead(try head.requireID()))
        }
        if let file = try await export(
            req, name: "三长名册", headers: ["组织", "姓名", "类别", "所在单位", "任职起始"],
            rows: rows.map { [$0.organization, $0.name, $0.kind, $0.institution, $0.since] })
        {
            return file
        }
        let organization =
            if let sent = values["organizationID"], !sent.isEmpty {
                try await actor.organizationPicker(sent: sent, on: req.db)
            } else {
                try await actor.organizationPicker(selected: nil, on: req.db)
            }
        return try await ThreeHeadsPage(
            shell: await PageShell.build(for: req, title: "三长名册"), rows: rows, action: MembersRoutes.threeHeads(),
            organization: organization,
            kinds: ThreeHeadKind.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
            },
            values: values, errors: errors, csvLink: MembersRoutes.threeHeads(query: ["format": "csv"]),
            xlsxLink: MembersRoutes.threeHeads(query: ["format": "xlsx"])
        ).render(req, status: status)
    }

    func addThreeHead(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let values = form(req, ["organizationID", "person", "kind", "institution", "since"])
        let organizationID = try await OrganizationLookup(db: req.db).resolve(values["organizationID"], in: .subtree, actor: actor)
        if organizationID == nil, !(values["organizationID"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            return try await threeHeadsPage(
                req, values: values, errors: ["organizationID": "未找到该组织，请从列表中选择或填写完整路径"], status: .unprocessableEntity)
        }
        do {
            _ = try await service(req).addThreeHead(
                organizationID: organizationID, identifier: values["person"],
                kind: values["kind"],
                institution: values["institution"], since: values["since"], actor: actor)
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await threeHeadsPage(
                req, values: values, errors: [refusal.field ?? "person": refusal.message], status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.threeHeads(query: ["notice": "created"]))
    }

    func removeThreeHead(_ req: Request) async throws -> Response {
        try await service(req).removeThreeHead(try req.uuidParameter(), actor: try req.actor)
        return req.redirect(to: MembersRoutes.threeHeads(query: ["notice": "removed"]))
    }

    // MARK: Experts

    func experts(_ req: Request) async throws -> Response {
        try await expertsPage(req, values: [:], chosenRoles: [], errors: [:])
    }

    /// Handler: who, which filters → the experts in scope → the export or the page with the add form.
    private func expertsPage(
        _ req: Request, values: [String: String], chosenRoles: Set<String>, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        var asked: [String: String] = [:]
        for key in ["field", "region", "role", "availability", "q"] {
            asked[key] = req.query[String.self, at: key]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        }
        let found = try await service(req).experts(Self.expertFilter(asked), actor: actor)
        let rows = try expertRows(found)
        if let file = try await export(
            req, name: "专家库", headers: ["姓名", "工作单位", "职称", "地区", "专家类别", "专业领域", "可参加情况"],
            rows: rows.map { [$0.name, $0.employer, $0.title, $0.region, $0.roles, $0.fields, $0.availability] })
        {
            return file
        }
        let exportBase = MembersRoutes.experts() + "?" + (req.url.query.map { $0 + "&" } ?? "")
        let shell = await PageShell.build(for: req, title: "专家库")
        return try await expertsPage(
            rows, asked: asked, canManage: actor.can(MembersPermission.rolesManage), values: values, chosenRoles: chosenRoles,
            errors: errors, exportBase: exportBase, shell: shell
        ).render(req, status: status)
    }

    static func expertFilter(_ asked: [String: String]) -> RolesService.ExpertFilter {
        RolesService.ExpertFilter(
            field: asked["field"], region: asked["region"], role: ExpertRole.parse(asked["role"]),
            availability: ExpertAvailability.parse(asked["availability"]), search: asked["q"])
    }

    func expertRows(_ found: [(Expert, Person)]) throws -> [ExpertsPage.Row] {
        let disciplineNames = Dictionary(uniqueKeysWithValues: classifications.disciplines.map { ($0.code, $0.name) })
        return try found.map { expert, person in
            .init(
                name: person.name, link: MembersRoutes.person(try person.requireID()), employer: person.employer ?? "",
                title: person.titleName ?? "", region: [person.city, person.county].compactMap { $0 }.joined(separator: " "),
                roles: expert.roles.map(\.label).joined(separator: "、"),
                fields: expert.fields.compactMap { disciplineNames[$0] }.joined(separator: "、"),
                availability: expert.availability.label, conflictsLink: MembersRoutes.expertConflicts(try expert.requireID()))
        }
    }

    /// The experts page model: the filters as asked, the rows and the add form.
    func expertsPage(
        _ rows: [ExpertsPage.Row], asked: [String: String], canManage: Bool, values: [String: String], chosenRoles: Set<String>,
        errors: [String: String], exportBase: String, shell: PageShell
    ) -> ExpertsPage {
        ExpertsPage(
            shell: shell, q: asked["q"] ?? "", region: asked["region"] ?? "",
            fields: [SelectOption(value: "", label: "全部领域", selected: asked["field"] == nil)]
                + classifications.disciplines.map {
                    SelectOption(value: $0.code, label: "\($0.code) \($0.name)", selected: asked["field"] == $0.code)
                },
            roles: [SelectOption(value: "", label: "全部类别", selected: asked["role"] == nil)]
                + ExpertRole.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: asked["role"] == $0.rawValue) },
            availabilities: [SelectOption(value: "", label: "不限", selected: asked["availability"] == nil)]
                + ExpertAvailability.allCases.map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: asked["availability"] == $0.rawValue)
                },
            rows: rows, canManage: canManage, action: MembersRoutes.experts(),
            roleChoices: ExpertRole.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: chosenRoles.contains($0.rawValue))
            },
            fieldChoices: [SelectOption(value: "", label: "（使用本人学科）", selected: true)]
                + classifications.disciplines.map {
                    SelectOption(value: $0.code, label: "\($0.code) \($0.name)", selected: values["fields"] == $0.code)
                },
            availabilityChoices: ExpertAvailability.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: (values["availability"] ?? "available") == $0.rawValue)
            },
            values: values, errors: errors, csvLink: exportBase + "format=csv", xlsxLink: exportBase + "format=xlsx")
    }

    func saveExpert(_ req: Request) async throws -> Response {
        let actor = try req.actor
        var values = form(req, ["person", "fields", "availability", "note"])
        let roles =
            (try? req.content.get([String].self, at: "roles")) ?? ((try? req.content.get(String.self, at: "roles")).map { [$0] } ?? [])
        do {
            _ = try await service(req).saveExpert(
                .init(
                    identifier: values["person"], roles: roles, fields: [values["fields"] ?? ""].filter { !$0.isEmpty },
                    availability: values["availability"], note: values["note"]),
                actor: actor, classifications: classifications)
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await expertsPage(
                req, values: values, chosenRoles: Set(roles), errors: [refusal.field ?? "person": refusal.message],
                status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.experts(query: ["notice": "saved"]))
    }

    // MARK: Representatives

    func representatives(_ req: Request) async throws -> Response {
        try await representativesPage(req, values: [:], errors: [:])
    }

    private func representativesPage(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        try actor.require(MembersPermission.rolesManage)
        let seats = try await actor.scope.query(Representative.self, on: req.db).fields(for: Representative.self)
            .sort(\.$body).sort(\.$term).sort(\.$role).limit(10_000).all()
        let people = try await Person.query(on: req.db).filter(\.$id ~~ seats.map(\.personID)).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        var bodies: [RepresentativesPage.Body] = []
        var exportRows: [[String]] = []
        let roleOrder: [RepresentativeRole: Int] = [
            RepresentativeRole.standing: 0, RepresentativeRole.committee: 1, RepresentativeRole.delegate: 2,
        ]
        for (key, group) in Dictionary(grouping: seats, by: { "\($0.body) \($0.term)" }).sorted(by: { $0.key < $1.key }) {
            let ordered = group.sorted {
                (roleOrder[$0.role] ?? 9, byID[$0.personID]?.name ?? "") < (roleOrder[$1.role] ?? 9, byID[$1.personID]?.name ?? "")
            }
            let rows: [RepresentativesPage.Seat] = ordered.map { seat in
                let person = byID[seat.personID]
                return .init(
                    name: person?.name ?? "", link: MembersRoutes.person(seat.personID),
                    role: seat.role.label, constituency: seat.constituency ?? "",
                    employer: person?.employer ?? "")
            }
            exportRows += rows.map { [key, $0.name, $0.role, $0.constituency, $0.employer] }
            bodies.append(.init(title: key, count: rows.count, seats: rows))
        }
        if let file = try await export(req, name: "代表委员名册", headers: ["会议或委员会（届次）", "姓名", "身份", "推选单位", "工作单位"], rows: exportRows) {
            return file
        }
        return try await RepresentativesPage(
            shell: await PageShell.build(for: req, title: "代表与委员"), bodies: bodies, action: MembersRoutes.representatives(),
            roles: RepresentativeRole.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: values["role"] == $0.rawValue)
            },
            values: values, errors: errors, csvLink: MembersRoutes.representatives(query: ["format": "csv"]),
            xlsxLink: MembersRoutes.representatives(query: ["format": "xlsx"])
        ).render(req, status: status)
    }

    func addRepresentative(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let values = form(req, ["person", "body", "term", "role", "constituency"])
        do {
            _ = try await service(req).addRepresentative(
                identifier: values["person"], body: values["body"], term: values["term"], role: values["role"],
                constituency: values["constituency"], actor: actor)
        } catch let refusal as any KexieError where refusal.status == .unprocessableEntity {
            return try await representativesPage(
                req, values: values, errors: [refusal.field ?? "person": refusal.message], status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.representatives(query: ["notice": "created"]))
    }

    // MARK: Deletion requests

    func deletions(_ req: Request) async throws -> Response {
        try await deletionsPage(req, error: nil)
    }

    private func deletionsPage(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        let requests = try await PrivacyService(db: req.db, services: req.platform).requests(actor: actor, status: nil)
        return try await DeletionsPage(
            shell: await PageShell.build(for: req, title: "注销申请"),
            rows: requests.map { r in
                .init(
                    name: r.personName, requestedAt: ChineseDate.dateTime(r.createdAt), reason: r.reason ?? "",
                    status: r.status.label,
                    decision: [r.decidedBy, r.decisionNote].compactMap { $0 }.joined(separator: "："),
                    action: r.status == DeletionStatus.pending ? MembersRoutes.decideDeletion(try r.requireID()) : nil)
            },
            error: error
        ).render(req, status: status)
    }

    func decideDeletion(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let approve = (try? req.content.get(String.self, at: "outcome")) == "approve"
        let note = try? req.content.get(String.self, at: "note")
        do {
            _ = try await PrivacyService(db: req.db, services: req.platform).decide(
                try req.uuidParameter(), approve: approve, note: note, actor: actor)
        } catch PlatformError.invalidInput(_, let message) {
            return try await deletionsPage(req, error: message, status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.deletions(query: ["notice": "saved"]))
    }
}
