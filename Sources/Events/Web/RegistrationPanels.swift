import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 我的 (the person's own page): registrations, one statement; and the confirmation messages of the
/// registration pages. (The staff's person page panel is `AttendedEventsPanel`.)
enum RegistrationPanels {
    static var notices: [String: String] {
        var all = [
            "registration_created": "报名已提交", "registration_cancelled": "报名已取消，名额已让给候补人员",
            "registration_decided": "已记录审核结果", "invitations_imported": "邀请名单已导入",
        ]
        for code in [EventsError.cancelClosed, .notCancellable, .notPending, .eventFull] {
            all["registration_" + code.errorCode.rawValue] = code.message
        }
        return all
    }

    static let live = "('confirmed', 'waitlisted', 'pending')"

    /// 我的活动: live registrations of events still ahead, the next few listed.
    static var personal: [HomePanel] {
        [
            HomePanel(title: "我的活动", order: 30) { c in
                [
                    .count(
                        "upcoming",
                        """
                        SELECT COUNT(*) FROM events_registrations r JOIN events_events e ON e.id = r.event_id
                        WHERE r.user_id = \(bind: c.actor.userID) AND r.status IN \(unsafeRaw: live) AND e.ends_at >= \(bind: c.now)
                        """),
                    .count(
                        "waiting",
                        """
                        SELECT COUNT(*) FROM events_registrations r JOIN events_events e ON e.id = r.event_id
                        WHERE r.user_id = \(bind: c.actor.userID) AND r.status = 'waitlisted' AND e.ends_at >= \(bind: c.now)
                        """),
                    .records(
                        "next", limit: 3,
                        """
                        SELECT r.id AS id, e.title AS title FROM events_registrations r JOIN events_events e ON e.id = r.event_id
                        WHERE r.user_id = \(bind: c.actor.userID) AND r.status IN \(unsafeRaw: live) AND e.ends_at >= \(bind: c.now)
                        ORDER BY e.starts_at
                        """),
                ]
            } lines: { _, v in
                guard v["upcoming"] > 0 else { return [] }
                var lines = [HomePanel.Line(label: "已报名的活动", value: "\(v["upcoming"]) 场", link: EventsRoutes.myEvents())]
                if v["waiting"] > 0 { lines.append(.init(label: "候补中", value: "\(v["waiting"]) 场", link: EventsRoutes.myEvents())) }
                // PostgreSQL writes the id in lower case, SQLite as stored: read it back as a UUID.
                for record in v.records("next") {
                    guard let id = UUID(uuidString: record.id) else { continue }
                    lines.append(.init(label: "签到码与二维码", value: record.title, link: EventsRoutes.registration(id)))
                }
                return lines
            }
        ]
    }
}
