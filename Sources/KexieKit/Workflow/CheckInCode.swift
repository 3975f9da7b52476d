/// 签到码: the short code printed beside a registration's QR code and typed at the door when the camera
/// cannot read it. Seven random symbols and one check symbol from `TrackingCode`'s 31-symbol alphabet
/// (no 0/O, 1/I/L), shown as `7F3M-Q9TC`. The check symbol catches every single mistyped symbol and every
/// swap of two neighbours before a lookup; seven random symbols (about 34 bits) are plenty for a code
/// that is only accepted by staff at the door of one event.
public struct CheckInCode: Hashable, Sendable, CustomStringConvertible {
    static let randomLength = 7
    static let length = randomLength + 1

    /// The eight symbols without the dash; what the database stores and indexes.
    public let canonical: String

    private init(canonical: String) { self.canonical = canonical }

    /// `XXXX-XXXX`.
    public var description: String { String(canonical.prefix(4)) + "-" + String(canonical.dropFirst(4)) }

    public static func generate() -> CheckInCode {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> CheckInCode {
        let alphabet = TrackingCode.alphabet
        let values = (0..<randomLength).map { _ in Int.random(in: 0..<alphabet.count, using: &generator) }
        return CheckInCode(canonical: String((values + [checkValue(for: values)]).map { alphabet[$0] }))
    }

    /// Accepts any case, full-width forms, spaces and dashes; nil when the text is not a valid code.
    public static func parse(_ text: String) -> CheckInCode? {
        var symbols: [Character] = []
        for scalar in text.unicodeScalars {
            let folded = TextNormalizer.fold(scalar)
            if folded == " " || folded == "-" || folded == "\t" { continue }
            symbols.append(Character(String(folded).uppercased()))
        }
        guard symbols.count == length else { return nil }
        var values: [Int] = []
        for symbol in symbols {
            guard let value = TrackingCode.alphabet.firstIndex(of: symbol) else { return nil }
            values.append(value)
        }
        guard checkValue(for: Array(values.prefix(randomLength))) == values[randomLength] else { return nil }
        return CheckInCode(canonical: String(symbols))
    }

    /// The value c with Σ (i+1)·vᵢ + 8·c ≡ 0 (mod 31); 4 is the inverse of 8 (32 = 31 + 1).
    static func checkValue(for values: [Int]) -> Int {
        let modulus = TrackingCode.alphabet.count
        let sum = values.enumerated().reduce(0) { ($0 + ($1.offset + 1) * $1.element) % modulus }
        return ((modulus - sum) % modulus) * 4 % modulus
    }
}
