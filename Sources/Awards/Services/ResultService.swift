import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// From formal check to announcement: the review round (Platform's review engine), the proposed list,
/// its 公示 (Platform's publicity with objections), and the announcement with certificates.
struct ResultService {
    let db: any Database
    let services: PlatformServices

    var today: Day { Day.today(now: services.clock()) }

    static func reviewOwner(_ programID: UUID) -> ReviewOwner {
        ReviewOwner(module: AwardsModule.formOwner, kind: "program", id: programID)
    }
    static func publicityOwner(_ programID: UUID) -> PublicityOwner {
        PublicityOwner(module: AwardsModule.formOwner, kind: "program", id: programID)
    }

    /// Puts every application that passed formal check before a review round and draws its reviewers
    /// (avoidance enforced by the engine). Returns how many reviewers the draw was short of.
    @discardableResult
    func startReview(_ programID: UUID, seed: UInt64, by actor: Actor) async throws -> Int {
        let program = try await ProgramService(db: db, services: services).managed(programID, by: actor)
        guard program.stage == .open || program.stage == .checking, program.reviewRoundID == nil else {
            throw AwardsError.stageClosed("评审已开始，或项目不在形式审查阶段")
        }
        guard today > program.applyClosesOn else { throw AwardsError.stageClosed("申报截止（\(program.applyClosesOn)）后才能开始评审") }
        let passed = try await AwardApplication.query(on: db).filter(\.$programID == programID).filter(\.$status == .passed)
            .sort(\.$title).all()
        guard !passed.isEmpty else { throw AwardsError.stageClosed("还没有通过形式审查的申报") }
        let channels = Dictionary(
            uniqueKeysWithValues: try await AwardChannel.query(on: db).filter(\.$programID == programID).all()
                .map { (try $0.requireID(), $0.organizationID) })
        let review = ReviewService(db: db, services: services)
        let roundID = try await review.createRound(
            ReviewRoundDraft(
                owner: Self.reviewOwner(programID), organizationID: program.organizationID, title: "\(program.name) 专家评审",
                mode: .scoring, blind: program.blind, indicators: try program.indicators(), aggregation: program.aggregation,
                reviewersPerCandidate: program.reviewersPerCandidate, opensOn: today, closesOn: max(program.reviewClosesOn, today),
                ownerLink: AwardsRoutes.manageProgram(programID)), by: actor)
        let drafts = try passed.map { application in
            ReviewCandidateDraft(
                ownerItemID: try application.requireID(), title: application.title,
                abstract: application.summary, field: application.field, panel: String(application.field.prefix(3)),
                personIDs: [application.personID].compactMap { $0 } + application.authorIDs,
                employers: application.employer.isEmpty ? [] : [application.employer],
                nominatingOrganizationID: application.channelID.flatMap { channels[$0] })
        }
        _ = try await review.addCandidates(roundID, drafts, by: actor)
        let short = try await review.draw(roundID, seed: seed, by: actor)
        program.reviewRoundID = roundID
        program.stage = .reviewing
        try await services.writes.transaction(on: db) { tx in try await program.update(on: tx) }
        return short
    }

    /// Aggregates the round, keeps the first `laureateCount` by rank (all who tie on the last place) as
    /// proposed, and opens the 公示 of that list.
    func propose(_ programID: UUID, by actor: Actor) async throws -> UUID {
        let program = try await ProgramService(db: db, services: services).managed(programID, by: actor)
        guard program.stage == .reviewing, let roundID = program.reviewRoundID else { throw AwardsError.stageClosed("项目不在专家评审阶段") }
        let results = try await ReviewService(db: db, services: services).aggregate(roundID, by: actor)
        let byItem = Dictionary(uniqueKeysWithValues: results.map { ($0.ownerItemID, $0) })
        let applications = try await AwardApplication.query(on: db).filter(\.$programID == programID).filter(\.$status == .passed).all()
        var proposed: [AwardApplication] = []
        for application in applications {
            let result = byItem[try application.requireID()]
            application.score = result?.score.map { NSDecimalNumber(decimal: $0).doubleValue }
            application.rank = result?.rank
            if let rank = result?.rank, rank <= program.laureateCount {
                application.status = .proposed
                proposed.append(application)
            } else {
                application.status = .notSelected
            }
        }
        proposed.sort { ($0.rank ?? .max, $0.title) < ($1.rank ?? .max, $1.title) }
        guard !proposed.isEmpty else { throw AwardsError.stageClosed("评审结果中没有可入选的候选人（请先完成评分）") }
        let draft = PublicityDraft(
            owner: Self.publicityOwner(programID), organizationID: program.organizationID,
            title: "\(program.name)拟入选名单公示",
            summary: "经形式审查、专家评审，现将\(program.name)拟入选名单予以公示。公示期内如有异议，请实名提出并留下联系方式。",
            items: try proposed.map {
                PublicityItemDraft(
                    ownerItemID: try $0.requireID(), label: $0.title, detail: $0.employer, outcome: "拟入选（第 \($0.rank ?? 0) 名）")
            }, startsOn: today, workingDays: program.publicityDays, ownerLink: AwardsRoutes.manageProgram(programID))
        let publicityID = try await PublicityService(db: db, services: services).open(draft, by: actor)
        program.publicityID = publicityID
        program.stage = .publicity
        try await services.writes.transaction(on: db) { tx in
            for application in applications { try await application.update(on: tx) }
            try await program.update(on: tx)
        }
        return publicityID
    }

    /// Announces the result once the 公示 is final: proposed applications still on the list are awarded
    /// with a certificate; those an upheld objection withdrew are marked so.
    func announce(_ programID: UUID, by actor: Actor) async throws {
        let program = try await ProgramService(db: db, services: services).managed(programID, by: actor)
        guard program.stage == .publicity, let publicityID = program.publicityID else { throw AwardsError.stageClosed("项目不在公示阶段") }
        let publicity = PublicityService(db: db, services: services)
        guard try await publicity.status(publicityID, today: today) == .final else { throw AwardsError.publicityNotFinal }
        let withdrawn = Set(try await publicity.items(publicityID).filter(\.withdrawn).map(\.ownerItemID))
        let proposed = try await AwardApplication.query(on: db).filter(\.$programID == programID).filter(\.$status == .proposed).all()
        let day = today
        for application in proposed {
            if withdrawn.contains(try application.requireID()) {
                application.status = .withdrawn
            } else {
                application.status = .awarded
                application.awardedOn = day
                application.certificateCode = TrackingCode.generate().canonical
            }
        }
        program.stage = .announced
        program.announcedOn = day
        try await services.writes.transaction(on: db) { tx in
            for application in proposed { try await application.update(on: tx) }
            try await program.update(on: tx)
        }
    }

    /// The certificate with this verification code (as printed, with or without dashes and prefix).
    func certificate(code text: String) async throws -> (AwardApplication, AwardProgram, Organization) {
        guard let code = try? TrackingCode.parse(text),
            let application = try await AwardApplication.query(on: db).filter(\.$certificateCode == code.canonical)
                .filter(\.$status == .awarded).first(),
            let program = try await AwardProgram.find(application.programID, on: db),
            let organization = try await Organization.find(program.organizationID, on: db)
        else { throw AwardsError.certificateUnknown }
        return (application, program, organization)
    }
}
