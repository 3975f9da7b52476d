import XCTest

@testable import KexieKit

/// Notices' bodies: the subset renders, and nothing in the source becomes markup or a script target.
final class SafeMarkdownTests: XCTestCase {
    func testTheSubsetRendersHeadingsListsParagraphsBoldCodeAndLinks() {
        let source = """
            ## 申报要求
            请于 **12月20日前** 提交，见[申报指南](/notices/1)。
            第二行

            - 填写 `申报书`
            - 盖章
            1. 初审
            2. 公示
            """
        XCTAssertEqual(
            SafeMarkdown.html(source),
            """
            <h2>申报要求</h2>
            <p>请于 <strong>12月20日前</strong> 提交，见<a href="/notices/1">申报指南</a>。<br>
            第二行</p>
            <ul>
            <li>填写 <code>申报书</code></li>
            <li>盖章</li>
            </ul>
            <ol>
            <li>初审</li>
            <li>公示</li>
            </ol>

            """)
    }

    func testRawHTMLInTheSourceComesOutEscaped() {
        XCTAssertEqual(
            SafeMarkdown.html("<script>alert(1)</script> <img src=x onerror=alert(1)>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n")
        XCTAssertEqual(SafeMarkdown.html("**<b>x</b>**"), "<p><strong>&lt;b&gt;x&lt;/b&gt;</strong></p>\n")
        XCTAssertEqual(SafeMarkdown.html("# \"引号\" & 'x'"), "<h2>&quot;引号&quot; &amp; &#39;x&#39;</h2>\n")
        // The highest heading is <h2> under the page's <h1>, and levels are never skipped.
        XCTAssertEqual(SafeMarkdown.html("### 一\n# 二\n### 三"), "<h2>一</h2>\n<h2>二</h2>\n<h3>三</h3>\n")
        XCTAssertEqual(SafeMarkdown.html("## 一\n### 二"), "<h2>一</h2>\n<h3>二</h3>\n")
    }

    func testOnlyHTTPHTTPSAndRelativeTargetsBecomeLinks() {
        XCTAssertEqual(SafeMarkdown.html("[点我](javascript:alert(1))"), "<p>点我)</p>\n")
        XCTAssertEqual(SafeMarkdown.html("[点我](JavaScript:alert`1`)"), "<p>点我</p>\n")
        XCTAssertEqual(SafeMarkdown.html("[x](data:text/html;base64,PHNjcmlwdD4=)"), "<p>x</p>\n")
        XCTAssertEqual(SafeMarkdown.html("[x](java\tscript:alert)"), "<p>x</p>\n")
        XCTAssertEqual(SafeMarkdown.html("[x](vbscript:msgbox)"), "<p>x</p>\n")
        XCTAssertEqual(
            SafeMarkdown.html("[官网](https://www.cast.org.cn/a?b=1&c=\"2\")"),
            "<p><a href=\"https://www.cast.org.cn/a?b=1&amp;c=&quot;2&quot;\" rel=\"noopener noreferrer\">官网</a></p>\n")
        XCTAssertEqual(SafeMarkdown.html("[附件](files/a.pdf)"), "<p><a href=\"files/a.pdf\">附件</a></p>\n")
        XCTAssertEqual(SafeMarkdown.html("[x](/a:b)"), "<p><a href=\"/a:b\">x</a></p>\n")
        XCTAssertEqual(
            SafeMarkdown.html("[x](\" onmouseover=alert(1) x=\")"), "<p><a href=\"&quot;onmouseover=alert(1\">x</a> x=&quot;)</p>\n")
        // An entity stays text: the browser reads the target as the relative path "javascript&#58;alert(1".
        XCTAssertEqual(SafeMarkdown.html("[x](javascript&#58;alert(1))"), "<p><a href=\"javascript&amp;#58;alert(1\">x</a>)</p>\n")
    }

    func testPlainTextDropsMarkupForSnippets() {
        XCTAssertEqual(SafeMarkdown.plainText("## 标题\n- **一**项\n见[指南](https://a.cn)"), "标题 一项 见指南")
    }
}
