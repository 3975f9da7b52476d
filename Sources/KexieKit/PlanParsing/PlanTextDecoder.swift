import Foundation

/// Turns the bytes of a plain-text plan into a string. Plans saved on Chinese Windows machines are often
/// GB18030 (or its subsets GBK/GB2312) rather than UTF-8; Foundation on Linux decodes GB18030 through
/// CoreFoundation, so no decoder of our own is needed.
enum PlanTextDecoder {
    /// NSStringEncoding of kCFStringEncodingGB_18030_2000 (0x0632), which Linux Foundation does not name.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    static func decode(_ data: Data) throws(PlanParseError) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        if bytes.starts(with: [0xFF, 0xFE]), let text = String(data: data.dropFirst(2), encoding: .utf16LittleEndian) {
            return text
        }
        if bytes.starts(with: [0xFE, 0xFF]), let text = String(data: data.dropFirst(2), encoding: .utf16BigEndian) {
            return text
        }
        // Strict UTF-8 first: GB18030 accepts almost any byte sequence, so trying it first would turn
        // valid UTF-8 into nonsense.
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        if let text = String(data: data, encoding: gb18030) { return text }
        throw .undecodableText
    }
}
