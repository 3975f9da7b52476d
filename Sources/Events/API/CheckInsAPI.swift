import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `POST /api/v1/events/{id}/check-ins`: a door system (or a script) checks one code in through the
/// same desk as the scanning page. 200 the first time; 409 with the first `checkedInAt` for a repeat;
/// 404 for a code that is not this event's.
struct EventCheckInsAPIController: Sendable {
    /// `{"code", "sessionId"}` is a few dozen bytes.
    static let bodyLimit = 4 * 1024

    func register(api: any RoutesBuilder) {
        api.on(.POST, EventsRoutes.apiCheckIns, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: checkIn)
            .limitBody(Self.bodyLimit)
    }

    struct Body: Decodable {
        let code: String?
        let sessionId: String?
    }

    struct CheckedInDTO: Content {
        let registrationId: UUID
        let checkedInAt: String
        let sessionId: String?
        let name: String
    }

    /// The 409 of a repeat: the shared error body with the first check-in's time and registration.
    struct RepeatDTO: Content {
        struct Detail: Content {
            let code: String
            let message: String
            let checkedInAt: String
            let registrationId: UUID?
        }
        let error: Detail
    }

    /// ISO 8601 with the +08:00 offset.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    func checkIn(_ req: Request) async throws -> Response {
        try req.requireBody(within: Self.bodyLimit)
        let actor = try req.actor
        let id = try req.uuidParameter()
        let body = try req.jsonBody(Body.self, limit: BodyLimits.small)
        let code = (body.code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty, code.count <= 40 else { throw PlatformError.invalidInput(field: "code", message: "请填写签到码") }
        let kind = EventCheckIns()
        guard let subject = try await kind.subject(id, actor: actor, on: req.db) else { throw PlatformError.notFound }
        let sessionKey = body.sessionId ?? ""
        guard let session = subject.session(sessionKey) else {
            throw PlatformError.invalidInput(field: "sessionId", message: "本活动没有这个场次")
        }
        let outcome = try await CheckInDesk(db: req.db, services: req.platform).checkIn(
            .init(code: code, sessionKey: session.key), kind: kind, subject: subject, actor: actor)
        switch outcome {
        case .accepted(let at, let registrationID, let name):
            return try await CheckedInDTO(
                registrationId: registrationID, checkedInAt: Self.iso(at), sessionId: session.key.isEmpty ? nil : session.key,
                name: name
            ).encodeResponse(status: .ok, for: req)
        case .repeated(let firstAt, let registrationID, _):
            let error = EventsError.alreadyCheckedIn
            return try await RepeatDTO(
                error: .init(
                    code: error.code, message: "已于 \(ChineseDate.dateTime(firstAt)) 签到", checkedInAt: Self.iso(firstAt),
                    registrationId: registrationID)
            ).encodeResponse(status: error.status, for: req)
        case .notAdmitted(_, _, _, let label):
            throw EventsError.checkInNotConfirmed(label)
        case .unknown, .tooOld:
            throw EventsError.checkInCodeUnknown
        }
    }
}
