import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Members
@testable import Platform
@testable import ServiceHall

/// The cockpit's rule: a figure equals the list it opens (same subtree, same period), for every
/// registered metric, on the demo province, for a year, a quarter and a month.
final class MetricListTests: DemoTestCase {
    private struct Value: Decodable {
        let id: String
        let label: String
        let unit: String
        let span: String
        let value: Double
        let listUrl: String
        let apiListUrl: String?
    }

    private struct Records: Decodable {
        struct Item: Decodable {
            let id: UUID
            let title: String
        }
        let items: [Item]
        let total: Int
        let per: Int
    }

    private struct Breakdown: Decodable {
        struct Child: Decodable {
            let organizationName: String
            let value: Double
        }
        let metric: Value
        let children: [Child]
    }

    private func token(_ username: String) async throws -> String {
        let user = try await User.query(on: app.db).filter(\.$username == username).first()!
        return try await TokenService(db: app.db, services: app.platform).issue(userID: user.requireID(), name: "test", expiresInDays: nil)
            .token
    }

    private func get(_ path: String, token: String) async throws -> XCTHTTPResponse {
        var headers: HTTPHeaders = [:]
        headers.bearerAuthorization = .init(token: token)
        return try await app.testable().sendRequest(.GET, path, headers: headers)
    }

    /// Three cases on three days (2026-11-18 at the province, 2026-09-29 moved to 东港市, 2025-11-18),
    /// three registered people (one of them in 青石县), a society member and an expert.
    override func setUp() async throws {
        try await super.setUp()
        func submit(_ title: String, from address: String) async throws -> ServiceCase {
            let response = try await app.testable().sendRequest(
                .POST, "/api/v1/cases", headers: ["Content-Type": "application/json", "X-Forwarded-For": address],
                body: ByteBuffer(
                    string:
                        #"{"type": "suggestion", "title": "\#(title)", "content": "建议省科协推动高校实验室向中小企业开放共享。", "contactName": "王五", "contactPhone": "13700003333"}"#
                ))
            XCTAssertEqual(response.status, .created, response.body.string)
            return try await ServiceCase.query(on: app.db).filter(\.$title == title).first().orThrow(Abort(.internalServerError))
        }
        _ = try await submit("开放实验室", from: "127.0.0.71")
        clock.advance(minutes: -50 * 24 * 60)
        let moved = try await submit("共享仪器", from: "127.0.0.72")
        moved.organizationID = try demo.city1.requireID()
        try await moved.update(on: app.db)
        clock.advance(minutes: -315 * 24 * 60)
        _ = try await submit("人才公寓", from: "127.0.0.73")
        clock.advance(minutes: 365 * 24 * 60)

        let admin = try await loggedIn("demo.orgadmin")
        let first = try await createPerson(admin, 1)
        let second = try await createPerson(admin, 2)
        try await createPerson(admin, 3, organization: demo.county1)

        // A member of 云海省计算机学会 since 2026-11-02 and an expert of the province's pool.
        let society = try await Organization.query(on: app.db).filter(\.$name == "云海省计算机学会").first().orThrow(Abort(.notFound))
        let membership = Membership()
        membership.organizationID = try society.requireID()
        membership.personID = try first.requireID()
        membership.grade = .member
        membership.status = .active
        membership.appliedOn = try XCTUnwrap(Day("2026-10-20"))
        membership.joinedOn = try XCTUnwrap(Day("2026-11-02"))
        membership.joinedYear = 2026
        try await membership.create(on: app.db)
        let expert = Expert()
        expert.organizationID = try demo.province.requireID()
        expert.personID = try second.requireID()
        expert.availability = .available
        try await expert.create(on: app.db)
    }

    func testEveryCountingMetricEqualsTheTotalOfItsList() async throws {
        let token = try await token("demo.orgadmin")
        let province = try demo.province.requireID().uuidString
        var compared: Set<String> = []
        var nonZero: Set<String> = []
        var listed: Set<String> = []
        for period in ["2026", "2026-Q4", "2026-11", "2025"] {
            let response = try await get("/api/v1/metrics?organization=\(province)&period=\(period)", token: token)
            XCTAssertEqual(response.status, .ok, response.body.string)
            let values = try response.content.decode([Value].self)
            let registered = app.platform.registry.metrics
            for value in values {
                listed.insert(value.id)
                // The cockpit's batched figure equals the figure computed alone (as Plans computes it).
                let alone = try await registered[value.id]?.compute(
                    .init(organization: demo.province, period: try XCTUnwrap(ReportingPeriod(parsing: period))), app.db)
                XCTAssertEqual(alone, value.value, "\(value.id) \(period): batched and alone")
                XCTAssertTrue(value.listUrl.hasPrefix("/metrics/\(value.id)?organization=\(province)&period=\(period)"), value.listUrl)
                guard let api = value.apiListUrl else { continue }
                // Two pages' worth at most: the total must not depend on paging.
                let records = try await get(api + "&per=5", token: token)
                XCTAssertEqual(records.status, .ok, "\(value.id) \(period): \(records.body.string)")
                let list = try records.content.decode(Records.self)
                XCTAssertEqual(Double(list.total), value.value, "\(value.id) \(period)")
                XCTAssertEqual(list.items.count, min(list.total, 5), "\(value.id) \(period)")
                compared.insert(value.id)
                if value.value > 0 { nonZero.insert(value.id) }
            }
        }
        let registered = app.platform.registry.metrics
        XCTAssertEqual(registered.count, 42, "metrics registered by the modules")
        XCTAssertEqual(listed.count, 42, "every metric is answered for some period")
        XCTAssertEqual(compared.count, 39, "counting metrics whose list total was compared")
        XCTAssertEqual(
            Set(registered.values.filter { $0.records == nil }.map(\.id)),
            ["servicehall.satisfaction.average", "innovation.contracts.amount", "events.evaluation_average"])
        // The comparison is not between two zeros: most figures are non-zero on the demo province.
        XCTAssertGreaterThanOrEqual(nonZero.count, 15, nonZero.sorted().joined(separator: " "))
    }

    func testFiguresForTheDemoProvinceAndAPeriod() async throws {
        let token = try await token("demo.orgadmin")
        let province = try demo.province.requireID().uuidString
        func figures(_ period: String) async throws -> [String: Double] {
            let response = try await get("/api/v1/metrics?organization=\(province)&period=\(period)", token: token)
            return Dictionary(uniqueKeysWithValues: try response.content.decode([Value].self).map { ($0.id, $0.value) })
        }
        let year = try await figures("2026")
        XCTAssertEqual(year["servicehall.cases.received"], 2)
        XCTAssertEqual(year["innovation.supplies.published"], 6)
        XCTAssertEqual(year["members.people.total"], 3)
        XCTAssertEqual(year["platform.organizations.total.association"], 13)
        XCTAssertEqual(year["platform.organizations.established.university_association"], 2)
        let quarter = try await figures("2026-Q4")
        XCTAssertEqual(quarter["servicehall.cases.received"], 1)
        let month = try await figures("2026-11")
        XCTAssertEqual(month["servicehall.cases.received"], 1)
        XCTAssertEqual(month["innovation.supplies.published"], 5)
        let earlier = try await figures("2025")
        XCTAssertEqual(earlier["servicehall.cases.received"], 1)
        XCTAssertEqual(year["members.members.active"], 1)
        XCTAssertEqual(month["members.members.new"], 1)
        XCTAssertEqual(quarter["members.members.new"], 1)
        XCTAssertEqual(earlier["members.members.new"], 0)
        XCTAssertEqual(year["members.experts.total"], 1)
        let county = try await get("/api/v1/metrics?organization=\(try demo.county1.requireID().uuidString)&period=2026", token: token)
        let countyFigures = Dictionary(uniqueKeysWithValues: try county.content.decode([Value].self).map { ($0.id, $0.value) })
        XCTAssertEqual(countyFigures["members.people.total"], 1)
        XCTAssertEqual(countyFigures["servicehall.cases.received"], 0)
        XCTAssertNil(quarter["platform.organizations.established.association"], "founding is known by year only")
        XCTAssertEqual(quarter["members.people.total"], year["members.people.total"], "a stock does not change with the period")
    }

    func testBreakdownByChildOrganizationAndTheDrillDownPage() async throws {
        let token = try await token("demo.orgadmin")
        let province = try demo.province.requireID().uuidString
        let response = try await get("/api/v1/metrics/servicehall.cases.received?organization=\(province)&period=2026", token: token)
        XCTAssertEqual(response.status, .ok, response.body.string)
        let breakdown = try response.content.decode(Breakdown.self)
        XCTAssertEqual(breakdown.metric.value, 2)
        XCTAssertEqual(breakdown.children.count, 18)
        XCTAssertEqual(breakdown.children.filter { $0.value > 0 }.map(\.organizationName), ["东港市科学技术协会"])
        XCTAssertEqual(breakdown.children.filter { $0.value > 0 }.map(\.value), [1])

        let browser = try await loggedIn("demo.orgadmin")
        let page = ParsedPage(try await browser.get("/metrics/servicehall.cases.received?organization=\(province)&period=2026").body.string)
        XCTAssertEqual(page.element(id: "metric-value")?.attribute("data-value"), "2")
        XCTAssertEqual(page.element(id: "metric-records")?.attribute("data-total"), "2")
        XCTAssertEqual(page.rows(inTable: "metric-records").map { $0[0] }, ["开放实验室", "共享仪器"], "newest received first")
        XCTAssertEqual(page.rows(inTable: "metric-children").count, 18)
        // The breakdown is also drawn: one bar per child organization, 东港市's carrying its one case.
        let bars = try XCTUnwrap(page.element(id: "fig-metric-children")).elements(attribute: "data-label")
        XCTAssertEqual(bars.count, 18)
        XCTAssertEqual(bars.filter { $0.attribute("data-value") == "1" }.map { $0.attribute("data-label") }, ["东港市科学技术协会"])
        let export = try await browser.get("/metrics/servicehall.cases.received?organization=\(province)&period=2026-Q3&format=csv")
        XCTAssertEqual(export.status, .ok)
        XCTAssertTrue(export.body.string.contains("共享仪器"), export.body.string)
        XCTAssertFalse(export.body.string.contains("开放实验室"), "a case of the fourth quarter is not in the third")

        let cockpit = ParsedPage(try await browser.get("/metrics?organization=\(province)&period=2026-11").body.string)
        XCTAssertEqual(cockpit.element(id: "metrics-scope")?.text, "云海省科学技术协会 · 2026年11月")

        // A period that cannot be read is reported beside its field; the figures are the current year's.
        let refused = try await browser.get("/metrics?period=2026-Q5")
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let refusedPage = ParsedPage(refused.body.string)
        XCTAssertEqual(refusedPage.fieldError("period"), "统计期应写作 2026、2026-Q4 或 2026-11（1949–2100 年）")
        XCTAssertEqual(refusedPage.fieldValue("period"), "2026-Q5")
        XCTAssertEqual(refusedPage.element(id: "metrics-scope")?.text, "云海省科学技术协会 · 2026年")
    }

    func testScopePermissionAndBadInput() async throws {
        let province = try demo.province.requireID().uuidString
        let county = try await token("demo.county1")
        let outside = try await get("/api/v1/metrics?organization=\(province)&period=2026", token: county)
        XCTAssertEqual(outside.status, .notFound, "a county administrator cannot read the province's figures")
        let own = try await get("/api/v1/metrics?period=2026", token: county)
        XCTAssertEqual(own.status, .ok)

        let member = try await token("demo.member")
        expectEqual(try await get("/api/v1/metrics", token: member).status, .forbidden)

        let admin = try await token("demo.orgadmin")
        for bad in ["2026-Q5", "26", "2026-13", "1800", "2026-11-01"] {
            let response = try await get("/api/v1/metrics?period=\(bad)", token: admin)
            XCTAssertEqual(response.status, .unprocessableEntity, bad)
            XCTAssertTrue(response.body.string.contains("\"field\":\"period\""), response.body.string)
        }
        expectEqual(try await get("/api/v1/metrics?organization=not-a-uuid", token: admin).status, .unprocessableEntity)
        expectEqual(try await get("/api/v1/metrics?period=", token: admin).status, .unprocessableEntity, "sent empty is not absent")
        expectEqual(try await get("/api/v1/metrics/members.people.total?organization=", token: admin).status, .unprocessableEntity)
        expectEqual(try await get("/api/v1/metrics/no.such.metric/records", token: admin).status, .notFound)
        let yearlyAsQuarter = try await get("/api/v1/metrics/platform.organizations.established.society?period=2026-Q1", token: admin)
        XCTAssertEqual(yearlyAsQuarter.status, .unprocessableEntity)
        let average = try await get("/api/v1/metrics/servicehall.satisfaction.average/records?period=2026", token: admin)
        XCTAssertEqual(average.status, .notFound, "an average has no list")
        let tooMany = try await get("/api/v1/metrics/members.people.total/records?per=100000", token: admin)
        XCTAssertEqual(tooMany.status, .unprocessableEntity)
        let hugePage = try await get("/api/v1/metrics/members.people.total/records?page=9223372036854775808", token: admin)
        XCTAssertEqual(hugePage.status, .unprocessableEntity)
        XCTAssertTrue(hugePage.body.string.contains("\"field\":\"page\""), hugePage.body.string)

        // An enterprise account holds no figures permission, by API or page; a county cannot drill into the province.
        let enterprise = try await token("demo.enterprise")
        expectEqual(try await get("/api/v1/metrics/members.people.total/records", token: enterprise).status, .forbidden)
        let enterprisePage = try await loggedIn("demo.enterprise")
        expectEqual(try await enterprisePage.get("/metrics").status, .forbidden)
        let countyPage = try await loggedIn("demo.county1")
        expectEqual(try await countyPage.get("/metrics/members.people.total?organization=\(province)").status, .notFound)
        expectEqual(try await countyPage.get("/metrics/members.people.total?page=9223372036854775808").status, .unprocessableEntity)
    }
}
