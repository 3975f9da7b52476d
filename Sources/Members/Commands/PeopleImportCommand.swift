import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `kexie people import FILE [--organization NAME] [--dry-run]`: the web import's check and single
/// transaction, for operators loading a society's register (and for the benchmark's 100,000 people).
public struct PeopleImportCommand: AsyncCommand {
    public struct Signature: CommandSignature {
        @Argument(name: "file", help: "XLSX 或 CSV 文件 / XLSX or CSV file")
        var file: String
        @Option(name: "organization", short: "o", help: "登记到的组织名称（默认最上级组织）/ organization name (default: the root)")
        var organization: String?
        @Flag(name: "dry-run", help: "只检查不写入 / check only")
        var dryRun: Bool
        public init() {}
    }

    public init() {}

    public var help: String { "从 XLSX/CSV 导入科技工作者（先逐行检查，全部通过才在一个事务中写入）/ import people" }

    public func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let started = Date()
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("无法读取文件 / cannot read \(signature.file)")
            throw ImportCommandFailure()
        }
        let organization: Organization?
        if let name = signature.organization {
            organization = try await Organization.query(on: app.db).filter(\.$name == name).first()
        } else {
            organization = try await Organization.query(on: app.db).filter(\.$parentID == nil).sort(\.$createdAt).first()
        }
        guard let organization, let organizationID = organization.id else {
            context.console.error("找不到组织 / organization not found: \(signature.organization ?? "(root)")")
            throw ImportCommandFailure()
        }
        let service = ImportService(
            db: app.db, services: app.platform,
            importer: PeopleImport(validator: PersonProfileValidator(classifications: try Classifications.bundled())))
        let checked: ImportService.Checked
        do {
            checked = try await service.check(data)
        } catch let error as PlatformError {
            context.console.error(error.message)
            throw ImportCommandFailure()
        }
        context.console.print(
            "检查完成 / checked: \(checked.report.rows.count) 行, 通过 \(checked.valid.count), 有问题 \(checked.problems.count) (\(Self.seconds(since: started)) s)"
        )
        for problem in checked.headerProblems { context.console.error(problem) }
        for problem in checked.problems.prefix(50) {
            context.console.error("第\(problem.row)行 \(problem.name)：" + problem.messages.joined(separator: "；"))
        }
        guard checked.headerProblems.isEmpty, checked.problems.isEmpty, !checked.valid.isEmpty else {
            context.console.error("未导入任何数据 / nothing imported")
            throw ImportCommandFailure()
        }
        if signature.dryRun { return }
        let batch = ImportBatch()
        batch.organizationID = organizationID
        batch.userID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        batch.fileName = URL(fileURLWithPath: signature.file).lastPathComponent
        batch.content = data
        batch.status = .running
        batch.rowCount = checked.valid.count
        batch.importedCount = 0
        try await app.platform.writes.transaction(on: app.db) { tx in try await batch.create(on: tx) }
        let id = try batch.requireID()
        let console = context.console
        let reporter = Task {
            var last = -1
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                if let state = ImportProgress.shared.state(id), state.done != last {
                    last = state.done
                    console.print("  \(state.done) / \(state.total)")
                }
            }
        }
        defer { reporter.cancel() }
        let operatorContext = AuditContext(
            actorID: "cli", actorName: "命令行操作员", organizationID: organizationID.uuidString, clientAddress: "")
        try await service.run(batch, context: operatorContext)
        context.console.print("imported \(checked.valid.count) people in \(Self.seconds(since: started)) s")
    }

    static func seconds(since start: Date) -> String { String(format: "%.1f", Date().timeIntervalSince(start)) }
}

struct ImportCommandFailure: Error, CustomStringConvertible {
    var description: String { "导入未完成 / import not done" }
}
