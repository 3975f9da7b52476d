import Foundation

/// A reviewer who may be drawn: who they are and what ties them to candidates.
public struct ReviewerProfile: Sendable, Hashable {
    public let id: String
    public let employer: String
    /// Fields the reviewer reviews in (GB/T 13745 codes or any stable keys).
    public let fields: Set<String>
    /// Candidates (or their authors, or organizations) the reviewer declared a relationship with.
    public let declared: Set<String>

    public init(id: String, employer: String, fields: Set<String>, declared: Set<String> = []) {
        self.id = id
        self.employer = employer
        self.fields = fields
        self.declared = declared
    }
}

/// What a candidate brings to the avoidance check: its own id, the people behind it (the candidate or
/// an entry's authors), their employers and the organization that nominated it.
public struct ReviewCandidate: Sendable, Hashable {
    public let id: String
    public let people: Set<String>
    public let employers: Set<String>
    public let nominatingOrganization: String?

    public init(id: String, people: Set<String>, employers: Set<String>, nominatingOrganization: String? = nil) {
        self.id = id
        self.people = people
        self.employers = employers
        self.nominatingOrganization = nominatingOrganization
    }
}

/// Why a reviewer may not review a candidate (回避).
public enum AvoidanceReason: String, Sendable, Hashable, CaseIterable {
    case sameEmployer = "same_employer"
    case nominatingOrganization = "nominating_organization"
    case isCandidate = "is_candidate"
    case declared

    public var label: String {
        switch self {
        case .sameEmployer: "与候选人同一工作单位"
        case .nominatingOrganization: "在推荐单位任职"
        case .isCandidate: "本人是候选人或作者"
        case .declared: "本人申报的利害关系"
        }
    }
}

/// The avoidance rules, one place for every path that puts a reviewer on a candidate (a draw, a
/// manual assignment, the API): the server asks `conflicts` and refuses whatever it answers.
public enum ReviewAvoidance {
    /// Every reason the reviewer must not review the candidate; empty when they may.
    public static func conflicts(_ reviewer: ReviewerProfile, _ candidate: ReviewCandidate) -> [AvoidanceReason] {
        var reasons: [AvoidanceReason] = []
        let employer = normalized(reviewer.employer)
        if !employer.isEmpty, candidate.employers.contains(where: { normalized($0) == employer }) { reasons.append(.sameEmployer) }
        if let nominating = candidate.nominatingOrganization, !employer.isEmpty, normalized(nominating) == employer {
            reasons.append(.nominatingOrganization)
        }
        if candidate.people.contains(reviewer.id) { reasons.append(.isCandidate) }
        if reviewer.declared.contains(candidate.id) || !reviewer.declared.isDisjoint(with: candidate.people)
            || candidate.nominatingOrganization.map(reviewer.declared.contains) == true
        {
            reasons.append(.declared)
        }
        return reasons
    }

    /// Employer names compare without spaces and full-width/half-width parentheses differences.
    static func normalized(_ name: String) -> String {
        String(
            name.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map { scalar -> Character in
                switch scalar {
                case "（": "("
                case "）": ")"
                default: Character(scalar)
                }
            })
    }
}

/// A recorded random draw of reviewers for a panel: the seed and the order every eligible reviewer came
/// out in are kept, so anyone can run the draw again and get the same panel; who was passed over and
/// why is part of the record.
public struct ReviewDraw: Sendable, Equatable {
    public struct Skipped: Sendable, Equatable {
        public let reviewer: String
        public let candidate: String
        public let reasons: [AvoidanceReason]
    }

    public let seed: UInt64
    /// The panel, in the order drawn.
    public let drawn: [String]
    /// Reviewers of the field passed over because they conflict with some candidate of the panel.
    public let skipped: [Skipped]
    /// How many reviewers the draw asked for and could not find.
    public let shortBy: Int

    /// Draws `count` reviewers of `field` for a panel reviewing all of `candidates`: a reviewer who
    /// conflicts with any of them is passed over (and recorded), the rest are taken in the seeded order.
    /// `excluded` are reviewers already on the panel or who withdrew (a redraw passes them too).
    public static func draw(
        count: Int, field: String, from pool: [ReviewerProfile], for candidates: [ReviewCandidate], seed: UInt64,
        excluded: Set<String> = []
    ) -> ReviewDraw {
        precondition(count >= 0, "negative panel size")
        // The pool's order must not decide the draw: sort by id, then shuffle with the seed.
        var order = pool.filter { $0.fields.contains(field) && !excluded.contains($0.id) }.sorted { $0.id < $1.id }
        var random = SeededRandom(seed: seed)
        if order.count > 1 {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, random.int(0..<(index + 1)))
            }
        }
        var drawn: [String] = []
        var skipped: [Skipped] = []
        for reviewer in order where drawn.count < count {
            let conflicts = candidates.compactMap { candidate -> Skipped? in
                let reasons = ReviewAvoidance.conflicts(reviewer, candidate)
                return reasons.isEmpty ? nil : Skipped(reviewer: reviewer.id, candidate: candidate.id, reasons: reasons)
            }
            if conflicts.isEmpty { drawn.append(reviewer.id) } else { skipped += conflicts }
        }
        return ReviewDraw(seed: seed, drawn: drawn, skipped: skipped, shortBy: count - drawn.count)
    }
}
