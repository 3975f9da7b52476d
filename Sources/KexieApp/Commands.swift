import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `kexie serve`: migrates the embedded database (or PostgreSQL with --auto-migrate), loads the demo
/// when asked, prints the one-time setup link on a fresh installation, then serves.
struct KexieServeCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "hostname", short: "H", help: "监听地址 / address to listen on (default 127.0.0.1)")
        var hostname: String?
        @Option(name: "port", short: "p", help: "端口 / port (default 8080)")
        var port: Int?
        @Flag(name: "demo", help: "载入演示数据（虚构的云海省）/ load the fictional demo province")
        var demo: Bool
        @Flag(name: "demo-bare", help: "演示数据只含组织与账号（浏览器测试用）/ the demo's organizations and accounts only (browser tests)")
        var demoBare: Bool
        @Flag(name: "auto-migrate", help: "PostgreSQL 下启动时执行数据库迁移 / run migrations on start with PostgreSQL")
        var autoMigrate: Bool
        init() {}
    }

    var help: String { "启动网站服务 / serve the platform over HTTP" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let config = app.platform.configuration
        if !config.database.isPostgres || signature.autoMigrate {
            try await app.autoMigrate()
        }
        try await PlatformBootstrap.prepareDatabase(app)
        if signature.demo { try await DemoCommand.loadDemo(app, populated: !signature.demoBare, console: context.console) }
        let hostname = signature.hostname ?? "127.0.0.1"
        let port = signature.port ?? 8080
        if let token = try await SetupService(db: app.db, services: app.platform).issueToken() {
            let base = config.publicBaseURL ?? "http://\(hostname == "0.0.0.0" ? "127.0.0.1" : hostname):\(port)"
            context.console.print("尚未创建任何账号。请在浏览器中打开以下一次性链接，创建第一个系统管理员：")
            context.console.print("No accounts yet. Open this one-time link to create the first system administrator:")
            context.console.print("SETUP-LINK \(base)\(PlatformRoutes.setup(query: ["token": token]))")
        }
        let jobs = BackgroundJobRunner()
        app.lifecycle.use(jobs)  // for the shutdown: it stops the timers
        jobs.start(app)
        var serveContext = context
        serveContext.input = CommandInput(arguments: ["serve", "--hostname", hostname, "--port", String(port)])
        try await app.servers.asyncCommand.run(using: &serveContext)
    }
}

/// `kexie migrate`: applies pending migrations, printing each; no prompt, so deployments can script it.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "revert", help: "撤销最近一批迁移 / revert the last batch")
        var revert: Bool
        init() {}
    }

    var help: String { "执行数据库迁移 / apply database migrations" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        app.logger.logLevel = .info
        if signature.revert {
            try await app.autoRevert()
            context.console.print("已撤销 / reverted")
        } else {
            try await app.autoMigrate()
            context.console.print("数据库已是最新 / database is up to date")
        }
    }
}

struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "bare", help: "只载入组织与账号，不含人员、诉求、计划与供需 / organizations and accounts only")
        var bare: Bool
        init() {}
    }

    var help: String { "载入演示数据：虚构的云海省及每种角色的演示账号 / load the fictional demo province with one account per role" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        if !app.platform.configuration.database.isPostgres { try await app.autoMigrate() }
        try await Self.loadDemo(app, populated: !signature.bare, console: context.console)
    }

    /// Prints the demo accounts and writes them (mode 0600) to demo-accounts.txt in the data folder.
    static func loadDemo(_ app: Application, populated: Bool, console: any Console) async throws {
        let loader = DemoDirectory(services: app.platform, passwords: app.password.async)
        let started = Date()
        guard let accounts = try await loader.load(on: app.db, populated: populated, log: { console.print("  " + $0) }) else {
            console.print("演示数据已载入过，未重复载入 / demo data already loaded")
            return
        }
        var lines = [
            "演示账号（密码仅显示一次；管理员另需身份验证器，密钥在最后一列）/ demo accounts (administrators also need the authenticator secret in the last column):"
        ]
        for account in accounts {
            lines.append(
                "\(account.username)\t\(account.password)\t\(account.role.rawValue)\t\(account.role.label)\t\(account.organization)\t\(account.totpSecret ?? "")"
            )
        }
        for line in lines { console.print(line) }
        console.print(
            String(format: "演示数据载入用时 %.1f 秒 / demo loaded in %.1f s", Date().timeIntervalSince(started), Date().timeIntervalSince(started)))
        let path = app.platform.configuration.dataDirectory + "/demo-accounts.txt"
        FileManager.default.createFile(
            atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8), attributes: [.posixPermissions: 0o600])
    }
}

/// `kexie user create --username U --role ROLE [--org ORG-ID]`; the password comes from standard input
/// (one line) so it never appears in the shell history or the process list.
struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "username", help: "用户名 / user name") var username: String?
        @Option(name: "role", help: "角色：sysadmin secadmin auditor orgadmin staff expert member enterprise") var role: String?
        @Option(name: "org", help: "组织编号（默认为根组织）/ organization id, default the root") var org: String?
        @Option(name: "name", help: "姓名（默认同用户名）/ display name") var name: String?
        init() {}
    }

    var help: String { "创建账号，密码从标准输入读取 / create an account; the password is read from standard input" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let username = signature.username, let roleName = signature.role else {
            throw CommandFailure("需要 --username 与 --role / --username and --role are required")
        }
        guard let role = RoleID(rawValue: roleName) else {
            throw CommandFailure("未知角色 \(roleName)；可用：\(RoleID.allCases.map(\.rawValue).joined(separator: " "))")
        }
        let orgQuery = Organization.query(on: app.db)
        let organization: Organization?
        if let org = signature.org {
            guard let id = UUID(uuidString: org) else { throw CommandFailure("--org 应为组织编号（UUID）") }
            organization = try await orgQuery.filter(\.$id == id).first()
        } else {
            organization = try await orgQuery.filter(\.$parentID == nil).sort(\.$createdAt).first()
        }
        guard let organization else { throw CommandFailure("找不到组织；请先完成初始化或检查 --org / organization not found") }
        let password: String
        if isatty(STDIN_FILENO) == 1 {
            password = context.console.ask("密码 / password:", isSecure: true)
        } else {
            password = readLine(strippingNewline: true) ?? ""
        }
        let service = AccountService(db: app.db, services: app.platform, passwords: app.password.async)
        do {
            let user = try await service.create(
                .init(username: username, displayName: signature.name ?? username, phone: nil, email: nil, password: password),
                grants: [(role, try organization.requireID())])
            context.console.print("已创建 \(user.username)（\(role.label)，\(organization.name)）id=\(user.id?.uuidString ?? "")")
        } catch let error as PlatformError {
            throw CommandFailure(error.message)
        }
    }
}

/// `kexie token create --user U [--expires DAYS]`: the token alone on the last line, for scripts.
struct TokenCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "user", help: "用户名 / user name") var user: String?
        @Option(name: "expires", help: "有效天数（默认 90 天）/ days until expiry (default 90)") var expires: Int?
        @Flag(name: "read-only", help: "只读令牌 / a read-only token") var readOnly: Bool
        @Option(name: "name", help: "令牌名称 / token name") var name: String?
        init() {}
    }

    var help: String { "为账号创建 API 令牌 / create an API token for a user" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let username = signature.user else { throw CommandFailure("需要 --user / --user is required") }
        guard let user = try await User.query(on: app.db).filter(\.$username == username.lowercased()).first() else {
            throw CommandFailure("找不到账号 \(username) / no such user")
        }
        do {
            let issued = try await TokenService(db: app.db, services: app.platform)
                .issue(
                    userID: try user.requireID(), name: signature.name ?? "命令行创建", expiresInDays: signature.expires,
                    readOnly: signature.readOnly)
            context.console.print("已为 \(user.username) 创建令牌（仅显示一次）/ token (shown once):")
            context.console.print(issued.token)
        } catch let error as PlatformError {
            throw CommandFailure(error.message)
        }
    }
}

/// `kexie audit verify`: walks the hash chain; exits non-zero on a break.
struct AuditVerifyCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "校验审计日志哈希链 / verify the audit log hash chain" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let result = try await AuditLog.verify(on: context.application.db) { checked in
            if checked % 10_000 == 0 { context.console.print("已校验 / checked \(checked)") }
        }
        if let problem = result.problem {
            context.console.error("审计链校验失败 / audit chain broken: \(problem)")
            throw CommandFailure("审计链校验失败（已校验 \(result.checked) 条）")
        }
        context.console.print("审计链完整：共 \(result.checked) 条 / audit chain intact: \(result.checked) entries")
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
