import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// The module's entrances: the portal channel, navigation under 学术与科普, the staff's home panel and
/// the confirmations shown after a redirect.
enum EventsPortal {
    static let channels = [
        PortalChannel(
            id: "events.calendar", label: "学术活动", summary: "学术会议、论坛、报告会、沙龙与科普活动日历，可在线报名",
            path: EventsRoutes.home(), order: 60)
    ]

    static let navigation = [
        NavigationEntry(label: "活动日历", path: EventsRoutes.home(), permission: nil, order: 350, group: .academic),
        NavigationEntry(
            label: "活动管理", path: EventsRoutes.manage(), permission: EventsPermission.manage, order: 351, group: .academic),
        NavigationEntry(
            label: "活动审核", path: EventsRoutes.manage(query: ["state": EventWorkflow.State.submitted.rawValue]),
            permission: EventsPermission.approve, order: 352, group: .academic),
    ]

    /// Staff: drafts, events waiting for approval and upcoming published events of the subtree; counted
    /// in the home page's one statement.
    static let homePanels = [
        HomePanel(title: "学术活动", order: 45) { c in
            guard c.actor.can(EventsPermission.manage) || c.actor.can(EventsPermission.approve) else { return nil }
            let scope = c.inSubtree("organization_id")
            return [
                .count(
                    "drafts", "SELECT COUNT(*) FROM events_events WHERE \(scope) AND state = \(bind: EventWorkflow.State.draft.rawValue)"),
                .count(
                    "submitted",
                    "SELECT COUNT(*) FROM events_events WHERE \(scope) AND state = \(bind: EventWorkflow.State.submitted.rawValue)"),
                .count(
                    "upcoming",
                    """
                    SELECT COUNT(*) FROM events_events WHERE \(scope) AND state = \(bind: EventWorkflow.State.published.rawValue) \
                    AND starts_at >= \(bind: c.now)
                    """),
            ]
        } lines: { c, v in
            var lines: [HomePanel.Line] = [
                .init(label: "草稿", value: "\(v["drafts"]) 场", link: EventsRoutes.manage(query: ["state": "draft"])),
                .init(label: "即将举行", value: "\(v["upcoming"]) 场", link: EventsRoutes.manage(query: ["state": "published"])),
            ]
            if c.actor.can(EventsPermission.approve) {
                lines.insert(
                    .init(label: "待审核发布", value: "\(v["submitted"]) 场", link: EventsRoutes.manage(query: ["state": "submitted"])), at: 0)
            }
            return lines
        }
    ]
}

/// Confirmations after a redirect to an event page. Only these codes are shown.
enum EventNotice {
    static let messages: [String: String] = [
        "event_saved": "已保存活动草稿，可继续修改后提交审核",
        "event_updated": "已保存修改",
        "event_submit": "已提交审核，主办单位管理员审核通过后公开发布",
        "event_approve": "已审核通过并公开发布",
        "event_publish": "已发布",
        "event_send_back": "已退回修改",
        "event_cancel": "活动已取消，已报名的人员会收到站内信",
        "event_finish": "活动已标记为结束",
    ]

    static func message(_ req: Request) -> String? {
        req.query[String.self, at: "notice"].flatMap { messages[$0] }
    }
}

/// Ready-to-show texts shared by the pages, the exports and the calendar files.
enum EventDisplay {
    static let definition = EventWorkflow()

    static func when(_ event: Event) -> String {
        let start = ChineseDate.dateTime(event.startsAt)
        let end = ChineseDate.dateTime(event.endsAt)
        if start.prefix(10) == end.prefix(10) { return start + "–" + end.suffix(5) }
        return start + " 至 " + end
    }

    static func place(_ event: Event) -> String {
        if event.venue.isEmpty { return "线上" }
        return event.onlineLink == nil ? event.venue : event.venue + "（另有线上）"
    }

    static func capacity(_ event: Event) -> String {
        guard let capacity = event.capacity else { return "不限" }
        return "\(capacity) 人"
    }

    static func placesLeft(_ event: Event) -> String {
        guard let left = EventService.placesLeft(event) else { return "不限" }
        return left == 0 ? (event.waitlist ? "已满（可候补）" : "已满") : "\(left) 个"
    }

    static func options<T: RawRepresentable>(_ all: [T], selected: String?, blank: String, label: (T) -> String) -> [SelectOption]
    where T.RawValue == String {
        [SelectOption(value: "", label: blank, selected: (selected ?? "").isEmpty)]
            + all.map { SelectOption(value: $0.rawValue, label: label($0), selected: selected == $0.rawValue) }
    }
}

/// Form fields read one by one: a multipart body does not decode as `[String: String]`.
enum EventFormFields {
    static func read(_ req: Request, keys: [String]) -> [String: String] {
        var fields: [String: String] = [:]
        for key in keys {
            if let value = try? req.content.get(String.self, at: key) { fields[key] = value }
        }
        return fields
    }
}
