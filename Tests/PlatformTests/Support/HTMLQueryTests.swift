import XCTest

@testable import Platform

/// The page reader tests use: it must find what our writer writes, and nothing that is not there.
final class HTMLQueryTests: XCTestCase {
    static let sample = """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>案件</title><script>if (a < b) { x = "</p>"; }</script></head>
        <body><main>
        <p id="case-state" class="badge state-open" data-access="public">已受理</p>
        <p class="field-error" id="title-error">请填写标题（4–100 个字）</p>
        <input type="text" name="title" value="A &amp; B &quot;Q&quot; &#39;s&#39;">
        <textarea name="body">line &lt;1&gt;</textarea>
        <select name="state" id="state-filter"><option value="">全部</option><option value="open" selected>办理中</option></select>
        <table id="cases"><thead><tr><th>编号</th><th>状态</th></tr></thead>
        <tbody><tr data-case="1"><td><a href="/cases/1">C-1</a></td><td>  办理
           中 </td></tr><tr data-case="2"><td>C-2</td><td>已办结<br>2026-11-17</td></tr></tbody></table>
        <svg><rect x="0" width="10%"></rect><text x="1">42</text></svg>
        </main></body></html>
        """

    func testFindsAnElementByIdWithItsTextAndAttributes() {
        let page = ParsedPage(Self.sample)
        XCTAssertEqual(page.element(id: "case-state")?.text, "已受理")
        XCTAssertEqual(page.element(id: "case-state")?.attribute("data-access"), "public")
        XCTAssertEqual(page.element(id: "case-state")?.classes, ["badge", "state-open"])
        XCTAssertNil(page.element(id: "missing"))
        XCTAssertEqual(page.elements(attribute: "data-case").count, 2)
        XCTAssertEqual(page.elements(attribute: "data-case", value: "2").first?.text, "C-2已办结2026-11-17")
    }

    func testReadsTheBodyRowsOfATableButNotItsHeader() {
        let page = ParsedPage(Self.sample)
        XCTAssertEqual(page.rows(inTable: "cases"), [["C-1", "办理 中"], ["C-2", "已办结2026-11-17"]])
        XCTAssertEqual(page.rowElements(inTable: "cases").first?.elements("a").first?.attribute("href"), "/cases/1")
        XCTAssertEqual(page.rows(inTable: "nothing"), [])
    }

    func testReadsFieldErrorsValuesAndTheSelectedOption() {
        let page = ParsedPage(Self.sample)
        XCTAssertEqual(page.fieldError("title"), "请填写标题（4–100 个字）")
        XCTAssertNil(page.fieldError("body"))
        XCTAssertEqual(page.fieldValue("title"), "A & B \"Q\" 's'")
        XCTAssertEqual(page.fieldValue("body"), "line <1>")
        XCTAssertEqual(page.selectedOption("state"), "open")
        XCTAssertEqual(page.selectedOptionText("state-filter"), "办理中")
    }

    func testScriptTextDoesNotOpenOrCloseElements() {
        let page = ParsedPage(Self.sample)
        XCTAssertEqual(page.elements("p").count, 2)
        XCTAssertEqual(page.elements("rect").first?.attribute("width"), "10%")
        XCTAssertEqual(page.elements("text").first?.text, "42")
        XCTAssertEqual(page.links, ["/cases/1"])
    }

    func testReadsWhatTheWriterWrites() {
        var h = HTML()
        h.el(.div, .id("notice"), .attr("data-kind", "x<y>&\"'")) { h in
            h.text("甲 & 乙 <b> \"引\" '单'")
            h.void(.br)
            h.el(.span, text: "丙")
        }
        let element = ParsedPage(h.string).element(id: "notice")
        XCTAssertEqual(element?.attribute("data-kind"), "x<y>&\"'")
        XCTAssertEqual(element?.text, "甲 & 乙 <b> \"引\" '单'丙")
        XCTAssertEqual(element?.children.map(\.tag), ["br", "span"])
    }
}
