extension HTML {
    /// `<p class="field-error" id="KEY-error">message</p>` when the field has an error.
    public mutating func fieldError(_ errors: [String: String], _ key: String) {
        if let message = errors[key] { el(.p, .class("field-error"), .id(dynamic: key + "-error"), text: message) }
    }

    /// The class of a form field's wrapper: "field", plus " invalid" when it has an error.
    public static func fieldClass(_ errors: [String: String], _ key: String, base: String = "field") -> Attribute {
        .class(dynamic: errors[key] == nil ? base : base + " invalid")
    }
}

extension LoginPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "登录")
            if let error {
                h.el(.p, .class(dynamic: locked ? "form-error locked" : "form-error"), .role("alert"), .id("login-error"), text: error)
            }
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("identifier"), raw: "用户名 / 手机号 / 邮箱")
                    h.void(
                        .input, .id("identifier"), .name("identifier"), .value(identifier), .attr("autocomplete", literal: "username"),
                        .required, .attr("aria-describedby", error == nil ? nil : "login-error"))
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("password"), raw: "密码")
                    h.void(
                        .input, .id("password"), .name("password"), .type("password"), .attr("autocomplete", literal: "current-password"),
                        .required)
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "登录")
            }
            h.el(.p, .class("muted")) { h in
                h.raw("还没有账号？")
                h.el(.a, .href(shell.signupPath), raw: "注册")
                h.raw("。忘记密码请联系所在组织的管理员重置。")
            }
            h.el(.p, .class("muted")) { h in
                h.raw("不登录也可以 ")
                h.el(.a, .href(literal: "/service/new"), .id("service-link"), raw: "提交诉求、建议或咨询")
                h.raw("，或凭查询码 ")
                h.el(.a, .href(literal: "/service/track"), raw: "查询办理进度")
                h.raw("，也可以看看 ")
                h.el(.a, .href(literal: "/service/public"), raw: "公开答复")
                h.raw("。")
            }
        }
    }
}

extension SignupPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "注册账号")
            h.el(.p, .class("muted"), raw: "科技工作者、企业用户均可注册。注册后可在“我的”中完善个人信息。")
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                textField(&h, "displayName", label: "姓名", value: displayName, autocomplete: "name")
                textField(&h, "contact", label: "手机号或电子邮箱", value: contact, autocomplete: "username")
                h.el(.div, HTML.fieldClass(errors, "password")) { h in
                    h.el(.label, .for("password"), raw: "密码")
                    h.void(
                        .input, .id("password"), .name("password"), .type("password"), .attr("autocomplete", literal: "new-password"),
                        .required,
                        .attr("aria-describedby", errors["password"] == nil ? "password-hint" : "password-hint password-error"))
                    h.el(.p, .class("hint"), .id("password-hint"), raw: "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类")
                    h.fieldError(errors, "password")
                }
                h.el(.div, HTML.fieldClass(errors, "confirm")) { h in
                    h.el(.label, .for("confirm"), raw: "确认密码")
                    h.void(
                        .input, .id("confirm"), .name("confirm"), .type("password"), .attr("autocomplete", literal: "new-password"),
                        .required)
                    h.fieldError(errors, "confirm")
                }
                h.el(.div, HTML.fieldClass(errors, "consent", base: "field checkbox")) { h in
                    h.void(.input, .id("consent"), .name("consent"), .type("checkbox"), .attr("value", literal: "yes"))
                    h.el(.label, .for("consent")) { h in
                        h.raw("我已阅读并同意《个人信息保护说明》（版本 ")
                        h.text(consentVersion)
                        h.raw("）：平台仅为提供科协服务收集必要信息，手机号、身份证号加密保存并脱敏显示，您可随时下载、更正您的数据或申请删除。")
                    }
                    h.fieldError(errors, "consent")
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "注册")
            }
            h.el(.p, .class("muted")) { h in
                h.raw("已有账号？")
                h.el(.a, .href(shell.loginPath), raw: "登录")
            }
        }
    }

    private func textField(_ h: inout HTML, _ key: String, label: StaticString, value: String, autocomplete: StaticString) {
        h.el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), raw: label)
            let invalid = errors[key] != nil
            h.void(
                .input, .id(dynamic: key), .name(dynamic: key), .value(value), .attr("autocomplete", literal: autocomplete), .required,
                .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil))
            h.fieldError(errors, key)
        }
    }
}

/// The new-password and confirmation fields of the password and setup forms.
private func writeNewPassword(_ h: inout HTML, _ errors: [String: String], label: StaticString, confirmLabel: StaticString) {
    h.el(.div, HTML.fieldClass(errors, "password")) { h in
        h.el(.label, .for("password"), raw: label)
        h.void(
            .input, .id("password"), .name("password"), .type("password"), .attr("autocomplete", literal: "new-password"), .required,
            .attr("aria-describedby", literal: "password-hint"))
        h.el(.p, .class("hint"), .id("password-hint"), raw: "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类，且不含用户名")
        h.fieldError(errors, "password")
    }
    h.el(.div, HTML.fieldClass(errors, "confirm")) { h in
        h.el(.label, .for("confirm"), raw: confirmLabel)
        h.void(.input, .id("confirm"), .name("confirm"), .type("password"), .attr("autocomplete", literal: "new-password"), .required)
        h.fieldError(errors, "confirm")
    }
}

extension PasswordPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "修改密码")
            if forced { h.el(.p, .class("form-error"), .role("alert"), raw: "管理员已为您重置密码，请先设置新密码再继续使用。") }
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, HTML.fieldClass(errors, "current")) { h in
                    h.el(.label, .for("current"), raw: "当前密码")
                    h.void(
                        .input, .id("current"), .name("current"), .type("password"), .attr("autocomplete", literal: "current-password"),
                        .required)
                    h.fieldError(errors, "current")
                }
                writeNewPassword(&h, errors, label: "新密码", confirmLabel: "确认新密码")
                h.el(.button, .type("submit"), .class("button primary"), raw: "保存新密码")
            }
        }
    }
}

extension SetupPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "初始化：创建系统管理员")
            h.el(.p, .class("muted"), raw: "这是本平台的首次设置。此链接仅能使用一次。")
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.void(.input, .type("hidden"), .name("token"), .value(token))
                if needsOrganization {
                    h.el(.div, HTML.fieldClass(errors, "organizationName")) { h in
                        h.el(.label, .for("organizationName"), raw: "本级科协名称")
                        h.void(
                            .input, .id("organizationName"), .name("organizationName"), .value(organizationName),
                            .placeholder("例如：某某省科学技术协会"), .required)
                        h.fieldError(errors, "organizationName")
                    }
                }
                h.el(.div, HTML.fieldClass(errors, "username")) { h in
                    h.el(.label, .for("username"), raw: "用户名")
                    h.void(
                        .input, .id("username"), .name("username"), .value(username), .attr("autocomplete", literal: "username"), .required)
                    h.fieldError(errors, "username")
                }
                h.el(.div, HTML.fieldClass(errors, "displayName")) { h in
                    h.el(.label, .for("displayName"), raw: "姓名")
                    h.void(.input, .id("displayName"), .name("displayName"), .value(displayName), .required)
                    h.fieldError(errors, "displayName")
                }
                writeNewPassword(&h, errors, label: "密码", confirmLabel: "确认密码")
                h.el(.button, .type("submit"), .class("button primary"), raw: "创建系统管理员")
            }
        }
    }
}

extension TokensPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "API 访问令牌")
        h.el(.p, .class("muted")) { h in
            h.raw("令牌用于通过 JSON 接口（/api/v1）访问平台，权限与您的账号相同。接口说明见 ")
            h.el(.a, .href(literal: "/api/openapi.yaml"), raw: "OpenAPI 文档")
            h.raw("。")
        }
        if let newToken {
            h.el(.div, .class("card highlight"), .role("status")) { h in
                h.el(.h2, raw: "新令牌已创建")
                h.el(.p, raw: "请立即复制保存，离开本页后将无法再次查看：")
                h.el(.p) { h in h.el(.code, .class("token"), .id("new-token"), text: newToken) }
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "创建令牌")
            if let error { h.el(.p, .class("form-error"), .role("alert"), text: error) }
            h.el(.form, .method("post"), .action(action), .class("inline-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("name"), raw: "名称")
                    h.void(.input, .id("name"), .name("name"), .required, .placeholder("例如：数据同步脚本"))
                }
                h.el(.div, .class("field")) { h in
                    h.el(.label, .for("expiresInDays"), raw: "有效期（天，留空为 90 天，最长 3650 天）")
                    h.void(.input, .id("expiresInDays"), .name("expiresInDays"), .attr("inputmode", literal: "numeric"))
                }
                h.el(.div, .class("field checkbox")) { h in
                    h.el(.label) { h in
                        h.void(.input, .type("checkbox"), .id("readOnly"), .name("readOnly"), .attr("value", literal: "yes"))
                        h.raw(" 只读（只能查询，不能修改数据）")
                    }
                }
                h.el(.button, .type("submit"), .class("button primary"), raw: "创建")
            }
        }
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "我的令牌")
            if rows.isEmpty {
                h.el(.p, .class("muted"), raw: "暂无令牌。")
            } else {
                h.dataTable(
                    head: { h in
                        for label: StaticString in ["名称", "前缀", "创建时间", "到期", "权限", "最近使用", "状态", "操作"] {
                            h.el(.th, .attr("scope", literal: "col"), raw: label)
                        }
                    },
                    body: { h in
                        for row in rows { write(&h, row) }
                    })
            }
        }
    }

    private func write(_ h: inout HTML, _ row: Row) {
        h.el(.tr) { h in
            h.el(.td, text: row.name)
            h.el(.td) { h in h.el(.code, text: row.prefix) }
            h.el(.td, text: row.created)
            h.el(.td, text: row.expires)
            h.el(.td, .attr("data-access", row.access), text: row.access)
            h.el(.td, text: row.lastUsed)
            h.el(.td, text: row.status)
            h.el(.td) { h in
                if let revokeAction = row.revokeAction {
                    h.el(.form, .method("post"), .action(revokeAction), .class("inline")) { h in
                        shell.writeCSRF(&h)
                        h.el(
                            .button, .type("submit"), .class("link-button danger"),
                            .attr("data-confirm", literal: "确定撤销该令牌？撤销后使用它的程序将无法访问。"), raw: "撤销")
                    }
                }
            }
        }
    }
}

extension SecondFactorPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "身份验证")
            h.el(.p, raw: "请打开手机上的身份验证器（如 FreeOTP、Google Authenticator、Microsoft Authenticator），输入“智慧科协”显示的 6 位验证码。手机不在身边时，可以输入一个恢复码。")
            if let error { h.el(.p, .class("form-error"), .role("alert"), .id("code-error"), text: error) }
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.div, .class(dynamic: error == nil ? "field" : "field invalid")) { h in
                    h.el(.label, .for("code"), raw: "验证码或恢复码")
                    h.void(
                        .input, .id("code"), .name("code"), .attr("inputmode", literal: "numeric"),
                        .attr("autocomplete", literal: "one-time-code"),
                        .attr("maxlength", literal: "20"), .required, .flag("autofocus"),
                        .attr("aria-describedby", error == nil ? nil : "code-error"),
                        .attr("aria-invalid", error == nil ? nil : "true"))
                }
                h.el(.button, .type("submit"), .class("button primary"), .id("verify"), raw: "验证")
            }
            h.el(.p, .class("muted")) { h in h.el(.a, .href(PlatformRoutes.login.path), raw: "返回登录") }
        }
    }
}

extension SecondFactorSetupPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow"), .id("second-factor"), .attr("data-enrolled", enrolled ? "yes" : "no")) { h in
            h.el(.h1, raw: "身份验证器")
            if !recoveryCodes.isEmpty {
                h.el(.p, .class("notice"), .role("status"), raw: "身份验证器已绑定。以下 10 个恢复码只显示这一次，每个只能使用一次，请抄写或打印后妥善保管；手机丢失时可用恢复码登录。")
                h.el(.ol, .class("recovery-codes"), .id("recovery-codes")) { h in
                    for code in recoveryCodes { h.el(.li) { h in h.el(.code, text: code) } }
                }
                h.el(.p) { h in h.el(.a, .class("button primary"), .href(PlatformRoutes.home.path), .id("continue"), raw: "继续") }
            } else if enrolled {
                h.el(.p, .id("enrolled-status")) { h in
                    h.raw("您的账号已绑定身份验证器，登录时需输入验证码。")
                    if recoveryLeft > 0 {
                        h.raw("剩余恢复码 ")
                        h.el(.strong, .id("recovery-left"), text: String(recoveryLeft))
                        h.raw(" 个。")
                    } else {
                        h.el(.strong, .id("recovery-left"), .attr("data-left", literal: "0"), raw: "没有可用的恢复码")
                        h.raw("。")
                    }
                    h.raw("更换手机或恢复码用完时，请联系本单位或上级管理员在“账号管理”中重置身份验证器。")
                }
            } else {
                writeBinding(&h)
            }
        }
    }

    private func writeBinding(_ h: inout HTML) {
        if mandatory { h.el(.p, .class("form-error"), .role("alert"), raw: "根据网络安全等级保护要求，管理员账号必须绑定身份验证器后才能继续使用。") }
        h.el(.ol, .class("steps")) { h in
            h.el(.li, raw: "在手机上安装身份验证器应用（如 FreeOTP、Google Authenticator、Microsoft Authenticator）。")
            h.el(.li, raw: "用应用扫描下方二维码；无法扫描时，手动输入密钥。")
            h.el(.li, raw: "输入应用显示的 6 位验证码完成绑定。")
        }
        h.el(.p) { h in
            h.void(
                .img, .attr("src", qrPath), .attr("alt", literal: "身份验证器绑定二维码"), .attr("width", literal: "246"),
                .attr("height", literal: "246"), .id("qr-code"))
        }
        h.el(.p) { h in
            h.raw("密钥：")
            h.el(.code, .id("secret"), text: secret)
        }
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("code-error"), text: error) }
        h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.el(.div, .class(dynamic: error == nil ? "field" : "field invalid")) { h in
                h.el(.label, .for("code"), raw: "验证码")
                h.void(
                    .input, .id("code"), .name("code"), .attr("inputmode", literal: "numeric"),
                    .attr("autocomplete", literal: "one-time-code"),
                    .attr("maxlength", literal: "10"), .required, .attr("aria-describedby", error == nil ? nil : "code-error"),
                    .attr("aria-invalid", error == nil ? nil : "true"))
            }
            h.el(.button, .type("submit"), .class("button primary"), .id("bind"), raw: "绑定")
        }
    }
}

extension InboxPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.div, .class("page-head")) { h in
            h.el(.h1) { h in
                h.raw("站内信 ")
                h.el(.small, .class("muted")) { h in
                    h.text(unread)
                    h.raw(" 条未读")
                }
            }
            if unread > 0 {
                h.el(.form, .method("post"), .action(readAllAction), .class("inline")) { h in
                    shell.writeCSRF(&h)
                    h.el(.button, .type("submit"), .class("button"), raw: "全部标为已读")
                }
            }
        }
        h.el(.ul, .class("inbox"), .id("inbox")) { h in
            for row in rows {
                h.el(.li, .attr("class", row.unread ? "unread" : "")) { h in
                    h.el(.form, .method("post"), .action(row.openAction), .class("inline")) { h in
                        shell.writeCSRF(&h)
                        h.el(.button, .type("submit"), .class("link-button inbox-title")) { h in
                            if row.unread {
                                h.el(.span, .class("badge"), raw: "未读")
                                h.raw(" ")
                            }
                            h.text(row.title)
                        }
                    }
                    h.el(.span, .class("muted"), text: row.time)
                    h.el(.p, text: row.body)
                }
            }
        }
        if rows.isEmpty { h.el(.p, .class("muted"), raw: "没有站内信") }
        h.pager(list.pager)
    }
}
