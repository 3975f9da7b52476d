import Fluent
import Foundation
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// Attachments: checked by content (a renamed executable is refused beside the field and nothing is
/// saved), stored with the case, downloadable by those who may see the case only.
final class AttachmentTests: DemoTestCase {
    private func submit(_ browser: Browser, files: [(String, Data)]) async throws -> XCTHTTPResponse {
        if browser.csrf == nil { try await browser.get("/login") }
        let boundary = "kexie-attachment-boundary"
        var body = Data()
        func part(_ headers: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        let fields = [
            "_csrf": browser.csrf!, "type": "rights", "title": "成果被冒用", "content": "本人的论文成果被他人冒名使用，附上证明材料。",
            "contactName": "钱七", "contactPhone": "13500001234",
        ]
        for (name, value) in fields { part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8)) }
        for (name, data) in files {
            part("Content-Disposition: form-data; name=\"files[]\"; filename=\"\(name)\"\r\nContent-Type: application/octet-stream", data)
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)", "X-Forwarded-For": browser.address]
        headers.add(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return try await app.testable().sendRequest(.POST, "/service/new", headers: headers, body: ByteBuffer(data: body))
    }

    func testFilesAreCheckedByContentAndServedOnlyToThoseWhoSeeTheCase() async throws {
        let visitor = Browser(app)
        let disguised = try await submit(visitor, files: [("证明.pdf", Data("MZ\u{90}\0 this is an executable".utf8))])
        XCTAssertEqual(disguised.status, .unprocessableEntity)
        XCTAssertTrue(disguised.body.string.contains("id=\"files-error\""))
        XCTAssertTrue(disguised.body.string.contains("按文件内容判断"))
        expectEqual(try await ServiceCase.query(on: app.db).count(), 0)

        let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)
        let accepted = try await submit(visitor, files: [("证明.pdf", pdf)])
        XCTAssertEqual(accepted.status, .created, String(accepted.body.string.prefix(400)))
        let record = try await ServiceCase.query(on: app.db).first()!
        let file = try await CaseAttachment.query(on: app.db).first()!
        XCTAssertEqual(file.kind, .pdf)
        XCTAssertEqual(file.caseID, record.id)

        let office = try await loggedIn("demo.orgadmin")
        let page = try await office.get("/service/cases/\(try record.requireID())")
        XCTAssertTrue(page.body.string.contains("证明.pdf"))
        let download = try await office.get("/service/cases/\(try record.requireID())/attachments/\(try file.requireID())")
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.headers.contentType?.description, "application/pdf")
        XCTAssertEqual(Data(buffer: download.body), pdf)
        let county = try await loggedIn("demo.county1")
        expectEqual(try await county.get("/service/cases/\(try record.requireID())/attachments/\(try file.requireID())").status, .notFound)
        expectEqual(try await visitor.get("/service/cases/\(try record.requireID())/attachments/\(try file.requireID())").status, .seeOther)
    }
}
