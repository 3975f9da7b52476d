import Fluent
import Foundation
import XCTVapor

@testable import Members
@testable import Platform

/// 我的资料: a person keeps their own profile; bad input is refused beside the field with what was
/// typed kept, 身份证号 and phone are stored encrypted and shown masked.
final class ProfileTests: DemoTestCase {
    var member: Browser!

    override func setUp() async throws {
        try await super.setUp()
        member = try await loggedIn("demo.member")
    }

    private func form(_ changes: [String: String] = [:]) -> [String: String] {
        var fields = [
            "name": "林秀英", "sex": "女", "birthMonth": "1949-12", "ethnicity": "汉族", "politicalStatus": "中共党员",
            "education": "博士研究生", "degree": "博士", "titleName": "研究员", "employer": "云海热带农业科学院",
            "province": "云海省", "city": "东港市", "county": "", "discipline": "210", "industry": "A",
            "researchDirection": "天然橡胶割胶技术", "phone": "13812345678", "email": "lin@example.com",
            "idNumber": "11010519491231002X",
        ]
        for (key, value) in changes { fields[key] = value }
        return fields
    }

    func testAWrongIDNumberIsRefusedBesideTheFieldAndNothingIsSaved() async throws {
        let page = try await member.get("/me/profile")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.string.contains("value=\"演示科技工作者\""), "the account name starts the form")
        let refused = try await member.post("/me/profile", form(["idNumber": "110105194912310021"]))
        XCTAssertEqual(refused.status, .unprocessableEntity)
        XCTAssertTrue(refused.body.string.contains("id=\"idNumber-error\""))
        XCTAssertTrue(refused.body.string.contains("身份证号校验位不正确"))
        XCTAssertTrue(refused.body.string.contains("value=\"天然橡胶割胶技术\""), "what was typed is kept")
        XCTAssertFalse(refused.body.string.contains("110105194912310021"), "the number is not echoed back")
        let mismatch = try await member.post("/me/profile", form(["birthMonth": "1950-03"]))
        XCTAssertEqual(mismatch.status, .unprocessableEntity)
        XCTAssertTrue(mismatch.body.string.contains("与填写的出生年月"))
        let saved = try await Person.query(on: app.db).count()
        XCTAssertEqual(saved, 0)
    }

    func testAValidProfileIsStoredEncryptedShownMaskedAndSearchable() async throws {
        let saved = try await member.post("/me/profile", form())
        XCTAssertEqual(saved.status, .seeOther, saved.body.string)
        let person = try await Person.query(on: app.db).first()
        XCTAssertEqual(person?.name, "林秀英")
        XCTAssertEqual(person?.titleLevel, "senior")
        XCTAssertEqual(person?.disciplineCode, "210")
        XCTAssertFalse(person?.phoneCipher.contains("13812345678") ?? true)
        XCTAssertFalse(person?.idNumberCipher?.contains("11010519491231002X") ?? true)
        let page = try await member.get("/me/profile")
        XCTAssertTrue(page.body.string.contains("138****5678"))
        XCTAssertTrue(page.body.string.contains("1101**********002X"))
        XCTAssertFalse(page.body.string.contains("13812345678"))
        XCTAssertTrue(page.body.string.contains("待核验"))
        let hits = try await SearchIndexStore(db: app.db, writes: app.platform.writes)
            .search(kind: "person", query: "橡胶", scopePath: nil)
        XCTAssertEqual(hits.map(\.entityID), [try person!.requireID().uuidString])
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "person").first()
        XCTAssertFalse(audit?.summary.contains("13812345678") ?? true, "the audit summary hides encrypted fields")

        // Blank phone and 身份证号 keep what is stored.
        let again = try await member.post("/me/profile", form(["phone": "", "idNumber": "", "employer": "云海大学"]))
        XCTAssertEqual(again.status, .seeOther)
        let updated = try await Person.query(on: app.db).first()
        XCTAssertEqual(updated?.employer, "云海大学")
        XCTAssertEqual(try app.platform.secrets.open(updated?.phoneCipher ?? ""), "13812345678")
    }

    func testChangingAVerifiedFieldSendsTheProfileBackToReview() async throws {
        _ = try await member.post("/me/profile", form())
        let person = try await Person.query(on: app.db).first()!
        person.verification = "verified"
        try await person.update(on: app.db)
        _ = try await member.post("/me/profile", form(["employer": "云海大学"]))
        let unchanged = try await Person.query(on: app.db).first()
        XCTAssertEqual(unchanged?.verification, "verified", "other fields keep the mark")
        _ = try await member.post("/me/profile", form(["name": "林秀瑛"]))
        let changed = try await Person.query(on: app.db).first()
        XCTAssertEqual(changed?.verification, "pending")
    }

    func testTheSamePhoneCannotBelongToTwoPeople() async throws {
        _ = try await member.post("/me/profile", form())
        let expert = try await loggedIn("demo.expert")
        let clash = try await expert.post("/me/profile", form(["name": "王工", "idNumber": ""]))
        XCTAssertEqual(clash.status, .unprocessableEntity)
        XCTAssertTrue(clash.body.string.contains("该手机号已登记在其他人的资料中"))
    }
}
