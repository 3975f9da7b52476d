/// Imports people from spreadsheet rows (CSV or XLSX already read into strings):
/// maps the Chinese column headers to profile fields, validates every row before
/// anything is saved, and reports each failing row by its spreadsheet row number.
public struct PeopleImport: Sendable {
    public let validator: PersonProfileValidator

    public init(validator: PersonProfileValidator) {
        self.validator = validator
    }

    /// The header row of the downloadable template, in form order.
    public static let templateHeader: [String] = [
        "姓名", "性别", "出生年月", "民族", "政治面貌", "学历", "学位", "职称", "职称级别", "工作单位",
        "省", "市", "县/区", "学科", "行业", "研究方向", "手机", "邮箱", "身份证号",
    ]

    /// How many leading rows may precede the header (a title such as "XX学会会员信息表").
    public static let headerSearchDepth = 5

    public func run(rows: [[String]], today: Day = .today()) -> PeopleImportReport {
        guard let headerIndex = Self.headerRowIndex(in: rows) else {
            return PeopleImportReport(
                headerRowNumber: nil, columns: [:], unknownColumns: [], duplicateColumns: [],
                missingRequiredColumns: Self.requiredColumns(present: []), rows: [])
        }
        let header = PeopleImportHeader(rows[headerIndex])
        let missing = Self.requiredColumns(present: Set(header.columns.keys)).filter { header.columns[$0] == nil }
        var report = PeopleImportReport(
            headerRowNumber: headerIndex + 1, columns: header.columns, unknownColumns: header.unknown,
            duplicateColumns: header.duplicates, missingRequiredColumns: missing, rows: [])
        // Rows are meaningless without the required columns: report the header only.
        guard missing.isEmpty, header.duplicates.isEmpty else { return report }

        var firstRowByPhone: [String: Int] = [:]
        var firstRowByID: [String: Int] = [:]
        for index in rows.indices where index > headerIndex {
            let cells = rows[index]
            // Spreadsheets often end with formatted but empty rows.
            guard cells.contains(where: { !PeopleText.clean($0).isEmpty }) else { continue }
            let rowNumber = index + 1
            var draft = PersonProfileDraft()
            for (field, column) in header.columns where column < cells.count {
                draft[field] = cells[column]
            }
            var result = validator.validate(draft, today: today)

            // Duplicates are compared in normalized form, so "138 1234 5678" and
            // "13812345678" are the same person; the first occurrence stays importable.
            var duplicates: [PeopleImportDuplicate] = []
            if let id = try? ResidentIDNumber(draft.idNumber, today: today) {
                if let first = firstRowByID[id.value] {
                    duplicates.append(PeopleImportDuplicate(field: .idNumber, firstRowNumber: first))
                } else {
                    firstRowByID[id.value] = rowNumber
                }
            }
            if let phone = try? MobileNumber(draft.phone) {
                if let first = firstRowByPhone[phone.value] {
                    duplicates.append(PeopleImportDuplicate(field: .phone, firstRowNumber: first))
                } else {
                    firstRowByPhone[phone.value] = rowNumber
                }
            }
            if !duplicates.isEmpty {
                var errors: ProfileErrors
                switch result {
                case .success: errors = ProfileErrors()
                case .failure(let existing): errors = existing
                }
                for duplicate in duplicates {
                    errors.add(
                        duplicate.field, "\(duplicate.field.rawValue).duplicate_in_file",
                        "与第\(duplicate.firstRowNumber)行的\(duplicate.field.label)重复")
                }
                result = .failure(errors)
            }
            report.rows.append(PeopleImportRow(rowNumber: rowNumber, result: result, duplicates: duplicates))
        }
        return report
    }

    /// The first of the leading rows that names at least two known columns.
    static func headerRowIndex(in rows: [[String]]) -> Int? {
        rows.prefix(headerSearchDepth).indices.first { index in
            rows[index].filter { PeopleImportHeader.field(forHeader: $0) != nil }.count >= 2
        }
    }

    /// 性别 and 出生年月 can come from the 身份证号 column, so they are required only without it.
    static func requiredColumns(present: Set<ProfileField>) -> [ProfileField] {
        present.contains(.idNumber) ? [.name, .phone] : [.name, .sex, .birthMonth, .phone]
    }
}

/// A header row read into fields.
struct PeopleImportHeader {
    var columns: [ProfileField: Int] = [:]
    var unknown: [PeopleImportColumn] = []
    var duplicates: [PeopleImportColumn] = []

    init(_ cells: [String]) {
        for (index, cell) in cells.enumerated() {
            guard !PeopleText.clean(cell).isEmpty else { continue }
            let column = PeopleImportColumn(columnNumber: index + 1, header: PeopleText.clean(cell))
            guard let field = Self.field(forHeader: cell) else {
                unknown.append(column)
                continue
            }
            if columns[field] != nil {
                duplicates.append(column)
            } else {
                columns[field] = index
            }
        }
    }

    /// Header spellings seen in members' own spreadsheets, besides the field label.
    static let variants: [ProfileField: [String]] = [
        .name: ["姓名", "名字", "会员姓名", "成员姓名"],
        .sex: ["性别"],
        .birthMonth: ["出生年月", "出生日期", "出生年月日", "生日", "出生年月(YYYY-MM)"],
        .ethnicity: ["民族"],
        .politicalStatus: ["政治面貌"],
        .education: ["学历", "最高学历"],
        .degree: ["学位", "最高学位"],
        .titleName: ["职称", "专业技术职称", "职称名称", "专业技术职务", "技术职称"],
        .titleLevel: ["职称级别", "职称等级", "职称层级"],
        .employer: ["工作单位", "所在单位", "单位", "单位名称", "工作单位名称", "工作单位全称"],
        .province: ["省", "省份", "所在省", "省级", "省(自治区、直辖市)"],
        .city: ["市", "城市", "地市", "所在市", "市(州)", "地级市"],
        .county: ["县/区", "县区", "区县", "县", "区", "所在县区", "县(市、区)", "县/市/区"],
        .discipline: ["学科", "学科领域", "所属学科", "一级学科", "学科分类"],
        .industry: ["行业", "所属行业", "行业分类", "行业门类"],
        .researchDirection: ["研究方向", "专业方向", "主要研究方向", "研究领域"],
        .phone: ["手机", "手机号", "手机号码", "移动电话", "联系电话", "联系手机"],
        .email: ["邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "邮件地址", "电子邮箱地址"],
        .idNumber: ["身份证号", "身份证号码", "身份证", "公民身份号码", "居民身份证号码", "证件号码"],
    ]

    private static let fieldByKey: [String: ProfileField] = {
        var map: [String: ProfileField] = [:]
        for (field, names) in variants {
            for name in names { map[headerKey(name)] = field }
        }
        return map
    }()

    static func field(forHeader text: String) -> ProfileField? {
        let key = headerKey(text)
        if let field = fieldByKey[key] { return field }
        // "出生年月（格式：1990-01）", "手机（必填）": a remark in brackets after the name.
        return fieldByKey[headerKey(PeopleText.droppingTrailingRemark(PeopleText.clean(text)))]
    }

    /// Templates mark required columns with * and some add a colon.
    private static func headerKey(_ text: String) -> String {
        PeopleText.key(String(InputNormalizer.foldFullWidth(text).filter { !"*:".contains($0) }))
    }
}

public struct PeopleImportColumn: Sendable, Hashable {
    /// 1-based, as a spreadsheet user counts (A = 1).
    public let columnNumber: Int
    public let header: String
}

public struct PeopleImportDuplicate: Sendable, Hashable {
    /// `.idNumber` or `.phone`.
    public let field: ProfileField
    public let firstRowNumber: Int
}

public struct PeopleImportRow: Sendable {
    /// The spreadsheet row number (the header is row 1 unless title rows precede it).
    public let rowNumber: Int
    public let result: Result<ValidatedProfile, ProfileErrors>
    /// Earlier rows with the same 身份证号 or 手机; such a row also fails.
    public let duplicates: [PeopleImportDuplicate]

    public var profile: ValidatedProfile? { try? result.get() }
    public var errors: ProfileErrors? {
        if case .failure(let errors) = result { return errors }
        return nil
    }
}

public struct PeopleImportReport: Sendable {
    /// Nil when no header row was recognized in the first rows.
    public let headerRowNumber: Int?
    /// Field → 0-based column index.
    public let columns: [ProfileField: Int]
    /// Columns that are ignored; shown so a misspelled header is noticed.
    public let unknownColumns: [PeopleImportColumn]
    /// Second columns for a field already mapped (e.g. both 手机 and 手机号).
    public let duplicateColumns: [PeopleImportColumn]
    public let missingRequiredColumns: [ProfileField]
    public internal(set) var rows: [PeopleImportRow]

    /// All rows are importable and the header is sound: the all-or-nothing rule
    /// keeps a half-imported file from having to be untangled later.
    public var canImport: Bool {
        headerRowNumber != nil && missingRequiredColumns.isEmpty && duplicateColumns.isEmpty
            && !rows.isEmpty && failedRows.isEmpty
    }

    public var failedRows: [PeopleImportRow] { rows.filter { $0.errors != nil } }
    public var validProfiles: [ValidatedProfile] { rows.compactMap(\.profile) }

    /// Header problems as Chinese sentences, for the top of the report page.
    public var headerMessages: [String] {
        var messages: [String] = []
        if headerRowNumber == nil {
            messages.append("未找到表头行，请使用下载的模板，第1行为“姓名”“手机”等列名")
        }
        if !missingRequiredColumns.isEmpty {
            messages.append("缺少必填列：" + missingRequiredColumns.map(\.label).joined(separator: "、"))
        }
        for column in duplicateColumns {
            messages.append("第\(column.columnNumber)列“\(column.header)”与前面的列重复")
        }
        if !unknownColumns.isEmpty {
            messages.append(
                "以下列无法识别，将被忽略：" + unknownColumns.map { "第\($0.columnNumber)列“\($0.header)”" }.joined(separator: "、"))
        }
        return messages
    }
}
