/// A calendar month without a day: 出生年月 on membership forms is recorded to
/// the month, and ages in member statistics are counted from it.
public struct YearMonth: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// "YYYY-MM" in ASCII digits, or nil (the general parser then decides).
    private static func canonical(_ bytes: [UInt8]) -> YearMonth? {
        guard bytes[4] == UInt8(ascii: "-") else { return nil }
        var year = 0
        var month = 0
        for (index, byte) in bytes.enumerated() where index != 4 {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let digit = Int(byte - UInt8(ascii: "0"))
            if index < 4 { year = year * 10 + digit } else { month = month * 10 + digit }
        }
        return YearMonth(year: year, month: month)
    }

    public init(_ day: Day) {
        self.year = day.year
        self.month = day.month
    }

    /// Accepts what people type: "1990-01", "1990-1", "1990/01", "1990.01",
    /// "1990年1月", "199001", full-width digits, and a full date ("1990-01-15",
    /// "1990年1月15日", "1990-01-15 00:00:00") whose day and time are dropped,
    /// since spreadsheets often hold one.
    public init?(parsing text: String) {
        // The stored form ("1980-05"), read on every row of a people list, without the general parser.
        let utf8 = text.utf8
        if utf8.count == 7, let canonical = Self.canonical(Array(utf8)) {
            self = canonical
            return
        }
        var folded = InputNormalizer.foldFullWidth(text).trimmedWhitespace
        // XLSXReader renders date-time cells as "1990-01-15 00:00:00"; the time is noise here.
        if let space = folded.firstIndex(where: \.isWhitespace), folded[space...].contains(":") {
            folded = String(folded[..<space])
        }
        folded = folded.filter { !$0.isWhitespace }
        var numbers: [Int] = []
        var current: Int?
        var lengths: [Int] = []
        var length = 0
        for character in folded {
            if let digit = character.wholeNumberValue, character.isASCII {
                current = (current ?? 0) * 10 + digit
                length += 1
            } else if let value = current {
                // Only these separators; anything else ("1990-01ab") is not a month.
                guard "-/.年月日".contains(character) else { return nil }
                numbers.append(value)
                lengths.append(length)
                current = nil
                length = 0
            } else {
                return nil
            }
        }
        if let value = current {
            numbers.append(value)
            lengths.append(length)
        }
        if numbers.count == 1, lengths[0] == 6 {
            self.init(year: numbers[0] / 100, month: numbers[0] % 100)
            return
        }
        guard (2...3).contains(numbers.count), lengths[0] == 4, (1...2).contains(lengths[1]) else { return nil }
        if numbers.count == 3 {
            // A full date must be a real one, or the month may be mistyped too.
            guard (1...2).contains(lengths[2]), Day(year: numbers[0], month: numbers[1], day: numbers[2]) != nil
            else { return nil }
        }
        self.init(year: numbers[0], month: numbers[1])
    }

    /// "1990-01", the stored form.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }

    /// "1990年1月", for messages.
    public var chinese: String { "\(year)年\(month)月" }

    public static func < (lhs: YearMonth, rhs: YearMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public func adding(months: Int) -> YearMonth {
        let index = year * 12 + (month - 1) + months
        return YearMonth(uncheckedYear: index / 12, month: index % 12 + 1)
    }

    /// Whole years of age on `day` for someone born in this month. Only the
    /// month is known, so the birthday counts as reached from the first of the
    /// month — the usual "按出生年月计算" rule of member statistics.
    public func age(on day: Day) -> Int {
        day.year - year - (day.month < month ? 1 : 0)
    }

    private init(uncheckedYear: Int, month: Int) {
        self.year = uncheckedYear
        self.month = month
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = YearMonth(parsing: text), text.count == 7 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "Expected YYYY-MM, got \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Age bands for member lists and statistics. 35岁以下 is its own band because
/// 青年科技工作者 programmes and the 科协 statistical reports count it separately.
public enum AgeBand: String, CaseIterable, Sendable, Hashable, Codable, Comparable {
    case under35 = "under_35"
    case from35To44 = "35_44"
    case from45To54 = "45_54"
    case from55 = "55_plus"

    public var label: String {
        switch self {
        case .under35: return "35岁以下"
        case .from35To44: return "35–44岁"
        case .from45To54: return "45–54岁"
        case .from55: return "55岁及以上"
        }
    }

    /// Youngest and oldest age in the band; nil means open-ended.
    public var ages: (lowest: Int?, highest: Int?) {
        switch self {
        case .under35: return (nil, 34)
        case .from35To44: return (35, 44)
        case .from45To54: return (45, 54)
        case .from55: return (55, nil)
        }
    }

    public init(age: Int) {
        switch age {
        case ..<35: self = .under35
        case 35...44: self = .from35To44
        case 45...54: self = .from45To54
        default: self = .from55
        }
    }

    public init(birthMonth: YearMonth, on day: Day) {
        self.init(age: birthMonth.age(on: day))
    }

    /// The birth months that fall in this band on `day`, so a list can filter
    /// with `birth_month BETWEEN earliest AND latest` in the database instead
    /// of computing ages row by row. Agrees with `init(birthMonth:on:)`.
    public func birthMonths(on day: Day) -> (earliest: YearMonth?, latest: YearMonth?) {
        let today = YearMonth(day)
        let (lowest, highest) = ages
        // age >= a  ⇔  born in or before (year - a, this month).
        let latest = lowest.map { today.adding(months: -12 * $0) }
        // age <= b  ⇔  born after (year - b - 1, this month).
        let earliest = highest.map { today.adding(months: -12 * ($0 + 1) + 1) }
        return (earliest, latest)
    }

    public static func < (lhs: AgeBand, rhs: AgeBand) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
