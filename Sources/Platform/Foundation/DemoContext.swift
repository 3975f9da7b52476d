import Fluent
import Foundation
import KexieKit
import SQLKit

/// What a module's part of the demo province gets (`KexieModule.loadDemoProvince`): the services, a
/// seeded generator per module (the same data on every run), the demo accounts as actors, and the
/// services with the clock pinned to a past moment, so records made through the modules' own services
/// are spread over the past months as real ones would be.
public struct DemoContext: Sendable {
    public let services: PlatformServices
    /// The moment the demo is loaded (the injected clock); dates are spread relative to it.
    public let now: Date

    public init(services: PlatformServices) {
        self.services = services
        now = services.clock()
    }

    public var today: Day { Day.today(now: now) }

    /// A generator seeded by `name` (the module id and what it draws for): the same sequence on every run.
    public func random(_ name: String) -> SeededRandom { SeededRandom(seed: "kexie-demo:" + name) }

    /// The services as they would be `daysAgo` days (and `minutes` more) before the load.
    public func services(daysAgo: Int, minutes: Int = 0) -> PlatformServices {
        let moment = now.addingTimeInterval(-Double(daysAgo) * 86_400 - Double(minutes) * 60)
        return services.with(clock: { moment })
    }

    /// A demo account as the actor its pages would have (its first grant acting).
    public func actor(_ username: String, on db: any Database) async throws -> Actor {
        guard let user = try await User.query(on: db).filter(\.$username == username).first() else {
            throw PlatformError.notFound
        }
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: services.registry.roles, on: db)
    }

    /// Rows written 200 to a statement, as the people import writes them (a value nil is NULL).
    public func insert(
        into table: String, columns: [String], rows: [[(any Encodable & Sendable)?]], on db: any Database
    ) async throws {
        let sql = try db.sql()
        for start in stride(from: 0, to: rows.count, by: 200) {
            var insert = sql.insert(into: table).columns(columns)
            for row in rows[start..<min(rows.count, start + 200)] {
                precondition(row.count == columns.count, "\(table): \(row.count) values for \(columns.count) columns")
                insert = insert.values(row.map { value in value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null })
            }
            try await insert.run()
        }
    }

    /// One audit row for what a module's demo wrote in bulk (as the people import records one per file).
    public func audit(_ entityType: String, count: Int, summary: String, on db: any Database) async throws {
        try await services.audit.record(
            AuditEvent(action: "demo.load", entityType: entityType, entityID: "", summary: "载入演示数据：\(summary)（\(count) 条）"),
            on: db)
    }
}
