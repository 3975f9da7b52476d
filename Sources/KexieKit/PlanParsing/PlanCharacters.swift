/// Character classes shared by the plan parser. Plans mix full- and half-width punctuation freely
/// (often inside one line), so every test here accepts both forms.
enum PlanCharacters {
    // Sets rather than chains of `==`: long chains of literal comparisons make the type checker crawl.
    private static let extraSpaces: Set<Character> = ["\u{3000}", "\u{FEFF}", "\u{200B}", "\u{00A0}"]
    private static let sentenceEnders: Set<Character> = ["。", "！", "？", "!", "?", "；", ";"]
    private static let clauseEnders: Set<Character> = sentenceEnders.union(["，", ",", "：", ":", "\n"])
    private static let colons: Set<Character> = ["：", ":", "︰"]
    private static let listSeparators: Set<Character> = ["、", "，", ",", "；", ";", "､"]
    private static let trailingMarks: Set<Character> = sentenceEnders.union(["，", ",", "：", ":", "︰", "、", ".", "．"])

    static func isSpace(_ c: Character) -> Bool {
        c.isWhitespace || extraSpaces.contains(c)
    }

    static func isArabicDigit(_ c: Character) -> Bool {
        arabicDigitValue(c) != nil
    }

    /// 0–9 in ASCII or full width (０–９).
    static func arabicDigitValue(_ c: Character) -> Int? {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0xFF10...0xFF19: return Int(scalar.value - 0xFF10)
        default: return nil
        }
    }

    static func isDecimalPoint(_ c: Character) -> Bool { c == "." || c == "．" }

    static func isASCIILetter(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return (a >= 65 && a <= 90) || (a >= 97 && a <= 122)
    }

    /// Marks that end a sentence for the purpose of taking a heading.
    static func endsSentence(_ c: Character) -> Bool {
        sentenceEnders.contains(c)
    }

    /// Marks that bound the clause a target is quoted in.
    static func endsClause(_ c: Character) -> Bool {
        clauseEnders.contains(c)
    }

    static func isListSeparator(_ c: Character) -> Bool {
        listSeparators.contains(c)
    }

    static func isColon(_ c: Character) -> Bool { colons.contains(c) }

    /// The first scalar's value: comparing integers is far cheaper than comparing `Character`s, which
    /// matters because every character of a plan passes through these tests several times.
    @inline(__always)
    static func code(_ c: Character) -> UInt32 {
        c.unicodeScalars.first?.value ?? 0
    }

    /// Which bracket family a character opens, if any. Round brackets of either width close each other
    /// because real plans contain pairs like "(省教育厅）".
    static func openingFamily(_ c: Character) -> BracketFamily? {
        switch code(c) {
        case 0xFF08, 0x28, 0xFE59: return .round  // （ ( ﹙
        case 0x3010, 0x5B, 0xFF3B, 0x3014, 0x3016: return .square  // 【 [ ［ 〔 〖
        case 0x300A, 0x3008: return .title  // 《 〈
        case 0x201C, 0x2018, 0x300C, 0x300E, 0x22: return .quote  // “ ‘ 「 『 "
        case 0x7B, 0xFF5B: return .curly
        default: return nil
        }
    }

    static func closingFamily(_ c: Character) -> BracketFamily? {
        switch code(c) {
        case 0xFF09, 0x29, 0xFE5A: return .round  // ） ) ﹚
        case 0x3011, 0x5D, 0xFF3D, 0x3015, 0x3017: return .square  // 】 ] ］ 〕 〗
        case 0x300B, 0x3009: return .title  // 》 〉
        case 0x201D, 0x2019, 0x300D, 0x300F, 0x22: return .quote  // ” ’ 」 』 "
        case 0x7D, 0xFF5D: return .curly
        default: return nil
        }
    }

    enum BracketFamily: Sendable {
        case round, square, title, quote, curly
    }

    static func trimmed(_ chars: ArraySlice<Character>) -> ArraySlice<Character> {
        var slice = chars
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
    }

    static func trimmed(_ text: String) -> String {
        String(trimmed(ArraySlice(Array(text))))
    }

    /// Drops trailing sentence marks and spaces: "加强理论学习。" → "加强理论学习".
    static func withoutTrailingMarks(_ chars: ArraySlice<Character>) -> ArraySlice<Character> {
        var slice = trimmed(chars)
        while let last = slice.last, trailingMarks.contains(last) || isSpace(last) {
            slice = slice.dropLast()
        }
        return slice
    }

    /// Index of the bracket closing the one opened at `start`, or nil if it is never closed.
    static func matchingClose(in chars: [Character], openingAt start: Int) -> Int? {
        guard let family = openingFamily(chars[start]) else { return nil }
        var depth = 0
        var i = start
        while i < chars.count {
            let c = chars[i]
            // Straight double quotes open and close alike, so they are only ever a closer here.
            if family == .quote && i > start && closingFamily(c) == .quote {
                if depth == 1 { return i }
                depth -= 1
            } else if openingFamily(c) == family {
                depth += 1
            } else if closingFamily(c) == family {
                depth -= 1
                if depth == 0 { return i }
            }
            i += 1
        }
        return nil
    }

    /// Index of the bracket opening the one closed at `end`, scanning backwards.
    static func matchingOpen(in chars: [Character], closingAt end: Int) -> Int? {
        guard let family = closingFamily(chars[end]) else { return nil }
        var depth = 0
        var i = end
        while i >= 0 {
            let c = chars[i]
            let straightQuoteOpener = family == .quote && i < end && c == "\""
            if closingFamily(c) == family && !straightQuoteOpener {
                depth += 1
            } else if openingFamily(c) == family {
                depth -= 1
                if depth == 0 { return i }
            }
            i -= 1
        }
        return nil
    }
}
