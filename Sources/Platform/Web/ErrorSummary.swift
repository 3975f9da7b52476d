import Foundation

/// One problem of a refused form, as the summary above the form lists it.
public struct ErrorSummaryItem: Sendable {
    /// The field's name in the request (`data-error-key`, `data-field`).
    public let key: String
    /// The id of the control the link leads to.
    public let anchor: String
    public let label: String
    public let message: String

    public init(key: String, anchor: String, label: String, message: String) {
        self.key = key
        self.anchor = anchor
        self.label = label
        self.message = message
    }
}

extension HTML {
    /// The summary above a form that was refused: every problem, in the form's order, each a link to its
    /// field, so a keyboard or screen-reader user reaches the field from the summary (kexie.js moves
    /// the focus). Nothing when there are no problems. The messages beside the fields stay. Shared by the
    /// shared forms (`FormView`) and hand-written forms (`formErrorSummary`).
    public mutating func errorSummary(_ items: [ErrorSummaryItem]) {
        guard !items.isEmpty else { return }
        el(.div, .class("error-summary"), .role("alert"), .id("error-summary"), .attr("tabindex", literal: "-1")) { h in
            h.el(.h2) { h in
                h.raw("提交未成功，请修改以下 ")
                h.text(String(items.count))
                h.raw(" 处")
            }
            h.el(.ul) { h in
                for item in items {
                    h.el(.li, .attr("data-field", item.key)) { h in
                        h.el(.a, .href("#" + item.anchor), .attr("data-error-key", item.key)) { h in
                            h.text(item.label)
                            h.raw("：")
                            h.text(item.message)
                        }
                    }
                }
            }
        }
    }

    /// The summary for a hand-written form whose controls have the field's key as their id.
    public mutating func formErrorSummary(_ errors: [String: String], labels: [String: String], order: [String]) {
        let keys = order.filter { errors[$0] != nil } + errors.keys.filter { !order.contains($0) }.sorted()
        errorSummary(keys.map { ErrorSummaryItem(key: $0, anchor: $0, label: labels[$0] ?? $0, message: errors[$0] ?? "") })
    }
}
