import Fluent
import Foundation
import KexieKit
import Vapor

extension PlatformRoutes {
    /// 现场签到: the phone page staff scan or type codes on, for a subject of a registered kind
    /// (`events.event`); `?session=` chooses the session.
    public static let checkIn = SiteRoute<(String, UUID)>("/check-in/:kind/:id")
    /// The live count as JSON (the page polls it).
    public static let checkInCount = SiteRoute<(String, UUID)>("/check-in/:kind/:id/count")
    /// The page's queue of scans as JSON, each answered on its own.
    public static let checkInScans = SiteRoute<(String, UUID)>("/check-in/:kind/:id/scans")
    /// The walk-in form (现场登记).
    public static let checkInWalkIns = SiteRoute<(String, UUID)>("/check-in/:kind/:id/walk-ins")
}

extension SiteRoute where Parameters == (String, UUID) {
    public func callAsFunction(_ kind: String, _ id: UUID) -> String {
        fill([kind.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? "", id.uuidString])
    }

    public func callAsFunction(_ kind: String, _ id: UUID, query: KeyValuePairs<String, String?>) -> String {
        callAsFunction(kind, id) + SiteRoute.queryString(query)
    }
}

/// One line of the latest scans as the page lists it.
struct CheckInScanLine: Sendable {
    let outcome: String
    let code: String
    let message: String
    let time: String
}

struct CheckInPage: Sendable {
    let shell: PageShell
    let subject: CheckInSubject
    let session: CheckInSession
    let count: Int
    let recent: [CheckInScanLine]
    let csrf: String
    let walkIn: [String: String]
    let errors: [String: String]
}

extension CheckInPage: HTMLPage {
    func content(_ h: inout HTML) {
        let kind = subject.kind
        h.el(
            .div, .id("check-in"), .class("check-in"), .attr("data-subject", kind + ":" + subject.id.uuidString),
            .attr("data-scans-url", PlatformRoutes.checkInScans(kind, subject.id)),
            .attr("data-count-url", PlatformRoutes.checkInCount(kind, subject.id, query: ["session": session.key])),
            .attr("data-session", session.key), .attr("data-csrf-token", csrf), .attr("data-max-batch", String(CheckInDesk.maximumBatch))
        ) { h in
            h.el(.h1) { h in
                h.raw("现场签到 · ")
                h.text(subject.title)
            }
            if !subject.sessions.isEmpty {
                h.el(.form, .method("get"), .action(PlatformRoutes.checkIn(kind, subject.id)), .class("check-in-session")) { h in
                    h.el(.label, .for("session"), raw: "场次")
                    h.open(.select, [.id("session"), .name("session")])
                    h.options(
                        [SelectOption(value: "", label: "全场", selected: session.key.isEmpty)]
                            + subject.sessions.map { SelectOption(value: $0.key, label: $0.label, selected: $0.key == session.key) })
                    h.close(.select)
                    h.el(.button, .type("submit"), .class("button"), raw: "切换")
                }
            }
            h.el(.p, .class("check-in-count"), .role("status")) { h in
                h.raw("已签到 ")
                h.el(.strong, .id("live-count"), .attr("data-live-count", String(count)), text: String(count))
                h.raw(" / 应到 ")
                h.el(.span, .id("expected-count"), text: String(subject.expected))
            }
            h.el(.p, .id("pending"), .class("check-in-pending"), .attr("data-pending-count", "0"), .attr("aria-live", literal: "polite")) {
                h in
                h.raw("待发送 ")
                h.el(.span, .id("pending-count"), raw: "0")
                h.raw(" 条")
            }
            h.el(
                .form, .id("check-in-form"), .class("check-in-form"), .method("post"),
                .action(PlatformRoutes.checkInScans(kind, subject.id))
            ) {
                h in
                // Without script the form posts itself (`_csrf`, `session`) and the page answers with the outcome.
                h.void(.input, .type("hidden"), .name("_csrf"), .value(csrf))
                h.void(.input, .type("hidden"), .name("session"), .value(session.key))
                h.el(.label, .for("check-in-code"), raw: "签到码")
                h.void(
                    .input, .id("check-in-code"), .name("code"), .attr("autocomplete", literal: "off"),
                    .attr("autocapitalize", literal: "characters"), .attr("spellcheck", literal: "false"),
                    .attr("inputmode", literal: "text"),
                    .placeholder("如 7F3M-Q9TC"), .attr("maxlength", literal: "40"), .required)
                h.el(.div, .class("check-in-buttons")) { h in
                    h.el(.button, .type("submit"), .class("button primary"), .id("check-in-submit"), raw: "签到")
                    h.el(.button, .type("button"), .class("button"), .id("camera-button"), .flag("hidden"), raw: "扫码")
                }
                h.el(.p, .class("hint"), raw: "扫描或输入报名二维码旁的 8 位签到码，不区分大小写；网络中断时签到先存在本机，恢复后自动发送。")
            }
            h.el(.div, .id("camera"), .class("check-in-camera"), .flag("hidden")) { h in
                h.el(.video, .id("camera-video"), .flag("muted"), .flag("playsinline")) { _ in }
                h.el(.button, .type("button"), .class("button"), .id("camera-stop"), raw: "停止扫码")
            }
            h.el(.h2, raw: "最近签到")
            h.el(.ol, .id("recent-scans"), .class("check-in-scans"), .attr("aria-live", literal: "polite")) { h in
                for line in recent {
                    h.el(.li, .attr("data-outcome", line.outcome), .attr("data-code", line.code)) { h in
                        h.el(.span, .class("scan-time"), text: line.time)
                        h.el(.span, .class("scan-code"), text: line.code)
                        h.el(.span, .class("scan-message"), text: line.message)
                    }
                }
            }
            h.el(.details, .id("walk-in"), .class("check-in-walk-in"), .flag("open", !errors.isEmpty)) { h in
                h.el(.summary, raw: "现场登记（未报名的来宾）")
                h.formErrorSummary(
                    errors, labels: ["name": "姓名", "phone": "手机号码", "unit": "单位", "session": "场次"],
                    order: ["name", "phone", "unit", "session"])
                h.el(.form, .method("post"), .action(PlatformRoutes.checkInWalkIns(kind, subject.id)), .id("walk-in-form")) { h in
                    h.void(.input, .type("hidden"), .name("_csrf"), .value(csrf))
                    h.void(.input, .type("hidden"), .name("session"), .value(session.key))
                    h.inputField("name", label: "姓名", value: walkIn["name"], errors: errors, .attr("maxlength", literal: "50"))
                    h.inputField(
                        "phone", label: "手机号码（选填）", value: walkIn["phone"], errors: errors, .type("tel"), .attr("maxlength", literal: "20"))
                    h.inputField("unit", label: "单位（选填）", value: walkIn["unit"], errors: errors, .attr("maxlength", literal: "100"))
                    h.fieldError(errors, "session")
                    h.el(.button, .type("submit"), .class("button"), .id("walk-in-submit"), raw: "登记并签到")
                }
            }
        }
        h.el(.script, .attr("src", literal: "/js/check-in.js"), .flag("defer")) { _ in }
    }
}

/// 现场签到: the scanning page, its live count, the queue endpoint and walk-ins, for every registered
/// subject kind. Who may check in where is the kind's decision (`CheckInSubjectKind.subject`).
struct CheckInController {
    /// A queue of 200 scans is about 30 KB of JSON.
    static let scansBodyLimit = 64 * 1024

    func register(_ web: any RoutesBuilder) {
        web.get(PlatformRoutes.checkIn, use: page)
        web.get(PlatformRoutes.checkInCount, use: count)
        web.on(.POST, PlatformRoutes.checkInScans, body: .collect(maxSize: ByteCount(value: Self.scansBodyLimit)), use: scans)
            .limitBody(Self.scansBodyLimit)
        web.post(PlatformRoutes.checkInWalkIns, use: walkIn).limitBody(BodyLimits.small)
    }

    /// The kind and subject of the path, as the actor may check people in to it (403 without the
    /// kind's permission, 404 when it does not exist or is out of scope).
    static func subject(_ req: Request) async throws -> (any CheckInSubjectKind, CheckInSubject, Actor) {
        let actor = try req.actor
        guard let name = req.parameters.get("kind"), let kind = req.platform.registry.checkInSubjects[name] else {
            throw PlatformError.notFound
        }
        let id = try req.uuidParameter()
        guard let subject = try await kind.subject(id, actor: actor, on: req.db) else { throw PlatformError.notFound }
        return (kind, subject, actor)
    }

    func page(_ req: Request) async throws -> Response {
        let (_, subject, _) = try await Self.subject(req)
        guard let session = subject.session(req.query[String.self, at: "session"]) else { throw PlatformError.notFound }
        return try await render(req, subject: subject, session: session, walkIn: [:], errors: [:])
    }

    private func render(
        _ req: Request, subject: CheckInSubject, session: CheckInSession, walkIn: [String: String], errors: [String: String],
        latest: CheckInScanLine? = nil, status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let desk = CheckInDesk(db: req.db, services: req.platform)
        let count = try await desk.liveCount(subject, sessionKey: session.key)
        let recent = try await desk.recent(subject, sessionKey: session.key, limit: latest == nil ? 20 : 19).map { record in
            CheckInScanLine(
                outcome: "accepted", code: record.code.flatMap { CheckInCode.parse($0)?.description } ?? "现场登记",
                message: "签到成功 · " + record.name, time: CheckInDesk.clock(record.checkedInAt))
        }
        let shell = await PageShell.build(for: req, title: "现场签到")
        return try await CheckInPage(
            shell: shell, subject: subject, session: session, count: count, recent: (latest.map { [$0] } ?? []) + recent,
            csrf: req.csrfToken, walkIn: walkIn,
            errors: errors
        ).render(req, status: status)
    }

    struct CountDTO: Content {
        let count: Int
        let expected: Int
        let session: String
    }

    func count(_ req: Request) async throws -> CountDTO {
        let (_, subject, _) = try await Self.subject(req)
        guard let session = subject.session(req.query[String.self, at: "session"]) else { throw PlatformError.notFound }
        let count = try await CheckInDesk(db: req.db, services: req.platform).liveCount(subject, sessionKey: session.key)
        return CountDTO(count: count, expected: subject.expected, session: session.key)
    }

    struct ScansBody: Decodable {
        struct Scan: Decodable {
            /// The page's own id for the scan, echoed in the answer.
            let id: String
            let code: String
            let session: String?
            /// ISO 8601, the phone's time when it was scanned.
            let scannedAt: String?
        }
        let scans: [Scan]
    }

    struct ScanResultDTO: Content {
        let id: String
        let outcome: String
        let message: String
        let name: String?
        /// ISO 8601: when the person was checked in (the first time, for a repeat).
        let checkedInAt: String?
        /// HH:mm of `checkedInAt` in China Standard Time.
        let time: String?
    }

    struct ScansDTO: Content {
        let results: [ScanResultDTO]
        let count: Int
    }

    /// `POST …/scans` `{"scans": [{"id", "code", "session", "scannedAt"}]}`: at most
    /// `CheckInDesk.maximumBatch` scans, each answered in order.
    func scans(_ req: Request) async throws -> Response {
        try req.requireBody(within: Self.scansBodyLimit)
        let (kind, subject, actor) = try await Self.subject(req)
        if req.headers.contentType == .urlEncodedForm { return try await typed(req, kind: kind, subject: subject, actor: actor) }
        let body: ScansBody
        do { body = try req.content.decode(ScansBody.self, as: .json) } catch {
            throw PlatformError.invalidInput(field: "scans", message: "请求体不是有效的签到列表")
        }
        guard body.scans.count <= CheckInDesk.maximumBatch else {
            throw PlatformError.invalidInput(field: "scans", message: "一次最多提交 \(CheckInDesk.maximumBatch) 条签到")
        }
        let formatter = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let scans = body.scans.map { scan in
            CheckInDesk.Scan(
                code: String(scan.code.prefix(40)), sessionKey: scan.session ?? "",
                scannedAt: scan.scannedAt.flatMap { fractional.date(from: $0) ?? formatter.date(from: $0) })
        }
        let desk = CheckInDesk(db: req.db, services: req.platform)
        let outcomes = try await desk.checkIn(scans, kind: kind, subject: subject, actor: actor)
        let results = zip(body.scans, outcomes).map { scan, outcome -> ScanResultDTO in
            let (name, at): (String?, Date?) =
                switch outcome {
                case .accepted(let at, _, let name): (name, at)
                case .repeated(let at, _, let name): (name, at)
                case .notAdmitted(_, let name, _, _): (name, nil)
                case .unknown, .tooOld: (nil, nil)
                }
            return ScanResultDTO(
                id: String(scan.id.prefix(64)), outcome: outcome.value, message: outcome.message, name: name,
                checkedInAt: at.map { formatter.string(from: $0) }, time: at.map(CheckInDesk.clock))
        }
        let session = body.scans.first?.session ?? ""
        let count = try await desk.liveCount(subject, sessionKey: subject.session(session)?.key ?? "")
        return try await ScansDTO(results: results, count: count).encodeResponse(for: req)
    }

    struct CodeForm: Decodable {
        let code: String?
        let session: String?
    }

    /// The code form posted without script: one code, answered by the page with its outcome first.
    private func typed(_ req: Request, kind: any CheckInSubjectKind, subject: CheckInSubject, actor: Actor) async throws -> Response {
        let form = try req.content.decode(CodeForm.self)
        guard let session = subject.session(form.session) else { throw PlatformError.notFound }
        let code = String((form.code ?? "").prefix(40))
        let outcome = try await CheckInDesk(db: req.db, services: req.platform).checkIn(
            .init(code: code, sessionKey: session.key), kind: kind, subject: subject, actor: actor)
        let time: Date =
            switch outcome {
            case .accepted(let at, _, _): at
            default: req.platform.clock()
            }
        let line = CheckInScanLine(
            outcome: outcome.value, code: CheckInCode.parse(code)?.description ?? code, message: outcome.message,
            time: CheckInDesk.clock(time))
        return try await render(req, subject: subject, session: session, walkIn: [:], errors: [:], latest: line)
    }

    struct WalkInForm: Decodable {
        let name: String?
        let phone: String?
        let unit: String?
        let session: String?
    }

    func walkIn(_ req: Request) async throws -> Response {
        let (_, subject, actor) = try await Self.subject(req)
        let form = try req.content.decode(WalkInForm.self)
        let input = CheckInDesk.WalkIn(
            name: form.name ?? "", phone: form.phone ?? "", unit: form.unit ?? "", sessionKey: form.session ?? "")
        let errors = CheckInDesk.problems(input, subject: subject)
        let session = subject.session(input.sessionKey) ?? CheckInSession(key: "", label: "全场")
        if !errors.isEmpty {
            return try await render(
                req, subject: subject, session: session,
                walkIn: ["name": input.name, "phone": input.phone, "unit": input.unit], errors: errors.messages,
                status: .unprocessableEntity)
        }
        try await CheckInDesk(db: req.db, services: req.platform).walkIn(input, subject: subject, actor: actor)
        return req.redirect(
            to: PlatformRoutes.checkIn(subject.kind, subject.id, query: ["session": session.key, "notice": "check_in_walk_in"]))
    }
}

extension Tag {
    /// The camera preview of the scanning page.
    static let video = Tag(name: "video")
}
