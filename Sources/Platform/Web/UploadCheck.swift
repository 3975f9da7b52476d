import Foundation
import KexieKit

/// The one check every module applies to uploaded attachments: how many, how large, and what they
/// are by their content (a program renamed to .pdf is refused), with messages for the `files` field.
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
    public func check(_ files: [(name: String, data: Data)]) throws -> [FileKind] {
        let present = files.filter { !$0.data.isEmpty }
        guard present.count <= maxFiles else {
            throw PlatformError.invalidInput(field: "files", message: "最多上传 \(maxFiles) 个\(noun)")
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
