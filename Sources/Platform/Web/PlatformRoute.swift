import Foundation
import Vapor

/// Every page of the foundation as a value: the same case registers the route (through `pattern`)
/// and builds every link and redirect to it (through `path`).
public enum PlatformRoute: Sendable {
    case home
    case login(next: String?)
    case logout
    case signup
    case setup(token: String?)
    case changePassword
    /// The log-in step that asks for the authenticator code.
    case secondFactor(next: String?)
    /// Binding an authenticator (QR code, first code, recovery codes).
    case secondFactorSetup
    case secondFactorQR
    case actingOrganization
    case tokens
    case revokeToken(UUID)
    case organizations
    case newOrganization
    case organization(UUID)
    case editOrganization(UUID)
    case moveOrganization(UUID)
    case deactivateOrganization(UUID)
    case addDepartment(UUID)
    case users
    case newUser
    case user(UUID)
    case grantRole(UUID)
    case revokeGrant(UUID, grant: UUID)
    case resetPassword(UUID)
    case unlockUser(UUID)
    case resetSecondFactor(UUID)
    case audit
    case healthz
    case readyz

    public var path: String {
        switch self {
        case .home: return "/"
        case .login(let next):
            guard let next = LocalRedirect.target(next) else { return "/login" }
            return "/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        case .logout: return "/logout"
        case .signup: return "/signup"
        case .setup(let token):
            return "/setup" + (token.map { "?token=" + $0 } ?? "")
        case .changePassword: return "/account/password"
        case .secondFactor(let next):
            guard let next = LocalRedirect.target(next) else { return "/login/second-factor" }
            return "/login/second-factor?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        case .secondFactorSetup: return "/account/second-factor"
        case .secondFactorQR: return "/account/second-factor/qr.svg"
        case .actingOrganization: return "/account/acting-organization"
        case .tokens: return "/account/tokens"
        case .revokeToken(let id): return "/account/tokens/\(id)/revoke"
        case .organizations: return "/admin/organizations"
        case .newOrganization: return "/admin/organizations/new"
        case .organization(let id): return "/admin/organizations/\(id)"
        case .editOrganization(let id): return "/admin/organizations/\(id)/edit"
        case .moveOrganization(let id): return "/admin/organizations/\(id)/move"
        case .deactivateOrganization(let id): return "/admin/organizations/\(id)/deactivate"
        case .addDepartment(let id): return "/admin/organizations/\(id)/departments"
        case .users: return "/admin/users"
        case .newUser: return "/admin/users/new"
        case .user(let id): return "/admin/users/\(id)"
        case .grantRole(let id): return "/admin/users/\(id)/grants"
        case .revokeGrant(let id, let grant): return "/admin/users/\(id)/grants/\(grant)/revoke"
        case .resetPassword(let id): return "/admin/users/\(id)/reset-password"
        case .unlockUser(let id): return "/admin/users/\(id)/unlock"
        case .resetSecondFactor(let id): return "/admin/users/\(id)/reset-second-factor"
        case .audit: return "/admin/audit"
        case .healthz: return "/healthz"
        case .readyz: return "/readyz"
        }
    }

    /// The route pattern, derived from a representative value so pattern and link cannot drift.
    static func pattern(_ route: PlatformRoute) -> [PathComponent] {
        let placeholder = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!
        let grantPlaceholder = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
        let path = route.path.split(separator: "?").first.map(String.init) ?? "/"
        return path.split(separator: "/").map { part -> PathComponent in
            switch String(part) {
            case placeholder.uuidString: return ":id"
            case grantPlaceholder.uuidString: return ":grant"
            default: return .constant(String(part))
            }
        }
    }

    static let anyID = UUID(uuidString: "00000000-0000-0000-0000-000000000000")!
    static let anyGrant = UUID(uuidString: "00000000-0000-0000-0000-000000000001")!
}

extension RoutesBuilder {
    @discardableResult
    func get(_ route: PlatformRoute, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.GET, PlatformRoute.pattern(route), use: handler)
    }

    @discardableResult
    func post(_ route: PlatformRoute, use handler: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.POST, PlatformRoute.pattern(route), use: handler)
    }
}

extension Request {
    /// The `:id` path parameter as a UUID, or 404.
    public func uuidParameter(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw PlatformError.notFound }
        return id
    }
}
