import Foundation

/// A chart as data: what is measured (categories × series), how it is drawn (bars, stacked bars, a
/// line) and the titles. `ChartLayout` turns it into geometry; Platform's `HTML.chart` writes the SVG,
/// the caption and the table screen readers read.
public struct Chart: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Horizontal bars, one per category and series (series side by side).
        case bar
        /// Horizontal bars, the series stacked end to end; the total is written at the end.
        case stackedBar = "stacked-bar"
        /// Categories along the horizontal axis (periods), one line per series.
        case line
    }

    public struct Series: Sendable, Equatable {
        /// A stable key: the CSS class (`series-<id>`) and `data-series`.
        public let id: String
        public let label: String

        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    public struct Category: Sendable, Equatable {
        public let label: String
        /// One value per series, in the order of `Chart.series`.
        public let values: [Double]

        public init(label: String, values: [Double]) {
            self.label = label
            self.values = values
        }
    }

    public let id: String
    public let title: String
    /// One sentence for the SVG's `<desc>`: what the chart shows.
    public let summary: String
    public let kind: Kind
    /// The axis the categories lie on ("事项类型").
    public let categoryTitle: String
    /// The axis the values are measured on ("受理量（件）").
    public let valueTitle: String
    /// Written after each value ("%"), empty for counts.
    public let unit: String
    /// The value axis ends here when given (100 for percentages), else at a round number above the data.
    public let maximum: Double?
    public let series: [Series]
    public let categories: [Category]

    public init(
        id: String, title: String, summary: String, kind: Kind = .bar, categoryTitle: String, valueTitle: String, unit: String = "",
        maximum: Double? = nil, series: [Series], categories: [Category]
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.kind = kind
        self.categoryTitle = categoryTitle
        self.valueTitle = valueTitle
        self.unit = unit
        self.maximum = maximum
        self.series = series
        self.categories = categories
    }

    /// A bar chart of one series: one bar per (label, value).
    public static func bars(
        id: String, title: String, summary: String, categoryTitle: String, valueTitle: String, unit: String = "", maximum: Double? = nil,
        series: Series, _ values: [(String, Double)]
    ) -> Chart {
        Chart(
            id: id, title: title, summary: summary, kind: .bar, categoryTitle: categoryTitle, valueTitle: valueTitle, unit: unit,
            maximum: maximum, series: [series], categories: values.map { Category(label: $0.0, values: [$0.1]) })
    }

    /// The value as the chart writes it: whole numbers without decimals, others with one, then the unit.
    public func text(_ value: Double) -> String { ChartLayout.number(value) + unit }

    /// A category's value of a series (0 when the category has fewer values).
    public func value(_ category: Category, series index: Int) -> Double {
        index < category.values.count ? category.values[index] : 0
    }

    /// Each category's total across the series (what a stacked bar's length shows).
    public var totals: [Double] { categories.map { $0.values.reduce(0, +) } }
}

/// A value axis: from 0 to `maximum` in steps of 1, 2 or 5 times a power of ten.
public struct AxisScale: Sendable, Equatable {
    public let maximum: Double
    public let step: Double

    public init(maximum: Double, step: Double) {
        self.maximum = maximum
        self.step = step
    }

    /// 0, step, 2·step, … maximum.
    public var ticks: [Double] {
        let count = Int((maximum / step).rounded())
        return (0...max(1, count)).map { ChartLayout.round(Double($0) * step, decimals: decimals + 1) }
    }

    /// Decimals a tick label needs: none for steps of 1 and more, one for 0.5 or 0.2, …
    public var decimals: Int { step >= 1 ? 0 : Int(-Foundation.floor(Foundation.log10(step) + 1e-9)) }

    /// A tick's label: "20", "0.5".
    public func label(_ value: Double) -> String { ChartLayout.number(value, decimals: decimals) }

    /// The smallest 1-2-5 step giving at most `targets` intervals to cover `maximum` (whole steps when
    /// `integral`, so counts do not get half ticks); an empty chart gets the axis 0–1.
    public static func nice(maximum: Double, targets: Int = 5, integral: Bool = false) -> AxisScale {
        guard maximum > 0, maximum.isFinite else { return AxisScale(maximum: 1, step: 1) }
        let raw = maximum / Double(max(1, targets))
        let magnitude = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        var step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        if integral { step = Swift.max(1, step.rounded(.up)) }
        let top = Foundation.ceil(maximum / step * (1 - 1e-12)) * step
        return AxisScale(maximum: ChartLayout.round(top, decimals: 6), step: step)
    }
}
