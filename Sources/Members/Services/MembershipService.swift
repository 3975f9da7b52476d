import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// 会员注册制: applications, decisions, member numbers, grades and status with dated history.
/// Every decision is one transaction: the membership, its history row, its audit entry and (on approval)
/// the society's number counter move together or not at all.
struct MembershipService: Sendable {
    let db: any Database
    let services: PlatformServices

    private var today: Day { Day.today(now: services.clock()) }

    // MARK: Societies

    /// Active societies, for the application form (any person may apply to any society).
    func societies() async throws -> [Organization] {
        try await Organization.query(on: db).filter(\.$kind == .society).filter(\.$isActive == true).sort(\.$name).all()
    }

    /// A society the actor administers (in scope), or 404.
    func society(_ id: UUID?, actor: Actor) async throws -> Organization {
        let org = try await actor.scope.requireOrganization(id, on: db)
        guard org.kind == .society else { throw PlatformError.notFound }
        return org
    }

    func settings(of societyID: UUID) async throws -> SocietySettings? {
        try await SocietySettings.query(on: db).filter(\.$organizationID == societyID).first()
    }

    /// Sets the society's member-number format; refused with the field's message when invalid.
    func saveSettings(societyID: UUID, prefix: String, width: Int, actor: Actor) async throws -> SocietySettings {
        try actor.require(MembersPermission.membershipsManage)
        let society = try await society(societyID, actor: actor)
        let format: MemberNumberFormat
        do {
            format = try MemberNumberFormat(prefix: prefix, sequenceWidth: width)
        } catch {
            throw PlatformError.invalidInput(field: "prefix", message: error.message)
        }
        let id = try society.requireID()
        let settings = try await settings(of: id) ?? SocietySettings(organizationID: id, memberPrefix: "", sequenceWidth: 5)
        settings.memberPrefix = format.prefix
        settings.sequenceWidth = format.sequenceWidth
        try await services.writes.transaction(on: db) { tx in try await settings.save(on: tx) }
        return settings
    }

    // MARK: Applying

    /// The person applies to a society. One open application or membership per society at a time.
    func apply(person: Person, societyID: UUID?, statement: String?) async throws -> Membership {
        guard let societyID, let society = try await Organization.find(societyID, on: db), society.kind == .society,
            society.isActive
        else { throw PlatformError.invalidInput(field: "society", message: "请选择要申请加入的学会") }
        guard person.anonymizedAt == nil else { throw PlatformError.forbidden }
        let personID = try person.requireID()
        let open = try await Membership.query(on: db).filter(\.$organizationID == societyID).filter(\.$personID == personID)
            .filter(
                \.$status ~~ [MembershipStatus.applied, MembershipStatus.active, MembershipStatus.suspended]
            )
            .first()
        if let open {
            throw open.status == MembershipStatus.applied ? MembersError.alreadyApplied : MembersError.alreadyMember
        }
        let membership = Membership()
        membership.organizationID = societyID
        membership.personID = personID
        membership.memberName = person.name
        membership.grade = MembershipGrade.member
        membership.status = MembershipStatus.applied
        membership.appliedOn = today
        membership.statement = statement?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map { String($0.prefix(1000)) }
        try await services.writes.transaction(on: db) { tx in
            try await membership.create(on: tx)
            try await self.event(membership, action: "applied", actor: person.name, note: membership.statement, on: tx)
        }
        return membership
    }

    /// An administrator registers a person as a member directly: application and approval in one
    /// transaction, so a refusal (no number format yet) leaves nothing behind.
    func register(person: Person, societyID: UUID, grade: MembershipGrade, actor: Actor) async throws -> Membership {
        try actor.require(MembersPermission.membershipsManage)
        _ = try await society(societyID, actor: actor)
        let personID = try person.requireID()
        if try await Membership.query(on: db).filter(\.$organizationID == societyID).filter(\.$personID == personID)
            .filter(
                \.$status ~~ [MembershipStatus.applied, MembershipStatus.active, MembershipStatus.suspended]
            )
            .first() != nil
        {
            throw MembersError.membershipExists
        }
        let membership = Membership()
        membership.organizationID = societyID
        membership.personID = personID
        membership.memberName = person.name
        membership.grade = grade
        membership.status = MembershipStatus.applied
        membership.appliedOn = today
        try await services.writes.transaction(on: db) { tx in
            try await membership.create(on: tx)
            try await self.admit(membership, grade: grade, actor: actor, on: tx)
        }
        return membership
    }

    /// Registers an organization as a group member (团体会员); the society's administrator does this
    /// directly, so it is active at once and numbered.
    func addGroupMember(societyID: UUID?, memberOrganizationID: UUID?, actor: Actor) async throws -> Membership {
        try actor.require(MembersPermission.membershipsManage)
        let society = try await society(societyID, actor: actor)
        guard let memberOrganizationID, let member = try await Organization.find(memberOrganizationID, on: db), member.isActive,
            member.id != society.id
        else { throw PlatformError.invalidInput(field: "organization", message: "请选择团体会员单位") }
        let societyID = try society.requireID()
        if try await Membership.query(on: db).filter(\.$organizationID == societyID)
            .filter(\.$memberOrganizationID == memberOrganizationID)
            .filter(\.$status ~~ [MembershipStatus.active, MembershipStatus.suspended]).first() != nil
        {
            throw MembersError.groupMemberExists
        }
        let membership = Membership()
        membership.organizationID = societyID
        membership.memberOrganizationID = memberOrganizationID
        membership.memberName = member.name
        membership.grade = MembershipGrade.member
        membership.status = MembershipStatus.applied
        membership.appliedOn = today
        try await services.writes.transaction(on: db) { tx in
            try await membership.create(on: tx)
            try await self.admit(membership, grade: .member, actor: actor, on: tx)
        }
        return membership
    }

    // MARK: Deciding

    /// A membership of a society in the actor's scope, or 404.
    func membership(_ id: UUID, actor: Actor) async throws -> Membership {
        guard let membership = try await actor.scope.query(Membership.self, on: db).filter(\.$id == id).fields(for: Membership.self).first()
        else { throw PlatformError.notFound }
        return membership
    }

    /// Approves an application: the member gets the next number of the society's format for this year.
    func approve(_ id: UUID, grade: MembershipGrade = .member, actor: Actor) async throws -> Membership {
        try actor.require(MembersPermission.membershipsManage)
        let membership = try await membership(id, actor: actor)
        guard membership.status == MembershipStatus.applied else { throw MembersError.applicationDecided }
        try await services.writes.transaction(on: db) { tx in
            try await self.admit(membership, grade: grade, actor: actor, on: tx)
        }
        return membership
    }

    /// Inside the caller's transaction: claims the application (so two administrators approving at once
    /// cannot both number it), draws the next sequence, and records the history.
    private func admit(_ membership: Membership, grade: MembershipGrade, actor: Actor, on tx: any Database) async throws {
        let sql = try tx.sql()
        let id = try membership.requireID()
        let claimed = try await sql.raw(
            """
            UPDATE members_memberships SET status = \(bind: MembershipStatus.active.rawValue) \
            WHERE id = \(bind: id) AND status = \(bind: MembershipStatus.applied.rawValue) RETURNING id
            """
        ).all()
        guard !claimed.isEmpty else { throw MembersError.applicationDecided }
        guard let settings = try await SocietySettings.query(on: tx).filter(\.$organizationID == membership.organizationID).first(),
            let format = try? MemberNumberFormat(prefix: settings.memberPrefix, sequenceWidth: settings.sequenceWidth)
        else {
            throw MembersError.numberFormatMissing
        }
        let year = today.year
        try await sql.raw(
            """
            INSERT INTO members_number_counters (id, organization_id, year, last_sequence) \
            VALUES (\(bind: UUID()), \(bind: membership.organizationID), \(bind: year), 0) \
            ON CONFLICT (organization_id, year) DO NOTHING
            """
        ).run()
        // The row lock taken by this UPDATE orders concurrent approvals on PostgreSQL; SQLite has one writer.
        guard
            let row = try await sql.raw(
                """
                UPDATE members_number_counters SET last_sequence = last_sequence + 1 \
                WHERE organization_id = \(bind: membership.organizationID) AND year = \(bind: year) RETURNING last_sequence
                """
            ).first()
        else { throw MembersError.numberAllocationFailed }
        let sequence = try row.decode(column: "last_sequence", as: Int.self)
        let number: MemberNumber
        do {
            number = try format.number(year: year, sequence: sequence)
        } catch {
            throw MembersError.numberUnavailable(error)
        }
        membership.status = MembershipStatus.active
        membership.grade = grade
        membership.memberNumber = number.description
        membership.joinedOn = today
        membership.joinedYear = year
        try await membership.save(on: tx)
        try await event(membership, action: "approved", actor: actor.displayName, note: nil, on: tx)
        try await notifyApplicant(
            membership, title: "入会申请已通过", body: "您已成为\(try await societyName(membership, on: tx))\(grade.label)，会员编号 \(number)。",
            on: tx)
    }

    private func societyName(_ membership: Membership, on db: any Database) async throws -> String {
        try await Organization.find(membership.organizationID, on: db)?.name ?? "学会"
    }

    /// A 站内信 to the applicant's account, in the decision's transaction.
    private func notifyApplicant(_ membership: Membership, title: String, body: String, on tx: any Database) async throws {
        guard let personID = membership.personID, let userID = try await Person.find(personID, on: tx)?.userID else { return }
        try await services.registry.notify(
            PlatformNotification(recipientUserID: userID, title: title, body: body, link: MembersRoutes.myHome()), on: tx)
    }

    /// Refuses an application; the reason is shown to the applicant.
    func refuse(_ id: UUID, reason: String?, actor: Actor) async throws -> Membership {
        try actor.require(MembersPermission.membershipsManage)
        guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty else {
            throw PlatformError.invalidInput(field: "reason", message: "请填写不予通过的理由")
        }
        let membership = try await membership(id, actor: actor)
        guard membership.status == MembershipStatus.applied else { throw MembersError.applicationDecided }
        membership.status = MembershipStatus.refused
        membership.refusalReason = String(reason.prefix(500))
        try await services.writes.transaction(on: db) { tx in
            try await membership.save(on: tx)
            try await self.event(membership, action: "refused", actor: actor.displayName, note: membership.refusalReason, on: tx)
            try await self.notifyApplicant(
                membership, title: "入会申请未通过",
                body: "\(try await self.societyName(membership, on: tx))未通过您的入会申请，理由：\(membership.refusalReason ?? "")", on: tx)
        }
        return membership
    }

    /// Changes an admitted member's grade or status (暂停, 恢复, 退出), dated in the history.
    func change(_ id: UUID, grade: MembershipGrade?, status: MembershipStatus?, note: String?, actor: Actor) async throws -> Membership {
        try actor.require(MembersPermission.membershipsManage)
        let membership = try await membership(id, actor: actor)
        let current = membership.status
        guard current == .active || current == .suspended else {
            throw MembersError.membershipNotAdjustable
        }
        var actions: [String] = []
        if let grade, grade != membership.grade {
            membership.grade = grade
            actions.append("grade_changed")
        }
        if let status, status != membership.status {
            guard [.active, .suspended, .withdrawn].contains(status) else {
                throw PlatformError.invalidInput(field: "status", message: "会员状态只能调整为有效、暂停或退出")
            }
            membership.status = status
            actions.append(status == .active ? "reinstated" : status.rawValue)
        }
        guard !actions.isEmpty else { throw PlatformError.invalidInput(field: "grade", message: "会员级别和状态都没有变化") }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        let taken = actions
        try await services.writes.transaction(on: db) { tx in
            try await membership.save(on: tx)
            for action in taken {
                try await self.event(membership, action: action, actor: actor.displayName, note: note, on: tx)
            }
        }
        return membership
    }

    private func event(_ membership: Membership, action: String, actor: String, note: String?, on tx: any Database) async throws {
        let event = MembershipEvent()
        event.membershipID = try membership.requireID()
        event.occurredOn = today
        event.action = action
        event.status = membership.status
        event.grade = membership.grade
        event.actorName = actor
        event.note = note
        try await event.create(on: tx)
    }

    func history(of membership: Membership) async throws -> [MembershipEvent] {
        try await MembershipEvent.query(on: db).filter(\.$membershipID == membership.requireID()).sort(\.$createdAt).all()
    }

    static func actionLabel(_ action: String) -> String {
        switch action {
        case "applied": return "提交入会申请"
        case "approved": return "审核通过，成为会员"
        case "refused": return "不予通过"
        case "grade_changed": return "调整会员级别"
        case "suspended": return "暂停会籍"
        case "reinstated": return "恢复会籍"
        case "withdrawn": return "退出学会"
        case "closed_on_deletion": return "本人注销，会籍终止"
        default: return action
        }
    }
}
