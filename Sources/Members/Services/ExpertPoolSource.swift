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
            SELECT CAST(p.id AS TEXT) AS person_id, p.name, p.title_name, p.employer, p.discipline_code, p.industry_code, \
            p.research_direction, p.province, p.city, p.county, e.fields, o.name AS organization_name \
            FROM members_experts e JOIN platform_people p ON p.id = e.person_id JOIN platform_organizations o ON o.id = e.organization_id \
            WHERE e.availability <> 'unavailable' AND p.anonymized_at IS NULL
            """)
        if let scopePath {
            query.appendInterpolation(unsafeRaw: " AND o.path LIKE ")
            query.appendInterpolation(bind: scopePath + "%")
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY p.id")
        var seen: Set<UUID> = []
        var experts: [ExpertCandidate] = []
        for row in try await sql.raw(query).all() {
            guard let id = UUID(uuidString: try row.decode(column: "person_id", as: String.self).uppercased()), seen.insert(id).inserted
            else { continue }
            func text(_ column: String) -> String { ((try? row.decode(column: column, as: String?.self)) ?? nil) ?? "" }
            var disciplines = text("fields").split(separator: ",").map(String.init)
            if !text("discipline_code").isEmpty, !disciplines.contains(text("discipline_code")) {
                disciplines.insert(text("discipline_code"), at: 0)
            }
            experts.append(
                ExpertCandidate(
                    personID: id, name: text("name"), title: text("title_name"), employer: text("employer"),
                    organizationName: text("organization_name"), disciplines: disciplines,
                    industry: text("industry_code").first.map(String.init),
                    researchDirection: text("research_direction"), region: text("province") + text("city") + text("county")))
        }
        return experts
    }
}
