import Foundation
import KexieKit

/// A form definition ready to write as fields: the values to show (as posted, or an earlier answer)
/// and the errors of the last attempt. Every module that takes a form (the platform's fill page, event
/// registration, award applications, …) writes it with `HTML.formFields(_:)` inside its own `<form>`.
public struct FormView: Sendable {
    public let definition: FormDefinition
    public let values: [String: [String]]
    public let errors: [FormFieldError]
    public init(definition: FormDefinition, values: [String: [String]] = [:], errors: [FormFieldError] = []) {
        self.definition = definition
        self.values = values
        self.errors = errors
    }

    /// The values of stored answers, to show them again.
    public static func values(_ answers: [String: FormValue]) -> [String: [String]] {
        answers.mapValues(\.rawValues)
    }

    /// The id of a field's control (`field-KEY`); the error summary links to it.
    public static func controlID(_ key: String) -> String { "field-" + key }

    func error(_ key: String) -> String? { errors.first { $0.key == key }?.message }

    /// The errors as items of the page's error summary, each linking to its control.
    public var summaryItems: [ErrorSummaryItem] {
        let labels = Dictionary(definition.fields.map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        return errors.map {
            ErrorSummaryItem(key: $0.key, anchor: FormView.controlID($0.key), label: labels[$0.key] ?? $0.key, message: $0.message)
        }
    }
}

extension HTML {
    /// The error summary (when there are errors), then each section as a fieldset with its fields.
    /// Fields with a show-if carry `data-show-if` / `data-show-values`, which /js/forms.js uses to hide
    /// them while the condition does not hold; without script every field shows with its condition as
    /// a hint, and the server ignores answers to hidden fields either way.
    ///
    /// A page that has fields of its own beside the form's passes `summary: false` and writes one summary
    /// of everything with `view.summaryItems` (one summary per page, never two).
    public mutating func formFields(_ view: FormView, summary: Bool = true) {
        if summary, !view.errors.isEmpty { errorSummary(view.summaryItems) }
        el(.div, .class("form-fields"), .flag("data-form-fields")) { h in
            for (index, section) in view.definition.sections.enumerated() {
                h.el(.fieldset, .class("form-section"), .id(dynamic: "section-\(index + 1)")) { h in
                    if !section.title.isEmpty { h.el(.legend, text: section.title) }
                    for field in section.fields { h.formField(field, view) }
                }
            }
        }
        el(.script, .attr("src", literal: "/js/forms.js"), .flag("defer")) { _ in }
    }

    private mutating func formField(_ field: FormField, _ view: FormView) {
        let id = FormView.controlID(field.key)
        let message = view.error(field.key)
        let values = view.values[field.key] ?? []
        let showValues = field.showIf.map { Self.json($0.values) }
        let condition = field.showIf.map { showIf -> String in
            let controller = view.definition.field(showIf.key)?.label ?? showIf.key
            return "仅当“\(controller)”选择“\(showIf.values.joined(separator: "”或“"))”时填写"
        }
        var describedBy: [String] = []
        if field.help != nil { describedBy.append(id + "-hint") }
        if message != nil { describedBy.append(id + "-error") }
        let aria: [Attribute] = [
            .attr("aria-invalid", message != nil ? "true" : nil),
            .attr("aria-describedby", describedBy.isEmpty ? nil : describedBy.joined(separator: " ")),
        ]
        el(
            .div, .class(dynamic: message == nil ? "field" : "field invalid"), .id(dynamic: "wrap-" + field.key),
            .attr("data-field", field.key), .attr("data-kind", field.kind.name.rawValue), .attr("data-show-if", field.showIf?.key),
            .attr("data-show-values", showValues)
        ) { h in
            switch field.kind {
            case .multipleChoice(let options, _, _):
                h.el(.fieldset, .class("choices"), .id(dynamic: id), .attr("tabindex", literal: "-1")) { h in
                    h.el(.legend) { h in h.fieldLabel(field) }
                    for (index, option) in options.enumerated() {
                        h.el(.label, .class("check")) { h in
                            h.open(
                                .input,
                                [
                                    .type("checkbox"), .id(dynamic: "\(id)-\(index + 1)"), .name(dynamic: field.key), .value(option),
                                    .flag("checked", values.contains(option)),
                                ] + aria)
                            h.raw(" ")
                            h.text(option)
                        }
                    }
                }
            case .consent(let statement):
                h.el(.p, .class("label")) { h in h.fieldLabel(field) }
                h.el(.label, .class("check consent")) { h in
                    h.open(
                        .input,
                        [
                            .type("checkbox"), .id(dynamic: id), .name(dynamic: field.key), .attr("value", literal: "on"),
                            .flag("checked", !values.isEmpty),
                        ]
                            + aria)
                    h.raw(" ")
                    h.text(statement)
                }
            default:
                h.el(.label, .for(dynamic: id)) { h in h.fieldLabel(field) }
                h.control(field, id: id, value: values.first ?? "", aria: aria)
            }
            if let help = field.help { h.el(.p, .class("hint"), .id(dynamic: id + "-hint"), text: help) }
            if let condition { h.el(.p, .class("hint condition"), text: condition) }
            if let message { h.el(.p, .class("field-error"), .id(dynamic: id + "-error"), text: message) }
        }
    }

    private mutating func fieldLabel(_ field: FormField) {
        text(field.label)
        if field.required { el(.span, .class("required"), .attr("aria-label", literal: "必填"), raw: " *") }
    }

    private mutating func control(_ field: FormField, id: String, value: String, aria: [Attribute]) {
        let base: [Attribute] = [.id(dynamic: id), .name(dynamic: field.key)]
        let maxLength = String(min(field.rules.maxLength ?? FormLimits.textMaxLength, FormLimits.textMaxLength))
        switch field.kind {
        case .text:
            open(.input, base + [.type("text"), .value(value), .attr("maxlength", maxLength)] + aria)
        case .longText:
            open(.textarea, base + [.attr("rows", literal: "4"), .attr("maxlength", maxLength)] + aria)
            text(value)
            close(.textarea)
        case .number(let min, let max, let integerOnly):
            let mode: StaticString = integerOnly ? "numeric" : "decimal"
            open(
                .input,
                base + [.type("text"), .attr("inputmode", literal: mode), .value(value)]
                    + [.attr("data-min", min.map(FormNumberText.number)), .attr("data-max", max.map(FormNumberText.number))] + aria)
        case .singleChoice(let options):
            open(.select, base + aria)
            el(.option, .attr("value", literal: ""), raw: "请选择")
            for option in options { el(.option, .value(option), .flag("selected", option == value), text: option) }
            close(.select)
        case .date(let min, let max):
            open(
                .input,
                base + [.type("date"), .value(value), .attr("min", min?.description), .attr("max", max?.description)] + aria)
        case .phone:
            open(.input, base + [.type("tel"), .value(value), .attr("autocomplete", literal: "tel")] + aria)
        case .email:
            open(.input, base + [.type("email"), .value(value), .attr("autocomplete", literal: "email")] + aria)
        case .file(let maxFiles, let kinds):
            el(.p, .class("muted"), .id(dynamic: id)) { h in
                h.raw("附件由使用此表单的业务页面上传（最多 ")
                h.text(maxFiles)
                h.raw(" 个")
                if !kinds.isEmpty {
                    h.raw("，")
                    h.text(Array(Set(kinds.map(\.label))).sorted().joined(separator: "、"))
                }
                h.raw("）")
            }
        case .multipleChoice, .consent:
            break
        }
    }

    private static func json(_ values: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(values), as: UTF8.self)) ?? "[]"
    }
}

/// Numbers of a definition as people read them (`1`, `2.5`).
enum FormNumberText {
    static func number(_ value: Decimal) -> String { NSDecimalNumber(decimal: value).stringValue }
}
