import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Events' part of Platform's check-in desk (`events.event`): a code is a confirmed registration of the
/// event; sessions are the event's sessions; staff holding `events.checkin` in the organizer's or a
/// co-organizer's subtree check people in.
struct EventCheckIns: CheckInSubjectKind {
    static let kind = "events.event"
    var kind: String { Self.kind }

    /// The scanning page of an event (Platform's), for the event page's 现场签到 link.
    static func page(_ eventID: UUID) -> String { PlatformRoutes.checkIn(kind, eventID) }

    /// The event, if it exists and the actor's subtree holds its organizer or a co-organizer; nil
    /// otherwise (404). Throws 403 unless the actor holds one of `permissions`.
    static func event(_ id: UUID, actor: Actor, permissions: [Permission], on db: any Database) async throws -> Event? {
        guard permissions.contains(where: actor.can) else { throw PlatformError.forbidden }
        guard let root = actor.scope.rootPath, let event = try await Event.find(id, on: db) else { return nil }
        // The organizer's and co-organizers' paths in one query.
        let paths = try await db.sql().raw(
            """
            SELECT o.path AS path FROM platform_organizations o WHERE o.id = \(bind: event.organizationID) \
            OR o.id IN (SELECT c.organization_id FROM events_co_organizers c WHERE c.event_id = \(bind: id))
            """
        ).all().map { try $0.decode(column: "path", as: String.self) }
        return paths.contains { $0.hasPrefix(root) } ? event : nil
    }

    func subject(_ id: UUID, actor: Actor, on db: any Database) async throws -> CheckInSubject? {
        guard let event = try await Self.event(id, actor: actor, permissions: [EventsPermission.checkIn], on: db) else { return nil }
        guard [.published, .finished].contains(event.state) else { throw EventsError.checkInNotOpen }
        return try await Self.subject(of: event, on: db)
    }

    /// The subject of a loaded event: its sessions in programme order.
    static func subject(of event: Event, on db: any Database) async throws -> CheckInSubject {
        let id = try event.requireID()
        let sessions = try await EventSession.query(on: db).filter(\.$eventID == id).sort(\.$position).sort(\.$startsAt).all()
        return CheckInSubject(
            kind: kind, id: id, title: event.title, expected: event.confirmedCount,
            sessions: try sessions.map { session in
                let room = session.room.isEmpty ? "" : " · " + session.room
                return CheckInSession(
                    key: try session.requireID().uuidString, label: "\(session.title)（\(ChineseDate.dateTime(session.startsAt))\(room)）")
            })
    }

    func registrants(codes: [String], subjectID: UUID, on db: any Database) async throws -> [String: CheckInRegistrant] {
        guard !codes.isEmpty else { return [:] }
        let registrations = try await EventRegistration.query(on: db).filter(\.$eventID == subjectID).filter(\.$code ~~ codes).all()
        var result: [String: CheckInRegistrant] = [:]
        for registration in registrations {
            let id = try registration.requireID()
            result[registration.code] =
                registration.status == .confirmed
                ? .admitted(id: id, name: registration.name, unit: registration.unit)
                : .notAdmitted(id: id, name: registration.name, status: registration.status.rawValue, label: registration.status.label)
        }
        return result
    }
}
