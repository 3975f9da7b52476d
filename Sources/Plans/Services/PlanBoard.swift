import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Synchronization

/// Everything the dashboard, the evaluation and the annual report read about a plan's tasks, in two
/// SQL reads of plain columns. Loading 500 tasks and 1,000 unit rows as Fluent models spent most of a
/// dashboard view in reflection (100 ms); plain rows take a few.
struct PlanBoard: Sendable {
    struct Task: Sendable {
        let id: UUID
        let sequence: Int
        let section: String
        let heading: String
        let deadline: Day?
        let state: PlanTaskWorkflow.State
        let percent: Int
        let completedOn: Day?
        let qualityScore: Int?
        /// Open and nothing reported in the current period of the plan's cadence.
        let reportDue: Bool
        let status: PlanService.TaskStatus
        /// "d:<id>" / "o:<id>" of the units in the tree, lead first.
        let unitKeys: [String]
        let leadKey: String?
        /// Share of the numeric targets reached (0…1), averaged over targets with an actual value.
        let targetsReached: Double?
    }

    struct Unit: Sendable {
        let taskID: UUID
        let role: String
        let key: String
    }

    let tasks: [Task]
    let units: [Unit]
    /// Display name per unit key.
    let names: [String: String]

    func name(_ key: String?) -> String { key.flatMap { names[$0] } ?? "" }

    static func load(_ plan: PlanRecord, today: Day, on db: any Database) async throws -> PlanBoard {
        let sql = try db.sql()
        let planID = try plan.requireID()
        // Ids are read as text (CAST works on both databases) and compared upper-cased, as Swift prints them.
        func key(_ row: any SQLRow, _ column: String) throws -> String? {
            try row.decode(column: column, as: String?.self)?.uppercased()
        }
        // The units with their names (a department's, else the organization's), in one statement.
        let unitRows = try await sql.raw(
            """
            SELECT CAST(u.task_id AS TEXT) AS task, u.role, CAST(u.organization_id AS TEXT) AS organization, \
            CAST(u.department_id AS TEXT) AS department, COALESCE(d.name, o.name) AS name FROM plans_task_units u \
            LEFT JOIN platform_departments d ON d.id = u.department_id LEFT JOIN platform_organizations o ON o.id = u.organization_id \
            WHERE u.plan_id = \(bind: planID) AND u.organization_id IS NOT NULL
            """
        ).all()
        var units: [Unit] = []
        var names: [String: String] = [:]
        for row in unitRows {
            guard let task = try key(row, "task").flatMap(UUID.init(uuidString:)), let organization = try key(row, "organization") else {
                continue
            }
            let department = try key(row, "department")
            let unitKey = department.map { "d:\($0)" } ?? "o:\(organization)"
            if let name = try row.decode(column: "name", as: String?.self) { names[unitKey] = name }
            units.append(Unit(taskID: task, role: try row.decode(column: "role", as: String.self), key: unitKey))
        }
        let byTask = Dictionary(grouping: units, by: \.taskID)
        let rows = try await sql.raw(
            """
            SELECT CAST(id AS TEXT) AS id, sequence, section, heading, deadline, state, percent, completed_on, last_report_on, \
            quality_score, (SELECT AVG(CASE WHEN g.actual >= g.value THEN 1.0 ELSE g.actual / g.value END) FROM plans_targets g \
            WHERE g.task_id = plans_tasks.id AND g.actual IS NOT NULL AND g.value > 0) AS reached \
            FROM plans_tasks WHERE plan_id = \(bind: planID) AND included = \(bind: true) ORDER BY sequence
            """
        ).all()
        let start = Day(year: plan.year, month: 1, day: 1) ?? today
        let cadence = plan.cadence
        let period = PlanService.period(of: today, cadence: cadence)
        let endOfYear = Day(year: plan.year, month: 12, day: 31) ?? today
        var tasks: [Task] = []
        tasks.reserveCapacity(rows.count)
        for row in rows {
            guard let id = try key(row, "id").flatMap(UUID.init(uuidString:)) else { continue }
            let lastReport = try row.decode(column: "last_report_on", as: Day?.self)
            let deadline = try row.decode(column: "deadline", as: Day?.self)
            let state = try row.decode(column: "state", as: PlanTaskWorkflow.State.self)
            let percent = try row.decode(column: "percent", as: Int.self)
            let due = deadline ?? endOfYear
            let mine = byTask[id] ?? []
            let lead = mine.first { $0.role == "lead" }
            // Share of the numeric targets reached, averaged over targets with an actual value.
            let reached = try row.decode(column: "reached", as: Double?.self)
            tasks.append(
                Task(
                    id: id, sequence: try row.decode(column: "sequence", as: Int.self),
                    section: try row.decode(column: "section", as: String.self),
                    heading: try row.decode(column: "heading", as: String.self), deadline: deadline, state: state, percent: percent,
                    completedOn: try row.decode(column: "completed_on", as: Day?.self),
                    qualityScore: try row.decode(column: "quality_score", as: Int?.self),
                    reportDue: state == .open
                        && lastReport.map { PlanService.period(of: $0, cadence: cadence) } != period,
                    status: PlanService.TaskStatus(
                        progress: TaskProgress(
                            actual: percent, done: state == .done, start: start, deadline: due, today: today),
                        deadline: due),
                    unitKeys: (lead.map { [$0.key] } ?? []) + mine.filter { $0.role != "lead" }.map(\.key), leadKey: lead?.key,
                    targetsReached: reached))
        }
        return PlanBoard(tasks: tasks, units: units, names: names)
    }

    /// Tasks whose heading or source paragraph contains the text (the dashboard's search box).
    static func matching(_ text: String, plan: UUID, on db: any Database) async throws -> Set<UUID> {
        let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
        return Set(
            try await PlanTask.query(on: db).filter(\.$planID == plan).group(.or) {
                $0.filter(\.$heading, .custom("LIKE"), pattern).filter(\.$sourceText, .custom("LIKE"), pattern)
            }.field(\.$id).all().compactMap(\.id))
    }
}

/// The last board computed per plan, reused while the plan's revision and the day are unchanged.
///
/// Every write that changes what the board shows (a report, a 督办 step, the review, a target's value)
/// bumps `plans_plans.revision` in its own transaction; a view compares the revision it just read with the
/// cached one, so a change shows on the next view, also when several instances share one PostgreSQL
/// database. Names of departments renamed since are the one thing that can lag, until the next change.
/// Owned by the module value, so each application has its own.
final class PlanBoardCache: Sendable {
    private struct Entry: Sendable {
        let revision: Int
        let day: Day
        let board: PlanBoard
    }

    private let entries = Mutex<[UUID: Entry]>([:])
    /// Plans kept; a province runs a handful at a time.
    private let capacity = 64

    func board(for plan: PlanRecord, today: Day, on db: any Database) async throws -> PlanBoard {
        let id = try plan.requireID()
        if let entry = entries.withLock({ $0[id] }), entry.revision == plan.revision, entry.day == today { return entry.board }
        let board = try await PlanBoard.load(plan, today: today, on: db)
        let capacity = capacity
        entries.withLock { entries in
            if entries.count >= capacity, entries[id] == nil, let any = entries.keys.first { entries[any] = nil }
            entries[id] = Entry(revision: plan.revision, day: today, board: board)
        }
        return board
    }
}

extension PlanRecord {
    /// Marks the plan's board stale (see `PlanBoardCache`); call inside the writing transaction.
    static func bumpRevision(_ id: UUID, on db: any Database) async throws {
        let sql = try db.sql()
        try await sql.raw("UPDATE plans_plans SET revision = revision + 1 WHERE id = \(bind: id)").run()
    }
}
