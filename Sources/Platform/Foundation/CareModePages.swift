import Foundation
import Vapor

/// 关怀模式 (适老化): a switch on every page that needs no script. It posts here; the choice is kept in a
/// cookie for a year and the visitor is sent back to the page they were on. Nothing is stored on the
/// server and no audit row is written: it is a display preference of the browser, like its zoom.
struct CareModeController {
    struct Form: Content {
        let on: String?
        let next: String?
    }

    func register(_ publicWeb: any RoutesBuilder) {
        publicWeb.post(PlatformRoutes.careMode, use: toggle).limitBody(BodyLimits.small)
    }

    func toggle(_ req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let on = form.on == "1"
        let response = req.redirect(to: LocalRedirect.target(form.next) ?? PlatformRoutes.home())
        response.cookies[CookieName.careMode] = req.cookie(on ? "on" : "", maxAge: on ? 365 * 24 * 3600 : 0)
        return response
    }
}
