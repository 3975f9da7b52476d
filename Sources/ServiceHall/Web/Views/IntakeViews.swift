import Platform

extension SubmitPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我要办事")
        h.el(.p, .class("muted")) { h in
            h.raw("建言献策、诉求反映、维权、法律咨询、职称申报咨询等事项在这里一次提交，由科协分派到相关部门或单位协同办理，并在规定的工作日内答复。")
            if !loggedIn { h.raw("未登录也可以提交，提交后请记下查询码。") }
        }
        if let formError = errors["form"] { h.el(.p, .class("form-error"), .role("alert"), text: formError) }
        h.el(.form, .method("post"), .action(action), .class("card"), .attr("enctype", literal: "multipart/form-data"), .flag("novalidate"))
        { h in
            shell.writeCSRF(&h)
            if let to = values["to"] { h.void(.input, .type("hidden"), .name("to"), .value(to)) }
            h.selectField("type", label: "事项类型", types, errors: errors)
            h.inputField("title", label: "标题", value: values["title"], errors: errors)
            h.textareaField("content", label: "具体内容", value: values["content"], errors: errors, .attr("rows", literal: "8"))
            h.inputField("contactName", label: loggedIn ? "联系人（留空使用账号姓名）" : "联系人", value: values["contactName"], errors: errors)
            h.inputField(
                "contactPhone", label: loggedIn ? "联系手机（留空使用资料中的手机）" : "联系手机", value: values["contactPhone"], errors: errors,
                .attr("inputmode", literal: "tel"))
            h.el(.div, HTML.fieldClass(errors, "files")) { h in
                h.el(.label, .for("files"), raw: "附件（选填，最多 5 个，每个不超过 10 MB；PDF、图片、Word、Excel、PowerPoint）")
                let invalid = errors["files"] != nil
                h.void(
                    .input, .type("file"), .id("files"), .name("files[]"), .flag("multiple"),
                    .attr("accept", literal: ".pdf,.png,.jpg,.jpeg,.gif,.webp,.doc,.docx,.xlsx,.pptx"),
                    .attr("aria-invalid", invalid ? "true" : nil),
                    .attr("aria-describedby", invalid ? "files-error" : nil))
                h.fieldError(errors, "files")
            }
            h.el(.div, .class("field")) { h in
                h.el(.label, .class("check")) { h in
                    h.void(
                        .input, .type("checkbox"), .name("isPublic"), .attr("value", literal: "yes"),
                        .flag("checked", values["isPublic"] == "yes"))
                    h.raw(" 同意在去除个人信息后公开本事项及答复")
                }
            }
            h.el(.button, .type("submit"), .class("button primary"), raw: "提交")
        }
    }
}

extension SubmittedPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "已提交")
        h.el(.section, .class("card highlight"), .role("status")) { h in
            h.el(.p, raw: "请记下您的查询码，用它随时查询办理进度：")
            h.el(.p) { h in h.el(.code, .class("token"), .id("tracking-code"), text: trackingCode) }
            h.el(.p) { h in
                h.raw("科协将在 ")
                h.el(.strong, .id("accept-due"), text: acceptDue)
                h.raw(" 前决定是否受理")
                if provisional { h.raw("（该日期所在年份的放假安排尚未发布，日期为暂定）") }
                h.raw("。")
            }
            h.el(.a, .class("button"), .href(trackLink), raw: "查看办理进度")
        }
    }
}

extension TrackPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "办理进度查询")
        h.formErrorSummary(errors, labels: ["code": "查询码", "phoneLast4": "联系电话后四位"], order: ["code", "phoneLast4"])
        h.el(.form, .method("get"), .action(ServiceHallRoutes.track.path), .class("inline-form"), .role("search")) { h in
            h.inputField("code", label: "查询码", value: code, errors: errors, .placeholder("KX-XXXX-XXXX-XXXX"))
            h.inputField(
                "phoneLast4", label: "联系电话后四位（查看答复）", value: digits, errors: errors,
                hint: "提交诉求时留的手机号后四位，仅用于查看答复内容", .attr("inputmode", literal: "numeric"),
                .attr("maxlength", literal: "4"), .attr("autocomplete", literal: "off"), .attr("pattern", literal: "[0-9]{4}"))
            h.el(.button, .type("submit"), .class("button primary"), raw: "查询")
        }
        if found {
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: title)
                h.el(.dl, .class("facts")) { h in
                    h.fact("事项类型", type)
                    h.el(.div) { h in
                        h.el(.dt, raw: "当前状态")
                        h.el(.dd, .id("case-state"), text: state)
                    }
                    h.fact("提交日期", receivedOn)
                    h.fact("受理期限", acceptDue)
                }
                if let reply {
                    h.el(.section, .class("card highlight"), .id("case-reply"), .attr("data-replied-on", reply.on.description)) { h in
                        h.el(.h3, raw: refused ? "不予受理的理由" : "答复内容")
                        h.el(.p, .class("source-text"), text: reply.text)
                        h.el(.p, .class("muted")) { h in
                            h.raw(refused ? "决定日期：" : "答复日期：")
                            h.text(reply.on.description)
                        }
                    }
                } else if replyPending {
                    h.el(.p, .class("notice"), .id("case-reply-pending"), raw: "尚未答复，答复后可在此查看答复内容。")
                }
                h.el(.ul, .class("timeline"), .id("case-timeline")) { h in
                    for s in steps {
                        h.el(.li) { h in
                            h.el(.span, .class("muted"), text: s.date)
                            h.raw(" ")
                            h.text(s.label)
                        }
                    }
                }
            }
        }
    }
}
