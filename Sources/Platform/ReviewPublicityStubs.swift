// TEMPORARY: the interfaces of the review engine and publicity being built in parallel; replaced at merge.
import Fluent
import Foundation
import KexieKit

public struct ReviewOwner: Sendable, Hashable, Codable {
    public init(module: String, kind: String, id: UUID) {}
}
public enum ReviewMode: String, Sendable, Codable, CaseIterable { case scoring, voting }
public struct ReviewRoundDraft: Sendable {
    public init(
        owner: ReviewOwner, organizationID: UUID, title: String, mode: ReviewMode, blind: Bool, indicators: IndicatorTree,
        aggregation: ScoreAggregation, reviewersPerCandidate: Int, opensOn: Day, closesOn: Day, ownerLink: String?
    ) {}
}
public struct ReviewCandidateDraft: Sendable {
    public init(
        ownerItemID: UUID, title: String, abstract: String, field: String, panel: String, personIDs: [UUID], employers: [String],
        nominatingOrganizationID: UUID?
    ) {}
}
public struct ReviewResultRow: Sendable {
    public let candidateID: UUID
    public let ownerItemID: UUID
    public let title: String
    public let score: Decimal?
    public let rank: Int?
    public let tieNote: String?
    public let scoresCount: Int
    public let votesFor: Int
    public let votesAgainst: Int
    public let votesAbstain: Int
    public let passes: Bool?
}
public struct ReviewService {
    public init(db: any Database, services: PlatformServices) {}
    public func createRound(_ draft: ReviewRoundDraft, by actor: Actor) async throws -> UUID { UUID() }
    public func addCandidates(_ roundID: UUID, _ candidates: [ReviewCandidateDraft], by actor: Actor) async throws -> [UUID] { [] }
    public func draw(_ roundID: UUID, seed: UInt64, by actor: Actor) async throws -> Int { 0 }
    public func aggregate(_ roundID: UUID, by actor: Actor) async throws -> [ReviewResultRow] { [] }
}
