import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct RoutingRulesPage: Sendable {
    struct Row: Encodable, Sendable {
        let types: String
        let keywords: String
        let target: String
        let priority: Int
        let active: Bool
        let toggleAction: String
    }

    let shell: PageShell
    let rows: [Row]
    let action: String
    let types: [SelectOption]
    let target: OrganizationPickerValue
    let values: [String: String]
    let errors: [String: String]
}

/// 分派规则: which unit receives which cases, by type and Chinese keywords, highest priority first.
struct RoutingRuleController {

    func register(_ web: any RoutesBuilder) {
        web.get(ServiceHallRoutes.rules, use: list)
        web.post(ServiceHallRoutes.rules, use: create)
        web.post(ServiceHallRoutes.toggleRule, use: toggle)
    }

    func list(_ req: Request) async throws -> Response {
        try await page(req, values: ["priority": "0"], chosen: [], errors: [:])
    }

    private func page(
        _ req: Request, values: [String: String], chosen: Set<CaseType>, errors: [String: String], status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.rules)
        let rules = try await actor.scope.query(RoutingRuleRecord.self, on: req.db).fields(for: RoutingRuleRecord.self)
            .sort(\.$priority, .descending).sort(\.$createdAt).all()
        let names = Dictionary(
            uniqueKeysWithValues: try await Organization.query(on: req.db).filter(\.$id ~~ Set(rules.map(\.targetOrganizationID))).all()
                .compactMap { o in o.id.map { ($0, o.name) } })
        return try await RoutingRulesPage(
            shell: await PageShell.build(for: req, title: "分派规则"),
            rows: rules.map { rule in
                .init(
                    types: rule.caseTypes.isEmpty ? "全部类型" : rule.caseTypes.map(\.label).joined(separator: "、"),
                    keywords: rule.keywords.isEmpty ? "—" : rule.keywords.joined(separator: "、"),
                    target: names[rule.targetOrganizationID] ?? "", priority: rule.priority, active: rule.isActive,
                    toggleAction: rule.id.map { ServiceHallRoutes.toggleRule($0) } ?? "")
            },
            action: ServiceHallRoutes.rules(),
            types: CaseType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: chosen.contains($0)) },
            target: try await actor.organizationPicker(sent: values["target"], on: req.db),
            values: values, errors: errors
        ).render(req, status: status)
    }

    func create(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.rules)
        let types = ((try? req.content.get([String].self, at: "types")) ?? []).compactMap(CaseType.init(rawValue:))
        let keywordsText = (try? req.content.get(String.self, at: "keywords")) ?? ""
        let targetText = (try? req.content.get(String.self, at: "target")) ?? ""
        let priorityText = (try? req.content.get(String.self, at: "priority")) ?? "0"
        let values = ["keywords": keywordsText, "target": targetText, "priority": priorityText]
        let keywords = keywordsText.split(whereSeparator: { " ,，、;；\n".contains($0) }).map(String.init).filter { !$0.isEmpty }
        var errors: [String: String] = [:]
        if types.isEmpty && keywords.isEmpty { errors["keywords"] = "请至少选择一种事项类型或填写一个关键词" }
        if let short = keywords.first(where: { $0.count < 2 }) { errors["keywords"] = "关键词“\(short)”太短，请至少两个字" }
        let targetID = try await OrganizationLookup(db: req.db).resolve(targetText, in: .subtree, actor: actor)
        let target = try await actor.scope.organization(targetID, on: req.db)
        if target == nil { errors["target"] = "请选择分派到的单位（本级或下级组织）" }
        guard let priority = Int(priorityText.trimmingCharacters(in: .whitespaces)), (0...1000).contains(priority) else {
            errors["priority"] = "优先级为 0 到 1000 的整数，数字大的先匹配"
            return try await page(req, values: values, chosen: Set(types), errors: errors, status: .unprocessableEntity)
        }
        guard errors.isEmpty, let target, let organizationID = actor.actingOrganizationID else {
            return try await page(req, values: values, chosen: Set(types), errors: errors, status: .unprocessableEntity)
        }
        let rule = RoutingRuleRecord()
        rule.organizationID = organizationID
        rule.caseTypes = types
        rule.keywords = keywords.map { String($0.prefix(20)) }
        rule.targetOrganizationID = try target.requireID()
        rule.priority = priority
        rule.isActive = true
        try await req.platform.writes.transaction(on: req.db) { tx in try await rule.create(on: tx) }
        return req.redirect(to: ServiceHallRoutes.rules(query: ["notice": "created"]))
    }

    func toggle(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(ServiceHallPermission.rules)
        guard
            let rule = try await actor.scope.query(RoutingRuleRecord.self, on: req.db).filter(\.$id == (try req.uuidParameter()))
                .fields(for: RoutingRuleRecord.self).first()
        else { throw PlatformError.notFound }
        rule.isActive.toggle()
        try await req.platform.writes.transaction(on: req.db) { tx in try await rule.save(on: tx) }
        return req.redirect(to: ServiceHallRoutes.rules(query: ["notice": "saved"]))
    }
}

extension RoutingRuleRecord: OrganizationOwned {
    static var organizationIDKey: KeyPath<RoutingRuleRecord, FieldProperty<RoutingRuleRecord, UUID>> { \.$organizationID }
}

extension RoutingRuleRecord: Audited {
    static var auditLabel: String { "分派规则" }
    static var auditEntityType: String { "routing_rule" }
}
