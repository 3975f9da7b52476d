/// 统一社会信用代码 (GB 32100-2015), 18 characters.
public struct UnifiedSocialCreditCode: Sendable, Hashable, CustomStringConvertible {
    /// Normalized: ASCII upper case without spaces.
    public let value: String

    public init(_ text: String) throws(ValidationError) {
        let compact = InputNormalizer.compact(text).uppercased()
        guard !compact.isEmpty else { throw .creditCodeEmpty }
        let characters = Array(compact.utf8)
        guard characters.count == 18 else { throw .creditCodeLength }
        let values = characters.compactMap { UnifiedSocialCreditCode.alphabetIndex[$0] }
        guard values.count == 18 else { throw .creditCodeCharacters }
        // Positions 3–8 hold the registering authority's division code.
        guard characters[2..<8].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw .creditCodeRegion
        }
        guard UnifiedSocialCreditCode.checkValue(for: values.prefix(17)) == values[17] else {
            throw .creditCodeChecksum
        }
        self.value = compact
    }

    public var description: String { value }

    /// 登记管理部门代码 (1 机构编制, 5 民政, 9 工商, …).
    public var registrationAuthority: Character { value.first ?? "0" }

    /// Administrative division code of the registering authority.
    public var regionCode: String { String(value.dropFirst(2).prefix(6)) }

    // MARK: - Rules

    /// The 31 characters in value order; I, O, Z, S and V are left out
    /// because they are easily confused with digits.
    private static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    private static let alphabetIndex: [UInt8: Int] = Dictionary(
        uniqueKeysWithValues: alphabet.enumerated().map { ($0.element, $0.offset) })
    /// 3^i mod 31.
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    static func checkValue(for values: ArraySlice<Int>) -> Int {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return (31 - sum % 31) % 31
    }
}
