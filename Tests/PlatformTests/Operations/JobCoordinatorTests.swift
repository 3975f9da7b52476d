import Fluent
import Foundation
import NIOConcurrencyHelpers
import XCTVapor

@testable import Platform

/// Background jobs run once per period however many instances try: on SQLite and, in CI, on PostgreSQL
/// (the advisory-lock path). e2e/test_19_jobs_once.py does the same with two `kexie serve` processes.
final class JobCoordinatorTests: KexieTestCase {
    private var isPostgres: Bool { app.platform.configuration.database.isPostgres }

    func testPeriodsCountWholeIntervalsFromTheEpoch() {
        XCTAssertEqual(JobCoordinator.period(of: Date(timeIntervalSince1970: 0), interval: 600), 0)
        XCTAssertEqual(JobCoordinator.period(of: Date(timeIntervalSince1970: 599.9), interval: 600), 0)
        XCTAssertEqual(JobCoordinator.period(of: Date(timeIntervalSince1970: 600), interval: 600), 1)
        XCTAssertEqual(JobCoordinator.period(of: Date(timeIntervalSince1970: 1_796_000_000), interval: 3_600), 498_888)
    }

    func testConcurrentInstancesRunAPeriodOnce() async throws {
        let runs = NIOLockedValueBox(0)
        let instances = (0..<4).map { JobCoordinator(instance: "instance-\($0)", isPostgres: isPostgres) }
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let db = app.db
        let ran = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 0..<12 {
                let coordinator = instances[attempt % 4]
                group.addTask {
                    try await coordinator.runOnce("test.count", period: 7, now: now, on: db) {
                        runs.withLockedValue { $0 += 1 }
                        try await Task.sleep(nanoseconds: 50_000_000)
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(ran, 1)
        XCTAssertEqual(runs.withLockedValue { $0 }, 1)
        let rows = try await JobRun.query(on: app.db).filter(\.$job == "test.count").all()
        XCTAssertEqual(rows.map(\.period), [7])
        XCTAssertEqual(rows.map(\.outcome), [.done])
        XCTAssertNotNil(rows.first?.finishedAt)

        // The next period runs again, once.
        let next = try await instances[1].runOnce("test.count", period: 8, now: now, on: db) { runs.withLockedValue { $0 += 1 } }
        let again = try await instances[2].runOnce("test.count", period: 8, now: now, on: db) { runs.withLockedValue { $0 += 1 } }
        XCTAssertEqual([next, again], [true, false])
        XCTAssertEqual(runs.withLockedValue { $0 }, 2)
        let second = try await JobRun.query(on: app.db).filter(\.$job == "test.count").filter(\.$period == 8).first()
        XCTAssertEqual(second?.instance, "instance-1")
        XCTAssertEqual(second?.contenders, 1)
    }

    func testAFailedRunIsRecordedAndNotRepeatedInItsPeriod() async throws {
        struct Broken: Error {}
        let a = JobCoordinator(instance: "a", isPostgres: isPostgres)
        let b = JobCoordinator(instance: "b", isPostgres: isPostgres)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        do {
            try await a.runOnce("test.broken", period: 3, now: now, on: app.db) { throw Broken() }
            XCTFail("the job's error reaches the runner's log")
        } catch is Broken {}
        let retried = try await b.runOnce("test.broken", period: 3, now: now, on: app.db) {}
        XCTAssertFalse(retried)
        let row = try await JobRun.query(on: app.db).filter(\.$job == "test.broken").first()
        XCTAssertEqual(row?.outcome, .failed)
        XCTAssertEqual(row?.instance, "a")
    }

    func testOldHistoryIsPurged() async throws {
        let coordinator = JobCoordinator(instance: "a", isPostgres: isPostgres)
        let then = Date(timeIntervalSince1970: 1_790_000_000)
        try await coordinator.runOnce("test.purge", period: 1, now: then, on: app.db) {}
        try await coordinator.runOnce("test.purge", period: 2, now: then.addingTimeInterval(31 * 86_400), on: app.db) {}
        let periods = try await JobRun.query(on: app.db).filter(\.$job == "test.purge").all().map(\.period)
        XCTAssertEqual(periods, [2])
    }
}
