import XCTest

@testable import KexieKit

final class EventWorkflowTests: XCTestCase {
    let engine = WorkflowEngine(EventWorkflow())
    let context = WorkflowContext(now: Date(timeIntervalSince1970: 1_796_607_600))
    let staff = WorkflowActor(id: "s", kinds: [EventWorkflow.organizer])
    let admin = WorkflowActor(id: "a", kinds: [EventWorkflow.approver])

    private func state(_ result: Result<WorkflowStep<EventWorkflow.State, EventWorkflow.Action>, WorkflowRefusal>) -> EventWorkflow.State? {
        if case .success(let step) = result { return step.state }
        return nil
    }

    func testStaffSubmitAndTheAdministratorApprovesOrPublishesADraftDirectly() {
        XCTAssertEqual(state(engine.perform(.submit, in: .draft, by: staff, context: context)), .submitted)
        XCTAssertEqual(state(engine.perform(.approve, in: .submitted, by: admin, context: context)), .published)
        XCTAssertEqual(state(engine.perform(.publish, in: .draft, by: admin, context: context)), .published)
        XCTAssertEqual(state(engine.perform(.finish, in: .published, by: staff, context: context)), .finished)
        if case .failure(let refusal) = engine.perform(.approve, in: .submitted, by: staff, context: context) {
            XCTAssertEqual(refusal.code, "workflow.not_permitted")
            XCTAssertEqual(refusal.message, "只有主办单位管理员可以审核通过并发布")
        } else {
            XCTFail("staff may not approve")
        }
        if case .failure(let refusal) = engine.perform(.publish, in: .submitted, by: admin, context: context) {
            XCTAssertEqual(refusal.code, "workflow.invalid_state")
        } else {
            XCTFail("publish is for drafts; a submission is approved")
        }
    }

    func testCancellingAPublishedEventIsForTheAdministratorAndSendingBackNeedsAReason() {
        XCTAssertNil(state(engine.perform(.cancel, in: .published, by: staff, context: context)))
        XCTAssertEqual(state(engine.perform(.cancel, in: .published, by: admin, context: context)), .cancelled)
        XCTAssertEqual(state(engine.perform(.cancel, in: .submitted, by: staff, context: context)), .cancelled)
        if case .failure(let refusal) = engine.perform(.sendBack, in: .submitted, by: admin, context: context) {
            XCTAssertEqual(refusal.code, "workflow.comment_required")
        } else {
            XCTFail("a reason is required")
        }
        XCTAssertEqual(state(engine.perform(.sendBack, in: .submitted, by: admin, comment: "时间冲突", context: context)), .draft)
        XCTAssertTrue(engine.isTerminal(.cancelled))
        XCTAssertTrue(engine.isTerminal(.finished))
        XCTAssertEqual(
            engine.availableActions(in: .draft, for: [EventWorkflow.organizer, EventWorkflow.approver]), [.submit, .publish, .cancel])
        XCTAssertEqual(engine.availableActions(in: .published, for: [EventWorkflow.organizer]), [.finish])
    }
}
