import Fluent
import Foundation
import KexieApp
import KexieKit
import SQLKit
import XCTVapor

@testable import Platform

/// The move of case attachments and plan evidence into `platform_files`: a database with every migration
/// before it, rows written into the old tables the way the previous release wrote them (raw SQL), then
/// the migrations; and back. Runs on SQLite, and on PostgreSQL with DATABASE_URL set.
final class StoredFileMigrationTests: UnmigratedTestCase {
    static let fileMigrations = [
        "2026_12_07_1500_platform_files", "2026_12_07_1510_servicehall_attachments_to_platform_files",
        "2026_12_07_1520_plans_evidence_to_platform_files",
    ]

    let organization = UUID(uuidString: "0A000000-0000-0000-0000-000000000001")!
    let requester = UUID(uuidString: "0B000000-0000-0000-0000-000000000001")!
    let reporter = UUID(uuidString: "0B000000-0000-0000-0000-000000000002")!
    let caseID = UUID(uuidString: "0C000000-0000-0000-0000-000000000001")!
    let attachment = UUID(uuidString: "0D000000-0000-0000-0000-000000000001")!
    let plan = UUID(uuidString: "0E000000-0000-0000-0000-000000000001")!
    let task = UUID(uuidString: "0E000000-0000-0000-0000-000000000002")!
    let report = UUID(uuidString: "0E000000-0000-0000-0000-000000000003")!
    let evidence = UUID(uuidString: "0F000000-0000-0000-0000-000000000001")!
    let created = Date(timeIntervalSince1970: 1_790_000_000)
    let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)
    let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])

    private func insertRowsOfBefore() async throws {
        let sql = try app.db.sql()
        let emptyList: SQLQueryString = sql.dialect.name == "sqlite" ? "'[]'" : "'{}'"
        try await sql.raw(
            """
            INSERT INTO platform_organizations (id, name, kind, path, depth, is_active) \
            VALUES (\(bind: organization), '云海省科学技术协会', 'association', \(bind: "/\(organization.uuidString.lowercased())/"), 0, \(bind: true))
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO platform_users (id, username, display_name, password_hash, is_active, must_change_password) \
            VALUES (\(bind: requester), 'qianqi', '钱七', 'x', \(bind: true), \(bind: false))
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO servicehall_cases (id, tracking_code, type, title, content, is_public, state, requester_user_id, contact_name, \
            contact_phone_cipher, contact_phone_lookup, submitter_lookup, organization_id, submitted_at, received_on, accept_due, \
            due_provisional, co_department_ids) \
            VALUES (\(bind: caseID), 'AAAA2222BBBB', 'rights', '成果被冒用', '附上证明材料', \(bind: false), 'pending', \(bind: requester), \
            '钱七', 'v1:x', 'lookup', 'submitter', \(bind: organization), \(bind: created), '2026-09-21', '2026-09-28', \(bind: false), \
            \(emptyList))
            """
        ).run()
        try await sql.insert(into: "servicehall_attachments")
            .columns("id", "case_id", "file_name", "kind", "size", "content", "created_at")
            .values(SQLBind(attachment), SQLBind(caseID), SQLBind("证明.pdf"), SQLBind("pdf"), SQLBind(47), SQLBind(pdf), SQLBind(created))
            .run()
        try await sql.raw(
            """
            INSERT INTO plans_plans (id, organization_id, title, year, status, cadence, file_name, weight_completion, weight_timeliness, \
            weight_quality, created_by) VALUES (\(bind: plan), \(bind: organization), '2026年工作要点', 2026, 'active', 'monthly', \
            '要点.docx', 60, 20, 20, \(bind: reporter))
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO plans_tasks (id, plan_id, sequence, section, label, heading, source_text, lead_names, co_names, included, state, \
            percent) VALUES (\(bind: task), \(bind: plan), 1, '一', '1', '实施科普惠民行动', '实施科普惠民行动', '科普部', '', \
            \(bind: true), 'open', 40)
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO plans_progress_reports (id, task_id, plan_id, period, percent, narrative, reporter_id, reporter_name, reported_on, \
            created_at) VALUES (\(bind: report), \(bind: task), \(bind: plan), '2026-09', 40, '已举办8场', \(bind: reporter), '王五', \
            '2026-09-21', \(bind: created))
            """
        ).run()
        try await sql.insert(into: "plans_evidence")
            .columns("id", "report_id", "task_id", "file_name", "kind", "size", "content", "created_at")
            .values(
                SQLBind(evidence), SQLBind(report), SQLBind(task), SQLBind("活动照片.png"), SQLBind("png"), SQLBind(12), SQLBind(png),
                SQLBind(created)
            )
            .run()
    }

    func testTheOldFilesMoveSealedIntoPlatformFilesAndTheOldTablesGo() async throws {
        try await migrate(allBut: Self.fileMigrations)
        try await insertRowsOfBefore()
        try await app.autoMigrate()

        let files = try await StoredFile.query(on: app.db).sort(\.$id).all()
        XCTAssertEqual(files.compactMap(\.id), [attachment, evidence], "ids are kept")
        XCTAssertEqual(files.map(\.ownerModule), ["servicehall", "plans"])
        XCTAssertEqual(files.map(\.ownerType), ["case", "plan_report"])
        XCTAssertEqual(files.map(\.ownerID), [caseID, report])
        XCTAssertEqual(files.map(\.organizationID), [organization, organization])
        XCTAssertEqual(files.map(\.uploadedBy), [requester, reporter])
        XCTAssertEqual(files.map(\.fileName), ["证明.pdf", "活动照片.png"])
        XCTAssertEqual(files.map(\.kind), [.pdf, .png])
        XCTAssertEqual(files.map(\.size), [47, 12])
        XCTAssertEqual(files.map(\.sha256), [Digest.sha256Hex(pdf), Digest.sha256Hex(png)])
        XCTAssertEqual(files.map(\.createdAt), [created, created])
        XCTAssertEqual(files.map(\.retainUntil), [Date(timeIntervalSince1970: 1_790_000_000 + 1095 * 86_400), nil])
        XCTAssertNotEqual(files[0].content, pdf, "sealed")
        XCTAssertNil(files[0].content.range(of: Data("%PDF".utf8)))
        XCTAssertEqual(try files.map { try app.platform.secrets.open($0.content) }, [pdf, png])

        let sql = try app.db.sql()
        for table in ["servicehall_attachments", "plans_evidence"] {
            do {
                _ = try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()
                XCTFail("\(table) is still there")
            } catch {}
        }
    }

    /// Up, down, up: the way back restores the old tables with the plain content, the way forward again
    /// gives the same stored files.
    func testTheMoveRevertsAndAppliesAgain() async throws {
        try await migrate(allBut: Self.fileMigrations)
        try await insertRowsOfBefore()
        try await app.autoMigrate()
        try await revertLastBatch()

        let sql = try app.db.sql()
        let attachments = try await sql.raw("SELECT id, case_id, file_name, kind, size, content FROM servicehall_attachments").all()
        XCTAssertEqual(try attachments.map { try $0.decode(column: "case_id", as: UUID.self) }, [caseID])
        XCTAssertEqual(try attachments.map { try $0.decode(column: "file_name", as: String.self) }, ["证明.pdf"])
        XCTAssertEqual(try attachments.map { try $0.decode(column: "content", as: Data.self) }, [pdf])
        let evidence = try await sql.raw("SELECT id, report_id, task_id, content FROM plans_evidence").all()
        XCTAssertEqual(try evidence.map { try $0.decode(column: "task_id", as: UUID.self) }, [task])
        XCTAssertEqual(try evidence.map { try $0.decode(column: "content", as: Data.self) }, [png])

        try await app.autoMigrate()
        let files = try await StoredFile.query(on: app.db).sort(\.$id).all()
        XCTAssertEqual(files.compactMap(\.id), [attachment, self.evidence])
        XCTAssertEqual(try files.map { try app.platform.secrets.open($0.content) }, [pdf, png])
    }
}
