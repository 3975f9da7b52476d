import XCTest

@testable import KexieKit

final class PeopleImportTests: XCTestCase {
    private let today = Day("2026-11-23")!

    private func importer() throws -> PeopleImport {
        PeopleImport(validator: PersonProfileValidator(classifications: try Classifications.bundled()))
    }

    func testTemplateHeaderMapsToEveryField() {
        let header = PeopleImportHeader(PeopleImport.templateHeader)
        XCTAssertTrue(header.unknown.isEmpty && header.duplicates.isEmpty)
        XCTAssertEqual(
            PeopleImport.templateHeader.compactMap(PeopleImportHeader.field(forHeader:)),
            [
                .name, .sex, .birthMonth, .ethnicity, .politicalStatus, .education, .degree, .titleName, .titleLevel,
                .employer, .province, .city, .county, .discipline, .industry, .researchDirection, .phone, .email, .idNumber,
            ])
    }

    func testAnExportedProfileImportsAgain() throws {
        var draft = PersonProfileDraft()
        draft.name = "李雷"
        draft.sex = "男"
        draft.birthMonth = "1988-05"
        draft.phone = "13800000001"
        draft.discipline = "520"
        draft.titleName = "讲师"
        let importer = try importer()
        let profile = try importer.validator.validate(draft, today: today).get()
        let row = PeopleImport.templateHeader.compactMap(PeopleImportHeader.field(forHeader:)).map { profile.draft[$0] }
        let report = importer.run(rows: [PeopleImport.templateHeader, row], today: today)
        XCTAssertTrue(report.canImport)
        XCTAssertEqual(report.validProfiles, [profile])
    }

    func testHeaderVariants() {
        let cases: [String: ProfileField] = [
            "手机号": .phone, "手机号码": .phone, "电子邮箱": .email, "E-mail": .email, "所在单位": .employer,
            "*姓名": .name, "姓名（必填）": .name, "出生年月(格式:1990-01)": .birthMonth, "身份证号码": .idNumber,
            "县区": .county, "县／区": .county, " 职称 ": .titleName, "职称级别": .titleLevel, "出生日期": .birthMonth,
        ]
        for (header, field) in cases {
            XCTAssertEqual(PeopleImportHeader.field(forHeader: header), field, header)
        }
        XCTAssertNil(PeopleImportHeader.field(forHeader: "备注"))
    }

    func testGoodAndBadRowsAreReportedByRowNumber() throws {
        let rows: [[String]] = [
            ["姓名", "性别", "出生年月", "手机号码", "电子邮箱", "学科", "备注"],
            ["李雷", "男", "1988-05", "13800000001", "lilei@example.com", "数学", "x"],
            ["", "", "", "", "", "", ""],
            ["韩梅梅", "女", "1988年13月", "1380000", "", "计算机", ""],
            ["张伟", "男", "2001/07", "13800000003"],
        ]
        let report = try importer().run(rows: rows, today: today)
        XCTAssertEqual(report.headerRowNumber, 1)
        XCTAssertEqual(report.unknownColumns, [PeopleImportColumn(columnNumber: 7, header: "备注")])
        XCTAssertTrue(report.missingRequiredColumns.isEmpty)
        XCTAssertEqual(report.rows.map(\.rowNumber), [2, 4, 5], "blank row 3 skipped, short row 5 read")
        XCTAssertEqual(report.failedRows.map(\.rowNumber), [4])
        let bad = try XCTUnwrap(report.rows[1].errors)
        XCTAssertEqual(Set(bad.errors.keys), [.birthMonth, .phone, .discipline])
        XCTAssertEqual(report.validProfiles.map(\.name), ["李雷", "张伟"])
        XCTAssertFalse(report.canImport, "all rows must pass before anything is imported")
        XCTAssertEqual(report.headerMessages, ["以下列无法识别，将被忽略：第7列“备注”"])
    }

    func testMissingRequiredColumnsStopRowValidation() throws {
        let report = try importer().run(rows: [["姓名", "邮箱"], ["李雷", "a@b.cn"]], today: today)
        XCTAssertEqual(report.missingRequiredColumns, [.sex, .birthMonth, .phone])
        XCTAssertTrue(report.rows.isEmpty)
        XCTAssertFalse(report.canImport)
        XCTAssertEqual(report.headerMessages.first, "缺少必填列：性别、出生年月、手机")

        // With an ID column, 性别 and 出生年月 can be read from the ID.
        let id = ReferenceChecksums.idNumber("46010019900115123")
        let withID = try importer().run(rows: [["姓名", "手机", "身份证号"], ["李雷", "13800000001", id]], today: today)
        XCTAssertTrue(withID.missingRequiredColumns.isEmpty)
        XCTAssertTrue(withID.canImport)
        XCTAssertEqual(withID.validProfiles.first?.sex, .male)
    }

    func testDuplicateColumnsAndMissingHeader() throws {
        let report = try importer().run(rows: [["姓名", "性别", "出生年月", "手机", "手机号"]], today: today)
        XCTAssertEqual(report.duplicateColumns, [PeopleImportColumn(columnNumber: 5, header: "手机号")])
        XCTAssertFalse(report.canImport)

        let none = try importer().run(rows: [["a", "b"], ["1", "2"]], today: today)
        XCTAssertNil(none.headerRowNumber)
        XCTAssertFalse(none.canImport)
    }

    func testTitleRowAboveHeaderKeepsSpreadsheetRowNumbers() throws {
        let rows: [[String]] = [
            ["海南省农学会会员信息表"],
            ["姓名", "性别", "出生年月", "手机"],
            ["李雷", "男", "1988-05", "138"],
        ]
        let report = try importer().run(rows: rows, today: today)
        XCTAssertEqual(report.headerRowNumber, 2)
        XCTAssertEqual(report.rows.map(\.rowNumber), [3])
    }

    func testDuplicatePhonesAndIDsWithinTheFile() throws {
        let id = ReferenceChecksums.idNumber("32010219850312002")
        let rows: [[String]] = [
            ["姓名", "性别", "出生年月", "手机", "身份证号"],
            ["王芳", "女", "1985-03", "13800000001", id],
            ["王芳", "女", "1985-03", "138 0000 0001", ""],
            ["王小芳", "女", "1985-03", "13800000009", id.lowercased()],
            ["赵六", "男", "1970-01", "13800000004", ""],
        ]
        let report = try importer().run(rows: rows, today: today)
        XCTAssertEqual(report.failedRows.map(\.rowNumber), [3, 4], "the first occurrence stays importable")
        XCTAssertEqual(report.rows[1].duplicates, [PeopleImportDuplicate(field: .phone, firstRowNumber: 2)])
        XCTAssertEqual(report.rows[1].errors?[.phone], "与第2行的手机重复")
        XCTAssertEqual(report.rows[2].duplicates, [PeopleImportDuplicate(field: .idNumber, firstRowNumber: 2)])
        XCTAssertEqual(report.rows[2].errors?[.idNumber], "与第2行的身份证号重复")
        XCTAssertEqual(report.validProfiles.count, 2)
    }
}
