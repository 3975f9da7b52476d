import Fluent
import Foundation
import SQLKit
import Vapor

struct AuditListPage: Sendable {
    struct Row: Encodable, Sendable {
        let sequence: Int64
        let time: String
        let actor: String
        let address: String
        let action: String
        let entity: String
        let summary: String
    }

    let shell: PageShell
    let list: ListChrome
    let actions: [SelectOption]
    let from: String
    let to: String
    let rows: [Row]
}

/// The audit administrator's page: filter by time, action and text, and export what was filtered.
struct AuditController {
    static let actionLabels: [String: String] = [
        "login.success": "登录成功", "login.failure": "登录失败", "logout": "退出登录", "role.grant": "授予角色",
        "role.revoke": "撤销角色", "create": "新增", "update": "修改", "delete": "删除", "user.unlock": "解除锁定",
        "consent.accept": "同意隐私说明",
        "export": "导出",
        "workflow.step": "流程办理",
        "second_factor.reset": "重置身份验证器",
        "system.restore": "从备份恢复",
        "login.second_factor": "身份验证器验证",
        "login.second_factor_failure": "身份验证器验证失败",
        "login.recovery_code": "使用恢复码登录",
        "second_factor.enrol": "绑定身份验证器",
        "account.credentials_ended": "结束会话并撤销令牌",
        "token.issue": "创建 API 令牌",
        "people.lookup_exact": "按号码查找人员",
        "people.export": "导出科技工作者名单",
        "person.export_own": "下载本人数据",
    ]

    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.audit, use: list)
    }

    /// Handler: who and which filters → the matching entries → the export or one page of them.
    func list(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.auditRead)
        let params = try ListParameters(request: req, path: PlatformRoutes.audit(), pageSize: 50, keys: ["action", "from", "to"])
        let query = try await Self.entries(for: actor, params, on: req.db)
        if let format = req.exportFormat { return try await Self.export(query, format, req) }
        let total = try await query.count()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all()
        let kinds = req.application.storage[AuditKindsKey.self] ?? [:]
        let titles = try await Self.titles(of: rows, kinds: kinds, on: req.db)
        return try await Self.page(
            rows, total: total, params, kinds: kinds, titles: titles, shell: await PageShell.build(for: req, title: "审计日志")
        )
        .render(req)
    }

    /// The entries the actor may read that match the filters, newest first.
    static func entries(for actor: Actor, _ params: ListParameters, on db: any Database) async throws -> QueryBuilder<AuditEntry> {
        var query = AuditEntry.query(on: db)
        if let organizations = try await scope(of: actor, on: db) { query = query.filter(\.$organizationID ~~ organizations) }
        if let action = params["action"] { query = query.filter(\.$action == action) }
        if let from = ChineseDate.parseDay(params["from"]) { query = query.filter(\.$occurredAt >= AuditTime.format(from)) }
        if let to = ChineseDate.parseDay(params["to"]) {
            query = query.filter(\.$occurredAt < AuditTime.format(to.addingTimeInterval(86_400)))
        }
        if let q = params.search {
            query = query.group(.or) {
                $0.filter(\.$actorName ~~ q).filter(\.$summary ~~ q).filter(\.$entityID ~~ q).filter(\.$clientAddress ~~ q)
            }
        }
        return query.sort(\.$id, .descending)
    }

    static func export(_ query: QueryBuilder<AuditEntry>, _ format: TableExport.Format, _ req: Request) async throws -> Response {
        let rows = try await query.limit(200_000).all()
        let kinds = req.application.storage[AuditKindsKey.self] ?? [:]
        return try await TableExport(
            fileName: "审计日志", headers: ["序号", "时间", "操作人", "组织", "地址", "操作", "对象", "对象编号", "摘要", "哈希"],
            rows: rows.map { row in
                [
                    String(row.id ?? 0), display(row.occurredAt), row.actorName, row.organizationID, row.clientAddress,
                    actionLabels[row.action] ?? row.action, kinds[row.entityType]?.label ?? row.entityType, row.entityID, row.summary,
                    row.hash,
                ]
            }
        ).response(format, for: req)
    }

    /// The titles of the records a page of entries is about (`type/id` → title), and the names of the
    /// organizations and departments their summaries mention (`name/id` → name): one query per kind of
    /// record on the page and one for the names, none per row. Deleted records have none (the summary still says what they were).
    static func titles(of rows: [AuditEntry], kinds: [String: AuditKind], on db: any Database) async throws -> [String: String] {
        var ids: [String: Set<UUID>] = [:]
        for row in rows where kinds[row.entityType]?.titleColumn != nil {
            if let id = UUID(uuidString: row.entityID) { ids[row.entityType, default: []].insert(id) }
        }
        var titles: [String: String] = [:]
        let sql = try db.sql()
        for (type, set) in ids {
            guard let kind = kinds[type], let column = kind.titleColumn else { continue }
            let found = try await sql.raw(
                "SELECT id, \(ident: column) AS title FROM \(ident: kind.schema) WHERE id IN (\(binds: Array(set)))"
            ).all()
            for row in found {
                guard let id = try? row.decode(column: "id", as: UUID.self), let title = try? row.decode(column: "title", as: String.self)
                else { continue }
                titles[type + "/" + id.uuidString] = title
            }
        }
        // Organizations and departments named in the summaries (organization_id=…), by name.
        var named: Set<UUID> = []
        for row in rows {
            for match in row.summary.matches(of: Self.uuidPattern) {
                if let id = UUID(uuidString: String(row.summary[match.range])) { named.insert(id) }
            }
        }
        if !named.isEmpty {
            let ids = Array(named.prefix(500))
            let found = try await sql.raw(
                """
                SELECT id, name FROM platform_organizations WHERE id IN (\(binds: ids))
                UNION ALL SELECT id, name FROM platform_departments WHERE id IN (\(binds: ids))
                """
            ).all()
            for row in found {
                guard let id = try? row.decode(column: "id", as: UUID.self), let name = try? row.decode(column: "name", as: String.self)
                else { continue }
                titles["name/" + id.uuidString] = name
            }
        }
        return titles
    }

    nonisolated(unsafe) static let uuidPattern = /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/

    /// The summary with every organization or department id replaced by its name, so an auditor reads
    /// "organization_id=云海市科协" rather than an id.
    static func readable(_ summary: String, titles: [String: String]) -> String {
        summary.replacing(uuidPattern) { match in
            let text = String(summary[match.range])
            return UUID(uuidString: text).flatMap { titles["name/" + $0.uuidString] } ?? text
        }
    }

    /// 诉求《建议增加科普大篷车下乡》, or the kind alone when the record has no title (or is gone).
    static func entity(_ row: AuditEntry, kinds: [String: AuditKind], titles: [String: String]) -> String {
        guard !row.entityType.isEmpty else { return "—" }
        let label = kinds[row.entityType]?.label ?? row.entityType
        let key = row.entityType + "/" + (UUID(uuidString: row.entityID)?.uuidString ?? row.entityID)
        return titles[key].map { "\(label)《\($0)》" } ?? label
    }

    /// The page model for one page of entries.
    static func page(
        _ rows: [AuditEntry], total: Int, _ params: ListParameters, kinds: [String: AuditKind], titles: [String: String],
        shell: PageShell
    ) -> AuditListPage {
        let actionOptions =
            [SelectOption(value: "", label: "全部操作", selected: params["action"] == nil)]
            + actionLabels.sorted { $0.key < $1.key }.map {
                SelectOption(value: $0.key, label: $0.value, selected: params["action"] == $0.key)
            }
        return AuditListPage(
            shell: shell, list: params.chrome(total: total), actions: actionOptions, from: params["from"] ?? "", to: params["to"] ?? "",
            rows: rows.map { row in
                .init(
                    sequence: row.id ?? 0, time: display(row.occurredAt), actor: row.actorName, address: row.clientAddress,
                    action: actionLabels[row.action] ?? row.action,
                    entity: entity(row, kinds: kinds, titles: titles), summary: readable(row.summary, titles: titles))
            })
    }

    /// The organizations whose entries an auditor reads: the root's auditor reads everything (anonymous
    /// and system entries too); any other auditor reads what was done acting for an organization of
    /// their subtree. Nil means no restriction.
    static func scope(of actor: Actor, on db: any Database) async throws -> [String]? {
        guard let acting = actor.acting else { return [] }
        let depth = acting.organizationPath.split(separator: "/").count
        if depth <= 1 { return nil }
        return try await actor.scope.organizations(on: db).all().compactMap { $0.id?.uuidString }
    }

    /// Stored UTC text shown in China Standard Time.
    static func display(_ stored: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = formatter.date(from: stored) else { return stored }
        return ChineseDate.dateTime(date)
    }
}
