/// The stable keys of profile fields, used by forms, import columns and error maps.
public enum ProfileField: String, CaseIterable, Sendable, Hashable, Codable {
    case name, sex, birthMonth, ethnicity, politicalStatus, education, degree, titleLevel, titleName
    case employer, province, city, county, discipline, industry, researchDirection, phone, email, idNumber

    /// The Chinese column and form label.
    public var label: String {
        switch self {
        case .name: return "姓名"
        case .sex: return "性别"
        case .birthMonth: return "出生年月"
        case .ethnicity: return "民族"
        case .politicalStatus: return "政治面貌"
        case .education: return "学历"
        case .degree: return "学位"
        case .titleLevel: return "职称级别"
        case .titleName: return "职称"
        case .employer: return "工作单位"
        case .province: return "省"
        case .city: return "市"
        case .county: return "县/区"
        case .discipline: return "学科"
        case .industry: return "行业"
        case .researchDirection: return "研究方向"
        case .phone: return "手机"
        case .email: return "邮箱"
        case .idNumber: return "身份证号"
        }
    }
}

/// A profile exactly as a person typed it or a spreadsheet cell held it.
/// Every field is a string so nothing is lost before validation explains what is wrong.
public struct PersonProfileDraft: Sendable, Hashable, Codable {
    public var name = ""
    public var sex = ""
    public var birthMonth = ""
    public var ethnicity = ""
    public var politicalStatus = ""
    public var education = ""
    public var degree = ""
    public var titleLevel = ""
    public var titleName = ""
    public var employer = ""
    public var province = ""
    public var city = ""
    public var county = ""
    public var discipline = ""
    public var industry = ""
    public var researchDirection = ""
    public var phone = ""
    public var email = ""
    public var idNumber = ""

    public init() {}

    /// Read or write a field by key, for import columns and generic form code.
    public subscript(field: ProfileField) -> String {
        get { self[keyPath: Self.keyPath(field)] }
        set { self[keyPath: Self.keyPath(field)] = newValue }
    }

    private static func keyPath(_ field: ProfileField) -> WritableKeyPath<PersonProfileDraft, String> {
        switch field {
        case .name: return \.name
        case .sex: return \.sex
        case .birthMonth: return \.birthMonth
        case .ethnicity: return \.ethnicity
        case .politicalStatus: return \.politicalStatus
        case .education: return \.education
        case .degree: return \.degree
        case .titleLevel: return \.titleLevel
        case .titleName: return \.titleName
        case .employer: return \.employer
        case .province: return \.province
        case .city: return \.city
        case .county: return \.county
        case .discipline: return \.discipline
        case .industry: return \.industry
        case .researchDirection: return \.researchDirection
        case .phone: return \.phone
        case .email: return \.email
        case .idNumber: return \.idNumber
        }
    }
}

/// A profile that passed validation, holding canonical values only.
public struct ValidatedProfile: Sendable, Hashable {
    public var name: String
    public var sex: Sex
    public var birthMonth: YearMonth
    public var ethnicity: Ethnicity?
    public var politicalStatus: PoliticalStatus?
    public var education: Education?
    public var degree: Degree?
    /// Given, or inferred from a known title name.
    public var titleLevel: TitleLevel?
    public var titleName: String?
    public var employer: String?
    public var province: String?
    public var city: String?
    public var county: String?
    public var discipline: Discipline?
    public var industry: Industry?
    public var researchDirection: String?
    public var phone: MobileNumber
    public var email: EmailAddress?
    public var idNumber: ResidentIDNumber?

    public func ageBand(on day: Day) -> AgeBand { AgeBand(birthMonth: birthMonth, on: day) }
}

/// One field's problem: a stable code and a Chinese message shown beside the field.
public struct ProfileFieldError: KexieKitError, Hashable {
    public let field: ProfileField
    public let code: String
    public let message: String

    public init(field: ProfileField, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

/// All problems of a draft, at most one per field (the first one found, which
/// is the one to fix first).
public struct ProfileErrors: KexieKitError, Hashable {
    public private(set) var errors: [ProfileField: ProfileFieldError] = [:]

    public init() {}

    public var isEmpty: Bool { errors.isEmpty }

    /// Field key ("birthMonth") → message, for JSON responses and templates.
    public var messages: [String: String] {
        Dictionary(uniqueKeysWithValues: errors.map { ($0.key.rawValue, $0.value.message) })
    }

    public subscript(field: ProfileField) -> String? { errors[field]?.message }

    /// Errors in form order, for a summary or an import report line.
    public var ordered: [ProfileFieldError] {
        ProfileField.allCases.compactMap { errors[$0] }
    }

    public var code: String { "profile.invalid" }

    /// "出生年月：…；手机：…" — one line, as an import report shows it.
    public var message: String {
        ordered.map { "\($0.field.label)：\($0.message)" }.joined(separator: "；")
    }

    /// Keeps the first problem per field.
    public mutating func add(_ field: ProfileField, _ code: String, _ message: String) {
        guard errors[field] == nil else { return }
        errors[field] = ProfileFieldError(field: field, code: code, message: message)
    }
}

extension ValidatedProfile {
    /// The profile written back as form text (labels, not raw values), for an
    /// edit form or an export in the import template's format. Validating it
    /// again gives the same profile.
    public var draft: PersonProfileDraft {
        var draft = PersonProfileDraft()
        draft.name = name
        draft.sex = sex.label
        draft.birthMonth = birthMonth.description
        draft.ethnicity = ethnicity?.label ?? ""
        draft.politicalStatus = politicalStatus?.label ?? ""
        draft.education = education?.label ?? ""
        draft.degree = degree?.label ?? ""
        draft.titleLevel = titleLevel?.label ?? ""
        draft.titleName = titleName ?? ""
        draft.employer = employer ?? ""
        draft.province = province ?? ""
        draft.city = city ?? ""
        draft.county = county ?? ""
        draft.discipline = discipline?.name ?? ""
        draft.industry = industry?.name ?? ""
        draft.researchDirection = researchDirection ?? ""
        draft.phone = phone.value
        draft.email = email?.value ?? ""
        draft.idNumber = idNumber?.value ?? ""
        return draft
    }
}
