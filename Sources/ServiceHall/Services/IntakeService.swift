import Fluent
import Foundation
import KexieKit
import Platform
import Vapor

/// 一网受理: a request comes in once — from a logged-in person (profile attached) or anonymously with
/// a contact phone — is routed by the administrators' rules (or to the root organization's office queue),
/// gets a tracking number and its acceptance deadline in working days.
struct IntakeService: Sendable {
    let db: any Database
    let services: PlatformServices

    /// Anonymous submissions per client address and hour.
    static let anonymousPerHour = 5

    struct Upload: Sendable {
        let fileName: String
        let data: Data
    }

    /// Files checked by content: PDF, images, Office documents; at most five of 10 MB each. Checked
    /// before the case is written so a refusal saves nothing; `FileStore` checks them again as it stores.
    static func checkFiles(_ uploads: [Upload]) throws -> [UploadedFile] {
        let files = uploads.filter { !$0.data.isEmpty }.map { UploadedFile(name: $0.fileName, data: $0.data) }
        _ = try CaseFiles.check.check(files.map { ($0.name, $0.data) })
        return files
    }

    struct Submission: Sendable {
        var type: String?
        var title: String?
        var content: String?
        var isPublic: Bool
        var contactName: String?
        var contactPhone: String?
        var files: [Upload] = []
        /// The association the request is addressed to (a county's own intake link); nil is the root.
        var addressedTo: UUID?
    }

    /// Saves the case or throws the first problem as a 422 on its field (429 when rate-limited).
    func submit(_ input: Submission, actor: Actor?, clientAddress: String) async throws -> ServiceCase {
        var errors = FieldErrors()
        let type = CaseType.parse(input.type)
        if type == nil { errors.add("type", "请选择事项类型") }
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty { errors.add("title", "请填写标题") } else if title.count > 100 { errors.add("title", "标题不超过 100 字") }
        let content = (input.content ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if content.count < 10 {
            errors.add("content", "请具体说明事项，不少于 10 字")
        } else if content.count > 5000 {
            errors.add("content", "内容不超过 5000 字")
        }
        var name = (input.contactName ?? "").trimmingCharacters(in: .whitespaces)
        var phone: MobileNumber?
        if let text = input.contactPhone?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            do { phone = try MobileNumber(text) } catch { errors.add("contactPhone", error.message) }
        }
        if let actor {
            if name.isEmpty { name = actor.displayName }
            if phone == nil, errors["contactPhone"] == nil,
                let person = try await Person.query(on: db).filter(\.$userID == actor.userID).first(),
                let stored = try? services.secrets.open(person.phoneCipher)
            {
                phone = try? MobileNumber(stored)
            }
        }
        if phone == nil, errors["contactPhone"] == nil { errors.add("contactPhone", "请填写联系手机，以便答复和查询") }
        if name.isEmpty { errors.add("contactName", "请填写联系人姓名") } else if name.count > 30 { errors.add("contactName", "姓名不超过 30 字") }
        try errors.throwIfAny(order: ["type", "title", "content", "contactName", "contactPhone"])
        let files = try Self.checkFiles(input.files)
        guard let type, let phone else { throw PlatformError.invalidInput(field: "type", message: "请选择事项类型") }

        let now = services.clock()
        let submitter = services.secrets.lookupHash("addr:" + clientAddress)
        if actor == nil {
            let recent = try await ServiceCase.query(on: db).filter(\.$submitterLookup == submitter)
                .filter(\.$requesterUserID == nil).filter(\.$submittedAt >= now.addingTimeInterval(-3600)).count()
            if recent >= Self.anonymousPerHour { throw ServiceHallError.tooManySubmissions }
        }
        let addressed = try await addressedOrganization(input.addressedTo)
        let (organization, note) = try await route(type: type, title: title, content: content, addressedTo: addressed)
        let today = Day.today(now: now)
        let limit = try await TimeLimitStore.policies(on: db).policy(for: type.rawValue).acceptanceLimit(
            receivedOn: today, calendar: try await CalendarService(db: db).calendar())
        let record = ServiceCase()
        record.type = type
        record.title = title
        record.content = content
        record.isPublic = input.isPublic
        record.state = .pending
        record.requesterUserID = actor?.userID
        record.contactName = name
        record.contactPhoneCipher = try services.secrets.seal(phone.value)
        record.contactPhoneLookup = services.secrets.lookupHash("phone:" + phone.value)
        record.submitterLookup = submitter
        record.organizationID = try organization.requireID()
        record.submittedAt = now
        record.receivedOn = today
        record.acceptDue = limit.due
        record.dueProvisional = limit.provisional
        record.routingNote = note
        record.coDepartmentIDs = []
        // A collision of two random 12-symbol codes is rare; try again rather than fail.
        for attempt in 0..<5 {
            record.trackingCode = TrackingCode.generate().description
            do {
                try await services.writes.transaction(on: db) { tx in
                    try await record.create(on: tx)
                    try await CaseTotals.refresh([CaseTotals.Group(record)], on: tx)
                    try await FileStore(services: services).store(
                        files, owner: CaseFiles.owner(try record.requireID()), organizationID: record.organizationID,
                        uploadedBy: actor?.userID, check: CaseFiles.check, on: tx)
                }
                return record
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                record.id = nil
                continue
            }
        }
        throw ServiceHallError.submissionCollided
    }

    /// The organization a request is addressed to: an active one the requester names, else the root.
    func addressedOrganization(_ id: UUID?) async throws -> Organization {
        if let id {
            guard let org = try await Organization.find(id, on: db), org.isActive else {
                throw PlatformError.invalidInput(field: "organizationId", message: "受理单位不存在或已停用")
            }
            return org
        }
        guard let root = try await Organization.query(on: db).filter(\.$parentID == nil).sort(\.$createdAt).first() else {
            throw ServiceHallError.intakeNotSetUp
        }
        return root
    }

    /// A rule is configuration of the organization that made it and applies only inside that
    /// organization's subtree: to requests addressed to it or to a unit below it, never to a request
    /// addressed above it or beside it (a county's rule cannot take the province's cases). Highest
    /// priority first among the rules that apply; no match goes to the addressed organization's
    /// 办公室 queue for manual dispatch.
    func route(type: CaseType, title: String, content: String, addressedTo: Organization) async throws -> (Organization, String) {
        // The owners that may route this request: the addressed organization and its ancestors.
        var ancestorIDs: [UUID] = []
        for component in addressedTo.path.split(separator: "/") {
            if let id = UUID(uuidString: String(component)) { ancestorIDs.append(id) }
        }
        let records = try await RoutingRuleRecord.query(on: db).filter(\.$isActive == true)
            .filter(\.$organizationID ~~ ancestorIDs).all()
        let rules = records.compactMap { record -> RoutingRule? in
            guard let id = record.id else { return nil }
            return RoutingRule(
                id: id.uuidString, caseTypes: Set(record.caseTypes.map(\.rawValue)), keywords: record.keywords,
                targetUnitID: record.targetOrganizationID.uuidString,
                priority: record.priority)
        }
        let decision = CaseRouter.route(type: type.rawValue, title: title, content: content, rules: rules)
        // The target must still lie inside the rule owner's subtree (the tree may have changed since the
        // rule was made); otherwise the request waits for manual dispatch rather than leave the subtree.
        if let match = decision.match, let id = UUID(uuidString: match.rule.targetUnitID),
            let owner = records.first(where: { $0.id?.uuidString == match.rule.id })?.organizationID,
            let target = try await Organization.find(id, on: db), target.isActive,
            target.path.contains("/" + owner.uuidString.lowercased() + "/")
        {
            let words = match.matchedKeywords.isEmpty ? "" : "（关键词：\(match.matchedKeywords.joined(separator: "、"))）"
            return (target, "按规则分派\(words)")
        }
        return (addressedTo, "未匹配分派规则，进入办公室待分派")
    }

    /// What anyone holding the tracking number may see: no name, phone or content. A number that is
    /// not one is `trackingNumberMalformed`; a well-formed one that no case has, `trackingNumberUnknown`.
    func track(_ text: String) async throws -> ServiceCase {
        let code: TrackingCode
        do { code = try TrackingCode.parse(text) } catch { throw ServiceHallError.trackingNumberMalformed(error) }
        guard let record = try await ServiceCase.query(on: db).filter(\.$trackingCode == code.description).first() else {
            throw ServiceHallError.trackingNumberUnknown
        }
        return record
    }

    /// Whether `digits` are the last four digits of the case's contact phone. Only four ASCII digits
    /// are compared (the caller refuses anything else), in constant time, against the sealed phone.
    func phoneMatches(_ record: ServiceCase, last4 digits: String) -> Bool {
        guard let phone = try? services.secrets.open(record.contactPhoneCipher) else { return false }
        let last4 = String(phone.filter(\.isASCII).filter(\.isNumber).suffix(4))
        return last4.count == 4 && Digest.constantTimeEquals(last4, digits)
    }
}

/// What the requester sees once they prove the contact phone: the answer, or the reason a case was not
/// accepted (不予受理), with its day. Nothing while the case is still being handled.
struct CaseReply: Sendable, Equatable {
    let text: String
    let on: Day

    init?(record: ServiceCase, history: [WorkflowStepRecord]) {
        switch record.state {
        case .rejected:
            let reason = history.last { $0.action == ServiceHallCaseWorkflow.Action.reject.rawValue }?.comment
            guard let reason, !reason.isEmpty, let closed = record.closedOn else { return nil }
            (text, on) = (reason, closed)
        case .answered, .closed:
            guard let answer = record.answer, !answer.isEmpty, let answered = record.answeredOn else { return nil }
            (text, on) = (answer, answered)
        default:
            return nil
        }
    }

    /// `phoneLast4` as given, or 422 `servicehall.phone_digits_malformed` unless it is four digits.
    static func digits(_ raw: String?) throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        guard raw.utf8.count == 4, raw.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ServiceHallError.phoneDigitsMalformed
        }
        return raw
    }
}
