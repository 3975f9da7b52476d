import Foundation
import KexieKit

/// Escaped-by-default HTML, written straight into one byte buffer.
///
/// A page writes itself with nested calls that read like the markup they produce:
///
///     h.el(.p, .class("muted"), .id("result-count")) { h in
///         h.text(countLabel)
///         if capped { h.raw("（只显示前 200 条）") }
///     }
///
/// Text and attribute values are always escaped; unescaped output (`raw`) takes only string literals,
/// so nothing a person typed can reach the page unescaped. No node tree is built and nothing is looked
/// up by name at render time: issue 14 measured this writer against Leaf on Kexie's own pages
/// (docs/operators/architecture.md, "Pages").
public struct HTML: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 16_384) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The markup written so far, as text (tests and snapshots).
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Text

    /// Markup or text known when the code was written. Only literals: never a value from a request.
    public mutating func raw(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text, escaped for both element content and quoted attribute values.
    public mutating func text(_ value: String) {
        var value = value
        value.withUTF8 { appendEscaped($0) }
    }

    public mutating func text(_ value: Substring) { text(String(value)) }

    public mutating func text(_ value: Int) { text(String(value)) }

    /// A notice's body in the safe Markdown subset (`KexieKit.SafeMarkdown`): the source's own text is
    /// escaped and only the subset's tags and checked link targets are written.
    public mutating func markdown(_ source: String) {
        var html = SafeMarkdown.html(source)
        html.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Optional text: nothing when nil.
    public mutating func text(_ value: String?) {
        if let value { text(value) }
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for index in 0..<utf8.count {
            let replacement: StaticString
            switch utf8[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default: continue
            }
            if index > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index])) }
            replacement.withUTF8Buffer { bytes.append(contentsOf: $0) }
            start = index + 1
        }
        if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
    }

    // MARK: Elements

    /// `<name attributes>content</name>`.
    public mutating func el(_ tag: Tag, _ attributes: Attribute..., content: (inout HTML) -> Void) {
        open(tag, attributes)
        content(&self)
        close(tag)
    }

    /// `<name attributes>text</name>`, the text escaped.
    public mutating func el(_ tag: Tag, _ attributes: Attribute..., text value: String) {
        open(tag, attributes)
        text(value)
        close(tag)
    }

    /// `<name attributes>literal</name>`.
    public mutating func el(_ tag: Tag, _ attributes: Attribute..., raw literal: StaticString) {
        open(tag, attributes)
        raw(literal)
        close(tag)
    }

    /// An element without content or end tag (`<input>`, `<br>`, `<meta>`).
    public mutating func void(_ tag: Tag, _ attributes: Attribute...) {
        open(tag, attributes)
    }

    /// The same with the attributes gathered in an array (a control and the aria attributes of its field).
    public mutating func void(_ tag: Tag, attributes: [Attribute]) {
        open(tag, attributes)
    }

    mutating func open(_ tag: Tag, _ attributes: [Attribute]) {
        bytes.append(UInt8(ascii: "<"))
        raw(tag.name)
        for attribute in attributes { write(attribute) }
        bytes.append(UInt8(ascii: ">"))
    }

    mutating func close(_ tag: Tag) {
        raw("</")
        raw(tag.name)
        bytes.append(UInt8(ascii: ">"))
    }

    private mutating func write(_ attribute: Attribute) {
        switch attribute.value {
        case .absent:
            return
        case .flag:
            bytes.append(UInt8(ascii: " "))
            raw(attribute.name)
        case .text(let value):
            bytes.append(UInt8(ascii: " "))
            raw(attribute.name)
            raw("=\"")
            text(value)
            bytes.append(UInt8(ascii: "\""))
        case .literal(let value):
            bytes.append(UInt8(ascii: " "))
            raw(attribute.name)
            raw("=\"")
            raw(value)
            bytes.append(UInt8(ascii: "\""))
        }
    }
}

/// An element name. Only the names below exist, so a typo is a compile error.
public struct Tag: Sendable {
    public let name: StaticString

    public static let a = Tag(name: "a")
    public static let abbr = Tag(name: "abbr")
    public static let article = Tag(name: "article")
    public static let aside = Tag(name: "aside")
    public static let body = Tag(name: "body")
    public static let br = Tag(name: "br")
    public static let button = Tag(name: "button")
    public static let caption = Tag(name: "caption")
    public static let code = Tag(name: "code")
    public static let col = Tag(name: "col")
    public static let dd = Tag(name: "dd")
    public static let del = Tag(name: "del")
    public static let details = Tag(name: "details")
    public static let div = Tag(name: "div")
    public static let dl = Tag(name: "dl")
    public static let dt = Tag(name: "dt")
    public static let em = Tag(name: "em")
    public static let fieldset = Tag(name: "fieldset")
    public static let figure = Tag(name: "figure")
    public static let figcaption = Tag(name: "figcaption")
    public static let footer = Tag(name: "footer")
    public static let form = Tag(name: "form")
    public static let h1 = Tag(name: "h1")
    public static let h2 = Tag(name: "h2")
    public static let h3 = Tag(name: "h3")
    public static let head = Tag(name: "head")
    public static let header = Tag(name: "header")
    public static let html = Tag(name: "html")
    public static let img = Tag(name: "img")
    public static let input = Tag(name: "input")
    public static let label = Tag(name: "label")
    public static let legend = Tag(name: "legend")
    public static let li = Tag(name: "li")
    public static let link = Tag(name: "link")
    public static let main = Tag(name: "main")
    public static let meta = Tag(name: "meta")
    public static let meter = Tag(name: "meter")
    public static let nav = Tag(name: "nav")
    public static let ol = Tag(name: "ol")
    public static let optgroup = Tag(name: "optgroup")
    public static let option = Tag(name: "option")
    public static let p = Tag(name: "p")
    public static let pre = Tag(name: "pre")
    public static let progress = Tag(name: "progress")
    public static let script = Tag(name: "script")
    public static let section = Tag(name: "section")
    public static let select = Tag(name: "select")
    public static let small = Tag(name: "small")
    public static let span = Tag(name: "span")
    public static let strong = Tag(name: "strong")
    public static let svg = Tag(name: "svg")
    public static let g = Tag(name: "g")
    public static let svgText = Tag(name: "text")
    public static let rect = Tag(name: "rect")
    public static let svgLine = Tag(name: "line")
    public static let path = Tag(name: "path")
    public static let circle = Tag(name: "circle")
    public static let svgDesc = Tag(name: "desc")
    public static let summary = Tag(name: "summary")
    public static let table = Tag(name: "table")
    public static let tbody = Tag(name: "tbody")
    public static let td = Tag(name: "td")
    public static let textarea = Tag(name: "textarea")
    public static let tfoot = Tag(name: "tfoot")
    public static let th = Tag(name: "th")
    public static let thead = Tag(name: "thead")
    public static let time = Tag(name: "time")
    public static let title = Tag(name: "title")
    public static let svgTitle = Tag(name: "title")
    public static let tr = Tag(name: "tr")
    public static let ul = Tag(name: "ul")
}

/// One attribute. A nil value or a false flag writes nothing, so optional attributes need no `if`.
public struct Attribute: Sendable {
    enum Value: Sendable {
        case absent
        case flag
        case text(String)
        case literal(StaticString)
    }

    let name: StaticString
    let value: Value

    /// Any attribute with a value from data (escaped); nil writes nothing.
    public static func attr(_ name: StaticString, _ value: String?) -> Attribute {
        Attribute(name: name, value: value.map(Value.text) ?? .absent)
    }

    /// Any attribute with a literal value.
    public static func attr(_ name: StaticString, literal value: StaticString) -> Attribute {
        Attribute(name: name, value: .literal(value))
    }

    /// A boolean attribute (`selected`, `checked`, `required`): written only when on.
    public static func flag(_ name: StaticString, _ on: Bool = true) -> Attribute {
        Attribute(name: name, value: on ? .flag : .absent)
    }

    public static func `class`(_ value: StaticString) -> Attribute { attr("class", literal: value) }
    public static func `class`(dynamic value: String?) -> Attribute { attr("class", value) }
    public static func id(_ value: StaticString) -> Attribute { attr("id", literal: value) }
    public static func id(dynamic value: String?) -> Attribute { attr("id", value) }
    public static func href(_ value: String?) -> Attribute { attr("href", value) }
    public static func href(literal value: StaticString) -> Attribute { attr("href", literal: value) }
    public static func name(_ value: StaticString) -> Attribute { attr("name", literal: value) }
    public static func name(dynamic value: String?) -> Attribute { attr("name", value) }
    public static func value(_ value: String?) -> Attribute { attr("value", value) }
    public static func type(_ value: StaticString) -> Attribute { attr("type", literal: value) }
    public static func `for`(_ value: StaticString) -> Attribute { attr("for", literal: value) }
    public static func `for`(dynamic value: String?) -> Attribute { attr("for", value) }
    public static func action(_ value: String?) -> Attribute { attr("action", value) }
    public static func action(literal value: StaticString) -> Attribute { attr("action", literal: value) }
    public static func method(_ value: StaticString) -> Attribute { attr("method", literal: value) }
    public static func title(_ value: String?) -> Attribute { attr("title", value) }
    public static func role(_ value: StaticString) -> Attribute { attr("role", literal: value) }
    public static func placeholder(_ value: StaticString) -> Attribute { attr("placeholder", literal: value) }
    public static let selected = flag("selected")
    public static let checked = flag("checked")
    public static let required = flag("required")
}
