import Platform

extension CasePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.text(title)
            h.raw(" ")
            h.el(.small, .class("muted"), text: code)
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("step-error"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("事项类型", type)
                h.el(.div) { h in
                    h.el(.dt, raw: "状态")
                    h.el(.dd, .id("case-state"), text: state)
                }
                h.fact("承办单位", unit)
                h.fact("联系人", contact)
                h.fact("受理期限", acceptDue)
                h.fact("答复期限", answerDue)
            }
            h.el(.p, .class("case-content"), text: content)
            if !attachments.isEmpty {
                h.el(.ul, .class("attachments"), .id("case-attachments")) { h in
                    for a in attachments { h.el(.li) { h in h.el(.a, .href(a.value), text: a.label) } }
                }
            }
            if let answer {
                h.el(.div, .class("card highlight")) { h in
                    h.el(.h2, raw: "答复")
                    h.el(.p, .id("case-answer"), text: answer)
                }
            }
            if let rating {
                h.el(.p) { h in
                    h.raw("满意度评价：")
                    h.el(.strong, .id("case-rating"), text: rating)
                }
            }
            if let adoption {
                h.el(.p) { h in
                    h.el(.span, .class("badge verified"), raw: "已采纳")
                    h.raw(" ")
                    h.el(.span, .id("case-adoption"), text: adoption)
                }
            }
            if let adoptAction {
                h.el(.form, .method("post"), .action(adoptAction), .class("inline-form"), .flag("novalidate")) { h in
                    shell.writeCSRF(&h)
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for("adopt-note"), raw: "采纳情况（做了什么）")
                        h.void(.input, .id("adopt-note"), .name("note"))
                    }
                    h.el(.button, .type("submit"), .class("button"), .id("do-adopt"), raw: "标记采纳")
                }
            }
        }
        if !actions.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "办理")
                for a in actions { write(&h, a) }
            }
        } else if let waiting {
            // Nothing for this viewer to do now: say whose turn it is.
            h.el(.p, .class("notice"), .id("case-waiting"), .role("status"), text: waiting)
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "办理记录")
            h.el(.ul, .class("timeline"), .id("case-history")) { h in
                for s in steps {
                    h.el(.li) { h in
                        h.el(.span, .class("muted"), text: s.date)
                        h.raw(" ")
                        h.el(.strong, text: s.action)
                        h.raw(" ")
                        h.text(s.who)
                        if let comment = s.comment {
                            h.raw("：")
                            h.text(comment)
                        }
                    }
                }
            }
            if steps.isEmpty { h.el(.p, .class("muted"), raw: "尚无办理记录") }
        }
    }

    /// One step's form: the hidden action, the inputs the step needs, the comment and the button.
    private func write(_ h: inout HTML, _ a: ActionForm) {
        h.el(.form, .method("post"), .action(transitionAction), .class("inline-form step-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("action"), .value(a.action))
            if a.needsDepartment {
                field(&h, "department-" + a.action, label: "承办部门", name: "department") { h in
                    h.el(.option, .attr("value", literal: ""), raw: "请选择")
                    for o in departments { h.el(.option, .value(o.value), text: o.label) }
                }
            }
            if a.needsOrganization, let transferTarget {
                h.organizationPicker("organization", id: "organization-" + a.action, label: "转办到", transferTarget, errors: [:])
            }
            if a.needsRating {
                field(&h, "rating-" + a.action, label: "满意度（1–5 分）", name: "rating") { h in
                    h.el(.option, .attr("value", literal: ""), raw: "请选择")
                    h.el(.option, .attr("value", literal: "5"), raw: "5 非常满意")
                    h.el(.option, .attr("value", literal: "4"), raw: "4 满意")
                    h.el(.option, .attr("value", literal: "3"), raw: "3 基本满意")
                    h.el(.option, .attr("value", literal: "2"), raw: "2 不满意")
                    h.el(.option, .attr("value", literal: "1"), raw: "1 非常不满意")
                }
            }
            h.el(.div, .class("field")) { h in
                h.el(.label, .for(dynamic: "comment-" + a.action), text: a.commentLabel)
                // Answers and reasons run to paragraphs: a multi-line field.
                h.el(
                    .textarea, .id(dynamic: "comment-" + a.action), .name("comment"),
                    .attr("rows", literal: a.action == "answer" || a.action == "reject" ? "6" : "3")
                ) { _ in }
            }
            h.el(.button, .type("submit"), .class("button"), .id(dynamic: "do-" + a.action), text: a.label)
        }
    }

    private func field(_ h: inout HTML, _ id: String, label: StaticString, name: StaticString, options: (inout HTML) -> Void) {
        h.el(.div, .class("field")) { h in
            h.el(.label, .for(dynamic: id), raw: label)
            h.el(.select, .id(dynamic: id), .name(name), content: options)
        }
    }
}
