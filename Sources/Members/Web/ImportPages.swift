import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

struct ImportUploadPage: Sendable {
    let shell: PageShell
    let action: String
    let xlsxTemplate: String
    let csvTemplate: String
    let organization: OrganizationPickerValue
    let error: String?
}

struct ImportBatchPage: Sendable {
    let shell: PageShell
    let fileName: String
    let status: String
    let running: Bool
    let done: Bool
    let failed: Bool
    let previewed: Bool
    let total: Int
    let valid: Int
    let progressPhase: String
    let progressDone: Int
    let progressTotal: Int
    let imported: Int
    let failure: String?
    let problems: [ImportService.RowProblem]
    let moreProblems: Int
    let headerProblems: [String]
    let confirmAction: String?
    let peopleLink: String
    let uploadLink: String
}

/// 批量导入: template download, upload with a full check shown row by row, confirmation, and a progress
/// page that refreshes itself (no script needed) until the one transaction has finished.
struct ImportController {
    let classifications: Classifications

    func register(_ web: any RoutesBuilder) {
        web.get(MembersRoutes.peopleImport, use: form)
        web.get(MembersRoutes.importTemplate, use: template)
        web.upload(.POST, MembersRoutes.peopleImport, maxBytes: 20 << 20, use: upload)
        web.get(MembersRoutes.importBatch, use: batch)
        web.post(MembersRoutes.confirmImport, use: confirm)
    }

    private func service(_ req: Request) -> ImportService {
        ImportService(
            db: req.db, services: req.platform,
            importer: PeopleImport(validator: PersonProfileValidator(classifications: classifications)))
    }

    func form(_ req: Request) async throws -> Response {
        try await formPage(req, error: nil)
    }

    private func formPage(_ req: Request, error: String?, status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        return try await ImportUploadPage(
            shell: await PageShell.build(for: req, title: "批量导入科技工作者"), action: MembersRoutes.peopleImport(),
            xlsxTemplate: MembersRoutes.importTemplate(query: ["format": "xlsx"]),
            csvTemplate: MembersRoutes.importTemplate(query: ["format": "csv"]),
            organization: try await actor.organizationPicker(selected: nil, on: req.db),
            error: error
        ).render(req, status: status)
    }

    /// The template: the header row, one example row, and a second sheet listing the accepted values.
    func template(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        let example = [
            "张三", "男", "1985-06", "汉族", "中共党员", "研究生", "博士", "研究员", "正高级", "云海省农业科学院", "云海省", "东港市", "青石县",
            "农学", "A", "天然橡胶割胶技术", "13800000000", "zhangsan@example.com", "",
        ]
        let format = req.exportFormat ?? .xlsx
        let response: Response
        switch format {
        case .csv:
            response = Response(status: .ok, body: .init(data: CSVWriter().write(header: PeopleImport.templateHeader, rows: [example])))
            response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        case .xlsx:
            let lists: [[String]] = [
                ["性别"] + Sex.allCases.map(\.label), ["民族（示例）"] + Ethnicity.allCases.prefix(10).map(\.label),
                ["政治面貌"] + PoliticalStatus.allCases.map(\.label), ["学历"] + Education.allCases.map(\.label),
                ["学位"] + Degree.allCases.map(\.label), ["职称级别"] + TitleLevel.allCases.map(\.label),
                ["学科"] + classifications.disciplines.map { "\($0.code) \($0.name)" },
                ["行业"] + classifications.industries.map { "\($0.code) \($0.name)" },
            ]
            let height = lists.map(\.count).max() ?? 0
            let columns = (0..<height).map { row in lists.map { row < $0.count ? $0[row] : "" } }
            let data = try XLSXWriter().write([
                SpreadsheetSheet(name: "科技工作者", header: PeopleImport.templateHeader, rows: [example.map(SpreadsheetCell.text)]),
                SpreadsheetSheet(name: "可选值", header: columns[0], rows: columns.dropFirst().map { $0.map(SpreadsheetCell.text) }),
            ])
            response = Response(status: .ok, body: .init(data: data))
            response.headers.replaceOrAdd(
                name: .contentType, value: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        let name = "科技工作者导入模板." + format.rawValue
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"template.\(format.rawValue)\"; filename*=UTF-8''"
                + (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "template"))
        return response
    }

    func upload(_ req: Request) async throws -> Response {
        let actor = try req.actor
        struct Upload: Content {
            var file: File?
            var organizationID: String?
        }
        let form = try? req.content.decode(Upload.self)
        guard let file = form?.file, file.data.readableBytes > 0 else {
            return try await formPage(req, error: "请选择要导入的 Excel（.xlsx）或 CSV 文件", status: .unprocessableEntity)
        }
        let data = Data(buffer: file.data)
        let sent = form?.organizationID?.trimmingCharacters(in: .whitespaces) ?? ""
        let organizationID = try await OrganizationLookup(db: req.db).resolve(sent, in: .subtree, actor: actor)
        if organizationID == nil, !sent.isEmpty {
            return try await formPage(req, error: "未找到“\(sent)”这个组织，请从列表中选择或填写完整路径", status: .unprocessableEntity)
        }
        let preview: ImportService.Preview
        do {
            preview = try await service(req).preview(
                data: data, fileName: file.filename, organizationID: organizationID, actor: actor)
        } catch PlatformError.invalidInput(_, let message) {
            return try await formPage(req, error: message, status: .unprocessableEntity)
        }
        return try await batchPage(req, batch: preview.batch, preview: preview)
    }

    func batch(_ req: Request) async throws -> Response {
        let actor = try req.actor
        try actor.require(MembersPermission.peopleWrite)
        let service = service(req)
        let batch = try await service.batch(try req.uuidParameter(), actor: actor)
        var preview: ImportService.Preview?
        if batch.status == .previewed {
            let checked = try await service.check(batch.content)
            preview = .init(
                batch: batch, totalRows: checked.report.rows.count, validRows: checked.valid.count, problems: checked.problems,
                headerProblems: checked.headerProblems)
        }
        return try await batchPage(req, batch: batch, preview: preview)
    }

    private func batchPage(_ req: Request, batch: ImportBatch, preview: ImportService.Preview?) async throws -> Response {
        let id = try batch.requireID()
        let status = batch.status
        let progress = ImportProgress.shared.state(id)
        let label: String
        switch status {
        case .previewed: label = preview?.importable == true ? "检查通过，等待确认" : "检查未通过"
        case .running: label = "正在导入"
        case .done: label = "导入完成"
        case .failed: label = "导入失败，未写入任何数据"
        }
        let problems = preview?.problems ?? []
        let response = try await ImportBatchPage(
            shell: await PageShell.build(for: req, title: "导入：\(batch.fileName)"), fileName: batch.fileName, status: label,
            running: status == .running, done: status == .done, failed: status == .failed, previewed: status == .previewed,
            total: preview?.totalRows ?? batch.rowCount, valid: preview?.validRows ?? 0,
            progressPhase: progress?.writing == true ? "正在写入" : "正在重新检查全部行",
            progressDone: progress?.done ?? 0,
            progressTotal: max(1, progress?.total ?? batch.rowCount), imported: batch.importedCount, failure: batch.failure,
            problems: Array(problems.prefix(500)), moreProblems: max(0, problems.count - 500),
            headerProblems: preview?.headerProblems ?? [],
            confirmAction: preview?.importable == true ? MembersRoutes.confirmImport(id) : nil, peopleLink: MembersRoutes.people(),
            uploadLink: MembersRoutes.peopleImport()
        ).render(req, status: preview.map { $0.importable ? .ok : .unprocessableEntity } ?? .ok)
        return response
    }

    /// Starts the import in the background and shows the progress page; the work continues if the
    /// browser goes away.
    func confirm(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let service = ImportService(
            db: req.application.bulkDatabase, services: req.platform,
            importer: PeopleImport(validator: PersonProfileValidator(classifications: classifications)))
        let batch = try await service.start(try req.uuidParameter(), actor: actor)
        let context = AuditContext.current ?? .system
        let logger = req.logger
        Task.detached {
            do { try await service.run(batch, context: context) } catch { logger.warning("导入失败：\(String(describing: error))") }
        }
        return req.redirect(to: MembersRoutes.importBatch(try batch.requireID()))
    }
}
