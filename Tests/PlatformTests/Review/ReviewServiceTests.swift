import Fluent
import Foundation
import KexieKit
import XCTVapor

@testable import Platform

/// The review engine's service on real rows: the draw never puts a conflicting reviewer on a candidate
/// (many seeds), manual assignment refuses one with the reasons, a declared conflict is replaced by a
/// recorded redraw, scores are checked per indicator, aggregation is stored with its method, ties are
/// explained, voting needs more than two thirds, and 500 × 5 aggregates in well under a second.
final class ReviewServiceTests: ReviewTestCase {
    func testTheDrawNeverAssignsAConflictingReviewerOverManySeeds() async throws {
        let a = try await makeExpert("rev.a", name: "甲专家", employer: "云海大学")
        let b = try await makeExpert("rev.b", name: "乙专家", employer: "云海农科院")
        let c = try await makeExpert("rev.c", name: "丙专家", employer: "东港医院")
        let d = try await makeExpert(
            "rev.d", name: "丁专家", employer: "白沙中学",
            conflicts: [
                DeclaredConflict(kind: .employer, subjectID: nil, name: "青石农场", note: "曾在此任职")
            ])
        _ = try await makeExpert("rev.e", name: "戊专家", employer: "云海大学", field: "320")
        let orgadmin = try await actor("demo.orgadmin")
        for seed in UInt64(1)...UInt64(12) {
            let round = try await makeRound(reviewers: 2)
            // 1: same employer as 甲; 2: 乙 is the candidate; 3: 丁 declared 青石农场; 4: no conflict.
            let ids = try await service.addCandidates(
                round,
                [
                    candidate("候选一", employers: ["云海大学"]), candidate("候选二", people: [b.personID], employers: ["云海农科院"]),
                    candidate("候选三", employers: ["青石农场"]), candidate("候选四", employers: ["某公司"]),
                ], by: orgadmin)
            let short = try await service.draw(round, seed: seed &* 7919, by: orgadmin)
            let made = try await assignments(round)
            func on(_ index: Int) -> Set<UUID> { Set(made.filter { $0.candidateID == ids[index] }.map(\.personID)) }
            XCTAssertFalse(on(0).contains(a.personID), "seed \(seed): same employer")
            XCTAssertFalse(on(1).contains(b.personID), "seed \(seed): the candidate reviewing themselves")
            XCTAssertFalse(on(1).contains(a.personID) && on(1).contains(b.personID))
            XCTAssertFalse(on(2).contains(d.personID), "seed \(seed): declared employer")
            for index in 0..<4 { XCTAssertEqual(on(index).count, 2, "seed \(seed)") }
            XCTAssertEqual(short, 0, "seed \(seed): four reviewers of 210 are enough for two per candidate")
            XCTAssertEqual(made.count, 8)
            // 戊 works in 320 only: never drawn for 210.
            XCTAssertTrue(made.allSatisfy { $0.reviewerName != "戊专家" })
            // The record names who was passed over and why.
            let passed = try await ReviewDrawEntry.query(on: app.db).filter(\.$roundID == round).filter(\.$outcome == "passed_over").all()
            for entry in passed {
                XCTAssertFalse(entry.reasons.isEmpty)
                XCTAssertFalse(made.contains { $0.candidateID == entry.candidateID && $0.personID == entry.personID })
            }
            _ = c
        }
    }

    func testTheDrawIsRepeatableAndRecordsShortfalls() async throws {
        for (index, name) in ["甲", "乙", "丙"].enumerated() {
            try await makeExpert("rev.\(index)", name: name + "专家", employer: "单位\(index)")
        }
        let orgadmin = try await actor("demo.orgadmin")
        var panels: [[String]] = []
        for _ in 0..<2 {
            let round = try await makeRound(reviewers: 2)
            _ = try await service.addCandidates(round, [candidate("候选一"), candidate("候选二")], by: orgadmin)
            expectEqual(try await service.draw(round, seed: 42, by: orgadmin), 0)
            panels.append(
                try await assignments(round).sorted {
                    ($0.candidateID.uuidString, $0.reviewerName) < ($1.candidateID.uuidString, $1.reviewerName)
                }.map(\.reviewerName))
        }
        XCTAssertEqual(panels[0].sorted(), panels[1].sorted())
        // Five per candidate from a pool of three: short by two each.
        let round = try await makeRound(reviewers: 5)
        _ = try await service.addCandidates(round, [candidate("候选一"), candidate("候选二")], by: orgadmin)
        expectEqual(try await service.draw(round, seed: 7, by: orgadmin), 4)
        let shortRows = try await ReviewDrawEntry.query(on: app.db).filter(\.$roundID == round).filter(\.$outcome == "short").all()
        XCTAssertEqual(shortRows.map(\.reviewerName), ["缺 2 人", "缺 2 人"])
        // A second draw adds nobody (everyone is already on) and is recorded as draw 2.
        expectEqual(try await service.draw(round, seed: 8, by: orgadmin), 4)
        expectEqual(try await assignments(round).count, 6)
    }

    func testManualAssignmentRefusesAConflictWithTheReasons() async throws {
        let a = try await makeExpert("rev.a", name: "甲专家", employer: "云海大学")
        let b = try await makeExpert("rev.b", name: "乙专家", employer: "云海农科院")
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound()
        let ids = try await service.addCandidates(round, [candidate("候选一", people: [a.personID], employers: ["云海大学"])], by: orgadmin)
        do {
            _ = try await service.assign(round, candidateID: ids[0], expertEntryID: a.entryID, by: orgadmin)
            XCTFail("assigned a conflicting reviewer")
        } catch let error as ReviewError {
            XCTAssertEqual(error, .conflict([.sameEmployer, .isCandidate]))
            XCTAssertEqual(error.code, "platform.review_conflict")
            XCTAssertEqual(error.status, .conflict)
            XCTAssertEqual(error.fields?.keys.sorted(), ["is_candidate", "same_employer"])
        }
        let id = try await service.assign(round, candidateID: ids[0], expertEntryID: b.entryID, by: orgadmin)
        expectEqual(try await ReviewAssignmentRecord.find(id, on: app.db)?.source, .manual)
        do {
            _ = try await service.assign(round, candidateID: ids[0], expertEntryID: b.entryID, by: orgadmin)
            XCTFail("assigned twice")
        } catch let error as ReviewError { XCTAssertEqual(error, .alreadyAssigned) }
        // Another county's staff do not see the round at all.
        do {
            _ = try await service.assign(round, candidateID: ids[0], expertEntryID: b.entryID, by: try await actor("demo.county1"))
            XCTFail("outside the subtree")
        } catch let error as PlatformError { XCTAssertEqual(error, .notFound) }
    }

    func testADeclaredConflictIsReplacedByARecordedRedraw() async throws {
        let a = try await makeExpert("rev.a", name: "甲专家", employer: "单位甲")
        let b = try await makeExpert("rev.b", name: "乙专家", employer: "单位乙")
        let c = try await makeExpert("rev.c", name: "丙专家", employer: "单位丙")
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound(reviewers: 2)
        let ids = try await service.addCandidates(round, [candidate("候选一")], by: orgadmin)
        _ = try await service.draw(round, seed: 3, by: orgadmin)
        let first = try await assignments(round)
        XCTAssertEqual(first.count, 2)
        let leaving = first[0]
        let reviewer = [a, b, c].first { $0.personID == leaving.personID }!
        // Someone else cannot decline it: 404.
        let other = [a, b, c].first { $0.personID != leaving.personID }!
        do {
            try await service.decline(try leaving.requireID(), reason: "x", by: try await actor(other.username))
            XCTFail("declined someone else's assignment")
        } catch let error as PlatformError { XCTAssertEqual(error, .notFound) }
        let replacement = try await service.decline(try leaving.requireID(), reason: "与候选人有合作关系", by: try await actor(reviewer.username))
        let after = try await assignments(round)
        XCTAssertEqual(after.count, 3)
        XCTAssertEqual(after.filter { $0.state == .declined }.map(\.personID), [leaving.personID])
        let new = try XCTUnwrap(after.first { $0.id == replacement })
        XCTAssertEqual(new.source, .redraw)
        XCTAssertEqual(new.candidateID, ids[0])
        XCTAssertFalse(first.map(\.personID).contains(new.personID))
        expectEqual(
            try await ReviewDrawEntry.query(on: app.db).filter(\.$roundID == round).filter(\.$drawNumber == 2).filter(\.$outcome == "drawn")
                .count(), 1)
        // The one who declined cannot be put back by hand.
        do {
            _ = try await service.assign(round, candidateID: ids[0], expertEntryID: reviewer.entryID, by: orgadmin)
            XCTFail("reassigned after declining")
        } catch let error as ReviewError { XCTAssertEqual(error, .conflict([.declared])) }
        do {
            try await service.submit(
                try leaving.requireID(), scores: scores(1, 1, 1), vote: nil, comment: "", by: try await actor(reviewer.username))
            XCTFail("scored a declined assignment")
        } catch let error as ReviewError { XCTAssertEqual(error, .assignmentDeclined) }
    }

    func testScoresAreCheckedPerIndicator() async throws {
        let a = try await makeExpert("rev.a", name: "甲专家", employer: "单位甲")
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound(reviewers: 1)
        let ids = try await service.addCandidates(round, [candidate("候选一")], by: orgadmin)
        let id = try await service.assign(round, candidateID: ids[0], expertEntryID: a.entryID, by: orgadmin)
        let reviewer = try await actor("rev.a")
        func refused(_ scores: [String: Decimal]) async -> ReviewError? {
            do {
                try await service.submit(id, scores: scores, vote: nil, comment: "", by: reviewer)
                return nil
            } catch let error as ReviewError { return error } catch { return nil }
        }
        let over = await refused(scores(31, 20, 20))
        XCTAssertEqual(over, .scoreOutOfRange(key: "innovation", max: 30))
        XCTAssertEqual(over?.field, "innovation")
        XCTAssertEqual(over?.code, "platform.review_score_out_of_range")
        expectEqual(await refused(scores(20, -1, 20)), .scoreOutOfRange(key: "contribution", max: 40))
        expectEqual(await refused(scores(20, 20, 20.3)), .scoreOutOfRange(key: "impact", max: 30))
        expectEqual(await refused(["innovation": 20, "contribution": 20]), .scoreMissing(field: "impact"))
        try await service.submit(id, scores: scores(27.5, 36, 25), vote: nil, comment: "创新突出", by: reviewer)
        var saved = try unwrapped(try await ReviewAssignmentRecord.find(id, on: app.db))
        XCTAssertEqual(saved.state, .submitted)
        XCTAssertEqual(saved.total, 88.5)
        // Revised before the round closes.
        try await service.submit(id, scores: scores(28, 36, 25), vote: nil, comment: "修改", by: reviewer)
        saved = try unwrapped(try await ReviewAssignmentRecord.find(id, on: app.db))
        XCTAssertEqual(saved.total, 89)
        // After the closing day: 409.
        clock.advance(minutes: 7 * 24 * 60)
        expectEqual(await refused(scores(1, 1, 1)), .closed)
    }

    func testAggregationIsStoredWithItsMethodAndTiesAreExplained() async throws {
        var experts: [MadeExpert] = []
        for index in 0..<4 { experts.append(try await makeExpert("rev.\(index)", name: "专家\(index)", employer: "单位\(index)")) }
        let orgadmin = try await actor("demo.orgadmin")
        for aggregation in [ScoreAggregation.mean, .trimmedMean] {
            let round = try await makeRound(aggregation: aggregation, reviewers: 4)
            let ids = try await service.addCandidates(round, [candidate("候选甲"), candidate("候选乙"), candidate("候选丙")], by: orgadmin)
            _ = try await service.draw(round, seed: 11, by: orgadmin)
            // 甲: 90, 80, 70, 40 → mean 70.00, trimmed 75.00; 乙: 75 ×4 → 75.00; 丙: 60 ×4.
            let totals: [[Decimal]] = [[30, 40, 20], [25, 35, 20], [20, 30, 20], [10, 20, 10]]
            for assignment in try await assignments(round) {
                let index = experts.firstIndex { $0.personID == assignment.personID }!
                let s: [String: Decimal]
                switch assignment.candidateID {
                case ids[0]: s = scores(totals[index][0], totals[index][1], totals[index][2])
                case ids[1]: s = scores(25, 30, 20)
                default: s = scores(20, 20, 20)
                }
                try await service.submit(
                    try assignment.requireID(), scores: s, vote: nil, comment: "", by: try await actor(experts[index].username))
            }
            let rows = try await service.aggregate(round, by: orgadmin)
            XCTAssertEqual(rows.map(\.title), ["候选乙", "候选甲", "候选丙"], "ties are listed by title")
            XCTAssertEqual(rows.map(\.scoresCount), [4, 4, 4])
            if aggregation == .mean {
                XCTAssertEqual(rows.map(\.score), [75, 70, 60])
                XCTAssertEqual(rows.map(\.rank), [1, 2, 3])
                XCTAssertEqual(rows.map(\.tieNote), [nil, nil, nil])
            } else {
                XCTAssertEqual(rows.map(\.score), [75, 75, 60])
                XCTAssertEqual(rows.map(\.rank), [1, 1, 3])
                XCTAssertEqual(rows[0].tieNote, "与候选甲并列第 1 名（得分均为 75.00）")
                XCTAssertEqual(rows[1].tieNote, "与候选乙并列第 1 名（得分均为 75.00）")
            }
            let stored = try await ReviewResultRecord.query(on: app.db).filter(\.$roundID == round).all()
            XCTAssertEqual(Set(stored.map(\.aggregation)), [aggregation])
            expectEqual(try await service.results(round).map(\.score), rows.map(\.score))
            expectEqual(try await ReviewRoundRecord.find(round, on: app.db)?.state, "aggregated")
        }
    }

    func testVotingPassesWithMoreThanTwoThirds() async throws {
        var experts: [MadeExpert] = []
        for index in 0..<3 { experts.append(try await makeExpert("rev.\(index)", name: "专家\(index)", employer: "单位\(index)")) }
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound(mode: .voting, reviewers: 3)
        let ids = try await service.addCandidates(round, [candidate("候选甲"), candidate("候选乙")], by: orgadmin)
        _ = try await service.draw(round, seed: 5, by: orgadmin)
        for assignment in try await assignments(round) {
            let index = experts.firstIndex { $0.personID == assignment.personID }!
            // 甲: 3 for → passes; 乙: 2 for, 1 abstain → exactly two thirds, fails.
            let vote = assignment.candidateID == ids[0] || index < 2 ? "for" : "abstain"
            try await service.submit(
                try assignment.requireID(), scores: [:], vote: vote, comment: "", by: try await actor(experts[index].username))
        }
        do {
            try await service.submit(
                try await assignments(round)[0].requireID(), scores: [:], vote: "maybe", comment: "", by: try await actor("rev.0"))
        } catch let error as ReviewError { XCTAssertEqual(error, .scoreMissing(field: "vote")) } catch {}
        let rows = try await service.aggregate(round, by: orgadmin)
        XCTAssertEqual(rows.map(\.title), ["候选甲", "候选乙"])
        XCTAssertEqual(rows.map(\.passes), [true, false])
        XCTAssertEqual(rows.map(\.votesFor), [3, 2])
        XCTAssertEqual(rows.map(\.votesAbstain), [0, 1])
        let summary = try await service.rounds(owner: ReviewOwner(module: "awards", kind: "program", id: UUID()))
        XCTAssertEqual(summary.count, 0)
    }

    /// Bench note: 500 candidates × 5 reviewers aggregated and ranked (two reads, one delete, three
    /// inserts of 200 rows) took about 0.1 s in a debug build on SQLite; the bound is generous.
    func testAggregatingFiveHundredCandidatesTimesFiveReviewersTakesUnderASecond() async throws {
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound(reviewers: 5)
        let ids = try await service.addCandidates(round, (1...500).map { candidate("候选\($0)") }, by: orgadmin)
        var rows: [[(any Encodable & Sendable)?]] = []
        for (index, id) in ids.enumerated() {
            for reviewer in 0..<5 {
                let total = Double((index * 7 + reviewer * 13) % 100)
                rows.append([
                    UUID(), round, id, UUID(), UUID(), UUID(), "专家\(reviewer)", "draw", "submitted", "{}", total, nil, "", nil, clock.now,
                    nil, clock.now,
                ])
            }
        }
        try await DemoContext(services: app.platform).insert(
            into: ReviewAssignmentRecord.schema,
            columns: [
                "id", "round_id", "candidate_id", "expert_entry_id", "person_id", "user_id", "reviewer_name", "source", "state", "scores",
                "total", "vote", "comment", "declined_reason", "submitted_at", "reminded_on", "created_at",
            ], rows: rows, on: app.db)
        let started = Date()
        let results = try await service.aggregate(round, by: orgadmin)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(results.count, 500)
        XCTAssertEqual(results.filter { $0.rank != nil }.count, 500)
        XCTAssertLessThan(elapsed, 1.0, "aggregate + rank of 500 × 5 took \(elapsed) s")
        print("review bench: 500 × 5 aggregated in \(Int(elapsed * 1000)) ms")
    }

    func testRemindersGoOutOncePerAssignmentPerDay() async throws {
        let a = try await makeExpert("rev.a", name: "甲专家", employer: "单位甲")
        let orgadmin = try await actor("demo.orgadmin")
        let round = try await makeRound(reviewers: 1)
        let ids = try await service.addCandidates(round, [candidate("候选一"), candidate("候选二")], by: orgadmin)
        _ = try await service.draw(round, seed: 1, by: orgadmin)
        // Closes in five days: not yet.
        expectEqual(try await service.sendReminders(), 0)
        clock.advance(minutes: 2 * 24 * 60)
        expectEqual(try await service.sendReminders(), 2)
        expectEqual(try await service.sendReminders(), 0, "once a day")
        let first = try await assignments(round).sorted { $0.candidateID.uuidString < $1.candidateID.uuidString }[0]
        try await service.submit(try first.requireID(), scores: scores(20, 20, 20), vote: nil, comment: "", by: try await actor("rev.a"))
        clock.advance(minutes: 24 * 60)
        expectEqual(try await service.sendReminders(), 1, "submitted ones are left alone")
        let inbox = try await InboxMessage.query(on: app.db).filter(\.$userID == a.userID).count()
        XCTAssertEqual(inbox, 3)
        _ = ids
    }
}
