/// The part a person plays in one case, not their account role: the same user can be the
/// handler of one case and the requester of another, so permissions are decided per case.
public struct ParticipantKind: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// 申请人 / 提出诉求的人或单位.
    public static let requester: ParticipantKind = "requester"
    /// 办公室 / the desk that accepts and dispatches (分办).
    public static let dispatcher: ParticipantKind = "dispatcher"
    /// 承办部门.
    public static let handler: ParticipantKind = "handler"
    /// 协办部门.
    public static let coHandler: ParticipantKind = "co_handler"
    /// 督办人员.
    public static let supervisor: ParticipantKind = "supervisor"
    /// Timers and jobs (auto-close); never granted to a person.
    public static let system: ParticipantKind = "system"

    /// Chinese name used in refusals ("只有承办部门可以答复"); unknown kinds show their raw value
    /// so a module that invents a kind still gets a readable, if plain, message.
    public var label: String {
        switch rawValue {
        case "requester": return "申请人"
        case "dispatcher": return "办公室"
        case "handler": return "承办部门"
        case "co_handler": return "协办部门"
        case "supervisor": return "督办人员"
        case "system": return "系统"
        default: return rawValue
        }
    }

    public var description: String { rawValue }
}

/// Who is acting: a stable id for the history row plus the kinds they hold in this case.
public struct WorkflowActor: Hashable, Sendable {
    public let id: String
    public let kinds: Set<ParticipantKind>

    public init(id: String, kinds: Set<ParticipantKind>) {
        self.id = id
        self.kinds = kinds
    }
}
