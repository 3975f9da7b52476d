import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The events held in a subtree and period, one row each with its participants, read by one statement:
/// the source of the module's metrics (`EventMetrics.batch`) and of the figures page (headlines, the
/// month and level charts, the tables by level and kind, the event list).
enum EventFigures {
    struct Row: Sendable, Equatable {
        let id: UUID
        let title: String
        let organizer: String
        let kind: Event.Kind
        let level: Event.Level
        let startsAt: Date
        let participants: Int

        var isMeeting: Bool { EventMetrics.meetingLevels.contains(level) && EventMetrics.meetingKinds.contains(kind) }
        var trainees: Int { kind == .training ? participants : 0 }
        /// The start's month in China time (1…12).
        var month: Int { Calendar.china.component(.month, from: startsAt) }
    }

    /// Events held (published or finished, starting within the period) whose organizer or a
    /// co-organizer is in the subtree of `path`, by start, with the participants each counted as
    /// `EventMetrics` counts them.
    static func rows(path: String, period: ReportingPeriod, on db: any Database) async throws -> [Row] {
        let (from, to) = EventMetrics.bounds(period)
        let states = EventMetrics.countedStates.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let rows = try await db.sql().raw(
            """
            SELECT e.id AS id, e.title AS title, o.name AS organizer, e.kind AS kind, e.level AS level, e.starts_at AS starts_at, \
            (SELECT COUNT(*) FROM platform_check_ins r WHERE r.subject_kind = \(bind: EventCheckIns.kind) AND r.subject_id = e.id \
            AND \(EventMetrics.firstOfRegistration("r"))) AS participants \
            FROM events_events e JOIN platform_organizations o ON o.id = e.organization_id \
            WHERE e.state IN (\(unsafeRaw: states)) AND e.starts_at >= \(bind: from) AND e.starts_at < \(bind: to) \
            AND \(EventMetrics.inSubtree(path, events: "e")) ORDER BY e.starts_at, e.id
            """
        ).all()
        return try rows.map { row in
            Row(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                organizer: try row.decode(column: "organizer", as: String.self),
                kind: Event.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                level: Event.Level(rawValue: try row.decode(column: "level", as: String.self)) ?? .local,
                startsAt: try row.decode(column: "starts_at", as: Date.self),
                participants: try row.decode(column: "participants", as: Int.self))
        }
    }

    /// The four metrics' values from the rows.
    static func totals(_ rows: [Row]) -> [String: Double] {
        [
            EventMetrics.held: Double(rows.count),
            EventMetrics.meetings: Double(rows.filter(\.isMeeting).count),
            EventMetrics.participants: Double(rows.reduce(0) { $0 + $1.participants }),
            EventMetrics.trainees: Double(rows.reduce(0) { $0 + $1.trainees }),
        ]
    }

    /// Events and participants per level (every level, in the enum's order).
    static func byLevel(_ rows: [Row]) -> [(level: Event.Level, events: Int, participants: Int)] {
        Event.Level.allCases.map { level in
            let matching = rows.filter { $0.level == level }
            return (level, matching.count, matching.reduce(0) { $0 + $1.participants })
        }
    }

    /// Events and participants per kind (every kind, in the enum's order).
    static func byKind(_ rows: [Row]) -> [(kind: Event.Kind, events: Int, participants: Int)] {
        Event.Kind.allCases.map { kind in
            let matching = rows.filter { $0.kind == kind }
            return (kind, matching.count, matching.reduce(0) { $0 + $1.participants })
        }
    }

    /// Events per month of the period (a year's twelve, a quarter's three, a month's one).
    static func byMonth(_ rows: [Row], period: ReportingPeriod) -> [(month: Int, events: Int)] {
        let first = period.firstDay.month
        let last = period.lastDay.month
        return (first...last).map { month in (month, rows.filter { $0.month == month }.count) }
    }
}
