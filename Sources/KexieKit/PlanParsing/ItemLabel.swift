/// How an item is numbered. The outline builder learns the depth of each style from the order in which
/// they appear, because provinces nest them differently (1. directly under 一、 in one plan, under
/// （一） in another).
enum LabelStyle: Hashable, Sendable {
    case chineseComma  // 一、 一．
    case chineseParen  // （一） (一)
    case arabicDot  // 1. 1．
    case arabicComma  // 1、
    case arabicParen  // （1） (1)
    case arabicHalfParen  // 1） 1)
    case circled  // ① ⑴ ⒈
    case ordinalIs  // 一是 at the start of a paragraph
    case dash  // —— at the start of a paragraph
    case part  // 第一部分 第一章 第一节

    /// Styles that a careless author writes in place of this one. "（4）" after "（三）" or "4、" after
    /// "三、" are the same level with the wrong digits, which numbering continuity can tell.
    var standIns: [LabelStyle] {
        switch self {
        case .arabicParen: return [.chineseParen, .arabicHalfParen]
        case .chineseParen: return [.arabicParen]
        case .arabicComma: return [.chineseComma, .arabicDot]
        case .arabicDot: return [.arabicComma]
        case .chineseComma: return [.arabicComma]
        case .arabicHalfParen: return [.arabicParen]
        default: return []
        }
    }
}

/// The numbering at the start of a paragraph.
struct ItemLabel: Equatable, Sendable {
    var style: LabelStyle
    /// The label as written, without surrounding spaces: "（一）", "1.", "——".
    var text: String
    /// 1 for 一、/（一）/1./①; nil for —— which has no number.
    var number: Int?
    /// Index in the paragraph where the item's own text starts.
    var bodyStart: Int

    /// Recognises a label at the start of `chars` (leading spaces allowed).
    static func parse(_ chars: [Character]) -> ItemLabel? {
        var start = 0
        while start < chars.count, PlanCharacters.isSpace(chars[start]) { start += 1 }
        guard start < chars.count else { return nil }
        guard let (style, number, end) = match(chars, at: start) else { return nil }
        var body = end
        while body < chars.count, PlanCharacters.isSpace(chars[body]) || chars[body] == "、" { body += 1 }
        // A label with nothing after it is a stray number, not an item.
        guard body < chars.count else { return nil }
        return ItemLabel(style: style, text: String(chars[start..<end]), number: number, bodyStart: body)
    }

    private static func match(_ c: [Character], at s: Int) -> (LabelStyle, Int?, Int)? {
        let first = c[s]
        // ① … ⑳, ⑴ … ⒇, ⒈ … ⒛
        if let scalar = first.unicodeScalars.first {
            switch scalar.value {
            case 0x2460...0x2473: return (.circled, Int(scalar.value - 0x2460 + 1), s + 1)
            case 0x2474...0x2487: return (.circled, Int(scalar.value - 0x2474 + 1), s + 1)
            case 0x2488...0x249B: return (.circled, Int(scalar.value - 0x2488 + 1), s + 1)
            default: break
            }
        }
        if isDash(first) {
            var e = s
            while e < c.count, isDash(c[e]) { e += 1 }
            return e - s >= 2 ? (.dash, nil, e) : nil
        }
        if PlanCharacters.openingFamily(first) == .round {
            let inner = s + 1
            if let (n, e) = chineseInteger(c, inner), e < c.count, PlanCharacters.closingFamily(c[e]) == .round {
                return (.chineseParen, n, e + 1)
            }
            if let (n, e) = arabicInteger(c, inner), e < c.count, PlanCharacters.closingFamily(c[e]) == .round {
                return (.arabicParen, n, e + 1)
            }
            return nil
        }
        if first == "第" {
            guard let (n, e) = chineseInteger(c, s + 1) ?? arabicInteger(c, s + 1) else { return nil }
            for word in ["部分", "章", "节", "篇"] {
                let w = Array(word)
                if e + w.count <= c.count, Array(c[e..<(e + w.count)]) == w { return (.part, n, e + w.count) }
            }
            return nil
        }
        if let (n, e) = arabicInteger(c, s), e < c.count {
            let mark = c[e]
            let next: Character? = e + 1 < c.count ? c[e + 1] : nil
            switch mark {
            case ".", "．":
                // 1.5万人 and 2020.5 are numbers, not labels.
                if let next, PlanCharacters.isArabicDigit(next) { return nil }
                return (.arabicDot, n, e + 1)
            case "、": return (.arabicComma, n, e + 1)
            case ")", "）": return (.arabicHalfParen, n, e + 1)
            default: return nil
            }
        }
        if let (n, e) = chineseInteger(c, s), e < c.count {
            switch c[e] {
            case "、", "．": return (.chineseComma, n, e + 1)
            case ".":
                if e + 1 < c.count, PlanCharacters.isArabicDigit(c[e + 1]) { return nil }
                return (.chineseComma, n, e + 1)
            case "是":
                // 一是 must be followed by the text of the part, not by punctuation (一是一，二是二).
                guard e + 1 < c.count, !PlanCharacters.endsClause(c[e + 1]) else { return nil }
                return (.ordinalIs, n, e + 1)
            default: return nil
            }
        }
        return nil
    }

    private static let dashes: Set<Character> = ["—", "―", "－", "─", "-", "–"]

    static func isDash(_ c: Character) -> Bool {
        dashes.contains(c)
    }

    /// 1 to 3 Arabic digits; more is a year or a phone number.
    static func arabicInteger(_ c: [Character], _ s: Int) -> (Int, Int)? {
        var e = s
        var n = 0
        while e < c.count, e - s < 4, let d = PlanCharacters.arabicDigitValue(c[e]) {
            n = n * 10 + d
            e += 1
        }
        guard e > s, e - s <= 3, n > 0 else { return nil }
        return (n, e)
    }

    /// A small Chinese numeral (一 … 九十九) as used in labels.
    static func chineseInteger(_ c: [Character], _ s: Int) -> (Int, Int)? {
        var e = s
        while e < c.count, e - s < 4, ChineseNumber.digitValue(c[e]) != nil || c[e] == "十" { e += 1 }
        guard e > s, e - s <= 3, let parsed = ChineseNumber.parse(Array(c[s..<e]), from: 0),
            parsed.end == e - s, parsed.value >= 1, parsed.value < 100
        else { return nil }
        return (Int(parsed.value), e)
    }
}
