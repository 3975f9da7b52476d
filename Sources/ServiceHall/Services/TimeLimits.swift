import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// The working days each case type promises: to accept (or refuse), and to answer once accepted.
final class TimeLimitRecord: Model, @unchecked Sendable {
    static let schema = "servicehall_time_limits"

    @ID(key: .id) var id: UUID?
    @Field(key: "case_type") var caseType: String
    @Field(key: "accept_days") var acceptDays: Int
    @Field(key: "answer_days") var answerDays: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

extension TimeLimitRecord: Audited {
    static var auditLabel: String { "办理时限" }
    static var auditEntityType: String { "time_limit" }
}

struct CreateTimeLimits: AsyncMigration {
    var name: String { "2026_11_23_2140_servicehall_time_limits" }

    func prepare(on database: any Database) async throws {
        try await database.schema(TimeLimitRecord.schema)
            .id()
            .field("case_type", .string, .required)
            .field("accept_days", .int, .required)
            .field("answer_days", .int, .required)
            .field("updated_at", .datetime)
            .unique(on: "case_type")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(TimeLimitRecord.schema).delete()
    }
}

enum TimeLimitStore {
    /// Defaults (5 working days to accept, 15 to answer) overridden per type by the administrators.
    static func policies(on db: any Database) async throws -> TimeLimitPolicies {
        let records = try await TimeLimitRecord.query(on: db).all()
        return TimeLimitPolicies(
            policies: records.map {
                TimeLimitPolicy(caseType: $0.caseType, acceptWorkingDays: $0.acceptDays, answerWorkingDays: $0.answerDays)
            })
    }
}

struct TimeLimitsPage: Sendable {
    struct Row: Encodable, Sendable {
        let type: String
        let label: String
        let accept: String
        let answer: String
        let error: String?
    }

    let shell: PageShell
    let action: String
    let rows: [Row]
    let errors: [String: String]
}

/// 办理时限: per case type, the working days to accept and to answer. New deadlines use them; running
/// deadlines keep the limits they were given.
struct TimeLimitController {

    func register(_ web: any RoutesBuilder) {
        web.get(ServiceHallRoutes.timeLimits, use: show)
        web.post(ServiceHallRoutes.timeLimits, use: save)
    }

    func show(_ req: Request) async throws -> Response {
        let policies = try await TimeLimitStore.policies(on: req.db)
        var values: [String: String] = [:]
        for type in CaseType.allCases {
            let policy = policies.policy(for: type.rawValue)
            values["accept-\(type.rawValue)"] = String(policy.acceptWorkingDays)
            values["answer-\(type.rawValue)"] = String(policy.answerWorkingDays)
        }
        return try await page(req, values: values, errors: [:])
    }

    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.timeLimits)
        return try await TimeLimitsPage(
            shell: await PageShell.build(for: req, title: "办理时限"), action: ServiceHallRoutes.timeLimits(),
            rows: CaseType.allCases.map {
                .init(
                    type: $0.rawValue, label: $0.label, accept: values["accept-\($0.rawValue)"] ?? "",
                    answer: values["answer-\($0.rawValue)"] ?? "",
                    error: errors[$0.rawValue])
            },
            errors: errors
        ).render(req, status: status)
    }

    func save(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.timeLimits)
        var values: [String: String] = [:]
        var errors: [String: String] = [:]
        var parsed: [(CaseType, Int, Int)] = []
        for type in CaseType.allCases {
            let accept = ((try? req.content.get(String.self, at: "accept-\(type.rawValue)")) ?? "").trimmingCharacters(in: .whitespaces)
            let answer = ((try? req.content.get(String.self, at: "answer-\(type.rawValue)")) ?? "").trimmingCharacters(in: .whitespaces)
            values["accept-\(type.rawValue)"] = accept
            values["answer-\(type.rawValue)"] = answer
            guard let a = Int(accept), (1...30).contains(a) else {
                errors[type.rawValue] = "受理时限为 1 到 30 个工作日"
                continue
            }
            guard let b = Int(answer), (1...120).contains(b) else {
                errors[type.rawValue] = "答复时限为 1 到 120 个工作日"
                continue
            }
            parsed.append((type, a, b))
        }
        guard errors.isEmpty else { return try await page(req, values: values, errors: errors, status: .unprocessableEntity) }
        let existing = try await TimeLimitRecord.query(on: req.db).all()
        let limits = parsed
        try await req.platform.writes.transaction(on: req.db) { tx in
            for (type, accept, answer) in limits {
                let record = existing.first { $0.caseType == type.rawValue } ?? TimeLimitRecord()
                record.caseType = type.rawValue
                record.acceptDays = accept
                record.answerDays = answer
                try await record.save(on: tx)
            }
        }
        return req.redirect(to: ServiceHallRoutes.timeLimits(query: ["notice": "saved"]))
    }
}
