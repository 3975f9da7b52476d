import Fluent
import Foundation
import Platform
import Vapor

/// `kexie setup --organization NAME --admin USER [--name NAME]`: the first-run setup without a browser;
/// the password comes from standard input (one line), never from the command line.
struct SetupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "organization", help: "本级科协名称 / name of the root association") var organization: String?
        @Option(name: "admin", help: "系统管理员用户名 / user name of the system administrator") var admin: String?
        @Option(name: "name", help: "管理员姓名（默认同用户名）/ display name, default the user name") var name: String?
        init() {}
    }

    var help: String { "无浏览器初始化：创建本级组织与第一个系统管理员，密码从标准输入读取 / set up the root organization and first administrator" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let username = signature.admin?.trimmingCharacters(in: .whitespaces), !username.isEmpty else {
            throw CommandFailure("需要 --admin / --admin is required")
        }
        if !app.platform.configuration.database.isPostgres { try await app.autoMigrate() }
        let setup = SetupService(db: app.db, services: app.platform)
        let needed: Bool
        do { needed = try await setup.needsSetup() } catch {
            throw CommandFailure("无法读取账号表；PostgreSQL 下请先运行 kexie migrate / cannot read accounts: run kexie migrate first (\(error))")
        }
        guard needed else { throw CommandFailure("平台已完成初始化（已有账号），未做任何更改 / already set up (accounts exist): nothing changed") }
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            password = context.console.ask("密码 / password:", isSecure: true)
            guard context.console.ask("再次输入密码 / repeat:", isSecure: true) == password else {
                throw CommandFailure("两次输入的密码不一致 / the passwords differ")
            }
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        let accounts = AccountService(db: app.db, services: app.platform, passwords: app.password.async)
        let errors: FieldErrors
        do {
            errors = try await setup.completeFromCommandLine(
                organizationName: signature.organization ?? "", username: username, displayName: signature.name ?? username,
                password: password, accounts: accounts)
        } catch PlatformError.setupUnavailable {
            throw CommandFailure("平台已完成初始化（已有账号），未做任何更改 / already set up (accounts exist): nothing changed")
        }
        guard errors.isEmpty else {
            let order = ["organizationName", "username", "displayName", "password", "confirm"]
            let messages = order.compactMap { errors[$0] } + errors.messages.filter { !order.contains($0.key) }.map(\.value)
            for message in messages { context.console.error("  " + message) }
            throw CommandFailure("初始化未完成：\(messages.joined(separator: "；")) / setup refused")
        }
        let root = try await Organization.query(on: app.db).filter(\.$parentID == nil).sort(\.$createdAt).first()
        context.console.print("初始化完成 / set up: 本级组织 / root \(root?.name ?? "")，系统管理员 / administrator \(username.lowercased())")
        context.console.print("请用该账号登录网页，再按三权分立创建安全管理员与审计管理员 / log in, then create the security and audit administrators")
    }
}
