import Platform

extension EventPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(backLink), text: "← " + backLabel) }
        h.el(.h1) { h in
            h.text(title)
            h.raw(" ")
            h.el(.span, .attr("class", "badge event-" + state), .id("event-state"), .attr("data-state", state), text: stateLabel)
        }
        if let notice { h.el(.p, .class("notice"), .role("status"), .id("event-notice"), text: notice) }
        if let error = errors.values.sorted().first { h.el(.p, .class("form-error"), .role("alert"), .id("event-error"), text: error) }
        h.el(.div, .class("event-links"), .id("event-links")) { h in
            if let registerLink { h.el(.a, .class("button primary"), .href(registerLink), .id("register-link"), raw: "报名") }
            if let checkInLink { h.el(.a, .class("button"), .href(checkInLink), .id("check-in-link"), raw: "现场签到") }
            if let registrationsLink { h.el(.a, .class("button"), .href(registrationsLink), .id("registrations-link"), raw: "报名名单") }
            if let attendanceLink { h.el(.a, .class("button"), .href(attendanceLink), .id("attendance-link"), raw: "签到名单（XLSX）") }
            h.el(.a, .class("button"), .href(icsLink), .id("ics-link"), .attr("download", literal: ""), raw: "加入日历（.ics）")
        }
        evaluation?.write(&h)
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts"), .id("event-facts")) { h in
                for f in facts { h.fact(label: f.label, f.value) }
            }
            if capacity != nil {
                h.el(
                    .p, .id("event-places"), .attr("data-capacity", capacity.map(String.init)), .attr("data-confirmed", String(confirmed)),
                    .attr("data-left", placesLeft.map(String.init))
                ) { h in
                    h.raw("已确认 ")
                    h.text(confirmed)
                    h.raw(" 人，剩余名额 ")
                    h.text(placesLeft ?? 0)
                    h.raw(" 个")
                }
            }
            if !summary.isEmpty {
                h.el(.h2, raw: "活动简介")
                h.el(.p, .class("source-text"), .id("event-summary"), text: summary)
            }
        }
        h.el(.section, .class("card"), .id("programme")) { h in
            h.el(.h2, raw: "日程")
            h.dataTable(
                .id("event-sessions"), head: { h in h.columnHeaders(["时间", "内容", "会场"]) },
                body: { h in
                    for s in sessions {
                        h.el(.tr) { h in
                            h.el(.td, text: s.time)
                            h.el(.td, text: s.title)
                            h.el(.td, text: s.room.isEmpty ? "—" : s.room)
                        }
                    }
                    if sessions.isEmpty { h.emptyRow(columns: 3, "日程待公布") }
                })
        }
        h.el(.section, .class("card"), .id("speakers")) { h in
            h.el(.h2, raw: "报告人")
            h.dataTable(
                .id("event-speakers"), head: { h in h.columnHeaders(["报告人", "职称与单位", "报告题目"]) },
                body: { h in
                    for s in speakers {
                        h.el(.tr) { h in
                            h.el(.td, text: s.name)
                            h.el(.td, text: s.affiliation.isEmpty ? "—" : s.affiliation)
                            h.el(.td, text: s.topic.isEmpty ? "—" : s.topic)
                        }
                    }
                    if speakers.isEmpty { h.emptyRow(columns: 3, "报告人待公布") }
                })
        }
        if editLink != nil || !actions.isEmpty { writeActions(&h) }
        if !steps.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "办理记录")
                h.timeline(id: "event-history", steps)
            }
        }
    }

    private func writeActions(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("event-actions")) { h in
            h.el(.h2, raw: "办理")
            h.el(.div, .class("posting-actions")) { h in
                if let editLink { h.el(.a, .class("button"), .href(editLink), .id("edit-event"), raw: "修改") }
                for a in actions {
                    h.el(
                        .form, .method("post"), .action(actionPath), .class(dynamic: a.needsReason ? "posting-reason" : "inline"),
                        .flag("novalidate")
                    ) {
                        h in
                        shell.writeCSRF(&h)
                        h.void(.input, .type("hidden"), .name("action"), .value(a.value))
                        if a.needsReason {
                            h.el(.div, HTML.fieldClass(errors, "comment")) { h in
                                h.el(.label, .for("comment"), raw: "退回理由")
                                let invalid = errors["comment"] != nil
                                h.el(
                                    .textarea, .id("comment"), .name("comment"), .attr("rows", literal: "2"), .required,
                                    .attr("aria-invalid", invalid ? "true" : nil),
                                    .attr("aria-describedby", invalid ? "comment-error" : nil),
                                    text: "")
                                h.fieldError(errors, "comment")
                            }
                        }
                        h.el(
                            .button, .type("submit"), .attr("class", "button " + a.style), .id(dynamic: "action-" + a.value), text: a.label)
                    }
                }
            }
            h.fieldError(errors, "action")
        }
    }
}

extension ManagePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "活动管理")
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(literal: "/events"), raw: "活动日历")
                if let recordLink { h.el(.a, .class("button"), .href(recordLink), .id("record-link"), raw: "年度活动记录") }
                if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), .id("new-event"), raw: "新建活动") }
            }
        }
        h.el(.p, .class("muted"), raw: "本单位及下级单位主办或协办的活动，包括草稿、待审核、已发布、已取消和已结束的。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "名称", value: list.q)
            h.selectField("kind", "类型", kinds)
            h.selectField("level", "级别", levels)
            h.selectField("state", "状态", states)
            h.inputField("organizer", "主办单位", value: organizer, placeholder: "单位全称")
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.el(.span, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(list.csvLink), .id("export-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(list.xlsxLink), .id("export-xlsx"), raw: "Excel")
            }
        }
        h.dataTable(
            .id("events"),
            head: { h in
                h.sortHeader(list.headers[0])
                h.columnHeaders(["类型", "级别", "主办单位"])
                h.sortHeader(list.headers[1])
                h.sortHeader(list.headers[2])
                h.columnHeaders(["已确认 / 名额"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-event-id", r.id)) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.kind)
                        h.el(.td, text: r.level)
                        h.el(.td, text: r.organizer)
                        h.el(.td, text: r.starts)
                        h.el(.td) { h in h.el(.span, .attr("class", "badge event-" + r.state), text: r.stateLabel) }
                        h.el(.td, text: r.places)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "没有符合条件的活动") }
            })
        h.pager(list.pager)
    }
}
