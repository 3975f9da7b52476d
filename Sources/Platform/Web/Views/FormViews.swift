import Foundation

extension FormListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "表单")
            if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), .id("new-form"), raw: "新建表单") }
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters")) { h in
            h.inputField("q", "搜索", value: list.q, placeholder: "表单名称")
            h.selectField("status", "状态", statuses)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
        }
        h.el(.p) { h in h.exports(list) }
        h.dataTable(
            .id("forms"),
            head: { h in
                h.sortHeader(list.headers[0])
                h.columnHeaders(["所属组织"])
                h.sortHeader(list.headers[1])
                h.columnHeaders(["当前版本"])
                h.sortHeader(list.headers[2])
            },
            body: { h in
                if rows.isEmpty { h.emptyRow(columns: 5, "还没有表单") }
                for row in rows {
                    h.el(.tr, .attr("data-status", row.statusCode)) { h in
                        h.el(.td) { h in h.el(.a, .href(row.link), text: row.title) }
                        h.el(.td, text: row.organization)
                        h.el(.td, text: row.status)
                        h.el(.td, text: row.version)
                        h.el(.td, text: row.updated)
                    }
                }
            })
        h.pager(list.pager)
    }
}

extension FormNewPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "新建表单")
        h.el(.section, .class("card")) { h in
            h.el(.form, .method("post"), .action(PlatformRoutes.forms()), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.formField(
                    "title", label: "表单名称", control: .input(type: "text", value: values["title"]), errors: errors, hint: "如“2026年学术年会参会报名表”"
                )
                h.formField("description", label: "填写说明", control: .textarea(rows: "3", value: values["description"]), errors: errors)
                h.organizationPicker("organization", label: "所属组织", organization, errors: errors, hint: "本组织及下级组织的人员可以填写")
                h.formField(
                    "purpose", label: "用途", control: .select(purposes), errors: errors,
                    hint: "在线填报：发布后在“在线填报”中填写；活动报名：发布后可在活动中选作报名表")
                h.el(.div, .class("actions")) { h in
                    h.el(.button, .type("submit"), .class("button primary"), .id("create-form"), raw: "创建并添加字段")
                    h.el(.a, .href(PlatformRoutes.forms()), raw: "取消")
                }
            }
        }
    }
}

extension FormBuilderPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(PlatformRoutes.forms()), raw: "← 表单列表") }
        h.el(.h1, text: title)
        if !details.isEmpty { h.el(.p, .class("muted"), text: details) }
        h.el(.dl, .class("facts"), .id("form-facts")) { h in
            h.fact("所属组织", organization)
            h.fact("状态", status)
            h.fact("当前版本", version)
            h.fact("提交份数", String(submissions))
        }
        if !problems.isEmpty {
            h.el(.div, .class("form-error"), .role("alert"), .id("builder-problems")) { h in
                h.el(.ul) { h in for problem in problems { h.el(.li, text: problem) } }
            }
        }
        h.el(.div, .class("actions"), .id("form-actions")) { h in
            h.el(.form, .method("post"), .action(PlatformRoutes.formPublish(formID)), .class("inline")) { h in
                shell.writeCSRF(&h)
                if hasChanges || statusCode != "published" {
                    h.el(
                        .button, .type("submit"), .class("button primary"), .id("publish-form"),
                        .attr("data-confirm", literal: "发布后此版本不能再修改，之后的修改将成为下一版本。确定发布？"),
                        raw: "发布")
                }
            }
            if statusCode == "published" {
                h.el(.form, .method("post"), .action(PlatformRoutes.formClose(formID)), .class("inline")) { h in
                    shell.writeCSRF(&h)
                    h.el(.button, .type("submit"), .class("button"), .id("close-form"), raw: "停止收集")
                }
            }
            h.el(.a, .class("button"), .href(answersLink), .id("answers-link"), raw: "填报数据")
            if let fillLink { h.el(.a, .class("button"), .href(fillLink), .id("fill-link"), raw: "打开填写页") }
        }
        if hasChanges && statusCode != "draft" {
            h.el(.p, .class("notice"), .id("unpublished-changes"), raw: "有尚未发布的修改；发布后成为下一版本，已提交的数据仍按原版本保存。")
        }
        h.el(.details, .id("form-settings")) { h in
            h.el(.summary, raw: "修改名称和说明")
            h.el(.form, .method("post"), .action(PlatformRoutes.formSettings(formID)), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.formField("title", label: "表单名称", control: .input(type: "text", value: title), errors: [:])
                h.formField("description", label: "填写说明", control: .textarea(rows: "3", value: details), errors: [:])
                h.el(.button, .type("submit"), .class("button small"), .id("save-settings"), raw: "保存")
            }
        }
        h.el(.section, .class("card form-builder")) { h in
            h.el(.h2, raw: "字段")
            writeFieldTable(&h)
            h.el(.form, .method("post"), .action(PlatformRoutes.formSections(formID)), .class("inline")) { h in
                shell.writeCSRF(&h)
                h.el(.label, .for("sectionTitle"), raw: "新分组 ")
                h.void(.input, .id("sectionTitle"), .name("sectionTitle"), .type("text"))
                h.el(.button, .type("submit"), .class("button small"), .id("add-section"), raw: "添加分组")
            }
        }
        h.el(.section, .class("card"), .id("add-field")) { h in
            h.el(.h2, raw: "添加字段")
            writeFieldEditor(&h, editor, csrf: shell)
        }
        h.el(.section, .class("card"), .id("preview")) { h in
            h.el(.h2, raw: "预览")
            h.el(.p, .class("muted"), raw: "填写者看到的样子（草稿）。")
            h.formFields(preview)
        }
    }

    private func writeFieldTable(_ h: inout HTML) {
        h.dataTable(
            .id("form-fields"),
            head: { h in h.columnHeaders(["分组", "字段", "标识", "类型", "必填", "显示条件", "操作"]) },
            body: { h in
                if sections.allSatisfy(\.fields.isEmpty) { h.emptyRow(columns: 7, "还没有字段，请在下方添加") }
                for section in sections {
                    for field in section.fields {
                        h.el(.tr, .class("field-row"), .attr("data-key", field.key)) { h in
                            h.el(.td, text: section.title)
                            h.el(.td, text: field.label)
                            h.el(.td) { h in h.el(.code, text: field.key) }
                            h.el(.td, text: field.kind)
                            h.el(.td, raw: field.required ? "是" : "否")
                            h.el(.td, text: field.condition)
                            h.el(.td) { h in writeFieldActions(&h, field) }
                        }
                    }
                }
            })
    }

    private func writeFieldActions(_ h: inout HTML, _ field: FieldRow) {
        h.el(.a, .href(field.editLink), .attr("data-action", literal: "edit"), raw: "修改")
        for (direction, label) in [("up", "上移"), ("down", "下移")] {
            h.raw(" ")
            h.el(.form, .method("post"), .action(PlatformRoutes.formFieldMove(formID)), .class("inline")) { h in
                shell.writeCSRF(&h)
                h.void(.input, .type("hidden"), .name("key"), .value(field.key))
                h.void(.input, .type("hidden"), .name("direction"), .value(direction))
                h.el(.button, .type("submit"), .class("link-button"), .attr("data-action", direction), text: label)
            }
        }
        h.raw(" ")
        h.el(.form, .method("post"), .action(PlatformRoutes.formFieldDelete(formID)), .class("inline")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("key"), .value(field.key))
            h.el(
                .button, .type("submit"), .class("link-button"), .attr("data-action", literal: "delete"),
                .attr("data-confirm", literal: "删除这个字段？"), raw: "删除")
        }
    }
}

/// The field editor's inputs: kind, label, key, help, flags, the kind's own settings, text rules and
/// the show-if condition. Inputs that do not apply to the chosen kind are ignored.
func writeFieldEditor(_ h: inout HTML, _ editor: FieldEditor, csrf shell: PageShell) {
    let v = editor.values
    let e = editor.errors
    h.el(.form, .method("post"), .action(editor.action), .class("field-editor"), .id("field-editor"), .flag("novalidate")) { h in
        shell.writeCSRF(&h)
        h.formField("kind", label: "类型", control: .select(editor.kinds), errors: e)
        h.formField("label", label: "字段名称", control: .input(type: "text", value: v["label"]), errors: e)
        if let key = editor.editingKey {
            h.void(.input, .type("hidden"), .name("key"), .value(key))
            h.el(.p, .class("muted")) { h in
                h.raw("标识：")
                h.el(.code, text: key)
                h.raw("（导出和接口按标识区分字段，发布后不变）")
            }
        } else {
            h.formField(
                "key", label: "标识（选填）", control: .input(type: "text", value: v["key"]), errors: e,
                hint: "小写字母开头，只含小写字母、数字和下划线；不填则自动生成")
            h.formField("section", label: "放在分组", control: .select(editor.sections), errors: e)
        }
        h.formField("help", label: "填写说明（选填）", control: .input(type: "text", value: v["help"]), errors: e)
        h.el(.div, .class("field")) { h in
            h.el(.label, .class("check")) { h in
                h.void(.input, .type("checkbox"), .id("required"), .name("required"), .flag("checked", v["required"] != nil))
                h.raw(" 必填")
            }
            h.el(.label, .class("check")) { h in
                h.void(.input, .type("checkbox"), .id("personal"), .name("personal"), .flag("checked", v["personal"] != nil))
                h.raw(" 个人敏感信息（加密保存；电话和邮箱总是加密）")
            }
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "类型设置")
            h.formField(
                "options", label: "选项（单选、多选；每行一个）", control: .textarea(rows: "4", value: v["options"]), errors: e)
            h.formField(
                "min", label: "最小值", control: .input(type: "text", value: v["min"]), errors: e,
                hint: "数字：最小值；日期：最早日期（YYYY-MM-DD）；多选：至少选几项")
            h.formField(
                "max", label: "最大值", control: .input(type: "text", value: v["max"]), errors: e,
                hint: "数字：最大值；日期：最晚日期；多选：最多选几项")
            h.el(.label, .class("check")) { h in
                h.void(.input, .type("checkbox"), .id("integer"), .name("integer"), .flag("checked", v["integer"] != nil))
                h.raw(" 只能填整数（数字）")
            }
            h.formField("maxFiles", label: "最多文件数（附件）", control: .input(type: "text", value: v["maxFiles"]), errors: e)
            h.formField("statement", label: "声明内容（同意声明）", control: .textarea(rows: "2", value: v["statement"]), errors: e)
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "文字规则（单行、多行、电话、邮箱）")
            h.formField("minLength", label: "最少字数", control: .input(type: "text", value: v["minLength"]), errors: e)
            h.formField("maxLength", label: "最多字数", control: .input(type: "text", value: v["maxLength"]), errors: e, hint: "不超过 2000")
            h.formField("pattern", label: "格式（正则表达式）", control: .input(type: "text", value: v["pattern"]), errors: e, hint: "如 [0-9]{6}")
            h.formField("patternMessage", label: "不符合格式时的提示", control: .input(type: "text", value: v["patternMessage"]), errors: e)
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "显示条件")
            h.formField("showIfKey", label: "何时显示", control: .select(editor.controllers), errors: e, hint: "只能依据前面的单选或多选字段")
            h.formField(
                "showIfValues", label: "取值（每行一个）", control: .textarea(rows: "2", value: v["showIfValues"]), errors: e,
                hint: "所依据字段的答案为其中之一时显示")
        }
        h.el(.div, .class("actions")) { h in
            h.el(.button, .type("submit"), .class("button primary"), .id("save-field"), raw: "保存字段")
        }
    }
}

extension FieldEditorPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(backLink), raw: "← 返回表单") }
        h.el(.h1) { h in
            h.raw("修改字段 · ")
            h.text(formTitle)
        }
        if !problems.isEmpty {
            h.el(.div, .class("form-error"), .role("alert"), .id("builder-problems")) { h in
                h.el(.ul) { h in for problem in problems { h.el(.li, text: problem) } }
            }
        }
        h.el(.section, .class("card")) { h in writeFieldEditor(&h, editor, csrf: shell) }
    }
}

extension FormAnswersPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(backLink), raw: "← 返回表单") }
        h.el(.h1) { h in
            h.text(title)
            h.raw(" · 填报数据")
        }
        h.el(.p) { h in h.exports(list) }
        h.dataTable(
            .id("answers"),
            head: { h in for header in headers { h.el(.th, .attr("scope", literal: "col"), text: header) } },
            body: { h in
                if rows.isEmpty {
                    h.el(.tr) { h in h.el(.td, .attr("colspan", String(headers.count)), .class("muted"), raw: "还没有人提交") }
                }
                for row in rows {
                    h.el(.tr) { h in for cell in row { h.el(.td, text: cell) } }
                }
            })
        h.pager(list.pager)
    }
}

extension FormFillPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, text: title)
        if !details.isEmpty { h.el(.p, .class("muted"), .id("form-details"), text: details) }
        h.el(.section, .class("card")) { h in
            h.el(.form, .method("post"), .action(action), .id("fill-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.formFields(view)
                h.el(.div, .class("actions")) { h in
                    h.el(.button, .type("submit"), .class("button primary"), .id("submit-form"), raw: "提交")
                }
            }
        }
    }
}
