import XCTest

@testable import KexieKit

final class PersonProfileValidatorTests: XCTestCase {
    private let today = Day("2026-11-23")!
    /// Born 1990-01-15, 17th digit 3 (odd): male.
    private let maleID = ReferenceChecksums.idNumber("46010019900115123")
    /// Born 1985-03-12, 17th digit 2 (even): female.
    private let femaleID = ReferenceChecksums.idNumber("32010219850312002")

    private func validator() throws -> PersonProfileValidator {
        PersonProfileValidator(classifications: try Classifications.bundled())
    }

    private func complete() -> PersonProfileDraft {
        var draft = PersonProfileDraft()
        draft.name = "王  芳"
        draft.sex = "男"
        draft.birthMonth = "1990年1月"
        draft.ethnicity = "汉"
        draft.politicalStatus = "党员"
        draft.education = "博士"
        draft.degree = "博士学位"
        draft.titleName = "高级工程师"
        draft.employer = " 海南大学 "
        draft.province = "海南省"
        draft.city = "海口市"
        draft.county = "美兰区"
        draft.discipline = "航空航天科学技术"
        draft.industry = "m"
        draft.researchDirection = "热带农业遥感"
        draft.phone = "+86 138-1234-5678"
        draft.email = "Wang@Example.COM"
        draft.idNumber = maleID
        return draft
    }

    private func errors(_ draft: PersonProfileDraft) throws -> ProfileErrors {
        switch try validator().validate(draft, today: today) {
        case .success: XCTFail("expected errors"); return ProfileErrors()
        case .failure(let errors): return errors
        }
    }

    func testACompleteDraftBecomesCanonicalValues() throws {
        let profile = try validator().validate(complete(), today: today).get()
        XCTAssertEqual(profile.name, "王芳", "alignment spaces dropped")
        XCTAssertEqual(profile.sex, .male)
        XCTAssertEqual(profile.birthMonth, YearMonth(year: 1990, month: 1))
        XCTAssertEqual(profile.ethnicity, .han)
        XCTAssertEqual(profile.politicalStatus, .cpcMember)
        XCTAssertEqual(profile.education, .doctoral)
        XCTAssertEqual(profile.degree, .doctor)
        XCTAssertEqual(profile.titleLevel, .associateSenior, "inferred from the title")
        XCTAssertEqual(profile.titleName, "高级工程师")
        XCTAssertEqual(profile.employer, "海南大学")
        XCTAssertEqual(profile.discipline?.code, "590")
        XCTAssertEqual(profile.industry?.code, "M")
        XCTAssertEqual(profile.phone.value, "13812345678")
        XCTAssertEqual(profile.email?.value, "Wang@example.com")
        XCTAssertEqual(profile.idNumber?.value, maleID)
        XCTAssertEqual(profile.ageBand(on: today), .from35To44)
    }

    func testAValidatedProfileWrittenBackValidatesToItself() throws {
        let profile = try validator().validate(complete(), today: today).get()
        XCTAssertEqual(profile.draft.ethnicity, "汉族")
        XCTAssertEqual(profile.draft.titleLevel, "副高级")
        XCTAssertEqual(try validator().validate(profile.draft, today: today).get(), profile)
    }

    func testOnlyNameSexBirthMonthAndPhoneAreRequired() throws {
        var draft = PersonProfileDraft()
        draft.name = "买买提·艾力"
        draft.sex = "男"
        draft.birthMonth = "1995-06"
        draft.phone = "13912345678"
        let profile = try validator().validate(draft, today: today).get()
        XCTAssertEqual(profile.name, "买买提·艾力")
        XCTAssertNil(profile.email)
        XCTAssertNil(profile.idNumber)

        let empty = try errors(PersonProfileDraft())
        XCTAssertEqual(Set(empty.errors.keys), [.name, .sex, .birthMonth, .phone])
        XCTAssertEqual(empty.messages["name"], "请填写姓名")
        XCTAssertEqual(empty.messages["phone"], "请填写手机号")
    }

    func testExtraRequiredFieldsAreConfigurable() throws {
        var draft = complete()
        draft.employer = "  "
        let strict = PersonProfileValidator(classifications: try Classifications.bundled(), alsoRequired: [.employer])
        guard case .failure(let errors) = strict.validate(draft, today: today) else { return XCTFail() }
        XCTAssertEqual(errors[.employer], "请填写工作单位")
    }

    func testSexAndBirthMonthComeFromTheIDWhenLeftEmpty() throws {
        var draft = complete()
        draft.idNumber = femaleID
        draft.sex = ""
        draft.birthMonth = ""
        let profile = try validator().validate(draft, today: today).get()
        XCTAssertEqual(profile.sex, .female)
        XCTAssertEqual(profile.birthMonth, YearMonth(year: 1985, month: 3))
    }

    func testIDBirthMonthMustMatchTheProfile() throws {
        var draft = complete()
        draft.birthMonth = "1991-03"
        let errors = try errors(draft)
        XCTAssertEqual(errors.messages["idNumber"], "身份证号中的出生日期（1990年1月）与填写的出生年月（1991年3月）不一致")
        XCTAssertEqual(errors.errors[.idNumber]?.code, "id_number.birth_month_mismatch")
    }

    func testIDSexMustMatchTheProfile() throws {
        var draft = complete()
        draft.sex = "女"
        XCTAssertEqual(try errors(draft)[.idNumber], "身份证号中的性别（男）与填写的性别（女）不一致")
    }

    func testInvalidIDsUseTheIDMessages() throws {
        var draft = complete()
        let last = maleID.last!
        draft.idNumber = String(maleID.dropLast()) + (last == "0" ? "1" : "0")
        XCTAssertEqual(try errors(draft)[.idNumber], ValidationError.idNumberChecksum.message)
        draft.idNumber = "4601001990"
        XCTAssertEqual(try errors(draft)[.idNumber], ValidationError.idNumberLength.message)
        draft.idNumber = maleID.lowercased()
        XCTAssertNoThrow(try validator().validate(draft, today: today).get())
    }

    func testBirthMonthRange() throws {
        var draft = complete()
        draft.idNumber = ""
        draft.birthMonth = "1899-12"
        XCTAssertEqual(try errors(draft)[.birthMonth], "出生年月不能早于1900年")
        draft.birthMonth = "2026-12"
        XCTAssertEqual(try errors(draft)[.birthMonth], "出生年月不能晚于本月")
        draft.birthMonth = "2010-12"
        XCTAssertEqual(try errors(draft)[.birthMonth], "按出生年月计算，年龄应满16周岁")
        draft.birthMonth = "2010-11"
        XCTAssertNoThrow(try validator().validate(draft, today: today).get(), "16 this month")
        draft.birthMonth = "1990年13月"
        XCTAssertEqual(try errors(draft).errors[.birthMonth]?.code, "birth_month.format")
    }

    func testNameRules() throws {
        var draft = complete()
        draft.name = "王"
        XCTAssertEqual(try errors(draft)[.name], "姓名应为2至30个字")
        draft.name = String(repeating: "长", count: 31)
        XCTAssertEqual(try errors(draft)[.name], "姓名应为2至30个字")
        draft.name = "张三1"
        XCTAssertEqual(try errors(draft)[.name], "姓名只能包含汉字、字母和间隔号“·”")
        draft.name = "  John   Smith "
        XCTAssertEqual(try validator().validate(draft, today: today).get().name, "John Smith")
        draft.name = "阿依古丽 • 买买提"
        XCTAssertEqual(try validator().validate(draft, today: today).get().name, "阿依古丽·买买提")
    }

    func testContactRules() throws {
        var draft = complete()
        draft.phone = "12345"
        draft.email = "wang@"
        let errors = try errors(draft)
        XCTAssertEqual(errors[.phone], ValidationError.mobileFormat.message)
        XCTAssertEqual(errors[.email], ValidationError.emailFormat.message)
    }

    func testVocabulariesMustResolveWithHelpfulMessages() throws {
        var draft = complete()
        draft.ethnicity = "火星族"
        draft.education = "研究生"
        draft.politicalStatus = "党"
        draft.discipline = "计算机"
        draft.industry = "Z"
        let errors = try errors(draft)
        XCTAssertEqual(errors[.education], "无法识别的学历“研究生”，请选择：博士研究生、硕士研究生、大学本科、大学专科、中专、高中及以下")
        XCTAssertTrue(errors[.ethnicity]?.hasPrefix("无法识别的民族“火星族”") == true)
        XCTAssertTrue(errors[.politicalStatus]?.contains("群众") == true)
        XCTAssertTrue(errors[.discipline]?.contains("GB/T 13745") == true)
        XCTAssertTrue(errors[.industry]?.contains("A–T") == true)
        XCTAssertEqual(errors.errors.count, 5)
        XCTAssertTrue(errors.message.hasPrefix("民族："), "summary follows form order")
    }

    func testTitleLevelAgainstTitleName() throws {
        var draft = complete()
        draft.titleLevel = "中级"
        XCTAssertEqual(try errors(draft)[.titleLevel], "职称级别（中级）与职称“高级工程师”（副高级）不一致")

        draft.titleName = "首席专家"
        draft.titleLevel = ""
        XCTAssertEqual(
            try errors(draft)[.titleLevel], "无法根据职称“首席专家”判断级别，请填写职称级别（正高级、副高级、中级、初级、无）")

        draft.titleLevel = "正高"
        let profile = try validator().validate(draft, today: today).get()
        XCTAssertEqual(profile.titleLevel, .senior)
        XCTAssertEqual(profile.titleName, "首席专家")

        draft.titleName = "无"
        draft.titleLevel = ""
        let none = try validator().validate(draft, today: today).get()
        XCTAssertEqual(none.titleLevel, TitleLevel.none)
        XCTAssertNil(none.titleName)
    }

    func testCityNeedsProvince() throws {
        var draft = complete()
        draft.province = ""
        XCTAssertEqual(try errors(draft)[.province], "填写了市或县/区时，请同时填写省")
    }
}
