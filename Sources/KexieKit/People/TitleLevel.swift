/// 职称级别. Titles (职称名称) differ by series — 高校教师, 科研, 工程, 卫生, 农业,
/// 经济, 会计, 新闻出版 … — but all of them sit on these four levels, which
/// is what statistics and eligibility rules (e.g. 评审专家须具有副高级以上职称) use.
public enum TitleLevel: String, ProfileVocabulary, Comparable {
    case senior = "senior"
    case associateSenior = "associate_senior"
    case intermediate = "intermediate"
    case junior = "junior"
    case none = "none"

    public var label: String {
        switch self {
        case .senior: return "正高级"
        case .associateSenior: return "副高级"
        case .intermediate: return "中级"
        case .junior: return "初级"
        case .none: return "无"
        }
    }

    public var synonyms: [String] {
        switch self {
        case .senior: return ["正高", "正高职称", "正高级职称"]
        case .associateSenior: return ["副高", "副高职称", "副高级职称"]
        case .intermediate: return ["中级职称"]
        // 初级 has two grades, 助理级 and 员级; both count as 初级.
        case .junior: return ["初级职称", "助理级", "员级", "士级"]
        case .none: return ["无职称", "暂无", "没有"]
        }
    }

    /// Higher levels compare greater, so "副高级以上" is `level >= .associateSenior`.
    public static func < (lhs: TitleLevel, rhs: TitleLevel) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .none: return 0
        case .junior: return 1
        case .intermediate: return 2
        case .associateSenior: return 3
        case .senior: return 4
        }
    }

    /// The level of a title name such as 高级工程师 or 主治医师, or a level written
    /// in the title column ("副高级"). A remark in brackets is ignored
    /// ("高级工程师（电气）"), and a specialty in front of a known title is
    /// accepted ("电气工程师") unless it carries a grade word of its own.
    /// Returns nil for titles it does not know, so callers can ask for the level.
    public static func level(ofTitle text: String) -> TitleLevel? {
        let key = PeopleText.key(PeopleText.droppingTrailingRemark(PeopleText.clean(text)))
        guard !key.isEmpty else { return nil }
        if let level = titleLevels[key] ?? resolve(key) { return level }
        // Longest known title at the end, e.g. "电气工程师" → 工程师.
        let characters = Array(key)
        for start in 1..<characters.count {
            let suffix = String(characters[start...])
            guard let level = titleLevels[suffix] else { continue }
            let specialty = String(characters[..<start])
            return gradeWords.contains(where: specialty.contains) ? nil : level
        }
        return nil
    }

    /// Words that change a title's grade; a specialty prefix containing one is not guessed at.
    private static let gradeWords = ["高级", "正高", "中级", "初级", "副", "主任", "主治", "主管", "助理", "一级", "二级", "三级", "四级", "教授", "研究"]

    /// Common titles by series. Entries follow the 职称制度改革 guidance of the
    /// respective series; new names (正高级工程师 etc.) and old ones (教授级高工) both appear.
    private static let titlesByLevel: [TitleLevel: [String]] = [
        .senior: [
            "教授", "研究员", "主任医师", "主任中医师", "主任药师", "主任中药师", "主任护师", "主任技师",
            "正高级工程师", "教授级高级工程师", "教授级高工", "正高级实验师", "正高级农艺师", "农业技术推广研究员",
            "正高级畜牧师", "正高级兽医师", "正高级经济师", "正高级会计师", "正高级统计师", "正高级审计师",
            "正高级教师", "正高级讲师", "编审", "高级记者", "高级编辑", "译审", "研究馆员", "一级律师",
            "正高级工艺美术师", "正高级政工师", "一级演员", "一级编剧", "一级导演", "一级美术师", "一级作曲",
        ],
        .associateSenior: [
            "副教授", "副研究员", "副主任医师", "副主任中医师", "副主任药师", "副主任中药师", "副主任护师", "副主任技师",
            "高级工程师", "高工", "高级实验师", "高级农艺师", "高级畜牧师", "高级兽医师", "高级经济师", "高级会计师",
            "高级统计师", "高级审计师", "高级教师", "高级讲师", "副编审", "主任记者", "主任编辑", "副译审",
            "副研究馆员", "二级律师", "高级工艺美术师", "高级政工师", "高级实习指导教师", "二级演员", "二级编剧",
            "二级导演", "二级美术师",
        ],
        .intermediate: [
            "讲师", "助理研究员", "工程师", "主治医师", "主治中医师", "主管药师", "主管中药师", "主管护师", "主管技师",
            "实验师", "农艺师", "畜牧师", "兽医师", "经济师", "会计师", "统计师", "审计师", "一级教师", "编辑", "记者",
            "翻译", "馆员", "三级律师", "工艺美术师", "政工师", "一级实习指导教师", "三级演员", "三级编剧", "三级导演",
            "三级美术师",
        ],
        .junior: [
            "助教", "研究实习员", "助理工程师", "技术员", "医师", "中医师", "药师", "中药师", "护师", "技师", "医士",
            "中医士", "药士", "护士", "技士", "助理实验师", "实验员", "助理农艺师", "农业技术员", "助理畜牧师",
            "助理兽医师", "助理经济师", "经济员", "助理会计师", "会计员", "助理统计师", "统计员", "助理审计师",
            "审计员", "二级教师", "三级教师", "助理编辑", "助理记者", "助理翻译", "助理馆员", "管理员", "四级律师",
            "助理工艺美术师", "助理政工师", "政工员", "四级演员", "四级编剧", "四级导演", "四级美术师",
        ],
    ]

    private static let titleLevels: [String: TitleLevel] = {
        var map: [String: TitleLevel] = [:]
        for (level, titles) in titlesByLevel {
            for title in titles { map[PeopleText.key(title)] = level }
        }
        return map
    }()

    /// The titles known for a level, for hints and select boxes.
    public static func knownTitles(at level: TitleLevel) -> [String] { titlesByLevel[level] ?? [] }
}
