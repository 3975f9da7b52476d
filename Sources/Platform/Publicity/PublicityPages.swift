import Fluent
import Foundation
import KexieKit
import SQLKit
import Vapor

/// One publicity as the lists read it: plain columns of one statement (`PagedSelect`).
struct PublicityListing: Sendable {
    static let columns = """
        p.id, p.title, p.starts_on, p.ends_on, p.owner_module, \
        (SELECT name FROM platform_organizations o WHERE o.id = p.organization_id) AS organization_name, \
        (SELECT COUNT(*) FROM platform_publicity_items i WHERE i.publicity_id = p.id) AS item_count, \
        (SELECT COUNT(*) FROM platform_publicity_objections x WHERE x.publicity_id = p.id) AS objection_count, \
        \(openCount) AS open_count
        """
    static let openCount = "(SELECT COUNT(*) FROM platform_publicity_objections x WHERE x.publicity_id = p.id AND x.state <> 'decided')"

    let id: UUID
    let title: String
    let startsOn: Day
    let endsOn: Day
    let organization: String
    let items: Int
    let objections: Int
    let open: Int

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        title = try row.decode(column: "title", as: String.self)
        startsOn = Day(try row.decode(column: "starts_on", as: String.self)) ?? Day.firstDay(of: 2000)
        endsOn = Day(try row.decode(column: "ends_on", as: String.self)) ?? Day.firstDay(of: 2000)
        organization = try row.decode(column: "organization_name", as: String?.self) ?? ""
        items = try row.decode(column: "item_count", as: Int.self)
        objections = try row.decode(column: "objection_count", as: Int.self)
        open = try row.decode(column: "open_count", as: Int.self)
    }

    func status(today: Day) -> PublicityStatus { PublicityStatus.of(startsOn: startsOn, endsOn: endsOn, open: open, today: today) }

    /// The SQL condition of a status filter (`running`, `scheduled`, `awaiting`, `final`).
    static func statusCondition(_ status: String?, today: Day) -> SQLQueryString? {
        let day = today.description
        switch status {
        case "scheduled": return "p.starts_on > \(bind: day)"
        case "running": return "p.starts_on <= \(bind: day) AND p.ends_on >= \(bind: day)"
        case "awaiting": return "p.ends_on < \(bind: day) AND \(unsafeRaw: openCount) > 0"
        case "final": return "p.ends_on < \(bind: day) AND \(unsafeRaw: openCount) = 0"
        default: return nil
        }
    }
}

/// A row of the public and the staff's lists.
struct PublicityRow: Sendable {
    let id: UUID
    let title: String
    let link: String
    let organization: String
    let period: String
    let status: PublicityStatus
    let items: Int
    let objections: Int
    let open: Int
}

struct PublicityListPage: Sendable {
    let shell: PageShell
    let list: ListChrome
    let rows: [PublicityRow]
}

struct PublicityManagePage: Sendable {
    let shell: PageShell
    let list: ListChrome
    let rows: [PublicityRow]
    let statuses: [SelectOption]
    let sorts: [SelectOption]
}

/// One line of the list as the pages show it.
struct PublicityItemRow: Sendable {
    let id: UUID
    let position: Int
    let label: String
    let detail: String
    let outcome: String
    let withdrawn: Bool
    let changeNote: String?
}

struct PublicityDetailPage: Sendable {
    let shell: PageShell
    let id: UUID
    let title: String
    let organization: String
    let summary: String
    let startsOn: String
    let endsOn: String
    let status: PublicityStatus
    /// "还剩 N 个工作日" while running.
    let remaining: Int?
    let items: [PublicityItemRow]
    /// The objection form, while running.
    let form: ObjectionForm?

    struct ObjectionForm: Sendable {
        let values: [String: String]
        let consent: Bool
        let targets: [SelectOption]
        let errors: [String: String]
    }
}

struct ObjectionReceiptPage: Sendable {
    let shell: PageShell
    let code: String
    let publicityTitle: String
    let publicityLink: String
}

struct ObjectionStatusPage: Sendable {
    let shell: PageShell
    let code: String
    let errors: [String: String]
    let result: Result?

    struct Result: Sendable {
        let publicityTitle: String
        let publicityLink: String
        let target: String
        let filed: String
        let state: PublicityObjectionRecord.State
        let verdict: PublicityObjectionRecord.Verdict?
        let reason: String?
        let withdrewItem: Bool
    }
}

struct PublicityAdminPage: Sendable {
    let shell: PageShell
    let id: UUID
    let title: String
    let organization: String
    let owner: String
    let ownerLink: String?
    let startsOn: String
    let endsOn: String
    let workingDays: Int
    let status: PublicityStatus
    let items: [PublicityItemRow]
    let objections: [Objection]
    let exportCSV: String
    let exportXLSX: String

    struct Objection: Sendable {
        let id: UUID
        let code: String
        let name: String
        let contact: String
        let target: String
        let hasItem: Bool
        let content: String
        let filed: String
        let state: PublicityObjectionRecord.State
        let verdict: PublicityObjectionRecord.Verdict?
        let reason: String?
        let withdrewItem: Bool
        let decided: String?
        let notes: [TimelineStep]
        let errors: [String: String]
        let values: [String: String]
    }
}

/// 公示与异议: the public list and page with the objection form, the receipt and the look-up by code;
/// the staff's list and page where objections are investigated and decided.
struct PublicityController {
    static let exportLimit = 10_000
    /// Objections filed per client address and hour (like the other public forms).
    static let filing = RatePolicy(name: "publicity_objection", limit: 20, window: 3600)

    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(PublicityRoutes.publicities, use: list)
        publicWeb.get(PublicityRoutes.objectionStatus, use: objectionStatus)
        publicWeb.get(PublicityRoutes.publicity, use: show)
        publicWeb.grouped(RateLimitMiddleware(Self.filing)).post(PublicityRoutes.fileObjection, use: file)
            .limitBody(BodyLimits.small)
        web.get(PublicityRoutes.manage, use: manage)
        web.get(PublicityRoutes.managePublicity, use: manageOne)
        web.post(PublicityRoutes.objectionNote, use: note).limitBody(BodyLimits.small)
        web.post(PublicityRoutes.objectionDecision, use: decide).limitBody(BodyLimits.small)
    }

    static func today(_ req: Request) -> Day { Day.today(now: req.platform.clock()) }

    static func rows(_ listings: [PublicityListing], today: Day, link: (UUID) -> String) -> [PublicityRow] {
        listings.map {
            PublicityRow(
                id: $0.id, title: $0.title, link: link($0.id), organization: $0.organization,
                period: "\($0.startsOn) 至 \($0.endsOn)", status: $0.status(today: today), items: $0.items, objections: $0.objections,
                open: $0.open)
        }
    }

    static func search(_ condition: inout SQLQueryString, _ q: String?) {
        guard let q else { return }
        condition.appendInterpolation(unsafeRaw: " AND ")
        condition.appendInterpolation(SearchPattern.like("p.title", q))
    }

    // MARK: Public

    /// `/publicities`: every publicity that has started, running ones first (latest end first).
    func list(_ req: Request) async throws -> Response {
        let params = try ListParameters(request: req, path: PublicityRoutes.publicities(), keys: [])
        let today = Self.today(req)
        var condition: SQLQueryString = "p.starts_on <= \(bind: today.description)"
        Self.search(&condition, params.search)
        let page = try await PagedSelect(
            columns: PublicityListing.columns, from: "platform_publicities p", where: condition, order: "p.ends_on DESC, p.id",
            limit: params.pageSize, offset: params.offset
        ).run(on: req.db)
        let rows = Self.rows(try page.rows.map(PublicityListing.init(row:)), today: today, link: { PublicityRoutes.publicity($0) })
        return try await PublicityListPage(
            shell: await PageShell.build(for: req, title: "公示"), list: params.chrome(total: page.total), rows: rows
        ).render(req)
    }

    func show(_ req: Request) async throws -> Response {
        try await detail(req, id: try req.uuidParameter(), values: [:], consent: false, errors: [:])
    }

    private func detail(_ req: Request, id: UUID, values: [String: String], consent: Bool, errors: [String: String]) async throws
        -> Response
    {
        let service = PublicityService(db: req.db, services: req.platform)
        let publicity = try await service.published(id)
        let today = Self.today(req)
        let status = try await service.status(id, today: today)
        let items = try await service.itemRecords(id).map(Self.itemRow)
        let organization = try await Organization.find(publicity.organizationID, on: req.db)
        var remaining: Int?
        var form: PublicityDetailPage.ObjectionForm?
        if case .running(let endsOn) = status {
            let calendar = try await CalendarService(db: req.db).calendar()
            remaining = calendar.workingDays(between: today.adding(days: -1), and: endsOn)
            let selected = values["itemId"] ?? ""
            let targets =
                [SelectOption(value: "", label: "整个名单", selected: selected.isEmpty)]
                + items.filter { !$0.withdrawn }.map {
                    SelectOption(value: $0.id.uuidString, label: "\($0.position). \($0.label)", selected: selected == $0.id.uuidString)
                }
            form = .init(values: values, consent: consent, targets: targets, errors: errors)
        }
        return try await PublicityDetailPage(
            shell: await PageShell.build(for: req, title: publicity.title), id: id, title: publicity.title,
            organization: organization?.name ?? "", summary: publicity.summary, startsOn: publicity.startsOn.description,
            endsOn: publicity.endsOn.description, status: status, remaining: remaining, items: items, form: form
        ).render(req, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    static func itemRow(_ item: PublicityItemRecord) throws -> PublicityItemRow {
        PublicityItemRow(
            id: try item.requireID(), position: item.position, label: item.label, detail: item.detail, outcome: item.outcome,
            withdrawn: item.withdrawn, changeNote: item.changeNote)
    }

    /// `POST /publicities/{id}/objections`: files the objection and shows the receipt with its code.
    func file(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        var values: [String: String] = [:]
        for key in ["name", "contact", "itemId", "content"] {
            values[key] = String(((try? req.content.get(String.self, at: key)) ?? "").prefix(key == "content" ? 4000 : 200))
        }
        let consent = (try? req.content.get(String.self, at: "consent")) == "yes"
        let service = PublicityService(db: req.db, services: req.platform)
        do {
            let objection = try await service.file(
                id,
                .init(
                    name: values["name"], contact: values["contact"], content: values["content"], itemID: values["itemId"], consent: consent
                ))
            let publicity = try await service.record(id)
            let code = try TrackingCode.parse(objection.code).description
            return try await ObjectionReceiptPage(
                shell: await PageShell.build(for: req, title: "异议已提交"), code: code, publicityTitle: publicity.title,
                publicityLink: PublicityRoutes.publicity(id)
            ).render(req, status: .created)
        } catch let invalid as InvalidFields {
            return try await detail(req, id: id, values: values, consent: consent, errors: invalid.invalid.messages)
        }
    }

    /// `/publicities/objection-status?code=`: the state and verdict of an objection, no personal data.
    func objectionStatus(_ req: Request) async throws -> Response {
        let code = String((req.query[String.self, at: "code"] ?? "").trimmingCharacters(in: .whitespaces).prefix(40))
        var errors: [String: String] = [:]
        var result: ObjectionStatusPage.Result?
        var status = HTTPResponseStatus.ok
        if !code.isEmpty {
            try req.enforce(.tracking, key: req.clientAddress)
            let service = PublicityService(db: req.db, services: req.platform)
            do {
                let objection = try await service.objection(code: code)
                let publicity = try await service.record(objection.publicityID)
                var target = "整个名单"
                if let itemID = objection.itemID, let item = try await PublicityItemRecord.find(itemID, on: req.db) { target = item.label }
                result = .init(
                    publicityTitle: publicity.title, publicityLink: PublicityRoutes.publicity(objection.publicityID), target: target,
                    filed: ChineseDate.dateTime(objection.filedAt), state: objection.state, verdict: objection.verdict,
                    reason: objection.reason, withdrewItem: objection.withdrewItem)
            } catch let error as PlatformError {
                switch error {
                case .invalidInput(_, let message):
                    errors["code"] = message
                    status = .unprocessableEntity
                case .publicityCodeUnknown:
                    errors["code"] = error.message
                    status = .notFound
                default: throw error
                }
            }
        }
        return try await ObjectionStatusPage(
            shell: await PageShell.build(for: req, title: "异议办理查询"), code: code, errors: errors, result: result
        ).render(req, status: status)
    }

    // MARK: Staff

    /// `/admin/publicities`: the subtree's publicities; status filter, title search, sort, export.
    func manage(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.publicityManage)
        let params = try ListParameters(request: req, path: PublicityRoutes.manage(), keys: ["status"])
        let today = Self.today(req)
        var condition = actor.scope.contains(column: "p.organization_id")
        if let status = PublicityListing.statusCondition(params["status"], today: today) {
            condition.appendInterpolation(unsafeRaw: " AND ")
            condition.appendInterpolation(status)
        }
        Self.search(&condition, params.search)
        let sort = ["title", "ends"].contains(params["sort"] ?? "") ? params["sort"]! : "starts"
        let order =
            switch sort {
            case "title": "p.title, p.id"
            case "ends": "p.ends_on DESC, p.id"
            default: "p.starts_on DESC, p.id"
            }
        let format = req.exportFormat
        let page = try await PagedSelect(
            columns: PublicityListing.columns, from: "platform_publicities p", where: condition, order: order,
            limit: format == nil ? params.pageSize : Self.exportLimit, offset: format == nil ? params.offset : 0
        ).run(on: req.db)
        let rows = Self.rows(try page.rows.map(PublicityListing.init(row:)), today: today, link: { PublicityRoutes.managePublicity($0) })
        if let format {
            return try await TableExport(
                fileName: "公示", headers: ["标题", "公示单位", "公示期", "状态", "名单项数", "异议数", "未办结异议"],
                rows: rows.map {
                    [$0.title, $0.organization, $0.period, $0.status.label, String($0.items), String($0.objections), String($0.open)]
                }
            ).response(format, for: req)
        }
        return try await PublicityManagePage(
            shell: await PageShell.build(for: req, title: "公示管理"), list: params.chrome(total: page.total), rows: rows,
            statuses: [("", "全部状态"), ("scheduled", "未开始"), ("running", "公示中"), ("awaiting", "异议处理中"), ("final", "公示结束")].map {
                SelectOption(value: $0.0, label: $0.1, selected: (params["status"] ?? "") == $0.0)
            },
            sorts: [("starts", "开始日期"), ("ends", "结束日期"), ("title", "标题")].map {
                SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0)
            }
        ).render(req)
    }

    func manageOne(_ req: Request) async throws -> Response {
        let id = try req.uuidParameter()
        if let format = req.exportFormat { return try await exportObjections(req, id: id, format: format) }
        return try await adminPage(req, id: id, errors: [:], values: [:])
    }

    private func exportObjections(_ req: Request, id: UUID, format: TableExport.Format) async throws -> Response {
        let service = PublicityService(db: req.db, services: req.platform)
        _ = try await service.managed(id, actor: try req.actor)
        let items = Dictionary(uniqueKeysWithValues: try await service.itemRecords(id).map { (try $0.requireID(), $0.label) })
        let objections = try service.opened(try await service.objectionRecords(id))
        return try await TableExport(
            fileName: "公示异议", headers: ["查询码", "姓名", "联系方式", "异议对象", "异议内容", "提出时间", "状态", "结论", "理由", "撤销该项"],
            rows: try objections.map { o in
                [
                    try TrackingCode.parse(o.record.code).description, o.name, o.contact,
                    o.record.itemID.flatMap { items[$0] } ?? "整个名单", o.record.content, ChineseDate.dateTime(o.record.filedAt),
                    o.record.state.label, o.record.verdict?.label ?? "", o.record.reason ?? "", o.record.withdrewItem ? "是" : "否",
                ]
            }
        ).response(format, for: req)
    }

    private func adminPage(_ req: Request, id: UUID, errors: [UUID: [String: String]], values: [UUID: [String: String]]) async throws
        -> Response
    {
        let service = PublicityService(db: req.db, services: req.platform)
        let publicity = try await service.managed(id, actor: try req.actor)
        let items = try await service.itemRecords(id).map(Self.itemRow)
        let labels = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.label) })
        let objections = try service.opened(try await service.objectionRecords(id))
        let notes = try await service.notes(objections: try objections.map { try $0.record.requireID() })
        let organization = try await Organization.find(publicity.organizationID, on: req.db)
        let rows = try objections.map { o -> PublicityAdminPage.Objection in
            let oid = try o.record.requireID()
            return .init(
                id: oid, code: try TrackingCode.parse(o.record.code).description, name: o.name, contact: o.contact,
                target: o.record.itemID.flatMap { labels[$0] } ?? "整个名单", hasItem: o.record.itemID != nil, content: o.record.content,
                filed: ChineseDate.dateTime(o.record.filedAt), state: o.record.state, verdict: o.record.verdict, reason: o.record.reason,
                withdrewItem: o.record.withdrewItem, decided: o.record.decidedAt.map(ChineseDate.dateTime),
                notes: (notes[oid] ?? []).map {
                    TimelineStep(date: ChineseDate.dateTime($0.writtenAt), action: "调查核实", who: $0.authorName, comment: $0.note)
                }, errors: errors[oid] ?? [:], values: values[oid] ?? [:])
        }
        let hasErrors = !errors.isEmpty
        return try await PublicityAdminPage(
            shell: await PageShell.build(for: req, title: publicity.title), id: id, title: publicity.title,
            organization: organization?.name ?? "", owner: "\(publicity.ownerModule) · \(publicity.ownerKind)",
            ownerLink: publicity.ownerLink.flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") ? $0 : nil },
            startsOn: publicity.startsOn.description, endsOn: publicity.endsOn.description, workingDays: publicity.workingDays,
            status: try await service.status(id, today: Self.today(req)), items: items, objections: rows,
            exportCSV: PublicityRoutes.managePublicity(id, query: ["format": "csv"]),
            exportXLSX: PublicityRoutes.managePublicity(id, query: ["format": "xlsx"])
        ).render(req, status: hasErrors ? .unprocessableEntity : .ok)
    }

    func note(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let objectionID = try req.uuidParameter()
        let service = PublicityService(db: req.db, services: req.platform)
        let (publicity, _) = try await service.managedObjection(objectionID, actor: actor)
        let text = String(((try? req.content.get(String.self, at: "note")) ?? "").prefix(4000))
        let publicityID = try publicity.requireID()
        do {
            try await service.addNote(objectionID, note: text, actor: actor)
        } catch PlatformError.invalidInput(let field, let message) {
            return try await adminPage(
                req, id: publicityID, errors: [objectionID: [field ?? "note": message]], values: [objectionID: ["note": text]])
        }
        return req.redirect(to: PublicityRoutes.managePublicity(publicityID, query: ["notice": "publicity_note_saved"]))
    }

    func decide(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let objectionID = try req.uuidParameter()
        let service = PublicityService(db: req.db, services: req.platform)
        let (publicity, _) = try await service.managedObjection(objectionID, actor: actor)
        let verdictText = (try? req.content.get(String.self, at: "verdict")) ?? ""
        let reason = String(((try? req.content.get(String.self, at: "reason")) ?? "").prefix(4000))
        let withdraw = (try? req.content.get(String.self, at: "withdraw")) == "yes"
        let publicityID = try publicity.requireID()
        do {
            try await service.decide(
                objectionID, verdict: PublicityObjectionRecord.Verdict(rawValue: verdictText), reason: reason, withdraw: withdraw,
                actor: actor)
        } catch let invalid as InvalidFields {
            return try await adminPage(
                req, id: publicityID, errors: [objectionID: invalid.invalid.messages],
                values: [objectionID: ["verdict": verdictText, "reason": reason, "withdraw": withdraw ? "yes" : ""]])
        }
        return req.redirect(to: PublicityRoutes.managePublicity(publicityID, query: ["notice": "publicity_decided"]))
    }
}
