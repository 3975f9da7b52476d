/// A named permission, owned by one module ("platform.orgs.write", "members.read", …).
public struct Permission: Hashable, Sendable {
    public let id: String
    public let label: String

    /// Who holds it is decided in one place, `AuthorizationTable`.
    public init(_ id: String, label: String) {
        self.id = id
        self.label = label
    }

    /// The built-in roles that hold this permission, from the authorization table.
    public var grantedTo: Set<RoleID> { AuthorizationTable.roles(allowed: id) }
}

/// The built-in roles, with the identifiers the command line takes.
public enum RoleID: String, CaseIterable, Codable, Sendable {
    case sysadmin, secadmin, auditor, orgadmin, staff, expert, member, enterprise

    public var label: String {
        switch self {
        case .sysadmin: return "系统管理员"
        case .secadmin: return "安全管理员"
        case .auditor: return "审计管理员"
        case .orgadmin: return "组织管理员"
        case .staff: return "工作人员"
        case .expert: return "专家"
        case .member: return "科技工作者"
        case .enterprise: return "企业用户"
        }
    }

    /// Roles whose work reaches other systems through `/api/v1` (imports, exports, an enterprise's own
    /// system posting supplies): their account menu offers API 令牌. The page stays open to every
    /// account; the others are simply not shown a link they have no use for.
    public var usesAPI: Bool { [.sysadmin, .orgadmin, .staff, .enterprise].contains(self) }

    /// 三权分立: security roles are granted only by the security administrator (or the operator's CLI).
    public var isSecurityRole: Bool { self == .secadmin || self == .auditor }

    /// The three administrators kept apart (三权分立): no account holds two of them.
    public var isAdministratorTriad: Bool { self == .sysadmin || self == .secadmin || self == .auditor }

    /// Roles a holder of `granter` may grant. The system administrator grants every role but the
    /// security ones; the security administrator grants only those; an organization administrator
    /// grants the everyday roles inside its subtree.
    public static func grantable(by granter: RoleID) -> [RoleID] {
        switch granter {
        case .sysadmin: return [.sysadmin, .orgadmin, .staff, .expert, .member, .enterprise]
        case .secadmin: return [.secadmin, .auditor]
        case .orgadmin: return [.orgadmin, .staff, .expert, .member, .enterprise]
        default: return []
        }
    }
}

/// The foundation's own permissions.
public enum PlatformPermission {
    public static let orgsRead = Permission("platform.orgs.read", label: "查看组织")
    public static let orgsWrite = Permission("platform.orgs.write", label: "管理组织")
    public static let usersRead = Permission("platform.users.read", label: "查看账号")
    public static let usersWrite = Permission("platform.users.write", label: "管理账号")
    public static let rolesGrant = Permission("platform.roles.grant", label: "授予角色")
    public static let accountsUnlock = Permission("platform.accounts.unlock", label: "重置密码与解锁")
    public static let auditRead = Permission("platform.audit.read", label: "查阅审计日志")

    /// The installation's working-day calendar is national with local deviations: the system
    /// administrator keeps it.
    public static let calendarManage = Permission("platform.calendar.manage", label: "维护节假日与调休安排")

    /// The registered figures of one's subtree (统计指标); the records behind each need that module's own permission.
    public static let metricsRead = Permission("platform.metrics.read", label: "查看统计指标")
    /// Building forms of the organization's subtree, publishing them and reading their answers.
    public static let formsManage = Permission("platform.forms.manage", label: "管理表单与填报数据")

    /// Publishing, editing and withdrawing 通知公告 of the organization's subtree.
    public static let noticesManage = Permission("platform.notices.manage", label: "发布通知公告")
    /// The site footer (主办单位, 地址, 联系电话, 备案号) the system administrator keeps.
    public static let siteManage = Permission("platform.site.manage", label: "维护网站页脚信息")

    public static let all: [Permission] = [
        orgsRead, orgsWrite, usersRead, usersWrite, rolesGrant, accountsUnlock, auditRead, calendarManage, metricsRead, formsManage,
        noticesManage, siteManage,
    ]
}

/// The role → permissions table, assembled from every module's declared permissions.
public struct RoleCatalog: Sendable {
    private let byRole: [RoleID: Set<String>]
    public let permissions: [Permission]

    public init(permissions: [Permission]) {
        self.permissions = permissions
        var table: [RoleID: Set<String>] = [:]
        for permission in permissions {
            for role in permission.grantedTo { table[role, default: []].insert(permission.id) }
        }
        byRole = table
    }

    public func permissions(of role: RoleID) -> Set<String> { byRole[role] ?? [] }
}
