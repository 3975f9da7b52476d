import Fluent
import Foundation
import XCTVapor

@testable import Members
@testable import Platform

/// 站内信: decisions reach the person as in-app messages with an unread count in the header; opening one
/// marks it read and follows its link; nobody opens someone else's.
final class InboxTests: DemoTestCase {
    func testDecisionsArriveAsUnreadMessagesAndOpeningMarksThemRead() async throws {
        let member = try await loggedIn("demo.member")
        expectEqual(try await member.post("/me/profile", TestPeople.form(71, name: "温馨")).status, .seeOther)
        expectFalse(try await member.get("/me").body.string.contains("id=\"unread-count\""))
        let rubber = try await organization("云海省橡胶学会")
        _ = try await member.post("/me/memberships", ["society": try rubber.requireID().uuidString])
        let society = try await loggedIn("demo.society")
        let application = try await Membership.query(on: app.db).first()!
        expectEqual(try await society.post("/memberships/\(try application.requireID())/approve", ["grade": "member"]).status, .seeOther)
        let person = try await Person.query(on: app.db).first()!
        let admin = try await loggedIn("demo.orgadmin")
        _ = try await admin.post("/people/\(try person.requireID())/verify", ["outcome": "reject", "note": "出生年月与证件不符"])

        let home = try await member.get("/me").body.string
        XCTAssertTrue(home.contains("<span class=\"badge unread-count\" id=\"unread-count\">2</span>"), String(home.prefix(3000)))
        let inbox = try await member.get("/notifications").body.string
        XCTAssertTrue(inbox.contains("入会申请已通过"))
        XCTAssertTrue(inbox.contains("YHXJ-2026-00001"))
        XCTAssertTrue(inbox.contains("出生年月与证件不符"))
        let message = try await InboxMessage.query(on: app.db).filter(\.$title == "入会申请已通过").first()!
        let stranger = try await loggedIn("demo.staff")
        expectEqual(try await stranger.post("/notifications/\(try message.requireID())/open", [:]).status, .notFound)
        let opened = try await member.post("/notifications/\(try message.requireID())/open", [:])
        XCTAssertEqual(opened.location, "/me")
        expectTrue(try await member.get("/me").body.string.contains("id=\"unread-count\">1<"))
        expectEqual(try await member.post("/notifications/read-all", [:]).status, .seeOther)
        expectFalse(try await member.get("/me").body.string.contains("id=\"unread-count\""))

        let token = try await apiToken("demo.member")
        let api = try await api(.GET, "/api/v1/notifications", token: token)
        let dto = try api.content.decode(InboxDTO.self)
        XCTAssertEqual(dto.unread, 0)
        XCTAssertEqual(dto.total, 2)
    }
}
