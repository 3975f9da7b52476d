import Fluent
import Foundation
import XCTVapor

@testable import Innovation
@testable import Members
@testable import Plans
@testable import Platform
@testable import ServiceHall

/// Asking by id for a record of another subtree, or as a plain member, reveals nothing: the answer is a
/// 404 (or a 403 where the asker lacks the permission altogether, decided before any record is read, so
/// it says nothing about the id either), and the body never holds the record's data.
final class IDORTests: DemoTestCase {
    static let marker = "青石机密"

    func testRecordsOfOneCountyAreInvisibleToAnotherCountyAndToMembers() async throws {
        let owner = try await loggedIn("demo.county1")
        let county = try demo.county1.requireID().uuidString
        var paths: [String] = []

        // An organization, an account and a person of 青石县.
        _ = try await owner.post(
            "/admin/organizations", ["name": Self.marker + "农技协", "kind": "rural_tech_association", "parentID": county])
        let org = try await Organization.query(on: app.db).filter(\.$name == Self.marker + "农技协").first()!
        paths += [
            "/admin/organizations/\(try org.requireID())", "/admin/organizations/\(try org.requireID())/edit",
            "/api/v1/organizations/\(try org.requireID())",
        ]
        _ = try await owner.post(
            "/admin/users",
            ["username": "idor.staff", "displayName": Self.marker + "员工", "contact": "", "role": "staff", "organizationID": county])
        let user = try await User.query(on: app.db).filter(\.$username == "idor.staff").first()!
        paths.append("/admin/users/\(try user.requireID())")
        let person = try await createPerson(owner, 11, name: "青石机密人")
        paths += [
            "/people/\(try person.requireID())", "/people/\(try person.requireID())/edit", "/api/v1/people/\(try person.requireID())",
        ]

        // A case addressed to 青石县.
        _ = try await Browser(app).post(
            "/service/new",
            [
                "type": "appeal", "title": Self.marker + "诉求", "content": "我的高级职称评审材料被退回，希望了解原因和补充要求。", "contactName": "李四",
                "contactPhone": "13700001111", "isPublic": "no", "to": county,
            ])
        let record = try await ServiceCase.query(on: app.db).filter(\.$title == Self.marker + "诉求").first()!
        XCTAssertEqual(record.organizationID, demo.county1.id)
        paths.append("/service/cases/\(try record.requireID())")

        // A work plan of 青石县.
        let plan = PlanRecord()
        plan.organizationID = try demo.county1.requireID()
        plan.title = Self.marker + "工作要点"
        plan.year = 2026
        plan.status = .active
        plan.cadence = .monthly
        plan.fileName = "plan.txt"
        plan.weightCompletion = 50
        plan.weightTimeliness = 30
        plan.weightQuality = 20
        plan.createdBy = try user.requireID()
        plan.revision = 1
        try await plan.create(on: app.db)
        let planID = try plan.requireID()
        paths += [
            "/plans/\(planID)", "/plans/\(planID)/review", "/plans/\(planID)/evaluation", "/plans/\(planID)/annual-report",
            "/api/v1/plans/\(planID)/tasks",
        ]

        // An enterprise's draft demand (drafts are the owner's and the reviewers' only).
        let enterprise = try await loggedIn("demo.enterprise")
        var draft = PostingPagesTests.demandForm()
        draft["title"] = Self.marker + "需求"
        draft["intent"] = "save"
        _ = try await enterprise.post("/innovation/postings", draft)
        let posting = try await Posting.query(on: app.db).filter(\.$title == Self.marker + "需求").first()!
        paths += [
            "/innovation/postings/\(try posting.requireID())", "/innovation/postings/\(try posting.requireID())/edit",
            "/api/v1/demands/\(try posting.requireID())",
        ]

        for asker in ["demo.county2", "demo.member"] {
            let browser = try await loggedIn(asker)
            let token = try await apiToken(asker)
            for path in paths {
                let response: XCTHTTPResponse
                if path.hasPrefix("/api/") {
                    var headers: HTTPHeaders = [:]
                    headers.bearerAuthorization = .init(token: token)
                    response = try await app.testable().sendRequest(.GET, path, headers: headers)
                } else {
                    response = try await browser.get(path)
                }
                XCTAssertTrue([.notFound, .forbidden].contains(response.status), "\(asker) GET \(path): \(response.status)")
                XCTAssertFalse(response.body.string.contains(Self.marker), "\(asker) GET \(path) shows the record")
            }
        }
        // The owner does see them: the suite would otherwise pass on broken links.
        for path in paths where !path.hasPrefix("/api/") && !path.hasPrefix("/innovation/") && !path.contains("/review") {
            let seen = try await owner.get(path)
            XCTAssertEqual(seen.status, .ok, "owner GET \(path)")
        }
    }
}
