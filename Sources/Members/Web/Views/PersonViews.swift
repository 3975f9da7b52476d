import Platform

extension ProfileForm {
    /// The profile's fieldsets (was Members/profile-fields.leaf), shared by the person form and 我的资料.
    func write(_ h: inout HTML) {
        h.el(.fieldset) { h in
            h.el(.legend, raw: "基本信息")
            h.inputField("name", label: "姓名", value: values["name"], errors: errors)
            h.selectField("sex", label: "性别", sexes, errors: errors)
            h.inputField("birthMonth", label: "出生年月", value: values["birthMonth"], errors: errors, .placeholder("例如 1985-06"))
            h.selectField("ethnicity", label: "民族", ethnicities, errors: errors)
            h.selectField("politicalStatus", label: "政治面貌", politicalStatuses, errors: errors)
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "学历与职称")
            h.selectField("education", label: "学历", educations, errors: errors)
            h.selectField("degree", label: "学位", degrees, errors: errors)
            h.inputField("titleName", label: "职称", value: values["titleName"], errors: errors, .placeholder("例如 研究员、高级工程师"))
            h.selectField("titleLevel", label: "职称级别（可由职称自动判断）", titleLevels, errors: errors)
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "工作与专业")
            h.inputField("employer", label: "工作单位", value: values["employer"], errors: errors)
            h.inputField("province", label: "所在省份", value: values["province"], errors: errors)
            h.inputField("city", label: "市", value: values["city"], errors: errors)
            h.inputField("county", label: "县（区）", value: values["county"], errors: errors)
            h.selectField("discipline", label: "学科（GB/T 13745）", disciplines, errors: errors)
            h.selectField("industry", label: "行业（GB/T 4754）", industries, errors: errors)
            h.inputField(
                "researchDirection", label: "研究方向", value: values["researchDirection"], errors: errors, .placeholder("例如 天然橡胶割胶技术"))
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "联系方式与证件")
            h.inputField(
                "phone", label: "手机", value: values["phone"], errors: errors, hint: maskedPhone.map { "已登记：\($0)，留空表示不修改" },
                .attr("inputmode", literal: "tel"), .attr("autocomplete", literal: "tel"))
            h.inputField("email", label: "电子邮箱", value: values["email"], errors: errors)
            h.inputField(
                "idNumber", label: "身份证号（选填）", value: "", errors: errors, hint: maskedIDNumber.map { "已登记：\($0)，留空表示不修改" },
                .attr("autocomplete", literal: "off"))
        }
    }
}

extension PersonPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.text(name)
            h.raw(" ")
            if verified {
                h.el(.span, .class("badge verified"), .id("person-verification"), .title("已实名核验"), raw: "✔ 已实名核验")
            } else {
                h.el(.span, .class("badge"), .id("person-verification"), text: verification)
            }
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("person-error"), text: error) }
        if let revealed {
            h.el(.div, .class("card highlight"), .role("status")) { h in
                h.el(.p) { h in
                    h.raw("完整号码（本次查看已记入审计日志）：")
                    h.el(.strong, .id("revealed"), text: revealed)
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                for f in facts { h.fact(label: f.label, f.value) }
                h.el(.div) { h in
                    h.el(.dt, raw: "手机")
                    h.el(.dd, .id("masked-phone"), text: phone)
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "身份证号")
                    h.el(.dd, .id("masked-id"), text: idNumber)
                }
            }
            h.el(.div, .class("actions")) { h in
                if let editLink { h.el(.a, .class("button"), .href(editLink), raw: "修改资料") }
                if let revealAction {
                    reveal(&h, revealAction, field: "phone", confirm: "查看完整手机号将记入审计日志，确定查看？", label: "查看完整手机号")
                    if hasIDNumber {
                        reveal(&h, revealAction, field: "id_number", confirm: "查看完整身份证号将记入审计日志，确定查看？", label: "查看完整身份证号")
                    }
                }
            }
        }
        if let verifyAction { writeVerification(&h, verifyAction) }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "学会会籍")
            h.dataTable(
                head: { h in h.columnHeaders(["学会", "会员编号", "级别", "状态"]) },
                body: { h in
                    for m in memberships {
                        h.el(.tr) { h in
                            h.el(.td) { h in
                                if let link = m.link { h.el(.a, .href(link), text: m.society) } else { h.text(m.society) }
                            }
                            h.el(.td, text: m.number)
                            h.el(.td, text: m.grade)
                            h.el(.td, text: m.status)
                        }
                    }
                    if memberships.isEmpty { h.emptyRow(columns: 4, "尚未加入学会") }
                })
        }
        if !panels.isEmpty {
            h.el(.section, .id("person-panels"), .attr("aria-label", literal: "各业务的记录")) { h in h.panels(panels) }
        }
    }

    private func reveal(_ h: inout HTML, _ action: String, field: StaticString, confirm: StaticString, label: StaticString) {
        h.el(.form, .method("post"), .action(action), .class("inline")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("field"), .attr("value", literal: field))
            h.el(.button, .type("submit"), .class("button"), .attr("data-confirm", literal: confirm), raw: label)
        }
    }

    private func writeVerification(_ h: inout HTML, _ verifyAction: String) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "实名核验")
            h.el(.p, .class("muted"), raw: "核对本人身份证件后确认姓名、性别、出生年月和身份证号无误。")
            h.el(.form, .method("post"), .action(verifyAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("verify-note"), raw: "说明（不通过时必填）")
                    h.void(.input, .id("verify-note"), .name("note"))
                }
                h.el(.button, .type("submit"), .class("button primary"), .name("outcome"), .attr("value", literal: "approve"), raw: "核验通过")
                h.el(.button, .type("submit"), .class("button danger"), .name("outcome"), .attr("value", literal: "reject"), raw: "核验不通过")
            }
            if !verifications.isEmpty {
                h.el(.ul, .class("timeline")) { h in
                    for v in verifications {
                        h.el(.li) { h in
                            h.el(.span, .class("muted"), text: v.label)
                            h.raw(" ")
                            h.text(v.value)
                        }
                    }
                }
            }
        }
    }
}

extension PersonFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, text: heading)
        if !form.errors.isEmpty { h.el(.p, .class("form-error"), .role("alert"), text: "请修改标出的 \(form.errors.count) 处后再保存。") }
        h.el(.form, .method("post"), .action(action), .class("card profile-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            if let organization {
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "所属组织")
                    h.organizationPicker(
                        "organizationID", label: "登记到", organization, errors: organizationError.map { ["organizationID": $0] } ?? [:])
                }
            }
            form.write(&h)
            h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
        }
    }
}
