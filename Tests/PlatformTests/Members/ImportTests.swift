import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Members
@testable import Platform

/// 批量导入: every row checked first, problems listed by row, nothing written until confirmed, then one
/// transaction; XLSX and CSV; the template round-trips.
final class ImportTests: DemoTestCase {
    private func csv(_ rows: [[String: String]]) -> Data {
        let header = PeopleImport.templateHeader
        let keys = [
            "name", "sex", "birthMonth", "ethnicity", "politicalStatus", "education", "degree", "titleName", "titleLevel", "employer",
            "province", "city", "county", "discipline", "industry", "researchDirection", "phone", "email", "idNumber",
        ]
        return CSVWriter().write(header: header, rows: rows.map { row in keys.map { row[$0] ?? "" } })
    }

    private func upload(_ browser: Browser, _ data: Data, fileName: String, contentType: String = "text/csv") async throws
        -> XCTHTTPResponse
    {
        if browser.csrf == nil { try await browser.get("/login") }
        let boundary = "kexie-test-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append("--\(boundary)\r\n\(headers)\r\n\r\n".data(using: .utf8)!)
            body.append(content)
            body.append("\r\n".data(using: .utf8)!)
        }
        part("Content-Disposition: form-data; name=\"_csrf\"", browser.csrf!.data(using: .utf8)!)
        part("Content-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\nContent-Type: \(contentType)", data)
        body.append("--\(boundary)--\r\n".data(using: .utf8)!)
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, "/people/import", headers: headers, body: ByteBuffer(data: body))
    }

    private func waitForImport(_ id: UUID) async throws -> ImportBatch {
        for _ in 0..<200 {
            if let batch = try await ImportBatch.find(id, on: app.db), batch.status != .running { return batch }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Abort(.requestTimeout)
    }

    func testBadRowsAreListedAndNothingIsWrittenUntilAllPass() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        var rows = (1...5).map { TestPeople.form(40 + $0) }
        rows[1]["idNumber"] = String(rows[1]["idNumber"]!.dropLast()) + (rows[1]["idNumber"]!.hasSuffix("1") ? "2" : "1")
        rows[2]["phone"] = "1380013"
        rows[3]["phone"] = rows[0]["phone"]
        let preview = try await upload(admin, csv(rows), fileName: "会员表.csv")
        XCTAssertEqual(preview.status, .unprocessableEntity, String(preview.body.string.prefix(500)))
        let page = preview.body.string
        XCTAssertTrue(page.contains("第 3 行"), "the header is row 1, so the second person is row 3")
        XCTAssertTrue(page.contains("第 4 行"))
        XCTAssertTrue(page.contains("第 5 行"))
        XCTAssertTrue(page.contains("校验位"))
        XCTAssertTrue(page.contains("与第2行的手机重复"))
        XCTAssertFalse(page.contains("confirm-import"))
        expectEqual(try await Person.query(on: app.db).count(), 0)
        let batch = try await ImportBatch.query(on: app.db).first()!
        let forced = try await admin.post("/people/imports/\(try batch.requireID())/confirm", [:])
        XCTAssertEqual(forced.status, .seeOther)
        let finished = try await waitForImport(try batch.requireID())
        XCTAssertEqual(finished.status, .failed, "a confirmation cannot bypass the check")
        expectEqual(try await Person.query(on: app.db).count(), 0)
    }

    func testAValidXLSXImportsInOneGoAndIsSearchable() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        // One person already registered: the file's copy of them is refused.
        try await createPerson(admin, 60, name: "已登记")
        var rows = (1...30).map { TestPeople.form(60 + $0, name: "导入" + TestPeople.testName($0)) }
        rows[4]["researchDirection"] = "橡胶树割胶机器人"
        rows[4]["name"] = "钟南"
        let cells =
            [PeopleImport.templateHeader]
            + rows.map { row in
                [
                    "name", "sex", "birthMonth", "ethnicity", "politicalStatus", "education", "degree", "titleName", "titleLevel",
                    "employer",
                    "province", "city", "county", "discipline", "industry", "researchDirection", "phone", "email", "idNumber",
                ].map { row[$0] ?? "" }
            }
        let conflicting = try XLSXWriter().write([
            SpreadsheetSheet(
                name: "Sheet1", header: cells[0],
                rows: (cells.dropFirst() + [
                    cells[1].enumerated().map { $0.offset == 16 ? "13900010060" : $0.offset == 18 ? "" : $0.element }
                ]).map { $0.map(SpreadsheetCell.text) })
        ])
        let refused = try await upload(admin, conflicting, fileName: "a.xlsx", contentType: "application/octet-stream")
        XCTAssertTrue(refused.body.string.contains("该手机号已登记"), String(refused.body.string.prefix(300)))
        let good = try XLSXWriter().write([
            SpreadsheetSheet(name: "Sheet1", header: cells[0], rows: cells.dropFirst().map { $0.map(SpreadsheetCell.text) })
        ])
        let preview = try await upload(admin, good, fileName: "b.xlsx", contentType: "application/octet-stream")
        XCTAssertEqual(preview.status, .ok)
        XCTAssertTrue(preview.body.string.contains("确认导入 30 人"))
        expectEqual(try await Person.query(on: app.db).count(), 1, "nothing written before confirmation")
        let batch = try await ImportBatch.query(on: app.db).filter(\.$fileName == "b.xlsx").first()!
        XCTAssertNotEqual(batch.content, good, "the waiting file is sealed, not kept as uploaded")
        XCTAssertTrue(batch.content.starts(with: Data("v1:".utf8)))
        let confirm = try await admin.post("/people/imports/\(try batch.requireID())/confirm", [:])
        XCTAssertEqual(confirm.location, "/people/imports/\(try batch.requireID())")
        let done = try await waitForImport(try batch.requireID())
        XCTAssertEqual(done.status, .done, done.failure ?? "")
        XCTAssertEqual(done.importedCount, 30)
        XCTAssertEqual(done.content, Data(), "the file is deleted once imported")
        expectEqual(try await Person.query(on: app.db).count(), 31)
        expectTrue(try await admin.get("/people/imports/\(try batch.requireID())").body.string.contains("已导入"))
        let search = try await admin.get("/people?q=" + Browser.encode("割胶"))
        XCTAssertTrue(search.body.string.contains("钟南"))
        XCTAssertTrue(search.body.string.contains("共 1 人"))
        let again = try await admin.post("/people/imports/\(try batch.requireID())/confirm", [:])
        XCTAssertEqual(again.status, .conflict, "a batch is imported once")
        expectEqual(try await AuditEntry.query(on: app.db).filter(\.$action == "people.import").count(), 1)
    }

    func testAPreviewNobodyConfirmsLosesItsFileAfterADay() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let rows = (1...2).map { TestPeople.form(80 + $0) }
        let keys = [
            "name", "sex", "birthMonth", "ethnicity", "politicalStatus", "education", "degree", "titleName", "titleLevel", "employer",
            "province", "city", "county", "discipline", "industry", "researchDirection", "phone", "email", "idNumber",
        ]
        let file = try XLSXWriter().write([
            SpreadsheetSheet(
                name: "Sheet1", header: PeopleImport.templateHeader,
                rows: rows.map { row in keys.map { SpreadsheetCell.text(row[$0] ?? "") } })
        ])
        _ = try await upload(admin, file, fileName: "c.xlsx", contentType: "application/octet-stream")
        let batch = try await ImportBatch.query(on: app.db).filter(\.$fileName == "c.xlsx").first()!
        batch.createdAt = Date().addingTimeInterval(-25 * 3600)
        try await batch.save(on: app.db)
        try await ImportService.purgeStalePreviews(on: app.db, services: app.platform)
        let purged = try await ImportBatch.find(batch.requireID(), on: app.db)!
        XCTAssertEqual(purged.content, Data())
        XCTAssertEqual(purged.status, .failed)
        XCTAssertEqual(purged.failure, "预览后 24 小时未确认导入，文件已删除")
    }

    func testTemplatesDownloadAndAnUnreadableFileIsRefused() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let xlsx = try await admin.get("/people/import/template?format=xlsx")
        let rows = try XLSXReader(data: Data(buffer: xlsx.body)).rows()
        XCTAssertEqual(rows.first, PeopleImport.templateHeader)
        let csv = try await admin.get("/people/import/template?format=csv")
        XCTAssertEqual(try CSVReader().read(Data(buffer: csv.body)).first, PeopleImport.templateHeader)
        let broken = try await upload(admin, Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]), fileName: "x.xlsx")
        XCTAssertEqual(broken.status, .unprocessableEntity)
        XCTAssertTrue(broken.body.string.contains("无法读取该 Excel 文件"))
        let staffless = try await loggedIn("demo.member")
        expectEqual(try await staffless.get("/people/import").status, .forbidden)
    }
}
