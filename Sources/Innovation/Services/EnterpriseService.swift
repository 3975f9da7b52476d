import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// An enterprise signs itself up: its organization node (under the association it chooses, usually
/// the one of its city or county), its 统一社会信用代码 checked with the GB 32100 check character and
/// unique on the platform, and its first account with the enterprise role — all in one transaction.
struct EnterpriseService: Sendable {
    let db: any Database
    let services: PlatformServices
    let passwords: AsyncPasswordHasher

    struct Input: Sendable {
        var name = ""
        var creditCode = ""
        var associationID = ""
        var industry = ""
        var region = ""
        var contactName = ""
        var contactPhone = ""
        var username = ""
        var password = ""
    }

    /// Associations an enterprise may register under (every active association, by tree order).
    func associations() async throws -> [Organization] {
        try await Organization.query(on: db).filter(\.$kind == .association).filter(\.$isActive == true).sort(\.$depth).sort(\.$name).all()
    }

    /// Every problem with the form at once, keyed by field name (the page shows each beside its field).
    func validate(_ input: Input) async throws -> FieldErrors { try await check(input).errors }

    private struct Checked {
        var errors = FieldErrors()
        var name = ""
        var code = ""
        var association: Organization?
        var industry: IndustrySection?
        var region = ""
        var contactName = ""
        var phone: String?
        var account: AccountService.NewAccount
    }

    private func check(_ input: Input) async throws -> Checked {
        var errors = FieldErrors()
        let name = String(input.name.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100))
        if name.count < 4 { errors.add("name", "请填写企业全称（与营业执照一致）") }
        var code = ""
        switch Result(catching: { () throws(ValidationError) in try UnifiedSocialCreditCode(input.creditCode) }) {
        case .success(let valid):
            code = valid.value
            if try await EnterpriseRecord.query(on: db).filter(\.$creditCode == code).first() != nil {
                errors.add("creditCode", "该统一社会信用代码已注册，请联系本企业的平台账号管理人")
            }
        case .failure(let error): errors.add("creditCode", error.message)
        }
        let parent = UUID(uuidString: input.associationID)
        var association: Organization?
        if let parent { association = try await Organization.find(parent, on: db) }
        if association == nil || association?.kind != .association || association?.isActive != true {
            errors.add("associationID", "请选择企业所在地的科协")
        }
        let industryText = input.industry.trimmingCharacters(in: .whitespaces)
        let industry = IndustrySection(parsing: industryText)
        if !industryText.isEmpty && industry == nil { errors.add("industry", "请选择国民经济行业门类") }
        let region = String(input.region.trimmingCharacters(in: .whitespaces).prefix(60))
        if region.isEmpty { errors.add("region", "请填写企业所在地区") }
        let contactName = String(input.contactName.trimmingCharacters(in: .whitespaces).prefix(50))
        if contactName.isEmpty { errors.add("contactName", "请填写联系人姓名") }
        let phone = ContactFormat.normalizedMobile(input.contactPhone)
        if phone == nil { errors.add("contactPhone", "请输入正确的 11 位手机号") }
        let accounts = AccountService(db: db, services: services, passwords: passwords)
        let account = AccountService.NewAccount(
            username: input.username.trimmingCharacters(in: .whitespaces).nilIfEmpty, displayName: contactName, phone: phone, email: nil,
            password: input.password)
        for (field, message) in try await accounts.validate(account).messages {
            errors.add(field == "contact" ? "contactPhone" : (field == "displayName" ? "contactName" : field), message)
        }
        return Checked(
            errors: errors, name: name, code: code, association: association, industry: industry, region: region, contactName: contactName,
            phone: phone, account: account)
    }

    static let fieldOrder = [
        "name", "creditCode", "associationID", "industry", "region", "contactName", "contactPhone", "username", "password",
    ]

    func register(_ input: Input) async throws -> (Organization, User) {
        let checked = try await check(input)
        try checked.errors.throwIfAny(order: Self.fieldOrder)
        guard let association = checked.association else { throw PlatformError.notFound }
        let (name, code, industry, region, contactName, phone, account) = (
            checked.name, checked.code, checked.industry, checked.region, checked.contactName, checked.phone, checked.account
        )
        let accounts = AccountService(db: db, services: services, passwords: passwords)
        let organization = Organization(name: name, kind: .enterprise, level: nil, parent: association, region: region)
        let record = EnterpriseRecord()
        record.organizationID = try organization.requireID()
        record.creditCode = code
        record.industry = industry.map { String($0.letter) }
        record.region = region
        record.contactName = contactName
        record.contactPhoneSealed = try phone.map { try services.secrets.seal($0) } ?? ""
        let user = try await accounts.create(account) { tx in
            try await organization.create(on: tx)
            try await record.create(on: tx)
            return [(.enterprise, try organization.requireID())]
        }
        return (organization, user)
    }
}
