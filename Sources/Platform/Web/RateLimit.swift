import Foundation
import NIOConcurrencyHelpers
import Vapor

/// How often one client may do one costly or guessable thing. Each refusal is a 429 with a Chinese
/// message and a warning in the log; other clients are unaffected because the count is per key.
public struct RatePolicy: Sendable, Hashable {
    public let name: String
    public let limit: Int
    public let window: TimeInterval

    public init(name: String, limit: Int, window: TimeInterval) {
        self.name = name
        self.limit = limit
        self.window = window
    }

    /// Log-in attempts per client address (the lock-out per account comes on top).
    public static let login = RatePolicy(name: "login", limit: 30, window: 300)
    /// Sign-ups (people and enterprises together): each costs a bcrypt hash and can add an organization.
    public static let signup = RatePolicy(name: "signup", limit: 10, window: 3600)
    /// Tracking-number look-ups: a guessing attack on tracking numbers must be slow.
    public static let tracking = RatePolicy(name: "tracking", limit: 30, window: 300)
    /// Phone digits tried on one tracking number, from any address: the four digits are 10,000
    /// guesses, so a number takes 10 tries an hour (a requester needs one).
    public static let trackingDigits = RatePolicy(name: "tracking_digits", limit: 10, window: 3600)
    /// Anonymous public forms other than the case intake (which keeps its own hourly count).
    public static let anonymousForm = RatePolicy(name: "anonymous_form", limit: 20, window: 3600)
    /// Requests per API token.
    public static let apiToken = RatePolicy(name: "api_token", limit: 1200, window: 60)
}

/// Fixed-window counters in memory. Per instance: behind several instances each enforces its share,
/// which bounds the total at `limit × instances` — enough against scripted abuse, with no extra store.
public final class RateLimiter: Sendable {
    private struct Window {
        var start: Date
        var count: Int
    }

    private let windows = NIOLockedValueBox<[String: Window]>([:])
    /// Beyond this many live keys, expired windows are swept before adding another.
    private let maxKeys: Int

    public init(maxKeys: Int = 100_000) { self.maxKeys = maxKeys }

    /// Counts one event for `key`; false once the policy's limit is reached in the current window.
    public func allow(_ policy: RatePolicy, key: String, now: Date) -> Bool {
        let id = policy.name + "|" + key
        return windows.withLockedValue { all in
            if var window = all[id], now.timeIntervalSince(window.start) < policy.window {
                guard window.count < policy.limit else { return false }
                window.count += 1
                all[id] = window
                return true
            }
            if all.count >= maxKeys {
                all = all.filter { now.timeIntervalSince($0.value.start) < 3600 }
                if all.count >= maxKeys { all.removeAll(keepingCapacity: true) }
            }
            all[id] = Window(start: now, count: 1)
            return true
        }
    }
}

/// Applies a policy per client address to the routes it is grouped over.
public struct RateLimitMiddleware: AsyncMiddleware {
    let policy: RatePolicy
    /// Only these methods count (a form's GET is free; its POST is what costs).
    let methods: [HTTPMethod]

    public init(_ policy: RatePolicy, methods: [HTTPMethod] = [.POST]) {
        self.policy = policy
        self.methods = methods
    }

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if methods.contains(request.method) {
            try request.enforce(policy, key: request.clientAddress)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// Throws 429 (and logs) when `key` has used up `policy` in the current window.
    public func enforce(_ policy: RatePolicy, key: String) throws {
        let services = platform
        guard services.limiter.allow(policy, key: key, now: services.clock()) else {
            logger.warning("rate limit reached", metadata: ["policy": .string(policy.name), "client": .string(clientAddress)])
            throw PlatformError.rateLimited
        }
    }
}
