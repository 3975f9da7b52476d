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

    /// Only a search text: the index's answer needs no further filtering.
    var hasOnlySearch: Bool {
        organizationID == nil && disciplineCode == nil && titleLevel == nil && region == nil && ageBand == nil && sex == nil
            && verification == nil
    }

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
    static let searchLimit = 200

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    // MARK: Reading

    /// Counts stop here: past it a list says "more than 10,000", which is all a person needs to know to
    /// narrow the filter, and counting 100,000 rows on every page view is what made lists slow.
    static let countCap = 10_000

    /// People of the actor's subtree matching the filter, one page at a time, as full records (the API
    /// answers every field). `total` is at most `countCap + 1` (meaning "more than countCap").
    func list(_ filter: PeopleFilter, actor: Actor, offset: Int, limit: Int) async throws -> (total: Int, people: [Person]) {
        let (total, listings) = try await page(filter, actor: actor, offset: offset, limit: limit)
        return (total, try await load(listings.map(\.id)))
    }

    /// People of the actor's subtree matching the filter, one page at a time, as the columns a list
    /// shows. `total` is at most `countCap + 1` (meaning "more than countCap"). Anonymized people are not
    /// listed.
    ///
    /// Without a search this is one statement (`PagedSelect`): the subtree is a subquery, the count a
    /// scalar subquery that reads only the facets index, and the page only the 20 rows it shows.
    func page(_ filter: PeopleFilter, actor: Actor, offset: Int, limit: Int) async throws -> (
        total: Int, people: [PersonListing]
    ) {
        let query = PeopleQuery(db: db, today: Day.today(now: services.clock()))
        guard let scope = try await query.scopePath(filter, actor: actor) else { return (0, []) }
        if let rankedIDs = try await searchMatches(filter, scopePath: scope, actor: actor) {
            guard !rankedIDs.isEmpty else { return (0, []) }
            // The index already kept to the subtree: look the matches up by id, then apply the filters.
            var condition = SQLQueryString("id IN (")
            condition.appendInterpolation(binds: rankedIDs)
            condition.appendInterpolation(unsafeRaw: ") AND anonymized_at IS NULL")
            query.appendFilters(filter, to: &condition)
            if filter.sort == .relevance {
                // Ranked order comes from the index: read every listable match (at most `searchLimit`),
                // keep the index's order, and cut the page here.
                var statement = SQLQueryString("SELECT \(unsafeRaw: PersonListing.columns) FROM platform_people WHERE ")
                statement.appendInterpolation(condition)
                let found = try await db.sql().raw(statement).all().map(PersonListing.init(row:))
                let byID = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                let listable = rankedIDs.compactMap { byID[$0] }
                return (listable.count, Array(listable.dropFirst(offset).prefix(limit)))
            }
            return try await run(condition, filter: filter, offset: offset, limit: limit)
        }
        return try await run(query.condition(filter, under: scope), filter: filter, offset: offset, limit: limit)
    }

    private func run(_ condition: SQLQueryString, filter: PeopleFilter, offset: Int, limit: Int) async throws -> (
        total: Int, people: [PersonListing]
    ) {
        let column: String
        switch filter.sort {
        case .birth: column = "birth_month"
        case .updated: column = "updated_at"
        case .name, .relevance: column = "name"
        }
        let page = try await PagedSelect(
            columns: PersonListing.columns, from: "platform_people", where: condition,
            order: "\(column) \(filter.descending ? "DESC" : "ASC"), id", limit: limit, offset: offset, countCap: Self.countCap
        ).run(on: db)
        return (page.total, try page.rows.map(PersonListing.init(row:)))
    }

    /// The records of one page, in the page's order.
    private func load(_ ids: [UUID]) async throws -> [Person] {
        guard !ids.isEmpty else { return [] }
        let people = try await Person.query(on: db).filter(\.$id ~~ ids).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { p in p.id.map { ($0, p) } })
        return ids.compactMap { byID[$0] }
    }

    /// Ids matching the search text in rank order, or nil without a search. An exact 手机 or 身份证号
    /// is found through its keyed hash; anything else through the bigram index.
    /// A whole 手机 or 身份证号 as search text is a look-up by number: it needs the permission to see
    /// numbers in full (else the masked number plus birth month and county would let anyone confirm a
    /// guessed ID by searching), and it is audited with the number masked.
    private func searchMatches(_ filter: PeopleFilter, scopePath: String, actor: Actor) async throws -> [UUID]? {
        guard let text = filter.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let exact = Person.query(on: db).join(Organization.self, on: \Person.$organizationID == \Organization.$id)
            .filter(Organization.self, \.$path =~ scopePath)
        let phone = try? MobileNumber(text)
        let id = phone == nil ? try? ResidentIDNumber(text, today: Day.today(now: services.clock())) : nil
        if phone != nil || id != nil {
            guard actor.can(MembersPermission.peopleReveal) else {
                throw MembersError.identifierSearchNotPermitted
            }
            let masked = phone.map { Masking.phone($0.value) } ?? id.map { Masking.idNumber($0.value) } ?? ""
            let found: [UUID]
            if let phone {
                found = try await exact.filter(\.$phoneLookup == records.phoneLookup(phone.value)).all().compactMap(\.id)
            } else {
                found = try await exact.filter(\.$idNumberLookup == records.idLookup(id?.value ?? "")).all().compactMap(\.id)
            }
            try await services.audit.record(
                AuditEvent(
                    action: "people.lookup_exact", entityType: "person", entityID: found.first?.uuidString ?? "",
                    summary: "按号码查找人员（\(masked)）：\(found.isEmpty ? "未找到" : "找到 \(found.count) 人")"),
                on: db)
            return found
        }
        // The index holds two-character words; a single character is what people type for a surname
        // (王), so it finds names starting with it.
        if text.count == 1, let character = text.first, !character.isASCII {
            return try await exact.filter(\.$name, .custom("LIKE"), text + "%").filter(\.$anonymizedAt == nil)
                .sort(\.$name).limit(Self.searchLimit).all().compactMap(\.id)
        }
        let hits = try await SearchIndexStore(db: db, writes: services.writes).search(
            kind: PersonRecords.searchKind, query: text, scopePath: scopePath, limit: Self.searchLimit)
        return hits.compactMap { UUID(uuidString: $0.entityID) }
    }

    /// One person the actor may see: in the actor's subtree, or — to read and 实名核验 only — an open
    /// applicant or member of a society in it. Correcting the profile and showing numbers in full stay
    /// with the person's own organization. Anything else is "not found".
    func person(_ id: UUID, actor: Actor, throughMembership: Bool = true) async throws -> Person {
        if let person = try await actor.scope.query(Person.self, on: db).filter(\.$id == id).fields(for: Person.self).first() {
            return person
        }
        let open: [MembershipStatus] = [.applied, .active, .suspended]
        if throughMembership,
            try await actor.scope.query(Membership.self, on: db).filter(\.$personID == id).filter(\.$status ~~ open).first() != nil,
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
        let person = try await person(id, actor: actor, throughMembership: false)
        guard person.anonymizedAt == nil else { throw MembersError.personAnonymized }
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
        guard person.anonymizedAt == nil else { throw MembersError.personAnonymized }
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        person.verification = (approve ? PersonVerification.verified : .rejected).rawValue
        let record = VerificationRecord()
        record.personID = try person.requireID()
        record.organizationID = organizationID
        record.outcome = person.verification
        record.note = note
        record.actorName = actor.displayName
        let registry = services.registry
        try await services.writes.transaction(on: db) { tx in
            try await person.save(on: tx)
            try await record.create(on: tx)
            if let userID = person.userID {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: userID, title: approve ? "实名核验已通过" : "实名核验未通过",
                        body: approve ? "您的资料已通过实名核验。" : "您的资料未通过实名核验：\(note ?? "")，请修改后等待重新核验。",
                        link: MembersRoutes.myProfile()), on: tx)
            }
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
            person = try await self.person(id, actor: actor, throughMembership: false)
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

/// The people lists' WHERE clause and counts, usable without the platform services (home panels).
struct PeopleQuery: Sendable {
    let db: any Database
    let today: Day

    /// An exact count for a panel (no search): "how many people, how many waiting for 实名核验".
    func count(_ filter: PeopleFilter, actor: Actor) async throws -> Int {
        let sql = try db.sql()
        guard let condition = try await condition(filter, actor: actor) else { return 0 }
        var count = SQLQueryString("SELECT COUNT(*) AS n FROM platform_people WHERE ")
        count.appendInterpolation(condition)
        return try await sql.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The WHERE clause for the scope and every filter but the search; nil when the filter names an
    /// organization outside the actor's subtree. The subtree is given as its organizations' ids (a
    /// province has hundreds, not millions), which lets the database count from an index alone.
    /// The path of the subtree a list covers: the filter's organization if it is in scope, else the
    /// actor's scope; nil when the filter names an organization outside it.
    func scopePath(_ filter: PeopleFilter, actor: Actor) async throws -> String? {
        guard let id = filter.organizationID else { return actor.scope.rootPath }
        return try await actor.scope.organization(id, on: db)?.path
    }

    /// The WHERE clause for the scope and every filter but the search; nil when the filter names an
    /// organization outside the actor's subtree.
    func condition(_ filter: PeopleFilter, actor: Actor) async throws -> SQLQueryString? {
        guard let path = try await scopePath(filter, actor: actor) else { return nil }
        return condition(filter, under: path)
    }

    /// The subtree is a subquery on the organizations' paths (a province has hundreds, not millions), so
    /// the database counts from the facets index alone and the page needs no statement to learn it.
    func condition(_ filter: PeopleFilter, under path: String) -> SQLQueryString {
        var sql = SQLQueryString("anonymized_at IS NULL AND ")
        sql.appendInterpolation(Scope.subtree(column: "organization_id", under: path))
        appendFilters(filter, to: &sql)
        return sql
    }

    /// Sex, title, discipline, verification, age band and region, each as `AND …`.
    func appendFilters(_ filter: PeopleFilter, to sql: inout SQLQueryString) {
        func equals(_ column: String, _ value: String?) {
            guard let value else { return }
            sql.appendInterpolation(unsafeRaw: " AND \(column) = ")
            sql.appendInterpolation(bind: value)
        }
        equals("sex", filter.sex?.rawValue)
        equals("title_level", filter.titleLevel?.rawValue)
        equals("discipline_code", filter.disciplineCode)
        equals("verification", filter.verification?.rawValue)
        if let band = filter.ageBand {
            let range = band.birthMonths(on: today)
            if let earliest = range.earliest {
                sql.appendInterpolation(unsafeRaw: " AND birth_month >= ")
                sql.appendInterpolation(bind: earliest.description)
            }
            if let latest = range.latest {
                sql.appendInterpolation(unsafeRaw: " AND birth_month <= ")
                sql.appendInterpolation(bind: latest.description)
            }
        }
        if let region = filter.region {
            sql.appendInterpolation(unsafeRaw: " AND (province = ")
            sql.appendInterpolation(bind: region)
            sql.appendInterpolation(unsafeRaw: " OR city = ")
            sql.appendInterpolation(bind: region)
            sql.appendInterpolation(unsafeRaw: " OR county = ")
            sql.appendInterpolation(bind: region)
            sql.appendInterpolation(unsafeRaw: ")")
        }
    }
}

/// One row of the people list and its export: the columns they show, read without a Fluent model.
struct PersonListing: Sendable {
    static let columns =
        "id, name, sex, birth_month, title_name, title_level, employer, discipline_code, industry_code, province, city, county, "
        + "research_direction, phone_cipher, id_number_cipher, verification"

    let id: UUID
    let name: String
    let sex: String
    let birthMonth: String
    let titleName: String?
    let titleLevel: String?
    let employer: String?
    let disciplineCode: String?
    let industryCode: String?
    let province: String?
    let city: String?
    let county: String?
    let researchDirection: String?
    let phoneCipher: String
    let idNumberCipher: String?
    let verification: String

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        name = try row.decode(column: "name", as: String.self)
        sex = try row.decode(column: "sex", as: String.self)
        birthMonth = try row.decode(column: "birth_month", as: String.self)
        titleName = try row.decode(column: "title_name", as: String?.self)
        titleLevel = try row.decode(column: "title_level", as: String?.self)
        employer = try row.decode(column: "employer", as: String?.self)
        disciplineCode = try row.decode(column: "discipline_code", as: String?.self)
        industryCode = try row.decode(column: "industry_code", as: String?.self)
        province = try row.decode(column: "province", as: String?.self)
        city = try row.decode(column: "city", as: String?.self)
        county = try row.decode(column: "county", as: String?.self)
        researchDirection = try row.decode(column: "research_direction", as: String?.self)
        phoneCipher = try row.decode(column: "phone_cipher", as: String.self)
        idNumberCipher = try row.decode(column: "id_number_cipher", as: String?.self)
        verification = try row.decode(column: "verification", as: String.self)
    }

    /// "1980-05" in full, "1980年" without the permission to see birth months.
    func birth(full: Bool) -> String { full ? birthMonth : String(birthMonth.prefix(4)) + "年" }
}
