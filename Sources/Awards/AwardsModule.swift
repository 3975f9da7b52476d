import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 人才举荐、奖项评选、竞赛: programs with eligibility rules, channels with quotas, formal check, expert
/// review through Platform's review engine, 公示 with objections through Platform's publicity,
/// announcement, certificates, laureates' records and 托举 support years.
public struct AwardsModule: KexieModule {
    public init() {}

    public var id: String { "awards" }

    /// The `owner_module` of shared forms used as application forms, of review rounds and publicities.
    static let formOwner = "awards"

    public var migrations: [any Migration] { [CreateAwardsTables()] }

    public var permissions: [Permission] { [AwardsPermission.manage, AwardsPermission.nominate] }

    public var errorCodes: [ErrorCodeEntry] { AwardsError.Code.catalog }

    public var formPurposes: [FormPurpose] { [FormPurpose(module: Self.formOwner, label: "奖项申报")] }

    public var navigation: [NavigationEntry] { AwardsPortal.navigation }

    public var portalChannels: [PortalChannel] { AwardsPortal.channels }

    public var personalPanels: [HomePanel] { AwardsPortal.personal }

    public var personPanels: [PersonPanel] { [AwardsPortal.laureatePanel] }

    public var metrics: [MetricDefinition] { AwardMetrics.all }

    public var fileOwners: [FileOwnerPolicy] { [MaterialsService.policy] }

    public var notices: [String: String] { AwardsPortal.notices }

    public var openAPIPaths: String { AwardsOpenAPI.paths }
    public var openAPISchemas: String { AwardsOpenAPI.schemas }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(AwardProgram.self)
        registrar.audit(AwardChannel.self)
        registrar.audit(AwardApplication.self)
        registrar.audit(AwardNomination.self)
        registrar.audit(AwardSupportYear.self)
    }

    public func loadDemoProvince(on db: any Database, context: DemoContext) async throws {
        try await AwardsDemo.load(on: db, context: context)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        ProgramPages().register(publicWeb: routes.publicWeb, web: routes.web)
        ApplicationPages().register(web: routes.web)
        CertificatePages().register(publicWeb: routes.publicWeb)
        AwardFiguresController().register(routes.web)
        AwardsAPI().register(api: routes.api)
    }
}

enum AwardsPermission {
    /// Create programs of one's organization, run formal check, start the review, propose, announce.
    static let manage = Permission("awards.manage", label: "组织奖项评选与人才举荐")
    /// Nominate and rank applications for a channel of one's organization (societies, city associations).
    static let nominate = Permission("awards.nominate", label: "推荐候选人")
}
