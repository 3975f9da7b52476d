/// Folds the many ways the same Chinese technical text gets typed into one form, so that
/// "ＰＭ２．５" typed with a Chinese IME and "pm2.5" typed in English are the same word.
public enum TextNormalizer {
    /// Full-width forms become half-width, Latin letters lowercase, and every punctuation mark,
    /// symbol or run of whitespace becomes a single space (a token boundary).
    /// A dot survives only between two digits, so that "2.5" stays a number.
    public static func normalize(_ text: String) -> String {
        String(String.UnicodeScalarView(normalizedScalars(text)))
    }

    /// `normalize` as scalars, for callers that go on to scan them.
    static func normalizedScalars(_ text: String) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count / 2)
        var pendingSpace = false
        let folded = text.unicodeScalars.map(fold)
        for (index, scalar) in folded.enumerated() {
            if CharacterClass.of(scalar) != .separator || isDecimalPoint(at: index, in: folded) {
                if pendingSpace && !scalars.isEmpty { scalars.append(" ") }
                pendingSpace = false
                scalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return scalars
    }

    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        var value = scalar.value
        if value == 0x3000 { value = 0x20 }
        if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
        if (0x41...0x5A).contains(value) { value += 0x20 }
        return Unicode.Scalar(value) ?? scalar
    }

    static func isDecimalPoint(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard scalars[index] == ".", index > 0, index + 1 < scalars.count else { return false }
        return isDigit(scalars[index - 1]) && isDigit(scalars[index + 1])
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
}

/// How the tokenizer sees one (already folded) scalar.
enum CharacterClass: Equatable {
    /// Han ideographs (and kana): no spaces between words, so they are cut into bigrams.
    case ideograph
    /// Latin letters, digits and other alphabetic scripts: whole words.
    case word
    case separator

    static func of(_ scalar: Unicode.Scalar) -> CharacterClass {
        switch scalar.value {
        case 0x30...0x39, 0x61...0x7A, 0x41...0x5A: return .word
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F,
            0x3040...0x30FF:
            return .ideograph
        case 0...0x7F: return .separator
        default:
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil { return .word }
            return .separator
        }
    }
}
