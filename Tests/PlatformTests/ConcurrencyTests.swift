import Fluent
import Foundation
import XCTVapor

@testable import Platform

/// Several writers at once must neither fail nor fork the audit chain: SQLite serializes writers in
/// process, PostgreSQL orders audit appends with an advisory lock.
final class ConcurrencyTests: DemoTestCase {
    func testConcurrentChangesKeepTheAuditChainIntact() async throws {
        let actor = try await Actor.load(
            user: try await User.query(on: app.db).filter(\.$username == "demo.orgadmin").first()!, preferredGrantID: nil,
            catalog: app.platform.registry.roles, on: app.db)
        let services = app.platform
        let db = app.db
        let parent = try demo.province.requireID()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask {
                    let service = OrganizationService(db: db, services: services)
                    _ = try await service.create(.init(name: "并发学会\(index)", kind: .society, level: nil, parentID: parent), actor: actor)
                }
            }
            try await group.waitForAll()
        }
        let created = try await Organization.query(on: app.db).filter(\.$name =~ "并发学会").count()
        XCTAssertEqual(created, 24)
        let creates = try await AuditEntry.query(on: app.db).filter(\.$action == "create").filter(\.$entityType == "organization").count()
        XCTAssertGreaterThanOrEqual(creates, 24 + 29)
        let result = try await AuditLog.verify(on: app.db)
        XCTAssertNil(result.problem)
    }
}
