import Foundation
import XCTest

@testable import KexieKit

/// A registration form with one field of every kind and a show-if chain.
enum SampleForm {
    static let definition = FormDefinition(sections: [
        FormSection(
            title: "基本信息",
            fields: [
                FormField(key: "name", label: "姓名", kind: .text, required: true, rules: FormFieldRules(maxLength: 20)),
                FormField(key: "intro", label: "个人简介", kind: .longText, rules: FormFieldRules(minLength: 10)),
                FormField(key: "age", label: "年龄", kind: .number(min: 1, max: 100, integerOnly: true), required: true),
                FormField(key: "mobile", label: "手机", kind: .phone, required: true),
                FormField(key: "email", label: "邮箱", kind: .email),
                FormField(
                    key: "postcode", label: "邮编", kind: .text,
                    rules: FormFieldRules(pattern: "[0-9]{6}", patternMessage: "请填写6位邮政编码")),
            ]),
        FormSection(
            title: "参会安排",
            fields: [
                FormField(key: "attend", label: "参会方式", kind: .singleChoice(options: ["现场", "线上"]), required: true),
                FormField(
                    key: "hotel", label: "是否住宿", kind: .singleChoice(options: ["是", "否"]), required: true,
                    showIf: FormShowIf(key: "attend", values: ["现场"])),
                FormField(
                    key: "nights", label: "住宿晚数", kind: .number(min: 1, max: 5, integerOnly: true), required: true,
                    showIf: FormShowIf(key: "hotel", values: ["是"])),
                FormField(
                    key: "topics", label: "关注议题",
                    kind: .multipleChoice(options: ["人工智能", "新材料", "生物医药"], minSelections: 1, maxSelections: 2)),
                FormField(key: "arrival", label: "到达日期", kind: .date(min: Day("2026-05-10"), max: Day("2026-05-12"))),
                FormField(key: "papers", label: "论文", kind: .file(maxFiles: 2, kinds: [.pdf])),
                FormField(key: "agree", label: "声明", kind: .consent(statement: "本人承诺所填信息真实"), required: true),
            ]),
    ])

    static let valid: [String: [String]] = [
        "name": ["张三"], "intro": ["长期从事材料科学研究工作"], "age": ["45"], "mobile": ["138 1234 5678"],
        "email": ["Zhang@Example.COM"], "postcode": ["650000"], "attend": ["现场"], "hotel": ["是"], "nights": ["2"],
        "topics": ["新材料", "人工智能"], "arrival": ["2026-05-11"],
        "papers": ["0E8C5E2A-3B0B-4C35-9C59-7E2F3D4A5B6C"], "agree": ["on"],
    ]
}

final class FormValidatorTests: XCTestCase {
    private func errors(_ raw: [String: [String]], _ definition: FormDefinition = SampleForm.definition) -> [String: String] {
        switch FormValidator(definition).validate(raw) {
        case .success: return [:]
        case .failure(let errors): return Dictionary(uniqueKeysWithValues: errors.fields.map { ($0.key, $0.message) })
        }
    }

    private func answers(_ raw: [String: [String]]) throws -> FormAnswers {
        try FormValidator(SampleForm.definition).validate(raw).get()
    }

    func testAValidSubmissionBecomesTypedAnswers() throws {
        let answers = try answers(SampleForm.valid)
        XCTAssertEqual(answers["name"], .text("张三"))
        XCTAssertEqual(answers["age"], .number(45))
        XCTAssertEqual(answers["mobile"], .text("13812345678"))
        XCTAssertEqual(answers["email"], .text("Zhang@example.com"))
        XCTAssertEqual(answers["attend"], .choices(["现场"]))
        XCTAssertEqual(answers["nights"], .number(2))
        XCTAssertEqual(answers["topics"], .choices(["人工智能", "新材料"]), "choices come back in the options' order")
        XCTAssertEqual(answers["arrival"], .date(Day(year: 2026, month: 5, day: 11)!))
        XCTAssertEqual(answers["papers"], .files([UUID(uuidString: "0E8C5E2A-3B0B-4C35-9C59-7E2F3D4A5B6C")!]))
        XCTAssertEqual(answers["agree"], .consent(true))
        XCTAssertEqual(answers.values.count, 13)
    }

    func testEveryProblemIsReportedAtOnceInTheFormsOrder() {
        var raw = SampleForm.valid
        raw["name"] = [" "]
        raw["age"] = ["120"]
        raw["mobile"] = ["12345"]
        raw["agree"] = nil
        let result = FormValidator(SampleForm.definition).validate(raw)
        guard case .failure(let errors) = result else { return XCTFail("expected errors") }
        XCTAssertEqual(
            errors.fields,
            [
                FormFieldError(key: "name", message: "此项必填"),
                FormFieldError(key: "age", message: "超出范围，应在 1–100 之间"),
                FormFieldError(key: "mobile", message: "不是有效的手机号或固定电话"),
                FormFieldError(key: "agree", message: "请阅读并勾选同意"),
            ])
    }

    func testRequiredFieldsOfEveryKindRefuseAnEmptyAnswer() {
        let found = errors([:])
        XCTAssertEqual(
            found, ["name": "此项必填", "age": "此项必填", "mobile": "此项必填", "attend": "此项必填", "agree": "请阅读并勾选同意"],
            "hotel and nights are hidden while attend is unanswered")
    }

    func testTextLengthsAndPatterns() {
        var raw = SampleForm.valid
        raw["name"] = [String(repeating: "张", count: 21)]
        raw["intro"] = ["太短"]
        raw["postcode"] = ["65000a"]
        XCTAssertEqual(errors(raw)["name"], "不能超过 20 个字（现有 21 个）")
        XCTAssertEqual(errors(raw)["intro"], "至少 10 个字（现有 2 个）")
        XCTAssertEqual(errors(raw)["postcode"], "请填写6位邮政编码")
    }

    func testTextIsBoundedEvenWithoutARule() {
        let definition = FormDefinition(sections: [FormSection(title: "", fields: [FormField(key: "note", label: "备注", kind: .longText)])])
        XCTAssertEqual(errors(["note": [String(repeating: "字", count: 2001)]], definition)["note"], "不能超过 2000 个字（现有 2001 个）")
        XCTAssertEqual(errors(["note": [String(repeating: "字", count: 2000)]], definition), [:])
    }

    func testNumbersAreParsedAndBounded() {
        var raw = SampleForm.valid
        for (input, message) in [
            ("abc", "请填写数字"), ("4.5", "请填写整数"), ("0", "超出范围，应在 1–100 之间"), ("1e3", "请填写数字"), ("nan", "请填写数字"),
        ] {
            raw["age"] = [input]
            XCTAssertEqual(errors(raw)["age"], message, input)
        }
        raw["age"] = ["１００"]
        XCTAssertNil(errors(raw)["age"], "full-width digits are folded")
        let open = FormDefinition(sections: [
            FormSection(title: "", fields: [FormField(key: "amount", label: "金额", kind: .number(min: nil, max: nil, integerOnly: false))])
        ])
        XCTAssertEqual(errors(["amount": ["1000000000001"]], open)["amount"], "超出范围")
        XCTAssertEqual(errors(["amount": ["-1,000,000,000,000"]], open), [:])
        XCTAssertEqual(try FormValidator(open).validate(["amount": ["12.50"]]).get()["amount"], .number(Decimal(string: "12.5")!))
    }

    func testPhonesAcceptMobilesAndLandlines() {
        XCTAssertEqual(FormValidator.phone("+86 139-1234-5678"), "13912345678")
        XCTAssertEqual(FormValidator.phone("0871-63123456"), "0871-63123456")
        XCTAssertEqual(FormValidator.phone("010-12345678-806"), "010-12345678-806")
        XCTAssertEqual(FormValidator.phone("087163123456"), "0871-63123456")
        XCTAssertEqual(FormValidator.phone("02164123456"), "021-64123456")
        for bad in ["12812345678", "63123456", "0871-0312345", "0871-631234567", "abc", "010-12345678-1234567"] {
            XCTAssertNil(FormValidator.phone(bad), bad)
        }
    }

    func testEmailsAreCheckedAndNormalized() {
        var raw = SampleForm.valid
        raw["email"] = ["zhang@localhost"]
        XCTAssertEqual(errors(raw)["email"], "不是有效的电子邮箱地址")
    }

    func testChoicesMustBeOptionsAndWithinTheSelectionCounts() {
        var raw = SampleForm.valid
        raw["attend"] = ["其他"]
        raw["topics"] = ["人工智能", "新材料", "生物医药"]
        XCTAssertEqual(errors(raw)["attend"], "请从给定选项中选择")
        XCTAssertEqual(errors(raw)["topics"], "最多选择 2 项")
        raw["topics"] = ["航天"]
        XCTAssertEqual(errors(raw)["topics"], "请从给定选项中选择")
        raw["attend"] = ["现场"]
        raw["topics"] = ["新材料", "新材料"]
        XCTAssertEqual(
            try? FormValidator(SampleForm.definition).validate(raw).get()["topics"], .choices(["新材料"]), "a repeated box counts once")
        let minimum = FormDefinition(sections: [
            FormSection(
                title: "",
                fields: [
                    FormField(key: "t", label: "议题", kind: .multipleChoice(options: ["a", "b", "c"], minSelections: 2, maxSelections: nil))
                ])
        ])
        XCTAssertEqual(errors(["t": ["a"]], minimum)["t"], "至少选择 2 项")
        XCTAssertEqual(errors(["t": []], minimum), [:], "an optional multiple choice may stay empty")
    }

    func testDatesAreCheckedAgainstTheirRange() {
        var raw = SampleForm.valid
        raw["arrival"] = ["2026-5-11"]
        XCTAssertEqual(errors(raw)["arrival"], "日期格式应为 YYYY-MM-DD，如 2026-05-01")
        raw["arrival"] = ["2026-05-13"]
        XCTAssertEqual(errors(raw)["arrival"], "应在 2026-05-10 至 2026-05-12 之间")
        raw["arrival"] = ["2026-02-30"]
        XCTAssertEqual(errors(raw)["arrival"], "日期格式应为 YYYY-MM-DD，如 2026-05-01")
    }

    func testFilesAreCountedAndMustBeIdentifiers() {
        var raw = SampleForm.valid
        raw["papers"] = [UUID().uuidString, UUID().uuidString, UUID().uuidString]
        XCTAssertEqual(errors(raw)["papers"], "最多上传 2 个文件")
        raw["papers"] = ["../etc/passwd"]
        XCTAssertEqual(errors(raw)["papers"], "文件无效，请重新上传")
    }

    func testHiddenFieldsAreSkippedAndTheirValuesDropped() throws {
        var raw = SampleForm.valid
        raw["attend"] = ["线上"]
        raw["hotel"] = ["不存在的选项"]
        raw["nights"] = ["99"]
        let answers = try answers(raw)
        XCTAssertNil(answers["hotel"], "hidden: its bad value is not checked and not kept")
        XCTAssertNil(answers["nights"], "hidden because the field it depends on is hidden")
        raw["attend"] = ["现场"]
        raw["hotel"] = ["否"]
        XCTAssertNil(try self.answers(raw)["nights"])
        raw["hotel"] = ["是"]
        XCTAssertEqual(errors(raw)["nights"], "超出范围，应在 1–5 之间", "shown again, so checked again")
    }

    func testUnknownKeysAreIgnored() throws {
        var raw = SampleForm.valid
        raw["injected"] = ["<script>"]
        XCTAssertNil(try answers(raw)["injected"])
    }

    func testOptionalConsentLeftUntickedIsRecordedAsNotAgreed() throws {
        let definition = FormDefinition(sections: [
            FormSection(title: "", fields: [FormField(key: "news", label: "订阅", kind: .consent(statement: "接收会议通知"))])
        ])
        XCTAssertEqual(try FormValidator(definition).validate([:]).get()["news"], .consent(false))
    }
}

final class FormDefinitionTests: XCTestCase {
    func testTheSampleDefinitionIsValidAndRoundTripsThroughJSON() throws {
        XCTAssertEqual(SampleForm.definition.problems(), [])
        let data = try JSONEncoder().encode(SampleForm.definition)
        XCTAssertEqual(try JSONDecoder().decode(FormDefinition.self, from: data), SampleForm.definition)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains(#""type":"multiple_choice""#), text)
    }

    func testTheStoredFormatReadsAsWritten() throws {
        let json =
            #"{"sections":[{"title":"A","fields":[{"key":"n","label":"数量","kind":{"type":"number","min":1,"max":9,"integer":true}}]}]}"#
        let definition = try JSONDecoder().decode(FormDefinition.self, from: Data(json.utf8))
        XCTAssertEqual(definition.fields.first?.kind, .number(min: 1, max: 9, integerOnly: true))
        XCTAssertEqual(definition.fields.first?.required, false)
    }

    func testProblemsOfTheDefinitionItselfAreAllNamed() {
        let definition = FormDefinition(sections: [
            FormSection(
                title: "A",
                fields: [
                    FormField(key: "name", label: "姓名", kind: .text),
                    FormField(key: "name", label: "重复", kind: .text),
                    FormField(key: "Bad-Key", label: "坏标识", kind: .text),
                    FormField(key: "empty", label: "空选项", kind: .singleChoice(options: [])),
                    FormField(key: "range", label: "范围", kind: .number(min: 10, max: 1, integerOnly: false)),
                    FormField(key: "dep", label: "依赖", kind: .text, showIf: FormShowIf(key: "name", values: ["x"])),
                    FormField(key: "later", label: "依赖后面", kind: .text, showIf: FormShowIf(key: "choice", values: ["是"])),
                    FormField(key: "choice", label: "选择", kind: .singleChoice(options: ["是", "否"])),
                    FormField(key: "odd", label: "条件值", kind: .text, showIf: FormShowIf(key: "choice", values: ["也许"])),
                    FormField(key: "regex", label: "格式", kind: .text, rules: FormFieldRules(pattern: "[", patternMessage: "x")),
                ])
        ])
        XCTAssertEqual(
            definition.problems(),
            [
                "字段“重复”的标识“name”与前面的字段重复",
                "字段“坏标识”的标识“Bad-Key”应以小写字母开头，只含小写字母、数字和下划线，不超过 40 个字符",
                "字段“空选项”须至少有一个选项",
                "字段“范围”的最小值不能大于最大值",
                "字段“依赖”的显示条件须引用它前面的单选或多选字段",
                "字段“依赖后面”的显示条件须引用它前面的单选或多选字段",
                "字段“条件值”的显示条件“也许”不是字段“选择”的选项",
                "字段“格式”的格式规则不是有效的正则表达式",
            ])
        XCTAssertThrowsError(try definition.validate()) { error in
            XCTAssertEqual((error as? FormDefinitionError)?.problems.count, 8)
        }
    }
}
