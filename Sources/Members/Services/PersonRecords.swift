import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// How a validated profile becomes a stored person, shared by the person's own page, the
/// administrators' form, the API and the import: keyed hashes for uniqueness, encryption of 身份证号 and
/// phone, verification going back to review, and the search index entry.
struct PersonRecords: Sendable {
    let db: any Database
    let services: PlatformServices

    static let searchKind = "person"

    func phoneLookup(_ phone: String) -> String { services.secrets.lookupHash("phone:" + phone) }
    func idLookup(_ id: String) -> String { services.secrets.lookupHash("id:" + id) }

    /// 身份证号 or phone already on someone else's profile, keyed by form field.
    func conflicts(_ profile: ValidatedProfile, excluding personID: UUID?) async throws -> ProfileErrors {
        var conflicts = ProfileErrors()
        if let other = try await Person.query(on: db).filter(\.$phoneLookup == phoneLookup(profile.phone.value)).first(),
            other.id != personID
        {
            conflicts.add(.phone, "members.phone_taken", "该手机号已登记在其他人的资料中")
        }
        if let id = profile.idNumber, let other = try await Person.query(on: db).filter(\.$idNumberLookup == idLookup(id.value)).first(),
            other.id != personID
        {
            conflicts.add(.idNumber, "members.id_number_taken", "该身份证号已登记在其他人的资料中")
        }
        return conflicts
    }

    /// Copies the profile onto the record. A verified profile whose name, sex, birth month or
    /// 身份证号 changes goes back to review (实名核验 vouched for exactly those).
    func apply(_ profile: ValidatedProfile, to person: Person, isNew: Bool) throws {
        let before = isNew ? nil : VerifiedFields(person)
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
        person.phoneLookup = phoneLookup(profile.phone.value)
        person.email = profile.email?.value
        person.idNumberCipher = try profile.idNumber.map { try services.secrets.seal($0.value) }
        person.idNumberLookup = profile.idNumber.map { idLookup($0.value) }
        if isNew {
            person.verification = PersonVerification.unverified.rawValue
        } else if person.verification == PersonVerification.verified.rawValue, before != VerifiedFields(person) {
            person.verification = PersonVerification.pending.rawValue
        }
    }

    /// Saves the person and its search entry in one transaction.
    func save(_ person: Person) async throws {
        let writes = services.writes
        let path = try await Organization.find(person.organizationID, on: db)?.path ?? "/"
        try await writes.transaction(on: db) { tx in
            try await person.save(on: tx)
            try await SearchIndexStore(db: tx, writes: writes).index(
                kind: Self.searchKind, entityID: try person.requireID().uuidString, organizationPath: path, title: person.name,
                text: Self.searchText(person))
        }
    }

    /// What a search by unit or research direction looks in, besides the name.
    /// The birth month, or only the year for viewers who may not see numbers in full.
    static func birth(_ person: Person, full: Bool) -> String {
        full ? person.birthMonth : String(person.birthMonth.prefix(4)) + "年"
    }

    static func searchText(_ person: Person) -> String {
        [person.employer, person.researchDirection, person.titleName].compactMap { $0 }.joined(separator: "\n")
    }

    /// The draft an edit form starts from: everything but 身份证号 and phone, which are shown masked
    /// and left blank (blank means unchanged).
    static func draft(of person: Person) -> PersonProfileDraft {
        var draft = PersonProfileDraft()
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

    /// Fills blank 身份证号/phone of an edit with what is stored.
    func keepingSecrets(_ submitted: PersonProfileDraft, of person: Person?) -> PersonProfileDraft {
        var draft = submitted
        guard let person else { return draft }
        if draft.phone.trimmingCharacters(in: .whitespaces).isEmpty {
            draft.phone = (try? services.secrets.open(person.phoneCipher)) ?? ""
        }
        if let cipher = person.idNumberCipher, draft.idNumber.trimmingCharacters(in: .whitespaces).isEmpty {
            draft.idNumber = (try? services.secrets.open(cipher)) ?? ""
        }
        return draft
    }

    func phone(of person: Person) -> String? { try? services.secrets.open(person.phoneCipher) }
    func idNumber(of person: Person) -> String? { person.idNumberCipher.flatMap { try? services.secrets.open($0) } }
    func maskedPhone(_ person: Person) -> String { phone(of: person).map(Masking.phone) ?? "—" }
    func maskedIDNumber(_ person: Person) -> String { idNumber(of: person).map(Masking.idNumber) ?? "—" }
    func maskedPhone(_ listing: PersonListing) -> String { (try? services.secrets.open(listing.phoneCipher)).map(Masking.phone) ?? "—" }
    func maskedIDNumber(_ listing: PersonListing) -> String {
        listing.idNumberCipher.flatMap { try? services.secrets.open($0) }.map(Masking.idNumber) ?? "—"
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

enum PersonVerification: String, MembersTerm {
    case unverified, pending, verified, rejected

    var label: String {
        switch self {
        case .unverified: return "未核验"
        case .pending: return "待核验"
        case .verified: return "已实名核验"
        case .rejected: return "核验未通过"
        }
    }
}
