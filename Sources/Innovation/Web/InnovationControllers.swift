import Foundation
import Platform
import Vapor

/// Registers the module's pages and API in one place (the routes themselves are in `InnovationRoutes`).
struct InnovationControllers {
    let catalog: MatchCatalog

    func register(_ routes: ModuleRoutes) {
        InnovationHomeController().register(routes.web)
        PostingListController().register(publicWeb: routes.publicWeb, web: routes.web)
        PostingFormController(catalog: catalog).register(routes.web)
        PostingController(catalog: catalog).register(publicWeb: routes.publicWeb, web: routes.web)
        EnterpriseController().register(publicWeb: routes.publicWeb)
        DockingController().register(routes.web)
        StationController().register(routes.web)
        InnovationFiguresController().register(routes.web)
        BatchController(catalog: catalog).register(routes.web)
        InnovationAPIController(catalog: catalog).register(publicAPI: routes.publicAPI, api: routes.api)
        BatchAPIController(catalog: catalog).register(api: routes.api)
        OutcomesAPIController(catalog: catalog).register(api: routes.api)
    }
}
