import Foundation
import XCTest

@testable import KexieKit

/// Every fixture plan with an expected file is parsed (as .txt and, where present, as .docx) and scored.
final class PlanSampleTests: XCTestCase {
    static var plansDirectory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures/plans")
    }

    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: Self.plansDirectory.appendingPathComponent(name))
    }

    private func expectedNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.plansDirectory.path)
            .filter { $0.hasSuffix(".expected.json") }
            .map { String($0.dropLast(".expected.json".count)) }
            .sorted()
    }

    func testEveryExpectedSampleScoresPerfectly() throws {
        let names = try expectedNames()
        XCTAssertGreaterThanOrEqual(names.count, 5)
        for name in names {
            let expected = try JSONDecoder().decode(ExpectedPlan.self, from: try fixture(name + ".expected.json"))
            for ext in ["txt", "docx"] {
                let file = name + "." + ext
                guard FileManager.default.fileExists(atPath: Self.plansDirectory.appendingPathComponent(file).path) else { continue }
                let plan = try PlanParser().parse(data: try fixture(file), fileName: file)
                let score = PlanScore(plan: plan, expected: expected)
                print("score \(file): \(score)")
                XCTAssertEqual(plan.title, expected.title, file)
                for ratio in [score.tasks, score.departments, score.targets] {
                    XCTAssertEqual(ratio.precision, 1, "\(file): \(score)")
                    XCTAssertEqual(ratio.recall, 1, "\(file): \(score)")
                }
            }
        }
    }

    func testDocxAndTextGiveTheSamePlan() throws {
        for name in ["fujian-2020-work-points", "hainan-2021-work-points"] {
            let fromText = try PlanParser().parse(data: try fixture(name + ".txt"), fileName: name + ".txt")
            let fromDocx = try PlanParser().parse(docx: try fixture(name + ".docx"))
            XCTAssertEqual(fromText, fromDocx, name)
        }
    }

    func testLiteracyPlanWithMixedNumbering() throws {
        let plan = try PlanParser().parse(
            data: try fixture("hainan-2020-literacy-work-points.txt"),
            fileName: "hainan-2020-literacy-work-points.txt")
        XCTAssertEqual(plan.title, "海南省2020年全民科学素质行动工作要点")
        // 一、二、三、4、五、: "4、" is read as the fourth 一、 item, not as a task.
        XCTAssertEqual(plan.items.map(\.label), ["一、", "二、", "三、", "4、", "五、"])
        XCTAssertEqual(plan.tasks.count, 41)
        XCTAssertEqual(plan.items[2].children.map(\.label), ["（一）", "（二）", "（三）", "（4）"])
        XCTAssertEqual(plan.items[3].children.first?.label, "（1）")
        // A line wrapped in the middle of a task is joined back.
        let task21 = plan.tasks.first { $0.label == "21." }
        XCTAssertEqual(task21?.heading, "在领导班子和领导干部综合考核评价中体现科学素质方面的要求")
        XCTAssertEqual(task21?.departments, ["省委组织部"])
        XCTAssertEqual(plan.tasks.first { $0.label == "28." }?.departments, ["省教育厅"])  // "(省教育厅）"
        XCTAssertTrue(plan.allItems.allSatisfy { $0.targets.isEmpty })
    }

    func testInlinePartsInheritUnits() throws {
        let plan = try PlanParser().parse(data: try fixture("hainan-2021-work-points.txt"), fileName: "plan.txt")
        let item = plan.items[1].children[0]
        XCTAssertEqual(item.children.map(\.label), ["一是", "二是", "三是", "四是"])
        XCTAssertEqual(item.children[1].heading, "探索学会管理新机制")
        XCTAssertTrue(item.children.allSatisfy { $0.departments == item.departments })
    }

    func testGB18030TextDecodes() throws {
        let utf8 = try fixture("fujian-2020-work-points.txt")
        let text = String(decoding: utf8, as: UTF8.self)
        guard let gb = text.data(using: PlanTextDecoder.gb18030) else {
            return XCTFail("Foundation cannot encode GB18030 here")
        }
        XCTAssertNotEqual(gb, utf8)
        let fromGB = try PlanParser().parse(data: gb, fileName: "plan.txt")
        XCTAssertEqual(fromGB, PlanParser().parse(text: text))
    }
}
