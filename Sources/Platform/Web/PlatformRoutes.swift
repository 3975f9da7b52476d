import Foundation
import Vapor

/// Every route of the foundation: its pages and forms, the probes, and its `/api/v1` operations.
/// Public, because every module links to the home page, the log-in page and the account pages.
///
/// API routes are written with their full path ("/api/v1/me") and registered on groups that add only
/// middleware (`ModuleRoutes.api`, `.publicAPI`), so one value is one URL: the template is what a
/// client calls, what `app.routes` lists and what a test compares, with no prefix kept elsewhere.
public enum PlatformRoutes: RouteCatalog {
    /// The portal for visitors; a logged-in user's work home (also at `workbench`).
    public static let home = SiteRoute<Void>("/")
    public static let workbench = SiteRoute<Void>("/workbench")
    public static let login = SiteRoute<Void>("/login")
    /// The log-in step that asks for the authenticator code.
    public static let secondFactor = SiteRoute<Void>("/login/second-factor")
    public static let logout = SiteRoute<Void>("/logout")
    public static let signup = SiteRoute<Void>("/signup")
    /// The one-time page that creates the first system administrator (`?token=`).
    public static let setup = SiteRoute<Void>("/setup")

    /// Turns 关怀模式 on or off (a cookie) and goes back to the page (`next`).
    public static let careMode = SiteRoute<Void>("/care-mode")

    public static let changePassword = SiteRoute<Void>("/account/password")
    /// Binding an authenticator (QR code, first code, recovery codes).
    public static let secondFactorSetup = SiteRoute<Void>("/account/second-factor")
    public static let secondFactorQR = SiteRoute<Void>("/account/second-factor/qr.svg")
    public static let actingOrganization = SiteRoute<Void>("/account/acting-organization")
    public static let tokens = SiteRoute<Void>("/account/tokens")
    public static let revokeToken = SiteRoute<UUID>("/account/tokens/:id/revoke")

    public static let organizations = SiteRoute<Void>("/admin/organizations")
    public static let newOrganization = SiteRoute<Void>("/admin/organizations/new")
    public static let organization = SiteRoute<UUID>("/admin/organizations/:id")
    public static let editOrganization = SiteRoute<UUID>("/admin/organizations/:id/edit")
    public static let moveOrganization = SiteRoute<UUID>("/admin/organizations/:id/move")
    public static let deactivateOrganization = SiteRoute<UUID>("/admin/organizations/:id/deactivate")
    public static let addDepartment = SiteRoute<UUID>("/admin/organizations/:id/departments")

    public static let users = SiteRoute<Void>("/admin/users")
    public static let newUser = SiteRoute<Void>("/admin/users/new")
    public static let user = SiteRoute<UUID>("/admin/users/:id")
    public static let grantRole = SiteRoute<UUID>("/admin/users/:id/grants")
    /// The user, then the grant.
    public static let revokeGrant = SiteRoute<(UUID, UUID)>("/admin/users/:id/grants/:grant/revoke")
    public static let resetPassword = SiteRoute<UUID>("/admin/users/:id/reset-password")
    public static let unlockUser = SiteRoute<UUID>("/admin/users/:id/unlock")
    public static let resetSecondFactor = SiteRoute<UUID>("/admin/users/:id/reset-second-factor")

    public static let audit = SiteRoute<Void>("/admin/audit")
    public static let calendar = SiteRoute<Void>("/admin/calendar")
    public static let calendarYears = SiteRoute<Void>("/admin/calendar/years")
    public static let calendarOverrides = SiteRoute<Void>("/admin/calendar/overrides")

    public static let metrics = SiteRoute<Void>("/metrics")
    public static let metric = SiteRoute<String>("/metrics/:metric")
    /// Forms: the list (GET) and creating one (POST), the builder of one form and its steps.
    public static let forms = SiteRoute<Void>("/admin/forms")
    public static let newForm = SiteRoute<Void>("/admin/forms/new")
    public static let form = SiteRoute<UUID>("/admin/forms/:id")
    public static let formFields = SiteRoute<UUID>("/admin/forms/:id/fields")
    /// One field's editor (`?key=`) and saving it.
    public static let formField = SiteRoute<UUID>("/admin/forms/:id/field")
    public static let formFieldMove = SiteRoute<UUID>("/admin/forms/:id/fields/move")
    public static let formFieldDelete = SiteRoute<UUID>("/admin/forms/:id/fields/delete")
    public static let formSections = SiteRoute<UUID>("/admin/forms/:id/sections")
    /// Changing the form's title and description.
    public static let formSettings = SiteRoute<UUID>("/admin/forms/:id/settings")
    public static let formPublish = SiteRoute<UUID>("/admin/forms/:id/publish")
    public static let formClose = SiteRoute<UUID>("/admin/forms/:id/close")
    public static let formAnswers = SiteRoute<UUID>("/admin/forms/:id/answers")
    /// Filling in a published form (anyone logged in within the form's organization subtree).
    public static let formFill = SiteRoute<UUID>("/forms/:id/fill")

    /// 全站搜索: every module's search provider, grouped by kind (public; a session adds scope).
    public static let search = SiteRoute<Void>("/search")
    /// The organization picker's type-ahead (`?q=&set=&limit=`): JSON, logged in, scoped.
    public static let organizationLookup = SiteRoute<Void>("/organizations/lookup")

    public static let inbox = SiteRoute<Void>("/notifications")
    public static let inboxReadAll = SiteRoute<Void>("/notifications/read-all")
    public static let inboxOpen = SiteRoute<UUID>("/notifications/:id/open")

    /// 通知公告: the readers' list and one notice (public ones to anyone, internal ones to the subtree).
    public static let notices = SiteRoute<Void>("/notices")
    public static let notice = SiteRoute<UUID>("/notices/:id")
    /// The staff's list of their subtree's notices, and writing them.
    public static let manageNotices = SiteRoute<Void>("/admin/notices")
    public static let newNotice = SiteRoute<Void>("/admin/notices/new")
    public static let editNotice = SiteRoute<UUID>("/admin/notices/:id/edit")
    public static let withdrawNotice = SiteRoute<UUID>("/admin/notices/:id/withdraw")
    /// The site footer the system administrator keeps.
    public static let siteFooter = SiteRoute<Void>("/admin/site-footer")

    /// A stored file (`FileStore`), served when the owning module lets the actor read its record.
    public static let file = SiteRoute<UUID>("/files/:id")

    public static let healthz = SiteRoute<Void>("/healthz")
    public static let readyz = SiteRoute<Void>("/readyz")

    public static let openAPIDocument = SiteRoute<Void>("/api/openapi.yaml")
    public static let apiMe = SiteRoute<Void>("/api/v1/me")
    public static let apiOrganizations = SiteRoute<Void>("/api/v1/organizations")
    public static let apiOrganization = SiteRoute<UUID>("/api/v1/organizations/:id")
    public static let apiNotifications = SiteRoute<Void>("/api/v1/notifications")
    public static let apiMetrics = SiteRoute<Void>("/api/v1/metrics")
    public static let apiMetric = SiteRoute<String>("/api/v1/metrics/:metric")
    public static let apiMetricRecords = SiteRoute<String>("/api/v1/metrics/:metric/records")
    public static let apiAddWorkingDays = SiteRoute<Void>("/api/v1/calendar/add-working-days")
    public static let apiForm = SiteRoute<UUID>("/api/v1/forms/:id")
    public static let apiNotices = SiteRoute<Void>("/api/v1/notices")
    public static let apiNotice = SiteRoute<UUID>("/api/v1/notices/:id")
    /// The global search as JSON (public; a bearer token adds the token holder's scope).
    public static let apiSearch = SiteRoute<Void>("/api/v1/search")
    /// Any other `/api/v1` path: answers the JSON 404 rather than the HTML page.
    public static let apiNotFound = SiteRoute<Void>("/api/v1/**")

    public static let all: [any AnySiteRoute] = [
        home, workbench, login, secondFactor, logout, signup, setup, careMode,
        changePassword, secondFactorSetup, secondFactorQR, actingOrganization, tokens, revokeToken,
        organizations, newOrganization, organization, editOrganization, moveOrganization, deactivateOrganization, addDepartment,
        users, newUser, user, grantRole, revokeGrant, resetPassword, unlockUser, resetSecondFactor,
        audit, calendar, calendarYears, calendarOverrides, metrics, metric, inbox, inboxReadAll, inboxOpen, file, healthz, readyz,
        forms, newForm, form, formFields, formField, formFieldMove, formFieldDelete, formSections, formSettings, formPublish, formClose,
        formAnswers,
        formFill, notices, notice, manageNotices, newNotice, editNotice, withdrawNotice, checkIn, checkInCount, checkInScans,
        checkInWalkIns, siteFooter, search, organizationLookup,
        openAPIDocument, apiMe, apiOrganizations, apiOrganization, apiNotifications, apiMetrics, apiMetric,
        apiMetricRecords, apiAddWorkingDays, apiForm, apiNotices, apiNotice, apiSearch, apiNotFound,
    ]

    /// The log-in page, returning to `next` afterwards when it is a local path (else it is left out).
    public static func login(next: String?) -> String { returning(login, to: next) }

    /// The authenticator-code step, returning to `next` afterwards like `login(next:)`.
    public static func secondFactor(next: String?) -> String { returning(secondFactor, to: next) }

    /// `next` is encoded strictly (everything but letters and digits), as these links always were.
    private static func returning(_ route: SiteRoute<Void>, to next: String?) -> String {
        guard let next = LocalRedirect.target(next) else { return route() }
        return route() + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}
