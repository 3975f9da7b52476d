import Foundation
import Platform

struct RegisterFormPage: Sendable {
    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let when: String
    let venue: String
    let places: String
    let audience: String
    let action: String
    let visitor: Bool
    let accountName: String
    let accountUnit: String
    let closedReason: String?
    let existingLink: String?
    let loginLink: String
    let values: RegistrationController.FormValues
    let errors: [String: String]
    let refusal: String?
    /// The event's own questions (a shared form), when it has them.
    let questions: FormView?
}

struct RegistrationConfirmedPage: Sendable {
    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let name: String
    let status: String
    let statusLabel: String
    let position: Int?
    let code: String
    let qrSource: String
}

struct RegistrationPage: Sendable {
    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let when: String
    let venue: String
    let name: String
    let unit: String
    let channel: String
    let status: String
    let statusLabel: String
    let position: Int?
    let code: String
    let qrLink: String
    let registeredAt: String
    let cutOff: String
    let cancelAction: String?
    let decideAction: String?
    let listLink: String
    /// The answers to the event's registration form (label, answer), in the form's order.
    let answers: [(key: String, label: String, value: String)]
}

struct RegistrationListPage: Sendable {
    struct Row: Sendable {
        let id: String
        let link: String
        let sequence: Int
        let name: String
        let unit: String
        let phone: String
        let channel: String
        let status: String
        let statusLabel: String
        let position: Int?
        let code: String
        let registeredAt: String
        let decideAction: String?
    }

    let shell: PageShell
    let eventTitle: String
    let eventLink: String
    let places: String
    let confirmed: Int
    let list: ListChrome
    let statuses: [SelectOption]
    let channels: [SelectOption]
    let rows: [Row]
    let onBehalfAction: String
    let values: RegistrationController.FormValues
    let errors: [String: String]
    let importAction: String
    let templateLink: String
    let invited: Int
    let importErrors: [String: String]
}

struct MyEventsPage: Sendable {
    struct Row: Sendable {
        let id: String
        let link: String
        let eventTitle: String
        let eventLink: String
        let when: String
        let venue: String
        let status: String
        let statusLabel: String
        let position: Int?
        let code: String
        /// 评价 once the event is over, for a confirmed registration (evreview).
        var evaluateLink: String? = nil
    }

    let shell: PageShell
    let rows: [Row]
}

extension HTML {
    /// `已确认` / `候补` … as a badge carrying the status value (`data-status`).
    mutating func registrationStatus(_ status: String, _ label: String, id: StaticString? = nil) {
        let colour: String
        switch status {
        case "confirmed": colour = "badge green"
        case "waitlisted", "pending": colour = "badge amber"
        case "rejected", "cancelled": colour = "badge grey"
        default: colour = "badge"
        }
        el(.span, .class(dynamic: colour), .attr("data-status", status), .id(dynamic: id.map { "\($0)" }), text: label)
    }

    mutating func consentField(_ errors: [String: String], label: String) {
        el(.div, HTML.fieldClass(errors, "consent", base: "field checkbox")) { h in
            let invalid = errors["consent"] != nil
            h.void(
                .input, .id("consent"), .name("consent"), .type("checkbox"), .attr("value", literal: "yes"),
                .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "consent-error" : nil))
            h.el(.label, .for("consent"), text: label)
            h.fieldError(errors, "consent")
        }
    }
}

extension RegisterFormPage: HTMLPage {
    static let labels = ["name": "姓名", "phone": "手机号码", "unit": "工作单位", "consent": "个人信息使用"]

    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(eventLink), raw: "← 返回活动") }
        h.el(.h1, raw: "活动报名")
        h.el(.section, .class("card"), .id("register-event")) { h in
            h.el(.h2, text: eventTitle)
            h.el(.dl, .class("facts")) { h in
                h.fact("时间", when)
                h.fact("地点", venue)
                h.fact("面向", audience)
                h.el(.div) { h in
                    h.el(.dt, raw: "名额")
                    h.el(.dd, .id("register-places"), text: places)
                }
            }
        }
        if let refusal { h.el(.p, .class("form-error"), .role("alert"), .id("register-refusal"), text: refusal) }
        if let existingLink {
            h.el(.p, .class("notice"), .id("already-registered")) { h in
                h.raw("您已报名本活动。")
                h.el(.a, .href(existingLink), raw: "查看报名和签到码")
            }
            return
        }
        if let closedReason {
            h.el(.p, .class("muted"), .id("register-closed"), text: closedReason)
            if visitor {
                h.el(.p) { h in h.el(.a, .class("button"), .href(loginLink), raw: "登录后报名") }
            }
            return
        }
        // One summary for the registration's fields and the event's questions, in the page's order.
        let own = ["name", "phone", "unit"].filter { errors[$0] != nil }
        var items = own.map { ErrorSummaryItem(key: $0, anchor: $0, label: Self.labels[$0] ?? $0, message: errors[$0] ?? "") }
        items += questions?.summaryItems ?? []
        if let consent = errors["consent"] {
            items.append(ErrorSummaryItem(key: "consent", anchor: "consent", label: Self.labels["consent"] ?? "", message: consent))
        }
        h.errorSummary(items)
        h.el(.form, .method("post"), .action(action), .class("card"), .id("register-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            if visitor {
                h.el(.p, .class("muted"), raw: "无需注册账号：填写姓名和手机号即可报名，提交后显示签到码和二维码，请截图保存。已有账号请先登录。")
                h.inputField(
                    "name", label: "姓名", value: values.name, errors: errors, .attr("maxlength", literal: "30"),
                    .attr("autocomplete", literal: "name"))
                h.inputField(
                    "phone", label: "手机号码", value: values.phone, errors: errors, hint: "仅用于活动通知和核对身份，加密保存",
                    .attr("inputmode", literal: "tel"), .attr("autocomplete", literal: "tel"))
                h.inputField("unit", label: "工作单位（选填）", value: values.unit, errors: errors, .attr("maxlength", literal: "100"))
            } else {
                h.el(.dl, .class("facts"), .id("register-account")) { h in
                    h.fact("报名人", accountName)
                    h.fact("工作单位", accountUnit.isEmpty ? "—" : accountUnit)
                }
            }
            if let questions {
                h.el(.div, .id("register-questions")) { h in h.formFields(questions, summary: false) }
            }
            h.consentField(errors, label: "我同意主办单位为组织本活动（报名审核、通知、签到和统计）使用我的姓名、手机号和工作单位，活动结束后按规定保存。")
            h.el(.button, .type("submit"), .class("button primary"), .id("register-submit"), raw: "提交报名")
        }
    }
}

extension RegistrationConfirmedPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "报名成功")
        h.el(.section, .class("card registration-ticket"), .id("registration-confirmation")) { h in
            h.el(.h2) { h in h.el(.a, .href(eventLink), text: eventTitle) }
            h.el(.dl, .class("facts")) { h in
                h.fact("报名人", name)
                h.el(.div) { h in
                    h.el(.dt, raw: "状态")
                    h.el(.dd) { h in h.registrationStatus(status, statusLabel, id: "registration-status") }
                }
                if let position {
                    h.el(.div) { h in
                        h.el(.dt, raw: "候补位次")
                        h.el(.dd, .id("registration-position"), text: "第 \(position) 位")
                    }
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "签到码")
                    h.el(.dd) { h in h.el(.code, .class("check-in-code"), .id("registration-code"), text: code) }
                }
            }
            h.void(.img, .id("registration-qr"), .class("registration-qr"), .attr("src", qrSource), .attr("alt", "签到二维码：" + code))
            h.el(.p, .class("muted"), raw: "请截图或记下签到码，到场后出示二维码或报出签到码签到。")
            h.el(.p, .class("muted"), .id("visitor-cancel-hint")) { h in
                h.raw("如不能参加，请在取消截止前")
                h.el(.a, .href(EventsRoutes.visitorCancel()), .id("visitor-cancel-link"), raw: "凭签到码和手机号取消报名")
                h.raw("，名额将让给候补人员。")
            }
        }
    }
}

extension RegistrationPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(listLink), raw: "← 返回列表") }
        h.el(.h1, raw: "报名详情")
        h.el(.section, .class("card registration-ticket"), .id("registration")) { h in
            h.el(.h2) { h in h.el(.a, .href(eventLink), .id("registration-event"), text: eventTitle) }
            // What the person needs at the door first (on a phone the facts below scroll away).
            h.el(.dl, .class("facts")) { h in
                h.el(.div) { h in
                    h.el(.dt, raw: "状态")
                    h.el(.dd) { h in h.registrationStatus(status, statusLabel, id: "registration-status") }
                }
                if let position {
                    h.el(.div) { h in
                        h.el(.dt, raw: "候补位次")
                        h.el(.dd, .id("registration-position"), text: "第 \(position) 位")
                    }
                }
                h.el(.div) { h in
                    h.el(.dt, raw: "签到码")
                    h.el(.dd) { h in h.el(.code, .class("check-in-code"), .id("registration-code"), text: code) }
                }
            }
            if status == "confirmed" || status == "waitlisted" || status == "pending" {
                h.void(.img, .id("registration-qr"), .class("registration-qr"), .attr("src", qrLink), .attr("alt", "签到二维码：" + code))
            }
            h.el(.dl, .class("facts")) { h in
                h.fact("时间", when)
                h.fact("地点", venue)
                h.fact("报名人", name)
                h.fact("工作单位", unit.isEmpty ? "—" : unit)
                h.fact("报名方式", channel)
                h.fact("报名时间", registeredAt)
            }
            if !answers.isEmpty {
                h.el(.h3, raw: "报名表")
                h.el(.dl, .class("facts"), .id("registration-answers")) { h in
                    for answer in answers {
                        h.el(.div, .attr("data-answer-key", answer.key)) { h in
                            h.el(.dt, text: answer.label)
                            h.el(.dd, text: answer.value)
                        }
                    }
                }
            }
        }
        if let decideAction {
            h.el(.form, .method("post"), .action(decideAction), .class("actions"), .id("decide-registration")) { h in
                shell.writeCSRF(&h)
                h.el(
                    .button, .type("submit"), .name("decision"), .value("approve"), .class("button primary"), .id("approve-registration"),
                    raw: "通过")
                h.el(
                    .button, .type("submit"), .name("decision"), .value("reject"), .class("button"), .id("reject-registration"), raw: "不通过")
            }
        }
        if let cancelAction {
            h.el(.form, .method("post"), .action(cancelAction), .class("actions"), .id("cancel-form")) { h in
                shell.writeCSRF(&h)
                h.el(.p, .class("muted"), text: "可在 \(cutOff) 前取消报名；取消后名额让给候补人员。")
                h.el(.button, .type("submit"), .class("button danger"), .id("cancel-registration"), raw: "取消报名")
            }
        }
    }
}

extension RegistrationListPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(eventLink), raw: "← 返回活动") }
        h.el(.h1) { h in
            h.raw("报名名单 · ")
            h.text(eventTitle)
        }
        h.el(.p, .class("muted"), .id("registration-places"), .attr("data-confirmed", String(confirmed)), text: places)
        h.el(.form, .method("get"), .action(list.path), .class("filters"), .role("search")) { h in
            h.inputField("q", "姓名", value: list.q)
            h.selectField("status", "状态", statuses)
            h.selectField("channel", "渠道", channels)
            h.el(.button, .type("submit"), .class("button"), raw: "筛选")
            h.exports(list)
        }
        h.dataTable(
            .id("registrations"),
            head: { h in
                h.sortHeaders(list.headers)
                h.columnHeaders(["单位", "手机", "渠道", "候补位次", "签到码", "报名时间", "审核"])
            },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-registration-id", r.id), .attr("data-status", r.status)) { h in
                        h.el(.td, text: String(r.sequence))
                        h.el(.td) { h in h.el(.a, .href(r.link), text: r.name) }
                        h.el(.td) { h in h.registrationStatus(r.status, r.statusLabel) }
                        h.el(.td, text: r.unit)
                        h.el(.td, text: r.phone)
                        h.el(.td, text: r.channel)
                        h.el(.td, .class("registration-position"), text: r.position.map { "第 \($0) 位" } ?? "")
                        h.el(.td) { h in h.el(.code, text: r.code) }
                        h.el(.td, text: r.registeredAt)
                        h.el(.td) { h in
                            if let action = r.decideAction {
                                h.el(.form, .method("post"), .action(action), .class("inline")) { h in
                                    shell.writeCSRF(&h)
                                    h.el(.button, .type("submit"), .name("decision"), .value("approve"), .class("button small"), raw: "通过")
                                    h.el(.button, .type("submit"), .name("decision"), .value("reject"), .class("button small"), raw: "不通过")
                                }
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 10, "暂无报名") }
            })
        h.pager(list.pager)
        h.el(.section, .class("card"), .id("on-behalf")) { h in
            h.el(.h2, raw: "代为报名")
            h.formErrorSummary(errors, labels: RegisterFormPage.labels, order: ["name", "phone", "unit", "consent"])
            h.el(.form, .method("post"), .action(onBehalfAction), .id("on-behalf-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.inputField("name", label: "姓名", value: values.name, errors: errors, .attr("maxlength", literal: "30"))
                h.inputField("phone", label: "手机号码", value: values.phone, errors: errors, .attr("inputmode", literal: "tel"))
                h.inputField("unit", label: "工作单位（选填）", value: values.unit, errors: errors, .attr("maxlength", literal: "100"))
                h.consentField(errors, label: "已征得本人同意，为组织本活动使用其姓名、手机号和工作单位")
                h.el(.button, .type("submit"), .class("button primary"), .id("on-behalf-submit"), raw: "报名")
            }
        }
        h.el(.section, .class("card"), .id("invitations")) { h in
            h.el(.h2, raw: "邀请名单")
            h.el(.p, .class("muted"), text: "已导入 \(invited) 人。“仅限邀请”的活动只有名单上的人员（按手机号或人员库匹配）可以报名。")
            h.el(.p) { h in h.el(.a, .href(templateLink), .id("invitation-template"), raw: "下载名单模板（XLSX）") }
            h.formErrorSummary(importErrors, labels: ["file": "邀请名单"], order: ["file"])
            h.el(
                .form, .method("post"), .action(importAction), .attr("enctype", literal: "multipart/form-data"), .id("invitation-form"),
                .flag("novalidate")
            ) { h in
                shell.writeCSRF(&h)
                h.describedFileField(importErrors)
                h.el(.button, .type("submit"), .class("button"), .id("invitation-submit"), raw: "导入")
            }
        }
    }
}

extension HTML {
    fileprivate mutating func describedFileField(_ errors: [String: String]) {
        el(.div, HTML.fieldClass(errors, "file")) { h in
            h.el(.label, .for("file"), raw: "名单文件（.xlsx，列：姓名、手机、单位）")
            let invalid = errors["file"] != nil
            h.void(
                .input, .id("file"), .name("file"), .type("file"), .attr("accept", literal: ".xlsx"),
                .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? "file-error" : nil))
            h.fieldError(errors, "file")
        }
    }
}

extension MyEventsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "我的活动")
        h.el(.p, .class("muted"), raw: "我报名的学术活动和签到码。到场后出示二维码或报出签到码签到。")
        h.dataTable(
            .id("my-registrations"),
            head: { h in h.columnHeaders(["活动", "时间", "地点", "状态", "签到码", ""]) },
            body: { h in
                for r in rows {
                    h.el(.tr, .attr("data-registration-id", r.id), .attr("data-status", r.status)) { h in
                        h.el(.td) { h in h.el(.a, .href(r.eventLink), text: r.eventTitle) }
                        h.el(.td, text: r.when)
                        h.el(.td, text: r.venue)
                        h.el(.td) { h in
                            h.registrationStatus(r.status, r.statusLabel)
                            if let position = r.position { h.text(" 第 \(position) 位") }
                        }
                        h.el(.td) { h in h.el(.code, text: r.code) }
                        h.el(.td) { h in
                            h.el(.a, .href(r.link), raw: "详情")
                            if let evaluateLink = r.evaluateLink {
                                h.raw(" ")
                                h.el(.a, .href(evaluateLink), .class("evaluate-link"), raw: "评价")
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 6, "还没有报名活动") }
            })
    }
}
