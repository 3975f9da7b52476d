/// 查询码: what a requester writes down to follow a case without an account.
///
/// Eleven random symbols and one check symbol from a 31-symbol alphabet with no 0/O, 1/I/L,
/// shown as `KX-7F3M-Q9TC-2HPA`. 31 is prime and the weights 1…12 are distinct, so the check
/// catches every single wrong symbol and every swap of two different symbols before any lookup.
/// Eleven random symbols give about 54 bits, enough that codes cannot be guessed.
public struct TrackingCode: Hashable, Sendable, CustomStringConvertible, Codable {
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    public static let prefix = "KX"
    static let randomLength = 11
    static let length = randomLength + 1

    /// The 12 symbols without prefix or dashes; what the database stores and indexes.
    public let canonical: String

    private init(canonical: String) { self.canonical = canonical }

    /// `KX-XXXX-XXXX-XXXX`.
    public var description: String {
        let symbols = Array(canonical)
        let groups = stride(from: 0, to: symbols.count, by: 4).map { String(symbols[$0..<min($0 + 4, symbols.count)]) }
        return ([Self.prefix] + groups).joined(separator: "-")
    }

    public static func generate() -> TrackingCode {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// Injectable generator so tests can be deterministic.
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> TrackingCode {
        let values = (0..<randomLength).map { _ in Int.random(in: 0..<alphabet.count, using: &generator) }
        let symbols = (values + [checkValue(for: values)]).map { alphabet[$0] }
        return TrackingCode(canonical: String(symbols))
    }

    /// Accepts what people actually type: any case, full-width forms, spaces, dashes and the
    /// `KX` prefix optional.
    public static func parse(_ text: String) throws(TrackingCodeError) -> TrackingCode {
        var symbols: [Character] = []
        for scalar in text.unicodeScalars {
            let folded = TextNormalizer.fold(scalar)
            if folded == " " || folded == "-" || folded == "\t" || folded == "\u{2014}" || folded == "\u{2013}" {
                continue
            }
            symbols.append(Character(String(folded).uppercased()))
        }
        // Twelve symbols are a code even if they happen to start with KX; otherwise a leading KX
        // is the prefix, removed before counting so the length message matches what was typed.
        if symbols.count != length, String(symbols.prefix(prefix.count)) == prefix {
            symbols.removeFirst(prefix.count)
        }
        guard symbols.count == length else { throw .wrongLength(symbols.count) }
        var values: [Int] = []
        for symbol in symbols {
            guard let value = alphabet.firstIndex(of: symbol) else { throw .invalidCharacter(symbol) }
            values.append(value)
        }
        guard checkValue(for: Array(values.prefix(randomLength))) == values[randomLength] else {
            throw .checksumMismatch
        }
        return TrackingCode(canonical: String(symbols))
    }

    /// The value c with Σ (i+1)·vᵢ + 12·c ≡ 0 (mod 31).
    static func checkValue(for values: [Int]) -> Int {
        let modulus = alphabet.count
        let sum = values.enumerated().reduce(0) { ($0 + ($1.offset + 1) * $1.element) % modulus }
        // 12 · 13 = 156 = 5 · 31 + 1, so 13 is the inverse of the check weight 12.
        let inverseOfCheckWeight = 13
        return ((modulus - sum) % modulus) * inverseOfCheckWeight % modulus
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum TrackingCodeError: KexieKitError, Equatable {
    case wrongLength(Int)
    case invalidCharacter(Character)
    case checksumMismatch

    public var code: String {
        switch self {
        case .wrongLength: return "tracking_code.length"
        case .invalidCharacter: return "tracking_code.invalid_character"
        case .checksumMismatch: return "tracking_code.checksum"
        }
    }

    public var message: String {
        switch self {
        case .wrongLength(let count): return "查询码应为 12 位字母和数字，当前为 \(count) 位"
        case .invalidCharacter(let symbol): return "查询码中不含字符“\(symbol)”，请核对（查询码不使用 0、1、I、L、O）"
        case .checksumMismatch: return "查询码有误，请核对后重新输入"
        }
    }
}
