import Fluent
import Foundation
import SQLKit

/// 签到记录: one person checked in to one subject (an event, a volunteer shift, …), for the whole of it
/// (`sessionKey` "") or for one session. A registrant's record carries their code; the unique index on
/// (subject kind, subject id, session, code) is what accepts a code once per session on both databases,
/// whatever the number of phones posting it at the same moment. A walk-in (现场登记) has no code: its
/// name, unit and sealed phone are kept instead.
public final class CheckInRecord: Model, @unchecked Sendable {
    public static let schema = "platform_check_ins"

    @ID(key: .id) public var id: UUID?
    /// The module's subject kind, e.g. `events.event`.
    @Field(key: "subject_kind") public var subjectKind: String
    @Field(key: "subject_id") public var subjectID: UUID
    /// The session's key (its id as text) or "" for the whole subject.
    @Field(key: "session_key") public var sessionKey: String
    /// The canonical code (`CheckInCode.canonical`); nil for a walk-in.
    @OptionalField(key: "code") public var code: String?
    /// The registration (or enrolment) the code belongs to, as the subject kind resolved it.
    @OptionalField(key: "registrant_id") public var registrantID: UUID?
    /// The name shown in lists: the registrant's at check-in time, or the walk-in's.
    @Field(key: "name") public var name: String
    /// A walk-in's phone, sealed with `SecretBox` (never plain); nil for registrants.
    @OptionalField(key: "phone_cipher") public var phoneCipher: String?
    @Field(key: "unit") public var unit: String
    /// When the person was checked in: the scanning phone's own time for a scan sent later (bounded:
    /// never in the future, never older than `CheckInDesk.maximumScanAge`), else the server's.
    @Field(key: "checked_in_at") public var checkedInAt: Date
    /// The scanning phone's time as it sent it, when it sent one.
    @OptionalField(key: "scanned_at") public var scannedAt: Date?
    /// When the server recorded it.
    @Field(key: "recorded_at") public var recordedAt: Date
    /// The staff account that checked the person in.
    @Field(key: "recorded_by") public var recordedBy: UUID

    public init() {}

    public var isWalkIn: Bool { code == nil }
}

extension CheckInRecord: Audited {
    public static var auditEntityType: String { "check_in" }
    public static var auditLabel: String { "签到记录" }
    public static var auditTitleColumn: String? { "name" }
    public static var auditRedactedKeys: Set<String> { ["phone_cipher"] }
}

/// The check-in table: the unique key that accepts a code once per session, and the index the live
/// count and the latest scans read.
struct CreateCheckIns: AsyncMigration {
    var name: String { "2026_12_07_1900_platform_create_check_ins" }

    func prepare(on database: any Database) async throws {
        try await database.schema(CheckInRecord.schema)
            .id()
            .field("subject_kind", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("session_key", .string, .required)
            .field("code", .string)
            .field("registrant_id", .uuid)
            .field("name", .string, .required)
            .field("phone_cipher", .string)
            .field("unit", .string, .required)
            .field("checked_in_at", .datetime, .required)
            .field("scanned_at", .datetime)
            .field("recorded_at", .datetime, .required)
            .field("recorded_by", .uuid, .required)
            .unique(on: "subject_kind", "subject_id", "session_key", "code", name: "uq_platform_check_ins_code")
            .create()
        try await SQLIndex.create(
            "idx_platform_check_ins_subject", on: CheckInRecord.schema, ["subject_kind", "subject_id", "session_key", "recorded_at"],
            database)
        try await SQLIndex.create("idx_platform_check_ins_registrant", on: CheckInRecord.schema, ["registrant_id"], database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CheckInRecord.schema).delete()
    }
}

// MARK: - What modules register

/// One session of a subject people can be checked in to separately (分会场, 一天的日程).
public struct CheckInSession: Sendable, Hashable {
    /// Stored as `session_key`; the session's id as text.
    public let key: String
    public let label: String

    public init(key: String, label: String) {
        self.key = key
        self.label = label
    }
}

/// A subject as the desk needs it: the title the page shows, its sessions, and how many are expected.
public struct CheckInSubject: Sendable {
    public let kind: String
    public let id: UUID
    public let title: String
    /// Confirmed registrations: the 应到 beside the live count.
    public let expected: Int
    public let sessions: [CheckInSession]

    public init(kind: String, id: UUID, title: String, expected: Int, sessions: [CheckInSession]) {
        self.kind = kind
        self.id = id
        self.title = title
        self.expected = expected
        self.sessions = sessions
    }

    /// The session of this key ("" is the whole subject), or nil if the subject has no such session.
    public func session(_ key: String?) -> CheckInSession? {
        guard let key, !key.isEmpty else { return CheckInSession(key: "", label: "全场") }
        return sessions.first { $0.key == key || $0.key.lowercased() == key.lowercased() }
    }
}

/// Whom a code belongs to, as the subject's module answers.
public enum CheckInRegistrant: Sendable, Equatable {
    /// A registration that may be checked in.
    case admitted(id: UUID, name: String, unit: String)
    /// A registration of this subject that may not be checked in now (候补, 已取消, …): `status` is the
    /// module's stable value (`waitlisted`), `label` what the page shows (候补).
    case notAdmitted(id: UUID, name: String, status: String, label: String)
}

/// A kind of subject people are checked in to, registered by its module (`KexieModule.checkInSubjects`).
public protocol CheckInSubjectKind: Sendable {
    /// Stable, `module.kind`: `events.event`.
    var kind: String { get }
    /// The subject as `actor` may check people in to it. Throws `PlatformError.forbidden` without the
    /// module's check-in permission; nil when there is no such subject or it is outside the actor's
    /// organization scope (404, as everywhere).
    func subject(_ id: UUID, actor: Actor, on db: any Database) async throws -> CheckInSubject?
    /// The registrants of `codes` (canonical) for this subject, in one query; codes of other subjects
    /// and unknown codes are left out.
    func registrants(codes: [String], subjectID: UUID, on db: any Database) async throws -> [String: CheckInRegistrant]
}
