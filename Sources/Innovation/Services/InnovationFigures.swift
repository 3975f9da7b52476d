import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// The year's figures of an organization's subtree: postings published, matches pushed, dockings by
/// stage, contract amounts, and the same broken down by region, industry and society. Also the
/// source of the module's registry metrics.
struct InnovationFigures: Sendable, Codable {
    struct Breakdown: Sendable, Codable {
        let name: String
        var supplies = 0
        var demands = 0
        var dockings = 0
        var signed = 0
        var amount = 0.0
    }

    var year: Int
    var suppliesPublished = 0
    var demandsPublished = 0
    var pushes = 0
    /// Dockings proposed in the year by their current stage (raw `DockingWorkflow.State`).
    var dockingsByState: [String: Int] = [:]
    var signed = 0
    var landed = 0
    var contractAmount = 0.0
    var byRegion: [Breakdown] = []
    var byIndustry: [Breakdown] = []
    var bySociety: [Breakdown] = []

    static func compute(scopePath: String, year: Int, on db: any Database) async throws -> InnovationFigures {
        let sql = try db.sql()
        var figures = InnovationFigures(year: year)
        let prefix = "\(year)-%"
        let like = scopePath + "%"
        var regions: [String: Breakdown] = [:]
        var industries: [String: Breakdown] = [:]
        var societies: [String: Breakdown] = [:]
        func regionName(_ text: String) -> String {
            guard let region = Region(parsing: text) else { return text.isEmpty ? "未填写" : text }
            return region.cityName ?? region.provinceName ?? region.name
        }
        func industryName(_ letter: String?) -> String {
            letter.flatMap { $0.first }.flatMap { IndustrySection(letter: $0) }.map(\.description) ?? "未填写"
        }

        let postings = try await sql.raw(
            """
            SELECT p.kind, p.region, p.industry, o.kind AS org_kind, o.name AS org_name, COUNT(*) AS n \
            FROM innovation_postings p JOIN platform_organizations o ON o.id = p.organization_id \
            WHERE p.published_on LIKE \(bind: prefix) AND o.path LIKE \(bind: like) \
            GROUP BY p.kind, p.region, p.industry, o.kind, o.name
            """
        ).all()
        for row in postings {
            let kind = try row.decode(column: "kind", as: String.self)
            let count = try row.decode(column: "n", as: Int.self)
            let isSupply = kind == Posting.Kind.supply.rawValue
            if isSupply { figures.suppliesPublished += count } else { figures.demandsPublished += count }
            let region = regionName(try row.decode(column: "region", as: String.self))
            let industry = industryName(try row.decode(column: "industry", as: String?.self))
            func add(_ breakdown: inout Breakdown) { if isSupply { breakdown.supplies += count } else { breakdown.demands += count } }
            add(&regions[region, default: Breakdown(name: region)])
            add(&industries[industry, default: Breakdown(name: industry)])
            if isSupply, try row.decode(column: "org_kind", as: String.self) == OrganizationKind.society.rawValue {
                let name = try row.decode(column: "org_name", as: String.self)
                add(&societies[name, default: Breakdown(name: name)])
            }
        }

        figures.pushes =
            try await sql.raw(
                """
                SELECT COUNT(*) AS n FROM innovation_match_pushes m JOIN platform_organizations o ON o.id = m.organization_id \
                WHERE m.pushed_on LIKE \(bind: prefix) AND o.path LIKE \(bind: like)
                """
            ).first()?.decode(column: "n", as: Int.self) ?? 0

        // A docking counts where its demand stands (region, industry) and, for the society view,
        // where its supply comes from.
        let dockings = try await sql.raw(
            """
            SELECT d.state, d.proposed_on, d.signed_on, d.landed_on, d.contract_amount, dm.region, dm.industry, \
            so.kind AS supply_org_kind, so.name AS supply_org_name \
            FROM innovation_dockings d JOIN platform_organizations o ON o.id = d.organization_id \
            JOIN innovation_postings dm ON dm.id = d.demand_id JOIN innovation_postings sp ON sp.id = d.supply_id \
            JOIN platform_organizations so ON so.id = sp.organization_id \
            WHERE o.path LIKE \(bind: like) AND (d.proposed_on LIKE \(bind: prefix) OR d.signed_on LIKE \(bind: prefix) OR d.landed_on LIKE \(bind: prefix))
            """
        ).all()
        let yearText = String(year)
        for row in dockings {
            let state = try row.decode(column: "state", as: String.self)
            let proposed = try row.decode(column: "proposed_on", as: String.self).hasPrefix(yearText)
            let signed = (try row.decode(column: "signed_on", as: String?.self))?.hasPrefix(yearText) ?? false
            let landed = (try row.decode(column: "landed_on", as: String?.self))?.hasPrefix(yearText) ?? false
            let amount = signed ? (try row.decode(column: "contract_amount", as: Double?.self) ?? 0) : 0
            if proposed { figures.dockingsByState[state, default: 0] += 1 }
            if signed {
                figures.signed += 1
                figures.contractAmount += amount
            }
            if landed { figures.landed += 1 }
            func add(_ breakdown: inout Breakdown) {
                if proposed { breakdown.dockings += 1 }
                if signed {
                    breakdown.signed += 1
                    breakdown.amount += amount
                }
            }
            let region = regionName(try row.decode(column: "region", as: String.self))
            add(&regions[region, default: Breakdown(name: region)])
            let industry = industryName(try row.decode(column: "industry", as: String?.self))
            add(&industries[industry, default: Breakdown(name: industry)])
            if try row.decode(column: "supply_org_kind", as: String.self) == OrganizationKind.society.rawValue {
                let name = try row.decode(column: "supply_org_name", as: String.self)
                add(&societies[name, default: Breakdown(name: name)])
            }
        }
        func sorted(_ values: [String: Breakdown]) -> [Breakdown] {
            values.values.sorted { ($0.dockings + $0.supplies + $0.demands, $1.name) > ($1.dockings + $1.supplies + $1.demands, $0.name) }
        }
        figures.byRegion = sorted(regions)
        figures.byIndustry = sorted(industries)
        figures.bySociety = sorted(societies)
        return figures
    }

    var dockings: Int { dockingsByState.values.reduce(0, +) }
}
