import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PeopleListPage: Sendable {
    struct Row: Encodable, Sendable {
        let name: String
        let link: String
        let sex: String
        let age: String
        let title: String
        let employer: String
        let discipline: String
        let region: String
        let phone: String
        let verification: String
        let verified: Bool
    }

    let shell: PageShell
    let list: ListChrome
    let nameHeader: SortHeader
    let birthHeader: SortHeader
    /// The 组织 filter (empty: the whole subtree).
    let organization: OrganizationPickerValue
    let disciplines: [SelectOption]
    let titles: [SelectOption]
    let ageBands: [SelectOption]
    let sexes: [SelectOption]
    let verifications: [SelectOption]
    let region: String
    let rows: [Row]
    let countLabel: String
    let searchCapped: Bool
    let importLink: String?
    let statisticsLink: String?
}

struct PersonPage: Sendable {
    struct Fact: Encodable, Sendable {
        let label: String
        let value: String
    }

    struct MembershipRow: Encodable, Sendable {
        let society: String
        let number: String
        let grade: String
        let status: String
        let link: String?
    }

    let shell: PageShell
    let name: String
    let verification: String
    let verified: Bool
    let facts: [Fact]
    let phone: String
    let idNumber: String
    let revealed: String?
    let revealAction: String?
    let hasIDNumber: Bool
    let verifyAction: String?
    let editLink: String?
    let memberships: [MembershipRow]
    let verifications: [Fact]
    let error: String?
    /// Every module's panel about this person (cases, postings, expert entry), for staff.
    var panels: [PanelContent] = []
}

struct PersonFormPage: Sendable {
    let shell: PageShell
    let heading: String
    let action: String
    let form: ProfileForm
    /// nil on the correction form (a person is moved by their organization, not here).
    let organization: OrganizationPickerValue?
    let organizationError: String?
}

/// The administrators' pages for people: list with filters, search and export; a person's record with
/// 实名核验 and the audited "show in full"; create and correct.
struct PeopleController {
    let classifications: Classifications

    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.people, use: list)
        web.get(MembersRoutes.newPerson, use: newForm)
        web.post(MembersRoutes.people, use: create)
        web.get(MembersRoutes.person, use: detail)
        web.get(MembersRoutes.editPerson, use: editForm)
        web.post(MembersRoutes.person, use: update)
        web.post(MembersRoutes.verifyPerson, use: verify)
        web.post(MembersRoutes.revealPerson, use: reveal)
    }

    private func directory(_ req: Request) -> PeopleDirectory {
        PeopleDirectory(db: req.db, services: req.platform, validator: PersonProfileValidator(classifications: classifications))
    }

    static let filterKeys = ["org", "discipline", "title", "region", "age", "sex", "verification"]

    static func filter(_ params: ListParameters) -> PeopleFilter {
        var filter = PeopleFilter()
        filter.organizationID = params["org"].flatMap(UUID.init(uuidString:))
        filter.disciplineCode = params["discipline"]
        filter.titleLevel = params["title"].flatMap(TitleLevel.init(rawValue:))
        filter.region = params["region"]
        filter.ageBand = params["age"].flatMap(AgeBand.init(rawValue:))
        filter.sex = params["sex"].flatMap(Sex.init(rawValue:))
        filter.verification = params["verification"].flatMap(PersonVerification.init(rawValue:))
        filter.search = params.search
        filter.descending = params.descending
        filter.sort = params["sort"].flatMap(PeopleFilter.Sort.init(rawValue:)) ?? (params.search == nil ? .name : .relevance)
        return filter
    }

    /// Handler: who, which filters → the people in scope → the (audited, masked) export or one page.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        let params = try ListParameters(request: req, path: MembersRoutes.people(), keys: Self.filterKeys)
        var filter = Self.filter(params)
        if filter.organizationID == nil, let sent = params["org"] {
            // A name or path typed without the picker's script; no such organization lists no one.
            filter.organizationID = try await OrganizationLookup(db: req.db).resolve(sent, in: .subtree, actor: actor) ?? UUID()
        }
        let directory = directory(req)
        let today = Day.today(now: req.platform.clock())
        // Without the reveal permission the masked ID is not shown beside the fields that would narrow it
        // down to a few people (birth month and county): the year and the city only.
        let full = actor.can(MembersPermission.peopleReveal)
        if let format = req.exportFormat {
            let (_, people) = try await directory.page(filter, actor: actor, offset: 0, limit: 100_000)
            try await req.platform.audit.record(
                AuditEvent(action: "people.export", entityType: "person", summary: "导出科技工作者名单 \(people.count) 人（已脱敏）"), on: req.db)
            return try await export(people, records: directory.records, full: full).response(format, for: req)
        }
        let (total, people) = try await directory.page(filter, actor: actor, offset: params.offset, limit: params.pageSize)
        let shell = await PageShell.build(for: req, title: "科技工作者")
        let organization =
            if let sent = params["org"] {
                try await actor.organizationPicker(sent: sent, on: req.db)
            } else {
                OrganizationPickerValue.empty()
            }
        let rows = try self.rows(people, records: directory.records, today: today, full: full)
        return try await listPage(rows, total: total, filter, params, actor: actor, organization: organization, shell: shell).render(req)
    }

    var disciplineNames: [String: String] { Dictionary(uniqueKeysWithValues: classifications.disciplines.map { ($0.code, $0.name) }) }

    func export(_ people: [PersonListing], records: PersonRecords, full: Bool) -> TableExport {
        let disciplineNames = disciplineNames
        return TableExport(
            fileName: "科技工作者名单",
            headers: ["姓名", "性别", "出生年月", "职称", "职称级别", "工作单位", "学科", "行业", "省", "市", "县/区", "研究方向", "手机（已脱敏）", "身份证号（已脱敏）", "核验状态"],
            rows: people.map { p in
                [
                    p.name, Sex(rawValue: p.sex)?.label ?? "", p.birth(full: full), p.titleName ?? "",
                    p.titleLevel.flatMap(TitleLevel.init(rawValue:))?.label ?? "", p.employer ?? "",
                    p.disciplineCode.flatMap { disciplineNames[$0] } ?? "", p.industryCode ?? "", p.province ?? "", p.city ?? "",
                    full ? p.county ?? "" : "", p.researchDirection ?? "", records.maskedPhone(p),
                    p.idNumberCipher == nil ? "" : records.maskedIDNumber(p),
                    PersonVerification(rawValue: p.verification)?.label ?? "",
                ]
            }
        )
    }

    func rows(_ people: [PersonListing], records: PersonRecords, today: Day, full: Bool) throws -> [PeopleListPage.Row] {
        let disciplineNames = disciplineNames
        return try people.map { p in
            let age = YearMonth(parsing: p.birthMonth).map { "\($0.age(on: today))岁" } ?? ""
            return .init(
                name: p.name, link: MembersRoutes.person(p.id), sex: Sex(rawValue: p.sex)?.label ?? "",
                age: "\(p.birth(full: full))（\(age)）",
                title: [p.titleName, p.titleLevel.flatMap(TitleLevel.init(rawValue:))?.label].compactMap { $0 }.joined(
                    separator: " / "),
                employer: p.employer ?? "", discipline: p.disciplineCode.flatMap { disciplineNames[$0] } ?? "",
                region: [p.city, full ? p.county : nil].compactMap { $0 }.joined(separator: " "), phone: records.maskedPhone(p),
                verification: PersonVerification(rawValue: p.verification)?.label ?? "",
                verified: p.verification == PersonVerification.verified.rawValue)
        }
    }

    /// The page model for one page of people.
    func listPage(
        _ rows: [PeopleListPage.Row], total: Int, _ filter: PeopleFilter, _ params: ListParameters, actor: Actor,
        organization: OrganizationPickerValue, shell: PageShell
    ) -> PeopleListPage {
        func options(_ key: String, _ all: String, _ items: [(String, String)]) -> [SelectOption] {
            [SelectOption(value: "", label: all, selected: params[key] == nil)]
                + items.map { SelectOption(value: $0.0, label: $0.1, selected: params[key] == $0.0) }
        }
        return PeopleListPage(
            shell: shell,
            list: params.chrome(
                total: total,
                headers: [
                    params.sortLink("name", label: "姓名"), params.sortLink("birth", label: "出生年月"),
                    params.sortLink("updated", label: "更新时间"),
                ],
                newLink: actor.can(MembersPermission.peopleWrite) ? MembersRoutes.newPerson() : nil),
            nameHeader: params.sortLink("name", label: "姓名"), birthHeader: params.sortLink("birth", label: "出生年月"),
            organization: organization,
            disciplines: options("discipline", "全部学科", classifications.disciplines.map { ($0.code, "\($0.code) \($0.name)") }),
            titles: options("title", "全部职称级别", TitleLevel.allCases.sorted(by: >).map { ($0.rawValue, $0.label) }),
            ageBands: options("age", "全部年龄", AgeBand.allCases.sorted().map { ($0.rawValue, $0.label) }),
            sexes: options("sex", "全部", Sex.allCases.map { ($0.rawValue, $0.label) }),
            verifications: options("verification", "全部", PersonVerification.allCases.map { ($0.rawValue, $0.label) }),
            region: params["region"] ?? "", rows: rows,
            countLabel: total > PeopleDirectory.countCap ? "超过 \(PeopleDirectory.countCap) 人，请用筛选条件缩小范围" : "共 \(total) 人",
            searchCapped: filter.search != nil && total >= PeopleDirectory.searchLimit,
            importLink: actor.can(MembersPermission.peopleWrite) ? MembersRoutes.peopleImport() : nil,
            statisticsLink: actor.can(MembersPermission.statistics) ? MembersRoutes.statistics() : nil)
    }

    func detail(_ req: Request) async throws -> Response {
        try await detailPage(req, revealed: nil, error: nil)
    }

    /// Handler: who, which person → the person's organization, memberships and verifications → the page.
    private func detailPage(_ req: Request, revealed: String?, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        let directory = directory(req)
        let id = try req.uuidParameter()
        let person = try await directory.person(id, actor: actor)
        let organization = try await Organization.find(person.organizationID, on: req.db)
        let memberships = try await Membership.query(on: req.db).filter(\.$personID == id).sort(\.$createdAt).all()
        let societies = try await Organization.query(on: req.db).filter(\.$id ~~ memberships.map(\.organizationID)).all()
        let verifications = try await VerificationRecord.query(on: req.db).filter(\.$personID == id).sort(\.$createdAt, .descending).all()
        let panels = try await req.platform.registry.personPanels(
            for: .init(personID: id, userID: person.userID), actor: actor, on: req.db, now: req.platform.clock())
        let shell = await PageShell.build(for: req, title: person.name)
        var page = try detailPage(
            person, organization: organization, records: directory.records, actor: actor, revealed: revealed, error: error, shell: shell,
            memberships: Self.membershipRows(memberships, societies: societies, actor: actor, organization: organization),
            verifications: Self.verificationFacts(verifications))
        page.panels = panels
        return try await page.render(req, status: status)
    }

    /// The person's facts; the birth month and county only to whoever may reveal or to the person.
    func facts(_ person: Person, organization: Organization?, full: Bool) -> [PersonPage.Fact] {
        let disciplineName = person.disciplineCode.flatMap { code in classifications.disciplines.first { $0.code == code } }
        let industryName = person.industryCode.flatMap { code in classifications.industries.first { $0.code == code } }
        var facts: [PersonPage.Fact] = [
            .init(label: "所属组织", value: organization?.name ?? "—"),
            .init(label: "性别", value: Sex(rawValue: person.sex)?.label ?? "—"),
            .init(label: full ? "出生年月" : "出生年份", value: PersonRecords.birth(person, full: full)),
        ]
        let optional: [(String, String?)] = [
            ("民族", person.ethnicity.flatMap(Ethnicity.init(rawValue:))?.label),
            ("政治面貌", person.politicalStatus.flatMap(PoliticalStatus.init(rawValue:))?.label),
            ("学历", person.education.flatMap(Education.init(rawValue:))?.label),
            ("学位", person.degree.flatMap(Degree.init(rawValue:))?.label),
            (
                "职称",
                [person.titleName, person.titleLevel.flatMap(TitleLevel.init(rawValue:))?.label].compactMap { $0 }.joined(separator: " / ")
            ),
            ("工作单位", person.employer),
            ("所在地区", [person.province, person.city, full ? person.county : nil].compactMap { $0 }.joined(separator: " ")),
            ("学科", disciplineName.map { "\($0.code) \($0.name)" }), ("行业", industryName.map { "\($0.code) \($0.name)" }),
            ("研究方向", person.researchDirection), ("电子邮箱", person.email.map(Masking.email)),
        ]
        for (label, value) in optional { if let value, !value.isEmpty { facts.append(.init(label: label, value: value)) } }
        return facts
    }

    /// The memberships the actor may see: all of them within the person's organization, else those of societies in scope.
    static func membershipRows(
        _ memberships: [Membership], societies: [Organization], actor: Actor, organization: Organization?
    ) throws -> [PersonPage.MembershipRow] {
        let societyNames = Dictionary(uniqueKeysWithValues: societies.compactMap { o in o.id.map { ($0, o) } })
        let ownOrganization = organization.map { actor.scope.contains($0) } ?? false
        return try memberships.filter { m in ownOrganization || societyNames[m.organizationID].map(actor.scope.contains) == true }.map {
            m in
            let society = societyNames[m.organizationID]
            return .init(
                society: society?.name ?? "—", number: m.memberNumber ?? "—",
                grade: m.grade.label,
                status: m.status.label,
                link: society.map { actor.scope.contains($0) } ?? false ? MembersRoutes.membership(try m.requireID()) : nil)
        }
    }

    static func verificationFacts(_ verifications: [VerificationRecord]) -> [PersonPage.Fact] {
        verifications.map {
            .init(
                label: ChineseDate.dateTime($0.createdAt) + " " + $0.actorName,
                value: (PersonVerification(rawValue: $0.outcome)?.label ?? $0.outcome) + ($0.note.map { "：" + $0 } ?? ""))
        }
    }

    /// The person page model.
    func detailPage(
        _ person: Person, organization: Organization?, records: PersonRecords, actor: Actor, revealed: String?, error: String?,
        shell: PageShell, memberships: [PersonPage.MembershipRow], verifications: [PersonPage.Fact]
    ) throws -> PersonPage {
        let id = try person.requireID()
        let full = actor.can(MembersPermission.peopleReveal) || person.userID == actor.userID
        let isSelf = person.userID == actor.userID
        let active = person.anonymizedAt == nil
        // Reached through a society application: read and verify, nothing more.
        let ownOrganization = organization.map { actor.scope.contains($0) } ?? false
        return PersonPage(
            shell: shell, name: person.name,
            verification: PersonVerification(rawValue: person.verification)?.label ?? "",
            verified: person.verification == PersonVerification.verified.rawValue,
            facts: facts(person, organization: organization, full: full), phone: records.maskedPhone(person),
            idNumber: person.idNumberCipher == nil ? "未登记" : records.maskedIDNumber(person), revealed: revealed,
            revealAction: active && (isSelf || (ownOrganization && actor.can(MembersPermission.peopleReveal)))
                ? MembersRoutes.revealPerson(id) : nil,
            hasIDNumber: person.idNumberCipher != nil,
            verifyAction: active && actor.can(MembersPermission.peopleVerify) ? MembersRoutes.verifyPerson(id) : nil,
            editLink: active && ownOrganization && actor.can(MembersPermission.peopleWrite) ? MembersRoutes.editPerson(id) : nil,
            memberships: memberships, verifications: verifications, error: error)
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        return try await PersonFormPage(
            shell: await PageShell.build(for: req, title: "登记科技工作者"), heading: "登记科技工作者", action: MembersRoutes.people(),
            form: ProfileForm(
                draft: PersonProfileDraft(), errors: [:], maskedPhone: nil, maskedIDNumber: nil, classifications: classifications),
            organization: try await actor.organizationPicker(selected: nil, on: req.db), organizationError: nil
        ).render(req)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let draft = ProfileForm.draft(from: req)
        let sent = try? req.content.get(String.self, at: "organizationID")
        let organizationID = try await OrganizationLookup(db: req.db).resolve(sent, in: .subtree, actor: actor)
        if organizationID == nil, let sent, !sent.trimmingCharacters(in: .whitespaces).isEmpty {
            // A name that matches no organization (or several) must not fall back to the acting one.
            return try await PersonFormPage(
                shell: await PageShell.build(for: req, title: "登记科技工作者"), heading: "登记科技工作者", action: MembersRoutes.people(),
                form: ProfileForm(draft: draft, errors: [:], maskedPhone: nil, maskedIDNumber: nil, classifications: classifications),
                organization: try await actor.organizationPicker(sent: sent, on: req.db),
                organizationError: "未找到该组织，请从列表中选择或填写完整路径"
            ).render(req, status: .unprocessableEntity)
        }
        switch try await directory(req).create(draft, organizationID: organizationID, actor: actor) {
        case .success(let person):
            return req.redirect(to: MembersRoutes.person(try person.requireID(), query: ["notice": "created"]))
        case .failure(let errors):
            return try await PersonFormPage(
                shell: await PageShell.build(for: req, title: "登记科技工作者"), heading: "登记科技工作者", action: MembersRoutes.people(),
                form: ProfileForm(
                    draft: draft, errors: errors.messages, maskedPhone: nil, maskedIDNumber: nil, classifications: classifications),
                organization: try await actor.organizationPicker(sent: sent, on: req.db), organizationError: nil
            ).render(req, status: .unprocessableEntity)
        }
    }

    func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        let directory = directory(req)
        let person = try await directory.person(try req.uuidParameter(), actor: actor, throughMembership: false)
        return try await editPage(req, person: person, draft: PersonRecords.draft(of: person), errors: [:])
    }

    private func editPage(
        _ req: Request, person: Person, draft: PersonProfileDraft, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let records = directory(req).records
        let id = try person.requireID()
        return try await PersonFormPage(
            shell: await PageShell.build(for: req, title: "修改资料：\(person.name)"), heading: "修改资料：\(person.name)",
            action: MembersRoutes.person(id),
            form: ProfileForm(
                draft: draft, errors: errors, maskedPhone: records.maskedPhone(person),
                maskedIDNumber: person.idNumberCipher == nil ? nil : records.maskedIDNumber(person), classifications: classifications),
            organization: nil, organizationError: nil
        ).render(req, status: status)
    }

    func update(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let draft = ProfileForm.draft(from: req)
        let directory = directory(req)
        switch try await directory.update(id, draft: draft, actor: actor) {
        case .success:
            return req.redirect(to: MembersRoutes.person(id, query: ["notice": "saved"]))
        case .failure(let errors):
            let person = try await directory.person(id, actor: actor, throughMembership: false)
            return try await editPage(req, person: person, draft: draft, errors: errors.messages, status: .unprocessableEntity)
        }
    }

    func verify(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let approve = (try? req.content.get(String.self, at: "outcome")) != "reject"
        let note = try? req.content.get(String.self, at: "note")
        do {
            _ = try await directory(req).verify(id, approve: approve, note: note, actor: actor)
        } catch let error as PlatformError {
            guard case .invalidInput(_, let message) = error else { throw error }
            return try await detailPage(req, revealed: nil, error: message, status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.person(id, query: ["notice": approve ? "verified" : "verification_rejected"]))
    }

    func reveal(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let field = (try? req.content.get(String.self, at: "field")).flatMap(PeopleDirectory.RevealedField.init(rawValue:)) ?? .phone
        let value = try await directory(req).reveal(field, of: id, actor: actor)
        return try await detailPage(req, revealed: "\(field.label)：\(value)", error: nil)
    }
}
