import XCTest

@testable import KexieKit

final class MatchIndexTests: XCTestCase {
    func supply(
        _ id: RecordID, _ title: String, _ description: String = "", industry: Character? = nil,
        region: String? = nil, trl: Int? = nil, field: String? = nil
    ) -> MatchProfile {
        MatchProfile(
            id: id, kind: .supply, title: title, description: description,
            industry: industry.flatMap { IndustrySection(letter: $0) }, field: field, readinessLevel: trl,
            region: region.flatMap { Region(parsing: $0) })
    }

    func demand(
        _ title: String, _ description: String = "", industry: Character? = nil,
        region: String? = nil, trl: Int? = nil, field: String? = nil
    ) -> MatchProfile {
        MatchProfile(
            id: "d", kind: .demand, title: title, description: description,
            industry: industry.flatMap { IndustrySection(letter: $0) }, field: field, readinessLevel: trl,
            region: region.flatMap { Region(parsing: $0) })
    }

    /// Background postings so that idf behaves as in a real collection.
    var background: [MatchProfile] {
        [
            supply(100, "海水网箱养殖石斑鱼", "深远海养殖装备与投喂系统", industry: "A"),
            supply(101, "城市污水处理膜生物反应器", "低能耗污水处理工艺", industry: "N"),
            supply(102, "植保无人机精准施药", "热带果园病虫害绿色防控", industry: "A"),
            supply(103, "工业机器人视觉定位", "基于深度学习的零件识别", industry: "C"),
            supply(104, "可降解聚乳酸薄膜", "全生物降解地膜", industry: "C"),
            supply(105, "光伏组件清洗机器人", "光伏电站运维", industry: "D"),
        ]
    }

    func testTextRelevanceOrdersCandidates() {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "高镍三元正极材料制备", "用于动力电池的高镍正极材料，能量密度高"),
                supply(2, "电池包结构件冲压", "汽车零部件冲压工艺"),
            ])
        let ranked = index.rank(demand("动力电池正极材料"))
        XCTAssertEqual(ranked.first?.id, 1)
        XCTAssertEqual(ranked.map(\.score), ranked.map(\.score).sorted(by: >))
        XCTAssertFalse(ranked.contains { $0.id == 100 })
    }

    func testSynonymsMatchWithoutSharedCharacters() {
        let index = MatchIndex(candidates: background + [supply(1, "储能电芯热失控预警", "电芯温度与气体在线监测")])
        let ranked = index.rank(demand("锂离子电池安全"))
        XCTAssertEqual(ranked.first?.id, 1)
        XCTAssertTrue(ranked.first?.reasons.contains("相关概念：锂离子电池≈储能电芯（动力电池）") == true, "\(ranked)")
    }

    func testContextSeparatesTheSensesOfRubber() {
        let plantation = supply(1, "橡胶树气刺微割采胶技术", "降低胶工割胶强度，提高胶园产胶量", industry: "A")
        let tyres = supply(2, "废旧轮胎再生橡胶连续脱硫", "胶粉常压脱硫生产再生胶", industry: "C")
        let index = MatchIndex(candidates: background + [plantation, tyres])

        let farmer = index.rank(demand("橡胶割胶效率低", "我们胶园缺少胶工", industry: "A"))
        XCTAssertEqual(farmer.first?.id, 1)
        let recycler = index.rank(demand("橡胶回收利用", "公司每年产生大量废旧轮胎", industry: "C"))
        XCTAssertEqual(recycler.first?.id, 2)
        if let wrongSense = recycler.first(where: { $0.id == 1 }) {
            XCTAssertTrue(wrongSense.reasons.contains { $0.hasPrefix("词义不同已降权：橡胶") })
        }
    }

    func testIndustryDecidesTheSenseOfABareWord() {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "橡胶园间作技术", "橡胶林下种植", industry: "A"),
                supply(2, "橡胶密封件配方", "耐油橡胶制品", industry: "C"),
            ])
        XCTAssertEqual(index.rank(demand("橡胶", industry: "C")).first?.id, 2)
        XCTAssertEqual(index.rank(demand("橡胶", industry: "A")).first?.id, 1)
    }

    func testTitleOnlyPostingsAreMatched() {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "芒果采后保鲜"),
                supply(2, "热带水果加工", "芒果、菠萝等热带水果果汁、果干加工，兼顾采后处理，保鲜期延长至三十天以上的多种工艺组合"),
            ])
        let ranked = index.rank(demand("芒果保鲜"))
        XCTAssertEqual(ranked.first?.id, 1)
        XCTAssertEqual(Set(ranked.map(\.id)), [1, 2])
    }

    func testExplanationsNameSharedKeywordsIndustryRegionAndReadiness() throws {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "动力电池正极材料", "高镍正极材料", industry: "C", region: "460100", trl: 7, field: "430")
            ])
        let match = try XCTUnwrap(index.rank(demand("动力电池正极材料需求", industry: "C", region: "海口市", trl: 6, field: "430.20")).first)
        XCTAssertEqual(match.reasons.first, "共同关键词：动力电池正极材料")
        XCTAssertTrue(match.reasons.contains("行业相同：制造业"))
        XCTAssertTrue(match.reasons.contains("同一地区：海口市"))
        XCTAssertTrue(match.reasons.contains("学科相同：430"))
        XCTAssertTrue(match.reasons.contains("技术成熟度：TRL 7，满足需求（不低于 TRL 6）"))
    }

    func testSharedKeywordsAreRebuiltFromBigramRuns() throws {
        let index = MatchIndex(candidates: background + [supply(1, "动力电池与正极材料回收")])
        let match = try XCTUnwrap(index.rank(demand("动力电池正极材料")).first)
        XCTAssertEqual(match.reasons.first, "共同关键词：动力电池、正极材料")
    }

    func testFactorsReorderEquallyRelevantCandidates() {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "槟榔黄化病防控", region: "广东省广州市"),
                supply(2, "槟榔黄化病防控", region: "海南省万宁市"),
                supply(3, "槟榔黄化病防控", region: "海南省海口市"),
            ])
        XCTAssertEqual(index.rank(demand("槟榔黄化病", region: "海口市")).map(\.id), [3, 2, 1])
    }

    func testReadinessBelowTheDemandLowersTheScore() {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "海水淡化反渗透膜", trl: 3),
                supply(2, "海水淡化反渗透膜", trl: 8),
            ])
        XCTAssertEqual(index.rank(demand("海水淡化", trl: 7)).prefix(2).map(\.id), [2, 1])
    }

    func testUnrelatedCandidatesAreNotReturned() {
        let index = MatchIndex(candidates: background)
        XCTAssertTrue(index.rank(demand("量子通信密钥分发")).isEmpty)
    }

    func testDemandsCanBeRankedForASupplyAndExpertsForADemand() {
        let demands = MatchIndex(candidates: [
            MatchProfile(id: "x", kind: .demand, title: "石斑鱼苗种病害", readinessLevel: 5),
            MatchProfile(id: "y", kind: .demand, title: "智能割胶机需求"),
        ])
        let offer = MatchProfile(id: 1, kind: .supply, title: "石斑鱼病害快速诊断", readinessLevel: 6)
        XCTAssertEqual(demands.rank(offer).first?.id, "x")
        XCTAssertTrue(demands.rank(offer).first?.reasons.contains("技术成熟度：TRL 6，满足需求（不低于 TRL 5）") == true)

        let experts = MatchIndex(candidates: [
            MatchProfile(id: "e1", kind: .expert, title: "张研究员", keywords: ["天然橡胶", "割胶技术"]),
            MatchProfile(id: "e2", kind: .expert, title: "李教授", keywords: ["锂离子电池", "电化学"]),
        ])
        XCTAssertEqual(experts.rank(demand("储能电芯寿命预测")).first?.id, "e2")
    }

    func testParallelBuildAndBatchRankingAgreeWithSequential() async {
        let candidates = background + (0..<50).map { supply(RecordID.integer(Int64($0)), "样品\($0)号割胶机", "割胶 胶园 \($0)") }
        let sequential = MatchIndex(candidates: candidates)
        let parallel = await MatchIndex.build(candidates: candidates)
        let queries = [demand("割胶机"), demand("污水处理"), demand("光伏运维")]
        let batched = await parallel.rank(queries)
        XCTAssertEqual(batched, queries.map { sequential.rank($0) })
    }
    func testABareAmbiguousWordFindsPostingsOfItsSenseThatNeverSayIt() throws {
        let index = MatchIndex(
            candidates: background + [
                supply(1, "电动割胶刀", industry: "A"),
                supply(2, "再生胶", industry: "C"),
            ])
        let farm = index.rank(demand("橡胶", industry: "A"))
        XCTAssertEqual(farm.map(\.id), [1])
        XCTAssertTrue(try XCTUnwrap(farm.first).reasons.contains("同一领域：橡胶（天然橡胶种植）"))
        XCTAssertEqual(index.rank(demand("橡胶", industry: "C")).map(\.id), [2])
    }

    func testAmbiguousWordWithoutContextIsNotPenalised() {
        let index = MatchIndex(candidates: background + [supply(1, "橡胶检测仪器")])
        let match = index.rank(demand("橡胶", industry: "A")).first
        XCTAssertEqual(match?.id, 1)
        XCTAssertFalse(match?.reasons.contains { $0.hasPrefix("词义不同") } ?? true)
    }

    func testAdministratorSynonymsTakeEffect() throws {
        let candidates = background + [supply(1, "沉香人工结香")]
        XCTAssertTrue(MatchIndex(candidates: candidates).rank(demand("奇楠收购")).isEmpty)
        let extended = ConceptDictionary.builtIn.merging(try ConceptDictionary(parsing: "沉香 = 奇楠 棋楠"))
        let ranked = MatchIndex(candidates: candidates, concepts: extended).rank(demand("奇楠收购"))
        XCTAssertEqual(ranked.first?.id, 1)
        XCTAssertTrue(ranked.first?.reasons.contains("相关概念：奇楠≈沉香（沉香）") == true, "\(ranked)")
    }

    func testSameProvinceIsExplainedWithTheProvinceName() throws {
        let index = MatchIndex(candidates: background + [supply(1, "椰子油冷榨", region: "海南省文昌市")])
        let match = try XCTUnwrap(index.rank(demand("椰子油", region: "三亚市")).first)
        XCTAssertTrue(match.reasons.contains("同省：海南省"), "\(match.reasons)")
    }
    func testLongQueriesAreCutToTheirStrongestTermsAndStillMatch() throws {
        var configuration = MatchConfiguration()
        configuration.maximumQueryTerms = 8
        let index = MatchIndex(candidates: background + [supply(1, "槟榔黄化病防控")], configuration: configuration)
        let filler = String(repeating: "我们公司位于海南，长期从事热带农业生产经营，", count: 5)
        XCTAssertEqual(try XCTUnwrap(index.rank(demand("槟榔黄化病", filler)).first).id, 1)
    }
}
