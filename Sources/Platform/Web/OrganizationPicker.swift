import Fluent
import Foundation

/// What an organization picker shows: the set it offers and its current value (a chosen organization,
/// or the text a refused form sent back).
public struct OrganizationPickerValue: Sendable, Encodable {
    public let set: OrganizationChoiceSet
    /// The chosen organization's id, "" when none.
    public let id: String
    /// Its path (`云海省科协 › 东港市科协`), or what was typed.
    public let text: String

    public init(set: OrganizationChoiceSet, id: String, text: String) {
        self.set = set
        self.id = id
        self.text = text
    }

    public static func empty(_ set: OrganizationChoiceSet = .subtree) -> OrganizationPickerValue {
        OrganizationPickerValue(set: set, id: "", text: "")
    }
}

extension Actor {
    /// The picker's value for `selected` (by default the acting organization when `defaultToActing`),
    /// named by its path: one lookup, never the whole subtree.
    public func organizationPicker(
        selected: UUID?, set: OrganizationChoiceSet = .subtree, defaultToActing: Bool = true, on db: any Database
    ) async throws -> OrganizationPickerValue {
        let id = selected ?? (defaultToActing ? actingOrganizationID : nil)
        guard let choice = try await OrganizationLookup(db: db).choice(id) else { return .empty(set) }
        return OrganizationPickerValue(set: set, id: choice.id.uuidString, text: choice.path)
    }

    /// The picker's value after a refused submission: the organization the sent value names, or the
    /// sent text as it was.
    public func organizationPicker(sent: String?, set: OrganizationChoiceSet = .subtree, on db: any Database) async throws
        -> OrganizationPickerValue
    {
        let lookup = OrganizationLookup(db: db)
        if let id = try await lookup.resolve(sent, in: set, actor: self), let choice = try await lookup.choice(id) {
            return OrganizationPickerValue(set: set, id: choice.id.uuidString, text: choice.path)
        }
        return OrganizationPickerValue(set: set, id: "", text: sent ?? "")
    }
}

extension HTML {
    /// The shared organization picker (`data-org-picker`): a text box that org-picker.js turns into a
    /// type-ahead over `/organizations/lookup`, putting the chosen id in a hidden input named `key`.
    /// Without script the text box itself is posted under `key` and the server resolves the exact name
    /// or path (`OrganizationLookup.resolve`). A province has 1,000+ organizations: no `<select>` of
    /// them all is written.
    /// `id` is the text box's id when it differs from the field's name (several pickers on one page).
    public mutating func organizationPicker(
        _ key: String, id: String? = nil, label: String, _ value: OrganizationPickerValue, errors: [String: String],
        hint: String? = nil
    ) {
        let invalid = errors[key] != nil
        let control = id ?? key
        let described = [control + "-hint"] + (invalid ? [key + "-error"] : [])
        el(
            .div, .class(dynamic: invalid ? "field org-picker invalid" : "field org-picker"), .flag("data-org-picker"),
            .attr("data-lookup", PlatformRoutes.organizationLookup(query: ["set": value.set.rawValue]))
        ) { h in
            h.el(.label, .for(dynamic: control), text: label)
            h.void(
                .input, .id(dynamic: control), .name(dynamic: key), .type("text"), .value(value.text),
                .attr("data-org-id", value.id.isEmpty ? nil : value.id), .attr("maxlength", literal: "300"),
                .attr("autocomplete", literal: "off"), .attr("aria-invalid", invalid ? "true" : nil),
                .attr("aria-describedby", described.joined(separator: " ")))
            h.el(.p, .class("hint"), .id(dynamic: control + "-hint")) { h in
                if let hint {
                    h.text(hint)
                    h.raw("。")
                }
                h.raw("输入名称查找，用上下方向键选择、回车确认；也可填写完整名称或路径（如 省科协 › 市科协）")
            }
            h.fieldError(errors, key)
        }
        el(.script, .attr("src", literal: "/js/org-picker.js"), .flag("defer")) { _ in }
    }
}
