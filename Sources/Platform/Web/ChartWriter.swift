import Foundation
import KexieKit

extension HTML {
    /// A chart (`KexieKit.Chart`, laid out by `ChartLayout`): a `<figure>` with the title as caption, a
    /// legend when there are several series, the SVG (`role="img"`, labelled by its `<title>` and
    /// `<desc>`) with axis titles, ticks and every value written as text, and a visually hidden table of
    /// all values for screen readers. Each bar, segment and point carries `data-series`, `data-label` and
    /// `data-value`, which tests assert on. A chart without categories says 暂无数据 instead. Styles
    /// (including print) are in `kexie.css` under `.chart-figure` and `svg.chart`.
    public mutating func chart(_ chart: Chart) {
        let geometry = ChartLayout.layout(chart)
        let base = "fig-" + chart.id
        el(.figure, .class("chart-figure"), .id(dynamic: base), .attr("data-chart", chart.id), .attr("data-kind", chart.kind.rawValue)) {
            h in
            h.el(.figcaption, .id(dynamic: base + "-caption"), text: chart.title)
            guard !chart.categories.isEmpty else {
                h.el(.p, .class("muted chart-empty"), raw: "暂无数据")
                return
            }
            if chart.series.count > 1 {
                h.el(.ul, .class("chart-legend")) { h in
                    for (index, series) in chart.series.enumerated() {
                        h.el(.li, .attr("data-series", series.id)) { h in
                            h.el(.span, .class(dynamic: "swatch series-\(index)"), .attr("aria-hidden", "true")) { _ in }
                            h.text(series.label)
                        }
                    }
                }
            }
            h.el(
                .svg, .class("chart"), .role("img"), .attr("aria-labelledby", "\(base)-title \(base)-desc"),
                .attr("viewBox", "0 0 \(ChartLayout.coordinate(geometry.width)) \(ChartLayout.coordinate(geometry.height))"),
                .attr("width", literal: "100%"), .attr("preserveAspectRatio", literal: "xMinYMin meet")
            ) { h in
                h.el(.svgTitle, .id(dynamic: base + "-title"), text: chart.title)
                h.el(.svgDesc, .id(dynamic: base + "-desc"), text: chart.summary)
                h.el(.g, .class("chart-axis")) { h in
                    for tick in geometry.ticks {
                        h.el(
                            .svgLine, .class("chart-grid"), .attr("x1", Self.c(tick.x1)), .attr("y1", Self.c(tick.y1)),
                            .attr("x2", Self.c(tick.x2)), .attr("y2", Self.c(tick.y2))
                        ) { _ in }
                        h.chartText(tick.label, class: "chart-tick")
                    }
                    h.chartText(geometry.valueTitle, class: "chart-axis-title", data: "value")
                    h.chartText(geometry.categoryTitle, class: "chart-axis-title", data: "category")
                }
                h.el(.g, .class("chart-categories")) { h in
                    for label in geometry.categoryLabels { h.chartText(label, class: "chart-category") }
                }
                for line in geometry.lines {
                    h.el(
                        .path, .class(dynamic: "chart-line series-\(line.series)"), .attr("d", line.path),
                        .attr("data-series", Self.seriesID(chart, line.series))
                    ) { _ in }
                }
                h.el(.g, .class("chart-marks")) { h in
                    for mark in geometry.marks {
                        let category = chart.categories[mark.category]
                        let series = Self.seriesID(chart, mark.series)
                        let note = chart.series.count > 1 && mark.series < chart.series.count ? "\(chart.series[mark.series].label) " : ""
                        let attributes: [Attribute] = [
                            .attr("data-series", series), .attr("data-label", category.label),
                            .attr("data-value", ChartLayout.number(mark.value)),
                        ]
                        if chart.kind == .line {
                            h.open(
                                .circle,
                                [
                                    .class(dynamic: "chart-point series-\(mark.series)"), .attr("cx", Self.c(mark.box.x)),
                                    .attr("cy", Self.c(mark.box.y)),
                                    .attr("r", literal: "3.5"),
                                ] + attributes)
                        } else {
                            h.open(
                                .rect,
                                [
                                    .class(dynamic: "chart-bar series-\(mark.series)"), .attr("x", Self.c(mark.box.x)),
                                    .attr("y", Self.c(mark.box.y)),
                                    .attr("width", Self.c(mark.box.width)), .attr("height", Self.c(mark.box.height)),
                                ] + attributes)
                        }
                        h.el(.svgTitle, text: "\(category.label)：\(note)\(chart.text(mark.value))")
                        h.close(chart.kind == .line ? .circle : .rect)
                    }
                    for label in geometry.valueLabels { h.chartText(label, class: "chart-value") }
                }
            }
            h.chartTable(chart, id: base + "-data")
        }
    }

    /// The values as a table, for screen readers (and for anyone when styles are off).
    private mutating func chartTable(_ chart: Chart, id: String) {
        el(.table, .class("visually-hidden"), .id(dynamic: id)) { h in
            h.el(.caption, text: chart.title)
            h.el(.thead) { h in
                h.el(.tr) { h in
                    h.el(.th, .attr("scope", literal: "col"), text: chart.categoryTitle)
                    for series in chart.series { h.el(.th, .attr("scope", literal: "col"), text: series.label) }
                    if chart.kind == .stackedBar { h.el(.th, .attr("scope", literal: "col"), raw: "合计") }
                }
            }
            h.el(.tbody) { h in
                for category in chart.categories {
                    h.el(.tr) { h in
                        h.el(.th, .attr("scope", literal: "row"), text: category.label)
                        for index in chart.series.indices { h.el(.td, text: chart.text(chart.value(category, series: index))) }
                        if chart.kind == .stackedBar { h.el(.td, text: chart.text(category.values.reduce(0, +))) }
                    }
                }
            }
        }
    }

    private mutating func chartText(_ text: ChartGeometry.Text, class name: StaticString, data: String? = nil) {
        el(
            .svgText, .class(name), .attr("x", Self.c(text.x)), .attr("y", Self.c(text.y)),
            .attr("text-anchor", text.anchor == .start ? nil : text.anchor.rawValue), .attr("data-axis", data)
        ) { h in
            h.text(text.text)
            if text.text != text.full { h.el(.svgTitle, text: text.full) }
        }
    }

    private static func c(_ value: Double) -> String { ChartLayout.coordinate(value) }

    private static func seriesID(_ chart: Chart, _ index: Int) -> String {
        index < chart.series.count ? chart.series[index].id : String(index)
    }
}
