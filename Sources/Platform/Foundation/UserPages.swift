import Fluent
import Foundation
import KexieKit
import Vapor

struct UserListPage: Sendable {
    struct Row: Encodable, Sendable {
        let displayName: String
        let username: String
        let link: String
        let contact: String
        let status: String
        let lastLogin: String
    }

    let shell: PageShell
    let list: ListChrome
    let roles: [SelectOption]
    let rows: [Row]
}

struct UserDetailPage: Sendable {
    struct GrantRow: Encodable, Sendable {
        let role: String
        let organization: String
        let revokeAction: String?
    }

    let shell: PageShell
    let displayName: String
    let username: String
    let phone: String
    let email: String
    let status: String
    let mustChange: Bool
    let lastLogin: String
    let grants: [GrantRow]
    let grantAction: String?
    let roleOptions: [SelectOption]
    let organization: OrganizationPickerValue
    let resetAction: String?
    let unlockAction: String?
    /// Present when the account has an authenticator and the actor may manage the account.
    let resetSecondFactorAction: String?
    let temporaryPassword: String?
    let error: String?
}

struct UserFormPage: Sendable {
    let shell: PageShell
    let action: String
    let username: String
    let displayName: String
    let contact: String
    let roleOptions: [SelectOption]
    let organization: OrganizationPickerValue
    let errors: [String: String]
}

/// Account administration inside the acting organization's subtree.
struct UserController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.users, use: list)
        web.get(PlatformRoutes.newUser, use: newForm)
        web.post(PlatformRoutes.users, use: create)
        web.get(PlatformRoutes.user, use: detail)
        web.post(PlatformRoutes.grantRole, use: grant)
        web.post(PlatformRoutes.revokeGrant, use: revoke)
        web.post(PlatformRoutes.resetPassword, use: reset)
        web.post(PlatformRoutes.unlockUser, use: unlock)
        web.post(PlatformRoutes.resetSecondFactor, use: resetSecondFactor)
    }

    private func admin(_ req: Request) -> UserAdminService { UserAdminService(db: req.db, services: req.platform) }

    private func maskedPhone(_ user: User, _ req: Request) -> String {
        guard let cipher = user.phoneCipher, let phone = try? req.platform.secrets.open(cipher) else { return "—" }
        return Masking.phone(phone)
    }

    /// Handler: who and which filters → the matching accounts → the export or one page of them.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.usersRead)
        let params = try ListParameters(request: req, path: PlatformRoutes.users(), keys: ["role"])
        let query = Self.accounts(for: actor, params, on: req.db)
        if let format = req.exportFormat { return try await export(query, format, req) }
        let total = try await query.count(\.$id)
        let users = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        return try await listPage(users, total: total, params, actor: actor, req).render(req)
    }

    /// Accounts holding a role in the actor's subtree that match the filters, in the chosen order.
    static func accounts(for actor: Actor, _ params: ListParameters, on db: any Database) -> QueryBuilder<User> {
        var query = User.query(on: db)
            .join(RoleGrant.self, on: \User.$id == \RoleGrant.$userID)
            .join(Organization.self, on: \RoleGrant.$organizationID == \Organization.$id)
            .filter(Organization.self, \.$path =~ (actor.scope.rootPath ?? "\u{0}"))
            .unique().fields(for: User.self)
        if let q = params.search {
            query = query.group(.or) { $0.filter(\.$displayName ~~ q).filter(\.$username ~~ q.lowercased()) }
        }
        if let role = params["role"].flatMap(RoleID.init(rawValue:)) {
            query = query.filter(RoleGrant.self, \.$role == role.rawValue)
        }
        let direction: DatabaseQuery.Sort.Direction = params.descending ? .descending : .ascending
        switch params["sort"] {
        case "username": return query.sort(\.$username, direction)
        case "login": return query.sort(\.$lastLoginAt, direction)
        default: return query.sort(\.$displayName, direction)
        }
    }

    private func export(_ query: QueryBuilder<User>, _ format: TableExport.Format, _ req: Request) async throws -> Response {
        let users = try await query.limit(100_000).all()
        return try await TableExport(
            fileName: "账号列表", headers: ["姓名", "用户名", "手机（已脱敏）", "邮箱", "状态", "最近登录"],
            rows: users.map { user in
                [
                    user.displayName, user.username, maskedPhone(user, req), user.email.map(Masking.email) ?? "",
                    user.isActive ? "正常" : "已停用", ChineseDate.dateTime(user.lastLoginAt),
                ]
            }
        ).response(format, for: req)
    }

    /// The page model for one page of accounts.
    private func listPage(_ users: [User], total: Int, _ params: ListParameters, actor: Actor, _ req: Request) async throws -> UserListPage
    {
        UserListPage(
            shell: await PageShell.build(for: req, title: "账号管理"),
            list: params.chrome(
                total: total,
                headers: [
                    params.sortLink("name", label: "姓名"), params.sortLink("username", label: "用户名"),
                    params.sortLink("login", label: "最近登录"),
                ],
                newLink: actor.can(PlatformPermission.usersWrite) ? PlatformRoutes.newUser() : nil),
            roles: [SelectOption(value: "", label: "全部角色", selected: params["role"] == nil)]
                + RoleID.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: params["role"] == $0.rawValue) },
            rows: try users.map { user in
                .init(
                    displayName: user.displayName, username: user.username, link: PlatformRoutes.user(try user.requireID()),
                    contact: user.phoneCipher != nil ? maskedPhone(user, req) : (user.email.map(Masking.email) ?? "—"),
                    status: user.isActive ? "正常" : "已停用", lastLogin: ChineseDate.dateTime(user.lastLoginAt))
            })
    }

    private func roleOptions(_ actor: Actor, selected: String?, _ req: Request) -> [SelectOption] {
        admin(req).grantableRoles(for: actor).map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == selected) }
    }

    func detail(_ req: Request) async throws -> Response {
        try await detailPage(req, temporaryPassword: nil, error: nil)
    }

    private func detailPage(_ req: Request, temporaryPassword: String?, error: String?) async throws -> Response {
        let actor = try req.actor
        let user = try await admin(req).visibleUser(try req.uuidParameter(), actor: actor)
        let id = try user.requireID()
        let grants = try await RoleGrant.query(on: req.db).filter(\.$userID == id).all()
        let orgs = try await Organization.query(on: req.db).filter(\.$id ~~ Set(grants.map(\.organizationID))).all()
        let orgByID = Dictionary(uniqueKeysWithValues: orgs.compactMap { o in o.id.map { ($0, o) } })
        let grantable = Set(admin(req).grantableRoles(for: actor))
        // Actions appear only where they would succeed: on accounts the actor may manage at all.
        let manageable = try await admin(req).isManageable(user, actor: actor)
        let canGrant = manageable && actor.can(PlatformPermission.rolesGrant) && !grantable.isEmpty
        let canReset = manageable && actor.can(PlatformPermission.accountsUnlock)
        let hasSecondFactor = try await SecondFactor.query(on: req.db).filter(\.$userID == id).count() > 0
        return try await UserDetailPage(
            shell: await PageShell.build(for: req, title: user.displayName), displayName: user.displayName, username: user.username,
            phone: maskedPhone(user, req), email: user.email.map(Masking.email) ?? "—", status: user.isActive ? "正常" : "已停用",
            mustChange: user.mustChangePassword, lastLogin: ChineseDate.dateTime(user.lastLoginAt),
            grants: grants.map { grant in
                let org = orgByID[grant.organizationID]
                let role = RoleID(rawValue: grant.role)
                let revocable = role.map { grantable.contains($0) } ?? false && org.map { actor.scope.contains($0) } ?? false
                return .init(
                    role: role?.label ?? grant.role, organization: org?.name ?? "—",
                    revokeAction: revocable && canGrant ? PlatformRoutes.revokeGrant(id, try grant.requireID()) : nil)
            },
            grantAction: canGrant ? PlatformRoutes.grantRole(id) : nil, roleOptions: roleOptions(actor, selected: nil, req),
            organization: canGrant ? try await actor.organizationPicker(selected: nil, on: req.db) : .empty(),
            resetAction: canReset ? PlatformRoutes.resetPassword(id) : nil,
            unlockAction: canReset ? PlatformRoutes.unlockUser(id) : nil,
            resetSecondFactorAction: canReset && hasSecondFactor ? PlatformRoutes.resetSecondFactor(id) : nil,
            temporaryPassword: temporaryPassword, error: error
        ).render(req, status: error == nil ? .ok : .unprocessableEntity)
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.usersWrite)
        return try await UserFormPage(
            shell: await PageShell.build(for: req, title: "新建账号"), action: PlatformRoutes.users(), username: "",
            displayName: "", contact: "", roleOptions: roleOptions(actor, selected: RoleID.staff.rawValue, req),
            organization: try await actor.organizationPicker(selected: nil, on: req.db), errors: [:]
        ).render(req)
    }

    struct NewUserForm: Content {
        var username: String?
        var displayName: String?
        var contact: String?
        var role: String?
        var organizationID: String?
    }

    /// An administrator creates an account with a temporary password shown once on the next page.
    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.usersWrite)
        let form = try req.content.decode(NewUserForm.self)
        let contact = form.contact?.trimmingCharacters(in: .whitespaces) ?? ""
        let isPhone = ContactFormat.normalizedMobile(contact) != nil
        let temporary = AccountService.temporaryPassword()
        var account = AccountService.NewAccount(
            username: form.username?.trimmingCharacters(in: .whitespaces) ?? "", displayName: form.displayName ?? "",
            phone: isPhone ? contact : nil, email: isPhone || contact.isEmpty ? nil : contact, password: temporary)
        account.mustChangePassword = true
        let service = AccountService(db: req.db, services: req.platform, passwords: req.password.async)
        var errors = try await service.validate(account)
        let role = form.role.flatMap(RoleID.init(rawValue:))
        if role == nil || !admin(req).grantableRoles(for: actor).contains(role!) { errors.add("role", "请选择您可以授予的角色") }
        let orgID = try await OrganizationLookup(db: req.db).resolve(form.organizationID, in: .subtree, actor: actor)
        if try await actor.scope.organization(orgID, on: req.db) == nil { errors.add("organizationID", "请选择您管理范围内的组织") }
        guard errors.isEmpty, let role, let orgID else {
            return try await UserFormPage(
                shell: await PageShell.build(for: req, title: "新建账号"), action: PlatformRoutes.users(),
                username: form.username ?? "", displayName: form.displayName ?? "", contact: contact,
                roleOptions: roleOptions(actor, selected: form.role, req),
                organization: try await actor.organizationPicker(sent: form.organizationID, on: req.db), errors: errors.messages
            ).render(req, status: .unprocessableEntity)
        }
        let user = try await service.create(account, grants: [(role, orgID)])
        req.parameters.set("id", to: try user.requireID().uuidString)
        return try await detailPage(req, temporaryPassword: temporary, error: nil)
    }

    struct GrantForm: Content {
        var role: String?
        var organizationID: String?
    }

    func grant(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        _ = try await admin(req).visibleUser(id, actor: actor)
        let form = try req.content.decode(GrantForm.self)
        let org = try await OrganizationLookup(db: req.db).resolve(form.organizationID, in: .subtree, actor: actor)
        guard let role = form.role.flatMap(RoleID.init(rawValue:)), let org else {
            return try await detailPage(req, temporaryPassword: nil, error: "请选择角色和组织")
        }
        do {
            try await admin(req).grant(role, to: id, organizationID: org, departmentID: nil, actor: actor)
        } catch PlatformError.invalidInput(_, let message) {
            return try await detailPage(req, temporaryPassword: nil, error: message)
        }
        return req.redirect(to: PlatformRoutes.user(id, query: ["notice": "granted"]))
    }

    func revoke(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        do {
            try await admin(req).revoke(grantID: try req.uuidParameter("grant"), actor: actor)
        } catch PlatformError.invalidInput(_, let message) {
            return try await detailPage(req, temporaryPassword: nil, error: message)
        }
        return req.redirect(to: PlatformRoutes.user(id, query: ["notice": "revoked"]))
    }

    func reset(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.accountsUnlock)
        let user = try await admin(req).manageableUser(try req.uuidParameter(), actor: actor)
        let service = AccountService(db: req.db, services: req.platform, passwords: req.password.async)
        let temporary = try await service.resetPassword(user)
        try await service.unlock(user)
        return try await detailPage(req, temporaryPassword: temporary, error: nil)
    }

    func unlock(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.accountsUnlock)
        let user = try await admin(req).manageableUser(try req.uuidParameter(), actor: actor)
        try await AccountService(db: req.db, services: req.platform, passwords: req.password.async).unlock(user)
        return req.redirect(to: PlatformRoutes.user(try user.requireID(), query: ["notice": "unlocked"]))
    }

    /// A lost phone with the recovery codes used up: an administrator who may manage the account removes
    /// its authenticator; the person binds a new one at the next log-in (mandatory roles) or may.
    func resetSecondFactor(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.accountsUnlock)
        let user = try await admin(req).manageableUser(try req.uuidParameter(), actor: actor)
        try await SecondFactorService(db: req.db, services: req.platform).remove(for: user)
        return req.redirect(to: PlatformRoutes.user(try user.requireID(), query: ["notice": "second_factor_reset"]))
    }
}
