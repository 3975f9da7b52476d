import Foundation

/// The small Markdown subset notices are written in, rendered to HTML that is safe to put in a page:
/// every character of the source is escaped, so raw HTML in it shows as text; only the constructs
/// below make markup, and a link's target is kept only when it is `http`, `https` or relative.
///
/// - `# `, `## `, `### ` headings (the document's highest written as `h2`, under the page's own `<h1>`, none skipped)
/// - `- ` or `* ` bullet lists, `1. ` numbered lists
/// - paragraphs separated by a blank line; a single line break stays a `<br>`
/// - `**bold**`, `` `code` ``, `[text](target)` links
///
/// Written here rather than taken from a general Markdown library because the guarantees that matter
/// (nothing unescaped, no `javascript:` target) are easier to hold in 150 lines than to configure.
public enum SafeMarkdown {
    /// The HTML of `source`.
    public static func html(_ source: String) -> String {
        var out = ""
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            out += "<p>" + paragraph.map(inline).joined(separator: "<br>\n") + "</p>\n"
            paragraph = []
        }
        func flushList() {
            guard let current = list else { return }
            let tag = current.ordered ? "ol" : "ul"
            out += "<\(tag)>\n" + current.items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</\(tag)>\n"
            list = nil
        }

        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        // Headings sit under the page's own <h1>: the document's highest heading becomes <h2> and no
        // level is skipped (a screen reader's outline, and axe's heading-order, expect that).
        let topLevel = lines.compactMap { heading($0.trimmingCharacters(in: .whitespaces))?.0 }.min() ?? 1
        var previousHeading = 1
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flushParagraph()
                flushList()
                continue
            }
            if let (level, text) = heading(line) {
                flushParagraph()
                flushList()
                let written = min(level - topLevel + 2, previousHeading + 1)
                previousHeading = written
                out += "<h\(written)>" + inline(text) + "</h\(written)>\n"
            } else if let item = bullet(line) {
                flushParagraph()
                if list?.ordered == true { flushList() }
                list = (false, (list?.items ?? []) + [item])
            } else if let item = numbered(line) {
                flushParagraph()
                if list?.ordered == false { flushList() }
                list = (true, (list?.items ?? []) + [item])
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph()
        flushList()
        return out
    }

    /// The text without markup, for snippets and search: link targets, markers and emphasis dropped.
    public static func plainText(_ source: String) -> String {
        var words: [String] = []
        for raw in source.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if let (_, text) = heading(line) { line = text } else if let item = bullet(line) ?? numbered(line) { line = item }
            var text = ""
            for token in tokens(line) {
                switch token {
                case .text(let t), .code(let t), .bold(let t): text += t
                case .link(let label, _): text += label
                }
            }
            if !text.isEmpty { words.append(text) }
        }
        return words.joined(separator: " ")
    }

    /// Whether a link target may be written: `http:`, `https:` or a relative reference. Control
    /// characters and whitespace are ignored the way browsers ignore them (`java\nscript:`).
    public static func safeTarget(_ target: String) -> String? {
        let cleaned = String(target.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F })
        guard !cleaned.isEmpty else { return nil }
        guard let colon = cleaned.firstIndex(of: ":") else { return cleaned }
        if let boundary = cleaned.firstIndex(where: { "/?#".contains($0) }), boundary < colon { return cleaned }
        let scheme = cleaned[..<colon].lowercased()
        return scheme == "http" || scheme == "https" ? cleaned : nil
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    // MARK: Blocks

    static func heading(_ line: String) -> (Int, String)? {
        for level in (1...3).reversed() {
            let marker = String(repeating: "#", count: level) + " "
            if line.hasPrefix(marker) { return (level, String(line.dropFirst(marker.count)).trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    static func bullet(_ line: String) -> String? {
        guard line.hasPrefix("- ") || line.hasPrefix("* ") else { return nil }
        return String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces)
    }

    static func numbered(_ line: String) -> String? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix("、") else { return nil }
        return String(rest.dropFirst(rest.hasPrefix(". ") ? 2 : 1)).trimmingCharacters(in: .whitespaces)
    }

    // MARK: Inline

    enum Token: Equatable {
        case text(String)
        case bold(String)
        case code(String)
        case link(String, String)
    }

    static func inline(_ text: String) -> String {
        tokens(text).map { token in
            switch token {
            case .text(let t): return escape(t)
            case .bold(let t): return "<strong>" + escape(t) + "</strong>"
            case .code(let t): return "<code>" + escape(t) + "</code>"
            case .link(let label, let target):
                guard let safe = safeTarget(target) else { return escape(label) }
                let external = safe.lowercased().hasPrefix("http")
                return "<a href=\"" + escape(safe) + "\"" + (external ? " rel=\"noopener noreferrer\"" : "") + ">" + escape(label) + "</a>"
            }
        }.joined()
    }

    /// Splits a line into text, `**bold**`, `` `code` `` and `[label](target)`; an unclosed marker is text.
    static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        var plain = ""
        var rest = Substring(line)
        func emit(_ token: Token) {
            if !plain.isEmpty { result.append(.text(plain)) }
            plain = ""
            result.append(token)
        }
        while let first = rest.first {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"), end.lowerBound > rest.index(rest.startIndex, offsetBy: 2)
            {
                emit(.bold(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound])))
                rest = rest[end.upperBound...]
            } else if first == "`", let end = rest.dropFirst().firstIndex(of: "`") {
                emit(.code(String(rest[rest.index(after: rest.startIndex)..<end])))
                rest = rest[rest.index(after: end)...]
            } else if first == "[", let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix("("),
                let end = rest[close...].firstIndex(of: ")")
            {
                let label = String(rest[rest.index(after: rest.startIndex)..<close])
                let target = String(rest[rest.index(close, offsetBy: 2)..<end])
                emit(.link(label, target.trimmingCharacters(in: .whitespaces)))
                rest = rest[rest.index(after: end)...]
            } else {
                plain.append(first)
                rest = rest.dropFirst()
            }
        }
        if !plain.isEmpty { result.append(.text(plain)) }
        return result
    }
}
