import Platform

extension PublicCasesPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "公开答复")
        h.el(.p, .class("muted"), raw: "以下事项经提出人同意公开，已去除个人信息。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "标题", value: list.q)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
        }
        h.el(.ul, .class("inbox"), .id("public-cases")) { h in
            for r in rows {
                h.el(.li) { h in
                    h.el(.strong, text: r.title)
                    h.raw(" ")
                    h.el(.span, .class("muted")) { h in
                        h.text(r.type)
                        h.raw(" · ")
                        h.text(r.receivedOn)
                    }
                    if r.adopted {
                        h.raw(" ")
                        h.el(.span, .class("badge verified"), raw: "已采纳")
                    }
                    h.el(.p) { h in
                        h.raw("答复：")
                        h.text(r.answer)
                    }
                }
            }
        }
        if rows.isEmpty { h.el(.p, .class("muted"), raw: "暂无公开的答复") }
        h.pager(list.pager)
    }
}

extension RoutingRulesPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "分派规则")
        h.el(
            .p, .class("muted"),
            raw: "新提交的事项按优先级从高到低匹配规则：事项类型相符且内容含有任一关键词（未填关键词时只看类型），即分派到规则指定的单位；没有匹配的事项进入省科协办公室待分派。")
        h.dataTable(
            .id("rules"), head: { h in h.columnHeaders(["事项类型", "关键词", "分派到", "优先级", "状态"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: r.types)
                        h.el(.td, text: r.keywords)
                        h.el(.td, text: r.target)
                        h.el(.td, text: String(r.priority))
                        h.el(.td) { h in
                            if r.active { h.raw("启用") } else { h.el(.span, .class("muted"), raw: "已停用") }
                            h.raw(" ")
                            h.el(.form, .method("post"), .action(r.toggleAction), .class("inline")) { h in
                                shell.writeCSRF(&h)
                                h.el(.button, .type("submit"), .class("link-button")) { h in h.raw(r.active ? "停用" : "启用") }
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "尚无规则") }
            })
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "新建规则")
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.fieldset, .class("field")) { h in
                    h.el(.legend, raw: "事项类型（不选表示全部类型）")
                    for o in types {
                        h.el(.label, .class("check")) { h in
                            h.void(.input, .type("checkbox"), .name("types[]"), .value(o.value), .flag("checked", o.selected))
                            h.raw(" ")
                            h.text(o.label)
                        }
                    }
                }
                h.inputField("keywords", label: "关键词（用顿号、逗号或空格分隔）", value: values["keywords"], errors: errors, .placeholder("专利、知识产权"))
                h.organizationPicker("target", label: "分派到", target, errors: errors)
                h.el(.div, HTML.fieldClass(errors, "priority")) { h in
                    h.el(.label, .for("priority"), raw: "优先级")
                    h.void(
                        .input, .id("priority"), .name("priority"), .value(values["priority"] ?? ""), .attr("inputmode", literal: "numeric")
                    )
                    h.fieldError(errors, "priority")
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "保存规则")
            }
        }
    }
}

extension CaseFiguresPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "办理统计")
            h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(xlsxLink), raw: "导出 Excel") }
        }
        h.el(.form, .method("get"), .action(ServiceHallRoutes.statistics.path), .class("filters"), .flag("data-autosubmit")) { h in
            h.selectField("year", "受理年份", years)
            h.el(.button, .type("submit"), .class("button js-hide"), raw: "查看")
        }
        for t in tables { write(&h, t) }
    }

    private func write(_ h: inout HTML, _ t: Table) {
        h.el(.section, .class("card chart"), .id(dynamic: "figures-" + t.id)) { h in
            h.el(.h2, text: t.title)
            if t.rows.isEmpty {
                h.el(.p, .class("muted"), raw: "该年度没有事项")
                return
            }
            h.chart(t.chart)
            h.dataTable(
                .class("dense"), head: { h in h.columnHeaders(["分组", "受理量", "已答复", "按时答复率", "平均答复工作日", "满意度"]) },
                body: { h in
                    for r in t.rows {
                        h.el(.tr) { h in
                            h.el(.td, text: r.label)
                            h.el(.td, text: String(r.volume))
                            h.el(.td, text: String(r.answered))
                            h.el(.td, text: r.onTimeRate)
                            h.el(.td, text: r.averageDays)
                            h.el(.td, text: r.satisfaction)
                        }
                    }
                })
        }
    }
}

extension TimeLimitsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "办理时限")
        h.el(.p, .class("muted"), raw: "按工作日计算，从收到（或受理）的次日起算。修改只影响之后产生的期限，已在计时的事项保持原期限。")
        h.el(.form, .method("post"), .action(action), .class("card"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.dataTable(
                .id("time-limits"), head: { h in h.columnHeaders(["事项类型", "受理时限（工作日）", "答复时限（工作日）"]) },
                body: { h in
                    for r in rows {
                        h.el(.tr) { h in
                            h.el(.td, text: r.label)
                            h.el(.td) { h in
                                h.void(
                                    .input, .name(dynamic: "accept-" + r.type), .id(dynamic: "accept-" + r.type), .value(r.accept),
                                    .attr("inputmode", literal: "numeric"), .attr("aria-label", r.label + "受理时限"))
                            }
                            h.el(.td) { h in
                                h.void(
                                    .input, .name(dynamic: "answer-" + r.type), .id(dynamic: "answer-" + r.type), .value(r.answer),
                                    .attr("inputmode", literal: "numeric"), .attr("aria-label", r.label + "答复时限"))
                                if let error = r.error { h.el(.p, .class("field-error"), .id(dynamic: r.type + "-error"), text: error) }
                            }
                        }
                    }
                })
            h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
        }
    }
}
