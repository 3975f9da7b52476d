import Foundation
import Vapor

/// Request bodies are limited per route before anything is buffered. Forms and log-in are small; a
/// route that takes uploads says how much it takes with `upload(...)`, and that is the most anyone can
/// make this process hold for it. The CSRF check (which must read a form's `_csrf` field) reads the
/// body only up to the route's limit, and refuses a declared `Content-Length` over it unread.
public enum BodyLimits {
    /// A form without files: enough for the longest text fields, far from an upload.
    public static let form = 512 * 1024
    /// Log-in, sign-up, second factor: a few fields.
    public static let small = 16 * 1024
    static let key = AnySendableHashable("kexie.bodyLimit")

    /// The limit that applies to the request: its route's, or `form` for a state-changing page.
    static func limit(for request: Request) -> Int {
        (request.route?.userInfo[key] as? Int) ?? form
    }

    /// 413 before reading when the client declares more than the limit.
    static func refuseDeclaredOversize(_ request: Request, limit: Int) throws {
        if let declared = request.headers.first(name: .contentLength).flatMap(Int.init), declared > limit {
            throw PlatformError.payloadTooLarge(limit: limit)
        }
    }
}

extension Route {
    /// Sets the most this route reads of a request body (see `BodyLimits`).
    @discardableResult
    public func limitBody(_ bytes: Int) -> Route {
        userInfo[BodyLimits.key] = bytes
        return self
    }
}

extension RoutesBuilder {
    /// A route that takes files: its body is collected up to `maxBytes` and no further, by the CSRF
    /// check and by the route alike.
    @discardableResult
    public func upload<P, Response: AsyncResponseEncodable>(
        _ method: HTTPMethod = .POST, _ route: SiteRoute<P>, maxBytes: Int,
        use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(method, route, body: .collect(maxSize: ByteCount(value: maxBytes)), use: closure).limitBody(maxBytes)
    }
}

extension Request {
    /// 413 unless the body (declared or already read) is within `limit`: for JSON routes whose CSRF
    /// token comes in a header, so the CSRF check does not look at the body.
    public func requireBody(within limit: Int) throws {
        try BodyLimits.refuseDeclaredOversize(self, limit: limit)
        if let data = body.data, data.readableBytes > limit { throw PlatformError.payloadTooLarge(limit: limit) }
    }
}
