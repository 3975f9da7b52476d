import Foundation
import Platform

struct EvaluateFormPage: Sendable {
    struct Speaker: Sendable {
        let id: String
        let name: String
        let topic: String
    }
    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let when: String
    let closesAt: String
    let action: String
    let evaluated: Bool
    let evaluatedAt: String?
    /// Why the form is not offered (not over yet, closed).
    let closedReason: String?
    let notice: String?
    let speakers: [Speaker]
    let values: EvaluationService.Input
    let errors: [String: String]
}

extension HTML {
    /// Five radio buttons 1–5 in a fieldset whose id is the field's key (the error summary's anchor).
    mutating func ratingField(_ key: String, label: String, value: String?, errors: [String: String], disabled: Bool) {
        let invalid = errors[key] != nil
        el(
            .fieldset, .class(dynamic: invalid ? "rating invalid" : "rating"), .id(dynamic: key),
            .attr("aria-describedby", invalid ? key + "-error" : nil), .attr("data-value", value)
        ) { h in
            h.el(.legend, text: label)
            for score in 1...5 {
                let id = "\(key)-\(score)"
                h.el(.span, .class("rating-choice")) { h in
                    h.void(
                        .input, .type("radio"), .id(dynamic: id), .name(dynamic: key), .value(String(score)),
                        .flag("checked", value == String(score)), .flag("disabled", disabled))
                    h.el(.label, .for(dynamic: id)) { h in
                        h.text(String(score))
                        h.el(.span, .class("rating-unit"), raw: " 分")
                    }
                }
            }
            h.fieldError(errors, key)
        }
    }
}

extension EvaluateFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(eventLink), raw: "← 返回活动") }
        h.el(.h1, raw: "活动评价")
        h.el(.section, .class("card"), .id("evaluate-event")) { h in
            h.el(.h2, text: eventTitle)
            h.el(.dl, .class("facts")) { h in
                h.fact("时间", when)
                h.fact("评价截止", closesAt)
            }
            h.el(.p, .class("muted"), raw: "评价不署名：主办单位只看到各项平均分和意见内容，看不到评价人的姓名。每人评价一次，截止前可以修改。")
        }
        if let notice { h.el(.p, .class("notice"), .role("status"), .id("evaluate-notice"), text: notice) }
        if evaluated, let evaluatedAt {
            h.el(.p, .class("muted"), .id("evaluated-at"), .attr("data-evaluated", "true"), text: "您已于 \(evaluatedAt) 提交评价。")
        }
        if let error = errors["form"] { h.el(.p, .class("form-error"), .role("alert"), .id("evaluate-error"), text: error) }
        if let closedReason { h.el(.p, .class("form-error"), .role("status"), .id("evaluate-closed"), text: closedReason) }
        var labels = EvaluationService.labels
        for s in speakers { labels["speaker-" + s.id] = "报告人：" + s.name }
        h.formErrorSummary(
            errors.filter { $0.key != "form" }, labels: labels,
            order: ["content", "organization"] + speakers.map { "speaker-" + $0.id } + ["speakers", "comment"])
        let disabled = closedReason != nil
        h.el(.form, .method("post"), .action(action), .class("card evaluation-form"), .id("evaluation-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.ratingField("content", label: "活动内容（主题、报告质量、收获）", value: values.content, errors: errors, disabled: disabled)
            h.ratingField("organization", label: "组织服务（通知、会场、时间安排）", value: values.organization, errors: errors, disabled: disabled)
            if !speakers.isEmpty {
                h.el(.h2, raw: "报告人")
                for s in speakers {
                    h.ratingField(
                        "speaker-" + s.id, label: s.topic.isEmpty ? s.name : "\(s.name)：\(s.topic)", value: values.speakers[s.id],
                        errors: errors, disabled: disabled)
                }
                h.fieldError(errors, "speakers")
            }
            h.formField(
                "comment", label: "意见和建议（选填）", control: .textarea(rows: "4", value: values.comment), errors: errors,
                hint: "最多 \(EvaluationService.maxComment) 字")
            if !disabled {
                h.el(.button, .type("submit"), .class("button primary"), .id("submit-evaluation"), text: evaluated ? "修改评价" : "提交评价")
            }
        }
    }
}

struct EvaluationResultsPage: Sendable {
    struct Report: Sendable {
        let attendance: Int
        let checkedIn: Int
        let reason: String
        let advice: Int
        let papers: Int
        let dockings: Int
        let note: String
        let filedAt: String
    }
    struct Photo: Sendable {
        let id: String
        let name: String
        let link: String
    }
    let shell: PageShell
    let eventID: String
    let eventTitle: String
    let eventLink: String
    let score: Double?
    let results: EvaluationService.Results
    let checkedIn: Int
    let capacity: Int?
    let confirmed: Int
    let report: Report?
    let photos: [Photo]
    let reportLink: String?
    let recordLink: String
    let xlsxLink: String
    let csvLink: String
}

extension EvaluationResultsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(eventLink), raw: "← 返回活动") }
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "活动评价结果")
            h.el(.div, .class("actions")) { h in
                if let reportLink { h.el(.a, .class("button primary"), .href(reportLink), .id("report-link"), raw: "填写活动总结") }
                h.el(.a, .class("button"), .href(recordLink), .id("record-link"), raw: "年度活动记录")
            }
        }
        h.el(.p, .class("lead"), text: eventTitle)
        h.el(.section, .class("card"), .id("evaluation-summary"), .attr("data-event-id", eventID)) { h in
            h.el(.h2, raw: "质量分")
            h.el(
                .p, .class("quality-score-large"), .id("quality-score"), .attr("data-score", score.map { String(format: "%.1f", $0) }),
                text: score.map { String(format: "%.1f", $0) } ?? "—")
            h.el(.p, .class("muted"), raw: "质量分 = 50 × 参会评价 + 30 × 到会率 + 20 × 成果（满分 100，尚未得出的部分不计入并按比例折算）。")
            h.el(.dl, .class("facts"), .id("evaluation-averages")) { h in
                h.el(.div, .attr("data-key", literal: "count")) { h in
                    h.el(.dt, raw: "评价份数")
                    h.el(.dd, .id("evaluation-count"), .attr("data-count", String(results.count)), text: String(results.count))
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "活动内容均分")
                    h.el(.dd, .id("content-average"), text: EvaluationService.format(results.content))
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "组织服务均分")
                    h.el(.dd, .id("organization-average"), text: EvaluationService.format(results.organization))
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "报告人均分")
                    h.el(.dd, .id("speaker-average"), text: EvaluationService.format(results.speakers))
                }
                h.fact("签到人数", "\(checkedIn) 人（已确认报名 \(confirmed) 人，名额 \(capacity.map(String.init) ?? "不限")）")
            }
            h.el(.span, .class("exports")) { h in
                h.raw("导出评价：")
                h.el(.a, .href(csvLink), .id("export-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(xlsxLink), .id("export-xlsx"), raw: "Excel")
            }
        }
        h.el(.section, .class("card"), .id("evaluation-distribution")) { h in
            h.el(.h2, raw: "评分分布")
            h.dataTable(
                .id("score-distribution"), head: { h in h.columnHeaders(["评价项", "1 分", "2 分", "3 分", "4 分", "5 分"]) },
                body: { h in
                    for (label, counts) in [("活动内容", results.contentHistogram), ("组织服务", results.organizationHistogram)] {
                        h.el(.tr) { h in
                            h.el(.th, .attr("scope", literal: "row"), text: label)
                            for c in counts { h.el(.td, text: String(c)) }
                        }
                    }
                })
            h.el(.h2, raw: "报告人")
            h.dataTable(
                .id("speaker-results"), head: { h in h.columnHeaders(["报告人", "报告题目", "评分人数", "均分"]) },
                body: { h in
                    for s in results.speakerResults {
                        h.el(.tr, .attr("data-speaker-id", s.id.uuidString)) { h in
                            h.el(.td, text: s.name)
                            h.el(.td, text: s.topic.isEmpty ? "—" : s.topic)
                            h.el(.td, text: String(s.count))
                            h.el(.td, text: EvaluationService.format(s.average))
                        }
                    }
                    if results.speakerResults.isEmpty { h.emptyRow(columns: 4, "本活动没有报告人") }
                })
        }
        h.el(.section, .class("card"), .id("event-report")) { h in
            h.el(.h2, raw: "活动总结")
            if let report {
                h.el(.dl, .class("facts"), .id("report-facts"), .attr("data-attendance", String(report.attendance))) { h in
                    h.fact("实到人数", "\(report.attendance) 人" + (report.reason.isEmpty ? "" : "（签到 \(report.checkedIn) 人；\(report.reason)）"))
                    h.fact("决策建议", "\(report.advice) 篇")
                    h.fact("论文", "\(report.papers) 篇")
                    h.fact("签约对接项目", "\(report.dockings) 个")
                    if !report.note.isEmpty { h.fact("成果说明", report.note) }
                    h.fact("填报时间", report.filedAt)
                }
                if !photos.isEmpty {
                    h.el(.ul, .class("photo-grid"), .id("report-photos")) { h in
                        for p in photos {
                            h.el(.li, .attr("data-file-id", p.id)) { h in
                                h.el(.a, .href(p.link)) { h in
                                    h.void(.img, .attr("src", p.link), .attr("alt", p.name), .attr("loading", literal: "lazy"))
                                }
                            }
                        }
                    }
                }
            } else {
                h.el(.p, .class("muted"), .id("report-missing"), raw: "主办单位尚未填写活动总结。")
            }
        }
        h.el(.section, .class("card"), .id("evaluation-comments")) { h in
            h.el(.h2, raw: "评价明细（不署名）")
            h.dataTable(
                .id("evaluations"), head: { h in h.columnHeaders(["日期", "活动内容", "组织服务", "意见和建议"]) },
                body: { h in
                    for e in results.evaluations {
                        h.el(.tr, .attr("data-evaluation-id", e.id.uuidString)) { h in
                            h.el(.td, text: ChineseDate.day(e.date))
                            h.el(.td, text: String(e.content))
                            h.el(.td, text: String(e.organization))
                            h.el(.td, text: e.text.isEmpty ? "—" : e.text)
                        }
                    }
                    if results.evaluations.isEmpty { h.emptyRow(columns: 4, "还没有参会人员评价") }
                })
        }
    }
}

struct ReportFormPage: Sendable {
    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let resultsLink: String
    let action: String
    let checkedIn: Int
    let filed: Bool
    let closedReason: String?
    let photos: [EvaluationResultsPage.Photo]
    let maxPhotos: Int
    let values: [String: String]
    let errors: [String: String]
}

extension ReportFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in
            h.el(.a, .href(eventLink), raw: "← 返回活动")
            h.raw(" · ")
            h.el(.a, .href(resultsLink), raw: "评价结果")
        }
        h.el(.h1, raw: "活动总结")
        h.el(.p, .class("lead"), text: eventTitle)
        if let error = errors["form"] { h.el(.p, .class("form-error"), .role("alert"), .id("report-error"), text: error) }
        if let closedReason { h.el(.p, .class("form-error"), .role("status"), .id("report-closed"), text: closedReason) }
        h.formErrorSummary(errors.filter { $0.key != "form" }, labels: EvaluationService.reportLabels, order: EvaluationService.reportOrder)
        h.el(
            .form, .method("post"), .action(action), .attr("enctype", literal: "multipart/form-data"), .class("card"), .id("report-form"),
            .flag("novalidate")
        ) { h in
            shell.writeCSRF(&h)
            h.el(.h2, raw: "到会情况")
            h.formField(
                "attendance", label: "实到人数",
                control: .input(
                    type: "number", value: values["attendance"], extra: [.attr("min", literal: "0"), .attr("max", literal: "100000")]),
                errors: errors, hint: "按签到记录预填：\(checkedIn) 人（已签到的报名 + 现场登记）。修改时请说明原因。")
            h.el(.p, .class("muted"), .id("checked-in"), .attr("data-checked-in", String(checkedIn)), text: "签到人数：\(checkedIn) 人")
            h.formField(
                "attendanceReason", label: "人数调整说明",
                control: .input(type: "text", value: values["attendanceReason"], extra: [.attr("maxlength", literal: "200")]),
                errors: errors)
            h.el(.h2, raw: "活动成果")
            for (key, label) in [("adviceCount", "决策建议（篇）"), ("paperCount", "论文（篇）"), ("dockingCount", "签约对接项目（个）")] {
                h.formField(
                    key, label: label,
                    control: .input(
                        type: "number", value: values[key], extra: [.attr("min", literal: "0"), .attr("max", literal: "100000")]),
                    errors: errors)
            }
            h.formField(
                "outputsNote", label: "成果说明", control: .textarea(rows: "4", value: values["outputsNote"]), errors: errors, hint: "最多 2000 字"
            )
            h.el(.h2, raw: "活动照片")
            if !photos.isEmpty {
                h.el(.ul, .class("photo-grid"), .id("report-photos")) { h in
                    for p in photos {
                        h.el(.li, .attr("data-file-id", p.id)) { h in
                            h.el(.a, .href(p.link)) { h in
                                h.void(.img, .attr("src", p.link), .attr("alt", p.name), .attr("loading", literal: "lazy"))
                            }
                        }
                    }
                }
            }
            // `files[]`: the multipart decoder reads repeated parts into the list only under that name.
            h.el(.div, HTML.fieldClass(errors, "files")) { h in
                h.el(.label, .for("files"), raw: "上传照片")
                let invalid = errors["files"] != nil
                h.void(
                    .input, .type("file"), .id("files"), .name("files[]"), .flag("multiple"),
                    .attr("accept", literal: "image/png,image/jpeg,image/gif,image/webp"), .attr("aria-invalid", invalid ? "true" : nil),
                    .attr("aria-describedby", invalid ? "files-hint files-error" : "files-hint"))
                h.el(
                    .p, .class("hint"), .id("files-hint"),
                    text: "PNG、JPEG、GIF 或 WebP，每张不超过 5 MB，共 \(maxPhotos) 张以内；已上传 \(photos.count) 张。")
                h.fieldError(errors, "files")
            }
            if closedReason == nil {
                h.el(.button, .type("submit"), .class("button primary"), .id("submit-report"), text: filed ? "保存修改" : "提交总结")
            }
        }
    }
}

struct RecordPage: Sendable {
    struct Count: Sendable {
        let label: String
        let count: Int
    }
    struct Summary: Sendable {
        let events: Int
        let participants: Int
        let evaluations: Int
        let averageScore: Double?
        let averageContent: Double?
        let advice: Int
        let papers: Int
        let dockings: Int
        let byLevel: [Count]
        let byKind: [Count]
    }
    struct Row: Sendable {
        let id: String
        let title: String
        let link: String
        let kind: String
        let level: String
        let organizer: String
        let starts: String
        let attendance: String
        let evaluations: Int
        let content: String
        let organization: String
        let outputs: String
        let score: String
        let reported: Bool
    }
    let shell: PageShell
    let organization: String
    let year: Int
    let years: [SelectOption]
    let kinds: [SelectOption]
    let levels: [SelectOption]
    let list: ListChrome
    let summary: Summary
    let rows: [Row]
}

extension RecordPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1) { h in
            h.text(organization)
            h.raw(" · ")
            h.text("\(year) 年度活动记录")
        }
        h.el(.p, .class("muted"), raw: "本单位及下级单位主办、当年举办（已发布或已结束）的活动，含参会人数、评价均分、成果和质量分。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.selectField("year", "年度", years)
            h.inputField("q", "名称", value: list.q)
            h.selectField("kind", "类型", kinds)
            h.selectField("level", "级别", levels)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.el(.section, .class("card"), .id("record-summary"), .attr("data-events", String(summary.events))) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("举办活动", "\(summary.events) 场")
                h.fact("参会人次", "\(summary.participants) 人次")
                h.fact("评价份数", "\(summary.evaluations) 份")
                h.fact("平均质量分", summary.averageScore.map { String(format: "%.1f", $0) } ?? "—")
                h.fact("活动内容均分", EvaluationService.format(summary.averageContent))
                h.fact("成果", "决策建议 \(summary.advice) 篇 · 论文 \(summary.papers) 篇 · 签约对接 \(summary.dockings) 个")
                h.fact("按级别", summary.byLevel.map { "\($0.label) \($0.count)" }.joined(separator: "、"))
                h.fact("按类型", summary.byKind.map { "\($0.label) \($0.count)" }.joined(separator: "、"))
            }
        }
        h.dataTable(
            .id("record"),
            head: { h in
                h.sortHeader(list.headers[0])
                h.columnHeaders(["类型", "级别", "主办单位"])
                h.sortHeader(list.headers[1])
                h.sortHeader(list.headers[2])
                h.sortHeader(list.headers[3])
                h.columnHeaders(["内容 / 组织均分", "建议 / 论文 / 对接"])
                h.sortHeader(list.headers[4])
            },
            body: { h in
                for r in rows {
                    h.el(
                        .tr, .attr("data-event-id", r.id), .attr("data-score", r.score),
                        .attr("data-reported", r.reported ? "true" : "false")
                    ) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.kind)
                        h.el(.td, text: r.level)
                        h.el(.td, text: r.organizer)
                        h.el(.td, text: r.starts)
                        h.el(.td, text: r.attendance)
                        h.el(.td, text: String(r.evaluations))
                        h.el(.td, text: "\(r.content) / \(r.organization)")
                        h.el(.td, text: r.outputs)
                        h.el(.td, text: r.score)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 10, "这一年没有举办的活动") }
            })
        h.pager(list.pager)
    }
}
