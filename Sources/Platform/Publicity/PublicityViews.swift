import Foundation
import KexieKit

extension HTML {
    /// `#publicity-status[data-status=…]`: where the publicity stands, in words.
    mutating func publicityStatus(_ status: PublicityStatus, remaining: Int?) {
        el(.p, .id("publicity-status"), .class(dynamic: "publicity-status status-" + status.code), .attr("data-status", status.code)) { h in
            h.el(.strong, text: status.label)
            switch status {
            case .scheduled(let startsOn):
                h.text("：将于 \(startsOn) 开始公示。")
            case .running(let endsOn):
                h.text("：公示期至 \(endsOn)")
                if let remaining { h.text("，还剩 \(remaining) 个工作日") }
                h.text("。公示期内可实名提出异议。")
            case .awaitingSettlement(let open):
                h.text("：公示期已结束，尚有 \(open) 件异议正在处理，名单待异议办结后确定。")
            case .final:
                h.text("：公示期已结束，异议均已办结，名单为最终结果。")
            }
        }
    }

    /// The list itself: `tr[data-item-id][data-withdrawn]`, a withdrawn item struck with its change note.
    mutating func publicityItems(_ items: [PublicityItemRow]) {
        dataTable(
            .id("publicity-items"),
            head: { h in h.columnHeaders(["序号", "名称", "单位 / 领域", "拟定结果"]) },
            body: { h in
                for item in items {
                    h.el(
                        .tr, .attr("data-item-id", item.id.uuidString), .attr("data-withdrawn", item.withdrawn ? "true" : "false"),
                        .class(dynamic: item.withdrawn ? "withdrawn" : nil)
                    ) { h in
                        h.el(.td, text: String(item.position))
                        h.el(.td, .class("item-label")) { h in
                            if item.withdrawn { h.el(.del, text: item.label) } else { h.text(item.label) }
                            if let note = item.changeNote, item.withdrawn {
                                h.el(.p, .class("change-note muted"), .attr("data-change-note", "true"), text: note)
                            }
                        }
                        h.el(.td) { h in if item.withdrawn { h.el(.del, text: item.detail) } else { h.text(item.detail) } }
                        h.el(.td) { h in
                            if item.withdrawn {
                                h.el(.del, text: item.outcome)
                                h.el(.span, .class("badge withdrawn"), raw: "已撤销")
                            } else {
                                h.text(item.outcome)
                            }
                        }
                    }
                }
                if items.isEmpty { h.emptyRow(columns: 4, "名单为空") }
            })
    }

    /// The public and the staff's lists of publicities.
    mutating func publicityTable(_ rows: [PublicityRow], staff: Bool) {
        dataTable(
            .id("publicities"),
            head: { h in
                if staff {
                    h.columnHeaders(["标题", "公示单位", "公示期", "状态", "名单", "异议", "未办结"])
                } else {
                    h.columnHeaders(["标题", "公示单位", "公示期", "状态"])
                }
            },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-publicity", r.id.uuidString), .attr("data-status", r.status.code)) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.organization)
                        h.el(.td, .class("nowrap"), text: r.period)
                        h.el(.td, .class("nowrap")) { h in
                            h.el(.span, .class(dynamic: "status status-" + r.status.code), text: r.status.label)
                        }
                        if staff {
                            h.el(.td, text: String(r.items))
                            h.el(.td, text: String(r.objections))
                            h.el(.td, .attr("data-open", String(r.open)), text: String(r.open))
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: staff ? 7 : 4, "暂无公示") }
            })
    }
}

extension PublicityListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "公示")
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(PublicityRoutes.objectionStatus()), .id("objection-status-link"), raw: "异议办理查询")
            }
        }
        h.el(.p, .class("muted"), raw: "拟表彰、拟评选名单在公示期内接受社会监督。对名单有异议的，请在公示期内实名提出。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("公示标题"))
            }
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
        }
        h.publicityTable(rows, staff: false)
        h.pager(list.pager)
    }
}

extension PublicityDetailPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(PublicityRoutes.publicities()), raw: "← 公示") }
        h.el(.h1, .id("publicity-title"), text: title)
        h.el(.dl, .class("facts")) { h in
            h.fact("公示单位", organization)
            h.el(.div) { h in
                h.el(.dt, raw: "公示期")
                h.el(.dd) { h in
                    h.el(.time, .id("publicity-starts"), text: startsOn)
                    h.raw(" 至 ")
                    h.el(.time, .id("publicity-ends"), text: endsOn)
                }
            }
        }
        h.publicityStatus(status, remaining: remaining)
        if !summary.isEmpty { h.el(.div, .class("publicity-summary"), .id("publicity-summary")) { h in h.markdown(summary) } }
        h.publicityItems(items)
        if let form {
            h.el(.section, .class("card"), .id("objection")) { h in
                h.el(.h2, raw: "提出异议")
                h.el(
                    .p, .class("muted"),
                    raw: "异议须实名提出，写明事实和理由。姓名和联系方式只用于核实异议，仅处理异议的工作人员可见，不会公开。提交后请保存查询码，凭码查询办理结果。")
                h.formErrorSummary(form.errors, labels: PublicityService.objectionLabels, order: PublicityService.objectionOrder)
                h.el(.form, .method("post"), .action(PublicityRoutes.fileObjection(id)), .class("stack"), .id("objection-form")) { h in
                    shell.writeCSRF(&h)
                    h.formField(
                        "name", label: "姓名",
                        control: .input(type: "text", value: form.values["name"], extra: [.attr("maxlength", literal: "50")]),
                        errors: form.errors)
                    h.formField(
                        "contact", label: "联系电话或邮箱", control: .input(type: "text", value: form.values["contact"]), errors: form.errors,
                        hint: "11 位手机号码或电子邮箱，用于核实异议时联系您。")
                    h.formField("itemId", label: "异议对象", control: .select(form.targets), errors: form.errors)
                    h.formField(
                        "content", label: "异议内容", control: .textarea(rows: "6", value: form.values["content"]), errors: form.errors,
                        hint: "10 至 2000 字，请写明具体事实和理由。")
                    h.el(.div, HTML.fieldClass(form.errors, "consent")) { h in
                        h.el(.label, .class("choice")) { h in
                            h.void(
                                .input, .type("checkbox"), .name("consent"), .attr("value", literal: "yes"), .id("consent"),
                                .flag("checked", form.consent), .attr("aria-invalid", form.errors["consent"] != nil ? "true" : nil),
                                .attr("aria-describedby", form.errors["consent"] != nil ? "consent-error" : nil))
                            h.raw("本人承诺所填信息真实，同意将姓名和联系方式用于核实本异议。")
                        }
                        h.fieldError(form.errors, "consent")
                    }
                    h.el(.button, .type("submit"), .class("button primary"), .id("file-objection"), raw: "提交异议")
                }
            }
        } else {
            h.el(.p, .class("muted"), .id("objection-closed"), raw: "不在公示期内，不受理异议。")
        }
        h.el(.p) { h in h.el(.a, .href(PublicityRoutes.objectionStatus()), raw: "已提出异议？凭查询码查询办理结果") }
    }
}

extension ObjectionReceiptPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "异议已提交")
        h.el(.section, .class("card"), .id("objection-receipt")) { h in
            h.el(.p) { h in
                h.raw("您对“")
                h.el(.a, .href(publicityLink), text: publicityTitle)
                h.raw("”提出的异议已受理。")
            }
            h.el(.p) { h in
                h.raw("查询码：")
                h.el(.strong, .id("objection-code"), .attr("data-code", code), text: code)
            }
            h.el(.p, .class("muted"), raw: "请抄写或截图保存查询码。工作人员将调查核实并作出处理结论，您可凭查询码随时查询办理情况。")
            h.el(.p) { h in
                h.el(
                    .a, .class("button"), .href(PublicityRoutes.objectionStatus(query: ["code": code])), .id("check-objection"),
                    raw: "查询办理情况")
            }
        }
    }
}

extension ObjectionStatusPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "异议办理查询")
        h.el(.form, .method("get"), .action(PublicityRoutes.objectionStatus()), .class("card stack"), .id("objection-lookup")) { h in
            h.formField(
                "code", label: "查询码", control: .input(type: "text", value: code, extra: [.attr("autocomplete", literal: "off")]),
                errors: errors, hint: "提交异议时得到的查询码，如 KX-7F3M-Q9TC-2HPA。")
            h.el(.button, .type("submit"), .class("button primary"), .id("lookup-objection"), raw: "查询")
        }
        if let result {
            h.el(
                .section, .class("card"), .id("objection-result"), .attr("data-state", result.state.rawValue),
                .attr("data-verdict", result.verdict?.rawValue)
            ) { h in
                h.el(.dl, .class("facts")) { h in
                    h.el(.div) { h in
                        h.el(.dt, raw: "公示")
                        h.el(.dd) { h in h.el(.a, .href(result.publicityLink), text: result.publicityTitle) }
                    }
                    h.fact("异议对象", result.target)
                    h.fact("提出时间", result.filed)
                    h.el(.div) { h in
                        h.el(.dt, raw: "办理状态")
                        h.el(.dd, .id("objection-state"), text: result.state.label)
                    }
                    if let verdict = result.verdict {
                        h.el(.div) { h in
                            h.el(.dt, raw: "处理结论")
                            h.el(.dd, .id("objection-verdict"), text: verdict.label + (result.withdrewItem ? "，已撤销名单中的该项" : ""))
                        }
                    }
                    if let reason = result.reason { h.fact("理由", reason) }
                }
            }
        }
    }
}

extension PublicityManagePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "公示管理")
            h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(PublicityRoutes.publicities()), raw: "查看公示栏") }
        }
        h.el(.p, .class("muted"), raw: "本单位及下级单位的公示（评选、表彰等模块发起）。在公示页面调查核实并处理异议；异议全部办结后名单方为最终结果。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.el(.div, .class("field wide")) { h in
                h.el(.label, .for("q"), raw: "关键词")
                h.void(.input, .id("q"), .name("q"), .value(list.q), .placeholder("公示标题"))
            }
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
        h.publicityTable(rows, staff: true)
        h.pager(list.pager)
    }
}

extension PublicityAdminPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(PublicityRoutes.manage()), raw: "← 公示管理") }
        h.el(.h1, .id("publicity-title"), text: title)
        h.el(.dl, .class("facts")) { h in
            h.fact("公示单位", organization)
            h.el(.div) { h in
                h.el(.dt, raw: "来源")
                h.el(.dd) { h in if let ownerLink { h.el(.a, .href(ownerLink), text: owner) } else { h.text(owner) } }
            }
            h.fact(label: "公示期", "\(startsOn) 至 \(endsOn)（\(workingDays) 个工作日）")
        }
        h.publicityStatus(status, remaining: nil)
        h.el(.p) { h in h.el(.a, .href(PublicityRoutes.publicity(id)), raw: "查看公开页面") }
        h.el(.h2, raw: "公示名单")
        h.publicityItems(items)
        h.el(.div, .class("page-head")) { h in
            h.el(.h2, raw: "异议")
            h.el(.span, .class("exports")) { h in
                h.raw("导出异议：")
                h.el(.a, .href(exportCSV), .id("export-objections-csv"), raw: "CSV")
                h.raw(" ")
                h.el(.a, .href(exportXLSX), .id("export-objections-xlsx"), raw: "Excel")
            }
        }
        h.dataTable(
            .id("objections"),
            head: { h in h.columnHeaders(["查询码", "异议人", "联系方式", "异议对象", "提出时间", "状态", "结论"]) },
            body: { h in
                for o in objections {
                    h.el(.tr, .attr("data-objection", o.id.uuidString), .attr("data-objection-state", o.state.rawValue)) { h in
                        h.el(.td, .class("nowrap"), text: o.code)
                        h.el(.td, .class("objector-name"), text: o.name)
                        h.el(.td, .class("objector-contact"), text: o.contact)
                        h.el(.td, text: o.target)
                        h.el(.td, .class("nowrap"), text: o.filed)
                        h.el(.td, .class("nowrap"), text: o.state.label)
                        h.el(.td, .attr("data-verdict", o.verdict?.rawValue)) { h in
                            if let verdict = o.verdict { h.text(verdict.label + (o.withdrewItem ? "（已撤销该项）" : "")) }
                        }
                    }
                }
                if objections.isEmpty { h.emptyRow(columns: 7, "暂无异议") }
            })
        for o in objections { h.objectionCard(o, shell: shell) }
    }
}

extension HTML {
    /// One objection on the staff's page: content, investigation notes, and while undecided the forms to
    /// record a note and to decide. Controls carry the objection's id in theirs (several forms share the page).
    mutating func objectionCard(_ o: PublicityAdminPage.Objection, shell: PageShell) {
        let suffix = "-" + o.id.uuidString
        el(.section, .class("card objection"), .id(dynamic: "objection" + suffix), .attr("data-objection-state", o.state.rawValue)) { h in
            h.el(.h3) { h in
                h.raw("异议 ")
                h.text(o.code)
                h.raw("（")
                h.text(o.state.label)
                h.raw("）")
            }
            h.el(.p, .class("objection-content"), text: o.content)
            if !o.notes.isEmpty {
                h.el(.ul, .class("timeline"), .attr("data-notes", o.id.uuidString)) { h in
                    for s in o.notes {
                        h.el(.li) { h in
                            h.el(.span, .class("muted"), text: s.date)
                            h.raw(" 调查核实 · ")
                            h.text(s.who)
                            h.raw("：")
                            h.text(s.comment)
                        }
                    }
                }
            }
            if let verdict = o.verdict {
                h.el(.p, .class("objection-decision")) { h in
                    h.el(.strong, text: verdict.label)
                    if o.withdrewItem { h.raw("，已撤销该项") }
                    h.text("：" + (o.reason ?? ""))
                    if let decided = o.decided { h.el(.span, .class("muted"), text: "（\(decided)）") }
                }
                return
            }
            let labels = ["note": "调查核实记录", "verdict": "处理结论", "reason": "理由", "withdraw": "撤销该项"]
            let errors = Dictionary(uniqueKeysWithValues: o.errors.map { ($0.key + suffix, $0.value) })
            h.errorSummary(
                ["note", "verdict", "reason", "withdraw"].compactMap { key in
                    o.errors[key].map { ErrorSummaryItem(key: key, anchor: key + suffix, label: labels[key] ?? key, message: $0) }
                })
            h.el(.form, .method("post"), .action(PublicityRoutes.objectionNote(o.id)), .class("stack"), .attr("data-form", "note")) { h in
                shell.writeCSRF(&h)
                h.objectionTextarea("note", id: "note" + suffix, label: "调查核实记录", value: o.values["note"], errors: errors)
                h.el(.button, .type("submit"), .class("button"), .attr("data-action", "note"), raw: "记录调查情况")
            }
            h.el(.form, .method("post"), .action(PublicityRoutes.objectionDecision(o.id)), .class("stack"), .attr("data-form", "decision"))
            { h in
                shell.writeCSRF(&h)
                h.el(.fieldset, HTML.fieldClass(errors, "verdict" + suffix), .id(dynamic: "verdict" + suffix)) { h in
                    h.el(.legend, raw: "处理结论（作出后不可更改）")
                    for verdict in PublicityObjectionRecord.Verdict.allCases {
                        h.el(.label, .class("choice")) { h in
                            h.void(
                                .input, .type("radio"), .name("verdict"), .value(verdict.rawValue), .attr("data-verdict", verdict.rawValue),
                                .flag("checked", o.values["verdict"] == verdict.rawValue))
                            h.text(verdict.label)
                        }
                    }
                    h.fieldError(errors, "verdict" + suffix)
                }
                h.objectionTextarea("reason", id: "reason" + suffix, label: "理由", value: o.values["reason"], errors: errors)
                if o.hasItem {
                    h.el(.div, HTML.fieldClass(errors, "withdraw" + suffix)) { h in
                        h.el(.label, .class("choice")) { h in
                            h.void(
                                .input, .type("checkbox"), .name("withdraw"), .attr("value", literal: "yes"),
                                .id(dynamic: "withdraw" + suffix),
                                .attr("data-withdraw", "true"), .flag("checked", o.values["withdraw"] == "yes"))
                            h.raw("撤销该项（异议成立、改变公示结果时勾选）")
                        }
                        h.fieldError(errors, "withdraw" + suffix)
                    }
                }
                h.el(.button, .type("submit"), .class("button primary"), .attr("data-action", "decide"), raw: "作出结论")
            }
        }
    }

    /// A textarea whose id differs from its name (`note-<objection id>` named `note`), with its error.
    mutating func objectionTextarea(_ name: String, id: String, label: String, value: String?, errors: [String: String]) {
        el(.div, HTML.fieldClass(errors, id)) { h in
            h.el(.label, .for(dynamic: id), text: label)
            let invalid = errors[id] != nil
            h.open(
                .textarea,
                [
                    .id(dynamic: id), .name(dynamic: name), .attr("rows", literal: "3"), .attr("aria-invalid", invalid ? "true" : nil),
                    .attr("aria-describedby", invalid ? id + "-error" : nil),
                ])
            h.text(value ?? "")
            h.close(.textarea)
            h.fieldError(errors, id)
        }
    }
}
