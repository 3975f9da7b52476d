import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform
@testable import ServiceHall

/// Attachments: checked by content (a renamed executable is refused beside the field and nothing is
/// saved), stored sealed in `platform_files` with the case as owner, downloadable at `GET /files/{id}`
/// by those who may see the case only; everyone else gets the same 404 as for a file that does not exist.
final class AttachmentTests: DemoTestCase {
    let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)

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

    /// The links to files on a page.
    private func fileLinks(_ browser: Browser, _ path: String) async throws -> [String] {
        ParsedPage(try await browser.get(path).body.string).elements("a").compactMap { $0.attribute("href") }.filter {
            $0.hasPrefix("/files/")
        }
    }

    func testARenamedProgramIsRefusedAndNothingIsSaved() async throws {
        let visitor = Browser(app)
        let disguised = try await submit(visitor, files: [("证明.pdf", Data("MZ\u{90}\0 this is an executable".utf8))])
        XCTAssertEqual(disguised.status, .unprocessableEntity)
        XCTAssertEqual(
            ParsedPage(disguised.body.string).fieldError("files"), "“证明.pdf”不是 PDF、图片或 Word/Excel/PowerPoint 文件（按文件内容判断，与扩展名无关）")
        expectEqual(try await ServiceCase.query(on: app.db).count(), 0)
        expectEqual(try await StoredFile.query(on: app.db).filter(\.$ownerType == "case").count(), 0)
    }

    func testAnAnonymousCasesFileIsServedToTheCasesOfficeOnly() async throws {
        let visitor = Browser(app)
        let accepted = try await submit(visitor, files: [("证明.pdf", pdf)])
        XCTAssertEqual(accepted.status, .created, String(accepted.body.string.prefix(400)))
        let record = try await ServiceCase.query(on: app.db).first()!
        let file = try await StoredFile.query(on: app.db).filter(\.$ownerType == "case").first()!
        XCTAssertEqual(file.kind, .pdf)
        XCTAssertEqual(file.ownerType, "case")
        XCTAssertEqual(file.ownerID, record.id)
        XCTAssertEqual(file.organizationID, demo.province.id)
        XCTAssertNil(file.uploadedBy)

        let office = try await loggedIn("demo.orgadmin")
        let casePath = "/service/cases/\(try record.requireID())"
        let page = ParsedPage(try await office.get(casePath).body.string)
        XCTAssertEqual(page.element(id: "case-attachments")?.text, "证明.pdf（PDF，1 KB）")
        let link = "/files/\(try file.requireID())"
        expectEqual(try await fileLinks(office, casePath), [link])
        let download = try await office.get(link)
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.headers.contentType?.description, "application/pdf")
        XCTAssertEqual(
            download.headers.first(name: .contentDisposition), "attachment; filename=\"file\"; filename*=UTF-8''%E8%AF%81%E6%98%8E%2Epdf")
        XCTAssertEqual(download.headers.first(name: "X-Content-Type-Options"), "nosniff")
        XCTAssertEqual(download.headers.first(name: .cacheControl), "private, no-store")
        XCTAssertEqual(Data(buffer: download.body), pdf)

        // Another subtree's staff, a member and a file that does not exist: the same 404.
        expectEqual(try await loggedIn("demo.county1").get(link).status, .notFound)
        expectEqual(try await loggedIn("demo.member").get(link).status, .notFound)
        expectEqual(try await office.get("/files/\(UUID())").status, .notFound)
        expectEqual(try await office.get("/files/not-an-id").status, .notFound)
        // Not logged in: to the log-in page, as every page.
        expectEqual(try await visitor.get(link).status, .seeOther)
    }

    func testTheSubmitterDownloadsTheFilesOfTheirOwnCase() async throws {
        let member = try await loggedIn("demo.member")
        let accepted = try await submit(member, files: [("证明.pdf", pdf)])
        XCTAssertEqual(accepted.status, .created, String(accepted.body.string.prefix(400)))
        let record = try await ServiceCase.query(on: app.db).first()!
        let file = try await StoredFile.query(on: app.db).filter(\.$ownerType == "case").first()!
        XCTAssertEqual(file.uploadedBy, record.requesterUserID)
        let link = "/files/\(try file.requireID())"
        expectEqual(try await fileLinks(member, "/service/cases/\(try record.requireID())"), [link])
        let download = try await member.get(link)
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(Data(buffer: download.body), pdf)
        // Another logged-in person who is neither the submitter nor staff of the case's unit.
        expectEqual(try await loggedIn("demo.enterprise").get(link).status, .notFound)
        expectEqual(try await loggedIn("demo.county2").get(link).status, .notFound)
    }
}
