import Foundation

/// A weighted indicator tree (创新性 30, 贡献 40, 影响 30): each indicator is scored from 0 to its
/// weight, and a reviewer's total is the sum. Weights add up to 100.
public struct IndicatorTree: Sendable, Equatable {
    public struct Indicator: Sendable, Equatable {
        public let key: String
        public let label: String
        public let weight: Int

        public init(key: String, label: String, weight: Int) {
            self.key = key
            self.label = label
            self.weight = weight
        }
    }

    public enum Problem: Error, Equatable {
        case weightsDoNotAddUpTo100(Int)
        case duplicateKey(String)
        case missing(String)
        case outOfRange(key: String, max: Int)
    }

    public let indicators: [Indicator]

    public init(_ indicators: [Indicator]) throws {
        let sum = indicators.reduce(0) { $0 + $1.weight }
        guard sum == 100, indicators.allSatisfy({ $0.weight > 0 }) else { throw Problem.weightsDoNotAddUpTo100(sum) }
        var seen: Set<String> = []
        for indicator in indicators where !seen.insert(indicator.key).inserted { throw Problem.duplicateKey(indicator.key) }
        self.indicators = indicators
    }

    /// A reviewer's total from their indicator scores; every indicator scored, each within its weight.
    public func total(_ scores: [String: Decimal]) throws -> Decimal {
        var total: Decimal = 0
        for indicator in indicators {
            guard let score = scores[indicator.key] else { throw Problem.missing(indicator.key) }
            guard score >= 0, score <= Decimal(indicator.weight) else {
                throw Problem.outOfRange(key: indicator.key, max: indicator.weight)
            }
            total += score
        }
        return total
    }
}

/// How a round turns reviewers' totals into a candidate's score; chosen per round and stored with it.
public enum ScoreAggregation: String, Sendable, Codable, CaseIterable {
    /// The arithmetic mean.
    case mean
    /// The mean after dropping one highest and one lowest total, when there are more than three.
    case trimmedMean = "trimmed_mean"

    public var label: String {
        switch self {
        case .mean: "算术平均"
        case .trimmedMean: "去掉一个最高分和一个最低分后平均（评分多于 3 份时）"
        }
    }

    /// The candidate's score, rounded to two decimals (half up); nil without scores.
    public func aggregate(_ totals: [Decimal]) -> Decimal? {
        guard !totals.isEmpty else { return nil }
        var kept = totals.sorted()
        if self == .trimmedMean, kept.count > 3 {
            kept.removeFirst()
            kept.removeLast()
        }
        var mean = kept.reduce(0, +) / Decimal(kept.count)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &mean, 2, .plain)
        return rounded
    }
}

/// A ranking of candidates by their aggregated score. Equal scores share a rank (并列) and the next
/// rank skips as many places (1, 2, 2, 4); each tie carries its explanation.
public struct ReviewRanking: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let candidate: String
        public let score: Decimal
        public let rank: Int
        /// The other candidates with the same score (empty when none).
        public let tiedWith: [String]

        /// "与 X、Y 并列第 2 名（得分均为 87.50）", or nil.
        public func tieExplanation(names: [String: String]) -> String? {
            guard !tiedWith.isEmpty else { return nil }
            let others = tiedWith.map { names[$0] ?? $0 }.joined(separator: "、")
            return "与\(others)并列第 \(rank) 名（得分均为 \(ReviewRanking.text(score))）"
        }
    }

    public let entries: [Entry]

    /// Candidates without a score are left out. Equal scores are listed by candidate id, so the order
    /// is the same on every run; their rank is shared.
    public init(scores: [String: Decimal?]) {
        let scored = scores.compactMap { id, score in score.map { (id, $0) } }.sorted { a, b in
            a.1 != b.1 ? a.1 > b.1 : a.0 < b.0
        }
        var entries: [Entry] = []
        var index = 0
        while index < scored.count {
            let score = scored[index].1
            var end = index
            while end + 1 < scored.count, scored[end + 1].1 == score { end += 1 }
            let group = scored[index...end].map(\.0)
            for id in group {
                entries.append(Entry(candidate: id, score: score, rank: index + 1, tiedWith: group.filter { $0 != id }))
            }
            index = end + 1
        }
        self.entries = entries
    }

    static func text(_ value: Decimal) -> String {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let formatter = NumberFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        return formatter.string(from: rounded as NSDecimalNumber) ?? "\(rounded)"
    }
}

/// A voting round: a candidate passes with strictly more than two thirds 赞成 of the votes cast.
public enum VotingRule {
    public static func passes(yes: Int, cast: Int) -> Bool {
        precondition(yes >= 0 && cast >= yes, "more yes votes than votes cast")
        return cast > 0 && yes * 3 > cast * 2
    }
}
