import Foundation
import KexieKit

/// The one check every module applies to uploaded attachments: how many, how large, and what they
/// are by their content (a program renamed to .pdf is refused), with messages for the `files` field.
/// `maxFiles` is per owner: the files a record already has count (`FileStore.store` passes them).
public struct UploadCheck: Sendable {
    public let maxFiles: Int
    public let maxBytes: Int
    /// What the form calls the files: 附件, 佐证材料.
    public let noun: String

    public init(maxFiles: Int = 5, maxBytes: Int = 10 * 1_048_576, noun: String) {
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.noun = noun
    }

    /// The non-empty files with their detected kinds, or `PlatformError.invalidInput(field: "files")`.
    /// `existing`: how many files the owner already has; with the new ones they stay within `maxFiles`.
    public func check(_ files: [(name: String, data: Data)], existing: Int = 0) throws -> [FileKind] {
        let present = files.filter { !$0.data.isEmpty }
        guard existing + present.count <= maxFiles else {
            let left = max(0, maxFiles - existing)
            throw PlatformError.invalidInput(
                field: "files",
                message: existing == 0 ? "最多上传 \(maxFiles) 个\(noun)" : "每项最多 \(maxFiles) 个\(noun)，已有 \(existing) 个，还可上传 \(left) 个")
        }
        return try present.map { file in
            guard file.data.count <= maxBytes else {
                throw PlatformError.invalidInput(field: "files", message: "“\(file.name)”超过 \(maxBytes / 1_048_576) MB")
            }
            guard let kind = FileKind.detect(file.data) else {
                throw PlatformError.invalidInput(
                    field: "files", message: "“\(file.name)”不是 PDF、图片或 Word/Excel/PowerPoint 文件（按文件内容判断，与扩展名无关）")
            }
            return kind
        }
    }
}
