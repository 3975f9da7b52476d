import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 学术活动 on the staff's person page: the events of the staff's subtree (organizer or co-organizer)
/// the person registered for — by their person record or their account — newest first, each with the
/// registration's status and the first check-in time ("未签到" otherwise). Platform shows the person
/// page only to staff who may read the person; the panel further needs `events.manage` and lists only
/// events the staff's subtree organizes, like the other modules' panels. One statement.
enum AttendedEventsPanel {
    static let limit = 10

    static let panel = PersonPanel(title: "学术活动", order: 350) { subject, actor, db, _ in
        guard actor.can(EventsPermission.manage), let root = actor.scope.rootPath else { return [] }
        let user = subject.userID ?? UUID()
        let rows = try await db.sql().raw(
            """
            SELECT r.id AS id, r.status AS status, e.title AS title, e.starts_at AS starts_at, \
            (SELECT MIN(c.checked_in_at) FROM platform_check_ins c WHERE c.subject_kind = \(bind: EventCheckIns.kind) \
            AND c.subject_id = r.event_id AND c.registrant_id = r.id) AS checked_in_at, \
            COUNT(*) OVER () AS total \
            FROM events_registrations r JOIN events_events e ON e.id = r.event_id \
            WHERE (r.person_id = \(bind: subject.personID) OR r.user_id = \(bind: user)) AND \(EventMetrics.inSubtree(root, events: "e")) \
            ORDER BY e.starts_at DESC, r.id LIMIT \(unsafeRaw: String(limit))
            """
        ).all()
        guard let first = rows.first else { return [] }
        let total = try first.decode(column: "total", as: Int.self)
        var attended = 0
        var lines: [HomePanel.Line] = try rows.map { row in
            let status = EventRegistration.Status(rawValue: try row.decode(column: "status", as: String.self))
            let starts = try row.decode(column: "starts_at", as: Date.self)
            let checkedIn = try row.decode(column: "checked_in_at", as: Date?.self)
            if checkedIn != nil { attended += 1 }
            let arrival = checkedIn.map { "签到 " + ChineseDate.dateTime($0) } ?? "未签到"
            return HomePanel.Line(
                label: ChineseDate.day(starts) + " " + (status?.label ?? "") + " · " + arrival,
                value: try row.decode(column: "title", as: String.self),
                link: EventsRoutes.registration(try row.decode(column: "id", as: UUID.self)))
        }
        let summary = total > rows.count ? "报名 \(total) 场（列出最近 \(rows.count) 场，其中签到 \(attended) 场）" : "报名 \(total) 场，签到 \(attended) 场"
        lines.insert(HomePanel.Line(label: "本单位及下级单位的活动", value: summary), at: 0)
        return lines
    }
}
