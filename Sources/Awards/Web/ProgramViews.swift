import Foundation
import KexieKit
import Platform

/// The public list of programs (`manage: false`) and the managers' list of the subtree's programs.
struct ProgramListPage: Sendable {
    let shell: PageShell
    let manage: Bool
    let list: ListChrome
    let rows: [ProgramListing]
    let filters: ProgramFilters
}

extension ProgramListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            if manage { h.el(.h1, raw: "评选管理") } else { h.el(.h1, raw: "评选举荐") }
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(AwardsRoutes.certificates()), .id("verify-certificate"), raw: "证书查验")
                if let newLink = list.newLink { h.el(.a, .class("button primary"), .href(newLink), .id("new-program"), raw: "新建评选项目") }
            }
        }
        if manage {
            h.el(.p, .class("muted"), raw: "本单位及下级单位组织的奖项评选、人才举荐、竞赛和职称评审，含已公布结果的往年项目。")
        } else {
            h.el(.p, .class("muted"), raw: "科协及所属学会组织的奖项评选、人才举荐和竞赛：申报条件、推荐渠道、评审进度和公布的结果。")
        }
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "关键词", value: list.q, placeholder: "项目名称")
            h.selectField("year", "年度", filters.years)
            h.selectField("kind", "类别", filters.kinds)
            h.selectField("stage", "阶段", filters.stages)
            h.selectField("sort", "排序", filters.sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            if manage { h.exports(list) }
        }
        h.dataTable(
            .id("programs"),
            head: { h in h.columnHeaders(["项目", "年度", "类别", "主办单位", "申报时间", "阶段", "申报数"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-program", r.id.uuidString), .attr("data-stage", r.stage.rawValue)) { h in
                        h.el(.td) { h in h.el(.a, .href(manage ? r.manageLink : r.link), text: r.name) }
                        h.el(.td, text: String(r.year))
                        h.el(.td, text: r.kind.label)
                        h.el(.td, text: r.organization)
                        h.el(.td, .class("nowrap"), text: "\(r.opens) 至 \(r.closes)")
                        h.el(.td) { h in h.el(.span, .class(dynamic: "status status-" + r.stage.rawValue), text: r.stage.label) }
                        h.el(.td, .class("num"), .attr("data-applications", String(r.applications)), text: String(r.applications))
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "暂无评选项目") }
            })
        h.pager(list.pager)
    }
}

/// A program's public page: the call (rules, dates, channels), the way to apply, and its result.
struct ProgramPage: Sendable {
    let shell: PageShell
    let model: ProgramPageModel
}

extension ProgramPage: HTMLPage {
    func content(_ h: inout HTML) {
        let m = model
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, .id("program-name"), text: m.facts.name)
            h.el(.div, .class("actions")) { h in
                if let apply = m.applyLink { h.el(.a, .class("button primary"), .href(apply), .id("apply"), text: m.applyLabel) }
                if let mine = m.myApplication { h.el(.a, .class("button"), .href(mine), .id("my-application"), raw: "我的申报") }
                if let manage = m.manageLink { h.el(.a, .class("button"), .href(manage), .id("manage-program"), raw: "管理") }
            }
        }
        h.el(.p) { h in
            h.el(
                .span, .class(dynamic: "status status-" + m.facts.stage.rawValue), .id("program-stage"),
                .attr("data-stage", m.facts.stage.rawValue),
                text: m.facts.stage.label)
        }
        h.el(.dl, .class("facts")) { h in
            h.fact("主办单位", m.organization)
            h.fact("年度", String(m.facts.year))
            h.fact("类别", m.facts.kind)
            h.fact("候选对象", m.facts.candidateKind)
            for (label, value) in m.facts.dates { h.fact(label: label, value) }
            h.fact("入选名额", "\(m.facts.laureateCount) 名")
        }
        if !m.summary.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "项目说明")
                h.el(.p, .class("prewrap"), text: m.summary)
            }
        }
        h.el(.section, .class("card"), .id("rules")) { h in
            h.el(.h2, raw: "申报条件")
            if m.rules.isEmpty {
                h.el(.p, raw: "本项目不设年龄、学历等限制条件。")
            } else {
                h.el(.ul) { h in for rule in m.rules { h.el(.li, .attr("data-rule", rule), text: rule) } }
            }
            if !m.attachments.isEmpty {
                h.el(.h3, raw: "须提交的材料")
                h.el(.ul, .id("attachments")) { h in for item in m.attachments { h.el(.li, text: item) } }
            }
        }
        if !m.channels.isEmpty {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "推荐渠道与名额")
                h.dataTable(
                    .id("channels"), head: { h in h.columnHeaders(["推荐单位", "渠道", "名额", "已推荐"]) },
                    body: { h in
                        for c in m.channels {
                            h.el(.tr, .attr("data-channel", c.organization)) { h in
                                h.el(.td, text: c.organization)
                                h.el(.td, text: c.kind)
                                h.el(.td, .class("num"), text: String(c.quota))
                                h.el(.td, .class("num"), .attr("data-used", String(c.used)), text: String(c.used))
                            }
                        }
                    })
            }
        }
        if let publicity = m.facts.publicityID, m.facts.stage == .publicity {
            h.el(.p, .class("notice"), .id("publicity-link")) { h in
                h.raw("拟入选名单正在公示，")
                h.el(.a, .href(PublicityRoutes.publicity(publicity)), raw: "查看公示并提出异议")
            }
        }
        if m.facts.stage == .announced {
            h.el(.section, .class("card")) { h in
                h.el(.h2, raw: "评选结果")
                h.dataTable(
                    .id("laureates"), head: { h in h.columnHeaders(["入选者", "单位", "证书"]) },
                    body: { h in
                        for l in m.laureates {
                            h.el(.tr, .attr("data-status", l.status.rawValue)) { h in
                                h.el(.td, text: l.title)
                                h.el(.td, text: l.employer)
                                h.el(.td) { h in
                                    if let certificate = l.certificate {
                                        h.el(.a, .href(certificate), raw: "查看证书")
                                    } else {
                                        h.text(l.status.label)
                                    }
                                }
                            }
                        }
                        if m.laureates.isEmpty { h.emptyRow(columns: 3, "暂无入选者") }
                    })
            }
        }
    }
}

/// The new-program form: every field with its error, one summary at the top.
struct ProgramFormPage: Sendable {
    let shell: PageShell
    let values: ProgramFormValues
    let errors: [String: String]
    let pickers: [OrganizationPickerValue]
    /// Published forms of the purpose 奖项申报 in the actor's subtree: (id, title).
    let forms: [(String, String)]
}

extension ProgramFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "新建评选项目")
        h.formErrorSummary(errors, labels: ProgramFormValues.labels, order: ProgramFormValues.order)
        h.el(.form, .method("post"), .action(AwardsRoutes.newProgram()), .class("card"), .id("program-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.el(.fieldset) { h in
                h.el(.legend, raw: "基本信息")
                h.inputField("name", label: "项目名称", value: values.name, errors: errors, .attr("maxlength", literal: "100"))
                h.inputField("year", label: "年度", value: values.year, errors: errors, .attr("inputmode", literal: "numeric"))
                select(&h, "kind", "类别", AwardProgram.Kind.allCases.map { ($0.rawValue, $0.label) }, values.kind)
                select(
                    &h, "candidateKind", "候选对象", AwardProgram.CandidateKind.allCases.map { ($0.rawValue, $0.label) }, values.candidateKind)
                h.textareaField("summary", label: "项目说明", value: values.summary, errors: errors, .attr("rows", literal: "4"))
                select(&h, "formId", "申报表单（可选，用途为“奖项申报”的表单）", [("", "不使用表单")] + forms, values.formId)
                h.textareaField(
                    "attachments", label: "须提交的材料（每行一项）", value: values.attachments, errors: errors, .attr("rows", literal: "3"))
            }
            h.el(.fieldset) { h in
                h.el(.legend, raw: "申报条件")
                h.inputField("maxAge", label: "年龄上限（周岁，可空）", value: values.maxAge, errors: errors, .attr("inputmode", literal: "numeric"))
                h.inputField(
                    "ageReferenceDate", label: "年龄计算日（可空，默认申报截止日）", value: values.ageReferenceDate, errors: errors,
                    hint: "按出生年月计算：计算日所在月出生的，视为已满该周岁",
                    .type("date"))
                select(
                    &h, "minDegree", "学位要求", [("", "不限")] + [Degree.doctor, .master, .bachelor].map { ($0.rawValue, $0.label + "及以上") },
                    values.minDegree)
                select(
                    &h, "minTitleLevel", "职称要求",
                    [("", "不限")] + [TitleLevel.senior, .associateSenior, .intermediate, .junior].map { ($0.rawValue, $0.label + "及以上") },
                    values.minTitleLevel)
                h.inputField("regions", label: "限定地区（可空，以逗号分隔）", value: values.regions, errors: errors)
                check(&h, "membersOnly", "限本单位（学会）有效会员", values.membersOnly)
                check(&h, "womenOnly", "限女性科技工作者", values.womenOnly)
                check(&h, "excludeLaureates", "已获本奖项者不能再次申报", values.excludeLaureates)
            }
            h.el(.fieldset) { h in
                h.el(.legend, raw: "时间安排")
                for (key, label) in [
                    ("applyOpensOn", "申报开始"), ("applyClosesOn", "申报截止"), ("nominateClosesOn", "推荐截止"), ("checkClosesOn", "形式审查截止"),
                    ("reviewClosesOn", "评审截止"),
                ] {
                    h.inputField(key, label: label, value: value(key), errors: errors, .type("date"))
                }
                h.inputField(
                    "publicityDays", label: "公示期（工作日）", value: values.publicityDays, errors: errors, .attr("inputmode", literal: "numeric"))
            }
            h.el(.fieldset) { h in
                h.el(.legend, raw: "评审与结果")
                h.inputField(
                    "laureateCount", label: "入选名额", value: values.laureateCount, errors: errors, .attr("inputmode", literal: "numeric"))
                h.inputField(
                    "reviewersPerCandidate", label: "每位候选人的评审专家数", value: values.reviewersPerCandidate, errors: errors,
                    .attr("inputmode", literal: "numeric"))
                select(&h, "aggregation", "汇总方式", ScoreAggregation.allCases.map { ($0.rawValue, $0.label) }, values.aggregation)
                check(&h, "blind", "匿名评审（评审专家看不到候选人身份）", values.blind)
                h.inputField("supportYears", label: "托举年限（人才托举项目，0 为不托举）", value: values.supportYears, errors: errors)
            }
            h.el(.fieldset, .id("channel-rows")) { h in
                h.el(.legend, raw: "推荐渠道与名额")
                h.el(.p, .class("hint"), raw: "不设推荐渠道的项目（如竞赛）由申报人直接提交形式审查。推荐单位须为本单位或下级组织。")
                for index in 0..<ProgramFormValues.channelRows {
                    let row = values.channel(index)
                    h.el(.div, .class("field-row"), .attr("data-channel-row", String(index))) { h in
                        h.organizationPicker("channel\(index)", label: "推荐单位 \(index + 1)", pickers[index], errors: errors)
                        select(&h, "channel\(index)Kind", "类别", AwardChannel.Kind.allCases.map { ($0.rawValue, $0.label) }, row.kind)
                        h.inputField(
                            "channel\(index)Quota", label: "名额", value: row.quota, errors: errors, .attr("inputmode", literal: "numeric"))
                    }
                }
            }
            h.el(.button, .type("submit"), .class("button primary"), .id("create-program"), raw: "创建并开放申报")
        }
    }

    private func value(_ key: String) -> String? {
        switch key {
        case "applyOpensOn": return values.applyOpensOn
        case "applyClosesOn": return values.applyClosesOn
        case "nominateClosesOn": return values.nominateClosesOn
        case "checkClosesOn": return values.checkClosesOn
        default: return values.reviewClosesOn
        }
    }

    private func select(_ h: inout HTML, _ key: String, _ label: String, _ options: [(String, String)], _ selected: String?) {
        h.formField(
            key, label: label, control: .select(options.map { SelectOption(value: $0.0, label: $0.1, selected: (selected ?? "") == $0.0) }),
            errors: errors)
    }

    private func check(_ h: inout HTML, _ key: String, _ label: String, _ value: String?) {
        h.el(.div, .class("field check")) { h in
            h.el(.label, .class("check")) { h in
                h.void(
                    .input, .type("checkbox"), .name(dynamic: key), .id(dynamic: key), .attr("value", literal: "on"),
                    .flag("checked", value == "on"))
                h.raw(" ")
                h.text(label)
            }
        }
    }
}

/// One program's administration: stage and actions, channel quotas, and its applications.
struct ProgramAdminPage: Sendable {
    let shell: PageShell
    let program: ProgramFacts
    let summary: ProgramAdminSummary
    let refusal: String?
    let list: ListChrome
    let rows: [ApplicationListing]
    let filters: ApplicationFilters
}

extension ProgramAdminPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, text: program.name)
            h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(AwardsRoutes.program(program.id)), raw: "公开页面") }
        }
        if let refusal { h.el(.p, .class("form-error"), .role("alert"), .id("action-refusal"), text: refusal) }
        h.el(.section, .class("card"), .id("stage"), .attr("data-stage", program.stage.rawValue)) { h in
            h.el(.h2) { h in
                h.raw("当前阶段：")
                h.text(program.stage.label)
            }
            h.el(.ol, .class("stage-steps")) { h in
                for stage in AwardProgram.Stage.allCases where stage != .draft {
                    h.el(.li, .class(dynamic: stage == program.stage ? "current" : nil), text: stage.label)
                }
            }
            if let round = program.reviewRoundID {
                h.el(.p) { h in h.el(.a, .href(ReviewRoutes.round(round)), .id("review-round-link"), raw: "评审轮次：抽取的专家、评分进度与汇总结果")
                }
            }
            if let publicity = program.publicityID {
                h.el(.p) { h in h.el(.a, .href(PublicityRoutes.managePublicity(publicity)), .id("publicity-admin-link"), raw: "公示与异议处理") }
            }
            if let action = nextAction {
                h.el(.form, .method("post"), .action(AwardsRoutes.programActions(program.id)), .id("stage-action")) { h in
                    shell.writeCSRF(&h)
                    h.void(.input, .type("hidden"), .name("action"), .value(action.0))
                    h.el(.button, .type("submit"), .class("button primary"), .id(dynamic: "action-" + action.0), text: action.1)
                    h.el(.p, .class("hint"), text: action.2)
                }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "申报情况")
            h.el(.dl, .class("facts"), .id("status-counts")) { h in
                for (status, count) in summary.byStatus where count > 0 {
                    h.el(.div, .attr("data-status", status.rawValue), .attr("data-count", String(count))) { h in
                        h.el(.dt, text: status.label)
                        h.el(.dd, text: "\(count) 项")
                    }
                }
            }
            if !summary.channels.isEmpty {
                h.dataTable(
                    .id("channel-use"), head: { h in h.columnHeaders(["推荐单位", "渠道", "名额", "已推荐"]) },
                    body: { h in
                        for c in summary.channels {
                            h.el(.tr, .attr("data-channel", c.id.uuidString), .attr("data-used", String(c.used))) { h in
                                h.el(.td, text: c.organization)
                                h.el(.td, text: c.kind)
                                h.el(.td, .class("num"), text: String(c.quota))
                                h.el(.td, .class("num"), text: String(c.used))
                            }
                        }
                    })
            }
        }
        h.el(.h2, raw: "申报列表")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "关键词", value: list.q, placeholder: "姓名、名称或单位")
            h.selectField("status", "状态", filters.statuses)
            h.selectField("channel", "推荐单位", filters.channels)
            h.selectField("sort", "排序", filters.sorts)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            h.exports(list)
        }
        h.dataTable(
            .id("applications"),
            head: { h in h.columnHeaders(["候选人", "单位", "推荐单位", "推荐排序", "状态", "评审得分", "名次"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-application", r.id.uuidString), .attr("data-status", r.status.rawValue)) { h in
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.title) }
                        h.el(.td, text: r.employer)
                        h.el(.td, text: r.channel ?? "—")
                        h.el(.td, .class("num"), text: r.channelRank.map(String.init) ?? "")
                        h.el(.td) { h in h.el(.span, .class(dynamic: "status status-" + r.status.rawValue), text: r.status.label) }
                        h.el(.td, .class("num"), text: r.score.map { String(format: "%.2f", $0) } ?? "")
                        h.el(.td, .class("num"), .attr("data-rank", r.rank.map(String.init)), text: r.rank.map(String.init) ?? "")
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "暂无申报") }
            })
        h.pager(list.pager)
    }

    /// The stage's next step: (action, button, what it does).
    private var nextAction: (String, String, String)? {
        switch program.stage {
        case .draft, .announced: return nil
        case .open: return ("close", "截止申报", "截止后不再接受申报；推荐与形式审查在各自截止日期前继续。")
        case .checking:
            return ("start_review", "开始专家评审", "将形式审查通过的申报提交评审，按学科从专家库随机抽取评审专家（自动回避），抽取过程留有记录。")
        case .reviewing:
            return ("propose", "汇总评分并公示", "按本项目的汇总方式计算得分并排名，前 \(program.laureateCount) 名（并列者同列）形成拟入选名单并开始公示。")
        case .publicity: return ("announce", "公布结果", "公示期满且全部异议办结后，公布入选名单并生成证书。")
        }
    }
}
