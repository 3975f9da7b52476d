import Fluent
import Foundation
import SQLKit
import XCTVapor

@testable import Innovation
@testable import Platform

/// Personal data never sits in clear: after every flow that takes a phone or an ID number, a dump of
/// every table holds no mainland mobile number and no 18-character ID number.
final class DataAtRestTests: DemoTestCase {

    /// What the flows below typed: each must be absent from the dump.
    static let typedPhones = ["13911112299", "13700004444", "13907550199", "13800138077"]

    func testNoTableHoldsAPhoneOrAnIDNumberInClear() async throws {
        // A person registered by an administrator (phone and ID number).
        let admin = try await loggedIn("demo.orgadmin")
        let form = TestPeople.form(7, changes: ["phone": Self.typedPhones[0]])
        let person = try await admin.post("/people", form)
        XCTAssertEqual(person.status, .seeOther, String(person.body.string.prefix(500)))
        let idNumber = try XCTUnwrap(form["idNumber"])
        // An anonymous case with a contact phone.
        let visitor = Browser(app)
        let sent = try await visitor.post(
            "/service/new",
            [
                "type": "appeal", "title": "职称评审材料退回", "content": "我的高级职称评审材料被退回，希望了解原因和补充要求。", "contactName": "李四",
                "contactPhone": Self.typedPhones[1], "isPublic": "no",
            ])
        XCTAssertEqual(sent.status, .created)
        // An enterprise signing up, then publishing a demand with a contact phone.
        let signup = try await Browser(app).post(
            "/innovation/enterprises/register",
            [
                "name": "云海海创储能科技有限公司", "creditCode": "91460000MA5RC0XK12", "associationID": try demo.city1.requireID().uuidString,
                "industry": "C", "region": "云海省东港市", "contactName": "周明", "contactPhone": Self.typedPhones[2], "username": "haichuang",
                "password": "Yunhai#Energy26",
            ])
        XCTAssertEqual(signup.status, .ok, String(signup.body.string.prefix(500)))
        let enterprise = try await loggedIn("demo.enterprise")
        var demand = PostingPagesTests.demandForm()
        demand["contactPhone"] = Self.typedPhones[3]
        let posted = try await enterprise.post("/innovation/postings", demand)
        XCTAssertEqual(posted.status, .seeOther, String(posted.body.string.prefix(500)))
        // The owner still reads the phone: sealed, not lost.
        let posting = try await Posting.query(on: app.db).filter(\.$title == PostingPagesTests.demandTitle).first()!
        XCTAssertEqual(posting.openedContactPhone(app.platform.secrets), Self.typedPhones[3])

        let dump = try await Self.dumpEveryTable(app.db)
        XCTAssertGreaterThan(dump.count, 20, "every table was read")
        let mobile = #/(?:^|[^0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])/#
        let resident = #/(?:^|[^0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/#
        for (table, text) in dump {
            XCTAssertNil(
                text.firstMatch(of: mobile),
                "\(table) holds a mobile number in clear: \(text.firstMatch(of: mobile).map { String($0.0) } ?? "")")
            XCTAssertNil(text.firstMatch(of: resident), "\(table) holds an ID number in clear")
            for phone in Self.typedPhones { XCTAssertFalse(text.contains(phone), "\(table) holds \(phone)") }
            XCTAssertFalse(text.contains(idNumber), "\(table) holds the ID number")
        }
    }

    func testPhonesStoredBeforeSealingAreSealedByTheJob() async throws {
        // A row as an earlier version wrote it: the phone in clear.
        let posting = try await Posting.query(on: app.db).filter(\.$contactPhoneSealed != "").first()!
        try await Posting.query(on: app.db).filter(\.$id == posting.requireID()).set(\.$contactPhoneSealed, to: "13800138066").update()
        let record = try await EnterpriseRecord.query(on: app.db).first()!
        try await EnterpriseRecord.query(on: app.db).filter(\.$id == record.requireID()).set(\.$contactPhoneSealed, to: "13800138067")
            .update()
        try await ContactPhoneSealing.sealStoredPhones(on: app.db, services: app.platform)
        let sealed = try await Posting.find(posting.requireID(), on: app.db)!
        XCTAssertTrue(sealed.contactPhoneSealed.hasPrefix("v1:"))
        XCTAssertEqual(sealed.openedContactPhone(app.platform.secrets), "13800138066")
        let sealedRecord = try await EnterpriseRecord.find(record.requireID(), on: app.db)!
        XCTAssertEqual(try app.platform.secrets.open(sealedRecord.contactPhoneSealed), "13800138067")
    }

    /// Every table's rows as text, by table name: every column read as text, number or bytes.
    static func dumpEveryTable(_ db: any Database) async throws -> [String: String] {
        let sql = try XCTUnwrap(db as? any SQLDatabase)
        let tables: [String]
        if sql.dialect.name == "sqlite" {
            tables = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table'").all().map {
                try $0.decode(column: "name", as: String.self)
            }
        } else {
            tables = try await sql.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").all()
                .map { try $0.decode(column: "table_name", as: String.self) }
        }
        var dump: [String: String] = [:]
        for table in tables {
            var text = ""
            for row in try await sql.raw("SELECT * FROM \(ident: table)").all() {
                for column in row.allColumns {
                    if let value = try? row.decode(column: column, as: String.self) {
                        text += value + "\n"
                    } else if let data = try? row.decode(column: column, as: Data.self) {
                        text += String(decoding: data, as: UTF8.self) + "\n"
                    } else if let number = try? row.decode(column: column, as: Double.self) {
                        text += String(number) + "\n"
                    }
                }
            }
            dump[table] = text
        }
        return dump
    }
}
