/// The units a plan makes responsible for an item, as written in notes such as （责任部门：…）,
/// (牵头单位:…；配合单位:…), 【责任单位：…】, a trailing 牵头单位：… sentence, or a bare trailing list
/// like （省教育厅、团省委、省科协）.
struct ResponsibilityNote: Equatable, Sendable {
    var lead: [String] = []
    var supporting: [String] = []
    /// Units named without saying who leads (责任部门, bare lists).
    var responsible: [String] = []
    /// Time limits written inside the note (完成时限：6月底前), read later as deadlines.
    var timeTexts: [String] = []
    /// Where the note sits in the paragraph, brackets included, so it can be left out of target search.
    var range: Range<Int>

    var isEmpty: Bool { lead.isEmpty && supporting.isEmpty && responsible.isEmpty && timeTexts.isEmpty }
}

enum ResponsibilityNoteFinder {
    enum Role { case lead, supporting, responsible, time }

    /// Keywords in the order they must be tried: longer first so 牵头单位 wins over 牵头.
    private static let roleWords: [(word: [Character], role: Role)] = {
        let lead: [String] = [
            "主要责任单位", "主要责任部门", "牵头单位", "牵头部门", "牵头处室", "牵头科室", "牵头", "主责单位", "主责部门",
            "主办单位", "负责单位", "负责部门", "承办单位",
        ]
        let responsible: [String] = ["责任单位", "责任部门", "责任处室", "责任科室", "责任主体", "实施单位", "落实单位", "责任"]
        let supporting: [String] = [
            "配合单位", "配合部门", "配合处室", "协办单位", "参与单位", "参与部门", "协助单位", "协作单位",
            "支持单位", "配合",
        ]
        let time: [String] = ["完成时限", "完成时间", "时间节点", "时限要求", "完成期限", "时限", "时间"]
        var all: [([Character], Role)] = []
        for word in lead { all.append((Array(word), Role.lead)) }
        for word in responsible { all.append((Array(word), Role.responsible)) }
        for word in supporting { all.append((Array(word), Role.supporting)) }
        for word in time { all.append((Array(word), Role.time)) }
        return all.sorted { $0.0.count > $1.0.count }
    }()

    private static let roleFirstCharacters: Set<Character> = Set(roleWords.compactMap { $0.word.first })

    /// A role keyword followed by a colon at `i`: returns the role and the index after the colon.
    static func roleKeyword(in c: [Character], at i: Int) -> (Role, Int)? {
        guard i < c.count, roleFirstCharacters.contains(c[i]) else { return nil }
        for (word, role) in roleWords where i + word.count < c.count {
            var matches = true
            for k in 0..<word.count where c[i + k] != word[k] {
                matches = false
                break
            }
            guard matches else { continue }
            var e = i + word.count
            while e < c.count, PlanCharacters.isSpace(c[e]) { e += 1 }
            if e < c.count, PlanCharacters.isColon(c[e]) { return (role, e + 1) }
        }
        return nil
    }

    /// All notes in a paragraph body, in text order.
    static func notes(in c: [Character]) -> [ResponsibilityNote] {
        var found: [ResponsibilityNote] = []
        // 1. Bracketed notes that name their role, wherever they stand.
        var i = 0
        while i < c.count {
            if let family = PlanCharacters.openingFamily(c[i]), family == .round || family == .square,
                let close = PlanCharacters.matchingClose(in: c, openingAt: i)
            {
                var s = i + 1
                while s < close, PlanCharacters.isSpace(c[s]) { s += 1 }
                if roleKeyword(in: c, at: s) != nil, var note = parseContent(Array(c[s..<close])) {
                    note.range = i..<(close + 1)
                    found.append(note)
                    i = close + 1
                    continue
                }
            }
            i += 1
        }
        // 2. Trailing groups without keywords: (省科协、省教育厅) or (省科协牵头，省教育厅配合).
        var end = c.count - 1
        while end >= 0, PlanCharacters.isSpace(c[end]) || PlanCharacters.endsSentence(c[end]) || c[end] == "." { end -= 1 }
        while end > 0, let family = PlanCharacters.closingFamily(c[end]), family == .round || family == .square,
            !found.contains(where: { $0.range.contains(end) }),
            let open = PlanCharacters.matchingOpen(in: c, closingAt: end), open > 0
        {
            let content = Array(c[(open + 1)..<end])
            guard var note = parseUnlabeled(content) else { break }
            note.range = open..<(end + 1)
            found.append(note)
            end = open - 1
            while end >= 0, PlanCharacters.isSpace(c[end]) { end -= 1 }
        }
        // 3. An unbracketed closing sentence: "…。牵头单位：省科协；配合单位：省教育厅。"
        if let start = trailingSentenceNoteStart(c), !found.contains(where: { $0.range.contains(start) }) {
            var stop = c.count
            if let firstBracketed = found.map(\.range.lowerBound).filter({ $0 > start }).min() { stop = firstBracketed }
            if var note = parseContent(Array(c[start..<stop])) {
                note.range = start..<stop
                found.append(note)
            }
        }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// True when a whole paragraph is only a note, e.g. a line "责任单位：省科协" under its task.
    static func isNoteOnly(_ c: [Character]) -> Bool {
        guard let first = c.firstIndex(where: { !PlanCharacters.isSpace($0) }) else { return false }
        let found = notes(in: c)
        guard found.count == 1, found[0].range.lowerBound == first else { return false }
        return c[found[0].range.upperBound...].allSatisfy { PlanCharacters.isSpace($0) || PlanCharacters.endsSentence($0) }
    }

    private static func trailingSentenceNoteStart(_ c: [Character]) -> Int? {
        var depth = 0
        var candidate: Int?
        var i = 0
        while i < c.count {
            let ch = c[i]
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                let atBoundary =
                    i == 0 || PlanCharacters.endsSentence(c[i - 1]) || c[i - 1] == "\n"
                    || PlanCharacters.isSpace(c[i - 1])
                if atBoundary, candidate == nil, let (role, _) = roleKeyword(in: c, at: i), role != .time {
                    candidate = i
                }
            }
            i += 1
        }
        return candidate
    }

    /// Splits the inside of a note that names roles: "牵头单位：A、B；配合单位：C".
    static func parseContent(_ content: [Character]) -> ResponsibilityNote? {
        var note = ResponsibilityNote(range: 0..<0)
        var segments: [(Role, Int, Int)] = []  // role, start of its list, start of the keyword
        var i = 0
        var depth = 0
        while i < content.count {
            let ch = content[i]
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                depth = max(0, depth - 1)
            } else if depth == 0, let (role, after) = roleKeyword(in: content, at: i) {
                let atBoundary =
                    i == 0 || PlanCharacters.isListSeparator(content[i - 1])
                    || PlanCharacters.isSpace(content[i - 1]) || PlanCharacters.endsSentence(content[i - 1])
                if atBoundary {
                    segments.append((role, after, i))
                    i = after
                    continue
                }
            }
            i += 1
        }
        guard !segments.isEmpty else { return nil }
        for (index, segment) in segments.enumerated() {
            let stop = index + 1 < segments.count ? segments[index + 1].2 : content.count
            let list = Array(content[segment.1..<stop])
            switch segment.0 {
            case .time:
                let text = String(PlanCharacters.withoutTrailingMarks(ArraySlice(list)))
                if !text.isEmpty { note.timeTexts.append(text) }
            case .lead: note.lead += DepartmentList.split(list)
            case .supporting: note.supporting += DepartmentList.split(list)
            case .responsible: note.responsible += DepartmentList.split(list)
            }
        }
        // 责任单位 beside 配合单位 plays the lead's part.
        if note.lead.isEmpty && !note.supporting.isEmpty && !note.responsible.isEmpty {
            note.lead = note.responsible
            note.responsible = []
        }
        return note.isEmpty ? nil : note
    }

    private static let roleSuffixes: [([Character], Role)] = {
        let lead: [String] = ["牵头", "负责", "主责"]
        let supporting: [String] = ["配合", "参与", "协助", "协办"]
        var all: [([Character], Role)] = []
        for word in lead { all.append((Array(word), Role.lead)) }
        for word in supporting { all.append((Array(word), Role.supporting)) }
        return all
    }()

    /// Reads a trailing bracket without role keywords: a bare list of units, possibly with 牵头/配合
    /// written after the names. Anything that does not look like unit names is not a note.
    static func parseUnlabeled(_ content: [Character]) -> ResponsibilityNote? {
        var note = ResponsibilityNote(range: 0..<0)
        // Clauses split on ，；, each possibly ending with its role: "省科协牵头，省教育厅、省科技厅配合".
        for clause in DepartmentList.topLevelPieces(content, separators: ["，", ",", "；", ";"]) {
            var words = Array(PlanCharacters.trimmed(ArraySlice(clause)))
            var role = Role.responsible
            for (suffix, r) in roleSuffixes {
                let s = suffix
                if words.count > s.count, Array(words.suffix(s.count)) == s {
                    words.removeLast(s.count)
                    role = r
                    break
                }
            }
            if words.first == "由" { words.removeFirst() }
            let units = DepartmentList.split(words)
            guard !units.isEmpty, units.allSatisfy(DepartmentList.looksLikeUnit) else { return nil }
            switch role {
            case .lead: note.lead += units
            case .supporting: note.supporting += units
            default: note.responsible += units
            }
        }
        return note.isEmpty ? nil : note
    }
}
