import Foundation
import KexieKit

extension MyReviewsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我的评审")
        h.el(.p, .class("muted"), raw: "分配给您的评审任务。匿名评审只显示候选编号和摘要；截止前提交的评分可以修改。")
        h.el(.ul, .class("review-progress"), .id("review-progress")) { h in
            for p in progress {
                h.el(
                    .li, .attr("data-round", p.roundID.uuidString), .attr("data-done", String(p.done)), .attr("data-total", String(p.total))
                ) {
                    h in
                    h.el(.strong, text: p.round)
                    h.text("：已评 \(p.done) / 共 \(p.total)，截止日期 \(p.closesOn)")
                }
            }
            if progress.isEmpty { h.el(.li, .class("muted"), raw: "暂无评审任务") }
        }
        h.dataTable(
            .id("my-reviews"),
            head: { h in h.columnHeaders(["评审轮次", "候选", "截止日期", "状态", "操作"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-assignment", r.id.uuidString), .attr("data-state", r.state)) { h in
                        h.el(.td, text: r.round)
                        h.el(.td, text: r.candidate)
                        h.el(.td, .class("nowrap"), text: r.closesOn)
                        h.el(.td, text: r.stateLabel)
                        h.el(.td) { h in
                            h.el(.a, .href(r.link), .attr("data-open-assignment", r.id.uuidString)) { h in
                                if r.state == "assigned" { h.raw("评分") } else { h.raw("查看") }
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "暂无评审任务") }
            })
    }
}

extension ScoringPage: HTMLPage {
    static let labels = ["form": "评分", "vote": "表决意见", "comment": "评审意见", "reason": "回避原因"]

    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(ReviewRoutes.myReviews()), raw: "← 我的评审") }
        h.el(.h1) { h in
            h.el(.span, .id("candidate-label"), text: candidateLabel)
        }
        h.el(.p, .class("muted")) { h in
            h.text(round)
            h.text(" · 截止日期 ")
            h.el(.time, .id("closes-on"), text: closesOn)
            h.text(" · ")
            h.el(.span, .id("assignment-state"), .attr("data-state", state.rawValue), text: ReviewController.stateLabel(state.rawValue))
        }
        var labels = Self.labels
        for indicator in indicators { labels["score-" + indicator.key] = indicator.label }
        h.formErrorSummary(errors, labels: labels, order: ["form"] + indicators.map { "score-" + $0.key } + ["vote", "comment", "reason"])
        h.el(.section, .class("card"), .id("candidate-abstract")) { h in
            h.el(.h2, raw: "候选摘要")
            h.el(.div, .class("notice-body")) { h in h.markdown(abstract) }
        }
        if let declinedReason {
            h.el(.p, .class("form-error"), .id("declined-reason"), text: "已声明回避：" + declinedReason)
            return
        }
        let editable = isOpen
        h.el(.form, .method("post"), .action(ReviewRoutes.assignment(assignmentID)), .class("card stack"), .id("scoring-form")) { h in
            shell.writeCSRF(&h)
            switch mode {
            case .scoring:
                h.el(.fieldset, .id("indicators")) { h in
                    h.el(.legend, raw: "评分指标")
                    for indicator in indicators {
                        let key = "score-" + indicator.key
                        h.formField(
                            key, label: "\(indicator.label)（0–\(indicator.weight) 分）",
                            control: .input(
                                type: "number", value: indicator.value,
                                extra: [
                                    .attr("min", literal: "0"), .attr("max", String(indicator.weight)), .attr("step", literal: "0.5"),
                                    .attr("data-indicator", indicator.key), .attr("data-weight", String(indicator.weight)),
                                    .attr("inputmode", literal: "decimal"), .flag("required"), .flag("disabled", !editable),
                                ]), errors: errors)
                    }
                }
                h.el(.p) { h in
                    h.raw("总分：")
                    h.el(.strong, .id("score-total"), text: total)
                }
            case .voting:
                h.el(.fieldset, .class(dynamic: errors["vote"] == nil ? "field" : "field invalid"), .id("vote")) { h in
                    h.el(.legend, raw: "表决意见")
                    for (value, label) in [("for", "赞成"), ("against", "反对"), ("abstain", "弃权")] {
                        h.el(.label, .class("choice")) { h in
                            h.void(
                                .input, .type("radio"), .name("vote"), .value(value), .id(dynamic: "vote-" + value),
                                .flag("checked", vote == value), .flag("disabled", !editable))
                            h.text(label)
                        }
                    }
                    h.fieldError(errors, "vote")
                }
            }
            h.formField("comment", label: "评审意见", control: .textarea(rows: "5", value: comment), errors: errors, hint: "不超过 2000 字。")
            if editable {
                h.el(.button, .type("submit"), .class("button primary"), .id("submit-score")) { h in
                    if state == .submitted { h.raw("修改评分") } else { h.raw("提交评分") }
                }
            } else {
                h.el(.p, .class("muted"), .id("round-closed"), raw: "评审未开始或已截止，不能提交或修改。")
            }
        }
        if editable, state != .submitted {
            h.el(.details, .class("card"), .id("decline")) { h in
                h.el(.summary, raw: "声明回避")
                h.el(.form, .method("post"), .action(ReviewRoutes.declineAssignment(assignmentID)), .class("stack")) { h in
                    shell.writeCSRF(&h)
                    h.formField(
                        "reason", label: "回避原因", control: .textarea(rows: "3", value: nil), errors: errors,
                        hint: "如与候选人同单位、有合作或亲属关系等。声明后本任务关闭，系统将另行抽取评审专家。")
                    h.el(.button, .type("submit"), .class("button danger"), .id("submit-decline"), raw: "声明回避")
                }
            }
        }
    }
}

extension ReviewRoundListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "评审轮次")
        h.el(.p, .class("muted"), raw: "本单位及下级单位组织的评审。评审轮次由奖项、学会评价等业务创建。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("评审轮次名称"))
            }
            h.selectField("mode", "方式", modes)
            h.selectField("state", "状态", states)
            h.selectField("sort", "排序", sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            h.el(.span, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(list.csvLink), .id("export-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(list.xlsxLink), .id("export-xlsx"), raw: "Excel")
            }
        }
        h.dataTable(
            .id("review-rounds"),
            head: { h in h.columnHeaders(["评审轮次", "组织单位", "方式", "截止日期", "状态", "候选", "已提交 / 任务"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-round", r.id.uuidString)) { h in
                        h.el(.td) { h in h.el(.a, .href(ReviewRoutes.round(r.id)), text: r.title) }
                        h.el(.td, text: r.organization)
                        h.el(.td, text: r.mode)
                        h.el(.td, .class("nowrap"), text: r.closesOn)
                        h.el(.td, text: r.state)
                        h.el(.td, text: String(r.candidates))
                        h.el(.td, text: "\(r.submitted) / \(r.assignments)")
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "暂无评审轮次") }
            })
        h.pager(list.pager)
    }
}

extension ReviewRoundPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(ReviewRoutes.rounds()), raw: "← 评审轮次") }
        h.el(.h1, text: title)
        h.formErrorSummary(
            errors, labels: ["seed": "抽取评审专家", "aggregate": "汇总排名", "candidate": "候选", "expert": "评审专家"],
            order: ["seed", "aggregate", "candidate", "expert"])
        h.el(.dl, .class("facts"), .id("round-facts")) { h in
            for (label, value) in facts { h.fact(label: label, value) }
        }
        h.el(.div, .class("actions"), .id("round-actions")) { h in
            h.el(.form, .method("post"), .action(ReviewRoutes.drawRound(id)), .class("inline")) { h in
                shell.writeCSRF(&h)
                h.inputField("seed", label: "种子（留空随机）", value: nil, errors: errors, .attr("inputmode", literal: "numeric"))
                h.el(.button, .type("submit"), .class("button primary"), .id("draw-reviewers"), raw: "抽取评审专家")
            }
            h.el(.form, .method("post"), .action(ReviewRoutes.aggregateRound(id)), .class("inline")) { h in
                shell.writeCSRF(&h)
                h.el(.button, .type("submit"), .class("button"), .id("aggregate-round"), raw: "汇总排名")
                h.fieldError(errors, "aggregate")
            }
        }
        h.el(.h2, raw: "候选")
        h.dataTable(
            .id("round-candidates"),
            head: { h in h.columnHeaders(["编号", "候选", "学科", "学科组", "评审专家", "已提交"]) },
            body: { h in
                for c in candidates {
                    h.el(.tr, .attr("data-candidate", c.id.uuidString)) { h in
                        h.el(.td, .class("nowrap"), text: c.label)
                        h.el(.td, text: c.title)
                        h.el(.td, text: c.field)
                        h.el(.td, text: c.panel)
                        h.el(.td, text: String(c.assigned))
                        h.el(.td, text: String(c.submitted))
                    }
                }
                if candidates.isEmpty { h.emptyRow(columns: 6, "暂无候选") }
            })
        h.el(.h2, raw: "指派评审专家")
        h.el(.form, .method("post"), .action(ReviewRoutes.assignRound(id)), .class("card stack"), .id("assign-form")) { h in
            shell.writeCSRF(&h)
            h.formField("candidate", label: "候选", control: .select(candidateOptions), errors: errors)
            h.formField("expert", label: "评审专家", control: .select(expertOptions), errors: errors, hint: "须回避的专家会被拒绝并说明原因。")
            h.el(.button, .type("submit"), .class("button"), .id("assign-reviewer"), raw: "指派")
        }
        h.el(.h2, raw: "评审进度")
        h.dataTable(
            .id("reviewer-progress"),
            head: { h in h.columnHeaders(["评审专家", "任务", "已提交", "已回避"]) },
            body: { h in
                for r in reviewers {
                    h.el(.tr) { h in
                        h.el(.td, text: r.name)
                        h.el(.td, text: String(r.assigned))
                        h.el(.td, text: String(r.submitted))
                        h.el(.td, text: String(r.declined))
                    }
                }
                if reviewers.isEmpty { h.emptyRow(columns: 4, "尚未抽取评审专家") }
            })
        h.el(.h2, raw: "抽取记录")
        h.dataTable(
            .id("draw-record"),
            head: { h in h.columnHeaders(["次序", "种子", "候选", "专家", "结果", "回避原因"]) },
            body: { h in
                for d in draws {
                    h.el(.tr, .attr("data-outcome", d.outcome)) { h in
                        h.el(.td, text: String(d.drawNumber))
                        h.el(.td, .class("nowrap"), text: d.seed)
                        h.el(.td, .class("nowrap"), text: d.candidate)
                        h.el(.td, text: d.reviewer)
                        h.el(.td, text: d.outcomeLabel)
                        h.el(.td, text: d.reasons)
                    }
                }
                if draws.isEmpty { h.emptyRow(columns: 6, "尚未抽取") }
            })
        h.el(.h2, raw: "汇总结果")
        h.el(.p, .class("muted")) { h in
            h.text("汇总方法：" + aggregation + "。")
            h.el(.span, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(ReviewRoutes.roundResults(id, query: ["format": "csv"])), .id("results-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(ReviewRoutes.roundResults(id, query: ["format": "xlsx"])), .id("results-xlsx"), raw: "Excel")
            }
        }
        h.dataTable(
            .id("round-results"),
            head: { h in h.columnHeaders(["名次", "候选", "得分", "并列说明", "赞成 / 反对 / 弃权", "表决结果"]) },
            body: { h in
                for r in results {
                    h.el(.tr, .attr("data-candidate", r.candidateID.uuidString), .attr("data-rank", r.rank)) { h in
                        h.el(.td, text: r.rank)
                        h.el(.td, text: r.title)
                        h.el(.td, .attr("data-score", r.score), text: r.score)
                        h.el(.td, text: r.tieNote)
                        h.el(.td, text: r.votes)
                        h.el(.td, text: r.passes)
                    }
                }
                if results.isEmpty { h.emptyRow(columns: 6, "尚未汇总") }
            })
    }
}
