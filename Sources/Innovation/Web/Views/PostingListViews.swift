import Platform

extension InnovationHomePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "科创对接")
        h.el(.p, .class("muted"), raw: "技术供给与技术需求经科协审核后公开发布，平台按关键词、行业、地区和技术成熟度给出匹配结果及理由，促成对接直至项目落地。")
        h.el(.div, .class("panels")) { h in
            h.el(.section, .class("card panel"), .id("innovation-browse")) { h in
                h.el(.h2, raw: "供需信息")
                h.el(.ul, .class("link-list")) { h in
                    for l in browse {
                        h.el(.li) { h in
                            h.el(.a, .href(l.path), text: l.label)
                            if let note = l.note {
                                h.raw(" ")
                                h.el(.span, .class("muted"), text: note)
                            }
                        }
                    }
                }
            }
            if !post.isEmpty {
                h.el(.section, .class("card panel"), .id("innovation-post")) { h in
                    h.el(.h2, raw: "发布")
                    h.el(.ul, .class("link-list")) { h in
                        for l in post { h.el(.li) { h in h.el(.a, .class("button primary"), .href(l.path), text: l.label) } }
                    }
                }
            }
            h.el(.section, .class("card panel"), .id("innovation-manage")) { h in
                h.el(.h2, raw: "对接与管理")
                h.el(.ul, .class("link-list")) { h in
                    for l in manage {
                        h.el(.li) { h in
                            h.el(.a, .href(l.path), text: l.label)
                            if let note = l.note {
                                h.raw(" ")
                                h.el(.span, .class("badge"), text: note)
                            }
                        }
                    }
                }
            }
        }
    }
}

extension PostingReviewPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(InnovationRoutes.home.path), raw: "← 科创对接") }
        h.el(.h1, raw: "待审核的供需信息")
        h.el(.p, .class("muted"), raw: "本单位及下级提交的技术供给和技术需求，按提交先后排列。打开后可审核通过并发布，或写明理由退回修改。")
        h.dataTable(
            .id("review-queue"), head: { h in h.columnHeaders(["名称", "类别", "发布方", "地区", "提交时间"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.kind)
                        h.el(.td, text: r.owner)
                        h.el(.td, text: r.region)
                        h.el(.td, text: r.submitted)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "暂无待审核的信息") }
            })
    }
}

extension PostingListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, text: heading)
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(otherLink), text: "查看" + otherLabel)
                if let newLink { h.el(.a, .class("button primary"), .href(newLink), .id("new-posting"), text: "发布" + heading) }
                if let registerLink { h.el(.a, .class("button"), .href(registerLink), .id("register-enterprise"), raw: "企业注册") }
            }
        }
        h.el(.p, .class("muted")) { h in
            h.text(intro)
            if let registerLink {
                h.raw(" 企业发布需求请先")
                h.el(.a, .href(registerLink), raw: "注册企业账号")
                h.raw("。")
            }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("名称、简介、关键词"))
            }
            h.selectField("industry", "行业", industries)
            h.inputField("region", "地区", value: region, placeholder: "如 东港市")
            if isSupply {
                h.selectField("readiness", "技术成熟度", readiness)
                h.selectField("mode", "合作方式", modes)
            }
            h.selectField("sort", "排序", sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            h.el(.span, .class("exports")) { h in
                h.raw("导出：")
                h.el(.a, .href(list.csvLink), .id("export-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(list.xlsxLink), .id("export-xlsx"), raw: "Excel")
            }
        }
        h.dataTable(
            .id("postings"),
            head: { h in
                h.columnHeaders(["名称"])
                h.el(.th, .attr("scope", literal: "col")) { h in h.raw(isSupply ? "成果持有方" : "需求单位") }
                h.columnHeaders(["行业", "地区"])
                if isSupply { h.columnHeaders(["技术成熟度"]) } else { h.columnHeaders(["揭榜截止", "预算"]) }
                h.columnHeaders(["发布日期"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.owner)
                        h.el(.td, text: r.industry)
                        h.el(.td, text: r.region)
                        if isSupply {
                            h.el(.td, text: r.readiness)
                        } else {
                            h.el(.td, text: r.deadline)
                            h.el(.td, text: r.budget)
                        }
                        h.el(.td, text: r.published)
                    }
                }
                if rows.isEmpty {
                    h.el(.tr) { h in h.el(.td, .attr("colspan", literal: "7"), .class("muted"), text: "没有符合条件的" + heading) }
                }
            })
        h.pager(list.pager)
    }
}

extension PostingMinePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "我的发布")
            h.el(.div, .class("actions")) { h in
                for l in newLinks {
                    h.el(.a, .class("button primary"), .href(l.value), text: l.label)
                    h.raw(" ")
                }
            }
        }
        h.el(.p, .class("muted"), raw: "本人及本单位发布的技术供给和技术需求，包括草稿、待审核、已发布、已关闭和已过期的。草稿可修改后提交审核。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "名称", value: list.q)
            h.selectField("kind", "类别", kinds)
            h.selectField("state", "状态", states)
            h.selectField("sort", "排序", sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("my-postings"), head: { h in h.columnHeaders(["名称", "类别", "状态", "更新时间", "发布日期", "操作"]) },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.kind)
                        h.el(.td) { h in h.el(.span, .attr("class", "badge posting-" + r.stateClass), text: r.state) }
                        h.el(.td, text: r.updated)
                        h.el(.td, text: r.published)
                        h.el(.td) { h in
                            if let editLink = r.editLink { h.el(.a, .href(editLink), raw: "修改") }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 6, "暂无发布") }
            })
        h.pager(list.pager)
    }
}
