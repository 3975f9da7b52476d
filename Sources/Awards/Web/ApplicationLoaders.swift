import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// The apply page's model: who applies, whether they are eligible (each rule explained before they
/// write anything), the channels to choose from and the program's form.
struct ApplyPageModel: Sendable {
    struct Rule: Sendable {
        let field: String
        let message: String
    }
    let programID: UUID
    let programName: String
    let candidateKind: AwardProgram.CandidateKind
    let open: Bool
    let candidateName: String?
    let defaultField: String
    /// The rules the actor's own person fails (empty: eligible).
    let failures: [Rule]
    let rules: [String]
    let channels: [(UUID, String)]
    let form: FormDefinition?
    let existing: UUID?
}

struct ApplyPageLoader {
    let db: any Database
    let services: PlatformServices

    func load(_ program: AwardProgram, actor: Actor) async throws -> ApplyPageModel {
        let programID = try program.requireID()
        let today = Day.today(now: services.clock())
        let person = try await Person.query(on: db).filter(\.$userID == actor.userID).filter(\.$anonymizedAt == nil).first()
        var failures: [ApplyPageModel.Rule] = []
        if program.candidateKind == .person, let person {
            failures = try await ApplicationService(db: db, services: services).eligibility(of: person, for: program).map {
                .init(field: $0.rule.field, message: $0.message)
            }
        }
        let channels = try await AwardChannel.query(on: db).filter(\.$programID == programID)
            .join(Organization.self, on: \AwardChannel.$organizationID == \Organization.$id).sort(Organization.self, \.$name).all()
            .map { (($0.organizationID), "\(try $0.joined(Organization.self).name)（\($0.kind.label)）") }
        var form: FormDefinition?
        if let formID = program.formID, let record = try await PlatformForm.find(formID, on: db) {
            form = try await FormService(db: db, services: services).publishedVersion(record).definition()
        }
        let existing = try await AwardApplication.query(on: db).filter(\.$programID == programID).filter(\.$applicantUserID == actor.userID)
            .first()?.requireID()
        return ApplyPageModel(
            programID: programID, programName: program.name, candidateKind: program.candidateKind,
            open: program.stage == .open && program.applyOpensOn <= today && today <= program.applyClosesOn,
            candidateName: person?.name, defaultField: person?.disciplineCode ?? "", failures: failures,
            rules: try program.rules().descriptions,
            channels: channels, form: form, existing: existing)
    }
}

/// One application as its applicant, its channel's staff and the program's managers see it.
struct ApplicationPageModel: Sendable {
    let id: UUID
    let title: String
    let programID: UUID
    let programName: String
    let employer: String
    let field: String
    let summary: String
    let status: AwardApplication.Status
    let returnNote: String?
    let channel: String?
    let channelRank: Int?
    let referees: [String]
    let score: Double?
    let rank: Int?
    let certificate: String?
    let answers: [(String, String)]
    /// Channels the actor may nominate this application for: (organization id, name).
    let nominateChannels: [(UUID, String)]
    let channelIsExperts: Bool
    let mayCheck: Bool
    let mayResubmit: Bool
    let supportYears: Int
    let support: [AwardSupportYear]
    let mayRecordSupport: Bool
    let requiredMaterials: [String]
    let materials: [StoredFileInfo]
    let mayAddMaterials: Bool
}

struct ApplicationPageLoader {
    let db: any Database
    let services: PlatformServices

    /// The applicant, staff of a channel that may nominate it, and managers of the program's subtree
    /// see it; anyone else gets 404.
    func load(_ id: UUID, actor: Actor) async throws -> ApplicationPageModel {
        guard let application = try await AwardApplication.find(id, on: db) else { throw PlatformError.notFound }
        let program = try await ProgramService(db: db, services: services).program(application.programID)
        let programID = try program.requireID()
        let inScope = try await actor.scope.organization(program.organizationID, on: db) != nil
        let manages = actor.can(AwardsPermission.manage) && inScope
        let channels = try await AwardChannel.query(on: db).filter(\.$programID == programID)
            .join(Organization.self, on: \AwardChannel.$organizationID == \Organization.$id).all()
        var nominating: [(UUID, String)] = []
        var expertsChannel = false
        if actor.can(AwardsPermission.nominate), let rootPath = actor.acting?.organizationPath {
            let candidateOrg = try await Organization.find(application.organizationID, on: db)
            for channel in channels {
                let org = try channel.joined(Organization.self)
                guard org.path.hasPrefix(rootPath) else { continue }
                let mayNominate =
                    application.channelID.map { $0 == channel.id } ?? (candidateOrg.map { $0.path.hasPrefix(org.path) } ?? false)
                if mayNominate {
                    nominating.append((channel.organizationID, org.name))
                    if channel.kind == .experts { expertsChannel = true }
                }
            }
        }
        let own = application.applicantUserID == actor.userID
        guard own || manages || !nominating.isEmpty else { throw PlatformError.notFound }
        let nomination = try await AwardNomination.query(on: db).filter(\.$applicationID == id).first()
        let channel = channels.first { $0.id == application.channelID }
        var answers: [(String, String)] = []
        if let formID = program.formID, application.submissionID != nil {
            let forms = FormService(db: db, services: services)
            if let record = try await forms.answers(owner: FormOwner(module: AwardsModule.formOwner, id: id)).first,
                let form = try await PlatformForm.find(formID, on: db)
            {
                let definition = try await forms.publishedVersion(form).definition()
                answers = definition.fields.compactMap { field in
                    record.answers[field.key].map { (field.label, $0.rawValues.joined(separator: "、")) }
                }
            }
        }
        let support = try await AwardSupportYear.query(on: db).filter(\.$applicationID == id).sort(\.$yearIndex).all()
        return ApplicationPageModel(
            id: id, title: application.title, programID: programID, programName: program.name, employer: application.employer,
            field: application.field, summary: application.summary, status: application.status, returnNote: application.returnNote,
            channel: try channel?.joined(Organization.self).name, channelRank: nomination?.rank, referees: nomination?.referees ?? [],
            score: manages ? application.score : nil, rank: manages || application.status == .awarded ? application.rank : nil,
            certificate: application.certificateCode.map { AwardsRoutes.certificate($0) }, answers: answers,
            nominateChannels: application.status == .submitted ? nominating : [], channelIsExperts: expertsChannel,
            mayCheck: manages && [.nominated, .submitted].contains(application.status),
            mayResubmit: own && application.status == .returned, supportYears: program.supportYears, support: support,
            mayRecordSupport: application.status == .awarded && program.supportYears > 0 && (manages || own),
            requiredMaterials: program.attachments, materials: try await MaterialsService(db: db, services: services).list(id),
            mayAddMaterials: own && [.submitted, .nominated, .returned].contains(application.status))
    }
}

/// 托举工程: the awardee's support years — staff record the funding, the awardee writes the yearly report.
struct SupportService {
    let db: any Database
    let services: PlatformServices

    func record(applicationID: UUID, yearIndex: Int, funding: String, report: String, by actor: Actor) async throws {
        guard let application = try await AwardApplication.find(applicationID, on: db) else { throw PlatformError.notFound }
        let program = try await ProgramService(db: db, services: services).program(application.programID)
        let inScope = try await actor.scope.organization(program.organizationID, on: db) != nil
        let manages = actor.can(AwardsPermission.manage) && inScope
        let own = application.applicantUserID == actor.userID
        guard manages || own else { throw PlatformError.notFound }
        guard application.status == .awarded, program.supportYears > 0 else { throw AwardsError.stageClosed("只有入选托举项目的人员有托举年度记录") }
        guard (1...program.supportYears).contains(yearIndex) else {
            throw PlatformError.invalidInput(field: "yearIndex", message: "托举年度为第 1 至 \(program.supportYears) 年")
        }
        let existing = try await AwardSupportYear.query(on: db).filter(\.$applicationID == applicationID).filter(\.$yearIndex == yearIndex)
            .first()
        let record = existing ?? AwardSupportYear()
        if existing == nil {
            record.applicationID = applicationID
            record.yearIndex = yearIndex
            record.fundingYuan = 0
            record.report = ""
        }
        if manages, !funding.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let yuan = Int(funding.trimmingCharacters(in: .whitespaces)), (0...10_000_000).contains(yuan) else {
                throw PlatformError.invalidInput(field: "funding", message: "资助金额为 0 至 10000000 元的整数")
            }
            record.fundingYuan = yuan
        }
        let text = report.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty {
            guard own || manages, (10...3000).contains(text.count) else {
                throw PlatformError.invalidInput(field: "report", message: "年度报告为 10 至 3000 字")
            }
            record.report = text
            record.reportedOn = Day.today(now: services.clock())
        }
        record.recordedBy = actor.userID
        try await services.writes.transaction(on: db) { tx in try await record.save(on: tx) }
    }
}

/// One row of 推荐工作: an application a channel of the actor's subtree may nominate or has nominated.
struct ChannelWorkListing: Sendable {
    let applicationID: UUID
    let nominationID: UUID?
    let program: String
    let title: String
    let employer: String
    let channel: String
    let rank: Int?
    let status: AwardApplication.Status

    static func page(_ scope: Scope, _ params: ListParameters, limit: Int? = nil, on db: any Database) async throws -> (
        total: Int, rows: [ChannelWorkListing]
    ) {
        var condition: SQLQueryString = scope.contains(column: "c.organization_id") + " AND a.status IN ('submitted', 'nominated')"
        if let status = params["status"], ["submitted", "nominated"].contains(status) {
            condition = condition + " AND a.status = \(bind: status)"
        }
        if let q = params.search { condition = condition + " AND " + SearchPattern.like("a.title", q) }
        let page = try await PagedSelect(
            columns: "a.id, n.id AS nomination_id, p.name AS program, a.title, a.employer, o.name AS channel, n.rank, a.status",
            from: """
                awards_applications a JOIN awards_channels c ON c.id = a.channel_id JOIN awards_programs p ON p.id = a.program_id
                JOIN platform_organizations o ON o.id = c.organization_id LEFT JOIN awards_nominations n ON n.application_id = a.id
                """,
            where: condition, order: "p.name, o.name, CASE WHEN n.rank IS NULL THEN 1 ELSE 0 END, n.rank, a.title, a.id",
            limit: limit ?? params.pageSize, offset: limit == nil ? params.offset : 0
        ).run(on: db)
        return (
            page.total,
            try page.rows.map { row in
                ChannelWorkListing(
                    applicationID: try row.decode(column: "id", as: UUID.self),
                    nominationID: try row.decode(column: "nomination_id", as: UUID?.self),
                    program: try row.decode(column: "program", as: String.self), title: try row.decode(column: "title", as: String.self),
                    employer: try row.decode(column: "employer", as: String.self),
                    channel: try row.decode(column: "channel", as: String.self),
                    rank: try row.decode(column: "rank", as: Int?.self),
                    status: AwardApplication.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted)
            }
        )
    }
}
