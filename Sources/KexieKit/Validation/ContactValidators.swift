/// Mainland China mobile number, normalized to 11 digits.
public struct MobileNumber: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// Accepts `+86`, `0086` or `86` prefixes and spaces, dashes or
    /// full-width digits, as people paste numbers from business cards.
    public init(_ text: String) throws(ValidationError) {
        var compact = InputNormalizer.compact(text)
        compact = String(compact.filter { $0 != "(" && $0 != ")" })
        guard !compact.isEmpty else { throw .mobileEmpty }
        for prefix in ["+86", "0086", "86"] where compact.hasPrefix(prefix) && compact.count == 11 + prefix.count {
            compact.removeFirst(prefix.count)
            break
        }
        let bytes = Array(compact.utf8)
        guard bytes.count == 11, bytes[0] == UInt8(ascii: "1"),
            (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(bytes[1]),
            bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            throw .mobileFormat
        }
        self.value = compact
    }

    public var description: String { value }
    public var masked: String { Masking.phone(value) }
}

/// E-mail address checked pragmatically: what mail providers in practice
/// accept, not the full RFC 5322 grammar (quoted local parts, comments).
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// Trimmed, with the domain lower-cased (domains are case-insensitive,
    /// local parts formally are not).
    public let value: String

    public init(_ text: String) throws(ValidationError) {
        let trimmed = InputNormalizer.foldFullWidth(text).trimmingSpaces
        guard !trimmed.isEmpty else { throw .emailEmpty }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard trimmed.utf8.count <= 254, parts.count == 2,
            EmailAddress.isValidLocalPart(parts[0]), EmailAddress.isValidDomain(parts[1])
        else {
            throw .emailFormat
        }
        self.value = "\(parts[0])@\(parts[1].lowercased())"
    }

    public var description: String { value }
    public var masked: String { Masking.email(value) }

    private static let localSymbols = Set("!#$%&'*+/=?^_`{|}~-.")

    private static func isValidLocalPart(_ local: Substring) -> Bool {
        guard (1...64).contains(local.utf8.count), local.first != ".", local.last != ".",
            !local.contains("..")
        else { return false }
        return local.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || localSymbols.contains($0)) }
    }

    /// Requires a dot: addresses at bare host names are typos in practice.
    /// Labels may be non-ASCII so 中文域名 such as 例子.中国 pass.
    private static func isValidDomain(_ domain: Substring) -> Bool {
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let topLevel = labels.last, topLevel.count >= 2,
            topLevel.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
            !topLevel.allSatisfy(\.isNumber)
        else { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "-") && !$0.isWhitespace }
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
