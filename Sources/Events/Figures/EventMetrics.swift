import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The module's registry metrics per organization subtree and period; Plans binds targets to them
/// ("主办承办17场国际性和全国性学术会议" → `events.meetings.national`). What counts:
///
/// - an event counts when it was held: published or finished (never a draft, one waiting for approval
///   or a cancelled one), starting within the period (its start day in China time);
/// - it counts for the organizer's subtree and for each co-organizer's (主办 or 承办/协办), once per
///   subtree: an event of the province co-organized by a society counts for the province and for the
///   society, so the figures of two sibling organizations may both hold it;
/// - 国际性和全国性学术会议: level 国际 or 全国 and kind 学术会议 or 论坛 (报告会, 沙龙, 培训 … are events
///   held but not meetings);
/// - participants (参加人次) are the people checked in to the events held: a registration once whatever the
///   number of sessions it was checked in to, a walk-in (现场登记, no registration) once per record;
/// - trainees (培训人次) are the participants of events of kind 培训.
///
/// The four come from one statement (`EventFigures.rows`), which the figures page reads as well.
enum EventMetrics {
    static let held = "events.events.held"
    static let meetings = "events.meetings.national"
    static let participants = "events.participants.total"
    static let trainees = "events.trainees.total"

    static let countedStates: [Event.State] = [.published, .finished]
    static let meetingKinds: [Event.Kind] = [.conference, .forum]
    static let meetingLevels: [Event.Level] = [.international, .national]

    static let all: [MetricDefinition] = definitions.map { $0.batched(batch) }

    static let batch = MetricBatch(id: "events") { query, db in
        let rows = try await EventFigures.rows(path: query.organization.path, period: query.period, on: db)
        return EventFigures.totals(rows)
    }

    /// The period's first and last instants: from the first day's 00:00 to the day after the last, in China time.
    static func bounds(_ period: ReportingPeriod) -> (from: Date, to: Date) {
        (
            ChineseDate.parseDay(period.firstDay.description) ?? .distantPast,
            ChineseDate.parseDay(period.lastDay.adding(days: 1).description) ?? .distantFuture
        )
    }

    /// Events whose organizer or a co-organizer is in the subtree of `path` (the alias of the events table given).
    static func inSubtree(_ path: String, events: String = "events_events") -> SQLQueryString {
        let pattern = path + "%"
        return """
            (EXISTS (SELECT 1 FROM platform_organizations fo WHERE fo.id = \(unsafeRaw: events).organization_id AND fo.path LIKE \(bind: pattern)) \
            OR EXISTS (SELECT 1 FROM events_co_organizers fc JOIN platform_organizations fco ON fco.id = fc.organization_id \
            WHERE fc.event_id = \(unsafeRaw: events).id AND fco.path LIKE \(bind: pattern)))
            """
    }

    /// A check-in record that is a participant: a walk-in, or the registration's one record with the
    /// smallest session key ("" the whole event, else the first session's), so that a registration
    /// checked in to three sessions counts once.
    static func firstOfRegistration(_ records: String = "platform_check_ins") -> SQLQueryString {
        """
        (\(unsafeRaw: records).registrant_id IS NULL OR \(unsafeRaw: records).session_key = (SELECT MIN(fr.session_key) \
        FROM platform_check_ins fr WHERE fr.subject_kind = \(unsafeRaw: records).subject_kind \
        AND fr.subject_id = \(unsafeRaw: records).subject_id AND fr.registrant_id = \(unsafeRaw: records).registrant_id))
        """
    }

    private static let definitions: [MetricDefinition] = [
        events(held, "举办学术交流与活动（场）") { $0 },
        events(meetings, "举办国际性和全国性学术会议（场）") { query in
            query.filter(\.$level ~~ meetingLevels).filter(\.$kind ~~ meetingKinds)
        },
        attendance(participants, "活动参加人次（人次）", trainingOnly: false),
        attendance(trainees, "培训人次（人次）", trainingOnly: true),
    ]

    /// Events held in the subtree and period, by start (the index on `starts_at, id`).
    private static func events(
        _ id: String, _ label: String, narrow: @escaping @Sendable (QueryBuilder<Event>) -> QueryBuilder<Event>
    ) -> MetricDefinition {
        .counting(
            id: id, label: label, unit: "场", permission: EventsPermission.manage,
            query: { (query: MetricDefinition.Query, db: any Database) -> QueryBuilder<Event> in
                let (from, to) = bounds(query.period)
                return narrow(
                    Event.query(on: db).join(Organization.self, on: \Event.$organizationID == \Organization.$id)
                        .filter(\.$state ~~ countedStates).filter(\.$startsAt >= from).filter(\.$startsAt < to)
                        .filter(.custom(inSubtree(query.organization.path))))
            },
            order: { (events: QueryBuilder<Event>) in events.sort(\Event.$startsAt).sort(\Event.$id) },
            record: { (event: Event) in
                MetricRecord(
                    id: try event.requireID(), title: event.title, day: ChineseDate.day(event.startsAt),
                    organization: try event.joined(Organization.self).name, link: EventsRoutes.event(try event.requireID()))
            })
    }

    /// People checked in to the events held, listed as "name · event" by check-in time.
    private static func attendance(_ id: String, _ label: String, trainingOnly: Bool) -> MetricDefinition {
        .counting(
            id: id, label: label, unit: "人次", permission: EventsPermission.manage,
            query: { (query: MetricDefinition.Query, db: any Database) -> QueryBuilder<CheckInRecord> in
                let (from, to) = bounds(query.period)
                let records = CheckInRecord.query(on: db).join(Event.self, on: \CheckInRecord.$subjectID == \Event.$id)
                    .join(Organization.self, on: \Event.$organizationID == \Organization.$id)
                    .filter(\.$subjectKind == EventCheckIns.kind)
                    .filter(Event.self, \.$state ~~ countedStates).filter(Event.self, \.$startsAt >= from)
                    .filter(Event.self, \.$startsAt < to)
                    .filter(.custom(inSubtree(query.organization.path))).filter(.custom(firstOfRegistration()))
                return trainingOnly ? records.filter(Event.self, \.$kind == .training) : records
            },
            order: { (records: QueryBuilder<CheckInRecord>) in records.sort(\CheckInRecord.$checkedInAt).sort(\CheckInRecord.$id) },
            record: { (record: CheckInRecord) in
                let event = try record.joined(Event.self)
                let eventLink = EventsRoutes.event(try event.requireID())
                return MetricRecord(
                    id: try record.requireID(), title: record.name + " · " + event.title, day: ChineseDate.day(record.checkedInAt),
                    organization: try record.joined(Organization.self).name,
                    link: record.registrantID.map { EventsRoutes.registration($0) } ?? eventLink)
            })
    }
}
