import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// What an application names: a person (themself, or chosen by staff), an organization, or an entry
/// with its authors; the discipline, the achievements reviewers read, and the channel asked to nominate.
struct ApplicationInput: Sendable {
    var personID: UUID?
    var candidateOrganizationID: UUID?
    var entryTitle: String?
    var authorIDs: [UUID] = []
    var field: String
    var summary: String
    var channelOrganizationID: UUID?
    /// The shared form's posted values, when the program has a form.
    var answers: [String: [String]] = [:]
    /// The application page asks the applicant to choose a channel; the API may leave it to a channel
    /// covering the candidate's organization.
    var requiresChannel = false
}

/// Applications: eligibility, applying, nominating within quota, the channel's ranking, formal check.
struct ApplicationService {
    let db: any Database
    let services: PlatformServices

    var today: Day { Day.today(now: services.clock()) }

    // MARK: Eligibility

    /// The rules a person fails for a program, in the rules' order (empty: eligible). Reads the person,
    /// the membership directory (only when the rules ask) and earlier awards of the same program.
    func eligibility(of person: Person, for program: AwardProgram) async throws -> [EligibilityFailure] {
        let rules = try program.rules()
        let personID = try person.requireID()
        var isMember = false
        if rules.membersOnly {
            isMember =
                try await services.registry.activeMembership(personID: personID, societyID: program.organizationID, on: today, db: db)
                != nil
        }
        let laureate =
            try await db.sql().raw(
                """
                SELECT COUNT(*) AS n FROM awards_applications a JOIN awards_programs p ON p.id = a.program_id
                WHERE a.person_id = \(bind: personID) AND a.status = 'awarded' AND p.name = \(bind: program.name)
                AND p.organization_id = \(bind: program.organizationID)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        let facts = EligibilityFacts(
            birthMonth: person.birthMonth.isEmpty ? nil : person.birthMonth, sex: Sex(rawValue: person.sex),
            degree: person.degree.flatMap(Degree.init(rawValue:)), titleLevel: person.titleLevel.flatMap(TitleLevel.init(rawValue:)),
            places: [person.province, person.city, person.county].compactMap { $0 }, isMember: isMember, isLaureate: laureate > 0)
        return Eligibility.check(rules, facts, referenceDay: program.referenceDay)
    }

    // MARK: Applying

    /// Applies to `program`: the candidate must be the actor's own person, or (with `awards.nominate` or
    /// `awards.manage`) a person or organization in the actor's subtree. Ineligible → 422 naming the
    /// rule's field; every problem of the input at once otherwise.
    func apply(_ program: AwardProgram, _ input: ApplicationInput, by actor: Actor) async throws -> AwardApplication {
        let programID = try program.requireID()
        guard program.stage == .open, program.applyOpensOn <= today, today <= program.applyClosesOn else {
            throw AwardsError.applicationsClosed
        }
        let candidate = try await candidate(for: program, input, by: actor)
        if let person = candidate.person {
            if let failure = try await eligibility(of: person, for: program).first { throw AwardsError.refusing(failure) }
            let earlier = try await AwardApplication.query(on: db).filter(\.$programID == programID)
                .filter(\.$personID == person.requireID()).count()
            if earlier > 0 { throw AwardsError.alreadyApplied }
        }
        var errors = FieldErrors()
        if input.summary.count < 20 || input.summary.count > 3000 { errors.add("summary", "主要成就与贡献请填写 20 至 3000 字") }
        if !input.field.isEmpty, input.field.count > 20 || !input.field.allSatisfy(\.isNumber) {
            errors.add("field", "学科代码为 GB/T 13745 的数字代码")
        }
        var channel: AwardChannel?
        if let channelOrg = input.channelOrganizationID {
            channel = try await AwardChannel.query(on: db).filter(\.$programID == programID).filter(\.$organizationID == channelOrg).first()
            if channel == nil { errors.add("channelOrganizationId", "该单位不是本项目的推荐渠道") }
        } else if input.requiresChannel, try await !channels(programID).isEmpty {
            errors.add("channelOrganizationId", "请选择推荐渠道")
        }
        if !errors.isEmpty { throw InvalidFields(errors, order: ["channelOrganizationId", "field", "summary"]) }

        let application = AwardApplication()
        application.id = UUID()
        application.programID = programID
        application.organizationID = candidate.organizationID
        application.personID = try candidate.person?.requireID()
        application.candidateOrganizationID = input.candidateOrganizationID
        application.authorIDs = input.authorIDs
        application.title = candidate.title
        application.field = input.field.isEmpty ? (candidate.person?.disciplineCode ?? "") : input.field
        application.summary = input.summary
        application.employer = candidate.employer
        application.status = .submitted
        application.channelID = try channel?.requireID()
        application.applicantUserID = actor.userID
        application.sex = candidate.person?.sex ?? ""
        application.region = candidate.person.map { $0.city ?? $0.province ?? "" } ?? ""
        application.appliedOn = today
        let formID = program.formID
        let answers = input.answers
        return try await services.writes.transaction(on: db) { tx in
            try await application.create(on: tx)
            if let formID {
                let txForms = FormService(db: tx, services: services)
                switch try await txForms.submit(
                    formID, answers, owner: FormOwner(module: AwardsModule.formOwner, id: application.id), submitter: actor.userID)
                {
                case .success(let submissionID):
                    application.submissionID = submissionID
                    try await application.update(on: tx)
                case .failure(let formErrors):
                    throw ApplicationFormRefused(errors: formErrors)
                }
            }
            return application
        }
    }

    struct Candidate {
        let person: Person?
        let organizationID: UUID
        let title: String
        let employer: String
    }

    /// Resolves who the application is for, and whether the actor may apply for them.
    private func candidate(for program: AwardProgram, _ input: ApplicationInput, by actor: Actor) async throws -> Candidate {
        let onBehalf = actor.can(AwardsPermission.nominate) || actor.can(AwardsPermission.manage)
        switch program.candidateKind {
        case .person:
            let person: Person?
            if let personID = input.personID {
                person = try await Person.find(personID, on: db)
                guard let person, person.anonymizedAt == nil else { throw PlatformError.notFound }
                let own = person.userID == actor.userID
                if !own {
                    guard onBehalf, try await actor.scope.organization(person.organizationID, on: db) != nil else {
                        throw PlatformError.notFound
                    }
                }
            } else {
                person = try await Person.query(on: db).filter(\.$userID == actor.userID).filter(\.$anonymizedAt == nil).first()
                guard person != nil else { throw PlatformError.invalidInput(field: "personId", message: "请先在“我的资料”中完善个人信息后再申报") }
            }
            guard let person else { throw PlatformError.notFound }
            return Candidate(person: person, organizationID: person.organizationID, title: person.name, employer: person.employer ?? "")
        case .organization:
            guard onBehalf, let orgID = input.candidateOrganizationID,
                let org = try await actor.scope.organization(orgID, on: db)
            else { throw PlatformError.invalidInput(field: "candidateOrganizationId", message: "请选择本单位或下级组织作为申报单位") }
            return Candidate(person: nil, organizationID: try org.requireID(), title: org.name, employer: org.name)
        case .entry:
            let title = (input.entryTitle ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard (2...100).contains(title.count) else { throw PlatformError.invalidInput(field: "entryTitle", message: "作品名称为 2 至 100 字") }
            let own = try await ownPerson(actor)
            guard let orgID = actor.actingOrganizationID ?? own?.organizationID else { throw PlatformError.forbidden }
            return Candidate(person: nil, organizationID: orgID, title: title, employer: "")
        }
    }

    private func ownPerson(_ actor: Actor) async throws -> Person? {
        try await Person.query(on: db).filter(\.$userID == actor.userID).first()
    }

    func channels(_ programID: UUID) async throws -> [AwardChannel] {
        try await AwardChannel.query(on: db).filter(\.$programID == programID).all()
    }

    // MARK: Nominating

    /// A channel's staff nominate an application that named their channel, within the channel's quota
    /// (409 over it) and before the nomination deadline. The quota is counted under a lock on the
    /// channel's row (PostgreSQL) or the writer lock (SQLite), so concurrent nominations cannot exceed it.
    func nominate(applicationID: UUID, channelOrganizationID: UUID, referees: [String], by actor: Actor) async throws -> AwardNomination {
        try actor.require(AwardsPermission.nominate)
        guard let application = try await AwardApplication.find(applicationID, on: db) else { throw PlatformError.notFound }
        let program = try await ProgramService(db: db, services: services).program(application.programID)
        guard
            let channel = try await AwardChannel.query(on: db).filter(\.$programID == application.programID)
                .filter(\.$organizationID == channelOrganizationID).first()
        else { throw AwardsError.notAChannel }
        guard try await actor.scope.organization(channel.organizationID, on: db) != nil else { throw PlatformError.notFound }
        if let chosen = application.channelID {
            guard chosen == channel.id else { throw PlatformError.notFound }
        } else {
            // No channel chosen: a channel whose subtree holds the candidate's organization may nominate.
            guard let channelOrg = try await Organization.find(channel.organizationID, on: db),
                let candidateOrg = try await Organization.find(application.organizationID, on: db),
                candidateOrg.path.hasPrefix(channelOrg.path)
            else { throw PlatformError.notFound }
        }
        guard program.stage == .open, today <= program.nominateClosesOn else {
            throw AwardsError.stageClosed("推荐截止日期（\(program.nominateClosesOn)）已过")
        }
        let names = referees.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if channel.kind == .experts, names.count < 3 || names.contains(where: { $0.count > 30 }) { throw AwardsError.refereesRequired }
        let channelID = try channel.requireID()
        let quota = channel.quota
        let nomination = AwardNomination()
        return try await services.writes.transaction(on: db) { tx in
            if services.configuration.database.isPostgres {
                _ = try await tx.sql().raw("SELECT id FROM awards_channels WHERE id = \(bind: channelID) FOR UPDATE").all()
            }
            guard let fresh = try await AwardApplication.find(applicationID, on: tx) else { throw PlatformError.notFound }
            if try await AwardNomination.query(on: tx).filter(\.$applicationID == applicationID).count() > 0 {
                throw AwardsError.alreadyNominated
            }
            guard fresh.status == .submitted else { throw AwardsError.stageClosed("只有待推荐的申报可以推荐") }
            let used = try await AwardNomination.query(on: tx).filter(\.$channelID == channelID).count()
            guard used < quota else { throw AwardsError.quotaExceeded(quota: quota) }
            nomination.applicationID = applicationID
            nomination.channelID = channelID
            nomination.rank = used + 1
            nomination.referees = names
            nomination.nominatedBy = actor.userID
            nomination.nominatedOn = today
            try await nomination.create(on: tx)
            fresh.status = .nominated
            fresh.channelID = channelID
            try await fresh.update(on: tx)
            return nomination
        }
    }

    /// Moves a nominee one place up in its channel's ranking (swapping with the one above).
    func moveUp(nominationID: UUID, by actor: Actor) async throws {
        try actor.require(AwardsPermission.nominate)
        guard let nomination = try await AwardNomination.find(nominationID, on: db),
            let channel = try await AwardChannel.find(nomination.channelID, on: db),
            try await actor.scope.organization(channel.organizationID, on: db) != nil
        else { throw PlatformError.notFound }
        guard nomination.rank > 1 else { return }
        try await services.writes.transaction(on: db) { tx in
            guard
                let above = try await AwardNomination.query(on: tx).filter(\.$channelID == nomination.channelID)
                    .filter(\.$rank == nomination.rank - 1).first()
            else { return }
            above.rank += 1
            nomination.rank -= 1
            try await above.update(on: tx)
            try await nomination.update(on: tx)
        }
    }

    // MARK: Formal check (形式审查)

    enum CheckDecision: String, Sendable, CaseIterable {
        case pass, `return`, reject
    }

    /// Staff of the program's subtree pass, return (with what to fix) or reject a nominated application
    /// (or a submitted one, in a program without channels), up to the check deadline.
    func check(applicationID: UUID, decision: CheckDecision, note: String, by actor: Actor) async throws {
        guard let application = try await AwardApplication.find(applicationID, on: db) else { throw PlatformError.notFound }
        let program = try await ProgramService(db: db, services: services).managed(application.programID, by: actor)
        guard program.stage == .open || program.stage == .checking, today <= program.checkClosesOn else {
            throw AwardsError.stageClosed("形式审查截止日期（\(program.checkClosesOn)）已过")
        }
        let hasChannels = try await !channels(try program.requireID()).isEmpty
        let checkable: Set<AwardApplication.Status> = hasChannels ? [.nominated] : [.submitted]
        guard checkable.contains(application.status) else { throw AwardsError.stageClosed("该申报当前为“\(application.status.label)”，不能进行形式审查") }
        let trimmed = note.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision != .pass, !(2...500).contains(trimmed.count) {
            throw PlatformError.invalidInput(
                field: "note", message: decision == .return ? "请写明需要修改或补充的内容（2 至 500 字）" : "请写明未通过的原因（2 至 500 字）")
        }
        switch decision {
        case .pass: application.status = .passed
        case .return: application.status = .returned
        case .reject: application.status = .rejected
        }
        application.returnNote = decision == .pass ? nil : trimmed
        application.checkedBy = actor.userID
        try await services.writes.transaction(on: db) { tx in try await application.update(on: tx) }
    }

    /// The applicant fixes a returned application (its summary) and sends it back to formal check.
    func resubmit(applicationID: UUID, summary: String, by actor: Actor) async throws {
        guard let application = try await AwardApplication.find(applicationID, on: db), application.applicantUserID == actor.userID
        else { throw PlatformError.notFound }
        guard application.status == .returned else { throw AwardsError.stageClosed("只有退回修改的申报可以重新提交") }
        let program = try await ProgramService(db: db, services: services).program(application.programID)
        guard today <= program.checkClosesOn else { throw AwardsError.stageClosed("形式审查截止日期（\(program.checkClosesOn)）已过") }
        guard (20...3000).contains(summary.count) else {
            throw PlatformError.invalidInput(field: "summary", message: "主要成就与贡献请填写 20 至 3000 字")
        }
        // Only checked applications are returned: nominated ones in a program with channels.
        let hasChannels = try await !channels(application.programID).isEmpty
        application.summary = summary
        application.status = hasChannels ? .nominated : .submitted
        try await services.writes.transaction(on: db) { tx in try await application.update(on: tx) }
    }
}

/// The program's shared form refused the answers: every field's error, for the page to show beside
/// each field (and the API as one 422).
struct ApplicationFormRefused: Error {
    let errors: FormErrors
}
