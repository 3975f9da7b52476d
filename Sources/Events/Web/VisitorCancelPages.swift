import Foundation
import KexieKit
import Platform
import Vapor

/// A visitor (no account) cancels a registration with the code shown on their confirmation and the
/// phone they registered with; the place goes to the first waiting person as with any cancellation.
struct VisitorCancelController: Sendable {
    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(EventsRoutes.visitorCancel, use: form)
        publicWeb.post(EventsRoutes.visitorCancel, use: submit).limitBody(BodyLimits.small)
    }

    struct Values: Content, Sendable {
        var code: String?
        var phone: String?
    }

    func form(_ req: Request) async throws -> Response {
        try await render(req, values: .init(), errors: [:], refusal: nil, cancelled: nil)
    }

    func submit(_ req: Request) async throws -> Response {
        let values = (try? req.content.decode(Values.self)) ?? .init()
        do {
            try req.enforce(RegistrationService.visitorCancelPerAddress, key: req.clientAddress)
            let (_, event) = try await RegistrationService(db: req.db, services: req.platform).cancelAsVisitor(
                code: String((values.code ?? "").prefix(40)), phone: String((values.phone ?? "").prefix(40)))
            return try await render(req, values: .init(), errors: [:], refusal: nil, cancelled: event.title)
        } catch let invalid as InvalidFields {
            return try await render(
                req, values: values, errors: invalid.invalid.messages, refusal: nil, cancelled: nil, status: .unprocessableEntity)
        } catch let error as EventsError {
            return try await render(
                req, values: values, errors: [:], refusal: error.message, cancelled: nil, status: error.errorCode.status)
        } catch PlatformError.rateLimited {
            return try await render(
                req, values: values, errors: [:], refusal: "尝试次数过多，请一小时后再试", cancelled: nil, status: .tooManyRequests)
        }
    }

    private func render(
        _ req: Request, values: Values, errors: [String: String], refusal: String?, cancelled: String?, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        try await VisitorCancelPage(
            shell: await PageShell.build(for: req, title: "取消活动报名"), action: EventsRoutes.visitorCancel(), values: values, errors: errors,
            refusal: refusal, cancelledEvent: cancelled
        ).render(req, status: status)
    }
}

struct VisitorCancelPage: Sendable {
    let shell: PageShell
    let action: String
    let values: VisitorCancelController.Values
    let errors: [String: String]
    let refusal: String?
    /// The title of the event whose registration was just cancelled.
    let cancelledEvent: String?
}

extension VisitorCancelPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.h1, raw: "取消活动报名")
        if let cancelledEvent {
            h.el(.section, .class("card"), .id("visitor-cancelled")) { h in
                h.el(.p, .class("notice"), text: "已取消“\(cancelledEvent)”的报名，名额将让给候补人员。")
                h.el(.p) { h in h.el(.a, .href(EventsRoutes.home()), raw: "返回活动日历") }
            }
            return
        }
        h.el(.p, .class("muted"), raw: "未登录报名的访客，请输入报名成功时显示的签到码和报名时的手机号码。已登录报名的请在“我的活动”中取消。")
        if let refusal { h.el(.p, .class("form-error"), .role("alert"), .id("visitor-cancel-refusal"), text: refusal) }
        h.formErrorSummary(errors, labels: ["code": "签到码", "phone": "手机号码"], order: ["code", "phone"])
        h.el(.form, .method("post"), .action(action), .class("card"), .id("visitor-cancel-form"), .flag("novalidate")) { h in
            shell.writeCSRF(&h)
            h.inputField(
                "code", label: "签到码", value: values.code, errors: errors, hint: "8 位字母和数字，如 K7Q2-M9XD",
                .attr("maxlength", literal: "20"), .attr("autocomplete", literal: "off"))
            h.inputField(
                "phone", label: "手机号码", value: values.phone, errors: errors, .attr("inputmode", literal: "tel"),
                .attr("autocomplete", literal: "tel"))
            h.el(.button, .type("submit"), .class("button danger"), .id("visitor-cancel-submit"), raw: "取消报名")
        }
    }
}
