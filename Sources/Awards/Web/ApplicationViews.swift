import Foundation
import KexieKit
import Platform

/// The application form, with the eligibility check shown before anything is written.
struct ApplyPage: Sendable {
    let shell: PageShell
    let model: ApplyPageModel
    let values: [String: [String]]
    let errors: [String: String]
    let formErrors: [FormFieldError]

    static let labels = [
        "summary": "主要成就与贡献", "field": "学科代码", "channel": "推荐渠道", "channelOrganizationId": "推荐渠道", "entryTitle": "作品名称",
        "candidateOrganizationId": "申报单位", "candidateOrganization": "申报单位", "personId": "申报人", "age": "年龄", "sex": "性别",
        "degree": "学位", "titleLevel": "职称", "region": "地区", "membership": "会籍", "laureate": "获奖情况", "application": "申报",
    ]

    private func value(_ key: String) -> String? { values[key]?.first }
}

extension ApplyPage: HTMLPage {
    func content(_ h: inout HTML) {
        let m = model
        h.el(.h1) { h in
            h.raw("申报：")
            h.text(m.programName)
        }
        if let existing = m.existing {
            h.el(.p, .class("notice"), .id("already-applied")) { h in
                h.raw("已提交本项目的申报，")
                h.el(.a, .href(AwardsRoutes.application(existing)), raw: "查看申报")
            }
            return
        }
        guard m.open else {
            h.el(.p, .class("form-error"), .id("applications-closed"), .role("alert"), raw: "不在申报时间内，或本项目未开放申报。")
            return
        }
        h.el(.section, .class("card"), .id("eligibility"), .attr("data-eligible", m.failures.isEmpty ? "true" : "false")) { h in
            h.el(.h2, raw: "申报条件核对")
            if m.candidateKind == .person, m.candidateName == nil {
                h.el(.p, .class("form-error"), raw: "您的账号尚未关联科技工作者信息，请先在“我的资料”中完善个人信息后再申报。")
            } else if m.failures.isEmpty {
                h.el(.p, .class("ok"), raw: "根据您登记的个人信息，符合本项目的全部申报条件。")
            } else {
                h.el(.p, .class("form-error"), raw: "根据您登记的个人信息，不符合以下申报条件，提交将被拒绝：")
                h.el(.ul) { h in
                    for failure in m.failures {
                        h.el(.li, .id(dynamic: "rule-" + failure.field), .attr("data-rule", failure.field), text: failure.message)
                    }
                }
            }
            if !m.rules.isEmpty {
                h.el(.details) { h in
                    h.el(.summary, raw: "本项目的申报条件")
                    h.el(.ul) { h in for rule in m.rules { h.el(.li, text: rule) } }
                }
            }
        }
        let formItems = FormView(definition: m.form ?? FormDefinition(sections: []), values: values, errors: formErrors).summaryItems
        let own = errors.keys.sorted().map {
            ErrorSummaryItem(key: $0, anchor: $0, label: Self.labels[$0] ?? $0, message: errors[$0] ?? "")
        }
        if !(own + formItems).isEmpty { h.errorSummary(own + formItems) }
        h.el(.form, .method("post"), .action(AwardsRoutes.apply(m.programID)), .class("card"), .id("apply-form"), .flag("novalidate")) {
            h in
            shell.writeCSRF(&h)
            switch m.candidateKind {
            case .person:
                h.el(.dl, .class("facts")) { h in h.fact("申报人", m.candidateName ?? "—") }
            case .entry:
                h.inputField("entryTitle", label: "作品名称", value: value("entryTitle"), errors: errors, .attr("maxlength", literal: "100"))
            case .organization:
                h.inputField(
                    "candidateOrganization", label: "申报单位（本单位或下级组织的完整名称）", value: value("candidateOrganization"), errors: errors)
            }
            if !m.channels.isEmpty {
                h.formField(
                    "channel", label: "推荐渠道",
                    control: .select(
                        [SelectOption(value: "", label: "请选择", selected: value("channel") == nil)]
                            + m.channels.map {
                                SelectOption(value: $0.0.uuidString, label: $0.1, selected: value("channel") == $0.0.uuidString)
                            }),
                    errors: errors.merging(errors["channelOrganizationId"].map { ["channel": $0] } ?? [:]) { first, _ in first },
                    hint: "由所选单位审核推荐，推荐名额有限")
            }
            h.inputField(
                "field", label: "学科代码（GB/T 13745，可空）", value: value("field") ?? m.defaultField, errors: errors,
                .attr("inputmode", literal: "numeric"), .attr("maxlength", literal: "20"))
            h.textareaField(
                "summary", label: "主要成就与贡献（20 至 3000 字；匿名评审时专家只看到这部分，请勿写入姓名和单位）", value: value("summary"), errors: errors,
                .attr("rows", literal: "8"), .attr("maxlength", literal: "3000"))
            if let form = m.form { h.formFields(FormView(definition: form, values: values, errors: formErrors), summary: false) }
            h.el(.button, .type("submit"), .class("button primary"), .id("submit-application"), raw: "提交申报")
        }
    }
}

/// One application: status, materials, and the actions the actor may take on it.
struct ApplicationPage: Sendable {
    let shell: PageShell
    let model: ApplicationPageModel
    let errors: [String: String]
}

extension ApplicationPage: HTMLPage {
    func content(_ h: inout HTML) {
        let m = model
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, .id("application-title"), text: m.title)
            h.el(.div, .class("actions")) { h in
                h.el(.a, .class("button"), .href(AwardsRoutes.program(m.programID)), text: m.programName)
                if let certificate = m.certificate {
                    h.el(.a, .class("button primary"), .href(certificate), .id("certificate-link"), raw: "查看证书")
                }
            }
        }
        if !errors.isEmpty {
            h.formErrorSummary(
                errors,
                labels: [
                    "note": "审查意见", "decision": "审查结论", "summary": "主要成就与贡献", "referees": "推荐专家", "action": "操作",
                    "channelOrganizationId": "推荐渠道", "funding": "资助金额", "report": "年度报告", "yearIndex": "托举年度",
                ],
                order: [
                    "action", "files", "channelOrganizationId", "referees", "decision", "note", "summary", "yearIndex", "funding", "report",
                ])
        }
        h.el(.p) { h in
            h.el(
                .span, .class(dynamic: "status status-" + m.status.rawValue), .id("application-status"),
                .attr("data-status", m.status.rawValue),
                text: m.status.label)
        }
        if let note = m.returnNote {
            h.el(.p, .class("form-error"), .id("return-note")) { h in
                h.raw("形式审查意见：")
                h.text(note)
            }
        }
        h.el(.dl, .class("facts")) { h in
            h.fact("单位", m.employer.isEmpty ? "—" : m.employer)
            h.fact("学科代码", m.field.isEmpty ? "—" : m.field)
            h.fact("推荐单位", m.channel ?? "—")
            if let rank = m.channelRank { h.fact("推荐排序", "第 \(rank) 位") }
            if !m.referees.isEmpty { h.fact("推荐专家", m.referees.joined(separator: "、")) }
            if let score = m.score { h.fact("评审得分", String(format: "%.2f", score)) }
            if let rank = m.rank { h.fact("评审名次", "第 \(rank) 名") }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "主要成就与贡献")
            h.el(.p, .class("prewrap"), .id("application-summary"), text: m.summary)
            if !m.answers.isEmpty {
                h.el(.dl, .class("facts"), .id("application-answers")) { h in
                    for (label, value) in m.answers { h.fact(label: label, value) }
                }
            }
        }
        h.el(.section, .class("card"), .id("materials")) { h in
            h.el(.h2, raw: "申报材料")
            if !m.requiredMaterials.isEmpty {
                h.el(.p, .class("hint"), text: "须提交：" + m.requiredMaterials.joined(separator: "；"))
            }
            h.el(.ul, .id("material-files")) { h in
                for file in m.materials {
                    h.el(.li, .attr("data-file", file.id.uuidString)) { h in h.el(.a, .href(file.link), text: file.fileName) }
                }
                if m.materials.isEmpty { h.el(.li, .class("muted"), raw: "尚未上传") }
            }
            if m.mayAddMaterials {
                h.el(
                    .form, .method("post"), .action(AwardsRoutes.materials(m.id)), .attr("enctype", literal: "multipart/form-data"),
                    .id("materials-form")
                ) { h in
                    shell.writeCSRF(&h)
                    h.el(.div, HTML.fieldClass(errors, "files")) { h in
                        h.el(.label, .for("files"), raw: "上传文件（PDF、图片或 Office 文件，每个不超过 10 MB，共不超过 10 个）")
                        h.void(.input, .type("file"), .id("files"), .name("files[]"), .flag("multiple"))
                        h.fieldError(errors, "files")
                    }
                    h.el(.button, .type("submit"), .class("button"), .id("materials-submit"), raw: "上传")
                }
            }
        }
        if !m.nominateChannels.isEmpty {
            h.el(.section, .class("card"), .id("nominate")) { h in
                h.el(.h2, raw: "推荐")
                h.el(.form, .method("post"), .action(AwardsRoutes.nominate(m.id)), .id("nominate-form")) { h in
                    shell.writeCSRF(&h)
                    h.formField(
                        "channel", label: "以此单位名义推荐",
                        control: .select(m.nominateChannels.map { SelectOption(value: $0.0.uuidString, label: $0.1, selected: false) }),
                        errors: errors)
                    if m.channelIsExperts {
                        h.inputField("referees", label: "推荐专家（至少三人，以逗号分隔）", value: nil, errors: errors)
                    }
                    h.el(.button, .type("submit"), .class("button primary"), .id("nominate-submit"), raw: "推荐（占用一个名额）")
                }
            }
        }
        if m.mayCheck {
            h.el(.section, .class("card"), .id("formal-check")) { h in
                h.el(.h2, raw: "形式审查")
                h.el(.form, .method("post"), .action(AwardsRoutes.check(m.id)), .id("check-form")) { h in
                    shell.writeCSRF(&h)
                    h.formField(
                        "decision", label: "审查结论",
                        control: .select(
                            [("pass", "通过"), ("return", "退回修改"), ("reject", "不通过")].map {
                                SelectOption(value: $0.0, label: $0.1, selected: false)
                            }), errors: errors)
                    h.textareaField("note", label: "审查意见（退回或不通过时必填：写明需要修改或补充的内容）", value: nil, errors: errors, .attr("rows", literal: "3"))
                    h.el(.button, .type("submit"), .class("button primary"), .id("check-submit"), raw: "提交审查结论")
                }
            }
        }
        if m.mayResubmit {
            h.el(.section, .class("card"), .id("resubmit")) { h in
                h.el(.h2, raw: "修改后重新提交")
                h.el(.form, .method("post"), .action(AwardsRoutes.resubmit(m.id)), .id("resubmit-form")) { h in
                    shell.writeCSRF(&h)
                    h.textareaField("summary", label: "主要成就与贡献", value: m.summary, errors: errors, .attr("rows", literal: "8"))
                    h.el(.button, .type("submit"), .class("button primary"), .id("resubmit-submit"), raw: "重新提交")
                }
            }
        }
        if m.supportYears > 0, m.status == .awarded {
            h.el(.section, .class("card"), .id("support-years")) { h in
                h.el(.h2, raw: "托举年度记录")
                h.dataTable(
                    .id("support"), head: { h in h.columnHeaders(["年度", "资助金额（元）", "年度报告", "报告日期"]) },
                    body: { h in
                        for year in 1...m.supportYears {
                            let record = m.support.first { $0.yearIndex == year }
                            h.el(.tr, .attr("data-year", String(year)), .attr("data-funding", record.map { String($0.fundingYuan) })) { h in
                                h.el(.td, text: "第 \(year) 年")
                                h.el(.td, .class("num"), text: record.map { String($0.fundingYuan) } ?? "—")
                                h.el(.td, text: (record?.report).flatMap { $0.isEmpty ? nil : $0 } ?? "未提交")
                                h.el(.td, text: record?.reportedOn?.description ?? "")
                            }
                        }
                    })
                if m.mayRecordSupport {
                    h.el(.form, .method("post"), .action(AwardsRoutes.supportYear(m.id)), .id("support-form")) { h in
                        shell.writeCSRF(&h)
                        h.formField(
                            "yearIndex", label: "托举年度",
                            control: .select(
                                (1...m.supportYears).map { SelectOption(value: String($0), label: "第 \($0) 年", selected: false) }),
                            errors: errors)
                        h.inputField("funding", label: "资助金额（元，工作人员填写）", value: nil, errors: errors, .attr("inputmode", literal: "numeric"))
                        h.textareaField("report", label: "年度报告（入选者填写）", value: nil, errors: errors, .attr("rows", literal: "4"))
                        h.el(.button, .type("submit"), .class("button"), .id("support-submit"), raw: "保存")
                    }
                }
            }
        }
    }
}

/// 推荐工作: the applications the actor's channels may nominate, and their ranking.
struct ChannelWorkPage: Sendable {
    let shell: PageShell
    let list: ListChrome
    let rows: [ChannelWorkListing]
    let statuses: [SelectOption]
}

extension ChannelWorkPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "推荐工作")
        h.el(.p, .class("muted"), raw: "选择本单位作为推荐渠道的申报：审核材料后推荐（占用名额），并按推荐顺序排序。")
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "关键词", value: list.q, placeholder: "候选人")
            h.selectField("status", "状态", statuses)
            h.el(.button, .type("submit"), .class("button"), raw: "查找")
            h.exports(list)
        }
        h.dataTable(
            .id("channel-work"), head: { h in h.columnHeaders(["项目", "候选人", "单位", "推荐单位", "推荐排序", "状态", "操作"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-application", r.applicationID.uuidString), .attr("data-status", r.status.rawValue)) { h in
                        h.el(.td, text: r.program)
                        h.el(.td) { h in h.el(.a, .href(AwardsRoutes.application(r.applicationID)), text: r.title) }
                        h.el(.td, text: r.employer)
                        h.el(.td, text: r.channel)
                        h.el(.td, .class("num"), .attr("data-rank", r.rank.map(String.init)), text: r.rank.map(String.init) ?? "")
                        h.el(.td, text: r.status.label)
                        h.el(.td) { h in
                            if let nomination = r.nominationID, let rank = r.rank, rank > 1 {
                                h.el(.form, .method("post"), .action(AwardsRoutes.moveUp(nomination)), .class("inline")) { h in
                                    shell.writeCSRF(&h)
                                    h.el(.button, .type("submit"), .class("link"), .attr("data-move-up", nomination.uuidString), raw: "上移")
                                }
                            } else if r.nominationID == nil {
                                h.el(.a, .href(AwardsRoutes.application(r.applicationID)), raw: "审核推荐")
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 7, "暂无待推荐的申报") }
            })
        h.pager(list.pager)
    }
}

/// 我的申报.
struct MyApplicationsPage: Sendable {
    struct Row: Sendable {
        let id: UUID
        let program: String
        let year: Int
        let title: String
        let status: AwardApplication.Status
        let certificate: String?
    }
    let shell: PageShell
    let rows: [Row]
}

extension MyApplicationsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1, raw: "我的申报")
            h.el(.div, .class("actions")) { h in h.el(.a, .class("button"), .href(AwardsRoutes.home()), raw: "查看评选项目") }
        }
        h.dataTable(
            .id("my-applications"), head: { h in h.columnHeaders(["年度", "项目", "候选", "状态", "证书"]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-application", r.id.uuidString), .attr("data-status", r.status.rawValue)) { h in
                        h.el(.td, text: String(r.year))
                        h.el(.td) { h in h.el(.a, .href(AwardsRoutes.application(r.id)), text: r.program) }
                        h.el(.td, text: r.title)
                        h.el(.td, text: r.status.label)
                        h.el(.td) { h in if let certificate = r.certificate { h.el(.a, .href(certificate), raw: "查看证书") } }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 5, "还没有申报") }
            })
    }
}
