import Foundation

extension HTML {
    /// The summary above a form that was refused: every problem, in the form's order, each a link to its
    /// field (`#KEY`), so a keyboard or screen-reader user reaches the field from the summary. Nothing
    /// when there are no errors. The messages beside the fields stay (`inputField(… errors:)`).
    public mutating func formErrorSummary(_ errors: [String: String], labels: [String: String], order: [String]) {
        guard !errors.isEmpty else { return }
        let keys = order.filter { errors[$0] != nil } + errors.keys.filter { !order.contains($0) }.sorted()
        el(.div, .class("error-summary"), .role("alert"), .id("error-summary"), .attr("tabindex", literal: "-1")) { h in
            h.el(.p, .class("error-summary-title")) { h in
                h.raw("提交未成功，请修改以下 ")
                h.text(String(keys.count))
                h.raw(" 处：")
            }
            h.el(.ul) { h in
                for key in keys {
                    h.el(.li, .attr("data-field", key)) { h in
                        h.el(.a, .href("#" + key)) { h in
                            h.text(labels[key] ?? key)
                            h.raw("：")
                            h.text(errors[key] ?? "")
                        }
                    }
                }
            }
        }
    }
}
