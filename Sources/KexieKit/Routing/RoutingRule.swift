/// "Cases of these types that mention any of these words go to this unit."
public struct RoutingRule: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    /// Empty means any case type.
    public var caseTypes: Set<String>
    /// Chinese (or mixed) keywords, matched as substrings after normalization.
    public var keywords: [String]
    public var targetUnitID: String
    /// Higher wins; lets a specific rule beat a broad one that also matches.
    public var priority: Int

    public init(id: String, caseTypes: Set<String> = [], keywords: [String], targetUnitID: String, priority: Int = 0) {
        self.id = id
        self.caseTypes = caseTypes
        self.keywords = keywords
        self.targetUnitID = targetUnitID
        self.priority = priority
    }

    func applies(toType type: String) -> Bool {
        caseTypes.isEmpty || caseTypes.contains(type)
    }
}

/// A rule that matched, with the keywords that made it match (shown to the dispatcher).
public struct RoutingMatch: Sendable, Equatable {
    public let rule: RoutingRule
    /// As written in the rule, in rule order, each once.
    public let matchedKeywords: [String]
}

public struct RoutingDecision: Sendable, Equatable {
    /// The winner; nil means the case goes to the 办公室 queue for manual dispatch.
    public let match: RoutingMatch?
    /// Every matching rule, best first, so the dispatcher can pick another if needed.
    public let candidates: [RoutingMatch]

    public var targetUnitID: String? { match?.rule.targetUnitID }
    public var needsManualDispatch: Bool { match == nil }

    /// One sentence for the case history and the dispatcher screen.
    public var explanation: String {
        guard let match else { return "未命中分办规则，转办公室人工分办" }
        return "命中关键词：\(match.matchedKeywords.joined(separator: "、"))（规则 \(match.rule.id)）"
    }
}
