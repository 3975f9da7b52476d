/// Reads numbers written with Chinese numerals (十二, 两万, 一百零五, 三千五百) and Arabic digits.
enum ChineseNumber {
    /// Value of a single Chinese digit; 两 counts as 2 (两万人), 〇/零 as 0.
    static func digitValue(_ c: Character) -> Int? {
        switch PlanCharacters.code(c) {
        case 0x96F6, 0x3007: return 0  // 零 〇
        case 0x4E00, 0x58F9: return 1  // 一 壹
        case 0x4E8C, 0x4E24, 0x8D30: return 2  // 二 两 贰
        case 0x4E09, 0x53C1: return 3  // 三 叁
        case 0x56DB, 0x8086: return 4  // 四 肆
        case 0x4E94, 0x4F0D: return 5  // 五 伍
        case 0x516D, 0x9646: return 6  // 六 陆
        case 0x4E03, 0x67D2: return 7  // 七 柒
        case 0x516B, 0x634C: return 8  // 八 捌
        case 0x4E5D, 0x7396: return 9  // 九 玖
        default: return nil
        }
    }

    static func multiplier(_ c: Character) -> Double? {
        switch PlanCharacters.code(c) {
        case 0x5341, 0x62FE: return 10  // 十 拾
        case 0x767E, 0x4F70: return 100  // 百 佰
        case 0x5343, 0x4EDF: return 1000  // 千 仟
        case 0x4E07: return 10_000  // 万
        case 0x4EBF: return 100_000_000  // 亿
        default: return nil
        }
    }

    static func isNumeral(_ c: Character) -> Bool {
        digitValue(c) != nil || multiplier(c) != nil
    }

    /// Parses a Chinese numeral starting at `start`. It must begin with a digit or 十, so that words such
    /// as 百万人才 or 千乡万村 are not read as quantities. Two digits in a row end the number, because
    /// 两三个 is a range and 二〇二〇 a year, neither of which this function decides.
    /// - Returns: the value and the index just past the numeral.
    static func parse(_ chars: [Character], from start: Int) -> (value: Double, end: Int)? {
        guard start < chars.count else { return nil }
        let first = chars[start]
        guard digitValue(first) != nil || multiplier(first) == 10 else { return nil }
        var total: Double = 0
        var section: Double = 0
        var pending: Double = 0
        var lastWasDigit = false
        var i = start
        while i < chars.count {
            let c = chars[i]
            if let d = digitValue(c) {
                if lastWasDigit { break }
                pending = Double(d)
                // 零 only holds a place (一百零五), so the digit after it still belongs to the number.
                lastWasDigit = d != 0
            } else if let m = multiplier(c) {
                switch m {
                case 10_000, 100_000_000:
                    let chunk = section + pending
                    guard chunk > 0 || total > 0 else { return nil }
                    if m == 10_000 {
                        total += chunk * m
                    } else {
                        total = (total + chunk) * m
                    }
                    section = 0
                default:
                    section += (pending == 0 && !lastWasDigit ? 1 : pending) * m
                }
                pending = 0
                lastWasDigit = false
            } else {
                break
            }
            i += 1
        }
        guard i > start else { return nil }
        return (total + section + pending, i)
    }

    /// Parses Arabic digits (ASCII or full width) with an optional decimal part and thousands commas.
    static func parseArabic(_ chars: [Character], from start: Int) -> (value: Double, end: Int, digits: Int)? {
        var i = start
        var integer: Double = 0
        var digits = 0
        while i < chars.count {
            if let d = PlanCharacters.arabicDigitValue(chars[i]) {
                integer = integer * 10 + Double(d)
                digits += 1
                i += 1
            } else if chars[i] == "," && digits > 0 && i + 3 < chars.count
                && (1...3).allSatisfy({ PlanCharacters.isArabicDigit(chars[i + $0]) })
                && !(i + 4 < chars.count && PlanCharacters.isArabicDigit(chars[i + 4]))
            {
                i += 1  // 10,000 — a half-width comma between digit groups of three
            } else {
                break
            }
        }
        guard digits > 0 else { return nil }
        if i + 1 < chars.count, PlanCharacters.isDecimalPoint(chars[i]),
            let _ = PlanCharacters.arabicDigitValue(chars[i + 1])
        {
            var fraction: Double = 0
            var scale: Double = 1
            var j = i + 1
            while j < chars.count, let d = PlanCharacters.arabicDigitValue(chars[j]) {
                fraction = fraction * 10 + Double(d)
                scale *= 10
                j += 1
            }
            return (integer + fraction / scale, j, digits)
        }
        return (integer, i, digits)
    }
}
