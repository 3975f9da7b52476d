import Fluent
import Foundation
import KexieKit
import Platform
import SQLKit

/// After the event: participants' evaluations, the organizer's report, the quality score and the
/// organizer's yearly record.
///
/// Who: a participant is the account of a confirmed registration of the event (checked in or not);
/// they evaluate once the event is over (finished, or published and past its end) and may change their
/// evaluation until `closesAfterDays` after the end. Staff holding `events.manage` or `events.approve`
/// in the organizer's or a co-organizer's subtree read the results (averages and comments, no names);
/// staff holding `events.manage` in the organizer's subtree file the report.
struct EvaluationService: Sendable {
    let db: any Database
    let services: PlatformServices

    static let closesAfterDays = 30
    static let maxComment = 500
    static let maxOutputsNote = 2_000
    static let maxReason = 200
    /// Bounds of the report's numbers.
    static let countBounds = 0...100_000
    static let scoreBounds = 1...5
    /// Photos of a report.
    static let photoCheck = UploadCheck(maxFiles: 12, maxBytes: 5 * 1_048_576, noun: "照片")
    static let photoKinds: Set<FileKind> = [.png, .jpeg, .gif, .webp]
    static let filePolicy = FileOwnerPolicy(module: "events", type: "events.report", retentionDays: nil) { actor, id, db, _ in
        guard let report = try await EventReport.find(id, on: db) else { return false }
        return try await EventCheckIns.event(
            report.eventID, actor: actor, permissions: [EventsPermission.manage, EventsPermission.approve], on: db) != nil
    }

    // MARK: Participants

    static func isOver(_ event: Event, now: Date) -> Bool {
        event.state == .finished || (event.state == .published && event.endsAt < now)
    }

    static func closesAt(_ event: Event) -> Date { event.endsAt.addingTimeInterval(Double(closesAfterDays) * 86_400) }

    /// Whether a participant may evaluate now (over and not yet closed).
    static func isOpen(_ event: Event, now: Date) -> Bool { isOver(event, now: now) && now <= closesAt(event) }

    /// The actor's confirmed registration of the event, if any.
    func registration(of eventID: UUID, actor: Actor) async throws -> EventRegistration? {
        try await EventRegistration.query(on: db).filter(\.$eventID == eventID).filter(\.$userID == actor.userID)
            .filter(\.$status == .confirmed).sort(\.$sequence).first()
    }

    /// The event and the actor's registration; 404 when the event does not exist or is not visible,
    /// `notParticipant` (403) without a confirmed registration.
    func participation(_ eventID: UUID, actor: Actor) async throws -> (Event, EventRegistration) {
        let event = try await EventService(db: db, services: services).visible(eventID, actor: actor)
        guard let registration = try await registration(of: eventID, actor: actor) else { throw EventsError.notParticipant }
        return (event, registration)
    }

    /// The actor's own evaluation and speaker scores.
    func own(_ registration: EventRegistration) async throws -> (EventEvaluation, [UUID: Int])? {
        guard let evaluation = try await EventEvaluation.query(on: db).filter(\.$registrationID == registration.requireID()).first()
        else { return nil }
        let ratings = try await EventSpeakerRating.query(on: db).filter(\.$evaluationID == evaluation.requireID()).all()
        return (evaluation, Dictionary(ratings.map { ($0.speakerID, $0.score) }, uniquingKeysWith: { a, _ in a }))
    }

    struct Input: Sendable {
        var content = ""
        var organization = ""
        var comment = ""
        /// Speaker id → the score as sent; a speaker left out is not rated.
        var speakers: [String: String] = [:]
    }

    static let fieldOrder = ["content", "organization", "speakers", "comment"]
    static let labels = ["content": "活动内容", "organization": "组织服务", "speakers": "报告人", "comment": "意见和建议"]

    static func score(_ raw: String?) -> Int? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), let value = Int(raw), scoreBounds.contains(value) else { return nil }
        return value
    }

    /// Records or changes the actor's evaluation; every problem of the form at once (422).
    @discardableResult
    func submit(_ eventID: UUID, input: Input, actor: Actor) async throws -> EventEvaluation {
        let (event, registration) = try await participation(eventID, actor: actor)
        let now = services.clock()
        guard Self.isOver(event, now: now) else { throw EventsError.evaluationNotOpen }
        guard now <= Self.closesAt(event) else { throw EventsError.evaluationClosed }
        var errors = FieldErrors()
        let content = Self.score(input.content)
        let organization = Self.score(input.organization)
        if content == nil { errors.add("content", "请为活动内容打 1 到 5 分") }
        if organization == nil { errors.add("organization", "请为组织服务打 1 到 5 分") }
        let comment = input.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > Self.maxComment { errors.add("comment", "意见和建议最多 \(Self.maxComment) 字，现有 \(comment.count) 字") }
        let speakers = try await EventSpeaker.query(on: db).filter(\.$eventID == eventID).all()
        let known = Set(speakers.compactMap(\.id))
        var scores: [UUID: Int] = [:]
        for (key, raw) in input.speakers where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let id = UUID(uuidString: key), known.contains(id) else {
                errors.add("speakers", "不是本活动的报告人")
                continue
            }
            guard let value = Self.score(raw) else {
                errors.add("speaker-" + key, "请为报告人打 1 到 5 分")
                continue
            }
            scores[id] = value
        }
        guard errors.isEmpty, let content, let organization else { throw InvalidFields(errors, order: Self.fieldOrder) }
        let registrationID = try registration.requireID()
        do {
            return try await save(
                eventID, registrationID: registrationID, content: content, organization: organization, comment: comment,
                scores: scores, actor: actor)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // Two submissions at once (a double click on PostgreSQL): the first inserted; this one changes it.
            return try await save(
                eventID, registrationID: registrationID, content: content, organization: organization, comment: comment,
                scores: scores, actor: actor)
        }
    }

    /// Writes the evaluation and its speaker scores in one transaction (insert or change).
    private func save(
        _ eventID: UUID, registrationID: UUID, content: Int, organization: Int, comment: String, scores chosen: [UUID: Int], actor: Actor
    ) async throws -> EventEvaluation {
        try await services.writes.transaction(on: db) { tx in
            var scores = chosen
            let evaluation =
                try await EventEvaluation.query(on: tx).filter(\.$registrationID == registrationID).first() ?? EventEvaluation()
            evaluation.eventID = eventID
            evaluation.registrationID = registrationID
            evaluation.userID = actor.userID
            evaluation.contentScore = content
            evaluation.organizationScore = organization
            evaluation.comment = comment
            try await evaluation.save(on: tx)
            let evaluationID = try evaluation.requireID()
            let existing = try await EventSpeakerRating.query(on: tx).filter(\.$evaluationID == evaluationID).all()
            for rating in existing {
                if let score = scores.removeValue(forKey: rating.speakerID) {
                    if rating.score != score {
                        rating.score = score
                        try await rating.update(on: tx)
                    }
                } else {
                    try await rating.delete(on: tx)
                }
            }
            for (speakerID, score) in scores.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                let rating = EventSpeakerRating()
                rating.evaluationID = evaluationID
                rating.eventID = eventID
                rating.speakerID = speakerID
                rating.score = score
                try await rating.create(on: tx)
            }
            return evaluation
        }
    }

    // MARK: Staff: results

    /// The event for staff reading its results: 403 without `events.manage`/`events.approve`, 404
    /// outside the organizer's and co-organizers' subtrees.
    func resultsEvent(_ id: UUID, actor: Actor) async throws -> Event {
        guard
            let event = try await EventCheckIns.event(
                id, actor: actor, permissions: [EventsPermission.manage, EventsPermission.approve], on: db)
        else { throw PlatformError.notFound }
        return event
    }

    struct SpeakerResult: Sendable, Equatable {
        let id: UUID
        let name: String
        let topic: String
        let average: Double?
        let count: Int
    }

    struct Comment: Sendable, Equatable {
        let id: UUID
        let date: Date?
        let content: Int
        let organization: Int
        let text: String
    }

    struct Results: Sendable {
        let count: Int
        let content: Double?
        let organization: Double?
        /// The mean of all speaker scores.
        let speakers: Double?
        let speakerResults: [SpeakerResult]
        /// Every evaluation, newest first, without names.
        let evaluations: [Comment]
        /// Counts of 1…5 for content and organization.
        let contentHistogram: [Int]
        let organizationHistogram: [Int]
    }

    /// The event's results in three queries whatever the number of evaluations.
    func results(_ event: Event) async throws -> Results {
        let id = try event.requireID()
        let evaluations = try await EventEvaluation.query(on: db).filter(\.$eventID == id).sort(\.$createdAt, .descending).sort(\.$id)
            .all()
        let speakers = try await EventSpeaker.query(on: db).filter(\.$eventID == id).sort(\.$position).all()
        let rows = try await db.sql().raw(
            """
            SELECT speaker_id, COUNT(*) AS n, CAST(AVG(score * 1.0) AS DOUBLE PRECISION) AS average \
            FROM events_speaker_ratings WHERE event_id = \(bind: id) GROUP BY speaker_id
            """
        ).all()
        var bySpeaker: [UUID: (Int, Double)] = [:]
        for row in rows {
            bySpeaker[try row.decode(column: "speaker_id", as: UUID.self)] = (
                try row.decode(column: "n", as: Int.self), try row.decode(column: "average", as: Double.self)
            )
        }
        func mean(_ values: [Int]) -> Double? { values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count) }
        let totalRatings = bySpeaker.values.reduce(0) { $0 + $1.0 }
        let speakerMean =
            totalRatings == 0 ? nil : bySpeaker.values.reduce(0.0) { $0 + Double($1.0) * $1.1 } / Double(totalRatings)
        var contentHistogram = [0, 0, 0, 0, 0]
        var organizationHistogram = [0, 0, 0, 0, 0]
        for e in evaluations {
            if Self.scoreBounds.contains(e.contentScore) { contentHistogram[e.contentScore - 1] += 1 }
            if Self.scoreBounds.contains(e.organizationScore) { organizationHistogram[e.organizationScore - 1] += 1 }
        }
        return Results(
            count: evaluations.count, content: mean(evaluations.map(\.contentScore)),
            organization: mean(evaluations.map(\.organizationScore)), speakers: speakerMean,
            speakerResults: try speakers.map { s in
                let id = try s.requireID()
                return SpeakerResult(id: id, name: s.name, topic: s.topic, average: bySpeaker[id]?.1, count: bySpeaker[id]?.0 ?? 0)
            },
            evaluations: try evaluations.map {
                Comment(
                    id: try $0.requireID(), date: $0.createdAt, content: $0.contentScore, organization: $0.organizationScore,
                    text: $0.comment)
            },
            contentHistogram: contentHistogram, organizationHistogram: organizationHistogram)
    }

    /// The evaluation results as a table (no names): one row per evaluation, then the averages.
    func table(_ event: Event) async throws -> TableExport {
        let results = try await results(event)
        let id = try event.requireID()
        let ratings = try await EventSpeakerRating.query(on: db).filter(\.$eventID == id).all()
        var byEvaluation: [UUID: [UUID: Int]] = [:]
        for r in ratings { byEvaluation[r.evaluationID, default: [:]][r.speakerID] = r.score }
        let speakers = results.speakerResults
        let headers = ["序号", "提交日期", "活动内容", "组织服务"] + speakers.map { "报告人：" + $0.name } + ["意见和建议"]
        var rows: [[String]] = results.evaluations.enumerated().map { index, e in
            [String(index + 1), ChineseDate.day(e.date), String(e.content), String(e.organization)]
                + speakers.map { s in byEvaluation[e.id]?[s.id].map(String.init) ?? "" } + [e.text]
        }
        rows.append(
            ["平均", "共 \(results.count) 份", Self.format(results.content), Self.format(results.organization)]
                + speakers.map { Self.format($0.average) } + [""])
        return TableExport(fileName: "活动评价-" + event.title, headers: headers, rows: rows)
    }

    static func format(_ value: Double?) -> String {
        guard let value else { return "—" }
        return String(format: "%.2f", value)
    }

    // MARK: Attendance and the report

    /// Checked-in registrations (each once, whatever the sessions) plus walk-in records, one query.
    func checkedIn(_ eventID: UUID) async throws -> Int {
        let row = try await db.sql().raw(
            """
            SELECT COUNT(DISTINCT registrant_id) AS registrants, \
            COALESCE(SUM(CASE WHEN registrant_id IS NULL THEN 1 ELSE 0 END), 0) AS walk_ins \
            FROM platform_check_ins WHERE subject_kind = \(bind: EventCheckIns.kind) AND subject_id = \(bind: eventID)
            """
        ).first()
        guard let row else { return 0 }
        return try row.decode(column: "registrants", as: Int.self) + row.decode(column: "walk_ins", as: Int.self)
    }

    /// The event for filing its report: `events.manage` in the organizer's subtree (403 / 404), and
    /// over (409 `eventNotOver` before its end).
    func reportEvent(_ id: UUID, actor: Actor) async throws -> Event {
        guard actor.can(EventsPermission.manage) else { throw PlatformError.forbidden }
        let service = EventService(db: db, services: services)
        guard let event = try await Event.find(id, on: db), try await service.organizes(event, actor: actor) else {
            throw PlatformError.notFound
        }
        return event
    }

    struct ReportInput: Sendable {
        var attendance = ""
        var attendanceReason = ""
        var adviceCount = ""
        var paperCount = ""
        var dockingCount = ""
        var outputsNote = ""
        var photos: [UploadedFile] = []
    }

    static let reportOrder = ["attendance", "attendanceReason", "adviceCount", "paperCount", "dockingCount", "outputsNote", "files"]
    static let reportLabels = [
        "attendance": "实到人数", "attendanceReason": "人数调整说明", "adviceCount": "决策建议（篇）", "paperCount": "论文（篇）",
        "dockingCount": "签约对接项目（个）", "outputsNote": "成果说明", "files": "活动照片",
    ]

    /// Files or changes the report; the photos are added to those already stored (12 at most).
    @discardableResult
    func fileReport(_ eventID: UUID, input: ReportInput, actor: Actor) async throws -> EventReport {
        let event = try await reportEvent(eventID, actor: actor)
        let now = services.clock()
        guard Self.isOver(event, now: now) else { throw EventsError.eventNotOver }
        let checkedIn = try await checkedIn(eventID)
        var errors = FieldErrors()
        func count(_ raw: String, _ key: String) -> Int? {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return 0 }
            guard let value = Int(text), Self.countBounds.contains(value) else {
                errors.add(key, "请填写 0 到 \(Self.countBounds.upperBound) 之间的整数")
                return nil
            }
            return value
        }
        let attendanceText = input.attendance.trimmingCharacters(in: .whitespaces)
        let attendance = attendanceText.isEmpty ? checkedIn : count(attendanceText, "attendance")
        let reason = input.attendanceReason.trimmingCharacters(in: .whitespacesAndNewlines)
        if let attendance, attendance != checkedIn, reason.isEmpty {
            errors.add("attendanceReason", "实到人数与签到人数（\(checkedIn) 人）不同，请说明原因")
        }
        if reason.count > Self.maxReason { errors.add("attendanceReason", "最多 \(Self.maxReason) 字") }
        let advice = count(input.adviceCount, "adviceCount")
        let papers = count(input.paperCount, "paperCount")
        let dockings = count(input.dockingCount, "dockingCount")
        let note = input.outputsNote.trimmingCharacters(in: .whitespacesAndNewlines)
        if note.count > Self.maxOutputsNote { errors.add("outputsNote", "最多 \(Self.maxOutputsNote) 字，现有 \(note.count) 字") }
        let photos = input.photos.filter { !$0.data.isEmpty }
        for photo in photos {
            guard let kind = FileKind.detect(photo.data), Self.photoKinds.contains(kind) else {
                errors.add("files", "“\(photo.name)”不是图片（PNG、JPEG、GIF 或 WebP，按文件内容判断）")
                break
            }
        }
        guard errors.isEmpty, let attendance, let advice, let papers, let dockings else {
            throw InvalidFields(errors, order: Self.reportOrder)
        }
        let organizationID = event.organizationID
        return try await services.writes.transaction(on: db) { tx in
            let report = try await EventReport.query(on: tx).filter(\.$eventID == eventID).first() ?? EventReport()
            report.eventID = eventID
            report.attendance = attendance
            report.checkedIn = checkedIn
            report.attendanceReason = attendance == checkedIn ? "" : reason
            report.adviceCount = advice
            report.paperCount = papers
            report.dockingCount = dockings
            report.outputsNote = note
            report.filedBy = actor.userID
            try await report.save(on: tx)
            if !photos.isEmpty {
                try await FileStore(services: services).store(
                    photos, owner: Self.filePolicy.owner(try report.requireID()), organizationID: organizationID, uploadedBy: actor.userID,
                    check: Self.photoCheck, on: tx)
            }
            return report
        }
    }

    func report(of eventID: UUID) async throws -> EventReport? {
        try await EventReport.query(on: db).filter(\.$eventID == eventID).first()
    }

    func photos(of report: EventReport?) async throws -> [StoredFileInfo] {
        guard let report else { return [] }
        return try await FileStore(services: services).list(Self.filePolicy.owner(try report.requireID()), on: db)
    }

    // MARK: The quality score

    /// 活动质量分 (0–100) = 50 × R + 30 × A + 20 × O over the parts that are known, scaled to their
    /// weights:
    /// - R (participants): the mean of the content, organization and speaker averages, divided by 5;
    /// - A (attendance): attendance (the report's, else the check-ins) ÷ capacity (or, without a
    ///   capacity, ÷ confirmed registrations), at most 1;
    /// - O (outputs, once a report is filed): (3 × 决策建议 + 2 × 论文 + 3 × 签约对接) ÷ 10, at most 1.
    /// Nil when no part is known.
    struct ScoreParts: Sendable, Equatable {
        var content: Double?
        var organization: Double?
        var speakers: Double?
        var attendance: Int?
        var capacity: Int?
        var confirmed: Int
        var advice: Int?
        var papers: Int?
        var dockings: Int?
    }

    static func qualityScore(_ p: ScoreParts) -> Double? {
        var total = 0.0
        var weights = 0.0
        let averages = [p.content, p.organization, p.speakers].compactMap { $0 }
        if !averages.isEmpty {
            total += 50 * (averages.reduce(0, +) / Double(averages.count)) / 5
            weights += 50
        }
        let base = p.capacity ?? p.confirmed
        if let attendance = p.attendance, base > 0 {
            total += 30 * min(Double(attendance) / Double(base), 1)
            weights += 30
        }
        if let advice = p.advice, let papers = p.papers, let dockings = p.dockings {
            total += 20 * min(Double(3 * advice + 2 * papers + 3 * dockings) / 10, 1)
            weights += 20
        }
        guard weights > 0 else { return nil }
        return (total / weights * 1000).rounded() / 10
    }

    // MARK: The organizer's yearly record

    struct RecordRow: Sendable, Equatable {
        let id: UUID
        let title: String
        let kind: Event.Kind
        let level: Event.Level
        let startsAt: Date
        let organizer: String
        let capacity: Int?
        let confirmed: Int
        let evaluations: Int
        let content: Double?
        let organization: Double?
        let speakers: Double?
        let attendance: Int?
        let reported: Bool
        let advice: Int
        let papers: Int
        let dockings: Int
        let score: Double?
    }

    static func yearBounds(_ year: Int) -> (Date, Date) {
        let calendar = Calendar.china
        let start = calendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? Date.distantPast
        let end = calendar.date(from: DateComponents(year: year + 1, month: 1, day: 1)) ?? Date.distantFuture
        return (start, end)
    }

    /// Every event organized in `organization`'s subtree that took place (published or finished, not
    /// cancelled) and started in `year`, with its figures and score: one statement.
    func record(_ organization: Organization, year: Int) async throws -> [RecordRow] {
        let (start, end) = Self.yearBounds(year)
        // The year's events of the subtree; the grouped subqueries read only their rows.
        let events: SQLQueryString = """
            SELECT e2.id FROM events_events e2 JOIN platform_organizations o2 ON o2.id = e2.organization_id \
            WHERE o2.path LIKE \(bind: organization.path + "%") AND e2.state IN ('published', 'finished') \
            AND e2.starts_at >= \(bind: start) AND e2.starts_at < \(bind: end)
            """
        let rows = try await db.sql().raw(
            """
            SELECT e.id, e.title, e.kind, e.level, e.starts_at, e.capacity, e.confirmed_count, o.name AS organizer, \
            COALESCE(ev.n, 0) AS evaluations, ev.content_avg, ev.organization_avg, sr.speaker_avg, \
            r.attendance, r.advice_count, r.paper_count, r.docking_count, COALESCE(ci.n, 0) AS checked_in \
            FROM events_events e JOIN platform_organizations o ON o.id = e.organization_id \
            LEFT JOIN (SELECT v.event_id, COUNT(*) AS n, CAST(AVG(v.content_score * 1.0) AS DOUBLE PRECISION) AS content_avg, \
            CAST(AVG(v.organization_score * 1.0) AS DOUBLE PRECISION) AS organization_avg FROM events_evaluations v \
            WHERE v.event_id IN (\(events)) GROUP BY v.event_id) ev ON ev.event_id = e.id \
            LEFT JOIN (SELECT s.event_id, CAST(AVG(s.score * 1.0) AS DOUBLE PRECISION) AS speaker_avg \
            FROM events_speaker_ratings s WHERE s.event_id IN (\(events)) GROUP BY s.event_id) sr ON sr.event_id = e.id \
            LEFT JOIN events_reports r ON r.event_id = e.id \
            LEFT JOIN (SELECT c.subject_id, COUNT(DISTINCT c.registrant_id) + SUM(CASE WHEN c.registrant_id IS NULL THEN 1 ELSE 0 END) AS n \
            FROM platform_check_ins c WHERE c.subject_kind = \(bind: EventCheckIns.kind) AND c.subject_id IN (\(events)) \
            GROUP BY c.subject_id) ci ON ci.subject_id = e.id \
            WHERE e.id IN (\(events)) \
            ORDER BY e.starts_at, e.id
            """
        ).all()
        return try rows.map { row in
            let reported = try row.decodeNil(column: "attendance") == false
            let checkedIn = try row.decode(column: "checked_in", as: Int.self)
            let attendance = reported ? try row.decode(column: "attendance", as: Int.self) : (checkedIn > 0 ? checkedIn : nil)
            let capacity = try row.decode(column: "capacity", as: Int?.self)
            let confirmed = try row.decode(column: "confirmed_count", as: Int.self)
            let content = try row.decode(column: "content_avg", as: Double?.self)
            let organizationAverage = try row.decode(column: "organization_avg", as: Double?.self)
            let speakers = try row.decode(column: "speaker_avg", as: Double?.self)
            let advice = try row.decode(column: "advice_count", as: Int?.self)
            let papers = try row.decode(column: "paper_count", as: Int?.self)
            let dockings = try row.decode(column: "docking_count", as: Int?.self)
            let score = Self.qualityScore(
                ScoreParts(
                    content: content, organization: organizationAverage, speakers: speakers, attendance: attendance, capacity: capacity,
                    confirmed: confirmed, advice: advice, papers: papers, dockings: dockings))
            return RecordRow(
                id: try row.decode(column: "id", as: UUID.self), title: try row.decode(column: "title", as: String.self),
                kind: Event.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                level: Event.Level(rawValue: try row.decode(column: "level", as: String.self)) ?? .local,
                startsAt: try row.decode(column: "starts_at", as: Date.self),
                organizer: try row.decode(column: "organizer", as: String.self),
                capacity: capacity, confirmed: confirmed, evaluations: try row.decode(column: "evaluations", as: Int.self),
                content: content, organization: organizationAverage, speakers: speakers, attendance: attendance, reported: reported,
                advice: advice ?? 0, papers: papers ?? 0, dockings: dockings ?? 0, score: score)
        }
    }

    /// The score of one event (its row of the record, computed the same way).
    func score(_ event: Event) async throws -> Double? {
        let id = try event.requireID()
        let results = try await results(event)
        let report = try await report(of: id)
        let checked = try await checkedIn(id)
        return Self.qualityScore(
            ScoreParts(
                content: results.content, organization: results.organization, speakers: results.speakers,
                attendance: report?.attendance ?? (checked > 0 ? checked : nil), capacity: event.capacity,
                confirmed: event.confirmedCount, advice: report?.adviceCount, papers: report?.paperCount, dockings: report?.dockingCount))
    }

    // MARK: The metric

    /// 活动评价均分: the mean of (内容 + 组织) ÷ 2 over every evaluation of events organized in the
    /// subtree that started within the period; 0 when there is none. One statement.
    static func evaluationAverage(_ query: MetricDefinition.Query, on db: any Database) async throws -> Double {
        let calendar = Calendar.china
        let first = query.firstDay
        let last = query.lastDay.adding(days: 1)
        let start = calendar.date(from: DateComponents(year: first.year, month: first.month, day: first.day)) ?? Date.distantPast
        let end = calendar.date(from: DateComponents(year: last.year, month: last.month, day: last.day)) ?? Date.distantFuture
        let row = try await db.sql().raw(
            """
            SELECT CAST(AVG((v.content_score + v.organization_score) / 2.0) AS DOUBLE PRECISION) AS average \
            FROM events_evaluations v JOIN events_events e ON e.id = v.event_id \
            JOIN platform_organizations o ON o.id = e.organization_id \
            WHERE o.path LIKE \(bind: query.organization.path + "%") AND e.starts_at >= \(bind: start) AND e.starts_at < \(bind: end)
            """
        ).first()
        let value = try row?.decode(column: "average", as: Double?.self) ?? nil
        return value.map { ($0 * 100).rounded() / 100 } ?? 0
    }
}
