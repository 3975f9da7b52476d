/// Checks a `PersonProfileDraft` and turns it into canonical values, collecting
/// one Chinese message per field so a form can show each beside its field and
/// an import report can list every problem of a row at once.
public struct PersonProfileValidator: Sendable {
    public let classifications: Classifications
    /// Optional fields an organization wants filled in (e.g. 工作单位 for 个人会员).
    /// 姓名, 性别, 出生年月 and 手机 are always required.
    public let alsoRequired: Set<ProfileField>

    public static let minimumAge = 16
    public static let earliestBirthYear = 1900

    public init(classifications: Classifications, alsoRequired: Set<ProfileField> = []) {
        self.classifications = classifications
        self.alsoRequired = alsoRequired
    }

    public func validate(_ draft: PersonProfileDraft, today: Day = .today()) -> Result<ValidatedProfile, ProfileErrors> {
        var errors = ProfileErrors()
        for field in alsoRequired where PeopleText.clean(draft[field]).isEmpty {
            errors.add(field, "\(field.rawValue).empty", "请填写\(field.label)")
        }

        let name = validateName(draft.name, into: &errors)
        let idNumber = validateIDNumber(draft.idNumber, today: today, into: &errors)

        // 性别 and 出生年月 may be left empty when a valid 身份证号 carries them;
        // when both are given they must agree, which is checked below.
        var sex: Sex?
        if PeopleText.clean(draft.sex).isEmpty {
            sex = idNumber?.sex
            if sex == nil { errors.add(.sex, "sex.empty", "请填写性别") }
        } else if let resolved = Sex.resolve(draft.sex) {
            sex = resolved
        } else {
            errors.add(.sex, "sex.unknown", "性别应为“男”或“女”")
        }

        var birthMonth: YearMonth?
        if PeopleText.clean(draft.birthMonth).isEmpty {
            birthMonth = idNumber.map { YearMonth($0.birthDate) }
            if birthMonth == nil { errors.add(.birthMonth, "birth_month.empty", "请填写出生年月") }
        } else {
            birthMonth = validateBirthMonth(draft.birthMonth, today: today, into: &errors)
        }

        if let id = idNumber {
            let fromID = YearMonth(id.birthDate)
            if let given = birthMonth, given != fromID {
                errors.add(
                    .idNumber, "id_number.birth_month_mismatch",
                    "身份证号中的出生日期（\(fromID.chinese)）与填写的出生年月（\(given.chinese)）不一致")
            } else if let given = sex, given != id.sex {
                errors.add(
                    .idNumber, "id_number.sex_mismatch",
                    "身份证号中的性别（\(id.sex.label)）与填写的性别（\(given.label)）不一致")
            }
        }

        let ethnicity = vocabulary(Ethnicity.self, draft.ethnicity, .ethnicity, into: &errors) {
            "无法识别的民族“\($0)”，请填写56个民族之一（如“汉族”“蒙古族”），或“其他”“外国血统中国籍人士”"
        }
        let politicalStatus = vocabulary(PoliticalStatus.self, draft.politicalStatus, .politicalStatus, into: &errors)
        let education = vocabulary(Education.self, draft.education, .education, into: &errors)
        let degree = vocabulary(Degree.self, draft.degree, .degree, into: &errors)
        let (titleLevel, titleName) = validateTitle(level: draft.titleLevel, name: draft.titleName, into: &errors)

        let employer = freeText(draft.employer, .employer, maximum: 100, into: &errors)
        let province = freeText(draft.province, .province, maximum: 30, into: &errors)
        let city = freeText(draft.city, .city, maximum: 30, into: &errors)
        let county = freeText(draft.county, .county, maximum: 30, into: &errors)
        // A city or county alone is ambiguous (many places share names across provinces).
        if province == nil, city != nil || county != nil {
            errors.add(.province, "province.empty", "填写了市或县/区时，请同时填写省")
        }
        let researchDirection = freeText(draft.researchDirection, .researchDirection, maximum: 200, into: &errors)

        var discipline: Discipline?
        let disciplineText = PeopleText.clean(draft.discipline)
        if !disciplineText.isEmpty {
            discipline = classifications.discipline(matching: disciplineText)
            if discipline == nil {
                errors.add(
                    .discipline, "discipline.unknown",
                    "无法识别的学科“\(disciplineText)”，请填写GB/T 13745一级学科的名称或代码，如“计算机科学技术”或“520”")
            }
        }
        var industry: Industry?
        let industryText = PeopleText.clean(draft.industry)
        if !industryText.isEmpty {
            industry = classifications.industry(matching: industryText)
            if industry == nil {
                errors.add(
                    .industry, "industry.unknown",
                    "无法识别的行业“\(industryText)”，请填写国民经济行业门类的字母（A–T）或名称，如“M”或“科学研究和技术服务业”")
            }
        }

        var phone: MobileNumber?
        do {
            phone = try MobileNumber(draft.phone)
        } catch {
            errors.add(.phone, error.code, error.message)
        }
        var email: EmailAddress?
        if !PeopleText.clean(draft.email).isEmpty {
            do {
                email = try EmailAddress(draft.email)
            } catch {
                errors.add(.email, error.code, error.message)
            }
        }

        guard errors.isEmpty, let name, let sex, let birthMonth, let phone else {
            return .failure(errors)
        }
        return .success(
            ValidatedProfile(
                name: name, sex: sex, birthMonth: birthMonth, ethnicity: ethnicity, politicalStatus: politicalStatus,
                education: education, degree: degree, titleLevel: titleLevel, titleName: titleName,
                employer: employer, province: province, city: city, county: county, discipline: discipline,
                industry: industry, researchDirection: researchDirection, phone: phone, email: email,
                idNumber: idNumber))
    }

    // MARK: - Fields

    private func validateName(_ text: String, into errors: inout ProfileErrors) -> String? {
        let name = Self.canonicalName(text)
        guard !name.isEmpty else {
            errors.add(.name, "name.empty", "请填写姓名")
            return nil
        }
        guard (2...30).contains(name.count) else {
            errors.add(.name, "name.length", "姓名应为2至30个字")
            return nil
        }
        guard name.allSatisfy({ $0.isLetter || " ·.-'".contains($0) }) else {
            errors.add(.name, "name.characters", "姓名只能包含汉字、字母和间隔号“·”")
            return nil
        }
        return name
    }

    /// Chinese names in spreadsheets are often padded for alignment ("王  芳");
    /// spaces between Chinese characters are dropped, those in Latin names kept,
    /// and the various middle dots of minority names become "·".
    static func canonicalName(_ text: String) -> String {
        let cleaned = PeopleText.clean(text).map { "•・‧∙".contains($0) ? "·" : $0 }
        var result = ""
        for (index, character) in cleaned.enumerated() {
            if character == " " {
                let before = result.last
                let after = index + 1 < cleaned.count ? cleaned[index + 1] : nil
                if before.map(PeopleText.isCJK) == true || before == "·" || after.map(PeopleText.isCJK) == true
                    || after == "·"
                {
                    continue
                }
            }
            result.append(character)
        }
        return result
    }

    private func validateIDNumber(_ text: String, today: Day, into errors: inout ProfileErrors) -> ResidentIDNumber? {
        guard !PeopleText.clean(text).isEmpty else { return nil }
        do {
            return try ResidentIDNumber(text, today: today)
        } catch {
            errors.add(.idNumber, error.code, error.message)
            return nil
        }
    }

    private func validateBirthMonth(_ text: String, today: Day, into errors: inout ProfileErrors) -> YearMonth? {
        guard let month = YearMonth(parsing: text) else {
            errors.add(.birthMonth, "birth_month.format", "出生年月格式不正确，请按“1990-01”或“1990年1月”填写")
            return nil
        }
        guard month.year >= Self.earliestBirthYear else {
            errors.add(.birthMonth, "birth_month.too_early", "出生年月不能早于\(Self.earliestBirthYear)年")
            return nil
        }
        guard month <= YearMonth(today) else {
            errors.add(.birthMonth, "birth_month.future", "出生年月不能晚于本月")
            return nil
        }
        guard month.age(on: today) >= Self.minimumAge else {
            errors.add(.birthMonth, "birth_month.too_young", "按出生年月计算，年龄应满\(Self.minimumAge)周岁")
            return nil
        }
        return month
    }

    private func vocabulary<Value: ProfileVocabulary>(
        _ type: Value.Type, _ text: String, _ field: ProfileField, into errors: inout ProfileErrors,
        message: ((String) -> String)? = nil
    ) -> Value? {
        let cleaned = PeopleText.clean(text)
        guard !cleaned.isEmpty else { return nil }
        if let value = Value.resolve(cleaned) { return value }
        let text =
            message?(cleaned)
            ?? "无法识别的\(field.label)“\(cleaned)”，请选择：\(Value.labels.joined(separator: "、"))"
        errors.add(field, "\(field.rawValue).unknown", text)
        return nil
    }

    /// 职称 is free text (series have hundreds of names); its level is checked
    /// against 职称级别 when both are known, and inferred when only the title is given.
    private func validateTitle(level levelText: String, name nameText: String, into errors: inout ProfileErrors)
        -> (TitleLevel?, String?)
    {
        var name = freeText(nameText, .titleName, maximum: 30, into: &errors)
        let inferred = name.flatMap(TitleLevel.level(ofTitle:))
        if inferred == TitleLevel.none { name = nil }

        let levelCleaned = PeopleText.clean(levelText)
        guard !levelCleaned.isEmpty else {
            if let name, inferred == nil {
                errors.add(
                    .titleLevel, "title_level.unknown_title",
                    "无法根据职称“\(name)”判断级别，请填写职称级别（\(TitleLevel.labels.joined(separator: "、"))）")
            }
            return (inferred, name)
        }
        guard let level = TitleLevel.resolve(levelCleaned) else {
            errors.add(
                .titleLevel, "title_level.unknown",
                "无法识别的职称级别“\(levelCleaned)”，请选择：\(TitleLevel.labels.joined(separator: "、"))")
            return (nil, name)
        }
        if let inferred, inferred != level, let name {
            errors.add(
                .titleLevel, "title_level.mismatch",
                "职称级别（\(level.label)）与职称“\(name)”（\(inferred.label)）不一致")
        }
        return (level, name)
    }

    private func freeText(_ text: String, _ field: ProfileField, maximum: Int, into errors: inout ProfileErrors)
        -> String?
    {
        let cleaned = PeopleText.clean(text)
        guard !cleaned.isEmpty else { return nil }
        guard cleaned.count <= maximum else {
            errors.add(field, "\(field.rawValue).length", "\(field.label)不能超过\(maximum)个字")
            return nil
        }
        return cleaned
    }
}
