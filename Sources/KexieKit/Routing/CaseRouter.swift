/// Suggests the unit for a new case from its type, title and content.
///
/// Keywords are found as substrings of normalized text rather than via word segmentation: a
/// segmenter may split 知识产权保护 differently from how an administrator wrote the keyword,
/// while a substring is either there or not, and the dispatcher can see why.
public enum CaseRouter {
    public static func route(type: String, title: String, content: String, rules: [RoutingRule]) -> RoutingDecision {
        // Fields apart, so a title ending in 科 and content starting with 普 do not make 科普.
        let fields = [title, content].map(TextNormalizer.normalizedScalars)
        var candidates: [RoutingMatch] = []
        for rule in rules where rule.applies(toType: type) {
            var matched: [String] = []
            for keyword in rule.keywords where !matched.contains(keyword) {
                let pattern = KeywordPattern(keyword)
                if fields.contains(where: pattern.occurs(in:)) { matched.append(keyword) }
            }
            if !matched.isEmpty { candidates.append(RoutingMatch(rule: rule, matchedKeywords: matched)) }
        }
        // Rule id last so equal rules always route the same way, whatever order they were loaded in.
        candidates.sort {
            if $0.rule.priority != $1.rule.priority { return $0.rule.priority > $1.rule.priority }
            if $0.matchedKeywords.count != $1.matchedKeywords.count {
                return $0.matchedKeywords.count > $1.matchedKeywords.count
            }
            return $0.rule.id < $1.rule.id
        }
        return RoutingDecision(match: candidates.first, candidates: candidates)
    }
}

/// One keyword, normalized the same way as the text.
struct KeywordPattern {
    let scalars: [Unicode.Scalar]
    /// Latin/digit keywords ("ai", "5g") must stand as whole words, or "ai" would match "email".
    let isWholeWord: Bool

    init(_ keyword: String) {
        // Spaces inside a keyword are dropped: text spaces are skipped while matching instead.
        scalars = TextNormalizer.normalizedScalars(keyword).filter { $0 != " " }
        isWholeWord = !scalars.isEmpty && scalars.allSatisfy { $0.isASCII && CharacterClass.of($0) == .word || $0 == "." }
    }

    /// Spaces in the text between keyword characters are skipped, because the normalizer turns
    /// line breaks and punctuation into spaces and 科技\n成果 is still 科技成果.
    func occurs(in text: [Unicode.Scalar]) -> Bool {
        guard !scalars.isEmpty else { return false }
        var start = 0
        while start < text.count {
            if text[start] == scalars[0], let end = matchEnd(from: start, in: text),
                !isWholeWord || (isBoundary(before: start, in: text) && isBoundary(at: end, in: text))
            {
                return true
            }
            start += 1
        }
        return false
    }

    /// Index just past the match, or nil.
    private func matchEnd(from start: Int, in text: [Unicode.Scalar]) -> Int? {
        var position = start
        for (offset, scalar) in scalars.enumerated() {
            if offset > 0 && !isWholeWord {
                while position < text.count && text[position] == " " { position += 1 }
            }
            guard position < text.count, text[position] == scalar else { return nil }
            position += 1
        }
        return position
    }

    private func isBoundary(before index: Int, in text: [Unicode.Scalar]) -> Bool {
        index == 0 || !isLatinWord(text[index - 1])
    }

    private func isBoundary(at index: Int, in text: [Unicode.Scalar]) -> Bool {
        index >= text.count || !isLatinWord(text[index])
    }

    private func isLatinWord(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && CharacterClass.of(scalar) == .word
    }
}
