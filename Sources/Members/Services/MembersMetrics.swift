import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Figures the Members module publishes for Plans and the dashboard. Registered people and experts
/// are stocks (as they stand); new members are counted by the day they joined.
enum MembersMetrics {
    static let all: [MetricDefinition] = definitions.map { $0.batched(batch) }

    /// The five figures in three aggregates: people, memberships, expert entries of the subtree.
    static let batch = MetricBatch(id: "members") { query, db in
        let sql = try db.sql()
        let path = query.organization.path + "%"
        let people = try await sql.raw(
            """
            SELECT COUNT(*) AS total, SUM(CASE WHEN p.verification = \(bind: PersonVerification.verified.rawValue) THEN 1 ELSE 0 END) AS verified \
            FROM platform_people p JOIN platform_organizations o ON o.id = p.organization_id WHERE o.path LIKE \(bind: path)
            """
        ).first()
        let members = try await sql.raw(
            """
            SELECT SUM(CASE WHEN m.status = \(bind: MembershipStatus.active.rawValue) THEN 1 ELSE 0 END) AS active, \
            SUM(CASE WHEN m.joined_on >= \(bind: query.firstDay.description) AND m.joined_on <= \(bind: query.lastDay.description) \
            THEN 1 ELSE 0 END) AS joined \
            FROM members_memberships m JOIN platform_organizations o ON o.id = m.organization_id WHERE o.path LIKE \(bind: path)
            """
        ).first()
        let experts = try await sql.raw(
            """
            SELECT COUNT(*) AS n FROM members_experts e JOIN platform_organizations o ON o.id = e.organization_id \
            JOIN platform_people p ON p.id = e.person_id WHERE o.path LIKE \(bind: path)
            """
        ).first()
        func number(_ row: (any SQLRow)?, _ column: String) throws -> Double { Double(try row?.decode(column: column, as: Int?.self) ?? 0) }
        return [
            "members.people.total": try number(people, "total"), "members.people.verified": try number(people, "verified"),
            "members.members.active": try number(members, "active"), "members.members.new": try number(members, "joined"),
            "members.experts.total": try number(experts, "n"),
        ]
    }

    private static let definitions: [MetricDefinition] = [
        people("members.people.total", "登记的科技工作者") { query, db in
            Person.query(on: db).inSubtree(of: query.organization, via: \.$organizationID)
        },
        people("members.people.verified", "已实名核验的科技工作者") { query, db in
            Person.query(on: db).inSubtree(of: query.organization, via: \.$organizationID)
                .filter(\.$verification == PersonVerification.verified.rawValue)
        },
        memberships("members.members.active", "学会有效会员", span: .stock) { query, db in
            Membership.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).filter(\.$status == MembershipStatus.active)
        },
        memberships("members.members.new", "学会当年新发展会员", span: .flow) { query, db in
            Membership.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).within(query.period, \.$joinedOn)
        },
        .counting(
            id: "members.experts.total", label: "入库专家", unit: "人", span: .stock, permission: MembersPermission.rolesManage,
            query: { query, db in
                Expert.query(on: db).inSubtree(of: query.organization, via: \.$organizationID).join(
                    Person.self, on: \Expert.$personID == \Person.$id)
            },
            record: { expert in
                MetricRecord(
                    id: try expert.requireID(), title: try expert.joined(Person.self).name, day: nil,
                    organization: try expert.joined(Organization.self).name, link: MembersRoutes.person(expert.personID))
            }),
    ]

    private static func people(
        _ id: String, _ label: String, query: @escaping @Sendable (MetricDefinition.Query, any Database) -> QueryBuilder<Person>
    ) -> MetricDefinition {
        .counting(id: id, label: label, unit: "人", span: .stock, permission: MembersPermission.peopleRead, query: query) { person in
            MetricRecord(
                id: try person.requireID(), title: person.name, day: nil, organization: try person.joined(Organization.self).name,
                link: MembersRoutes.person(try person.requireID()))
        }
    }

    private static func memberships(
        _ id: String, _ label: String, span: MetricDefinition.Span,
        query: @escaping @Sendable (MetricDefinition.Query, any Database) -> QueryBuilder<Membership>
    ) -> MetricDefinition {
        .counting(id: id, label: label, unit: "人", span: span, permission: MembersPermission.membershipsManage, query: query) {
            membership in
            MetricRecord(
                id: try membership.requireID(), title: membership.memberName ?? membership.memberNumber ?? "会员（待编号）",
                day: membership.joinedOn?.description, organization: try membership.joined(Organization.self).name,
                link: MembersRoutes.membership(try membership.requireID()))
        }
    }
}
