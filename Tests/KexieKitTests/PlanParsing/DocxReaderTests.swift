import Foundation
import XCTest

@testable import KexieKit

/// The .docx path on two small invented documents (invented-bold-*.docx), so bold runs, bold paragraph
/// styles, manual breaks, tabs, entities and tracked deletions are exercised without needing Word.
final class DocxReaderTests: XCTestCase {
    private func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: PlanSampleTests.plansDirectory.appendingPathComponent(name))
    }

    func testBoldLeadBecomesHeadingAndBreaksSplitOnlyAtLabels() throws {
        let plan = try PlanParser().parse(docx: try fixture("invented-bold-runs.docx"))
        XCTAssertEqual(plan.title, "江海省科协2022年工作要点")
        let tasks = plan.tasks
        XCTAssertEqual(tasks.map(\.label), ["1.", "2.", "3."])
        XCTAssertEqual(tasks[0].heading, "加强理论学习")
        XCTAssertTrue(tasks[0].text.contains("学习&宣传"))
        XCTAssertEqual(tasks[1].departments, ["办公室"])
        XCTAssertFalse(tasks[1].text.contains("删除"))
        XCTAssertEqual(tasks[2].heading, "举办讲座10场")  // not bold: first sentence
        XCTAssertEqual(tasks[2].targets.first?.value, 10)
    }

    func testBoldFromParagraphStyle() throws {
        let plan = try PlanParser().parse(docx: try fixture("invented-bold-style.docx"))
        XCTAssertEqual(plan.items.first?.heading, "深化改革")
        XCTAssertEqual(plan.tasks.first?.heading, "推进换届")
    }
}
