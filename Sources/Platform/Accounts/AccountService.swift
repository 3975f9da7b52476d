import Fluent
import Foundation
import KexieKit
import Vapor

/// Sign-up, log-in with lock-out, sessions, password changes and administrator resets.
public struct AccountService: Sendable {
    let db: any Database
    let services: PlatformServices
    let passwords: AsyncPasswordHasher

    public init(db: any Database, services: PlatformServices, passwords: AsyncPasswordHasher) {
        self.db = db
        self.services = services
        self.passwords = passwords
    }

    public enum LoginOutcome: Sendable {
        case success(sessionToken: String, user: User)
        /// The password was right; the session waits for the authenticator code.
        case secondFactorNeeded(sessionToken: String, user: User)
        case invalid
        case locked(until: Date)
    }

    /// What the person typed to log in: a user name, a mainland mobile number or an e-mail address.
    public enum Identifier: Sendable, Equatable {
        case username(String)
        case phone(String)
        case email(String)

        public init(_ raw: String) {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if let phone = ContactFormat.normalizedMobile(text) {
                self = .phone(phone)
            } else if text.contains("@") {
                self = .email(text.lowercased())
            } else {
                self = .username(text.lowercased())
            }
        }

        var normalized: String {
            switch self {
            case .username(let v), .phone(let v), .email(let v): return v
            }
        }
    }

    public func findUser(_ identifier: Identifier) async throws -> User? {
        switch identifier {
        case .username(let name): return try await User.query(on: db).filter(\.$username == name).first()
        case .email(let email): return try await User.query(on: db).filter(\.$email == email).first()
        case .phone(let phone):
            return try await User.query(on: db).filter(\.$phoneLookup == services.secrets.lookupHash(phone)).first()
        }
    }

    // MARK: Log-in

    public func login(identifier raw: String, password: String, clientAddress: String) async throws -> LoginOutcome {
        let identifier = Identifier(raw)
        let key = services.secrets.lookupHash("login:" + identifier.normalized)
        let now = services.clock()
        if let until = try await lockedUntil(identifierKey: key, clientAddress: clientAddress, now: now) {
            return .locked(until: until)
        }
        let user = try await findUser(identifier)
        // Verify against a fixed hash when the user does not exist, so timing does not reveal it.
        let hash = user?.passwordHash ?? services.dummyPasswordHash
        let matches = (try? await passwords.verify(password, created: hash)) ?? false
        guard let user, user.isActive, matches else {
            try await record(LoginAttempt(identifierKey: key, clientAddress: clientAddress, succeeded: false, attemptedAt: now))
            try await services.audit.record(
                AuditEvent(
                    action: "login.failure", entityType: "user", entityID: user?.id?.uuidString ?? "",
                    // Never the raw text typed: people type passwords into the name field. A known
                    // account is named; anything else only by its keyed hash, which matches the lock-out rows.
                    summary: user.map { "登录失败：\($0.username)" } ?? "登录失败：未知账号（标识散列 \(key.prefix(12))）"),
                on: db)
            if let until = try await lockedUntil(identifierKey: key, clientAddress: clientAddress, now: now) {
                return .locked(until: until)
            }
            return .invalid
        }
        try await record(LoginAttempt(identifierKey: key, clientAddress: clientAddress, succeeded: true, attemptedAt: now))
        let state = try await SecondFactorService(db: db, services: services).stateAtLogin(user)
        let token = try await openSession(for: user, clientAddress: clientAddress, secondFactor: state)
        user.lastLoginAt = now
        let userID = try user.requireID()
        try await services.writes.transaction(on: db) { tx in
            try await User.query(on: tx).filter(\.$id == userID).set(\.$lastLoginAt, to: now).update()
        }
        try await services.audit.record(
            AuditEvent(
                action: "login.success", entityType: "user", entityID: user.id?.uuidString ?? "",
                summary: state == .pending ? "密码验证通过，等待身份验证器验证码" : "登录成功"),
            context: AuditContext(
                actorID: user.id?.uuidString ?? "", actorName: user.displayName, organizationID: "",
                clientAddress: clientAddress),
            on: db)
        return state == .pending ? .secondFactorNeeded(sessionToken: token, user: user) : .success(sessionToken: token, user: user)
    }

    /// Locked when the identifier, or the client address, has reached the failure limit inside the
    /// lock-out window since its last success. The lock runs from the last counted failure.
    func lockedUntil(identifierKey: String, clientAddress: String, now: Date) async throws -> Date? {
        let config = services.configuration
        let window = TimeInterval(config.lockoutMinutes * 60)
        let since = now.addingTimeInterval(-window)
        for (field, value) in [("identifier", identifierKey), ("address", clientAddress)] {
            var query = LoginAttempt.query(on: db).filter(\.$attemptedAt > since)
            query =
                field == "identifier"
                ? query.filter(\.$identifierKey == value) : query.filter(\.$clientAddress == value)
            let attempts = try await query.sort(\.$attemptedAt, .descending).limit(200).all()
            // Failures count only after the newest success for an identifier; an address keeps its
            // count, so one valid account cannot be used to reset guessing from the same address.
            let relevant = field == "identifier" ? Array(attempts.prefix { !$0.succeeded }) : attempts.filter { !$0.succeeded }
            if relevant.count >= config.maxLoginFailures, let latest = relevant.first {
                return latest.attemptedAt.addingTimeInterval(window)
            }
        }
        return nil
    }

    /// Clears the lock for every way the user can be named, by recording a success for each.
    public func unlock(_ user: User) async throws {
        let now = services.clock()
        var names = [user.username.lowercased()]
        if let email = user.email { names.append(email) }
        if let cipher = user.phoneCipher, let phone = try? services.secrets.open(cipher) { names.append(phone) }
        for name in names {
            try await record(
                LoginAttempt(
                    identifierKey: services.secrets.lookupHash("login:" + name), clientAddress: "unlock", succeeded: true,
                    attemptedAt: now
                ))
        }
        try await services.audit.record(
            AuditEvent(action: "user.unlock", entityType: "user", entityID: user.id?.uuidString ?? "", summary: "解除登录锁定"),
            on: db)
    }

    /// Single-row writes of log-in go through the write serializer too: on SQLite an autocommit write
    /// racing a serialized transaction that read first ends that transaction in SQLITE_BUSY_SNAPSHOT (a 500
    /// for about one concurrent sign-up in 500 in the kill drill).
    func record(_ attempt: LoginAttempt) async throws {
        try await services.writes.transaction(on: db) { tx in try await attempt.create(on: tx) }
    }

    func openSession(for user: User, clientAddress: String, secondFactor: SecondFactorState = .passed) async throws -> String {
        let token = Digest.randomToken()
        let session = WebSession(
            tokenHash: Digest.sha256Hex(token), userID: try user.requireID(), actingGrantID: nil,
            now: services.clock(), clientAddress: clientAddress, secondFactor: secondFactor)
        try await services.writes.transaction(on: db) { tx in try await session.create(on: tx) }
        return token
    }

    public func logout(sessionTokenHash: String, actor: Actor) async throws {
        try await WebSession.query(on: db).filter(\.$id == sessionTokenHash).delete()
        try await services.audit.record(
            AuditEvent(action: "logout", entityType: "user", entityID: actor.userID.uuidString, summary: "退出登录"),
            on: db)
    }

    public func switchActing(sessionTokenHash: String, actor: Actor, grantID: UUID) async throws {
        guard actor.grants.contains(where: { $0.id == grantID }) else { throw PlatformError.forbidden }
        try await services.writes.transaction(on: db) { tx in
            try await WebSession.query(on: tx).filter(\.$id == sessionTokenHash).set(\.$actingGrantID, to: grantID).update()
        }
    }

    // MARK: Accounts

    public struct NewAccount: Sendable {
        public var username: String?
        public var displayName: String
        public var phone: String?
        public var email: String?
        public var password: String
        public var mustChangePassword = false

        public init(username: String?, displayName: String, phone: String?, email: String?, password: String) {
            self.username = username
            self.displayName = displayName
            self.phone = phone
            self.email = email
            self.password = password
        }
    }

    /// Validates a new account; field keys match the form's field names.
    public func validate(_ account: NewAccount) async throws -> FieldErrors {
        var errors = FieldErrors()
        if let username = account.username {
            if username.count < 3 || username.count > 32
                || !username.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
            {
                errors.add("username", "用户名需为 3–32 位字母、数字或 . _ -")
            } else if try await findUser(.username(username.lowercased())) != nil {
                errors.add("username", "该用户名已被使用")
            }
        }
        let name = account.displayName.trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name.count > 50 { errors.add("displayName", "请填写姓名（不超过 50 个字）") }
        if let phone = account.phone, !phone.isEmpty {
            if let normalized = ContactFormat.normalizedMobile(phone) {
                if try await findUser(.phone(normalized)) != nil { errors.add("contact", "该手机号已注册") }
            } else {
                errors.add("contact", "请输入正确的 11 位手机号")
            }
        }
        if let email = account.email, !email.isEmpty {
            if !ContactFormat.isEmail(email) {
                errors.add("contact", "请输入正确的电子邮箱")
            } else if try await findUser(.email(email.lowercased())) != nil {
                errors.add("contact", "该邮箱已注册")
            }
        }
        let policy = PasswordPolicy().violations(password: account.password, username: account.username)
        if let first = policy.first {
            errors.add("password", policy.count > 1 ? policy.map(\.message).joined(separator: "；") : first.message)
        }
        return errors
    }

    /// Creates the account and its grants in one transaction.
    public func create(_ account: NewAccount, grants: [(RoleID, UUID)]) async throws -> User {
        try await create(account) { _ in grants }
    }

    /// Creates the account with grants decided inside the same transaction: `alongside` writes the
    /// caller's rows first (an enterprise's organization) and returns the grants to give.
    public func create(
        _ account: NewAccount, alongside: @escaping @Sendable (any Database) async throws -> [(RoleID, UUID)]
    ) async throws -> User {
        let errors = try await validate(account)
        try errors.throwIfAny(order: ["username", "displayName", "contact", "password"])
        let hash = try await passwords.hash(account.password)
        let username: String
        if let chosen = account.username?.lowercased() { username = chosen } else { username = try await generatedUsername(for: account) }
        let user = User(username: username, displayName: account.displayName.trimmingCharacters(in: .whitespaces), passwordHash: hash)
        if let phone = account.phone.flatMap(ContactFormat.normalizedMobile) {
            user.phoneLookup = services.secrets.lookupHash(phone)
            user.phoneCipher = try services.secrets.seal(phone)
        }
        if let email = account.email, !email.isEmpty { user.email = email.lowercased() }
        user.mustChangePassword = account.mustChangePassword
        try await services.writes.transaction(on: db) { tx in
            let grantRows = try await alongside(tx)
            if Set(grantRows.map(\.0).filter(\.isAdministratorTriad)).count > 1 {
                throw PlatformError.invalidInput(field: "role", message: "系统、安全、审计管理员不能由同一账号兼任")
            }
            try await user.create(on: tx)
            for (role, org) in grantRows {
                try await RoleGrant(userID: user.requireID(), role: role, organizationID: org).create(on: tx)
            }
        }
        return user
    }

    /// Sign-ups and CLI users without a chosen name get "u" + 8 random digits; the person logs in with
    /// the phone or e-mail they gave, so the generated name rarely matters to them.
    func generatedUsername(for account: NewAccount) async throws -> String {
        for _ in 0..<20 {
            let candidate = "u" + String(Int.random(in: 10_000_000...99_999_999))
            if try await findUser(.username(candidate)) == nil { return candidate }
        }
        throw PlatformError.conflict(message: "无法生成用户名，请重试")
    }

    /// A new password ends every other session and revokes every API token: whoever knew the old password
    /// (or stole a session or token while it was valid) is out. `keepSession` is the session making the
    /// change, so the person is not logged out of the page they are on.
    public func changePassword(
        user: User, current: String, new: String, confirm: String, keepSession: String? = nil
    ) async throws -> FieldErrors {
        var errors = FieldErrors()
        if !((try? await passwords.verify(current, created: user.passwordHash)) ?? false) {
            errors.add("current", "当前密码不正确")
        }
        if new != confirm { errors.add("confirm", "两次输入的新密码不一致") }
        if new == current { errors.add("password", "新密码不能与当前密码相同") }
        let violations = PasswordPolicy().violations(password: new, username: user.username)
        if !violations.isEmpty { errors.add("password", violations.map(\.message).joined(separator: "；")) }
        guard errors.isEmpty else { return errors }
        try await setPassword(of: user, to: new, mustChange: false, keepSession: keepSession)
        return errors
    }

    /// The one way a password changes: the new hash, and in the same transaction the end of every
    /// session (but `keepSession`) and of every API token.
    private func setPassword(of user: User, to password: String, mustChange: Bool, keepSession: String?) async throws {
        let hash = try await passwords.hash(password)
        try await services.writes.transaction(on: db) { tx in
            user.passwordHash = hash
            user.mustChangePassword = mustChange
            try await user.update(on: tx)
            try await endCredentials(of: user, keepSession: keepSession, on: tx)
        }
    }

    /// Ends the user's sessions (all but `keepSession`) and revokes their live API tokens.
    private func endCredentials(of user: User, keepSession: String?, on db: any Database) async throws {
        let userID = try user.requireID()
        var sessions = WebSession.query(on: db).filter(\.$userID == userID)
        if let keepSession { sessions = sessions.filter(\.$id != keepSession) }
        try await sessions.delete()
        try await APIToken.query(on: db).filter(\.$userID == userID).filter(\.$revokedAt == nil)
            .set(\.$revokedAt, to: services.clock()).update()
        try await services.audit.record(
            AuditEvent(
                action: "account.credentials_ended", entityType: "user", entityID: userID.uuidString,
                summary: keepSession == nil ? "密码已重置：结束全部会话并撤销访问令牌" : "密码已修改：结束其他会话并撤销访问令牌"),
            on: db)
    }

    /// An administrator's reset: a random temporary password the person must change at next log-in.
    public func resetPassword(_ user: User) async throws -> String {
        let temporary = Self.temporaryPassword()
        try await setPassword(of: user, to: temporary, mustChange: true, keepSession: nil)
        return temporary
    }

    /// 12 characters from all four classes, without look-alikes (0/O, 1/l/I).
    public static func temporaryPassword() -> String {
        let upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), lower = Array("abcdefghijkmnpqrstuvwxyz")
        // No & < > (escaped in HTML, easy to mangle when copied) and no ^ (hard to say aloud).
        let digits = Array("23456789"), symbols = Array("!@#$%*-_=+")
        var chars = [upper.randomElement()!, lower.randomElement()!, digits.randomElement()!, symbols.randomElement()!]
        let all = upper + lower + digits + symbols
        while chars.count < 12 { chars.append(all.randomElement()!) }
        return String(chars.shuffled())
    }
}

/// Contact formats for log-in and sign-up, on top of KexieKit's validators.
public enum ContactFormat {
    public static func normalizedMobile(_ raw: String) -> String? { try? MobileNumber(raw).value }
    public static func isEmail(_ raw: String) -> Bool { (try? EmailAddress(raw)) != nil }
}
