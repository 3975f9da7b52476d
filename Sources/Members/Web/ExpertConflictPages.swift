import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct ExpertConflictsPage: Sendable {
    struct Row: Sendable {
        let id: UUID
        let kind: String
        let kindLabel: String
        let name: String
        let linked: Bool
        let note: String
        let declaredBy: String
        let declaredAt: String
        let withdrawAction: String
    }

    let shell: PageShell
    let expertName: String
    let roles: String
    let action: String
    let rows: [Row]
    let kinds: [SelectOption]
    let values: [String: String]
    let errors: [String: String]
}

/// 回避声明: the conflicts declared for one pool entry, declared by the roster's staff or the expert.
struct ExpertConflictController {
    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.expertConflicts, use: show)
        web.post(MembersRoutes.expertConflicts, use: declare)
        web.post(MembersRoutes.withdrawExpertConflict, use: withdraw)
    }

    private func service(_ req: Request) -> ExpertConflictService { ExpertConflictService(db: req.db, services: req.platform) }

    func show(_ req: Request) async throws -> Response {
        try await page(req, values: [:], errors: [:])
    }

    /// Handler: who, which entry → its declarations → the page (with the form's values and errors).
    private func page(_ req: Request, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor
        let service = service(req)
        let (expert, person) = try await service.entry(try req.uuidParameter(), actor: actor)
        let conflicts = try await service.conflicts(of: try expert.requireID())
        try await expert.$roleRows.load(on: req.db)
        let shell = await PageShell.build(for: req, title: "回避声明")
        return try await Self.page(expert, person, conflicts, values: values, errors: errors, shell: shell).render(req, status: status)
    }

    static func page(
        _ expert: Expert, _ person: Person, _ conflicts: [ExpertConflict], values: [String: String], errors: [String: String],
        shell: PageShell
    ) throws -> ExpertConflictsPage {
        let expertID = try expert.requireID()
        return ExpertConflictsPage(
            shell: shell, expertName: person.name, roles: expert.roles.map(\.label).joined(separator: "、"),
            action: MembersRoutes.expertConflicts(expertID),
            rows: try conflicts.map { c in
                .init(
                    id: try c.requireID(), kind: c.kind.rawValue, kindLabel: c.kind.label, name: c.name, linked: c.subjectID != nil,
                    note: c.note, declaredBy: c.declaredBy, declaredAt: ChineseDate.dateTime(c.createdAt),
                    withdrawAction: MembersRoutes.withdrawExpertConflict(expertID, try c.requireID()))
            },
            kinds: [SelectOption(value: "", label: "请选择", selected: values["kind"] == nil)]
                + [DeclaredConflict.Kind.organization, .person, .employer].map {
                    SelectOption(value: $0.rawValue, label: $0.label, selected: values["kind"] == $0.rawValue)
                },
            values: values, errors: errors)
    }

    func declare(_ req: Request) async throws -> Response {
        let actor = try req.actor
        var values: [String: String] = [:]
        for key in ["kind", "name", "note"] { values[key] = (try? req.content.get(String.self, at: key)).map { String($0.prefix(1_000)) } }
        let id = try req.uuidParameter()
        do {
            _ = try await service(req).declare(
                .init(kind: values["kind"], name: values["name"], note: values["note"]), on: id, actor: actor)
        } catch let invalid as InvalidFields {
            return try await page(req, values: values.compactMapValues { $0 }, errors: invalid.fields ?? [:], status: .unprocessableEntity)
        }
        return req.redirect(to: MembersRoutes.expertConflicts(id, query: ["notice": "conflict_declared"]))
    }

    func withdraw(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let expertID = try req.uuidParameter()
        guard let conflictID = req.parameters.get("conflict").flatMap(UUID.init(uuidString:)) else { throw PlatformError.notFound }
        try await service(req).withdraw(conflictID, on: expertID, actor: actor)
        return req.redirect(to: MembersRoutes.expertConflicts(expertID, query: ["notice": "conflict_withdrawn"]))
    }
}

extension ExpertConflictsPage: HTMLPage {
    func content(_ h: inout HTML) {
        h.el(.p) { h in h.el(.a, .href(MembersRoutes.experts()), raw: "← 专家库") }
        h.el(.h1) { h in
            h.raw("回避声明：")
            h.text(expertName)
        }
        h.el(.p, .class("muted")) { h in
            h.text(roles)
            h.raw("。评审、评估和推荐时，系统不会把该专家分配给这里列出的组织、个人或单位的申报。")
        }
        h.dataTable(
            .id("conflicts"), head: { h in h.columnHeaders(["类别", "名称", "说明", "声明人", "时间", ""]) },
            body: { h in
                for row in rows {
                    h.el(.tr, .attr("data-conflict-kind", row.kind)) { h in
                        h.el(.td, text: row.kindLabel)
                        h.el(.td) { h in
                            h.text(row.name)
                            if row.linked { h.el(.span, .class("muted"), raw: "（已关联组织）") }
                        }
                        h.el(.td, text: row.note)
                        h.el(.td, text: row.declaredBy)
                        h.el(.td, text: row.declaredAt)
                        h.el(.td) { h in
                            h.el(.form, .method("post"), .action(row.withdrawAction), .class("inline")) { h in
                                shell.writeCSRF(&h)
                                h.el(
                                    .button, .type("submit"), .class("button secondary"), .attr("data-confirm", literal: "撤回这条回避声明？"),
                                    raw: "撤回")
                            }
                        }
                    }
                }
                if rows.isEmpty { h.emptyRow(columns: 6, "尚未声明需要回避的对象") }
            })
        h.el(.section, .class("card")) { h in
            h.el(.h2, raw: "新增回避声明")
            h.formErrorSummary(errors, labels: ["kind": "类别", "name": "名称", "note": "说明"], order: ["kind", "name", "note"])
            h.el(.form, .method("post"), .action(action), .flag("novalidate")) { h in
                shell.writeCSRF(&h)
                h.selectField("kind", label: "类别", kinds, errors: errors)
                h.inputField("name", label: "名称", value: values["name"], errors: errors, hint: "学会、单位或个人的全称；组织与目录中的名称一致时自动关联")
                h.inputField("note", label: "说明", value: values["note"], errors: errors, hint: "如：曾在该单位任职至 2024 年；博士生导师")
                h.el(.button, .type("submit"), .class("button"), raw: "声明")
            }
        }
    }
}
