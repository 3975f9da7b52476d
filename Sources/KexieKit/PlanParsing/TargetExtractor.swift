/// Finds planned quantities (17场, 3万人, 1-2期, 50条以上, 十场, 两万人) in an item's text.
///
/// Plans are full of numbers that are not targets, so a number counts only when a counting unit follows
/// it directly, and never when it is a year (2021年), an ordinal (第33届, 十九届, 九次全会), an anniversary
/// (100周年), a date or observance (5月30日, 5·30, 6·18), part of a title or slogan (《…700问》,
/// “四个自信”, 两个维护), a policy name (1+N, 3+1), or an aside in parentheses without a hedge
/// （11个自贸港高新园区）.
enum TargetExtractor {
    /// Counting units, tried longest first. Money is kept apart because its multiplier is folded in.
    private static let units: [[Character]] = {
        let list: [String] = [
            "个百分点", "人次", "场次", "家次", "批次", "户次", "学时", "课时", "小时", "平方米", "平方公里", "公里", "千米",
            "美元", "元", "%", "％", "个", "场", "人", "名", "位", "项", "期", "次", "家", "所", "座", "篇", "部",
            "本", "册", "套", "件", "条", "支", "批", "处", "间", "台", "辆", "种", "类", "份", "门", "集", "首",
            "幅", "张", "块", "亩", "组", "队", "节", "讲", "堂", "轮", "户", "株", "米", "吨", "字", "册", "校",
        ]
        return list.map { Array($0) }.sorted { $0.count > $1.count }
    }()

    /// Characters that, right after a unit, turn it into part of another word: 人才, 期间, 家庭, 部门 …
    private static let wordContinuations: [String: String] = [
        "人": "才员士民群物文工大口均格生类体事力选",
        "期": "间刊限末满待望盼货中初",
        "家": "庭园乡属长族国居",
        "个": "性体人别案",
        "部": "门署分长委署队位",
        "名": "单称录义牌片师誉额",
        "项": "目",
        "本": "地级土科领职质着届年单",
        "台": "湾港账风阶",
        "种": "业子植养苗",
        "类": "型似别",
        "元": "素旦宵化年首",
        "条": "件例款线",
        "处": "理于室长置级",
        "门": "户类槛口诊",
        "集": "团中成聚群体约",
        "支": "持部出撑援柱",
        "所": "有以属在谓得",
        "场": "所馆地景合域景面主",
        "批": "示复准评判",
        "篇": "章",
        "座": "谈",
        "份": "额子",
        "次": "序要级生全会代",
        "节": "目点约日能奏",
        "队": "伍员",
        "组": "织成建合长团",
        "位": "置于",
        "堂": "课",
        "讲": "座话解师堂",
        "字": "号化",
        "米": "粮",
        "户": "外籍口",
        "校": "园长外内企地友区际",
        "间": "隔",
        "首": "批届次席都创",
        "轮": "训",
    ]

    /// Slogans written with a numeral and 个/种/项 that name policies, not quantities.
    private static let sloganWords: [String] = [
        "两个维护", "两个确立", "四个意识", "四个自信", "四个全面", "四个服务", "四个面向", "三个表率", "三个代表", "两个覆盖",
        "两个一百年", "五个一", "两个大局", "三个务必", "四个伟大", "四种形态", "两个毫不动摇", "三个转变", "八项规定", "四个坚持",
        "三个一", "一个中心", "两个基本点", "三种", "五大发展", "两个结合", "三个有利于",
    ]
    private static let slogans: [[Character]] = sloganWords.map { Array($0) }

    private static let prefixQualifierWords: [String] = [
        "不少于", "不低于", "不超过", "不多于", "不高于", "不下于", "超过", "多于", "至少", "大约", "将近", "突破", "逾", "近", "约",
        "达", "共", "累计",
    ]
    private static let prefixQualifiers: [[Character]] = prefixQualifierWords.map { Array($0) }
    /// Qualifiers that are only context words, kept out of the JSON because they do not hedge the value.
    private static let neutralPrefixes: Set<String> = ["达", "共", "累计"]

    private static let suffixQualifierWords: [String] = ["及以上", "以上", "左右", "以内", "以下", "之内", "上下"]
    private static let suffixQualifiers: [[Character]] = suffixQualifierWords.map { Array($0) }

    private static let infixQualifiers: Set<Character> = ["余", "多"]
    /// What before a number makes it an ordinal (第), a code (〔2020〕), a date (5·30) or a formula (3+1).
    private static let notAfter: Set<Character> = ["第", "+", "＋", "·", "•", "・", "届", "〔", "["]
    private static let notBefore: Set<Character> = ["+", "＋", "·", "•", "・"]

    private static let rangeSeparators: Set<Character> = ["-", "－", "–", "—", "～", "~", "〜", "至", "到"]

    static func targets(in c: [Character], excluding excluded: [Range<Int>] = []) -> [PlanTarget] {
        let context = Masks(c, excluded: excluded)
        var found: [PlanTarget] = []
        var i = 0
        while i < c.count {
            guard isNumberStart(c, i), !context.hidden[i] else {
                i += 1
                continue
            }
            if let (target, end) = read(c, at: i, context: context) {
                if !found.contains(target) { found.append(target) }
                i = end
            } else {
                i += 1
                while i < c.count, isNumeralCharacter(c[i]) || c[i] == "." { i += 1 }
            }
        }
        return found
    }

    private static func isNumeralCharacter(_ ch: Character) -> Bool {
        PlanCharacters.isArabicDigit(ch) || ChineseNumber.isNumeral(ch)
    }

    private static func isNumberStart(_ c: [Character], _ i: Int) -> Bool {
        let ch = c[i]
        let isStart =
            PlanCharacters.isArabicDigit(ch) || ChineseNumber.digitValue(ch) != nil || ch == "十"
            || (ch == "百" && i + 2 < c.count && c[i + 1] == "分" && c[i + 2] == "之")
        guard isStart else { return false }
        if i > 0 {
            let before = c[i - 1]
            if isNumeralCharacter(before) || PlanCharacters.isDecimalPoint(before) { return false }
        }
        return true
    }

    private struct Masks {
        /// Inside titles, quotes or excluded notes: never a target.
        var hidden: [Bool]
        /// Inside an ordinary parenthesis: a target only with a hedge such as 以上.
        var aside: [Bool]

        init(_ c: [Character], excluded: [Range<Int>]) {
            hidden = Array(repeating: false, count: c.count)
            aside = Array(repeating: false, count: c.count)
            for range in excluded {
                for k in range where k < c.count { hidden[k] = true }
            }
            var i = 0
            while i < c.count {
                if let family = PlanCharacters.openingFamily(c[i]), c[i] != "\"",
                    let close = PlanCharacters.matchingClose(in: c, openingAt: i)
                {
                    switch family {
                    case .title, .quote:
                        for k in i...close { hidden[k] = true }
                        i = close + 1
                        continue
                    case .round:
                        for k in i...close { aside[k] = true }
                    default: break
                    }
                }
                i += 1
            }
        }
    }

    private static func matches(_ c: [Character], _ at: Int, _ word: [Character]) -> Bool {
        guard at >= 0, at + word.count <= c.count else { return false }
        for k in 0..<word.count where c[at + k] != word[k] { return false }
        return true
    }

    /// A number with an optional 万/亿 (or 千) multiplier and an optional 余/多 after it.
    private struct Quantity {
        var value: Double
        var end: Int
        var multiplier: Double = 1
        var infix: String?
        var isChinese: Bool
        var singleChineseDigit: Bool = false
        var fourDigits: Bool = false
    }

    private static func readQuantity(_ c: [Character], at i: Int) -> Quantity? {
        var q: Quantity
        if PlanCharacters.isArabicDigit(c[i]) {
            guard let (value, end, digits) = ChineseNumber.parseArabic(c, from: i) else { return nil }
            q = Quantity(value: value, end: end, isChinese: false)
            q.fourDigits = digits >= 4 && value == value.rounded()
        } else {
            guard let (value, end) = ChineseNumber.parse(c, from: i) else { return nil }
            q = Quantity(value: value, end: end, isChinese: true)
            q.singleChineseDigit = end == i + 1 && ChineseNumber.digitValue(c[i]) != nil
        }
        if q.end < c.count, !q.isChinese {
            switch c[q.end] {
            case "万": q.multiplier = 10_000
            case "亿": q.multiplier = 100_000_000
            case "千": q.multiplier = 1000
            default: break
            }
            if q.multiplier != 1 { q.end += 1 }
        }
        if q.end < c.count, infixQualifiers.contains(c[q.end]) {
            q.infix = String(c[q.end])
            q.end += 1
            // 3万余人: the multiplier may also follow 余 (十余万人).
            if q.end < c.count, c[q.end] == "万" { q.multiplier *= 10_000; q.end += 1 }
        }
        return q
    }

    private static func read(_ c: [Character], at start: Int, context: Masks) -> (PlanTarget, Int)? {
        // 百分之二十
        if c[start] == "百" {
            guard let (value, end) = ChineseNumber.parse(c, from: start + 3) else { return nil }
            return finish(c, start: start, value: value, upTo: nil, infix: nil, unit: "%", unitEnd: end, context: context)
        }
        guard var first = readQuantity(c, at: start) else { return nil }
        // Years, ordinals, slogans and codes are recognised from what stands right before the number.
        if start > 0 {
            let before = c[start - 1]
            if notAfter.contains(before) || PlanCharacters.isASCIILetter(before) {
                return nil
            }
        }
        if first.isChinese, slogans.contains(where: { matches(c, start, $0) }) { return nil }
        var upTo: Double?
        var cursor = first.end
        if cursor < c.count, PlanCharacters.isArabicDigit(c[cursor]) == false, first.isChinese, first.singleChineseDigit,
            cursor < c.count, let d = ChineseNumber.digitValue(c[cursor]), Double(d) > first.value
        {
            // 两三个, 三五场: adjacent digits give a range.
            upTo = Double(d)
            cursor += 1
        } else if cursor < c.count, first.isChinese, ChineseNumber.digitValue(c[cursor]) != nil {
            return nil  // 二〇二〇 and the like
        } else if cursor + 1 < c.count, rangeSeparators.contains(c[cursor]), first.infix == nil {
            let secondStart = cursor + 1
            if PlanCharacters.isArabicDigit(c[secondStart]) || ChineseNumber.digitValue(c[secondStart]) != nil
                || c[secondStart] == "十", let second = readQuantity(c, at: secondStart)
            {
                if first.multiplier == 1 && second.multiplier != 1 { first.multiplier = second.multiplier }
                upTo = second.value * second.multiplier
                first.infix = second.infix
                cursor = second.end
            }
        }
        if cursor < c.count, notBefore.contains(c[cursor]) || PlanCharacters.isASCIILetter(c[cursor]) {
            return nil
        }
        if first.singleChineseDigit && first.value == 1 && upTo == nil && first.multiplier == 1 {
            return nil  // 一批, 一线, 一公里: 一 is an article here far more often than a planned count
        }
        guard let unit = units.first(where: { matches(c, cursor, $0) }) else { return nil }
        let unitText = String(unit)
        let unitEnd = cursor + unit.count
        if first.fourDigits && upTo == nil && first.multiplier == 1 && unitText != "%" && unitText != "％"
            && unitText != "元" && unitText != "人" && unitText != "人次"
        {
            return nil  // 2020个 is unlikely; 2020 followed by a unit-like character is a year-named event
        }
        if unitEnd < c.count, let continuations = wordContinuations[unitText], continuations.contains(c[unitEnd]) {
            return nil
        }
        if unitText == "次", matches(c, unitEnd, Array("全会")) || matches(c, unitEnd, Array("全体")) {
            return nil
        }
        let value = first.value * first.multiplier
        if let top = upTo, first.multiplier != 1, top < value { upTo = top * first.multiplier }
        if upTo != nil && upTo! <= value { upTo = nil }
        let finalUnit = unitText == "％" ? "%" : unitText
        return finish(
            c, start: start, value: value, upTo: upTo, infix: first.infix, unit: finalUnit, unitEnd: unitEnd,
            context: context)
    }

    private static func finish(
        _ c: [Character], start: Int, value: Double, upTo: Double?, infix: String?, unit: String, unitEnd: Int,
        context: Masks
    ) -> (PlanTarget, Int)? {
        var qualifier = infix
        var end = unitEnd
        if let suffix = suffixQualifiers.first(where: { matches(c, unitEnd, $0) }) {
            qualifier = String(suffix)
            end += suffix.count
        }
        if qualifier == nil {
            var p = start
            while p > 0, PlanCharacters.isSpace(c[p - 1]) { p -= 1 }
            if let prefix = prefixQualifiers.first(where: { matches(c, p - $0.count, $0) }) {
                let word = String(prefix)
                if !neutralPrefixes.contains(word) { qualifier = word }
            }
        }
        if context.aside[start] && qualifier == nil { return nil }
        let target = PlanTarget(value: value, upTo: upTo, qualifier: qualifier, unit: unit, text: clause(c, around: start))
        return (target, end)
    }

    /// The clause around position `i`, bounded by ，。；： outside quotes and brackets, without an
    /// inline 一是/二是 marker at its start.
    static func clause(_ c: [Character], around i: Int) -> String {
        var depth = 0
        var s = i
        while s > 0 {
            let ch = c[s - 1]
            if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && PlanCharacters.endsClause(ch) {
                break
            }
            s -= 1
        }
        depth = 0
        var e = i
        while e < c.count {
            let ch = c[e]
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && PlanCharacters.endsClause(ch) {
                break
            }
            e += 1
        }
        var slice = PlanCharacters.trimmed(c[s..<e])
        if slice.count > 2, let marker = ItemLabel.parse(Array(slice)), marker.style == .ordinalIs {
            slice = slice.dropFirst(marker.bodyStart)
        }
        return String(slice)
    }
}
