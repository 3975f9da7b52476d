import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// `/api/v1/events/{id}/registrations` and `/api/v1/registrations/{id}`. Registering is open to
/// visitors for public events (no token, rate-limited per address and phone); with a token `{}`
/// registers the caller, and `{"name", "phone"}` registers someone on their behalf (staff managing the
/// event: `events.manage` in the organizer's scope).
struct RegistrationsAPIController: Sendable {
    func register(publicAPI: any RoutesBuilder, api: any RoutesBuilder) {
        publicAPI.on(.POST, EventsRoutes.apiEventRegistrations, body: .collect(maxSize: ByteCount(value: BodyLimits.small)), use: create)
            .limitBody(BodyLimits.small)
        api.get(EventsRoutes.apiEventRegistrations, use: list)
        api.get(EventsRoutes.apiRegistration, use: show)
        api.on(.DELETE, EventsRoutes.apiRegistration, use: cancel)
        api.get(EventsRoutes.apiRegistrationQR, use: qr)
    }

    private func service(_ req: Request) -> RegistrationService { RegistrationService(db: req.db, services: req.platform) }

    struct Body: Content {
        var name: String?
        var phone: String?
        var unit: String?
        /// Consent to the use of the data for this event; required (true) for visitors and oneself. Staff
        /// registering someone confirm with it that the person agreed.
        var consent: Bool?
        /// Answers to the event's registration form: a text or a list of texts per field key.
        var answers: [String: AnswerText]?
    }

    /// One answer as the API takes it: a text, or a list of texts for a multiple choice.
    struct AnswerText: Codable, Sendable {
        let values: [String]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                values = [text]
            } else {
                values = try container.decode([String].self)
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
    }

    struct RegistrationDTO: Content {
        let id: UUID
        let eventId: UUID
        let status: String
        let statusLabel: String
        let channel: String
        let sequence: Int
        let position: Int?
        let code: String
        let name: String
        let unit: String
        let createdAt: Date?
        let cancelledAt: Date?

        init(_ r: EventRegistration, position: Int?) throws {
            id = try r.requireID()
            eventId = r.eventID
            status = r.status.rawValue
            statusLabel = r.status.label
            channel = r.channel.rawValue
            sequence = r.sequence
            self.position = position
            code = r.code
            name = r.name
            unit = r.unit
            createdAt = r.createdAt
            cancelledAt = r.cancelledAt
        }
    }

    struct PageDTO: Content {
        let items: [RegistrationDTO]
        let page: Int
        let per: Int
        let total: Int
    }

    /// Visitor rate limits: per client address for every attempt, per phone (its keyed hash) once the
    /// number reads as one.
    static func limitVisitor(_ req: Request, phone: String?) throws {
        try req.enforce(RegistrationService.visitorPerAddress, key: req.clientAddress)
        if let text = phone, let number = try? MobileNumber(text) {
            try req.enforce(
                RegistrationService.visitorPerPhone, key: RegistrationService.phoneLookup(req.platform.secrets, number.value))
        }
    }

    func create(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        // No body reads as `{}`; a body that is not the documented object is refused, never read as `{}`.
        let body = try req.jsonBody(Body.self, limit: BodyLimits.small, whenEmpty: Body())
        let named = body.name != nil || body.phone != nil
        let actor = req.optionalActor
        let mode: RegistrationService.Mode
        if let actor {
            mode = named ? .onBehalf : .own
        } else {
            guard named else { throw PlatformError.unauthenticated }
            try Self.limitVisitor(req, phone: body.phone)
            mode = .visitor
        }
        // Staff registering someone answer for consent; the API takes an absent flag from them as given.
        let consent = body.consent ?? (mode == .onBehalf)
        let input = RegistrationService.Input(name: body.name, phone: body.phone, unit: body.unit, consent: consent)
        let service = service(req)
        let answers = (body.answers ?? [:]).mapValues(\.values)
        // The documented bounds hold whether or not the event asks questions (unasked answers are
        // ignored, but never accepted beyond what the document allows).
        guard answers.count <= 200, answers.values.allSatisfy({ $0.count <= FormLimits.valuesPerKey && $0.allSatisfy { $0.count <= 2000 } })
        else {
            throw PlatformError.invalidInput(field: "answers", message: "回答过多或过长（每项至多 2000 字）")
        }
        let registration = try await service.register(eventID: id, input: input, mode: mode, actor: actor, answers: answers)
        let dto = try RegistrationDTO(registration, position: try await service.position(of: registration))
        let response = try await dto.encodeResponse(status: .created, for: req)
        response.headers.replaceOrAdd(name: .location, value: EventsRoutes.apiRegistration(try registration.requireID()))
        return response
    }

    func list(_ req: Request) async throws -> PageDTO {
        let actor = try req.actor
        let service = service(req)
        let event = try await service.managedEvent(try req.uuidParameter(), actor: actor)
        let paging = try req.paging(defaultPer: 50, maxPer: 200)
        var filter = RegistrationService.Filter()
        if let raw = req.query[String.self, at: "status"], !raw.isEmpty {
            guard let status = EventRegistration.Status(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "status", message: "未知的报名状态：\(raw)")
            }
            filter.status = status
        }
        filter.search = req.query[String.self, at: "q"]
        let query = service.query(event: try event.requireID(), filter)
        let total = try await query.count()
        let rows = try await query.sort(\.$sequence).range(((paging.page - 1) * paging.per)..<(paging.page * paging.per)).all()
        let positions = try await service.positions(of: rows)
        return PageDTO(
            items: try rows.map { try RegistrationDTO($0, position: $0.id.flatMap { positions[$0] }) }, page: paging.page,
            per: paging.per, total: total)
    }

    func show(_ req: Request) async throws -> RegistrationDTO {
        let service = service(req)
        let (registration, _, _) = try await service.visible(try req.uuidParameter(), actor: try req.actor)
        return try RegistrationDTO(registration, position: try await service.position(of: registration))
    }

    func cancel(_ req: Request) async throws -> RegistrationDTO {
        let registration = try await service(req).cancel(try req.uuidParameter(), actor: try req.actor)
        return try RegistrationDTO(registration, position: nil)
    }

    func qr(_ req: Request) async throws -> Response {
        let (registration, _, _) = try await service(req).visible(try req.uuidParameter(), actor: try req.actor)
        return try Self.qrResponse(registration)
    }

    /// The QR code of the registration's check-in code (its canonical text, byte mode, level M).
    static func qrSVG(_ registration: EventRegistration) throws -> String {
        try QRCode(text: registration.code, level: .medium).svg(moduleSize: 6, quietZone: 4, title: "签到二维码")
    }

    static func qrResponse(_ registration: EventRegistration) throws -> Response {
        let response = Response(status: .ok, body: .init(string: try qrSVG(registration)))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
