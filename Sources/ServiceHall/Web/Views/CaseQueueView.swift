import Platform

extension CaseQueuePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, text: heading)
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("q"), raw: "标题或查询码")
                h.void(.input, .id("q"), .name("q"), .value(list.q))
            }
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("state"), raw: "状态")
                h.el(.select, .id("state"), .name("state")) { h in h.options(states) }
            }
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.el(.div, .class("table-wrap")) { h in
            h.el(.table, .id("cases")) { h in
                h.el(.thead) { h in
                    h.el(.tr) { h in
                        for label: StaticString in ["查询码", "类型", "标题", "状态", "承办单位"] {
                            h.el(.th, .attr("scope", literal: "col"), raw: label)
                        }
                        h.sortHeader(dueHeader)
                        h.el(.th, .attr("scope", literal: "col"), raw: "时限")
                    }
                }
                h.el(.tbody) { h in
                    for r in rows {
                        h.el(.tr) { h in
                            h.el(.td, text: r.code)
                            h.el(.td, text: r.type)
                            h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                            h.el(.td, text: r.state)
                            h.el(.td, text: r.unit)
                            h.el(.td, text: r.due)
                            h.el(.td) { h in h.el(.span, .attr("class", "badge " + r.statusClass), text: r.status) }
                        }
                    }
                    if rows.isEmpty { h.emptyRow(columns: 7, "没有符合条件的事项") }
                }
            }
        }
        h.pager(list.pager)
    }
}
