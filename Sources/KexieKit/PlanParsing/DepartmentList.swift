/// Splits a written list of responsible units into names.
///
/// Lists are split on 、，,；; outside brackets, so aliases such as 省科普中心［省素质办］ or
/// 省委宣传部（省文明办） stay whole. A run like 各高校、企业、医疗卫生机构科协 names three kinds of
/// association that share one suffix; splitting it would leave the meaningless "企业", so such a run is
/// kept as one phrase.
enum DepartmentList {
    static let separators: Set<Character> = ["、", "，", ",", "；", ";", "､"]

    /// Pieces of `c` between top-level separators; brackets and quotes protect what they enclose.
    static func topLevelPieces(_ c: [Character], separators: Set<Character>) -> [[Character]] {
        var pieces: [[Character]] = []
        var current: [Character] = []
        var depth = 0
        for ch in c {
            if PlanCharacters.openingFamily(ch) != nil && ch != "\"" {
                depth += 1
            } else if PlanCharacters.closingFamily(ch) != nil && ch != "\"" {
                depth = max(0, depth - 1)
            } else if depth == 0 && separators.contains(ch) {
                pieces.append(current)
                current = []
                continue
            }
            current.append(ch)
        }
        pieces.append(current)
        return pieces
    }

    static func split(_ c: [Character]) -> [String] {
        var pieces = topLevelPieces(c, separators: separators).map(clean).filter { !$0.isEmpty }
        // "办公室 组织人事部": spaces separate names only when every part is a name on its own.
        if pieces.count == 1 {
            let parts = topLevelPieces(Array(pieces[0]), separators: [" ", "\u{3000}"]).map(clean).filter { !$0.isEmpty }
            if parts.count > 1 && parts.allSatisfy(looksLikeUnit) { pieces = parts }
        }
        var result: [String] = []
        for name in mergeSharedSuffixRuns(pieces) where !result.contains(name) {
            result.append(name)
        }
        return result
    }

    /// Trims spaces, list-ending 等/等单位, and marks left over from the sentence.
    static func clean(_ piece: [Character]) -> String {
        var s = String(PlanCharacters.withoutTrailingMarks(ArraySlice(piece)))
        for suffix in ["等相关单位", "等有关单位", "等相关部门", "等有关部门", "等单位", "等部门", "等"] where s.hasSuffix(suffix) {
            s.removeLast(suffix.count)
            break
        }
        if s.hasPrefix("由") { s.removeFirst() }
        return PlanCharacters.trimmed(s)
    }

    /// Suffixes that several kinds of institution can share in one written run.
    private static let sharedSuffixes = [
        "科协", "学会", "协会", "团委", "工会", "妇联", "党委", "党组织", "团组织", "妇委会",
        "分会", "联合会", "党支部", "科普组织",
    ]

    /// Endings that make a piece a unit in its own right rather than a bare kind like 企业.
    private static let officeSuffixes = [
        "厅", "局", "委", "办", "部", "室", "处", "中心", "会", "协", "联", "馆", "站", "社",
        "单位", "政府", "府", "署", "司", "台", "组", "队",
    ]

    private static let specificPrefixes = ["省", "市", "县", "区", "中国", "全国", "国家", "自治区", "团省委"]

    private static func isBareKind(_ s: String) -> Bool {
        let count = s.count
        guard count >= 2 && count <= 10 else { return false }
        if specificPrefixes.contains(where: { s.hasPrefix($0) }) { return false }
        return !officeSuffixes.contains(where: { s.hasSuffix($0) })
    }

    private static func mergeSharedSuffixRuns(_ pieces: [String]) -> [String] {
        var result: [String] = []
        var i = 0
        while i < pieces.count {
            guard isBareKind(pieces[i]) else {
                result.append(pieces[i])
                i += 1
                continue
            }
            var j = i
            while j + 1 < pieces.count, isBareKind(pieces[j + 1]) { j += 1 }
            if j + 1 < pieces.count, let suffix = sharedSuffixes.first(where: { pieces[j + 1].hasSuffix($0) }) {
                let stem = String(pieces[j + 1].dropLast(suffix.count))
                if isBareKind(stem)
                    || (stem.count >= 1 && !specificPrefixes.contains(where: { stem.hasPrefix($0) })
                        && !officeSuffixes.contains(where: { stem.hasSuffix($0) }))
                {
                    result.append(pieces[i...(j + 1)].joined(separator: "、"))
                    i = j + 2
                    continue
                }
            }
            result.append(contentsOf: pieces[i...j])
            i = j + 1
        }
        return result
    }

    private static let unitEndings = [
        "厅", "局", "委", "办", "部", "室", "处", "科", "院", "馆", "站", "所", "校", "会", "协",
        "联", "社", "团", "队", "组", "司", "署", "府", "中心", "单位", "机构", "企业", "集团",
        "公司", "银行", "台", "报", "基地", "高校", "大学", "学院", "医院", "支部", "街道", "乡镇",
        "区", "县", "市", "省", "州", "海关", "联盟", "园区", "小组", "成员",
    ]

    private static let unitBeginnings = ["省", "市", "县", "区", "各", "全省", "团省委", "中国", "国家", "自治区"]

    /// Whether a piece of a bare bracketed list plausibly names a unit (used to tell （省教育厅、团省委）
    /// from an ordinary parenthesis such as （流程、车间） or （2021-2025年）).
    private static let quoteOrTitleMarks: Set<Character> = ["“", "”", "《", "》"]

    static func looksLikeUnit(_ s: String) -> Bool {
        guard s.count >= 2 && s.count <= 30 else { return false }
        var depth = 0
        var core: [Character] = []
        for ch in s {
            if PlanCharacters.isArabicDigit(ch) || PlanCharacters.endsSentence(ch) { return false }
            if quoteOrTitleMarks.contains(ch) { return false }
            if PlanCharacters.openingFamily(ch) != nil { depth += 1; continue }
            if PlanCharacters.closingFamily(ch) != nil { depth = max(0, depth - 1); continue }
            if depth == 0 { core.append(ch) }
        }
        let name = String(core)
        guard name.count >= 2 else { return false }
        return unitEndings.contains(where: { name.hasSuffix($0) }) || unitBeginnings.contains(where: { name.hasPrefix($0) })
    }
}
