/// Shared shape of every error KexieKit throws or returns: a stable code for
/// programs (logs, API responses, tests) and a Chinese sentence for people.
public protocol KexieKitError: Error, Sendable, CustomStringConvertible {
    /// Stable machine-readable code such as `"id_number.checksum"`. Never localized.
    var code: String { get }
    /// Message shown to users, in Chinese.
    var message: String { get }
}

extension KexieKitError {
    public var description: String { "\(code): \(message)" }
}
