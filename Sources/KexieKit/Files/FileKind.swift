import Foundation

/// What a file really is, decided from its first bytes and (for Office files) its ZIP entries — never
/// from its name, which anyone can change. Only the kinds an association's staff should open safely.
public enum FileKind: String, Sendable, CaseIterable, Codable {
    case pdf, png, jpeg, gif, webp, docx, xlsx, pptx, doc

    public var contentType: String {
        switch self {
        case .pdf: return "application/pdf"
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .gif: return "image/gif"
        case .webp: return "image/webp"
        case .docx: return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .pptx: return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case .doc: return "application/msword"
        }
    }

    public var label: String {
        switch self {
        case .pdf: return "PDF"
        case .png, .jpeg, .gif, .webp: return "图片"
        case .docx, .doc: return "Word 文档"
        case .xlsx: return "Excel 表格"
        case .pptx: return "PowerPoint 演示文稿"
        }
    }

    /// The kind of `data`, or nil for anything else (executables, scripts, archives, HTML, …).
    public static func detect(_ data: Data) -> FileKind? {
        let head = [UInt8](data.prefix(16))
        func starts(_ bytes: [UInt8]) -> Bool { head.count >= bytes.count && Array(head.prefix(bytes.count)) == bytes }
        if starts([0x25, 0x50, 0x44, 0x46, 0x2D]) { return .pdf }  // %PDF-
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x47, 0x49, 0x46, 0x38]) { return .gif }  // GIF8
        if starts([0x52, 0x49, 0x46, 0x46]), head.count >= 12, Array(head[8..<12]) == [0x57, 0x45, 0x42, 0x50] { return .webp }
        // Legacy Word (OLE compound file). Other OLE files (old Excel) are refused rather than guessed.
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return data.range(of: Data("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t".utf8)) != nil ? .doc : nil
        }
        if starts([0x50, 0x4B, 0x03, 0x04]) {
            // An Office Open XML package names its parts in the ZIP directory.
            guard data.range(of: Data("[Content_Types].xml".utf8)) != nil else { return nil }
            if data.range(of: Data("word/document.xml".utf8)) != nil { return .docx }
            if data.range(of: Data("xl/workbook.xml".utf8)) != nil { return .xlsx }
            if data.range(of: Data("ppt/presentation.xml".utf8)) != nil { return .pptx }
        }
        return nil
    }
}
