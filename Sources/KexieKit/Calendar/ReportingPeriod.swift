import Foundation

/// The period a figure is asked for: a year, a quarter or a month, written `2026`, `2026-Q4`, `2026-11`.
///
/// Figures count records by their own day (received on, published on, joined on), so a period is a
/// closed range of `Day`s and no time zone takes part.
public enum ReportingPeriod: Hashable, Sendable, CustomStringConvertible {
    case year(Int)
    case quarter(year: Int, quarter: Int)
    case month(year: Int, month: Int)

    /// Years a period may name: the founding of the associations' records to a planning horizon.
    public static let years = 1949...2100

    /// Parses `YYYY`, `YYYY-Qn` (n 1–4) or `YYYY-MM`, as the API's pattern says; nil for anything else or out of range.
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 4, parts[0].allSatisfy(\.isASCII),
            let year = Int(parts[0]), Self.years.contains(year)
        else { return nil }
        if parts.count == 1 {
            self = .year(year)
            return
        }
        let rest = parts[1]
        if rest.count == 2, rest.first == "Q", let q = Int(rest.dropFirst()), (1...4).contains(q) {
            self = .quarter(year: year, quarter: q)
        } else if rest.count == 2, rest.allSatisfy({ $0.isASCII && $0.isNumber }), let m = Int(rest), (1...12).contains(m) {
            self = .month(year: year, month: m)
        } else {
            return nil
        }
    }

    public var year: Int {
        switch self {
        case .year(let y), .quarter(let y, _), .month(let y, _): return y
        }
    }

    /// The canonical form the API takes and gives back.
    public var description: String {
        switch self {
        case .year(let y): return String(y)
        case .quarter(let y, let q): return "\(y)-Q\(q)"
        case .month(let y, let m): return m < 10 ? "\(y)-0\(m)" : "\(y)-\(m)"
        }
    }

    /// 2026年, 2026年第四季度, 2026年11月.
    public var label: String {
        switch self {
        case .year(let y): return "\(y)年"
        case .quarter(let y, let q): return "\(y)年第\(["一", "二", "三", "四"][q - 1])季度"
        case .month(let y, let m): return "\(y)年\(m)月"
        }
    }

    public var firstDay: Day {
        switch self {
        case .year(let y): return Day.firstDay(of: y)
        case .quarter(let y, let q): return Day(year: y, month: q * 3 - 2, day: 1) ?? Day.firstDay(of: y)
        case .month(let y, let m): return Day(year: y, month: m, day: 1) ?? Day.firstDay(of: y)
        }
    }

    public var lastDay: Day {
        switch self {
        case .year(let y): return Day.lastDay(of: y)
        case .quarter(let y, let q): return Self.lastDay(year: y, month: q * 3)
        case .month(let y, let m): return Self.lastDay(year: y, month: m)
        }
    }

    public func contains(_ day: Day) -> Bool { firstDay <= day && day <= lastDay }

    private static func lastDay(year: Int, month: Int) -> Day {
        Day(year: year, month: month, day: Day.daysInMonth(year: year, month: month)) ?? Day.lastDay(of: year)
    }
}
