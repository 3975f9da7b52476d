import Platform

extension PlanListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "工作计划")
            if canImport {
                h.el(.div, .class("actions")) { h in h.el(.a, .class("button primary"), .href(PlansRoutes.newPlan.path), raw: "上传工作计划") }
            }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "计划名称", value: list.q)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            h.exports(list)
        }
        h.dataTable(
            .id("plans"),
            head: { h in
                h.columnHeaders(["计划"])
                h.sortHeader(yearHeader)
                h.columnHeaders(["状态", "任务数", "报送周期"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: String(r.year))
                        h.el(.td, text: r.status)
                        h.el(.td, text: String(r.tasks))
                        h.el(.td, text: r.cadence)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "尚未导入工作计划") }
            })
        h.pager(list.pager)
    }
}

extension PlanMinePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我的任务")
        h.el(.p, .class("muted"), raw: "本单位（部门）在执行中的工作计划里牵头或配合的任务，按完成时限排列。计划按月或按季度报送进展，本期尚未报送的任务标有“本期未报送”。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "任务或计划", value: list.q)
            h.selectField("status", "状态", statuses)
            h.el(.label, .class("check")) { h in
                h.void(.input, .type("checkbox"), .name("due"), .attr("value", literal: "1"), .id("due"), .flag("checked", dueOnly))
                h.raw(" 只看本期未报送")
            }
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("my-tasks"),
            head: { h in
                h.columnHeaders(["任务", "计划", "角色"])
                h.sortHeader(deadlineHeader)
                h.sortHeader(percentHeader)
                h.columnHeaders(["状态", "办理", "最近报送"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.heading) }
                        h.el(.td, text: r.plan)
                        h.el(.td, text: r.role)
                        h.el(.td, text: r.deadline)
                        h.el(.td, text: String(r.percent) + "%")
                        h.el(.td) { h in h.el(.span, .attr("class", "badge " + r.statusClass), text: r.status) }
                        h.el(.td, text: r.state)
                        h.el(.td) { h in
                            h.text(r.lastReport)
                            if r.reportDue {
                                h.raw(" ")
                                h.el(.span, .class("badge amber"), raw: "本期未报送")
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 8, "暂无任务") }
            })
        h.pager(list.pager)
    }
}

extension PlanUploadPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "上传工作计划")
        h.el(
            .p, .class("muted"),
            raw: "上传省科协（或本单位）的年度工作要点、工作计划或规划（Word .docx 或文本 .txt，UTF-8 或 GB18030 编码）。系统逐条识别任务、责任单位、数量目标和完成时限，上传后请在核对页面逐条核对，确认后才生成任务。")
        h.el(
            .form, .method("post"), .action(PlansRoutes.plans.path), .attr("enctype", literal: "multipart/form-data"), .class("card"),
            .flag("novalidate")
        ) { h in
            shell.writeCSRF(&h)
            h.el(.div, HTML.fieldClass(errors, "file")) { h in
                h.el(.label, .for("file"), raw: "计划文件")
                let invalid = errors["file"] != nil
                h.void(
                    .input, .type("file"), .id("file"), .name("file"), .attr("accept", literal: ".docx,.txt"),
                    .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "file-error" : nil))
                h.fieldError(errors, "file")
            }
            h.selectField("cadence", "进展报送周期", cadences)
            h.el(.button, .type("submit"), .class("button primary"), raw: "上传并解析")
        }
    }
}

extension PlanReviewPage {
    /// The summary's lines: the plan-wide problem, each task with problems (linking to its card), each
    /// unit name left without a unit (linking to its choice).
    var summaryItems: [ErrorSummaryItem] {
        var items: [ErrorSummaryItem] = []
        if let plan = errors["plan"] { items.append(ErrorSummaryItem(key: "plan", anchor: "review-form", label: "任务", message: plan)) }
        for t in tasks {
            guard let error = t.error else { continue }
            items.append(
                ErrorSummaryItem(
                    key: "task-\(t.sequence)", anchor: "task-\(t.sequence)", label: "第 \(t.sequence) 项 \(t.label)", message: error))
        }
        for n in names {
            guard let error = n.error else { continue }
            items.append(ErrorSummaryItem(key: n.field, anchor: n.field, label: "单位名称“\(n.name)”", message: error))
        }
        return items
    }
}

extension PlanReviewPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "核对解析结果")
        h.el(.p) { h in
            h.el(.strong, text: title)
            h.raw(" ")
            h.el(.span, .class("muted"), text: "（" + fileName + "）")
        }
        h.el(
            .p, .class("muted"),
            raw:
                "左侧为原文，右侧为识别结果。请修改任务名称、责任单位（用顿号分隔）、完成时限和数量目标（每行一项，如“17 场”“30000 人 以上”“1-2 期”）；取消勾选的条目不生成任务。页面下方为文中出现的单位名称与本单位部门、下级组织的对应关系，确认后会记住，下次导入自动对应。"
        )
        // Every problem at the top, each linking to its task or unit name further down the (long) page.
        if !errors.isEmpty { h.errorSummary(summaryItems) }
        h.el(.form, .method("post"), .action(action), .flag("novalidate"), .id("review-form")) { h in
            shell.writeCSRF(&h)
            for t in tasks { write(&h, t) }
            h.el(.section, .class("card"), .id("unit-names")) { h in
                h.el(.h2, raw: "单位名称对应")
                h.dataTable(
                    head: { h in h.columnHeaders(["文中名称", "对应到", "识别方式"]) },
                    body: { h in
                        for n in names { write(&h, n) }
                    })
            }
            h.el(.div, .class("actions")) { h in
                h.el(.button, .type("submit"), .class("button"), .id("save-review"), raw: "保存修改")
                h.el(
                    .button, .type("submit"), .class("button primary"), .id("confirm-plan"), .attr("formaction", confirmAction),
                    raw: "确认并生成任务")
            }
        }
    }

    private func write(_ h: inout HTML, _ t: Task) {
        let n = String(t.sequence)
        h.el(
            .section, .class(dynamic: t.error == nil ? "card" : "card invalid"), .id(dynamic: "task-" + n),
            .attr("tabindex", t.error == nil ? nil : "-1")
        ) { h in
            if let error = t.error { h.el(.p, .class("field-error"), .id(dynamic: "task-error-" + n), text: error) }
            h.el(.h2) { h in
                h.text(n)
                h.raw(". ")
                h.el(.small, .class("muted"), text: t.section)
            }
            h.el(.div, .class("review-task")) { h in
                h.el(.div) { h in
                    h.el(.p, .class("muted")) { h in
                        h.raw("原文 ")
                        h.text(t.label)
                    }
                    h.el(.p, .class("source-text"), text: t.source)
                }
                h.el(.div) { h in
                    h.el(.label, .class("check")) { h in
                        h.void(
                            .input, .type("checkbox"), .name(dynamic: "include-" + t.id), .id(dynamic: "include-" + n),
                            .flag("checked", t.included))
                        h.raw(" 生成任务")
                    }
                    field(&h, "heading", n, t.id, "任务名称", t.heading)
                    field(&h, "lead", n, t.id, "牵头单位", t.leadNames)
                    field(&h, "co", n, t.id, "配合单位", t.coNames)
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for(dynamic: "deadline-" + n), raw: "完成时限（未写明为年底）")
                        h.void(
                            .input, .id(dynamic: "deadline-" + n), .name(dynamic: "deadline-" + t.id), .value(t.deadline),
                            .placeholder("2026-09-15"))
                    }
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for(dynamic: "targets-" + n), raw: "数量目标")
                        h.el(
                            .textarea, .id(dynamic: "targets-" + n), .name(dynamic: "targets-" + t.id), .attr("rows", literal: "2"),
                            text: t.targets)
                    }
                }
            }
        }
    }

    private func field(_ h: inout HTML, _ prefix: String, _ n: String, _ id: String, _ label: StaticString, _ value: String) {
        h.el(.div, .class("field")) { h in
            h.el(.label, .for(dynamic: prefix + "-" + n), raw: label)
            h.void(.input, .id(dynamic: prefix + "-" + n), .name(dynamic: prefix + "-" + id), .value(value))
        }
    }

    private func write(_ h: inout HTML, _ n: Name) {
        h.el(.tr, .attr("class", n.known ? nil : "unknown")) { h in
            h.el(.td, text: n.name)
            h.el(.td) { h in
                h.el(
                    .select, .name(dynamic: n.field), .id(dynamic: n.field), .attr("aria-label", n.name + "对应的单位"),
                    .attr("data-unit", n.name)
                ) { h in
                    h.options(n.options)
                }
            }
            h.el(.td) { h in
                if n.known { h.text(n.how) } else { h.el(.span, .class("badge red"), text: n.how) }
                if let error = n.error { h.el(.p, .class("field-error"), text: error) }
            }
        }
    }
}
