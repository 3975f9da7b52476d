import Fluent
import Foundation
import KexieKit

/// The demo province's forms: the annual conference registration (published, with answers) and the
/// societies' annual return (a draft being prepared), so the form pages are not empty in the demo.
enum FormsDemo {
    static let registration = FormDefinition(sections: [
        FormSection(
            title: "参会人信息",
            fields: [
                FormField(key: "name", label: "姓名", kind: .text, required: true, rules: FormFieldRules(maxLength: 20)),
                FormField(key: "employer", label: "工作单位", kind: .text, required: true, rules: FormFieldRules(maxLength: 60)),
                FormField(key: "title", label: "职称", kind: .singleChoice(options: ["正高级", "副高级", "中级", "初级", "其他"]), required: true),
                FormField(key: "mobile", label: "手机号", help: "会务组仅用于会议通知", kind: .phone, required: true),
                FormField(key: "email", label: "电子邮箱", kind: .email),
            ]),
        FormSection(
            title: "参会安排",
            fields: [
                FormField(key: "attendance", label: "参会方式", kind: .singleChoice(options: ["现场参会", "线上参会"]), required: true),
                FormField(
                    key: "lodging", label: "是否需要安排住宿", kind: .singleChoice(options: ["需要", "不需要"]), required: true,
                    showIf: FormShowIf(key: "attendance", values: ["现场参会"])),
                FormField(
                    key: "arrival", label: "到达日期", kind: .date(min: Day("2026-05-14"), max: Day("2026-05-16")), required: true,
                    showIf: FormShowIf(key: "lodging", values: ["需要"])),
                FormField(
                    key: "topics", label: "拟参加的分论坛",
                    kind: .multipleChoice(options: ["人工智能", "新材料", "海洋科技", "热带农业", "生物医药"], minSelections: 1, maxSelections: 3),
                    required: true),
                FormField(key: "companions", label: "随行人数", kind: .number(min: 0, max: 5, integerOnly: true)),
            ]),
        FormSection(
            title: "声明",
            fields: [
                FormField(key: "consent", label: "信息使用", kind: .consent(statement: "本人同意会务组使用以上信息办理参会事宜"), required: true)
            ]),
    ])

    static let annualReturn = FormDefinition(sections: [
        FormSection(
            title: "学会基本情况",
            fields: [
                FormField(key: "society", label: "学会名称", kind: .text, required: true),
                FormField(key: "members", label: "个人会员数", kind: .number(min: 0, max: 1_000_000, integerOnly: true), required: true),
                FormField(key: "unit_members", label: "单位会员数", kind: .number(min: 0, max: 100_000, integerOnly: true)),
                FormField(key: "council_meetings", label: "全年召开理事会次数", kind: .number(min: 0, max: 50, integerOnly: true), required: true),
            ]),
        FormSection(
            title: "年度工作",
            fields: [
                FormField(key: "academic_events", label: "举办学术活动（场）", kind: .number(min: 0, max: 10_000, integerOnly: true)),
                FormField(key: "outreach_events", label: "举办科普活动（场）", kind: .number(min: 0, max: 10_000, integerOnly: true)),
                FormField(
                    key: "summary", label: "年度工作总结", kind: .longText, required: true, rules: FormFieldRules(minLength: 100, maxLength: 2000)
                ),
            ]),
        FormSection(
            title: "财务情况",
            fields: [
                FormField(key: "income", label: "年度收入（万元）", kind: .number(min: 0, max: 100_000, integerOnly: false)),
                FormField(key: "audited", label: "财务审计", kind: .singleChoice(options: ["已审计", "未审计"]), required: true),
                FormField(
                    key: "auditor", label: "审计机构", kind: .text, required: true, showIf: FormShowIf(key: "audited", values: ["已审计"])),
                FormField(key: "contact_mobile", label: "联系人手机号", kind: .phone, required: true),
                FormField(key: "pledge", label: "承诺", kind: .consent(statement: "本学会承诺所报材料真实、准确、完整"), required: true),
            ]),
    ])

    static let people: [(String, String, String, String, String, [String], String?)] = [
        ("林海涛", "云海大学海洋学院", "正高级", "13907710001", "现场参会", ["海洋科技", "新材料"], "2026-05-14"),
        ("陈晓雯", "云海省农业科学院", "副高级", "13907710002", "现场参会", ["热带农业"], "2026-05-15"),
        ("黄志强", "东港市人民医院", "正高级", "13907710003", "线上参会", ["生物医药", "人工智能"], nil),
        ("吴思远", "云海理工学院", "中级", "13907710004", "现场参会", ["人工智能"], nil),
        ("郑美玲", "云海绿源新材料有限公司", "副高级", "13907710005", "现场参会", ["新材料"], "2026-05-14"),
        ("王建国", "云海省热带作物研究所", "正高级", "13907710006", "线上参会", ["热带农业", "生物医药"], nil),
        ("李文博", "云海能源集团", "中级", "13907710007", "现场参会", ["海洋科技", "人工智能", "新材料"], "2026-05-15"),
        ("周晓燕", "青石县科学技术协会", "初级", "13907710008", "现场参会", ["热带农业"], nil),
    ]

    static func load(on db: any Database, services: PlatformServices) async throws {
        guard let province = try await Organization.query(on: db).filter(\.$parentID == nil).sort(\.$createdAt).first(),
            let admin = try await User.query(on: db).filter(\.$username == "demo.orgadmin").first()
        else { return }
        let provinceID = try province.requireID()
        let adminID = try admin.requireID()
        let now = services.clock()

        let conference = PlatformForm(
            organizationID: provinceID, title: "2026年学术年会参会报名表",
            details: "2026年云海省科协学术年会定于5月15日至16日在东港市举行，请于4月30日前填写报名。", createdBy: adminID)
        conference.status = .published
        conference.currentVersion = 1
        try await conference.create(on: db)
        let version = try FormVersion(formID: try conference.requireID(), version: 1, definition: registration)
        version.publishedAt = now
        try await version.create(on: db)

        let submitters = try await User.query(on: db).filter(\.$username ~~ ["demo.member", "demo.expert", "demo.staff"]).all()
        let service = FormService(db: db, services: services)
        for (index, person) in people.enumerated() {
            var raw: [String: [String]] = [
                "name": [person.0], "employer": [person.1], "title": [person.2], "mobile": [person.3], "attendance": [person.4],
                "topics": person.5, "consent": ["on"], "email": ["demo\(index + 1)@example.cn"], "companions": [String(index % 3)],
            ]
            if person.4 == "现场参会" {
                raw["lodging"] = [person.6 == nil ? "不需要" : "需要"]
                if let arrival = person.6 { raw["arrival"] = [arrival] }
            }
            let submitter = submitters.isEmpty ? nil : try submitters[index % submitters.count].requireID()
            switch try await service.submit(try conference.requireID(), raw, owner: .fillPage, submitter: submitter) {
            case .failure(let errors):
                throw PlatformError.formDefinitionInvalid(errors.fields.map { "\($0.key)：\($0.message)" })
            case .success(let id):
                // Spread over the days before the demo's "now", oldest first, as people sign up over time.
                if let submission = try await FormSubmission.find(id, on: db) {
                    submission.submittedAt = now.addingTimeInterval(Double(index - people.count) * 86_400 + Double(index) * 2_400)
                    try await submission.update(on: db)
                }
            }
        }

        let annual = PlatformForm(
            organizationID: provinceID, title: "学会年度工作报告（年审）",
            details: "省级学会年度检查用表，由各学会秘书处于次年3月底前填报。", createdBy: adminID)
        try await annual.create(on: db)
        try await FormVersion(formID: try annual.requireID(), version: 1, definition: annualReturn).create(on: db)
    }
}
