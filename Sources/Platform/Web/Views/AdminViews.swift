extension UserListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "账号管理")
            if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), raw: "新建账号") }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "姓名或用户名", value: list.q)
            h.selectField("role", "角色", roles)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            head: { h in
                h.sortHeaders(list.headers)
                h.columnHeaders(["联系方式", "状态"])
            },
            body: { h in
                for row in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(row.link), text: row.displayName) }
                        h.el(.td, text: row.username)
                        h.el(.td, text: row.lastLogin)
                        h.el(.td, text: row.contact)
                        h.el(.td, text: row.status)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "没有符合条件的账号") }
            })
        h.pager(list.pager)
    }
}

extension UserDetailPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.text(displayName)
            h.raw(" ")
            h.el(.small, .class("muted"), text: username)
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), text: error) }
        if let temporaryPassword {
            h.el(.div, .class("card highlight"), .role("status")) { h in
                h.el(.h2, raw: "临时密码")
                h.el(.p, raw: "请将临时密码告知本人，本人首次登录后须修改。离开本页后将无法再次查看。")
                h.el(.p) { h in h.el(.code, .class("token"), .id("temporary-password"), text: temporaryPassword) }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("手机", phone)
                h.fact("邮箱", email)
                h.el(.div) { h in
                    h.el(.dt, raw: "状态")
                    h.el(.dd) { h in
                        h.text(status)
                        if mustChange { h.raw("（待修改密码）") }
                    }
                }
                h.fact("最近登录", lastLogin)
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "角色")
            h.dataTable(
                head: { h in h.columnHeaders(["角色", "组织", "操作"]) },
                body: { h in
                    for g in grants {
                        h.el(.tr) { h in
                            h.el(.td, text: g.role)
                            h.el(.td, text: g.organization)
                            h.el(.td) { h in
                                if let revokeAction = g.revokeAction {
                                    postButton(&h, revokeAction, "撤销", class: "link-button danger", confirm: "确定撤销该角色？")
                                }
                            }
                        }
                    }
                })
            if let grantAction {
                h.el(.form, .method("post"), .action(grantAction), .class("inline-form"), .flag("novalidate")) { h in
                    shell.writeCSRF(&h)
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for("grant-role"), raw: "角色")
                        h.el(.select, .id("grant-role"), .name("role")) { h in
                            for o in roleOptions { h.el(.option, .value(o.value), text: o.label) }
                        }
                    }
                    h.organizationPicker("organizationID", label: "组织", organization, errors: [:])
                    h.el(.button, .type("submit"), .class("button"), raw: "授予角色")
                }
            }
        }
        if let resetAction {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "账号安全")
                postButton(&h, resetAction, "重置密码", class: "button", confirm: "将生成新的临时密码并使该账号现有登录失效，确定重置？")
                postButton(&h, unlockAction ?? "", "解除登录锁定", class: "button", confirm: nil)
                if let resetSecondFactorAction {
                    h.el(.form, .method("post"), .action(resetSecondFactorAction), .class("inline"), .id("reset-second-factor")) { h in
                        shell.writeCSRF(&h)
                        h.el(
                            .button, .type("submit"), .class("button"),
                            .attr("data-confirm", literal: "将删除该账号的身份验证器和恢复码并使其现有登录失效，确定重置？"), raw: "重置身份验证器")
                    }
                }
            }
        }
    }

    private func postButton(_ h: inout HTML, _ action: String, _ label: StaticString, class cls: StaticString, confirm: StaticString?) {
        h.el(.form, .method("post"), .action(action), .class("inline")) { h in
            shell.writeCSRF(&h)
            if let confirm {
                h.el(.button, .type("submit"), .class(cls), .attr("data-confirm", literal: confirm), raw: label)
            } else {
                h.el(.button, .type("submit"), .class(cls), raw: label)
            }
        }
    }
}

extension UserFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "新建账号")
            h.el(.p, .class("muted"), raw: "系统将生成临时密码，本人首次登录后须修改。")
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                input(&h, "username", "用户名", username, required: true)
                input(&h, "displayName", "姓名", displayName, required: true)
                input(&h, "contact", "手机号或邮箱（可选）", contact, required: false)
                plainSelect(&h, "role", "角色", roleOptions)
                h.organizationPicker("organizationID", label: "所属组织", organization, errors: errors)
                h.el(.button, .type("submit"), .class("button primary"), raw: "创建账号")
            }
        }
    }

    private func input(_ h: inout HTML, _ key: String, _ label: StaticString, _ value: String, required: Bool) {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            h.void(.input, .id(dynamic: key), .name(dynamic: key), .value(value), .flag("required", required))
            h.fieldError(errors, key)
        }
    }

    private func plainSelect(_ h: inout HTML, _ key: String, _ label: StaticString, _ options: [SelectOption]) {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            h.el(.select, .id(dynamic: key), .name(dynamic: key)) { h in h.options(options) }
            h.fieldError(errors, key)
        }
    }
}

extension AuditListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "审计日志")
        h.el(.p, .class("muted")) { h in
            h.raw("记录只增不改，每条记录包含前一条的哈希值；运维人员可用 ")
            h.el(.code, raw: "kexie audit verify")
            h.raw(" 校验完整性。")
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "关键字", value: list.q, placeholder: "操作人、摘要、地址")
            h.selectField("action", "操作", actions)
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("from"), raw: "起始日期")
                h.void(.input, .id("from"), .name("from"), .type("date"), .value(from))
            }
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("to"), raw: "截止日期")
                h.void(.input, .id("to"), .name("to"), .type("date"), .value(to))
            }
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .class("dense"), .id("audit-entries"), head: { h in h.columnHeaders(["序号", "时间", "操作人", "地址", "操作", "对象", "摘要"]) },
            body: { h in
                for row in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: String(row.sequence))
                        h.el(.td, .class("date"), text: row.time)
                        h.el(.td, text: row.actor)
                        h.el(.td, text: row.address)
                        h.el(.td, text: row.action)
                        h.el(.td, text: row.entity)
                        h.el(.td, .class("summary"), text: row.summary)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "没有符合条件的记录") }
            })
        h.pager(list.pager)
    }
}

extension CalendarPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "节假日与调休")
        h.el(
            .p, .class("muted"),
            raw: "期限按工作日计算：从收到的次日起算，周末休息，法定节假日休息，调休上班日上班。没有录入安排的年份只按周末计算，相关期限标为“待复核”。每年国务院办公厅发布次年放假安排后，请在下方录入。")
        h.dataTable(
            .id("years"), head: { h in h.columnHeaders(["年份", "来源", "放假安排", "调休上班日"]) },
            body: { h in
                for y in years {
                    h.el(.tr) { h in
                        h.el(.td, text: String(y.year))
                        h.el(.td, text: y.source)
                        h.el(.td, text: y.holidays)
                        h.el(.td, text: y.workdays)
                    }
                }
            })
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "录入或更正一年的安排")
            h.el(.form, .method("post"), .action(yearAction), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                input(&h, "year", "年份", numeric: true)
                h.el(.div, HTML.fieldClass(errors, "holidays")) { h in
                    h.el(.label, .for("holidays"), raw: "放假安排（每行一个：节日名称 开始日期 结束日期）")
                    let invalid = errors["holidays"] != nil
                    h.el(
                        .textarea, .id("holidays"), .name("holidays"), .attr("rows", literal: "8"),
                        .attr("placeholder", literal: "元旦 2027-01-01 2027-01-01&#10;春节 2027-02-05 2027-02-11"),
                        .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "holidays-error" : nil),
                        text: values["holidays"] ?? "")
                    h.fieldError(errors, "holidays")
                }
                input(&h, "workdays", "调休上班日（用空格或逗号分隔）", placeholder: "2027-02-13 2027-09-26")
                h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "地方性放假或调休")
            if !overrides.isEmpty {
                h.dataTable(
                    .id("overrides"), head: { h in h.columnHeaders(["地区", "放假日", "上班日", "说明"]) },
                    body: { h in
                        for o in overrides {
                            h.el(.tr) { h in
                                h.el(.td, text: o.region)
                                h.el(.td, text: o.restDays)
                                h.el(.td, text: o.workdays)
                                h.el(.td, text: o.note)
                            }
                        }
                    })
            }
            h.el(.form, .method("post"), .action(overrideAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                input(&h, "region", "地区代码或名称", placeholder: "469024", describedByError: false)
                input(&h, "restDays", "放假日", placeholder: "2027-04-09", describedByError: false)
                input(&h, "overrideWorkdays", "上班日", describedByError: false)
                input(&h, "note", "说明", placeholder: "三月三", describedByError: false)
                h.el(.button, .type("submit"), .class("button"), raw: "添加")
            }
        }
    }

    private func input(
        _ h: inout HTML, _ key: String, _ label: StaticString, numeric: Bool = false, placeholder: StaticString? = nil,
        describedByError: Bool = true
    ) {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            let invalid = describedByError && errors[key] != nil
            let placeholderAttribute: Attribute = placeholder.map { .placeholder($0) } ?? .flag("placeholder", false)
            h.void(
                .input, .id(dynamic: key), .name(dynamic: key), .value(values[key] ?? ""),
                numeric ? .attr("inputmode", literal: "numeric") : .flag("inputmode", false), placeholderAttribute,
                .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil))
            h.fieldError(errors, key)
        }
    }
}
