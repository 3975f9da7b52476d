import Platform

extension MyHomePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.raw("我的 ")
            h.el(.small, .class("muted"), text: name)
        }
        if let revealed {
            h.el(.div, .class("card highlight"), .role("status")) { h in
                h.el(.p) { h in
                    h.raw("完整号码：")
                    h.el(.strong, .id("revealed"), text: revealed)
                }
            }
        }
        h.el(.div, .class("panels")) { h in
            writeProfile(&h)
            writeMemberships(&h)
            if !roles.isEmpty {
                h.el(.section, .class("card")) { h in
                    h.el(.h2, raw: "我的任职与专家身份")
                    h.el(.dl, .class("facts")) { h in
                        for r in roles { h.fact(label: r.label, r.value) }
                    }
                }
            }
            for p in panels {
                h.el(.section, .class("card")) { h in
                    h.el(.h2, text: p.title)
                    h.el(.dl, .class("facts")) { h in
                        for l in p.lines {
                            h.el(.div) { h in
                                h.el(.dt, text: l.label)
                                h.el(.dd) { h in
                                    if let link = l.link { h.el(.a, .href(link), text: l.value) } else { h.text(l.value) }
                                }
                            }
                        }
                    }
                }
            }
            writePrivacy(&h)
        }
    }

    private func writeProfile(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "我的资料")
            guard hasProfile else {
                h.el(.p, raw: "您还没有填写个人资料。填写后可申请加入学会、参加活动和申报项目。")
                h.el(.a, .class("button primary"), .href(profileLink), raw: "填写资料")
                return
            }
            h.el(.dl, .class("facts")) { h in
                h.el(.div) { h in
                    h.el(.dt, raw: "核验状态")
                    h.el(.dd, .id("my-verification")) { h in
                        if verified { h.el(.span, .class("badge verified"), raw: "✔ 已实名核验") } else { h.text(verification) }
                    }
                }
                h.fact("手机", phone)
                h.fact("身份证号", idNumber)
            }
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(profileLink), raw: "修改资料")
                reveal(&h, field: "phone", label: "显示完整手机号")
                if hasIDNumber { reveal(&h, field: "id_number", label: "显示完整身份证号") }
            }
        }
    }

    private func reveal(_ h: inout HTML, field: StaticString, label: StaticString) {
        h.el(.form, .method("post"), .action(revealAction), .class("inline")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("field"), .attr("value", literal: field))
            h.el(.button, .type("submit"), .class("link-button"), raw: label)
        }
    }

    private func writeMemberships(_ h: inout HTML) {
        h.el(.section, .class("card wide")) { h in
            h.el(.h2, raw: "我的学会会籍")
            h.dataTable(
                head: { h in h.columnHeaders(["学会", "会员编号", "级别", "状态", "申请日期"]) },
                body: { h in
                    for m in memberships {
                        h.el(.tr) { h in
                            h.el(.td, text: m.society)
                            h.el(.td, .class("member-number"), text: m.number)
                            h.el(.td, text: m.grade)
                            h.el(.td) { h in
                                h.text(m.status)
                                if let note = m.note {
                                    h.void(.br)
                                    h.el(.span, .class("muted"), text: note)
                                }
                            }
                            h.el(.td, text: m.appliedOn)
                        }
                    }
                    if memberships.isEmpty { h.emptyRow(columns: 5, "尚未申请加入学会") }
                })
            h.el(.form, .method("post"), .action(applyAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, .class(dynamic: applyError == nil ? "field" : "field invalid")) { h in
                    h.el(.label, .for("society"), raw: "申请加入")
                    h.el(
                        .select, .id("society"), .name("society"), .attr("aria-invalid", applyError == nil ? nil : "true"),
                        .attr("aria-describedby", applyError == nil ? nil : "society-error")
                    ) { h in
                        for o in societies { h.el(.option, .value(o.value), text: o.label) }
                    }
                    if let applyError { h.el(.p, .class("field-error"), .id("society-error"), text: applyError) }
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("statement"), raw: "入会说明（选填）")
                    h.void(.input, .id("statement"), .name("statement"), .value(statement))
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "提交入会申请")
            }
        }
    }

    private func writePrivacy(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "个人信息保护")
            if consents.isEmpty {
                h.el(.p, .class("muted"), raw: "没有找到同意记录。")
            } else {
                h.el(.ul, .class("timeline")) { h in
                    for c in consents {
                        h.el(.li) { h in
                            h.el(.span, .class("muted"), text: c.label)
                            h.raw(" ")
                            h.text(c.value)
                        }
                    }
                }
            }
            h.el(.p) { h in h.el(.a, .class("button"), .href(dataLink), .flag("download"), raw: "下载我的全部数据（JSON）") }
            if let deletionPending {
                h.el(.p, .class("notice"), .id("deletion-status"), text: deletionPending)
                return
            }
            if let deletionRefused { h.el(.p, .class("muted"), text: deletionRefused) }
            if hasProfile {
                h.el(.form, .method("post"), .action(deletionAction), .class("inline-form"), .flag("novalidate")) { h in
                    shell.writeCSRF(&h)
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for("reason"), raw: "申请注销（经所在组织同意后，您的姓名、联系方式和证件号将被删除，统计数字保留）")
                        h.void(.input, .id("reason"), .name("reason"), .placeholder("原因（选填）"))
                    }
                    h.el(
                        .button, .type("submit"), .class("button danger"), .attr("data-confirm", literal: "注销后账号将停用且不可恢复，确定申请注销？"),
                        raw: "申请注销")
                }
            }
        }
    }
}

extension ProfilePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我的资料")
        h.el(.p, .class("muted")) { h in
            h.raw("核验状态：")
            h.el(.strong, .id("verification"), text: verification)
            h.raw("。姓名、性别、出生年月、身份证号经所在组织核验后修改，需重新核验。手机号和身份证号加密保存，页面只显示部分号码。")
        }
        if !form.errors.isEmpty { h.el(.p, .class("form-error"), .role("alert"), text: "请修改标出的 \(form.errors.count) 处后再保存。") }
        h.el(.form, .method("post"), .action(action), .class("card profile-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            form.write(&h)
            h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
        }
    }
}

extension MembershipListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "会员管理")
            h.el(.div, .class("actions")) { h in
                if let settingsLink { h.el(.a, .class("button"), .href(settingsLink), raw: "会员编号规则与团体会员") }
            }
        }
        if !counts.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, text: "各学会会员数（\(year)年）")
                h.dataTable(
                    .class("dense"), head: { h in h.columnHeaders(["学会", "有效会员", "待审核", "本年新增"]) },
                    body: { h in
                        for c in counts {
                            h.el(.tr) { h in
                                h.el(.td) { h in h.el(.a, .href(c.link), text: c.society) }
                                h.el(.td, text: String(c.active))
                                h.el(.td, text: String(c.applied))
                                h.el(.td, text: String(c.newThisYear))
                            }
                        }
                    })
            }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "姓名、单位或会员编号", value: list.q)
            h.selectField("society", "学会", societies)
            h.selectField("status", "状态", statuses)
            h.selectField("grade", "级别", grades)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            head: { h in
                h.sortHeader(nameHeader)
                h.columnHeaders(["类别", "学会", "会员编号", "级别", "状态"])
                h.sortHeader(appliedHeader)
            },
            body: { h in
                for row in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(row.link), text: row.name) }
                        h.el(.td, text: row.kind)
                        h.el(.td, text: row.society)
                        h.el(.td, .class("member-number"), text: row.number)
                        h.el(.td, text: row.grade)
                        h.el(.td, text: row.status)
                        h.el(.td, text: row.appliedOn)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "没有符合条件的会员或申请") }
            })
        h.pager(list.pager)
    }
}

extension MembershipPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.text(name)
            h.raw(" ")
            h.el(.small, .class("muted"), text: society + " · " + kind)
        }
        if let formError = errors["form"] { h.el(.p, .class("form-error"), .role("alert"), text: formError) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.el(.div) { h in
                    h.el(.dt, raw: "会员编号")
                    h.el(.dd, .id("member-number"), text: number)
                }
                h.fact("级别", grade)
                h.el(.div) { h in
                    h.el(.dt, raw: "状态")
                    h.el(.dd, .id("membership-status"), text: status)
                }
                if let statement { h.fact("入会说明", statement) }
                if let refusalReason { h.fact("未通过原因", refusalReason) }
            }
            if let personLink { h.el(.p) { h in h.el(.a, .href(personLink), raw: "查看个人资料与实名核验") } }
        }
        if isApplication { writeReview(&h) }
        if canChange { writeChange(&h) }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "会籍记录")
            h.el(.ul, .class("timeline"), .id("history")) { h in
                for e in history {
                    h.el(.li) { h in
                        h.el(.span, .class("muted"), text: e.date)
                        h.raw(" ")
                        h.el(.strong, text: e.action)
                        h.raw(" ")
                        h.text(e.detail)
                    }
                }
            }
        }
    }

    private func select(_ h: inout HTML, id: StaticString, label: StaticString, name: StaticString, key: String, _ options: [SelectOption])
    {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(id), raw: label)
            h.el(.select, .id(id), .name(name)) { h in h.options(options) }
            if let error = errors[key] { h.el(.p, .class("field-error"), text: error) }
        }
    }

    private func writeReview(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "审核入会申请")
            h.el(.form, .method("post"), .action(approveAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                select(&h, id: "approve-grade", label: "会员级别", name: "grade", key: "grade", grades)
                h.el(.button, .type("submit"), .class("button primary"), raw: "批准入会")
            }
            h.el(.form, .method("post"), .action(refuseAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "reason")) { h in
                    h.el(.label, .for("reason"), raw: "不予通过的理由")
                    let invalid = errors["reason"] != nil
                    h.void(
                        .input, .id("reason"), .name("reason"), .attr("aria-invalid", invalid ? "true" : nil),
                        .attr("aria-describedby", invalid ? "reason-error" : nil))
                    h.fieldError(errors, "reason")
                }
                h.el(.button, .type("submit"), .class("button danger"), raw: "不予通过")
            }
        }
    }

    private func writeChange(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "调整级别或状态")
            h.el(.form, .method("post"), .action(changeAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                select(&h, id: "change-grade", label: "级别", name: "grade", key: "grade", grades)
                select(&h, id: "change-status", label: "状态", name: "status", key: "status", statuses)
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("change-note"), raw: "说明")
                    h.void(.input, .id("change-note"), .name("note"))
                }
                h.el(.button, .type("submit"), .class("button"), raw: "保存调整")
            }
        }
    }
}
