import Fluent
import Foundation
import KexieKit
import Platform

/// The roles people hold for an organization: 三长, expert pools and representatives/committee seats.
/// People are named by their exact 手机 or 身份证号 (found through the keyed hashes), which an
/// administrator has in hand and which reveals nothing to someone guessing.
struct RolesService: Sendable {
    let db: any Database
    let services: PlatformServices

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    /// The person with this exact 手机 or 身份证号, or a message for the form field.
    /// The person with this 手机 or 身份证号 among the people of the actor's subtree. Someone registered
    /// elsewhere is "not found" with the same words as someone unknown: an administrator cannot pull a
    /// person into their scope (membership, expert pool, 三长, seats) by knowing a phone number, nor
    /// learn whether the number is registered at all. People outside join by applying themselves.
    /// Every exact look-up leaves an audit row (with the identifier masked).
    func person(identifiedBy text: String?, actor: Actor, field: String = "person") async throws -> Person {
        let text = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw PlatformError.invalidInput(field: field, message: "请填写人员的手机号或身份证号") }
        let query = actor.scope.query(Person.self, on: db).fields(for: Person.self)
        let masked: String
        if let phone = try? MobileNumber(text) {
            query.filter(\.$phoneLookup == records.phoneLookup(phone.value))
            masked = Masking.phone(phone.value)
        } else if let id = try? ResidentIDNumber(text, today: Day.today(now: services.clock())) {
            query.filter(\.$idNumberLookup == records.idLookup(id.value))
            masked = Masking.idNumber(id.value)
        } else {
            throw PlatformError.invalidInput(field: field, message: "请填写正确的手机号或18位身份证号")
        }
        let found = try await query.first()
        try await services.audit.record(
            AuditEvent(
                action: "people.lookup_exact", entityType: "person", entityID: found?.id?.uuidString ?? "",
                summary: "按号码查找人员（\(masked)）：\(found == nil ? "未找到" : "找到")"),
            on: db)
        guard let person = found, person.anonymizedAt == nil else {
            throw MembersError.personNotFound(field: field)
        }
        return person
    }

    // MARK: 三长

    func addThreeHead(organizationID: UUID?, identifier: String?, kind: String?, institution: String?, since: String?, actor: Actor)
        async throws -> ThreeHead
    {
        try actor.require(MembersPermission.rolesManage)
        let org = try await actor.scope.requireOrganization(organizationID ?? actor.actingOrganizationID, on: db)
        guard let kind = ThreeHeadKind.parse(kind) else {
            throw PlatformError.invalidInput(field: "kind", message: "请选择医院院长、学校校长或农技站站长")
        }
        guard let institution = institution?.trimmingCharacters(in: .whitespaces).nilIfEmpty else {
            throw PlatformError.invalidInput(field: "institution", message: "请填写所在医院、学校或农技站的名称")
        }
        let sinceDay = try Self.day(since, field: "since")
        let person = try await person(identifiedBy: identifier, actor: actor)
        let head = ThreeHead()
        head.organizationID = try org.requireID()
        head.personID = try person.requireID()
        head.kind = kind
        head.institution = String(institution.prefix(100))
        head.since = sinceDay
        if try await ThreeHead.query(on: db).filter(\.$organizationID == head.organizationID).filter(\.$personID == head.personID)
            .filter(\.$kind == head.kind).first() != nil
        {
            throw MembersError.threeHeadExists(label: kind.label)
        }
        try await services.writes.transaction(on: db) { tx in try await head.create(on: tx) }
        return head
    }

    func removeThreeHead(_ id: UUID, actor: Actor) async throws {
        try actor.require(MembersPermission.rolesManage)
        guard let head = try await actor.scope.query(ThreeHead.self, on: db).filter(\.$id == id).fields(for: ThreeHead.self).first()
        else { throw PlatformError.notFound }
        try await services.writes.transaction(on: db) { tx in try await head.delete(on: tx) }
    }

    // MARK: Expert pools

    struct ExpertInput: Sendable {
        var identifier: String?
        var roles: [String]
        var fields: [String]
        var availability: String?
        var note: String?
    }

    /// Adds the person to the acting organization's pool, or updates their entry there.
    func saveExpert(_ input: ExpertInput, actor: Actor, classifications: Classifications) async throws -> Expert {
        try actor.require(MembersPermission.rolesManage)
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        let roles = input.roles.compactMap(ExpertRole.parse)
        guard !roles.isEmpty else { throw PlatformError.invalidInput(field: "roles", message: "请至少选择一种专家类别") }
        guard let availability = ExpertAvailability.parse(input.availability) else {
            throw PlatformError.invalidInput(field: "availability", message: "请选择是否可参加工作")
        }
        let person = try await person(identifiedBy: input.identifier, actor: actor)
        var fields = input.fields.compactMap { classifications.discipline(matching: $0)?.code }
        if let own = person.disciplineCode, !fields.contains(own) { fields.insert(own, at: 0) }
        guard !fields.isEmpty else {
            throw PlatformError.invalidInput(field: "fields", message: "请至少选择一个专业领域（学科）")
        }
        let personID = try person.requireID()
        let expert =
            try await Expert.query(on: db).filter(\.$organizationID == organizationID).filter(\.$personID == personID).first()
            ?? Expert()
        expert.organizationID = organizationID
        expert.personID = personID
        expert.roles = roles
        expert.fields = Array(NSOrderedSet(array: fields)).compactMap { $0 as? String }
        expert.availability = availability
        expert.note = input.note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map { String($0.prefix(500)) }
        try await services.writes.transaction(on: db) { tx in
            try await expert.save(on: tx)
            try await ExpertLists.save(expert, on: tx)
        }
        return expert
    }

    struct ExpertFilter: Sendable {
        var field: String?
        var region: String?
        var role: ExpertRole?
        var availability: ExpertAvailability?
        var search: String?
    }

    /// Experts of pools in the actor's subtree, with their people, filtered by field, region, role,
    /// availability and a name/unit/direction search.
    func experts(_ filter: ExpertFilter, actor: Actor, limit: Int = 500) async throws -> [(Expert, Person)] {
        var query = actor.scope.query(Expert.self, on: db).join(Person.self, on: \Expert.$personID == \Person.$id)
            .filter(Person.self, \.$anonymizedAt == nil)
        // A row per field and per role (unique per entry), so these joins keep one row per expert.
        if let field = filter.field {
            query = query.join(ExpertFieldRecord.self, on: \Expert.$id == \ExpertFieldRecord.$expert.$id)
                .filter(ExpertFieldRecord.self, \.$field == field)
        }
        if let role = filter.role {
            query = query.join(ExpertRoleRecord.self, on: \Expert.$id == \ExpertRoleRecord.$expert.$id)
                .filter(ExpertRoleRecord.self, \.$role == role)
        }
        if let availability = filter.availability { query = query.filter(\.$availability == availability) }
        if let region = filter.region {
            query = query.group(.or) {
                $0.filter(Person.self, \.$province == region).filter(Person.self, \.$city == region).filter(
                    Person.self, \.$county == region)
            }
        }
        if let text = filter.search?.trimmingCharacters(in: .whitespaces).nilIfEmpty {
            let hits = try await SearchIndexStore(db: db, writes: services.writes).search(
                kind: PersonRecords.searchKind, query: text, scopePath: nil, limit: 500)
            let ids = hits.compactMap { UUID(uuidString: $0.entityID) }
            query = query.filter(Person.self, \.$id ~~ ids)
        }
        let rows = try await query.sort(Person.self, \.$name).limit(limit).all()
        try await ExpertLists.load(rows, on: db)
        return try rows.map { ($0, try $0.joined(Person.self)) }
    }

    // MARK: Representatives

    func addRepresentative(identifier: String?, body: String?, term: String?, role: String?, constituency: String?, actor: Actor)
        async throws -> Representative
    {
        try actor.require(MembersPermission.rolesManage)
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        guard let body = body?.trimmingCharacters(in: .whitespaces).nilIfEmpty else {
            throw PlatformError.invalidInput(field: "body", message: "请填写所属会议或委员会，如“云海省科协第十次代表大会”")
        }
        guard let term = term?.trimmingCharacters(in: .whitespaces).nilIfEmpty else {
            throw PlatformError.invalidInput(field: "term", message: "请填写届次，如“第十届（2021—2026）”")
        }
        guard let role = RepresentativeRole.parse(role) else {
            throw PlatformError.invalidInput(field: "role", message: "请选择代表、委员或常委")
        }
        let person = try await person(identifiedBy: identifier, actor: actor)
        let seat = Representative()
        seat.organizationID = organizationID
        seat.personID = try person.requireID()
        seat.body = String(body.prefix(100))
        seat.term = String(term.prefix(50))
        seat.role = role
        seat.constituency = constituency?.trimmingCharacters(in: .whitespaces).nilIfEmpty.map { String($0.prefix(100)) }
        if try await Representative.query(on: db).filter(\.$organizationID == organizationID).filter(\.$personID == seat.personID)
            .filter(\.$body == seat.body).filter(\.$term == seat.term).first() != nil
        {
            throw MembersError.seatExists
        }
        try await services.writes.transaction(on: db) { tx in try await seat.create(on: tx) }
        return seat
    }

    static func day(_ text: String?, field: String) throws -> Day {
        guard let text = text?.trimmingCharacters(in: .whitespaces), let day = Day(text) else {
            throw PlatformError.invalidInput(field: field, message: "请按“2026-01-01”的格式填写日期")
        }
        return day
    }
}
