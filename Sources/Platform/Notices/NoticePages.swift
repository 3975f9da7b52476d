import Fluent
import Foundation
import KexieKit
import Vapor

/// One notice as lists show it.
struct NoticeRow: Sendable {
    let id: UUID
    let title: String
    let link: String
    let organization: String
    let published: String
    let publishedDay: String
    let isPublic: Bool
    let isPinned: Bool
    let status: String
    let statusClass: String
    let editLink: String?

    /// From a notice loaded with its organization joined.
    init(_ notice: NoticeRecord, now: Date, manage: Bool) throws {
        let id = try notice.requireID()
        self.id = id
        title = notice.title
        link = PlatformRoutes.notice(id)
        organization = try notice.joined(Organization.self).name
        published = ChineseDate.dateTime(notice.publishAt)
        publishedDay = ChineseDate.day(notice.publishAt)
        isPublic = notice.isPublic
        isPinned = notice.isPinned
        if notice.withdrawnAt != nil {
            (status, statusClass) = ("已撤回", "withdrawn")
        } else if notice.publishAt > now {
            (status, statusClass) = ("待发布", "scheduled")
        } else {
            (status, statusClass) = ("已发布", "published")
        }
        editLink = manage ? PlatformRoutes.editNotice(id) : nil
    }
}

struct NoticeListPage: Sendable {
    let shell: PageShell
    let list: ListChrome
    let rows: [NoticeRow]
    let sorts: [SelectOption]
    /// 公开/内部 for logged-in readers; nil for visitors (who only see public ones).
    let visibilities: [SelectOption]?
    let manageLink: String?
}

struct NoticeManagePage: Sendable {
    let shell: PageShell
    let list: ListChrome
    let rows: [NoticeRow]
    let organizations: [SelectOption]
    let visibilities: [SelectOption]
    let statuses: [SelectOption]
    let sorts: [SelectOption]
}

struct NoticeDetailPage: Sendable {
    let shell: PageShell
    let title: String
    let organization: String
    let published: String
    /// Why readers do not see it, when the staff who manage it open it (待发布, 已撤回, a subtree's internal one).
    let status: String?
    let isPublic: Bool
    let isPinned: Bool
    let body: String
    let attachments: [StoredFileInfo]
    let editLink: String?
    let withdrawLink: String?
}

struct NoticeFormPage: Sendable {
    let shell: PageShell
    let heading: String
    let action: String
    let values: [String: String]
    let pinned: Bool
    let organizations: [SelectOption]
    let attachments: [StoredFileInfo]
    let errors: [String: String]
}

/// 通知公告: readers' list and page, the staff's list, form and withdrawal.
struct NoticeController {
    /// Five files of 10 MB and the text fields.
    static let uploadLimit = 52 << 20
    static let exportLimit = 10_000

    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(PlatformRoutes.notices, use: list)
        publicWeb.get(PlatformRoutes.notice, use: show)
        web.get(PlatformRoutes.manageNotices, use: manage)
        web.get(PlatformRoutes.newNotice, use: newForm)
        web.upload(.POST, PlatformRoutes.newNotice, maxBytes: Self.uploadLimit, use: create)
        web.get(PlatformRoutes.editNotice, use: editForm)
        web.upload(.POST, PlatformRoutes.editNotice, maxBytes: Self.uploadLimit, use: update)
        web.post(PlatformRoutes.withdrawNotice, use: withdraw)
    }

    // MARK: Readers

    /// `/notices`: what the reader may read, pinned and then newest first (or by title), searched in title and body.
    func list(_ req: Request) async throws -> Response {
        let actor = req.optionalActor
        let params = try ListParameters(request: req, path: PlatformRoutes.notices(), keys: ["visibility"])
        var query = NoticeService(db: req.db, services: req.platform).readable(actor: actor)
            .join(Organization.self, on: \NoticeRecord.$organizationID == \Organization.$id)
        if let q = params.search { query = Self.search(query, q) }
        if actor != nil, let visibility = params["visibility"], ["public", "internal"].contains(visibility) {
            query = query.filter(\.$isPublic == (visibility == "public"))
        }
        let sort = params["sort"] == "title" ? "title" : "recent"
        // Pinned ones first, as on the portal, then the newest.
        query =
            sort == "title"
            ? query.sort(\.$title).sort(\.$id)
            : query.sort(\.$isPinned, .descending).sort(\.$publishAt, .descending).sort(\.$id, .descending)
        let total = try await query.count()
        let now = req.platform.clock()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all().map {
            try NoticeRow($0, now: now, manage: false)
        }
        let shell = await PageShell.build(for: req, title: "通知公告")
        return try await NoticeListPage(
            shell: shell, list: params.chrome(total: total), rows: rows,
            sorts: [("recent", "最新发布"), ("title", "标题")].map { SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0) },
            visibilities: actor == nil ? nil : Self.visibilityOptions(params["visibility"]),
            manageLink: actor?.can(PlatformPermission.noticesManage) == true ? PlatformRoutes.manageNotices() : nil
        ).render(req)
    }

    /// `/notices/{id}`: a notice the reader may read (else 404), its body and attachments.
    func show(_ req: Request) async throws -> Response {
        let actor = req.optionalActor
        let id = try req.uuidParameter()
        let service = NoticeService(db: req.db, services: req.platform)
        let notice: NoticeRecord
        var status: String?
        do {
            notice = try await service.readable(id, actor: actor)
        } catch PlatformError.notFound {
            // The staff who manage it (its organization's and those above) open it from their list even when
            // readers do not see it: scheduled, withdrawn, or internal to a subtree below them.
            guard let actor, actor.can(PlatformPermission.noticesManage),
                let managed = try await service.managed(actor: actor).filter(\.$id == id).first()
            else { throw PlatformError.notFound }
            notice = managed
            let row = try NoticeRow(managed, now: req.platform.clock(), manage: true)
            status =
                row.statusClass == "published"
                ? "此通知为下级单位的内部通知，只有发布单位及其下级单位的用户能看到；您作为上级单位的管理人员可以查看。"
                : "此通知\(row.status)，读者看不到。"
        }
        let organization = try await Organization.find(notice.organizationID, on: req.db)
        let attachments = try await FileStore(services: req.platform).list(NoticeService.owner(id), on: req.db)
        let manages =
            actor.map { $0.can(PlatformPermission.noticesManage) && (organization.map($0.scope.contains) ?? false) } ?? false
        return try await NoticeDetailPage(
            shell: await PageShell.build(for: req, title: notice.title), title: notice.title, organization: organization?.name ?? "",
            published: ChineseDate.dateTime(notice.publishAt), status: status, isPublic: notice.isPublic, isPinned: notice.isPinned,
            body: notice.body,
            attachments: attachments, editLink: manages ? PlatformRoutes.editNotice(id) : nil,
            withdrawLink: manages && notice.withdrawnAt == nil ? PlatformRoutes.withdrawNotice(id) : nil
        ).render(req)
    }

    static func search(_ query: QueryBuilder<NoticeRecord>, _ q: String) -> QueryBuilder<NoticeRecord> {
        query.group(.or) { group in
            group.filter(\.$title ~~ q)
            group.filter(\.$body ~~ q)
        }
    }

    static func visibilityOptions(_ selected: String?) -> [SelectOption] {
        [("", "全部"), ("public", "公开"), ("internal", "内部")].map {
            SelectOption(value: $0.0, label: $0.1, selected: (selected ?? "") == $0.0)
        }
    }

    // MARK: Staff

    /// `/admin/notices`: every notice of the subtree, scheduled and withdrawn too; filters, sort, export.
    func manage(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.noticesManage)
        let params = try ListParameters(request: req, path: PlatformRoutes.manageNotices(), keys: ["organization", "visibility", "status"])
        var query = NoticeService(db: req.db, services: req.platform).managed(actor: actor)
        let organization = params["organization"].flatMap(UUID.init(uuidString:))
        if let organization { query = query.filter(\.$organizationID == organization) }
        if let visibility = params["visibility"], ["public", "internal"].contains(visibility) {
            query = query.filter(\.$isPublic == (visibility == "public"))
        }
        let now = req.platform.clock()
        switch params["status"] {
        case "published": query = query.filter(\.$withdrawnAt == nil).filter(\.$publishAt <= now)
        case "scheduled": query = query.filter(\.$withdrawnAt == nil).filter(\.$publishAt > now)
        case "withdrawn": query = query.filter(\.$withdrawnAt != nil)
        default: break
        }
        if let q = params.search { query = Self.search(query, q) }
        let sort = ["title", "organization"].contains(params["sort"] ?? "") ? params["sort"]! : "recent"
        switch sort {
        case "title": query = query.sort(\.$title)
        case "organization": query = query.sort(Organization.self, \.$name)
        default: break
        }
        query = query.sort(\.$publishAt, .descending).sort(\.$id, .descending)
        if let format = req.exportFormat {
            let rows = try await query.limit(Self.exportLimit).all().map { try NoticeRow($0, now: now, manage: true) }
            return try await TableExport(
                fileName: "通知公告", headers: ["标题", "发布单位", "公开范围", "置顶", "发布时间", "状态"],
                rows: rows.map { [$0.title, $0.organization, $0.isPublic ? "公开" : "内部", $0.isPinned ? "是" : "否", $0.published, $0.status] }
            ).response(format, for: req)
        }
        let total = try await query.count()
        let rows = try await query.range(params.offset..<(params.offset + params.pageSize)).all().map {
            try NoticeRow($0, now: now, manage: true)
        }
        let organizations = try await actor.organizationOptions(selected: organization, anyLabel: "全部单位", on: req.db)
        return try await NoticeManagePage(
            shell: await PageShell.build(for: req, title: "通知公告管理"),
            list: params.chrome(total: total, newLink: PlatformRoutes.newNotice()), rows: rows, organizations: organizations,
            visibilities: Self.visibilityOptions(params["visibility"]),
            statuses: [("", "全部状态"), ("published", "已发布"), ("scheduled", "待发布"), ("withdrawn", "已撤回")].map {
                SelectOption(value: $0.0, label: $0.1, selected: (params["status"] ?? "") == $0.0)
            },
            sorts: [("recent", "发布时间"), ("title", "标题"), ("organization", "发布单位")].map {
                SelectOption(value: $0.0, label: $0.1, selected: sort == $0.0)
            }
        ).render(req)
    }

    func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(PlatformPermission.noticesManage)
        let values = [
            "organization": actor.actingOrganizationID?.uuidString ?? "", "visibility": "public",
            "publishAt": NoticeService.minuteField(req.platform.clock()),
        ]
        return try await formPage(req, notice: nil, values: values, pinned: false, errors: [:])
    }

    func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let notice = try await NoticeService(db: req.db, services: req.platform).managed(try req.uuidParameter(), actor: actor)
        let values = [
            "organization": notice.organizationID.uuidString, "title": notice.title, "body": notice.body,
            "visibility": notice.isPublic ? "public" : "internal", "publishAt": NoticeService.minuteField(notice.publishAt),
        ]
        return try await formPage(req, notice: notice, values: values, pinned: notice.isPinned, errors: [:])
    }

    func create(_ req: Request) async throws -> Response { try await save(req, id: nil) }

    func update(_ req: Request) async throws -> Response { try await save(req, id: try req.uuidParameter()) }

    func save(_ req: Request, id: UUID?) async throws -> Response {
        let actor = try req.actor
        let service = NoticeService(db: req.db, services: req.platform)
        var existing: NoticeRecord?
        if let id { existing = try await service.managed(id, actor: actor) }
        var values: [String: String] = [:]
        for key in ["organization", "title", "body", "visibility", "publishAt"] {
            values[key] = String(((try? req.content.get(String.self, at: key)) ?? "").prefix(key == "body" ? 40_000 : 400))
        }
        let pinned = (try? req.content.get(String.self, at: "pinned")) == "yes"
        struct FilesForm: Content { var files: [File]? }
        let files = ((try? req.content.decode(FilesForm.self))?.files ?? []).map {
            UploadedFile(name: $0.filename, data: Data(buffer: $0.data))
        }
        let input = NoticeService.Input(
            organizationID: values["organization"], title: values["title"], body: values["body"], visibility: values["visibility"],
            pinned: pinned, publishAt: values["publishAt"])
        do {
            let notice = try await service.save(input, files: files, id: id, actor: actor)
            return req.redirect(to: PlatformRoutes.notice(try notice.requireID(), query: ["notice": "notice_saved"]))
        } catch let invalid as InvalidFields {
            return try await formPage(req, notice: existing, values: values, pinned: pinned, errors: invalid.invalid.messages)
        }
    }

    func withdraw(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try await NoticeService(db: req.db, services: req.platform).withdraw(try req.uuidParameter(), actor: actor)
        return req.redirect(to: PlatformRoutes.manageNotices(query: ["notice": "notice_withdrawn"]))
    }

    private func formPage(_ req: Request, notice: NoticeRecord?, values: [String: String], pinned: Bool, errors: [String: String])
        async throws -> Response
    {
        let actor = try req.actor
        var attachments: [StoredFileInfo] = []
        if let notice {
            attachments = try await FileStore(services: req.platform).list(NoticeService.owner(try notice.requireID()), on: req.db)
        }
        let selected = values["organization"].flatMap(UUID.init(uuidString:))
        let heading = notice == nil ? "发布通知公告" : "修改通知公告"
        return try await NoticeFormPage(
            shell: await PageShell.build(for: req, title: heading), heading: heading,
            action: try notice.map { PlatformRoutes.editNotice(try $0.requireID()) } ?? PlatformRoutes.newNotice(), values: values,
            pinned: pinned, organizations: try await actor.organizationOptions(selected: selected, on: req.db), attachments: attachments,
            errors: errors
        ).render(req, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}
