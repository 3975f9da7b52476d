import Platform

extension PeopleListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "科技工作者")
            h.el(.div, .class("actions")) { h in
                if let statisticsLink { h.el(.a, .class("button"), .href(statisticsLink), raw: "统计") }
                if let importLink { h.el(.a, .class("button"), .href(importLink), raw: "批量导入") }
                if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), raw: "登记") }
            }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "姓名、单位或研究方向")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("也可输入完整手机号或身份证号"))
            }
            h.organizationPicker("org", label: "组织（空白为全部）", organization, errors: [:])
            h.selectField("discipline", "学科", disciplines)
            h.selectField("title", "职称级别", titles)
            h.el(.div, .class("field")) { h in
                h.el(.label, .for("region"), raw: "地区（市或县区）")
                h.void(.input, .id("region"), .name("region"), .value(region))
            }
            h.selectField("age", "年龄段", ageBands)
            h.selectField("sex", "性别", sexes)
            h.selectField("verification", "核验状态", verifications)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list, label: "导出（已脱敏）：")
        }
        h.el(.p, .class("muted"), .id("result-count")) { h in
            h.text(countLabel)
            if searchCapped { h.raw("（只显示最相关的前 200 条，请补充筛选条件）") }
        }
        h.dataTable(
            .id("people"),
            head: { h in
                h.sortHeader(nameHeader)
                h.el(.th, .attr("scope", literal: "col"), raw: "性别")
                h.sortHeader(birthHeader)
                h.columnHeaders(["职称", "工作单位", "学科", "地区", "手机", "核验"])
            },
            body: { h in
                for row in rows { write(&h, row) }
                if rows.isEmpty { h.emptyRow(columns: 9, "没有符合条件的科技工作者") }
            })
        h.pager(list.pager)
    }

    private func write(_ h: inout HTML, _ row: Row) {
        h.el(.tr) { h in
            h.el(.td) { h in
                h.el(.a, .href(row.link), text: row.name)
                if row.verified {
                    h.raw(" ")
                    h.el(.span, .class("badge verified"), .title("已实名核验"), raw: "✔ 实名")
                }
            }
            for value in [row.sex, row.age, row.title, row.employer, row.discipline, row.region, row.phone, row.verification] {
                h.el(.td, text: value)
            }
        }
    }
}
