import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The case lists (诉求办理, 我的诉求, the API): one page of cases and how many there are.
///
/// Written in SQL with the subtree given as its organizations' ids rather than a join on their
/// paths: with the ids the database walks an index in deadline order and stops after one page,
/// where the join made it sort every case of a province on each view.
struct CaseQueue: Sendable {
    enum Owner: Sendable {
        /// Every case handled in the actor's subtree.
        case scope(Actor)
        /// The cases a person submitted while logged in.
        case requester(UUID)
    }

    enum Sort: String, Sendable {
        case due, received
    }

    struct Filter: Sendable {
        var state: ServiceHallCaseWorkflow.State?
        var search: String?
        var sort: Sort = .due
        var descending = false
    }

    let db: any Database

    /// Counting stops past the cap; a total of `cap + 1` means "more than cap".
    static let countCap = ListParameters.countCap

    /// One page of full records (the API answers every field).
    func page(_ owner: Owner, filter: Filter, offset: Int, limit: Int, countCap: Int? = Self.countCap) async throws -> (
        total: Int, cases: [ServiceCase]
    ) {
        let (total, listings) = try await listings(owner, filter: filter, offset: offset, limit: limit, countCap: countCap)
        return (total, try await load(listings.map(\.id)))
    }

    /// One page as the columns the queue shows, with each case's unit name, and the (capped) count:
    /// one statement after the subtree's ids (`PagedSelect`).
    func listings(_ owner: Owner, filter: Filter, offset: Int, limit: Int, countCap: Int? = Self.countCap) async throws -> (
        total: Int, cases: [CaseListing]
    ) {
        guard let condition = try await condition(owner, filter: filter) else { return (0, []) }
        let column = filter.sort == .received ? "submitted_at" : "accept_due"
        let direction = filter.descending ? "DESC" : "ASC"
        let page = try await PagedSelect(
            columns: CaseListing.columns, from: "servicehall_cases", where: condition,
            order: "\(column) \(direction), id \(direction)", limit: limit, offset: offset, countCap: countCap
        ).run(on: db)
        return (page.total, try page.rows.map(CaseListing.init(row:)))
    }

    /// Every matching case in list order, for an export.
    func all(_ owner: Owner, filter: Filter, limit: Int) async throws -> [ServiceCase] {
        guard let condition = try await condition(owner, filter: filter) else { return [] }
        let ids = try await ids(condition, filter: filter, offset: 0, limit: limit)
        var records: [ServiceCase] = []
        // In slices: a statement takes a bounded number of parameters.
        for start in stride(from: 0, to: ids.count, by: 500) {
            records += try await load(Array(ids[start..<min(ids.count, start + 500)]))
        }
        return records
    }

    private func ids(_ condition: SQLQueryString, filter: Filter, offset: Int, limit: Int) async throws -> [UUID] {
        let sql = try db.sql()
        let column = filter.sort == .received ? "submitted_at" : "accept_due"
        let direction = filter.descending ? "DESC" : "ASC"
        var page = SQLQueryString("SELECT id FROM servicehall_cases WHERE ")
        page.appendInterpolation(condition)
        page.appendInterpolation(
            unsafeRaw: " ORDER BY \(column) \(direction), id \(direction) LIMIT \(max(1, limit)) OFFSET \(max(0, offset))")
        return try await sql.raw(page).all().map { try $0.decode(column: "id", as: UUID.self) }
    }

    private func condition(_ owner: Owner, filter: Filter) async throws -> SQLQueryString? {
        var sql: SQLQueryString
        switch owner {
        case .requester(let user):
            sql = SQLQueryString("requester_user_id = \(bind: user)")
        case .scope(let actor):
            guard let root = actor.scope.rootPath else { return nil }
            // The subtree's ids and the size of the whole tree, in one statement.
            let rows = try await db.sql().raw(
                """
                SELECT id, (SELECT COUNT(*) FROM platform_organizations) AS every FROM platform_organizations
                WHERE path LIKE \(bind: root + "%")
                """
            ).all()
            let organizations = try rows.map { try $0.decode(column: "id", as: UUID.self) }
            guard let first = rows.first else { return nil }
            if organizations.count == (try first.decode(column: "every", as: Int.self)) {
                // The whole tree (the provincial association): every case is in scope.
                sql = SQLQueryString("1 = 1")
                break
            }
            // SQLite then tends to read the unit's cases by the organization index and sort them all
            // by deadline; for a unit holding a large share of the cases, walking the deadline index
            // and stopping after one page is far cheaper, which the unary plus tells it to do.
            let hint = try await holdsLargeShare(organizations) && (try db.sql()).dialect.name == "sqlite" ? "+" : ""
            sql = SQLQueryString("\(unsafeRaw: hint)organization_id IN (")
            sql.appendInterpolation(binds: organizations)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        if let state = filter.state {
            sql.appendInterpolation(unsafeRaw: " AND state = ")
            sql.appendInterpolation(bind: state.rawValue)
        }
        if let text = filter.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = "%" + text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            sql.appendInterpolation(unsafeRaw: " AND (title LIKE ")
            sql.appendInterpolation(bind: pattern)
            sql.appendInterpolation(unsafeRaw: " OR tracking_code LIKE ")
            sql.appendInterpolation(bind: pattern.uppercased())
            sql.appendInterpolation(unsafeRaw: ")")
        }
        return sql
    }

    /// Whether these organizations handle a quarter or more of all cases, by the running totals.
    private func holdsLargeShare(_ organizations: [UUID]) async throws -> Bool {
        let sql = try db.sql()
        let all =
            try await sql.raw("SELECT CAST(COALESCE(SUM(volume), 0) AS BIGINT) AS n FROM servicehall_case_totals").first()?
            .decode(column: "n", as: Int.self) ?? 0
        guard all > 0 else { return false }
        var mine = SQLQueryString(
            "SELECT CAST(COALESCE(SUM(volume), 0) AS BIGINT) AS n FROM servicehall_case_totals WHERE organization_id IN (")
        mine.appendInterpolation(binds: organizations)
        mine.appendInterpolation(unsafeRaw: ")")
        let share = try await sql.raw(mine).first()?.decode(column: "n", as: Int.self) ?? 0
        return share * 4 >= all
    }

    private func load(_ ids: [UUID]) async throws -> [ServiceCase] {
        guard !ids.isEmpty else { return [] }
        let records = try await ServiceCase.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: records.compactMap { r in r.id.map { ($0, r) } })
        return ids.compactMap { byID[$0] }
    }
}

/// One row of a case list: the columns the queue shows, and the name of the case's unit, read without
/// a Fluent model.
struct CaseListing: Sendable {
    static let columns =
        "id, tracking_code, type, title, state, received_on, accept_due, answer_due, organization_id, "
        + "(SELECT name FROM platform_organizations o WHERE o.id = servicehall_cases.organization_id) AS unit_name"

    let id: UUID
    let trackingCode: String
    let type: CaseType
    let title: String
    let state: ServiceHallCaseWorkflow.State
    let receivedOn: Day
    let acceptDue: Day
    let answerDue: Day?
    let organizationID: UUID
    let unitName: String

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        trackingCode = try row.decode(column: "tracking_code", as: String.self)
        type = try row.decode(column: "type", as: CaseType.self)
        title = try row.decode(column: "title", as: String.self)
        state = try row.decode(column: "state", as: ServiceHallCaseWorkflow.State.self)
        receivedOn = try row.decode(column: "received_on", as: Day.self)
        acceptDue = try row.decode(column: "accept_due", as: Day.self)
        answerDue = try row.decode(column: "answer_due", as: Day?.self)
        organizationID = try row.decode(column: "organization_id", as: UUID.self)
        unitName = try row.decode(column: "unit_name", as: String?.self) ?? ""
    }
}
