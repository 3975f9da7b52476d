import Fluent
import Foundation
import KexieKit

/// The demo province's publicity: the province's 2026 commendation list, running from two days before
/// the demo's today, with two objections (one rejected after an investigation, one just received).
enum PublicityDemo {
    static let title = "云海省科协系统2026年度先进集体和先进个人拟表彰名单公示"
    /// The owner: a commendation the province's office runs outside any module.
    static let ownerID = UUID(uuidString: "5C0FFEE0-2026-4000-8000-000000000001") ?? UUID()

    static let items: [(label: String, detail: String, outcome: String)] = [
        ("东港市科学技术协会", "东港市", "拟表彰为先进集体"),
        ("云海大学科学技术协会", "高校科协", "拟表彰为先进集体"),
        ("云海省农学会", "省级学会", "拟表彰为先进集体"),
        ("林海燕", "青石县科学技术协会 · 科普工作", "拟表彰为先进个人"),
        ("陈志远", "云海大学 · 材料科学与工程", "拟表彰为先进个人"),
        ("王晓春", "东港市第一人民医院 · 临床医学", "拟表彰为先进个人"),
        ("李德明", "白沙县农业技术推广中心 · 农业推广", "拟表彰为先进个人"),
        ("赵静怡", "云海省科技馆 · 科普展教", "拟表彰为先进个人"),
    ]

    static func load(on db: any Database, services: PlatformServices) async throws {
        guard try await PublicityRecord.query(on: db).count() == 0,
            let province = try await Organization.query(on: db).filter(\.$name == "云海省科学技术协会").first(),
            let admin = try await User.query(on: db).filter(\.$username == "demo.orgadmin").first()
        else { return }
        let actor = try await Actor.load(user: admin, preferredGrantID: nil, catalog: services.registry.roles, on: db)
        let today = Day.today(now: services.clock())
        let service = PublicityService(db: db, services: services)
        let id = try await service.open(
            PublicityDraft(
                owner: PublicityOwner(module: "platform", kind: "commendation", id: ownerID), organizationID: try province.requireID(),
                title: title,
                summary: """
                    根据《云海省科协系统先进集体和先进个人评选表彰办法》，经各单位推荐、资格审查和评审委员会评审，\
                    拟对以下3个先进集体和5名先进个人予以表彰，现予公示。

                    公示期内，任何单位和个人对公示对象有异议的，可在本页面实名提出，并写明事实和理由。
                    """,
                items: items.enumerated().map { index, item in
                    PublicityItemDraft(
                        ownerItemID: UUID(uuidString: String(format: "5C0FFEE0-2026-4000-8000-%012d", index + 2)) ?? UUID(),
                        label: item.label, detail: item.detail, outcome: item.outcome)
                },
                startsOn: today.adding(days: -2), workingDays: 5, ownerLink: nil),
            by: actor)
        let itemIDs = try await service.itemRecords(id).map { try $0.requireID() }
        // Filed yesterday, investigated and decided this morning; the second one two hours ago.
        let now = services.clock()
        func at(hoursAgo: Double) -> PublicityService {
            PublicityService(db: db, services: services.with(clock: { now.addingTimeInterval(-hoursAgo * 3600) }))
        }
        let rejected = try await at(hoursAgo: 26).file(
            id,
            .init(
                name: "周建国", contact: "13907550001",
                content: "陈志远同志2025年在外单位兼职，所报业绩中有两项成果的第一完成单位不是云海大学，请核实。", itemID: itemIDs[4].uuidString,
                consent: true))
        try await at(hoursAgo: 6).addNote(
            try rejected.requireID(), note: "已调阅成果登记材料并向云海大学科研处核实：两项成果第一完成单位均为云海大学，兼职经单位批准。", actor: actor)
        try await at(hoursAgo: 4).decide(
            try rejected.requireID(), verdict: .rejected, reason: "经核实，所报成果第一完成单位为云海大学，兼职经所在单位批准，不影响评选。",
            withdraw: false, actor: actor)
        _ = try await at(hoursAgo: 2).file(
            id,
            .init(
                name: "吴晓丽", contact: "wuxiaoli@example.cn",
                content: "建议核实李德明同志所报推广面积数据，与县农业农村局公布的数字不一致。", itemID: itemIDs[6].uuidString, consent: true))
    }
}
