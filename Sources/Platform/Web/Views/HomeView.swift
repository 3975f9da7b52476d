extension HomePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, text: greeting)
        if let organization {
            h.el(.p, .class("muted")) { h in
                h.raw("当前组织：")
                h.text(organization)
                if roles != "" {
                    h.raw("　角色：")
                    h.text(roles)
                }
            }
        }
        h.el(.div, .class("panels")) { h in
            for panel in panels {
                h.el(.section, .class("card panel")) { h in
                    h.el(.h2, text: panel.title)
                    h.el(.dl) { h in
                        for line in panel.lines {
                            h.el(.div, .class("line")) { h in
                                h.el(.dt, text: line.label)
                                h.el(.dd) { h in
                                    if let link = line.link { h.el(.a, .href(link), text: line.value) } else { h.text(line.value) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ErrorPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.section, .class("card narrow error-page")) { h in
            h.el(.p, .class("error-code"), text: String(status))
            h.el(.h1, text: heading)
            h.el(.p, text: message)
            h.el(.p) { h in h.el(.a, .class("button"), .href(PlatformRoutes.home.path), raw: "返回首页") }
        }
    }
}
