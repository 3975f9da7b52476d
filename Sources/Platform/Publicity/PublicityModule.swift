import Fluent
import Foundation
import KexieKit
import Vapor

extension PlatformPermission {
    /// 公示管理: reading the objections to the subtree's publicities (names and contacts opened),
    /// recording investigations and deciding them.
    public static let publicityManage = Permission("platform.publicity.manage", label: "处理公示异议")
}

/// The routes of 公示与异议.
public enum PublicityRoutes: RouteCatalog {
    /// The public list (running and past publicities) and one publicity with its objection form.
    public static let publicities = SiteRoute<Void>("/publicities")
    public static let publicity = SiteRoute<UUID>("/publicities/:id")
    public static let fileObjection = SiteRoute<UUID>("/publicities/:id/objections")
    /// The objector's look-up by receipt code (no login, no personal data shown).
    public static let objectionStatus = SiteRoute<Void>("/publicities/objection-status")
    /// The staff's list and one publicity with its objections.
    public static let manage = SiteRoute<Void>("/admin/publicities")
    public static let managePublicity = SiteRoute<UUID>("/admin/publicities/:id")
    public static let objectionNote = SiteRoute<UUID>("/admin/publicity-objections/:id/notes")
    public static let objectionDecision = SiteRoute<UUID>("/admin/publicity-objections/:id/decision")
    public static let apiPublicity = SiteRoute<UUID>("/api/v1/publicities/:id")
    public static let apiObjections = SiteRoute<UUID>("/api/v1/publicities/:id/objections")

    public static let all: [any AnySiteRoute] = [
        publicities, publicity, fileObjection, objectionStatus, manage, managePublicity, objectionNote, objectionDecision, apiPublicity,
        apiObjections,
    ]
}

/// 公示与异议 registers through its own module, so Awards, Volunteers and Societies use one mechanism
/// (`PublicityService`) without importing each other.
public struct PublicityModule: KexieModule {
    public init() {}

    public var id: String { "publicity" }
    public var migrations: [any Migration] { [CreatePublicities()] }
    public var permissions: [Permission] { [PlatformPermission.publicityManage] }

    public var navigation: [NavigationEntry] {
        [
            NavigationEntry(
                label: "公示管理", path: PublicityRoutes.manage(), permission: PlatformPermission.publicityManage, order: 885,
                group: .administration)
        ]
    }

    public var portalChannels: [PortalChannel] {
        [
            PortalChannel(
                id: "platform.publicities", label: "公示", summary: "拟表彰、拟评选名单公示，公示期内可实名提出异议", path: PublicityRoutes.publicities(), order: 95)
        ]
    }

    public var notices: [String: String] {
        ["publicity_note_saved": "调查记录已保存", "publicity_decided": "处理结论已记录"]
    }

    public func registerAuditedModels(_ registrar: AuditRegistrar) {
        registrar.audit(PublicityRecord.self)
        registrar.audit(PublicityItemRecord.self)
        registrar.audit(PublicityObjectionRecord.self)
        registrar.audit(PublicityNoteRecord.self)
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        PublicityController().register(publicWeb: routes.publicWeb, web: routes.web)
        PublicityAPIController().register(publicAPI: routes.publicAPI, api: routes.api)
    }

    public func loadDemo(on db: any Database, services: PlatformServices) async throws {
        try await PublicityDemo.load(on: db, services: services)
    }

    public var openAPIPaths: String { PublicityOpenAPI.paths }
    public var openAPISchemas: String { PublicityOpenAPI.schemas }
}
