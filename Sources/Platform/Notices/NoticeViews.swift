import Foundation

extension HTML {
    /// The 置顶 and 内部 badges of a notice.
    mutating func noticeBadges(isPinned: Bool, isPublic: Bool) {
        if isPinned { el(.span, .class("badge pinned"), raw: "置顶") }
        if !isPublic { el(.span, .class("badge internal"), raw: "内部") }
    }

    /// A list of notices (title, badges, organization and day), as the portal and `/notices` show it.
    mutating func noticeList(_ rows: [NoticeRow], id: String) {
        el(.ul, .class("notice-list"), .id(dynamic: id)) { h in
            for row in rows {
                h.el(.li, .attr("data-notice", row.id.uuidString)) { h in
                    h.el(.a, .href(row.link), text: row.title)
                    h.noticeBadges(isPinned: row.isPinned, isPublic: row.isPublic)
                    h.el(.span, .class("notice-meta")) { h in
                        h.text(row.organization)
                        h.raw(" · ")
                        h.el(.time, text: row.publishedDay)
                    }
                }
            }
            if rows.isEmpty { h.el(.li, .class("muted"), raw: "暂无通知公告") }
        }
    }
}

extension NoticeListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "通知公告")
            if let manageLink { h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(manageLink), raw: "管理通知公告") } }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("标题或正文"))
            }
            if let visibilities { h.selectField("visibility", "公开范围", visibilities) }
            h.selectField("sort", "排序", sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
        }
        h.noticeList(rows, id: "notices")
        h.pager(list.pager)
    }
}

extension NoticeManagePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "通知公告管理")
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(PlatformRoutes.notices()), raw: "查看公告栏")
                if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), .id("new-notice"), raw: "发布通知公告") }
            }
        }
        h.el(.p, .class("muted"), raw: "本单位及下级单位发布的通知公告，含待发布和已撤回的。公开的在门户和公告栏向所有人显示；内部的只向发布单位及其下级单位的登录用户显示。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("标题或正文"))
            }
            h.selectField("organization", "发布单位", organizations)
            h.selectField("visibility", "公开范围", visibilities)
            h.selectField("status", "状态", statuses)
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
            .id("manage-notices"),
            head: { h in h.columnHeaders(["标题", "发布单位", "公开范围", "发布时间", "状态", "操作"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-notice", r.id.uuidString)) { h in
                        h.el(.td) { h in
                            h.el(.a, .href(r.link), text: r.title)
                            if r.isPinned { h.el(.span, .class("badge pinned"), raw: "置顶") }
                        }
                        h.el(.td, text: r.organization)
                        h.el(.td) { h in if r.isPublic { h.raw("公开") } else { h.raw("内部") } }
                        h.el(.td, .class("nowrap"), text: r.published)
                        h.el(.td, .class("nowrap")) { h in
                            h.el(
                                .span, .class(dynamic: "status status-" + r.statusClass), .attr("data-status", r.statusClass),
                                text: r.status)
                        }
                        h.el(.td) { h in if let edit = r.editLink { h.el(.a, .href(edit), raw: "修改") } }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 6, "暂无通知公告") }
            })
        h.pager(list.pager)
    }
}

extension NoticeDetailPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(PlatformRoutes.notices()), raw: "← 通知公告") }
        if let status {
            h.el(.p, .class("form-error"), .id("notice-status"), text: status)
        }
        h.el(.article, .class("notice-article card"), .id("notice")) { h in
            h.el(.h1, text: title)
            h.el(.p, .class("notice-meta")) { h in
                h.raw("发布单位：")
                h.el(.span, .id("notice-organization"), text: organization)
                h.raw(" · 发布时间：")
                h.el(.time, .id("notice-published"), text: published)
                h.raw(" ")
                h.noticeBadges(isPinned: isPinned, isPublic: isPublic)
            }
            h.el(.div, .class("notice-body"), .id("notice-body")) { h in h.markdown(body) }
            if !attachments.isEmpty {
                h.el(.section, .class("notice-attachments"), .id("notice-attachments")) { h in
                    h.el(.h2, raw: "附件")
                    h.el(.ul) { h in
                        for file in attachments {
                            h.el(.li) { h in
                                h.el(
                                    .a, .href(file.link), .attr("data-file", file.id.uuidString), .attr("download", file.fileName),
                                    text: file.label)
                            }
                        }
                    }
                }
            }
        }
        if let editLink {
            h.el(.div, .class("actions"), .id("notice-actions")) { h in
                h.el(.a, .class("button"), .href(editLink), .id("edit-notice"), raw: "修改")
                if let withdrawLink {
                    h.el(.form, .method("post"), .action(withdrawLink), .class("inline")) { h in
                        shell.writeCSRF(&h)
                        h.el(.button, .type("submit"), .class("button danger"), .id("withdraw-notice"), raw: "撤回")
                    }
                }
            }
        }
    }
}

extension NoticeFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(PlatformRoutes.manageNotices()), raw: "← 通知公告管理") }
        h.el(.h1, text: heading)
        h.formErrorSummary(errors, labels: NoticeService.fieldLabels, order: NoticeService.fieldOrder)
        h.el(
            .form, .method("post"), .action(action), .attr("enctype", literal: "multipart/form-data"), .class("card stack"),
            .id("notice-form")
        ) {
            h in
            shell.writeCSRF(&h)
            h.formField("organization", label: "发布单位", control: .select(organizations), errors: errors)
            h.formField(
                "title", label: "标题", control: .input(type: "text", value: values["title"], extra: [.attr("maxlength", literal: "120")]),
                errors: errors)
            h.formField(
                "body", label: "正文", control: .textarea(rows: "14", value: values["body"]), errors: errors,
                hint: "可用简单格式：“## ”小标题，“- ”列表，**加粗**，[链接文字](https://…)。网页代码会原样显示为文字。")
            h.el(.fieldset, .class(dynamic: errors["visibility"] == nil ? "field" : "field invalid"), .id("visibility")) { h in
                h.el(.legend, raw: "公开范围")
                for (value, label) in [("public", "公开：门户和公告栏向所有人显示"), ("internal", "内部：仅发布单位及下级单位的登录用户可见")] {
                    h.el(.label, .class("choice")) { h in
                        h.void(
                            .input, .type("radio"), .name("visibility"), .value(value), .id(dynamic: "visibility-" + value),
                            .flag("checked", values["visibility"] == value))
                        h.text(label)
                    }
                }
                h.fieldError(errors, "visibility")
            }
            h.el(.div, .class("field")) { h in
                h.el(.label, .class("choice")) { h in
                    h.void(
                        .input, .type("checkbox"), .name("pinned"), .attr("value", literal: "yes"), .id("pinned"), .flag("checked", pinned))
                    h.raw("置顶（在门户和公告栏排在最前）")
                }
            }
            h.formField(
                "publishAt", label: "发布时间", control: .input(type: "datetime-local", value: values["publishAt"]), errors: errors,
                hint: "晚于现在的时间为定时发布，到时才显示。")
            if !attachments.isEmpty {
                h.el(.div, .class("field")) { h in
                    h.el(.p, raw: "已有附件")
                    h.el(.ul, .id("existing-attachments")) { h in
                        for file in attachments { h.el(.li) { h in h.el(.a, .href(file.link), text: file.label) } }
                    }
                }
            }
            // `files[]`: the multipart decoder reads repeated parts into the list only under that name.
            h.el(.div, HTML.fieldClass(errors, "files")) { h in
                h.el(.label, .for("files"), raw: "附件")
                let invalid = errors["files"] != nil
                h.void(
                    .input, .type("file"), .id("files"), .name("files[]"), .flag("multiple"), .attr("aria-invalid", invalid ? "true" : nil),
                    .attr("aria-describedby", invalid ? "files-hint files-error" : "files-hint"))
                h.el(.p, .class("hint"), .id("files-hint"), raw: "最多 5 个，每个不超过 10 MB；PDF、图片或 Word/Excel/PowerPoint 文件。")
                h.fieldError(errors, "files")
            }
            h.el(.button, .type("submit"), .class("button primary"), .id("save-notice"), raw: "保存")
        }
    }
}
