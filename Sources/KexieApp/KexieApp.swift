import Awards
import Events
import Fluent
import Foundation
import Innovation
import Members
import Plans
import Platform
import ServiceHall
import Vapor

/// Assembles Kexie: the one list of modules, and the operator commands.
public enum KexieApp {
    /// Every capability, in navigation order. A new module is one more line here.
    public static func modules() throws -> [any KexieModule] {
        [
            FoundationModule(), PublicityModule(), ReviewModule(), try MembersModule(), ServiceHallModule(), PlansModule(),
            InnovationModule(), EventsModule(), AwardsModule(),
        ]
    }

    public static func configure(
        _ app: Application, configuration: KexieConfiguration, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try PlatformBootstrap.configure(app, configuration: configuration, modules: try modules(), clock: clock)
        app.asyncCommands.use(KexieServeCommand(), as: "serve", isDefault: true)
        app.asyncCommands.use(MigrateCommand(), as: "migrate")
        app.asyncCommands.use(DemoCommand(), as: "demo")
        app.asyncCommands.use(SetupCommand(), as: "setup")
        app.asyncCommands.use(BackupCommand(), as: "backup")
        app.asyncCommands.use(RestoreCommand(), as: "restore")
        app.asyncCommands.use(AsyncCommands(commands: ["create": UserCreateCommand()]).group(help: "账号管理 / manage accounts"), as: "user")
        app.asyncCommands.use(AsyncCommands(commands: ["create": TokenCreateCommand()]).group(help: "API 令牌 / API tokens"), as: "token")
        app.asyncCommands.use(AsyncCommands(commands: ["verify": AuditVerifyCommand()]).group(help: "审计日志 / audit log"), as: "audit")
        app.asyncCommands.use(AsyncCommands(commands: ["parse": PlanParseCommand()]).group(help: "工作要点 / work plans"), as: "plan")
        app.asyncCommands.use(MatchCommand(), as: "match")
        app.asyncCommands.use(
            AsyncCommands(commands: ["import": PeopleImportCommand()]).group(help: "科技工作者 / people"), as: "people")
    }
}
