import Foundation

/// Where everything of a chart goes, in SVG user units of a 600-wide drawing (the page scales it).
/// Pure geometry, so it is tested with literal coordinates; Platform's writer only places it.
public struct ChartGeometry: Sendable, Equatable {
    public enum Anchor: String, Sendable { case start, middle, end }

    public struct Rect: Sendable, Equatable {
        public let x: Double
        public let y: Double
        public let width: Double
        public let height: Double
    }

    /// Text to draw: `text` is what fits, `full` the whole label (a `<title>` when they differ).
    public struct Text: Sendable, Equatable {
        public let text: String
        public let full: String
        public let x: Double
        public let y: Double
        public let anchor: Anchor
    }

    /// A tick of the value axis: its label and the grid line across the plot.
    public struct Tick: Sendable, Equatable {
        public let value: Double
        public let label: Text
        public let x1: Double
        public let y1: Double
        public let x2: Double
        public let y2: Double
    }

    /// A bar, a stacked segment or (for lines) a point with a zero-size box at its centre.
    public struct Mark: Sendable, Equatable {
        public let series: Int
        public let category: Int
        public let value: Double
        public let box: Rect
    }

    public struct Line: Sendable, Equatable {
        public let series: Int
        /// SVG path data: "M x,y L x,y …".
        public let path: String
    }

    public let width: Double
    public let height: Double
    public let plot: Rect
    public let scale: AxisScale
    public let ticks: [Tick]
    public let categoryLabels: [Text]
    public let marks: [Mark]
    /// The values written beside bars, above points, or at the end of a stack (its total).
    public let valueLabels: [Text]
    public let lines: [Line]
    public let valueTitle: Text
    public let categoryTitle: Text
}

/// Lays a `Chart` out. Bars run horizontally (long Chinese category names read on the left); lines run
/// over categories along the bottom. Labels longer than their room are cut with "…".
public enum ChartLayout {
    public static let width = 600.0
    /// Pixels per width unit at the 14 px chart font: a Han character is two units, Latin and digits one.
    static let unit = 7.0
    /// The widest category label on a bar chart, in units (14 Han characters).
    static let maxLabelUnits = 28

    public static func layout(_ chart: Chart) -> ChartGeometry {
        chart.kind == .line ? line(chart) : bars(chart)
    }

    static func axis(_ chart: Chart, largest: Double) -> AxisScale {
        if let maximum = chart.maximum, maximum > 0 { return AxisScale.nice(maximum: maximum, integral: false) }
        let integral = chart.categories.allSatisfy { $0.values.allSatisfy { $0 == $0.rounded() } }
        return AxisScale.nice(maximum: largest, integral: integral)
    }

    // MARK: Horizontal bars

    static func bars(_ chart: Chart) -> ChartGeometry {
        let stacked = chart.kind == .stackedBar
        let seriesCount = max(1, chart.series.count)
        let largest = stacked ? (chart.totals.max() ?? 0) : (chart.categories.flatMap(\.values).max() ?? 0)
        let scale = axis(chart, largest: largest)
        let labels = chart.categories.map { truncate($0.label, units: maxLabelUnits) }
        let labelUnits = labels.map { units($0) }.max() ?? 0
        let left = min(216, max(56, Double(labelUnits) * unit + 16))
        let right = width - 56
        let top = 28.0
        // One bar of 18 per category, or 12-high bars 14 apart per series with 12 between categories.
        let grouped = !stacked && seriesCount > 1
        let rowHeight = grouped ? Double(seriesCount) * 14 + 12 : 28
        let thickness = grouped ? 12.0 : 18
        let plot = ChartGeometry.Rect(x: left, y: top, width: right - left, height: Double(chart.categories.count) * rowHeight)
        func x(_ value: Double) -> Double { left + value / scale.maximum * plot.width }
        var marks: [ChartGeometry.Mark] = []
        var values: [ChartGeometry.Text] = []
        var categoryLabels: [ChartGeometry.Text] = []
        for (index, category) in chart.categories.enumerated() {
            let rowTop = top + Double(index) * rowHeight
            categoryLabels.append(
                text(labels[index], full: category.label, x: left - 8, y: rowTop + rowHeight / 2 + 5, anchor: .end))
            if stacked {
                var start = 0.0
                let y = rowTop + 5
                for series in 0..<seriesCount {
                    let value = chart.value(category, series: series)
                    marks.append(
                        .init(series: series, category: index, value: value, box: box(x(start), y, x(start + value) - x(start), thickness)))
                    start += value
                }
                values.append(text(chart.text(start), x: x(start) + 6, y: y + thickness / 2 + 5, anchor: .start))
            } else {
                for series in 0..<seriesCount {
                    let value = chart.value(category, series: series)
                    let y = grouped ? rowTop + 6 + Double(series) * 14 : rowTop + 5
                    marks.append(.init(series: series, category: index, value: value, box: box(left, y, x(value) - left, thickness)))
                    values.append(text(chart.text(value), x: x(value) + 6, y: y + thickness / 2 + (grouped ? 4 : 5), anchor: .start))
                }
            }
        }
        let bottom = top + plot.height
        let ticks = scale.ticks.map { value in
            ChartGeometry.Tick(
                value: value, label: text(scale.label(value), x: x(value), y: bottom + 16, anchor: .middle), x1: round(x(value)),
                y1: top, x2: round(x(value)), y2: round(bottom))
        }
        return ChartGeometry(
            width: width, height: round(bottom + 44), plot: rounded(plot), scale: scale, ticks: ticks, categoryLabels: categoryLabels,
            marks: marks, valueLabels: values, lines: [],
            valueTitle: text(chart.valueTitle, x: left + plot.width / 2, y: bottom + 38, anchor: .middle),
            categoryTitle: text(chart.categoryTitle, x: left - 8, y: 16, anchor: .end))
    }

    // MARK: Lines

    static func line(_ chart: Chart) -> ChartGeometry {
        let scale = axis(chart, largest: chart.categories.flatMap(\.values).max() ?? 0)
        let left = 56.0
        let right = width - 16
        let top = 28.0
        let plot = ChartGeometry.Rect(x: left, y: top, width: right - left, height: 200)
        let bottom = top + plot.height
        let count = max(1, chart.categories.count)
        let slot = plot.width / Double(count)
        let labelRoom = max(4, Int(slot / unit) - 1)
        func x(_ index: Int) -> Double { left + slot * (Double(index) + 0.5) }
        func y(_ value: Double) -> Double { bottom - value / scale.maximum * plot.height }
        var marks: [ChartGeometry.Mark] = []
        var values: [ChartGeometry.Text] = []
        var lines: [ChartGeometry.Line] = []
        for series in 0..<max(1, chart.series.count) {
            var points: [String] = []
            for (index, category) in chart.categories.enumerated() {
                let value = chart.value(category, series: series)
                marks.append(.init(series: series, category: index, value: value, box: box(x(index), y(value), 0, 0)))
                values.append(text(chart.text(value), x: x(index), y: y(value) - 8, anchor: .middle))
                points.append(coordinate(x(index)) + "," + coordinate(y(value)))
            }
            if !points.isEmpty { lines.append(.init(series: series, path: "M " + points.joined(separator: " L "))) }
        }
        let categoryLabels = chart.categories.enumerated().map { index, category in
            text(truncate(category.label, units: labelRoom), full: category.label, x: x(index), y: bottom + 18, anchor: .middle)
        }
        let ticks = scale.ticks.map { value in
            ChartGeometry.Tick(
                value: value, label: text(scale.label(value), x: left - 6, y: y(value) + 5, anchor: .end), x1: left, y1: round(y(value)),
                x2: right, y2: round(y(value)))
        }
        return ChartGeometry(
            width: width, height: bottom + 48, plot: plot, scale: scale, ticks: ticks, categoryLabels: categoryLabels, marks: marks,
            valueLabels: values, lines: lines,
            valueTitle: text(chart.valueTitle, x: left, y: 16, anchor: .middle),
            categoryTitle: text(chart.categoryTitle, x: left + plot.width / 2, y: bottom + 40, anchor: .middle))
    }

    // MARK: Helpers

    static func text(_ text: String, full: String? = nil, x: Double, y: Double, anchor: ChartGeometry.Anchor) -> ChartGeometry.Text {
        ChartGeometry.Text(text: text, full: full ?? text, x: round(x), y: round(y), anchor: anchor)
    }

    static func box(_ x: Double, _ y: Double, _ width: Double, _ height: Double) -> ChartGeometry.Rect {
        ChartGeometry.Rect(x: round(x), y: round(y), width: round(max(0, width)), height: round(height))
    }

    static func rounded(_ rect: ChartGeometry.Rect) -> ChartGeometry.Rect { box(rect.x, rect.y, rect.width, rect.height) }

    /// Rounded to `decimals` (one by default: a tenth of a pixel).
    public static func round(_ value: Double, decimals: Int = 1) -> Double {
        let factor = Foundation.pow(10, Double(decimals))
        return (value * factor).rounded() / factor
    }

    /// A coordinate as SVG writes it: "120", "120.5".
    public static func coordinate(_ value: Double) -> String { number(round(value), decimals: 1) }

    /// A number without trailing zeros, at most `decimals` decimals: 40 → "40", 12.25 → "12.3" (one decimal).
    public static func number(_ value: Double, decimals: Int = 1) -> String {
        let rounded = round(value, decimals: decimals)
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(format: "%.\(decimals)f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Width units of a text: two for a Han (or other wide) character, one for the rest.
    public static func units(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// The text cut to `units` width units, ending with "…" (one unit) when cut.
    public static func truncate(_ text: String, units limit: Int) -> String {
        guard units(text) > limit else { return text }
        var kept = ""
        var used = 0
        for character in text {
            let width = units(String(character))
            if used + width + 1 > limit { break }
            kept.append(character)
            used += width
        }
        return kept + "…"
    }
}
