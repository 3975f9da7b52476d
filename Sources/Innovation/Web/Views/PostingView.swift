import Platform

extension PostingPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(listLink), text: "← " + listLabel) }
        h.el(.h1) { h in
            h.text(title)
            h.raw(" ")
            h.el(.span, .attr("class", "badge posting-" + state), .id("posting-state"), text: stateLabel)
        }
        h.el(.p, .class("muted"), text: kindLabel)
        if let notice { h.el(.p, .class("notice"), .role("status"), .id("posting-notice"), text: notice) }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("posting-error"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.dl, .class("facts"), .id("posting-facts")) { h in
                for f in facts { h.fact(label: f.label, f.value) }
            }
            for t in texts {
                h.el(.h2, text: t.heading)
                h.el(.p, .class("source-text"), text: t.text)
            }
            if !patents.isEmpty {
                h.el(.h2, raw: "知识产权")
                h.dataTable(
                    .id("patents"), head: { h in h.columnHeaders(["号码", "种类", "状态"]) },
                    body: { h in
                        for p in patents {
                            h.el(.tr) { h in
                                h.el(.td, text: p.number)
                                h.el(.td, text: p.kind)
                                h.el(.td, text: p.status)
                            }
                        }
                    })
            }
        }
        h.el(.section, .class("card"), .id("confidential")) { h in
            h.el(.h2, raw: "保密内容")
            if showConfidential {
                for t in confidential {
                    h.el(.h3, text: t.heading)
                    h.el(.p, .class("source-text"), text: t.text)
                }
            } else {
                h.el(.p, .class("muted"), raw: "保密内容仅对发布方、审核人员和已接受对接的对方可见。")
            }
        }
        if editLink != nil || !actions.isEmpty { writeActions(&h) }
        if let dockingError {
            h.el(.p, .class("form-error"), .role("alert"), .id("docking-error"), text: "发起对接未成功：" + dockingError)
        }
        if showMatches { writeMatches(&h) }
        if showExperts { writeExperts(&h) }
        if let offer { write(&h, offer) }
        if !steps.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "办理记录")
                h.timeline(
                    id: "posting-history", steps.map { TimelineStep(date: $0.date, action: $0.action, who: $0.who, comment: $0.comment) })
            }
        }
    }

    private func writeActions(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("posting-actions")) { h in
            h.el(.h2, raw: "办理")
            h.el(.div, .class("posting-actions")) { h in
                if let editLink { h.el(.a, .class("button"), .href(editLink), .id("edit-posting"), raw: "修改") }
                for a in actions {
                    if a.needsReason {
                        h.el(.form, .method("post"), .action(actionPath), .class("posting-reason"), .flag("novalidate")) { h in
                            shell.writeCSRF(&h)
                            h.void(.input, .type("hidden"), .name("action"), .value(a.value))
                            h.el(.div, HTML.fieldClass(errors, "comment")) { h in
                                h.el(.label, .for("comment"), raw: "退回理由")
                                let invalid = errors["comment"] != nil
                                h.el(
                                    .textarea, .id("comment"), .name("comment"), .attr("rows", literal: "2"), .required,
                                    .attr("aria-invalid", invalid ? "true" : nil),
                                    .attr("aria-describedby", invalid ? "comment-error" : nil),
                                    text: values["comment"] ?? "")
                                h.fieldError(errors, "comment")
                            }
                            h.el(.button, .type("submit"), .class("button"), .id(dynamic: "action-" + a.value), text: a.label)
                        }
                    } else {
                        h.el(.form, .method("post"), .action(actionPath), .class("inline")) { h in
                            shell.writeCSRF(&h)
                            h.void(.input, .type("hidden"), .name("action"), .value(a.value))
                            h.el(
                                .button, .type("submit"), .attr("class", "button " + a.style), .id(dynamic: "action-" + a.value),
                                text: a.label)
                        }
                    }
                }
            }
            h.fieldError(errors, "action")
        }
    }

    private func writeMatches(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("matches")) { h in
            h.el(.h2, raw: "匹配结果")
            h.el(.p, .class("muted")) { h in
                h.raw("按名称、简介、关键词、行业、地区和技术成熟度计算的匹配度，列出每一项的理由。")
                if canPush { h.raw("推送后供需双方都会收到站内信。") }
            }
            if let matchError { h.el(.p, .class("form-error"), .role("alert"), .id("match-error"), text: matchError) }
            h.dataTable(
                .id("match-table"),
                head: { h in
                    h.el(.th, .attr("scope", literal: "col")) { h in h.raw(isSupply ? "技术需求" : "技术供给") }
                    h.columnHeaders(["匹配度", "理由"])
                    if canPush || canDock { h.columnHeaders(["操作"]) }
                },
                body: { h in
                    for m in matches { write(&h, m) }
                    if matches.isEmpty { h.emptyRow(columns: 4, "暂无匹配结果") }
                })
        }
    }

    private func write(_ h: inout HTML, _ m: Match) {
        h.el(.tr) { h in
            h.el(.td) { h in
                h.el(.a, .href(m.link), text: m.title)
                h.void(.br)
                h.el(.span, .class("muted"), text: "\(m.owner) · \(m.region) · \(m.industry) · \(m.readiness)")
            }
            h.el(.td, .class("match-score"), text: m.percent)
            h.el(.td) { h in
                h.el(.ul, .class("match-reasons")) { h in
                    for r in m.reasons { h.el(.li, text: r) }
                }
            }
            guard canPush || canDock else { return }
            h.el(.td, .class("match-actions")) { h in
                if canPush {
                    if m.pushed {
                        h.el(.span, .class("badge"), raw: "已推送")
                    } else {
                        h.el(.form, .method("post"), .action(pushPath), .class("inline")) { h in
                            shell.writeCSRF(&h)
                            h.void(.input, .type("hidden"), .name(dynamic: pushField), .value(m.id))
                            h.el(.button, .type("submit"), .class("button small"), raw: "推送")
                        }
                    }
                }
                if canDock { writeDock(&h, m) }
            }
        }
    }

    private func writeDock(_ h: inout HTML, _ m: Match) {
        h.el(.form, .method("post"), .action(dockingPath), .class("match-dock")) { h in
            shell.writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("supply"), .value(m.supplyID))
            h.void(.input, .type("hidden"), .name("demand"), .value(m.demandID))
            h.void(.input, .type("hidden"), .name("back"), .value(back))
            h.el(.label, .class("visually-hidden"), .for(dynamic: "note-" + m.id), raw: "留言")
            h.void(.input, .id(dynamic: "note-" + m.id), .name("note"), .placeholder("留言（选填）"))
            if !stations.isEmpty {
                h.raw(" ")
                h.el(.label, .class("visually-hidden"), .for(dynamic: "station-" + m.id), raw: "经由工作站")
                h.el(.select, .id(dynamic: "station-" + m.id), .name("station")) { h in h.options(stations) }
            }
            h.raw(" ")
            h.el(.button, .type("submit"), .class("button small"), raw: "发起对接")
        }
    }

    private func writeExperts(_ h: inout HTML) {
        h.el(.section, .class("card"), .id("experts")) { h in
            h.el(.h2, raw: "推荐专家")
            h.dataTable(
                .id("expert-table"), head: { h in h.columnHeaders(["专家", "匹配度", "理由"]) },
                body: { h in
                    for e in experts {
                        h.el(.tr) { h in
                            h.el(.td) { h in
                                h.text(e.name)
                                h.void(.br)
                                h.el(.span, .class("muted"), text: e.detail)
                            }
                            h.el(.td, .class("match-score"), text: e.percent)
                            h.el(.td) { h in
                                h.el(.ul, .class("match-reasons")) { h in
                                    for r in e.reasons { h.el(.li, text: r) }
                                }
                            }
                        }
                    }
                    if experts.isEmpty { h.emptyRow(columns: 3, "专家库中暂无匹配的专家") }
                })
        }
    }

    private func write(_ h: inout HTML, _ offer: Offer) {
        h.el(.section, .class("card"), .id("offer")) { h in
            h.el(.h2, raw: "发起对接")
            h.el(.form, .method("post"), .action(dockingPath), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.void(.input, .type("hidden"), .name(dynamic: offer.fixedName), .value(offer.fixedID))
                h.void(.input, .type("hidden"), .name("back"), .value(back))
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("offer-choice"), text: offer.choiceLabel)
                    h.el(.select, .id("offer-choice"), .name(dynamic: offer.choiceName)) { h in
                        for o in offer.choices { h.el(.option, .value(o.value), text: o.label) }
                    }
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("offer-note"), raw: "留言（选填）")
                    h.el(.textarea, .id("offer-note"), .name("note"), .attr("rows", literal: "2")) { _ in }
                }
                h.el(.button, .type("submit"), .class("button primary"), .id("offer-submit"), raw: "发起对接")
            }
        }
    }
}
