/// Which side of the market a profile is on; it decides how technology readiness is compared.
public enum ProfileKind: String, Sendable, Hashable, Codable {
    /// A 科技成果 offered for transfer; its readiness level is what it has reached.
    case supply
    /// A 技术需求; its readiness level is the lowest it will accept.
    case demand
    /// A 专家; readiness does not apply.
    case expert
}

/// Everything the matcher looks at for one supply, demand or expert.
public struct MatchProfile: Sendable, Hashable {
    public var id: RecordID
    public var kind: ProfileKind
    public var title: String
    public var description: String
    /// Tags or research interests; weighted like the title.
    public var keywords: [String]
    public var industry: IndustrySection?
    /// Discipline (GB/T 13745) as a code ("430") or a name ("材料科学").
    public var field: String?
    /// Technology readiness level 1–9 (see `ProfileKind` for its meaning on each side).
    public var readinessLevel: Int?
    public var region: Region?

    public init(
        id: RecordID, kind: ProfileKind, title: String, description: String = "", keywords: [String] = [],
        industry: IndustrySection? = nil, field: String? = nil, readinessLevel: Int? = nil, region: Region? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.description = description
        self.keywords = keywords
        self.industry = industry
        self.field = field
        self.readinessLevel = readinessLevel.flatMap { (1...9).contains($0) ? $0 : nil }
        self.region = region
    }

    /// Codes compare on the first-level discipline (the first three digits), names as typed.
    var fieldKey: String? {
        guard let field = field?.trimmedWhitespace, !field.isEmpty else { return nil }
        let digits = field.prefix { $0.isASCII && $0.isNumber }
        return digits.count >= 3 ? String(digits.prefix(3)) : TextNormalizer.normalize(field)
    }
}

/// One ranked candidate with the reasons a person can check.
public struct Match: Sendable, Hashable {
    public var id: RecordID
    /// In 0...1; comparable across queries (text relevance scaled by the other factors).
    public var score: Double
    /// Chinese explanations: shared keywords first, then each factor that counted.
    public var reasons: [String]
}
