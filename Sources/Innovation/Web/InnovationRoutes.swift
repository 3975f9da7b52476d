import Foundation
import Platform
import Vapor

/// Registers the module's pages and API in one place.
struct InnovationRoutes {
    let catalog: MatchCatalog
    let batches: BatchMatchJobs

    func register(_ routes: ModuleRoutes) {
    }
}
