import Foundation
import XCTest

@testable import KexieKit

final class AxisScaleTests: XCTestCase {
    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(AxisScale.nice(maximum: 37), AxisScale(maximum: 40, step: 10))
        XCTAssertEqual(AxisScale.nice(maximum: 37).ticks, [0, 10, 20, 30, 40])
        XCTAssertEqual(AxisScale.nice(maximum: 100).ticks, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(AxisScale.nice(maximum: 1234), AxisScale(maximum: 1500, step: 500))
        XCTAssertEqual(AxisScale.nice(maximum: 8), AxisScale(maximum: 8, step: 2))
        XCTAssertEqual(AxisScale.nice(maximum: 0.07).ticks, [0, 0.02, 0.04, 0.06, 0.08])
        XCTAssertEqual(AxisScale.nice(maximum: 0.07).label(0.04), "0.04")
    }

    func testCountsGetWholeStepsAndAnEmptyChartTheAxisZeroToOne() {
        XCTAssertEqual(AxisScale.nice(maximum: 2).ticks, [0, 0.5, 1, 1.5, 2])
        XCTAssertEqual(AxisScale.nice(maximum: 2).ticks.map(AxisScale.nice(maximum: 2).label), ["0", "0.5", "1", "1.5", "2"])
        XCTAssertEqual(AxisScale.nice(maximum: 2, integral: true).ticks, [0, 1, 2])
        XCTAssertEqual(AxisScale.nice(maximum: 3, integral: true).ticks, [0, 1, 2, 3])
        XCTAssertEqual(AxisScale.nice(maximum: 0), AxisScale(maximum: 1, step: 1))
        XCTAssertEqual(AxisScale.nice(maximum: 0).ticks, [0, 1])
    }
}

final class ChartTextTests: XCTestCase {
    func testLabelsAreCutToTheirWidthWithAnEllipsis() {
        XCTAssertEqual(ChartLayout.units("学术交流"), 8)
        XCTAssertEqual(ChartLayout.units("A1 部"), 5)
        XCTAssertEqual(ChartLayout.truncate("中国科学技术协会学会学术部", units: 10), "中国科学…")
        XCTAssertEqual(ChartLayout.truncate("Kexie platform", units: 8), "Kexie p…")
        XCTAssertEqual(ChartLayout.truncate("科普部", units: 6), "科普部")
    }

    func testNumbersDropTrailingZeros() {
        XCTAssertEqual(ChartLayout.number(40), "40")
        XCTAssertEqual(ChartLayout.number(12.25), "12.3")
        XCTAssertEqual(ChartLayout.number(0.5), "0.5")
        XCTAssertEqual(ChartLayout.coordinate(436.6), "436.6")
        XCTAssertEqual(ChartLayout.coordinate(190.0), "190")
    }
}

final class ChartLayoutTests: XCTestCase {
    let people = Chart.Series(id: "people", label: "人数")

    func testABarChartPlacesBarsValuesLabelsAndTicks() {
        let chart = Chart.bars(
            id: "t", title: "按学科", summary: "各学科人数", categoryTitle: "学科", valueTitle: "人数", series: people,
            [("学术交流", 37), ("科普", 12), ("A", 0)])
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.width, 600)
        XCTAssertEqual(g.height, 156)
        XCTAssertEqual(g.plot, .init(x: 72, y: 28, width: 472, height: 84))
        XCTAssertEqual(
            g.marks.map(\.box),
            [
                .init(x: 72, y: 33, width: 436.6, height: 18), .init(x: 72, y: 61, width: 141.6, height: 18),
                .init(x: 72, y: 89, width: 0, height: 18),
            ])
        XCTAssertEqual(g.marks.map(\.value), [37, 12, 0])
        XCTAssertEqual(g.valueLabels.map(\.text), ["37", "12", "0"])
        XCTAssertEqual(g.valueLabels.map(\.x), [514.6, 219.6, 78])
        XCTAssertEqual(g.valueLabels.map(\.y), [47, 75, 103])
        XCTAssertEqual(g.categoryLabels.map(\.text), ["学术交流", "科普", "A"])
        XCTAssertEqual(g.categoryLabels.map(\.x), [64, 64, 64])
        XCTAssertEqual(g.categoryLabels.map(\.anchor), [.end, .end, .end])
        XCTAssertEqual(g.ticks.map(\.label.text), ["0", "10", "20", "30", "40"])
        XCTAssertEqual(g.ticks.map(\.x1), [72, 190, 308, 426, 544])
        XCTAssertEqual(g.ticks.map(\.label.y), [128, 128, 128, 128, 128])
        XCTAssertEqual(g.ticks.first.map { [$0.y1, $0.y2] }, [28, 112])
        XCTAssertEqual(g.valueTitle, .init(text: "人数", full: "人数", x: 308, y: 150, anchor: .middle))
        XCTAssertEqual(g.categoryTitle, .init(text: "学科", full: "学科", x: 64, y: 16, anchor: .end))
    }

    func testLongLabelsAreCutAndTheLabelColumnStopsGrowing() {
        let chart = Chart.bars(
            id: "t", title: "按单位", summary: "", categoryTitle: "单位", valueTitle: "件", series: people,
            [("云海省科学技术协会学会学术部青年工作处", 5)])
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.categoryLabels.map(\.text), ["云海省科学技术协会学会学术…"])
        XCTAssertEqual(g.categoryLabels.map(\.full), ["云海省科学技术协会学会学术部青年工作处"])
        XCTAssertEqual(g.plot.x, 205)
    }

    func testAPercentChartEndsAtItsGivenMaximum() {
        let chart = Chart.bars(
            id: "p", title: "进度", summary: "", categoryTitle: "部分", valueTitle: "平均进度（%）", unit: "%", maximum: 100, series: people,
            [("一", 40)])
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.scale, AxisScale(maximum: 100, step: 20))
        XCTAssertEqual(g.valueLabels.map(\.text), ["40%"])
        XCTAssertEqual(g.marks.map(\.box.width), [195.2])
    }

    func testSeveralSeriesGoSideBySide() {
        let chart = Chart(
            id: "g", title: "供需", summary: "", categoryTitle: "地区", valueTitle: "项",
            series: [.init(id: "supply", label: "技术供给"), .init(id: "demand", label: "技术需求")],
            categories: [.init(label: "甲", values: [4, 2])])
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.plot, .init(x: 56, y: 28, width: 488, height: 40))
        XCTAssertEqual(g.marks.map(\.box), [.init(x: 56, y: 34, width: 488, height: 12), .init(x: 56, y: 48, width: 244, height: 12)])
        XCTAssertEqual(g.marks.map(\.series), [0, 1])
        XCTAssertEqual(g.valueLabels.map { [$0.x, $0.y] }, [[550, 44], [306, 58]])
        XCTAssertEqual(g.categoryLabels.map(\.y), [53])
        XCTAssertEqual(g.ticks.map(\.value), [0, 1, 2, 3, 4])
    }

    func testStackedBarsRunEndToEndWithTheTotalAtTheEnd() {
        let chart = Chart(
            id: "s", title: "状态", summary: "", kind: .stackedBar, categoryTitle: "部门", valueTitle: "任务数",
            series: [.init(id: "done", label: "已完成"), .init(id: "open", label: "进行中")],
            categories: [.init(label: "甲", values: [3, 5]), .init(label: "乙", values: [10, 0])])
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.scale, AxisScale(maximum: 10, step: 2))
        XCTAssertEqual(
            g.marks.map(\.box),
            [
                .init(x: 56, y: 33, width: 146.4, height: 18), .init(x: 202.4, y: 33, width: 244, height: 18),
                .init(x: 56, y: 61, width: 488, height: 18), .init(x: 544, y: 61, width: 0, height: 18),
            ])
        XCTAssertEqual(g.valueLabels.map(\.text), ["8", "10"])
        XCTAssertEqual(g.valueLabels.map { [$0.x, $0.y] }, [[452.4, 47], [550, 75]])
    }

    func testALineRunsOverTheCategoriesWithValuesAbovePoints() {
        let chart = Chart(
            id: "l", title: "月度", summary: "", kind: .line, categoryTitle: "月份", valueTitle: "件", series: [people],
            categories: [("1月", 3.0), ("2月", 8), ("3月", 5), ("4月", 0.5)].map { Chart.Category(label: $0.0, values: [$0.1]) })
        let g = ChartLayout.layout(chart)
        XCTAssertEqual(g.height, 276)
        XCTAssertEqual(g.plot, .init(x: 56, y: 28, width: 528, height: 200))
        XCTAssertEqual(g.lines.map(\.path), ["M 122,153 L 254,28 L 386,103 L 518,215.5"])
        XCTAssertEqual(g.marks.map { [$0.box.x, $0.box.y] }, [[122, 153], [254, 28], [386, 103], [518, 215.5]])
        XCTAssertEqual(g.valueLabels.map(\.text), ["3", "8", "5", "0.5"])
        XCTAssertEqual(g.valueLabels.map(\.y), [145, 20, 95, 207.5])
        XCTAssertEqual(g.categoryLabels.map { [$0.x, $0.y] }, [[122, 246], [254, 246], [386, 246], [518, 246]])
        XCTAssertEqual(g.ticks.map(\.label.text), ["0", "2", "4", "6", "8"])
        XCTAssertEqual(g.ticks.map(\.y1), [228, 178, 128, 78, 28])
        XCTAssertEqual(g.ticks.map(\.label.x), [50, 50, 50, 50, 50])
    }
}
