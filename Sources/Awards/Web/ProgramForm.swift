import Foundation
import KexieKit
import Platform
import Vapor

/// The new-program form as posted: text values, kept as typed when the form is shown again.
struct ProgramFormValues: Content, Sendable {
    static let channelRows = 6

    var name: String?
    var year: String?
    var kind: String?
    var candidateKind: String?
    var summary: String?
    var maxAge: String?
    var ageReferenceDate: String?
    var minDegree: String?
    var minTitleLevel: String?
    var regions: String?
    var membersOnly: String?
    var womenOnly: String?
    var excludeLaureates: String?
    var applyOpensOn: String?
    var applyClosesOn: String?
    var nominateClosesOn: String?
    var checkClosesOn: String?
    var reviewClosesOn: String?
    var publicityDays: String?
    var laureateCount: String?
    var reviewersPerCandidate: String?
    var blind: String?
    var aggregation: String?
    var supportYears: String?
    var formId: String?
    var attachments: String?
    var channel0: String?
    var channel0Kind: String?
    var channel0Quota: String?
    var channel1: String?
    var channel1Kind: String?
    var channel1Quota: String?
    var channel2: String?
    var channel2Kind: String?
    var channel2Quota: String?
    var channel3: String?
    var channel3Kind: String?
    var channel3Quota: String?
    var channel4: String?
    var channel4Kind: String?
    var channel4Quota: String?
    var channel5: String?
    var channel5Kind: String?
    var channel5Quota: String?

    static func defaults(today: Day) -> ProgramFormValues {
        var values = ProgramFormValues()
        values.year = String(today.year)
        values.kind = "award"
        values.candidateKind = "person"
        values.applyOpensOn = today.description
        values.applyClosesOn = today.adding(days: 30).description
        values.nominateClosesOn = today.adding(days: 45).description
        values.checkClosesOn = today.adding(days: 60).description
        values.reviewClosesOn = today.adding(days: 90).description
        values.publicityDays = "5"
        values.laureateCount = "10"
        values.reviewersPerCandidate = "5"
        values.aggregation = ScoreAggregation.trimmedMean.rawValue
        values.supportYears = "0"
        values.excludeLaureates = "on"
        return values
    }

    struct ChannelRow {
        let organization: String?
        let kind: String?
        let quota: String?
    }

    func channel(_ index: Int) -> ChannelRow {
        switch index {
        case 0: return .init(organization: channel0, kind: channel0Kind, quota: channel0Quota)
        case 1: return .init(organization: channel1, kind: channel1Kind, quota: channel1Quota)
        case 2: return .init(organization: channel2, kind: channel2Kind, quota: channel2Quota)
        case 3: return .init(organization: channel3, kind: channel3Kind, quota: channel3Quota)
        case 4: return .init(organization: channel4, kind: channel4Kind, quota: channel4Quota)
        default: return .init(organization: channel5, kind: channel5Kind, quota: channel5Quota)
        }
    }

    /// The same input the API takes; a number that is not one is sent as out of range so its field
    /// gets the range message.
    func input(channels: [ProgramInput.Channel]) -> ProgramInput {
        func number(_ text: String?) -> Int? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return Int(text) ?? -1
        }
        func given(_ text: String?) -> String? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func lines(_ text: String?) -> [String] {
            (text ?? "").split(whereSeparator: { $0.isNewline || $0 == "，" || $0 == "," || $0 == "、" }).map(String.init)
        }
        return ProgramInput(
            name: name, year: number(year), kind: kind, candidateKind: candidateKind, summary: summary, maxAge: number(maxAge),
            ageReferenceDate: given(ageReferenceDate), minDegree: given(minDegree), minTitleLevel: given(minTitleLevel),
            regions: lines(regions),
            membersOnly: membersOnly == "on", womenOnly: womenOnly == "on", excludeLaureates: excludeLaureates == "on",
            applyOpensOn: given(applyOpensOn), applyClosesOn: given(applyClosesOn), nominateClosesOn: given(nominateClosesOn),
            checkClosesOn: given(checkClosesOn), reviewClosesOn: given(reviewClosesOn), publicityDays: number(publicityDays),
            laureateCount: number(laureateCount),
            reviewersPerCandidate: number(reviewersPerCandidate), blind: blind == "on", aggregation: given(aggregation),
            supportYears: number(supportYears), formId: formId.flatMap { $0.isEmpty ? nil : UUID(uuidString: $0) },
            attachments: (attachments ?? "").split(whereSeparator: \.isNewline).map(String.init), channels: channels)
    }

    /// The API names channel problems `channels[N].quota`; the page's fields are `channelNQuota`.
    static func pageErrors(_ messages: [String: String]) -> [String: String] {
        var errors: [String: String] = [:]
        for (key, message) in messages {
            if key.hasPrefix("channels["), let close = key.firstIndex(of: "]") {
                let index = key[key.index(key.startIndex, offsetBy: 9)..<close]
                let field = key[key.index(after: close)...]
                errors[field == ".quota" ? "channel\(index)Quota" : field == ".kind" ? "channel\(index)Kind" : "channel\(index)"] = message
            } else {
                errors[key] = message
            }
        }
        return errors
    }

    static let labels: [String: String] = {
        var labels = [
            "name": "项目名称", "year": "年度", "kind": "类别", "candidateKind": "候选对象", "summary": "项目说明", "maxAge": "年龄上限",
            "ageReferenceDate": "年龄计算日", "minDegree": "学位要求", "minTitleLevel": "职称要求", "regions": "限定地区",
            "applyOpensOn": "申报开始", "applyClosesOn": "申报截止", "nominateClosesOn": "推荐截止", "checkClosesOn": "形式审查截止",
            "reviewClosesOn": "评审截止", "publicityDays": "公示期", "laureateCount": "入选名额", "reviewersPerCandidate": "每人评审专家数",
            "aggregation": "汇总方式", "supportYears": "托举年限", "formId": "申报表单", "attachments": "附件要求", "channels": "推荐渠道",
        ]
        for index in 0..<channelRows {
            labels["channel\(index)"] = "推荐单位 \(index + 1)"
            labels["channel\(index)Kind"] = "推荐渠道 \(index + 1) 类别"
            labels["channel\(index)Quota"] = "推荐渠道 \(index + 1) 名额"
        }
        return labels
    }()

    static var order: [String] {
        ProgramInput.order.filter { $0 != "channels" }
            + (0..<channelRows).flatMap { ["channel\($0)", "channel\($0)Kind", "channel\($0)Quota"] } + ["channels"]
    }
}
