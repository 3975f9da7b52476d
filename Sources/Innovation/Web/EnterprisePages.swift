import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct EnterpriseRegisterPage: Sendable {
    let shell: PageShell
    let action: String
    let values: [String: String]
    let errors: [String: String]
    let associations: [SelectOption]
    let industries: [SelectOption]
}

struct EnterpriseRegisteredPage: Sendable {
    let shell: PageShell
    let name: String
    let username: String
    let loginPath: String
    let demandsPath: String
}

/// 企业注册: an enterprise signs itself up, with its 统一社会信用代码 checked, and gets an enterprise account.
struct EnterpriseController {
    func register(publicWeb: any RoutesBuilder) {
        publicWeb.get(InnovationRoutes.registerEnterprise, use: form)
        publicWeb.grouped(RateLimitMiddleware(.signup)).post(InnovationRoutes.registerEnterprise, use: submit)
            .limitBody(BodyLimits.small)
    }

    static let keys = ["name", "creditCode", "associationID", "industry", "region", "contactName", "contactPhone", "username", "password"]

    private func service(_ req: Request) -> EnterpriseService {
        EnterpriseService(db: req.db, services: req.platform, passwords: req.password.async)
    }

    func form(_ req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:])
    }

    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok) async throws
        -> Response
    {
        let associations = try await service(req).associations()
        var options = [SelectOption(value: "", label: "请选择", selected: (values["associationID"] ?? "").isEmpty)]
        if let base = associations.first?.depth {
            options += associations.map { org in
                SelectOption(
                    value: org.id?.uuidString ?? "", label: String(repeating: "　", count: max(0, org.depth - base)) + org.name,
                    selected: values["associationID"] == org.id?.uuidString)
            }
        }
        // The password is never sent back into the page.
        var kept = values
        kept["password"] = nil
        return try await EnterpriseRegisterPage(
            shell: await PageShell.build(for: req, title: "企业注册"), action: InnovationRoutes.registerEnterprise(), values: kept,
            errors: errors, associations: options,
            industries: PostingDisplay.industryOptions(selected: values["industry"], blank: "请选择")
        ).render(req, status: status)
    }

    func submit(_ req: Request) async throws -> Response {
        let fields = PostingFormFields.read(req, keys: Self.keys)
        var input = EnterpriseService.Input()
        input.name = fields["name"] ?? ""
        input.creditCode = fields["creditCode"] ?? ""
        input.associationID = fields["associationID"] ?? ""
        input.industry = fields["industry"] ?? ""
        input.region = fields["region"] ?? ""
        input.contactName = fields["contactName"] ?? ""
        input.contactPhone = fields["contactPhone"] ?? ""
        input.username = fields["username"] ?? ""
        input.password = fields["password"] ?? ""
        do {
            let (organization, user) = try await service(req).register(input)
            return try await EnterpriseRegisteredPage(
                shell: await PageShell.build(for: req, title: "注册成功"), name: organization.name, username: user.username,
                loginPath: PlatformRoutes.login(next: InnovationRoutes.newPosting(query: ["kind": Posting.Kind.demand.rawValue])),
                demandsPath: InnovationRoutes.demands()
            ).render(req)
        } catch PlatformError.invalidInput(let field, let message) {
            // Show every problem, not only the first the service stopped at.
            var errors = try await service(req).validate(input).messages
            if errors.isEmpty { errors[field ?? "name"] = message }
            return try await page(req, values: fields, errors: errors, status: .unprocessableEntity)
        }
    }
}
