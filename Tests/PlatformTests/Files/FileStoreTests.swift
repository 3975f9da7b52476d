import Fluent
import Foundation
import KexieKit
import SQLKit
import XCTVapor

@testable import Plans
@testable import Platform
@testable import ServiceHall

/// `FileStore`: kind by content, per-owner count and size limits, content sealed in the row, metadata
/// lists, deletion with the owner and the retention job.
final class FileStoreTests: KexieTestCase {
    let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF".utf8)
    let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D])
    let organization = UUID(uuidString: "0A000000-0000-0000-0000-000000000001")!
    let caseID = UUID(uuidString: "0C000000-0000-0000-0000-000000000001")!
    let otherCase = UUID(uuidString: "0C000000-0000-0000-0000-000000000002")!

    var store: FileStore { FileStore(services: app.platform) }

    private func refusal(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as PlatformError {
            guard case .invalidInput(let field, let message) = error, field == "files" else { return "\(error)" }
            return message
        } catch {
            return "\(error)"
        }
    }

    func testAProgramRenamedToPDFIsRefusedByItsContent() async throws {
        let exe = UploadedFile(name: "报告.pdf", data: Data("MZ\u{90}\0\u{3}\0\0\0 program".utf8))
        let message = await refusal {
            try await self.store.store(
                [exe], owner: CaseFiles.owner(self.caseID), organizationID: self.organization, uploadedBy: nil, check: CaseFiles.check,
                on: self.app.db)
        }
        XCTAssertEqual(message, "“报告.pdf”不是 PDF、图片或 Word/Excel/PowerPoint 文件（按文件内容判断，与扩展名无关）")
        expectEqual(try await StoredFile.query(on: app.db).count(), 0)
    }

    func testSizeAndTheOwnersTotalCountAreLimited() async throws {
        let check = UploadCheck(maxFiles: 2, maxBytes: 1_048_576, noun: "附件")
        let owner = CaseFiles.owner(caseID)
        let large = UploadedFile(name: "大.pdf", data: pdf + Data(repeating: 0x20, count: 1_048_576))
        let tooLarge = await refusal {
            try await self.store.store(
                [large], owner: owner, organizationID: self.organization, uploadedBy: nil, check: check, on: self.app.db)
        }
        XCTAssertEqual(tooLarge, "“大.pdf”超过 1 MB")
        let three = (1...3).map { UploadedFile(name: "\($0).pdf", data: pdf) }
        let tooMany = await refusal {
            try await self.store.store(
                three, owner: owner, organizationID: self.organization, uploadedBy: nil, check: check, on: self.app.db)
        }
        XCTAssertEqual(tooMany, "最多上传 2 个附件")
        try await store.store(
            [UploadedFile(name: "1.pdf", data: pdf)], owner: owner, organizationID: organization, uploadedBy: nil, check: check, on: app.db)
        // One stored: two more would make three.
        let again = await refusal {
            try await self.store.store(
                Array(three.prefix(2)), owner: owner, organizationID: self.organization, uploadedBy: nil, check: check, on: self.app.db)
        }
        XCTAssertEqual(again, "每项最多 2 个附件，已有 1 个，还可上传 1 个")
        // Another owner's files do not count; empty files are skipped.
        let stored = try await store.store(
            [UploadedFile(name: "a.png", data: png), UploadedFile(name: "空.pdf", data: Data())], owner: CaseFiles.owner(otherCase),
            organizationID: organization, uploadedBy: nil, check: check, on: app.db)
        XCTAssertEqual(stored.map(\.fileName), ["a.png"])
        XCTAssertEqual(stored.map(\.kind), [.png])
        expectEqual(try await store.list(owner, on: app.db).map(\.fileName), ["1.pdf"])
    }

    func testTheRowHoldsSealedContentAndLoadOpensIt() async throws {
        let user = UUID(uuidString: "0B000000-0000-0000-0000-000000000001")!
        let stored = try await store.store(
            [UploadedFile(name: "身份证明.pdf", data: pdf)], owner: CaseFiles.owner(caseID), organizationID: organization, uploadedBy: user,
            check: CaseFiles.check, on: app.db)
        let id = try XCTUnwrap(stored.first?.id)
        let row = try await XCTUnwrapAsync(
            try await app.db.sql().raw(
                "SELECT content, sha256, size, kind, owner_module, uploaded_by FROM platform_files WHERE id = \(bind: id)"
            )
            .first())
        let content = try row.decode(column: "content", as: Data.self)
        XCTAssertNotEqual(content, pdf)
        XCTAssertNil(content.range(of: Data("%PDF-1.4".utf8)), "no plain bytes in the row")
        XCTAssertEqual(content.count, pdf.count + 29)
        XCTAssertEqual(try app.platform.secrets.open(content), pdf)
        XCTAssertEqual(try row.decode(column: "sha256", as: String.self), Digest.sha256Hex(pdf))
        XCTAssertEqual(try row.decode(column: "size", as: Int.self), 47)
        XCTAssertEqual(try row.decode(column: "kind", as: String.self), "pdf")
        XCTAssertEqual(try row.decode(column: "owner_module", as: String.self), "servicehall")
        XCTAssertEqual(try row.decode(column: "uploaded_by", as: UUID?.self), user)

        let loaded = try await XCTUnwrapAsync(try await store.load(id, on: app.db))
        XCTAssertEqual(loaded.content, pdf)
        XCTAssertEqual(loaded.info.label, "身份证明.pdf（PDF，1 KB）")
        XCTAssertEqual(loaded.info.link, "/files/\(id.uuidString)")
        // Audited, with the content left out of the summary.
        let audit = try await AuditEntry.query(on: app.db).filter(\.$entityType == "stored_file").first()
        XCTAssertTrue(audit?.summary.contains("content=（已隐藏）") ?? false, audit?.summary ?? "no audit entry")
    }

    func testDeleteAllRemovesTheOwnersFilesOnly() async throws {
        for owner in [caseID, otherCase] {
            try await store.store(
                [UploadedFile(name: "a.pdf", data: pdf), UploadedFile(name: "b.png", data: png)], owner: CaseFiles.owner(owner),
                organizationID: organization, uploadedBy: nil, check: CaseFiles.check, on: app.db)
        }
        try await store.deleteAll(CaseFiles.owner(caseID), on: app.db)
        expectEqual(try await store.list(CaseFiles.owner(caseID), on: app.db).count, 0)
        expectEqual(try await store.list(CaseFiles.owner(otherCase), on: app.db).map(\.fileName), ["a.pdf", "b.png"])
        expectEqual(try await AuditEntry.query(on: app.db).filter(\.$entityType == "stored_file").filter(\.$action == "delete").count(), 2)
    }

    func testTheRetentionJobDeletesCaseFilesAfterThreeYearsAndKeepsEvidence() async throws {
        try await store.store(
            [UploadedFile(name: "a.pdf", data: pdf)], owner: CaseFiles.owner(caseID), organizationID: organization, uploadedBy: nil,
            check: CaseFiles.check, on: app.db)
        try await store.store(
            [UploadedFile(name: "佐证.pdf", data: pdf)], owner: PlanFiles.owner(otherCase), organizationID: organization, uploadedBy: nil,
            check: PlanFiles.check, on: app.db)
        let file = try await XCTUnwrapAsync(try await StoredFile.query(on: app.db).filter(\.$ownerType == "case").first())
        XCTAssertEqual(file.retainUntil, Date(timeIntervalSince1970: 1_795_000_000 + 1095 * 86_400))
        let job = try XCTUnwrap(app.platform.registry.modules.flatMap(\.backgroundJobs).first { $0.name == "platform.purge_files" })
        try await job.run(app.db, app.platform)
        expectEqual(try await StoredFile.query(on: app.db).count(), 2)
        clock.advance(minutes: 1095 * 1440 + 1)
        try await job.run(app.db, app.platform)
        expectEqual(try await StoredFile.query(on: app.db).all().map(\.ownerType), ["plan_report"])
    }

    func testAnUndeclaredOwnerTypeIsAProgrammingError() async throws {
        let message = await refusal {
            try await self.store.store(
                [UploadedFile(name: "a.pdf", data: self.pdf)], owner: FileOwner(module: "servicehall", type: "posting", id: self.caseID),
                organizationID: self.organization, uploadedBy: nil, check: CaseFiles.check, on: self.app.db)
        }
        XCTAssertEqual(message, "\(PlatformError.internalError)")
    }
}
