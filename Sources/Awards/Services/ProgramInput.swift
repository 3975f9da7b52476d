import Foundation
import KexieKit
import Platform

/// A program as sent by the form or the API, before checking. Every field is optional here so that all
/// problems are reported at once; `draft(today:)` fills the defaults the API leaves out and bounds every
/// number.
struct ProgramInput: Codable, Sendable {
    struct Channel: Codable, Sendable {
        var organizationId: UUID?
        var kind: String?
        var quota: Int?
    }

    var name: String?
    var year: Int?
    var kind: String?
    var candidateKind: String?
    var summary: String?
    var maxAge: Int?
    var ageReferenceDate: String?
    var minDegree: String?
    var minTitleLevel: String?
    var regions: [String]?
    var membersOnly: Bool?
    var womenOnly: Bool?
    var excludeLaureates: Bool?
    var applyOpensOn: String?
    var applyClosesOn: String?
    var nominateClosesOn: String?
    var checkClosesOn: String?
    var reviewClosesOn: String?
    var publicityDays: Int?
    var laureateCount: Int?
    var reviewersPerCandidate: Int?
    var blind: Bool?
    var aggregation: String?
    var supportYears: Int?
    var formId: UUID?
    var attachments: [String]?
    var channels: [Channel]?

    /// The order fields are reported in (the page's order).
    static let order = [
        "name", "year", "kind", "candidateKind", "summary", "maxAge", "ageReferenceDate", "minDegree", "minTitleLevel", "regions",
        "applyOpensOn", "applyClosesOn", "nominateClosesOn", "checkClosesOn", "reviewClosesOn", "publicityDays", "laureateCount",
        "reviewersPerCandidate", "aggregation", "supportYears", "formId", "attachments", "channels",
    ]

    /// The checked draft, or every problem at once (`InvalidFields`, 422, each named by its key).
    func draft(today: Day) throws -> ProgramDraft {
        var errors = FieldErrors()
        let name = (name ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...100).contains(name.count) { errors.add("name", "项目名称为 2 至 100 字") }
        let year = year ?? today.year
        if !(2000...2100).contains(year) { errors.add("year", "年度应在 2000 至 2100 之间") }
        let kind = AwardProgram.Kind(rawValue: kind ?? "award")
        if kind == nil { errors.add("kind", "类别应为 award、talent、competition 或 title") }
        let candidateKind = AwardProgram.CandidateKind(rawValue: candidateKind ?? "person")
        if candidateKind == nil { errors.add("candidateKind", "候选对象应为 person、organization 或 entry") }
        let summary = (summary ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.count > 5000 { errors.add("summary", "项目说明不超过 5000 字") }
        if let maxAge, !(18...80).contains(maxAge) { errors.add("maxAge", "年龄上限应在 18 至 80 周岁之间") }
        let reference = day(ageReferenceDate, "ageReferenceDate", &errors)
        let minDegree = minDegree.map { Degree(rawValue: $0) }
        if case .some(nil) = minDegree { errors.add("minDegree", "学位要求应为 doctor、master 或 bachelor") }
        let minLevel = minTitleLevel.map { TitleLevel(rawValue: $0) }
        if case .some(nil) = minLevel { errors.add("minTitleLevel", "职称要求应为 senior、associate_senior、intermediate 或 junior") }
        let regions = (regions ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if regions.count > 20 || regions.contains(where: { $0.count > 30 }) { errors.add("regions", "地区最多 20 个，每个不超过 30 字") }

        let opens = day(applyOpensOn, "applyOpensOn", &errors) ?? today
        let closes = day(applyClosesOn, "applyClosesOn", &errors) ?? opens.adding(days: 30)
        let nominate = day(nominateClosesOn, "nominateClosesOn", &errors) ?? closes.adding(days: 15)
        let check = day(checkClosesOn, "checkClosesOn", &errors) ?? nominate.adding(days: 15)
        let review = day(reviewClosesOn, "reviewClosesOn", &errors) ?? check.adding(days: 30)
        if closes < opens { errors.add("applyClosesOn", "申报截止日期不能早于开始日期") }
        if nominate < closes { errors.add("nominateClosesOn", "推荐截止日期不能早于申报截止日期") }
        if check < nominate { errors.add("checkClosesOn", "形式审查截止日期不能早于推荐截止日期") }
        if review < check { errors.add("reviewClosesOn", "评审截止日期不能早于形式审查截止日期") }

        let publicityDays = publicityDays ?? 5
        if !(1...30).contains(publicityDays) { errors.add("publicityDays", "公示期为 1 至 30 个工作日") }
        let laureateCount = laureateCount ?? 10
        if !(1...1000).contains(laureateCount) { errors.add("laureateCount", "入选名额为 1 至 1000") }
        let reviewers = reviewersPerCandidate ?? 5
        if !(1...15).contains(reviewers) { errors.add("reviewersPerCandidate", "每位候选人的评审专家为 1 至 15 人") }
        let aggregation = ScoreAggregation(rawValue: aggregation ?? ScoreAggregation.trimmedMean.rawValue)
        if aggregation == nil { errors.add("aggregation", "汇总方式应为 mean 或 trimmed_mean") }
        let supportYears = supportYears ?? 0
        if !(0...5).contains(supportYears) { errors.add("supportYears", "托举年限为 0 至 5 年") }
        let attachments = (attachments ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if attachments.count > 10 || attachments.contains(where: { $0.count > 50 }) { errors.add("attachments", "附件要求最多 10 项，每项不超过 50 字") }

        var channels: [ProgramDraft.ChannelDraft] = []
        for (index, channel) in (self.channels ?? []).enumerated() {
            guard let organizationID = channel.organizationId else {
                errors.add("channels[\(index)].organizationId", "请选择推荐单位")
                continue
            }
            let quota = channel.quota ?? 0
            if !(1...500).contains(quota) { errors.add("channels[\(index)].quota", "推荐名额为 1 至 500") }
            guard let kind = AwardChannel.Kind(rawValue: channel.kind ?? "other") else {
                errors.add("channels[\(index)].kind", "推荐渠道类别应为 society、city、university、experts 或 other")
                continue
            }
            channels.append(.init(organizationID: organizationID, kind: kind, quota: quota))
        }
        if (self.channels ?? []).count > 100 { errors.add("channels", "推荐渠道最多 100 个") }

        guard errors.isEmpty, let kind, let candidateKind, let aggregation else {
            throw InvalidFields(errors, order: Self.order + errors.messages.keys.sorted())
        }
        let rules = EligibilityRules(
            maxAge: maxAge, ageReferenceDate: reference, minDegree: minDegree ?? nil, minTitleLevel: minLevel ?? nil, regions: regions,
            membersOnly: membersOnly ?? false, womenOnly: womenOnly ?? false, excludeLaureates: excludeLaureates ?? true)
        return ProgramDraft(
            name: name, year: year, kind: kind, candidateKind: candidateKind, summary: summary, rules: rules, applyOpensOn: opens,
            applyClosesOn: closes, nominateClosesOn: nominate, checkClosesOn: check, reviewClosesOn: review, publicityDays: publicityDays,
            laureateCount: laureateCount, indicators: try ProgramDraft.standardIndicators(), aggregation: aggregation,
            blind: blind ?? false,
            reviewersPerCandidate: reviewers, supportYears: supportYears, formID: formId, attachments: attachments, channels: channels)
    }

    private func day(_ text: String?, _ key: String, _ errors: inout FieldErrors) -> Day? {
        guard let text else { return nil }
        guard let day = Day(text), (2000...2100).contains(day.year) else {
            errors.add(key, "日期格式应为 YYYY-MM-DD")
            return nil
        }
        return day
    }
}
