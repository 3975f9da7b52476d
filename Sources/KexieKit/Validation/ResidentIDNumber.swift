import Foundation

public enum Sex: String, Sendable, Codable {
    case male
    case female

    public var displayName: String { self == .male ? "男" : "女" }
}

/// 居民身份证号码 (GB 11643-1999), 18 characters.
public struct ResidentIDNumber: Sendable, Hashable, CustomStringConvertible {
    /// Normalized: ASCII, upper-case check character.
    public let value: String
    public let regionCode: String
    public let birthDate: Day
    /// From the 17th digit (odd = male), for cross-checking the profile.
    public let sex: Sex

    /// - Parameter today: birth dates after it are rejected; defaults to today in China.
    public init(_ text: String, today: Day = .today()) throws(ValidationError) {
        let compact = InputNormalizer.compact(text).uppercased()
        guard !compact.isEmpty else { throw .idNumberEmpty }
        let characters = Array(compact.utf8)
        guard characters.count == 18 else { throw .idNumberLength }
        let digits = characters.prefix(17).compactMap(ResidentIDNumber.digit)
        let last = characters[17]
        guard digits.count == 17, ResidentIDNumber.digit(last) != nil || last == UInt8(ascii: "X") else {
            throw .idNumberFormat
        }
        guard ResidentIDNumber.isPlausibleRegion(digits[0], digits[1]) else { throw .idNumberRegion }

        let year = digits[6..<10].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard year >= 1800, let birth = Day(year: year, month: month, day: day), birth <= today else {
            throw .idNumberBirthDate
        }
        guard ResidentIDNumber.checkCharacter(for: digits) == last else { throw .idNumberChecksum }

        self.value = compact
        self.regionCode = String(compact.prefix(6))
        self.birthDate = birth
        self.sex = digits[16] % 2 == 1 ? .male : .female
    }

    public var description: String { value }

    /// 4601**********1234: enough to recognize, not enough to misuse.
    public var masked: String { Masking.idNumber(value) }

    // MARK: - Rules

    /// Weights are 2^(17-i) mod 11 (ISO 7064 MOD 11-2).
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432".utf8)

    static func checkCharacter(for digits: [Int]) -> UInt8 {
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return checkCharacters[sum % 11]
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }

    /// Province-level codes of GB/T 2260 (plus 71 台湾, 81 香港, 82 澳门 and
    /// 83 for residence permits), and 9 for the 2023 foreign permanent-resident
    /// card which follows the same checksum. Finer codes change every year, so
    /// they are not checked here.
    private static let provinces: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]

    private static func isPlausibleRegion(_ first: Int, _ second: Int) -> Bool {
        first == 9 || provinces.contains(first * 10 + second)
    }
}
