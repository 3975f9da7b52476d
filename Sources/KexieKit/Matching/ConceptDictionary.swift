import Foundation

/// Domain knowledge that bigram overlap cannot see: different words for one thing
/// (动力电池 / 锂离子电池 / 储能电芯), one word for different things (橡胶 on a plantation vs
/// in a tyre plant), and generic words that say nothing about a match (技术, 需求).
///
/// It is plain data so administrators can extend it: edit `Resources/concepts.txt`, or parse
/// their own text in the same format and `merging` it with `builtIn`.
public struct ConceptDictionary: Sendable, Hashable {
    /// One concept and the phrases that name it.
    public struct Concept: Sendable, Hashable {
        public var name: String
        public var synonyms: [String]

        public init(name: String, synonyms: [String]) {
            self.name = name
            self.synonyms = synonyms
        }

        /// Every phrase that counts as mentioning the concept, the name included.
        var phrases: [String] { [name] + synonyms }
    }

    /// One meaning of an ambiguous word, recognised by the words around it and by industry.
    public struct Sense: Sendable, Hashable {
        public var word: String
        public var label: String
        /// GB/T 4754 section letters typical for this meaning.
        public var industries: Set<Character>
        public var cues: [String]

        public init(word: String, label: String, industries: Set<Character>, cues: [String]) {
            self.word = word
            self.label = label
            self.industries = industries
            self.cues = cues
        }
    }

    public var concepts: [Concept]
    public var senses: [Sense]
    /// Terms left out of matching because nearly every posting uses them.
    public var stopWords: [String]

    public init(concepts: [Concept] = [], senses: [Sense] = [], stopWords: [String] = []) {
        self.concepts = concepts
        self.senses = senses
        self.stopWords = stopWords
    }

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformedLine(number: Int, text: String)

        public var description: String {
            switch self {
            case .malformedLine(let number, let text): "概念词典第 \(number) 行格式错误：\(text)"
            }
        }
    }

    /// Parses the line format documented at the top of `Resources/concepts.txt`.
    public init(parsing text: String) throws {
        self.init()
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine).trimmedWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = { (part: Substring) in part.split(whereSeparator: \.isWhitespace).map(String.init) }
            if line.hasPrefix("stop:") {
                stopWords += words(line.dropFirst(5))
            } else if let equals = line.firstIndex(of: "=") {
                let name = String(line[..<equals]).trimmedWhitespace
                guard !name.isEmpty else { throw ParseError.malformedLine(number: offset + 1, text: line) }
                concepts.append(Concept(name: name, synonyms: words(line[line.index(after: equals)...])))
            } else if let tilde = line.firstIndex(of: "~"), let colon = line.firstIndex(of: ":"), tilde < colon {
                let word = String(line[..<tilde]).trimmedWhitespace
                var head = String(line[line.index(after: tilde)..<colon])
                var industries: Set<Character> = []
                if let open = head.firstIndex(of: "["), let close = head.firstIndex(of: "]"), open < close {
                    industries = Set(head[head.index(after: open)..<close].filter { $0.isLetter }.map { Character($0.uppercased()) })
                    head.removeSubrange(open...close)
                }
                let label = head.trimmedWhitespace
                guard !word.isEmpty, !label.isEmpty else { throw ParseError.malformedLine(number: offset + 1, text: line) }
                senses.append(Sense(word: word, label: label, industries: industries, cues: words(line[line.index(after: colon)...])))
            } else {
                throw ParseError.malformedLine(number: offset + 1, text: line)
            }
        }
    }

    /// This dictionary extended by `other`: synonyms of concepts with the same name are united,
    /// senses and stop words are added.
    public func merging(_ other: ConceptDictionary) -> ConceptDictionary {
        var merged = self
        for concept in other.concepts {
            if let index = merged.concepts.firstIndex(where: { $0.name == concept.name }) {
                let existing = merged.concepts[index].synonyms
                merged.concepts[index].synonyms = existing + concept.synonyms.filter { !existing.contains($0) }
            } else {
                merged.concepts.append(concept)
            }
        }
        merged.senses += other.senses.filter { !merged.senses.contains($0) }
        merged.stopWords += other.stopWords.filter { !merged.stopWords.contains($0) }
        return merged
    }

    /// The dictionary shipped in `Resources/concepts.txt`.
    public static let builtIn: ConceptDictionary = {
        guard let url = Bundle.module.url(forResource: "concepts", withExtension: "txt", subdirectory: "Resources"),
            let text = try? String(contentsOf: url, encoding: .utf8),
            let dictionary = try? ConceptDictionary(parsing: text)
        else { return ConceptDictionary() }
        return dictionary
    }()
}

/// Finds dictionary phrases in normalized text in one pass: phrases are bucketed by their first
/// two scalars, so each position costs one hash lookup rather than one comparison per phrase.
struct PhraseMatcher: Sendable {
    struct Phrase: Sendable {
        var scalars: [Unicode.Scalar]
        var text: String
        /// What the caller wants back, e.g. a concept index.
        var tag: Int
        /// Latin phrases ("ai", "bms") must not match inside longer words ("gain").
        var needsWordBoundary: Bool
    }

    struct Hit: Equatable {
        var tag: Int
        var text: String
        var start: Int
    }

    private var buckets: [UInt64: [Phrase]] = [:]

    init(phrases: [(String, Int)]) {
        for (phrase, tag) in phrases {
            let scalars = Array(TextNormalizer.normalize(phrase).unicodeScalars)
            guard scalars.count >= 2 else { continue }
            let boundary = scalars.contains { CharacterClass.of($0) == .word }
            buckets[Self.key(scalars[0], scalars[1]), default: []].append(
                Phrase(scalars: scalars, text: String(String.UnicodeScalarView(scalars)), tag: tag, needsWordBoundary: boundary))
        }
        for key in buckets.keys { buckets[key]?.sort { $0.scalars.count > $1.scalars.count } }
    }

    var isEmpty: Bool { buckets.isEmpty }

    /// Every occurrence of every phrase (overlaps included) in already-normalized scalars.
    func hits(in scalars: [Unicode.Scalar]) -> [Hit] {
        guard scalars.count >= 2, !buckets.isEmpty else { return [] }
        var hits: [Hit] = []
        for start in 0..<(scalars.count - 1) {
            guard let bucket = buckets[Self.key(scalars[start], scalars[start + 1])] else { continue }
            for phrase in bucket where matches(phrase, scalars, start) {
                hits.append(Hit(tag: phrase.tag, text: phrase.text, start: start))
            }
        }
        return hits
    }

    private func matches(_ phrase: Phrase, _ scalars: [Unicode.Scalar], _ start: Int) -> Bool {
        let end = start + phrase.scalars.count
        guard end <= scalars.count else { return false }
        for offset in 2..<phrase.scalars.count where scalars[start + offset] != phrase.scalars[offset] { return false }
        if phrase.needsWordBoundary {
            if start > 0, CharacterClass.of(scalars[start - 1]) == .word { return false }
            if end < scalars.count, CharacterClass.of(scalars[end]) == .word { return false }
        }
        return true
    }

    private static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> UInt64 {
        UInt64(a.value) << 32 | UInt64(b.value)
    }
}
