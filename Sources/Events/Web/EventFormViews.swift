import Platform

extension EventFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(cancelLink), raw: "← 返回") }
        h.el(.h1, text: heading)
        h.formErrorSummary(errors, labels: labels, order: EventService.order(FieldErrorsView(errors).fieldErrors))
        if logisticsOnly {
            h.el(
                .p, .class("notice"), .id("logistics-only"),
                raw: "活动已发布：名称、类型、级别、时间、主办单位、面向对象和名额不能再改；地点、线上链接、日程、报告人、报名时间和费用说明可以修改。")
        }
        h.el(.section, .class("card")) { h in
            h.el(.form, .method("post"), .action(action), .class("event-form"), .id("event-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                // Enter in a text box presses the form's first submit button: make that 保存, not 增加一行.
                h.el(
                    .button, .type("submit"), .class("visually-hidden"), .name("intent"), .attr("value", literal: "draft"),
                    .attr("tabindex", literal: "-1"), .attr("aria-hidden", literal: "true"), raw: "保存")
                h.void(.input, .type("hidden"), .name("sessionRows"), .value(String(sessionRows)))
                h.void(.input, .type("hidden"), .name("speakerRows"), .value(String(speakerRows)))
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "基本信息")
                    text(&h, "title", "活动名称", hint: "4–100 个字，如 2026 年云海省科协学术年会", locked: true)
                    select(&h, "kind", "活动类型", kinds)
                    select(&h, "level", "活动级别", levels)
                    if let value = pickers["organization"] {
                        h.organizationPicker("organization", label: "主办单位", value, errors: errors, hint: "默认为本单位，可选下级单位")
                    }
                    text(&h, "field", "学科领域（选填）", hint: "如 材料科学、作物学，用于日历筛选")
                    h.formField("summary", label: "活动简介", control: .textarea(rows: "5", value: values["summary"]), errors: errors)
                }
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "时间与地点")
                    time(&h, "startsAt", "开始时间", locked: true)
                    time(&h, "endsAt", "结束时间", locked: true)
                    text(&h, "venue", "地点", hint: "线下活动填写地点；纯线上活动可留空并填写线上链接")
                    text(&h, "onlineLink", "线上链接（选填）", hint: "https:// 开头的直播或会议链接", type: "url")
                }
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "报名")
                    text(
                        &h, "capacity", "名额", hint: "1–100000，不限名额请留空", type: "number",
                        extra: [.attr("min", literal: "1"), .attr("max", literal: "100000")], locked: true)
                    check(&h, "waitlist", "名额满后接受候补（有人取消时按报名先后递补）")
                    check(&h, "moderated", "报名需主办单位审核")
                    time(&h, "registrationOpensAt", "报名开始（选填）")
                    time(&h, "registrationClosesAt", "报名截止（选填，默认为活动开始）")
                    time(&h, "cancelUntil", "取消报名截止（选填，默认为活动开始）")
                    text(&h, "feeNote", "费用说明（选填）", hint: "如 免费；会务费 800 元（会员 600 元）")
                    select(&h, "audience", "面向对象", audiences)
                    if logisticsOnly {
                        h.void(.input, .type("hidden"), .name("form"), .value(values["form"] ?? ""))
                    } else {
                        h.formField(
                            "form", label: "报名表（选填）", control: .select(forms), errors: errors,
                            hint: "报名时除姓名、手机和单位外还要填写的问题；在“表单”中新建用途为活动报名的表单并发布后可选")
                    }
                    h.el(.div, .class("picker-group"), .id("society-pickers")) { h in
                        for i in 1...3 {
                            if let value = pickers["society\(i)"] {
                                var shown = errors
                                if i == 1, let message = errors["societies"] { shown["society1"] = message }
                                h.organizationPicker(
                                    "society\(i)", id: i == 1 ? "societies" : nil, label: "面向学会 \(i)", value, errors: shown,
                                    hint: i == 1 ? "面向对象为“指定学会会员”时必填" : nil)
                            }
                        }
                    }
                    h.el(.div, .class("picker-group"), .id("co-organizer-pickers")) { h in
                        for i in 1...3 {
                            if let value = pickers["coOrganizer\(i)"] {
                                var shown = errors
                                if i == 1, let message = errors["coOrganizers"] { shown["coOrganizer1"] = message }
                                h.organizationPicker(
                                    "coOrganizer\(i)", id: i == 1 ? "coOrganizers" : nil, label: "协办单位 \(i)（选填）", value, errors: shown)
                            }
                        }
                    }
                }
                h.el(.fieldset, .id("sessions")) { h in
                    h.el(.legend, raw: "日程")
                    h.el(.p, .class("hint"), raw: "每项日程的时间应在活动起止时间之内；不需要的行留空即可。")
                    h.fieldError(errors, "sessions")
                    for i in 1...sessionRows {
                        h.el(.div, .class("row-group"), .attr("data-session-row", String(i))) { h in
                            text(&h, "session-\(i)-title", "第 \(i) 项 名称")
                            time(&h, "session-\(i)-startsAt", "开始")
                            time(&h, "session-\(i)-endsAt", "结束")
                            text(&h, "session-\(i)-room", "会场")
                        }
                    }
                    h.el(
                        .button, .type("submit"), .class("button"), .name("intent"), .attr("value", literal: "add_session"),
                        .id("add-session"),
                        raw: "增加一行日程")
                }
                h.el(.fieldset, .id("speakers")) { h in
                    h.el(.legend, raw: "报告人")
                    h.fieldError(errors, "speakers")
                    for i in 1...speakerRows {
                        h.el(.div, .class("row-group"), .attr("data-speaker-row", String(i))) { h in
                            text(&h, "speaker-\(i)-name", "第 \(i) 位 姓名")
                            text(&h, "speaker-\(i)-affiliation", "职称与单位", hint: "如 中国科学院院士 · 云海大学")
                            text(&h, "speaker-\(i)-topic", "报告题目")
                            text(&h, "speaker-\(i)-personID", "人员库编号（选填）", hint: "与人员库中的人关联")
                        }
                    }
                    h.el(
                        .button, .type("submit"), .class("button"), .name("intent"), .attr("value", literal: "add_speaker"),
                        .id("add-speaker"),
                        raw: "增加一位报告人")
                }
                h.el(.div, .class("actions")) { h in
                    h.el(
                        .button, .type("submit"), .class("button"), .name("intent"), .attr("value", literal: "draft"), .id("save-draft"),
                        raw: "保存")
                    if !logisticsOnly {
                        h.el(
                            .button, .type("submit"), .class("button primary"), .name("intent"), .attr("value", literal: "submit"),
                            .id("submit-review"), raw: "保存并提交审核")
                    }
                    h.el(.a, .href(cancelLink), raw: "取消")
                }
            }
        }
    }

    private func text(
        _ h: inout HTML, _ key: String, _ label: String, hint: String? = nil, type: StaticString = "text", extra: [Attribute] = [],
        locked: Bool = false
    ) {
        let readonly: [Attribute] = locked && logisticsOnly ? [.flag("readonly")] : []
        h.formField(
            key, label: label, control: .input(type: type, value: values[key] ?? "", extra: extra + readonly), errors: errors, hint: hint)
    }

    private func time(_ h: inout HTML, _ key: String, _ label: String, locked: Bool = false) {
        text(&h, key, label, hint: nil, type: "datetime-local", locked: locked)
    }

    private func select(_ h: inout HTML, _ key: String, _ label: String, _ options: [SelectOption]) {
        h.formField(key, label: label, control: .select(options), errors: errors)
    }

    private func check(_ h: inout HTML, _ key: String, _ label: String) {
        h.el(.div, .class("field check")) { h in
            h.el(.label, .class("check")) { h in
                h.void(
                    .input, .type("checkbox"), .name(dynamic: key), .id(dynamic: key), .attr("value", literal: "on"),
                    .flag("checked", values[key] != nil))
                h.raw(" ")
                h.text(label)
            }
        }
    }
}

/// The page's errors as `FieldErrors`, for the shared ordering.
struct FieldErrorsView {
    let fieldErrors: FieldErrors
    init(_ messages: [String: String]) {
        var errors = FieldErrors()
        for (key, message) in messages { errors.add(key, message) }
        fieldErrors = errors
    }
}
