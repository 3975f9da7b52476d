/// The platform's password rule: at least 8 characters, three of the four character classes, and not
/// containing the user name. Each failed rule yields its own Chinese message so the form can say which
/// rule the person broke instead of a generic "密码不符合要求".
public struct PasswordPolicy: Sendable {
    public enum Violation: String, Sendable, Equatable, CaseIterable {
        case tooShort = "password.too_short"
        case tooFewClasses = "password.too_few_classes"
        case containsUsername = "password.contains_username"

        public var message: String {
            switch self {
            case .tooShort: return "密码至少需要 8 个字符"
            case .tooFewClasses: return "密码需包含大写字母、小写字母、数字、符号中的至少三类"
            case .containsUsername: return "密码不能包含用户名"
            }
        }
    }

    public let minimumLength: Int
    public let requiredClasses: Int

    public init(minimumLength: Int = 8, requiredClasses: Int = 3) {
        self.minimumLength = minimumLength
        self.requiredClasses = requiredClasses
    }

    /// All violated rules, in the order a person should fix them; empty when the password is acceptable.
    public func violations(password: String, username: String?) -> [Violation] {
        var found: [Violation] = []
        if password.count < minimumLength { found.append(.tooShort) }
        if Self.classCount(password) < requiredClasses { found.append(.tooFewClasses) }
        if let username, !username.isEmpty,
            password.lowercased().contains(username.lowercased())
        {
            found.append(.containsUsername)
        }
        return found
    }

    static func classCount(_ password: String) -> Int {
        var upper = false, lower = false, digit = false, symbol = false
        for scalar in password.unicodeScalars {
            switch scalar {
            case "A"..."Z": upper = true
            case "a"..."z": lower = true
            case "0"..."9": digit = true
            default:
                // Any other printable character (including CJK and full-width punctuation) counts as a
                // symbol: a Chinese user who types 中文 in a password is adding entropy, not breaking a rule.
                if !scalar.properties.isWhitespace { symbol = true }
            }
        }
        return [upper, lower, digit, symbol].filter { $0 }.count
    }
}
