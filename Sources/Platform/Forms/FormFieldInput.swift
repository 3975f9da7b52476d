import Foundation
import KexieKit
import Vapor

/// The builder's field editor as posted: one text per input. `field(key:)` turns it into a
/// `FormField` or every problem by input name.
public struct FormFieldInput: Sendable {
    public static let names = [
        "kind", "label", "key", "help", "required", "personal", "section", "options", "min", "max", "integer", "minLength", "maxLength",
        "pattern", "patternMessage", "maxFiles", "statement", "showIfKey", "showIfValues",
    ]

    public var values: [String: String]

    public init(values: [String: String]) { self.values = values }

    subscript(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The inputs that show an existing field, for its editor.
    public static func values(of field: FormField, section: Int) -> [String: String] {
        var values: [String: String] = [
            "kind": field.kind.name.rawValue, "label": field.label, "key": field.key, "help": field.help ?? "", "section": String(section),
            "showIfKey": field.showIf?.key ?? "", "showIfValues": field.showIf?.values.joined(separator: "\n") ?? "",
            "minLength": field.rules.minLength.map(String.init) ?? "", "maxLength": field.rules.maxLength.map(String.init) ?? "",
            "pattern": field.rules.pattern ?? "", "patternMessage": field.rules.patternMessage ?? "",
        ]
        if field.required { values["required"] = "on" }
        if field.personal { values["personal"] = "on" }
        switch field.kind {
        case .number(let min, let max, let integerOnly):
            values["min"] = min.map(FormNumberText.number) ?? ""
            values["max"] = max.map(FormNumberText.number) ?? ""
            if integerOnly { values["integer"] = "on" }
        case .singleChoice(let options): values["options"] = options.joined(separator: "\n")
        case .multipleChoice(let options, let minimum, let maximum):
            values["options"] = options.joined(separator: "\n")
            values["min"] = minimum.map(String.init) ?? ""
            values["max"] = maximum.map(String.init) ?? ""
        case .date(let min, let max):
            values["min"] = min?.description ?? ""
            values["max"] = max?.description ?? ""
        case .file(let maxFiles, _): values["maxFiles"] = String(maxFiles)
        case .consent(let statement): values["statement"] = statement
        case .text, .longText, .phone, .email: break
        }
        return values
    }

    /// The field, or the problems of the inputs (keyed by input name). `key` is the field's key when
    /// editing; a new field without one gets `f1`, `f2`, … (the first not in `taken`).
    public func field(key existing: String?, taken: Set<String>) -> Result<FormField, InvalidFields> {
        var errors = FieldErrors()
        guard let kindName = FormFieldKind.Name(rawValue: self["kind"]) else {
            errors.add("kind", "请选择字段类型")
            return .failure(InvalidFields(errors, order: Self.names))
        }
        let label = self["label"]
        if label.isEmpty { errors.add("label", "请填写字段名称") }
        var key = existing ?? self["key"]
        if key.isEmpty { key = (1...).lazy.map { "f\($0)" }.first { !taken.contains($0) } ?? "f" }
        let options = (values["options"] ?? "").split(whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        let kind: FormFieldKind
        switch kindName {
        case .text: kind = .text
        case .longText: kind = .longText
        case .phone: kind = .phone
        case .email: kind = .email
        case .number:
            let min = decimal("min", &errors)
            let max = decimal("max", &errors)
            kind = .number(min: min, max: max, integerOnly: !self["integer"].isEmpty)
        case .singleChoice:
            if options.isEmpty { errors.add("options", "请填写选项，每行一个") }
            kind = .singleChoice(options: options)
        case .multipleChoice:
            if options.isEmpty { errors.add("options", "请填写选项，每行一个") }
            let minimum = integer("min", &errors)
            let maximum = integer("max", &errors)
            kind = .multipleChoice(options: options, minSelections: minimum, maxSelections: maximum)
        case .date:
            let earliest = day("min", &errors)
            let latest = day("max", &errors)
            kind = .date(min: earliest, max: latest)
        case .file:
            kind = .file(maxFiles: integer("maxFiles", &errors) ?? 1, kinds: [])
        case .consent:
            if self["statement"].isEmpty { errors.add("statement", "请填写声明内容") }
            kind = .consent(statement: self["statement"])
        }
        var rules = FormFieldRules()
        if kind.takesTextRules {
            rules.minLength = integer("minLength", &errors)
            rules.maxLength = integer("maxLength", &errors)
            if !self["pattern"].isEmpty {
                rules.pattern = self["pattern"]
                rules.patternMessage = self["patternMessage"].isEmpty ? nil : self["patternMessage"]
                if rules.patternMessage == nil { errors.add("patternMessage", "请填写不符合格式时的提示") }
            }
        }
        var showIf: FormShowIf?
        if !self["showIfKey"].isEmpty {
            let wanted = (values["showIfValues"] ?? "").split(whereSeparator: { $0.isNewline || $0 == "、" }).map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            if wanted.isEmpty { errors.add("showIfValues", "请填写显示条件的取值，每行一个") }
            showIf = FormShowIf(key: self["showIfKey"], values: wanted)
        }
        guard errors.isEmpty else { return .failure(InvalidFields(errors, order: Self.names)) }
        return .success(
            FormField(
                key: key, label: label, help: self["help"].isEmpty ? nil : self["help"], kind: kind, required: !self["required"].isEmpty,
                rules: rules, showIf: showIf, personal: !self["personal"].isEmpty))
    }

    public var section: Int { Int(self["section"]) ?? 0 }

    private func integer(_ name: String, _ errors: inout FieldErrors) -> Int? {
        let text = self[name]
        guard !text.isEmpty else { return nil }
        guard let value = Int(text), (0...100_000).contains(value) else {
            errors.add(name, "请填写 0–100000 之间的整数")
            return nil
        }
        return value
    }

    private func decimal(_ name: String, _ errors: inout FieldErrors) -> Decimal? {
        let text = self[name]
        guard !text.isEmpty else { return nil }
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), text.allSatisfy({ "0123456789.-".contains($0) })
        else {
            errors.add(name, "请填写数字")
            return nil
        }
        return value
    }

    private func day(_ name: String, _ errors: inout FieldErrors) -> Day? {
        let text = self[name]
        guard !text.isEmpty else { return nil }
        guard let day = Day(text) else {
            errors.add(name, "日期格式应为 YYYY-MM-DD")
            return nil
        }
        return day
    }
}

/// An `application/x-www-form-urlencoded` body read as posted: every value of every key, in order,
/// so a group of checkboxes with one name arrives whole. (Vapor's decoder reads `a[]` as nesting and
/// keeps one value of a repeated plain key.)
public enum PostedForm {
    public static func values(_ req: Request) -> [String: [String]] {
        guard let body = req.body.string else { return [:] }
        return parse(body)
    }

    public static func parse(_ body: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = parts.first else { continue }
            let key = decode(rawKey)
            guard !key.isEmpty, key != "_csrf" else { continue }
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if (result[key]?.count ?? 0) < FormLimits.valuesPerKey { result[key, default: []].append(value) }
        }
        return result
    }

    private static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }

    /// The first value of each key, for forms of single inputs.
    public static func single(_ values: [String: [String]]) -> [String: String] {
        values.compactMapValues(\.first)
    }
}
