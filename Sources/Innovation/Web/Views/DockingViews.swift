import Platform

extension DockingListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我的对接")
        h.el(.p, .class("muted"), raw: "您发布的成果或需求参与的对接，以及您所在科协组织的对接。对接经对方确认后进入“意向”，此后双方可以看到对方成果或需求的保密内容。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "成果或需求名称", value: list.q)
            h.selectField("state", "阶段", states)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("dockings"),
            head: { h in
                h.columnHeaders(["技术供给", "技术需求"])
                h.sortHeader(stageHeader)
                h.columnHeaders(["发起方"])
                h.sortHeader(dateHeader)
                h.columnHeaders(["签约日期", "合同金额（万元）", "落地日期"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.supply) }
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.demand) }
                        h.el(.td) { h in h.el(.span, .attr("class", "badge " + r.stageClass), text: r.stage) }
                        h.el(.td, text: r.proposer)
                        h.el(.td, text: r.proposedOn)
                        h.el(.td, text: r.signedOn)
                        h.el(.td, text: r.amount)
                        h.el(.td, text: r.landedOn)
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 8, "暂无对接") }
            })
        h.pager(list.pager)
    }
}

extension DockingPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(listLink), raw: "← 我的对接") }
        h.el(.h1) { h in
            h.text(title)
            h.raw(" ")
            h.el(.span, .attr("class", "badge " + stateClass), .id("docking-state"), text: state)
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("docking-error"), text: error) }
        h.el(.ol, .class("stages"), .id("docking-stages"), .attr("aria-label", literal: "对接阶段")) { h in
            for s in stages {
                h.el(.li, .attr("class", s.status), .attr("aria-current", s.current ? "step" : nil)) { h in
                    h.el(.span, .class("stage-label"), text: s.label)
                    if let date = s.date { h.el(.span, .class("stage-date"), text: date) }
                }
            }
        }
        if let closed { h.el(.p, .class("notice error"), .id("docking-closed"), text: closed) }
        if let awaiting { h.el(.p, .class("notice"), .id("docking-awaiting"), text: awaiting) }
        h.el(.div, .class("panels pair")) { h in
            party(&h, supply, id: "docking-supply", ownerLabel: "成果持有方")
            party(&h, demand, id: "docking-demand", ownerLabel: "需求单位")
        }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts")) { h in
                h.fact("发起方", proposer)
                h.fact("发起日期", proposedOn)
                h.el(.div) { h in
                    h.el(.dt, raw: "合同金额")
                    h.el(.dd, .id("docking-amount"), text: amount ?? "—")
                }
                if let station {
                    h.el(.div) { h in
                        h.el(.dt, raw: "所属工作站")
                        h.el(.dd) { h in
                            if let stationLink { h.el(.a, .href(stationLink), text: station) } else { h.text(station) }
                        }
                    }
                }
            }
            if let note {
                h.el(.h2, raw: "留言与进展备注")
                h.el(.p, .class("source-text"), text: note)
            }
        }
        if !actions.isEmpty {
            h.el(.section, .class("card"), .id("docking-actions")) { h in
                h.el(.h2, raw: "办理")
                h.el(.div, .class("action-forms")) { h in
                    for a in actions { write(&h, a) }
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "对接记录")
            h.timeline(
                id: "docking-history", steps.map { TimelineStep(date: $0.date, action: $0.action, who: $0.who, comment: $0.comment) })
        }
    }

    private func party(_ h: inout HTML, _ p: Party, id: StaticString, ownerLabel: StaticString) {
        h.el(.section, .class("card"), .id(id)) { h in
            h.el(.h2, text: p.role)
            h.el(.p) { h in h.el(.a, .href(p.link), text: p.title) }
            h.el(.dl, .class("facts")) { h in
                h.fact(ownerLabel, p.owner)
                if let consent = p.consent { h.fact("是否同意", consent) }
            }
            h.el(.p, .class("muted"), text: p.summary)
        }
    }

    private func write(_ h: inout HTML, _ a: ActionForm) {
        let key = a.action
        h.el(.form, .method("post"), .action(actionPath), .class("action-form"), .id(dynamic: "form-" + key), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("action"), .value(key))
            if a.askAmount {
                field(&h, key + "-amount", error: a.amountError, label: "合同金额（万元）") { h, aria in
                    h.void(
                        .input,
                        attributes: [
                            .id(dynamic: key + "-amount"), .name("amount"), .attr("inputmode", literal: "decimal"), .value(a.amount),
                        ] + aria)
                }
            }
            if a.askDate {
                field(&h, key + "-date", error: a.dateError, label: "日期（不填为今天）") { h, aria in
                    h.void(
                        .input,
                        attributes: [.type("date"), .id(dynamic: key + "-date"), .name("date"), .attr("max", today), .value(a.date)] + aria)
                }
            }
            h.el(.div, .class(dynamic: a.commentError == nil ? "field" : "field invalid")) { h in
                h.el(.label, .for(dynamic: key + "-comment")) { h in
                    h.text(a.commentLabel)
                    if a.commentRequired { h.raw("（必填）") }
                }
                let invalid = a.commentError != nil
                h.el(
                    .textarea, .id(dynamic: key + "-comment"), .name("comment"), .attr("rows", literal: "2"),
                    .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-comment-error" : nil),
                    text: a.comment)
                if let error = a.commentError { h.el(.p, .class("field-error"), .id(dynamic: key + "-comment-error"), text: error) }
            }
            if let error = a.actionError { h.el(.p, .class("field-error"), .id(dynamic: key + "-action-error"), text: error) }
            h.el(.button, .type("submit"), .attr("class", "button " + a.style), .id(dynamic: "do-" + key), text: a.label)
        }
    }

    /// A labelled field whose control is described by its error, when it has one.
    private func field(_ h: inout HTML, _ id: String, error: String?, label: StaticString, control: (inout HTML, [Attribute]) -> Void) {
        h.el(.div, .class(dynamic: error == nil ? "field" : "field invalid")) { h in
            h.el(.label, .for(dynamic: id), raw: label)
            let aria: [Attribute] = [
                .attr("aria-invalid", error == nil ? nil : "true"), .attr("aria-describedby", error == nil ? nil : id + "-error"),
            ]
            control(&h, aria)
            if let error { h.el(.p, .class("field-error"), .id(dynamic: id + "-error"), text: error) }
        }
    }
}
