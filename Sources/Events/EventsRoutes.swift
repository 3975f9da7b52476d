import Foundation
import Platform

/// Every route of the Events module (full paths, as in `PlatformRoutes`). The same value registers a
/// route and builds its links.
enum EventsRoutes: RouteCatalog {
    /// The public calendar (GET; month grid or `?view=list`) and creating an event (POST).
    static let home = SiteRoute<Void>("/events")
    static let manage = SiteRoute<Void>("/events/manage")
    static let newEvent = SiteRoute<Void>("/events/new")
    /// The event's page (GET; `/events/{id}.ics` is its calendar file) and saving its edit form (POST).
    static let event = SiteRoute<UUID>("/events/:id")
    static let editEvent = SiteRoute<UUID>("/events/:id/edit")
    static let eventActions = SiteRoute<UUID>("/events/:id/actions")
    /// The organizer's published public events as a calendar feed.
    static let organizationFeed = SiteRoute<UUID>("/organizations/:id/events.ics")

    static let apiEvents = SiteRoute<Void>("/api/v1/events")
    static let apiEvent = SiteRoute<UUID>("/api/v1/events/:id")
    static let apiEventSteps = SiteRoute<UUID>("/api/v1/events/:id/steps")

    static var all: [any AnySiteRoute] {
        [home, manage, newEvent, event, editEvent, eventActions, organizationFeed, apiEvents, apiEvent, apiEventSteps]
            + checkInRoutes + registrationRoutes + [figures] + evaluationRoutes
    }

    /// The event's calendar file (`/events/{id}.ics`, served by the `event` route).
    static func ics(_ id: UUID) -> String { event(id) + ".ics" }

    /// Pages other helpers build, linked as plain paths.
    static func checkIn(_ id: UUID) -> String { EventCheckIns.page(id) }

    /// Check-in (the scanning page itself is Platform's `/check-in/events.event/:id`).
    static let apiCheckIns = SiteRoute<UUID>("/api/v1/events/:id/check-ins")
    static let attendanceXLSX = SiteRoute<UUID>("/events/:id/attendance.xlsx")
    static let attendanceCSV = SiteRoute<UUID>("/events/:id/attendance.csv")

    /// Staff: 活动统计, the figures of a subtree and period (evfigures).
    static let figures = SiteRoute<Void>("/events/figures")

    static var checkInRoutes: [any AnySiteRoute] { [apiCheckIns, attendanceXLSX, attendanceCSV] }
    // Registrations (evreg).
    /// The registration form (GET) and registering (POST): the person themself or a visitor.
    static let register = SiteRoute<UUID>("/events/:id/register")
    /// Staff: the event's registrations (GET, export), registering someone on their behalf (POST).
    static let eventRegistrations = SiteRoute<UUID>("/events/:id/registrations")
    /// Staff: uploading an invitation list (POST) and its template.
    static let invitations = SiteRoute<UUID>("/events/:id/invitations")
    static let invitationTemplate = SiteRoute<UUID>("/events/:id/invitations/template.xlsx")
    static let registration = SiteRoute<UUID>("/registrations/:id")
    static let registrationQR = SiteRoute<UUID>("/registrations/:id/qr.svg")
    static let cancelRegistration = SiteRoute<UUID>("/registrations/:id/cancel")
    /// Staff: approve or reject a pending registration.
    static let decideRegistration = SiteRoute<UUID>("/registrations/:id/decision")
    /// A visitor (no account) cancels with the code and the phone registered with (GET form, POST).
    static let visitorCancel = SiteRoute<Void>("/events/cancel-registration")
    /// 我的活动: the person's registrations and codes.
    static let myEvents = SiteRoute<Void>("/my/events")

    static let apiEventRegistrations = SiteRoute<UUID>("/api/v1/events/:id/registrations")
    static let apiRegistration = SiteRoute<UUID>("/api/v1/registrations/:id")
    static let apiRegistrationQR = SiteRoute<UUID>("/api/v1/registrations/:id/qr.svg")

    static var registrationRoutes: [any AnySiteRoute] {
        [
            register, eventRegistrations, invitations, invitationTemplate, registration, registrationQR, cancelRegistration,
            decideRegistration, myEvents, visitorCancel, apiEventRegistrations, apiRegistration, apiRegistrationQR,
        ]
    }

    // After the event (evreview).
    /// A participant's evaluation form (GET) and submitting it (POST).
    static let evaluate = SiteRoute<UUID>("/events/:id/evaluate")
    /// Staff: the evaluation results, the report and the quality score (`?format=xlsx|csv` exports).
    static let evaluation = SiteRoute<UUID>("/events/:id/evaluation")
    /// Staff: the organizer's report (GET form, POST with photos).
    static let report = SiteRoute<UUID>("/events/:id/report")
    /// Staff: an organization's yearly record of events (`?year=`, filters, `?format=xlsx|csv`).
    static let record = SiteRoute<UUID>("/organizations/:id/events/record")

    /// Staff: the evaluation results as JSON.
    static let apiEvaluation = SiteRoute<UUID>("/api/v1/events/:id/evaluation")

    static var evaluationRoutes: [any AnySiteRoute] { [evaluate, evaluation, report, record, apiEvaluation] }
}
