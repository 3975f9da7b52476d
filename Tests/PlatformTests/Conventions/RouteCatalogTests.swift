import Foundation
import XCTVapor

@testable import Awards
@testable import Events
@testable import Innovation
@testable import Members
@testable import Plans
@testable import Platform
@testable import ServiceHall

/// One route type (issue 14): every route the app serves is a value in its module's catalog, and every
/// value in a catalog is served. A route registered with raw strings, or a catalog entry nothing
/// registers, fails here.
final class RouteCatalogTests: KexieTestCase {
    static let catalogs: [(name: String, routes: [any AnySiteRoute])] = [
        ("PlatformRoutes", PlatformRoutes.all), ("MembersRoutes", MembersRoutes.all),
        ("ServiceHallRoutes", ServiceHallRoutes.all), ("PlansRoutes", PlansRoutes.all),
        ("InnovationRoutes", InnovationRoutes.all),
        ("EventsRoutes", EventsRoutes.all), ("AwardsRoutes", AwardsRoutes.all), ("PublicityRoutes", PublicityRoutes.all),
        ("ReviewRoutes", ReviewRoutes.all),
    ]

    /// A pattern as the router lists it, without the method: "people/:id".
    static func key(_ pattern: [PathComponent]) -> String {
        pattern.map(\.description).joined(separator: "/")
    }

    var registered: [(method: String, path: String)] {
        app.routes.all.map { ($0.method.rawValue, Self.key($0.path)) }
    }

    func testEachCatalogListsItsRoutesOnceAndPatternsMatchTemplates() {
        XCTAssertEqual(Self.catalogs.map(\.routes.count), [81, 36, 15, 17, 43, 32, 24, 10, 12])
        var seen: [String: String] = [:]
        for (name, routes) in Self.catalogs {
            for route in routes {
                XCTAssertEqual("/" + Self.key(route.pattern), route.template, "\(name): \(route.template)")
                if let other = seen[route.template] { XCTFail("\(route.template) is in \(other) and \(name)") }
                seen[route.template] = name
            }
        }
    }

    func testEveryCatalogRouteIsRegistered() {
        let paths = Set(registered.map(\.path))
        for (name, routes) in Self.catalogs {
            for route in routes {
                XCTAssertTrue(paths.contains(Self.key(route.pattern)), "\(name) lists \(route.template) but nothing registers it")
            }
        }
    }

    func testEveryRegisteredRouteIsInACatalog() {
        let listed = Set(Self.catalogs.flatMap(\.routes).map { Self.key($0.pattern) })
        // Vapor registers no routes of its own and static files are served by middleware, so there is
        // nothing to leave out: every route of the app must be a catalog value.
        let strays = registered.filter { !listed.contains($0.path) }.map { "\($0.method) /\($0.path)" }
        XCTAssertEqual(strays, [], "registered without a catalog value")
        XCTAssertEqual(registered.count, 336)
    }

    func testRoutesAreRegisteredWithTheMethodsAndPathsTheyAlwaysHad() {
        let routes = Set(registered.map { "\($0.method) /\($0.path)" })
        for expected in [
            "GET /", "POST /login", "POST /admin/users/:id/grants/:grant/revoke", "GET /healthz", "GET /api/openapi.yaml",
            "GET /api/v1/**", "PATCH /api/v1/organizations/:id", "DELETE /api/v1/organizations/:id",
            "GET /people/:id", "POST /people/:id", "PATCH /api/v1/people/:id", "GET /me/data",
            "GET /files/:id", "GET /api/v1/cases/track/:trackingNumber", "POST /api/v1/cases",
            "POST /plans/targets/:id/metric", "POST /plans/tasks/:id/progress", "POST /api/v1/plans/parse",
            "GET /innovation/postings/:id", "POST /innovation/postings/:id", "PUT /api/v1/postings/:id",
            "GET /api/v1/demands/:id/matches", "GET /innovation/batch/:id/result.xlsx",
        ] {
            XCTAssertTrue(routes.contains(expected), "\(expected) is not registered")
        }
    }
}

/// Links built from route values.
final class SiteRouteLinkTests: XCTestCase {
    let id = UUID(uuidString: "6F1C2A3B-4D5E-4F60-8172-93A4B5C6D7E8")!
    let other = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!

    func testParametersAreFilledInOrderWithUpperCaseIdentifiers() {
        XCTAssertEqual(SiteRoute<UUID>("/people/:id")(id), "/people/6F1C2A3B-4D5E-4F60-8172-93A4B5C6D7E8")
        XCTAssertEqual(
            SiteRoute<(UUID, UUID)>("/admin/users/:id/grants/:grant/revoke")(id, other),
            "/admin/users/6F1C2A3B-4D5E-4F60-8172-93A4B5C6D7E8/grants/00000000-0000-0000-0000-00000000000A/revoke")
        XCTAssertEqual(SiteRoute<String>("/api/v1/cases/track/:trackingNumber")("SH 2026/07"), "/api/v1/cases/track/SH%202026%2F07")
        XCTAssertEqual(SiteRoute<Void>("/")(), "/")
        XCTAssertEqual(SiteRoute<Void>("/service/new").path, "/service/new")
    }

    func testThePatternIsTheTemplateInTheRoutersSyntax() {
        let route = SiteRoute<(UUID, UUID)>("/service/cases/:id/attachments/:attachment")
        XCTAssertEqual(route.pattern, ["service", "cases", ":id", "attachments", ":attachment"])
        XCTAssertEqual(route.parameterNames, ["id", "attachment"])
        XCTAssertEqual(SiteRoute<Void>("/api/v1/**").pattern, ["api", "v1", .catchall])
        XCTAssertEqual(SiteRoute<Void>("/").pattern, [])
    }

    func testQueriesKeepTheOrderGivenAndLeaveOutNilAndEmptyValues() {
        XCTAssertEqual(
            SiteRoute<Void>("/people")(query: ["verification": "pending", "page": nil, "q": "", "sort": "name"]),
            "/people?verification=pending&sort=name")
        XCTAssertEqual(SiteRoute<Void>("/people")(query: ["page": nil]), "/people")
        XCTAssertEqual(
            SiteRoute<UUID>("/plans/:id/evaluation")(id, query: ["notice": "saved"]),
            "/plans/6F1C2A3B-4D5E-4F60-8172-93A4B5C6D7E8/evaluation?notice=saved")
        XCTAssertEqual(SiteRoute<Void>("/service/track")(query: ["code": "a b&c=d/e"]), "/service/track?code=a%20b%26c%3Dd%2Fe")
        XCTAssertEqual(SiteRoute<Void>("/admin/audit")(query: ["action": "login.failure"]), "/admin/audit?action=login.failure")
    }

    func testTheLogInLinkKeepsOnlyALocalNextEncodedStrictly() {
        XCTAssertEqual(PlatformRoutes.login(next: "/people/AB-1?x=1"), "/login?next=%2Fpeople%2FAB%2D1%3Fx%3D1")
        XCTAssertEqual(PlatformRoutes.login(next: "//evil.example/"), "/login")
        XCTAssertEqual(PlatformRoutes.login(next: nil), "/login")
        XCTAssertEqual(PlatformRoutes.secondFactor(next: "/"), "/login/second-factor?next=%2F")
    }
}
