import Platform

extension CaseQueuePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, text: heading)
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "标题或查询码", value: list.q)
            h.selectField("state", "状态", states)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("cases"),
            head: { h in
                h.columnHeaders(["查询码", "类型", "标题", "状态", "承办单位"])
                h.sortHeader(dueHeader)
                h.el(.th, .attr("scope", literal: "col"), raw: "时限")
            },
            body: { h in
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
            })
        h.pager(list.pager)
    }
}
