import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The module's registry metrics per organization subtree and period; Plans binds targets to them.
/// Each counts by its own day (published, pushed, proposed, signed, landed), as the figures page does.
enum InnovationMetrics {
    static let all: [MetricDefinition] = definitions.map { $0.batched(batch) }

    /// The seven figures in three aggregates: postings published, pushes, dockings (each counted by its
    /// own day, joined to its demand as the lists are).
    static let batch = MetricBatch(id: "innovation") { query, db in
        let sql = try db.sql()
        let path = query.organization.path + "%"
        let first = query.firstDay.description
        let last = query.lastDay.description
        var values: [String: Double] = [:]
        for row in try await sql.raw(
            """
            SELECT p.kind, COUNT(*) AS n FROM innovation_postings p JOIN platform_organizations o ON o.id = p.organization_id \
            WHERE o.path LIKE \(bind: path) AND p.published_on >= \(bind: first) AND p.published_on <= \(bind: last) GROUP BY p.kind
            """
        ).all() {
            let kind = try row.decode(column: "kind", as: String.self)
            let id = kind == Posting.Kind.supply.rawValue ? "innovation.supplies.published" : "innovation.demands.published"
            values[id] = Double(try row.decode(column: "n", as: Int.self))
        }
        let pushes = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM innovation_match_pushes m JOIN platform_organizations o ON o.id = m.organization_id \
            JOIN innovation_postings dm ON dm.id = m.demand_id \
            WHERE o.path LIKE \(bind: path) AND m.pushed_on >= \(bind: first) AND m.pushed_on <= \(bind: last)
            """
        ).first()
        values["innovation.matches.pushed"] = Double(try pushes?.decode(column: "n", as: Int?.self) ?? 0)
        let dockings = try await sql.raw(
            """
            SELECT SUM(CASE WHEN d.proposed_on >= \(bind: first) AND d.proposed_on <= \(bind: last) THEN 1 ELSE 0 END) AS proposed, \
            SUM(CASE WHEN d.signed_on >= \(bind: first) AND d.signed_on <= \(bind: last) THEN 1 ELSE 0 END) AS signed, \
            SUM(CASE WHEN d.landed_on >= \(bind: first) AND d.landed_on <= \(bind: last) THEN 1 ELSE 0 END) AS landed, \
            CAST(SUM(CASE WHEN d.signed_on >= \(bind: first) AND d.signed_on <= \(bind: last) THEN COALESCE(d.contract_amount, 0) ELSE 0 END) \
            AS DOUBLE PRECISION) AS amount \
            FROM innovation_dockings d JOIN platform_organizations o ON o.id = d.organization_id \
            JOIN innovation_postings dm ON dm.id = d.demand_id WHERE o.path LIKE \(bind: path)
            """
        ).first()
        values["innovation.dockings.proposed"] = Double(try dockings?.decode(column: "proposed", as: Int?.self) ?? 0)
        values["innovation.dockings.signed"] = Double(try dockings?.decode(column: "signed", as: Int?.self) ?? 0)
        values["innovation.dockings.landed"] = Double(try dockings?.decode(column: "landed", as: Int?.self) ?? 0)
        values["innovation.contracts.amount"] = try dockings?.decode(column: "amount", as: Double?.self) ?? 0
        return values
    }

    private static let definitions: [MetricDefinition] = [
        postings("innovation.supplies.published", "发布技术供给（项）", kind: .supply),
        postings("innovation.demands.published", "发布技术需求（项）", kind: .demand),
        .counting(
            id: "innovation.matches.pushed", label: "推送供需匹配（次）", unit: "次", permission: InnovationPermission.figures,
            query: { query, db in
                MatchPush.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$pushedOn)
                    .join(Posting.self, on: \MatchPush.$demandID == \Posting.$id)
            },
            record: { push in
                MetricRecord(
                    id: try push.requireID(), title: try push.joined(Posting.self).title, day: push.pushedOn.description,
                    organization: try push.joined(Organization.self).name, link: InnovationRoutes.posting(push.demandID))
            }),
        dockings("innovation.dockings.proposed", "发起供需对接（次）", "次") { query, db in
            Docking.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$proposedOn)
        },
        dockings("innovation.dockings.signed", "促成签约项目（个）", "个") { query, db in
            Docking.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$signedOn)
        },
        dockings("innovation.dockings.landed", "落地项目（个）", "个") { query, db in
            Docking.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$landedOn)
        },
        MetricDefinition(id: "innovation.contracts.amount", label: "签约合同金额（万元）", unit: "万元") { query, db in
            try await Docking.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$signedOn)
                .all().reduce(0) { $0 + ($1.contractAmount ?? 0) }
        },
    ]

    private static func postings(_ id: String, _ label: String, kind: Posting.Kind) -> MetricDefinition {
        .counting(
            id: id, label: label, unit: "项", permission: InnovationPermission.figures,
            query: { query, db in
                Posting.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).filter(\.$kind == kind)
                    .within(query.period, \.$publishedOn)
            },
            record: { posting in
                MetricRecord(
                    id: try posting.requireID(), title: posting.title, day: posting.publishedOn?.description,
                    organization: try posting.joined(Organization.self).name, link: InnovationRoutes.posting(try posting.requireID()))
            })
    }

    /// A docking is listed under its demand's title.
    private static func dockings(
        _ id: String, _ label: String, _ unit: String,
        query: @escaping @Sendable (MetricDefinition.Query, any Database) -> QueryBuilder<Docking>
    ) -> MetricDefinition {
        .counting(
            id: id, label: label, unit: unit, permission: InnovationPermission.figures,
            query: { q, db in query(q, db).join(Posting.self, on: \Docking.$demandID == \Posting.$id) },
            record: { docking in
                MetricRecord(
                    id: try docking.requireID(), title: try docking.joined(Posting.self).title, day: docking.proposedOn.description,
                    organization: try docking.joined(Organization.self).name, link: InnovationRoutes.docking(try docking.requireID()))
            })
    }
}
