import XCTest

@testable import KexieKit

final class CaseRouterTests: XCTestCase {
    let rules = [
        RoutingRule(id: "popularization", keywords: ["科普", "科普基地", "科技馆"], targetUnitID: "unit-kepu", priority: 0),
        RoutingRule(
            id: "talent", caseTypes: ["consultation", "complaint"], keywords: ["职称", "人才评价", "青年人才托举"], targetUnitID: "unit-rencai",
            priority: 0),
        RoutingRule(id: "ip", keywords: ["知识产权", "专利"], targetUnitID: "unit-ip", priority: 5),
        RoutingRule(id: "ai", keywords: ["AI", "人工智能"], targetUnitID: "unit-ai", priority: 0),
    ]

    func testKeywordInsideAnUnsegmentedSentence() {
        let decision = CaseRouter.route(
            type: "consultation", title: "关于申报省级科普基地的咨询", content: "请问今年的申报截止时间？", rules: rules)
        XCTAssertEqual(decision.targetUnitID, "unit-kepu")
        XCTAssertEqual(decision.match?.matchedKeywords, ["科普", "科普基地"])
        XCTAssertEqual(decision.explanation, "命中关键词：科普、科普基地（规则 popularization）")
        XCTAssertFalse(decision.needsManualDispatch)
    }

    func testNoMatchGoesToTheOffice() {
        let decision = CaseRouter.route(type: "consultation", title: "会费缴纳", content: "怎么开发票？", rules: rules)
        XCTAssertNil(decision.match)
        XCTAssertTrue(decision.needsManualDispatch)
        XCTAssertEqual(decision.explanation, "未命中分办规则，转办公室人工分办")
        XCTAssertTrue(CaseRouter.route(type: "x", title: "科普", content: "", rules: []).needsManualDispatch)
    }

    func testPriorityBeatsNumberOfMatches() {
        // Two popularization keywords against one IP keyword: the IP rule has higher priority.
        let decision = CaseRouter.route(
            type: "consultation", title: "科技馆科普展品的专利问题", content: "", rules: rules)
        XCTAssertEqual(decision.match?.rule.id, "ip")
        XCTAssertEqual(decision.candidates.map(\.rule.id), ["ip", "popularization"])
    }

    func testEqualPriorityFallsToNumberOfMatchesThenId() {
        let decision = CaseRouter.route(
            type: "consultation", title: "职称评审与人才评价", content: "另：科普活动场地", rules: rules)
        XCTAssertEqual(decision.match?.rule.id, "talent")
        XCTAssertEqual(decision.match?.matchedKeywords, ["职称", "人才评价"])
        let tie = CaseRouter.route(type: "consultation", title: "职称", content: "科普", rules: rules)
        XCTAssertEqual(tie.candidates.map(\.rule.id), ["popularization", "talent"])
        let reversed = CaseRouter.route(type: "consultation", title: "职称", content: "科普", rules: rules.reversed())
        XCTAssertEqual(reversed.match?.rule.id, "popularization")
    }

    func testCaseTypeRestrictsARule() {
        let decision = CaseRouter.route(type: "suggestion", title: "职称评审建议", content: "", rules: rules)
        XCTAssertNil(decision.match)
    }

    func testFullWidthAndCaseAreFolded() {
        let decision = CaseRouter.route(type: "x", title: "ＡＩ辅助诊断的伦理问题", content: "", rules: rules)
        XCTAssertEqual(decision.match?.rule.id, "ai")
        XCTAssertEqual(decision.match?.matchedKeywords, ["AI"])
    }

    func testLatinKeywordsMatchWholeWordsOnly() {
        XCTAssertNil(CaseRouter.route(type: "x", title: "邮箱 email 无法登录", content: "", rules: rules).match)
        XCTAssertEqual(CaseRouter.route(type: "x", title: "关于ai大模型", content: "", rules: rules).match?.rule.id, "ai")
        XCTAssertEqual(CaseRouter.route(type: "x", title: "AI-for-science 项目", content: "", rules: rules).match?.rule.id, "ai")
    }

    func testKeywordSplitByLineBreakOrPunctuationStillMatches() {
        let decision = CaseRouter.route(type: "x", title: "", content: "涉及知识\n产权纠纷", rules: rules)
        XCTAssertEqual(decision.match?.rule.id, "ip")
        let keywordWithSpace = [RoutingRule(id: "r", keywords: ["青年 人才"], targetUnitID: "u")]
        XCTAssertEqual(CaseRouter.route(type: "x", title: "青年人才计划", content: "", rules: keywordWithSpace).targetUnitID, "u")
    }

    func testTitleAndContentAreSearchedSeparately() {
        // Title ends with 科, content starts with 普: not the word 科普.
        let rule = [RoutingRule(id: "k", keywords: ["科普"], targetUnitID: "u")]
        XCTAssertNil(CaseRouter.route(type: "x", title: "学科", content: "普及工作", rules: rule).match)
    }

    func testEmptyAndPunctuationOnlyKeywordsNeverMatch() {
        let rule = [RoutingRule(id: "k", keywords: ["", "，。"], targetUnitID: "u")]
        XCTAssertNil(CaseRouter.route(type: "x", title: "任何内容，。", content: "", rules: rule).match)
    }
}
