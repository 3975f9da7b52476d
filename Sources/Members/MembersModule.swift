import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 网上科技工作者之家: people, profiles and (as the module grows) memberships, pools and representatives.
/// So far: the person's own profile page.
public struct MembersModule: KexieModule {
    let classifications: Classifications

    public init() throws {
        classifications = try Classifications.bundled()
    }

    public var id: String { "members" }

    public var navigation: [NavigationEntry] {
        [NavigationEntry(label: "我的资料", path: MembersRoute.myProfile.path, permission: nil, order: 10)]
    }

    public var homePanels: [HomePanel] {
        [
            HomePanel(title: "我的资料", order: 5) { actor, db in
                let person = try await Person.query(on: db).filter(\.$userID == actor.userID).first()
                let status = person.flatMap { ProfileService.Verification(rawValue: $0.verification) }?.label ?? "尚未填写"
                return [HomePanel.Line(label: "个人资料", value: status, link: MembersRoute.myProfile.path)]
            }
        ]
    }

    public func registerRoutes(_ routes: ModuleRoutes) throws {
        ProfileController(classifications: classifications).register(routes.web)
    }
}
