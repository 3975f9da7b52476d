import Foundation
import XCTest

@testable import KexieKit

final class ServiceHallWorkflowTests: XCTestCase {
    typealias S = ServiceHallCaseWorkflow.State
    typealias A = ServiceHallCaseWorkflow.Action

    let engine = WorkflowEngine(ServiceHallCaseWorkflow())
    let now = Date(timeIntervalSince1970: 1_760_000_000)

    func day(_ text: String) -> Day {
        guard let day = Day(text) else {
            XCTFail("bad day \(text)")
            return Day(dayNumber: 0)
        }
        return day
    }

    func actor(_ kinds: ParticipantKind...) -> WorkflowActor {
        WorkflowActor(id: "u-1", kinds: Set(kinds))
    }

    /// A context in which every guard of the table passes: answered 3 days ago, unrated
    /// except for the rating typed with `rate`.
    func passingContext(for action: A) -> WorkflowContext {
        let answered = day("2025-10-20")
        switch action {
        case .autoClose:
            return WorkflowContext(now: now, today: answered.adding(days: 7), dates: ["answered": answered])
        case .rate:
            return WorkflowContext(now: now, today: answered.adding(days: 3), dates: ["answered": answered], numbers: ["rating": 5])
        default:
            return WorkflowContext(now: now, today: answered.adding(days: 3), dates: ["answered": answered])
        }
    }

    /// The specification, written out independently of the table in the source.
    /// (from, action) → (to, who, comment required)
    let expected: [S: [A: (to: S, who: ParticipantKind, comment: Bool)]] = [
        .pending: [
            .accept: (.accepted, .dispatcher, false),
            .reject: (.rejected, .dispatcher, true),
            .transfer: (.pending, .dispatcher, true),
        ],
        .accepted: [
            .transfer: (.pending, .dispatcher, true),
            .assign: (.inProgress, .dispatcher, false),
            .supervise: (.accepted, .supervisor, true),
        ],
        .rejected: [:],
        .inProgress: [
            .addOpinion: (.inProgress, .coHandler, true),
            .supervise: (.inProgress, .supervisor, true),
            .returnToDispatch: (.accepted, .handler, true),
            .answer: (.answered, .handler, true),
        ],
        .answered: [
            .rate: (.closed, .requester, false),
            .autoClose: (.closed, .system, false),
            .reopen: (.inProgress, .requester, true),
        ],
        .closed: [
            .reopen: (.inProgress, .requester, true)
        ],
    ]

    let everyKind: [ParticipantKind] = [.requester, .dispatcher, .handler, .coHandler, .supervisor, .system]

    func testEveryStateActionPairIsAllowedOrRefusedAsSpecified() {
        var allowedCount = 0
        for state in S.allCases {
            for action in A.allCases {
                let context = passingContext(for: action)
                if let rule = expected[state]?[action] {
                    allowedCount += 1
                    let result = engine.perform(action, in: state, by: actor(rule.who), comment: "说明", context: context)
                    guard case .success(let step) = result else {
                        XCTFail("\(state) \(action) should be allowed: \(result)")
                        continue
                    }
                    XCTAssertEqual(step.state, rule.to, "\(state) \(action)")
                    XCTAssertEqual(step.record.from, state)
                    XCTAssertEqual(step.record.to, rule.to)
                    XCTAssertEqual(step.record.action, action)
                    XCTAssertEqual(step.record.actorID, "u-1")
                    XCTAssertEqual(step.record.comment, "说明")
                    XCTAssertEqual(step.record.at, now)

                    for other in everyKind where other != rule.who {
                        let refused = engine.perform(action, in: state, by: actor(other), comment: "说明", context: context)
                        XCTAssertEqual(refused.refusal?.code, "workflow.not_permitted", "\(other) \(state) \(action)")
                    }
                    if rule.comment {
                        for blank in [nil, "", "  \n "] as [String?] {
                            let refused = engine.perform(action, in: state, by: actor(rule.who), comment: blank, context: context)
                            XCTAssertEqual(refused.refusal?.code, "workflow.comment_required", "\(state) \(action)")
                        }
                    } else {
                        let result = engine.perform(action, in: state, by: actor(rule.who), comment: nil, context: context)
                        XCTAssertNotNil(result.step, "\(state) \(action) without comment")
                    }
                } else {
                    for kind in everyKind {
                        let refused = engine.perform(action, in: state, by: actor(kind), comment: "说明", context: context)
                        XCTAssertEqual(refused.refusal?.code, "workflow.invalid_state", "\(kind) \(state) \(action)")
                    }
                }
            }
        }
        XCTAssertEqual(allowedCount, 14)
    }

    func testRefusalMessagesReadAsSpecified() {
        let context = passingContext(for: .accept)
        XCTAssertEqual(
            engine.perform(.accept, in: .closed, by: actor(.dispatcher), context: context).refusal?.message,
            "当前状态“已办结”不能执行“受理”")
        XCTAssertEqual(
            engine.perform(.answer, in: .inProgress, by: actor(.coHandler), comment: "答复", context: context).refusal?.message,
            "只有承办部门可以答复")
        XCTAssertEqual(
            engine.perform(.reject, in: .pending, by: actor(.dispatcher), comment: " ", context: context).refusal?.message,
            "不予受理须填写理由")
        XCTAssertEqual(
            engine.perform(.answer, in: .inProgress, by: actor(.handler), context: context).refusal?.message,
            "答复须填写答复内容")
    }

    func testStateIsCheckedBeforeRoleAndRoleBeforeComment() {
        let context = passingContext(for: .accept)
        // Wrong state and wrong role: the state is the more useful thing to hear.
        XCTAssertEqual(
            engine.perform(.accept, in: .closed, by: actor(.requester), context: context).refusal?.code,
            "workflow.invalid_state")
        // Wrong role and no reason: the role.
        XCTAssertEqual(
            engine.perform(.reject, in: .pending, by: actor(.handler), context: context).refusal?.code,
            "workflow.not_permitted")
    }

    func testCommentIsTrimmedInHistory() {
        let step = engine.perform(
            .reject, in: .pending, by: actor(.dispatcher), comment: "  不属于本会职责范围\n", context: passingContext(for: .reject)
        ).step
        XCTAssertEqual(step?.record.comment, "不属于本会职责范围")
        XCTAssertEqual(step?.notify, [.requester])
    }

    func testOpinionAndSupervisionKeepStateButAreRecorded() {
        let context = passingContext(for: .addOpinion)
        let opinion = engine.perform(.addOpinion, in: .inProgress, by: actor(.coHandler), comment: "同意承办意见", context: context).step
        XCTAssertEqual(opinion?.state, .inProgress)
        XCTAssertEqual(opinion?.record.changesState, false)
        XCTAssertEqual(opinion?.notify, [.handler])
        let reminder = engine.perform(.supervise, in: .inProgress, by: actor(.supervisor), comment: "请加快办理", context: context).step
        XCTAssertEqual(reminder?.notify, [.dispatcher, .handler])
    }

    func testAnActorWithSeveralKindsMayUseAnyOfThem() {
        // A small association where one office both dispatches and handles.
        let both = actor(.dispatcher, .handler)
        let context = passingContext(for: .answer)
        XCTAssertNotNil(engine.perform(.assign, in: .accepted, by: both, context: context).step)
        XCTAssertNotNil(engine.perform(.answer, in: .inProgress, by: both, comment: "已办理", context: context).step)
    }

    // MARK: - Rating, auto-close and reopen

    func testRatingMustBeOneToFive() {
        let answered = day("2025-10-20")
        for rating in [0, 6, -1] {
            let context = WorkflowContext(now: now, today: answered, dates: ["answered": answered], numbers: ["rating": rating])
            let refusal = engine.perform(.rate, in: .answered, by: actor(.requester), context: context).refusal
            XCTAssertEqual(refusal?.code, "workflow.guard.number_out_of_range")
            XCTAssertEqual(refusal?.message, "满意度评分须为 1–5")
        }
        let missing = WorkflowContext(now: now, today: answered, dates: ["answered": answered])
        XCTAssertEqual(
            engine.perform(.rate, in: .answered, by: actor(.requester), context: missing).refusal?.code,
            "workflow.guard.number_out_of_range")
        for rating in 1...5 {
            let context = WorkflowContext(now: now, today: answered, dates: ["answered": answered], numbers: ["rating": rating])
            XCTAssertEqual(engine.perform(.rate, in: .answered, by: actor(.requester), context: context).step?.state, .closed)
        }
    }

    func testAutoCloseOnlySevenDaysAfterAnswer() {
        let answered = day("2025-10-20")
        let early = WorkflowContext(now: now, today: answered.adding(days: 6), dates: ["answered": answered])
        let refusal = engine.perform(.autoClose, in: .answered, by: actor(.system), context: early).refusal
        XCTAssertEqual(refusal?.code, "workflow.guard.too_early")
        XCTAssertEqual(refusal?.message, "答复满 7 日后才能自动办结")
        let due = WorkflowContext(now: now, today: answered.adding(days: 7), dates: ["answered": answered])
        XCTAssertEqual(engine.perform(.autoClose, in: .answered, by: actor(.system), context: due).step?.state, .closed)
        // A person cannot use the timer's action.
        XCTAssertEqual(
            engine.perform(.autoClose, in: .answered, by: actor(.dispatcher), context: due).refusal?.message,
            "只有系统可以自动办结")
    }

    func testReopenWithinFifteenDaysOfAnswer() {
        let answered = day("2025-10-20")
        for offset in [0, 1, 15] {
            let context = WorkflowContext(now: now, today: answered.adding(days: offset), dates: ["answered": answered])
            let step = engine.perform(.reopen, in: .closed, by: actor(.requester), comment: "问题未解决", context: context).step
            XCTAssertEqual(step?.state, .inProgress, "day +\(offset)")
        }
        let late = WorkflowContext(now: now, today: answered.adding(days: 16), dates: ["answered": answered])
        let refusal = engine.perform(.reopen, in: .closed, by: actor(.requester), comment: "问题未解决", context: late).refusal
        XCTAssertEqual(refusal?.code, "workflow.guard.window_closed")
        XCTAssertEqual(refusal?.message, "答复后 15 日内才能重新打开")
        // Without the answer date the engine cannot tell, so it refuses rather than guessing.
        let unknown = WorkflowContext(now: now, today: answered)
        XCTAssertEqual(
            engine.perform(.reopen, in: .answered, by: actor(.requester), comment: "问题未解决", context: unknown).refusal?.code,
            "workflow.guard.missing_date")
    }

    func testReopenOnlyWhenNotSatisfied() {
        let answered = day("2025-10-20")
        let satisfied = WorkflowContext(now: now, today: answered.adding(days: 2), dates: ["answered": answered], numbers: ["rating": 4])
        XCTAssertEqual(
            engine.perform(.reopen, in: .closed, by: actor(.requester), comment: "再议", context: satisfied).refusal?.message,
            "已评价为满意，不能重新打开")
        let unsatisfied = WorkflowContext(now: now, today: answered.adding(days: 2), dates: ["answered": answered], numbers: ["rating": 2])
        XCTAssertEqual(
            engine.perform(.reopen, in: .closed, by: actor(.requester), comment: "未解决", context: unsatisfied).step?.state,
            .inProgress)
    }

    func testWindowsAreConfigurable() {
        let engine = WorkflowEngine(ServiceHallCaseWorkflow(reopenWindowDays: 30, autoCloseAfterDays: 10))
        let answered = day("2025-10-20")
        let context = WorkflowContext(now: now, today: answered.adding(days: 20), dates: ["answered": answered])
        XCTAssertNotNil(engine.perform(.reopen, in: .closed, by: actor(.requester), comment: "未解决", context: context).step)
        let early = WorkflowContext(now: now, today: answered.adding(days: 9), dates: ["answered": answered])
        XCTAssertEqual(
            engine.perform(.autoClose, in: .answered, by: actor(.system), context: early).refusal?.message,
            "答复满 10 日后才能自动办结")
    }

    // MARK: - Buttons

    func testAvailableActionsPerRole() {
        XCTAssertEqual(engine.availableActions(in: .pending, for: [.dispatcher]), [.accept, .reject, .transfer])
        XCTAssertEqual(engine.availableActions(in: .pending, for: [.requester]), [])
        XCTAssertEqual(engine.availableActions(in: .accepted, for: [.dispatcher]), [.transfer, .assign])
        XCTAssertEqual(engine.availableActions(in: .accepted, for: [.supervisor]), [.supervise])
        XCTAssertEqual(engine.availableActions(in: .inProgress, for: [.handler]), [.returnToDispatch, .answer])
        XCTAssertEqual(engine.availableActions(in: .inProgress, for: [.coHandler]), [.addOpinion])
        XCTAssertEqual(engine.availableActions(in: .inProgress, for: [.handler, .coHandler]), [.addOpinion, .returnToDispatch, .answer])
        XCTAssertEqual(engine.availableActions(in: .answered, for: [.requester]), [.rate, .reopen])
        XCTAssertEqual(engine.availableActions(in: .answered, for: [.system]), [.autoClose])
        XCTAssertEqual(engine.availableActions(in: .closed, for: [.requester]), [.reopen])
        XCTAssertEqual(engine.availableActions(in: .rejected, for: Set(everyKind)), [])
    }

    func testAvailableActionsHideExpiredButNotUnfilledOnes() {
        let answered = day("2025-10-20")
        let inWindow = WorkflowContext(now: now, today: answered.adding(days: 3), dates: ["answered": answered])
        // The rating is typed after pressing "评价", so its range check must not hide the button.
        XCTAssertEqual(engine.availableActions(in: .answered, for: [.requester], context: inWindow), [.rate, .reopen])
        let late = WorkflowContext(now: now, today: answered.adding(days: 16), dates: ["answered": answered])
        XCTAssertEqual(engine.availableActions(in: .answered, for: [.requester], context: late), [.rate])
        XCTAssertEqual(engine.availableActions(in: .closed, for: [.requester], context: late), [])
        XCTAssertEqual(engine.availableActions(in: .answered, for: [.system], context: inWindow), [])
    }

    // MARK: - Labels and raw values

    func testRawValuesAreStableSnakeCase() {
        XCTAssertEqual(S.allCases.map(\.rawValue), ["pending", "accepted", "rejected", "in_progress", "answered", "closed"])
        XCTAssertEqual(
            A.allCases.map(\.rawValue),
            [
                "accept", "reject", "transfer", "assign", "add_opinion", "supervise", "return_to_dispatch", "answer", "rate",
                "auto_close", "reopen",
            ])
        XCTAssertEqual(ParticipantKind.coHandler.rawValue, "co_handler")
    }

    func testEveryStateAndActionHasAChineseLabel() {
        let definition = ServiceHallCaseWorkflow()
        XCTAssertEqual(S.allCases.map(definition.label(of:)), ["待受理", "已受理", "不予受理", "办理中", "已答复", "已办结"])
        for action in A.allCases {
            XCTAssertTrue(definition.label(of: action).unicodeScalars.contains { CharacterClass.of($0) == .ideograph })
        }
        XCTAssertEqual(definition.label(of: A.returnToDispatch), "退回")
    }

    func testTerminalStates() {
        XCTAssertTrue(engine.isTerminal(.rejected))
        // Closed can still be reopened within the window.
        XCTAssertFalse(engine.isTerminal(.closed))
        XCTAssertFalse(engine.isTerminal(.pending))
    }

    func testAFullCaseHistory() {
        var state = S.pending
        var history: [HistoryRecord<S, A>] = []
        let answered = day("2025-10-20")
        let steps: [(A, ParticipantKind, String?, WorkflowContext)] = [
            (.transfer, .dispatcher, "属学会部职责", passingContext(for: .transfer)),
            (.accept, .dispatcher, nil, passingContext(for: .accept)),
            (.assign, .dispatcher, nil, passingContext(for: .assign)),
            (.returnToDispatch, .handler, "非本部门职责", passingContext(for: .returnToDispatch)),
            (.assign, .dispatcher, "改由科普部承办", passingContext(for: .assign)),
            (.addOpinion, .coHandler, "建议联合办理", passingContext(for: .addOpinion)),
            (.answer, .handler, "已安排专家答复", passingContext(for: .answer)),
            (.rate, .requester, nil, WorkflowContext(now: now, today: answered, dates: ["answered": answered], numbers: ["rating": 2])),
            (
                .reopen, .requester, "答复未解决问题",
                WorkflowContext(now: now, today: answered.adding(days: 10), dates: ["answered": answered], numbers: ["rating": 2])
            ),
        ]
        for (action, kind, comment, context) in steps {
            switch engine.perform(action, in: state, by: actor(kind), comment: comment, context: context) {
            case .success(let step):
                state = step.state
                history.append(step.record)
            case .failure(let refusal):
                XCTFail("\(action): \(refusal)")
            }
        }
        XCTAssertEqual(state, .inProgress)
        XCTAssertEqual(
            history.map(\.to), [.pending, .accepted, .inProgress, .accepted, .inProgress, .inProgress, .answered, .closed, .inProgress])
    }
}

extension Result where Failure == WorkflowRefusal {
    var refusal: WorkflowRefusal? {
        if case .failure(let refusal) = self { return refusal }
        return nil
    }

    var step: Success? {
        if case .success(let step) = self { return step }
        return nil
    }
}
