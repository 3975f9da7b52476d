import XCTest

@testable import KexieKit

final class PlanTrackingTests: XCTestCase {
    private let candidates: [UnitNameMatcher.Candidate] = [
        .init(id: "d:kp", name: "科普部"), .init(id: "d:xh", name: "学会部"), .init(id: "d:zz", name: "组织人事部"),
        .init(id: "o:prov", name: "云海省科学技术协会"), .init(id: "o:qs", name: "青石县科学技术协会"),
        .init(id: "o:kpzj", name: "云海省科普作家协会"), .init(id: "d:bgs", name: "办公室"),
    ]

    func testUnitNamesMatchByAliasExactNamePrefixAndAbbreviation() {
        let matcher = UnitNameMatcher(candidates: candidates, aliases: ["科学技术普及部": "d:kp", "省教育厅": "external"])
        XCTAssertEqual(matcher.match("科普部"), .exact("d:kp"))
        XCTAssertEqual(matcher.match("科学技术普及部"), .alias("d:kp"), "learnt from a reviewer's correction")
        XCTAssertEqual(matcher.match("省教育厅"), .alias("external"))
        XCTAssertEqual(matcher.match("省科协学会部"), .exact("d:xh"), "the owner's prefix is dropped")
        XCTAssertEqual(matcher.match("青石县科协"), .exact("o:qs"), "科协 stands for 科学技术协会")
        XCTAssertEqual(matcher.match("省科协"), .abbreviation("o:prov"))
        XCTAssertEqual(matcher.match("组织部"), .abbreviation("d:zz"))
        XCTAssertEqual(matcher.match("省科技厅"), .unknown)
        XCTAssertEqual(matcher.match(" 学会部 "), .exact("d:xh"))
        // 部 fits 科普部, 学会部 and 组织人事部 alike: left to the reviewer, never guessed.
        XCTAssertEqual(matcher.match("部"), .unknown)
    }

    func testTheTaskWorkflowLetsOnlyTheRightPartsTakeEachStep() {
        let engine = WorkflowEngine(PlanTaskWorkflow())
        let context = WorkflowContext(now: Date())
        let handler = WorkflowActor(id: "h", kinds: [.handler])
        let co = WorkflowActor(id: "c", kinds: [.coHandler])
        let supervisor = WorkflowActor(id: "s", kinds: [.supervisor])
        XCTAssertEqual(try engine.perform(.report, in: .open, by: co, comment: "50%", context: context).get().state, .open)
        XCTAssertThrowsError(try engine.perform(.requestCompletion, in: .open, by: co, comment: nil, context: context).get())
        XCTAssertEqual(
            try engine.perform(.requestCompletion, in: .open, by: handler, comment: nil, context: context).get().state, .requested)
        XCTAssertThrowsError(try engine.perform(.approve, in: .requested, by: handler, comment: nil, context: context).get())
        XCTAssertThrowsError(
            try engine.perform(.sendBack, in: .requested, by: supervisor, comment: nil, context: context).get(), "a reason")
        XCTAssertEqual(
            try engine.perform(.sendBack, in: .requested, by: supervisor, comment: "证明材料不全", context: context).get().state, .open)
        XCTAssertEqual(try engine.perform(.approve, in: .requested, by: supervisor, comment: nil, context: context).get().state, .done)
        XCTAssertThrowsError(try engine.perform(.report, in: .done, by: handler, comment: "x", context: context).get(), "closed")
        XCTAssertEqual(try engine.perform(.urge, in: .open, by: supervisor, comment: "请加快进度", context: context).get().state, .open)
    }

    func testStatusComparesProgressWithTheShareOfTheYearGone() {
        let start = Day(year: 2026, month: 1, day: 1)!
        let deadline = Day(year: 2026, month: 12, day: 31)!
        let midYear = Day(year: 2026, month: 7, day: 2)!
        XCTAssertEqual(TaskProgress(actual: 50, done: false, start: start, deadline: deadline, today: midYear).status, .green)
        XCTAssertEqual(TaskProgress(actual: 50, done: false, start: start, deadline: deadline, today: midYear).expected, 50)
        XCTAssertEqual(TaskProgress(actual: 35, done: false, start: start, deadline: deadline, today: midYear).status, .amber)
        XCTAssertEqual(TaskProgress(actual: 20, done: false, start: start, deadline: deadline, today: midYear).status, .red)
        let june = Day(year: 2026, month: 6, day: 30)!
        XCTAssertEqual(
            TaskProgress(actual: 90, done: false, start: start, deadline: june, today: midYear).status, .red, "past its deadline")
        XCTAssertEqual(TaskProgress(actual: 90, done: true, start: start, deadline: june, today: midYear).status, .green)
    }

    func testScoresWeighCompletionTimelinessAndQuality() {
        let deadline = Day(year: 2026, month: 6, day: 30)!
        let onTime = TaskScore(
            percent: 100, targetsReached: nil, completedOn: Day(year: 2026, month: 6, day: 20), deadline: deadline,
            today: Day(year: 2026, month: 12, day: 1)!, expected: 100, quality: 90)
        XCTAssertEqual(onTime.timeliness, 100)
        XCTAssertEqual(onTime.total(completionWeight: 50, timelinessWeight: 30, qualityWeight: 20), 98, accuracy: 0.001)
        let late = TaskScore(
            percent: 100, targetsReached: nil, completedOn: Day(year: 2026, month: 7, day: 15), deadline: deadline,
            today: Day(year: 2026, month: 12, day: 1)!, expected: 100, quality: nil)
        XCTAssertEqual(late.timeliness, 70, "15 days late: three started weeks, 10 points each")
        let unfinished = TaskScore(
            percent: 40, targetsReached: 0.8, completedOn: nil, deadline: deadline, today: Day(year: 2026, month: 12, day: 1)!,
            expected: 100,
            quality: nil)
        XCTAssertEqual(unfinished.completion, 80, "the targets reached count when higher than the reported percent")
        XCTAssertEqual(unfinished.timeliness, 0)
    }
}
