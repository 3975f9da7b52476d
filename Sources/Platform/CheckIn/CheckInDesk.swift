import Fluent
import Foundation
import KexieKit
import SQLKit

/// 签到台: accepts each code once per session, records walk-ins and counts who is in. Every module checks
/// people in through it (`CheckInSubjectKind` says whose codes are whose); the unique key on the table,
/// not a read before the write, decides which of two phones posting the same code wins.
public struct CheckInDesk: Sendable {
    /// A scan sent later keeps the phone's time, but not one older than this (a phone's clock or a queue
    /// forgotten for a week) …
    public static let maximumScanAge: TimeInterval = 7 * 86_400
    /// … and one from the future is taken as now (phones' clocks run a little ahead).
    public static let maximumBatch = 200

    public let db: any Database
    public let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    /// One code as typed or scanned, for one session ("" the whole subject), with the phone's time when
    /// it was scanned (nil: now).
    public struct Scan: Sendable {
        public let code: String
        public let sessionKey: String
        public let scannedAt: Date?

        public init(code: String, sessionKey: String = "", scannedAt: Date? = nil) {
            self.code = code
            self.sessionKey = sessionKey
            self.scannedAt = scannedAt
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Checked in now; `at` is the recorded check-in time.
        case accepted(at: Date, registrantID: UUID, name: String)
        /// Already checked in to this session: `firstAt` is the first check-in's time.
        case repeated(firstAt: Date, registrantID: UUID?, name: String)
        /// Not a code of this subject (or not a code at all).
        case unknown
        /// A registration of this subject that may not be checked in (候补, 已取消 …).
        case notAdmitted(registrantID: UUID, name: String, status: String, label: String)
        /// The phone's scan time is older than `maximumScanAge`.
        case tooOld

        /// Stable value for JSON and `data-outcome`.
        public var value: String {
            switch self {
            case .accepted: return "accepted"
            case .repeated: return "repeated"
            case .unknown: return "unknown"
            case .notAdmitted: return "not_admitted"
            case .tooOld: return "too_old"
            }
        }

        /// What the scanning page shows: 签到成功 / 已于 HH:mm 签到 / 无效签到码 …
        public var message: String {
            switch self {
            case .accepted(_, _, let name): return "签到成功 · \(name)"
            case .repeated(let firstAt, _, let name):
                return "已于 \(CheckInDesk.clock(firstAt)) 签到" + (name.isEmpty ? "" : " · \(name)")
            case .unknown: return "无效签到码"
            case .notAdmitted(_, let name, _, let label): return "\(name)的报名状态为“\(label)”，不能签到"
            case .tooOld: return "扫码时间早于 7 天前，未记录"
            }
        }
    }

    /// HH:mm in China Standard Time.
    public static func clock(_ date: Date) -> String {
        let c = Calendar.china.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// Checks one code in.
    public func checkIn(
        _ scan: Scan, kind: any CheckInSubjectKind, subject: CheckInSubject, actor: Actor
    ) async throws -> Outcome {
        try await checkIn([scan], kind: kind, subject: subject, actor: actor)[0]
    }

    /// Checks a batch in (a phone's queue sent after a lost connection), answering each scan in order.
    /// One query resolves the codes, one statement inserts every admitted scan (`ON CONFLICT DO
    /// NOTHING`: the rows it returns are the accepted ones), one query reads the first check-in of the
    /// repeats; an audit row per accepted record.
    public func checkIn(
        _ scans: [Scan], kind: any CheckInSubjectKind, subject: CheckInSubject, actor: Actor
    ) async throws -> [Outcome] {
        guard scans.count <= Self.maximumBatch else {
            throw PlatformError.invalidInput(field: "scans", message: "一次最多提交 \(Self.maximumBatch) 条签到")
        }
        for scan in scans where subject.session(scan.sessionKey) == nil {
            throw PlatformError.invalidInput(field: "session", message: "没有这个场次")
        }
        let now = services.clock()
        let codes = scans.map { CheckInCode.parse($0.code)?.canonical }
        let registrants = try await kind.registrants(codes: Array(Set(codes.compactMap { $0 })), subjectID: subject.id, on: db)

        var outcomes = [Outcome?](repeating: nil, count: scans.count)
        /// (session, code) → index of the first scan of it in this batch, which is the one inserted.
        var firstInBatch: [String: Int] = [:]
        var rows: [(index: Int, id: UUID, code: String, session: String, registrant: UUID, name: String, unit: String, at: Date)] = []
        for (index, scan) in scans.enumerated() {
            guard let code = codes[index], let registrant = registrants[code] else {
                outcomes[index] = .unknown
                continue
            }
            switch registrant {
            case .notAdmitted(let id, let name, let status, let label):
                outcomes[index] = .notAdmitted(registrantID: id, name: name, status: status, label: label)
            case .admitted(let id, let name, let unit):
                guard let at = Self.checkInTime(scannedAt: scan.scannedAt, now: now) else {
                    outcomes[index] = .tooOld
                    continue
                }
                let session = subject.session(scan.sessionKey)?.key ?? ""
                let key = session + "\u{1F}" + code
                if firstInBatch[key] != nil { continue }  // a repeat of a scan earlier in this batch
                firstInBatch[key] = index
                rows.append((index, UUID(), code, session, id, name, unit, at))
            }
        }

        let context = Self.auditContext(actor)
        let clock = services.clock
        // In one order, so two phones sending overlapping queues never wait on each other's keys in
        // opposite orders (a deadlock on PostgreSQL).
        let sorted = rows.sorted { ($0.session, $0.code) < ($1.session, $1.code) }
        let accepted: Set<String> = try await services.writes.transaction(on: db) { tx in
            guard !sorted.isEmpty else { return [] }
            let rows = sorted
            let sql = try tx.sql()
            var insert = sql.insert(into: CheckInRecord.schema).columns(
                "id", "subject_kind", "subject_id", "session_key", "code", "registrant_id", "name", "phone_cipher", "unit",
                "checked_in_at", "scanned_at", "recorded_at", "recorded_by")
            for row in rows {
                let scannedAt: Date? = scans[row.index].scannedAt
                let values: [any Encodable & Sendable] = [
                    row.id, subject.kind, subject.id, row.session, row.code, row.registrant, row.name, String?.none, row.unit, row.at,
                    scannedAt, now, actor.userID,
                ]
                insert = insert.values(values)
            }
            let inserted = try await insert.ignoringConflicts(with: ["subject_kind", "subject_id", "session_key", "code"])
                .returning("id").all()
            let ids = Set(try inserted.map { try $0.decode(column: "id", as: UUID.self) })
            for row in rows where ids.contains(row.id) {
                let session = row.session.isEmpty ? "全场" : (subject.session(row.session)?.label ?? row.session)
                try await AuditLog.append(
                    AuditEvent(
                        action: "create", entityType: CheckInRecord.auditEntityType, entityID: row.id.uuidString,
                        summary: "签到 \(subject.title)（\(session)）：\(row.name)，签到码 \(row.code)"),
                    context: context, at: clock(), on: tx)
            }
            return Set(rows.filter { ids.contains($0.id) }.map { $0.session + "\u{1F}" + $0.code })
        }

        for row in rows where accepted.contains(row.session + "\u{1F}" + row.code) {
            outcomes[row.index] = .accepted(at: row.at, registrantID: row.registrant, name: row.name)
        }
        // Everything still open is a repeat: of an earlier record, or of a scan earlier in this batch.
        let open = outcomes.indices.filter { outcomes[$0] == nil }
        if !open.isEmpty {
            let first = try await firstCheckIns(codes: Array(Set(open.compactMap { codes[$0] })), subject: subject)
            for index in open {
                let session = subject.session(scans[index].sessionKey)?.key ?? ""
                let key = session + "\u{1F}" + (codes[index] ?? "")
                if let record = first[key] {
                    outcomes[index] = .repeated(firstAt: record.at, registrantID: record.registrant, name: record.name)
                } else {
                    outcomes[index] = .unknown
                }
            }
        }
        return outcomes.map { $0 ?? .unknown }
    }

    /// The time a scan is recorded at: the phone's (not after now), or nil when it is too old.
    static func checkInTime(scannedAt: Date?, now: Date) -> Date? {
        guard let scannedAt else { return now }
        if scannedAt > now { return now }
        if scannedAt < now.addingTimeInterval(-maximumScanAge) { return nil }
        return scannedAt
    }

    /// (session \u{1F} code) → the first check-in of these codes, in one query.
    private func firstCheckIns(codes: [String], subject: CheckInSubject) async throws -> [String: (
        at: Date, registrant: UUID?, name: String
    )] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await db.sql().raw(
            """
            SELECT session_key, code, checked_in_at, registrant_id, name FROM platform_check_ins \
            WHERE subject_kind = \(bind: subject.kind) AND subject_id = \(bind: subject.id) AND code IN (\(binds: codes))
            """
        ).all()
        var result: [String: (at: Date, registrant: UUID?, name: String)] = [:]
        for row in rows {
            let key = try row.decode(column: "session_key", as: String.self) + "\u{1F}" + row.decode(column: "code", as: String.self)
            result[key] = (
                try row.decode(column: "checked_in_at", as: Date.self), try row.decode(column: "registrant_id", as: UUID?.self),
                try row.decode(column: "name", as: String.self)
            )
        }
        return result
    }

    // MARK: Walk-ins

    public struct WalkIn: Sendable {
        public var name: String
        public var phone: String
        public var unit: String
        public var sessionKey: String

        public init(name: String, phone: String, unit: String, sessionKey: String) {
            self.name = name
            self.phone = phone
            self.unit = unit
            self.sessionKey = sessionKey
        }
    }

    /// The walk-in form's problems, each beside its field.
    public static func problems(_ input: WalkIn, subject: CheckInSubject) -> FieldErrors {
        var errors = FieldErrors()
        let name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty {
            errors.add("name", "请填写姓名")
        } else if name.count > 50 {
            errors.add("name", "姓名不超过 50 个字")
        }
        let phone = input.phone.trimmingCharacters(in: .whitespacesAndNewlines)
        if !phone.isEmpty, (try? MobileNumber(phone)) == nil { errors.add("phone", "手机号码应为 11 位数字，以 1 开头") }
        if input.unit.trimmingCharacters(in: .whitespacesAndNewlines).count > 100 { errors.add("unit", "单位不超过 100 个字") }
        if subject.session(input.sessionKey) == nil { errors.add("session", "没有这个场次") }
        return errors
    }

    /// Records a walk-in (现场登记): no code, the phone sealed.
    @discardableResult
    public func walkIn(_ input: WalkIn, subject: CheckInSubject, actor: Actor) async throws -> CheckInRecord {
        let errors = Self.problems(input, subject: subject)
        if !errors.isEmpty { throw InvalidFields(errors, order: ["name", "phone", "unit", "session"]) }
        let phone = input.phone.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = services.clock()
        let record = CheckInRecord()
        record.subjectKind = subject.kind
        record.subjectID = subject.id
        record.sessionKey = subject.session(input.sessionKey)?.key ?? ""
        record.code = nil
        record.registrantID = nil
        record.name = input.name.trimmingCharacters(in: .whitespacesAndNewlines)
        record.phoneCipher = phone.isEmpty ? nil : try services.secrets.seal((try? MobileNumber(phone))?.value ?? phone)
        record.unit = input.unit.trimmingCharacters(in: .whitespacesAndNewlines)
        record.checkedInAt = now
        record.scannedAt = nil
        record.recordedAt = now
        record.recordedBy = actor.userID
        try await AuditContext.$current.withValue(Self.auditContext(actor)) { try await record.create(on: db) }
        return record
    }

    /// The request's audit context, or the actor's when the desk is called outside a request (a command,
    /// a test).
    static func auditContext(_ actor: Actor) -> AuditContext {
        AuditContext.current
            ?? AuditContext(
                actorID: actor.userID.uuidString, actorName: actor.displayName,
                organizationID: actor.actingOrganizationID?.uuidString ?? "",
                clientAddress: "")
    }

    // MARK: Reading

    /// Everyone checked in to the session (registrants and walk-ins), in one query.
    public func liveCount(_ subject: CheckInSubject, sessionKey: String) async throws -> Int {
        try await db.sql().raw(
            """
            SELECT COUNT(*) AS n FROM platform_check_ins \
            WHERE subject_kind = \(bind: subject.kind) AND subject_id = \(bind: subject.id) AND session_key = \(bind: sessionKey)
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The latest check-ins of the session, newest first.
    public func recent(_ subject: CheckInSubject, sessionKey: String, limit: Int = 20) async throws -> [CheckInRecord] {
        try await CheckInRecord.query(on: db).filter(\.$subjectKind == subject.kind).filter(\.$subjectID == subject.id)
            .filter(\.$sessionKey == sessionKey).sort(\.$recordedAt, .descending).sort(\.$id).limit(limit).all()
    }

    /// Every check-in of the subject (all sessions), oldest first: the attendance list.
    public func records(kind: String, subjectID: UUID) async throws -> [CheckInRecord] {
        try await CheckInRecord.query(on: db).filter(\.$subjectKind == kind).filter(\.$subjectID == subjectID)
            .sort(\.$checkedInAt).sort(\.$id).all()
    }

    /// A walk-in's phone in clear ("" when none).
    public func phone(of record: CheckInRecord) -> String {
        guard let cipher = record.phoneCipher else { return "" }
        return (try? services.secrets.open(cipher)) ?? ""
    }
}
