import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct PublicCasesPage: Sendable {
    struct Row: Encodable, Sendable {
        let type: String
        let title: String
        let receivedOn: String
        let answer: String
        let adopted: Bool
    }

    let shell: PageShell
    let list: ListChrome
    let rows: [Row]
}

/// 公开答复: answered cases whose requesters agreed to publication — title, type, date, answer and
/// adoption; never the requester, the contact or the original text.
struct PublicCasesController {

    func register(_ publicWeb: any RoutesBuilder) {
        publicWeb.get(ServiceHallRoutes.publicCases, use: list)
    }

    func list(_ req: Request) async throws -> Response {
        let params = try ListParameters(request: req, path: ServiceHallRoutes.publicCases(), keys: [])
        var query = ServiceCase.query(on: req.db).filter(\.$isPublic == true)
            .filter(\.$state ~~ [ServiceHallCaseWorkflow.State.answered, .closed])
            .filter(\.$answer != nil)
        if let q = params.search { query = query.filter(\.$title ~~ q) }
        let total = try await query.count(\.$id)
        let rows = try await query.sort(\.$submittedAt, .descending).sort(\.$id).range(params.offset..<(params.offset + params.pageSize))
            .all()
        return try await PublicCasesPage(
            shell: await PageShell.build(for: req, title: "公开答复"), list: params.chrome(total: total),
            rows: rows.map {
                .init(
                    type: $0.type.label, title: $0.title, receivedOn: $0.receivedOn.description, answer: $0.answer ?? "",
                    adopted: $0.adoptedOn != nil)
            }
        ).render(req)
    }
}

/// Figures for Plans and the dashboard, per organization subtree and year (cases received there).
enum ServiceHallMetrics {
    static let all: [MetricDefinition] = [
        MetricDefinition(id: "servicehall.cases.received", label: "受理的诉求与建议", unit: "件") { query, db in
            Double(try await scoped(query, db).count())
        },
        MetricDefinition(id: "servicehall.suggestions.adopted", label: "被采纳的建议", unit: "件") { query, db in
            Double(try await scoped(query, db).filter(\.$adoptedOn != nil).count())
        },
        MetricDefinition(id: "servicehall.satisfaction.average", label: "诉求办理满意度平均分", unit: "分") { query, db in
            let ratings = try await scoped(query, db).filter(\.$rating != nil).all().compactMap(\.rating)
            return ratings.isEmpty ? 0 : Double(ratings.reduce(0, +)) / Double(ratings.count)
        },
    ]

    private static func scoped(_ query: MetricDefinition.Query, _ db: any Database) -> QueryBuilder<ServiceCase> {
        ServiceCase.query(on: db).join(Organization.self, on: \ServiceCase.$organizationID == \Organization.$id)
            .filter(Organization.self, \.$path =~ query.organization.path)
            .filter(\.$receivedOn >= Day.firstDay(of: query.year)).filter(\.$receivedOn <= Day.lastDay(of: query.year))
    }
}
