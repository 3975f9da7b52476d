import Foundation
import Platform
import Vapor

/// Registers the module's pages and API in one place (the routes themselves are in `EventsRoutes`).
struct EventsControllers {
    func register(_ routes: ModuleRoutes) {
        CalendarController().register(publicWeb: routes.publicWeb)
        EventController().register(publicWeb: routes.publicWeb, web: routes.web)
        EventFormController().register(routes.web)
        EventsAPIController().register(publicAPI: routes.publicAPI, api: routes.api)
    }
}
