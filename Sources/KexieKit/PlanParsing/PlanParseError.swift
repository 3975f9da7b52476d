/// Why a plan document could not be read. `message` is meant for the person who uploaded the file.
public enum PlanParseError: Error, Equatable, Sendable {
    case unsupportedFileType(String)
    case unreadableDocx
    case undecodableText
    case documentTooLarge
    case emptyDocument

    public var message: String {
        switch self {
        case .unsupportedFileType(let ext):
            return "不支持的文件类型“\(ext)”，请上传 .txt 或 .docx 格式的工作计划"
        case .unreadableDocx:
            return "无法读取该 Word 文档，请确认文件是 .docx 格式且未损坏"
        case .undecodableText:
            return "无法识别文本编码，请将文件另存为 UTF-8 或 GB18030 编码后重新上传"
        case .documentTooLarge:
            return "文档过大，无法解析"
        case .emptyDocument:
            return "文档中没有可解析的内容"
        }
    }
}

extension PlanParseError: CustomStringConvertible {
    public var description: String { message }
}
