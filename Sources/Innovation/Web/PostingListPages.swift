import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PostingListPage: Sendable {
    struct Row: Encodable, Sendable {
        let title: String
        let link: String
        let owner: String
        let industry: String
        let region: String
        let readiness: String
        let deadline: String
        let budget: String
        let published: String
    }

    let shell: PageShell
    let heading: String
    let intro: String
    let isSupply: Bool
    let list: ListChrome
    let industries: [SelectOption]
    let region: String
    let readiness: [SelectOption]
    let modes: [SelectOption]
    let sorts: [SelectOption]
    let rows: [Row]
    let otherLink: String
    let otherLabel: String
    let newLink: String?
    let registerLink: String?
}

struct PostingMinePage: Sendable {
    struct Row: Encodable, Sendable {
        let title: String
        let link: String
        let kind: String
        let state: String
        let stateClass: String
        let updated: String
        let published: String
        let editLink: String?
    }

    let shell: PageShell
    let list: ListChrome
    let kinds: [SelectOption]
    let states: [SelectOption]
    let sorts: [SelectOption]
    let rows: [Row]
    let newLinks: [SelectOption]
}

/// The public lists of published supplies and demands (search, filters, sort, paging, export) and
/// 我的发布.
struct PostingListController {
    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(InnovationRoutes.supplies) { req in try await list(req, kind: .supply) }
        publicWeb.get(InnovationRoutes.demands) { req in try await list(req, kind: .demand) }
        web.get(InnovationRoutes.mine, use: mine)
    }

    /// Beyond this a list asks for a narrower filter; search results are capped the same way.
    static let exportLimit = 10_000

    func list(_ req: Request, kind: Posting.Kind) async throws -> Response {
        let isSupply = kind == .supply
        let params = try ListParameters(
            request: req, path: InnovationRoutes.list(of: kind).path,
            keys: isSupply ? ["industry", "region", "readiness", "mode"] : ["industry", "region"])
        var query = Posting.query(on: req.db).filter(\.$kind == kind).filter(\.$state == .published)
        // Full-text search goes through the platform index (it segments Chinese); its ranks order the
        // rows when sorting by relevance.
        var rank: [UUID: Int]?
        if let q = params.search {
            let hits = try await SearchIndexStore(db: req.db, writes: req.platform.writes).search(
                kind: PostingService.searchKind(kind), query: q, scopePath: nil, limit: 500)
            let ids = hits.compactMap { UUID(uuidString: $0.entityID) }
            rank = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            query = query.filter(\.$id ~~ ids)
        }
        let section = params["industry"].flatMap { IndustrySection(parsing: $0) }
        if let section { query = query.filter(\.$industry == String(section.letter)) }
        if let region = params["region"] { query = query.filter(\.$region ~~ region) }
        let minimum = isSupply ? params["readiness"].flatMap(Int.init).flatMap { (1...9).contains($0) ? $0 : nil } : nil
        if let minimum { query = query.filter(\.$readiness >= minimum) }
        let mode = isSupply ? params["mode"].flatMap(Posting.CooperationMode.init(rawValue:)) : nil
        if let mode {
            query = query.join(PostingMode.self, on: \Posting.$id == \PostingMode.$posting.$id).filter(PostingMode.self, \.$mode == mode)
        }

        var sort = params["sort"] ?? (rank == nil ? "recent" : "relevance")
        if sort == "relevance" && rank == nil { sort = "recent" }
        switch sort {
        case "title": query = query.sort(\.$title)
        case "readiness" where isSupply: query = query.sort(\.$readiness, .descending)
        case "deadline" where !isSupply: query = query.sort(\.$deadline)
        default: break
        }
        // The newest first, ties by id: both in one index, so a page is read without sorting the side.
        query = query.sort(\.$publishedOn, .descending).sort(\.$id, .descending)

        let format = req.exportFormat
        var total: Int
        var postings: [Posting]
        if let rank {
            // At most 500 hits: filter and order them in memory, keeping the index's order for relevance.
            postings = try await query.all()
            if sort == "relevance" { postings.sort { ($0.id.flatMap { rank[$0] } ?? .max) < ($1.id.flatMap { rank[$0] } ?? .max) } }
            total = postings.count
            if format == nil { postings = Array(postings.dropFirst(params.offset).prefix(params.pageSize)) }
        } else if format != nil {
            postings = try await query.limit(Self.exportLimit).all()
            total = postings.count
        } else {
            total = try await query.count()
            postings = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        }

        let rows = try postings.map { posting in
            PostingListPage.Row(
                title: posting.title, link: InnovationRoutes.posting(try posting.requireID()), owner: posting.ownerName,
                industry: PostingDisplay.industry(posting.industry), region: posting.region,
                readiness: posting.readiness.map { "TRL \($0)" } ?? "不限", deadline: posting.deadline?.description ?? "—",
                budget: PostingDisplay.budget(posting.budget), published: posting.publishedOn?.description ?? "—")
        }
        if let format {
            let headers =
                isSupply
                ? ["成果名称", "成果持有方", "所属行业", "所在地区", "技术成熟度", "发布日期", "链接"]
                : ["需求名称", "需求单位", "所属行业", "所在地区", "揭榜截止日期", "预算", "发布日期", "链接"]
            return try await TableExport(
                fileName: isSupply ? "技术供给" : "技术需求", headers: headers,
                rows: rows.map { r in
                    isSupply
                        ? [r.title, r.owner, r.industry, r.region, r.readiness, r.published, r.link]
                        : [r.title, r.owner, r.industry, r.region, r.deadline, r.budget, r.published, r.link]
                }
            ).response(format, for: req)
        }

        let actor = req.optionalActor
        let mayPost = actor.map { PostingService(db: req.db, services: req.platform).mayPost(kind, actor: $0) } ?? false
        var sorts = [("recent", "最新发布"), ("title", "名称"), isSupply ? ("readiness", "成熟度") : ("deadline", "截止日期")]
        if rank != nil { sorts.insert(("relevance", "相关度"), at: 0) }
        return try await PostingListPage(
            shell: await PageShell.build(for: req, title: kind.label), heading: kind.label,
            intro: isSupply
                ? "学会、高校、科研院所和科技工作者发布的科技成果，经科协审核后公开。可按行业、地区、成熟度和合作方式筛选。"
                : "企业发布的技术难题（揭榜挂帅），经科协审核后公开。有能力解决的团队可在需求页面发起对接。",
            isSupply: isSupply, list: params.chrome(total: total),
            industries: PostingDisplay.industryOptions(selected: section.map { String($0.letter) }, blank: "全部行业"),
            region: params["region"] ?? "",
            readiness: [SelectOption(value: "", label: "不限", selected: minimum == nil)]
                + (1...9).map { SelectOption(value: String($0), label: "不低于 TRL \($0)", selected: minimum == $0) },
            modes: [SelectOption(value: "", label: "全部方式", selected: mode == nil)]
                + Posting.CooperationMode.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: mode == $0) },
            sorts: sorts.map { SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0) },
            rows: rows, otherLink: InnovationRoutes.list(of: isSupply ? .demand : .supply).path, otherLabel: isSupply ? "技术需求" : "技术供给",
            newLink: mayPost ? InnovationRoutes.newPosting(query: ["kind": kind.rawValue]) : nil,
            registerLink: isSupply || actor != nil ? nil : InnovationRoutes.registerEnterprise()
        ).render(req)
    }

    /// 我的发布: every state, the actor's own and (for administrators and enterprise accounts) their
    /// organization's.
    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.post)
        let params = try ListParameters(request: req, path: InnovationRoutes.mine(), keys: ["kind", "state"])
        var query = PostingService.owned(by: actor, on: req.db)
        let kind = params["kind"].flatMap(Posting.Kind.init(rawValue:))
        if let kind { query = query.filter(\.$kind == kind) }
        let state = params["state"].flatMap(PostingWorkflow.State.init(rawValue:))
        if let state { query = query.filter(\.$state == state) }
        if let q = params.search { query = query.filter(\.$title ~~ q) }
        let sort = params["sort"] ?? "updated"
        switch sort {
        case "title": query = query.sort(\.$title)
        case "state": query = query.sort(\.$state).sort(\.$updatedAt, .descending)
        default: query = query.sort(\.$updatedAt, .descending)
        }
        query = query.sort(\.$id)
        let format = req.exportFormat
        let total = format == nil ? try await query.count() : 0
        let postings =
            format == nil
            ? try await query.range(params.offset..<(params.offset + params.pageSize)).all()
            : try await query.limit(Self.exportLimit).all()
        let rows = try postings.map { posting in
            let id = try posting.requireID()
            return PostingMinePage.Row(
                title: posting.title, link: InnovationRoutes.posting(id), kind: posting.kind.label,
                state: PostingDisplay.state(posting.state), stateClass: posting.state.rawValue,
                updated: ChineseDate.dateTime(posting.updatedAt),
                published: posting.publishedOn?.description ?? "—",
                editLink: posting.state == .draft ? InnovationRoutes.editPosting(id) : nil)
        }
        if let format {
            return try await TableExport(
                fileName: "我的发布", headers: ["名称", "类别", "状态", "更新时间", "发布日期"],
                rows: rows.map { [$0.title, $0.kind, $0.state, $0.updated, $0.published] }
            ).response(format, for: req)
        }
        let service = PostingService(db: req.db, services: req.platform)
        return try await PostingMinePage(
            shell: await PageShell.build(for: req, title: "我的发布"), list: params.chrome(total: total),
            kinds: [SelectOption(value: "", label: "全部类别", selected: kind == nil)]
                + Posting.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: kind == $0) },
            states: [SelectOption(value: "", label: "全部状态", selected: state == nil)]
                + PostingWorkflow.State.allCases.map {
                    SelectOption(value: $0.rawValue, label: PostingDisplay.definition.label(of: $0), selected: state == $0)
                },
            sorts: [("updated", "最近更新"), ("title", "名称"), ("state", "状态")].map {
                SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0)
            },
            rows: rows,
            newLinks: Posting.Kind.allCases.filter { service.mayPost($0, actor: actor) }.map {
                SelectOption(value: InnovationRoutes.newPosting(query: ["kind": $0.rawValue]), label: "发布\($0.label)", selected: false)
            }
        ).render(req)
    }
}
