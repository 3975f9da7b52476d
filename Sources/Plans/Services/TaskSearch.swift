import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Plans' part of the global search: the tasks of confirmed plans the actor may read, as
/// `PlanService.visiblePlan` decides — `plans.read`, and the plan owned in the actor's subtree or giving
/// a task to the acting organization. Matched on the heading and the paragraph, in one query. Never
/// public: the association's internal work.
struct TaskSearchProvider: SearchProvider {
    var kind: String { "plan_task" }

    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard let actor = request.actor, actor.can(PlansPermission.read), let root = actor.scope.rootPath else { return [] }
        var statement = SQLQueryString(
            "SELECT t.id, t.label, t.heading, t.lead_names, t.state, t.deadline, p.title AS plan_title FROM plans_tasks t "
                + "JOIN plans_plans p ON p.id = t.plan_id JOIN platform_organizations o ON o.id = p.organization_id WHERE p.status = ")
        statement.appendInterpolation(bind: PlanRecord.Status.active.rawValue)
        statement.appendInterpolation(unsafeRaw: " AND t.included = ")
        statement.appendInterpolation(bind: true)
        statement.appendInterpolation(unsafeRaw: " AND (o.path LIKE ")
        statement.appendInterpolation(bind: root + "%")
        if let acting = actor.actingOrganizationID {
            statement.appendInterpolation(unsafeRaw: " OR p.id IN (SELECT u.plan_id FROM plans_task_units u WHERE u.organization_id = ")
            statement.appendInterpolation(bind: acting)
            statement.appendInterpolation(unsafeRaw: ")")
        }
        statement.appendInterpolation(unsafeRaw: ") AND (")
        statement.appendInterpolation(SearchPattern.like("t.heading", request.text))
        statement.appendInterpolation(unsafeRaw: " OR ")
        statement.appendInterpolation(SearchPattern.like("t.source_text", request.text))
        statement.appendInterpolation(unsafeRaw: ") ORDER BY p.year DESC, t.plan_id, t.sequence LIMIT \(request.limit)")
        let workflow = PlanTaskWorkflow()
        return try await db.sql().raw(statement).all().map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            let label = try row.decode(column: "label", as: String.self)
            let heading = try row.decode(column: "heading", as: String.self)
            let state = PlanTaskWorkflow.State(rawValue: try row.decode(column: "state", as: String.self)).map(workflow.label(of:)) ?? ""
            let lead = try row.decode(column: "lead_names", as: String.self)
            return SearchHit(
                kind: kind, kindLabel: "工作任务", title: [label, heading].filter { !$0.isEmpty }.joined(separator: " "),
                snippet: [try row.decode(column: "plan_title", as: String.self), lead.isEmpty ? "" : "牵头：" + lead, state]
                    .filter { !$0.isEmpty }.joined(separator: " · "),
                link: PlansRoutes.task(id), score: 1, isPublic: false)
        }
    }
}
