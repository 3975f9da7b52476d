import Foundation

/// Why a backup or a restore stopped. Each message says, in Chinese and English, what the operator can do.
public enum BackupError: Error, CustomStringConvertible, Sendable, Equatable {
    case unsupportedColumnType(String)
    case unsupportedDatabase
    case valueDoesNotFit(column: String, kind: ColumnKind)
    case destinationNotEmpty(String)
    case cannotWrite(String)
    case notABackup(String)
    case unsupportedFormat(Int)
    case checksumMismatch(file: String)
    case missingFile(String)
    case keyMismatch(expected: String, configured: String, location: String)
    case targetNotEmpty(String)
    case nothingToBackUp
    case unknownMigrations([String])
    case schemaDiffers(String)
    case tableOrder(String)
    case badRow(table: String, line: Int, reason: String)

    public var description: String {
        switch self {
        case .unsupportedColumnType(let type):
            return "不支持的列类型 \(type)，备份格式需要更新 / unsupported column type \(type)"
        case .unsupportedDatabase:
            return "备份与恢复需要 SQLite 或 PostgreSQL / backup and restore need SQLite or PostgreSQL"
        case .valueDoesNotFit(let column, let kind):
            return "列 \(column) 的值无法写入 \(kind.rawValue) 类型 / a value of \(column) does not fit a \(kind.rawValue) column"
        case .destinationNotEmpty(let path):
            return "备份目录 \(path) 已存在且不为空；请指定新目录 / \(path) exists and is not empty: choose a new folder"
        case .cannotWrite(let path):
            return "无法写入 \(path) / cannot write \(path)"
        case .notABackup(let path):
            return "\(path) 不是 Kexie 备份（缺少 manifest.json）/ not a Kexie backup (no manifest.json)"
        case .unsupportedFormat(let version):
            return "备份格式版本 \(version) 不受本版本支持 / backup format \(version) is not supported by this release"
        case .checksumMismatch(let file):
            return "文件 \(file) 的 SHA-256 与清单不符，备份已损坏或被改动 / \(file) does not match its SHA-256: the backup is damaged"
        case .missingFile(let file):
            return "备份缺少文件 \(file) / the backup lacks \(file)"
        case .keyMismatch(let expected, let configured, let location):
            return """
                当前配置的密钥（\(location)，指纹 \(configured.prefix(16))…）与备份时的密钥（指纹 \(expected.prefix(16))…）不同，拒绝恢复。\
                请把备份时使用的 secret.key 放入数据目录，或设置相同的 KEXIE_SECRET_KEY 后重试；\
                若该 secret.key 是本次运行刚自动生成的，请先删除它。\
                / the configured secret key (\(location)) differs from the key the backup was made with: \
                put the original secret.key in the data folder or set the same KEXIE_SECRET_KEY, then retry
                """
        case .targetNotEmpty(let what):
            return "恢复目标不是空的 / the restore target is not empty: \(what)。恢复只写入空数据目录或空数据库 / "
                + "restore writes only into an empty data folder or an empty database"
        case .nothingToBackUp:
            return "数据库尚未迁移，没有可备份的内容 / the database has no tables yet: nothing to back up"
        case .unknownMigrations(let names):
            return "备份来自更新的版本（本版本不认识迁移：\(names.prefix(3).joined(separator: "、"))），请用相同或更新的版本恢复 "
                + "/ the backup comes from a newer release: restore with the same or a newer one"
        case .schemaDiffers(let detail):
            return "迁移后的表结构与备份不一致：\(detail) / the migrated schema differs from the backup: \(detail)"
        case .tableOrder(let detail):
            return "无法确定表的写入顺序：\(detail) / cannot order tables by their references: \(detail)"
        case .badRow(let table, let line, let reason):
            return "表 \(table) 第 \(line) 行无法读取：\(reason) / row \(line) of \(table) is unreadable: \(reason)"
        }
    }
}
