import KexieKit
import Platform

extension PlanTaskPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(planLink), text: "← " + planTitle) }
        h.el(.h1) { h in
            h.text(heading)
            h.raw(" ")
            h.el(.span, .attr("class", "badge " + statusClass), .id("task-status"), text: status)
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("task-error"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("所属部分", section)
                h.el(.div) { h in
                    h.el(.dt, raw: "牵头单位")
                    h.el(.dd, .id("task-lead"), text: lead)
                }
                h.fact("配合单位", co)
                h.fact("完成时限", deadline)
                h.el(.div) { h in
                    h.el(.dt, raw: "进度")
                    h.el(.dd, .id("task-percent"), text: "\(percent)%（应完成 \(expected)%）")
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "办理状态")
                    h.el(.dd, .id("task-state"), text: state)
                }
            }
            h.el(.h2, raw: "原文")
            h.el(.p, .class("source-text"), text: source)
        }
        if !targets.isEmpty { writeTargets(&h) }
        if canReport { writeReportForm(&h) }
        if !supervisorActions.isEmpty { writeSupervision(&h) }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "进展报送记录")
            h.dataTable(
                .id("reports"), head: { h in h.columnHeaders(["周期", "日期", "进度", "进展情况", "报送人", "佐证材料"]) },
                body: { h in
                    for r in reports {
                        h.el(.tr) { h in
                            h.el(.td, text: r.period)
                            h.el(.td, text: r.date)
                            h.el(.td, text: "\(r.percent)%")
                            h.el(.td, text: r.narrative)
                            h.el(.td, text: r.who)
                            h.el(.td) { h in
                                for f in r.files {
                                    h.el(.a, .href(f.value), text: f.label)
                                    h.raw(" ")
                                }
                            }
                        }
                    }
                    if reports.isEmpty { h.emptyRow(columns: 6, "尚未报送") }
                })
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "办理记录")
            h.timeline(id: "task-history", steps.map { TimelineStep(date: $0.date, action: $0.action, who: $0.who, comment: $0.comment) })
        }
    }

    private func writeTargets(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "数量目标")
            h.dataTable(
                .id("targets"), head: { h in h.columnHeaders(["目标", "计划", "实际", "来源"]) },
                body: { h in
                    for t in targets {
                        h.el(.tr) { h in
                            h.el(.td, text: t.text)
                            h.el(.td, text: t.planned)
                            h.el(.td, .class("target-actual"), text: t.actual)
                            h.el(.td) { h in
                                if let bound = t.bound {
                                    h.raw("自动统计：")
                                    h.text(bound)
                                } else {
                                    h.raw("手工填报")
                                }
                                if !t.metrics.isEmpty { writeBinding(&h, t) }
                            }
                        }
                    }
                })
        }
    }

    private func writeBinding(_ h: inout HTML, _ t: Target) {
        h.el(.form, .method("post"), .action(t.bindAction), .class("inline-form")) { h in
            shell.writeCSRF(&h)
            h.el(.label, .class("visually-hidden"), .for(dynamic: "metric-" + t.id), raw: "统计指标")
            h.el(.select, .id(dynamic: "metric-" + t.id), .name("metric")) { h in h.options(t.metrics) }
            h.raw(" ")
            h.el(.button, .type("submit"), .class("button"), raw: "绑定")
        }
    }

    private func writeReportForm(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("report")) { h in
            h.el(.h2, raw: "报送进展")
            h.el(.form, .method("post"), .action(reportAction), .attr("enctype", literal: "multipart/form-data"), .flag("novalidate")) {
                h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "percent")) { h in
                    h.el(.label, .for("percent"), raw: "完成进度（%）")
                    let invalid = errors["percent"] != nil
                    h.void(
                        .input, .id("percent"), .name("percent"), .attr("inputmode", literal: "numeric"), .value(values["percent"] ?? ""),
                        .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "percent-error" : nil))
                    h.fieldError(errors, "percent")
                }
                h.textareaField("narrative", label: "进展情况", value: values["narrative"], errors: errors, .attr("rows", literal: "4"))
                for t in targets where t.reportable {
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for(dynamic: "actual-" + t.id), text: "实际完成：" + t.text)
                        h.void(
                            .input, .id(dynamic: "actual-" + t.id), .name(dynamic: "actual-" + t.id), .attr("inputmode", literal: "decimal")
                        )
                    }
                }
                h.el(.div, HTML.fieldClass(errors, "files")) { h in
                    h.el(.label, .for("files"), raw: "佐证材料（选填，最多 5 个）")
                    h.void(.input, .type("file"), .id("files"), .name("files[]"), .flag("multiple"))
                    h.fieldError(errors, "files")
                }
                if canRequest {
                    h.el(.label, .class("check")) { h in
                        h.void(.input, .type("checkbox"), .name("requestCompletion"), .id("request-completion"))
                        h.raw(" 同时申请办结")
                    }
                }
                h.el(.button, .type("submit"), .class("button primary"), .id("submit-report"), raw: "报送")
            }
        }
    }

    private func writeSupervision(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("supervise")) { h in
            h.el(.h2, raw: "督办")
            h.el(.form, .method("post"), .action(stepAction), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "action")) { h in
                    h.el(.label, .for("action"), raw: "操作")
                    h.el(.select, .id("action"), .name("action")) { h in h.options(supervisorActions) }
                    h.fieldError(errors, "action")
                }
                h.el(.div, HTML.fieldClass(errors, "comment")) { h in
                    h.el(.label, .for("comment"), raw: "意见或理由")
                    h.void(.input, .id("comment"), .name("comment"), .value(values["comment"] ?? ""))
                    h.fieldError(errors, "comment")
                }
                h.el(.div, HTML.fieldClass(errors, "quality")) { h in
                    h.el(.label, .for("quality"), raw: "质量评分（审核通过时填写，0–100）")
                    h.void(
                        .input, .id("quality"), .name("quality"), .attr("inputmode", literal: "numeric"), .value(values["quality"] ?? ""))
                    h.fieldError(errors, "quality")
                }
                h.el(.button, .type("submit"), .class("button"), .id("do-step"), raw: "提交")
            }
        }
    }
}

extension PlanDashboardPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, text: title)
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(evaluationLink), raw: "年度考核")
                h.raw(" ")
                h.el(.a, .class("button"), .href(reportLink), raw: "年度报告（打印）")
                if let refreshAction {
                    h.raw(" ")
                    h.el(.form, .method("post"), .action(refreshAction), .class("inline")) { h in
                        shell.writeCSRF(&h)
                        h.el(.button, .type("submit"), .class("button"), raw: "刷新自动统计指标")
                    }
                }
            }
        }
        h.el(.p, .class("counts"), .id("status-counts")) { h in
            for c in counts { h.el(.span, .attr("class", "badge " + c.value), text: c.label) }
        }
        for c in charts { write(&h, c) }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "任务或单位", value: list.q)
            h.selectField("status", "状态", statuses)
            h.selectField("unit", "责任单位", units)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list, label: "导出任务表：")
        }
        h.dataTable(
            .id("tasks"),
            head: { h in
                h.columnHeaders(["序号", "任务", "牵头单位"])
                h.sortHeader(deadlineHeader)
                h.sortHeader(percentHeader)
                h.columnHeaders(["应完成", "状态", "办理"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: String(r.sequence))
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.heading) }
                        h.el(.td, text: r.lead)
                        h.el(.td, text: r.deadline)
                        h.el(.td, text: "\(r.percent)%")
                        h.el(.td, text: "\(r.expected)%")
                        h.el(.td) { h in h.el(.span, .attr("class", "badge " + r.statusClass), text: r.status) }
                        h.el(.td, text: r.state)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 8, "没有符合条件的任务") }
            })
        h.pager(list.pager)
    }

    private func write(_ h: inout HTML, _ c: Chart) {
        h.el(.section, .class("card chart"), .id(dynamic: "chart-" + c.id)) { h in
            h.el(.h2, text: c.title)
            if c.categories.isEmpty {
                h.el(.p, .class("muted"), raw: "暂无任务")
                return
            }
            h.chart(c)
        }
    }
}

extension PlanEvaluationPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(planLink), text: "← " + title) }
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "年度考核")
            h.el(.div, .class("actions")) { h in
                h.raw("导出：")
                h.el(.a, .href(csvLink), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(xlsxLink), raw: "Excel")
            }
        }
        h.el(.p, .class("muted"), raw: "每项任务按完成度、及时性和质量评分（0–100），牵头任务计全权重、配合任务计一半，按单位汇总后加权得出综合得分，可纳入工作绩效。")
        h.dataTable(
            .id("evaluation"), head: { h in h.columnHeaders(["名次", "单位", "牵头任务", "配合任务", "完成度", "及时性", "质量", "综合得分"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td, text: String(r.rank))
                        h.el(.td, text: r.unit)
                        h.el(.td, text: String(r.lead))
                        h.el(.td, text: String(r.co))
                        h.el(.td, text: r.completion)
                        h.el(.td, text: r.timeliness)
                        h.el(.td, text: r.quality)
                        h.el(.td) { h in h.el(.strong, text: r.total) }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 8, "暂无任务") }
            })
        if canEdit {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "权重")
                h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                    shell.writeCSRF(&h)
                    weight(&h, "completion", "完成度")
                    weight(&h, "timeliness", "及时性")
                    weight(&h, "quality", "质量")
                    h.el(.button, .type("submit"), .class("button"), raw: "保存权重")
                }
            }
        }
    }

    private func weight(_ h: inout HTML, _ key: String, _ label: StaticString) {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            h.void(.input, .id(dynamic: key), .name(dynamic: key), .value(weights[key] ?? ""), .attr("inputmode", literal: "numeric"))
            h.fieldError(errors, key)
        }
    }
}

extension PlanAnnualReportPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.article, .class("annual-report")) { h in
            h.el(.h1, text: "\(title) · \(year)年度执行情况")
            h.el(.p, .class("muted")) { h in
                h.raw("生成日期：")
                h.text(generated)
                h.raw("。")
                h.text(totals)
                h.raw(" ")
                h.el(.button, .type("button"), .class("button js-print"), raw: "打印")
            }
            for s in sections {
                h.el(.h2, text: s.title)
                h.el(.table, .class("dense")) { h in
                    h.el(.thead) { h in h.el(.tr) { h in h.columnHeaders(["序号", "任务", "牵头单位", "进度", "状态", "最新进展"]) } }
                    h.el(.tbody) { h in
                        for t in s.tasks {
                            h.el(.tr) { h in
                                h.el(.td, text: String(t.sequence))
                                h.el(.td, text: t.heading)
                                h.el(.td, text: t.lead)
                                h.el(.td, text: "\(t.percent)%")
                                h.el(.td, text: t.status + " / " + t.state)
                                h.el(.td, text: t.latest)
                            }
                        }
                    }
                }
            }
            h.el(.h2, raw: "各单位考核结果")
            h.el(.table, .class("dense"), .id("report-units")) { h in
                h.el(.thead) { h in h.el(.tr) { h in h.columnHeaders(["名次", "单位", "完成度", "及时性", "质量", "综合得分"]) } }
                h.el(.tbody) { h in
                    for r in units {
                        h.el(.tr) { h in
                            h.el(.td, text: String(r.rank))
                            h.el(.td, text: r.unit)
                            h.el(.td, text: r.completion)
                            h.el(.td, text: r.timeliness)
                            h.el(.td, text: r.quality)
                            h.el(.td, text: r.total)
                        }
                    }
                }
            }
        }
    }
}
