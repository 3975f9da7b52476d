import Fluent
import Foundation
import KexieKit

/// The second factor (身份鉴别, 等保 第三级): a TOTP authenticator per account, mandatory for the system,
/// security and audit administrators and for organization administrators, optional for everyone else;
/// single-use recovery codes; wrong codes count towards the same lock-out as wrong passwords.
public struct SecondFactorService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    /// The roles whose holders cannot work without a second factor.
    public static let mandatoryRoles: Set<RoleID> = [.sysadmin, .secadmin, .auditor, .orgadmin]
    public static let issuer = "智慧科协"
    static let recoveryCodeCount = 10

    /// The state a new session starts in for this user.
    func stateAtLogin(_ user: User) async throws -> SecondFactorState {
        let userID = try user.requireID()
        if try await confirmed(userID) != nil { return .pending }
        let mandatory = try await RoleGrant.query(on: db).filter(\.$userID == userID)
            .filter(\.$role ~~ Self.mandatoryRoles.map(\.rawValue)).count()
        return mandatory > 0 ? .enrolmentRequired : .passed
    }

    public func confirmed(_ userID: UUID) async throws -> SecondFactor? {
        try await SecondFactor.query(on: db).filter(\.$userID == userID).filter(\.$confirmedAt != nil).first()
    }

    public func isEnrolled(_ userID: UUID) async throws -> Bool { try await confirmed(userID) != nil }

    /// Enrolment, step one: the account's unconfirmed secret (made now if there is none), shown as a
    /// QR code and as text. An account with a confirmed authenticator has none: it is replaced only after
    /// the security administrator resets it.
    public func pendingSecret(for user: User) async throws -> TOTP? {
        let userID = try user.requireID()
        if let existing = try await SecondFactor.query(on: db).filter(\.$userID == userID).first() {
            guard existing.confirmedAt == nil, let text = try? services.secrets.open(existing.secretCipher) else { return nil }
            return TOTP(base32Secret: text)
        }
        let totp = TOTP(secret: TOTP.generateSecret())
        let factor = SecondFactor()
        factor.userID = userID
        factor.secretCipher = try services.secrets.seal(totp.base32Secret)
        factor.lastCounter = -1
        factor.createdAt = services.clock()
        try await services.writes.transaction(on: db) { tx in try await factor.create(on: tx) }
        return totp
    }

    public func provisioningURI(_ totp: TOTP, user: User) -> String {
        totp.provisioningURI(issuer: Self.issuer, account: user.username)
    }

    /// Enrolment, step two: the first correct code confirms the authenticator and returns the recovery
    /// codes, shown once. Nil when the code is wrong.
    public func confirm(user: User, code: String) async throws -> [String]? {
        let userID = try user.requireID()
        guard let totp = try await pendingSecret(for: user) else { return nil }
        let now = services.clock()
        guard let counter = totp.verify(code, at: now, lastUsedCounter: nil) else {
            try await recordFailure(user, summary: "绑定身份验证器失败：验证码不正确")
            return nil
        }
        let codes = RecoveryCodes.generate(count: Self.recoveryCodeCount)
        try await services.writes.transaction(on: db) { tx in
            try await SecondFactor.query(on: tx).filter(\.$userID == userID).filter(\.$confirmedAt == nil)
                .set(\.$confirmedAt, to: now).set(\.$lastCounter, to: Int64(counter)).update()
            try await RecoveryCode.query(on: tx).filter(\.$userID == userID).delete()
            for code in codes {
                let row = RecoveryCode()
                row.userID = userID
                row.codeHash = self.recoveryHash(code)
                try await row.create(on: tx)
            }
            try await self.services.audit.record(
                AuditEvent(action: "second_factor.enrol", entityType: "user", entityID: userID.uuidString, summary: "绑定身份验证器并生成恢复码"),
                on: tx)
        }
        return codes
    }

    /// The log-in step: a current code (not one already used) or an unused recovery code.
    public func verify(user: User, code: String) async throws -> Bool {
        let userID = try user.requireID()
        guard let factor = try await confirmed(userID) else { return false }
        let now = services.clock()
        if let text = try? services.secrets.open(factor.secretCipher), let totp = TOTP(base32Secret: text),
            let counter = totp.verify(code, at: now, lastUsedCounter: factor.lastCounter >= 0 ? UInt64(factor.lastCounter) : nil)
        {
            // Conditional on the counter still being older: two requests racing with one code cannot both pass.
            let accepted: Bool = try await services.writes.transaction(on: db) { tx in
                guard let current = try await SecondFactor.find(factor.requireID(), on: tx), current.lastCounter < Int64(counter) else {
                    return false
                }
                try await SecondFactor.query(on: tx).filter(\.$id == factor.requireID()).filter(\.$lastCounter < Int64(counter))
                    .set(\.$lastCounter, to: Int64(counter)).update()
                return true
            }
            if accepted {
                try await services.audit.record(
                    AuditEvent(action: "login.second_factor", entityType: "user", entityID: userID.uuidString, summary: "身份验证器验证通过"),
                    context: loggingIn(user), on: db)
                return true
            }
        } else if let normalized = RecoveryCodes.normalize(code),
            let row = try await RecoveryCode.query(on: db).filter(\.$userID == userID).filter(\.$codeHash == recoveryHash(normalized))
                .filter(\.$usedAt == nil).first()
        {
            row.usedAt = now
            try await services.writes.transaction(on: db) { tx in try await row.update(on: tx) }
            let left = try await RecoveryCode.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).count()
            try await services.audit.record(
                AuditEvent(
                    action: "login.recovery_code", entityType: "user", entityID: userID.uuidString,
                    summary: "使用恢复码登录（剩余 \(left) 个）"),
                context: loggingIn(user), on: db)
            return true
        }
        try await recordFailure(user, summary: "登录失败：验证码不正确（\(user.username)）")
        return false
    }

    /// A wrong code counts like a wrong password for the account's lock-out.
    private func recordFailure(_ user: User, summary: String) async throws {
        let key = services.secrets.lookupHash("login:" + user.username.lowercased())
        let attempt = LoginAttempt(identifierKey: key, clientAddress: "second-factor", succeeded: false, attemptedAt: services.clock())
        try await services.writes.transaction(on: db) { tx in try await attempt.create(on: tx) }
        try await services.audit.record(
            AuditEvent(action: "login.second_factor_failure", entityType: "user", entityID: user.id?.uuidString ?? "", summary: summary),
            context: loggingIn(user), on: db)
    }

    /// The code step runs before the session acts for anyone: its audit rows name the person logging in
    /// (as the password step's do), with the client address of the request.
    private func loggingIn(_ user: User) -> AuditContext {
        AuditContext(
            actorID: user.id?.uuidString ?? "", actorName: user.displayName, organizationID: "",
            clientAddress: AuditContext.current?.clientAddress ?? "")
    }

    func recoveryHash(_ code: String) -> String {
        services.secrets.lookupHash("recovery:" + (RecoveryCodes.normalize(code) ?? code))
    }

    /// Removes the account's authenticator and recovery codes and ends its sessions (which may have been
    /// opened with the lost device).
    public func remove(for user: User) async throws {
        let userID = try user.requireID()
        try await services.writes.transaction(on: db) { tx in
            try await SecondFactor.query(on: tx).filter(\.$userID == userID).delete()
            try await RecoveryCode.query(on: tx).filter(\.$userID == userID).delete()
            try await WebSession.query(on: tx).filter(\.$userID == userID).delete()
            try await self.services.audit.record(
                AuditEvent(
                    action: "second_factor.reset", entityType: "user", entityID: userID.uuidString,
                    summary: "重置身份验证器（\(user.username)），须重新绑定"),
                on: tx)
        }
    }

    public func unusedRecoveryCodes(_ userID: UUID) async throws -> Int {
        try await RecoveryCode.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).count()
    }
}
