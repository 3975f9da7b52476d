import Foundation

extension SearchPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "全站搜索")
        h.el(.form, .method("get"), .action(PlatformRoutes.search()), .class("filters search-form"), .role("search")) { h in
            let invalid = problem != nil
            h.el(.div, .class(dynamic: invalid ? "field invalid" : "field")) { h in
                h.el(.label, .for("search-q"), raw: "搜索内容")
                h.void(
                    .input, .id("search-q"), .name("q"), .type("search"), .value(query), .attr("maxlength", literal: "100"),
                    .attr("aria-invalid", invalid ? "true" : nil),
                    .attr("aria-describedby", invalid ? "search-q-error" : "search-q-hint"))
                if let problem {
                    h.el(.p, .class("field-error"), .id("search-q-error"), text: problem)
                } else {
                    h.el(.p, .class("hint"), .id("search-q-hint"), raw: "至少 2 个字，最多 100 个字")
                }
            }
            h.el(.button, .type("submit"), .class("button"), raw: "搜索")
        }
        guard problem == nil, !query.isEmpty else {
            if !signedIn { h.el(.p, .class("muted"), raw: "未登录时只搜索公开信息（公开答复、已发布的技术供给与需求、公开的通知公告）。") }
            return
        }
        let total = groups.reduce(0) { $0 + $1.hits.count }
        h.el(.p, .class("muted"), .id("search-summary"), .role("status")) { h in
            if total == 0 {
                h.raw("没有找到与“")
                h.text(query)
                h.raw("”相关的内容。")
            } else {
                h.raw("找到 ")
                h.text(String(total))
                h.raw(" 条结果，按类别列出（每类最多 ")
                h.text(String(perKind))
                h.raw(" 条）。")
            }
            if !signedIn { h.raw("未登录时只搜索公开信息，登录后可搜索本组织及下级的更多内容。") }
        }
        if groups.count > 1 {
            h.el(.nav, .class("search-kinds"), .attr("aria-label", literal: "结果类别")) { h in
                h.el(.ul) { h in
                    for group in groups {
                        h.el(.li) { h in
                            h.el(.a, .href("#search-kind-" + group.kind)) { h in
                                h.text(group.label)
                                h.raw(" ")
                                h.el(.span, .class("badge"), text: count(group))
                            }
                        }
                    }
                }
            }
        }
        for group in groups {
            h.el(
                .section, .class("search-group"), .id(dynamic: "search-kind-" + group.kind), .attr("data-search-group", group.kind),
                .attr("aria-labelledby", "search-kind-" + group.kind + "-title")
            ) { h in
                h.el(.h2, .id(dynamic: "search-kind-" + group.kind + "-title")) { h in
                    h.text(group.label)
                    h.raw(" ")
                    h.el(.span, .class("badge"), .attr("data-search-count", String(group.hits.count)), text: count(group))
                }
                h.el(.ul, .class("search-results")) { h in
                    for hit in group.hits {
                        h.el(.li, .attr("data-search-kind", hit.kind)) { h in
                            h.el(.a, .href(hit.link), text: hit.title)
                            if !hit.snippet.isEmpty { h.el(.p, .class("muted"), text: hit.snippet) }
                        }
                    }
                }
            }
        }
    }

    private func count(_ group: SearchGroup) -> String {
        group.more ? "前 \(group.hits.count) 条" : "\(group.hits.count) 条"
    }
}
