import Platform

extension PostingFormPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(cancelLink), raw: "← 返回") }
        h.el(.h1, text: heading)
        if let error { h.el(.p, .class("form-error"), .role("alert"), .id("form-error"), text: error) }
        h.el(.section, .class("card")) { h in
            h.el(.form, .method("post"), .action(action), .class("posting-form"), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.void(.input, .type("hidden"), .name("kind"), .value(kind))
                if isSupply { writeSupply(&h) } else { writeDemand(&h) }
                h.el(.div, .class("actions")) { h in
                    h.el(
                        .button, .type("submit"), .class("button"), .name("intent"), .attr("value", literal: "draft"), .id("save-draft"),
                        raw: "保存草稿")
                    h.el(
                        .button, .type("submit"), .class("button primary"), .name("intent"), .attr("value", literal: "submit"),
                        .id("submit-review"),
                        raw: "提交审核")
                    h.el(.a, .href(cancelLink), raw: "取消")
                }
            }
        }
    }

    private func text(
        _ h: inout HTML, _ key: String, _ label: String, hint: String? = nil, type: StaticString = "text", extra: [Attribute] = []
    ) {
        h.formField(key, label: label, control: .input(type: type, value: values[key] ?? "", extra: extra), errors: errors, hint: hint)
    }

    private func area(_ h: inout HTML, _ key: String, _ label: String, rows: StaticString, hint: String? = nil) {
        h.formField(key, label: label, control: .textarea(rows: rows, value: values[key]), errors: errors, hint: hint)
    }

    private func select(_ h: inout HTML, _ key: String, _ label: String, _ options: [SelectOption], hint: String? = nil) {
        h.formField(key, label: label, control: .select(options), errors: errors, hint: hint)
    }

    private func writeSupply(_ h: inout HTML) {
        h.el(.fieldset) { h in
            h.el(.legend, raw: "成果概况")
            text(&h, "title", "成果名称", hint: "4–100 个字")
            area(&h, "summary", "成果简介", rows: "3", hint: "一两句话说明成果是什么、解决什么问题、主要指标")
            area(&h, "publicDetail", "详细介绍（公开）", rows: "6", hint: "技术原理、性能指标、应用领域、转化条件等")
            area(&h, "confidentialDetail", "保密内容", rows: "4", hint: "工艺参数、配方等，仅发布方、审核人员和已接受对接的对方可见")
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "分类与成熟度")
            select(&h, "industry", "所属行业（国民经济行业门类）", industries)
            text(&h, "field", "学科领域", hint: "如 材料科学、0805")
            select(&h, "readiness", "技术成熟度", readiness, hint: "1 级为发现基本原理，9 级为实际应用")
            text(&h, "keywords", "关键词", hint: "用逗号或空格分隔，最多 12 个；匹配时与名称同等重要")
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "知识产权与合作")
            area(&h, "patents", "知识产权", rows: "3", hint: "每行一项：号码｜种类｜状态，如 ZL202110123456.7｜发明专利｜已授权")
            h.el(.fieldset, HTML.fieldClass(errors, "cooperationModes"), .id("cooperationModes")) { h in
                h.el(.legend, raw: "合作方式（可多选）")
                for m in modes {
                    h.el(.label, .class("check")) { h in
                        h.void(
                            .input, .type("checkbox"), .name(dynamic: m.value), .attr("value", literal: "on"), .flag("checked", m.selected))
                        h.raw(" ")
                        h.text(m.label)
                    }
                    h.raw(" ")
                }
                h.fieldError(errors, "cooperationModes")
            }
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "持有方")
            select(&h, "ownerKind", "持有方类型", ownerKinds)
            text(&h, "ownerName", "成果持有人或单位")
            text(&h, "region", "所在地区", hint: "如 云海省东港市")
            text(&h, "contactName", "联系人（选填，保密）")
            text(&h, "contactPhone", "联系电话（选填，保密）", type: "tel")
        }
    }

    private func writeDemand(_ h: inout HTML) {
        h.el(.fieldset) { h in
            h.el(.legend, raw: "需求概况")
            text(&h, "title", "需求名称", hint: "4–100 个字，如 储能电芯循环寿命提升")
            area(&h, "summary", "问题概述", rows: "3", hint: "一两句话说明要解决的技术难题")
            area(&h, "publicDetail", "问题描述", rows: "6", hint: "现状、已尝试的办法、应用场景等（公开）")
            area(&h, "indicators", "核心指标", rows: "4", hint: "需要达到的技术指标，每行一项，如 循环寿命 ≥ 6000 次")
            area(&h, "confidentialDetail", "保密内容", rows: "4", hint: "现有工艺参数、供应商等，仅审核人员和已接受对接的对方可见")
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "揭榜条件")
            text(&h, "deadline", "揭榜截止日期", hint: "截止日期过后需求自动下线", type: "date")
            text(&h, "budget", "预算（万元，选填）", hint: "不填为面议", extra: [.attr("inputmode", literal: "decimal")])
            text(&h, "ipOwnership", "知识产权归属", hint: "如 双方共有、归需求方所有")
            area(&h, "solverConditions", "揭榜方条件", rows: "3", hint: "对揭榜团队的资质、经验要求")
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "分类")
            select(&h, "industry", "所属行业（国民经济行业门类）", industries)
            select(&h, "readiness", "最低技术成熟度（选填）", readiness, hint: "可接受的最低成熟度，不填为不限")
            text(&h, "keywords", "关键词", hint: "用逗号或空格分隔，最多 12 个；匹配时与名称同等重要")
        }
        h.el(.fieldset) { h in
            h.el(.legend, raw: "需求单位与联系人")
            text(&h, "ownerName", "需求单位")
            text(&h, "region", "所在地区", hint: "如 云海省东港市")
            text(&h, "contactName", "联系人")
            text(&h, "contactPhone", "联系电话（保密）", type: "tel")
        }
    }
}

extension EnterpriseRegisterPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow")) { h in
            h.el(.h1, raw: "企业注册")
            h.el(.p, .class("muted"), raw: "企业注册后可发布技术需求（揭榜挂帅），查看平台推荐的科技成果和专家，并与成果方对接。每个统一社会信用代码只能注册一次。")
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "企业信息")
                    text(&h, "name", "企业名称", hint: "与营业执照一致")
                    text(
                        &h, "creditCode", "统一社会信用代码", hint: "18 位，见营业执照",
                        extra: [.attr("autocapitalize", literal: "characters"), .attr("maxlength", literal: "18")])
                    h.formField(
                        "associationID", label: "所在地科协", control: .select(associations), errors: errors,
                        hint: "企业所在市、县的科协，负责审核企业发布的需求")
                    h.formField("industry", label: "所属行业（选填）", control: .select(industries), errors: errors)
                    text(&h, "region", "所在地区", hint: "如 云海省东港市")
                }
                h.el(.fieldset) { h in
                    h.el(.legend, raw: "联系人与账号")
                    text(&h, "contactName", "联系人姓名")
                    text(&h, "contactPhone", "联系人手机号", type: "tel", extra: [.attr("autocomplete", literal: "tel")])
                    text(&h, "username", "登录用户名", hint: "3–32 位字母、数字或 . _ -，登录时使用", extra: [.attr("autocomplete", literal: "username")])
                    h.formField(
                        "password", label: "登录密码",
                        control: .input(type: "password", value: nil, extra: [.attr("autocomplete", literal: "new-password")]),
                        errors: errors,
                        hint: "至少 8 位，包含大写字母、小写字母、数字、符号中的至少三类")
                }
                h.el(.button, .type("submit"), .class("button primary"), .id("register-submit"), raw: "注册")
            }
            h.el(.p, .class("muted")) { h in
                h.raw("已有账号？")
                h.el(.a, .href(shell.loginPath), raw: "登录")
            }
        }
    }

    private func text(
        _ h: inout HTML, _ key: String, _ label: String, hint: String? = nil, type: StaticString = "text", extra: [Attribute] = []
    ) {
        h.formField(key, label: label, control: .input(type: type, value: values[key] ?? "", extra: extra), errors: errors, hint: hint)
    }
}

extension EnterpriseRegisteredPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow"), .id("registered")) { h in
            h.el(.h1, raw: "注册成功")
            h.el(.p) { h in
                h.raw("“")
                h.text(name)
                h.raw("”的企业账号已创建，登录用户名为 ")
                h.el(.strong, text: username)
                h.raw("。")
            }
            h.el(.p, raw: "登录后即可发布技术需求，经所在地科协审核后公开。")
            h.el(.p, .class("actions")) { h in
                h.el(.a, .class("button primary"), .href(loginPath), .id("login-link"), raw: "登录")
                h.raw(" ")
                h.el(.a, .href(demandsPath), raw: "浏览技术需求")
            }
        }
    }
}
