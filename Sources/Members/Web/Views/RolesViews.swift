import Platform

extension DeletionsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "注销申请")
        h.el(.p, .class("muted"), raw: "同意后，本人的姓名、联系方式、证件号和研究方向将被删除，账号停用；性别、年龄、学科、职称、地区和所属组织保留用于统计。")
        if let error { h.el(.p, .class("form-error"), .role("alert"), text: error) }
        h.dataTable(
            head: { h in h.columnHeaders(["申请人", "申请时间", "原因", "状态", "处理"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: r.name)
                        h.el(.td, text: r.requestedAt)
                        h.el(.td, text: r.reason)
                        h.el(.td, text: r.status)
                        h.el(.td) { h in
                            if let action = r.action { writeDecision(&h, action) } else { h.text(r.decision) }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "没有注销申请") }
            })
    }

    private func writeDecision(_ h: inout HTML, _ action: String) {
        h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.el(.div, .class("field")) { h in
                h.el(.label) { h in
                    h.raw("说明（不同意时必填）")
                    h.void(.input, .name("note"))
                }
            }
            h.el(
                .button, .type("submit"), .class("button danger"), .name("outcome"), .attr("value", literal: "approve"),
                .attr("data-confirm", literal: "同意后将不可恢复，确定？"), raw: "同意并注销")
            h.raw(" ")
            h.el(.button, .type("submit"), .class("button"), .name("outcome"), .attr("value", literal: "refuse"), raw: "不同意")
        }
    }
}

extension ExpertsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "专家库")
            h.el(.span, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(csvLink), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(xlsxLink), raw: "Excel")
            }
        }
        h.el(.form, .method("get"), .action(MembersRoutes.experts.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "姓名、单位或研究方向", value: q)
            h.selectField("field", "专业领域", fields)
            h.inputField("region", "地区（市或县区）", value: region)
            h.selectField("role", "专家类别", roles)
            h.selectField("availability", "可参加情况", availabilities)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
        }
        h.dataTable(
            .id("experts"),
            head: { h in
                h.columnHeaders(["姓名", "工作单位", "职称", "地区", "类别", "领域", "可参加"])
                if canManage { h.columnHeaders(["回避"]) }
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.name) }
                        h.el(.td, text: r.employer)
                        h.el(.td, text: r.title)
                        h.el(.td, text: r.region)
                        h.el(.td, text: r.roles)
                        h.el(.td, text: r.fields)
                        h.el(.td, text: r.availability)
                        if canManage { h.el(.td) { h in h.el(.a, .href(r.conflictsLink), raw: "回避声明") } }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: canManage ? 8 : 7, "没有符合条件的专家") }
            })
        if canManage { writeForm(&h) }
    }

    private func writeForm(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "入库或更新专家")
            h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "person")) { h in
                    h.el(.label, .for("expert-person"), raw: "人员手机号或身份证号")
                    let invalid = errors["person"] != nil
                    h.void(
                        .input, .id("expert-person"), .name("person"), .value(values["person"] ?? ""),
                        .attr("aria-invalid", invalid ? "true" : nil),
                        .attr("aria-describedby", invalid ? "expert-person-error" : nil))
                    if let error = errors["person"] { h.el(.p, .class("field-error"), .id("expert-person-error"), text: error) }
                }
                h.el(.fieldset, HTML.fieldClass(errors, "roles")) { h in
                    h.el(.legend, raw: "专家类别")
                    for o in roleChoices {
                        h.el(.label, .class("check")) { h in
                            h.void(.input, .type("checkbox"), .name("roles[]"), .value(o.value), .flag("checked", o.selected))
                            h.raw(" ")
                            h.text(o.label)
                        }
                    }
                    h.fieldError(errors, "roles")
                }
                h.el(.div, HTML.fieldClass(errors, "fields")) { h in
                    h.el(.label, .for("expert-fields"), raw: "另加专业领域")
                    h.el(.select, .id("expert-fields"), .name("fields")) { h in h.options(fieldChoices) }
                    h.fieldError(errors, "fields")
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("expert-availability"), raw: "可参加情况")
                    h.el(.select, .id("expert-availability"), .name("availability")) { h in h.options(availabilityChoices) }
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("expert-note"), raw: "备注")
                    h.void(.input, .id("expert-note"), .name("note"), .value(values["note"] ?? ""))
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
            }
        }
    }
}

extension ImportUploadPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "批量导入科技工作者")
        h.el(.section, .class("card")) { h in
            h.el(.ol) { h in
                h.el(.li) { h in
                    h.raw("下载导入模板：")
                    h.el(.a, .href(xlsxTemplate), .id("template-xlsx"), raw: "Excel 模板")
                    h.raw(" 或 ")
                    h.el(.a, .href(csvTemplate), .id("template-csv"), raw: "CSV 模板")
                    h.raw("。“可选值”工作表列出性别、学历、职称级别、学科和行业的写法。")
                }
                h.el(.li, raw: "每行一人，姓名和手机必填；有身份证号时，性别和出生年月须与身份证号一致。")
                h.el(.li, raw: "上传后系统逐行检查并列出有问题的行；全部通过并确认后才会写入，且一次全部写入，不会只导入一部分。")
            }
            if let error { h.el(.p, .class("form-error"), .role("alert"), .id("upload-error"), text: error) }
            h.el(
                .form, .method("post"), .action(action), .attr("enctype", literal: "multipart/form-data"), .class("inline-form"),
                .flag("novalidate")
            ) { h in
                shell.writeCSRF(&h)
                h.organizationPicker("organizationID", label: "登记到", organization, errors: [:])
                h.el(.div, .class(dynamic: error == nil ? "field" : "field invalid")) { h in
                    h.el(.label, .for("file"), raw: "文件（.xlsx 或 .csv，不超过 20 MB）")
                    h.void(.input, .type("file"), .id("file"), .name("file"), .attr("accept", literal: ".xlsx,.csv"))
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "上传并检查")
            }
        }
    }
}

extension ImportBatchPage: HTMLPage {
    func content(_ h: inout HTML) {
        if running { h.void(.meta, .attr("http-equiv", literal: "refresh"), .attr("content", literal: "1")) }
        h.el(.h1, text: "导入：" + fileName)
        let isError = failed || (previewed && confirmAction == nil)
        h.el(
            .p, .id("import-status"), .class(dynamic: isError ? "notice error" : "notice"), .attr("role", running ? "status" : nil),
            text: status)
        if running {
            h.el(.section, .class("card")) { h in
                h.el(.label, .for("import-progress"), text: "\(progressPhase)：已写入 \(progressDone) / \(progressTotal) 行")
                h.el(.progress, .id("import-progress"), .value(String(progressDone)), .attr("max", String(progressTotal))) { _ in }
                h.el(.p, .class("muted"), raw: "页面每秒自动刷新。")
            }
        }
        if done {
            h.el(.section, .class("card")) { h in
                h.el(.p, .id("import-result")) { h in
                    h.raw("已导入 ")
                    h.el(.strong, text: String(imported))
                    h.raw(" 人。")
                }
                h.el(.a, .class("button primary"), .href(peopleLink), raw: "查看科技工作者名单")
            }
        }
        if failed {
            h.el(.section, .class("card")) { h in
                h.el(.p, .class("form-error"), .id("import-result"), text: failure ?? "")
                h.el(.a, .class("button"), .href(uploadLink), raw: "重新上传")
            }
        }
        if previewed { writePreview(&h) }
    }

    private func writePreview(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.p, .id("import-summary"), text: "共 \(total) 行，通过检查 \(valid) 行，有问题 \(problems.count) 行。")
            for problem in headerProblems { h.el(.p, .class("form-error"), text: problem) }
            if let confirmAction {
                h.el(.form, .method("post"), .action(confirmAction), .class("inline")) { h in
                    shell.writeCSRF(&h)
                    h.el(.button, .type("submit"), .class("button primary"), .id("confirm-import"), text: "确认导入 \(valid) 人")
                }
            } else {
                h.el(.p, .class("form-error"), .role("alert"), raw: "请在表格中改正下列问题后重新上传，本次未写入任何数据。")
                h.el(.a, .class("button"), .href(uploadLink), raw: "重新上传")
            }
        }
        guard !problems.isEmpty else { return }
        h.dataTable(
            .id("import-problems"), head: { h in h.columnHeaders(["行号", "姓名", "问题"]) },
            body: { h in
                for p in problems {
                    h.el(.tr) { h in
                        h.el(.td, text: "第 \(p.row) 行")
                        h.el(.td, text: p.name)
                        h.el(.td) { h in
                            for m in p.messages { h.el(.div, text: m) }
                        }
                    }
                }
            })
        if moreProblems > 0 { h.el(.p, .class("muted"), text: "另有 \(moreProblems) 行有问题未列出。") }
    }
}

extension HTML {
    /// A select in a small form: the wrapper marked invalid and the error under it, without aria on the
    /// select (the representatives, three-heads and society forms).
    mutating func plainSelectField(_ key: String, id: String, label: StaticString, _ options: [SelectOption], errors: [String: String]) {
        el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: id), raw: label)
            h.el(.select, .id(dynamic: id), .name(dynamic: key)) { h in h.options(options) }
            h.fieldError(errors, key)
        }
    }

    /// A text box in a small form: the wrapper marked invalid and the error under it, no aria.
    mutating func plainInputField(
        _ key: String, label: StaticString, value: String?, errors: [String: String], placeholder: StaticString? = nil
    ) {
        el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            let placeholderAttribute: Attribute = placeholder.map { .placeholder($0) } ?? .flag("placeholder", false)
            h.void(.input, .id(dynamic: key), .name(dynamic: key), .value(value ?? ""), placeholderAttribute)
            h.fieldError(errors, key)
        }
    }

    /// The CSV and Excel links of a roster page's heading.
    mutating func rosterExports(csv: String, xlsx: String) {
        el(.span, .class("exports")) { h in
            h.raw("导出：")
            h.el(.a, .href(csv), raw: "CSV")
            h.raw(" ")
            h.el(.a, .href(xlsx), raw: "Excel")
        }
    }

    /// The person look-up box of the roster forms (phone or ID number), described by its error.
    mutating func personField(id: String, values: [String: String], errors: [String: String]) {
        el(.div, HTML.fieldClass(errors, "person")) { h in
            h.el(.label, .for(dynamic: id), raw: "人员手机号或身份证号")
            let invalid = errors["person"] != nil
            h.void(
                .input, .id(dynamic: id), .name("person"), .value(values["person"] ?? ""), .attr("aria-invalid", invalid ? "true" : nil),
                .attr("aria-describedby", invalid ? id + "-error" : nil))
            if let error = errors["person"] { h.el(.p, .class("field-error"), .id(dynamic: id + "-error"), text: error) }
        }
    }
}

extension RepresentativesPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "代表与委员")
            h.rosterExports(csv: csvLink, xlsx: xlsxLink)
        }
        for b in bodies {
            h.el(.section, .class("card")) { h in
                h.el(.h2) { h in
                    h.text(b.title)
                    h.raw(" ")
                    h.el(.small, .class("muted"), text: "\(b.count) 人")
                }
                h.dataTable(
                    .class("dense"), head: { h in h.columnHeaders(["姓名", "身份", "推选单位", "工作单位"]) },
                    body: { h in
                        for s in b.seats {
                            h.el(.tr) { h in
                                h.el(.td) { h in h.el(.a, .href(s.link), text: s.name) }
                                h.el(.td, text: s.role)
                                h.el(.td, text: s.constituency)
                                h.el(.td, text: s.employer)
                            }
                        }
                    })
            }
        }
        if bodies.isEmpty { h.el(.p, .class("muted"), raw: "尚无代表或委员登记。") }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "登记代表或委员")
            h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.personField(id: "rep-person", values: values, errors: errors)
                h.plainInputField("body", label: "会议或委员会", value: values["body"], errors: errors, placeholder: "云海省科协第十次代表大会")
                h.plainInputField("term", label: "届次", value: values["term"], errors: errors, placeholder: "第十届（2021—2026）")
                h.plainSelectField("role", id: "rep-role", label: "身份", roles, errors: errors)
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("constituency"), raw: "推选单位")
                    h.void(.input, .id("constituency"), .name("constituency"), .value(values["constituency"] ?? ""))
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "登记")
            }
        }
    }
}

extension ThreeHeadsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "三长名册")
            h.rosterExports(csv: csvLink, xlsx: xlsxLink)
        }
        h.el(.p, .class("muted"), raw: "医院院长、学校校长、农技站站长（“三长”）在基层科协任职的登记。")
        h.dataTable(
            head: { h in h.columnHeaders(["组织", "姓名", "类别", "所在单位", "任职起始", "操作"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: r.organization)
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.name) }
                        h.el(.td, text: r.kind)
                        h.el(.td, text: r.institution)
                        h.el(.td, text: r.since)
                        h.el(.td) { h in
                            h.el(.form, .method("post"), .action(r.removeAction), .class("inline")) { h in
                                shell.writeCSRF(&h)
                                h.el(
                                    .button, .type("submit"), .class("link-button danger"), .attr("data-confirm", literal: "确定移除该登记？"),
                                    raw: "移除")
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 6, "尚无登记") }
            })
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "登记三长")
            h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.organizationPicker("organizationID", label: "基层组织", organization, errors: errors)
                h.personField(id: "person", values: values, errors: errors)
                h.plainSelectField("kind", id: "kind", label: "类别", kinds, errors: errors)
                h.plainInputField("institution", label: "所在医院、学校或农技站", value: values["institution"], errors: errors)
                h.plainInputField("since", label: "任职起始日期", value: values["since"], errors: errors, placeholder: "2026-01-01")
                h.el(.button, .type("submit"), .class("button primary"), raw: "登记")
            }
        }
    }
}

extension SocietySettingsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.raw("会员编号规则 ")
            h.el(.small, .class("muted"), text: society)
        }
        h.el(.section, .class("card")) { h in
            h.el(.p, .class("muted")) { h in
                h.raw("会员编号由“前缀-入会年份-序号”组成，序号每年从 1 开始，连续不重复。")
                if let example {
                    h.raw("当前规则下今年的第一个编号为 ")
                    h.el(.strong, .id("number-example"), text: example)
                    h.raw("。")
                }
            }
            h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.inputField("prefix", label: "编号前缀（2–8 位字母或数字）", value: prefix, errors: errors)
                h.inputField("width", label: "序号位数", value: width, errors: errors, .attr("inputmode", literal: "numeric"))
                h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "登记团体会员")
            h.el(.form, .method("post"), .action(groupAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "organization")) { h in
                    h.el(.label, .for("organization"), raw: "单位")
                    h.el(.select, .id("organization"), .name("organization")) { h in
                        for o in organizations { h.el(.option, .value(o.value), text: o.label) }
                    }
                    h.fieldError(errors, "organization")
                }
                h.el(.button, .type("submit"), .class("button"), raw: "登记为团体会员")
            }
        }
    }
}

extension StatisticsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "科技工作者统计")
            h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(xlsxLink), raw: "导出 Excel") }
        }
        h.el(.div, .class("panels charts")) { h in
            for chart in charts {
                h.el(.section, .class("card chart"), .id(dynamic: "chart-" + chart.id)) { h in
                    h.el(.h2) { h in
                        h.text(chart.title)
                        h.raw(" ")
                        h.el(.small, .class("muted"), text: "共 \(chart.total) 人")
                    }
                    h.chart(chart.figure)
                }
            }
        }
    }
}
