import Fluent
import Foundation
import Platform
import SQLKit

/// Running totals for the figures page: one row per handling unit, department, case type and year of
/// receipt. The statistics page sums a few hundred of these rows instead of aggregating a year of
/// cases on every view.
///
/// A group's row is recomputed from its cases whenever a case in it changes (inside the same
/// transaction), never adjusted by deltas: a transfer, a reopening or a second rating cannot leave it
/// wrong, and the row lock taken first makes concurrent changes to one group wait for each other.
enum CaseTotals {
    static let schema = "servicehall_case_totals"
    /// Stands for "no department yet" in the key (NULLs would never conflict in a unique key).
    static let noDepartment = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!

    struct Group: Hashable, Sendable {
        let organizationID: UUID
        let departmentID: UUID
        let type: CaseType
        let year: Int

        init(_ record: ServiceCase) {
            organizationID = record.organizationID
            departmentID = record.departmentID ?? CaseTotals.noDepartment
            type = record.type
            year = record.receivedOn.year
        }
    }

    /// The sums behind one row of the figures: averages are sum / count, computed by the reader.
    struct Sums: Sendable, Equatable {
        var volume = 0
        var answered = 0
        var onTime = 0
        var daysSum = 0
        var daysCount = 0
        var ratingSum = 0
        var ratingCount = 0

        static func + (a: Sums, b: Sums) -> Sums {
            Sums(
                volume: a.volume + b.volume, answered: a.answered + b.answered, onTime: a.onTime + b.onTime, daysSum: a.daysSum + b.daysSum,
                daysCount: a.daysCount + b.daysCount, ratingSum: a.ratingSum + b.ratingSum, ratingCount: a.ratingCount + b.ratingCount)
        }
    }

    /// PostgreSQL sums BIGINT columns as NUMERIC, hence the casts back to BIGINT.
    static let aggregate = """
        COUNT(*) AS volume, \
        CAST(COALESCE(SUM(CASE WHEN answered_on IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered, \
        CAST(COALESCE(SUM(CASE WHEN answered_on_time THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time, \
        CAST(COALESCE(SUM(answer_working_days), 0) AS BIGINT) AS days_sum, COUNT(answer_working_days) AS days_count, \
        CAST(COALESCE(SUM(rating), 0) AS BIGINT) AS rating_sum, COUNT(rating) AS rating_count
        """

    /// Recomputes the groups a change touched (before and after it), inside the caller's transaction.
    static func refresh(_ groups: Set<Group>, on db: any Database) async throws {
        let sql = try db.sql()
        for group in groups.sorted(by: { "\($0.organizationID)\($0.type.rawValue)" < "\($1.organizationID)\($1.type.rawValue)" }) {
            let key = SQLQueryString(
                "organization_id = \(bind: group.organizationID) AND department_id = \(bind: group.departmentID) AND type = \(bind: group.type.rawValue) AND year = \(bind: group.year)"
            )
            // Take the row's lock first (creating it if new) so that a concurrent change to the same
            // group recomputes after this transaction commits, not from the same stale snapshot.
            try await sql.raw(
                """
                INSERT INTO servicehall_case_totals (organization_id, department_id, type, year, volume, answered, on_time, \
                days_sum, days_count, rating_sum, rating_count) VALUES (\(bind: group.organizationID), \(bind: group.departmentID), \
                \(bind: group.type.rawValue), \(bind: group.year), 0, 0, 0, 0, 0, 0, 0) ON CONFLICT (organization_id, department_id, type, year) \
                DO UPDATE SET volume = servicehall_case_totals.volume
                """
            ).run()
            let first = "\(group.year)-01-01"
            let last = "\(group.year)-12-31"
            var select = SQLQueryString("SELECT \(unsafeRaw: aggregate) FROM servicehall_cases WHERE organization_id = ")
            select.appendInterpolation(bind: group.organizationID)
            if group.departmentID == noDepartment {
                select.appendInterpolation(unsafeRaw: " AND department_id IS NULL")
            } else {
                select.appendInterpolation(unsafeRaw: " AND department_id = ")
                select.appendInterpolation(bind: group.departmentID)
            }
            select.appendInterpolation(unsafeRaw: " AND type = ")
            select.appendInterpolation(bind: group.type.rawValue)
            select.appendInterpolation(unsafeRaw: " AND received_on >= ")
            select.appendInterpolation(bind: first)
            select.appendInterpolation(unsafeRaw: " AND received_on <= ")
            select.appendInterpolation(bind: last)
            let sums = try await sql.raw(select).first().map(decode) ?? Sums()
            var update = SQLQueryString(
                """
                UPDATE servicehall_case_totals SET volume = \(bind: sums.volume), answered = \(bind: sums.answered), \
                on_time = \(bind: sums.onTime), days_sum = \(bind: sums.daysSum), days_count = \(bind: sums.daysCount), \
                rating_sum = \(bind: sums.ratingSum), rating_count = \(bind: sums.ratingCount) WHERE 
                """)
            update.appendInterpolation(key)
            try await sql.raw(update).run()
        }
    }

    /// Rebuilds every row from the cases (the migration that introduced the table; repairs).
    static func rebuild(on db: any Database) async throws {
        let sql = try db.sql()
        try await sql.raw("DELETE FROM servicehall_case_totals").run()
        try await sql.raw(
            """
            INSERT INTO servicehall_case_totals (organization_id, department_id, type, year, volume, answered, on_time, days_sum, \
            days_count, rating_sum, rating_count) \
            SELECT organization_id, department_key, type, year_received, \(unsafeRaw: aggregate) FROM (SELECT *, \
            COALESCE(department_id, \(bind: noDepartment)) AS department_key, CAST(SUBSTR(received_on, 1, 4) AS INTEGER) AS year_received \
            FROM servicehall_cases) AS c GROUP BY organization_id, department_key, type, year_received
            """
        ).run()
    }

    /// Sums per type and per unit/department for the given organizations and year.
    static func read(organizations: [UUID], year: Int, on db: any Database) async throws -> [(group: Group.Key, sums: Sums)] {
        let sql = try db.sql()
        guard !organizations.isEmpty else { return [] }
        var query = SQLQueryString(
            "SELECT organization_id, department_id, type, volume, answered, on_time, days_sum, days_count, rating_sum, rating_count FROM servicehall_case_totals WHERE volume > 0 AND year = \(bind: year) AND organization_id IN ("
        )
        query.appendInterpolation(binds: organizations)
        query.appendInterpolation(unsafeRaw: ")")
        return try await sql.raw(query).all().map { row in
            let department = try row.decode(column: "department_id", as: UUID.self)
            return (
                Group.Key(
                    organizationID: try row.decode(column: "organization_id", as: UUID.self),
                    departmentID: department == noDepartment ? nil : department, type: try row.decode(column: "type", as: CaseType.self)),
                try decode(row)
            )
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Sums {
        func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }
        return Sums(
            volume: try int("volume"), answered: try int("answered"), onTime: try int("on_time"), daysSum: try int("days_sum"),
            daysCount: try int("days_count"), ratingSum: try int("rating_sum"), ratingCount: try int("rating_count"))
    }
}

extension CaseTotals.Group {
    /// A row's identity without its year (the reader asks for one year).
    struct Key: Hashable, Sendable {
        let organizationID: UUID
        let departmentID: UUID?
        let type: CaseType
    }
}

struct CreateCaseTotals: AsyncMigration {
    var name: String { "2026_11_23_2160_servicehall_case_totals" }

    func prepare(on database: any Database) async throws {
        try await database.schema(CaseTotals.schema)
            .field("organization_id", .uuid, .required)
            .field("department_id", .uuid, .required)
            .field("type", .string, .required)
            .field("year", .int, .required)
            .field("volume", .int, .required)
            .field("answered", .int, .required)
            .field("on_time", .int, .required)
            .field("days_sum", .int, .required)
            .field("days_count", .int, .required)
            .field("rating_sum", .int, .required)
            .field("rating_count", .int, .required)
            .unique(on: "organization_id", "department_id", "type", "year")
            .create()
        try await SQLIndex.create("idx_servicehall_totals_year", on: CaseTotals.schema, ["year", "organization_id"], database)
        // The lists walk these in deadline or submission order and stop after one page.
        try await SQLIndex.create("idx_servicehall_cases_due", on: ServiceCase.schema, ["accept_due", "id"], database)
        try await SQLIndex.create(
            "idx_servicehall_cases_unit_due", on: ServiceCase.schema, ["organization_id", "accept_due", "id"], database)
        try await SQLIndex.create("idx_servicehall_cases_state_due", on: ServiceCase.schema, ["state", "accept_due", "id"], database)
        try await SQLIndex.create("idx_servicehall_cases_submitted", on: ServiceCase.schema, ["submitted_at", "id"], database)
        try await SQLIndex.create("idx_servicehall_cases_requester", on: ServiceCase.schema, ["requester_user_id", "accept_due"], database)
        // The escalation job's two reads: cases not escalated yet, by state, past a deadline.
        try await SQLIndex.create(
            "idx_servicehall_cases_escalate_accept", on: ServiceCase.schema, ["escalated_on", "state", "accept_due"], database)
        try await SQLIndex.create(
            "idx_servicehall_cases_escalate_answer", on: ServiceCase.schema, ["escalated_on", "state", "answer_due"], database)
        try await SQLIndex.create(
            "idx_servicehall_cases_group", on: ServiceCase.schema, ["organization_id", "type", "received_on"], database)
        try await CaseTotals.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql()
        for index in ["due", "unit_due", "state_due", "submitted", "requester", "escalate_accept", "escalate_answer", "group"] {
            try await sql.drop(index: "idx_servicehall_cases_\(index)").run()
        }
        try await database.schema(CaseTotals.schema).delete()
    }
}
