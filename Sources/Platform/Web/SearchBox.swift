import Foundation

extension PageShell {
    /// The header's search box (全站搜索): a plain GET form to `/search`, so it works without script.
    func writeSearchBox(_ h: inout HTML) {
        h.el(.form, .class("site-search"), .role("search"), .method("get"), .action(PlatformRoutes.search())) { h in
            h.el(.label, .for("site-search"), .class("visually-hidden"), raw: "全站搜索")
            h.void(
                .input, .id("site-search"), .name("q"), .type("search"), .attr("maxlength", literal: "100"),
                .placeholder("输入关键词搜索"))
            h.el(.button, .type("submit"), .class("button small"), raw: "搜索")
        }
    }
}
