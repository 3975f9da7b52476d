import Fluent
import Foundation
import KexieKit
import Vapor

/// A fictional province to try the platform with: 云海省. Loaded only by `kexie demo` or `serve --demo`.
public struct DemoDirectory: Sendable {
    public struct Account: Sendable {
        public let username: String
        public let password: String
        public let role: RoleID
        public let organization: String
        /// The authenticator secret (Base32) of a demo administrator, so the demo can be tried at once.
        public let totpSecret: String?
    }

    let services: PlatformServices
    let passwords: AsyncPasswordHasher

    public init(services: PlatformServices, passwords: AsyncPasswordHasher) {
        self.services = services
        self.passwords = passwords
    }

    static let departments = ["办公室", "组织人事部", "学会部", "科普部", "国际部", "宣传部", "青少年部", "机关党委"]
    static let cities: [(String, [String])] = [
        ("东港市", ["青石县", "白沙县"]), ("西林市", ["松溪县", "梅岭县"]),
        ("南川市", ["临江县", "石门县"]), ("北原市", ["丰泽县", "安平县"]),
    ]
    static let societies = [
        "云海省农学会", "云海省热带作物学会", "云海省医学会", "云海省计算机学会", "云海省海洋学会",
        "云海省机械工程学会", "云海省化工学会", "云海省橡胶学会", "云海省科普作家协会", "云海省青年科技工作者协会",
    ]

    /// County societies the populated province adds, so a county administrator's 会员管理 has members.
    static let countySocieties: [(county: String, name: String)] = [("青石县", "青石县农学会"), ("白沙县", "白沙县医学会")]

    /// Returns nil when the demo is already loaded. `populated` adds each module's part of the
    /// populated province (`loadDemoProvince`: people, cases, plans, postings); without it the
    /// organizations and accounts route tests start from.
    public func load(on db: any Database, populated: Bool = false, log: @escaping @Sendable (String) -> Void) async throws
        -> [Account]?
    {
        if try await User.query(on: db).filter(\.$username == "demo.sysadmin").first() != nil { return nil }
        var accounts: [Account] = []
        let services = self.services
        let passwords = self.passwords
        let created: [Account] = try await services.writes.transaction(on: db) { tx in
            var accounts: [Account] = []
            let province: Organization
            if let root = try await Organization.query(on: tx).filter(\.$parentID == nil).sort(\.$createdAt).first() {
                province = root
            } else {
                province = Organization(name: "云海省科学技术协会", kind: .association, level: .province, parent: nil, region: "云海省")
                try await province.create(on: tx)
            }
            log("省级科协：\(province.name)")
            var departmentIDs: [String: UUID] = [:]
            for name in Self.departments {
                let provinceID = try province.requireID()
                if let existing = try await Department.query(on: tx).filter(\.$organizationID == provinceID).filter(\.$name == name).first()
                {
                    departmentIDs[name] = existing.id
                } else {
                    let department = Department(organizationID: provinceID, name: name)
                    try await department.create(on: tx)
                    departmentIDs[name] = department.id
                }
            }
            log("机关部室：\(Self.departments.count) 个")
            var counties: [Organization] = []
            var firstCity: Organization?
            for (city, countyNames) in Self.cities {
                let cityOrg = Organization(name: city + "科学技术协会", kind: .association, level: .city, parent: province, region: city)
                try await cityOrg.create(on: tx)
                if firstCity == nil { firstCity = cityOrg }
                for county in countyNames {
                    let countyOrg = Organization(
                        name: county + "科学技术协会", kind: .association, level: .county, parent: cityOrg, region: city + county)
                    try await countyOrg.create(on: tx)
                    counties.append(countyOrg)
                }
            }
            log("市级科协 4 个，县级科协 8 个")
            var societies: [Organization] = []
            for (index, name) in Self.societies.enumerated() {
                let society = Organization(name: name, kind: .society, level: nil, parent: province, establishedYear: 1980 + index * 4)
                try await society.create(on: tx)
                societies.append(society)
            }
            let rubberSociety = societies[7]
            log("省级学会 10 个")
            let grassroots: [(String, OrganizationKind, Organization)] = [
                ("云海大学科学技术协会", .universityAssociation, province),
                ("云海理工学院科学技术协会", .universityAssociation, province),
                ("东港高新技术产业园区科学技术协会", .parkAssociation, firstCity ?? province),
                ("云海能源集团科学技术协会", .enterpriseAssociation, province),
                ("东港市人民医院科学技术协会", .hospitalAssociation, firstCity ?? province),
                ("青石县热带水果专业技术协会", .ruralTechAssociation, counties.first ?? province),
            ]
            for (name, kind, parent) in grassroots {
                try await Organization(name: name, kind: kind, level: nil, parent: parent, establishedYear: 2026).create(on: tx)
            }
            let enterprise = Organization(name: "云海绿源新材料有限公司", kind: .enterprise, level: nil, parent: province)
            try await enterprise.create(on: tx)
            log("基层组织 6 个，企业 1 家")

            let plan: [(String, String, RoleID, Organization, UUID?)] = [
                ("demo.sysadmin", "演示系统管理员", .sysadmin, province, nil),
                ("demo.secadmin", "演示安全管理员", .secadmin, province, nil),
                ("demo.auditor", "演示审计管理员", .auditor, province, nil),
                ("demo.orgadmin", "演示省科协管理员", .orgadmin, province, departmentIDs["组织人事部"]),
                ("demo.county1", "演示青石县管理员", .orgadmin, counties[0], nil),
                ("demo.county2", "演示白沙县管理员", .orgadmin, counties[1], nil),
                ("demo.society", "演示橡胶学会秘书处", .orgadmin, rubberSociety, nil),
                ("demo.staff", "演示科普部工作人员", .staff, province, departmentIDs["科普部"]),
                ("demo.expert", "演示专家", .expert, province, nil),
                ("demo.member", "演示科技工作者", .member, province, nil),
                ("demo.enterprise", "演示企业用户", .enterprise, enterprise, nil),
            ]
            // The password hashes (at the configured cost) are computed side by side: they are most of the
            // time the accounts take.
            let started = Date()
            let hashed = try await withThrowingTaskGroup(of: (String, String, String).self) { group in
                for username in plan.map(\.0) {
                    group.addTask {
                        let password = AccountService.temporaryPassword()
                        return (username, password, try await passwords.hash(password))
                    }
                }
                var result: [String: (password: String, hash: String)] = [:]
                for try await (username, password, hash) in group { result[username] = (password, hash) }
                return result
            }
            log("账号 \(plan.count) 个：\(Int(Date().timeIntervalSince(started) * 1000)) ms")
            for (username, name, role, org, department) in plan {
                guard let (password, hash) = hashed[username] else { continue }
                let user = User(username: username, displayName: name, passwordHash: hash)
                try await user.create(on: tx)
                try await RoleGrant(userID: user.requireID(), role: role, organizationID: org.requireID(), departmentID: department).create(
                    on: tx)
                // Administrators must have a second factor; the demo binds one and prints its secret.
                var secret: String?
                if SecondFactorService.mandatoryRoles.contains(role) {
                    let totp = KexieKit.TOTP(secret: KexieKit.TOTP.generateSecret())
                    let factor = SecondFactor()
                    factor.userID = try user.requireID()
                    factor.secretCipher = try services.secrets.seal(totp.base32Secret)
                    factor.confirmedAt = services.clock()
                    factor.lastCounter = -1
                    factor.createdAt = services.clock()
                    try await factor.create(on: tx)
                    secret = totp.base32Secret
                }
                accounts.append(
                    Account(username: username, password: password, role: role, organization: org.name, totpSecret: secret))
            }
            for module in services.registry.modules { try await module.loadDemo(on: tx, services: services) }
            if populated {
                for (county, name) in Self.countySocieties {
                    guard let parent = counties.first(where: { $0.region?.hasSuffix(county) == true }) else { continue }
                    try await Organization(name: name, kind: .society, level: nil, parent: parent, establishedYear: 1995).create(on: tx)
                }
                log("县级学会 \(Self.countySocieties.count) 个")
                let context = DemoContext(services: services)
                for module in services.registry.modules {
                    let started = Date()
                    try await module.loadDemoProvince(on: tx, context: context)
                    log("\(module.id)：\(Int(Date().timeIntervalSince(started) * 1000)) ms")
                }
                // A review round for the expert's 我的评审, unless a module's demo (Awards) made one: it
                // needs the expert pools, which come after the review module in the list.
                try await ReviewDemo.loadCommendationRound(on: tx, context: context)
                // What happened in the province's past was seen at the time: its notifications are read.
                try await InboxMessage.query(on: tx).filter(\.$readAt == nil).set(\.$readAt, to: services.clock()).update()
            }
            return accounts
        }
        accounts = created
        return accounts
    }
}
