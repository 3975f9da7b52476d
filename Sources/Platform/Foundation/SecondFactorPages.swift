import Fluent
import Foundation
import KexieKit
import Vapor

/// The log-in step that asks for the authenticator code (or a recovery code).
struct SecondFactorPage: Sendable {
    let shell: PageShell
    let action: String
    let error: String?
}

/// Binding an authenticator: QR code and secret, the first code, then the recovery codes once.
struct SecondFactorSetupPage: Sendable {
    let shell: PageShell
    let action: String
    let enrolled: Bool
    let mandatory: Bool
    let qrPath: String
    let secret: String
    let recoveryCodes: [String]
    let recoveryLeft: Int
    let error: String?
}

struct SecondFactorController {
    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        let limited = publicWeb.grouped(RateLimitMiddleware(.login))
        publicWeb.get(PlatformRoutes.secondFactor, use: challenge)
        limited.post(PlatformRoutes.secondFactor, use: answer).limitBody(BodyLimits.small)
        web.get(PlatformRoutes.secondFactorSetup, use: setup)
        web.post(PlatformRoutes.secondFactorSetup, use: confirm).limitBody(BodyLimits.small)
        web.get(PlatformRoutes.secondFactorQR, use: qr)
    }

    private func service(_ req: Request) -> SecondFactorService { SecondFactorService(db: req.db, services: req.platform) }

    // MARK: Log-in step

    func challenge(_ req: Request) async throws -> Response {
        guard req.pendingSecondFactorUser != nil else { return req.redirect(to: PlatformRoutes.login()) }
        return try await page(req, error: nil)
    }

    private func page(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await SecondFactorPage(
            shell: await PageShell.build(for: req, title: "身份验证"),
            action: PlatformRoutes.secondFactor(next: req.query[String.self, at: "next"]), error: error
        ).render(req, status: status)
    }

    func answer(_ req: Request) async throws -> Response {
        guard let user = req.pendingSecondFactorUser, let hash = req.sessionTokenHash else {
            return req.redirect(to: PlatformRoutes.login())
        }
        let code = (try? req.content.get(String.self, at: "code"))?.trimmingCharacters(in: .whitespaces) ?? ""
        let accounts = AccountService(db: req.db, services: req.platform, passwords: req.password.async)
        let key = req.platform.secrets.lookupHash("login:" + user.username.lowercased())
        let now = req.platform.clock()
        if let until = try await accounts.lockedUntil(identifierKey: key, clientAddress: req.clientAddress, now: now) {
            return try await endPending(req, hash: hash, lockedUntil: until)
        }
        guard !code.isEmpty else { return try await page(req, error: "请输入身份验证器上的 6 位验证码或一个恢复码", status: .unprocessableEntity) }
        guard try await service(req).verify(user: user, code: code) else {
            if let until = try await accounts.lockedUntil(identifierKey: key, clientAddress: req.clientAddress, now: now) {
                return try await endPending(req, hash: hash, lockedUntil: until)
            }
            return try await page(req, error: "验证码不正确或已使用过，请输入身份验证器上最新的验证码", status: .unauthorized)
        }
        try await req.platform.writes.transaction(on: req.db) { tx in
            try await WebSession.query(on: tx).filter(\.$id == hash).set(\.$secondFactor, to: .passed).update()
        }
        let response = req.redirect(to: LocalRedirect.target(req.query[String.self, at: "next"]) ?? PlatformRoutes.home())
        response.cookies[CookieName.csrf] = req.cookie(Digest.randomToken())
        return response
    }

    /// Too many wrong codes: the half-open session ends and the account is locked like after wrong passwords.
    private func endPending(_ req: Request, hash: String, lockedUntil until: Date) async throws -> Response {
        try await WebSession.query(on: req.db).filter(\.$id == hash).delete()
        let response = try await page(
            req, error: "由于多次验证失败，该账号已被暂时锁定，请于 \(ChineseDate.dateTime(until)) 后再试，或联系管理员解锁。",
            status: .tooManyRequests)
        response.cookies[CookieName.session] = req.cookie("", maxAge: 0)
        return response
    }

    // MARK: Enrolment

    func setup(_ req: Request) async throws -> Response {
        try await setupPage(req, recoveryCodes: [], error: nil)
    }

    private func setupPage(_ req: Request, recoveryCodes: [String], error: String?, status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        guard let user = try await User.find(actor.userID, on: req.db) else { throw PlatformError.notFound }
        let service = service(req)
        let pending = try await service.pendingSecret(for: user)
        return try await SecondFactorSetupPage(
            shell: await PageShell.build(for: req, title: "身份验证器"), action: PlatformRoutes.secondFactorSetup(),
            enrolled: pending == nil, mandatory: !actor.roles.isDisjoint(with: SecondFactorService.mandatoryRoles),
            qrPath: PlatformRoutes.secondFactorQR(), secret: pending.map { Self.grouped($0.base32Secret) } ?? "",
            recoveryCodes: recoveryCodes, recoveryLeft: try await service.unusedRecoveryCodes(actor.userID), error: error
        ).render(req, status: status)
    }

    /// JBSWY3DPEHPK3PXP → JBSW Y3DP EHPK 3PXP, easier to type into an authenticator by hand.
    static func grouped(_ secret: String) -> String {
        stride(from: 0, to: secret.count, by: 4).map { start in
            let begin = secret.index(secret.startIndex, offsetBy: start)
            return String(secret[begin..<(secret.index(begin, offsetBy: 4, limitedBy: secret.endIndex) ?? secret.endIndex)])
        }.joined(separator: " ")
    }

    func confirm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let user = try await User.find(actor.userID, on: req.db) else { throw PlatformError.notFound }
        let code = (try? req.content.get(String.self, at: "code"))?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !code.isEmpty else {
            return try await setupPage(req, recoveryCodes: [], error: "请输入身份验证器显示的 6 位验证码", status: .unprocessableEntity)
        }
        guard let codes = try await service(req).confirm(user: user, code: code) else {
            return try await setupPage(req, recoveryCodes: [], error: "验证码不正确，请确认手机时间准确后输入最新的验证码", status: .unprocessableEntity)
        }
        if let hash = req.sessionTokenHash {
            try await req.platform.writes.transaction(on: req.db) { tx in
                try await WebSession.query(on: tx).filter(\.$id == hash).set(\.$secondFactor, to: .passed).update()
            }
        }
        req.mustEnrolSecondFactor = false
        return try await setupPage(req, recoveryCodes: codes, error: nil)
    }

    /// The QR code of the secret being bound; nothing once it is confirmed. Never cached.
    func qr(_ req: Request) async throws -> Response {
        let actor = try req.actor
        guard let user = try await User.find(actor.userID, on: req.db), let pending = try await service(req).pendingSecret(for: user)
        else { throw PlatformError.notFound }
        let uri = service(req).provisioningURI(pending, user: user)
        let svg = try QRCode(text: uri, level: .medium).svg(moduleSize: 6, quietZone: 4, title: "身份验证器绑定二维码")
        let response = Response(status: .ok, body: .init(string: svg))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}
