import Fluent
import Foundation
import KexieKit
import Platform

/// The module's registry metrics per organization subtree and period. An application counts for the
/// subtree of its candidate's organization (the person's, the organization itself, or the applicant's
/// for entries), so a county's figures hold its people's applications to the province's programs.
enum AwardMetrics {
    static let all: [MetricDefinition] = [
        .counting(
            id: "awards.applications.received", label: "奖项与人才项目申报", unit: "项", permission: AwardsPermission.manage,
            query: { q, db in
                AwardApplication.query(on: db).inSubtree(of: q.organization, via: \.$organizationID).within(q.period, \.$appliedOn)
            },
            record: { a in
                MetricRecord(
                    id: try a.requireID(), title: a.title, day: a.appliedOn.description, organization: try a.joined(Organization.self).name,
                    link: AwardsRoutes.application(try a.requireID()))
            }),
        .counting(
            id: "awards.laureates", label: "入选奖项与人才项目", unit: "人（项）", permission: AwardsPermission.manage,
            query: { q, db in
                AwardApplication.query(on: db).inSubtree(of: q.organization, via: \.$organizationID).filter(\.$status == .awarded)
                    .within(q.period, \.$awardedOn)
            },
            record: { a in
                MetricRecord(
                    id: try a.requireID(), title: a.title, day: a.awardedOn?.description,
                    organization: try a.joined(Organization.self).name,
                    link: AwardsRoutes.application(try a.requireID()))
            }),
    ]
}
