import Foundation
import Vapor

/// Answers a request under `/api/v1` whose path exists but not for its method with 405, the JSON error
/// body and an `Allow` header (RFC 9110), instead of the router's 404: a client that sent DELETE where
/// only GET is served learns what it did wrong. OPTIONS gets 204 with the same `Allow`. A path that no
/// method serves answers the platform's JSON 404.
///
/// It looks routes up the way Vapor's router does (method first, then the path), so a path that one
/// method matches through a parameter (`POST /cases/{id}/transitions` with id "track") is never taken for
/// another route's constant (`GET /cases/track/{trackingNumber}`).
public final class MethodNotAllowedMiddleware: AsyncMiddleware, @unchecked Sendable {
    // Built once in `init` and only read afterwards, so sharing it between event loops is safe.
    private let router = TrieRouter(Bool.self)
    private let prefix: [String]
    private let methods: [HTTPMethod]

    /// - Parameters:
    ///   - routes: every registered route; those outside `prefix` and catch-alls (`**`) are ignored.
    ///   - prefix: the path this applies to, e.g. `["api", "v1"]`.
    public init(routes: [Route], prefix: [String]) {
        self.prefix = prefix
        var seen: [HTTPMethod] = []
        for route in routes {
            let path = route.path.filter { $0 != .constant("") }
            guard path.count > prefix.count, Array(path.prefix(prefix.count)) == prefix.map(PathComponent.constant),
                !path.contains(.catchall)
            else { continue }
            router.register(true, at: [.constant(route.method.rawValue)] + path)
            if !seen.contains(route.method) { seen.append(route.method) }
        }
        // A stable order for the header: the usual reading order of methods.
        let order: [HTTPMethod] = [.GET, .POST, .PUT, .PATCH, .DELETE]
        methods = order.filter(seen.contains) + seen.filter { !order.contains($0) }
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let components = request.url.path.split(separator: "/").map(String.init)
        guard components.count > prefix.count, Array(components.prefix(prefix.count)) == prefix else {
            return try await next.respond(to: request)
        }
        // HEAD is served by GET routes, as Vapor's router does.
        let method = request.method == .HEAD ? HTTPMethod.GET : request.method
        if serves(method, components) { return try await next.respond(to: request) }
        let allowed = methods.filter { serves($0, components) }
        guard !allowed.isEmpty else { throw PlatformError.notFound }
        let allow = (allowed + (allowed.contains(.GET) ? [.HEAD] : []) + [.OPTIONS]).map(\.rawValue).joined(separator: ", ")
        if request.method == .OPTIONS {
            return Response(status: .noContent, headers: ["Allow": allow])
        }
        let response = Response(status: .methodNotAllowed, headers: ["Allow": allow])
        try response.content.encode(
            APIErrorBody(PlatformError.methodNotAllowed(method: request.method.rawValue, allowed: allowed.map(\.rawValue))), as: .json)
        return response
    }

    private func serves(_ method: HTTPMethod, _ components: [String]) -> Bool {
        var parameters = Parameters()
        return router.route(path: [method.rawValue] + components, parameters: &parameters) ?? false
    }
}
