import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// One row of a program list, read as plain columns in one statement with its application count.
struct ProgramListing: Sendable {
    let id: UUID
    let name: String
    let year: Int
    let kind: AwardProgram.Kind
    let stage: AwardProgram.Stage
    let organization: String
    let opens: String
    let closes: String
    let applications: Int

    var link: String { AwardsRoutes.program(id) }
    var manageLink: String { AwardsRoutes.manageProgram(id) }

    /// `scope` nil: the public list (every program but drafts); otherwise the programs of the subtree.
    static func page(_ params: ListParameters, scope: Scope?, limit: Int? = nil, on db: any Database) async throws -> PagedSelect.Page {
        var condition: SQLQueryString = scope.map { $0.contains(column: "p.organization_id") } ?? "p.stage <> 'draft'"
        if let year = params["year"].flatMap(Int.init), (2000...2100).contains(year) {
            condition = condition + " AND p.year = \(bind: year)"
        }
        if let kind = params["kind"].flatMap(AwardProgram.Kind.init(rawValue:)) {
            condition = condition + " AND p.kind = \(bind: kind.rawValue)"
        }
        if let stage = params["stage"].flatMap(AwardProgram.Stage.init(rawValue:)) {
            condition = condition + " AND p.stage = \(bind: stage.rawValue)"
        }
        if let q = params.search { condition = condition + " AND " + SearchPattern.like("p.name", q) }
        let order: String
        switch params["sort"] {
        case "name": order = "p.name, p.id"
        case "closes": order = "p.apply_closes_on DESC, p.id"
        default: order = "p.year DESC, p.apply_closes_on DESC, p.id"
        }
        return try await PagedSelect(
            columns: """
                p.id, p.name, p.year, p.kind, p.stage, o.name AS organization, p.apply_opens_on, p.apply_closes_on,
                (SELECT COUNT(*) FROM awards_applications a WHERE a.program_id = p.id) AS applications
                """,
            from: "awards_programs p JOIN platform_organizations o ON o.id = p.organization_id", where: condition, order: order,
            limit: limit ?? params.pageSize, offset: limit == nil ? params.offset : 0
        ).run(on: db)
    }
}

extension PagedSelect.Page {
    var programs: [ProgramListing] {
        get throws {
            try rows.map { row in
                ProgramListing(
                    id: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                    year: try row.decode(column: "year", as: Int.self),
                    kind: AwardProgram.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .award,
                    stage: AwardProgram.Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .draft,
                    organization: try row.decode(column: "organization", as: String.self),
                    opens: try row.decode(column: "apply_opens_on", as: String.self),
                    closes: try row.decode(column: "apply_closes_on", as: String.self),
                    applications: try row.decode(column: "applications", as: Int.self))
            }
        }
    }
}

/// One row of a program's applications, with its channel and the channel's ranking, in one statement.
struct ApplicationListing: Sendable {
    let id: UUID
    let title: String
    let employer: String
    let field: String
    let status: AwardApplication.Status
    let channel: String?
    let channelRank: Int?
    let score: Double?
    let rank: Int?
    let appliedOn: String

    var link: String { AwardsRoutes.application(id) }

    static func page(_ programID: UUID, _ params: ListParameters, limit: Int? = nil, on db: any Database) async throws -> (
        total: Int, rows: [ApplicationListing]
    ) {
        var condition: SQLQueryString = "a.program_id = \(bind: programID)"
        if let status = params["status"].flatMap(AwardApplication.Status.init(rawValue:)) {
            condition = condition + " AND a.status = \(bind: status.rawValue)"
        }
        if let channel = params["channel"].flatMap(UUID.init(uuidString:)) {
            condition = condition + " AND a.channel_id = \(bind: channel)"
        }
        if let q = params.search {
            condition = condition + " AND (" + SearchPattern.like("a.title", q) + " OR " + SearchPattern.like("a.employer", q) + ")"
        }
        let order: String
        switch params["sort"] {
        case "rank": order = "CASE WHEN a.rank IS NULL THEN 1 ELSE 0 END, a.rank, a.title, a.id"
        case "applied": order = "a.applied_on DESC, a.id"
        case "channel": order = "o.name, n.rank, a.id"
        default: order = "a.title, a.id"
        }
        let page = try await PagedSelect(
            columns: """
                a.id, a.title, a.employer, a.field, a.status, a.score, a.rank, a.applied_on, o.name AS channel, n.rank AS channel_rank
                """,
            from: """
                awards_applications a LEFT JOIN awards_channels c ON c.id = a.channel_id
                LEFT JOIN platform_organizations o ON o.id = c.organization_id LEFT JOIN awards_nominations n ON n.application_id = a.id
                """,
            where: condition, order: order, limit: limit ?? params.pageSize, offset: limit == nil ? params.offset : 0
        ).run(on: db)
        let rows = try page.rows.map { row in
            ApplicationListing(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                employer: try row.decode(column: "employer", as: String.self), field: try row.decode(column: "field", as: String.self),
                status: AwardApplication.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .submitted,
                channel: try row.decode(column: "channel", as: String?.self),
                channelRank: try row.decode(column: "channel_rank", as: Int?.self),
                score: try row.decode(column: "score", as: Double?.self), rank: try row.decode(column: "rank", as: Int?.self),
                appliedOn: try row.decode(column: "applied_on", as: String.self))
        }
        return (page.total, rows)
    }
}

/// The filters of a program list, as the page shows them.
struct ProgramFilters: Sendable {
    let years: [SelectOption]
    let kinds: [SelectOption]
    let stages: [SelectOption]
    let sorts: [SelectOption]

    init(_ params: ListParameters) {
        let year = params["year"] ?? ""
        years =
            [SelectOption(value: "", label: "全部年度", selected: year.isEmpty)]
            + (2024...2027).reversed().map { SelectOption(value: String($0), label: "\($0) 年", selected: year == String($0)) }
        kinds =
            [SelectOption(value: "", label: "全部类别", selected: (params["kind"] ?? "").isEmpty)]
            + AwardProgram.Kind.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: params["kind"] == $0.rawValue) }
        stages =
            [SelectOption(value: "", label: "全部阶段", selected: (params["stage"] ?? "").isEmpty)]
            + AwardProgram.Stage.allCases.filter { $0 != .draft }.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: params["stage"] == $0.rawValue)
            }
        let sort = params["sort"] ?? "year"
        sorts = [("year", "年度"), ("closes", "申报截止"), ("name", "名称")].map { SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0) }
    }
}

/// The filters of a program's application list.
struct ApplicationFilters: Sendable {
    let statuses: [SelectOption]
    let channels: [SelectOption]
    let sorts: [SelectOption]

    init(_ params: ListParameters, channels: [ProgramAdminSummary.ChannelUse]) {
        statuses =
            [SelectOption(value: "", label: "全部状态", selected: (params["status"] ?? "").isEmpty)]
            + AwardApplication.Status.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: params["status"] == $0.rawValue)
            }
        self.channels =
            [SelectOption(value: "", label: "全部推荐单位", selected: (params["channel"] ?? "").isEmpty)]
            + channels.map {
                SelectOption(value: $0.id.uuidString, label: $0.organization, selected: params["channel"] == $0.id.uuidString)
            }
        let sort = params["sort"] ?? "title"
        sorts = [("title", "姓名/名称"), ("rank", "评审名次"), ("channel", "推荐单位"), ("applied", "申报日期")].map {
            SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0)
        }
    }
}

/// What every program page states about a program, formatted.
struct ProgramFacts: Sendable {
    let id: UUID
    let name: String
    let year: Int
    let kind: String
    let candidateKind: String
    let stage: AwardProgram.Stage
    let dates: [(String, String)]
    let laureateCount: Int
    let reviewRoundID: UUID?
    let publicityID: UUID?

    init(_ program: AwardProgram) {
        id = program.id ?? UUID()
        name = program.name
        year = program.year
        kind = program.kind.label
        candidateKind = program.candidateKind.label
        stage = program.stage
        dates = [
            ("申报时间", "\(program.applyOpensOn) 至 \(program.applyClosesOn)"), ("推荐截止", program.nominateClosesOn.description),
            ("形式审查截止", program.checkClosesOn.description), ("评审截止", program.reviewClosesOn.description),
            ("公示期", "\(program.publicityDays) 个工作日"),
        ]
        laureateCount = program.laureateCount
        reviewRoundID = program.reviewRoundID
        publicityID = program.publicityID
    }
}

/// The public program page's model.
struct ProgramPageModel: Sendable {
    struct Channel: Sendable {
        let organization: String
        let kind: String
        let quota: Int
        let used: Int
    }
    struct Laureate: Sendable {
        let title: String
        let employer: String
        let certificate: String?
        let status: AwardApplication.Status
    }
    let facts: ProgramFacts
    let organization: String
    let summary: String
    let rules: [String]
    let attachments: [String]
    let channels: [Channel]
    let laureates: [Laureate]
    /// Where the visitor applies, or logs in first; nil when applications are closed.
    let applyLink: String?
    let applyLabel: String
    let manageLink: String?
    let myApplication: String?
}

struct ProgramPageLoader {
    let db: any Database
    let today: Day

    func load(_ program: AwardProgram, actor: Actor?, manages: Bool) async throws -> ProgramPageModel {
        let programID = try program.requireID()
        let channels = try await AwardChannel.query(on: db).filter(\.$programID == programID)
            .join(Organization.self, on: \AwardChannel.$organizationID == \Organization.$id).sort(Organization.self, \.$name).all()
        let used = try await NominationCounts.byChannel(try channels.map { try $0.requireID() }, on: db)
        let organization = try await Organization.find(program.organizationID, on: db)?.name ?? ""
        var laureates: [ProgramPageModel.Laureate] = []
        if program.stage == .announced {
            laureates = try await AwardApplication.query(on: db).filter(\.$programID == programID)
                .filter(\.$status ~~ [.awarded, .withdrawn]).sort(\.$status).sort(\.$rank).sort(\.$title).all().map {
                    .init(
                        title: $0.title, employer: $0.employer, certificate: $0.certificateCode.map { AwardsRoutes.certificate($0) },
                        status: $0.status)
                }
        }
        let open = program.stage == .open && program.applyOpensOn <= today && today <= program.applyClosesOn
        var mine: String?
        if let actor {
            mine = try await AwardApplication.query(on: db).filter(\.$programID == programID).filter(\.$applicantUserID == actor.userID)
                .first().map { AwardsRoutes.application(try $0.requireID()) }
        }
        let applyLink: String? =
            open && mine == nil
            ? (actor == nil ? PlatformRoutes.login(query: ["next": AwardsRoutes.apply(programID)]) : AwardsRoutes.apply(programID)) : nil
        return ProgramPageModel(
            facts: ProgramFacts(program), organization: organization, summary: program.summary, rules: try program.rules().descriptions,
            attachments: program.attachments,
            channels: try channels.map {
                .init(
                    organization: try $0.joined(Organization.self).name, kind: $0.kind.label, quota: $0.quota,
                    used: used[try $0.requireID()] ?? 0)
            }, laureates: laureates, applyLink: applyLink, applyLabel: actor == nil ? "登录后申报" : "我要申报",
            manageLink: manages ? AwardsRoutes.manageProgram(programID) : nil, myApplication: mine)
    }
}

/// The administration page's figures: applications by status and each channel's quota use.
struct ProgramAdminSummary: Sendable {
    struct ChannelUse: Sendable {
        let id: UUID
        let organization: String
        let kind: String
        let quota: Int
        let used: Int
    }
    let byStatus: [(AwardApplication.Status, Int)]
    let channels: [ChannelUse]
}

struct ProgramAdminLoader {
    let db: any Database

    func load(_ program: AwardProgram) async throws -> ProgramAdminSummary {
        let programID = try program.requireID()
        let counts = try await db.sql().raw(
            "SELECT status, COUNT(*) AS n FROM awards_applications WHERE program_id = \(bind: programID) GROUP BY status"
        ).all()
        var byStatus: [AwardApplication.Status: Int] = [:]
        for row in counts {
            if let status = AwardApplication.Status(rawValue: try row.decode(column: "status", as: String.self)) {
                byStatus[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        let channels = try await db.sql().raw(
            """
            SELECT c.id, c.kind, c.quota, o.name, (SELECT COUNT(*) FROM awards_nominations n WHERE n.channel_id = c.id) AS used
            FROM awards_channels c JOIN platform_organizations o ON o.id = c.organization_id
            WHERE c.program_id = \(bind: programID) ORDER BY o.name
            """
        ).all()
        return ProgramAdminSummary(
            byStatus: AwardApplication.Status.allCases.map { ($0, byStatus[$0] ?? 0) },
            channels: try channels.map { row in
                .init(
                    id: try row.decode(column: "id", as: UUID.self), organization: try row.decode(column: "name", as: String.self),
                    kind: AwardChannel.Kind(rawValue: try row.decode(column: "kind", as: String.self))?.label ?? "",
                    quota: try row.decode(column: "quota", as: Int.self), used: try row.decode(column: "used", as: Int.self))
            })
    }
}
