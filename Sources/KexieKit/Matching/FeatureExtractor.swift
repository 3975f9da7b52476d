/// Turns a profile into weighted terms: bigrams and words from the tokenizer, plus one
/// synthetic term per dictionary concept mentioned (so synonyms meet in the index), plus the
/// sense in which each ambiguous word is used.
struct FeatureExtractor: Sendable {
    /// Prefix that keeps concept terms apart from any real text term.
    static let conceptPrefix = "§"

    struct Features: Sendable {
        var termCounts: [Term: Float] = [:]
        var length: Float = 0
        /// Normalized title, description and keywords, separated by spaces.
        var scalars: [Unicode.Scalar] = []
        var tokens: [ChineseTokenizer.Token] = []
        /// Concept index → the phrases used for it.
        var conceptPhrases: [Int: Set<String>] = [:]
        /// Per ambiguous word: the sense index in `dictionary.senses`, or -1 when the word is
        /// absent or its sense is unclear.
        var senses: [Int16] = []
        /// Per ambiguous word: the sense whose topic the text is about (even without the word
        /// itself, from context words), or -1.
        var topics: [Int16] = []
    }

    static func senseTerm(_ sense: Int, in dictionary: ConceptDictionary) -> Term {
        Term(word: conceptPrefix + dictionary.senses[sense].word + "/" + dictionary.senses[sense].label)
    }

    let dictionary: ConceptDictionary
    let titleWeight: Float
    /// The distinct ambiguous words; a word's position here is its "sense group".
    let ambiguousWords: [String]
    let stopTerms: Set<Term>
    private let matcher: PhraseMatcher

    private enum Tag {
        static let stride = 1_000_000
        static let concept = 0, cue = 1, ambiguousWord = 2
    }

    init(dictionary: ConceptDictionary, titleWeight: Float) {
        self.dictionary = dictionary
        self.titleWeight = titleWeight
        var words: [String] = []
        for sense in dictionary.senses where !words.contains(sense.word) { words.append(sense.word) }
        ambiguousWords = words
        stopTerms = Set(dictionary.stopWords.flatMap(Self.terms))
        var phrases: [(String, Int)] = []
        for (index, concept) in dictionary.concepts.enumerated() {
            phrases += concept.phrases.map { ($0, Tag.concept * Tag.stride + index) }
        }
        for (index, sense) in dictionary.senses.enumerated() {
            phrases += sense.cues.map { ($0, Tag.cue * Tag.stride + index) }
        }
        for (index, word) in words.enumerated() { phrases.append((word, Tag.ambiguousWord * Tag.stride + index)) }
        matcher = PhraseMatcher(phrases: phrases)
    }

    /// The index terms of an ambiguous word, whose weight depends on agreeing senses.
    func terms(ofAmbiguousWord group: Int) -> [Term] {
        Self.terms(ambiguousWords[group])
    }

    static func terms(_ text: String) -> [Term] {
        ChineseTokenizer.tokens(TextNormalizer.normalizedScalars(text)).map(\.term)
    }

    func extract(_ profile: MatchProfile) -> Features {
        var features = Features()
        let titleScalars = TextNormalizer.normalizedScalars(profile.title + " " + profile.keywords.joined(separator: " "))
        features.scalars = titleScalars + [" "] + TextNormalizer.normalizedScalars(profile.description)
        let titleEnd = titleScalars.count
        let weight = { (start: Int) -> Float in start < titleEnd ? self.titleWeight : 1 }

        features.tokens = ChineseTokenizer.tokens(features.scalars)
        for token in features.tokens where !stopTerms.contains(token.term) {
            features.termCounts[token.term, default: 0] += weight(token.start)
            features.length += weight(token.start)
        }

        var cueScores = [Float](repeating: 0, count: dictionary.senses.count)
        var wordPresent = [Bool](repeating: false, count: ambiguousWords.count)
        for hit in matcher.hits(in: features.scalars) {
            let index = hit.tag % Tag.stride
            switch hit.tag / Tag.stride {
            case Tag.concept:
                let name = dictionary.concepts[index].name
                features.termCounts[Term(word: Self.conceptPrefix + name), default: 0] += weight(hit.start)
                features.conceptPhrases[index, default: []].insert(hit.text)
            case Tag.cue:
                cueScores[index] += 1
            default:
                wordPresent[index] = true
            }
        }
        features.senses = [Int16](repeating: -1, count: ambiguousWords.count)
        features.topics = [Int16](repeating: -1, count: ambiguousWords.count)
        for group in ambiguousWords.indices {
            let sense = bestSense(group: group, cueScores: cueScores, industry: profile.industry)
            guard sense >= 0 else { continue }
            if wordPresent[group] { features.senses[group] = sense }
            // A sense is also a concept: "割胶刀" is about plantation rubber without saying
            // 橡胶, and a bare "橡胶" from a farm means the same topic. Industry alone, with
            // neither the word nor a context word, is not evidence of a topic.
            if wordPresent[group] || cueScores[Int(sense)] > 0 {
                features.topics[group] = sense
                features.termCounts[Self.senseTerm(Int(sense), in: dictionary), default: 0] += 1
            }
        }
        return features
    }

    /// The sense with the most evidence (context words, plus one for a typical industry);
    /// -1 on no evidence or a tie, because guessing wrong would hide a good match.
    private func bestSense(group: Int, cueScores: [Float], industry: IndustrySection?) -> Int16 {
        var best: (index: Int, score: Float)? = nil
        var tied = false
        for (index, sense) in dictionary.senses.enumerated() where sense.word == ambiguousWords[group] {
            var score = cueScores[index]
            if let letter = industry?.letter, sense.industries.contains(letter) { score += 1 }
            guard score > 0 else { continue }
            if let current = best {
                if score > current.score { best = (index, score); tied = false } else if score == current.score { tied = true }
            } else {
                best = (index, score)
            }
        }
        guard let best, !tied else { return -1 }
        return Int16(best.index)
    }
}
