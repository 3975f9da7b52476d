import Fluent
import Foundation
import Vapor

struct OrganizationListPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let link: String
        let kind: String
        let parent: String
        let region: String
        let status: String
        let created: String
    }

    let shell: PageShell
    let list: ListChrome
    let kinds: [SelectOption]
    let statuses: [SelectOption]
    let rows: [Row]
}

struct OrganizationFormPage: Sendable {
    let shell: PageShell
    let heading: String
    let action: String
    let name: String
    let kinds: [SelectOption]
    let levels: [SelectOption]
    /// The parent picker (associations of the subtree); nil on the edit form (moving is separate).
    let parent: OrganizationPickerValue?
    let region: String
    let establishedYear: String
    let errors: [String: String]
    let cancelLink: String
}

struct OrganizationDetailPage: Sendable {
    struct Child: Encodable, Sendable {
        let name: String
        let link: String
        let kind: String
        let status: String
    }

    let shell: PageShell
    let name: String
    let kind: String
    let path: [String]
    let region: String
    let establishedYear: String
    let status: String
    let isActive: Bool
    let departments: [String]
    let children: [Child]
    let canWrite: Bool
    let editLink: String
    let moveAction: String
    let deactivateAction: String
    let departmentAction: String
    /// The move form's picker, starting at the current parent.
    let moveTarget: OrganizationPickerValue
    let error: String?
}

/// Organization tree pages: list with filters and export, detail, create, edit, move, deactivate.
struct OrganizationController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.organizations, use: list)
        web.get(PlatformRoutes.newOrganization, use: newForm)
        web.post(PlatformRoutes.organizations, use: create)
        web.get(PlatformRoutes.organization, use: detail)
        web.get(PlatformRoutes.editOrganization, use: editForm)
        web.post(PlatformRoutes.editOrganization, use: edit)
        web.post(PlatformRoutes.moveOrganization, use: move)
        web.post(PlatformRoutes.deactivateOrganization, use: deactivate)
        web.post(PlatformRoutes.addDepartment, use: addDepartment)
    }

    private func service(_ req: Request) -> OrganizationService { OrganizationService(db: req.db, services: req.platform) }

    /// Handler: who and which filters → the matching organizations → the export or one page of them.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsRead)
        let params = try ListParameters(request: req, path: PlatformRoutes.organizations(), keys: ["kind", "status"])
        let query = Self.organizations(for: actor, params, on: req.db)
        if let format = req.exportFormat { return try await export(query, format, req) }
        let total = try await query.count()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let names = try await parentNames(rows, on: req.db)
        let shell = await PageShell.build(for: req, title: "组织机构")
        return try await Self.listPage(rows, names: names, total: total, params, actor: actor, shell: shell).render(req)
    }

    /// The organizations of the actor's subtree that match the filters, in the chosen order.
    static func organizations(for actor: Actor, _ params: ListParameters, on db: any Database) -> QueryBuilder<Organization> {
        var query = actor.scope.organizations(on: db)
        if let q = params.search { query = query.filter(\.$name ~~ q) }
        if let kind = params["kind"] {
            if let level = OrganizationLevel(rawValue: kind) {
                query = query.filter(\.$kind == .association).filter(\.$level == level)
            } else if let kind = OrganizationKind(rawValue: kind) {
                query = query.filter(\.$kind == kind)
            }
        }
        switch params["status"] {
        case "active": query = query.filter(\.$isActive == true)
        case "inactive": query = query.filter(\.$isActive == false)
        default: break
        }
        let direction: DatabaseQuery.Sort.Direction = params.descending ? .descending : .ascending
        switch params["sort"] {
        case "kind": return query.sort(\.$kind, direction).sort(\.$name)
        case "created": return query.sort(\.$createdAt, direction)
        default: return query.sort(\.$depth).sort(\.$name, direction)
        }
    }

    private func export(_ query: QueryBuilder<Organization>, _ format: TableExport.Format, _ req: Request) async throws -> Response {
        let rows = try await query.limit(100_000).all()
        let names = try await parentNames(rows, on: req.db)
        return try await TableExport(
            fileName: "组织列表", headers: ["名称", "类型", "上级组织", "地区", "成立年份", "状态"],
            rows: rows.map { org in
                [
                    org.name, org.kindLabel, org.parentID.flatMap { names[$0] } ?? "", org.region ?? "",
                    org.establishedYear.map(String.init) ?? "", org.isActive ? "正常" : "已停用",
                ]
            }
        ).response(format, for: req)
    }

    /// The page model for one page of organizations.
    static func listPage(
        _ rows: [Organization], names: [UUID: String], total: Int, _ params: ListParameters, actor: Actor, shell: PageShell
    ) throws -> OrganizationListPage {
        let kindOptions =
            [SelectOption(value: "", label: "全部类型", selected: params["kind"] == nil)]
            + OrganizationLevel.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label + "科协", selected: params["kind"] == $0.rawValue)
            }
            + OrganizationKind.allCases.filter { $0 != .association }.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: params["kind"] == $0.rawValue)
            }
        return OrganizationListPage(
            shell: shell,
            list: params.chrome(
                total: total, headers: [params.sortLink("name", label: "名称"), params.sortLink("kind", label: "类型")],
                newLink: actor.can(PlatformPermission.orgsWrite) ? PlatformRoutes.newOrganization() : nil),
            kinds: kindOptions,
            statuses: [
                SelectOption(value: "", label: "全部状态", selected: params["status"] == nil),
                SelectOption(value: "active", label: "正常", selected: params["status"] == "active"),
                SelectOption(value: "inactive", label: "已停用", selected: params["status"] == "inactive"),
            ],
            rows: try rows.map { org in
                .init(
                    name: org.name, link: PlatformRoutes.organization(try org.requireID()), kind: org.kindLabel,
                    parent: org.parentID.flatMap { names[$0] } ?? "—", region: org.region ?? "—",
                    status: org.isActive ? "正常" : "已停用", created: ChineseDate.day(org.createdAt))
            })
    }

    /// Parent names for a page of rows in one query, not one per row.
    private func parentNames(_ rows: [Organization], on db: any Database) async throws -> [UUID: String] {
        let ids = Set(rows.compactMap(\.parentID))
        guard !ids.isEmpty else { return [:] }
        let parents = try await Organization.query(on: db).filter(\.$id ~~ ids).all()
        return Dictionary(uniqueKeysWithValues: parents.compactMap { p in p.id.map { ($0, p.name) } })
    }

    private func kindOptions(_ selected: OrganizationKind?) -> [SelectOption] {
        [SelectOption(value: "", label: "请选择", selected: selected == nil)]
            + OrganizationKind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    private func levelOptions(_ selected: OrganizationLevel?) -> [SelectOption] {
        [SelectOption(value: "", label: "（非科协不填）", selected: selected == nil)]
            + OrganizationLevel.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsWrite)
        let parent = req.query[String.self, at: "parent"].flatMap(UUID.init(uuidString:)) ?? actor.actingOrganizationID
        return try await OrganizationFormPage(
            shell: await PageShell.build(for: req, title: "新建组织"), heading: "新建组织", action: PlatformRoutes.organizations(),
            name: "", kinds: kindOptions(nil), levels: levelOptions(nil),
            parent: try await actor.organizationPicker(selected: parent, set: .associations, on: req.db), region: "",
            establishedYear: "", errors: [:], cancelLink: PlatformRoutes.organizations()
        ).render(req)
    }

    struct OrganizationForm: Content {
        var name: String?
        var kind: String?
        var level: String?
        var parentID: String?
        var region: String?
        var establishedYear: String?

        func draft() -> (OrganizationService.Draft, FieldErrors) {
            var errors = FieldErrors()
            var year: Int?
            if let raw = establishedYear?.nilIfBlank {
                year = Int(raw)
                if year == nil { errors.add("establishedYear", "成立年份应为四位数字") }
            }
            return (
                OrganizationService.Draft(
                    name: name ?? "", kind: kind.flatMap(OrganizationKind.init(rawValue:)),
                    level: level.flatMap(OrganizationLevel.init(rawValue:)), parentID: parentID.flatMap(UUID.init(uuidString:)),
                    region: region, establishedYear: year),
                errors
            )
        }
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsWrite)
        var form = try req.content.decode(OrganizationForm.self)
        let sentParent = form.parentID
        form.parentID = try await OrganizationLookup(db: req.db).resolve(sentParent, in: .associations, actor: actor)?.uuidString
        let (draft, parseErrors) = form.draft()
        do {
            try parseErrors.throwIfAny(order: OrganizationService.fieldOrder)
            let org = try await service(req).create(draft, actor: actor)
            return req.redirect(to: PlatformRoutes.organization(try org.requireID(), query: ["notice": "created"]))
        } catch PlatformError.invalidInput {
            var (errors, _) = try await service(req).validate(draft, scope: actor.scope)
            for (key, value) in parseErrors.messages { errors.add(key, value) }
            return try await OrganizationFormPage(
                shell: await PageShell.build(for: req, title: "新建组织"), heading: "新建组织",
                action: PlatformRoutes.organizations(), name: form.name ?? "", kinds: kindOptions(draft.kind),
                levels: levelOptions(draft.level),
                parent: try await actor.organizationPicker(sent: sentParent, set: .associations, on: req.db),
                region: form.region ?? "", establishedYear: form.establishedYear ?? "",
                errors: errors.messages, cancelLink: PlatformRoutes.organizations()
            ).render(req, status: .unprocessableEntity)
        }
    }

    func detail(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsRead)
        let org = try await actor.scope.requireOrganization(try req.uuidParameter(), on: req.db)
        return try await detailPage(req, org: org, actor: actor, error: nil)
    }

    private func detailPage(_ req: Request, org: Organization, actor: Actor, error: String?) async throws -> Response {
        let id = try org.requireID()
        let ancestorIDs = org.path.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
        let ancestors = try await Organization.query(on: req.db).filter(\.$id ~~ ancestorIDs).all()
        let names = Dictionary(uniqueKeysWithValues: ancestors.compactMap { a in a.id.map { ($0, a.name) } })
        let departments = try await Department.query(on: req.db).filter(\.$organizationID == id).sort(\.$name).all()
        let children = try await Organization.query(on: req.db).filter(\.$parentID == id).sort(\.$name).all()
        let target = try await actor.organizationPicker(selected: org.parentID, set: .associations, defaultToActing: false, on: req.db)
        return try await OrganizationDetailPage(
            shell: await PageShell.build(for: req, title: org.name), name: org.name, kind: org.kindLabel,
            path: ancestorIDs.compactMap { names[$0] }, region: org.region ?? "—",
            establishedYear: org.establishedYear.map { "\($0)年" } ?? "—", status: org.isActive ? "正常" : "已停用",
            isActive: org.isActive, departments: departments.map(\.name),
            children: children.map { child in
                .init(
                    name: child.name, link: PlatformRoutes.organization(try child.requireID()), kind: child.kindLabel,
                    status: child.isActive ? "正常" : "已停用")
            },
            canWrite: actor.can(PlatformPermission.orgsWrite), editLink: PlatformRoutes.editOrganization(id),
            moveAction: PlatformRoutes.moveOrganization(id), deactivateAction: PlatformRoutes.deactivateOrganization(id),
            departmentAction: PlatformRoutes.addDepartment(id), moveTarget: target, error: error
        ).render(req, status: error == nil ? .ok : .unprocessableEntity)
    }

    func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.orgsWrite)
        let org = try await actor.scope.requireOrganization(try req.uuidParameter(), on: req.db)
        return try await editPage(req, org: org, form: nil, errors: [:])
    }

    private func editPage(_ req: Request, org: Organization, form: OrganizationForm?, errors: [String: String]) async throws -> Response {
        let id = try org.requireID()
        return try await OrganizationFormPage(
            shell: await PageShell.build(for: req, title: "编辑组织"), heading: "编辑：" + org.name,
            action: PlatformRoutes.editOrganization(id), name: form?.name ?? org.name,
            kinds: kindOptions(form?.kind.flatMap(OrganizationKind.init(rawValue:)) ?? org.kind),
            levels: levelOptions(form.map { $0.level.flatMap(OrganizationLevel.init(rawValue:)) } ?? org.level),
            parent: nil, region: form?.region ?? org.region ?? "",
            establishedYear: form?.establishedYear ?? org.establishedYear.map(String.init) ?? "", errors: errors,
            cancelLink: PlatformRoutes.organization(id)
        ).render(req, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    func edit(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let form = try req.content.decode(OrganizationForm.self)
        let (draft, parseErrors) = form.draft()
        do {
            try parseErrors.throwIfAny(order: OrganizationService.fieldOrder)
            _ = try await service(req).update(
                id, name: draft.name, kind: draft.kind, level: draft.level, region: draft.region,
                establishedYear: draft.establishedYear, actor: actor)
            return req.redirect(to: PlatformRoutes.organization(id, query: ["notice": "saved"]))
        } catch PlatformError.invalidInput(let field, let message) {
            let org = try await actor.scope.requireOrganization(id, on: req.db)
            return try await editPage(req, org: org, form: form, errors: [field ?? "name": message])
        }
    }

    func move(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let target =
            try await OrganizationLookup(db: req.db).resolve(
                try? req.content.get(String.self, at: "parentID"), in: .associations, actor: actor) ?? UUID()
        do {
            try await service(req).move(id, to: target, actor: actor)
            return req.redirect(to: PlatformRoutes.organization(id, query: ["notice": "moved"]))
        } catch PlatformError.invalidInput(_, let message) {
            let org = try await actor.scope.requireOrganization(id, on: req.db)
            return try await detailPage(req, org: org, actor: actor, error: message)
        }
    }

    func deactivate(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let activate = (try? req.content.get(String.self, at: "activate")) == "yes"
        do {
            try await service(req).setActive(id, activate, actor: actor)
            return req.redirect(to: PlatformRoutes.organization(id, query: ["notice": activate ? "saved" : "deactivated"]))
        } catch PlatformError.invalidInput(_, let message) {
            let org = try await actor.scope.requireOrganization(id, on: req.db)
            return try await detailPage(req, org: org, actor: actor, error: message)
        }
    }

    func addDepartment(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        do {
            _ = try await service(req).addDepartment(
                to: id, name: (try? req.content.get(String.self, at: "departmentName")) ?? "", actor: actor)
            return req.redirect(to: PlatformRoutes.organization(id, query: ["notice": "created"]))
        } catch PlatformError.invalidInput(_, let message) {
            let org = try await actor.scope.requireOrganization(id, on: req.db)
            return try await detailPage(req, org: org, actor: actor, error: message)
        }
    }
}
