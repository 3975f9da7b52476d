import Fluent
import Foundation
import KexieKit

// The cross-module registries: what one module answers for the others, so that a new module never
// imports Members (experts, memberships), and the staff's person page and the global search gather
// every module's part.

// MARK: - Experts

/// The four roles of the expert pools (Members keeps the pools; the review engine, 科普, 智库 and 应急
/// draw on them by role).
public enum ExpertPoolRole: String, Sendable, Codable, CaseIterable {
    case review, popularization, thinkTank = "think_tank", emergency

    public var label: String {
        switch self {
        case .review: return "评审专家"
        case .popularization: return "科普专家"
        case .thinkTank: return "智库专家"
        case .emergency: return "应急专家"
        }
    }
}

public enum ExpertAvailabilityLevel: String, Sendable, Codable, CaseIterable {
    case available, limited, unavailable

    public var label: String {
        switch self {
        case .available: return "可参加"
        case .limited: return "时间有限"
        case .unavailable: return "暂不可参加"
        }
    }
}

/// A conflict of interest an expert declared (回避声明): the review engine keeps the expert away from
/// candidates of that organization, that person, or that employer.
public struct DeclaredConflict: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case organization, person, employer }

    public let kind: Kind
    /// The organization or person declared, when it is in the directory.
    public let subjectID: UUID?
    /// The name as declared (an employer outside the directory is named only).
    public let name: String
    public let note: String

    public init(kind: Kind, subjectID: UUID?, name: String, note: String) {
        self.kind = kind
        self.subjectID = subjectID
        self.name = name
        self.note = note
    }
}

/// Which experts: in a subtree, holding any of the roles, working in a field, available or not.
public struct ExpertQuery: Sendable {
    public var scopePath: String?
    /// Empty: any role.
    public var roles: Set<ExpertPoolRole>
    /// A GB/T 13745 code; an expert matches when one of their fields starts with it (`520` matches `520.10`).
    public var field: String?
    public var includeUnavailable: Bool

    public init(scopePath: String? = nil, roles: Set<ExpertPoolRole> = [], field: String? = nil, includeUnavailable: Bool = false) {
        self.scopePath = scopePath
        self.roles = roles
        self.field = field
        self.includeUnavailable = includeUnavailable
    }
}

/// One expert of a pool, as other modules see them: enough to match, draw with avoidance and contact
/// through the owner.
public struct ExpertCandidate: Sendable {
    public let personID: UUID
    /// The pool entry (one person may be in several organizations' pools; the first entry answers).
    public let expertID: UUID
    /// The person's own account, when they have one (to assign review work to them).
    public let userID: UUID?
    public let name: String
    public let title: String
    public let employer: String
    public let organizationID: UUID
    public let organizationName: String
    /// GB/T 13745 codes or names, the person's own discipline first.
    public let disciplines: [String]
    /// GB/T 4754 section letter, when known.
    public let industry: String?
    public let researchDirection: String
    public let region: String
    public let roles: [ExpertPoolRole]
    public let availability: ExpertAvailabilityLevel
    public let conflicts: [DeclaredConflict]

    public init(
        personID: UUID, expertID: UUID, userID: UUID?, name: String, title: String, employer: String, organizationID: UUID,
        organizationName: String, disciplines: [String], industry: String?, researchDirection: String, region: String,
        roles: [ExpertPoolRole], availability: ExpertAvailabilityLevel, conflicts: [DeclaredConflict]
    ) {
        self.personID = personID
        self.expertID = expertID
        self.userID = userID
        self.name = name
        self.title = title
        self.employer = employer
        self.organizationID = organizationID
        self.organizationName = organizationName
        self.disciplines = disciplines
        self.industry = industry
        self.researchDirection = researchDirection
        self.region = region
        self.roles = roles
        self.availability = availability
        self.conflicts = conflicts
    }
}

/// A module's expert pools, read by others through the registry.
public protocol ExpertSource: Sendable {
    func experts(_ query: ExpertQuery, on db: any Database) async throws -> [ExpertCandidate]
}

extension ExpertSource {
    /// Every available expert in pools of organizations under `scopePath` (nil: all).
    public func experts(scopePath: String?, on db: any Database) async throws -> [ExpertCandidate] {
        try await experts(ExpertQuery(scopePath: scopePath), on: db)
    }
}

// MARK: - Memberships

/// A person's membership of a society, as the directory answers it.
public struct MembershipFact: Sendable, Equatable {
    public enum Standing: String, Sendable { case applied, refused, active, suspended, withdrawn }

    public let societyID: UUID
    public let societyName: String
    public let memberNumber: String?
    public let grade: String
    public let standing: Standing
    /// The day the membership took effect (nil while it is only applied for).
    public let since: Day?

    public init(societyID: UUID, societyName: String, memberNumber: String?, grade: String, standing: Standing, since: Day?) {
        self.societyID = societyID
        self.societyName = societyName
        self.memberNumber = memberNumber
        self.grade = grade
        self.standing = standing
        self.since = since
    }

    public var isActive: Bool { standing == .active }
}

/// "Is this person a member of this society, since when" — answered by the module that keeps members.
public protocol MembershipDirectory: Sendable {
    /// Every membership of the person (any standing), oldest first.
    func memberships(personID: UUID, on db: any Database) async throws -> [MembershipFact]
}

extension ModuleRegistry {
    /// The person's membership of `societyID` in good standing on `day` (joined on or before it), if any.
    public func activeMembership(personID: UUID, societyID: UUID, on day: Day, db: any Database) async throws -> MembershipFact? {
        for directory in membershipDirectories {
            let found = try await directory.memberships(personID: personID, on: db).first {
                $0.societyID == societyID && $0.isActive && ($0.since.map { $0 <= day } ?? false)
            }
            if let found { return found }
        }
        return nil
    }

    /// The experts every source answers for `query`, one entry per person (the first source's).
    public func experts(_ query: ExpertQuery, on db: any Database) async throws -> [ExpertCandidate] {
        var seen: Set<UUID> = []
        var result: [ExpertCandidate] = []
        for source in expertSources {
            for expert in try await source.experts(query, on: db) where seen.insert(expert.personID).inserted { result.append(expert) }
        }
        return result
    }
}

// MARK: - Person page panels

/// A panel on the staff's page of one person: each module says what it holds about them (cases,
/// postings, memberships, expert entries). Shown only to staff who may read the person; a panel may
/// still return no lines when the actor lacks the module's own permission.
public struct PersonPanel: Sendable {
    public struct Subject: Sendable {
        public let personID: UUID
        /// The person's account, when they have one: most modules record work by account.
        public let userID: UUID?

        public init(personID: UUID, userID: UUID?) {
            self.personID = personID
            self.userID = userID
        }
    }

    public let title: String
    public let order: Int
    public let lines: @Sendable (Subject, Actor, any Database, Date) async throws -> [HomePanel.Line]

    public init(
        title: String, order: Int, lines: @escaping @Sendable (Subject, Actor, any Database, Date) async throws -> [HomePanel.Line]
    ) {
        self.title = title
        self.order = order
        self.lines = lines
    }
}

// MARK: - Search

/// Who is searching: a visitor (public records only) or a logged-in actor (public records and what
/// their permissions and subtree let them read).
public struct SearchRequest: Sendable {
    public let text: String
    public let actor: Actor?
    public let limit: Int
    /// The request's clock (`services.clock()`), for records shown from a time on (scheduled notices);
    /// nil: the wall clock.
    public let now: Date?

    /// The text is trimmed and cut to 100 characters; the limit is kept within 1…50.
    public init(text: String, actor: Actor?, limit: Int, now: Date? = nil) {
        self.text = String(text.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        self.actor = actor
        self.limit = min(max(limit, 1), 50)
        self.now = now
    }
}

public struct SearchHit: Sendable, Codable, Equatable {
    public let kind: String
    /// 技术供给, 科技工作者, 公开答复, … shown beside the title.
    public let kindLabel: String
    public let title: String
    public let snippet: String
    public let link: String
    public let score: Double
    /// Whether a visitor may see it; the registry drops non-public hits for visitors whatever a
    /// provider returns.
    public let isPublic: Bool

    public init(kind: String, kindLabel: String, title: String, snippet: String, link: String, score: Double, isPublic: Bool) {
        self.kind = kind
        self.kindLabel = kindLabel
        self.title = title
        self.snippet = snippet
        self.link = link
        self.score = score
        self.isPublic = isPublic
    }
}

/// A module's contribution to the global search box (the portal's search, issue 16). A provider
/// answers only what the request's actor may read (visitors: public records), at most `limit` hits,
/// best first, with scores comparable across providers (BM25 from `SearchIndexStore`, or 1 for a
/// title match).
public protocol SearchProvider: Sendable {
    var kind: String { get }
    func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit]
}

extension ModuleRegistry {
    /// Every provider's hits, best first, at most `request.limit`; nothing for fewer than 2 characters.
    public func search(_ request: SearchRequest, on db: any Database) async throws -> [SearchHit] {
        guard request.text.count >= 2 else { return [] }
        var hits: [SearchHit] = []
        for provider in searchProviders { hits += try await provider.search(request, on: db) }
        if request.actor == nil { hits = hits.filter(\.isPublic) }
        return Array(hits.sorted { ($0.score, $1.title) > ($1.score, $0.title) }.prefix(request.limit))
    }
}
