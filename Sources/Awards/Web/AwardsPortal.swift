import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The module's entrances: the portal channel, navigation under 科技工作者, the person's own panel, the
/// staff's person-page panel, and the confirmations shown after a redirect.
enum AwardsPortal {
    static let channels = [
        PortalChannel(
            id: "awards.programs", label: "评选举荐", summary: "奖项评选、人才举荐和竞赛的申报通知、评选结果与证书查验",
            path: AwardsRoutes.home(), order: 65)
    ]

    static let navigation = [
        NavigationEntry(label: "评选举荐", path: AwardsRoutes.home(), permission: nil, order: 150, group: .people),
        NavigationEntry(label: "评选管理", path: AwardsRoutes.manage(), permission: AwardsPermission.manage, order: 151, group: .people),
        NavigationEntry(label: "推荐工作", path: AwardsRoutes.channels(), permission: AwardsPermission.nominate, order: 152, group: .people),
        NavigationEntry(label: "评选统计", path: AwardsRoutes.figures(), permission: AwardsPermission.manage, order: 860, group: .statistics),
    ]

    static let notices: [String: String] = [
        "program_created": "评选项目已创建并开放申报", "application_submitted": "申报已提交，请等待推荐单位推荐",
        "application_nominated": "已推荐", "application_checked": "已记录形式审查结果", "application_resubmitted": "已重新提交形式审查",
        "stage_moved": "项目已进入下一阶段", "nomination_moved": "推荐排序已调整", "support_recorded": "托举年度记录已保存", "materials_added": "申报材料已上传",
    ]

    /// 我的申报 on the person's own page: live applications and awards, one statement.
    static var personal: [HomePanel] {
        [
            HomePanel(title: "我的申报", order: 35) { c in
                [
                    .count(
                        "live",
                        """
                        SELECT COUNT(*) FROM awards_applications WHERE applicant_user_id = \(bind: c.actor.userID) \
                        AND status IN ('submitted', 'nominated', 'returned', 'passed', 'proposed')
                        """),
                    .count(
                        "returned",
                        "SELECT COUNT(*) FROM awards_applications WHERE applicant_user_id = \(bind: c.actor.userID) AND status = 'returned'"
                    ),
                ]
            } lines: { _, v in
                guard v["live"] > 0 else { return [] }
                var lines = [HomePanel.Line(label: "进行中的申报", value: "\(v["live"]) 项", link: AwardsRoutes.mine())]
                if v["returned"] > 0 { lines.append(.init(label: "退回修改", value: "\(v["returned"]) 项", link: AwardsRoutes.mine())) }
                return lines
            }
        ]
    }

    /// 奖励与人才: what a person was awarded or is a candidate for, on the staff's person page (programs
    /// owned in the actor's subtree, or applications of people in it — the page itself is scoped).
    static let laureatePanel = PersonPanel(title: "奖励与人才项目", order: 60) { subject, actor, db, _ in
        guard actor.can(AwardsPermission.manage) || actor.can(AwardsPermission.nominate) else { return [] }
        let rows = try await db.sql().raw(
            """
            SELECT a.id AS id, a.status AS status, p.name AS name, p.year AS year FROM awards_applications a
            JOIN awards_programs p ON p.id = a.program_id WHERE a.person_id = \(bind: subject.personID)
            ORDER BY p.year DESC, p.name LIMIT 20
            """
        ).all()
        return try rows.map { row in
            let status = AwardApplication.Status(rawValue: try row.decode(column: "status", as: String.self))
            let id = try row.decode(column: "id", as: UUID.self)
            return HomePanel.Line(
                label: "\(try row.decode(column: "year", as: Int.self)) \(try row.decode(column: "name", as: String.self))",
                value: status?.label ?? "", link: AwardsRoutes.application(id))
        }
    }
}
