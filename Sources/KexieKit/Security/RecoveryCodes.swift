import Crypto
import Foundation

/// One-time recovery codes for when the authenticator phone is lost: shown once as `k7m2-9xq4`, stored only as
/// keyed hashes, each crossed off after use.
///
/// The alphabet leaves out 0/o and 1/l, which people misread when copying from paper; what remains is exactly
/// 32 symbols, so every symbol carries 5 unbiased random bits and a code 40.
/// The hash is HMAC-SHA256 under a server-side key rather than a plain digest, because 40 bits are few enough
/// to brute-force from a leaked table of plain SHA-256 values; with the key kept outside the database they are not.
public struct RecoveryCodes: Sendable {
    /// 2–9 and the letters without 'l' and 'o'.
    public static let alphabet = "23456789abcdefghijkmnpqrstuvwxyz"
    /// Symbols per code, shown as two groups of four.
    public static let symbolCount = 8

    private static let symbols = Array(alphabet)
    private static let symbolSet = Set(alphabet)

    // Kept as bytes: SymmetricKey is not Sendable in this swift-crypto version.
    private let keyBytes: Data

    /// `key` is a server secret (for instance derived from the platform secret with HKDF), never stored beside the hashes.
    public init(key: Data) {
        keyBytes = key
    }

    /// `count` distinct fresh codes in display form, e.g. `k7m2-9xq4`.
    public static func generate(count: Int = 10) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var seen = Set<String>()
        var codes: [String] = []
        while codes.count < count {
            let raw = String((0..<symbolCount).map { _ in symbols[Int.random(in: 0..<symbols.count, using: &generator)] })
            if seen.insert(raw).inserted { codes.append(grouped(raw)) }
        }
        return codes
    }

    /// The display form of what a person typed, or nil if it cannot be a recovery code.
    /// Case, spaces, dashes and full-width characters from a Chinese input method are forgiven.
    public static func normalize(_ input: String) -> String? {
        compact(input).map(grouped)
    }

    /// The value to store for `code` (hex HMAC-SHA256 of its normalized form); nil if `code` is malformed.
    public func hash(_ code: String) -> String? {
        guard let compact = Self.compact(code) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(compact.utf8), using: SymmetricKey(data: keyBytes))
        return Data(mac).hexString
    }

    /// Index in `storedHashes` of the code a person typed, for the caller to delete (codes are single use).
    /// Every stored hash is compared in constant time, so timing does not tell how close a guess came.
    public func matchIndex(of input: String, in storedHashes: [String]) -> Int? {
        guard let typed = hash(input) else { return nil }
        var match: Int?
        for (index, stored) in storedHashes.enumerated() where Digest.constantTimeEquals(stored, typed) && match == nil {
            match = index
        }
        return match
    }

    // MARK: - Internals

    /// The eight symbols, lowercase and without separators; nil if anything else is left.
    private static func compact(_ input: String) -> String? {
        var out: [Character] = []
        for scalar in input.unicodeScalars {
            var value = scalar.value
            // Full-width ASCII (U+FF01...U+FF5E) as typed with a Chinese IME in full-width mode.
            if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
            guard let folded = Unicode.Scalar(value) else { return nil }
            if folded.properties.isWhitespace || isDash(folded) { continue }
            let symbol = Character(folded).lowercased()
            guard symbol.count == 1, let character = symbol.first, symbolSet.contains(character) else { return nil }
            out.append(character)
        }
        return out.count == symbolCount ? String(out) : nil
    }

    private static func isDash(_ scalar: Unicode.Scalar) -> Bool {
        // Hyphen-minus, underscore, and what word processors and IMEs substitute: ‐ ‑ ‒ – — ― and the minus sign −.
        // The full-width '－' has already been folded to '-'.
        scalar == "-" || scalar == "_" || (0x2010...0x2015).contains(scalar.value) || scalar.value == 0x2212
    }

    private static func grouped(_ compact: String) -> String {
        String(compact.prefix(symbolCount / 2)) + "-" + String(compact.suffix(symbolCount / 2))
    }
}
