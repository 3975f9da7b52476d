import Foundation

/// A GB/T 13745-2009 first-level discipline (一级学科), e.g. 520 计算机科学技术.
public struct Discipline: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Three digits, e.g. "520". Stored in the database; names may be re-edited, codes not.
    public let code: String
    public let name: String
    /// The 门类 it belongs to (自然科学, 工程与技术科学, …), for grouped select boxes.
    public let group: String

    public init(code: String, name: String, group: String) {
        self.code = code
        self.name = name
        self.group = group
    }

    /// "520 计算机科学技术", the form used in templates and exports.
    public var description: String { "\(code) \(name)" }
}

/// A GB/T 4754-2017 section (门类), A–T, as listed in the bundled data file.
public struct Industry: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One upper-case letter, "A"…"T".
    public let code: String
    public let name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public var description: String { "\(code) \(name)" }

    /// The same section as the matching engine's type, so profiles feed matching directly.
    public var section: IndustrySection? { code.first.flatMap { IndustrySection(letter: $0) } }
}

public struct ClassificationsError: KexieKitError, Equatable {
    public let code: String
    public let message: String

    static let missingBundledData = ClassificationsError(
        code: "classifications.missing", message: "缺少学科或行业分类数据文件")
    static func malformed(_ file: String) -> ClassificationsError {
        ClassificationsError(code: "classifications.malformed", message: "分类数据文件格式不正确：\(file)")
    }
}

/// The discipline and industry code lists used on profiles: listing for select
/// boxes, and resolving what people type or import to one canonical entry.
public struct Classifications: Sendable {
    public let disciplines: [Discipline]
    public let industries: [Industry]

    private let disciplineByKey: [String: Discipline]
    private let industryByKey: [String: Industry]

    public init(disciplines: [Discipline], disciplineAliases: [String: [String]] = [:], industries: [Industry]) {
        self.disciplines = disciplines
        self.industries = industries
        var disciplineByKey: [String: Discipline] = [:]
        for discipline in disciplines {
            disciplineByKey[PeopleText.key(discipline.code)] = discipline
            disciplineByKey[PeopleText.key(discipline.name)] = discipline
        }
        // Aliases go in last but never displace an official name or code.
        let byCode = Dictionary(disciplines.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        for (code, aliases) in disciplineAliases {
            guard let discipline = byCode[code] else { continue }
            for alias in aliases where disciplineByKey[PeopleText.key(alias)] == nil {
                disciplineByKey[PeopleText.key(alias)] = discipline
            }
        }
        var industryByKey: [String: Industry] = [:]
        for industry in industries {
            industryByKey[PeopleText.key(industry.code)] = industry
            industryByKey[PeopleText.key(industry.name)] = industry
        }
        self.disciplineByKey = disciplineByKey
        self.industryByKey = industryByKey
    }

    /// Reads the formats of `gbt13745-level1.json` and `gbt4754-sections.json`.
    public init(disciplineJSON: Data, industryJSON: Data) throws(ClassificationsError) {
        struct DisciplineFile: Decodable {
            let aliases: [String: [String]]?
            let disciplines: [Discipline]
        }
        struct IndustryFile: Decodable { let sections: [Industry] }
        guard let disciplineFile = try? JSONDecoder().decode(DisciplineFile.self, from: disciplineJSON) else {
            throw .malformed("gbt13745-level1.json")
        }
        guard let industryFile = try? JSONDecoder().decode(IndustryFile.self, from: industryJSON) else {
            throw .malformed("gbt4754-sections.json")
        }
        self.init(
            disciplines: disciplineFile.disciplines, disciplineAliases: disciplineFile.aliases ?? [:],
            industries: industryFile.sections)
    }

    /// The lists shipped with KexieKit, read once per process.
    public static func bundled() throws(ClassificationsError) -> Classifications {
        try bundledResult.get()
    }

    private static let bundledResult: Result<Classifications, ClassificationsError> = {
        func data(_ name: String) -> Data? {
            Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Resources")
                .flatMap { try? Data(contentsOf: $0) }
        }
        guard let disciplines = data("gbt13745-level1"), let industries = data("gbt4754-sections") else {
            return .failure(.missingBundledData)
        }
        return Result { () throws(ClassificationsError) in
            try Classifications(disciplineJSON: disciplines, industryJSON: industries)
        }
    }()

    // MARK: - Resolving input

    /// Accepts "520", "计算机科学技术", a listed alias such as "航空航天科学技术",
    /// or the exported form "520 计算机科学技术" (code and name must then agree).
    public func discipline(matching text: String) -> Discipline? {
        let key = PeopleText.key(text)
        guard !key.isEmpty else { return nil }
        if let found = disciplineByKey[key] { return found }
        // "520计算机科学技术": a code followed by the name or an alias of that same code.
        let digits = key.prefix { $0.isASCII && $0.isNumber }
        guard digits.count == 3, let byCode = disciplineByKey[String(digits)],
            let byName = disciplineByKey[String(key.dropFirst(3))], byCode == byName
        else { return nil }
        return byCode
    }

    /// Accepts "C", "c", "C36" (a finer code: its letter is the section), "制造业",
    /// "C 制造业", or a leading part of a name that fits one section only ("信息传输").
    public func industry(matching text: String) -> Industry? {
        let key = PeopleText.key(text)
        guard let first = key.first else { return nil }
        if let found = industryByKey[key] { return found }
        if first.isASCII, first.isLetter {
            let rest = key.dropFirst()
            let letter = industryByKey[String(first)]
            if rest.allSatisfy({ $0.isASCII && $0.isNumber }) { return letter }
            // "C制造业": letter and name must name the same section.
            return letter != nil && industryByKey[String(rest)] == letter ? letter : nil
        }
        guard key.count >= 2 else { return nil }
        let candidates = industries.filter { PeopleText.key($0.name).hasPrefix(key) }
        return candidates.count == 1 ? candidates[0] : nil
    }

    /// Disciplines grouped by 门类 in file order, for a grouped select box.
    public var disciplinesByGroup: [(group: String, disciplines: [Discipline])] {
        var groups: [(group: String, disciplines: [Discipline])] = []
        for discipline in disciplines {
            if let last = groups.indices.last, groups[last].group == discipline.group {
                groups[last].disciplines.append(discipline)
            } else {
                groups.append((discipline.group, [discipline]))
            }
        }
        return groups
    }
}
