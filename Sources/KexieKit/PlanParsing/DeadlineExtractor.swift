/// Finds explicit deadline phrases (9月15日前, 6月底前, 年底前, 上半年, 三季度末, 截至10月31日) and dates
/// them in the plan's year. A bare date such as 5月30日 names an event or observance, not a deadline, so
/// it only counts inside a time-limit note (完成时限：5月30日).
enum DeadlineExtractor {
    static func deadlines(in c: [Character], year: Int?, lenient: Bool = false) -> [PlanDeadline] {
        guard let year else { return [] }
        var found: [PlanDeadline] = []
        var i = 0
        while i < c.count {
            if mayStartDeadline(c[i]), let (deadline, end) = read(c, at: i, planYear: year, lenient: lenient) {
                if !found.contains(deadline) { found.append(deadline) }
                i = max(end, i + 1)
            } else {
                i += 1
            }
        }
        return found
    }

    /// Cheap first-character test so the full reading runs only where a deadline can begin.
    private static func mayStartDeadline(_ ch: Character) -> Bool {
        if PlanCharacters.isArabicDigit(ch) || ChineseNumber.digitValue(ch) != nil { return true }
        switch PlanCharacters.code(ch) {
        case 0x5341, 0x622A, 0x4E0D, 0x6700, 0x4E0A, 0x4E0B, 0x5E74, 0x7B2C: return true  // 十 截 不 最 上 下 年 第
        default: return false
        }
    }

    private static func matches(_ c: [Character], _ at: Int, _ word: String) -> Bool {
        let w = Array(word)
        guard at >= 0, at + w.count <= c.count else { return false }
        for k in 0..<w.count where c[at + k] != w[k] { return false }
        return true
    }

    private static func beforeSuffix(_ c: [Character], _ at: Int) -> Int? {
        for word in ["之前", "以前", "为止", "前", "止"] where matches(c, at, word) { return at + word.count }
        return nil
    }

    /// A small integer (1–31) in Arabic or Chinese digits.
    private static func smallNumber(_ c: [Character], _ at: Int) -> (Int, Int)? {
        guard at < c.count else { return nil }
        if PlanCharacters.isArabicDigit(c[at]) {
            var e = at
            var n = 0
            while e < c.count, let d = PlanCharacters.arabicDigitValue(c[e]), e - at < 2 {
                n = n * 10 + d
                e += 1
            }
            if e < c.count, PlanCharacters.isArabicDigit(c[e]) { return nil }
            return (n, e)
        }
        guard let (value, end) = ChineseNumber.parse(c, from: at), value < 32, end - at <= 3 else { return nil }
        return (Int(value), end)
    }

    private static let tenDayPeriods: [(String, Int)] = [("上旬", 10), ("中旬", 20), ("下旬", 0)]
    private static let nextYearWords: Set<Character> = ["明", "次"]
    private static let thisYearWords: Set<Character> = ["今", "本", "当"]
    private static let yearEndWords: Set<Character> = ["底", "末", "终", "内"]
    private static let dayWords: Set<Character> = ["日", "号"]

    /// The year written right before `at` (2021年, 明年, 次年), and where that year phrase starts.
    private static func explicitYear(_ c: [Character], before at: Int, planYear: Int) -> (Int, Int)? {
        guard at >= 1, c[at - 1] == "年" else { return nil }
        if at >= 2, nextYearWords.contains(c[at - 2]) { return (planYear + 1, at - 2) }
        if at >= 2, thisYearWords.contains(c[at - 2]) { return (planYear, at - 2) }
        guard at >= 5 else { return nil }
        var y = 0
        for k in (at - 5)..<(at - 1) {
            guard let d = PlanCharacters.arabicDigitValue(c[k]) else { return nil }
            y = y * 10 + d
        }
        guard y >= 1990 && y <= 2100 else { return nil }
        return (y, at - 5)
    }

    private static func read(_ c: [Character], at i: Int, planYear: Int, lenient: Bool) -> (PlanDeadline, Int)? {
        // 截至/截止 10月31日: the prefix makes a bare date a deadline.
        var prefixStart: Int?
        var p = i
        for word in ["截至", "截止到", "截止", "不晚于", "最迟于", "最迟"] where matches(c, i, word) {
            prefixStart = i
            p = i + word.count
            break
        }
        if matches(c, p, "上半年") || matches(c, p, "下半年") {
            guard prefixStart == nil || true else { return nil }
            let (year, start) = explicitYear(c, before: p, planYear: planYear) ?? (planYear, p)
            let month = c[p] == "上" ? 6 : 12
            return make(c, start: prefixStart ?? start, end: p + 3, year: year, month: month, day: nil)
        }
        if c[p] == "年" && p + 1 < c.count {
            // 年底前, 2021年底, 年内 — but not 3年内 or 五年内, which are durations.
            let yearPhrase = explicitYear(c, before: p + 1, planYear: planYear)
            if yearPhrase == nil && p > 0 && (PlanCharacters.isArabicDigit(c[p - 1]) || ChineseNumber.isNumeral(c[p - 1])) {
                return nil
            }
            let next = c[p + 1]
            if yearEndWords.contains(next) {
                var end = p + 2
                if let after = beforeSuffix(c, end) { end = after }
                if next == "终" && end == p + 2 { return nil }  // 年终总结 is a report, not a deadline
                let start = prefixStart ?? yearPhrase?.1 ?? p
                return make(c, start: start, end: end, year: yearPhrase?.0 ?? planYear, month: 12, day: 31)
            }
            return nil
        }
        // (第)一季度(末)
        if let (q, e) = smallNumber(c, matches(c, p, "第") ? p + 1 : p), (1...4).contains(q), matches(c, e, "季度") {
            if p > 0, c[p - 1] == "每" { return nil }
            var end = e + 2
            if matches(c, end, "末") || matches(c, end, "底") { end += 1 }
            if let after = beforeSuffix(c, end) { end = after }
            let (year, start) = explicitYear(c, before: p, planYear: planYear) ?? (planYear, p)
            return make(c, start: prefixStart ?? start, end: end, year: year, month: q * 3, day: nil)
        }
        // M月…
        guard let (month, afterMonthNumber) = smallNumber(c, p), (1...12).contains(month), afterMonthNumber < c.count,
            c[afterMonthNumber] == "月"
        else { return nil }
        if p > 0, PlanCharacters.isArabicDigit(c[p - 1]) || ChineseNumber.isNumeral(c[p - 1]) || c[p - 1] == "个" { return nil }
        let (year, yearStart) = explicitYear(c, before: p, planYear: planYear) ?? (planYear, p)
        let start = prefixStart ?? yearStart
        var m = afterMonthNumber + 1
        if matches(c, m, "份") { m += 1 }
        if let (day, afterDay) = smallNumber(c, m), afterDay < c.count, dayWords.contains(c[afterDay]) {
            let end = afterDay + 1
            if let after = beforeSuffix(c, end) {
                return make(c, start: start, end: after, year: year, month: month, day: day)
            }
            if prefixStart != nil || lenient { return make(c, start: start, end: end, year: year, month: month, day: day) }
            return nil
        }
        if matches(c, m, "底") || matches(c, m, "末") {
            let end = beforeSuffix(c, m + 1) ?? (m + 1)
            return make(c, start: start, end: end, year: year, month: month, day: nil)
        }
        for (word, day) in tenDayPeriods where matches(c, m, word) {
            guard let end = beforeSuffix(c, m + 2) else {
                return lenient ? make(c, start: start, end: m + 2, year: year, month: month, day: day == 0 ? nil : day) : nil
            }
            return make(c, start: start, end: end, year: year, month: month, day: day == 0 ? nil : day)
        }
        if let end = beforeSuffix(c, m) {
            // 9月前: before September begins, i.e. by the end of August.
            let (y, mo) = month == 1 ? (year - 1, 12) : (year, month - 1)
            return make(c, start: start, end: end, year: y, month: mo, day: nil)
        }
        if lenient || prefixStart != nil { return make(c, start: start, end: m, year: year, month: month, day: nil) }
        return nil
    }

    /// `day` nil means the last day of the month.
    private static func make(_ c: [Character], start: Int, end: Int, year: Int, month: Int, day: Int?) -> (PlanDeadline, Int)? {
        let last = daysIn(month: month, year: year)
        let d = day ?? last
        guard (1...last).contains(d) else { return nil }
        let date = "\(year)-\(twoDigits(month))-\(twoDigits(d))"
        return (PlanDeadline(date: date, text: String(c[start..<end])), end)
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
