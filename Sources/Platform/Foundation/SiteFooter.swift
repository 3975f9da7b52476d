import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The site footer every page shows: 主办单位, 地址, 联系电话, ICP 备案号, 公安备案号. Kept by the system
/// administrator on `/admin/site-footer`, stored as one setting, and read from memory on every page.
public struct SiteFooter: Codable, Sendable, Equatable {
    public var host: String
    public var address: String
    public var phone: String
    public var icp: String
    public var publicSecurity: String

    public init(host: String = "", address: String = "", phone: String = "", icp: String = "", publicSecurity: String = "") {
        self.host = host
        self.address = address
        self.phone = phone
        self.icp = icp
        self.publicSecurity = publicSecurity
    }

    public static let empty = SiteFooter()
    static let settingKey = "site.footer"

    /// The form's fields in order, with their labels.
    static let fields: [(key: String, label: String)] = [
        ("host", "主办单位"), ("address", "地址"), ("phone", "联系电话"), ("icp", "ICP 备案号"), ("publicSecurity", "公安备案号"),
    ]

    /// The digits of the 公安备案号, for the link to its record on beian.gov.cn.
    var publicSecurityCode: String { String(publicSecurity.filter { $0.isASCII && $0.isNumber }) }

    /// Trims every field and checks it; all problems at once.
    static func validated(_ values: [String: String]) -> Result<SiteFooter, InvalidFields> {
        func value(_ key: String) -> String { (values[key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let footer = SiteFooter(
            host: value("host"), address: value("address"), phone: value("phone"), icp: value("icp"),
            publicSecurity: value("publicSecurity"))
        var errors = FieldErrors()
        if footer.host.isEmpty { errors.add("host", "请填写主办单位") } else if footer.host.count > 60 { errors.add("host", "主办单位不超过 60 字") }
        if footer.address.count > 100 { errors.add("address", "地址不超过 100 字") }
        let phoneCharacters = Set("0123456789-+() ")
        if footer.phone.count > 30 || !footer.phone.allSatisfy({ phoneCharacters.contains($0) }) {
            errors.add("phone", "联系电话只能包含数字、空格、括号和“-”，不超过 30 个字符")
        }
        if !footer.icp.isEmpty, !footer.icp.contains("ICP") || footer.icp.count > 40 {
            errors.add("icp", "ICP 备案号应形如“云ICP备2026000001号-1”")
        }
        if !footer.publicSecurity.isEmpty, !footer.publicSecurity.contains("公网安备") || footer.publicSecurity.count > 40 {
            errors.add("publicSecurity", "公安备案号应形如“云公网安备 53010202000001号”")
        }
        guard errors.isEmpty else { return .failure(InvalidFields(errors, order: fields.map(\.key))) }
        return .success(footer)
    }
}

/// The footer in memory: read from the database at most once per `maximumAge` per instance (so a
/// change saved on another instance shows within seconds), replaced at once on this instance's save.
/// Pages never wait on a query for it but the first after it expires.
public final class SiteFooterCache: Sendable {
    private let state = NIOLockedValueBox<(footer: SiteFooter, loadedAt: Date)?>(nil)
    let maximumAge: TimeInterval = 30

    public init() {}

    public func current(on db: any Database, now: Date) async -> SiteFooter {
        if let cached = state.withLockedValue({ $0 }), now.timeIntervalSince(cached.loadedAt) < maximumAge, cached.loadedAt <= now {
            return cached.footer
        }
        let footer = (try? await Self.load(on: db)) ?? SiteFooter.empty
        state.withLockedValue { $0 = (footer, now) }
        return footer
    }

    func replace(_ footer: SiteFooter, now: Date) {
        state.withLockedValue { $0 = (footer, now) }
    }

    static func load(on db: any Database) async throws -> SiteFooter {
        guard let setting = try await PlatformSetting.find(SiteFooter.settingKey, on: db) else { return .empty }
        return (try? JSONDecoder().decode(SiteFooter.self, from: Data(setting.value.utf8))) ?? .empty
    }

    /// Stores the footer with an audit row naming what it now says, and puts it in memory.
    static func save(_ footer: SiteFooter, services: PlatformServices, on db: any Database) async throws {
        let json = String(decoding: try JSONEncoder().encode(footer), as: UTF8.self)
        try await services.writes.transaction(on: db) { tx in
            if let setting = try await PlatformSetting.find(SiteFooter.settingKey, on: tx) {
                setting.value = json
                try await setting.update(on: tx)
            } else {
                try await PlatformSetting(key: SiteFooter.settingKey, value: json).create(on: tx)
            }
            let summary = SiteFooter.fields.map { field in
                "\(field.label)=\(footer.value(of: field.key).isEmpty ? "空" : footer.value(of: field.key))"
            }.joined(separator: "; ")
            try await services.audit.record(
                AuditEvent(action: "update", entityType: "site_footer", entityID: SiteFooter.settingKey, summary: summary), on: tx)
        }
        services.siteFooter.replace(footer, now: services.clock())
    }
}

extension SiteFooter {
    func value(of key: String) -> String {
        switch key {
        case "host": return host
        case "address": return address
        case "phone": return phone
        case "icp": return icp
        case "publicSecurity": return publicSecurity
        default: return ""
        }
    }
}

struct SiteFooterPage: Sendable {
    let shell: PageShell
    let values: [String: String]
    let errors: [String: String]
}

extension SiteFooterPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "网站页脚")
        h.el(.p, .class("muted"), raw: "每个页面底部显示的主办单位、联系方式和备案信息。保存后立即生效。")
        h.formErrorSummary(
            errors, labels: Dictionary(uniqueKeysWithValues: SiteFooter.fields.map { ($0.key, $0.label) }),
            order: SiteFooter.fields.map(\.key))
        h.el(.form, .method("post"), .action(PlatformRoutes.siteFooter()), .class("card stack"), .id("site-footer-form")) { h in
            shell.writeCSRF(&h)
            h.formField(
                "host", label: "主办单位", control: .input(type: "text", value: values["host"], extra: [.attr("maxlength", literal: "60")]),
                errors: errors)
            h.formField("address", label: "地址", control: .input(type: "text", value: values["address"]), errors: errors)
            h.formField(
                "phone", label: "联系电话", control: .input(type: "tel", value: values["phone"], extra: [.attr("inputmode", literal: "tel")]),
                errors: errors)
            h.formField(
                "icp", label: "ICP 备案号", control: .input(type: "text", value: values["icp"]), errors: errors, hint: "如 云ICP备2026000001号-1")
            h.formField(
                "publicSecurity", label: "公安备案号", control: .input(type: "text", value: values["publicSecurity"]), errors: errors,
                hint: "如 云公网安备 53010202000001号")
            h.el(.button, .type("submit"), .class("button primary"), raw: "保存")
        }
    }
}

/// `/admin/site-footer`: the system administrator edits the footer.
struct SiteFooterController {
    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.siteFooter, use: form)
        web.post(PlatformRoutes.siteFooter, use: save)
    }

    func form(_ req: Request) async throws -> Response {
        try req.actor.require(PlatformPermission.siteManage)
        let footer = try await SiteFooterCache.load(on: req.db)
        let values = Dictionary(uniqueKeysWithValues: SiteFooter.fields.map { ($0.key, footer.value(of: $0.key)) })
        return try await SiteFooterPage(shell: await PageShell.build(for: req, title: "网站页脚"), values: values, errors: [:]).render(req)
    }

    func save(_ req: Request) async throws -> Response {
        try req.actor.require(PlatformPermission.siteManage)
        var values: [String: String] = [:]
        for field in SiteFooter.fields {
            values[field.key] = String(((try? req.content.get(String.self, at: field.key)) ?? "").prefix(200))
        }
        switch SiteFooter.validated(values) {
        case .failure(let invalid):
            return try await SiteFooterPage(
                shell: await PageShell.build(for: req, title: "网站页脚"), values: values, errors: invalid.invalid.messages
            ).render(req, status: .unprocessableEntity)
        case .success(let footer):
            try await SiteFooterCache.save(footer, services: req.platform, on: req.db)
            return req.redirect(to: PlatformRoutes.siteFooter(query: ["notice": "saved"]))
        }
    }
}
