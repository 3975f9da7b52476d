import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// What a program is created with, already parsed and checked (`ProgramInput.parse`).
struct ProgramDraft: Sendable {
    var name: String
    var year: Int
    var kind: AwardProgram.Kind
    var candidateKind: AwardProgram.CandidateKind
    var summary: String
    var rules: EligibilityRules
    var applyOpensOn: Day
    var applyClosesOn: Day
    var nominateClosesOn: Day
    var checkClosesOn: Day
    var reviewClosesOn: Day
    var publicityDays: Int
    var laureateCount: Int
    var indicators: IndicatorTree
    var aggregation: ScoreAggregation
    var blind: Bool
    var reviewersPerCandidate: Int
    var supportYears: Int
    var formID: UUID?
    var attachments: [String]
    var channels: [ChannelDraft]

    struct ChannelDraft: Sendable {
        let organizationID: UUID
        let kind: AwardChannel.Kind
        let quota: Int
    }

    /// 创新性 30, 贡献 40, 影响 30: the indicator tree most programs start from.
    static func standardIndicators() throws -> IndicatorTree {
        try IndicatorTree([
            .init(key: "innovation", label: "创新性", weight: 30), .init(key: "contribution", label: "贡献", weight: 40),
            .init(key: "impact", label: "影响", weight: 30),
        ])
    }
}

/// Programs: creating one with its channels, reading those the actor may see, and moving its stage.
struct ProgramService {
    let db: any Database
    let services: PlatformServices

    var today: Day { Day.today(now: services.clock()) }

    /// Creates a program owned by the actor's organization; every channel must be inside its subtree.
    func create(_ draft: ProgramDraft, by actor: Actor) async throws -> UUID {
        try actor.require(AwardsPermission.manage)
        guard let organizationID = actor.actingOrganizationID else { throw PlatformError.forbidden }
        var errors = FieldErrors()
        for (index, channel) in draft.channels.enumerated() where try await actor.scope.organization(channel.organizationID, on: db) == nil
        {
            errors.add("channels[\(index)].organizationId", "推荐渠道须为本单位或下级组织")
        }
        if Set(draft.channels.map(\.organizationID)).count != draft.channels.count {
            errors.add("channels", "同一单位只能设一个推荐渠道")
        }
        if let formID = draft.formID {
            let form = try await PlatformForm.query(on: db).filter(\.$id == formID).first()
            if form == nil || form?.ownerModule != AwardsModule.formOwner {
                errors.add("formId", "请选择用途为“奖项申报”的表单")
            }
        }
        if !errors.isEmpty { throw InvalidFields(errors, order: ["channels", "formId"]) }
        let program = AwardProgram()
        program.organizationID = organizationID
        program.name = draft.name
        program.year = draft.year
        program.kind = draft.kind
        program.candidateKind = draft.candidateKind
        program.summary = draft.summary
        program.rulesJSON = try AwardProgram.encode(draft.rules)
        program.formID = draft.formID
        program.attachments = draft.attachments
        program.applyOpensOn = draft.applyOpensOn
        program.applyClosesOn = draft.applyClosesOn
        program.nominateClosesOn = draft.nominateClosesOn
        program.checkClosesOn = draft.checkClosesOn
        program.reviewClosesOn = draft.reviewClosesOn
        program.publicityDays = draft.publicityDays
        program.laureateCount = draft.laureateCount
        program.stage = .open
        program.indicatorsJSON = try AwardProgram.encode(draft.indicators)
        program.aggregation = draft.aggregation
        program.blind = draft.blind
        program.reviewersPerCandidate = draft.reviewersPerCandidate
        program.supportYears = draft.supportYears
        program.createdBy = actor.userID
        return try await services.writes.transaction(on: db) { tx in
            try await program.create(on: tx)
            let id = try program.requireID()
            for channel in draft.channels {
                try await AwardChannel(programID: id, organizationID: channel.organizationID, kind: channel.kind, quota: channel.quota)
                    .create(on: tx)
            }
            return id
        }
    }

    /// Any program by id: programs are public calls (their page, rules and, once announced, laureates).
    func program(_ id: UUID) async throws -> AwardProgram {
        guard let program = try await AwardProgram.find(id, on: db) else { throw PlatformError.notFound }
        return program
    }

    /// A program the actor manages: `awards.manage` and the program's organization in the actor's subtree.
    func managed(_ id: UUID, by actor: Actor) async throws -> AwardProgram {
        try actor.require(AwardsPermission.manage)
        let program = try await program(id)
        guard try await actor.scope.organization(program.organizationID, on: db) != nil else { throw PlatformError.notFound }
        return program
    }

    func channels(of programID: UUID) async throws -> [AwardChannel] {
        try await AwardChannel.query(on: db).filter(\.$programID == programID).all()
    }

    /// Moves the stage forward one step for the steps that need nothing else (closing applications).
    func closeApplications(_ id: UUID, by actor: Actor) async throws {
        let program = try await managed(id, by: actor)
        guard program.stage == .open else { throw AwardsError.stageClosed("只有申报中的项目可以截止申报") }
        program.stage = .checking
        try await services.writes.transaction(on: db) { tx in try await program.update(on: tx) }
    }
}
