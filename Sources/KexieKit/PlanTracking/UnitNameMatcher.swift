/// Matches the unit names a plan writes (科普部, 省科协学会部, 各市县科协) to the association's own
/// departments and organizations.
///
/// In order: an alias learnt from an earlier correction, the exact name, the name without the
/// owner's prefix (省科协科普部 → 科普部), then an abbreviation — every character of the written name
/// appears in order in one candidate's name, first and last characters included (科普部 → 科学技术普及部,
/// 省科协 → 云海省科学技术协会, 科协 standing for 科学技术协会). An abbreviation that fits several candidates is left to the reviewer.
public struct UnitNameMatcher: Sendable {
    public struct Candidate: Sendable, Equatable {
        public let id: String
        public let name: String

        public init(id: String, name: String) {
            self.id = id
            self.name = name
        }
    }

    public enum Match: Sendable, Equatable {
        case alias(String)
        case exact(String)
        case abbreviation(String)
        case unknown

        public var id: String? {
            switch self {
            case .alias(let id), .exact(let id), .abbreviation(let id): return id
            case .unknown: return nil
            }
        }
    }

    let candidates: [Candidate]
    let aliases: [String: String]
    let prefixes: [String]

    /// - prefixes: how documents name the owner before a department (省科协, 市科协…).
    public init(candidates: [Candidate], aliases: [String: String], prefixes: [String] = ["省科协", "市科协", "县科协", "本会"]) {
        self.candidates = candidates
        self.aliases = aliases
        self.prefixes = prefixes
    }

    public func match(_ written: String) -> Match {
        let name = Self.normalize(written)
        guard !name.isEmpty else { return .unknown }
        if let id = aliases[name] { return .alias(id) }
        if let exact = candidates.first(where: { Self.normalize($0.name) == name || Self.shortForm($0.name) == name }) {
            return .exact(exact.id)
        }
        for prefix in prefixes where name.hasPrefix(prefix) && name.count > prefix.count + 1 {
            let rest = String(name.dropFirst(prefix.count))
            if let id = aliases[rest] { return .alias(id) }
            if let exact = candidates.first(where: { Self.normalize($0.name) == rest }) { return .exact(exact.id) }
        }
        let fits = candidates.filter { Self.abbreviates(name, $0.name) }
        if fits.count == 1, let only = fits.first { return .abbreviation(only.id) }
        return .unknown
    }

    /// Full-width brackets and spaces do not change a name; 〔〕［］ aliases inside are kept.
    public static func normalize(_ name: String) -> String {
        String(name.filter { !$0.isWhitespace }).replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
    }

    /// 科学技术协会 is written 科协 in every plan: 青石县科协 is 青石县科学技术协会.
    static func shortForm(_ name: String) -> String {
        normalize(name).replacingOccurrences(of: "科学技术协会", with: "科协")
    }

    static func abbreviates(_ short: String, _ long: String) -> Bool {
        let s = Array(short)
        let l = Array(shortForm(long))
        guard s.count >= 2, s.count < l.count, s.first == l.first || s.first == "省" || s.first == "市", s.last == l.last else {
            return false
        }
        var index = 0
        for character in l where index < s.count && character == s[index] { index += 1 }
        return index == s.count
    }
}
