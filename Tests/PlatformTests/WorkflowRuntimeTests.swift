import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

/// The Platform workflow runtime on both databases: steps checked by the transition table, the subject's
/// state moved only from the state the step was checked against, every step recorded with who, when and
/// for which organization, and a refused step leaving nothing behind.
final class WorkflowRuntimeTests: DemoTestCase {
    private let subjects = WorkflowSubjectTable(process: "test.case", table: "test_workflow_subjects")
    private var runtime: WorkflowRuntime<ServiceHallCaseWorkflow> { WorkflowRuntime(ServiceHallCaseWorkflow(), subjects: subjects) }

    private func makeSubject() async throws -> UUID {
        let sql = app.db as! any SQLDatabase
        try await sql.raw("CREATE TABLE IF NOT EXISTS test_workflow_subjects (id UUID PRIMARY KEY, state TEXT NOT NULL)").run()
        let id = UUID()
        try await sql.raw("INSERT INTO test_workflow_subjects (id, state) VALUES (\(bind: id), 'pending')").run()
        return id
    }

    private func state(_ id: UUID) async throws -> String? {
        let sql = app.db as! any SQLDatabase
        return try await sql.raw("SELECT state FROM test_workflow_subjects WHERE id = \(bind: id)").first()?.decode(
            column: "state", as: String.self)
    }

    private func actor(_ username: String) async throws -> Actor {
        try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == username).first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
    }

    func testStepsFollowTheTableAndAreRecorded() async throws {
        let id = try await makeSubject()
        let office = try await actor("demo.orgadmin")
        let context = WorkflowContext(now: clock.now)
        // Wrong role: 403 with the roles that may.
        do {
            _ = try await runtime.perform(
                .accept, subject: id, in: .pending, actor: office, kinds: [.requester], comment: nil, context: context,
                services: app.platform, on: app.db)
            XCTFail("a requester cannot accept")
        } catch let error as PlatformError {
            XCTAssertEqual(error.code, "platform.workflow_not_permitted")
            XCTAssertEqual(error.status, .forbidden)
            XCTAssertTrue(error.message.contains("办公室"), error.message)
        }
        // Missing comment: 422 on the comment field.
        do {
            _ = try await runtime.perform(
                .reject, subject: id, in: .pending, actor: office, kinds: [.dispatcher], comment: "  ", context: context,
                services: app.platform, on: app.db)
            XCTFail("a rejection needs a reason")
        } catch let error as PlatformError {
            XCTAssertEqual(error.code, "platform.workflow_comment_required")
            XCTAssertEqual(error.field, "comment")
        }
        expectEqual(try await state(id), "pending")
        expectEqual(try await runtime.history(of: id, on: app.db).count, 0, "refused steps leave nothing")

        let step = try await runtime.perform(
            .accept, subject: id, in: .pending, actor: office, kinds: [.dispatcher], comment: "已收到", context: context,
            services: app.platform, on: app.db)
        XCTAssertEqual(step.state, .accepted)
        expectEqual(try await state(id), "accepted")
        // Illegal from the new state: 422 naming the state.
        do {
            _ = try await runtime.perform(
                .answer, subject: id, in: .accepted, actor: office, kinds: [.handler], comment: "答复", context: context,
                services: app.platform, on: app.db)
            XCTFail("cannot answer before assignment")
        } catch let error as PlatformError {
            XCTAssertEqual(error.code, "platform.workflow_invalid_state")
            XCTAssertTrue(error.message.contains("已受理"), error.message)
        }
        _ = try await runtime.perform(
            .assign, subject: id, in: .accepted, actor: office, kinds: [.dispatcher], comment: nil, context: context,
            services: app.platform, on: app.db)
        let history = try await runtime.history(of: id, on: app.db)
        XCTAssertEqual(history.map(\.action), ["accept", "assign"])
        XCTAssertEqual(history.map(\.sequence), [1, 2])
        XCTAssertEqual(history.first?.actorName, "演示省科协管理员")
        XCTAssertEqual(history.first?.comment, "已收到")
        XCTAssertEqual(history.first?.organizationID, demo.province.id)
    }

    func testTwoPeopleTakingTheSameStepAtOnceOnlyOneSucceeds() async throws {
        let id = try await makeSubject()
        let office = try await actor("demo.orgadmin")
        let runtime = self.runtime
        let services = app.platform
        let db = app.db
        let now = clock.now
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        _ = try await runtime.perform(
                            .accept, subject: id, in: .pending, actor: office, kinds: [.dispatcher], comment: nil,
                            context: WorkflowContext(now: now), services: services, on: db)
                        return true
                    } catch PlatformError.stateChanged {
                        return false
                    }
                }
            }
            var all: [Bool] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        XCTAssertEqual(outcomes.filter { $0 }.count, 1)
        expectEqual(try await runtime.history(of: id, on: app.db).count, 1)
    }
}
