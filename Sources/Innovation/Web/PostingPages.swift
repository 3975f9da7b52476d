import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// Ready-to-show texts for postings, shared by the lists, the form and the posting page.
enum PostingDisplay {
    static let definition = PostingWorkflow()

    static func state(_ state: PostingWorkflow.State) -> String { definition.label(of: state) }

    /// GB/T 4754 sections A–T in code order.
    static let sections: [IndustrySection] = "ABCDEFGHIJKLMNOPQRST".compactMap { IndustrySection(letter: $0) }

    static func industry(_ letter: String?) -> String {
        letter.flatMap { $0.first }.flatMap { IndustrySection(letter: $0) }?.description ?? "—"
    }

    static func industryOptions(selected: String?, blank: String) -> [SelectOption] {
        [SelectOption(value: "", label: blank, selected: (selected ?? "").isEmpty)]
            + sections.map { SelectOption(value: String($0.letter), label: $0.description, selected: selected == String($0.letter)) }
    }

    /// Short names of the nine technology readiness levels (GB/T 22900).
    static let readinessNames = ["发现基本原理", "形成技术概念", "完成概念验证", "实验室环境验证", "相关环境验证", "相关环境中试", "实际环境验证", "定型并完成试验", "实际应用"]

    static func readiness(_ level: Int?) -> String {
        guard let level, (1...9).contains(level) else { return "—" }
        return "TRL \(level)（\(readinessNames[level - 1])）"
    }

    static func readinessOptions(selected: String?, blank: String) -> [SelectOption] {
        [SelectOption(value: "", label: blank, selected: (selected ?? "").isEmpty)]
            + (1...9).map { SelectOption(value: String($0), label: readiness($0), selected: selected == String($0)) }
    }

    static func modes(_ posting: Posting) -> String {
        let labels = posting.modes.map(\.label)
        return labels.isEmpty ? "—" : labels.joined(separator: "、")
    }

    static func budget(_ value: Double?) -> String {
        guard let value else { return "面议" }
        let number = value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
        return number + " 万元"
    }

    static func keywords(_ posting: Posting) -> String {
        posting.keywords.joined(separator: "、")
    }

    /// The share of the best possible score, for people who read percentages more easily than scores.
    static func percent(_ score: Double) -> String {
        "\(Int((min(max(score, 0), 1) * 100).rounded()))%"
    }
}

/// Confirmations after a redirect to a posting page. Only these codes are shown, so a crafted link
/// cannot put arbitrary text on the page.
enum PostingNotice {
    static let messages: [String: String] = [
        "posting_saved": "已保存草稿，可继续修改后提交审核",
        "posting_submitted": "已提交审核，审核通过后将公开发布",
        "posting_approve": "已审核通过并公开发布",
        "posting_send_back": "已退回发布方修改",
        "posting_close": "已关闭",
        "posting_pushed": "已将匹配结果推送给供需双方",
    ]

    static func message(_ req: Request) -> String? {
        req.query[String.self, at: "notice"].flatMap { messages[$0] }
    }
}

/// Form fields read one by one: a multipart body does not decode as `[String: String]`.
enum PostingFormFields {
    static func read(_ req: Request, keys: [String]) -> [String: String] {
        var fields: [String: String] = [:]
        for key in keys {
            if let value = try? req.content.get(String.self, at: key) { fields[key] = value }
        }
        return fields
    }
}

struct PostingPage: Sendable {
    struct Fact: Encodable, Sendable {
        let label: String
        let value: String
    }

    struct Text: Encodable, Sendable {
        let heading: String
        let text: String
    }

    struct Patent: Encodable, Sendable {
        let number: String
        let kind: String
        let status: String
    }

    struct Step: Encodable, Sendable {
        let date: String
        let action: String
        let who: String
        let comment: String?
    }

    struct Action: Encodable, Sendable {
        let value: String
        let label: String
        let needsReason: Bool
        let style: String
    }

    struct Match: Encodable, Sendable {
        let id: String
        let title: String
        let link: String
        let owner: String
        let region: String
        let industry: String
        let readiness: String
        let percent: String
        let reasons: [String]
        let supplyID: String
        let demandID: String
        let pushed: Bool
    }

    struct Expert: Encodable, Sendable {
        let name: String
        let detail: String
        let percent: String
        let reasons: [String]
    }

    /// 发起对接 from someone else's posting: this posting is fixed, the visitor picks one of theirs.
    struct Offer: Encodable, Sendable {
        let fixedName: String
        let fixedID: String
        let choiceName: String
        let choiceLabel: String
        let choices: [SelectOption]
    }

    let shell: PageShell
    let id: String
    let title: String
    let kindLabel: String
    let isSupply: Bool
    let state: String
    let stateLabel: String
    let listLink: String
    let listLabel: String
    let facts: [Fact]
    let texts: [Text]
    let patents: [Patent]
    let showConfidential: Bool
    /// Empty when the visitor may not read the confidential part.
    let confidential: [Text]
    let notice: String?
    let editLink: String?
    let actions: [Action]
    let actionPath: String
    let values: [String: String]
    let errors: [String: String]
    let error: String?
    let steps: [Step]
    let showMatches: Bool
    let matches: [Match]
    let canPush: Bool
    let canDock: Bool
    let pushPath: String
    let pushField: String
    let dockingPath: String
    let back: String
    let matchError: String?
    let dockingError: String?
    let showExperts: Bool
    let experts: [Expert]
    let offer: Offer?
    /// Stations staff may credit a docking to (学会科技服务站, 专家工作站 of their subtree); empty for others.
    let stations: [SelectOption]
}

/// A posting's page (public once published), its review actions, its matches with reasons, and
/// staff pushing a match to both parties.
struct PostingController {
    let catalog: MatchCatalog

    func register(publicWeb: any RoutesBuilder, web: any RoutesBuilder) {
        publicWeb.get(InnovationRoutes.posting, use: show)
        web.post(InnovationRoutes.postingActions, use: act)
        web.post(InnovationRoutes.pushMatch, use: push)
    }

    private func service(_ req: Request) -> PostingService { PostingService(db: req.db, services: req.platform) }

    func show(_ req: Request) async throws -> Response {
        try await page(req, id: try req.uuidParameter())
    }

    func page(
        _ req: Request, id: UUID, values: [String: String] = [:], errors: [String: String] = [:], matchError: String? = nil,
        status: HTTPResponseStatus = .ok
    ) async throws -> Response {
        let actor = req.optionalActor
        let service = service(req)
        let posting = try await service.visible(id, actor: actor)
        try await PostingModes.load([posting], on: req.db)
        let isSupply = posting.kind == .supply
        let published = posting.state == .published
        var owner = false
        var reviewer = false
        var actions: [PostingWorkflow.Action] = []
        if let actor {
            owner = service.owns(posting, actor: actor)
            reviewer = try await service.reviews(posting, actor: actor)
            actions = try await service.availableActions(posting, actor: actor).filter { $0 != .expire }
        }
        let confidential = try await service.mayReadConfidential(posting, actor: actor)

        var matches: [PostingPage.Match] = []
        var experts: [PostingPage.Expert] = []
        if owner || reviewer {
            let matcher = MatchService(db: req.db, services: req.platform, catalog: catalog)
            let found = try await matcher.matches(for: posting, top: 10)
            let pushes = try await MatchPush.query(on: req.db).group(.or) { $0.filter(\.$supplyID == id).filter(\.$demandID == id) }.all()
            let pushed = Set(pushes.map { isSupply ? $0.demandID : $0.supplyID })
            matches = found.map { match in
                PostingPage.Match(
                    id: match.id.uuidString, title: match.title, link: InnovationRoutes.posting(match.id), owner: match.ownerName,
                    region: match.region, industry: PostingDisplay.industry(match.industry),
                    readiness: PostingDisplay.readiness(match.readiness), percent: PostingDisplay.percent(match.score),
                    reasons: match.reasons,
                    supplyID: (isSupply ? id : match.id).uuidString, demandID: (isSupply ? match.id : id).uuidString,
                    pushed: pushed.contains(match.id))
            }
            if !isSupply {
                experts = try await matcher.experts(for: posting, top: 10).map { found in
                    let expert = found.expert
                    let detail = [expert.title, expert.employer, expert.researchDirection].filter { !$0.isEmpty }.joined(separator: " · ")
                    return PostingPage.Expert(
                        name: expert.name, detail: detail, percent: PostingDisplay.percent(found.score), reasons: found.reasons)
                }
            }
        }

        var offer: PostingPage.Offer?
        if let actor, published, !owner, actor.can(InnovationPermission.post) {
            let other: Posting.Kind = isSupply ? .demand : .supply
            let mine = try await PostingService.owned(by: actor, on: req.db).filter(\.$kind == other)
                .filter(\.$state == .published).sort(\.$title).limit(200).all()
            if !mine.isEmpty {
                offer = PostingPage.Offer(
                    fixedName: isSupply ? "supply" : "demand", fixedID: id.uuidString, choiceName: isSupply ? "demand" : "supply",
                    choiceLabel: isSupply ? "我方的技术需求" : "我方的技术供给",
                    choices: mine.map { SelectOption(value: $0.id?.uuidString ?? "", label: $0.title, selected: false) })
            }
        }

        var steps: [PostingPage.Step] = []
        // The review trail (send-back reasons included) is internal to the owner and the reviewers.
        if owner || reviewer {
            steps = try await service.runtime.history(of: id, on: req.db).map { step in
                PostingPage.Step(
                    date: ChineseDate.dateTime(step.at),
                    action: PostingDisplay.definition.action(of: step).map(PostingDisplay.definition.label(of:)) ?? step.action,
                    who: step.actorName, comment: step.comment)
            }
        }

        let dockingError = req.query[String.self, at: "docking_error"].map { String($0.prefix(200)) }
        return try await PostingPage(
            shell: await PageShell.build(for: req, title: posting.title), id: id.uuidString, title: posting.title,
            kindLabel: posting.kind.label, isSupply: isSupply, state: posting.state.rawValue,
            stateLabel: PostingDisplay.state(posting.state),
            listLink: InnovationRoutes.list(of: posting.kind).path, listLabel: isSupply ? "技术供给" : "技术需求",
            facts: Self.facts(posting), texts: Self.texts(posting), patents: Self.patents(posting),
            showConfidential: confidential, confidential: confidential ? Self.confidential(posting, secrets: req.platform.secrets) : [],
            notice: PostingNotice.message(req),
            editLink: owner && posting.state == .draft ? InnovationRoutes.editPosting(id) : nil,
            actions: actions.map { action in
                PostingPage.Action(
                    value: action.rawValue, label: PostingDisplay.definition.label(of: action), needsReason: action == .sendBack,
                    style: action == .close ? "danger" : ([.submit, .approve].contains(action) ? "primary" : ""))
            },
            actionPath: InnovationRoutes.postingActions(id), values: values, errors: errors, error: errors.values.sorted().first,
            steps: steps, showMatches: owner || reviewer, matches: matches, canPush: reviewer && published,
            canDock: (owner || reviewer) && published, pushPath: InnovationRoutes.pushMatch(id), pushField: isSupply ? "demand" : "supply",
            dockingPath: InnovationRoutes.dockings(), back: InnovationRoutes.posting(id), matchError: matchError,
            dockingError: dockingError,
            showExperts: !isSupply && (owner || reviewer), experts: experts, offer: offer,
            stations: reviewer && published ? try await Self.stationChoices(actor: actor, on: req.db) : []
        ).render(req, status: status)
    }

    /// A docking staff arrange through a station counts in that station's figures.
    static func stationChoices(actor: Actor?, on db: any Database) async throws -> [SelectOption] {
        guard let actor, actor.can(InnovationPermission.stations) else { return [] }
        let stations = try await actor.scope.query(Station.self, on: db).sort(\.$name).limit(500).all()
        guard !stations.isEmpty else { return [] }
        return [SelectOption(value: "", label: "不经工作站", selected: true)]
            + stations.map { SelectOption(value: $0.id?.uuidString ?? "", label: $0.name, selected: false) }
    }

    static func facts(_ posting: Posting) -> [PostingPage.Fact] {
        var facts: [PostingPage.Fact] = []
        func add(_ label: String, _ value: String?) {
            facts.append(.init(label: label, value: value.flatMap { $0.isEmpty ? nil : $0 } ?? "—"))
        }
        if posting.kind == .supply {
            add("成果持有方", posting.ownerName)
            add("持有方类型", posting.ownerKind.label)
            add("所属行业", PostingDisplay.industry(posting.industry))
            add("学科领域", posting.field)
            add("技术成熟度", PostingDisplay.readiness(posting.readiness))
            add("合作方式", PostingDisplay.modes(posting))
        } else {
            add("需求单位", posting.ownerName)
            add("所属行业", PostingDisplay.industry(posting.industry))
            if posting.field != nil { add("学科领域", posting.field) }
            add("最低技术成熟度", posting.readiness == nil ? "不限" : PostingDisplay.readiness(posting.readiness))
            add("揭榜截止日期", posting.deadline?.description)
            add("预算", PostingDisplay.budget(posting.budget))
            add("知识产权归属", posting.ipOwnership)
        }
        add("所在地区", posting.region)
        add("关键词", PostingDisplay.keywords(posting))
        add("发布日期", posting.publishedOn?.description ?? "未发布")
        return facts
    }

    static func texts(_ posting: Posting) -> [PostingPage.Text] {
        let pairs: [(String, String)] =
            posting.kind == .supply
            ? [("成果简介", posting.summary), ("详细介绍", posting.publicDetail)]
            : [
                ("问题概述", posting.summary), ("问题描述", posting.publicDetail), ("核心指标", posting.indicators),
                ("揭榜方条件", posting.solverConditions),
            ]
        return pairs.filter { !$0.1.isEmpty }.map { PostingPage.Text(heading: $0.0, text: $0.1) }
    }

    /// One right per line, "号码｜种类｜状态"; a half-width bar is read the same.
    static func patents(_ posting: Posting) -> [PostingPage.Patent] {
        posting.patents.split(whereSeparator: \.isNewline).map { line in
            let parts = line.split(whereSeparator: { $0 == "｜" || $0 == "|" }).map { $0.trimmingCharacters(in: .whitespaces) }
            return PostingPage.Patent(
                number: parts.first ?? String(line), kind: parts.count > 1 ? parts[1] : "—", status: parts.count > 2 ? parts[2] : "—")
        }
    }

    static func confidential(_ posting: Posting, secrets: SecretBox) -> [PostingPage.Text] {
        var texts = [PostingPage.Text(heading: "保密内容", text: posting.confidentialDetail.isEmpty ? "（未填写）" : posting.confidentialDetail)]
        let contact = [posting.contactName, posting.openedContactPhone(secrets)].filter { !$0.isEmpty }.joined(separator: " ")
        if !contact.isEmpty { texts.append(.init(heading: "联系人", text: contact)) }
        return texts
    }

    /// 提交审核 / 审核通过并发布 / 退回修改 / 关闭; a refusal is shown on the page beside the buttons.
    func act(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let fields = PostingFormFields.read(req, keys: ["action", "comment"])
        guard let action = fields["action"].flatMap(PostingWorkflow.Action.init(rawValue:)), action != .expire else {
            return try await page(req, id: id, values: fields, errors: ["action": "请选择要执行的操作"], status: .unprocessableEntity)
        }
        do {
            try await service(req).perform(action, on: id, comment: fields["comment"], actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, id: id, values: fields, errors: [refusal.field ?? "action": refusal.message], status: refusal.status)
        }
        let notice = action == .submit ? "posting_submitted" : "posting_\(action.rawValue)"
        return req.redirect(to: InnovationRoutes.posting(id, query: ["notice": notice]))
    }

    /// 推送: the field names the other side's posting (`supply` on a demand's page, `demand` on a supply's).
    func push(_ req: Request) async throws -> Response {
        let actor = try req.actor
        let id = try req.uuidParameter()
        let posting = try await service(req).visible(id, actor: actor)
        let isDemand = posting.kind == .demand
        let fields = PostingFormFields.read(req, keys: ["supply", "demand"])
        guard let other = fields[isDemand ? "supply" : "demand"].flatMap(UUID.init(uuidString:)) else {
            return try await page(req, id: id, matchError: "请选择要推送的匹配结果", status: .unprocessableEntity)
        }
        let matcher = MatchService(db: req.db, services: req.platform, catalog: catalog)
        do {
            _ = try await matcher.push(demandID: isDemand ? id : other, supplyID: isDemand ? other : id, actor: actor)
        } catch let refusal as any KexieError where refusal.isFormRefusal {
            return try await page(req, id: id, matchError: refusal.message, status: refusal.status)
        }
        return req.redirect(to: InnovationRoutes.posting(id, query: ["notice": "posting_pushed"]))
    }
}
