import Fluent
import Foundation
import Platform
import SQLKit

/// The expert pools as other modules see them (through `ModuleRegistry.expertSources`): experts who
/// have not declared themselves unavailable, with the profile fields a matcher reads. One person in
/// several pools appears once.
struct ExpertPoolSource: ExpertSource {
    func experts(scopePath: String?, on db: any Database) async throws -> [ExpertCandidate] {
        let sql = try db.sql()
        var query = SQLQueryString(
            """
            SELECT CAST(p.id AS TEXT) AS person_id, CAST(e.id AS TEXT) AS expert_id, p.name, p.title_name, p.employer, \
            p.discipline_code, p.industry_code, p.research_direction, p.province, p.city, p.county, f.field, \
            o.name AS organization_name \
            FROM members_experts e JOIN platform_people p ON p.id = e.person_id JOIN platform_organizations o ON o.id = e.organization_id \
            LEFT JOIN members_expert_fields f ON f.expert_id = e.id \
            WHERE e.availability <> 'unavailable' AND p.anonymized_at IS NULL
            """)
        if let scopePath {
            query.appendInterpolation(unsafeRaw: " AND o.path LIKE ")
            query.appendInterpolation(bind: scopePath + "%")
        }
        // A row per field of each entry, in the entry's order; a person in several pools is taken from
        // the first entry read, as before.
        query.appendInterpolation(unsafeRaw: " ORDER BY p.id, e.id, f.position")
        var taken: [UUID: String] = [:]
        var order: [UUID] = []
        var rows: [UUID: (row: any SQLRow, fields: [String])] = [:]
        for row in try await sql.raw(query).all() {
            guard let id = UUID(uuidString: try row.decode(column: "person_id", as: String.self).uppercased()) else { continue }
            let expert = try row.decode(column: "expert_id", as: String.self)
            if taken[id] == nil {
                taken[id] = expert
                order.append(id)
                rows[id] = (row, [])
            }
            guard taken[id] == expert, let field = try row.decode(column: "field", as: String?.self) else { continue }
            rows[id]?.fields.append(field)
        }
        return order.compactMap { id in
            guard let (row, fields) = rows[id] else { return nil }
            func text(_ column: String) -> String { ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
            var disciplines = fields
            if !text("discipline_code").isEmpty, !disciplines.contains(text("discipline_code")) {
                disciplines.insert(text("discipline_code"), at: 0)
            }
            return ExpertCandidate(
                personID: id, name: text("name"), title: text("title_name"), employer: text("employer"),
                organizationName: text("organization_name"), disciplines: disciplines,
                industry: text("industry_code").first.map(String.init),
                researchDirection: text("research_direction"), region: text("province") + text("city") + text("county"))
        }
    }
}
