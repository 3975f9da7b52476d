import Fluent
import Foundation

extension SetupService {
    /// `kexie setup`: the same setup as the one-time link, for an installation without a browser at hand.
    /// The console stands in for the link (whoever runs it already controls the data folder or the
    /// database), so no token is asked for; everything else — the password policy, the one transaction,
    /// the refusal once any account exists — is the link's. Adds a `setup.complete` audit event naming the
    /// command.
    public func completeFromCommandLine(
        organizationName: String, username: String, displayName: String, password: String, accounts: AccountService
    ) async throws -> FieldErrors {
        guard try await needsSetup() else { throw PlatformError.setupUnavailable }
        let form = Form(
            organizationName: organizationName, username: username, displayName: displayName, password: password, confirm: password)
        return try await establish(form, accounts: accounts) { organization, user in
            AuditEvent(
                action: "setup.complete", entityType: "user", entityID: user.id?.uuidString ?? "",
                summary: "命令行初始化（kexie setup）：本级组织 \(organization.name)，系统管理员 \(user.username)")
        }
    }
}
