import Foundation
import Platform

/// Every route of the Plans module: importing and reviewing plan documents, the tracking board, tasks
/// and their reports, evaluation, and the `/api/v1` operations (full paths, as in `PlatformRoutes`).
/// The same value registers a route and builds its links.
enum PlansRoutes: RouteCatalog {
    /// The list of plans (GET) and the upload of a plan document (POST).
    static let plans = SiteRoute<Void>("/plans")
    static let newPlan = SiteRoute<Void>("/plans/new")
    static let mine = SiteRoute<Void>("/plans/mine")
    static let plan = SiteRoute<UUID>("/plans/:id")
    static let refreshPlan = SiteRoute<UUID>("/plans/:id/refresh")
    static let review = SiteRoute<UUID>("/plans/:id/review")
    static let confirm = SiteRoute<UUID>("/plans/:id/confirm")
    static let evaluation = SiteRoute<UUID>("/plans/:id/evaluation")
    static let annualReport = SiteRoute<UUID>("/plans/:id/annual-report")
    static let task = SiteRoute<UUID>("/plans/tasks/:id")
    static let taskProgress = SiteRoute<UUID>("/plans/tasks/:id/progress")
    static let taskSteps = SiteRoute<UUID>("/plans/tasks/:id/steps")
    static let targetMetric = SiteRoute<UUID>("/plans/targets/:id/metric")

    static let apiParse = SiteRoute<Void>("/api/v1/plans/parse")
    static let apiPlans = SiteRoute<Void>("/api/v1/plans")
    static let apiPlanTasks = SiteRoute<UUID>("/api/v1/plans/:id/tasks")
    static let apiTaskProgress = SiteRoute<UUID>("/api/v1/tasks/:id/progress")

    static let all: [any AnySiteRoute] = [
        plans, newPlan, mine, plan, refreshPlan, review, confirm, evaluation, annualReport,
        task, taskProgress, taskSteps, targetMetric,
        apiParse, apiPlans, apiPlanTasks, apiTaskProgress,
    ]
}
