import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Members
@testable import Platform

/// Review tests start from the demo accounts plus review experts of their own: each with an account
/// (an expert role grant in the pool's organization), a person, a pool entry with the review role and
/// fields, and declared conflicts when asked.
class ReviewTestCase: DemoTestCase {
    static let password = "Review-Pass-2026"
    var phoneSequence = 0

    var service: ReviewService { ReviewService(db: app.db, services: app.platform) }
    var today: Day { Day.today(now: clock.now) }

    func actor(_ username: String) async throws -> Actor {
        guard let user = try await User.query(on: app.db).filter(\.$username == username).first() else { throw PlatformError.notFound }
        return try await Actor.load(user: user, preferredGrantID: nil, catalog: app.platform.registry.roles, on: app.db)
    }

    struct MadeExpert {
        let username: String
        let userID: UUID
        let personID: UUID
        let entryID: UUID
    }

    /// A review expert of `organization`'s pool (the province by default) with an account.
    @discardableResult
    func makeExpert(
        _ username: String, name: String, employer: String, field: String = "210", organization: Organization? = nil,
        conflicts: [DeclaredConflict] = [], roles: [ExpertPoolRole] = [.review]
    ) async throws -> MadeExpert {
        let org = organization ?? demo.province
        let orgID = try org.requireID()
        let user = User(username: username, displayName: name, passwordHash: try app.password.hash(Self.password))
        user.isActive = true
        user.mustChangePassword = false
        try await user.create(on: app.db)
        let userID = try user.requireID()
        try await RoleGrant(userID: userID, role: .expert, organizationID: orgID).create(on: app.db)
        phoneSequence += 1
        let person = Person()
        person.organizationID = orgID
        person.userID = userID
        person.name = name
        person.sex = "male"
        person.birthMonth = "1970-01"
        person.employer = employer
        person.disciplineCode = field
        person.phoneCipher = "x"
        person.phoneLookup = "review-\(username)-\(phoneSequence)"
        person.verification = "unverified"
        try await person.create(on: app.db)
        let entry = Expert()
        entry.organizationID = orgID
        entry.personID = try person.requireID()
        entry.availability = .available
        try await entry.create(on: app.db)
        entry.roles = roles
        entry.fields = [field]
        try await ExpertLists.save(entry, on: app.db)
        for conflict in conflicts {
            let record = ExpertConflict()
            record.$expert.id = try entry.requireID()
            record.kind = conflict.kind
            record.subjectID = conflict.subjectID
            record.name = conflict.name
            record.note = conflict.note
            record.declaredBy = name
            try await record.create(on: app.db)
        }
        return MadeExpert(username: username, userID: userID, personID: try person.requireID(), entryID: try entry.requireID())
    }

    /// A blind scoring round of the province (innovation 30, contribution 40, impact 30), open today.
    func makeRound(
        mode: ReviewMode = .scoring, aggregation: ScoreAggregation = .mean, reviewers: Int = 2, organization: Organization? = nil,
        by username: String = "demo.orgadmin"
    ) async throws -> UUID {
        try await service.createRound(
            ReviewRoundDraft(
                owner: ReviewOwner(module: "awards", kind: "program", id: UUID()),
                organizationID: try (organization ?? demo.province).requireID(),
                title: "测试评审", mode: mode, blind: true, indicators: ReviewDemo.indicators, aggregation: aggregation,
                reviewersPerCandidate: reviewers, opensOn: today.adding(days: -1), closesOn: today.adding(days: 5), ownerLink: nil),
            by: try await actor(username))
    }

    func candidate(_ title: String, field: String = "210", people: [UUID] = [], employers: [String] = ["某大学"], nominating: UUID? = nil)
        -> ReviewCandidateDraft
    {
        ReviewCandidateDraft(
            ownerItemID: UUID(), title: title, abstract: "摘要：候选的主要工作与贡献（不含姓名）", field: field, panel: "农学组", personIDs: people,
            employers: employers, nominatingOrganizationID: nominating)
    }

    func scores(_ innovation: Decimal, _ contribution: Decimal, _ impact: Decimal) -> [String: Decimal] {
        ["innovation": innovation, "contribution": contribution, "impact": impact]
    }

    func assignments(_ roundID: UUID) async throws -> [ReviewAssignmentRecord] {
        try await ReviewAssignmentRecord.query(on: app.db).filter(\.$roundID == roundID).all()
    }
}

/// `XCTUnwrap` for a value an `await` produced (XCTest's autoclosures cannot await).
func unwrapped<T>(_ value: T?, file: StaticString = #filePath, line: UInt = #line) throws -> T {
    try XCTUnwrap(value, file: file, line: line)
}
