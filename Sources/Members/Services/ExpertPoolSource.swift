import Fluent
import Foundation
import Platform
import SQLKit

/// The expert pools as other modules see them (through `ModuleRegistry.expertSources`): by subtree,
/// role, field and availability, with the profile fields a matcher reads, the person's account, the
/// entry's organization and the declared conflicts. One person in several pools appears once (the
/// first entry read). Three queries whatever the number of experts: the entries, their roles, their
/// conflicts.
struct ExpertPoolSource: ExpertSource {
    func experts(_ request: ExpertQuery, on db: any Database) async throws -> [ExpertCandidate] {
        let sql = try db.sql()
        var query = SQLQueryString(
            """
            SELECT CAST(p.id AS TEXT) AS person_id, CAST(e.id AS TEXT) AS expert_id, CAST(p.user_id AS TEXT) AS user_id, \
            CAST(o.id AS TEXT) AS organization_id, e.availability, p.name, p.title_name, p.employer, \
            p.discipline_code, p.industry_code, p.research_direction, p.province, p.city, p.county, f.field, \
            o.name AS organization_name \
            FROM members_experts e JOIN platform_people p ON p.id = e.person_id JOIN platform_organizations o ON o.id = e.organization_id \
            LEFT JOIN members_expert_fields f ON f.expert_id = e.id \
            WHERE p.anonymized_at IS NULL
            """)
        if !request.includeUnavailable {
            query.appendInterpolation(unsafeRaw: " AND e.availability <> ")
            query.appendInterpolation(bind: ExpertAvailability.unavailable.rawValue)
        }
        if let scopePath = request.scopePath {
            query.appendInterpolation(unsafeRaw: " AND o.path LIKE ")
            query.appendInterpolation(bind: scopePath + "%")
        }
        if !request.roles.isEmpty {
            query.appendInterpolation(
                unsafeRaw: " AND EXISTS (SELECT 1 FROM members_expert_roles r WHERE r.expert_id = e.id AND r.role IN (")
            query.appendInterpolation(binds: request.roles.map(\.rawValue).sorted())
            query.appendInterpolation(unsafeRaw: "))")
        }
        if let field = request.field?.trimmingCharacters(in: .whitespaces), !field.isEmpty {
            query.appendInterpolation(
                unsafeRaw: " AND (p.discipline_code LIKE ")
            query.appendInterpolation(bind: field + "%")
            query.appendInterpolation(
                unsafeRaw: " OR EXISTS (SELECT 1 FROM members_expert_fields g WHERE g.expert_id = e.id AND g.field LIKE ")
            query.appendInterpolation(bind: field + "%")
            query.appendInterpolation(unsafeRaw: "))")
        }
        // A row per field of each entry, in the entry's order.
        query.appendInterpolation(unsafeRaw: " ORDER BY p.id, e.id, f.position")
        var taken: [UUID: UUID] = [:]
        var order: [UUID] = []
        var rows: [UUID: (row: any SQLRow, fields: [String])] = [:]
        for row in try await sql.raw(query).all() {
            guard let id = Self.uuid(try row.decode(column: "person_id", as: String.self)),
                let expert = Self.uuid(try row.decode(column: "expert_id", as: String.self))
            else { continue }
            if taken[id] == nil {
                taken[id] = expert
                order.append(id)
                rows[id] = (row, [])
            }
            guard taken[id] == expert, let field = try row.decode(column: "field", as: String?.self) else { continue }
            rows[id]?.fields.append(field)
        }
        let expertIDs = Array(taken.values)
        let roles = try await Self.roles(of: expertIDs, on: db)
        let conflicts = try await Self.conflicts(of: expertIDs, on: db)
        return order.compactMap { id in
            guard let (row, fields) = rows[id], let expertID = taken[id] else { return nil }
            func text(_ column: String) -> String { ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
            var disciplines = fields
            if !text("discipline_code").isEmpty, !disciplines.contains(text("discipline_code")) {
                disciplines.insert(text("discipline_code"), at: 0)
            }
            guard let organizationID = Self.uuid(text("organization_id")) else { return nil }
            return ExpertCandidate(
                personID: id, expertID: expertID, userID: Self.uuid(text("user_id")), name: text("name"), title: text("title_name"),
                employer: text("employer"), organizationID: organizationID, organizationName: text("organization_name"),
                disciplines: disciplines, industry: text("industry_code").first.map(String.init),
                researchDirection: text("research_direction"), region: text("province") + text("city") + text("county"),
                roles: ExpertRole.allCases.filter { roles[expertID]?.contains($0) ?? false }.compactMap {
                    ExpertPoolRole(rawValue: $0.rawValue)
                },
                availability: ExpertAvailabilityLevel(rawValue: text("availability")) ?? .available,
                conflicts: conflicts[expertID] ?? [])
        }
    }

    /// SQLite gives text ids in lower case, PostgreSQL's CAST in lower case too; UUID parses either.
    private static func uuid(_ text: String) -> UUID? { UUID(uuidString: text.uppercased()) }

    private static func roles(of experts: [UUID], on db: any Database) async throws -> [UUID: Set<ExpertRole>] {
        guard !experts.isEmpty else { return [:] }
        var result: [UUID: Set<ExpertRole>] = [:]
        for record in try await ExpertRoleRecord.query(on: db).filter(\.$expert.$id ~~ experts).all() {
            result[record.$expert.id, default: []].insert(record.role)
        }
        return result
    }

    private static func conflicts(of experts: [UUID], on db: any Database) async throws -> [UUID: [DeclaredConflict]] {
        guard !experts.isEmpty else { return [:] }
        var result: [UUID: [DeclaredConflict]] = [:]
        for conflict in try await ExpertConflict.query(on: db).filter(\.$expert.$id ~~ experts).sort(\.$createdAt).all() {
            result[conflict.$expert.id, default: []].append(conflict.declared)
        }
        return result
    }
}
