import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
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

    /// The filters of a public list; readiness and cooperation mode apply to supplies only.
    struct Filters {
        let kind: Posting.Kind
        let section: IndustrySection?
        let region: String?
        let minimum: Int?
        let mode: Posting.CooperationMode?

        var isSupply: Bool { kind == .supply }

        init(_ kind: Posting.Kind, _ params: ListParameters) {
            let isSupply = kind == .supply
            self.kind = kind
            section = params["industry"].flatMap { IndustrySection(parsing: $0) }
            region = params["region"]
            minimum = isSupply ? params["readiness"].flatMap(Int.init).flatMap { (1...9).contains($0) ? $0 : nil } : nil
            mode = isSupply ? params["mode"].flatMap(Posting.CooperationMode.init(rawValue:)) : nil
        }
    }

    /// Handler: which kind and filters → the published postings matching them → the export or one page of them.
    func list(_ req: Request, kind: Posting.Kind) async throws -> Response {
        let params = try ListParameters(
            request: req, path: InnovationRoutes.list(of: kind).path,
            keys: kind == .supply ? ["industry", "region", "readiness", "mode"] : ["industry", "region"])
        let filters = Filters(kind, params)
        var hits: [UUID]?
        if let q = params.search {
            hits = try await Self.search(q, kind: kind, in: SearchIndexStore(db: req.db, writes: req.platform.writes))
        }
        let sort = Self.sort(params, searched: hits != nil)
        let format = req.exportFormat
        let (postings, total) = try await Self.load(filters, hits: hits, sort: sort, params, export: format != nil, on: req.db)
        let rows = Self.rows(postings)
        if let format { return try await Self.export(rows, isSupply: filters.isSupply, format, req) }
        let actor = req.optionalActor
        let mayPost = actor.map { PostingService(db: req.db, services: req.platform).mayPost(kind, actor: $0) } ?? false
        let shell = await PageShell.build(for: req, title: kind.label)
        return try await Self.listPage(
            rows, total: total, filters, sort: sort, searched: hits != nil, params, mayPost: mayPost, signedIn: actor != nil, shell: shell
        ).render(req)
    }

    /// Full-text search goes through the platform index (it segments Chinese): the hits, best first.
    static func search(_ q: String, kind: Posting.Kind, in index: SearchIndexStore) async throws -> [UUID] {
        let hits = try await index.search(kind: PostingService.searchKind(kind), query: q, scopePath: nil, limit: 500)
        return hits.compactMap { UUID(uuidString: $0.entityID) }
    }

    /// The chosen order: relevance by default when searching (and only then), else the newest first.
    static func sort(_ params: ListParameters, searched: Bool) -> String {
        var sort = params["sort"] ?? (searched ? "relevance" : "recent")
        if sort == "relevance" && !searched { sort = "recent" }
        return sort
    }

    /// The published postings of the kind among the search hits (if searching) that match the filters.
    static func condition(_ filters: Filters, hits: [UUID]?) -> SQLQueryString {
        var sql: SQLQueryString = "kind = \(bind: filters.kind.rawValue) AND state = \(bind: PostingWorkflow.State.published.rawValue)"
        if let hits {
            sql.appendInterpolation(unsafeRaw: " AND id IN (")
            sql.appendInterpolation(binds: hits)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        if let section = filters.section {
            sql.appendInterpolation(unsafeRaw: " AND industry = ")
            sql.appendInterpolation(bind: String(section.letter))
        }
        if let region = filters.region {
            sql.appendInterpolation(unsafeRaw: " AND region LIKE ")
            sql.appendInterpolation(
                bind: "%" + region.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%")
        }
        if let minimum = filters.minimum {
            sql.appendInterpolation(unsafeRaw: " AND readiness >= ")
            sql.appendInterpolation(bind: minimum)
        }
        if let mode = filters.mode {
            sql.appendInterpolation(unsafeRaw: " AND id IN (SELECT posting_id FROM innovation_posting_modes WHERE mode = ")
            sql.appendInterpolation(bind: mode.rawValue)
            sql.appendInterpolation(unsafeRaw: ")")
        }
        return sql
    }

    /// The chosen order, then the newest first with ties by id: both in one index, so a page is read
    /// without sorting the side.
    static func order(_ filters: Filters, sort: String) -> String {
        let newest = "published_on DESC, id DESC"
        switch sort {
        case "title": return "title, " + newest
        case "readiness" where filters.isSupply: return "readiness DESC, " + newest
        case "deadline" where !filters.isSupply: return "deadline, " + newest
        default: return newest
        }
    }

    /// All the matching postings for an export (up to `exportLimit`) or one page of them, and how many
    /// match: one statement of plain columns.
    static func load(
        _ filters: Filters, hits: [UUID]?, sort: String, _ params: ListParameters, export: Bool, on db: any Database
    ) async throws -> (postings: [PostingListing], total: Int) {
        let condition = condition(filters, hits: hits)
        let order = order(filters, sort: sort)
        if let hits {
            // At most 500 hits: filter and order them in the database, keeping the index's order for relevance.
            let all = try await PagedSelect(
                columns: PostingListing.columns, from: Posting.schema, where: condition, order: order, limit: hits.count, offset: 0,
                countCap: nil
            ).run(on: db)
            var postings = try all.rows.map(PostingListing.init(row:))
            if sort == "relevance" {
                let rank = Dictionary(hits.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                postings.sort { (rank[$0.id] ?? .max) < (rank[$1.id] ?? .max) }
            }
            let total = postings.count
            if !export { postings = Array(postings.dropFirst(params.offset).prefix(params.pageSize)) }
            return (postings, total)
        }
        let page = try await PagedSelect(
            columns: PostingListing.columns, from: Posting.schema, where: condition, order: order,
            limit: export ? Self.exportLimit : params.pageSize, offset: export ? 0 : params.offset, countCap: export ? 0 : nil
        ).run(on: db)
        let postings = try page.rows.map(PostingListing.init(row:))
        return (postings, export ? postings.count : page.total)
    }

    static func rows(_ postings: [PostingListing]) -> [PostingListPage.Row] {
        postings.map { posting in
            PostingListPage.Row(
                title: posting.title, link: InnovationRoutes.posting(posting.id), owner: posting.ownerName,
                industry: PostingDisplay.industry(posting.industry), region: posting.region,
                readiness: posting.readiness.map { "TRL \($0)" } ?? "不限", deadline: posting.deadline?.description ?? "—",
                budget: PostingDisplay.budget(posting.budget), published: posting.publishedOn?.description ?? "—")
        }
    }

    static func export(_ rows: [PostingListPage.Row], isSupply: Bool, _ format: TableExport.Format, _ req: Request) async throws
        -> Response
    {
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

    /// The page model for one page of a public list.
    static func listPage(
        _ rows: [PostingListPage.Row], total: Int, _ filters: Filters, sort: String, searched: Bool, _ params: ListParameters,
        mayPost: Bool, signedIn: Bool, shell: PageShell
    ) -> PostingListPage {
        let kind = filters.kind
        let isSupply = filters.isSupply
        return PostingListPage(
            shell: shell, heading: kind.label,
            intro: isSupply
                ? "学会、高校、科研院所和科技工作者发布的科技成果，经科协审核后公开。可按行业、地区、成熟度和合作方式筛选。"
                : "企业发布的技术难题（揭榜挂帅），经科协审核后公开。有能力解决的团队可在需求页面发起对接。",
            isSupply: isSupply, list: params.chrome(total: total),
            industries: PostingDisplay.industryOptions(selected: filters.section.map { String($0.letter) }, blank: "全部行业"),
            region: params["region"] ?? "",
            readiness: [SelectOption(value: "", label: "不限", selected: filters.minimum == nil)]
                + (1...9).map { SelectOption(value: String($0), label: "不低于 TRL \($0)", selected: filters.minimum == $0) },
            modes: [SelectOption(value: "", label: "全部方式", selected: filters.mode == nil)]
                + Posting.CooperationMode.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: filters.mode == $0) },
            sorts: sortOptions(isSupply: isSupply, searched: searched, selected: sort),
            rows: rows, otherLink: InnovationRoutes.list(of: isSupply ? .demand : .supply).path, otherLabel: isSupply ? "技术需求" : "技术供给",
            newLink: mayPost ? InnovationRoutes.newPosting(query: ["kind": kind.rawValue]) : nil,
            registerLink: isSupply || signedIn ? nil : InnovationRoutes.registerEnterprise())
    }

    static func sortOptions(isSupply: Bool, searched: Bool, selected sort: String) -> [SelectOption] {
        var sorts = [("recent", "最新发布"), ("title", "名称"), isSupply ? ("readiness", "成熟度") : ("deadline", "截止日期")]
        if searched { sorts.insert(("relevance", "相关度"), at: 0) }
        return sorts.map { SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0) }
    }

    // MARK: Mine

    /// 我的发布: every state, the actor's own and (for administrators and enterprise accounts) their
    /// organization's.
    func mine(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(InnovationPermission.post)
        let params = try ListParameters(request: req, path: InnovationRoutes.mine(), keys: ["kind", "state"])
        let kind = params["kind"].flatMap(Posting.Kind.init(rawValue:))
        let state = params["state"].flatMap(PostingWorkflow.State.init(rawValue:))
        let sort = params["sort"] ?? "updated"
        let query = Self.owned(by: actor, kind: kind, state: state, search: params.search, sort: sort, on: req.db)
        if let format = req.exportFormat {
            return try await Self.exportMine(try Self.mineRows(try await query.limit(Self.exportLimit).all()), format, req)
        }
        let total = try await query.count()
        let rows = try Self.mineRows(try await query.range(params.offset..<(params.offset + params.pageSize)).all())
        let service = PostingService(db: req.db, services: req.platform)
        let postable = Posting.Kind.allCases.filter { service.mayPost($0, actor: actor) }
        let shell = await PageShell.build(for: req, title: "我的发布")
        return try await Self.minePage(rows, total: total, kind: kind, state: state, sort: sort, params, postable: postable, shell: shell)
            .render(req)
    }

    /// The postings the actor owns that match the filters, in the chosen order.
    static func owned(
        by actor: Actor, kind: Posting.Kind?, state: PostingWorkflow.State?, search: String?, sort: String, on db: any Database
    ) -> QueryBuilder<Posting> {
        var query = PostingService.owned(by: actor, on: db)
        if let kind { query = query.filter(\.$kind == kind) }
        if let state { query = query.filter(\.$state == state) }
        if let q = search { query = query.filter(\.$title ~~ q) }
        switch sort {
        case "title": query = query.sort(\.$title)
        case "state": query = query.sort(\.$state).sort(\.$updatedAt, .descending)
        default: query = query.sort(\.$updatedAt, .descending)
        }
        return query.sort(\.$id)
    }

    static func mineRows(_ postings: [Posting]) throws -> [PostingMinePage.Row] {
        try postings.map { posting in
            let id = try posting.requireID()
            return PostingMinePage.Row(
                title: posting.title, link: InnovationRoutes.posting(id), kind: posting.kind.label,
                state: PostingDisplay.state(posting.state), stateClass: posting.state.rawValue,
                updated: ChineseDate.dateTime(posting.updatedAt),
                published: posting.publishedOn?.description ?? "—",
                editLink: posting.state == .draft ? InnovationRoutes.editPosting(id) : nil)
        }
    }

    static func exportMine(_ rows: [PostingMinePage.Row], _ format: TableExport.Format, _ req: Request) async throws -> Response {
        try await TableExport(
            fileName: "我的发布", headers: ["名称", "类别", "状态", "更新时间", "发布日期"],
            rows: rows.map { [$0.title, $0.kind, $0.state, $0.updated, $0.published] }
        ).response(format, for: req)
    }

    /// The page model for one page of the actor's postings; `postable` are the kinds the actor may post.
    static func minePage(
        _ rows: [PostingMinePage.Row], total: Int, kind: Posting.Kind?, state: PostingWorkflow.State?, sort: String,
        _ params: ListParameters, postable: [Posting.Kind], shell: PageShell
    ) -> PostingMinePage {
        PostingMinePage(
            shell: shell, list: params.chrome(total: total),
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
            newLinks: postable.map {
                SelectOption(value: InnovationRoutes.newPosting(query: ["kind": $0.rawValue]), label: "发布\($0.label)", selected: false)
            })
    }
}

/// One row of the public supply and demand lists, read without a Fluent model.
struct PostingListing: Sendable {
    static let columns = "id, title, owner_name, industry, region, readiness, deadline, budget, published_on"

    let id: UUID
    let title: String
    let ownerName: String
    let industry: String?
    let region: String
    let readiness: Int?
    let deadline: Day?
    let budget: Double?
    let publishedOn: Day?

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        title = try row.decode(column: "title", as: String.self)
        ownerName = try row.decode(column: "owner_name", as: String.self)
        industry = try row.decode(column: "industry", as: String?.self)
        region = try row.decode(column: "region", as: String.self)
        readiness = try row.decode(column: "readiness", as: Int?.self)
        deadline = try row.decode(column: "deadline", as: Day?.self)
        budget = try row.decode(column: "budget", as: Double?.self)
        publishedOn = try row.decode(column: "published_on", as: Day?.self)
    }
}
