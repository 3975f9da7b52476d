import XCTest

@testable import KexieKit

/// The review engine's pure parts: avoidance, the recorded draw, indicator totals, aggregation, ranking
/// with ties, and the two-thirds vote.
final class ReviewEngineTests: XCTestCase {
    static let candidates = [
        ReviewCandidate(id: "c1", people: ["p-lin"], employers: ["云海大学"], nominatingOrganization: "云海省橡胶学会"),
        ReviewCandidate(id: "c2", people: ["p-wang", "p-zhao"], employers: ["云海省热带农业科学院", "海城职业技术学院"]),
    ]

    func testEachAvoidanceRuleNamesItsReason() {
        let c1 = Self.candidates[0]
        XCTAssertEqual(ReviewAvoidance.conflicts(ReviewerProfile(id: "r1", employer: "云海 大学", fields: ["a"]), c1), [.sameEmployer])
        XCTAssertEqual(
            ReviewAvoidance.conflicts(ReviewerProfile(id: "r2", employer: "云海省橡胶学会", fields: ["a"]), c1), [.nominatingOrganization])
        XCTAssertEqual(ReviewAvoidance.conflicts(ReviewerProfile(id: "p-lin", employer: "另一单位", fields: ["a"]), c1), [.isCandidate])
        XCTAssertEqual(
            ReviewAvoidance.conflicts(ReviewerProfile(id: "r3", employer: "另一单位", fields: ["a"], declared: ["p-lin"]), c1), [.declared])
        XCTAssertEqual(
            ReviewAvoidance.conflicts(ReviewerProfile(id: "r4", employer: "云海大学（海城校区）", fields: ["a"]), c1), [],
            "a different campus is another employer")
        XCTAssertEqual(ReviewAvoidance.conflicts(ReviewerProfile(id: "r5", employer: "另一单位", fields: ["a"]), c1), [])
    }

    /// A pool where about half the reviewers conflict with someone: over thousands of seeds no drawn
    /// reviewer ever conflicts, every conflicting one met is recorded, and the same seed draws the same panel.
    func testNoDrawnReviewerEverConflictsOverThousandsOfSeeds() {
        let employers = ["云海大学", "云海省热带农业科学院", "海城职业技术学院", "云海理工学院", "云海省农业农村厅", "云海省橡胶学会", "东港市人民医院", "西林市农科所"]
        var pool: [ReviewerProfile] = []
        for index in 0..<60 {
            let declared: Set<String> = index % 11 == 0 ? ["p-zhao"] : []
            pool.append(
                ReviewerProfile(
                    id: index == 7 ? "p-wang" : String(format: "r%02d", index), employer: employers[index % employers.count],
                    fields: index % 3 == 0 ? ["0903", "0904"] : ["0903"], declared: declared))
        }
        var sizes: [Int: Int] = [:]
        var passedOver = 0
        for seed in UInt64(1)...3000 {
            let draw = ReviewDraw.draw(count: 7, field: "0903", from: pool, for: Self.candidates, seed: seed)
            sizes[draw.drawn.count, default: 0] += 1
            XCTAssertEqual(Set(draw.drawn).count, draw.drawn.count)
            for id in draw.drawn {
                let reviewer = pool.first { $0.id == id }!
                for candidate in Self.candidates {
                    XCTAssertEqual(ReviewAvoidance.conflicts(reviewer, candidate), [], "seed \(seed): \(id) conflicts with \(candidate.id)")
                }
            }
            for skipped in draw.skipped { XCTAssertFalse(draw.drawn.contains(skipped.reviewer)) }
            passedOver += draw.skipped.count
        }
        XCTAssertGreaterThan(passedOver, 3000, "conflicting reviewers came up and were passed over")
        XCTAssertEqual(sizes, [7: 3000], "the pool always had enough reviewers without conflicts")
        let again = ReviewDraw.draw(count: 7, field: "0903", from: pool.reversed(), for: Self.candidates, seed: 42)
        XCTAssertEqual(
            again, ReviewDraw.draw(count: 7, field: "0903", from: pool, for: Self.candidates, seed: 42), "pool order does not matter")
        XCTAssertNotEqual(
            ReviewDraw.draw(count: 7, field: "0903", from: pool, for: Self.candidates, seed: 42).drawn,
            ReviewDraw.draw(count: 7, field: "0903", from: pool, for: Self.candidates, seed: 43).drawn)
    }

    func testARedrawPassesTheWithdrawnAndAShortPoolSaysHowShort() {
        let pool = [
            ReviewerProfile(id: "r1", employer: "甲单位", fields: ["x"]), ReviewerProfile(id: "r2", employer: "乙单位", fields: ["x"]),
            ReviewerProfile(id: "r3", employer: "云海大学", fields: ["x"]), ReviewerProfile(id: "r4", employer: "丙单位", fields: ["y"]),
        ]
        let draw = ReviewDraw.draw(count: 3, field: "x", from: pool, for: [Self.candidates[0]], seed: 9)
        XCTAssertEqual(Set(draw.drawn), ["r1", "r2"])
        XCTAssertEqual(draw.shortBy, 1)
        XCTAssertEqual(draw.skipped, [ReviewDraw.Skipped(reviewer: "r3", candidate: "c1", reasons: [.sameEmployer])])
        let redraw = ReviewDraw.draw(count: 1, field: "x", from: pool, for: [Self.candidates[0]], seed: 10, excluded: ["r1"])
        XCTAssertEqual(redraw.drawn, ["r2"])
    }

    func testIndicatorTotalsAreCheckedAgainstTheirWeights() throws {
        let tree = try IndicatorTree([
            .init(key: "innovation", label: "创新性", weight: 30), .init(key: "contribution", label: "贡献", weight: 40),
            .init(key: "impact", label: "影响", weight: 30),
        ])
        XCTAssertEqual(try tree.total(["innovation": 27, "contribution": 35.5, "impact": 22]), Decimal(string: "84.5"))
        XCTAssertThrowsError(try tree.total(["innovation": 31, "contribution": 35, "impact": 22])) {
            XCTAssertEqual($0 as? IndicatorTree.Problem, .outOfRange(key: "innovation", max: 30))
        }
        XCTAssertThrowsError(try tree.total(["innovation": 20, "contribution": 35])) {
            XCTAssertEqual($0 as? IndicatorTree.Problem, .missing("impact"))
        }
        XCTAssertThrowsError(try IndicatorTree([.init(key: "a", label: "A", weight: 60), .init(key: "b", label: "B", weight: 30)])) {
            XCTAssertEqual($0 as? IndicatorTree.Problem, .weightsDoNotAddUpTo100(90))
        }
    }

    func testTheTrimmedMeanDropsTheHighestAndLowestOnlyWithMoreThanThreeScores() {
        let five: [Decimal] = [92, 60, 85, 88, 99]
        XCTAssertEqual(ScoreAggregation.mean.aggregate(five), Decimal(string: "84.8"))
        XCTAssertEqual(ScoreAggregation.trimmedMean.aggregate(five), Decimal(string: "88.33"), "(85 + 88 + 92) / 3")
        XCTAssertEqual(ScoreAggregation.trimmedMean.aggregate([90, 60, 75]), 75, "three scores are all kept")
        XCTAssertEqual(ScoreAggregation.trimmedMean.aggregate([80, 80, 80, 80]), 80)
        XCTAssertNil(ScoreAggregation.mean.aggregate([]))
    }

    func testEqualScoresShareARankAndTheNextRankSkips() {
        let ranking = ReviewRanking(scores: ["c-a": 88.5, "c-b": 91, "c-c": 88.5, "c-d": 70, "c-e": nil])
        XCTAssertEqual(ranking.entries.map(\.candidate), ["c-b", "c-a", "c-c", "c-d"])
        XCTAssertEqual(ranking.entries.map(\.rank), [1, 2, 2, 4])
        XCTAssertEqual(ranking.entries[1].tiedWith, ["c-c"])
        XCTAssertEqual(ranking.entries[1].tieExplanation(names: ["c-c": "王海"]), "与王海并列第 2 名（得分均为 88.50）")
        XCTAssertNil(ranking.entries[0].tieExplanation(names: [:]))
    }

    func testAVotePassesWithStrictlyMoreThanTwoThirds() {
        XCTAssertTrue(VotingRule.passes(yes: 7, cast: 10))
        XCTAssertFalse(VotingRule.passes(yes: 6, cast: 9), "exactly two thirds is not more than two thirds")
        XCTAssertTrue(VotingRule.passes(yes: 7, cast: 9))
        XCTAssertFalse(VotingRule.passes(yes: 0, cast: 0))
    }

    /// 500 candidates × 5 reviewers aggregate and rank well within the second.
    func testFiveHundredCandidatesAggregateAndRankQuickly() {
        var random = SeededRandom(seed: 5)
        var totals: [String: [Decimal]] = [:]
        for candidate in 0..<500 {
            totals[String(format: "c%03d", candidate)] = (0..<5).map { _ in Decimal(random.int(6000..<10_000)) / 100 }
        }
        let started = Date()
        let ranking = ReviewRanking(scores: totals.mapValues { ScoreAggregation.trimmedMean.aggregate($0) })
        XCTAssertEqual(ranking.entries.count, 500)
        XCTAssertLessThan(Date().timeIntervalSince(started), 1)
        XCTAssertTrue(zip(ranking.entries, ranking.entries.dropFirst()).allSatisfy { $0.score >= $1.score })
    }
}
