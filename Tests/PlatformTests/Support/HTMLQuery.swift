import XCTVapor

/// A page parsed just enough for tests to read the value in the element that carries it, instead of
/// asking whether some text occurs anywhere in the body.
///
/// The markup is our own writer's (Sources/Platform/Web/HTML.swift): every non-void element is closed,
/// attribute values are double-quoted, text is escaped. A small scanner is enough; it is tolerant of
/// stray end tags so a malformed page still parses to something a failing assertion can show.
struct ParsedPage {
    let root: ParsedElement

    init(_ html: String) {
        var scanner = HTMLScanner(html)
        root = scanner.parse()
    }

    /// The element with this id, nil when there is none.
    func element(id: String) -> ParsedElement? { root.element(id: id) }

    /// Every element with this tag name, in document order.
    func elements(_ tag: String) -> [ParsedElement] { root.elements(tag) }

    /// Every element carrying this class.
    func elements(class name: String) -> [ParsedElement] { root.elements(class: name) }

    /// Every element with this attribute (any value when `value` is nil).
    func elements(attribute name: String, value: String? = nil) -> [ParsedElement] {
        root.elements(attribute: name, value: value)
    }

    /// The body rows (not those in `thead`) of the table, or table body, with this id: each row's cell
    /// texts. Empty when there is no such table.
    func rows(inTable id: String) -> [[String]] {
        rowElements(inTable: id).map { row in row.children.filter { $0.tag == "td" || $0.tag == "th" }.map(\.text) }
    }

    /// The body rows of the table with this id as elements (to read a row's attributes or links).
    func rowElements(inTable id: String) -> [ParsedElement] {
        guard let table = element(id: id) else { return [] }
        return table.elements("tr").filter { row in !row.ancestors.contains { $0.tag == "thead" } }
    }

    /// One column of the body rows of the table with this id (0 is the first): the cell texts.
    func column(_ index: Int, inTable id: String) -> [String] {
        rows(inTable: id).map { index < $0.count ? $0[index] : "" }
    }

    /// The first link to exactly this path (or path and query), nil when there is none.
    func link(to href: String) -> ParsedElement? { elements("a").first { $0.attribute("href") == href } }

    /// The message shown beside a form field: the text of the element with id "FIELD-error".
    func fieldError(_ field: String) -> String? { element(id: field + "-error")?.text }

    /// The selected option of the `select` named (or with the id) `name`: its value attribute, or its
    /// text when it has none. Nil when nothing is selected or there is no such select.
    func selectedOption(_ name: String) -> String? {
        selectedOptionElement(name).map { $0.attribute("value") ?? $0.text }
    }

    /// The text of the selected option of the `select` named (or with the id) `name`.
    func selectedOptionText(_ name: String) -> String? { selectedOptionElement(name)?.text }

    private func selectedOptionElement(_ name: String) -> ParsedElement? {
        let select = elements("select").first { $0.attribute("name") == name || $0.attribute("id") == name }
        return select?.elements("option").first { $0.has(attribute: "selected") }
    }

    /// The value attribute of the input or textarea text named `name` (what a re-shown form kept).
    func fieldValue(_ name: String) -> String? {
        if let input = elements("input").first(where: { $0.attribute("name") == name }) { return input.attribute("value") }
        return elements("textarea").first { $0.attribute("name") == name }.map(\.rawText)
    }

    /// The facts of a `dl` with this id: each `dt` label with the text of the `dd` after it.
    func facts(in id: String) -> [String: String] {
        guard let list = element(id: id) else { return [:] }
        var facts: [String: String] = [:]
        var label: String?
        for element in list.descendants {
            if element.tag == "dt" { label = element.text }
            if element.tag == "dd", let name = label { facts[name] = element.text }
        }
        return facts
    }

    /// The href of every link, in document order.
    var links: [String] { elements("a").compactMap { $0.attribute("href") } }

    /// The whole text of the page's main element (or of the page when it has none).
    var mainText: String { (elements("main").first ?? root).text }
}

/// One element and what it contains.
final class ParsedElement {
    enum Node {
        case element(ParsedElement)
        case text(String)
    }

    let tag: String
    let attributes: [String: String]
    fileprivate(set) var nodes: [Node] = []
    fileprivate(set) weak var parent: ParsedElement?

    init(tag: String, attributes: [String: String]) {
        self.tag = tag
        self.attributes = attributes
    }

    func attribute(_ name: String) -> String? { attributes[name] }

    func has(attribute name: String) -> Bool { attributes[name] != nil }

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }

    func has(class name: String) -> Bool { classes.contains(name) }

    /// The child elements, in order.
    var children: [ParsedElement] {
        nodes.compactMap { if case .element(let child) = $0 { return child } else { return nil } }
    }

    /// All text inside, unescaped, exactly as written.
    var rawText: String {
        nodes.map { node in
            switch node {
            case .text(let text): return text
            case .element(let child): return child.rawText
            }
        }.joined()
    }

    /// All text inside with runs of white space made one space and the ends trimmed: what a reader sees.
    var text: String {
        rawText.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    var ancestors: [ParsedElement] {
        var result: [ParsedElement] = []
        var current = parent
        while let element = current {
            result.append(element)
            current = element.parent
        }
        return result
    }

    /// Every element inside, depth first in document order.
    var descendants: [ParsedElement] {
        children.flatMap { [$0] + $0.descendants }
    }

    func element(id: String) -> ParsedElement? { descendants.first { $0.attributes["id"] == id } }

    func elements(_ tag: String) -> [ParsedElement] { descendants.filter { $0.tag == tag } }

    func elements(class name: String) -> [ParsedElement] { descendants.filter { $0.has(class: name) } }

    func elements(attribute name: String, value: String? = nil) -> [ParsedElement] {
        descendants.filter { element in element.attributes[name].map { value == nil || $0 == value } ?? false }
    }
}

extension XCTHTTPResponse {
    /// The body parsed as a page.
    var page: ParsedPage { ParsedPage(body.string) }

    /// A CSV body's lines, without the byte-order mark our exports start with for Excel.
    var csvLines: [String] {
        var text = body.string
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }
}

/// The scanner behind `ParsedPage`.
private struct HTMLScanner {
    static let voidTags: Set<String> = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    ]
    static let rawTextTags: Set<String> = ["script", "style"]

    let bytes: [UInt8]
    var index = 0

    init(_ html: String) { bytes = Array(html.utf8) }

    mutating func parse() -> ParsedElement {
        let root = ParsedElement(tag: "#document", attributes: [:])
        var stack = [root]
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "<") {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                append(.text(Self.unescape(slice(start, index))), to: stack.last!)
                continue
            }
            if starts(with: "<!--") {
                skip(past: "-->")
            } else if starts(with: "<!") || starts(with: "<?") {
                skip(past: ">")
            } else if starts(with: "</") {
                index += 2
                let name = readName().lowercased()
                skip(past: ">")
                // Close the nearest open element of that name; a stray end tag is ignored.
                if let depth = stack.lastIndex(where: { $0.tag == name }), depth > 0 {
                    stack.removeSubrange(depth...)
                }
            } else {
                index += 1
                let name = readName().lowercased()
                guard !name.isEmpty else {
                    append(.text("<"), to: stack.last!)
                    continue
                }
                let (attributes, selfClosing) = readAttributes()
                let element = ParsedElement(tag: name, attributes: attributes)
                append(.element(element), to: stack.last!)
                if selfClosing || Self.voidTags.contains(name) { continue }
                if Self.rawTextTags.contains(name) {
                    let start = index
                    let end = find("</" + name) ?? bytes.count
                    append(.text(slice(start, end)), to: element)
                    index = end
                    skip(past: ">")
                    continue
                }
                stack.append(element)
            }
        }
        return root
    }

    private func append(_ node: ParsedElement.Node, to parent: ParsedElement) {
        if case .element(let child) = node { child.parent = parent }
        parent.nodes.append(node)
    }

    private func slice(_ start: Int, _ end: Int) -> String { String(decoding: bytes[start..<end], as: UTF8.self) }

    private func matches(_ needle: [UInt8], at position: Int) -> Bool {
        guard position + needle.count <= bytes.count else { return false }
        for offset in 0..<needle.count where bytes[position + offset] != needle[offset] { return false }
        return true
    }

    private func starts(with prefix: String) -> Bool { matches(Array(prefix.utf8), at: index) }

    private func find(_ needle: String) -> Int? {
        let n = Array(needle.utf8)
        var i = index
        while i + n.count <= bytes.count {
            if matches(n, at: i) { return i }
            i += 1
        }
        return nil
    }

    private mutating func skip(past terminator: String) {
        if let found = find(terminator) { index = found + terminator.utf8.count } else { index = bytes.count }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "<"))
    }

    private mutating func readName() -> String {
        let start = index
        while index < bytes.count, Self.isNameByte(bytes[index]) { index += 1 }
        return slice(start, index)
    }

    private mutating func skipSpace() {
        while index < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[index]) {
            index += 1
        }
    }

    /// Attributes up to and including the tag's `>`; whether the tag ended with `/>`.
    private mutating func readAttributes() -> ([String: String], Bool) {
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard index < bytes.count else { return (attributes, false) }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                return (attributes, false)
            }
            if starts(with: "/>") {
                index += 2
                return (attributes, true)
            }
            if bytes[index] == UInt8(ascii: "/") {
                index += 1
                continue
            }
            let name = readName().lowercased()
            if name.isEmpty {
                index += 1
                continue
            }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
                attributes[name] = ""
                continue
            }
            index += 1
            skipSpace()
            guard index < bytes.count else { return (attributes, false) }
            let quote = bytes[index]
            if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                attributes[name] = Self.unescape(slice(start, index))
                index += 1
            } else {
                attributes[name] = Self.unescape(readName())
            }
        }
    }

    /// The writer's five escapes, plus numeric references and &nbsp; for text written by hand.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let after = rest[amp...]
            guard let semicolon = after.firstIndex(of: ";"), after.distance(from: amp, to: semicolon) <= 10 else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = after[after.index(after: amp)..<semicolon]
            let named = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}"]
            var replacement: String? = named[String(entity)]
            if replacement == nil, entity.hasPrefix("#") {
                let digits = entity.dropFirst()
                let code = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                replacement = code.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            }
            if let replacement {
                result += replacement
                rest = rest[rest.index(after: semicolon)...]
            } else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
            }
        }
        return result + rest
    }
}
