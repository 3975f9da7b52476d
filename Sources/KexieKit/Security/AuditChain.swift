/// The hash chain behind the audit log. Each entry's hash covers the previous entry's hash and the
/// entry's own canonical content, so editing or deleting any row breaks every hash after it.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public struct Content: Sendable, Equatable {
        public var sequence: Int64
        public var occurredAt: String
        public var actorID: String
        public var actorName: String
        public var organizationID: String
        public var clientAddress: String
        public var action: String
        public var entityType: String
        public var entityID: String
        public var summary: String

        public init(
            sequence: Int64, occurredAt: String, actorID: String, actorName: String,
            organizationID: String, clientAddress: String, action: String, entityType: String,
            entityID: String, summary: String
        ) {
            self.sequence = sequence
            self.occurredAt = occurredAt
            self.actorID = actorID
            self.actorName = actorName
            self.organizationID = organizationID
            self.clientAddress = clientAddress
            self.action = action
            self.entityType = entityType
            self.entityID = entityID
            self.summary = summary
        }

        /// Fields joined with a unit separator after escaping it, so no two different contents can
        /// produce the same canonical string.
        var canonical: String {
            [
                String(sequence), occurredAt, actorID, actorName, organizationID, clientAddress, action,
                entityType, entityID, summary,
            ]
            .map { $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\u{1F}", with: "\\u") }
            .joined(separator: "\u{1F}")
        }
    }

    public static func hash(previous: String, content: Content) -> String {
        Digest.sha256Hex(previous + "\u{1E}" + content.canonical)
    }

    public enum Break: Equatable, Sendable {
        case contentChanged(sequence: Int64)
        case linkBroken(sequence: Int64)
        case gap(after: Int64, next: Int64)
        case headMismatch(expected: Int64, found: Int64)
    }

    /// Verifies stored entries in sequence order. The first entry may have a predecessor that was pruned
    /// after the retention period, so its `previousHash` is trusted; everything after must link up.
    public static func verify(
        _ entries: [(content: Content, previousHash: String, hash: String)], firstIsStart: Bool
    ) -> Break? {
        var previous: (sequence: Int64, hash: String)?
        for entry in entries {
            if let previous {
                if entry.content.sequence != previous.sequence + 1 {
                    return .gap(after: previous.sequence, next: entry.content.sequence)
                }
                if entry.previousHash != previous.hash { return .linkBroken(sequence: entry.content.sequence) }
            } else if firstIsStart, entry.previousHash != genesis {
                return .linkBroken(sequence: entry.content.sequence)
            }
            if hash(previous: entry.previousHash, content: entry.content) != entry.hash {
                return .contentChanged(sequence: entry.content.sequence)
            }
            previous = (entry.content.sequence, entry.hash)
        }
        return nil
    }
}
