extension OrganizationListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "组织机构")
            if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), raw: "新建组织") }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "名称", value: list.q, placeholder: "输入名称关键字")
            h.selectField("kind", "类型", kinds)
            h.selectField("status", "状态", statuses)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            head: { h in
                h.sortHeaders(list.headers)
                h.columnHeaders(["上级组织", "地区", "状态"])
            },
            body: { h in
                for row in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(row.link), text: row.name) }
                        h.el(.td, text: row.kind)
                        h.el(.td, text: row.parent)
                        h.el(.td, text: row.region)
                        h.el(.td, text: row.status)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "没有符合条件的组织") }
            })
        h.pager(list.pager)
    }
}

extension OrganizationDetailPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p, .class("breadcrumb")) { h in
            for name in path { h.el(.span, text: name) }
        }
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, text: name)
            if canWrite { h.el(.a, .class("button"), .href(editLink), raw: "编辑") }
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("类型", kind)
                h.fact("地区", region)
                h.fact("成立年份", establishedYear)
                h.fact("状态", status)
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "机关部室")
            if departments.isEmpty {
                h.el(.p, .class("muted"), raw: "暂无部门。")
            } else {
                h.el(.ul, .class("tags")) { h in
                    for d in departments { h.el(.li, text: d) }
                }
            }
            if canWrite {
                h.el(.form, .method("post"), .action(departmentAction), .class("inline-form"), .flag("novalidate")) { h in
                    shell.writeCSRF(&h)
                    h.el(.div, .class("field")) { h in
                        h.el(.label, .for("departmentName"), raw: "新增部门")
                        h.void(.input, .id("departmentName"), .name("departmentName"), .placeholder("例如：科普部"))
                    }
                    h.el(.button, .type("submit"), .class("button"), raw: "添加")
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "下级组织")
            if children.isEmpty {
                h.el(.p, .class("muted"), raw: "暂无下级组织。")
            } else {
                h.dataTable(
                    head: { h in h.columnHeaders(["名称", "类型", "状态"]) },
                    body: { h in
                        for c in children {
                            h.el(.tr) { h in
                                h.el(.td) { h in h.el(.a, .href(c.link), text: c.name) }
                                h.el(.td, text: c.kind)
                                h.el(.td, text: c.status)
                            }
                        }
                    })
            }
        }
        if canWrite { writeAdjustments(&h) }
    }

    private func writeAdjustments(_ h: inout HTML) {
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "调整")
            h.el(.form, .method("post"), .action(moveAction), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.organizationPicker("parentID", id: "move-parent", label: "移动到上级组织", moveTarget, errors: [:])
                h.el(.button, .type("submit"), .class("button"), .attr("data-confirm", literal: "确定将该组织及其全部下级组织移动到所选上级组织之下？"), raw: "移动")
            }
            h.el(.form, .method("post"), .action(deactivateAction), .class("inline-form")) { h in
                shell.writeCSRF(&h)
                if isActive {
                    h.el(
                        .button, .type("submit"), .class("button danger"),
                        .attr("data-confirm", literal: "停用后该组织将不再出现在选择列表中，记录仍然保留。确定停用？"), raw: "停用组织")
                } else {
                    h.void(.input, .type("hidden"), .name("activate"), .attr("value", literal: "yes"))
                    h.el(.button, .type("submit"), .class("button"), raw: "重新启用")
                }
            }
        }
    }
}

extension OrganizationFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, text: heading)
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "name")) { h in
                    h.el(.label, .for("name"), raw: "组织名称")
                    let invalid = errors["name"] != nil
                    h.void(
                        .input, .id("name"), .name("name"), .value(name), .required, .attr("aria-invalid", invalid ? "true" : nil),
                        .attr("aria-describedby", invalid ? "name-error" : nil))
                    h.fieldError(errors, "name")
                }
                h.selectField("kind", label: "组织类型", kinds, errors: errors)
                h.selectField("level", label: "层级（科协必填）", levels, errors: errors)
                if let parent { h.organizationPicker("parentID", label: "上级组织", parent, errors: errors) }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("region"), raw: "所在地区")
                    h.void(.input, .id("region"), .name("region"), .value(region), .placeholder("例如：东港市青石县"))
                }
                h.el(.div, HTML.fieldClass(errors, "establishedYear")) { h in
                    h.el(.label, .for("establishedYear"), raw: "成立年份")
                    let invalid = errors["establishedYear"] != nil
                    h.void(
                        .input, .id("establishedYear"), .name("establishedYear"), .value(establishedYear),
                        .attr("inputmode", literal: "numeric"),
                        .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "establishedYear-error" : nil))
                    h.fieldError(errors, "establishedYear")
                }
                h.el(.div, .class("actions")) { h in
                    h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
                    h.el(.a, .class("button"), .href(cancelLink), raw: "取消")
                }
            }
        }
    }
}
