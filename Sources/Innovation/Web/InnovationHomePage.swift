import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct InnovationHomePage: Sendable {
    struct Link: Encodable, Sendable {
        let label: String
        let path: String
        let note: String?
    }

    let shell: PageShell
    let browse: [Link]
    let post: [Link]
    let manage: [Link]
}

struct PostingReviewPage: Sendable {
    struct Row: Encodable, Sendable {
        let title: String
        let link: String
        let kind: String
        let owner: String
        let region: String
        let submitted: String
    }

    let shell: PageShell
    let rows: [Row]
}

/// 科创对接's hub and the reviewing staff's queue.
struct InnovationHomeController {
    func register(_ web: any RoutesBuilder) {
        web.get(InnovationRoutes.home, use: home)
        web.get(InnovationRoutes.review, use: review)
    }

    /// Links to what the actor may do: posting only the kinds they may post, management pages only with
    /// the permission that guards them.
    func home(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.post)
        let service = PostingService(db: req.db, services: req.platform)
        typealias Link = InnovationHomePage.Link
        var manage: [Link] = []
        if actor.can(InnovationPermission.review) {
            let waiting = try await service.reviewQueue(actor: actor).count
            manage.append(Link(label: "待审核", path: InnovationRoutes.review(), note: "\(waiting) 项"))
        }
        manage.append(Link(label: "对接管理", path: InnovationRoutes.dockings(), note: nil))
        if actor.can(InnovationPermission.stations) { manage.append(Link(label: "服务站", path: InnovationRoutes.stations(), note: nil)) }
        if actor.can(InnovationPermission.figures) { manage.append(Link(label: "统计", path: InnovationRoutes.figures(), note: nil)) }
        if actor.can(InnovationPermission.review) { manage.append(Link(label: "批量匹配", path: InnovationRoutes.batch(), note: nil)) }
        return try await InnovationHomePage(
            shell: await PageShell.build(for: req, title: "科创对接"),
            browse: [
                Link(label: "技术供给", path: InnovationRoutes.supplies(), note: "已发布的科技成果"),
                Link(label: "技术需求", path: InnovationRoutes.demands(), note: "企业技术难题（揭榜挂帅）"),
                Link(label: "我的发布", path: InnovationRoutes.mine(), note: nil),
            ],
            post: Posting.Kind.allCases.filter { service.mayPost($0, actor: actor) }.map {
                Link(label: "发布\($0.label)", path: InnovationRoutes.newPosting(query: ["kind": $0.rawValue]), note: nil)
            },
            manage: manage
        ).render(req)
    }

    func review(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.review)
        let queue = try await PostingService(db: req.db, services: req.platform).reviewQueue(actor: actor)
        return try await PostingReviewPage(
            shell: await PageShell.build(for: req, title: "待审核的供需信息"),
            rows: queue.map { posting in
                PostingReviewPage.Row(
                    title: posting.title, link: InnovationRoutes.posting(try posting.requireID()), kind: posting.kind.label,
                    owner: posting.ownerName, region: posting.region, submitted: ChineseDate.dateTime(posting.updatedAt))
            }
        ).render(req)
    }
}
