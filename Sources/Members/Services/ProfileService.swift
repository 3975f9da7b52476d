import Fluent
import Foundation
import KexieKit
import Platform

/// A person keeping their own profile (我的资料). A first save puts the profile in the organization's
/// 实名核验 queue (待核验); later changes to verified fields send it back there.
public struct ProfileService: Sendable {
    let db: any Database
    let services: PlatformServices
    let validator: PersonProfileValidator

    public init(db: any Database, services: PlatformServices, validator: PersonProfileValidator) {
        self.db = db
        self.services = services
        self.validator = validator
    }

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    public func profile(of actor: Actor) async throws -> Person? {
        try await Person.query(on: db).filter(\.$userID == actor.userID).first()
    }

    /// What the form shows: the stored profile (secrets blank), or a start from the account.
    public func formDraft(for actor: Actor, person: Person?) async throws -> PersonProfileDraft {
        guard let person else {
            var draft = PersonProfileDraft()
            draft.name = actor.displayName
            return draft
        }
        return PersonRecords.draft(of: person)
    }

    public func maskedPhone(_ person: Person?) -> String? { person.map(records.maskedPhone) }

    public func maskedIDNumber(_ person: Person?) -> String? {
        person.flatMap { $0.idNumberCipher == nil ? nil : records.maskedIDNumber($0) }
    }

    /// Saves the profile or returns the problems, keyed by form field.
    public func save(_ submitted: PersonProfileDraft, actor: Actor) async throws -> Result<Person, ProfileErrors> {
        let existing = try await profile(of: actor)
        let draft = records.keepingSecrets(submitted, of: existing)
        let profile: ValidatedProfile
        switch validator.validate(draft, today: Day.today(now: services.clock())) {
        case .failure(let errors): return .failure(errors)
        case .success(let valid): profile = valid
        }
        let conflicts = try await records.conflicts(profile, excluding: existing?.id)
        if !conflicts.isEmpty { return .failure(conflicts) }
        guard let organizationID = existing?.organizationID ?? actor.actingOrganizationID else {
            throw PlatformError.forbidden
        }
        let person = existing ?? Person()
        person.organizationID = organizationID
        person.userID = actor.userID
        try records.apply(profile, to: person, isNew: existing == nil)
        if existing == nil { person.verification = PersonVerification.pending.rawValue }
        try await records.save(person)
        return .success(person)
    }
}
