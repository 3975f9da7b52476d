import Fluent
import Foundation
import KexieKit
import Vapor

/// The platform's shared services, built once per Application and passed to handlers through the
/// request. Nothing here is a global: two apps in one test process each have their own.
public struct PlatformServices: Sendable {
    public let configuration: KexieConfiguration
    public let secrets: SecretBox
    public let registry: ModuleRegistry
    public let writes: WriteSerializer
    public private(set) var audit: AuditLog
    public private(set) var clock: @Sendable () -> Date
    /// Per-client counters for `RatePolicy` (see `Request.enforce`).
    public let limiter = RateLimiter()
    /// The site footer, held in memory (`SiteFooterCache`) so a page costs no query for it.
    public let siteFooter = SiteFooterCache()
    /// A real bcrypt hash at the configured cost, verified against when a log-in names no user, so the
    /// response time does not reveal whether the user exists.
    let dummyPasswordHash: String

    public init(
        configuration: KexieConfiguration, secret: Data, registry: ModuleRegistry,
        clock: @escaping @Sendable () -> Date
    ) {
        self.configuration = configuration
        secrets = SecretBox(secret: secret)
        self.registry = registry
        let isSQLite = !configuration.database.isPostgres
        writes = WriteSerializer(enabled: isSQLite)
        audit = AuditLog(serializer: writes, clock: clock)
        self.clock = clock
        dummyPasswordHash = (try? Bcrypt.hash(Digest.randomToken(), cost: configuration.bcryptCost)) ?? ""
    }

    /// The same services reading another clock (the demo province writes its past through them).
    public func with(clock: @escaping @Sendable () -> Date) -> PlatformServices {
        var copy = self
        copy.clock = clock
        copy.audit = AuditLog(serializer: writes, clock: clock)
        return copy
    }
}

extension Application {
    private struct PlatformKey: StorageKey {
        typealias Value = PlatformServices
    }

    public var platform: PlatformServices {
        get {
            guard let services = storage[PlatformKey.self] else {
                // Reaching this is a programming error in app assembly, not a request-time condition.
                preconditionFailure("Platform services are configured by KexieApp.configure before use")
            }
            return services
        }
        set { storage[PlatformKey.self] = newValue }
    }
}

extension Request {
    public var platform: PlatformServices { application.platform }

    /// The client's address; X-Forwarded-For is believed only when the operator says a proxy is in front.
    /// The client's address for lock-outs, rate limits and the audit log: the rightmost hop of
    /// `X-Forwarded-For` that is not one of the configured trusted proxies (see `TrustedProxies`).
    public var clientAddress: String {
        let configuration = application.platform.configuration
        let peer = remoteAddress?.ipAddress
        guard configuration.trustProxy else { return peer ?? "unknown" }
        let forwarded = headers[.xForwardedFor].joined(separator: ",")
        return configuration.trustedProxies.client(forwardedFor: forwarded.isEmpty ? nil : forwarded, peer: peer)
    }
}
