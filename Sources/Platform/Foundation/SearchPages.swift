import Fluent
import Foundation
import Vapor

/// 全站搜索: `/search?q=` asks every module's provider once and shows the hits grouped by kind.
/// Visitors see public records only; a logged-in user also what their permissions and subtree let
/// them read (each provider decides; the registry drops non-public hits for visitors).
struct SearchPage: Sendable {
    let shell: PageShell
    let query: String
    /// Beside the field: why nothing was searched (empty or too short), in Chinese.
    let problem: String?
    let groups: [SearchGroup]
    let signedIn: Bool
    let perKind: Int
}

struct SearchController {
    /// Results per kind on the page (and the API's default); the API accepts 1…50.
    static let perKind = 10
    static let maxLength = 100

    func register(publicWeb: any RoutesBuilder, publicAPI: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(PlatformRoutes.search, use: page)
        publicAPI.get(PlatformRoutes.apiSearch, use: api)
        web.get(PlatformRoutes.organizationLookup, use: lookup)
    }

    /// Why `text` is not searched, or nil when it is searched.
    static func problem(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "请输入要搜索的内容" }
        if text.count < 2 { return "请至少输入 2 个字" }
        if raw.count > maxLength { return "搜索内容不能超过 100 个字" }
        if hasControlCharacters(raw) { return "搜索内容不能包含控制字符" }
        return nil
    }

    /// NUL, tab, line breaks and other control characters: a search box cannot type them, no title holds them,
    /// and PostgreSQL refuses a NUL in a bound text.
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Handler: the text → every provider's hits for this actor, grouped → the page.
    func page(_ req: Request) async throws -> Response {
        let raw = req.query[String.self, at: "q"]
        let problem = Self.problem(raw)
        let text = String((raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(Self.maxLength))
        var groups: [SearchGroup] = []
        if raw != nil, problem == nil {
            groups = try await req.platform.registry.searchGroups(
                SearchRequest(text: text, actor: req.optionalActor, limit: Self.perKind, now: req.platform.clock()), on: req.db)
        }
        return try await SearchPage(
            shell: await PageShell.build(for: req, title: text.isEmpty ? "全站搜索" : "搜索：\(text)"), query: text, problem: problem,
            groups: groups, signedIn: req.optionalActor != nil, perKind: Self.perKind
        ).render(req)
    }

    struct SearchDTO: Content {
        let query: String
        let groups: [SearchGroup]
    }

    /// `GET /api/v1/search?q=&limit=`: the same groups as JSON; 422 for an empty, short or long text.
    func api(_ req: Request) async throws -> SearchDTO {
        let raw = req.query[String.self, at: "q"]
        if let problem = Self.problem(raw ?? "") { throw PlatformError.invalidInput(field: "q", message: problem) }
        let limit = try req.boundedQuery("limit", in: 1...50, default: Self.perKind)
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let groups = try await req.platform.registry.searchGroups(
            SearchRequest(text: text, actor: req.optionalActor, limit: limit, now: req.platform.clock()), on: req.db)
        return SearchDTO(query: text, groups: groups)
    }

    struct LookupDTO: Content {
        let organizations: [OrganizationChoice]
    }

    /// `GET /organizations/lookup?q=&set=&limit=`: the picker's type-ahead — organizations of the set
    /// (see `OrganizationChoiceSet`) in the actor's subtree whose name contains `q`, at most `limit`
    /// (1…20, default 10), with their paths.
    func lookup(_ req: Request) async throws -> LookupDTO {
        let actor = try req.actor
        let setName = req.query[String.self, at: "set"] ?? OrganizationChoiceSet.subtree.rawValue
        guard let set = OrganizationChoiceSet(rawValue: setName) else {
            throw PlatformError.invalidInput(field: "set", message: "set 应为 subtree、associations 或 societies")
        }
        let q = req.query[String.self, at: "q"] ?? ""
        guard q.count <= Self.maxLength else { throw PlatformError.invalidInput(field: "q", message: "查找内容不能超过 100 个字") }
        guard !Self.hasControlCharacters(q) else { throw PlatformError.invalidInput(field: "q", message: "查找内容不能包含控制字符") }
        let limit = try req.boundedQuery("limit", in: 1...OrganizationLookup.maxLimit, default: 10)
        return LookupDTO(organizations: try await OrganizationLookup(db: req.db).find(q, in: set, actor: actor, limit: limit))
    }
}
