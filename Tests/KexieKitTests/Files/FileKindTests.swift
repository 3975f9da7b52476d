import Foundation
import XCTest

@testable import KexieKit

final class FileKindTests: XCTestCase {
    func testKindsComeFromContentNotNames() throws {
        XCTAssertEqual(FileKind.detect(Data("%PDF-1.7\n%âãÏÓ\n".utf8)), .pdf)
        XCTAssertEqual(FileKind.detect(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])), .png)
        XCTAssertEqual(FileKind.detect(Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 16])), .jpeg)
        XCTAssertNil(FileKind.detect(Data("MZ\u{90}\0\u{3}\0".utf8)), "a Windows executable is refused whatever its name")
        XCTAssertNil(FileKind.detect(Data("<html><script>alert(1)</script>".utf8)))
        XCTAssertNil(FileKind.detect(Data()))
        // A real XLSX written by KexieKit is recognized as a spreadsheet; a plain ZIP is not an Office file.
        let xlsx = try XLSXWriter().write([SpreadsheetSheet(name: "S", header: ["a"], rows: [[.text("1")]])])
        XCTAssertEqual(FileKind.detect(xlsx), .xlsx)
        XCTAssertNil(FileKind.detect(Data([0x50, 0x4B, 0x03, 0x04]) + Data("payload.exe".utf8)))
    }
}
