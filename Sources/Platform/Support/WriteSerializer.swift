import Fluent
import NIOConcurrencyHelpers

/// SQLite allows one writer at a time, and two deferred transactions that both read then write end in
/// SQLITE_BUSY however long the busy handler waits. On SQLite every write transaction therefore goes
/// through this one in-process lock (the embedded default runs a single instance). On PostgreSQL it is
/// a pass-through and the database does the locking. A database handle that is already inside a
/// transaction got there through this lock, so nested calls (a service's transaction and the audit
/// middleware inside it) run straight through instead of deadlocking. (A task-local flag does not
/// work here: Fluent hops through event-loop futures and unstructured tasks that drop task-locals.)
public final class WriteSerializer: Sendable {
    private let enabled: Bool
    private let state = NIOLockedValueBox<(locked: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    public init(enabled: Bool) { self.enabled = enabled }

    /// Runs `body` inside one database transaction, serialized on SQLite.
    ///
    /// The caller's audit context is carried into the body: Fluent starts the body from an event-loop
    /// callback, outside the request's task, so the audit middleware inside would otherwise record
    /// every change as made by 系统.
    public func transaction<T: Sendable>(
        on db: any Database, _ body: @escaping @Sendable (any Database) async throws -> T
    ) async throws -> T {
        if db.inTransaction { return try await body(db) }
        let context = AuditContext.current
        let carried: @Sendable (any Database) async throws -> T = { tx in
            try await AuditContext.$current.withValue(context) { try await body(tx) }
        }
        if !enabled { return try await db.transaction(carried) }
        await acquire()
        defer { release() }
        return try await db.transaction(carried)
    }

    private func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { state -> Bool in
                if state.locked {
                    state.waiters.append(continuation)
                    return false
                }
                state.locked = true
                return true
            }
            if resumeNow { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.locked = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
