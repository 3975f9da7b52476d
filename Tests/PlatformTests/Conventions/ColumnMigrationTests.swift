import Fluent
import Foundation
import KexieApp
import KexieKit
import SQLKit
import XCTVapor

@testable import Innovation
@testable import Members
@testable import Platform
@testable import ServiceHall

/// Typed columns (issue 14) on a database made before them: the schema of every migration but the
/// ones that retired the comma lists, rows written the way that code wrote them (comma text, states
/// and days as plain text), then the new migrations. Runs on SQLite, and on PostgreSQL with
/// DATABASE_URL set.
final class ColumnMigrationTests: UnmigratedTestCase {
    /// The migrations that convert the comma lists; a database from before them has all the others.
    static let listMigrations = [
        "2026_12_07_1400_platform_calendar_override_day_lists", "2026_12_07_1410_servicehall_list_columns",
        "2026_12_07_1420_innovation_posting_lists", "2026_12_07_1430_members_expert_roles_fields",
    ]

    let organization = UUID(uuidString: "0A000000-0000-0000-0000-000000000001")!
    let person = UUID(uuidString: "0A000000-0000-0000-0000-000000000002")!
    let departmentA = UUID(uuidString: "0B000000-0000-0000-0000-00000000000A")!
    let departmentB = UUID(uuidString: "0B000000-0000-0000-0000-00000000000B")!
    let caseWithHelpers = UUID(uuidString: "0C000000-0000-0000-0000-000000000001")!
    let caseAlone = UUID(uuidString: "0C000000-0000-0000-0000-000000000002")!
    let ruleWithLists = UUID(uuidString: "0D000000-0000-0000-0000-000000000001")!
    let ruleAnyType = UUID(uuidString: "0D000000-0000-0000-0000-000000000002")!
    let supply = UUID(uuidString: "0E000000-0000-0000-0000-000000000001")!
    let demand = UUID(uuidString: "0E000000-0000-0000-0000-000000000002")!
    let expert = UUID(uuidString: "0F000000-0000-0000-0000-000000000001")!
    let restOnly = UUID(uuidString: "1A000000-0000-0000-0000-000000000001")!
    let both = UUID(uuidString: "1A000000-0000-0000-0000-000000000002")!

    /// Rows as that code wrote them, in plain SQL.
    private func insertRowsOfBefore() async throws {
        let sql = try app.db.sql()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        try await sql.raw(
            """
            INSERT INTO platform_organizations (id, name, kind, path, depth, is_active) \
            VALUES (\(bind: organization), '云海省科学技术协会', 'association', \(bind: "/\(organization.uuidString.lowercased())/"), 0, \(bind: true))
            """
        ).run()
        for (id, name) in [(departmentA, "科普部"), (departmentB, "学会部")] {
            try await sql.raw(
                "INSERT INTO platform_departments (id, organization_id, name, is_active) VALUES (\(bind: id), \(bind: organization), \(bind: name), \(bind: true))"
            ).run()
        }
        try await sql.raw(
            """
            INSERT INTO platform_people (id, organization_id, name, sex, birth_month, phone_cipher, phone_lookup, verification) \
            VALUES (\(bind: person), \(bind: organization), '林海峰', 'male', '1980-05', 'v1:x', 'lookup', 'verified')
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO platform_calendar_overrides (id, region, rest_days, workdays) VALUES \
            (\(bind: restOnly), '469024', '2027-04-09,2027-04-10', ''), (\(bind: both), '460000', '2027-10-08', '2027-10-09')
            """
        ).run()
        for (id, code, helpers) in [
            (caseWithHelpers, "AAAA2222BBBB", "\(departmentA.uuidString),\(departmentB.uuidString)"), (caseAlone, "CCCC3333DDDD", nil),
        ] as [(UUID, String, String?)] {
            try await sql.raw(
                """
                INSERT INTO servicehall_cases (id, tracking_code, type, title, content, is_public, state, contact_name, \
                contact_phone_cipher, contact_phone_lookup, submitter_lookup, organization_id, department_id, submitted_at, \
                received_on, accept_due, due_provisional, co_department_ids, accepted_on, answer_due) \
                VALUES (\(bind: id), \(bind: code), 'legal', '专利被侵权怎么办', '咨询维权途径', \(bind: false), 'in_progress', '张三', \
                'v1:x', 'lookup', 'submitter', \(bind: organization), \(bind: departmentA), \(bind: now), '2026-11-20', '2026-11-27', \
                \(bind: false), \(bind: helpers), '2026-11-23', '2026-12-14')
                """
            ).run()
        }
        try await sql.raw(
            """
            INSERT INTO servicehall_routing_rules (id, organization_id, case_types, keywords, target_organization_id, priority, is_active) \
            VALUES (\(bind: ruleWithLists), \(bind: organization), 'legal,rights', '专利,知识产权', \(bind: organization), 10, \(bind: true)), \
            (\(bind: ruleAnyType), \(bind: organization), '', '科普', \(bind: organization), 0, \(bind: true))
            """
        ).run()
        for (id, kind, modes, keywords) in [
            (supply, "supply", "license,joint", "割胶,天然橡胶,胶园"), (demand, "demand", "", ""),
        ] {
            try await sql.raw(
                """
                INSERT INTO innovation_postings (id, kind, state, title, summary, public_detail, confidential_detail, patents, \
                cooperation_modes, owner_kind, owner_name, organization_id, owner_user_id, region, keywords, indicators, \
                ip_ownership, solver_conditions, contact_name, contact_phone, published_on) \
                VALUES (\(bind: id), \(bind: kind), 'published', '天然橡胶树低频割胶技术', '割胶频率减半', '', '', '', \(bind: modes), \
                'society', '云海省热带作物学会', \(bind: organization), \(bind: UUID()), '云海省', \(bind: keywords), '', '', '', '', '', \
                '2026-11-01')
                """
            ).run()
        }
        try await sql.raw(
            """
            INSERT INTO members_experts (id, organization_id, person_id, roles, fields, availability) \
            VALUES (\(bind: expert), \(bind: organization), \(bind: person), 'review,think_tank', '210,110', 'available')
            """
        ).run()
    }

    func testCommaListsBecomeListsAndRowsAndTheOtherColumnsReadAsTyped() async throws {
        try await migrate(allBut: Self.listMigrations)
        try await insertRowsOfBefore()
        try await app.autoMigrate()
        let db = app.db

        let overrides = try await CalendarOverrideRecord.query(on: db).all()
        let restOnly = try XCTUnwrap(overrides.first { $0.id == self.restOnly })
        XCTAssertEqual(restOnly.restDays, [Day("2027-04-09"), Day("2027-04-10")].compactMap { $0 })
        XCTAssertEqual(restOnly.workdays, [])
        let both = try XCTUnwrap(overrides.first { $0.id == self.both })
        XCTAssertEqual(both.restDays.map(\.description), ["2027-10-08"])
        XCTAssertEqual(both.workdays.map(\.description), ["2027-10-09"])

        let helped = try await XCTUnwrapAsync(try await ServiceCase.find(caseWithHelpers, on: db))
        XCTAssertEqual(helped.coDepartmentIDs, [departmentA, departmentB])
        XCTAssertEqual(helped.state, .inProgress)
        XCTAssertEqual(helped.type, .legal)
        XCTAssertEqual(helped.receivedOn, Day(year: 2026, month: 11, day: 20))
        XCTAssertEqual(helped.answerDue, Day(year: 2026, month: 12, day: 14))
        XCTAssertNil(helped.closedOn)
        let alone = try await XCTUnwrapAsync(try await ServiceCase.find(caseAlone, on: db))
        XCTAssertEqual(alone.coDepartmentIDs, [])

        let rule = try await XCTUnwrapAsync(try await RoutingRuleRecord.find(ruleWithLists, on: db))
        XCTAssertEqual(rule.caseTypes, [.legal, .rights])
        XCTAssertEqual(rule.keywords, ["专利", "知识产权"])
        let anyType = try await XCTUnwrapAsync(try await RoutingRuleRecord.find(ruleAnyType, on: db))
        XCTAssertEqual(anyType.caseTypes, [])
        XCTAssertEqual(anyType.keywords, ["科普"])

        let postings = try await Posting.query(on: db).sort(\.$id).all()
        try await PostingModes.load(postings, on: db)
        XCTAssertEqual(postings.map(\.modes), [[.license, .joint], []])
        XCTAssertEqual(postings.map(\.keywords), [["割胶", "天然橡胶", "胶园"], []])
        XCTAssertEqual(postings.map(\.kind), [.supply, .demand])
        XCTAssertEqual(postings.first?.publishedOn, Day(year: 2026, month: 11, day: 1))
        // The supply list's mode filter finds the supply through its mode rows.
        let licensed = try await Posting.query(on: db).join(PostingMode.self, on: \Posting.$id == \PostingMode.$posting.$id)
            .filter(PostingMode.self, \.$mode == .license).all()
        XCTAssertEqual(licensed.compactMap(\.id), [supply])

        let entry = try await XCTUnwrapAsync(try await Expert.find(expert, on: db))
        try await ExpertLists.load([entry], on: db)
        XCTAssertEqual(entry.roles, [.review, .thinkTank])
        XCTAssertEqual(entry.fields, ["210", "110"])
        XCTAssertEqual(entry.availability, .available)
        let byField = try await Expert.query(on: db).join(ExpertFieldRecord.self, on: \Expert.$id == \ExpertFieldRecord.$expert.$id)
            .filter(ExpertFieldRecord.self, \.$field == "110").all()
        XCTAssertEqual(byField.compactMap(\.id), [expert])
    }

    /// Up, down, up: the way back restores the comma text the old code reads, and the way forward again
    /// gives the same lists.
    func testTheListMigrationsRevertToCommaTextAndApplyAgain() async throws {
        try await migrate(allBut: Self.listMigrations)
        try await insertRowsOfBefore()
        try await app.autoMigrate()
        try await revertLastBatch()

        let sql = try app.db.sql()
        func text(_ table: String, _ column: String) async throws -> [String?] {
            try await sql.raw("SELECT \(ident: column) AS value FROM \(ident: table) ORDER BY id").all().map {
                try $0.decode(column: "value", as: String?.self)
            }
        }
        let restDays = try await text("platform_calendar_overrides", "rest_days")
        XCTAssertEqual(restDays, ["2027-04-09,2027-04-10", "2027-10-08"])
        let workdays = try await text("platform_calendar_overrides", "workdays")
        XCTAssertEqual(workdays, ["", "2027-10-09"])
        let helpers = try await text("servicehall_cases", "co_department_ids")
        XCTAssertEqual(helpers, ["\(departmentA.uuidString),\(departmentB.uuidString)", nil])
        let caseTypes = try await text("servicehall_routing_rules", "case_types")
        XCTAssertEqual(caseTypes, ["legal,rights", ""])
        let ruleKeywords = try await text("servicehall_routing_rules", "keywords")
        XCTAssertEqual(ruleKeywords, ["专利,知识产权", "科普"])
        let modes = try await text("innovation_postings", "cooperation_modes")
        XCTAssertEqual(modes, ["license,joint", ""])
        let postingKeywords = try await text("innovation_postings", "keywords")
        XCTAssertEqual(postingKeywords, ["割胶,天然橡胶,胶园", ""])
        let roles = try await text("members_experts", "roles")
        XCTAssertEqual(roles, ["review,think_tank"])
        let fields = try await text("members_experts", "fields")
        XCTAssertEqual(fields, ["210,110"])

        try await app.autoMigrate()
        let again = try await XCTUnwrapAsync(try await ServiceCase.find(caseWithHelpers, on: app.db))
        XCTAssertEqual(again.coDepartmentIDs, [departmentA, departmentB])
        let entry = try await XCTUnwrapAsync(try await Expert.find(expert, on: app.db))
        try await ExpertLists.load([entry], on: app.db)
        XCTAssertEqual(entry.fields, ["210", "110"])
    }
}

/// `XCTUnwrap` for an awaited value.
func XCTUnwrapAsync<T>(_ value: @autoclosure () async throws -> T?, file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let result = try await value()
    return try XCTUnwrap(result, file: file, line: line)
}
