/// 访问控制: the single authorization table. Every permission of every module against every built-in role,
/// each cell an explicit decision (allow or deny); nothing is granted anywhere else. A permission a module
/// registers without a row here is denied to everyone, and AuthorizationTableTests fails; so does a row
/// for a permission no module registers, or a cell that is neither allow nor deny.
///
/// Read it as the 等保 access-control matrix: the three administrators are kept apart (only `auditor`
/// reads the audit log; `sysadmin` holds no security role; `secadmin` manages accounts of security roles
/// only), and members, experts and enterprises hold no administrative permission.
public enum AuthorizationTable {
    public static let text = """
        permission                      sysadmin    secadmin    auditor     orgadmin    staff       expert      member      enterprise
        awards.manage                   deny        deny        deny        allow       allow       deny        deny        deny
        awards.nominate                 deny        deny        deny        allow       allow       deny        deny        deny
        events.approve                  deny        deny        deny        allow       deny        deny        deny        deny
        events.checkin                  deny        deny        deny        allow       allow       deny        deny        deny
        events.manage                   deny        deny        deny        allow       allow       deny        deny        deny
        innovation.figures              deny        deny        deny        allow       allow       deny        deny        deny
        innovation.post                 deny        deny        deny        allow       allow       allow       allow       allow
        innovation.review               deny        deny        deny        allow       allow       deny        deny        deny
        innovation.stations             deny        deny        deny        allow       allow       deny        deny        deny
        members.deletions.decide        deny        deny        deny        allow       deny        deny        deny        deny
        members.memberships.manage      deny        deny        deny        allow       allow       deny        deny        deny
        members.people.read             deny        deny        deny        allow       allow       deny        deny        deny
        members.people.reveal           deny        deny        deny        allow       deny        deny        deny        deny
        members.people.verify           deny        deny        deny        allow       allow       deny        deny        deny
        members.people.write            deny        deny        deny        allow       allow       deny        deny        deny
        members.roles.manage            deny        deny        deny        allow       allow       deny        deny        deny
        members.statistics              deny        deny        deny        allow       allow       deny        deny        deny
        plans.manage                    deny        deny        deny        allow       deny        deny        deny        deny
        plans.read                      deny        deny        deny        allow       allow       deny        deny        deny
        plans.report                    deny        deny        deny        allow       allow       deny        deny        deny
        plans.supervise                 deny        deny        deny        allow       deny        deny        deny        deny
        platform.accounts.unlock        allow       allow       deny        allow       deny        deny        deny        deny
        platform.audit.read             deny        deny        allow       deny        deny        deny        deny        deny
        platform.calendar.manage        allow       deny        deny        deny        deny        deny        deny        deny
        platform.metrics.read           deny        deny        deny        allow       allow       deny        deny        deny
        platform.forms.manage           deny        deny        deny        allow       allow       deny        deny        deny
        platform.notices.manage         deny        deny        deny        allow       allow       deny        deny        deny
        platform.orgs.read              allow       deny        deny        allow       allow       deny        deny        deny
        platform.orgs.write             allow       deny        deny        allow       deny        deny        deny        deny
        platform.publicity.manage       deny        deny        deny        allow       allow       deny        deny        deny
        platform.review.manage          deny        deny        deny        allow       allow       deny        deny        deny
        platform.review.participate     deny        deny        deny        deny        deny        allow       deny        deny
        platform.roles.grant            allow       allow       deny        allow       deny        deny        deny        deny
        platform.site.manage            allow       deny        deny        deny        deny        deny        deny        deny
        platform.users.read             allow       allow       deny        allow       deny        deny        deny        deny
        platform.users.write            allow       allow       deny        allow       deny        deny        deny        deny
        servicehall.cases.handle        deny        deny        deny        allow       allow       deny        deny        deny
        servicehall.rules.manage        deny        deny        deny        allow       deny        deny        deny        deny
        servicehall.time_limits.manage  allow       deny        deny        deny        deny        deny        deny        deny
        """

    public enum Decision: String, Sendable {
        case allow, deny
    }

    /// Permission id → role → decision, as written.
    public static let decisions: [String: [RoleID: Decision]] = parse(text)

    /// The roles that may use a permission.
    public static func roles(allowed permissionID: String) -> Set<RoleID> {
        Set((decisions[permissionID] ?? [:]).compactMap { $0.value == .allow ? $0.key : nil })
    }

    static func parse(_ text: String) -> [String: [RoleID: Decision]] {
        let lines = text.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        guard let header = lines.first, header.first == "permission" else { return [:] }
        let roles = header.dropFirst().map { RoleID(rawValue: $0) }
        var result: [String: [RoleID: Decision]] = [:]
        for cells in lines.dropFirst() where !cells.isEmpty {
            var row: [RoleID: Decision] = [:]
            for (role, cell) in zip(roles, cells.dropFirst()) {
                if let role, let decision = Decision(rawValue: cell) { row[role] = decision }
            }
            result[cells[0]] = row
        }
        return result
    }
}
