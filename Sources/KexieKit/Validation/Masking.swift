/// Masks personal data for lists, logs and exports (个人信息保护法 minimization).
/// Inputs that do not look as expected are masked harder, never less.
public enum Masking {
    /// 13812345678 → 138****5678.
    public static func phone(_ text: String) -> String {
        keep(text, first: 3, last: 4, minimumHidden: 4)
    }

    /// 460100199001011234 → 4601**********1234.
    public static func idNumber(_ text: String) -> String {
        keep(text, first: 4, last: 4, minimumHidden: 8)
    }

    /// alice@example.com → a***@example.com. The fixed-width `***` hides the
    /// length of the local part.
    public static func email(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex else {
            return text.isEmpty ? "" : String(text.prefix(1)) + "***"
        }
        return String(text[text.startIndex]) + "***" + text[at...]
    }

    private static func keep(_ text: String, first: Int, last: Int, minimumHidden: Int) -> String {
        let characters = Array(text)
        guard characters.count >= first + last + minimumHidden else {
            return String(repeating: "*", count: characters.count)
        }
        let hidden = characters.count - first - last
        return String(characters.prefix(first)) + String(repeating: "*", count: hidden) + String(characters.suffix(last))
    }
}
