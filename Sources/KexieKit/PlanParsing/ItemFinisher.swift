/// Turns outline drafts into `PlanItem`s: reads notes, heading, targets and deadlines, and splits inline
/// 一是/二是 (or ①②) parts into sub-items.
struct ItemFinisher {
    var year: Int?
    /// Set when the plan says the first unit listed leads (排在第一位的为牵头单位).
    var firstListedLeads: Bool

    func finish(_ draft: OutlineBuilder.Draft, inheritedUnits: [String] = [], inheritedLead: [String] = []) -> PlanItem {
        let text = draft.paragraphs.joined(separator: "\n")
        let chars = Array(text)
        let notes = ResponsibilityNoteFinder.notes(in: chars)
        var lead: [String] = []
        var departments: [String] = []
        for note in notes {
            lead += note.lead
            departments += note.lead + note.responsible + note.supporting
        }
        departments = unique(departments)
        lead = unique(lead)
        if lead.isEmpty && firstListedLeads, let first = departments.first { lead = [first] }
        if departments.isEmpty {
            departments = inheritedUnits
            lead = inheritedLead
        }
        let noteRanges = notes.map(\.range)
        var deadlines = DeadlineExtractor.deadlines(in: chars, year: year)
        for timeText in notes.flatMap(\.timeTexts) {
            for deadline in DeadlineExtractor.deadlines(in: Array(timeText), year: year, lenient: true)
            where !deadlines.contains(deadline) {
                deadlines.append(deadline)
            }
        }
        var item = PlanItem(
            label: draft.label?.text ?? "",
            heading: heading(chars, boldLead: draft.boldLead, label: draft.label, noteRanges: noteRanges),
            text: text,
            departments: departments,
            leadDepartments: lead,
            targets: TargetExtractor.targets(in: chars, excluding: noteRanges),
            deadlines: deadlines
        )
        item.children = InlineParts.find(in: chars, noteRanges: noteRanges).map { part in
            let partChars = Array(chars[part.bodyRange])
            return PlanItem(
                label: part.label,
                heading: heading(partChars, boldLead: nil, label: nil, noteRanges: []),
                text: String(PlanCharacters.trimmed(chars[part.range])),
                departments: departments,
                leadDepartments: lead,
                targets: TargetExtractor.targets(in: partChars),
                deadlines: DeadlineExtractor.deadlines(in: partChars, year: year)
            )
        }
        item.children += draft.children.map { finish($0, inheritedUnits: departments, inheritedLead: lead) }
        return item
    }

    private func unique(_ names: [String]) -> [String] {
        var seen: [String] = []
        for name in names where !seen.contains(name) { seen.append(name) }
        return seen
    }

    /// The bold lead phrase of a .docx paragraph when there is one, otherwise the first sentence, cut at
    /// 。；！？ or a colon outside brackets and quotes, and before any responsibility note.
    func heading(_ c: [Character], boldLead: String?, label: ItemLabel?, noteRanges: [Range<Int>]) -> String {
        if var bold = boldLead.map({ PlanCharacters.trimmed($0) }) {
            if let label, bold.hasPrefix(label.text) { bold = PlanCharacters.trimmed(String(bold.dropFirst(label.text.count))) }
            if bold.hasPrefix("、") || bold.hasPrefix(".") { bold = String(bold.dropFirst()) }
            let phrase = String(PlanCharacters.withoutTrailingMarks(ArraySlice(Array(bold))))
            if !phrase.isEmpty && phrase.count < c.count { return phrase }
        }
        var depth = 0
        var end = c.count
        let firstNote = noteRanges.map(\.lowerBound).min() ?? c.count
        var i = 0
        while i < c.count && i < firstNote {
            let ch = c[i]
            if ch == "\n" { end = i; break }
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                if PlanCharacters.endsSentence(ch) { end = i; break }
                if PlanCharacters.isColon(ch) && i >= 2 && !(i + 1 < c.count && PlanCharacters.isArabicDigit(c[i + 1])) {
                    end = i
                    break
                }
            }
            i += 1
        }
        end = min(end, firstNote)
        return String(PlanCharacters.withoutTrailingMarks(c[0..<end]))
    }
}

/// Inline enumerations inside one paragraph: 一是…；二是…；三是… or ①…②….
enum InlineParts {
    struct Part {
        var label: String
        /// From the marker to the next marker (or the note that closes the paragraph).
        var range: Range<Int>
        /// The same without the marker.
        var bodyRange: Range<Int>
    }

    private struct Marker {
        var number: Int
        var start: Int
        var bodyStart: Int
        var circled: Bool
    }

    static func find(in c: [Character], noteRanges: [Range<Int>]) -> [Part] {
        var markers: [Marker] = []
        var depth = 0
        var i = 0
        while i < c.count {
            let ch = c[i]
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" { depth += 1; i += 1; continue }
            if PlanCharacters.closingFamily(ch) != nil && ch != "\"" { depth = max(0, depth - 1); i += 1; continue }
            let atBoundary = i == 0 || PlanCharacters.endsClause(c[i - 1]) || PlanCharacters.isSpace(c[i - 1])
            if depth == 0 && atBoundary, let marker = marker(c, at: i) {
                markers.append(marker)
                i = marker.bodyStart
                continue
            }
            i += 1
        }
        // Keep only runs numbered 1, 2, 3 … of at least two markers of one kind.
        var kept: [Marker] = []
        var run: [Marker] = []
        func closeRun() {
            if run.count >= 2 { kept += run }
            run = []
        }
        for marker in markers {
            if let last = run.last, marker.circled == last.circled, marker.number == last.number + 1 {
                run.append(marker)
            } else {
                closeRun()
                if marker.number == 1 { run = [marker] }
            }
        }
        closeRun()
        guard !kept.isEmpty else { return [] }
        var parts: [Part] = []
        for (index, marker) in kept.enumerated() {
            var end = index + 1 < kept.count ? kept[index + 1].start : c.count
            if let note = noteRanges.map(\.lowerBound).filter({ $0 > marker.start && $0 < end }).min() { end = note }
            guard marker.bodyStart < end else { continue }
            parts.append(
                Part(
                    label: String(c[marker.start..<marker.bodyStart]), range: marker.start..<end,
                    bodyRange: marker.bodyStart..<end))
        }
        return parts
    }

    private static func marker(_ c: [Character], at i: Int) -> Marker? {
        if let scalar = c[i].unicodeScalars.first, (0x2460...0x2473).contains(scalar.value) {
            return Marker(number: Int(scalar.value - 0x2460 + 1), start: i, bodyStart: i + 1, circled: true)
        }
        guard ChineseNumber.digitValue(c[i]) != nil || c[i] == "十",
            let (number, end) = ItemLabel.chineseInteger(c, i), end + 1 < c.count, c[end] == "是",
            !PlanCharacters.endsClause(c[end + 1])
        else { return nil }
        return Marker(number: number, start: i, bodyStart: end + 1, circled: false)
    }
}
