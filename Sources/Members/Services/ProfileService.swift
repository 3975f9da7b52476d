import Fluent
import Foundation
import KexieKit
import Platform

/// A person keeping their own profile (我的资料): validation with a message per field, encryption of
/// 身份证号 and phone, uniqueness by keyed hash, the search index, and verification going back to review
/// when a verified field changes. One transaction for the profile and its index entry.
public struct ProfileService: Sendable {
    let db: any Database
    let services: PlatformServices
    let validator: PersonProfileValidator

    public init(db: any Database, services: PlatformServices, validator: PersonProfileValidator) {
        self.db = db
        self.services = services
        self.validator = validator
    }

    public enum Verification: String, Sendable {
        case unverified, pending, verified

        public var label: String {
            switch self {
            case .unverified: return "未核验"
            case .pending: return "待核验"
            case .verified: return "已实名核验"
            }
        }
    }

    public func profile(of actor: Actor) async throws -> Person? {
        try await Person.query(on: db).filter(\.$userID == actor.userID).first()
    }

    /// What the form shows: the stored profile with 身份证号 and phone left blank (they are shown masked
    /// beside the field; blank means unchanged), or a start from the account for a first visit.
    public func formDraft(for actor: Actor, person: Person?) async throws -> PersonProfileDraft {
        var draft = PersonProfileDraft()
        guard let person else {
            draft.name = actor.displayName
            return draft
        }
        draft.name = person.name
        draft.sex = Sex(rawValue: person.sex)?.label ?? ""
        draft.birthMonth = person.birthMonth
        draft.ethnicity = person.ethnicity.flatMap(Ethnicity.init(rawValue:))?.label ?? ""
        draft.politicalStatus = person.politicalStatus.flatMap(PoliticalStatus.init(rawValue:))?.label ?? ""
        draft.education = person.education.flatMap(Education.init(rawValue:))?.label ?? ""
        draft.degree = person.degree.flatMap(Degree.init(rawValue:))?.label ?? ""
        draft.titleLevel = person.titleLevel.flatMap(TitleLevel.init(rawValue:))?.label ?? ""
        draft.titleName = person.titleName ?? ""
        draft.employer = person.employer ?? ""
        draft.province = person.province ?? ""
        draft.city = person.city ?? ""
        draft.county = person.county ?? ""
        draft.discipline = person.disciplineCode ?? ""
        draft.industry = person.industryCode ?? ""
        draft.researchDirection = person.researchDirection ?? ""
        draft.email = person.email ?? ""
        return draft
    }

    public func maskedPhone(_ person: Person?) -> String? {
        person.flatMap { try? services.secrets.open($0.phoneCipher) }.map(Masking.phone)
    }

    public func maskedIDNumber(_ person: Person?) -> String? {
        person?.idNumberCipher.flatMap { try? services.secrets.open($0) }.map(Masking.idNumber)
    }

    /// Saves the profile or returns the problems, keyed by form field.
    public func save(_ submitted: PersonProfileDraft, actor: Actor) async throws -> Result<Person, ProfileErrors> {
        let existing = try await profile(of: actor)
        var draft = submitted
        // Blank 身份证号/phone on an existing profile keep what is stored.
        if let existing, draft.phone.trimmingCharacters(in: .whitespaces).isEmpty {
            draft.phone = (try? services.secrets.open(existing.phoneCipher)) ?? ""
        }
        if let cipher = existing?.idNumberCipher, draft.idNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            draft.idNumber = (try? services.secrets.open(cipher)) ?? ""
        }
        let today = Day.today(now: services.clock())
        let profile: ValidatedProfile
        switch validator.validate(draft, today: today) {
        case .failure(let errors): return .failure(errors)
        case .success(let valid): profile = valid
        }
        var conflicts = ProfileErrors()
        let phoneLookup = services.secrets.lookupHash("phone:" + profile.phone.value)
        if let other = try await Person.query(on: db).filter(\.$phoneLookup == phoneLookup).first(), other.id != existing?.id {
            conflicts.add(.phone, "members.phone_taken", "该手机号已登记在其他人的资料中")
        }
        let idLookup = profile.idNumber.map { services.secrets.lookupHash("id:" + $0.value) }
        if let idLookup, let other = try await Person.query(on: db).filter(\.$idNumberLookup == idLookup).first(),
            other.id != existing?.id
        {
            conflicts.add(.idNumber, "members.id_number_taken", "该身份证号已登记在其他人的资料中")
        }
        if !conflicts.isEmpty { return .failure(conflicts) }
        guard let organizationID = existing?.organizationID ?? actor.actingOrganizationID else {
            throw PlatformError.forbidden
        }
        let person = existing ?? Person()
        let before = existing.map(VerifiedFields.init)
        person.organizationID = organizationID
        person.userID = actor.userID
        person.name = profile.name
        person.sex = profile.sex.rawValue
        person.birthMonth = profile.birthMonth.description
        person.ethnicity = profile.ethnicity?.rawValue
        person.politicalStatus = profile.politicalStatus?.rawValue
        person.education = profile.education?.rawValue
        person.degree = profile.degree?.rawValue
        person.titleLevel = profile.titleLevel?.rawValue
        person.titleName = profile.titleName
        person.employer = profile.employer
        person.province = profile.province
        person.city = profile.city
        person.county = profile.county
        person.disciplineCode = profile.discipline?.code
        person.industryCode = profile.industry?.code
        person.researchDirection = profile.researchDirection
        person.phoneCipher = try services.secrets.seal(profile.phone.value)
        person.phoneLookup = phoneLookup
        person.email = profile.email?.value
        person.idNumberCipher = try profile.idNumber.map { try services.secrets.seal($0.value) }
        person.idNumberLookup = idLookup
        if existing == nil {
            person.verification = Verification.unverified.rawValue
        } else if person.verification == Verification.verified.rawValue, before != VerifiedFields(person) {
            // 实名核验 covers name, sex, birth month and 身份证号: changing one sends the profile back to review.
            person.verification = Verification.pending.rawValue
        }
        let writes = services.writes
        let path = try await Organization.find(organizationID, on: db)?.path ?? "/"
        try await writes.transaction(on: db) { tx in
            try await person.save(on: tx)
            try await SearchIndexStore(db: tx, writes: writes).index(
                kind: "person", entityID: try person.requireID().uuidString, organizationPath: path, title: person.name,
                text: [person.employer, person.researchDirection, person.titleName].compactMap { $0 }.joined(separator: "\n"))
        }
        return .success(person)
    }

    /// The fields 实名核验 vouches for.
    struct VerifiedFields: Equatable {
        let name: String
        let sex: String
        let birthMonth: String
        let idNumberLookup: String?

        init(_ person: Person) {
            name = person.name
            sex = person.sex
            birthMonth = person.birthMonth
            idNumberLookup = person.idNumberLookup
        }
    }
}
