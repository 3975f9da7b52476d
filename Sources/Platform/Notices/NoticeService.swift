import Fluent
import Foundation
import KexieKit

/// Who reads which notice, and the staff's writes. Readers see a notice from its publish time until it
/// is withdrawn: a public one whoever they are, an internal one when their acting organization is the
/// publisher or below it. Staff (`platform.notices.manage`) manage the notices of their own subtree.
public struct NoticeService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    /// Five attachments of 10 MB per notice.
    static let check = UploadCheck(noun: "附件")
    /// Whoever reads the notice reads its files: a visitor those of a public notice that is showing.
    static let policy = FileOwnerPolicy(
        module: "platform", type: "notice", retentionDays: nil,
        mayReadAnonymously: { id, db, services in
            _ = try await NoticeService(db: db, services: services).readable(id, actor: nil)
            return true
        }
    ) { actor, id, db, services in
        _ = try await NoticeService(db: db, services: services).readable(id, actor: actor)
        return true
    }

    public static func owner(_ id: UUID) -> FileOwner { policy.owner(id) }

    /// The organizations whose internal notices the actor reads: the acting organization and those
    /// above it, read from its materialized path ("/province/city/county/").
    static func readerOrganizations(_ actor: Actor?) -> [UUID] {
        guard let path = actor?.acting?.organizationPath else { return [] }
        return path.split(separator: "/").compactMap { UUID(uuidString: String($0)) }
    }

    /// The notices the actor (or a visitor) reads now.
    public func readable(actor: Actor?) -> QueryBuilder<NoticeRecord> {
        Self.readable(actor: actor, now: services.clock(), on: db)
    }

    static func readable(actor: Actor?, now: Date, on db: any Database) -> QueryBuilder<NoticeRecord> {
        let organizations = readerOrganizations(actor)
        return NoticeRecord.query(on: db).filter(\.$withdrawnAt == nil).filter(\.$publishAt <= now).group(.or) { group in
            group.filter(\.$isPublic == true)
            if !organizations.isEmpty { group.filter(\.$organizationID ~~ organizations) }
        }
    }

    /// One notice the actor may read, else 404.
    public func readable(_ id: UUID, actor: Actor?) async throws -> NoticeRecord {
        guard let notice = try await readable(actor: actor).filter(\.$id == id).first() else { throw PlatformError.notFound }
        return notice
    }

    /// The newest notices for the portal, pinned first: one query.
    public func latest(actor: Actor?, limit: Int) async throws -> [NoticeRecord] {
        try await readable(actor: actor).sort(\.$isPinned, .descending).sort(\.$publishAt, .descending).sort(\.$id, .descending)
            .limit(limit).all()
    }

    /// Every notice of the actor's subtree, scheduled and withdrawn ones too (the staff's list).
    public func managed(actor: Actor) -> QueryBuilder<NoticeRecord> {
        actor.scope.query(NoticeRecord.self, on: db)
    }

    /// A notice the actor may manage. One outside the subtree is 403 when the actor can read it, else 404.
    public func managed(_ id: UUID, actor: Actor) async throws -> NoticeRecord {
        try actor.require(PlatformPermission.noticesManage)
        if let notice = try await managed(actor: actor).filter(\.$id == id).first() { return notice }
        if try await readable(actor: actor).filter(\.$id == id).first() != nil { throw PlatformError.forbidden }
        throw PlatformError.notFound
    }

    // MARK: Writes

    public struct Input: Sendable {
        public var organizationID: String?
        public var title: String?
        public var body: String?
        /// "public" or "internal".
        public var visibility: String?
        public var pinned: Bool
        /// "YYYY-MM-DDTHH:MM" (a datetime-local field) in China Standard Time; empty: now.
        public var publishAt: String?

        public init(
            organizationID: String?, title: String?, body: String?, visibility: String?, pinned: Bool, publishAt: String?
        ) {
            self.organizationID = organizationID
            self.title = title
            self.body = body
            self.visibility = visibility
            self.pinned = pinned
            self.publishAt = publishAt
        }
    }

    /// The form's fields in order, for the error summary.
    public static let fieldOrder = ["organization", "title", "body", "visibility", "publishAt", "files"]
    public static let fieldLabels = [
        "organization": "发布单位", "title": "标题", "body": "正文", "visibility": "公开范围", "publishAt": "发布时间", "files": "附件",
    ]

    /// Creates a notice (id nil) or saves one the actor manages, with its new attachments, in one
    /// transaction; every problem of the input at once as `InvalidFields`.
    @discardableResult
    public func save(_ input: Input, files: [UploadedFile], id: UUID?, actor: Actor) async throws -> NoticeRecord {
        try actor.require(PlatformPermission.noticesManage)
        var existing: NoticeRecord?
        if let id { existing = try await managed(id, actor: actor) }
        var errors = FieldErrors()
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "请填写标题") } else if title.count > 120 { errors.add("title", "标题不超过 120 字") }
        let body = (input.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty { errors.add("body", "请填写正文") } else if body.count > 20_000 { errors.add("body", "正文不超过 20000 字") }
        let isPublic: Bool
        switch input.visibility {
        case "public": isPublic = true
        case "internal": isPublic = false
        default:
            isPublic = false
            errors.add("visibility", "请选择公开或内部")
        }
        var organization: Organization?
        if let text = input.organizationID, let orgID = UUID(uuidString: text) {
            organization = try await actor.scope.organization(orgID, on: db)
        }
        if organization == nil { errors.add("organization", "请选择本单位或下级单位") }
        var publishAt = existing?.publishAt ?? services.clock()
        if let text = input.publishAt?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let parsed = Self.parseMinute(text) { publishAt = parsed } else { errors.add("publishAt", "请按“年-月-日 时:分”填写发布时间") }
        }
        let present = files.filter { !$0.data.isEmpty }
        if !present.isEmpty {
            var already = 0
            if let id { already = try await StoredFile.query(on: db).filter(\.$ownerType == "notice").filter(\.$ownerID == id).count() }
            do { _ = try Self.check.check(present.map { ($0.name, $0.data) }, existing: already) } catch PlatformError.invalidInput(
                _, let message)
            {
                errors.add("files", message)
            }
        }
        guard errors.isEmpty, let organization else { throw InvalidFields(errors, order: Self.fieldOrder) }
        let notice = existing ?? NoticeRecord()
        notice.organizationID = try organization.requireID()
        notice.title = title
        notice.body = body
        notice.isPublic = isPublic
        notice.isPinned = input.pinned
        notice.publishAt = publishAt
        if existing == nil {
            notice.id = UUID()
            notice.authorID = actor.userID
        }
        let services = self.services
        let store = FileStore(services: services)
        let isNew = existing == nil
        try await services.writes.transaction(on: db) { tx in
            if isNew { try await notice.create(on: tx) } else { try await notice.update(on: tx) }
            try await store.store(
                present, owner: Self.owner(try notice.requireID()), organizationID: notice.organizationID, uploadedBy: actor.userID,
                check: Self.check, on: tx)
        }
        return notice
    }

    /// Takes a notice off every list (it stays in the staff's list as 已撤回).
    public func withdraw(_ id: UUID, actor: Actor) async throws {
        let notice = try await managed(id, actor: actor)
        guard notice.withdrawnAt == nil else { return }
        notice.withdrawnAt = services.clock()
        try await services.writes.transaction(on: db) { tx in try await notice.update(on: tx) }
    }

    /// "2026-12-08T09:30" or "2026-12-08 09:30" in China Standard Time.
    static func parseMinute(_ text: String) -> Date? {
        let parts = text.replacingOccurrences(of: "T", with: " ").split(separator: " ")
        guard parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int($0) }
        let time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard day.count == 3, time.count >= 2, (1949...2100).contains(day[0]), (1...12).contains(day[1]), (1...31).contains(day[2]),
            (0...23).contains(time[0]), (0...59).contains(time[1])
        else { return nil }
        let components = DateComponents(year: day[0], month: day[1], day: day[2], hour: time[0], minute: time[1])
        guard let date = Calendar.china.date(from: components),
            Calendar.china.component(.day, from: date) == day[2]
        else { return nil }
        return date
    }

    /// The value a datetime-local field shows for a date.
    static func minuteField(_ date: Date) -> String {
        let c = Calendar.china.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}
