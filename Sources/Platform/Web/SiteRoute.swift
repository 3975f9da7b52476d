import Foundation
import Vapor

/// One route of the site — page, form target or API operation — as a value. The same value registers
/// the route (`web.get(Routes.person, use: show)`) and builds every link and redirect to it
/// (`Routes.person(id)`), so a pattern and its links cannot drift apart.
///
/// `Parameters` is what a link needs: `Void` for a fixed path, `UUID` for one `:id`-style parameter,
/// `(UUID, UUID)` for two, `String` for one text parameter. The pattern is written once, in the path
/// syntax the router uses:
///
///     enum MembersRoutes: RouteCatalog {
///         static let people = SiteRoute<Void>("/people")
///         static let person = SiteRoute<UUID>("/people/:id")
///         static let all: [any AnySiteRoute] = [people, person]
///     }
///
/// Each module lists its routes in one `RouteCatalog`; a test proves every listed route is registered
/// and every registered route is listed (Tests/PlatformTests/Conventions/RouteCatalogTests.swift).
public struct SiteRoute<Parameters>: AnySiteRoute, Sendable {
    public let template: String
    public let pattern: [PathComponent]

    public init(_ template: String) {
        precondition(template.hasPrefix("/"), "a route template starts with /: \(template)")
        self.template = template
        self.pattern = template.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }
    }

    /// The parameter names in order (`:id` → `id`).
    public var parameterNames: [String] {
        pattern.compactMap { if case .parameter(let name) = $0 { return name } else { return nil } }
    }

    /// The path with the parameters filled in, in order (identifiers as `UUID.uuidString`, upper case,
    /// as every link has always been written).
    func fill(_ values: [String]) -> String {
        var remaining = values[...]
        let parts = pattern.map { component -> String in
            switch component {
            case .parameter:
                return remaining.popFirst() ?? ""
            default:
                return component.description
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// The type-erased face of a route, for catalogs and the registration test.
public protocol AnySiteRoute: Sendable {
    var template: String { get }
    var pattern: [PathComponent] { get }
}

/// Where a module lists every route it declares.
public protocol RouteCatalog {
    static var all: [any AnySiteRoute] { get }
}

extension SiteRoute where Parameters == Void {
    /// The path itself.
    public var path: String { template }

    public func callAsFunction() -> String { template }

    /// The path with a query; nil and empty values are left out, keys keep the order given.
    public func callAsFunction(query: KeyValuePairs<String, String?>) -> String {
        template + SiteRoute.queryString(query)
    }
}

extension SiteRoute where Parameters == UUID {
    public func callAsFunction(_ id: UUID) -> String { fill([id.uuidString]) }

    public func callAsFunction(_ id: UUID, query: KeyValuePairs<String, String?>) -> String {
        fill([id.uuidString]) + SiteRoute.queryString(query)
    }
}

extension SiteRoute where Parameters == (UUID, UUID) {
    public func callAsFunction(_ first: UUID, _ second: UUID) -> String {
        fill([first.uuidString, second.uuidString])
    }
}

extension SiteRoute where Parameters == String {
    /// A route whose parameter is text (a tracking number, a file name); the value is percent-encoded.
    public func callAsFunction(_ value: String) -> String {
        fill([value.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? ""])
    }
}

extension SiteRoute {
    /// `?key=value&…` with values encoded as list links encode them (`ListParameters.link`); nil and
    /// empty values are left out, and no pair at all gives "".
    static func queryString(_ query: KeyValuePairs<String, String?>) -> String {
        let pairs = query.compactMap { key, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return key + "=" + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? "")
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }
}

/// Registering a route by its value. Handlers return a `Response` (pages) or any encodable value (API
/// DTOs), as with Vapor's own `get`/`post`/`on`; other methods (PUT, PATCH, DELETE) go through `on`.
extension RoutesBuilder {
    @discardableResult
    public func get<P, Result: AsyncResponseEncodable>(
        _ route: SiteRoute<P>, use handler: @Sendable @escaping (Request) async throws -> Result
    ) -> Route {
        on(.GET, route, use: handler)
    }

    @discardableResult
    public func post<P, Result: AsyncResponseEncodable>(
        _ route: SiteRoute<P>, use handler: @Sendable @escaping (Request) async throws -> Result
    ) -> Route {
        on(.POST, route, use: handler)
    }

    @discardableResult
    public func on<P, Result: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ route: SiteRoute<P>, body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> Result
    ) -> Route {
        on(method, route.pattern, body: body, use: handler)
    }
}

extension Request {
    /// The `:id` path parameter (or another named one) as a UUID, or 404.
    public func uuidParameter(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw PlatformError.notFound }
        return id
    }
}
