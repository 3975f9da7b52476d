import Foundation
import XCTest

@testable import KexieKit

/// The engine with a second, unrelated process, to show nothing in it is ServiceHall-specific.
final class WorkflowEngineTests: XCTestCase {
    /// A stripped-down 奖项提名 (Awards nomination) process.
    struct Nomination: WorkflowDefinition {
        enum State: String, Sendable { case draft, submitted, reviewed }
        enum Action: String, Sendable { case submit, review, comment }

        var transitions: [Transition<State, Action>] {
            [
                Transition(from: [.draft], action: .submit, to: .submitted, allowed: ["nominator"], notify: ["reviewer"]),
                Transition(from: [.submitted], action: .review, to: .reviewed, allowed: ["reviewer"], requiredComment: "评审意见"),
                // Two rows for one action from different states, with different roles.
                Transition(from: [.draft], action: .comment, to: nil, allowed: ["nominator"]),
                Transition(from: [.submitted], action: .comment, to: nil, allowed: ["reviewer", .supervisor]),
            ]
        }

        func label(of state: State) -> String {
            switch state {
            case .draft: return "草稿"
            case .submitted: return "已提交"
            case .reviewed: return "已评审"
            }
        }

        func label(of action: Action) -> String {
            switch action {
            case .submit: return "提交"
            case .review: return "评审"
            case .comment: return "备注"
            }
        }

        func label(of kind: ParticipantKind) -> String {
            switch kind.rawValue {
            case "nominator": return "提名人"
            case "reviewer": return "评审专家"
            default: return kind.label
            }
        }
    }

    let engine = WorkflowEngine(Nomination())
    let context = WorkflowContext(now: Date(timeIntervalSince1970: 0), today: Day(year: 2026, month: 3, day: 2) ?? Day(dayNumber: 0))

    func testCustomKindsAndLabels() {
        let refusal = engine.perform(.review, in: .submitted, by: WorkflowActor(id: "n", kinds: ["nominator"]), context: context)
        XCTAssertEqual(refusal.refusal?.message, "只有评审专家可以评审")
        let step = engine.perform(.submit, in: .draft, by: WorkflowActor(id: "n", kinds: ["nominator"]), context: context).step
        XCTAssertEqual(step?.state, .submitted)
        XCTAssertEqual(step?.notify, ["reviewer"])
    }

    func testSameActionFromDifferentStatesUsesTheMatchingRow() {
        let nominator = WorkflowActor(id: "n", kinds: ["nominator"])
        XCTAssertEqual(engine.perform(.comment, in: .draft, by: nominator, context: context).step?.state, .draft)
        // In `submitted` only the reviewer row applies; all its kinds are listed, sorted by raw value.
        XCTAssertEqual(
            engine.perform(.comment, in: .submitted, by: nominator, context: context).refusal?.message,
            "只有评审专家或督办人员可以备注")
        XCTAssertEqual(
            engine.perform(.comment, in: .reviewed, by: nominator, context: context).refusal?.message,
            "当前状态“已评审”不能执行“备注”")
    }

    func testRefusalsCarryStableCodes() {
        XCTAssertEqual(WorkflowRefusal.invalidState(state: "a", action: "b").code, "workflow.invalid_state")
        XCTAssertEqual(WorkflowRefusal.notPermitted(action: "b", allowed: ["x"]).code, "workflow.not_permitted")
        XCTAssertEqual(WorkflowRefusal.commentRequired(action: "b", what: "理由").code, "workflow.comment_required")
        XCTAssertEqual(
            WorkflowRefusal.commentRequired(action: "不予受理", what: "理由").description,
            "workflow.comment_required: 不予受理须填写理由")
    }

    func testUnknownKindLabelFallsBackToRawValue() {
        XCTAssertEqual(ParticipantKind(rawValue: "expert_panel").label, "expert_panel")
        XCTAssertEqual(ParticipantKind.handler.label, "承办部门")
    }
}
