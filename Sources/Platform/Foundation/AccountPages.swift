import Fluent
import Foundation
import KexieKit
import Vapor

struct LoginPage: Sendable {
    let shell: PageShell
    let action: String
    let identifier: String
    let error: String?
    let locked: Bool
}

struct SignupPage: Sendable {
    let shell: PageShell
    let action: String
    let displayName: String
    let contact: String
    let errors: [String: String]
    let consentVersion: String
}

struct SetupPage: Sendable {
    let shell: PageShell
    let action: String
    let token: String
    let needsOrganization: Bool
    let organizationName: String
    let username: String
    let displayName: String
    let errors: [String: String]
}

struct PasswordPage: Sendable {
    let shell: PageShell
    let action: String
    let forced: Bool
    let errors: [String: String]
}

struct TokensPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let prefix: String
        let created: String
        let expires: String
        let access: String
        let lastUsed: String
        let status: String
        let revokeAction: String?
    }

    let shell: PageShell
    let action: String
    let rows: [Row]
    let newToken: String?
    let error: String?
}

/// Log-in, sign-up, first-run setup, password change, acting organization and API tokens.
struct AccountController {
    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(PlatformRoutes.login, use: loginForm)
        publicWeb.grouped(RateLimitMiddleware(.login)).post(PlatformRoutes.login, use: login).limitBody(BodyLimits.small)
        publicWeb.get(PlatformRoutes.signup, use: signupForm)
        publicWeb.grouped(RateLimitMiddleware(.signup)).post(PlatformRoutes.signup, use: signup).limitBody(BodyLimits.small)
        publicWeb.get(PlatformRoutes.setup, use: setupForm)
        publicWeb.post(PlatformRoutes.setup, use: setup)
        web.post(PlatformRoutes.logout, use: logout)
        web.get(PlatformRoutes.changePassword, use: passwordForm)
        web.post(PlatformRoutes.changePassword, use: changePassword)
        web.post(PlatformRoutes.actingOrganization, use: switchActing)
        web.get(PlatformRoutes.tokens, use: tokens)
        web.post(PlatformRoutes.tokens, use: createToken)
        web.post(PlatformRoutes.revokeToken, use: revokeToken)
    }

    private func accounts(_ req: Request) -> AccountService {
        AccountService(db: req.db, services: req.platform, passwords: req.password.async)
    }

    // MARK: Log-in

    func loginForm(_ req: Request) async throws -> Response {
        if req.optionalActor != nil { return req.redirect(to: PlatformRoutes.home()) }
        return try await LoginPage(
            shell: await PageShell.build(for: req, title: "登录"), action: loginAction(req), identifier: "", error: nil,
            locked: false
        ).render(req)
    }

    private func loginAction(_ req: Request) -> String {
        PlatformRoutes.login(next: req.query[String.self, at: "next"])
    }

    struct LoginForm: Content {
        var identifier: String?
        var password: String?
    }

    func login(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let identifier = form.identifier?.trimmingCharacters(in: .whitespaces) ?? ""
        func page(_ error: String, locked: Bool = false, status: HTTPResponseStatus = .unprocessableEntity) async throws -> Response {
            try await LoginPage(
                shell: await PageShell.build(for: req, title: "登录"), action: loginAction(req), identifier: identifier,
                error: error, locked: locked
            ).render(req, status: status)
        }
        guard !identifier.isEmpty, let password = form.password, !password.isEmpty else {
            return try await page("请输入用户名（或手机号、邮箱）和密码")
        }
        switch try await accounts(req).login(identifier: identifier, password: password, clientAddress: req.clientAddress) {
        case .invalid:
            return try await page("用户名或密码不正确", status: .unauthorized)
        case .locked(let until):
            return try await page(
                "由于多次登录失败，该账号（或您的网络地址）已被暂时锁定，请于 \(ChineseDate.dateTime(until)) 后再试，或联系管理员解锁。",
                locked: true, status: .tooManyRequests)
        case .secondFactorNeeded(let token, _):
            let response = req.redirect(to: PlatformRoutes.secondFactor(next: req.query[String.self, at: "next"]))
            response.cookies[CookieName.session] = req.cookie(token)
            return response
        case .success(let token, _):
            let next = LocalRedirect.target(req.query[String.self, at: "next"])
            let response = req.redirect(to: next ?? PlatformRoutes.home())
            response.cookies[CookieName.session] = req.cookie(token)
            // A new CSRF secret after log-in, so a token planted before cannot be reused.
            response.cookies[CookieName.csrf] = req.cookie(Digest.randomToken())
            return response
        }
    }

    func logout(_ req: Request) async throws -> Response {
        if let hash = req.sessionTokenHash { try await accounts(req).logout(sessionTokenHash: hash, actor: try req.actor) }
        let response = req.redirect(to: PlatformRoutes.login())
        response.cookies[CookieName.session] = req.cookie("", maxAge: 0)
        return response
    }

    // MARK: Sign-up

    static let consentVersion = "2026-11"

    func signupForm(_ req: Request) async throws -> Response {
        try await SignupPage(
            shell: await PageShell.build(for: req, title: "注册"), action: PlatformRoutes.signup(), displayName: "",
            contact: "", errors: [:], consentVersion: Self.consentVersion
        ).render(req)
    }

    struct SignupForm: Content {
        var displayName: String?
        var contact: String?
        var password: String?
        var confirm: String?
        var consent: String?
    }

    func signup(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SignupForm.self)
        let contact = form.contact?.trimmingCharacters(in: .whitespaces) ?? ""
        let isPhone = ContactFormat.normalizedMobile(contact) != nil
        let account = AccountService.NewAccount(
            username: nil, displayName: form.displayName ?? "", phone: isPhone ? contact : nil,
            email: isPhone ? nil : contact, password: form.password ?? "")
        let service = accounts(req)
        var errors = try await service.validate(account)
        if contact.isEmpty { errors.add("contact", "请填写手机号或电子邮箱") }
        if (form.password ?? "") != (form.confirm ?? "") { errors.add("confirm", "两次输入的密码不一致") }
        if form.consent != "yes" { errors.add("consent", "请阅读并同意个人信息保护说明") }
        let root = try await Organization.query(on: req.db).filter(\.$parentID == nil).sort(\.$createdAt).first()
        if root == nil { errors.add("contact", "平台尚未完成初始化，暂不能注册") }
        guard errors.isEmpty, let rootID = root?.id else {
            return try await SignupPage(
                shell: await PageShell.build(for: req, title: "注册"), action: PlatformRoutes.signup(),
                displayName: form.displayName ?? "", contact: contact, errors: errors.messages,
                consentVersion: Self.consentVersion
            ).render(req, status: .unprocessableEntity)
        }
        let user = try await service.create(account, grants: [(.member, rootID)])
        try await req.platform.audit.record(
            AuditEvent(
                action: "consent.accept", entityType: "user", entityID: user.id?.uuidString ?? "",
                summary: "同意个人信息保护说明（版本 \(Self.consentVersion)）"),
            on: req.db)
        let token = try await service.openSession(for: user, clientAddress: req.clientAddress)
        let response = req.redirect(to: PlatformRoutes.home(query: ["notice": "welcome"]))
        response.cookies[CookieName.session] = req.cookie(token)
        return response
    }

    // MARK: First-run setup

    func setupForm(_ req: Request) async throws -> Response {
        let token = req.query[String.self, at: "token"]
        let setup = SetupService(db: req.db, services: req.platform)
        guard try await setup.isValid(token), let token else { throw PlatformError.setupUnavailable }
        let hasRoot = try await Organization.query(on: req.db).filter(\.$parentID == nil).count() > 0
        return try await SetupPage(
            shell: await PageShell.build(for: req, title: "初始化"), action: PlatformRoutes.setup(),
            token: token, needsOrganization: !hasRoot, organizationName: "", username: "", displayName: "", errors: [:]
        ).render(req)
    }

    struct SetupForm: Content {
        var token: String?
        var organizationName: String?
        var username: String?
        var displayName: String?
        var password: String?
        var confirm: String?
    }

    func setup(_ req: Request) async throws -> Response {
        let form = try req.content.decode(SetupForm.self)
        let setup = SetupService(db: req.db, services: req.platform)
        let errors = try await setup.complete(
            token: form.token,
            form: .init(
                organizationName: form.organizationName ?? "", username: form.username ?? "",
                displayName: form.displayName ?? "", password: form.password ?? "", confirm: form.confirm ?? ""),
            accounts: accounts(req))
        if errors.isEmpty { return req.redirect(to: PlatformRoutes.login(query: ["notice": "setup_done"])) }
        let hasRoot = try await Organization.query(on: req.db).filter(\.$parentID == nil).count() > 0
        return try await SetupPage(
            shell: await PageShell.build(for: req, title: "初始化"), action: PlatformRoutes.setup(),
            token: form.token ?? "", needsOrganization: !hasRoot, organizationName: form.organizationName ?? "",
            username: form.username ?? "", displayName: form.displayName ?? "", errors: errors.messages
        ).render(req, status: .unprocessableEntity)
    }

    // MARK: Password

    func passwordForm(_ req: Request) async throws -> Response {
        try await PasswordPage(
            shell: await PageShell.build(for: req, title: "修改密码"), action: PlatformRoutes.changePassword(),
            forced: try req.actor.mustChangePassword, errors: [:]
        ).render(req)
    }

    struct PasswordForm: Content {
        var current: String?
        var password: String?
        var confirm: String?
    }

    func changePassword(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.content.decode(PasswordForm.self)
        guard let user = try await User.find(actor.userID, on: req.db) else { throw PlatformError.notFound }
        let errors = try await accounts(req).changePassword(
            user: user, current: form.current ?? "", new: form.password ?? "", confirm: form.confirm ?? "",
            keepSession: req.sessionTokenHash)
        if errors.isEmpty { return req.redirect(to: PlatformRoutes.home(query: ["notice": "password_changed"])) }
        return try await PasswordPage(
            shell: await PageShell.build(for: req, title: "修改密码"), action: PlatformRoutes.changePassword(),
            forced: actor.mustChangePassword, errors: errors.messages
        ).render(req, status: .unprocessableEntity)
    }

    // MARK: Acting organization

    func switchActing(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let grantID = (try? req.content.get(String.self, at: "grant")).flatMap(UUID.init(uuidString:)),
            let hash = req.sessionTokenHash
        else { throw PlatformError.invalidInput(field: "grant", message: "请选择组织") }
        try await accounts(req).switchActing(sessionTokenHash: hash, actor: actor, grantID: grantID)
        return req.redirect(to: PlatformRoutes.home(query: ["notice": "switched"]))
    }

    // MARK: API tokens

    func tokens(_ req: Request) async throws -> Response {
        try await tokensPage(req, newToken: nil, error: nil)
    }

    private func tokensPage(_ req: Request, newToken: String?, error: String?) async throws -> Response {
        let actor = try req.actor
        let now = req.platform.clock()
        let rows = try await APIToken.query(on: req.db).filter(\.$userID == actor.userID).sort(\.$createdAt, .descending).all()
        return try await TokensPage(
            shell: await PageShell.build(for: req, title: "API 访问令牌"), action: PlatformRoutes.tokens(),
            rows: rows.map { token in
                let status = token.revokedAt != nil ? "已撤销" : (token.expiresAt.map { $0 <= now } ?? false) ? "已过期" : "有效"
                return TokensPage.Row(
                    name: token.name, prefix: token.prefix + "…", created: ChineseDate.dateTime(token.createdAt),
                    expires: token.expiresAt.map { ChineseDate.dateTime($0) } ?? "永不过期",
                    access: token.readOnly ? "只读" : "读写",
                    lastUsed: ChineseDate.dateTime(token.lastUsedAt), status: status,
                    revokeAction: status == "有效" ? token.id.map { PlatformRoutes.revokeToken($0) } : nil)
            },
            newToken: newToken, error: error
        ).render(req, status: error == nil ? .ok : .unprocessableEntity)
    }

    struct TokenForm: Content {
        var name: String?
        var expiresInDays: String?
        var readOnly: String?
    }

    func createToken(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.content.decode(TokenForm.self)
        let days = form.expiresInDays?.nilIfBlank
        if let days, Int(days) == nil { return try await tokensPage(req, newToken: nil, error: "有效期应为 1–3650 天的整数") }
        do {
            let issued = try await TokenService(db: req.db, services: req.platform)
                .issue(
                    userID: actor.userID, name: form.name ?? "", expiresInDays: days.flatMap { Int($0) },
                    readOnly: form.readOnly == "yes")
            return try await tokensPage(req, newToken: issued.token, error: nil)
        } catch let error as PlatformError {
            return try await tokensPage(req, newToken: nil, error: error.message)
        }
    }

    func revokeToken(_ req: Request) async throws -> Response {
        try await TokenService(db: req.db, services: req.platform).revoke(tokenID: try req.uuidParameter(), userID: try req.actor.userID)
        return req.redirect(to: PlatformRoutes.tokens(query: ["notice": "revoked"]))
    }
}
