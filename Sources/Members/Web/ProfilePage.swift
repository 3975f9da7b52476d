import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// The profile fields as a form shows them (shared by 我的资料 and the administrators' person form).
struct ProfileForm: Encodable, Sendable {
    let values: [String: String]
    let errors: [String: String]
    let maskedPhone: String?
    let maskedIDNumber: String?
    let sexes: [SelectOption]
    let ethnicities: [SelectOption]
    let politicalStatuses: [SelectOption]
    let educations: [SelectOption]
    let degrees: [SelectOption]
    let titleLevels: [SelectOption]
    let disciplines: [SelectOption]
    let industries: [SelectOption]

    init(
        draft: PersonProfileDraft, errors: [String: String], maskedPhone: String?, maskedIDNumber: String?,
        classifications: Classifications
    ) {
        var values: [String: String] = [:]
        for field in ProfileField.allCases { values[field.rawValue] = draft[field] }
        values[ProfileField.idNumber.rawValue] = ""  // never echo a 身份证号 back into a page
        func options<V: ProfileVocabulary>(_ type: V.Type, _ selected: String) -> [SelectOption] {
            [SelectOption(value: "", label: "请选择", selected: selected.isEmpty)]
                + V.allCases.map { SelectOption(value: $0.label, label: $0.label, selected: $0.label == selected) }
        }
        self.values = values
        self.errors = errors
        self.maskedPhone = maskedPhone
        self.maskedIDNumber = maskedIDNumber
        sexes = options(Sex.self, draft.sex)
        ethnicities = options(Ethnicity.self, draft.ethnicity)
        politicalStatuses = options(PoliticalStatus.self, draft.politicalStatus)
        educations = options(Education.self, draft.education)
        degrees = options(Degree.self, draft.degree)
        titleLevels = options(TitleLevel.self, draft.titleLevel)
        disciplines =
            [SelectOption(value: "", label: "请选择", selected: draft.discipline.isEmpty)]
            + classifications.disciplines.map {
                SelectOption(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == draft.discipline)
            }
        industries =
            [SelectOption(value: "", label: "请选择", selected: draft.industry.isEmpty)]
            + classifications.industries.map {
                SelectOption(value: $0.code, label: "\($0.code) \($0.name)", selected: $0.code == draft.industry)
            }
    }

    /// Reads the posted profile fields.
    static func draft(from req: Request) -> PersonProfileDraft {
        var draft = PersonProfileDraft()
        for field in ProfileField.allCases {
            draft[field] = String(((try? req.content.get(String.self, at: field.rawValue)) ?? "").prefix(200))
        }
        return draft
    }
}

struct ProfilePage: Sendable {
    let shell: PageShell
    let action: String
    let form: ProfileForm
    let verification: String
}

/// 我的资料: the logged-in person's own profile.
struct ProfileController {
    let classifications: Classifications

    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.myProfile, use: show)
        web.post(MembersRoutes.myProfile, use: save)
    }

    private func service(_ req: Request) -> ProfileService {
        ProfileService(db: req.db, services: req.platform, validator: PersonProfileValidator(classifications: classifications))
    }

    func show(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = service(req)
        let person = try await service.profile(of: actor)
        return try await page(req, draft: try await service.formDraft(for: actor, person: person), errors: [:], person: person)
    }

    func save(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let draft = ProfileForm.draft(from: req)
        let service = service(req)
        switch try await service.save(draft, actor: actor) {
        case .success:
            return req.redirect(to: MembersRoutes.myProfile(query: ["notice": "saved"]))
        case .failure(let errors):
            return try await page(
                req, draft: draft, errors: errors.messages, person: try await service.profile(of: actor), status: .unprocessableEntity)
        }
    }

    private func page(
        _ req: Request, draft: PersonProfileDraft, errors: [String: String], person: Person?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let service = service(req)
        let verification = person.flatMap { PersonVerification(rawValue: $0.verification) } ?? .unverified
        return try await ProfilePage(
            shell: await PageShell.build(for: req, title: "我的资料"), action: MembersRoutes.myProfile(),
            form: ProfileForm(
                draft: draft, errors: errors, maskedPhone: service.maskedPhone(person), maskedIDNumber: service.maskedIDNumber(person),
                classifications: classifications),
            verification: person == nil ? "尚未填写" : verification.label
        ).render(req, status: status)
    }
}
