import Platform

extension CalendarPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "学术活动")
            h.el(.div, .class("actions")) { h in
                if let manageLink { h.el(.a, .class("button"), .href(manageLink), .id("manage-events"), raw: "活动管理") }
                if let feedLink { h.el(.a, .class("button"), .href(feedLink), .id("organization-feed"), raw: "订阅日历（.ics）") }
            }
        }
        h.el(.p, .class("muted"), raw: "学术会议、论坛、院士专家报告会、学术沙龙、培训与科普活动。点开活动可查看日程、报告人并在线报名。")
        h.el(.form, .method("get"), .action(literal: "/events"), .class("filters"), .role("search"), .id("calendar-filters")) { h in
            if list { h.void(.input, .type("hidden"), .name("view"), .attr("value", literal: "list")) }
            h.void(.input, .type("hidden"), .name("month"), .value(month))
            h.selectField("kind", "类型", kinds)
            h.selectField("level", "级别", levels)
            h.inputField("organizer", "主办单位", value: organizer, placeholder: "单位全称")
            h.inputField("field", "学科领域", value: field, placeholder: "如 材料科学")
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
        }
        h.el(.nav, .class("calendar-nav"), .attr("aria-label", literal: "月份与视图")) { h in
            h.el(.a, .href(previousLink), .id("previous-month"), .attr("rel", literal: "prev"), raw: "‹ 上个月")
            h.el(.h2, .id("calendar-month"), .attr("data-month", month), text: monthLabel)
            h.el(.a, .href(nextLink), .id("next-month"), .attr("rel", literal: "next"), raw: "下个月 ›")
            h.el(.a, .href(todayLink), raw: "本月")
            h.el(.span, .class("view-switch")) { h in
                h.el(.a, .href(monthViewLink), .id("month-view"), .attr("aria-current", list ? nil : "page"), raw: "月历")
                h.raw(" ")
                h.el(.a, .href(listViewLink), .id("list-view"), .attr("aria-current", list ? "page" : nil), raw: "列表")
            }
        }
        if list { writeList(&h) } else { writeMonth(&h) }
    }

    private func writeMonth(_ h: inout HTML) {
        h.el(.div, .class("table-wrap"), .attr("tabindex", literal: "0")) { h in
            h.el(.table, .class("calendar-month"), .id("month-grid")) { h in
                h.el(.caption, .class("visually-hidden"), text: monthLabel + "活动日历")
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        for name in ["一", "二", "三", "四", "五", "六", "日"] {
                            h.el(.th, .attr("scope", literal: "col"), text: "周" + name)
                        }
                    }
                }
                h.el(.tbody) { h in
                    for week in weeks {
                        h.el(.tr) { h in
                            for cell in week {
                                let classes = ["day", cell.inMonth ? nil : "other-month", cell.isToday ? "today" : nil].compactMap { $0 }
                                h.el(.td, .attr("class", classes.joined(separator: " ")), .attr("data-day", cell.date)) { h in
                                    h.el(.span, .class("day-number"), .attr("aria-label", cell.date), text: String(cell.number))
                                    if !cell.entries.isEmpty {
                                        h.el(.ul, .class("day-events")) { h in
                                            for e in cell.entries.prefix(3) {
                                                h.el(.li, .attr("data-event-id", e.id), .attr("data-state", e.state)) { h in
                                                    h.el(.a, .href(e.link), .title(e.when + " " + e.place)) { h in
                                                        h.el(.span, .class("time"), text: e.time)
                                                        h.raw(" ")
                                                        h.text(e.title)
                                                        if e.state == "cancelled" { h.raw("（已取消）") }
                                                    }
                                                }
                                            }
                                            if cell.entries.count > 3 {
                                                h.el(.li, .class("more")) { h in
                                                    h.el(.a, .href(listViewLink)) { h in
                                                        h.raw("另有 ")
                                                        h.text(cell.entries.count - 3)
                                                        h.raw(" 场")
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private func writeList(_ h: inout HTML) {
        h.el(.ol, .class("event-list"), .id("event-list")) { h in
            for e in rows {
                h.el(.li, .class("card"), .attr("data-event-id", e.id), .attr("data-state", e.state)) { h in
                    h.el(.h3) { h in
                        h.el(.a, .href(e.link), text: e.title)
                        if e.state != "published" {
                            h.raw(" ")
                            h.el(.span, .attr("class", "badge event-" + e.state), text: e.stateLabel)
                        }
                    }
                    h.el(.p, .class("event-meta")) { h in
                        h.el(.span, text: e.when)
                        h.raw(" · ")
                        h.el(.span, text: e.place)
                    }
                    h.el(.p, .class("muted")) { h in
                        h.text(e.kind)
                        h.raw(" · ")
                        h.text(e.level)
                        h.raw(" · 主办：")
                        h.text(e.organizer)
                    }
                }
            }
            if rows.isEmpty { h.el(.li, .class("muted"), raw: "没有符合条件的活动") }
        }
        if let pager { h.pager(pager) }
    }
}
