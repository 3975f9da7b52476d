import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PersonDTO: Content {
    let id: UUID
    let organizationId: UUID
    let name: String
    let sex: String
    let birthMonth: String
    let ethnicity: String?
    let politicalStatus: String?
    let education: String?
    let degree: String?
    let titleLevel: String?
    let titleName: String?
    let employer: String?
    let province: String?
    let city: String?
    let county: String?
    let discipline: String?
    let industry: String?
    let researchDirection: String?
    /// Masked, as in every list; the full value is a separate audited action in the web UI.
    let phone: String
    let email: String?
    let idNumber: String?
    let verification: String
    let verified: Bool

    init(_ p: Person, records: PersonRecords) throws {
        id = try p.requireID()
        organizationId = p.organizationID
        name = p.name
        sex = Sex(rawValue: p.sex)?.label ?? p.sex
        birthMonth = p.birthMonth
        ethnicity = p.ethnicity.flatMap(Ethnicity.init(rawValue:))?.label
        politicalStatus = p.politicalStatus.flatMap(PoliticalStatus.init(rawValue:))?.label
        education = p.education.flatMap(Education.init(rawValue:))?.label
        degree = p.degree.flatMap(Degree.init(rawValue:))?.label
        titleLevel = p.titleLevel.flatMap(TitleLevel.init(rawValue:))?.label
        titleName = p.titleName
        employer = p.employer
        province = p.province
        city = p.city
        county = p.county
        discipline = p.disciplineCode
        industry = p.industryCode
        researchDirection = p.researchDirection
        phone = records.maskedPhone(p)
        email = p.email.map(Masking.email)
        idNumber = p.idNumberCipher == nil ? nil : records.maskedIDNumber(p)
        verification = p.verification
        verified = p.verification == PersonVerification.verified.rawValue
    }
}

struct MembershipDTO: Content {
    let id: UUID
    let societyId: UUID
    let personId: UUID?
    let memberOrganizationId: UUID?
    let name: String
    let memberNumber: String?
    let grade: String
    let gradeLabel: String
    let status: String
    let statusLabel: String
    let appliedOn: String
    let joinedOn: String?
    let refusalReason: String?

    init(_ m: Membership) throws {
        id = try m.requireID()
        societyId = m.organizationID
        personId = m.personID
        memberOrganizationId = m.memberOrganizationID
        name = m.memberName ?? ""
        memberNumber = m.memberNumber
        grade = m.grade.rawValue
        gradeLabel = m.grade.label
        status = m.status.rawValue
        statusLabel = m.status.label
        appliedOn = m.appliedOn.description
        joinedOn = m.joinedOn?.description
        refusalReason = m.refusalReason
    }
}

struct ExpertDTO: Content {
    let id: UUID
    let personId: UUID
    let name: String
    let employer: String?
    let titleName: String?
    let city: String?
    let county: String?
    let roles: [String]
    let fields: [String]
    let availability: String
}

struct ListDTO<Item: Content>: Content {
    let items: [Item]
    let page: Int
    let per: Int
    let total: Int
}

/// `/api/v1` for people, memberships and experts. Same services as the pages, so validation messages
/// and scope are the same.
struct MembersAPIController {
    let classifications: Classifications

    func register(_ api: any RoutesBuilder) {
        api.get(MembersRoutes.apiPeople, use: listPeople)
        api.post(MembersRoutes.apiPeople, use: createPerson)
        api.get(MembersRoutes.apiPerson, use: showPerson)
        api.on(.PATCH, MembersRoutes.apiPerson, use: updatePerson)
        api.get(MembersRoutes.apiSocietyMemberships, use: listMemberships)
        api.post(MembersRoutes.apiSocietyMemberships, use: createMembership)
        api.get(MembersRoutes.apiExperts, use: listExperts)
    }

    private func directory(_ req: Request) -> PeopleDirectory {
        PeopleDirectory(db: req.db, services: req.platform, validator: PersonProfileValidator(classifications: classifications))
    }

    private func page(_ req: Request) throws -> (page: Int, per: Int) {
        let paging = try req.paging()
        return (paging.page, paging.per)
    }

    func listPeople(_ req: Request) async throws -> ListDTO<PersonDTO> {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        let params = try ListParameters(request: req, path: MembersRoutes.apiPeople(), keys: PeopleController.filterKeys)
        if let raw = req.query[String.self, at: "title"], TitleLevel(rawValue: raw) == nil {
            throw PlatformError.invalidInput(field: "title", message: "未知的职称级别：\(raw)（可用 senior、associate_senior、intermediate、junior、none）")
        }
        if let raw = req.query[String.self, at: "age"], AgeBand(rawValue: raw) == nil {
            throw PlatformError.invalidInput(field: "age", message: "未知的年龄段：\(raw)（可用 under_35、35_44、45_54、55_plus）")
        }
        // The page ignores a filter it cannot read; an API client learns of its mistake instead.
        if let raw = req.query[String.self, at: "sex"], Sex(rawValue: raw) == nil {
            throw PlatformError.invalidInput(field: "sex", message: "未知的性别：\(raw)（可用 male、female）")
        }
        if let raw = req.query[String.self, at: "verification"], PersonVerification(rawValue: raw) == nil {
            throw PlatformError.invalidInput(field: "verification", message: "未知的核验状态：\(raw)（可用 unverified、pending、verified、rejected）")
        }
        if let raw = req.query[String.self, at: "org"], UUID(uuidString: raw) == nil {
            throw PlatformError.invalidInput(field: "org", message: "org 应为组织的 ID")
        }
        if let raw = req.query[String.self, at: "discipline"], !classifications.disciplines.contains(where: { $0.code == raw }) {
            throw PlatformError.invalidInput(field: "discipline", message: "未知的学科代码：\(raw)（GB/T 13745 一级学科代码）")
        }
        let filter = PeopleController.filter(params)
        let (page, per) = try page(req)
        let directory = directory(req)
        let (total, people) = try await directory.list(filter, actor: actor, offset: (page - 1) * per, limit: per)
        return ListDTO(items: try people.map { try PersonDTO($0, records: directory.records) }, page: page, per: per, total: total)
    }

    /// Reads a JSON object of profile fields (all strings) into a draft on top of `base`.
    private func draft(_ req: Request, base: PersonProfileDraft) throws -> (PersonProfileDraft, UUID?) {
        guard let body = req.body.data, let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw PlatformError.invalidInput(field: nil, message: "请求体不是有效的 JSON 对象")
        }
        var draft = base
        for field in ProfileField.allCases {
            guard let value = object[field.rawValue] else { continue }
            if value is NSNull {
                draft[field] = ""
            } else if let text = value as? String {
                // Refused rather than cut: no profile field is longer, and a client must not lose text silently.
                guard text.count <= 200 else {
                    throw PlatformError.invalidInput(field: field.rawValue, message: "\(field.label)不能超过 200 个字")
                }
                draft[field] = text
            } else {
                throw PlatformError.invalidInput(field: field.rawValue, message: "\(field.label)应为文本")
            }
        }
        var organizationID: UUID?
        if let value = object["organizationId"], !(value is NSNull) {
            guard let text = value as? String, let id = UUID(uuidString: text) else {
                throw PlatformError.invalidInput(field: "organizationId", message: "organizationId 应为组织的 ID")
            }
            organizationID = id
        }
        return (draft, organizationID)
    }

    func createPerson(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        let (draft, organizationID) = try draft(req, base: PersonProfileDraft())
        let directory = directory(req)
        switch try await directory.create(draft, organizationID: organizationID, actor: actor) {
        case .success(let person): return try await PersonDTO(person, records: directory.records).encodeResponse(status: .created, for: req)
        case .failure(let errors): throw MembersError.invalidProfile(errors)
        }
    }

    func showPerson(_ req: Request) async throws -> PersonDTO {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        let directory = directory(req)
        return try PersonDTO(try await directory.person(try req.uuidParameter(), actor: actor), records: directory.records)
    }

    func updatePerson(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        let directory = directory(req)
        let id = try req.uuidParameter()
        let person = try await directory.person(id, actor: actor, throughMembership: false)
        let (draft, _) = try draft(req, base: PersonRecords.draft(of: person))
        switch try await directory.update(id, draft: draft, actor: actor) {
        case .success(let person): return try await PersonDTO(person, records: directory.records).encodeResponse(for: req)
        case .failure(let errors): throw MembersError.invalidProfile(errors)
        }
    }

    func listMemberships(_ req: Request) async throws -> ListDTO<MembershipDTO> {
        let actor = try req.actor
        try actor.require(MembersPermission.membershipsManage)
        let service = MembershipService(db: req.db, services: req.platform)
        let society = try await service.society(try req.uuidParameter(), actor: actor)
        var query = Membership.query(on: req.db).filter(\.$organizationID == (try society.requireID()))
        if let raw = req.query[String.self, at: "status"] {
            guard let status = MembershipStatus.parse(raw) else {
                throw PlatformError.invalidInput(field: "status", message: "未知的会员状态：\(raw)")
            }
            query = query.filter(\.$status == status)
        }
        let (page, per) = try page(req)
        let total = try await query.count()
        let rows = try await query.sort(\.$appliedOn).sort(\.$id).range(((page - 1) * per)..<(page * per)).all()
        return ListDTO(items: try rows.map(MembershipDTO.init), page: page, per: per, total: total)
    }

    struct MembershipInput: Content {
        /// 手机 or 身份证号 of the person; omitted means the token's own profile applies.
        var person: String?
        var grade: String?
        var statement: String?
    }

    /// A society administrator registers a person as a member (approved and numbered at once); anyone
    /// else applies for themself (pending the society's decision).
    func createMembership(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let societyID = try req.uuidParameter()
        let input = try req.jsonBody(MembershipInput.self)
        let service = MembershipService(db: req.db, services: req.platform)
        if let identifier = input.person {
            let grade: MembershipGrade
            if let raw = input.grade {
                guard let parsed = MembershipGrade.parse(raw) else {
                    throw PlatformError.invalidInput(field: "grade", message: "未知的会员级别：\(raw)")
                }
                grade = parsed
            } else {
                grade = .member
            }
            let person = try await RolesService(db: req.db, services: req.platform).person(identifiedBy: identifier, actor: actor)
            let member = try await service.register(person: person, societyID: societyID, grade: grade, actor: actor)
            return try await MembershipDTO(member).encodeResponse(status: .created, for: req)
        }
        guard let person = try await Person.query(on: req.db).filter(\.$userID == actor.userID).first() else {
            throw MembersError.profileMissing
        }
        let application = try await service.apply(person: person, societyID: societyID, statement: input.statement)
        return try await MembershipDTO(application).encodeResponse(status: .created, for: req)
    }

    func listExperts(_ req: Request) async throws -> ListDTO<ExpertDTO> {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleRead)
        let q = { (key: String) in req.query[String.self, at: key]?.trimmingCharacters(in: .whitespaces).nilIfEmpty }
        if let raw = q("role"), ExpertRole.parse(raw) == nil {
            throw PlatformError.invalidInput(field: "role", message: "未知的专家类别：\(raw)（可用 review、popularization、think_tank、emergency）")
        }
        if let raw = q("availability"), ExpertAvailability.parse(raw) == nil {
            throw PlatformError.invalidInput(field: "availability", message: "未知的可参加情况：\(raw)（可用 available、limited、unavailable）")
        }
        var field: String?
        if let text = q("field") {
            guard let discipline = classifications.discipline(matching: text) else {
                throw PlatformError.invalidInput(field: "field", message: "未知的学科：\(text)")
            }
            field = discipline.code
        }
        let found = try await RolesService(db: req.db, services: req.platform).experts(
            .init(
                field: field, region: q("region"), role: ExpertRole.parse(q("role")),
                availability: ExpertAvailability.parse(q("availability")),
                search: q("q")),
            actor: actor)
        let (page, per) = try page(req)
        let items = try found.dropFirst((page - 1) * per).prefix(per).map { expert, person in
            ExpertDTO(
                id: try expert.requireID(), personId: expert.personID, name: person.name, employer: person.employer,
                titleName: person.titleName,
                city: person.city, county: person.county, roles: expert.roles.map(\.rawValue),
                fields: expert.fields, availability: expert.availability.rawValue)
        }
        return ListDTO(items: Array(items), page: page, per: per, total: found.count)
    }
}
