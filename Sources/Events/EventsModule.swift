import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 学术交流与活动: events with sessions and speakers, published through the workflow runtime;
/// registrations with capacity and waiting lists; check-in through Platform's codes; calendars and
/// .ics; evaluation; yearly figures as metrics.
public struct EventsModule: KexieModule {
    public init() {}

    public var id: String { "events" }

    /// The `owner_module` of the shared forms whose submissions event registration takes.
    static let formOwner = "events"

    public var migrations: [any Migration] { [CreateEventsTables(), CreateRegistrationGuards(), CreateEvaluationTables()] }

    public var permissions: [Permission] { [EventsPermission.manage, EventsPermission.approve, EventsPermission.checkIn] }

    public var errorCodes: [ErrorCodeEntry] { EventsError.Code.catalog }

    public var portalChannels: [PortalChannel] { EventsPortal.channels }

    public var formPurposes: [FormPurpose] { [FormPurpose(module: Self.formOwner, label: "活动报名")] }

    public var navigation: [NavigationEntry] { EventsPortal.navigation + [EventFiguresController.navigation] }

    public var metrics: [MetricDefinition] { EventMetrics.all + EvaluationMetrics.all }

    public var homePanels: [HomePanel] { EventsPortal.homePanels }

    public var notices: [String: String] { EventNotice.messages.merging(RegistrationPanels.notices) { first, _ in first } }

    public var openAPIPaths: String {
        [EventsOpenAPI.paths, CheckInsOpenAPI.paths, RegistrationsOpenAPI.paths, EvaluationOpenAPI.paths].joined(separator: "\n")
    }
    public var openAPISchemas: String {
        [EventsOpenAPI.schemas, CheckInsOpenAPI.schemas, RegistrationsOpenAPI.schemas, EvaluationOpenAPI.schemas].joined(separator: "\n")
    }

    public var checkInSubjects: [any CheckInSubjectKind] { [EventCheckIns()] }

    public var fileOwners: [FileOwnerPolicy] { [EvaluationService.filePolicy] }

    public var backgroundJobs: [BackgroundJob] {
        [
            BackgroundJob(name: "events.finish_ended", intervalSeconds: 3600) { db, services in
                _ = try await EventService(db: db, services: services).finishEnded()
            }
        ]
    }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(Event.self)
        registrar.audit(EventCoOrganizer.self)
        registrar.audit(EventAudienceSociety.self)
        registrar.audit(EventSession.self)
        registrar.audit(EventSpeaker.self)
        registrar.audit(EventRegistration.self)
        registrar.audit(EventInvitation.self)
        registrar.audit(EventEvaluation.self)
        registrar.audit(EventSpeakerRating.self)
        registrar.audit(EventReport.self)
    }

    public var personalPanels: [HomePanel] { RegistrationPanels.personal }
    public var personPanels: [PersonPanel] { [AttendedEventsPanel.panel] }

    public func loadDemo(on db: any Database, services: PlatformServices) async throws {
        try await EventsDemo.load(on: db, services: services)
    }

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await EventsProvinceDemo.load(on: db, context: context)
        try await EventFiguresDemo.load(on: db, context: context)
        try await EvaluationDemo.load(on: db, context: context)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        EventsControllers().register(routes)
        EventCheckInsAPIController().register(api: routes.api)
        EventAttendanceController().register(routes.web)
        RegistrationController().register(publicWeb: routes.publicWeb, web: routes.web)
        VisitorCancelController().register(publicWeb: routes.publicWeb)
        RegistrationsAPIController().register(publicAPI: routes.publicAPI, api: routes.api)
        EventFiguresController().register(routes.web)
        EvaluationController().register(routes.web)
        EvaluationAPIController().register(api: routes.api)
    }
}

enum EventsPermission {
    /// Draft, edit and submit events of one's organization; register people on their behalf; import
    /// invitation lists; report attendance and outputs.
    static let manage = Permission("events.manage", label: "组织学术交流与活动")
    /// Approve and publish (or cancel) events of the subtree: the organizer's administrator.
    static let approve = Permission("events.approve", label: "审核发布活动")
    /// Check people in at the door (scanning page).
    static let checkIn = Permission("events.checkin", label: "活动现场签到")
}
