import Fluent
import Foundation
import KexieKit
import NIOConcurrencyHelpers
import Vapor

/// Security headers on every response. The CSP forbids inline script, so every page's behaviour lives
/// in /js files; inline style attributes are avoided for the same reason.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        let headers = [
            (
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            ),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in headers where !response.headers.contains(name: name) {
            response.headers.replaceOrAdd(name: name, value: value)
        }
        if request.usesHTTPS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000")
        }
        return response
    }
}

/// Turns every error into `{"error": {"code", "message"}}` (plus `field`, and `fields` when several were
/// refused, for invalid input) under /api and a Chinese error page elsewhere,
/// never showing a stack trace or an internal message. Every answer carries a code of a module's
/// `KexieErrorCode` enum: errors from outside Kexie get the platform's code for their status.
struct KexieErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await Self.response(for: error, request: request)
        }
    }

    static func response(for error: any Error, request: Request) async -> Response {
        let kexieError: any KexieError
        switch error {
        case let error as any KexieError: kexieError = error
        case let error as any AbortError:
            // Vapor's own refusals (the router's 404, 400 for a body it cannot decode, 413) carry no
            // code: they get the platform's code for their status and its Chinese message.
            let code = PlatformError.Code(status: error.status)
            let generic = GenericHTTPError(errorCode: code, status: error.status)
            if error.status == .internalServerError {
                request.logger.error("请求失败 \(request.method) \(request.url.path): \(String(reflecting: error))")
            }
            kexieError = generic
        default:
            request.logger.report(error: error)
            request.logger.error("请求失败 \(request.method) \(request.url.path): \(String(reflecting: error))")
            kexieError = PlatformError.internalError
        }
        let status = kexieError.status
        let message = kexieError.message
        if request.url.path.hasPrefix("/api") {
            let body = APIErrorBody(kexieError)
            let response = Response(status: status)
            try? response.content.encode(body, as: .json)
            return response
        }
        if status == .unauthorized {
            let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return request.redirect(to: PlatformRoutes.login(next: next))
        }
        let page = ErrorPage(
            shell: await PageShell.build(for: request, title: "\(status.code) \(Self.title(for: status))"),
            status: Int(status.code), heading: Self.title(for: status), message: message)
        // Writing a page does not fail (no template to find); the bare response only satisfies the type.
        return (try? await page.render(request, status: status)) ?? Response(status: status)
    }

    static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: return "请求有误"
        case 401: return "请先登录"
        case 403: return "无权访问"
        case 404: return "页面不存在"
        case 405: return "不支持的操作"
        case 413: return "内容过大"
        case 422: return "填写有误"
        case 429: return "请求过于频繁"
        default: return status.code >= 500 ? "服务器出错了" : "请求未能完成"
        }
    }

    static func chineseMessage(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: return "请求格式不正确，请检查后重试"
        case 401: return "请先登录"
        case 403: return "您没有权限执行此操作"
        case 404: return "您访问的页面不存在"
        case 405: return "不支持此操作"
        case 413: return "上传的内容超过大小限制"
        case 429: return "操作过于频繁，请稍后再试"
        default: return status.code >= 500 ? "服务器暂时无法完成请求，请稍后再试。如持续出现，请联系系统管理员。" : "请求未能完成"
        }
    }
}

/// An HTTP error raised outside Kexie's own types (by Vapor or a library), with the platform's code for
/// its status and the Chinese message of that status.
private struct GenericHTTPError: KexieError {
    let errorCode: PlatformError.Code
    let status: HTTPResponseStatus
    var message: String { KexieErrorMiddleware.chineseMessage(for: status) }
}

public struct APIErrorBody: Content {
    public struct Detail: Content {
        public let code: String
        public let message: String
        /// The form or body field the message is about (invalid input only).
        public let field: String?
        /// Every refused field with its message, when a body was checked as a whole.
        public let fields: [String: String]?

        public init(code: String, message: String, field: String? = nil, fields: [String: String]? = nil) {
            self.code = code
            self.message = message
            self.field = field
            self.fields = fields
        }
    }

    public let error: Detail

    public init(error: Detail) {
        self.error = error
    }

    public init(_ error: any KexieError) {
        self.error = Detail(code: error.code, message: error.message, field: error.field, fields: error.fields)
    }
}

enum CookieName {
    static let session = "kexie_session"
    /// 关怀模式: "on" while the visitor wants larger text and simpler pages.
    static let careMode = "kexie_care"
    static let csrf = "kexie_csrf"
}

extension Request {
    /// Whether cookies should carry `Secure`: configured, or decided by the scheme the client used.
    var usesHTTPS: Bool {
        if let forced = platform.configuration.secureCookies { return forced }
        if platform.configuration.trustProxy, headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https" {
            return true
        }
        return url.scheme == "https"
    }

    func cookie(_ value: String, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: usesHTTPS,
            isHTTPOnly: true, sameSite: .lax)
    }
}

private struct ActorKey: StorageKey { typealias Value = Actor }
private struct CSRFKey: StorageKey { typealias Value = String }
private struct SessionKey: StorageKey { typealias Value = String }
private struct PendingSecondFactorKey: StorageKey { typealias Value = User }
private struct MustEnrolKey: StorageKey { typealias Value = Bool }
private struct UnreadKey: StorageKey { typealias Value = Int }

extension Request {
    /// The logged-in actor, or 401 (which the web turns into a redirect to the log-in page).
    public var actor: Actor {
        get throws {
            guard let actor = storage[ActorKey.self] else { throw PlatformError.unauthenticated }
            return actor
        }
    }

    public var optionalActor: Actor? { storage[ActorKey.self] }

    func setActor(_ actor: Actor?) { storage[ActorKey.self] = actor }

    /// The CSRF token every form on this page must carry as `_csrf`.
    public var csrfToken: String { storage[CSRFKey.self] ?? "" }

    var sessionTokenHash: String? {
        get { storage[SessionKey.self] }
        set { storage[SessionKey.self] = newValue }
    }

    /// The user of a session whose password was right but whose authenticator code is still owed.
    var pendingSecondFactorUser: User? {
        get { storage[PendingSecondFactorKey.self] }
        set { storage[PendingSecondFactorKey.self] = newValue }
    }

    /// An administrator who has not bound an authenticator yet: every page leads to enrolment.
    /// Unread 站内信 as the session query counted them, for the header (nil outside a web session).
    var unreadMessages: Int? {
        get { storage[UnreadKey.self] }
        set { storage[UnreadKey.self] = newValue }
    }

    var mustEnrolSecondFactor: Bool {
        get { storage[MustEnrolKey.self] ?? false }
        set { storage[MustEnrolKey.self] = newValue }
    }
}

/// Reads the session cookie, enforces the idle timeout, loads the actor and makes it the audit context
/// for everything the request does.
struct WebSessionMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var clearCookie = false
        if let token = request.cookies[CookieName.session]?.string, !token.isEmpty {
            let hash = Digest.sha256Hex(token)
            // Session, user, grants and unread count in one query: this runs on every page.
            if let session = try await SessionSnapshot.load(tokenHash: hash, on: request.db) {
                let services = request.platform
                let now = services.clock()
                let idle = TimeInterval(services.configuration.sessionIdleMinutes * 60)
                let sessions = { WebSession.query(on: request.db).filter(\.$id == hash) }
                if now.timeIntervalSince(session.lastSeenAt) > idle {
                    try await sessions().delete()
                    clearCookie = true
                } else if !session.isActive {
                    clearCookie = true
                } else if session.secondFactor == .pending {
                    // Password given, code still owed: the session acts for nobody but the code page.
                    if let user = try await User.find(session.userID, on: request.db) {
                        request.pendingSecondFactorUser = user
                        request.sessionTokenHash = hash
                    }
                } else {
                    request.mustEnrolSecondFactor = session.secondFactor == .enrolmentRequired
                    let actor = session.actor(catalog: services.registry.roles)
                    // Administrators time out sooner (KEXIE_ADMIN_IDLE_MINUTES).
                    let isAdministrator = actor.grants.contains { SecondFactorService.mandatoryRoles.contains($0.role) }
                    let adminIdle = TimeInterval(services.configuration.adminIdleMinutes * 60)
                    if isAdministrator, now.timeIntervalSince(session.lastSeenAt) > min(idle, adminIdle) {
                        try await sessions().delete()
                        clearCookie = true
                    } else {
                        request.setActor(actor)
                        request.sessionTokenHash = hash
                        request.unreadMessages = session.unread
                        // Touch at most once a minute: a write per page view would dominate a busy instance.
                        if now.timeIntervalSince(session.lastSeenAt) > 60 {
                            // A busy database (a long import holds the writer) must not fail the page.
                            try? await services.writes.transaction(on: request.db) { tx in
                                try await WebSession.query(on: tx).filter(\.$id == hash).set(\.$lastSeenAt, to: now).update()
                            }
                        }
                    }
                }
            } else {
                clearCookie = true
            }
        }
        let context = AuditContext(
            actorID: request.optionalActor?.userID.uuidString ?? "anonymous",
            actorName: request.optionalActor?.displayName ?? "匿名",
            organizationID: request.optionalActor?.actingOrganizationID?.uuidString ?? "",
            clientAddress: request.clientAddress)
        let response = try await AuditContext.$current.withValue(context) {
            try await next.respond(to: request)
        }
        if clearCookie, response.cookies[CookieName.session] == nil {
            response.cookies[CookieName.session] = request.cookie("", maxAge: 0)
        }
        return response
    }
}

/// Double-submit CSRF protection: a random HttpOnly cookie, echoed by every form as `_csrf` (or the
/// X-CSRF-Token header). A state-changing request whose echo is missing or different gets 403.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let existing = request.cookies[CookieName.csrf]?.string
        let token = (existing?.count ?? 0) >= 32 ? existing! : Digest.randomToken()
        request.storage[CSRFKey.self] = token
        if ![.GET, .HEAD, .OPTIONS].contains(request.method) {
            // A cross-site form post announces itself: refuse it before reading a byte of its body.
            if request.headers.first(name: "Sec-Fetch-Site") == "cross-site" { throw PlatformError.csrfRejected }
            var sent = request.headers.first(name: "X-CSRF-Token")
            if sent == nil {
                let limit = BodyLimits.limit(for: request)
                try BodyLimits.refuseDeclaredOversize(request, limit: limit)
                if request.body.data == nil {
                    do { _ = try await request.body.collect(max: limit).get() } catch {
                        throw PlatformError.payloadTooLarge(limit: limit)
                    }
                }
                sent = try? request.content.get(String.self, at: "_csrf")
            }
            guard let existing, let sent, Digest.constantTimeEquals(existing, sent) else {
                throw PlatformError.csrfRejected
            }
        }
        let response = try await next.respond(to: request)
        if existing != token {
            response.cookies[CookieName.csrf] = request.cookie(token)
        }
        return response
    }
}

/// Web routes that need a user; anonymous visitors go to the log-in page and come back afterwards.
struct RequireUserMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let actor = request.optionalActor else { throw PlatformError.unauthenticated }
        if actor.mustChangePassword, request.url.path != PlatformRoutes.changePassword(),
            request.url.path != PlatformRoutes.logout()
        {
            return request.redirect(to: PlatformRoutes.changePassword())
        }
        // The password first (a temporary one must go), then the authenticator.
        let enrolment = [
            PlatformRoutes.secondFactorSetup(), PlatformRoutes.secondFactorQR(), PlatformRoutes.logout(),
            PlatformRoutes.changePassword(),
        ]
        if request.mustEnrolSecondFactor, !enrolment.contains(request.url.path) {
            return request.redirect(to: PlatformRoutes.secondFactorSetup())
        }
        return try await next.respond(to: request)
    }
}

/// Bearer tokens for /api/v1. The token is hashed and looked up; expired or revoked tokens get 401.
struct BearerMiddleware: AsyncMiddleware {
    let required: Bool
    static let stamps = TokenUseStamps()

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization?.token {
            let services = request.platform
            let now = services.clock()
            guard
                let token = try await APIToken.query(on: request.db)
                    .filter(\.$tokenHash == Digest.sha256Hex(bearer)).first(),
                token.revokedAt == nil, token.expiresAt.map({ $0 > now }) ?? true,
                let user = try await User.find(token.userID, on: request.db), user.isActive
            else { throw PlatformError.tokenInvalid }
            let preferred = request.headers.first(name: "X-Kexie-Grant").flatMap(UUID.init(uuidString:))
            let actor = try await Actor.load(
                user: user, preferredGrantID: preferred, catalog: services.registry.roles, on: request.db)
            if token.readOnly, ![.GET, .HEAD].contains(request.method) {
                throw PlatformError.readOnlyToken
            }
            request.setActor(actor)
            try request.enforce(.apiToken, key: try token.requireID().uuidString)
            let tokenID = try token.requireID()
            if token.lastUsedAt.map({ now.timeIntervalSince($0) > 300 }) ?? true, Self.stamps.claim(tokenID, now: now) {
                // Stored without the audit middleware: a "last used" timestamp is not a change worth a row.
                // A statistic: serialized like every write, and never the reason a request fails. Only
                // the request that claims the stamp writes it: 200 requests of one client arriving
                // together once made 200 writes in a row, each waiting for the one before.
                try? await services.writes.transaction(on: request.db) { tx in
                    try await APIToken.query(on: tx).filter(\.$id == tokenID).set(\.$lastUsedAt, to: now).update()
                }
            }
        } else if required {
            throw PlatformError.unauthenticated
        }
        let context = AuditContext(
            actorID: request.optionalActor?.userID.uuidString ?? "anonymous",
            actorName: request.optionalActor?.displayName ?? "匿名",
            organizationID: request.optionalActor?.actingOrganizationID?.uuidString ?? "",
            clientAddress: request.clientAddress)
        return try await AuditContext.$current.withValue(context) { try await next.respond(to: request) }
    }
}

/// Which token's "last used" time this process wrote when, so that one request per token and five
/// minutes writes it, however many arrive together.
final class TokenUseStamps: Sendable {
    private let written = NIOLockedValueBox<[UUID: Date]>([:])

    /// Whether the caller should write the stamp now (and, if so, records that it does).
    func claim(_ tokenID: UUID, now: Date) -> Bool {
        written.withLockedValue { written in
            if let last = written[tokenID], now.timeIntervalSince(last) <= 300 { return false }
            if written.count > 10_000 { written.removeAll() }
            written[tokenID] = now
            return true
        }
    }
}
