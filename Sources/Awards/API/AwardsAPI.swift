import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Vapor

/// `/api/v1/award-programs`, applications, nominations and formal check, for bearer tokens. The same
/// services as the pages, so the same refusals: 422 naming the field, 409 over quota, 404 outside scope.
struct AwardsAPI: Sendable {
    static let bodyLimit = 64 * 1024

    func register(api: any RoutesBuilder) {
        api.get(AwardsRoutes.apiPrograms, use: list)
        api.on(.POST, AwardsRoutes.apiPrograms, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: create)
            .limitBody(Self.bodyLimit)
        api.get(AwardsRoutes.apiProgram, use: show)
        api.get(AwardsRoutes.apiApplications, use: applications)
        api.on(.POST, AwardsRoutes.apiApplications, body: .collect(maxSize: ByteCount(value: Self.bodyLimit)), use: apply)
            .limitBody(Self.bodyLimit)
        api.on(.POST, AwardsRoutes.apiNominations, body: .collect(maxSize: ByteCount(value: BodyLimits.small)), use: nominate)
            .limitBody(BodyLimits.small)
        api.on(.POST, AwardsRoutes.apiCheck, body: .collect(maxSize: ByteCount(value: BodyLimits.small)), use: check)
            .limitBody(BodyLimits.small)
    }

    struct ProgramDTO: Content {
        let id: UUID
        let name: String
        let year: Int
        let kind: String
        let candidateKind: String
        let stage: String
        let organizationId: UUID
        let maxAge: Int?
        let ageReferenceDate: String?
        let applyOpensOn: String
        let applyClosesOn: String
        let laureateCount: Int
        let channels: [ChannelDTO]
    }

    struct ChannelDTO: Content {
        let organizationId: UUID
        let kind: String
        let quota: Int
        let used: Int
    }

    struct Created: Content { let id: UUID }

    /// `?page=` (from 1) and `?per=` (1–200, default 50), refused by name when out of range.
    static func paging(_ req: Request) throws -> Range<Int> {
        func number(_ key: String, _ fallback: Int) -> Int? {
            guard let raw = req.query[String.self, at: key] else { return fallback }
            return Int(raw)
        }
        let page = number("page", 1) ?? 0
        let per = number("per", 50) ?? 0
        guard (1...10_000).contains(page) else { throw PlatformError.invalidInput(field: "page", message: "页码应在 1 至 10000 之间") }
        guard (1...200).contains(per) else { throw PlatformError.invalidInput(field: "per", message: "每页条数应在 1 至 200 之间") }
        return ((page - 1) * per)..<(page * per)
    }

    /// Programs of the caller's subtree, newest year first (`?year=`, `?page=`, `?per=`).
    func list(_ req: Request) async throws -> [ProgramDTO] {
        let actor = try req.actor
        let range = try Self.paging(req)
        var query = actor.scope.query(AwardProgram.self, on: req.db)
        if let raw = req.query[String.self, at: "year"] {
            guard let year = Int(raw), (2000...2100).contains(year) else {
                throw PlatformError.invalidInput(field: "year", message: "年度应在 2000 至 2100 之间")
            }
            query = query.filter(\.$year == year)
        }
        let programs = try await query.sort(\.$year, .descending).sort(\.$name).sort(\.$id).range(range).all()
        return try await dtos(programs, on: req.db)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(AwardsPermission.manage)
        let body = try req.jsonBody(ProgramInput.self, limit: Self.bodyLimit)
        let draft = try body.draft(today: Day.today(now: req.platform.clock()))
        let id = try await ProgramService(db: req.db, services: req.platform).create(draft, by: actor)
        return try await Created(id: id).encodeResponse(status: .created, for: req)
    }

    func show(_ req: Request) async throws -> ProgramDTO {
        _ = try req.actor
        let program = try await ProgramService(db: req.db, services: req.platform).program(try req.uuidParameter())
        guard let dto = try await dtos([program], on: req.db).first else { throw PlatformError.notFound }
        return dto
    }

    struct ApplicationDTO: Content {
        let id: UUID
        let status: String
        let title: String
        let channelOrganizationId: UUID?
        let rank: Int?
        let score: Double?
    }

    /// The program's applications for its managers (`?status=`, `?page=`, `?per=`).
    func applications(_ req: Request) async throws -> [ApplicationDTO] {
        let actor = try req.actor
        let program = try await ProgramService(db: req.db, services: req.platform).managed(try req.uuidParameter(), by: actor)
        let range = try Self.paging(req)
        let programID = try program.requireID()
        var query = AwardApplication.query(on: req.db).filter(\.$programID == programID)
        if let raw = try? req.query.get(String.self, at: "status") {
            guard let status = AwardApplication.Status(rawValue: raw) else {
                throw PlatformError.invalidInput(field: "status", message: "未知的状态")
            }
            query = query.filter(\.$status == status)
        }
        let rows = try await query.sort(\.$title).sort(\.$id).range(range).all()
        let channels = Dictionary(
            uniqueKeysWithValues: try await AwardChannel.query(on: req.db).filter(\.$programID == programID).all()
                .map { (try $0.requireID(), $0.organizationID) })
        return try rows.map {
            ApplicationDTO(
                id: try $0.requireID(), status: $0.status.rawValue, title: $0.title,
                channelOrganizationId: $0.channelID.flatMap { channels[$0] },
                rank: $0.rank, score: $0.score)
        }
    }

    struct ApplyBody: Decodable {
        var personId: UUID?
        var candidateOrganizationId: UUID?
        var entryTitle: String?
        var authorIds: [UUID]?
        var field: String?
        var summary: String?
        var channelOrganizationId: UUID?
        var answers: [String: [String]]?
    }

    struct ApplicationCreated: Content {
        let id: UUID
        let status: String
    }

    /// Applies for a person (the caller's own, or one of the caller's subtree for nominating staff).
    /// An ineligible person is 422 with `error.field` naming the rule (`age`, code `awards.ineligible_age`).
    func apply(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(ApplyBody.self, limit: Self.bodyLimit)
        if (body.authorIds ?? []).count > 20 { throw PlatformError.invalidInput(field: "authorIds", message: "作者最多 20 人") }
        if (body.entryTitle ?? "").count > 100 { throw PlatformError.invalidInput(field: "entryTitle", message: "作品名称不超过 100 字") }
        if (body.field ?? "").count > 20 { throw PlatformError.invalidInput(field: "field", message: "学科代码不超过 20 位") }
        if let summary = body.summary, !(20...3000).contains(summary.count) {
            throw PlatformError.invalidInput(field: "summary", message: "主要成就与贡献请填写 20 至 3000 字")
        }
        let answers = body.answers ?? [:]
        if answers.count > 200 || answers.values.contains(where: { $0.count > 50 || $0.contains { $0.count > 2000 } }) {
            throw PlatformError.invalidInput(field: "answers", message: "表单回答最多 200 项，每项最多 50 个值，每个值不超过 2000 字")
        }
        let program = try await ProgramService(db: req.db, services: req.platform).program(try req.uuidParameter())
        let input = ApplicationInput(
            personID: body.personId, candidateOrganizationID: body.candidateOrganizationId, entryTitle: body.entryTitle,
            authorIDs: body.authorIds ?? [], field: String((body.field ?? "").prefix(40)),
            summary: body.summary ?? Self.defaultSummary, channelOrganizationID: body.channelOrganizationId,
            answers: answers)
        do {
            let application = try await ApplicationService(db: req.db, services: req.platform).apply(program, input, by: actor)
            return try await ApplicationCreated(id: try application.requireID(), status: application.status.rawValue)
                .encodeResponse(status: .created, for: req)
        } catch let refused as ApplicationFormRefused {
            var errors = FieldErrors()
            for field in refused.errors.fields { errors.add("answers." + field.key, field.message) }
            throw InvalidFields(errors, order: refused.errors.fields.map { "answers." + $0.key })
        }
    }

    /// What an API application carries when the caller sends no summary: staff register the candidate
    /// first and complete the materials on the application page.
    static let defaultSummary = "（申报材料由推荐单位在申报页面补充）主要成就与贡献待补充。"

    struct NominationBody: Decodable {
        var applicationId: UUID?
        var channelOrganizationId: UUID?
        var referees: [String]?
    }

    struct NominationCreated: Content {
        let id: UUID
        let rank: Int
    }

    /// A channel nominates an application; over the channel's quota → 409 `awards.quota_exceeded`.
    func nominate(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let body = try req.jsonBody(NominationBody.self, limit: BodyLimits.small)
        guard let applicationID = body.applicationId else {
            throw PlatformError.invalidInput(field: "applicationId", message: "请提供申报编号")
        }
        guard let channel = body.channelOrganizationId else {
            throw PlatformError.invalidInput(field: "channelOrganizationId", message: "请提供推荐单位")
        }
        let referees = body.referees ?? []
        if referees.count > 20 || referees.contains(where: { $0.count > 30 }) {
            throw PlatformError.invalidInput(field: "referees", message: "推荐专家最多 20 人，每个姓名不超过 30 字")
        }
        let nomination = try await ApplicationService(db: req.db, services: req.platform).nominate(
            applicationID: applicationID, channelOrganizationID: channel, referees: referees, by: actor)
        return try await NominationCreated(id: try nomination.requireID(), rank: nomination.rank).encodeResponse(status: .created, for: req)
    }

    struct CheckBody: Decodable {
        var decision: String?
        var note: String?
    }

    /// Formal check: `{"decision": "pass"|"return"|"reject", "note"}`.
    func check(_ req: Request) async throws -> ApplicationCreated {
        let actor = try req.actor
        let body = try req.jsonBody(CheckBody.self, limit: BodyLimits.small)
        guard let decision = ApplicationService.CheckDecision(rawValue: body.decision ?? "") else {
            throw PlatformError.invalidInput(field: "decision", message: "审查结论应为 pass、return 或 reject")
        }
        if (body.note ?? "").count > 500 { throw PlatformError.invalidInput(field: "note", message: "审查意见不超过 500 字") }
        let id = try req.uuidParameter()
        let service = ApplicationService(db: req.db, services: req.platform)
        try await service.check(applicationID: id, decision: decision, note: body.note ?? "", by: actor)
        guard let application = try await AwardApplication.find(id, on: req.db) else { throw PlatformError.notFound }
        return ApplicationCreated(id: id, status: application.status.rawValue)
    }

    private func dtos(_ programs: [AwardProgram], on db: any Database) async throws -> [ProgramDTO] {
        let ids = try programs.map { try $0.requireID() }
        guard !ids.isEmpty else { return [] }
        let channels = try await AwardChannel.query(on: db).filter(\.$programID ~~ ids).all()
        let used = try await NominationCounts.byChannel(try channels.map { try $0.requireID() }, on: db)
        let grouped = Dictionary(grouping: channels, by: \.programID)
        return try programs.map { program in
            let rules = try program.rules()
            return ProgramDTO(
                id: try program.requireID(), name: program.name, year: program.year, kind: program.kind.rawValue,
                candidateKind: program.candidateKind.rawValue, stage: program.stage.rawValue, organizationId: program.organizationID,
                maxAge: rules.maxAge, ageReferenceDate: rules.ageReferenceDate?.description, applyOpensOn: program.applyOpensOn.description,
                applyClosesOn: program.applyClosesOn.description, laureateCount: program.laureateCount,
                channels: try (grouped[try program.requireID()] ?? []).map {
                    ChannelDTO(
                        organizationId: $0.organizationID, kind: $0.kind.rawValue, quota: $0.quota, used: used[try $0.requireID()] ?? 0)
                })
        }
    }
}

/// How many nominations each channel has used, in one statement.
enum NominationCounts {
    static func byChannel(_ ids: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await db.sql().raw(
            "SELECT channel_id, COUNT(*) AS n FROM awards_nominations WHERE channel_id IN (\(binds: ids)) GROUP BY channel_id"
        ).all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                (try $0.decode(column: "channel_id", as: UUID.self), try $0.decode(column: "n", as: Int.self))
            })
    }
}
