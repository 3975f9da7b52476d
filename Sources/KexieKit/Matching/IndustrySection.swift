/// A GB/T 4754-2017 section (门类), the coarsest industry level, A–T.
public struct IndustrySection: Hashable, Sendable, CustomStringConvertible {
    /// The section letter, "A"..."T".
    public let letter: Character

    public init?(letter: Character) {
        guard let upper = letter.uppercased().first, Self.names[upper] != nil else { return nil }
        self.letter = upper
    }

    /// Accepts what people actually type in forms: "C", "C36" (a finer code, whose first letter
    /// is the section), "制造业", or "C 制造业".
    public init?(parsing text: String) {
        let trimmed = text.trimmedWhitespace
        // A letter alone or followed by digits or a name ("C", "C36", "C 制造业"); an English
        // word such as "Manufacturing" is not a section code.
        if let first = trimmed.first, first.isASCII, first.isLetter,
            !trimmed.dropFirst().contains(where: { $0.isASCII && $0.isLetter })
        {
            self.init(letter: first)
            return
        }
        guard let match = Self.names.first(where: { $0.value == trimmed || (trimmed.count >= 2 && $0.value.hasPrefix(trimmed)) })
        else { return nil }
        self.init(letter: match.key)
    }

    /// The section's Chinese name, e.g. 制造业.
    public var name: String { Self.names[letter] ?? String(letter) }

    public var description: String { "\(letter) \(name)" }

    static let names: [Character: String] = [
        "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业", "D": "电力、热力、燃气及水生产和供应业",
        "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业",
        "I": "信息传输、软件和信息技术服务业", "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业",
        "M": "科学研究和技术服务业", "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业",
        "P": "教育", "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
        "T": "国际组织",
    ]
}

extension String {
    /// Leading and trailing whitespace removed, without pulling Foundation into every file.
    var trimmedWhitespace: String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
