import Foundation

/// A form an administrator builds once and several modules fill in (event registration, award
/// applications, annual returns, surveys): titled sections of fields, each with a stable key, a kind
/// and its rules. Stored as JSON with each published version, so the encoding below is a contract:
/// fields are added with defaults, never renamed.
public struct FormDefinition: Codable, Sendable, Equatable {
    public var sections: [FormSection]

    public init(sections: [FormSection] = []) { self.sections = sections }

    /// Every field in order, across sections.
    public var fields: [FormField] { sections.flatMap(\.fields) }

    public func field(_ key: String) -> FormField? { fields.first { $0.key == key } }
}

public struct FormSection: Codable, Sendable, Equatable {
    public var title: String
    public var fields: [FormField]

    public init(title: String, fields: [FormField] = []) {
        self.title = title
        self.fields = fields
    }
}

/// One field. `key` is what answers are stored under and exported by, so it never changes once a
/// version is published; the label may.
public struct FormField: Codable, Sendable, Equatable {
    public var key: String
    public var label: String
    public var help: String?
    public var kind: FormFieldKind
    public var required: Bool
    public var rules: FormFieldRules
    /// Shown only when an earlier choice field's answer is one of the given values.
    public var showIf: FormShowIf?
    /// Personal data (an ID number, a home address): stored sealed, like phones and e-mail addresses.
    public var personal: Bool

    public init(
        key: String, label: String, help: String? = nil, kind: FormFieldKind, required: Bool = false,
        rules: FormFieldRules = FormFieldRules(), showIf: FormShowIf? = nil, personal: Bool = false
    ) {
        self.key = key
        self.label = label
        self.help = help
        self.kind = kind
        self.required = required
        self.rules = rules
        self.showIf = showIf
        self.personal = personal
    }

    /// Whether answers are sealed before they are stored.
    public var isSealed: Bool { personal || kind.name == .phone || kind.name == .email }

    enum CodingKeys: String, CodingKey {
        case key, label, help, kind, required, rules, showIf, personal
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        label = try c.decode(String.self, forKey: .label)
        help = try c.decodeIfPresent(String.self, forKey: .help)
        kind = try c.decode(FormFieldKind.self, forKey: .kind)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        rules = try c.decodeIfPresent(FormFieldRules.self, forKey: .rules) ?? FormFieldRules()
        showIf = try c.decodeIfPresent(FormShowIf.self, forKey: .showIf)
        personal = try c.decodeIfPresent(Bool.self, forKey: .personal) ?? false
    }
}

/// Length and pattern rules of a text-like field. The pattern is matched against the whole answer.
public struct FormFieldRules: Codable, Sendable, Equatable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    /// What the person is told when the pattern does not match (“请填写6位邮政编码”).
    public var patternMessage: String?

    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, patternMessage: String? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.patternMessage = patternMessage
    }

    public var isEmpty: Bool { minLength == nil && maxLength == nil && pattern == nil }
}

/// `key`'s answer is one of `values` (for a multiple choice: any chosen one is).
public struct FormShowIf: Codable, Sendable, Equatable {
    public var key: String
    public var values: [String]

    public init(key: String, values: [String]) {
        self.key = key
        self.values = values
    }
}

/// What a field asks for. Encoded flat with a `type` (`{"type":"number","min":1,"max":100}`) so the
/// stored JSON reads plainly and new options can be added as optional members.
public enum FormFieldKind: Sendable, Equatable {
    case text
    case longText
    case number(min: Decimal?, max: Decimal?, integerOnly: Bool)
    case singleChoice(options: [String])
    case multipleChoice(options: [String], minSelections: Int?, maxSelections: Int?)
    case date(min: Day?, max: Day?)
    /// Mainland mobile (1[3-9] and 9 digits) or landline (0 area code, 7–8 digits, optional extension).
    case phone
    case email
    /// Identifiers of files stored by the module that uses the form.
    case file(maxFiles: Int, kinds: [FileKind])
    /// A statement the person ticks; required means it must be ticked.
    case consent(statement: String)

    public enum Name: String, Codable, Sendable, CaseIterable {
        case text, longText = "long_text", number, singleChoice = "single_choice", multipleChoice = "multiple_choice", date, phone,
            email, file, consent

        public var label: String {
            switch self {
            case .text: return "单行文本"
            case .longText: return "多行文本"
            case .number: return "数字"
            case .singleChoice: return "单选"
            case .multipleChoice: return "多选"
            case .date: return "日期"
            case .phone: return "电话"
            case .email: return "电子邮箱"
            case .file: return "附件"
            case .consent: return "同意声明"
            }
        }
    }

    public var name: Name {
        switch self {
        case .text: return .text
        case .longText: return .longText
        case .number: return .number
        case .singleChoice: return .singleChoice
        case .multipleChoice: return .multipleChoice
        case .date: return .date
        case .phone: return .phone
        case .email: return .email
        case .file: return .file
        case .consent: return .consent
        }
    }

    /// The options of a choice field, else empty.
    public var options: [String] {
        switch self {
        case .singleChoice(let options), .multipleChoice(let options, _, _): return options
        default: return []
        }
    }

    public var isChoice: Bool { name == .singleChoice || name == .multipleChoice }

    /// Text-like kinds, to which length and pattern rules apply.
    public var takesTextRules: Bool { [.text, .longText, .phone, .email].contains(name) }
}

extension FormFieldKind: Codable {
    enum CodingKeys: String, CodingKey {
        case type, min, max, integer, options, minSelections, maxSelections, maxFiles, kinds, statement
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(Name.self, forKey: .type) {
        case .text: self = .text
        case .longText: self = .longText
        case .number:
            self = .number(
                min: try c.decodeIfPresent(Decimal.self, forKey: .min), max: try c.decodeIfPresent(Decimal.self, forKey: .max),
                integerOnly: try c.decodeIfPresent(Bool.self, forKey: .integer) ?? false)
        case .singleChoice: self = .singleChoice(options: try c.decode([String].self, forKey: .options))
        case .multipleChoice:
            self = .multipleChoice(
                options: try c.decode([String].self, forKey: .options),
                minSelections: try c.decodeIfPresent(Int.self, forKey: .minSelections),
                maxSelections: try c.decodeIfPresent(Int.self, forKey: .maxSelections))
        case .date:
            self = .date(min: try c.decodeIfPresent(Day.self, forKey: .min), max: try c.decodeIfPresent(Day.self, forKey: .max))
        case .phone: self = .phone
        case .email: self = .email
        case .file:
            self = .file(
                maxFiles: try c.decodeIfPresent(Int.self, forKey: .maxFiles) ?? 1,
                kinds: try c.decodeIfPresent([FileKind].self, forKey: .kinds) ?? [])
        case .consent: self = .consent(statement: try c.decode(String.self, forKey: .statement))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .type)
        switch self {
        case .text, .longText, .phone, .email: break
        case .number(let min, let max, let integerOnly):
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
            if integerOnly { try c.encode(true, forKey: .integer) }
        case .singleChoice(let options): try c.encode(options, forKey: .options)
        case .multipleChoice(let options, let minSelections, let maxSelections):
            try c.encode(options, forKey: .options)
            try c.encodeIfPresent(minSelections, forKey: .minSelections)
            try c.encodeIfPresent(maxSelections, forKey: .maxSelections)
        case .date(let min, let max):
            try c.encodeIfPresent(min, forKey: .min)
            try c.encodeIfPresent(max, forKey: .max)
        case .file(let maxFiles, let kinds):
            try c.encode(maxFiles, forKey: .maxFiles)
            try c.encode(kinds, forKey: .kinds)
        case .consent(let statement): try c.encode(statement, forKey: .statement)
        }
    }
}

/// The bounds every form lives within, whatever its definition says.
public enum FormLimits {
    /// A single-line or multi-line answer, unless a rule says less.
    public static let textMaxLength = 2000
    /// Numbers stay well inside what Double and the database hold exactly.
    public static let numberMagnitude: Decimal = 1_000_000_000_000
    public static let maxFields = 200
    public static let maxSections = 50
    public static let maxOptions = 100
    public static let maxFiles = 20
    public static let labelMaxLength = 200
    public static let helpMaxLength = 500
    public static let optionMaxLength = 200
    public static let statementMaxLength = 2000
    public static let keyMaxLength = 40
    public static let patternMaxLength = 200
    /// Values a request may carry under one key (a multiple choice's boxes, a file list).
    public static let valuesPerKey = 100
}

/// Why a definition cannot be saved or published: every problem, each a Chinese sentence naming the field.
public struct FormDefinitionError: KexieKitError, Equatable {
    public let problems: [String]

    public init(problems: [String]) { self.problems = problems }

    public var code: String { "form.definition_invalid" }
    public var message: String { problems.joined(separator: "；") }
}

extension FormDefinition {
    /// Checks the definition itself: keys unique and well-formed, `showIf` pointing at an earlier choice
    /// field and one of its options, choices with options, every minimum not above its maximum, patterns
    /// that compile, everything within `FormLimits`.
    public func validate() throws(FormDefinitionError) {
        let problems = self.problems()
        if !problems.isEmpty { throw FormDefinitionError(problems: problems) }
    }

    public func problems() -> [String] {
        var problems: [String] = []
        if sections.count > FormLimits.maxSections { problems.append("分组不能超过 \(FormLimits.maxSections) 个") }
        if fields.count > FormLimits.maxFields { problems.append("字段不能超过 \(FormLimits.maxFields) 个") }
        for (index, section) in sections.enumerated() where section.title.count > FormLimits.labelMaxLength {
            problems.append("第 \(index + 1) 个分组的标题不能超过 \(FormLimits.labelMaxLength) 个字")
        }
        var earlier: [String: FormField] = [:]
        for field in fields {
            let name = "字段“\(field.label.isEmpty ? field.key : field.label)”"
            if !Self.isValidKey(field.key) {
                problems.append("\(name)的标识“\(field.key)”应以小写字母开头，只含小写字母、数字和下划线，不超过 \(FormLimits.keyMaxLength) 个字符")
            }
            if earlier[field.key] != nil { problems.append("\(name)的标识“\(field.key)”与前面的字段重复") }
            problems += Self.problems(of: field, name: name, earlier: earlier)
            earlier[field.key] = field
        }
        return problems
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, ("a"..."z").contains(first), key.unicodeScalars.count <= FormLimits.keyMaxLength
        else { return false }
        return key.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func problems(of field: FormField, name: String, earlier: [String: FormField]) -> [String] {
        var problems: [String] = []
        let label = field.label.trimmingCharacters(in: .whitespacesAndNewlines)
        if label.isEmpty { problems.append("\(name)须填写名称") }
        if field.label.count > FormLimits.labelMaxLength { problems.append("\(name)的名称不能超过 \(FormLimits.labelMaxLength) 个字") }
        if (field.help ?? "").count > FormLimits.helpMaxLength { problems.append("\(name)的说明不能超过 \(FormLimits.helpMaxLength) 个字") }
        switch field.kind {
        case .number(let min, let max, _):
            let bound = FormLimits.numberMagnitude
            for value in [min, max].compactMap({ $0 }) where value < -bound || value > bound {
                problems.append("\(name)的取值范围应在 ±1万亿 之内")
            }
            if let min, let max, min > max { problems.append("\(name)的最小值不能大于最大值") }
        case .singleChoice(let options), .multipleChoice(let options, _, _):
            problems += optionProblems(options, name: name)
            if case .multipleChoice(_, let minimum, let maximum) = field.kind {
                if let minimum, minimum < 0 || minimum > options.count { problems.append("\(name)的最少选择项数应在 0–\(options.count) 之间") }
                if let maximum, maximum < 1 || maximum > options.count { problems.append("\(name)的最多选择项数应在 1–\(options.count) 之间") }
                if let minimum, let maximum, minimum > maximum { problems.append("\(name)的最少选择项数不能大于最多选择项数") }
            }
        case .date(let min, let max):
            if let min, let max, min > max { problems.append("\(name)的最早日期不能晚于最晚日期") }
        case .file(let maxFiles, _):
            if !(1...FormLimits.maxFiles).contains(maxFiles) { problems.append("\(name)的文件数应在 1–\(FormLimits.maxFiles) 之间") }
        case .consent(let statement):
            if statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append("\(name)须填写声明内容") }
            if statement.count > FormLimits.statementMaxLength {
                problems.append("\(name)的声明内容不能超过 \(FormLimits.statementMaxLength) 个字")
            }
        case .text, .longText, .phone, .email:
            break
        }
        problems += ruleProblems(field, name: name)
        if let showIf = field.showIf {
            if let controller = earlier[showIf.key], controller.kind.isChoice {
                if showIf.values.isEmpty { problems.append("\(name)的显示条件须至少选择一个值") }
                for value in showIf.values where !controller.kind.options.contains(value) {
                    problems.append("\(name)的显示条件“\(value)”不是字段“\(controller.label)”的选项")
                }
            } else {
                problems.append("\(name)的显示条件须引用它前面的单选或多选字段")
            }
        }
        return problems
    }

    private static func optionProblems(_ options: [String], name: String) -> [String] {
        var problems: [String] = []
        let trimmed = options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if trimmed.isEmpty { problems.append("\(name)须至少有一个选项") }
        if trimmed.count > FormLimits.maxOptions { problems.append("\(name)的选项不能超过 \(FormLimits.maxOptions) 个") }
        if trimmed.contains(where: \.isEmpty) { problems.append("\(name)有空白选项") }
        if Set(trimmed).count != trimmed.count { problems.append("\(name)有重复的选项") }
        if trimmed.contains(where: { $0.count > FormLimits.optionMaxLength }) {
            problems.append("\(name)的选项不能超过 \(FormLimits.optionMaxLength) 个字")
        }
        return problems
    }

    private static func ruleProblems(_ field: FormField, name: String) -> [String] {
        let rules = field.rules
        var problems: [String] = []
        if !rules.isEmpty && !field.kind.takesTextRules { problems.append("\(name)的类型不适用长度或格式规则") }
        for value in [rules.minLength, rules.maxLength].compactMap({ $0 }) where value < 0 || value > FormLimits.textMaxLength {
            problems.append("\(name)的长度限制应在 0–\(FormLimits.textMaxLength) 之间")
        }
        if let min = rules.minLength, let max = rules.maxLength, min > max { problems.append("\(name)的最少字数不能大于最多字数") }
        if let pattern = rules.pattern {
            if pattern.count > FormLimits.patternMaxLength || (try? Regex(pattern)) == nil {
                problems.append("\(name)的格式规则不是有效的正则表达式")
            }
            if (rules.patternMessage ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append("\(name)的格式规则须附一句不符合时的提示")
            }
        }
        return problems
    }
}
