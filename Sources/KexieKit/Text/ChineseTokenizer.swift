/// Cuts text into index terms without a word dictionary: overlapping character bigrams for
/// runs of Han characters, the character itself for a one-character run, and whole words for
/// Latin letters and numbers.
///
/// Bigrams are chosen over a segmenter because any two-character word (橡胶, 电池) is then found
/// inside any longer compound (天然橡胶割胶技术) whatever a segmenter would have decided, and
/// because the same terms can be stored as postings in SQLite or PostgreSQL.
public enum ChineseTokenizer {
    /// The terms of `text` in reading order, repeats kept (term frequency matters to BM25).
    public static func terms(_ text: String) -> [String] {
        tokens(TextNormalizer.normalizedScalars(text)).map(\.text)
    }

    /// A term with where it starts, in scalars of the normalized text; used to put adjacent
    /// shared bigrams back together into readable keywords.
    struct Token: Equatable {
        var term: Term
        var start: Int
        /// In scalars of the normalized text.
        var length: Int
        var isBigram: Bool { length == 2 && term.packed > UInt32.max }
        var text: String { term.text }
    }

    /// Tokens of text that has already been normalized (see `TextNormalizer.normalizedScalars`).
    static func tokens(_ scalars: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            let kind = runClass(scalars[index])
            var end = index + 1
            while end < scalars.count, runClass(scalars[end]) == kind || continuesNumber(scalars, end, kind) {
                end += 1
            }
            switch kind {
            case .ideograph:
                if end - index == 1 {
                    tokens.append(Token(term: Term(character: scalars[index]), start: index, length: 1))
                } else {
                    for position in index..<(end - 1) {
                        tokens.append(Token(term: Term(bigram: scalars[position], scalars[position + 1]), start: position, length: 2))
                    }
                }
            case .word:
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[index..<end])
                tokens.append(Token(term: Term(word: String(word)), start: index, length: end - index))
            case .separator:
                break
            }
            index = end
        }
        return tokens
    }

    private static func runClass(_ scalar: Unicode.Scalar) -> CharacterClass {
        CharacterClass.of(scalar)
    }

    /// The decimal point kept by the normalizer belongs to the number around it.
    private static func continuesNumber(_ scalars: [Unicode.Scalar], _ index: Int, _ kind: CharacterClass) -> Bool {
        kind == .word && scalars[index] == "." && index + 1 < scalars.count
            && TextNormalizer.isDigit(scalars[index + 1]) && TextNormalizer.isDigit(scalars[index - 1])
    }
}

/// A term as the matcher keys it. Han bigrams and single characters are packed into an integer
/// because hashing a non-ASCII String normalizes it first, which dominated index building;
/// words (and synthetic concept terms) stay text.
struct Term: Hashable, Sendable {
    /// Two scalars for a bigram, one for a single character, 0 for a word.
    let packed: UInt64
    let word: String

    init(bigram first: Unicode.Scalar, _ second: Unicode.Scalar) {
        packed = UInt64(first.value) << 32 | UInt64(second.value)
        word = ""
    }

    init(character: Unicode.Scalar) {
        packed = UInt64(character.value)
        word = ""
    }

    init(word: String) {
        packed = 0
        self.word = word
    }

    var text: String {
        guard packed != 0 else { return word }
        var scalars = String.UnicodeScalarView()
        if let first = Unicode.Scalar(UInt32(packed >> 32)), packed > UInt32.max { scalars.append(first) }
        if let last = Unicode.Scalar(UInt32(packed & 0xFFFF_FFFF)) { scalars.append(last) }
        return String(scalars)
    }
}
