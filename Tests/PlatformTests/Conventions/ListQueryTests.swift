import Foundation
import XCTVapor

@testable import Platform

/// Lists read their query string once and their page in one statement.
final class ListQueryTests: DemoTestCase {
    func testTheQueryStringIsSplitAsBrowsersEncodeIt() {
        XCTAssertEqual(
            ListParameters.parse("q=%E7%8E%8B+%E5%BB%BA&sort=name&dir=desc&page=2&org=&q=second"),
            ["q": "王 建", "sort": "name", "dir": "desc", "page": "2", "org": ""])
        XCTAssertEqual(ListParameters.parse("a%26b=1%3D2&bare"), ["a&b": "1=2", "bare": ""])
        XCTAssertEqual(ListParameters.parse(""), [:])
    }

    func testAPageParameterOutsideItsBoundsIsRefusedNamingIt() async throws {
        let admin = try await loggedIn("demo.orgadmin")
        let refused = try await admin.get("/people?page=0")
        XCTAssertEqual(refused.status, .unprocessableEntity)
        let tooFar = try await admin.get("/people?page=99999999999")
        XCTAssertEqual(tooFar.status, .unprocessableEntity)
        // Past the last page: no rows, and the count still says how many there are.
        let past = try await admin.get("/people?page=500")
        XCTAssertEqual(past.status, .ok)
        XCTAssertEqual(past.page.rows(inTable: "people"), [["没有符合条件的科技工作者"]])
        let first = try await admin.get("/people").page.element(id: "result-count")?.text ?? ""
        XCTAssertTrue(first.hasPrefix("共 "), first)
        XCTAssertEqual(past.page.element(id: "result-count")?.text, first, "the past-the-end page still counts")
    }
}
