import Fluent
import Foundation
import KexieKit
import Platform

/// The person's rights over their data: a copy of everything held about them, and deletion on
/// request — decided by an administrator of their organization and carried out as anonymization, so
/// the association's statistics (sex, age, discipline, title, region, organization) keep adding up.
struct PrivacyService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let anonymousName = "已注销用户"

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    /// Everything about the person, in full (it is their own data), as pretty-printed JSON.
    func export(person: Person?, actor: Actor) async throws -> Data {
        var document: [String: Any] = ["generatedAt": ISO8601DateFormatter().string(from: services.clock())]
        let user = try await User.find(actor.userID, on: db)
        document["account"] = [
            "username": actor.username, "displayName": actor.displayName, "email": user?.email ?? NSNull(),
            "phone": user?.phoneCipher.flatMap { try? services.secrets.open($0) } ?? NSNull(),
        ]
        let consents = try await AuditEntry.query(on: db).filter(\.$action == "consent.accept")
            .filter(\.$entityID == actor.userID.uuidString).all()
        document["consents"] = consents.map { ["acceptedAt": $0.occurredAt, "record": $0.summary] }
        if let person, let personID = person.id {
            var profile: [String: Any] = [:]
            let draft = PersonRecords.draft(of: person)
            for field in ProfileField.allCases { profile[field.rawValue] = draft[field] }
            profile["phone"] = records.phone(of: person) ?? ""
            profile["idNumber"] = records.idNumber(of: person) ?? ""
            profile["verification"] = PersonVerification(rawValue: person.verification)?.label ?? person.verification
            document["profile"] = profile
            let memberships = try await Membership.query(on: db).filter(\.$personID == personID).all()
            var membershipRows: [[String: Any]] = []
            for membership in memberships {
                let society = try await Organization.find(membership.organizationID, on: db)
                let events = try await MembershipService(db: db, services: services).history(of: membership)
                membershipRows.append([
                    "society": society?.name ?? "", "memberNumber": membership.memberNumber ?? NSNull(),
                    "grade": membership.grade.label,
                    "status": membership.status.label,
                    "appliedOn": membership.appliedOn.description, "joinedOn": membership.joinedOn?.description ?? NSNull(),
                    "refusalReason": membership.refusalReason ?? NSNull(),
                    "history": events.map {
                        [
                            "date": $0.occurredOn.description, "action": MembershipService.actionLabel($0.action), "by": $0.actorName,
                            "note": $0.note ?? "",
                        ]
                    },
                ])
            }
            document["memberships"] = membershipRows
            let experts = try await Expert.query(on: db).filter(\.$personID == personID).all()
            try await ExpertLists.load(experts, on: db)
            document["expertPools"] = experts.map {
                ["roles": $0.roles.map(\.rawValue), "fields": $0.fields, "availability": $0.availability.rawValue] as [String: Any]
            }
            document["seats"] = try await Representative.query(on: db).filter(\.$personID == personID).all().map {
                ["body": $0.body, "term": $0.term, "role": $0.role.label]
            }
            document["threeHeads"] = try await ThreeHead.query(on: db).filter(\.$personID == personID).all().map {
                ["kind": $0.kind.label, "institution": $0.institution, "since": $0.since.description]
            }
            document["verifications"] = try await VerificationRecord.query(on: db).filter(\.$personID == personID).all().map {
                [
                    "outcome": PersonVerification(rawValue: $0.outcome)?.label ?? $0.outcome, "note": $0.note ?? "",
                    "at": $0.createdAt.map { ISO8601DateFormatter().string(from: $0) } ?? "",
                ]
            }
        }
        try await services.audit.record(
            AuditEvent(action: "person.export_own", entityType: "user", entityID: actor.userID.uuidString, summary: "下载本人全部数据"),
            on: db)
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    }

    // MARK: Deletion

    func pendingRequest(of person: Person) async throws -> DeletionRequest? {
        try await DeletionRequest.query(on: db).filter(\.$personID == person.requireID())
            .filter(\.$status == DeletionStatus.pending).first()
    }

    func requestDeletion(person: Person, reason: String?) async throws -> DeletionRequest {
        if let pending = try await pendingRequest(of: person) { return pending }
        let request = DeletionRequest()
        request.organizationID = person.organizationID
        request.personID = try person.requireID()
        request.personName = person.name
        request.reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map { String($0.prefix(500)) }
        request.status = DeletionStatus.pending
        try await services.writes.transaction(on: db) { tx in try await request.create(on: tx) }
        return request
    }

    func requests(actor: Actor, status: DeletionStatus?) async throws -> [DeletionRequest] {
        try actor.require(MembersPermission.deletionsDecide)
        var query = actor.scope.query(DeletionRequest.self, on: db).fields(for: DeletionRequest.self)
        if let status { query = query.filter(\.$status == status) }
        return try await query.sort(\.$createdAt, .descending).limit(500).all()
    }

    /// Approving anonymizes the person, closes their memberships and roles and deactivates the account,
    /// all in one transaction; refusing needs a reason the person will read.
    func decide(_ id: UUID, approve: Bool, note: String?, actor: Actor) async throws -> DeletionRequest {
        try actor.require(MembersPermission.deletionsDecide)
        guard
            let request = try await actor.scope.query(DeletionRequest.self, on: db).filter(\.$id == id)
                .fields(for: DeletionRequest.self).first()
        else { throw PlatformError.notFound }
        guard request.status == DeletionStatus.pending else { throw MembersError.deletionRequestDecided }
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if !approve, note == nil { throw PlatformError.invalidInput(field: "note", message: "请填写不同意注销的理由") }
        request.status = approve ? .approved : .refused
        request.decisionNote = note
        request.decidedBy = actor.displayName
        request.decidedAt = services.clock()
        let now = services.clock()
        let today = Day.today(now: now)
        let secrets = services.secrets
        let writes = services.writes
        try await writes.transaction(on: db) { tx in
            if approve, let person = try await Person.find(request.personID, on: tx) {
                let personID = try person.requireID()
                let userID = person.userID
                // Unique, unguessable placeholders keep the NOT NULL / UNIQUE columns valid.
                let placeholder = "deleted:" + personID.uuidString
                let formerName = person.name
                person.name = Self.anonymousName
                person.employer = nil
                person.researchDirection = nil
                person.titleName = nil
                person.email = nil
                person.ethnicity = nil
                person.politicalStatus = nil
                person.phoneCipher = try secrets.seal("")
                person.phoneLookup = secrets.lookupHash(placeholder)
                person.idNumberCipher = nil
                person.idNumberLookup = nil
                person.userID = nil
                person.anonymizedAt = now
                try await person.save(on: tx)
                try await SearchIndexStore(db: tx, writes: writes).remove(kind: PersonRecords.searchKind, entityID: personID.uuidString)
                for membership in try await Membership.query(on: tx).filter(\.$personID == personID).all() {
                    // The history keeps what happened, not who the applicant was or what they wrote.
                    for event in try await MembershipEvent.query(on: tx).filter(\.$membershipID == membership.requireID()).all() {
                        if event.actorName == formerName { event.actorName = Self.anonymousName }
                        if event.action == "applied" { event.note = nil }
                        try await event.save(on: tx)
                    }
                    membership.memberName = Self.anonymousName
                    membership.statement = nil
                    let wasOpen = [MembershipStatus.applied, .active, .suspended].contains(membership.status)
                    if wasOpen {
                        membership.status =
                            membership.status == MembershipStatus.applied
                            ? MembershipStatus.refused : MembershipStatus.withdrawn
                    }
                    try await membership.save(on: tx)
                    if wasOpen {
                        let event = MembershipEvent()
                        event.membershipID = try membership.requireID()
                        event.occurredOn = today
                        event.action = "closed_on_deletion"
                        event.status = membership.status
                        event.grade = membership.grade
                        event.actorName = actor.displayName
                        event.note = "本人申请注销"
                        try await event.create(on: tx)
                    }
                }
                try await Expert.query(on: tx).filter(\.$personID == personID).delete()
                try await ThreeHead.query(on: tx).filter(\.$personID == personID).delete()
                if let userID, let user = try await User.find(userID, on: tx) {
                    user.isActive = false
                    user.displayName = Self.anonymousName
                    user.username = "deleted-" + userID.uuidString.prefix(8).lowercased()
                    user.email = nil
                    user.phoneCipher = nil
                    user.phoneLookup = nil
                    try await user.save(on: tx)
                    try await WebSession.query(on: tx).filter(\.$userID == userID).delete()
                }
                request.personName = Self.anonymousName
            }
            try await request.save(on: tx)
        }
        return request
    }
}
