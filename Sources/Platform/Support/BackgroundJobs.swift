import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import Vapor

/// One run of a background job in one period (the job's interval counted from the epoch). The
/// unique (job, period) pair is the claim: whichever instance inserts it runs the job for that
/// period, and every other instance that tried counts itself in `contenders`.
final class JobRun: Model, @unchecked Sendable {
    static let schema = "platform_job_runs"

    enum Outcome: String, Codable, Sendable { case running, done, failed }

    @ID(key: .id) var id: UUID?
    @Field(key: "job") var job: String
    @Field(key: "period") var period: Int64
    @Field(key: "instance") var instance: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @Field(key: "outcome") var outcome: Outcome
    @Field(key: "contenders") var contenders: Int

    init() {}
}

struct CreateJobRuns: AsyncMigration {
    var name: String { "2026_12_07_1600_platform_job_runs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(JobRun.schema)
            .id()
            .field("job", .string, .required)
            .field("period", .int64, .required)
            .field("instance", .string, .required)
            .field("started_at", .datetime, .required)
            .field("finished_at", .datetime)
            .field("outcome", .string, .required)
            .field("contenders", .int, .required)
            .unique(on: "job", "period")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(JobRun.schema).delete()
    }
}

/// Decides, for each tick of each job, whether this instance runs it: once per period across every
/// instance serving the same database.
///
/// - The claim is an `INSERT … ON CONFLICT DO NOTHING RETURNING` on (job, period): both databases
///   decide it atomically, so two instances never both run a period.
/// - On PostgreSQL the claim is made under the job's advisory lock (`pg_advisory_xact_lock`, held for the
///   claim's transaction), so checking "is an earlier run still going?" and inserting are one decision:
///   a run that outlasts its period is never overlapped by the next period's run on another instance.
/// - On SQLite (one process per file) an in-process lock per job does the same.
public struct JobCoordinator: Sendable {
    public let instance: String
    let isPostgres: Bool
    let running: NIOLockedValueBox<Set<String>>

    public init(instance: String, isPostgres: Bool) {
        self.instance = instance
        self.isPostgres = isPostgres
        running = NIOLockedValueBox([])
    }

    /// The period `now` falls in for a job run every `interval` seconds.
    public static func period(of now: Date, interval: Int64) -> Int64 {
        Int64(now.timeIntervalSince1970.rounded(.down)) / max(interval, 1)
    }

    /// Runs `work` if this instance wins the job's period; returns whether it ran.
    @discardableResult
    public func runOnce(
        _ job: String, period: Int64, now: Date, on db: any Database, work: @escaping @Sendable () async throws -> Void
    ) async throws -> Bool {
        guard (running.withLockedValue { $0.insert(job).inserted }) else { return false }
        defer { _ = running.withLockedValue { $0.remove(job) } }
        let won: Bool
        if isPostgres {
            // The claim is decided under the job's advisory lock, held for the claim's short transaction
            // only: the job itself then runs on the pool like any request (holding a connection for the
            // whole run starved the pool when several jobs ran at once).
            won = try await db.transaction { tx in
                let sql = try tx.sql()
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: "kexie.job." + job)))").run()
                return try await claim(job, period: period, now: now, sql)
            }
        } else {
            won = try await claim(job, period: period, now: now, try db.sql())
        }
        guard won else { return false }
        if let error = try await run(job, period: period, now: now, try db.sql(), work) { throw error }
        return true
    }

    private func run(
        _ job: String, period: Int64, now: Date, _ sql: any SQLDatabase, _ work: @Sendable () async throws -> Void
    ) async throws -> (any Error)? {
        var failure: (any Error)?
        do { try await work() } catch { failure = error }
        let outcome: JobRun.Outcome = failure == nil ? .done : .failed
        try await sql.raw(
            """
            UPDATE platform_job_runs SET outcome = \(bind: outcome.rawValue), finished_at = \(bind: Date()) \
            WHERE job = \(bind: job) AND period = \(bind: period)
            """
        ).run()
        // A month of history is enough to see that every period ran once.
        try await sql.raw(
            "DELETE FROM platform_job_runs WHERE job = \(bind: job) AND started_at < \(bind: now.addingTimeInterval(-30 * 86_400))"
        ).run()
        return failure
    }

    /// Inserts the (job, period) row unless it exists or an earlier run of the job is still going
    /// (started less than an hour ago and not finished: a run that outlasts its period is not overlapped).
    private func claim(_ job: String, period: Int64, now: Date, _ sql: any SQLDatabase) async throws -> Bool {
        let busy =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM platform_job_runs WHERE job = \(bind: job) AND period < \(bind: period) \
                AND outcome = \(bind: JobRun.Outcome.running.rawValue) AND started_at > \(bind: now.addingTimeInterval(-3_600))
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        if busy > 0 { return false }
        let won = try await sql.raw(
            """
            INSERT INTO platform_job_runs (id, job, period, instance, started_at, outcome, contenders) \
            VALUES (\(bind: UUID()), \(bind: job), \(bind: period), \(bind: instance), \(bind: now), \(bind: JobRun.Outcome.running.rawValue), 0) \
            ON CONFLICT (job, period) DO NOTHING RETURNING id
            """
        ).first()
        if won == nil {
            try await sql.raw(
                "UPDATE platform_job_runs SET contenders = contenders + 1 WHERE job = \(bind: job) AND period = \(bind: period)"
            ).run()
        }
        return won != nil
    }
}

/// Runs the modules' background jobs while `kexie serve` runs; stops them on shutdown. Each job is
/// tried several times per period (every quarter of its interval, at most every 30 s) and runs once
/// per period across all instances (see `JobCoordinator`). Tests call `run` or the coordinator directly.
public final class BackgroundJobRunner: LifecycleHandler, @unchecked Sendable {
    private var tasks: [RepeatedTask] = []

    public init() {}

    /// Starts the timers. Called by `kexie serve` itself: the application has booted before any command
    /// runs, so a lifecycle handler added there never saw `didBoot` (the jobs once silently never ran).
    public func start(_ application: Application) {
        let services = application.platform
        let logger = application.logger
        let configuration = services.configuration
        let coordinator = JobCoordinator(
            instance: "\(ProcessInfo.processInfo.hostName)#\(ProcessInfo.processInfo.processIdentifier)",
            isPostgres: configuration.database.isPostgres)
        for job in services.registry.modules.flatMap(\.backgroundJobs) {
            let db = application.db
            let loop = application.eventLoopGroup.next()
            let interval = configuration.jobIntervalOverride.map(Int64.init) ?? job.intervalSeconds
            let tick = max(1, min(interval / 4, 30))
            let initialDelay: TimeAmount = configuration.jobIntervalOverride == nil ? .seconds(20) : .seconds(1)
            let task = loop.scheduleRepeatedAsyncTask(initialDelay: initialDelay, delay: .seconds(tick)) { _ in
                let promise = loop.makePromise(of: Void.self)
                promise.completeWithTask {
                    let now = services.clock()
                    do {
                        try await coordinator.runOnce(
                            job.name, period: JobCoordinator.period(of: now, interval: interval), now: now, on: db
                        ) { try await job.run(db, services) }
                    } catch {
                        logger.warning("后台任务 \(job.name) 失败：\(String(describing: error))")
                    }
                }
                return promise.futureResult
            }
            tasks.append(task)
        }
    }

    public func shutdown(_ application: Application) {
        for task in tasks { task.cancel() }
        tasks = []
    }
}
