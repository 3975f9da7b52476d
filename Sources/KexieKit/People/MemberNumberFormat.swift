/// A member number such as "HNNX-2026-00042": organization prefix, year of
/// admission, and a sequence that restarts each year. Fixed-width sequences
/// keep numbers sortable as text in spreadsheets and databases.
public struct MemberNumber: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let prefix: String
    public let year: Int
    public let sequence: Int
    public let sequenceWidth: Int

    public var description: String {
        let digits = String(sequence)
        return "\(prefix)-\(year)-" + String(repeating: "0", count: max(0, sequenceWidth - digits.count)) + digits
    }

    public static func < (lhs: MemberNumber, rhs: MemberNumber) -> Bool {
        (lhs.prefix, lhs.year, lhs.sequence) < (rhs.prefix, rhs.year, rhs.sequence)
    }
}

/// One organization's member-number rule.
public struct MemberNumberFormat: Sendable, Hashable {
    /// Upper-case ASCII letters and digits, 2–8 characters.
    public let prefix: String
    public let sequenceWidth: Int

    /// - Parameter prefix: case and full-width forms are normalized ("hnnx" → "HNNX").
    public init(prefix: String, sequenceWidth: Int = 5) throws(ValidationError) {
        let normalized = InputNormalizer.foldFullWidth(prefix).filter { !$0.isWhitespace }.uppercased()
        guard !normalized.isEmpty else { throw .memberPrefixEmpty }
        guard normalized.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .memberPrefixCharacters
        }
        guard (2...8).contains(normalized.count) else { throw .memberPrefixLength }
        guard (3...8).contains(sequenceWidth) else { throw .memberSequenceWidth }
        self.prefix = normalized
        self.sequenceWidth = sequenceWidth
    }

    public var largestSequence: Int {
        (0..<sequenceWidth).reduce(1) { value, _ in value * 10 } - 1
    }

    /// Refuses to widen the sequence silently: a longer number would sort out of order.
    public func number(year: Int, sequence: Int) throws(ValidationError) -> MemberNumber {
        guard (1000...9999).contains(year) else { throw .memberYear }
        guard sequence >= 1 else { throw .memberSequence }
        guard sequence <= largestSequence else { throw .memberSequenceExhausted }
        return MemberNumber(prefix: prefix, year: year, sequence: sequence, sequenceWidth: sequenceWidth)
    }

    /// Reads a number of this format, tolerating case, full-width characters and
    /// spaces from copy and paste; nil for other prefixes or widths.
    public func parse(_ text: String) -> MemberNumber? {
        let compact = InputNormalizer.foldFullWidth(text).filter { !$0.isWhitespace }.uppercased()
        let parts = compact.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, parts[1].count == 4, parts[2].count == sequenceWidth,
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), parts[2].allSatisfy({ $0.isASCII && $0.isNumber }),
            let year = Int(parts[1]), let sequence = Int(parts[2])
        else { return nil }
        return try? number(year: year, sequence: sequence)
    }
}

extension ValidationError {
    public static let memberPrefixEmpty = ValidationError(code: "member_prefix.empty", message: "请填写会员编号前缀")
    public static let memberPrefixCharacters = ValidationError(
        code: "member_prefix.characters", message: "会员编号前缀只能包含英文字母和数字")
    public static let memberPrefixLength = ValidationError(
        code: "member_prefix.length", message: "会员编号前缀应为2至8个字符")
    public static let memberSequenceWidth = ValidationError(
        code: "member_number.sequence_width", message: "会员编号序号位数应为3至8位")
    public static let memberYear = ValidationError(code: "member_number.year", message: "会员编号中的年份应为4位数字")
    public static let memberSequence = ValidationError(code: "member_number.sequence", message: "会员编号序号应从1开始")
    public static let memberSequenceExhausted = ValidationError(
        code: "member_number.exhausted", message: "本年度会员编号序号已用完，请增加序号位数")
}
