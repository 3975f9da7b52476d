import Foundation
import Platform

/// Every route of the service hall: the public intake, tracking and answered-case pages, the staff
/// queue and case pages, rules, figures and time limits, and the `/api/v1` operations (full paths, as
/// in `PlatformRoutes`). The same value registers a route and builds its links.
enum ServiceHallRoutes: RouteCatalog {
    /// 我要办事: the public form (GET) and its submission with attachments (POST).
    static let newCase = SiteRoute<Void>("/service/new")
    static let track = SiteRoute<Void>("/service/track")
    static let publicCases = SiteRoute<Void>("/service/public")

    static let cases = SiteRoute<Void>("/service/cases")
    static let mine = SiteRoute<Void>("/service/mine")
    static let serviceCase = SiteRoute<UUID>("/service/cases/:id")
    static let caseTransitions = SiteRoute<UUID>("/service/cases/:id/transitions")
    static let adoptCase = SiteRoute<UUID>("/service/cases/:id/adopt")

    static let rules = SiteRoute<Void>("/service/rules")
    static let toggleRule = SiteRoute<UUID>("/service/rules/:id/toggle")
    static let statistics = SiteRoute<Void>("/service/statistics")
    static let timeLimits = SiteRoute<Void>("/service/time-limits")

    static let apiCases = SiteRoute<Void>("/api/v1/cases")
    static let apiTrack = SiteRoute<String>("/api/v1/cases/track/:trackingNumber")
    static let apiCaseTransitions = SiteRoute<UUID>("/api/v1/cases/:id/transitions")

    static let all: [any AnySiteRoute] = [
        newCase, track, publicCases, cases, mine, serviceCase, caseTransitions, adoptCase,
        rules, toggleRule, statistics, timeLimits, apiCases, apiTrack, apiCaseTransitions,
    ]
}
