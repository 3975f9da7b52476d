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
        h.panels(panels)
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
