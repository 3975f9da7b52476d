import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// What a people list asks for: the filters of the issue, an optional search text, a sort and a page.
struct PeopleFilter: Sendable {
    var organizationID: UUID?
    var disciplineCode: String?
    var titleLevel: TitleLevel?
    var region: String?
    var ageBand: AgeBand?
    var sex: Sex?
    var verification: PersonVerification?
    var search: String?
    var sort: Sort = .name
    var descending = false

    enum Sort: String, Sendable {
        case name, birth, updated, relevance
    }
}

/// The administrators' view of people: scoped lists with filters and Chinese search, the record of one
/// person, creation and correction by staff, 实名核验, and showing a masked value in full (audited).
struct PeopleDirectory: Sendable {
    let db: any Database
    let services: PlatformServices
    let validator: PersonProfileValidator

    /// A search returns at most this many ranked matches; lists say so when it is reached.
    static let searchLimit = 500

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    // MARK: Reading

    /// People of the actor's subtree matching the filter, one page at a time.
    func list(_ filter: PeopleFilter, actor: Actor, offset: Int, limit: Int) async throws -> (total: Int, people: [Person]) {
        guard var query = try await scopedQuery(filter, actor: actor) else { return (0, []) }
        let rankedIDs = try await searchMatches(filter, actor: actor)
        if let rankedIDs {
            guard !rankedIDs.isEmpty else { return (0, []) }
            query = query.filter(\.$id ~~ rankedIDs)
        }
        let total = try await query.count(\.$id)
        let direction: DatabaseQuery.Sort.Direction = filter.descending ? .descending : .ascending
        if let rankedIDs, filter.sort == .relevance {
            // Rank order comes from the index: fetch the page's ids in that order.
            let all = try await query.field(\.$id).all().compactMap(\.id)
            let present = Set(all)
            let ordered = rankedIDs.filter(present.contains)
            let page = Array(ordered.dropFirst(offset).prefix(limit))
            let people = try await Person.query(on: db).filter(\.$id ~~ page).all()
            let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
            return (total, page.compactMap { byID[$0] })
        }
        switch filter.sort {
        case .birth: query = query.sort(\.$birthMonth, direction)
        case .updated: query = query.sort(\.$updatedAt, direction)
        case .name, .relevance: query = query.sort(\.$name, direction)
        }
        let people = try await query.sort(\.$id).range(offset..<(offset + limit)).all()
        return (total, people)
    }

    /// Ids matching the search text in rank order, or nil without a search. An exact 手机 or 身份证号
    /// is found through its keyed hash; anything else through the bigram index.
    private func searchMatches(_ filter: PeopleFilter, actor: Actor) async throws -> [UUID]? {
        guard let text = filter.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let phone = try? MobileNumber(text) {
            return try await Person.query(on: db).filter(\.$phoneLookup == records.phoneLookup(phone.value)).all().compactMap(\.id)
        }
        if let id = try? ResidentIDNumber(text, today: Day.today(now: services.clock())) {
            return try await Person.query(on: db).filter(\.$idNumberLookup == records.idLookup(id.value)).all().compactMap(\.id)
        }
        let hits = try await SearchIndexStore(db: db, writes: services.writes).search(
            kind: PersonRecords.searchKind, query: text, scopePath: actor.scope.rootPath ?? "\u{0}", limit: Self.searchLimit)
        return hits.compactMap { UUID(uuidString: $0.entityID) }
    }

    /// The scoped query with every filter but the search applied; nil when the filter names an
    /// organization outside the actor's subtree.
    private func scopedQuery(_ filter: PeopleFilter, actor: Actor) async throws -> QueryBuilder<Person>? {
        var query = actor.scope.query(Person.self, on: db)
        if let id = filter.organizationID {
            guard let org = try await actor.scope.organization(id, on: db) else { return nil }
            query = query.filter(Organization.self, \.$path =~ org.path)
        }
        if let code = filter.disciplineCode { query = query.filter(\.$disciplineCode == code) }
        if let level = filter.titleLevel { query = query.filter(\.$titleLevel == level.rawValue) }
        if let sex = filter.sex { query = query.filter(\.$sex == sex.rawValue) }
        if let verification = filter.verification { query = query.filter(\.$verification == verification.rawValue) }
        if let region = filter.region {
            query = query.group(.or) { $0.filter(\.$province == region).filter(\.$city == region).filter(\.$county == region) }
        }
        if let band = filter.ageBand {
            let range = band.birthMonths(on: Day.today(now: services.clock()))
            if let earliest = range.earliest { query = query.filter(\.$birthMonth >= earliest.description) }
            if let latest = range.latest { query = query.filter(\.$birthMonth <= latest.description) }
        }
        return query.fields(for: Person.self)
    }

    /// One person the actor may see: in the actor's subtree, or an applicant or member of a society
    /// in it. Anything else is "not found".
    func person(_ id: UUID, actor: Actor) async throws -> Person {
        if let person = try await actor.scope.query(Person.self, on: db).filter(\.$id == id).fields(for: Person.self).first() {
            return person
        }
        if try await actor.scope.query(Membership.self, on: db).filter(\.$personID == id).first() != nil,
            let person = try await Person.find(id, on: db)
        {
            return person
        }
        throw PlatformError.notFound
    }

    // MARK: Writing

    /// Creates a person in an organization of the actor's subtree.
    func create(_ draft: PersonProfileDraft, organizationID: UUID?, actor: Actor) async throws -> Result<Person, ProfileErrors> {
        try actor.require(MembersPermission.peopleWrite)
        let organization = try await actor.scope.requireOrganization(organizationID ?? actor.actingOrganizationID, on: db)
        switch validator.validate(draft, today: Day.today(now: services.clock())) {
        case .failure(let errors): return .failure(errors)
        case .success(let profile):
            let conflicts = try await records.conflicts(profile, excluding: nil)
            if !conflicts.isEmpty { return .failure(conflicts) }
            let person = Person()
            person.organizationID = try organization.requireID()
            try records.apply(profile, to: person, isNew: true)
            try await records.save(person)
            return .success(person)
        }
    }

    /// Corrects a person's profile; blank 身份证号 or phone keep what is stored.
    func update(_ id: UUID, draft submitted: PersonProfileDraft, actor: Actor) async throws -> Result<Person, ProfileErrors> {
        try actor.require(MembersPermission.peopleWrite)
        let person = try await person(id, actor: actor)
        guard person.anonymizedAt == nil else { throw PlatformError.conflict(message: "该人员已注销，资料不可修改") }
        let draft = records.keepingSecrets(submitted, of: person)
        switch validator.validate(draft, today: Day.today(now: services.clock())) {
        case .failure(let errors): return .failure(errors)
        case .success(let profile):
            let conflicts = try await records.conflicts(profile, excluding: person.id)
            if !conflicts.isEmpty { return .failure(conflicts) }
            try records.apply(profile, to: person, isNew: false)
            try await records.save(person)
            return .success(person)
        }
    }

    /// 实名核验: the person's organization, or a society they applied to, vouches for (or rejects) the
    /// profile. A rejection needs a reason the person will read.
    func verify(_ id: UUID, approve: Bool, note: String?, actor: Actor) async throws -> Person {
        try actor.require(MembersPermission.peopleVerify)
        let person = try await person(id, actor: actor)
        let note = note?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if !approve, note == nil { throw PlatformError.invalidInput(field: "note", message: "请填写核验未通过的原因") }
        guard person.anonymizedAt == nil else { throw PlatformError.conflict(message: "该人员已注销") }
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        person.verification = (approve ? PersonVerification.verified : .rejected).rawValue
        let record = VerificationRecord()
        record.personID = try person.requireID()
        record.organizationID = organizationID
        record.outcome = person.verification
        record.note = note
        record.actorName = actor.displayName
        try await services.writes.transaction(on: db) { tx in
            try await person.save(on: tx)
            try await record.create(on: tx)
        }
        return person
    }

    enum RevealedField: String, Sendable {
        case phone, idNumber = "id_number"

        var label: String { self == .phone ? "手机" : "身份证号" }
    }

    /// Shows one masked value in full. Allowed to the person themself and to holders of the reveal
    /// permission who can see the person; every showing is written to the audit log.
    func reveal(_ field: RevealedField, of id: UUID, actor: Actor) async throws -> String {
        let person: Person
        if let own = try await Person.find(id, on: db), own.userID == actor.userID {
            person = own
        } else {
            try actor.require(MembersPermission.peopleReveal)
            person = try await self.person(id, actor: actor)
        }
        let value: String? = field == .phone ? records.phone(of: person) : records.idNumber(of: person)
        guard let value else { throw PlatformError.notFound }
        try await services.audit.record(
            AuditEvent(
                action: "person.reveal", entityType: "person", entityID: id.uuidString,
                summary: "查看\(person.name)的完整\(field.label)"), on: db)
        return value
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
