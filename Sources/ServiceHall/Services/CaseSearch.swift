import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The service hall's part of the global search, two kinds:
/// - `case` (诉求): the cases of the actor's subtree, for staff who handle cases; matched on the title
///   or the exact 查询码. Never public — a requester follows their own case under 我的诉求 and 办理查询.
/// - `public_reply` (公开答复): answered cases whose requesters agreed to publication, for everyone;
///   the title only, linking to the 公开答复 list searched for it (as that page shows them).
/// One query per kind.
struct CaseSearchProvider: SearchProvider {
    var kind: String { "case" }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        try await cases(request, on: db) + publicReplies(request, on: db)
    }

    private func cases(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard let actor = request.actor, actor.can(ServiceHallPermission.handle), let root = actor.scope.rootPath else { return [] }
        var statement = SQLQueryString(
            "SELECT c.id, c.title, c.type, c.state, c.tracking_code, c.received_on FROM servicehall_cases c "
                + "JOIN platform_organizations o ON o.id = c.organization_id WHERE o.path LIKE ")
        statement.appendInterpolation(bind: root + "%")
        statement.appendInterpolation(unsafeRaw: " AND (")
        statement.appendInterpolation(SearchPattern.like("c.title", request.text))
        statement.appendInterpolation(unsafeRaw: " OR c.tracking_code = ")
        statement.appendInterpolation(bind: request.text.uppercased())
        statement.appendInterpolation(unsafeRaw: ") ORDER BY c.received_on DESC, c.id DESC LIMIT \(request.limit)")
        let workflow = ServiceHallCaseWorkflow()
        return try await db.sql().raw(statement).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let title = try row.decode(column: "title", as: String.self)
            let code = try row.decode(column: "tracking_code", as: String.self)
            let type = CaseType(rawValue: try row.decode(column: "type", as: String.self))?.label ?? ""
            let state =
                ServiceHallCaseWorkflow.State(rawValue: try row.decode(column: "state", as: String.self)).map(workflow.label(of:)) ?? ""
            let received = try row.decode(column: "received_on", as: String.self)
            return SearchHit(
                kind: "case", kindLabel: "诉求", title: title,
                snippet: [type, state, "受理日期 " + received, "查询码 " + code].joined(separator: " · "),
                link: ServiceHallRoutes.serviceCase(id), score: code == request.text.uppercased() ? 2 : 1, isPublic: false)
        }
    }

    private func publicReplies(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        var statement = SQLQueryString("SELECT id, title, type, answer, received_on FROM servicehall_cases WHERE is_public = ")
        statement.appendInterpolation(bind: true)
        statement.appendInterpolation(unsafeRaw: " AND state IN (")
        statement.appendInterpolation(
            binds: [ServiceHallCaseWorkflow.State.answered.rawValue, ServiceHallCaseWorkflow.State.closed.rawValue])
        statement.appendInterpolation(unsafeRaw: ") AND answer IS NOT NULL AND ")
        statement.appendInterpolation(SearchPattern.like("title", request.text))
        statement.appendInterpolation(unsafeRaw: " ORDER BY submitted_at DESC, id DESC LIMIT \(request.limit)")
        return try await db.sql().raw(statement).all().map { row in
            let title = try row.decode(column: "title", as: String.self)
            let type = CaseType(rawValue: try row.decode(column: "type", as: String.self))?.label ?? ""
            let answer = try row.decode(column: "answer", as: String?.self) ?? ""
            return SearchHit(
                kind: "public_reply", kindLabel: "公开答复", title: title,
                snippet: type + " · 答复：" + SearchPattern.snippet(answer, around: request.text, length: 60),
                link: ServiceHallRoutes.publicCases(query: ["q": title]), score: 1, isPublic: true)
        }
    }
}
