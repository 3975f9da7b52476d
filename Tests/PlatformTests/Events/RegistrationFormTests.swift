import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Events
@testable import Platform

/// An event's own registration questions, taken through the shared forms: asked on the registration
/// page and in the API, checked with the registration's own fields (every error at once), stored as a
/// submission owned by the registration and shown to staff on the registration's page.
final class RegistrationFormTests: EvregTestCase {
    static let questions = FormDefinition(sections: [
        FormSection(
            title: "参会信息",
            fields: [
                FormField(key: "meal", label: "是否用餐", kind: .singleChoice(options: ["需要", "不需要"]), required: true),
                FormField(key: "topic", label: "希望交流的问题", kind: .text, rules: FormFieldRules(maxLength: 50)),
            ])
    ])

    func actor(_ username: String) async throws -> Actor {
        let user = try await User.query(on: app.db).filter(\.$username == username).first()!
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    /// A published registration form of the province and an event that asks it.
    func eventWithQuestions() async throws -> (Event, UUID) {
        let admin = try await actor("demo.orgadmin")
        let forms = FormService(db: app.db, services: app.platform)
        let form = try await forms.create(
            title: "年会参会信息", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: Self.questions,
            ownerModule: "events")
        let formID = try form.requireID()
        _ = try await forms.publish(formID, actor: admin)
        let event = try await makeEvent(capacity: 10, waitlist: false)
        event.formID = formID
        try await event.update(on: app.db)
        return (event, formID)
    }

    func testAVisitorAnswersTheQuestionsAndEveryErrorShowsAtOnce() async throws {
        let (event, _) = try await eventWithQuestions()
        let id = try event.requireID()
        let visitor = Browser(app)
        let form = try await visitor.get("/events/\(id)/register").body.string
        XCTAssertTrue(form.contains("id=\"register-questions\""), form)
        XCTAssertTrue(form.contains("id=\"field-meal\""))

        // Nothing filled: name, phone, the required question and consent in one summary, in page order.
        let refused = try await visitor.post(
            "/events/\(id)/register", ["name": "", "phone": "", "topic": String(repeating: "问", count: 51)])
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let page = refused.body.string
        let keys = page.components(separatedBy: "data-error-key=\"").dropFirst().compactMap { $0.split(separator: "\"").first }.map(
            String.init)
        XCTAssertEqual(keys, ["name", "phone", "meal", "topic", "consent"])
        XCTAssertTrue(page.contains("id=\"field-meal-error\""))
        XCTAssertEqual(page.components(separatedBy: "id=\"error-summary\"").count, 2, "one summary on the page")
        expectEqual(try await EventRegistration.query(on: app.db).filter(\.$eventID == id).count(), 0)

        let accepted = try await visitor.post(
            "/events/\(id)/register", ["name": "林晓", "phone": "13900020001", "meal": "需要", "topic": "热带作物育种", "consent": "yes"])
        XCTAssertEqual(accepted.status, .created, String(accepted.body.string.prefix(400)))
        let registration = try await EventRegistration.query(on: app.db).filter(\.$eventID == id).first()
        let registrationID = try XCTUnwrap(registration?.id)
        XCTAssertNotNil(registration?.submissionID)
        let stored = try await FormService(db: app.db, services: app.platform).answers(
            owner: FormOwner(module: "events", id: registrationID))
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.answers["meal"]?.rawValues, ["需要"])
        XCTAssertEqual(stored.first?.answers["topic"]?.rawValues, ["热带作物育种"])

        // Staff of the organizer read the answers on the registration's page.
        let staff = try await loggedIn("demo.orgadmin")
        let shown = try await staff.get("/registrations/\(registrationID)").body.string
        XCTAssertTrue(shown.contains("id=\"registration-answers\""), shown)
        XCTAssertTrue(shown.contains("data-answer-key=\"meal\""))
        XCTAssertTrue(shown.contains("<dt>是否用餐</dt><dd>需要</dd>"), shown)
    }

    func testTheAPITakesAnswersAndNamesTheFaultyOne() async throws {
        let (event, _) = try await eventWithQuestions()
        let path = try registrationsPath(event)
        let (missing, body) = try await call(.POST, path, as: "demo.member", json: #"{"consent": true}"#)
        XCTAssertEqual(missing, .unprocessableEntity)
        let fields = (body["error"] as? [String: Any])?["fields"] as? [String: String]
        XCTAssertEqual(fields?.keys.sorted(), ["answers.meal"])
        let (wrong, wrongBody) = try await call(.POST, path, as: "demo.member", json: #"{"consent": true, "answers": {"meal": "也许"}}"#)
        XCTAssertEqual(wrong, .unprocessableEntity)
        XCTAssertNotNil(((wrongBody["error"] as? [String: Any])?["fields"] as? [String: String])?["answers.meal"])
        let (created, registered) = try await call(
            .POST, path, as: "demo.member", json: #"{"consent": true, "answers": {"meal": "不需要", "topic": "科普"}}"#)
        XCTAssertEqual(created, .created)
        let id = try XCTUnwrap((registered["id"] as? String).flatMap(UUID.init(uuidString:)))
        let stored = try await FormService(db: app.db, services: app.platform).answers(owner: FormOwner(module: "events", id: id))
        XCTAssertEqual(stored.first?.answers["meal"]?.rawValues, ["不需要"])
        // Staff registering someone by name and phone need not have the answers; answers they give are checked.
        let (onBehalf, _) = try await call(.POST, path, as: "demo.orgadmin", json: person(json: "王五", "13900020002"))
        XCTAssertEqual(onBehalf, .created)
        let (onBehalfWrong, _) = try await call(
            .POST, path, as: "demo.orgadmin", json: #"{"name": "赵六", "phone": "13900020003", "answers": {"meal": "也许"}}"#)
        XCTAssertEqual(onBehalfWrong, .unprocessableEntity)
    }

    func testOnlyAnEventRegistrationFormOfTheSubtreeCanBeAttached() async throws {
        let admin = try await actor("demo.orgadmin")
        let forms = FormService(db: app.db, services: app.platform)
        let fillPage = try await forms.create(
            title: "在线填报表", details: "", organizationID: try demo.province.requireID(), actor: admin, definition: Self.questions)
        _ = try await forms.publish(try fillPage.requireID(), actor: admin)
        let (event, formID) = try await eventWithQuestions()
        let service = EventService(db: app.db, services: app.platform)
        var input = EventService.Input()
        input.title = "热带农业前沿沙龙"
        input.kind = "salon"
        input.level = "provincial"
        input.startsAt = "2027-03-01 09:00"
        input.endsAt = "2027-03-01 12:00"
        input.venue = "云海省科技会堂"
        input.audience = "public"
        input.form = try fillPage.requireID().uuidString
        let (wrongPurpose, _) = try await service.check(input, actor: admin)
        XCTAssertEqual(wrongPurpose["form"], "请从本单位及下级单位的活动报名表中选择")
        // A county's staff cannot attach the province's form.
        let county = try await actor("demo.county1")
        input.form = formID.uuidString
        let (outOfScope, _) = try await service.check(input, actor: county)
        XCTAssertEqual(outOfScope["form"], "请从本单位及下级单位的活动报名表中选择")
        let (fine, checked) = try await service.check(input, actor: admin)
        XCTAssertNil(fine["form"])
        XCTAssertEqual(checked.event.formID, formID)
        XCTAssertNotNil(event.formID)
        // The event form offers the province's registration forms, not the fill page's.
        let page = try await loggedIn("demo.orgadmin").get("/events/new").body.string
        XCTAssertTrue(page.contains("年会参会信息"))
        XCTAssertFalse(page.contains("在线填报表"))
    }
}

/// A visitor cancels online with the code and phone; a wrong pair reads like an unknown code, the
/// cut-off holds, and the first waiting person takes the place.
final class VisitorCancelTests: EvregTestCase {
    func testAVisitorCancelsWithCodeAndPhoneAndTheFirstWaitingIsPromoted() async throws {
        let event = try await makeEvent(capacity: 1, waitlist: true)
        let id = try event.requireID()
        let visitor = Browser(app)
        let confirmation = try await visitor.post(
            "/events/\(id)/register", ["name": "林晓", "phone": "13900030001", "consent": "yes"])
        XCTAssertEqual(confirmation.status, .created)
        XCTAssertTrue(confirmation.body.string.contains("id=\"visitor-cancel-link\""))
        let (waiting, _) = try await call(.POST, try registrationsPath(event), as: "demo.staff", json: person(json: "候补甲", "13900030002"))
        XCTAssertEqual(waiting, .created)
        let first = try await EventRegistration.query(on: app.db).filter(\.$eventID == id).filter(\.$name == "林晓").first()
        let code = try XCTUnwrap(CheckInCode.parse(try XCTUnwrap(first?.code)))

        let empty = try await visitor.post("/events/cancel-registration", ["code": "", "phone": "123"])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.string.contains("id=\"code-error\""))
        XCTAssertTrue(empty.body.string.contains("id=\"phone-error\""))
        // The right code with another phone is refused like an unknown code, and nothing changes.
        let wrongPair = try await visitor.post("/events/cancel-registration", ["code": code.description, "phone": "13900030002"])
        XCTAssertEqual(wrongPair.status, .unprocessableEntity)
        XCTAssertTrue(wrongPair.body.string.contains("没有找到该签到码和手机号对应的报名"))
        expectEqual(try await statuses(event), [.confirmed: 1, .waitlisted: 1])

        let cancelled = try await visitor.post(
            "/events/cancel-registration", ["code": code.description.lowercased(), "phone": "13900030001"])
        XCTAssertEqual(cancelled.status, .ok)
        XCTAssertTrue(cancelled.body.string.contains("id=\"visitor-cancelled\""), String(cancelled.body.string.prefix(300)))
        expectEqual(try await statuses(event), [.cancelled: 1, .confirmed: 1])
        let promoted = try await EventRegistration.query(on: app.db).filter(\.$eventID == id).filter(\.$name == "候补甲").first()
        XCTAssertEqual(promoted?.status, .confirmed)
        // Twice: the registration is no longer live.
        let again = try await visitor.post("/events/cancel-registration", ["code": code.description, "phone": "13900030001"])
        XCTAssertEqual(again.status, .conflict)
        XCTAssertTrue(again.body.string.contains("id=\"visitor-cancel-refusal\""))
    }

    func testAfterTheCutOffAVisitorCannotCancel() async throws {
        let event = try await makeEvent(capacity: 5, waitlist: false, cancelUntil: app.platform.clock().addingTimeInterval(3600))
        let visitor = Browser(app)
        _ = try await visitor.post("/events/\(try event.requireID())/register", ["name": "林晓", "phone": "13900030003", "consent": "yes"])
        event.cancelUntil = app.platform.clock().addingTimeInterval(-60)
        try await event.update(on: app.db)
        let registration = try await EventRegistration.query(on: app.db).filter(\.$eventID == event.requireID()).first()
        let refused = try await visitor.post(
            "/events/cancel-registration", ["code": try XCTUnwrap(registration?.code), "phone": "13900030003"])
        XCTAssertEqual(refused.status, .conflict)
        let after = try await EventRegistration.find(registration?.id, on: app.db)
        XCTAssertEqual(after?.status, .confirmed)
    }
}
