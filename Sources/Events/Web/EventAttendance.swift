import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 签到名单: who checked in to an event, when and to which session, walk-ins included, as XLSX or CSV.
/// For staff who organize or check in to the event, in the organizer's or a co-organizer's subtree.
struct EventAttendanceController: Sendable {
    func register(_ web: any RoutesBuilder) {
        web.get(EventsRoutes.attendanceXLSX) { req in try await export(req, .xlsx) }
        web.get(EventsRoutes.attendanceCSV) { req in try await export(req, .csv) }
    }

    func export(_ req: Request, _ format: TableExport.Format) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        guard
            let event = try await EventCheckIns.event(
                id, actor: actor, permissions: [EventsPermission.manage, EventsPermission.checkIn], on: req.db)
        else { throw PlatformError.notFound }
        return try await Self.table(event, on: req.db, services: req.platform).response(format, for: req)
    }

    /// The attendance list: one row per check-in (a person checked in to two sessions has two rows), in
    /// check-in order. Four queries whatever the number of rows.
    static func table(_ event: Event, on db: any Database, services: PlatformServices) async throws -> TableExport {
        let subject = try await EventCheckIns.subject(of: event, on: db)
        let desk = CheckInDesk(db: db, services: services)
        let records = try await desk.records(kind: subject.kind, subjectID: subject.id)
        let registrationIDs = Array(Set(records.compactMap(\.registrantID)))
        let registrations =
            registrationIDs.isEmpty
            ? [:]
            : Dictionary(
                uniqueKeysWithValues: try await EventRegistration.query(on: db).filter(\.$id ~~ registrationIDs).all().map { ($0.id!, $0) })
        let userIDs = Array(Set(records.map(\.recordedBy)))
        let users =
            userIDs.isEmpty
            ? [:]
            : Dictionary(uniqueKeysWithValues: try await User.query(on: db).filter(\.$id ~~ userIDs).all().map { ($0.id!, $0.displayName) })
        let rows: [[String]] = records.map { record in
            let registration = record.registrantID.flatMap { registrations[$0] }
            return [
                record.name,
                registration?.unit ?? record.unit,
                record.code.flatMap { CheckInCode.parse($0)?.description } ?? "",
                registration?.channel.label ?? EventRegistration.Channel.walkIn.label,
                subject.session(record.sessionKey)?.label ?? "全场",
                ChineseDate.dateTime(record.checkedInAt),
                users[record.recordedBy] ?? "",
            ]
        }
        return TableExport(
            fileName: "签到名单-" + event.title, headers: ["姓名", "单位", "签到码", "报名方式", "场次", "签到时间", "签到人员"], rows: rows)
    }
}
