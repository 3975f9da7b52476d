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
    public let audit: AuditLog
    public let clock: @Sendable () -> Date
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
    public var clientAddress: String {
        if application.platform.configuration.trustProxy,
            let forwarded = headers.first(name: "X-Forwarded-For")?.split(separator: ",").first
        {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
