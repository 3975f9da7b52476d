import Foundation

extension PageShell {
    /// The frame around every page (was Platform/layout.leaf): head, header with the acting
    /// organization and the user menu, the main navigation, the notice, `<main>` and the footer.
    public func write(_ h: inout HTML, content: (inout HTML) -> Void) {
        h.raw("<!doctype html>\n")
        h.el(.html, .attr("lang", literal: "zh-CN"), .attr("data-care-mode", careMode ? "on" : nil)) { h in
            h.el(.head) { h in
                h.void(.meta, .attr("charset", literal: "utf-8"))
                h.void(.meta, .name("viewport"), .attr("content", literal: "width=device-width, initial-scale=1"))
                h.el(.title) { h in
                    h.text(title)
                    h.raw(" · 智慧科协")
                }
                h.void(.link, .attr("rel", literal: "stylesheet"), .href(literal: "/css/kexie.css"))
                h.void(.link, .attr("rel", literal: "stylesheet"), .href(literal: "/css/print.css"), .attr("media", literal: "print"))
                h.void(.link, .attr("rel", literal: "icon"), .href(literal: "/favicon.svg"), .type("image/svg+xml"))
                h.el(.script, .attr("src", literal: "/js/kexie.js"), .flag("defer")) { _ in }
            }
            h.el(.body) { h in
                h.el(.a, .class("skip-link"), .href(literal: "#main"), raw: "跳到主要内容")
                h.el(.header, .class("site-header")) { h in
                    h.el(.div, .class("bar")) { h in
                        h.el(.a, .class("brand"), .href(homePath)) { h in
                            h.el(.span, .class("brand-mark"), .attr("aria-hidden", literal: "true"), raw: "科")
                            h.raw("智慧科协")
                        }
                        writeSearchBox(&h)
                        if userName != nil { writeUserMenu(&h) } else { writeVisitorMenu(&h) }
                        writeCareSwitch(&h)
                    }
                    if !nav.isEmpty { writeNavigation(&h) }
                }
                h.el(.main, .id("main"), .attr("tabindex", literal: "-1")) { h in
                    writeBreadcrumb(&h)
                    if let notice { h.el(.p, .class("notice"), .role("status"), text: notice) }
                    content(&h)
                }
                writeFooter(&h)
            }
        }
    }

    private func writeUserMenu(_ h: inout HTML) {
        h.el(.div, .class("acting")) { h in
            if hasChoices {
                h.el(.form, .method("post"), .action(actingPath), .class("acting-form")) { h in
                    writeCSRF(&h)
                    h.el(.label, .for("acting-grant"), raw: "当前组织")
                    h.el(.select, .id("acting-grant"), .name("grant"), .flag("data-autosubmit")) { h in
                        for choice in choices {
                            h.el(.option, .value(choice.grantID), .flag("selected", choice.selected), text: choice.label)
                        }
                    }
                    h.el(.button, .type("submit"), .class("button small js-hide"), raw: "切换")
                }
            } else if let actingOrganization {
                h.el(.span, .class("acting-name"), .title("当前组织"), text: actingOrganization)
            }
        }
        h.el(.div, .class("user-menu")) { h in
            h.el(.a, .href(inboxPath), .id("inbox-link")) { h in
                h.raw("站内信")
                if unread > 0 {
                    h.raw(" ")
                    h.el(.span, .class("badge unread-count"), .id("unread-count"), text: String(unread))
                }
            }
            // The account's own pages under its name: a native disclosure, so it opens by keyboard and
            // without script.
            h.el(.details, .class("account-menu"), .id("account-menu")) { h in
                h.el(.summary, .class("user-name")) { h in
                    h.text(userName)
                    if let actingRoles {
                        h.el(.small) { h in
                            h.raw("（")
                            h.text(actingRoles)
                            h.raw("）")
                        }
                    }
                }
                h.el(.ul, .class("menu-items")) { h in
                    h.el(.li) { h in h.el(.a, .href(passwordPath), raw: "修改密码") }
                    h.el(.li) { h in h.el(.a, .href(secondFactorPath), .id("second-factor-link"), raw: "身份验证器") }
                    if showsTokens { h.el(.li) { h in h.el(.a, .href(tokensPath), .id("tokens-link"), raw: "API 令牌") } }
                    h.el(.li) { h in
                        h.el(.form, .method("post"), .action(logoutPath), .class("inline")) { h in
                            writeCSRF(&h)
                            h.el(.button, .type("submit"), .class("link-button"), raw: "退出")
                        }
                    }
                }
            }
        }
    }

    /// The site footer from the settings (主办单位, 地址, 联系电话, 备案号); the slogan alone until they are set.
    private func writeFooter(_ h: inout HTML) {
        h.el(.footer, .class("site-footer"), .id("site-footer")) { h in
            h.el(.p, .class("footer-slogan"), raw: "智慧科协 · 一网受理、协同办理、综合服务")
            guard !footer.host.isEmpty else { return }
            h.el(.ul, .class("footer-facts")) { h in
                h.el(.li, .id("footer-host")) { h in
                    h.raw("主办单位：")
                    h.text(footer.host)
                }
                if !footer.address.isEmpty {
                    h.el(.li, .id("footer-address")) { h in
                        h.raw("地址：")
                        h.text(footer.address)
                    }
                }
                if !footer.phone.isEmpty {
                    h.el(.li, .id("footer-phone")) { h in
                        h.raw("联系电话：")
                        h.text(footer.phone)
                    }
                }
            }
            if !footer.icp.isEmpty || !footer.publicSecurity.isEmpty {
                h.el(.ul, .class("footer-facts footer-records")) { h in
                    if !footer.icp.isEmpty {
                        h.el(.li, .id("footer-icp")) { h in
                            h.el(
                                .a, .href(literal: "https://beian.miit.gov.cn/"), .attr("rel", literal: "noopener noreferrer"),
                                text: footer.icp)
                        }
                    }
                    if !footer.publicSecurity.isEmpty {
                        h.el(.li, .id("footer-public-security")) { h in
                            h.el(
                                .a,
                                .href("https://www.beian.gov.cn/portal/registerSystemInfo?recordcode=" + footer.publicSecurityCode),
                                .attr("rel", literal: "noopener noreferrer"), text: footer.publicSecurity)
                        }
                    }
                }
            }
        }
    }

    private func writeVisitorMenu(_ h: inout HTML) {
        h.el(.div, .class("user-menu")) { h in
            h.el(.a, .href(loginPath), raw: "登录")
            h.el(.a, .href(signupPath), raw: "注册")
        }
    }

    /// The channels: one with a single item is a link, the others open their items (`<details>`, so
    /// keyboard and no-script work; kexie.js closes the others and answers Escape). On a phone the
    /// menu button shows and hides the channels (with script; without it they stay listed).
    private func writeNavigation(_ h: inout HTML) {
        h.el(.nav, .class("main-nav"), .id("main-nav"), .attr("aria-label", literal: "主导航")) { h in
            h.el(
                .button, .type("button"), .class("nav-toggle"), .id("nav-toggle"), .attr("aria-expanded", literal: "false"),
                .attr("aria-controls", literal: "nav-groups"), raw: "菜单")
            h.el(.ul, .class("nav-groups"), .id("nav-groups")) { h in
                for group in nav {
                    h.el(.li, .class(dynamic: group.active ? "nav-group active" : "nav-group"), .attr("data-nav-group", group.id)) { h in
                        if group.items.count == 1, let item = group.items.first {
                            h.el(
                                .a, .href(item.path), .class("nav-channel"), .attr("aria-current", item.active ? "page" : nil),
                                text: item.label)
                        } else {
                            h.el(.details) { h in
                                h.el(.summary, .class("nav-channel"), text: group.label)
                                h.el(.ul, .class("nav-items")) { h in
                                    for item in group.items {
                                        h.el(.li) { h in
                                            h.el(.a, .href(item.path), .attr("aria-current", item.active ? "page" : nil), text: item.label)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// 当前位置 on every page below the home page.
    private func writeBreadcrumb(_ h: inout HTML) {
        guard !breadcrumb.isEmpty else { return }
        h.el(.nav, .class("site-breadcrumb"), .id("breadcrumb"), .attr("aria-label", literal: "当前位置")) { h in
            h.el(.span, .class("breadcrumb-label"), raw: "当前位置：")
            h.el(.ol) { h in
                for (index, crumb) in breadcrumb.enumerated() {
                    let last = index == breadcrumb.count - 1
                    h.el(.li, .attr("aria-current", last ? "page" : nil)) { h in
                        if let path = crumb.path, !last { h.el(.a, .href(path), text: crumb.label) } else { h.text(crumb.label) }
                    }
                }
            }
        }
    }

    /// The 关怀模式 switch: a form button (no script), pressed while the mode is on.
    private func writeCareSwitch(_ h: inout HTML) {
        h.el(.form, .method("post"), .action(careModePath), .class("care-switch")) { h in
            writeCSRF(&h)
            h.void(.input, .type("hidden"), .name("next"), .value(currentLocation))
            h.void(.input, .type("hidden"), .name("on"), .value(careMode ? "0" : "1"))
            h.el(
                .button, .type("submit"), .class("link-button"), .id("care-mode-switch"),
                .attr("aria-pressed", careMode ? "true" : "false"),
                raw: careMode ? "退出关怀模式" : "关怀模式")
        }
    }

    /// The hidden CSRF field every form posts.
    public func writeCSRF(_ h: inout HTML) {
        h.void(.input, .type("hidden"), .name("_csrf"), .value(csrf))
    }
}

extension HTML {
    /// `<option>`s of a select, the chosen one marked.
    public mutating func options(_ options: [SelectOption]) {
        for option in options {
            el(.option, .value(option.value), .flag("selected", option.selected), text: option.label)
        }
    }

    /// A sortable column heading (`<th>` with its link and aria-sort).
    public mutating func sortHeader(_ header: SortHeader) {
        el(.th, .attr("scope", literal: "col"), .attr("aria-sort", header.ariaSort)) { h in
            h.el(.a, .href(header.link)) { h in
                h.text(header.label)
                h.text(header.indicator)
            }
        }
    }

    /// The pager under a list (was Platform/pager.leaf).
    public mutating func pager(_ pager: Pager) {
        el(.nav, .class("pager"), .attr("aria-label", literal: "分页")) { h in
            h.el(.span) { h in
                h.text(pager.totalLabel)
                h.raw("，第 ")
                h.text(pager.page)
                h.raw(" / ")
                h.text(pager.pages)
                h.raw(" 页")
            }
            if let previous = pager.previous { h.el(.a, .href(previous), .attr("rel", literal: "prev"), raw: "上一页") }
            if let next = pager.next { h.el(.a, .href(next), .attr("rel", literal: "next"), raw: "下一页") }
        }
    }

    /// The CSV and Excel links of a list.
    public mutating func exports(_ list: ListChrome, label: StaticString = "导出：") {
        el(.span, .class("exports")) { h in
            h.raw(label)
            h.el(.a, .href(list.csvLink), raw: "CSV")
            h.raw(" ")
            h.el(.a, .href(list.xlsxLink), raw: "Excel")
        }
    }

    /// The empty-table row.
    public mutating func emptyRow(columns: Int, _ message: StaticString) {
        el(.tr) { h in h.el(.td, .attr("colspan", String(columns)), .class("muted"), raw: message) }
    }
}

extension HTML {
    /// A filter's select: `<div class="field"><label for="ID">LABEL</label><select id="ID" name="ID">…</select></div>`.
    public mutating func selectField(_ id: StaticString, _ label: StaticString, _ options: [SelectOption]) {
        el(.div, .class("field")) { h in
            h.el(.label, .for(id), raw: label)
            h.el(.select, .id(id), .name(id)) { h in h.options(options) }
        }
    }

    /// A filter's text box: `<div class="field"><label for="ID">LABEL</label><input id="ID" name="ID" value="…"></div>`.
    public mutating func inputField(_ id: StaticString, _ label: StaticString, value: String, placeholder: StaticString? = nil) {
        // (a filter box has no error to carry; see the keyed variant below for forms)
        el(.div, .class("field")) { h in
            h.el(.label, .for(id), raw: label)
            if let placeholder {
                h.void(.input, .id(id), .name(id), .value(value), .placeholder(placeholder))
            } else {
                h.void(.input, .id(id), .name(id), .value(value))
            }
        }
    }

    /// A form's select that can carry an error: the wrapper marked invalid, the select described by the
    /// error, the error under it.
    public mutating func selectField(_ id: String, label: StaticString, _ options: [SelectOption], errors: [String: String]) {
        el(.div, HTML.fieldClass(errors, id)) { h in
            h.el(.label, .for(dynamic: id), raw: label)
            let invalid = errors[id] != nil
            h.el(
                .select, .id(dynamic: id), .name(dynamic: id), .attr("aria-invalid", invalid ? "true" : nil),
                .attr("aria-describedby", invalid ? id + "-error" : nil)
            ) { h in h.options(options) }
            h.fieldError(errors, id)
        }
    }

    /// The sortable headings of a list, in order.
    public mutating func sortHeaders(_ headers: [SortHeader]) {
        for header in headers { sortHeader(header) }
    }

    /// Plain column headings.
    public mutating func columnHeaders(_ labels: [StaticString]) {
        for label in labels { el(.th, .attr("scope", literal: "col"), raw: label) }
    }
}

extension HTML {
    /// One fact of a `<dl class="facts">`: `<div><dt>LABEL</dt><dd>value</dd></div>`.
    public mutating func fact(_ label: StaticString, _ value: String) {
        el(.div) { h in
            h.el(.dt, raw: label)
            h.el(.dd, text: value)
        }
    }

    /// A fact whose label is data.
    public mutating func fact(label: String, _ value: String) {
        el(.div) { h in
            h.el(.dt, text: label)
            h.el(.dd, text: value)
        }
    }
}

extension HTML {
    /// A form's text box that can carry an error: `<div class="field[ invalid]"><label>…</label>
    /// <input id name value EXTRA… aria-invalid aria-describedby><p class="field-error">…</p></div>`.
    /// A hint, when given, stands between the box and the error.
    public mutating func inputField(
        _ key: String, label: String, value: String?, errors: [String: String], hint: String? = nil, _ extra: Attribute...
    ) {
        el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), text: label)
            let invalid = errors[key] != nil
            h.open(
                .input,
                [.id(dynamic: key), .name(dynamic: key), .value(value ?? "")] + extra + [
                    .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil),
                ])
            if let hint { h.el(.p, .class("hint"), text: hint) }
            h.fieldError(errors, key)
        }
    }

    /// The same for a `<textarea>`.
    public mutating func textareaField(_ key: String, label: String, value: String?, errors: [String: String], _ extra: Attribute...) {
        el(.div, HTML.fieldClass(errors, key)) { h in
            h.el(.label, .for(dynamic: key), text: label)
            let invalid = errors[key] != nil
            h.open(
                .textarea,
                [.id(dynamic: key), .name(dynamic: key)] + extra + [
                    .attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil),
                ])
            h.text(value ?? "")
            h.close(.textarea)
            h.fieldError(errors, key)
        }
    }
}

/// The control of a form field written by `HTML.formField`.
public enum FieldControl {
    /// `<input type=… value=…>`, with extra attributes after the value; a nil value writes no value
    /// attribute (passwords).
    case input(type: StaticString, value: String?, extra: [Attribute] = [])
    case textarea(rows: StaticString, value: String?)
    case select([SelectOption])
}

extension HTML {
    /// A form field: label, control (described by its error when it has one), an optional hint
    /// (`KEY-hint`) and the error (`KEY-error`); the wrapper is marked invalid when there is an error.
    public mutating func formField(
        _ key: String, label: String, control: FieldControl, errors: [String: String], hint: String? = nil,
        wrapper: StaticString = "field", wrapperID: String? = nil
    ) {
        let invalid = errors[key] != nil
        let aria: [Attribute] = [.attr("aria-invalid", invalid ? "true" : nil), .attr("aria-describedby", invalid ? key + "-error" : nil)]
        el(.div, .class(dynamic: invalid ? "\(wrapper) invalid" : "\(wrapper)"), .id(dynamic: wrapperID)) { h in
            h.el(.label, .for(dynamic: key), text: label)
            switch control {
            case .input(let type, let value, let extra):
                h.open(.input, [.id(dynamic: key), .name(dynamic: key), .type(type), .value(value)] + extra + aria)
            case .textarea(let rows, let value):
                h.open(.textarea, [.id(dynamic: key), .name(dynamic: key), .attr("rows", literal: rows)] + aria)
                h.text(value ?? "")
                h.close(.textarea)
            case .select(let options):
                h.open(.select, [.id(dynamic: key), .name(dynamic: key)] + aria)
                h.options(options)
                h.close(.select)
            }
            if let hint { h.el(.p, .class("hint"), .id(dynamic: key + "-hint"), text: hint) }
            h.fieldError(errors, key)
        }
    }
}

/// One step of a record's history as the timelines show it: `DATE ACTION · WHO：COMMENT`.
public struct TimelineStep: Sendable {
    public let date: String
    public let action: String
    public let who: String
    public let comment: String?

    public init(date: String, action: String, who: String, comment: String?) {
        self.date = date
        self.action = action
        self.who = who
        self.comment = comment
    }
}

extension HTML {
    /// A record's history (`<ul class="timeline" id=…>`), oldest first as given.
    public mutating func timeline(id: StaticString, _ steps: [TimelineStep]) {
        el(.ul, .class("timeline"), .id(id)) { h in
            for s in steps {
                h.el(.li) { h in
                    h.el(.span, .class("muted"), text: s.date)
                    h.raw(" ")
                    h.text(s.action)
                    h.raw(" · ")
                    h.text(s.who)
                    if let comment = s.comment {
                        h.raw("：")
                        h.text(comment)
                    }
                }
            }
        }
    }
}

extension HTML {
    /// A data table in its scrolling wrapper: `<div class="table-wrap"><table …><thead><tr>head</tr></thead>
    /// <tbody>body</tbody></table></div>`; the one shape every list and figure table shares.
    public mutating func dataTable(_ attributes: Attribute..., head: (inout HTML) -> Void, body: (inout HTML) -> Void) {
        // Focusable, so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable).
        el(.div, .class("table-wrap"), .attr("tabindex", literal: "0")) { h in
            h.open(.table, attributes)
            h.el(.thead) { h in h.el(.tr, content: head) }
            h.el(.tbody, content: body)
            h.close(.table)
        }
    }
}
