import Foundation
import Platform

/// Every route of the Events module (full paths, as in `PlatformRoutes`). The same value registers a
/// route and builds its links.
enum EventsRoutes: RouteCatalog {
    static let home = SiteRoute<Void>("/events")
    static let event = SiteRoute<UUID>("/events/:id")

    static let apiEvents = SiteRoute<Void>("/api/v1/events")
    static let apiEvent = SiteRoute<UUID>("/api/v1/events/:id")

    static var all: [any AnySiteRoute] { [] }
}
