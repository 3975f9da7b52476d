import Fluent
import Foundation
import KexieKit
import SQLKit

/// Who owns a publicity: the module, the kind of record and its id (an award round, a star-level
/// review, a society rating). Platform stores it as text and never imports the owner.
public struct PublicityOwner: Sendable, Hashable, Codable {
    public let module: String
    public let kind: String
    public let id: UUID

    public init(module: String, kind: String, id: UUID) {
        self.module = module
        self.kind = kind
        self.id = id
    }
}

/// One line of a list to publish: the owner's record (a nominee, an organization, an entry), what the
/// public reads of it and the proposed outcome (拟授奖, 拟评为五星级志愿者 …).
public struct PublicityItemDraft: Sendable {
    let ownerItemID: UUID
    let label: String
    let detail: String
    let outcome: String

    public init(ownerItemID: UUID, label: String, detail: String, outcome: String) {
        self.ownerItemID = ownerItemID
        self.label = label
        self.detail = detail
        self.outcome = outcome
    }
}

public struct PublicityDraft: Sendable {
    let owner: PublicityOwner
    let organizationID: UUID
    let title: String
    let summary: String
    let items: [PublicityItemDraft]
    let startsOn: Day
    let workingDays: Int
    let ownerLink: String?

    public init(
        owner: PublicityOwner, organizationID: UUID, title: String, summary: String,
        items: [PublicityItemDraft], startsOn: Day, workingDays: Int = 5, ownerLink: String?
    ) {
        self.owner = owner
        self.organizationID = organizationID
        self.title = title
        self.summary = summary
        self.items = items
        self.startsOn = startsOn
        self.workingDays = workingDays
        self.ownerLink = ownerLink
    }
}

public enum PublicityStatus: Sendable, Equatable {
    /// today < startsOn
    case scheduled(startsOn: Day)
    /// startsOn … endsOn: objections are accepted.
    case running(endsOn: Day)
    /// The period is over and `open` objections are not decided yet.
    case awaitingSettlement(open: Int)
    /// The period is over and every objection is decided: the list is final.
    case final

    /// `data-status` on the pages and `status` in the API.
    public var code: String {
        switch self {
        case .scheduled: return "scheduled"
        case .running: return "running"
        case .awaitingSettlement: return "awaiting"
        case .final: return "final"
        }
    }

    public var label: String {
        switch self {
        case .scheduled: return "未开始"
        case .running: return "公示中"
        case .awaitingSettlement: return "异议处理中"
        case .final: return "公示结束"
        }
    }

    static func of(startsOn: Day, endsOn: Day, open: Int, today: Day) -> PublicityStatus {
        if today < startsOn { return .scheduled(startsOn: startsOn) }
        if today <= endsOn { return .running(endsOn: endsOn) }
        return open > 0 ? .awaitingSettlement(open: open) : .final
    }
}

public struct PublicitySummary: Sendable {
    public let id: UUID
    public let title: String
    public let startsOn: Day
    public let endsOn: Day
}

public struct PublicityItemState: Sendable {
    public let id: UUID
    public let ownerItemID: UUID
    public let label: String
    /// Removed from the list by an upheld objection.
    public let withdrawn: Bool
    public let changeNote: String?
}

/// 公示与异议: any module publishes a list for N working days (Platform's working-day calendar);
/// anyone files an objection with real name and contact (sealed) while it runs; staff of the
/// publicity's organization subtree (`platform.publicity.manage`) record the investigation and decide
/// each objection, an upheld one possibly withdrawing its item. The list is final once the period is
/// over and every objection is decided.
public struct PublicityService: Sendable {
    let db: any Database
    let services: PlatformServices

    public init(db: any Database, services: PlatformServices) {
        self.db = db
        self.services = services
    }

    static let draftOrder = ["organization", "title", "summary", "items", "workingDays"]

    /// Opens a publicity for the owner's list. The organization must be in the actor's subtree (the
    /// calling module has decided the actor may publish). endsOn is the `workingDays`-th working day
    /// counting startsOn as the first when it is a working day.
    public func open(_ draft: PublicityDraft, by actor: Actor) async throws -> UUID {
        var errors = FieldErrors()
        let title = draft.title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "请填写公示标题") } else if title.count > 200 { errors.add("title", "公示标题不超过 200 字") }
        let summary = draft.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.count > 4000 { errors.add("summary", "公示说明不超过 4000 字") }
        if draft.items.isEmpty {
            errors.add("items", "公示名单不能为空")
        } else if draft.items.count > 2000 {
            errors.add("items", "公示名单不超过 2000 项")
        } else if draft.items.contains(where: {
            $0.label.trimmingCharacters(in: .whitespaces).isEmpty || $0.label.count > 200 || $0.detail.count > 500 || $0.outcome.count > 200
        }) {
            errors.add("items", "名单每项须有名称（不超过 200 字），说明不超过 500 字，结果不超过 200 字")
        }
        if !(1...30).contains(draft.workingDays) { errors.add("workingDays", "公示期为 1 至 30 个工作日") }
        if try await actor.scope.organization(draft.organizationID, on: db) == nil {
            errors.add("organization", "公示单位须为本单位或下级单位")
        }
        guard errors.isEmpty else { throw InvalidFields(errors, order: Self.draftOrder) }
        let calendar = try await CalendarService(db: db).calendar()
        let endsOn = Self.endsOn(startsOn: draft.startsOn, workingDays: draft.workingDays, calendar: calendar)
        let publicity = PublicityRecord()
        let id = UUID()
        publicity.id = id
        publicity.organizationID = draft.organizationID
        publicity.ownerModule = String(draft.owner.module.prefix(50))
        publicity.ownerKind = String(draft.owner.kind.prefix(50))
        publicity.ownerID = draft.owner.id
        publicity.ownerLink = draft.ownerLink.map { String($0.prefix(500)) }
        publicity.title = title
        publicity.summary = summary
        publicity.startsOn = draft.startsOn
        publicity.endsOn = endsOn
        publicity.workingDays = draft.workingDays
        publicity.createdBy = actor.userID
        let items = draft.items.enumerated().map { index, draft in
            let item = PublicityItemRecord()
            item.id = UUID()
            item.publicityID = id
            item.position = index + 1
            item.ownerItemID = draft.ownerItemID
            item.label = draft.label.trimmingCharacters(in: .whitespaces)
            item.detail = draft.detail.trimmingCharacters(in: .whitespaces)
            item.outcome = draft.outcome.trimmingCharacters(in: .whitespaces)
            item.withdrawn = false
            return item
        }
        try await services.writes.transaction(on: db) { tx in
            try await publicity.create(on: tx)
            for item in items { try await item.create(on: tx) }
        }
        return id
    }

    /// The `workingDays`-th working day counting `startsOn` as the first when it is a working day.
    static func endsOn(startsOn: Day, workingDays: Int, calendar: WorkingDayCalendar) -> Day {
        calendar.addWorkingDays(from: startsOn.adding(days: -1), days: max(1, workingDays)).date
    }

    public func status(_ id: UUID, today: Day) async throws -> PublicityStatus {
        let publicity = try await record(id)
        let open = try await PublicityObjectionRecord.query(on: db).filter(\.$publicityID == id).filter(\.$state != .decided).count()
        return PublicityStatus.of(startsOn: publicity.startsOn, endsOn: publicity.endsOn, open: open, today: today)
    }

    public func items(_ id: UUID) async throws -> [PublicityItemState] {
        _ = try await record(id)
        return try await itemRecords(id).map {
            PublicityItemState(
                id: try $0.requireID(), ownerItemID: $0.ownerItemID, label: $0.label, withdrawn: $0.withdrawn, changeNote: $0.changeNote)
        }
    }

    public func publicities(owner: PublicityOwner) async throws -> [PublicitySummary] {
        try await PublicityRecord.query(on: db).filter(\.$ownerModule == owner.module).filter(\.$ownerKind == owner.kind)
            .filter(\.$ownerID == owner.id).sort(\.$startsOn).sort(\.$id).all()
            .map { PublicitySummary(id: try $0.requireID(), title: $0.title, startsOn: $0.startsOn, endsOn: $0.endsOn) }
    }

    // MARK: Internal reads

    var today: Day { Day.today(now: services.clock()) }

    func record(_ id: UUID) async throws -> PublicityRecord {
        guard let publicity = try await PublicityRecord.find(id, on: db) else { throw PlatformError.notFound }
        return publicity
    }

    /// A publicity the public may read: one that has started (a scheduled one is not shown yet).
    func published(_ id: UUID) async throws -> PublicityRecord {
        let publicity = try await record(id)
        guard publicity.startsOn <= today else { throw PlatformError.notFound }
        return publicity
    }

    func itemRecords(_ id: UUID) async throws -> [PublicityItemRecord] {
        try await PublicityItemRecord.query(on: db).filter(\.$publicityID == id).sort(\.$position).all()
    }

    /// A publicity the staff member manages: permission (403), the organization in the subtree (else 404).
    func managed(_ id: UUID, actor: Actor) async throws -> PublicityRecord {
        try actor.require(PlatformPermission.publicityManage)
        guard let publicity = try await actor.scope.query(PublicityRecord.self, on: db).filter(\.$id == id).first() else {
            throw PlatformError.notFound
        }
        return publicity
    }

    func objectionRecords(_ publicityID: UUID) async throws -> [PublicityObjectionRecord] {
        try await PublicityObjectionRecord.query(on: db).filter(\.$publicityID == publicityID).sort(\.$filedAt).sort(\.$id).all()
    }

    func notes(objections ids: [UUID]) async throws -> [UUID: [PublicityNoteRecord]] {
        guard !ids.isEmpty else { return [:] }
        let notes = try await PublicityNoteRecord.query(on: db).filter(\.$objectionID ~~ ids).sort(\.$writtenAt).sort(\.$id).all()
        return Dictionary(grouping: notes, by: \.objectionID)
    }

    /// An objection as the staff read it: name and contact opened.
    struct OpenedObjection: Sendable {
        let record: PublicityObjectionRecord
        let name: String
        let contact: String
    }

    func opened(_ objections: [PublicityObjectionRecord]) throws -> [OpenedObjection] {
        try objections.map {
            OpenedObjection(
                record: $0, name: try services.secrets.open($0.nameCipher), contact: try services.secrets.open($0.contactCipher))
        }
    }

    // MARK: Objections

    public struct ObjectionInput: Sendable {
        public var name: String?
        public var contact: String?
        public var content: String?
        /// An item id of the publicity; nil or empty for the whole list.
        public var itemID: String?
        public var consent: Bool

        public init(name: String?, contact: String?, content: String?, itemID: String?, consent: Bool) {
            self.name = name
            self.contact = contact
            self.content = content
            self.itemID = itemID
            self.consent = consent
        }
    }

    public static let objectionOrder = ["name", "contact", "itemId", "content", "consent"]
    public static let objectionLabels = ["name": "姓名", "contact": "联系电话或邮箱", "itemId": "异议对象", "content": "异议内容", "consent": "承诺"]

    /// Files an objection while the publicity runs (else `publicityClosed`); every problem of the input
    /// at once as `InvalidFields`. Name and contact are sealed.
    func file(_ publicityID: UUID, _ input: ObjectionInput) async throws -> PublicityObjectionRecord {
        let publicity = try await published(publicityID)
        guard case .running = PublicityStatus.of(startsOn: publicity.startsOn, endsOn: publicity.endsOn, open: 0, today: today) else {
            throw PlatformError.publicityClosed
        }
        var errors = FieldErrors()
        let name = (input.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { errors.add("name", "请填写真实姓名") } else if name.count > 50 { errors.add("name", "姓名不超过 50 字") }
        let contactText = (input.contact ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var contact = ""
        if contactText.isEmpty {
            errors.add("contact", "请填写联系电话或电子邮箱")
        } else if let mobile = try? MobileNumber(contactText) {
            contact = mobile.value
        } else if contactText.contains("@"), let email = try? EmailAddress(contactText) {
            contact = email.value
        } else {
            errors.add("contact", "请填写 11 位手机号码或有效的电子邮箱")
        }
        let content = (input.content ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if content.count < 10 {
            errors.add("content", "请写明异议的事实和理由，不少于 10 个字")
        } else if content.count > 2000 {
            errors.add("content", "异议内容不超过 2000 字")
        }
        var itemID: UUID?
        if let text = input.itemID?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            if let id = UUID(uuidString: text),
                try await PublicityItemRecord.query(on: db).filter(\.$id == id).filter(\.$publicityID == publicityID)
                    .filter(\.$withdrawn == false).first() != nil
            {
                itemID = id
            } else {
                errors.add("itemId", "请选择名单中的一项，或选择“整个名单”")
            }
        }
        if !input.consent { errors.add("consent", "请确认所填信息真实，并同意用于核查异议") }
        guard errors.isEmpty else { throw InvalidFields(errors, order: Self.objectionOrder) }
        let objection = PublicityObjectionRecord()
        objection.id = UUID()
        objection.publicityID = publicityID
        objection.itemID = itemID
        objection.nameCipher = try services.secrets.seal(name)
        objection.contactCipher = try services.secrets.seal(contact)
        objection.content = content
        objection.filedAt = services.clock()
        objection.code = TrackingCode.generate().canonical
        objection.state = .received
        objection.withdrewItem = false
        try await services.writes.transaction(on: db) { tx in try await objection.create(on: tx) }
        return objection
    }

    /// An objection by its receipt code (as people type it); a malformed code is 422, an unknown one 404.
    func objection(code text: String) async throws -> PublicityObjectionRecord {
        let code: TrackingCode
        do {
            code = try TrackingCode.parse(String(text.prefix(40)))
        } catch {
            throw PlatformError.invalidInput(field: "code", message: error.message)
        }
        guard let objection = try await PublicityObjectionRecord.query(on: db).filter(\.$code == code.canonical).first() else {
            throw PlatformError.publicityCodeUnknown
        }
        return objection
    }

    /// An objection of a publicity the staff member manages (else 404).
    func managedObjection(_ id: UUID, actor: Actor) async throws -> (PublicityRecord, PublicityObjectionRecord) {
        try actor.require(PlatformPermission.publicityManage)
        guard let objection = try await PublicityObjectionRecord.find(id, on: db) else { throw PlatformError.notFound }
        return (try await managed(objection.publicityID, actor: actor), objection)
    }

    /// Records a step of the investigation; the objection moves to 调查核实中. Refused once decided.
    func addNote(_ objectionID: UUID, note text: String, actor: Actor) async throws {
        let (_, objection) = try await managedObjection(objectionID, actor: actor)
        guard objection.state != .decided else { throw PlatformError.publicityObjectionDecided }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if text.isEmpty { errors.add("note", "请填写调查核实情况") } else if text.count > 2000 { errors.add("note", "调查记录不超过 2000 字") }
        try errors.throwIfAny(order: ["note"])
        let note = PublicityNoteRecord()
        note.objectionID = objectionID
        note.note = text
        note.authorID = actor.userID
        note.authorName = actor.displayName
        note.writtenAt = services.clock()
        objection.state = .investigating
        try await services.writes.transaction(on: db) { tx in
            try await note.create(on: tx)
            try await objection.update(on: tx)
        }
    }

    /// Decides an objection, once: upheld or rejected with a reason; an upheld objection on one item
    /// may withdraw that item from the list (the change note is the reason).
    func decide(_ objectionID: UUID, verdict: PublicityObjectionRecord.Verdict?, reason text: String, withdraw: Bool, actor: Actor)
        async throws
    {
        let (_, objection) = try await managedObjection(objectionID, actor: actor)
        guard objection.state != .decided else { throw PlatformError.publicityObjectionDecided }
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if verdict == nil { errors.add("verdict", "请选择异议成立或不成立") }
        if reason.isEmpty { errors.add("reason", "请填写处理理由") } else if reason.count > 2000 { errors.add("reason", "处理理由不超过 2000 字") }
        if withdraw && verdict != .upheld { errors.add("withdraw", "只有异议成立时才能撤销名单中的一项") }
        if withdraw && objection.itemID == nil { errors.add("withdraw", "该异议针对整个名单，不能撤销单项") }
        guard errors.isEmpty, let verdict else { throw InvalidFields(errors, order: ["verdict", "reason", "withdraw"]) }
        objection.state = .decided
        objection.verdict = verdict
        objection.reason = reason
        objection.withdrewItem = withdraw
        objection.decidedBy = actor.userID
        objection.decidedAt = services.clock()
        var item: PublicityItemRecord?
        if withdraw, let itemID = objection.itemID {
            item = try await PublicityItemRecord.find(itemID, on: db)
            item?.withdrawn = true
            item?.changeNote = String(("经核查，异议成立，撤销该项：" + reason).prefix(2000))
        }
        let changed = item
        let decided = objection
        try await services.writes.transaction(on: db) { tx in
            // Only the first decision stands when two staff members decide at once: the state is taken by
            // a conditional update, which one of them wins on both databases.
            let taken = try await tx.sql().raw(
                """
                UPDATE platform_publicity_objections SET state = \(bind: PublicityObjectionRecord.State.decided.rawValue) \
                WHERE id = \(bind: objectionID) AND state <> \(bind: PublicityObjectionRecord.State.decided.rawValue) RETURNING id
                """
            ).all()
            guard !taken.isEmpty else { throw PlatformError.publicityObjectionDecided }
            try await decided.update(on: tx)
            if let changed { try await changed.update(on: tx) }
        }
    }
}
