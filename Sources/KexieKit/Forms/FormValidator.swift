import Foundation

/// One typed answer.
public enum FormValue: Sendable, Equatable, Hashable {
    /// Text, long text, and phone numbers and e-mail addresses in their normalized form.
    case text(String)
    case number(Decimal)
    case choices([String])
    case date(Day)
    case consent(Bool)
    case files([UUID])

    /// The answer as one cell of an export or a page.
    public var display: String {
        switch self {
        case .text(let text): return text
        case .number(let number): return NSDecimalNumber(decimal: number).stringValue
        case .choices(let choices): return choices.joined(separator: "、")
        case .date(let day): return day.description
        case .consent(let agreed): return agreed ? "已同意" : "未同意"
        case .files(let ids): return ids.map(\.uuidString).joined(separator: " ")
        }
    }

    /// The answer as the raw values a form posts, to show it again in its field.
    public var rawValues: [String] {
        switch self {
        case .text(let text): return [text]
        case .number(let number): return [NSDecimalNumber(decimal: number).stringValue]
        case .choices(let choices): return choices
        case .date(let day): return [day.description]
        case .consent(let agreed): return agreed ? ["on"] : []
        case .files(let ids): return ids.map(\.uuidString)
        }
    }
}

/// The typed answers of one submission: only fields that were shown and answered.
public struct FormAnswers: Sendable, Equatable {
    public let values: [String: FormValue]

    public init(values: [String: FormValue]) { self.values = values }

    public subscript(key: String) -> FormValue? { values[key] }
}

/// One refused answer: the field's key and what to fix, in Chinese.
public struct FormFieldError: Sendable, Equatable, Hashable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }
}

/// Every refused answer of a submission, in the form's order.
public struct FormErrors: KexieKitError, Equatable {
    public let fields: [FormFieldError]

    public init(_ fields: [FormFieldError]) { self.fields = fields }

    public var code: String { "form.answers_invalid" }
    public var message: String { "有 \(fields.count) 处填写有误" }

    public subscript(key: String) -> String? { fields.first { $0.key == key }?.message }
}

/// Checks what a person submitted against a definition: raw values (as posted, several per key for
/// multiple choices and files) become typed answers, or every problem comes back at once. Fields hidden
/// by `showIf` are skipped and whatever was posted for them is dropped; keys the definition does not
/// know are ignored.
public struct FormValidator: Sendable {
    public let definition: FormDefinition

    public init(_ definition: FormDefinition) { self.definition = definition }

    public func validate(_ raw: [String: [String]]) -> Result<FormAnswers, FormErrors> {
        var answers: [String: FormValue] = [:]
        var errors: [FormFieldError] = []
        for field in definition.fields where isVisible(field, answers: answers) {
            let values = Array((raw[field.key] ?? []).prefix(FormLimits.valuesPerKey))
            switch check(field, values) {
            case .success(let value?): answers[field.key] = value
            case .success(nil): break
            case .failure(let message): errors.append(FormFieldError(key: field.key, message: message.text))
            }
        }
        return errors.isEmpty ? .success(FormAnswers(values: answers)) : .failure(FormErrors(errors))
    }

    /// Whether a field is shown, given the answers of the fields before it (a field whose controller is
    /// hidden or unanswered is hidden too).
    public func isVisible(_ field: FormField, answers: [String: FormValue]) -> Bool {
        guard let showIf = field.showIf else { return true }
        guard case .choices(let chosen)? = answers[showIf.key] else { return false }
        return chosen.contains { showIf.values.contains($0) }
    }

    struct Message: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    private func check(_ field: FormField, _ values: [String]) -> Result<FormValue?, Message> {
        let texts = values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let first = texts.first ?? ""
        switch field.kind {
        case .consent:
            let agreed = !texts.isEmpty
            if field.required && !agreed { return .failure(Message("请阅读并勾选同意")) }
            return .success(.consent(agreed))
        case .multipleChoice(let options, let minimum, let maximum):
            var chosen: [String] = []
            for text in texts where !chosen.contains(text) {
                guard options.contains(text) else { return .failure(Message("请从给定选项中选择")) }
                chosen.append(text)
            }
            if chosen.isEmpty { return field.required ? .failure(Message("此项必填")) : .success(nil) }
            if let minimum, chosen.count < minimum { return .failure(Message("至少选择 \(minimum) 项")) }
            if let maximum, chosen.count > maximum { return .failure(Message("最多选择 \(maximum) 项")) }
            return .success(.choices(options.filter(chosen.contains)))
        case .file(let maxFiles, _):
            if texts.isEmpty { return field.required ? .failure(Message("此项必填")) : .success(nil) }
            if texts.count > maxFiles { return .failure(Message("最多上传 \(maxFiles) 个文件")) }
            let ids = texts.compactMap(UUID.init(uuidString:))
            guard ids.count == texts.count else { return .failure(Message("文件无效，请重新上传")) }
            return .success(.files(ids))
        default:
            if first.isEmpty { return field.required ? .failure(Message("此项必填")) : .success(nil) }
            return checkSingle(field, first).map { Optional($0) }
        }
    }

    private func checkSingle(_ field: FormField, _ text: String) -> Result<FormValue, Message> {
        switch field.kind {
        case .text, .longText:
            return checkRules(field.rules, text).map { .text($0) }
        case .number(let min, let max, let integerOnly):
            return Self.number(text, min: min, max: max, integerOnly: integerOnly).map { .number($0) }
        case .singleChoice(let options):
            guard options.contains(text) else { return .failure(Message("请从给定选项中选择")) }
            return .success(.choices([text]))
        case .date(let min, let max):
            guard let day = Day(InputNormalizer.foldFullWidth(text)) else { return .failure(Message("日期格式应为 YYYY-MM-DD，如 2026-05-01")) }
            if let min, let max, day < min || day > max { return .failure(Message("应在 \(min) 至 \(max) 之间")) }
            if let min, day < min { return .failure(Message("不能早于 \(min)")) }
            if let max, day > max { return .failure(Message("不能晚于 \(max)")) }
            return .success(.date(day))
        case .phone:
            guard let phone = Self.phone(text) else { return .failure(Message("不是有效的手机号或固定电话")) }
            return checkRules(field.rules, phone).map { .text($0) }
        case .email:
            guard let email = try? EmailAddress(text) else { return .failure(Message("不是有效的电子邮箱地址")) }
            return checkRules(field.rules, email.value).map { .text($0) }
        case .multipleChoice, .file, .consent:
            return .failure(Message("此项无法填写"))
        }
    }

    private func checkRules(_ rules: FormFieldRules, _ text: String) -> Result<String, Message> {
        let length = text.count
        let maximum = min(rules.maxLength ?? FormLimits.textMaxLength, FormLimits.textMaxLength)
        if length > maximum { return .failure(Message("不能超过 \(maximum) 个字（现有 \(length) 个）")) }
        if let minimum = rules.minLength, length < minimum { return .failure(Message("至少 \(minimum) 个字（现有 \(length) 个）")) }
        if let pattern = rules.pattern {
            // A definition that passed `validate()` compiles; one that does not refuses rather than accepts.
            guard let regex = try? Regex(pattern), (try? regex.wholeMatch(in: text)) != nil else {
                return .failure(Message(rules.patternMessage ?? "格式不正确"))
            }
        }
        return .success(text)
    }

    /// A decimal as people type it (full-width digits, thousands separators), within the field's range
    /// and never beyond ±`FormLimits.numberMagnitude`.
    static func number(_ text: String, min: Decimal?, max: Decimal?, integerOnly: Bool) -> Result<Decimal, Message> {
        let compact = InputNormalizer.foldFullWidth(text).filter { $0 != "," && $0 != " " }
        let allowed = Set("0123456789.-+")
        guard !compact.isEmpty, compact.allSatisfy(allowed.contains), compact.count <= 40,
            let value = Decimal(string: compact, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN
        else { return .failure(Message("请填写数字")) }
        if integerOnly {
            var rounded = Decimal()
            var copy = value
            NSDecimalRound(&rounded, &copy, 0, .plain)
            if rounded != value { return .failure(Message("请填写整数")) }
        }
        let bound = FormLimits.numberMagnitude
        let low = Swift.max(min ?? -bound, -bound)
        let high = Swift.min(max ?? bound, bound)
        if value < low || value > high {
            if min == nil && max == nil { return .failure(Message("超出范围")) }
            if let min, let max { return .failure(Message("超出范围，应在 \(format(min))–\(format(max)) 之间")) }
            if let min { return .failure(Message("超出范围，应不小于 \(format(min))")) }
            if let max { return .failure(Message("超出范围，应不大于 \(format(max))")) }
        }
        return .success(value)
    }

    static func format(_ value: Decimal) -> String { NSDecimalNumber(decimal: value).stringValue }

    /// A mainland mobile (normalized to 11 digits) or a landline `0AA(A)-NNNNNNN(N)` with an optional
    /// `-extension`; nil for anything else.
    public static func phone(_ text: String) -> String? {
        if let mobile = try? MobileNumber(text) { return mobile.value }
        let compact = InputNormalizer.foldFullWidth(text).filter { $0 != " " }
        let parts = compact.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let digits: (String) -> Bool = { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        guard parts.allSatisfy(digits), (1...3).contains(parts.count) else { return nil }
        let area: String
        let number: String
        var ext: String?
        if parts.count == 1 {
            // Without a dash: 0 + 2–3 digit area code + 7–8 digits, 10–12 digits in all.
            guard compact.hasPrefix("0"), (10...12).contains(compact.count) else { return nil }
            let areaLength = compact.hasPrefix("01") || compact.hasPrefix("02") ? 3 : 4
            area = String(compact.prefix(areaLength))
            number = String(compact.dropFirst(areaLength))
        } else {
            area = parts[0]
            number = parts[1]
            ext = parts.count == 3 ? parts[2] : nil
        }
        guard area.hasPrefix("0"), (3...4).contains(area.count), (7...8).contains(number.count), number.first != "0",
            (ext?.count ?? 1) <= 6
        else { return nil }
        return area + "-" + number + (ext.map { "-" + $0 } ?? "")
    }
}
