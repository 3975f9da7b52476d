/// Turns plain text into paragraphs and recognises the page furniture around a plan.
enum SourceText {
    /// Lines become paragraphs; a line is glued to the one above when that one was evidently cut by a
    /// hard wrap (it is long or leaves a bracket open, ends without a closing mark, and the next line
    /// starts no new item). Plans copied out of PDFs and web pages are wrapped like that.
    static func paragraphs(from text: String) -> [SourceParagraph] {
        var result: [SourceParagraph] = []
        var previousWasBlank = true
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for rawLine in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = PlanCharacters.trimmed(withoutConverterMarks(String(rawLine)))
            if line.isEmpty {
                previousWasBlank = true
                continue
            }
            let chars = Array(line)
            if !previousWasBlank, let last = result.last, ItemLabel.parse(chars) == nil, looksCut(Array(last.text)) {
                result[result.count - 1].text += line
            } else {
                result.append(SourceParagraph(text: line, boldLead: nil))
            }
            previousWasBlank = false
        }
        return result
    }

    private static func looksCut(_ c: [Character]) -> Bool {
        guard let last = c.last else { return false }
        if PlanCharacters.endsSentence(last) || PlanCharacters.isColon(last) || PlanCharacters.closingFamily(last) != nil {
            return false
        }
        return c.count >= 20 || hasOpenBracket(c)
    }

    private static func hasOpenBracket(_ c: [Character]) -> Bool {
        var depth = 0
        for ch in c where ch != "\"" {
            if PlanCharacters.openingFamily(ch) != nil {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil {
                depth = max(0, depth - 1)
            }
        }
        return depth > 0
    }

    /// Markers left by document converters, such as "[bookmark: _GoBack]".
    static func withoutConverterMarks(_ line: String) -> String {
        guard line.contains("[bookmark:") else { return line }
        var out = line
        while let start = out.range(of: "[bookmark:"), let end = out[start.upperBound...].firstIndex(of: "]") {
            out.removeSubrange(start.lowerBound...end)
        }
        return out
    }

    private static let furniture = [
        "您当前的位置", "当前位置：", "当前位置:", "返回顶部", "版权所有", "主办单位", "技术支持", "ICP", "备案号", "网站备案",
        "联系电话", "联系邮箱", "邮编：", "邮编:", "发布时间", "浏览次数", "阅读次数", "点击数", "打印本页", "关闭窗口", "【打印】",
        "【关闭】", "分享到", "上一篇", "下一篇", "字号：", "字号:", "扫一扫", "责任编辑", "抄送：", "抄送:",
    ]

    /// Web-page and letterhead lines (navigation, copyright, contact, distribution) that are not plan text.
    static func isFurniture(_ line: String) -> Bool {
        guard line.count < 100 else { return false }
        if furniture.contains(where: { line.contains($0) }) { return true }
        if line.hasPrefix("来源") || (line.contains("来源") && line.contains("时间")) { return true }
        if line.hasSuffix("印发") && line.contains("年") { return true }
        return false
    }

    /// "附件", "附件：", "附件1" after the items: what follows is an attachment, not the plan.
    static func startsAttachment(_ line: String) -> Bool {
        guard line.hasPrefix("附件") || line.hasPrefix("附表") else { return false }
        let rest = line.dropFirst(2)
        guard let next = rest.first else { return true }
        return PlanCharacters.isColon(next) || PlanCharacters.isArabicDigit(next) || ChineseNumber.digitValue(next) != nil
            || PlanCharacters.isSpace(next)
    }
}

/// Finds the plan's title and year among the lines before the first item.
enum TitleFinder {
    private static let planWords = [
        "要点", "计划", "方案", "安排", "任务", "清单", "规划", "打算", "思路", "重点", "意见", "措施",
        "分工",
    ]

    struct Result {
        var title: String
        /// Index of the title's own paragraph; items start after it.
        var paragraphIndex: Int?
        var year: Int?
    }

    static func find(in paragraphs: [SourceParagraph]) -> Result {
        var noticeTitle: String?
        var fallback: String?
        var standalone: (String, Int)?
        for (index, paragraph) in paragraphs.prefix(60).enumerated() {
            let line = PlanCharacters.trimmed(paragraph.text)
            if line.isEmpty || SourceText.isFurniture(line) { continue }
            if ItemLabel.parse(Array(line)) != nil { break }
            if noticeTitle == nil, let inner = noticeInner(line) { noticeTitle = inner }
            if fallback == nil, line.count <= 60, let last = line.last, !PlanCharacters.endsSentence(last),
                !PlanCharacters.isColon(last)
            {
                fallback = line
            }
            if standalone == nil, isTitleLike(line) {
                standalone = (stripTitleMarks(line), index)
            }
        }
        let title = standalone?.0 ?? noticeTitle ?? fallback ?? ""
        var year = firstYear(in: title)
        if year == nil, let notice = noticeTitle { year = firstYear(in: notice) }
        if year == nil {
            for paragraph in paragraphs.prefix(20) {
                if let y = firstYear(in: paragraph.text, requireNian: true) { year = y; break }
            }
        }
        return Result(title: title, paragraphIndex: standalone?.1, year: year)
    }

    private static func isTitleLike(_ line: String) -> Bool {
        guard line.count >= 4 && line.count <= 60 else { return false }
        guard let first = line.first, let last = line.last else { return false }
        if PlanCharacters.openingFamily(first) == .round { return false }
        if PlanCharacters.endsClause(last) { return false }
        if line.contains("通知") || line.hasPrefix("关于印发") || line.contains("：") || line.contains(":") { return false }
        return planWords.contains(where: { line.contains($0) })
    }

    private static func stripTitleMarks(_ line: String) -> String {
        var s = line
        if s.hasPrefix("《") && s.hasSuffix("》") { s = String(s.dropFirst().dropLast()) }
        return PlanCharacters.trimmed(s)
    }

    /// "关于印发《X》的通知" → X.
    private static func noticeInner(_ line: String) -> String? {
        guard let start = line.range(of: "关于印发"), let end = line.range(of: "的通知", options: .backwards),
            start.upperBound <= end.lowerBound
        else { return nil }
        let inner = stripTitleMarks(String(line[start.upperBound..<end.lowerBound]))
        return inner.isEmpty ? nil : inner
    }

    /// The first plausible year (1990–2100) written with four digits.
    static func firstYear(in text: String, requireNian: Bool = false) -> Int? {
        let c = Array(text)
        var i = 0
        while i + 3 < c.count {
            if (i == 0 || !PlanCharacters.isArabicDigit(c[i - 1])),
                let (value, end, digits) = ChineseNumber.parseArabic(c, from: i), digits == 4, value >= 1990, value <= 2100,
                !requireNian || (end < c.count && c[end] == "年")
            {
                return Int(value)
            }
            i += 1
        }
        return nil
    }
}
