import Foundation
import KexieKit
import Platform
import Vapor

/// Certificates: a printable page per awardee with its verification code, and the public lookup that
/// tells anyone holding a paper certificate whether it is genuine.
struct CertificatePages: Sendable {
    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(AwardsRoutes.certificates, use: lookup)
        publicWeb.get(AwardsRoutes.certificate, use: show)
    }

    /// `?code=` redirects to the certificate; an unknown code is said beside the field (404).
    func lookup(_ req: Request) async throws -> Response {
        let code = String((req.query[String.self, at: "code"] ?? "").prefix(40)).trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { return try await lookupPage(req, code: "", error: nil) }
        do {
            let (application, _, _) = try await ResultService(db: req.db, services: req.platform).certificate(code: code)
            return req.redirect(to: AwardsRoutes.certificate(application.certificateCode ?? ""))
        } catch let error as AwardsError {
            return try await lookupPage(req, code: code, error: error.message, status: error.errorCode.status)
        }
    }

    private func lookupPage(_ req: Request, code: String, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await CertificateLookupPage(shell: await PageShell.build(for: req, title: "证书查验"), code: code, error: error).render(
            req, status: status)
    }

    func show(_ req: Request) async throws -> Response {
        let code = String((req.parameters.get("code") ?? "").prefix(40))
        let (application, program, organization) = try await ResultService(db: req.db, services: req.platform).certificate(code: code)
        let printed = (try? TrackingCode.parse(code))?.description ?? code
        return try await CertificatePage(
            shell: await PageShell.build(for: req, title: "证书"), name: application.title, employer: application.employer,
            program: program.name, year: program.year, organization: organization.name, awardedOn: application.awardedOn?.description ?? "",
            code: printed, programLink: AwardsRoutes.program(try program.requireID())
        ).render(req)
    }
}

struct CertificateLookupPage: Sendable {
    let shell: PageShell
    let code: String
    let error: String?
}

extension CertificateLookupPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "证书查验")
        h.el(.p, .class("muted"), raw: "输入证书上的查验编号（如 KX-7F3M-Q9TC-2HPA），核对证书是否真实有效。")
        let errors = error.map { ["code": $0] } ?? [:]
        h.formErrorSummary(errors, labels: ["code": "查验编号"], order: ["code"])
        h.el(.form, .method("get"), .action(AwardsRoutes.certificates()), .class("card"), .id("certificate-lookup")) { h in
            h.inputField(
                "code", label: "查验编号", value: code, errors: errors, .attr("maxlength", literal: "40"), .attr("autocomplete", literal: "off")
            )
            h.el(.button, .type("submit"), .class("button primary"), raw: "查验")
        }
    }
}

/// The printable certificate (the stylesheet's print block drops the page frame).
struct CertificatePage: Sendable {
    let shell: PageShell
    let name: String
    let employer: String
    let program: String
    let year: Int
    let organization: String
    let awardedOn: String
    let code: String
    let programLink: String
}

extension CertificatePage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.article, .class("certificate"), .id("certificate"), .attr("data-code", code)) { h in
            h.el(.h1, .class("certificate-title"), raw: "荣 誉 证 书")
            h.el(.p, .class("certificate-name"), .id("certificate-name"), text: name)
            if !employer.isEmpty { h.el(.p, .class("certificate-employer"), text: employer) }
            h.el(.p, .class("certificate-body"), text: "经评审、公示，入选\(year)年度“\(program)”，特发此证。")
            h.el(.p, .class("certificate-issuer"), text: organization)
            h.el(.p, .class("certificate-date"), text: awardedOn)
            h.el(.p, .class("certificate-code")) { h in
                h.raw("查验编号：")
                h.el(.span, .id("certificate-code"), text: code)
            }
            h.el(.p, .class("muted no-print"), raw: "本证书可在本网站“证书查验”中输入查验编号核对真伪。")
        }
        h.el(.p, .class("no-print")) { h in
            h.el(.a, .href(programLink), raw: "查看评选结果")
            h.raw(" · ")
            h.el(.a, .href(AwardsRoutes.certificates()), raw: "证书查验")
        }
    }
}
