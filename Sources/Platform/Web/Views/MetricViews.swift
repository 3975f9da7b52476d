import Foundation
import KexieKit

extension MetricsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "统计指标")
        h.el(
            .p, .class("muted"),
            raw: "各模块登记的统计指标，按所选组织（含下级）和统计期计算。点击数值查看按下级组织的分布和所统计的记录清单，清单条数与数值一致。")
        h.formErrorSummary(errors, labels: ["period": "统计期", "organization": "组织"], order: ["organization", "period"])
        h.el(.form, .method("get"), .action(PlatformRoutes.metrics()), .class("filters"), .role("search")) { h in
            h.organizationPicker("organization", label: "组织", organization, errors: errors)
            h.inputField("period", label: "统计期", value: period, errors: errors, hint: "2026、2026-Q4 或 2026-11")
            h.el(.button, .type("submit"), .class("button"), raw: "查看")
        }
        h.el(.p, .id("metrics-scope")) { h in
            h.text(organizationName)
            h.raw(" · ")
            h.text(periodLabel)
        }
        h.dataTable(
            .id("metrics"), head: { h in h.columnHeaders(["指标", "数值", "单位", "口径"]) },
            body: { h in
                for row in rows {
                    h.el(.tr, .attr("data-metric", row.id)) { h in
                        h.el(.td, text: row.label)
                        h.el(.td, .class("number")) { h in h.el(.a, .href(row.link), .attr("data-value", row.value), text: row.value) }
                        h.el(.td, text: row.unit)
                        h.el(.td, .class("muted"), text: row.span)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 4, "该统计期没有可计算的指标") }
            })
    }
}

extension MetricPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(backLink), raw: "← 全部统计指标") }
        h.el(.h1, text: label)
        h.el(.dl, .class("facts")) { h in
            h.fact("组织", organizationName)
            h.fact("统计期", periodLabel)
            h.el(.div) { h in
                h.el(.dt, raw: "数值")
                h.el(.dd, .id("metric-value"), .attr("data-value", value), text: value + " " + unit)
            }
        }
        if !children.isEmpty {
            h.el(.h2, raw: "按下级组织")
            if children.contains(where: { $0.number > 0 }) {
                h.chart(
                    .bars(
                        id: "metric-children", title: label + "（按下级组织）",
                        summary: "\(organizationName)各直属下级组织\(periodLabel)的\(label)", categoryTitle: "下级组织",
                        valueTitle: label, unit: unit == "万元" || unit == "分" ? "" : unit, series: .init(id: "value", label: label),
                        children.map { ($0.name, $0.number) }))
            }
            h.dataTable(
                .id("metric-children"), head: { h in h.columnHeaders(["组织", "数值"]) },
                body: { h in
                    for child in children {
                        h.el(.tr) { h in
                            h.el(.td, text: child.name)
                            h.el(.td, .class("number")) { h in
                                h.el(.a, .href(child.link), .attr("data-value", child.value), text: child.value)
                            }
                        }
                    }
                })
        }
        guard let records, let list else {
            h.el(.p, .class("muted"), .id("metric-no-list"), raw: "该指标是平均值或金额，或您没有查看其明细记录的权限。")
            return
        }
        h.el(.h2, raw: "统计的记录")
        h.el(.div, .class("filters")) { h in h.exports(list) }
        h.dataTable(
            .id("metric-records"), .attr("data-total", String(list.pager.total)),
            head: { h in h.columnHeaders(["名称", "日期", "所属组织"]) },
            body: { h in
                for record in records {
                    h.el(.tr, .attr("data-record", record.id.uuidString)) { h in
                        h.el(.td) { h in
                            if let link = record.link { h.el(.a, .href(link), text: record.title) } else { h.text(record.title) }
                        }
                        h.el(.td, text: record.day)
                        h.el(.td, text: record.organization)
                    }
                }
                if records.isEmpty { h.emptyRow(columns: 3, "该统计期没有记录") }
            })
        h.pager(list.pager)
    }
}
