import Fluent
import Foundation
import KexieKit

/// API tokens: shown once at creation, stored as a SHA-256 hash, with optional expiry and revocation.
public struct TokenService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    public struct Issued: Sendable {
        public let token: String
        public let record: APIToken
    }

    /// Every token expires: after `expiresInDays`, or the configured default (90 days).
    public func issue(userID: UUID, name: String, expiresInDays: Int?, readOnly: Bool = false) async throws -> Issued {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 60 else {
            throw PlatformError.invalidInput(field: "name", message: "请填写令牌名称（不超过 60 个字）")
        }
        if let days = expiresInDays, !(1...3650).contains(days) {
            throw PlatformError.invalidInput(field: "expiresInDays", message: "有效期应为 1–3650 天")
        }
        let token = "kx_" + Digest.randomToken()
        let days = expiresInDays ?? services.configuration.tokenDefaultDays
        let expires = services.clock().addingTimeInterval(TimeInterval(days) * 86_400)
        let record = APIToken(
            userID: userID, name: trimmed, tokenHash: Digest.sha256Hex(token), prefix: String(token.prefix(9)),
            expiresAt: expires)
        record.readOnly = readOnly
        try await record.create(on: db)
        try await services.audit.record(
            AuditEvent(
                action: "token.issue", entityType: "user", entityID: userID.uuidString,
                summary: "创建 API 令牌“\(trimmed)”（\(readOnly ? "只读，" : "")\(days) 天有效）"),
            on: db)
        return Issued(token: token, record: record)
    }

    public func revoke(tokenID: UUID, userID: UUID) async throws {
        guard let token = try await APIToken.query(on: db).filter(\.$id == tokenID).filter(\.$userID == userID).first()
        else { throw PlatformError.notFound }
        if token.revokedAt == nil {
            token.revokedAt = services.clock()
            try await token.update(on: db)
        }
    }
}

/// The one-time setup link shown on the console of a fresh installation.
public struct SetupService: Sendable {
    let db: any Database
    let services: PlatformServices
    static let tokenKey = "setup_token_hash"

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    public func needsSetup() async throws -> Bool {
        try await User.query(on: db).count() == 0
    }

    /// A fresh token whenever the platform starts without accounts; any earlier link stops working.
    public func issueToken() async throws -> String? {
        guard try await needsSetup() else { return nil }
        let token = Digest.randomToken()
        let hash = Digest.sha256Hex(token)
        if let existing = try await PlatformSetting.find(Self.tokenKey, on: db) {
            existing.value = hash
            try await existing.update(on: db)
        } else {
            try await PlatformSetting(key: Self.tokenKey, value: hash).create(on: db)
        }
        return token
    }

    public func isValid(_ token: String?) async throws -> Bool {
        guard let token, try await needsSetup(), let setting = try await PlatformSetting.find(Self.tokenKey, on: db)
        else { return false }
        return Digest.constantTimeEquals(setting.value, Digest.sha256Hex(token))
    }

    public struct Form: Sendable {
        public var organizationName: String
        public var username: String
        public var displayName: String
        public var password: String
        public var confirm: String

        public init(organizationName: String, username: String, displayName: String, password: String, confirm: String) {
            self.organizationName = organizationName
            self.username = username
            self.displayName = displayName
            self.password = password
            self.confirm = confirm
        }
    }

    /// Creates the root association (if none) and the first system administrator in one transaction,
    /// and consumes the token.
    public func complete(token: String?, form: Form, accounts: AccountService) async throws -> FieldErrors {
        guard try await isValid(token) else { throw PlatformError.setupUnavailable }
        return try await establish(form, accounts: accounts)
    }

    /// The setup itself, shared by the link and `kexie setup`; `note` adds an audit event in the same
    /// transaction, naming how the installation was set up.
    func establish(
        _ form: Form, accounts: AccountService, note: (@Sendable (Organization, User) -> AuditEvent)? = nil
    ) async throws -> FieldErrors {
        let root = try await Organization.query(on: db).filter(\.$parentID == nil).sort(\.$createdAt).first()
        let account = AccountService.NewAccount(
            username: form.username, displayName: form.displayName, phone: nil, email: nil, password: form.password)
        var errors = try await accounts.validate(account)
        if root == nil, form.organizationName.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.add("organizationName", "请填写本级科协名称，例如：某某省科学技术协会")
        }
        if form.password != form.confirm { errors.add("confirm", "两次输入的密码不一致") }
        guard errors.isEmpty else { return errors }
        let services = self.services
        let organizationName = form.organizationName.trimmingCharacters(in: .whitespaces)
        try await services.writes.transaction(on: db) { tx in
            // Checked again inside the transaction: two submissions at once must not create two administrators.
            guard try await User.query(on: tx).count() == 0 else { throw PlatformError.setupUnavailable }
            let org: Organization
            if let root {
                org = root
            } else {
                org = Organization(name: organizationName, kind: .association, level: .province, parent: nil)
                try await org.create(on: tx)
            }
            let txAccounts = AccountService(db: tx, services: services, passwords: accounts.passwords)
            let user = try await txAccounts.create(account, grants: [(.sysadmin, try org.requireID())])
            try await PlatformSetting.query(on: tx).filter(\.$id == Self.tokenKey).delete()
            if let note { try await services.audit.record(note(org, user), on: tx) }
        }
        return errors
    }
}
