import Fluent
import Foundation
import KexieKit
import Platform

/// Dockings (对接): proposal by a side or by staff, acceptance by the other side (both sides for a
/// staff proposal), then 意向 → 洽谈 → 签约 → 落地 or 终止, each step in the workflow history.
struct DockingService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let definition = DockingWorkflow()
    var runtime: WorkflowRuntime<DockingWorkflow> { WorkflowRuntime(Self.definition, subjects: InnovationModule.dockingSubjects) }
    var postings: PostingService { PostingService(db: db, services: services) }

    static let openStates: Set<DockingWorkflow.State> = [.proposed, .intention, .negotiating, .signed]

    struct Proposal: Sendable {
        var supplyID: UUID
        var demandID: UUID
        var note: String = ""
        var stationID: UUID?
    }

    /// Proposes a docking. The proposer is the supply's owner, the demand's owner, or staff reviewing
    /// either; both postings must be published and the pair may have only one open docking.
    func propose(_ proposal: Proposal, actor: Actor) async throws -> Docking {
        let supply = try await postings.visible(proposal.supplyID, actor: actor)
        let demand = try await postings.visible(proposal.demandID, actor: actor)
        guard supply.kind == .supply, demand.kind == .demand else {
            throw InnovationError.dockingNeedsSupplyAndDemand
        }
        let side: Docking.Side
        if postings.owns(supply, actor: actor) && postings.owns(demand, actor: actor) {
            throw InnovationError.dockingWithOwnPosting
        } else if postings.owns(supply, actor: actor) {
            side = .supply
        } else if postings.owns(demand, actor: actor) {
            side = .demand
        } else if try await postings.reviews(demand, actor: actor), try await postings.reviews(supply, actor: actor) {
            side = .staff
        } else {
            throw InnovationError.dockingNotPermitted
        }
        guard supply.state == .published, demand.state == .published else {
            throw InnovationError.dockingNeedsPublished
        }
        let open = try await Docking.query(on: db).filter(\.$supplyID == proposal.supplyID).filter(\.$demandID == proposal.demandID)
            .filter(\.$state ~~ Array(Self.openStates)).first()
        if open != nil { throw InnovationError.dockingAlreadyOpen }
        if let stationID = proposal.stationID {
            guard try await actor.scope.query(Station.self, on: db).filter(\.$id == stationID).first() != nil else {
                throw InnovationError.stationUnavailable
            }
        }
        let note = String(proposal.note.trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))
        let now = services.clock()
        let docking = Docking()
        docking.supplyID = proposal.supplyID
        docking.demandID = proposal.demandID
        docking.state = .proposed
        docking.proposedBy = side
        docking.proposerID = actor.userID
        docking.supplyConsented = side == .supply
        docking.demandConsented = side == .demand
        docking.organizationID = side == .staff ? (actor.actingOrganizationID ?? demand.organizationID) : demand.organizationID
        docking.stationID = proposal.stationID
        docking.proposedOn = Day.today(now: now)
        docking.notes = note
        let registry = services.registry
        let recipients: [UUID] =
            switch side {
            case .supply: [demand.ownerUserID]
            case .demand: [supply.ownerUserID]
            case .staff: [supply.ownerUserID, demand.ownerUserID]
            }
        let who = side == .staff ? "科协工作人员" : (side == .supply ? supply.ownerName : demand.ownerName)
        let actorName = actor.displayName
        let organizationID = actor.actingOrganizationID
        try await services.writes.transaction(on: db) { tx in
            try await docking.create(on: tx)
            let step = WorkflowStepRecord()
            step.process = InnovationModule.dockingSubjects.process
            step.subjectID = try docking.requireID()
            step.sequence = 1
            step.action = "propose"
            step.fromState = ""
            step.toState = DockingWorkflow.State.proposed.rawValue
            step.comment = note.nilIfEmpty
            step.actorID = actor.userID.uuidString
            step.actorName = actorName
            step.organizationID = organizationID
            step.at = now
            try await step.create(on: tx)
            for recipient in Set(recipients) where recipient != actor.userID {
                try await registry.notify(
                    PlatformNotification(
                        recipientUserID: recipient, title: "新的对接邀请：\(supply.title) ↔ \(demand.title)",
                        body: "\(who)发起了对接，请确认是否接受。\(note.isEmpty ? "" : "留言：\(note)")",
                        link: InnovationRoutes.docking(try docking.requireID())), on: tx)
            }
        }
        return docking
    }

    func visible(_ id: UUID, actor: Actor) async throws -> (Docking, Posting, Posting) {
        guard let docking = try await Docking.find(id, on: db),
            let supply = try await Posting.find(docking.supplyID, on: db),
            let demand = try await Posting.find(docking.demandID, on: db)
        else { throw PlatformError.notFound }
        let kinds = try await kinds(docking, supply: supply, demand: demand, actor: actor)
        guard !kinds.isEmpty else { throw PlatformError.notFound }
        return (docking, supply, demand)
    }

    func kinds(_ docking: Docking, supply: Posting, demand: Posting, actor: Actor) async throws -> Set<ParticipantKind> {
        var kinds: Set<ParticipantKind> = []
        if postings.owns(supply, actor: actor) { kinds.insert(DockingWorkflow.supplySide) }
        if postings.owns(demand, actor: actor) { kinds.insert(DockingWorkflow.demandSide) }
        let reviewsDemand = try await postings.reviews(demand, actor: actor)
        let reviewsSupply = try await postings.reviews(supply, actor: actor)
        if reviewsDemand || reviewsSupply {
            kinds.insert(DockingWorkflow.staff)
        } else if actor.can(InnovationPermission.review), let organization = try await Organization.find(docking.organizationID, on: db),
            actor.scope.contains(organization)
        {
            kinds.insert(DockingWorkflow.staff)
        }
        return kinds
    }

    /// What the actor may do now: accept (or consent) only when it is their side's turn.
    func availableActions(_ docking: Docking, supply: Posting, demand: Posting, actor: Actor) async throws -> [DockingWorkflow.Action] {
        let state = docking.state
        let kinds = try await kinds(docking, supply: supply, demand: demand, actor: actor)
        var actions = Self.definition.transitions.filter { $0.from.contains(state) && !$0.allowed.isDisjoint(with: kinds) }.map(\.action)
        let awaiting = awaitingSides(docking)
        let mine = awaiting.filter { kinds.contains($0 == .supply ? DockingWorkflow.supplySide : DockingWorkflow.demandSide) }
        if mine.isEmpty {
            actions.removeAll { $0 == .accept || $0 == .consent || $0 == .decline }
        } else {
            // The last side to agree accepts; an earlier one consents.
            actions.removeAll { $0 == (awaiting.count > 1 ? .accept : .consent) }
        }
        return actions
    }

    /// Sides whose agreement is still awaited.
    func awaitingSides(_ docking: Docking) -> [Docking.Side] {
        guard docking.state == .proposed else { return [] }
        var sides: [Docking.Side] = []
        if !docking.supplyConsented { sides.append(.supply) }
        if !docking.demandConsented { sides.append(.demand) }
        return sides
    }

    struct StepInput: Sendable {
        var comment: String?
        /// 签约: contract amount (万元).
        var amount: String?
        /// The day the stage was reached, default today.
        var date: String?
    }

    /// Performs a step. `accept` by a side whose agreement still leaves the other side's pending is
    /// recorded as `consent`.
    @discardableResult
    func perform(_ requested: DockingWorkflow.Action, on id: UUID, _ input: StepInput, actor: Actor) async throws -> Docking {
        let (docking, supply, demand) = try await visible(id, actor: actor)
        let state = docking.state
        let kinds = try await kinds(docking, supply: supply, demand: demand, actor: actor)
        var action = requested
        var consentingSide: Docking.Side?
        if action == .accept || action == .consent || action == .decline {
            let awaiting = awaitingSides(docking)
            let mine = awaiting.filter { kinds.contains($0 == .supply ? DockingWorkflow.supplySide : DockingWorkflow.demandSide) }
            guard let side = mine.first else {
                throw state == .proposed ? InnovationError.dockingAwaitsOtherSide : InnovationError.dockingNotAwaitingConsent
            }
            consentingSide = side
            if action != .decline { action = awaiting.count > 1 ? .consent : .accept }
        }
        let today = Day.today(now: services.clock())
        var day = today
        if let text = input.date?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let parsed = Day(text) else { throw PlatformError.invalidInput(field: "date", message: "日期格式应为 2026-11-23") }
            guard parsed <= today else { throw PlatformError.invalidInput(field: "date", message: "日期不能晚于今天") }
            guard parsed >= docking.proposedOn else {
                throw PlatformError.invalidInput(field: "date", message: "日期不能早于发起对接的日期 \(docking.proposedOn)")
            }
            day = parsed
        }
        var amount: Double?
        if action == .sign {
            guard let text = input.amount?.trimmingCharacters(in: .whitespaces), let value = Double(text), value >= 0, value < 10_000_000
            else { throw PlatformError.invalidInput(field: "amount", message: "请填写合同金额（万元，不小于 0）") }
            amount = value
        }
        var comment = input.comment?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        if action == .sign, let amount { comment = "合同金额 \(Self.amount(amount)) 万元" + (comment.map { "；\($0)" } ?? "") }
        let performed = action
        let stageDay = day
        let consenting = consentingSide
        let contractAmount = amount
        let stepComment = comment
        _ = try await runtime.perform(
            action, subject: id, in: state, actor: actor, kinds: kinds, comment: comment,
            context: WorkflowContext(now: services.clock()), services: services, on: db
        ) { tx, _ in
            guard let row = try await Docking.find(id, on: tx) else { return }
            if let consenting {
                if consenting == .supply { row.supplyConsented = true } else { row.demandConsented = true }
            }
            switch performed {
            case .accept: row.intentionOn = stageDay
            case .sign:
                row.signedOn = stageDay
                row.contractAmount = contractAmount
            case .land: row.landedOn = stageDay
            case .terminate, .decline: row.closedOn = stageDay
            default: break
            }
            if performed == .note, let stepComment {
                row.notes = String(((row.notes.isEmpty ? "" : row.notes + "\n") + "\(stageDay) \(stepComment)").suffix(8000))
            }
            try await row.update(on: tx)
        }
        let updated = try await Docking.find(id, on: db) ?? docking
        try await notifyParties(updated, supply: supply, demand: demand, action: performed, comment: comment, actor: actor)
        return updated
    }

    private func notifyParties(
        _ docking: Docking, supply: Posting, demand: Posting, action: DockingWorkflow.Action, comment: String?, actor: Actor
    ) async throws {
        let label = Self.definition.label(of: action)
        let stage = Self.definition.label(of: docking.state)
        for recipient in Set([supply.ownerUserID, demand.ownerUserID, docking.proposerID]) where recipient != actor.userID {
            try await services.registry.notify(
                PlatformNotification(
                    recipientUserID: recipient, title: "对接进展：\(supply.title) ↔ \(demand.title)",
                    body: "\(actor.displayName)：\(label)，当前阶段：\(stage)。\(comment.map { "说明：\($0)" } ?? "")",
                    link: InnovationRoutes.docking(try docking.requireID())), on: db)
        }
    }

    static func amount(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    /// Dockings the actor takes part in or supervises, newest first.
    func list(actor: Actor, state: DockingWorkflow.State?, limit: Int = 500) async throws -> [Docking] {
        let mine = try await PostingService.owned(by: actor, on: db).all().compactMap(\.id)
        var query = Docking.query(on: db)
        let isStaff = try await postings.actingIsAssociation(actor)
        let staffScope = actor.can(InnovationPermission.review) && isStaff ? actor.scope.rootPath : nil
        if let staffScope {
            let organizations = try await Organization.query(on: db).filter(\.$path =~ staffScope).all().compactMap(\.id)
            query = query.group(.or) { group in
                group.filter(\.$organizationID ~~ organizations)
                if !mine.isEmpty {
                    group.filter(\.$supplyID ~~ mine)
                    group.filter(\.$demandID ~~ mine)
                }
            }
        } else {
            guard !mine.isEmpty else { return [] }
            query = query.group(.or) { $0.filter(\.$supplyID ~~ mine).filter(\.$demandID ~~ mine) }
        }
        if let state { query = query.filter(\.$state == state) }
        return try await query.sort(\.$createdAt, .descending).limit(limit).all()
    }
}
