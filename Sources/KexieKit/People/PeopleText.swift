/// Text clean-up shared by the People code. People type into forms and
/// spreadsheets with full-width characters, stray spaces and either 、 or a
/// comma between words, so lookups compare keys with all of that removed.
enum PeopleText {
    /// Characters that separate words in a name but carry no meaning for a lookup.
    private static let ignoredInKeys: Set<Character> = ["、", ",", "，", "·", "•", "・", "/", "／"]

    /// Lookup key: full-width folded, no whitespace or separators, lower case.
    static func key(_ text: String) -> String {
        let folded = InputNormalizer.foldFullWidth(text)
        return String(folded.filter { !$0.isWhitespace && !ignoredInKeys.contains($0) }).lowercased()
    }

    /// Trimmed, full-width letters and digits folded, runs of whitespace collapsed to one space.
    static func clean(_ text: String) -> String {
        let folded = InputNormalizer.foldFullWidth(text)
        var result = ""
        var pendingSpace = false
        for character in folded {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        return result
    }

    /// Removes a trailing bracketed remark: "高级工程师（电气）" → "高级工程师".
    static func droppingTrailingRemark(_ text: String) -> String {
        guard let last = text.last, last == ")" || last == "）",
            let open = text.lastIndex(where: { $0 == "(" || $0 == "（" }), open != text.startIndex
        else { return text }
        return String(text[..<open])
    }

    static func isCJK(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            (0x3400...0x9FFF).contains(scalar.value) || (0x20000...0x3134F).contains(scalar.value)
        }
    }
}
