import Foundation
import Platform
import Vapor

/// `kexie backup DIR`: a consistent snapshot of the database with a manifest (row counts, key
/// fingerprint, SHA-256 of every file). Reads only, so it can run beside `kexie serve`.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "folder", help: "备份目录：不存在或为空 / backup folder, new or empty") var folder: String
        init() {}
    }

    var help: String { "备份数据库（不含密钥），附清单与校验和 / back up the database with a manifest and checksums (not the key)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        let configuration = app.platform.configuration
        if case .sqliteFile(let path) = configuration.database, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure("找不到数据库文件 \(path)；请检查 KEXIE_DATA_DIR / no database at \(path): check KEXIE_DATA_DIR")
        }
        let secret = try SecretKeyStore.loadOrCreate(configuration: configuration)
        let started = ContinuousClock.now
        console.print("正在备份… / backing up…")
        let result: BackupWriter.Result
        do {
            result = try await BackupWriter(db: app.db, configuration: configuration, secret: secret)
                .write(to: signature.folder) { table, rows in console.print("  \(table)  \(rows)") }
        } catch let error as BackupError {
            throw CommandFailure(error.description)
        }
        let manifest = result.manifest
        console.print("备份完成 / backup complete: \(result.folder.path)")
        console.print("  数据库 / database: \(manifest.source.database) \(manifest.source.location)")
        console.print("  表 / tables: \(manifest.tables.count)，行 / rows: \(manifest.totalRows)，用时 / took: \(Self.seconds(since: started))")
        console.print("  文件 / files: \(manifest.files.count + 1)，SHA-256 见 / listed in \(BackupManifest.checksumsFileName)")
        console.print("  密钥指纹 / key fingerprint (SHA-256): \(manifest.secretKey.sha256)")
        console.print("  密钥位置 / key location: \(manifest.secretKey.location)")
        console.print("  密钥不在备份中，请另行保管 / the key is NOT in the backup: keep it separately")
        console.print("  上传文件 / uploads: 附件存放在数据库中，已随表备份 / attachments are database columns, included above")
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return String(format: "%.1f s", seconds)
    }
}

/// `kexie restore DIR [--check]`: rebuilds an empty data folder or database from a backup, then
/// compares row counts with the manifest and verifies the audit chain.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "folder", help: "备份目录 / backup folder") var folder: String
        @Flag(name: "check", help: "只校验文件、密钥与目标，不写入 / verify files, key and target without writing") var check: Bool
        init() {}
    }

    var help: String { "从备份恢复到空数据目录或空数据库 / restore a backup into an empty data folder or database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let console = context.console
        let restorer = BackupRestorer(app: app)
        let started = ContinuousClock.now
        if signature.check {
            do {
                let manifest = try await restorer.check(signature.folder)
                console.print("校验通过：文件完整、密钥一致、目标为空 / check passed: files intact, same key, empty target")
                console.print("  备份时间 / made at: \(manifest.createdAt)，\(manifest.tables.count) 张表 / tables，\(manifest.totalRows) 行 / rows")
            } catch let error as BackupError {
                throw CommandFailure(error.description)
            }
            return
        }
        console.print("正在恢复… / restoring…")
        let report: BackupRestorer.Report
        do {
            report = try await restorer.restore(signature.folder) { table, rows in console.print("  \(table)  \(rows)") }
        } catch let error as BackupError {
            throw CommandFailure(error.description)
        }
        let manifest = report.manifest
        let matching = report.counts.count - report.mismatches.count
        console.print("行数核对 / row counts: \(matching)/\(report.counts.count) 张表与清单一致 / tables match the manifest")
        for mismatch in report.mismatches {
            console.error("  \(mismatch.table): 清单 / manifest \(mismatch.expected)，恢复后 / restored \(mismatch.found)")
        }
        guard report.mismatches.isEmpty else { throw CommandFailure("恢复后的行数与清单不符 / restored row counts differ from the manifest") }
        try await AuditVerifyCommand().run(using: context, signature: .init())
        try await app.platform.audit.record(
            AuditEvent(
                action: "system.restore", entityType: "backup", entityID: manifest.createdAt,
                summary: "从备份恢复：备份时间 \(manifest.createdAt)，来源 \(manifest.source.database)，"
                    + "\(manifest.tables.count) 张表 \(manifest.totalRows) 行"),
            on: app.db)
        console.print(
            "恢复完成 / restore complete：\(manifest.tables.count) 张表 / tables，\(manifest.totalRows) 行 / rows，用时 / took \(BackupCommand.seconds(since: started))"
        )
        console.print("  备份时间 / made at: \(manifest.createdAt)，来源 / from: \(manifest.source.database) \(manifest.source.location)")
        console.print("  密钥指纹一致 / key fingerprint matches: \(manifest.secretKey.sha256.prefix(16))…")
        if !report.pendingMigrations.isEmpty {
            console.print(
                "  本版本还有 \(report.pendingMigrations.count) 个较新的数据库迁移：请运行 kexie migrate（SQLite 下 serve 启动时自动执行）"
                    + " / \(report.pendingMigrations.count) newer migrations pending: run kexie migrate")
        }
    }
}
