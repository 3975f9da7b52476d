import Foundation
import Vapor

/// Every number a request carries is read here, into a range the handler states. A value outside it,
/// or one that is not a number at all, is a 422 naming the field — never a silent default (which hides
/// a client's bug) and never an unchecked value (`page=9223372036854775807` once overflowed
/// `(page - 1) * per` and stopped the process).
public enum InputBounds {
    public static let page: ClosedRange<Int> = 1...10_000
    public static let perPage: ClosedRange<Int> = 1...200
    public static let year: ClosedRange<Int> = 1900...2100
    /// Amounts in 万元 or 元 as people type them: large, but far from where Double loses integers.
    public static let amount: ClosedRange<Double> = 0...1_000_000_000_000
}

extension Request {
    /// An integer query parameter within `range`; nil when absent or empty.
    public func boundedQuery(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let raw = query[String.self, at: key]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return try BoundedNumber.integer(raw, field: key, in: range)
    }

    /// An integer query parameter within `range`, or `fallback` when absent.
    public func boundedQuery(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        try boundedQuery(key, in: range) ?? fallback
    }

    /// `page` and `per` of an API list, bounded, with the offset computed without any chance of overflow.
    /// Unlike a page's search box, an empty `per=` is refused: a client sending it has a bug to learn of.
    public func paging(defaultPer: Int = 50, maxPer: Int = InputBounds.perPage.upperBound) throws -> Paging {
        func sent(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            try sentQueryValue(key).map { try BoundedNumber.integer($0, field: key, in: range) }
        }
        let page = try sent("page", in: InputBounds.page) ?? 1
        let per = try sent("per", in: 1...maxPer) ?? sent("per_page", in: 1...maxPer) ?? defaultPer
        return Paging(page: page, per: per)
    }

    /// A query parameter as sent: "" for `key=` or a bare `key`, nil only when it is absent.
    func sentQueryValue(_ key: String) -> String? {
        if let value = query[String.self, at: key] { return value }
        let names = (url.query ?? "").split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        return names.contains { ($0.removingPercentEncoding ?? $0) == key } ? "" : nil
    }
}

/// A bounded page of a list: both factors are small, so `offset` cannot overflow.
public struct Paging: Sendable, Equatable {
    public let page: Int
    public let per: Int

    public init(page: Int, per: Int) {
        self.page = min(max(page, InputBounds.page.lowerBound), InputBounds.page.upperBound)
        self.per = min(max(per, 1), InputBounds.perPage.upperBound)
    }

    public var offset: Int { (page - 1) * per }
    public var range: Range<Int> { offset..<(offset + per) }
}

/// Parsing of numbers from text (query strings, form fields, imported cells) into stated ranges.
public enum BoundedNumber {
    public static func integer(_ raw: String, field: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw PlatformError.invalidInput(
                field: field, message: "\(field) 应为 \(range.lowerBound)–\(range.upperBound) 之间的整数")
        }
        return value
    }

    /// A finite decimal within `range`: "nan", "inf" and "1e999" are refused like any other bad value.
    public static func decimal(_ raw: String, field: String, in range: ClosedRange<Double>) throws -> Double {
        guard let value = Double(raw.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw PlatformError.invalidInput(
                field: field, message: "\(field) 应为 \(formatted(range.lowerBound))–\(formatted(range.upperBound)) 之间的数")
        }
        return value
    }

    private static func formatted(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
