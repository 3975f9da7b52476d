import XCTest

@testable import KexieKit

/// The publishing and docking processes: who may take each step, and the reasons they must give.
final class InnovationWorkflowTests: XCTestCase {
    let context = WorkflowContext(now: Date())

    func testPostingsAreSubmittedByTheOwnerAndPublishedOnlyByAReviewer() throws {
        let engine = WorkflowEngine(PostingWorkflow())
        let owner = WorkflowActor(id: "o", kinds: [PostingWorkflow.owner])
        let reviewer = WorkflowActor(id: "r", kinds: [PostingWorkflow.reviewer])
        XCTAssertEqual(try engine.perform(.submit, in: .draft, by: owner, context: context).get().state, .submitted)
        XCTAssertThrowsError(try engine.perform(.submit, in: .draft, by: reviewer, context: context).get())
        XCTAssertThrowsError(try engine.perform(.approve, in: .submitted, by: owner, context: context).get(), "owners cannot publish")
        XCTAssertThrowsError(try engine.perform(.approve, in: .draft, by: reviewer, context: context).get(), "drafts are not reviewed")
        XCTAssertEqual(try engine.perform(.approve, in: .submitted, by: reviewer, context: context).get().state, .published)
        XCTAssertThrowsError(try engine.perform(.sendBack, in: .submitted, by: reviewer, comment: nil, context: context).get())
        XCTAssertEqual(
            try engine.perform(.sendBack, in: .submitted, by: reviewer, comment: "请补充核心指标", context: context).get().state, .draft)
        XCTAssertEqual(try engine.perform(.close, in: .published, by: owner, context: context).get().state, .closed)
        XCTAssertThrowsError(try engine.perform(.expire, in: .published, by: reviewer, context: context).get(), "only the system expires")
        let system = WorkflowActor(id: "system", kinds: [.system])
        XCTAssertEqual(try engine.perform(.expire, in: .published, by: system, context: context).get().state, .expired)
        XCTAssertThrowsError(try engine.perform(.submit, in: .closed, by: owner, context: context).get())
    }

    func testADockingMovesThroughItsStagesAndEndsWithAReason() throws {
        let engine = WorkflowEngine(DockingWorkflow())
        let supply = WorkflowActor(id: "s", kinds: [DockingWorkflow.supplySide])
        let staff = WorkflowActor(id: "k", kinds: [DockingWorkflow.staff])
        XCTAssertThrowsError(
            try engine.perform(.accept, in: .proposed, by: staff, context: context).get(), "staff cannot accept for a side")
        XCTAssertEqual(try engine.perform(.consent, in: .proposed, by: supply, context: context).get().state, .proposed)
        XCTAssertEqual(try engine.perform(.accept, in: .proposed, by: supply, context: context).get().state, .intention)
        XCTAssertThrowsError(try engine.perform(.land, in: .intention, by: staff, context: context).get(), "no landing before signing")
        XCTAssertEqual(try engine.perform(.negotiate, in: .intention, by: staff, context: context).get().state, .negotiating)
        XCTAssertEqual(try engine.perform(.sign, in: .negotiating, by: supply, context: context).get().state, .signed)
        XCTAssertEqual(try engine.perform(.land, in: .signed, by: staff, context: context).get().state, .landed)
        XCTAssertThrowsError(try engine.perform(.terminate, in: .landed, by: staff, comment: "x", context: context).get())
        XCTAssertThrowsError(try engine.perform(.terminate, in: .negotiating, by: supply, comment: nil, context: context).get())
        XCTAssertEqual(
            try engine.perform(.terminate, in: .negotiating, by: supply, comment: "价格未谈拢", context: context).get().state, .terminated)
        XCTAssertThrowsError(try engine.perform(.decline, in: .proposed, by: supply, comment: nil, context: context).get(), "a reason")
        XCTAssertEqual(DockingWorkflow().label(of: DockingWorkflow.State.signed), "签约")
        XCTAssertEqual(DockingWorkflow.stages.map { DockingWorkflow().label(of: $0) }, ["待确认", "意向", "洽谈", "签约", "落地"])
    }
}
