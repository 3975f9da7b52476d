import Foundation

/// Every environment variable Kexie reads, read once into one typed value. Anything malformed stops
/// the process at start with a message naming the variable, instead of failing later on a request.
public struct KexieConfiguration: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        case postgres(url: String)

        public var isPostgres: Bool {
            if case .postgres = self { return true }
            return false
        }
    }

    public var dataDirectory: String
    public var database: Database
    /// Base64 secret from KEXIE_SECRET_KEY; nil means "read or create `secret.key` in the data folder".
    public var secretKey: Data?
    public var sessionIdleMinutes: Int
    /// Idle minutes for administrators (system, security, audit, organization): shorter, as 等保 asks.
    public var adminIdleMinutes: Int = 15
    /// Days an API token lives when its creator names none.
    public var tokenDefaultDays: Int = 90
    /// nil: decide per request from the scheme or X-Forwarded-Proto.
    public var secureCookies: Bool?
    public var resourcesDirectory: String
    public var bcryptCost: Int
    public var maxLoginFailures: Int
    public var lockoutMinutes: Int
    public var databasePoolSize: Int
    public var publicBaseURL: String?
    /// Believe X-Forwarded-For / X-Forwarded-Proto (only behind a trusted reverse proxy).
    public var trustProxy: Bool = false
    /// The reverse proxies whose `X-Forwarded-For` hops are believed (KEXIE_TRUSTED_PROXIES, comma-separated
    /// addresses or CIDR ranges); loopback when only KEXIE_TRUST_PROXY is set.
    public var trustedProxies: TrustedProxies = .loopback
    /// KEXIE_JOBS_INTERVAL: run every background job on this interval (seconds) instead of its own, for
    /// drills and the two-instance test; unset in production.
    public var jobIntervalOverride: Int?

    public init(
        dataDirectory: String = "./kexie-data",
        database: Database = .sqliteFile(path: "./kexie-data/kexie.sqlite"),
        secretKey: Data? = nil,
        sessionIdleMinutes: Int = 30,
        secureCookies: Bool? = nil,
        resourcesDirectory: String = FileManager.default.currentDirectoryPath,
        bcryptCost: Int = 12,
        maxLoginFailures: Int = 5,
        lockoutMinutes: Int = 15,
        databasePoolSize: Int = 8,
        publicBaseURL: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.secretKey = secretKey
        self.sessionIdleMinutes = sessionIdleMinutes
        self.secureCookies = secureCookies
        self.resourcesDirectory = resourcesDirectory
        self.bcryptCost = bcryptCost
        self.maxLoginFailures = maxLoginFailures
        self.lockoutMinutes = lockoutMinutes
        self.databasePoolSize = databasePoolSize
        self.publicBaseURL = publicBaseURL
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let variable: String
        public let reason: String
        public var description: String { "配置错误 / invalid configuration: \(variable): \(reason)" }
    }

    /// Reads the process environment. The documentation table in README.md lists the same variables.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws
        -> KexieConfiguration
    {
        var config = KexieConfiguration()
        if let dir = env["KEXIE_DATA_DIR"], !dir.isEmpty { config.dataDirectory = dir }
        if let url = env["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw Invalid(variable: "DATABASE_URL", reason: "must start with postgres:// or postgresql://")
            }
            config.database = .postgres(url: url)
        } else {
            config.database = .sqliteFile(path: config.dataDirectory + "/kexie.sqlite")
        }
        if let key = env["KEXIE_SECRET_KEY"], !key.isEmpty {
            guard let data = Data(base64Encoded: key), data.count >= 32 else {
                throw Invalid(variable: "KEXIE_SECRET_KEY", reason: "must be base64 of at least 32 bytes")
            }
            config.secretKey = data
        }
        config.sessionIdleMinutes = try int(env, "KEXIE_SESSION_IDLE_MINUTES", default: 30, range: 1...1440)
        config.adminIdleMinutes = try int(env, "KEXIE_ADMIN_IDLE_MINUTES", default: 15, range: 1...1440)
        config.tokenDefaultDays = try int(env, "KEXIE_TOKEN_DAYS", default: 90, range: 1...3650)
        if let secure = env["KEXIE_SECURE_COOKIES"], !secure.isEmpty {
            switch secure.lowercased() {
            case "true", "1", "yes": config.secureCookies = true
            case "false", "0", "no": config.secureCookies = false
            case "auto": config.secureCookies = nil
            default: throw Invalid(variable: "KEXIE_SECURE_COOKIES", reason: "use true, false or auto")
            }
        }
        if let dir = env["KEXIE_RESOURCES_DIR"], !dir.isEmpty { config.resourcesDirectory = dir }
        config.bcryptCost = try int(env, "KEXIE_BCRYPT_COST", default: 12, range: 4...31)
        config.maxLoginFailures = try int(env, "KEXIE_MAX_LOGIN_FAILURES", default: 5, range: 1...100)
        config.lockoutMinutes = try int(env, "KEXIE_LOCKOUT_MINUTES", default: 15, range: 1...1440)
        config.databasePoolSize = try int(env, "KEXIE_DB_POOL_SIZE", default: 8, range: 1...128)
        if env["KEXIE_JOBS_INTERVAL"].map({ !$0.isEmpty }) ?? false {
            config.jobIntervalOverride = try int(env, "KEXIE_JOBS_INTERVAL", default: 600, range: 1...86_400)
        }
        if let base = env["KEXIE_PUBLIC_URL"], !base.isEmpty { config.publicBaseURL = base }
        if let trust = env["KEXIE_TRUST_PROXY"], !trust.isEmpty {
            guard ["true", "false", "1", "0"].contains(trust.lowercased()) else {
                throw Invalid(variable: "KEXIE_TRUST_PROXY", reason: "use true or false")
            }
            config.trustProxy = ["true", "1"].contains(trust.lowercased())
        }
        if let list = env["KEXIE_TRUSTED_PROXIES"], !list.isEmpty {
            do {
                config.trustedProxies = try TrustedProxies(list.split(separator: ",").map(String.init))
            } catch {
                throw Invalid(variable: "KEXIE_TRUSTED_PROXIES", reason: "\(error)")
            }
            config.trustProxy = true
        }
        return config
    }

    private static func int(_ env: [String: String], _ name: String, default value: Int, range: ClosedRange<Int>)
        throws -> Int
    {
        guard let raw = env[name], !raw.isEmpty else { return value }
        guard let parsed = Int(raw), range.contains(parsed) else {
            throw Invalid(variable: name, reason: "must be a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return parsed
    }
}
