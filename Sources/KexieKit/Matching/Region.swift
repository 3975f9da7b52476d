import Foundation

/// How close two places are, in the order that matters for technology transfer: a partner in
/// the same county or city can visit tomorrow, one in the same province shares policy and funding.
public enum RegionProximity: Int, Comparable, Sendable {
    case elsewhere = 0, sameProvince, sameCity, sameCounty

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A place at up to three levels (province, city, county), parsed from an administrative
/// division code ("460100", "469002") or a name ("海南省海口市龙华区", "海口市", "海口").
/// Levels that cannot be determined stay nil; comparison then only uses what both sides know.
public struct Region: Hashable, Sendable {
    struct Level: Hashable, Sendable {
        /// A code when known, otherwise "名:" and the name without its suffix.
        var key: String
        var name: String
    }

    var province: Level?
    var city: Level?
    var county: Level?

    public init?(parsing text: String, directory: RegionDirectory = .builtIn) {
        let compact = String(text.filter { !$0.isWhitespace })
        guard !compact.isEmpty else { return nil }
        if compact.allSatisfy(\.isASCII), compact.allSatisfy(\.isNumber) {
            self.init(code: compact, directory: directory)
        } else {
            self.init(name: compact, directory: directory)
        }
        if province == nil && city == nil && county == nil { return nil }
    }

    /// The most specific name known, for display.
    public var name: String { (county ?? city ?? province)?.name ?? "" }
    public var provinceName: String? { province?.name }
    public var cityName: String? { city?.name }

    public func proximity(to other: Region) -> RegionProximity {
        // Unlisted cities are keyed by name alone (so "赣州市" finds "江西省赣州市"); two places in
        // different provinces are never the same city, whatever their names.
        if let a = province, let b = other.province, a.key != b.key { return .elsewhere }
        if let a = county, let b = other.county, a.key == b.key { return .sameCounty }
        if let a = city, let b = other.city, a.key == b.key { return .sameCity }
        if let a = province, let b = other.province, a.key == b.key { return .sameProvince }
        return .elsewhere
    }

    private init(code: String, directory: RegionDirectory) {
        // Statistical codes have 12 digits; the first six are the division code.
        let digits = Array(code.prefix(6))
        guard digits.count >= 2 else { return }
        let provinceCode = String(digits[0..<2])
        province = Level(key: provinceCode, name: directory.name(of: provinceCode) ?? provinceCode)
        guard digits.count >= 4, String(digits[2..<4]) != "00" else { return }
        let cityPart = String(digits[2..<4])
        let countyPart = digits.count >= 6 ? String(digits[4..<6]) : "00"
        // "90" marks county-level cities governed by the province directly (e.g. 琼海 469002):
        // each is its own city, not one city together with its neighbours.
        if cityPart == "90", countyPart != "00" {
            let full = String(digits)
            city = Level(key: full, name: directory.name(of: full) ?? full)
            return
        }
        let cityCode = provinceCode + cityPart
        city = Level(key: cityCode, name: directory.name(of: cityCode) ?? Self.municipalityCityName(provinceCode, directory) ?? cityCode)
        guard countyPart != "00" else { return }
        let full = String(digits)
        county = Level(key: full, name: directory.name(of: full) ?? full)
    }

    private init(name text: String, directory: RegionDirectory) {
        var rest = Substring(text)
        if let (code, matched) = directory.longestPrefix(of: rest, codeLength: 2) {
            province = Level(key: code, name: directory.name(of: code) ?? String(matched))
            rest = rest.dropFirst(matched.count)
        } else if let end = Self.provinceNameEnd(in: rest) {
            // A province the table does not know (a new name, or a training province such as the demo's
            // 云海省) is still one province: its cities then compare within it, not as "云海省东港市".
            let provinceName = String(rest[...end])
            province = Level(key: "名:" + RegionDirectory.stem(provinceName), name: provinceName)
            rest = rest[rest.index(after: end)...]
        }
        if let (code, matched) = directory.longestCityPrefix(of: rest, inProvince: province?.key) {
            city = Level(key: code, name: directory.name(of: code) ?? String(matched))
            rest = rest.dropFirst(matched.count)
            if province == nil {
                let provinceCode = String(code.prefix(2))
                province = Level(key: provinceCode, name: directory.name(of: provinceCode) ?? provinceCode)
            }
        } else if let provinceCode = province?.key, RegionDirectory.municipalities.contains(provinceCode) {
            city = Level(key: provinceCode + "01", name: province?.name ?? provinceCode)
        } else if let end = Self.cityNameEnd(in: rest) {
            let cityName = rest[...end]
            city = Level(key: "名:" + RegionDirectory.stem(String(cityName)), name: String(cityName))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty, let cityCode = city?.key,
            let (code, matched) = directory.longestPrefix(of: rest, where: { $0.count == 6 && $0.hasPrefix(cityCode) })
        {
            county = Level(key: code, name: directory.name(of: code) ?? String(matched))
            rest = rest.dropFirst(matched.count)
        }
        if !rest.isEmpty && county == nil {
            // County names repeat across the country (龙华区 is in 海口 and in 深圳), so a
            // county is only identified within its city.
            let scope = city?.key ?? province?.key ?? ""
            county = Level(key: scope + "/" + RegionDirectory.stem(String(rest)), name: String(rest))
        }
    }

    /// Where an unlisted province's name ends: at 省 or at 自治区, with at least two characters before
    /// and no city or county suffix before it ("东港市省级园区" names no province).
    private static func provinceNameEnd(in text: Substring) -> Substring.Index? {
        let end: Substring.Index
        if let index = text.firstIndex(of: "省") {
            end = index
        } else if let range = text.range(of: "自治区") {
            end = text.index(before: range.upperBound)
        } else {
            return nil
        }
        let name = text[..<end]
        guard name.count >= 2, !name.contains(where: { "市州盟县区旗".contains($0) }) else { return nil }
        return end
    }

    /// Where an unlisted city name ends: at 市 or 盟, else at 州 (自治州). 州 is tried last because
    /// it also occurs inside names (赣州市, 杭州市).
    private static func cityNameEnd(in text: Substring) -> Substring.Index? {
        for suffixes in ["市盟", "州"] {
            if let end = text.firstIndex(where: { suffixes.contains($0) }), end != text.startIndex { return end }
        }
        return nil
    }

    private static func municipalityCityName(_ provinceCode: String, _ directory: RegionDirectory) -> String? {
        RegionDirectory.municipalities.contains(provinceCode) ? directory.name(of: provinceCode) : nil
    }
}

/// Names of administrative divisions by code. The built-in table covers provinces, provincial
/// capitals, major cities and Hainan's cities and counties; administrators can supply a fuller
/// table (`code<TAB>name<TAB>alias alias…` lines) for their own province.
public struct RegionDirectory: Sendable, Hashable {
    private var names: [String: String] = [:]
    /// Name or alias (and its suffix-less stem) → code.
    private var codesByName: [String: String] = [:]

    static let municipalities: Set<String> = ["11", "12", "31", "50"]

    public init(parsing tsv: String) {
        for line in tsv.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmedWhitespace }
            guard fields.count >= 2, !fields[0].hasPrefix("#"), !fields[0].isEmpty, !fields[1].isEmpty else { continue }
            let code = fields[0], name = fields[1]
            names[code] = name
            let aliases = fields.count > 2 ? fields[2].split(separator: " ").map(String.init) : []
            for alias in [name] + aliases {
                codesByName[alias] = codesByName[alias] ?? code
                let stem = Self.stem(alias)
                if stem.count >= 2 { codesByName[stem] = codesByName[stem] ?? code }
            }
        }
    }

    public func merging(_ other: RegionDirectory) -> RegionDirectory {
        var merged = self
        merged.names.merge(other.names) { _, new in new }
        merged.codesByName.merge(other.codesByName) { _, new in new }
        return merged
    }

    public func name(of code: String) -> String? { names[code] }

    public static let builtIn: RegionDirectory = {
        guard let url = Bundle.module.url(forResource: "regions", withExtension: "tsv", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return RegionDirectory(parsing: "") }
        return RegionDirectory(parsing: text)
    }()

    func longestPrefix(of text: Substring, codeLength: Int) -> (String, Substring)? {
        longestPrefix(of: text) { $0.count == codeLength }
    }

    func longestCityPrefix(of text: Substring, inProvince provinceCode: String?) -> (String, Substring)? {
        longestPrefix(of: text) { code in
            Self.isCityLevel(code) && (provinceCode.map { code.hasPrefix($0) } ?? true)
        }
    }

    func longestPrefix(of text: Substring, where accepts: (String) -> Bool) -> (String, Substring)? {
        var length = min(text.count, 12)
        while length >= 2 {
            let candidate = text.prefix(length)
            if let code = codesByName[String(candidate)], accepts(code) { return (code, candidate) }
            length -= 1
        }
        return nil
    }

    private static func isCityLevel(_ code: String) -> Bool {
        code.count == 4 || (code.count == 6 && code.dropFirst(2).hasPrefix("90"))
    }

    /// The name without its administrative suffix, so 海口市 and 海口 compare equal.
    static func stem(_ name: String) -> String {
        for suffix in ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市", "州", "盟", "县", "区", "旗"]
        where name.hasSuffix(suffix) && name.count > suffix.count + 1 {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}
