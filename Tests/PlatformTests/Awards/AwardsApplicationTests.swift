import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Awards
@testable import Platform

/// Programs, eligibility, nominations within quota and formal check through the API, on SQLite and (with
/// DATABASE_URL) PostgreSQL.
final class AwardsApplicationTests: AwardsTestCase {
    func testAProgramIsCreatedWithItsChannelsAndAChannelOutsideTheSubtreeIsRefused() async throws {
        let id = try await program(quota: 3)
        let (status, body) = try await call(.GET, "/api/v1/award-programs/\(id)", as: "demo.orgadmin")
        XCTAssertEqual(status, .ok)
        let program = object(body)
        XCTAssertEqual(program["maxAge"] as? Int, 40)
        XCTAssertEqual(program["ageReferenceDate"] as? String, "2026-05-31")
        XCTAssertEqual(program["stage"] as? String, "open")
        let channels = program["channels"] as? [[String: Any]] ?? []
        XCTAssertEqual(channels.count, 1)
        XCTAssertEqual(channels.first?["quota"] as? Int, 3)
        XCTAssertEqual(channels.first?["used"] as? Int, 0)

        // 白沙县's administrator cannot make 东港市科协 (outside their subtree) a channel of their program.
        let (refused, refusal) = try await call(
            .POST, "/api/v1/award-programs", as: "demo.county2",
            json: #"{"name": "白沙县优秀科技工作者", "channels": [{"organizationId": "\#(try demo.city1.requireID())", "quota": 2}]}"#)
        XCTAssertEqual(refused, .unprocessableEntity)
        XCTAssertEqual(error(refusal)["field"] as? String, "channels[0].organizationId")
        // Every bad number at once, each named.
        let (bad, badBody) = try await call(
            .POST, "/api/v1/award-programs", as: "demo.orgadmin",
            json:
                #"{"name": "X", "maxAge": 300, "publicityDays": 0, "channels": [{"organizationId": "\#(try demo.city1.requireID())", "quota": 0}]}"#
        )
        XCTAssertEqual(bad, .unprocessableEntity)
        let fields = error(badBody)["fields"] as? [String: String] ?? [:]
        XCTAssertEqual(Set(fields.keys), ["name", "maxAge", "publicityDays", "channels[0].quota"])
        XCTAssertEqual(fields["maxAge"], "年龄上限应在 18 至 80 周岁之间")
        // A member holds no awards.manage.
        let (forbidden, _) = try await call(.POST, "/api/v1/award-programs", as: "demo.member", json: #"{"name": "会员自设奖项"}"#)
        XCTAssertEqual(forbidden, .forbidden)
    }

    func testTheAgeLimitCountsFromTheBirthMonthAndNamesTheAgeField() async throws {
        let id = try await program()
        // 41 on 2026-05-31 (born May 1985): refused, nothing saved.
        let older = try await person("符海生", born: "1985-05")
        let (refused, body) = try await apply(id, older)
        XCTAssertEqual(refused, .unprocessableEntity)
        XCTAssertEqual(error(body)["code"] as? String, "awards.ineligible_age")
        XCTAssertEqual(error(body)["field"] as? String, "age")
        XCTAssertEqual(error(body)["message"] as? String, "截至 2026-05-31 已满 41 周岁，超过本项目 40 周岁的年龄限制")
        // Born in June 1985: 40 on 2026-05-31, eligible.
        let june = try await person("林雨桐", born: "1985-06")
        let (created, createdBody) = try await apply(id, june)
        XCTAssertEqual(created, .created, "\(String(describing: createdBody))")
        XCTAssertEqual(object(createdBody)["status"] as? String, "submitted")
        let saved = try await AwardApplication.query(on: app.db).count()
        XCTAssertEqual(saved, 1)
        // The same person twice: 409.
        let (again, againBody) = try await apply(id, june)
        XCTAssertEqual(again, .conflict)
        XCTAssertEqual(error(againBody)["code"] as? String, "awards.already_applied")
        // A person of another county's subtree cannot be put forward by 白沙县: 404.
        let (outside, _) = try await apply(id, try await person("王建", born: "1990-01"), as: "demo.county2")
        XCTAssertEqual(outside, .notFound)
    }

    func testAWomenOnlyProgramRefusesWithTheSexField() async throws {
        let id = try await program(extra: #", "womenOnly": true"#)
        let (refused, body) = try await apply(id, try await person("陈志远", born: "1990-03", sex: "male"))
        XCTAssertEqual(refused, .unprocessableEntity)
        XCTAssertEqual(error(body)["code"] as? String, "awards.ineligible_sex")
        XCTAssertEqual(error(body)["field"] as? String, "sex")
        let (created, _) = try await apply(id, try await person("陈晓雯", born: "1990-03", sex: "female"))
        XCTAssertEqual(created, .created)
    }

    func testNominationsStopAtTheQuotaAndOnlyTheChannelsSubtreeNominates() async throws {
        let id = try await program(quota: 1)
        var applications: [String] = []
        for (index, name) in ["黄志明", "吴佳怡"].enumerated() {
            let (status, body) = try await apply(id, try await person(name, born: "199\(index)-02"))
            XCTAssertEqual(status, .created)
            applications.append(object(body)["id"] as? String ?? "")
        }
        let city = try demo.city1.requireID()
        // 白沙县 is not 东港市科协: 404 (not its channel's subtree).
        let (outside, _) = try await call(
            .POST, "/api/v1/nominations", as: "demo.county2",
            json: #"{"applicationId": "\#(applications[0])", "channelOrganizationId": "\#(city)"}"#)
        XCTAssertEqual(outside, .notFound)
        let (first, firstBody) = try await call(
            .POST, "/api/v1/nominations", as: "demo.orgadmin",
            json: #"{"applicationId": "\#(applications[0])", "channelOrganizationId": "\#(city)"}"#)
        XCTAssertEqual(first, .created)
        XCTAssertEqual(object(firstBody)["rank"] as? Int, 1)
        let (over, overBody) = try await call(
            .POST, "/api/v1/nominations", as: "demo.orgadmin",
            json: #"{"applicationId": "\#(applications[1])", "channelOrganizationId": "\#(city)"}"#)
        XCTAssertEqual(over, .conflict)
        XCTAssertEqual(error(overBody)["code"] as? String, "awards.quota_exceeded")
        XCTAssertEqual(error(overBody)["message"] as? String, "该推荐渠道的名额（1 名）已用完")
        // Nominating the same application twice: 409 already nominated.
        let (twice, twiceBody) = try await call(
            .POST, "/api/v1/nominations", as: "demo.orgadmin",
            json: #"{"applicationId": "\#(applications[0])", "channelOrganizationId": "\#(city)"}"#)
        XCTAssertEqual(twice, .conflict)
        XCTAssertEqual(error(twiceBody)["code"] as? String, "awards.already_nominated")
        // An organization that is not a channel: 422 naming the field.
        let (notChannel, notChannelBody) = try await call(
            .POST, "/api/v1/nominations", as: "demo.orgadmin",
            json: #"{"applicationId": "\#(applications[1])", "channelOrganizationId": "\#(try demo.county2.requireID())"}"#)
        XCTAssertEqual(notChannel, .unprocessableEntity)
        XCTAssertEqual(error(notChannelBody)["field"] as? String, "channelOrganizationId")
        let (_, programBody) = try await call(.GET, "/api/v1/award-programs/\(id)", as: "demo.orgadmin")
        XCTAssertEqual((object(programBody)["channels"] as? [[String: Any]])?.first?["used"] as? Int, 1)
    }

    func testConcurrentNominationsNeverExceedTheQuota() async throws {
        let id = try await program(quota: 2)
        var ids: [UUID] = []
        for index in 0..<6 {
            let (_, body) = try await apply(id, try await person("候选\(index)", born: "1991-0\(index + 1)"))
            ids.append(UUID(uuidString: object(body)["id"] as? String ?? "") ?? UUID())
        }
        let city = try demo.city1.requireID()
        let actor = try await DemoContext(services: app.platform).actor("demo.orgadmin", on: app.db)
        let app = self.app!
        let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
            for applicationID in ids {
                group.addTask {
                    do {
                        _ = try await ApplicationService(db: app.db, services: app.platform).nominate(
                            applicationID: applicationID, channelOrganizationID: city, referees: [], by: actor)
                        return "nominated"
                    } catch let error as AwardsError {
                        return error.errorCode.rawValue
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        XCTAssertEqual(outcomes.filter { $0 == "nominated" }.count, 2)
        XCTAssertEqual(outcomes.filter { $0 == "quota_exceeded" }.count, 4)
        let ranks = try await AwardNomination.query(on: app.db).all().map(\.rank).sorted()
        XCTAssertEqual(ranks, [1, 2])
    }

    func testFormalCheckReturnsWithWhatToFixAndPassesAfterTheApplicantResubmits() async throws {
        let id = try await program()
        try await person("演示科技工作者", born: "1992-08", user: "demo.member")
        let (status, body) = try await call(
            .POST, "/api/v1/award-programs/\(id)/applications", as: "demo.member",
            json: #"{"summary": "主持省重点研发项目两项，发表论文二十篇，获授权发明专利五项。", "channelOrganizationId": "\#(try demo.city1.requireID())"}"#)
        XCTAssertEqual(status, .created, "\(String(describing: body))")
        let applicationID = object(body)["id"] as? String ?? ""
        let (early, earlyBody) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.orgadmin", json: #"{"decision": "pass"}"#)
        XCTAssertEqual(early, .conflict, "not nominated yet")
        XCTAssertEqual(error(earlyBody)["code"] as? String, "awards.stage_closed")
        let (nominated, _) = try await call(
            .POST, "/api/v1/nominations", as: "demo.orgadmin",
            json: #"{"applicationId": "\#(applicationID)", "channelOrganizationId": "\#(try demo.city1.requireID())"}"#)
        XCTAssertEqual(nominated, .created)
        let (noNote, noNoteBody) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.orgadmin", json: #"{"decision": "return"}"#)
        XCTAssertEqual(noNote, .unprocessableEntity)
        XCTAssertEqual(error(noNoteBody)["field"] as? String, "note")
        let (returned, returnedBody) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.orgadmin",
            json: #"{"decision": "return", "note": "请补充代表性论文的收录证明"}"#)
        XCTAssertEqual(returned, .ok)
        XCTAssertEqual(object(returnedBody)["status"] as? String, "returned")

        // The applicant sees the note and resubmits through the page.
        let member = try await loggedIn("demo.member")
        let page = ParsedPage(try await member.get("/award-applications/\(applicationID)").body.string)
        XCTAssertEqual(page.element(id: "return-note")?.text, "形式审查意见：请补充代表性论文的收录证明")
        XCTAssertEqual(page.element(id: "application-status")?.attribute("data-status"), "returned")
        let resubmitted = try await member.post(
            "/award-applications/\(applicationID)/resubmit", ["summary": "主持省重点研发项目两项，发表论文二十篇（均附收录证明），获授权发明专利五项。"])
        XCTAssertEqual(resubmitted.status, .seeOther)
        let (passed, passedBody) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.orgadmin", json: #"{"decision": "pass"}"#)
        XCTAssertEqual(passed, .ok)
        XCTAssertEqual(object(passedBody)["status"] as? String, "passed")
        // After the check deadline (2026-12-20) nothing is checked any more.
        clock.advance(minutes: 60 * 24 * 40)
        let (late, lateBody) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.orgadmin", json: #"{"decision": "pass"}"#)
        XCTAssertEqual(late, .conflict)
        XCTAssertEqual(error(lateBody)["code"] as? String, "awards.stage_closed")
        // 白沙县's administrator does not manage the province's program: 404.
        let (outside, _) = try await call(
            .POST, "/api/v1/award-applications/\(applicationID)/check", as: "demo.county2", json: #"{"decision": "pass"}"#)
        XCTAssertEqual(outside, .notFound)
    }
}
