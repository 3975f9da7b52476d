import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// Supplies and demands: who may see and change them, the form's rules, and the review process
/// (草稿 → 待审核 → 已发布 → 已关闭/已过期) through the workflow runtime. Published postings are in the
/// platform search index; nothing else is.
struct PostingService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let definition = PostingWorkflow()
    var runtime: WorkflowRuntime<PostingWorkflow> { WorkflowRuntime(Self.definition, subjects: InnovationModule.postingSubjects) }

    static func searchKind(_ kind: Posting.Kind) -> String { "innovation.\(kind.rawValue)" }

    // MARK: Who is who

    /// The posting is the actor's: they wrote it, or — when an organization (society, university,
    /// enterprise …) holds it rather than a person — they administer (or are the enterprise account of)
    /// that organization. A member's own supply stays theirs alone, though they act for the province.
    func owns(_ posting: Posting, actor: Actor) -> Bool {
        if actor.userID == posting.ownerUserID { return true }
        guard posting.ownerKind != .person, actor.actingOrganizationID == posting.organizationID else {
            return false
        }
        return !actor.roles.isDisjoint(with: [.orgadmin, .enterprise])
    }

    /// Staff who may review the posting: `innovation.review`, acting for an association whose subtree
    /// holds the posting's organization.
    func reviews(_ posting: Posting, actor: Actor) async throws -> Bool {
        guard actor.can(InnovationPermission.review), try await actingIsAssociation(actor) else { return false }
        guard let organization = try await Organization.find(posting.organizationID, on: db) else { return false }
        return actor.scope.contains(organization)
    }

    func actingIsAssociation(_ actor: Actor) async throws -> Bool {
        guard let id = actor.actingOrganizationID, let organization = try await Organization.find(id, on: db) else { return false }
        return organization.kind == .association
    }

    /// Published postings are public; others only for their owner and reviewers.
    func visible(_ id: UUID, actor: Actor?) async throws -> Posting {
        guard let posting = try await Posting.find(id, on: db) else { throw PlatformError.notFound }
        if posting.state == .published || posting.state == .expired {
            return posting
        }
        guard let actor else { throw PlatformError.notFound }
        if owns(posting, actor: actor) { return posting }
        if try await reviews(posting, actor: actor) { return posting }
        // A party of a docking keeps seeing the other side after it closes.
        if try await dockingCounterpart(posting, actor: actor, accepted: false) { return posting }
        throw PlatformError.notFound
    }

    /// The confidential part: the owner, reviewers, and the other party of an accepted docking.
    func mayReadConfidential(_ posting: Posting, actor: Actor?) async throws -> Bool {
        guard let actor else { return false }
        if owns(posting, actor: actor) { return true }
        if try await reviews(posting, actor: actor) { return true }
        return try await dockingCounterpart(posting, actor: actor, accepted: true)
    }

    /// Whether the actor owns the other side of a docking involving this posting (accepted: past 待确认
    /// and not declined).
    private func dockingCounterpart(_ posting: Posting, actor: Actor, accepted: Bool) async throws -> Bool {
        let id = try posting.requireID()
        let dockings = try await Docking.query(on: db).group(.or) { $0.filter(\.$supplyID == id).filter(\.$demandID == id) }.all()
        let acceptedStates: Set<DockingWorkflow.State> = [.intention, .negotiating, .signed, .landed, .terminated]
        for docking in dockings where !accepted || acceptedStates.contains(docking.state) {
            // Terminated dockings only count when they had been accepted before (intention_on set).
            if accepted && docking.state == .terminated && docking.intentionOn == nil { continue }
            let otherID = docking.supplyID == id ? docking.demandID : docking.supplyID
            if let other = try await Posting.find(otherID, on: db), owns(other, actor: actor) { return true }
        }
        return false
    }

    // MARK: The form

    struct Input: Sendable {
        var title = ""
        var summary = ""
        var publicDetail = ""
        var confidentialDetail = ""
        var field = ""
        var industry = ""
        var readiness = ""
        var patents = ""
        var cooperationModes: [String] = []
        var ownerKind = ""
        var ownerName = ""
        var region = ""
        var keywords = ""
        var indicators = ""
        var deadline = ""
        var budget = ""
        var ipOwnership = ""
        var solverConditions = ""
        var contactName = ""
        var contactPhone = ""
    }

    /// Reads and checks the form; field keys are the form's field names.
    func validate(_ input: Input, kind: Posting.Kind) -> (FieldErrors, Posting) {
        var errors = FieldErrors()
        let posting = Posting()
        posting.kind = kind
        func text(_ value: String, _ limit: Int) -> String { String(value.trimmingCharacters(in: .whitespacesAndNewlines).prefix(limit)) }
        posting.title = text(input.title, 100)
        if posting.title.count < 4 { errors.add("title", kind == .supply ? "请填写成果名称（4–100 个字）" : "请填写需求名称（4–100 个字）") }
        posting.summary = text(input.summary, 500)
        if posting.summary.isEmpty { errors.add("summary", kind == .supply ? "请填写成果简介" : "请概述需要解决的问题") }
        posting.publicDetail = text(input.publicDetail, 8000)
        posting.confidentialDetail = text(input.confidentialDetail, 8000)
        posting.field = text(input.field, 50).nilIfEmpty
        let industryText = text(input.industry, 40)
        if industryText.isEmpty {
            posting.industry = nil
        } else if let section = IndustrySection(parsing: industryText) {
            posting.industry = String(section.letter)
        } else {
            errors.add("industry", "请选择国民经济行业门类（GB/T 4754）")
        }
        let readinessText = text(input.readiness, 4)
        if readinessText.isEmpty {
            posting.readiness = nil
            if kind == .supply { errors.add("readiness", "请选择技术成熟度（1–9 级）") }
        } else if let level = Int(readinessText), (1...9).contains(level) {
            posting.readiness = level
        } else {
            errors.add("readiness", "技术成熟度为 1 到 9 级")
        }
        let patentLines = input.patents.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        if patentLines.count > 50 { errors.add("patents", "知识产权最多填写 50 项") }
        for line in patentLines where line.count > 200 {
            errors.add("patents", "每项知识产权不超过 200 个字：\(line.prefix(20))…")
        }
        posting.patents = patentLines.joined(separator: "\n")
        let modes = input.cooperationModes.compactMap { Posting.CooperationMode(rawValue: $0) }
        if modes.count != input.cooperationModes.count { errors.add("cooperationModes", "合作方式无效") }
        if kind == .supply && modes.isEmpty { errors.add("cooperationModes", "请至少选择一种合作方式") }
        posting.modes = modes
        // A demand without an owner kind is an enterprise's; an unknown kind is refused, not replaced.
        let ownerKind = input.ownerKind.isEmpty && kind == .demand ? .enterprise : Posting.OwnerKind(rawValue: input.ownerKind)
        if let ownerKind { posting.ownerKind = ownerKind } else { errors.add("ownerKind", "请选择成果持有方类型") }
        posting.ownerName = text(input.ownerName, 100)
        if posting.ownerName.isEmpty { errors.add("ownerName", kind == .supply ? "请填写成果持有人或单位" : "请填写需求单位") }
        posting.region = text(input.region, 60)
        if posting.region.isEmpty {
            errors.add("region", "请填写所在地区（如 云海省东港市）")
        }
        posting.keywords = input.keywords.split(whereSeparator: { ",，、;；".contains($0) || $0.isWhitespace })
            .map(String.init).prefix(12).map { String($0.prefix(20)) }
        posting.indicators = text(input.indicators, 4000)
        posting.ipOwnership = text(input.ipOwnership, 200)
        posting.solverConditions = text(input.solverConditions, 2000)
        posting.contactName = text(input.contactName, 50)
        posting.contactPhone = text(input.contactPhone, 30)
        if kind == .demand {
            if posting.indicators.isEmpty { errors.add("indicators", "请写明需要达到的核心指标") }
            let deadlineText = text(input.deadline, 10)
            if let day = Day(deadlineText) {
                if day < Day.today(now: services.clock()) { errors.add("deadline", "截止日期不能早于今天") }
                posting.deadline = day
            } else {
                errors.add("deadline", "请填写截止日期（如 2027-06-30）")
            }
            let budgetText = text(input.budget, 20)
            if budgetText.isEmpty {
                posting.budget = nil
            } else if let value = Double(budgetText), value >= 0, value < 10_000_000 {
                posting.budget = value
            } else {
                errors.add("budget", "预算为不小于 0 的数（万元）")
            }
            if posting.contactName.isEmpty { errors.add("contactName", "请填写联系人") }
            if posting.contactPhone.isEmpty {
                errors.add("contactPhone", "请填写联系电话")
            }
        }
        if !posting.contactPhone.isEmpty,
            ContactFormat.normalizedMobile(posting.contactPhone) == nil,
            !posting.contactPhone.allSatisfy({ $0.isASCII && ($0.isNumber || "-+() ".contains($0)) })
        {
            errors.add("contactPhone", "请输入正确的电话号码")
        }
        return (errors, posting)
    }

    static let fieldOrder = [
        "title", "summary", "industry", "readiness", "cooperationModes", "ownerKind", "ownerName", "region", "indicators", "deadline",
        "budget", "contactName", "contactPhone", "patents",
    ]

    /// Who may post which side: enterprises post demands, everyone but the enterprise account posts
    /// supplies; association staff may post either on someone's behalf.
    func mayPost(_ kind: Posting.Kind, actor: Actor) -> Bool {
        guard actor.can(InnovationPermission.post), actor.actingOrganizationID != nil else { return false }
        let roles = actor.roles
        switch kind {
        case .demand: return !roles.isDisjoint(with: [.enterprise, .orgadmin, .staff])
        case .supply: return !roles.isDisjoint(with: [.member, .expert, .orgadmin, .staff])
        }
    }

    /// Saves a new draft.
    func create(_ kind: Posting.Kind, _ input: Input, actor: Actor) async throws -> Posting {
        guard mayPost(kind, actor: actor), let organizationID = actor.actingOrganizationID else {
            throw InnovationError.postingNotPermitted(isDemand: kind == .demand)
        }
        let (errors, posting) = validate(input, kind: kind)
        try errors.throwIfAny(order: Self.fieldOrder)
        posting.state = .draft
        posting.organizationID = organizationID
        posting.ownerUserID = actor.userID
        try posting.sealContactPhone(services.secrets)
        try await services.writes.transaction(on: db) { tx in
            try await posting.create(on: tx)
            try await PostingModes.save(posting, on: tx)
        }
        return posting
    }

    /// Changes a draft (or one sent back). Published postings are closed and posted anew instead, so
    /// what the reviewers approved is what the public sees.
    func update(_ id: UUID, _ input: Input, actor: Actor) async throws -> Posting {
        let posting = try await visible(id, actor: actor)
        guard owns(posting, actor: actor) else { throw InnovationError.notPostingOwner }
        guard posting.state == .draft else {
            throw InnovationError.postingNotDraft
        }
        let (errors, changed) = validate(input, kind: posting.kind)
        try errors.throwIfAny(order: Self.fieldOrder)
        for key in [
            \Posting.title, \.summary, \.publicDetail, \.confidentialDetail, \.patents, \.ownerName, \.region, \.indicators, \.ipOwnership,
            \.solverConditions, \.contactName, \.contactPhone,
        ] as [ReferenceWritableKeyPath<Posting, String>] {
            posting[keyPath: key] = changed[keyPath: key]
        }
        posting.ownerKind = changed.ownerKind
        posting.keywords = changed.keywords
        posting.modes = changed.modes
        posting.field = changed.field
        posting.industry = changed.industry
        posting.readiness = changed.readiness
        posting.deadline = changed.deadline
        posting.budget = changed.budget
        try posting.sealContactPhone(services.secrets)
        try await services.writes.transaction(on: db) { tx in
            try await posting.update(on: tx)
            try await PostingModes.save(posting, on: tx)
        }
        return posting
    }

    // MARK: Review

    func kinds(for posting: Posting, actor: Actor) async throws -> Set<ParticipantKind> {
        var kinds: Set<ParticipantKind> = []
        if owns(posting, actor: actor) { kinds.insert(PostingWorkflow.owner) }
        if try await reviews(posting, actor: actor) { kinds.insert(PostingWorkflow.reviewer) }
        return kinds
    }

    /// Actions the actor may take now, for the page's buttons.
    func availableActions(_ posting: Posting, actor: Actor) async throws -> [PostingWorkflow.Action] {
        let state = posting.state
        let kinds = try await kinds(for: posting, actor: actor)
        return Self.definition.transitions.filter { $0.from.contains(state) && !$0.allowed.isDisjoint(with: kinds) }.map(\.action)
    }

    /// 提交 / 审核通过 / 退回 / 关闭. Publication indexes the posting for search; closing removes it.
    @discardableResult
    func perform(_ action: PostingWorkflow.Action, on id: UUID, comment: String?, actor: Actor) async throws -> Posting {
        let posting = try await visible(id, actor: actor)
        let state = posting.state
        let kinds = try await kinds(for: posting, actor: actor)
        let today = Day.today(now: services.clock())
        if action == .submit, posting.kind == .demand, let deadline = posting.deadline, deadline < today {
            throw InnovationError.deadlinePassed
        }
        // The state, the change stamp the matcher watches and the search index move together.
        let now = services.clock()
        let writes = services.writes
        let step = try await runtime.perform(
            action, subject: id, in: state, actor: actor, kinds: kinds, comment: comment?.nilIfEmpty,
            context: WorkflowContext(now: now), services: services, on: db
        ) { tx, step in
            posting.state = step.state
            var change = Posting.query(on: tx).filter(\.$id == id).set(\.$updatedAt, to: now)
            if step.state == .published {
                posting.publishedOn = today
                change = change.set(\.$publishedOn, to: today)
            }
            try await change.update()
            try await Self.syncSearch(posting, on: tx, writes: writes)
        }
        try await notify(posting, action: action, step: step, comment: comment, actor: actor)
        return posting
    }

    /// The demands whose call has ended are closed by the system the day after their deadline.
    func expireOverdue() async throws -> Int {
        let today = Day.today(now: services.clock())
        let overdue = try await Posting.query(on: db).filter(\.$kind == .demand)
            .filter(\.$state == .published).filter(\.$deadline < today).all()
        var expired = 0
        for posting in overdue {
            let id = try posting.requireID()
            let now = services.clock()
            let writes = services.writes
            do {
                _ = try await runtime.perform(
                    .expire, subject: id, in: .published, actor: .system, kinds: [.system],
                    comment: "揭榜截止日期 \(posting.deadline?.description ?? "") 已过",
                    context: WorkflowContext(now: now), services: services, on: db
                ) { tx, _ in
                    posting.state = .expired
                    try await Posting.query(on: tx).filter(\.$id == id).set(\.$updatedAt, to: now).update()
                    try await Self.syncSearch(posting, on: tx, writes: writes)
                }
            } catch PlatformError.stateChanged { continue }
            try await services.registry.notify(
                PlatformNotification(
                    recipientUserID: posting.ownerUserID, title: "技术需求已到期：\(posting.title)",
                    body: "揭榜截止日期已过，需求已自动下线。如仍需征集，请重新发布。", link: InnovationRoutes.posting(id)), on: db)
            expired += 1
        }
        return expired
    }

    /// Keeps the search index to the published postings; inside the caller's transaction when `db` is one.
    static func syncSearch(_ posting: Posting, on db: any Database, writes: WriteSerializer) async throws {
        let id = try posting.requireID()
        let store = SearchIndexStore(db: db, writes: writes)
        let kind = Self.searchKind(posting.kind)
        if posting.state == .published {
            let path = try await Organization.find(posting.organizationID, on: db)?.path ?? "/"
            let text =
                ([posting.summary, posting.publicDetail] + posting.keywords + [posting.indicators, posting.ownerName, posting.region])
                .joined(separator: "\n")
            try await store.index(kind: kind, entityID: id.uuidString, organizationPath: path, title: posting.title, text: text)
        } else {
            try await store.remove(kind: kind, entityID: id.uuidString)
        }
    }

    private func notify(
        _ posting: Posting, action: PostingWorkflow.Action, step: WorkflowRuntime<PostingWorkflow>.Step, comment: String?, actor: Actor
    ) async throws {
        let id = try posting.requireID()
        let link = InnovationRoutes.posting(id)
        let label = posting.kind.label
        switch action {
        case .approve:
            try await services.registry.notify(
                PlatformNotification(
                    recipientUserID: posting.ownerUserID, title: "\(label)已发布：\(posting.title)", body: "审核通过，已在平台公开发布。", link: link),
                on: db)
        case .sendBack:
            try await services.registry.notify(
                PlatformNotification(
                    recipientUserID: posting.ownerUserID, title: "\(label)被退回：\(posting.title)", body: "退回理由：\(comment ?? "")",
                    link: link), on: db)
        case .submit:
            for reviewer in try await reviewerIDs(for: posting) where reviewer != actor.userID {
                try await services.registry.notify(
                    PlatformNotification(
                        recipientUserID: reviewer, title: "待审核\(label)：\(posting.title)", body: "\(posting.ownerName) 提交了\(label)，请审核。",
                        link: link),
                    on: db)
            }
        case .close, .expire: break
        }
    }

    /// Users holding `innovation.review` at the association nearest above the posting's organization.
    func reviewerIDs(for posting: Posting) async throws -> [UUID] {
        guard var organization = try await Organization.find(posting.organizationID, on: db) else { return [] }
        while organization.kind != .association, let parent = organization.parentID, let next = try await Organization.find(parent, on: db)
        {
            organization = next
        }
        let roles = InnovationPermission.review.grantedTo.map(\.rawValue)
        let grants = try await RoleGrant.query(on: db).filter(\.$organizationID == organization.requireID()).filter(\.$role ~~ roles).all()
        return Array(Set(grants.map(\.userID)))
    }

    /// The reviewing staff's queue: submitted postings in the actor's subtree, oldest first.
    func reviewQueue(actor: Actor) async throws -> [Posting] {
        guard actor.can(InnovationPermission.review), try await actingIsAssociation(actor) else { return [] }
        return try await actor.scope.query(Posting.self, on: db).filter(\.$state == .submitted)
            .sort(\.$updatedAt).limit(500).all()
    }
}

extension PostingService {
    /// The postings the actor owns, as `owns(_:actor:)` decides: written by them, or belonging to the
    /// organization they administer (or are the enterprise account of).
    /// The same rule as `owned(by:on:)` as a WHERE condition on `innovation_postings`, for the home
    /// panel's single query.
    static func ownedCondition(by actor: Actor) -> SQLQueryString {
        var condition: SQLQueryString = "(owner_user_id = \(bind: actor.userID)"
        if let organization = actor.actingOrganizationID, !actor.roles.isDisjoint(with: [.orgadmin, .enterprise]) {
            condition.appendInterpolation(unsafeRaw: " OR (organization_id = ")
            condition.appendInterpolation(bind: organization)
            condition.appendInterpolation(unsafeRaw: " AND owner_kind <> ")
            condition.appendInterpolation(bind: Posting.OwnerKind.person.rawValue)
            condition.appendInterpolation(unsafeRaw: ")")
        }
        condition.appendInterpolation(unsafeRaw: ")")
        return condition
    }

    static func owned(by actor: Actor, on db: any Database) -> QueryBuilder<Posting> {
        Posting.query(on: db).group(.or) { group in
            group.filter(\.$ownerUserID == actor.userID)
            if let organization = actor.actingOrganizationID, !actor.roles.isDisjoint(with: [.orgadmin, .enterprise]) {
                group.group(.and) { held in
                    held.filter(\.$organizationID == organization).filter(\.$ownerKind != .person)
                }
            }
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
