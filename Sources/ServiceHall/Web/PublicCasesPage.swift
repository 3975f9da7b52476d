import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

struct PublicCasesPage: Sendable {
    struct Row: Encodable, Sendable {
        let type: String
        let title: String
        let receivedOn: String
        let answer: String
        let adopted: Bool
    }

    let shell: PageShell
    let list: ListChrome
    let rows: [Row]
}

/// 公开答复: answered cases whose requesters agreed to publication — title, type, date, answer and
/// adoption; never the requester, the contact or the original text.
struct PublicCasesController {

    func register(_ publicWeb: any RoutesBuilder) {
        publicWeb.get(ServiceHallRoutes.publicCases, use: list)
    }

    func list(_ req: Request) async throws -> Response {
        let params = try ListParameters(request: req, path: ServiceHallRoutes.publicCases(), keys: [])
        var query = ServiceCase.query(on: req.db).filter(\.$isPublic == true)
            .filter(\.$state ~~ [ServiceHallCaseWorkflow.State.answered, .closed])
            .filter(\.$answer != nil)
        if let q = params.search { query = query.filter(\.$title ~~ q) }
        let total = try await query.count(\.$id)
        let rows = try await query.sort(\.$submittedAt, .descending).sort(\.$id).range(params.offset..<(params.offset + params.pageSize))
            .all()
        return try await PublicCasesPage(
            shell: await PageShell.build(for: req, title: "公开答复"), list: params.chrome(total: total),
            rows: rows.map {
                .init(
                    type: $0.type.label, title: $0.title, receivedOn: $0.receivedOn.description, answer: $0.answer ?? "",
                    adopted: $0.adoptedOn != nil)
            }
        ).render(req)
    }
}

/// Figures for Plans and the dashboard, per organization subtree and period (cases received there
/// within it; an adopted suggestion counts in the period it was received, as the yearly report does).
enum ServiceHallMetrics {
    static let all: [MetricDefinition] = definitions.map { $0.batched(batch) }

    /// The three figures from one aggregate over the subtree's cases received in the period.
    static let batch = MetricBatch(id: "servicehall.cases") { query, db in
        let row = try await db.sql().raw(
            """
            SELECT COUNT(*) AS received, SUM(CASE WHEN c.adopted_on IS NOT NULL THEN 1 ELSE 0 END) AS adopted, \
            CAST(AVG(c.rating) AS DOUBLE PRECISION) AS rating \
            FROM servicehall_cases c JOIN platform_organizations o ON o.id = c.organization_id \
            WHERE o.path LIKE \(bind: query.organization.path + "%") \
            AND c.received_on >= \(bind: query.firstDay.description) AND c.received_on <= \(bind: query.lastDay.description)
            """
        ).first()
        return [
            "servicehall.cases.received": Double(try row?.decode(column: "received", as: Int?.self) ?? 0),
            "servicehall.suggestions.adopted": Double(try row?.decode(column: "adopted", as: Int?.self) ?? 0),
            "servicehall.satisfaction.average": try row?.decode(column: "rating", as: Double?.self) ?? 0,
        ]
    }

    private static let definitions: [MetricDefinition] = [
        cases("servicehall.cases.received", "受理的诉求与建议") { query, db in scoped(query, db) },
        cases("servicehall.suggestions.adopted", "被采纳的建议") { query, db in scoped(query, db).filter(\.$adoptedOn != nil) },
        MetricDefinition(id: "servicehall.satisfaction.average", label: "诉求办理满意度平均分", unit: "分") { query, db in
            let ratings = try await scoped(query, db).filter(\.$rating != nil).all().compactMap(\.rating)
            return ratings.isEmpty ? 0 : Double(ratings.reduce(0, +)) / Double(ratings.count)
        },
    ]

    private static func cases(
        _ id: String, _ label: String, query: @escaping @Sendable (MetricDefinition.Query, any Database) -> QueryBuilder<ServiceCase>
    ) -> MetricDefinition {
        .counting(
            id: id, label: label, unit: "件", permission: ServiceHallPermission.handle, query: query,
            order: { $0.sort(\.$receivedOn, .descending).sort(\.$id, .descending) }
        ) { record in
            MetricRecord(
                id: try record.requireID(), title: record.title, day: record.receivedOn.description,
                organization: try record.joined(Organization.self).name, link: ServiceHallRoutes.serviceCase(try record.requireID()))
        }
    }

    private static func scoped(_ query: MetricDefinition.Query, _ db: any Database) -> QueryBuilder<ServiceCase> {
        ServiceCase.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$receivedOn)
    }
}
