import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit
import Synchronization

/// Importing people from XLSX or CSV: the upload is checked row by row (profile rules, duplicates in
/// the file, people already registered) and kept until the operator confirms; confirming writes every
/// row in one transaction or none, reporting progress as it goes.
struct ImportService: Sendable {
    let db: any Database
    let services: PlatformServices
    let importer: PeopleImport

    static let maxFileBytes = 20 * 1_048_576
    static let maxRows = 50_000

    enum Status: String, Sendable, Codable {
        case previewed, running, done, failed
    }

    struct RowProblem: Sendable, Encodable {
        let row: Int
        let name: String
        let messages: [String]
    }

    struct Preview: Sendable {
        let batch: ImportBatch
        let totalRows: Int
        let validRows: Int
        let problems: [RowProblem]
        let headerProblems: [String]

        var importable: Bool { headerProblems.isEmpty && problems.isEmpty && validRows > 0 }
    }

    var records: PersonRecords { PersonRecords(db: db, services: services) }

    /// Reads a spreadsheet by its content: a ZIP container is XLSX, anything else is read as CSV.
    static func rows(of data: Data) throws -> [[String]] {
        guard data.count <= maxFileBytes else {
            throw PlatformError.invalidInput(field: "file", message: "文件超过 20 MB，请分批导入")
        }
        guard !data.isEmpty else { throw PlatformError.invalidInput(field: "file", message: "请选择要导入的 Excel 或 CSV 文件") }
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do { return try XLSXReader(data: data).rows() } catch {
                throw PlatformError.invalidInput(field: "file", message: "无法读取该 Excel 文件，请另存为 .xlsx 后重试")
            }
        }
        do { return try CSVReader().read(data) } catch {
            throw PlatformError.invalidInput(field: "file", message: "无法读取该文件，请使用模板中的 .xlsx 或 .csv 格式")
        }
    }

    /// Validates the whole file; stores it for confirmation.
    func preview(data: Data, fileName: String, organizationID: UUID?, actor: Actor) async throws -> Preview {
        try actor.require(MembersPermission.peopleWrite)
        let organization = try await actor.scope.requireOrganization(organizationID ?? actor.actingOrganizationID, on: db)
        let batch = ImportBatch()
        batch.organizationID = try organization.requireID()
        batch.userID = actor.userID
        batch.fileName = String(fileName.prefix(200))
        // The file holds ID numbers and phones in clear: sealed at rest, and emptied once the import ends.
        batch.content = try Self.seal(data, services.secrets)
        batch.status = .previewed
        batch.importedCount = 0
        let checked = try await check(data)
        batch.rowCount = checked.report.rows.count
        try await services.writes.transaction(on: db) { tx in try await batch.create(on: tx) }
        return Preview(
            batch: batch, totalRows: checked.report.rows.count, validRows: checked.valid.count, problems: checked.problems,
            headerProblems: checked.headerProblems)
    }

    struct Checked: Sendable {
        let report: PeopleImportReport
        let valid: [(row: Int, profile: ValidatedProfile)]
        let problems: [RowProblem]
        let headerProblems: [String]
    }

    /// Every rule, including 手机/身份证号 already registered (looked up in batches by keyed hash).
    func check(_ data: Data) async throws -> Checked {
        let rows = try Self.rows(of: data)
        guard rows.count <= Self.maxRows + PeopleImport.headerSearchDepth else {
            throw PlatformError.invalidInput(field: "file", message: "一次最多导入 \(Self.maxRows) 行，请分批导入")
        }
        let report = importer.run(rows: rows, today: Day.today(now: services.clock()))
        var headerProblems: [String] = []
        if report.headerRowNumber == nil {
            headerProblems.append("没有找到表头行，请使用导入模板（前 \(PeopleImport.headerSearchDepth) 行内应有“姓名”“手机”等列名）")
        }
        if !report.missingRequiredColumns.isEmpty {
            headerProblems.append("缺少必填列：" + report.missingRequiredColumns.map(\.label).joined(separator: "、"))
        }
        for column in report.duplicateColumns { headerProblems.append("第\(column.columnNumber)列“\(column.header)”与前面的列重复") }
        var problems: [RowProblem] = []
        var valid: [(row: Int, profile: ValidatedProfile)] = []
        for row in report.rows {
            if let errors = row.errors {
                problems.append(
                    RowProblem(
                        row: row.rowNumber, name: "",
                        messages: ProfileField.allCases.compactMap { field in errors.messages[field.rawValue].map { "\(field.label)：\($0)" }
                        }))
            } else if let profile = row.profile {
                valid.append((row.rowNumber, profile))
            }
        }
        // Already registered: one IN query per 500 rows for phones and for ID numbers.
        var takenPhones = Set<String>()
        var takenIDs = Set<String>()
        let phoneLookups = valid.map { records.phoneLookup($0.profile.phone.value) }
        let idLookups = valid.compactMap { $0.profile.idNumber.map { records.idLookup($0.value) } }
        for start in stride(from: 0, to: phoneLookups.count, by: 500) {
            let chunk = Array(phoneLookups[start..<min(phoneLookups.count, start + 500)])
            takenPhones.formUnion(
                try await Person.query(on: db).filter(\.$phoneLookup ~~ chunk).field(\.$phoneLookup).all().map(\.phoneLookup))
        }
        for start in stride(from: 0, to: idLookups.count, by: 500) {
            let chunk = Array(idLookups[start..<min(idLookups.count, start + 500)])
            takenIDs.formUnion(
                try await Person.query(on: db).filter(\.$idNumberLookup ~~ chunk).field(\.$idNumberLookup).all().compactMap(
                    \.idNumberLookup))
        }
        var stillValid: [(row: Int, profile: ValidatedProfile)] = []
        for entry in valid {
            var messages: [String] = []
            if takenPhones.contains(records.phoneLookup(entry.profile.phone.value)) { messages.append("手机：该手机号已登记") }
            if let id = entry.profile.idNumber, takenIDs.contains(records.idLookup(id.value)) { messages.append("身份证号：该身份证号已登记") }
            if messages.isEmpty {
                stillValid.append(entry)
            } else {
                problems.append(RowProblem(row: entry.row, name: entry.profile.name, messages: messages))
            }
        }
        // Name the failing rows so the operator finds them in the spreadsheet.
        let nameColumn = report.columns[.name]
        problems = problems.map { problem in
            let cells = rows[problem.row - 1]
            let name = nameColumn.flatMap { $0 < cells.count ? cells[$0] : nil } ?? problem.name
            return RowProblem(row: problem.row, name: name, messages: problem.messages)
        }.sorted { $0.row < $1.row }
        return Checked(report: report, valid: stillValid, problems: problems, headerProblems: headerProblems)
    }

    func batch(_ id: UUID, actor: Actor) async throws -> ImportBatch {
        guard let batch = try await actor.scope.query(ImportBatch.self, on: db).filter(\.$id == id).fields(for: ImportBatch.self).first()
        else { throw PlatformError.notFound }
        return batch
    }

    static func seal(_ data: Data, _ secrets: SecretBox) throws -> Data {
        Data(try secrets.seal(data.base64EncodedString()).utf8)
    }

    static func open(_ sealed: Data, _ secrets: SecretBox) throws -> Data {
        guard let data = Data(base64Encoded: try secrets.open(String(decoding: sealed, as: UTF8.self))) else {
            throw MembersError.importFileGone
        }
        return data
    }

    /// Previews nobody confirmed within a day: the file goes, the batch says why.
    static let previewLifetime: TimeInterval = 24 * 3600

    static func purgeStalePreviews(on db: any Database, services: PlatformServices) async throws {
        // Fluent stamps `createdAt` with the system clock, so the cutoff is read from it too.
        let cutoff = Date().addingTimeInterval(-previewLifetime)
        let stale = try await ImportBatch.query(on: db).filter(\.$status == .previewed)
            .filter(\.$createdAt < cutoff).all()
        for batch in stale {
            batch.status = .failed
            batch.failure = "预览后 24 小时未确认导入，文件已删除"
            batch.content = Data()
            try await services.writes.transaction(on: db) { tx in try await batch.save(on: tx) }
        }
    }

    /// Claims a previewed batch for running, so a double click cannot import it twice.
    func start(_ id: UUID, actor: Actor) async throws -> ImportBatch {
        try actor.require(MembersPermission.peopleWrite)
        let batch = try await batch(id, actor: actor)
        guard batch.status == Status.previewed else { throw MembersError.importAlreadyStarted }
        batch.status = Status.running
        try await services.writes.transaction(on: db) { tx in try await batch.save(on: tx) }
        ImportProgress.shared.update(id, done: 0, total: batch.rowCount, writing: false)
        return batch
    }

    /// Writes every row of a started batch in one transaction. Checks again first: someone may have
    /// registered one of these people since the preview.
    func run(_ batch: ImportBatch, context: AuditContext) async throws {
        let id = try batch.requireID()
        ImportProgress.shared.update(id, done: 0, total: batch.rowCount, writing: false)
        do {
            let checked = try await check(try Self.open(batch.content, services.secrets))
            guard checked.headerProblems.isEmpty, checked.problems.isEmpty, !checked.valid.isEmpty else {
                throw MembersError.importRowsRefused(count: checked.problems.count)
            }
            let total = checked.valid.count
            ImportProgress.shared.update(id, done: 0, total: total)
            let organizationPath = try await Organization.find(batch.organizationID, on: db)?.path ?? "/"
            let now = services.clock()
            let writes = services.writes
            let records = self.records
            let organizationID = batch.organizationID
            let fileName = batch.fileName
            try await writes.transaction(on: db) { tx in
                let sql = try tx.sql()
                for start in stride(from: 0, to: total, by: 200) {
                    let chunk = checked.valid[start..<min(total, start + 200)]
                    var insert = sql.insert(into: Person.schema).columns(Self.columns)
                    var documents: [SearchIndexStore.Document] = []
                    for (_, profile) in chunk {
                        let person = Person()
                        person.id = UUID()
                        person.organizationID = organizationID
                        try records.apply(profile, to: person, isNew: true)
                        insert = insert.values(Self.values(person, now: now))
                        documents.append(
                            .init(
                                entityID: person.id!.uuidString, organizationPath: organizationPath, title: person.name,
                                text: PersonRecords.searchText(person)))
                    }
                    try await insert.run()
                    try await SearchIndexStore(db: tx, writes: writes).indexNew(kind: PersonRecords.searchKind, documents)
                    ImportProgress.shared.update(id, done: min(total, start + chunk.count), total: total)
                }
                batch.status = .done
                batch.content = Data()
                batch.importedCount = total
                try await batch.save(on: tx)
                try await services.audit.record(
                    AuditEvent(
                        action: "people.import", entityType: "import", entityID: id.uuidString, summary: "从“\(fileName)”导入 \(total) 人"),
                    context: context, on: tx)
            }
        } catch {
            let message = (error as? any KexieError)?.message ?? "导入失败，未写入任何数据"
            batch.status = .failed
            batch.failure = message
            batch.content = Data()
            try? await services.writes.transaction(on: db) { tx in try await batch.save(on: tx) }
            ImportProgress.shared.finish(id)
            throw error
        }
        ImportProgress.shared.finish(id)
        // A large load changes what the planner should do with the people lists.
        try? await PlatformBootstrap.refreshStatistics(try db.sql())
    }

    static let columns = [
        "id", "organization_id", "name", "sex", "birth_month", "ethnicity", "political_status", "education", "degree", "title_level",
        "title_name", "employer", "province", "city", "county", "discipline_code", "industry_code", "research_direction", "phone_cipher",
        "phone_lookup", "email", "id_number_cipher", "id_number_lookup", "verification", "created_at", "updated_at",
    ]

    static func values(_ p: Person, now: Date) -> [any SQLExpression] {
        row(p, now: now).map { value in value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null }
    }

    /// The person's values in `columns` order.
    static func row(_ p: Person, now: Date) -> [(any Encodable & Sendable)?] {
        [
            p.id, p.organizationID, p.name, p.sex, p.birthMonth, p.ethnicity, p.politicalStatus, p.education, p.degree, p.titleLevel,
            p.titleName, p.employer, p.province, p.city, p.county, p.disciplineCode, p.industryCode, p.researchDirection, p.phoneCipher,
            p.phoneLookup, p.email, p.idNumberCipher, p.idNumberLookup, p.verification, now, now,
        ]
    }
}

/// Progress of running imports, read by the progress page while the import's transaction is open
/// (the database cannot be asked: the rows are not committed yet). Per process, which is where the
/// import runs.
final class ImportProgress: Sendable {
    static let shared = ImportProgress()

    struct State: Sendable {
        let done: Int
        let total: Int
        /// False while the file is checked again, true while rows are written.
        let writing: Bool
    }

    private let states = Mutex<[UUID: State]>([:])

    func update(_ id: UUID, done: Int, total: Int, writing: Bool = true) {
        states.withLock { $0[id] = State(done: done, total: total, writing: writing) }
    }
    func finish(_ id: UUID) { _ = states.withLock { $0.removeValue(forKey: id) } }
    func state(_ id: UUID) -> State? { states.withLock { $0[id] } }
}
