/// A small pull scanner for the well-formed, namespace-prefixed XML that
/// spreadsheet programs write.
///
/// It never expands DTDs or external entities, so uploaded files cannot
/// trigger entity-expansion or external-fetch attacks, and it avoids
/// FoundationXML, which needs libxml2 at run time on Linux.
struct XMLScanner {
    enum Event {
        case open(XMLTag)
        case close(localName: String)
        case text(XMLText)
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    struct Malformed: Error {}

    mutating func next() throws -> Event? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(XMLText(bytes: bytes[start..<position], isRaw: false))
            }
            // Markup.
            guard position + 1 < bytes.count else { throw Malformed() }
            switch bytes[position + 1] {
            case UInt8(ascii: "?"):
                try skip(past: Array("?>".utf8))
            case UInt8(ascii: "!"):
                if hasPrefix("<![CDATA[") {
                    let start = position + 9
                    try skip(past: Array("]]>".utf8))
                    return .text(XMLText(bytes: bytes[start..<(position - 3)], isRaw: true))
                } else if hasPrefix("<!--") {
                    try skip(past: Array("-->".utf8))
                } else {
                    // DOCTYPE: skipped, never interpreted.
                    try skipDeclaration()
                }
            case UInt8(ascii: "/"):
                let nameStart = position + 2
                guard let end = bytes[nameStart...].firstIndex(of: UInt8(ascii: ">")) else { throw Malformed() }
                var nameEnd = end
                while nameEnd > nameStart, Self.isSpace(bytes[nameEnd - 1]) { nameEnd -= 1 }
                position = end + 1
                return .close(localName: Self.localName(bytes[nameStart..<nameEnd]))
            default:
                return .open(try openTag())
            }
        }
        return nil
    }

    private func hasPrefix(_ text: StaticString) -> Bool {
        text.withUTF8Buffer { prefix in
            position + prefix.count <= bytes.count && bytes[position..<(position + prefix.count)].elementsEqual(prefix)
        }
    }

    private mutating func skip(past terminator: [UInt8]) throws {
        var index = position
        while index + terminator.count <= bytes.count {
            if bytes[index] == terminator[0], bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                position = index + terminator.count
                return
            }
            index += 1
        }
        throw Malformed()
    }

    private mutating func skipDeclaration() throws {
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "<"): depth += 1
            case UInt8(ascii: ">"):
                depth -= 1
                if depth == 0 { position += 1; return }
            default: break
            }
            position += 1
        }
        throw Malformed()
    }

    private mutating func openTag() throws -> XMLTag {
        let nameStart = position + 1
        var index = nameStart
        while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">"),
            bytes[index] != UInt8(ascii: "/")
        { index += 1 }
        let name = Self.localName(bytes[nameStart..<index])
        let attributesStart = index
        var quote: UInt8? = nil
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                break
            }
            index += 1
        }
        guard index < bytes.count, !name.isEmpty else { throw Malformed() }
        let selfClosing = index > attributesStart && bytes[index - 1] == UInt8(ascii: "/")
        position = index + 1
        return XMLTag(
            localName: name,
            attributeBytes: bytes[attributesStart..<(selfClosing ? index - 1 : index)],
            isSelfClosing: selfClosing)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Drops any namespace prefix: `x:c` and `c` are the same element to us.
    static func localName(_ qualified: ArraySlice<UInt8>) -> String {
        let local = qualified.lastIndex(of: UInt8(ascii: ":")).map { qualified[($0 + 1)...] } ?? qualified
        return String(decoding: local, as: UTF8.self)
    }
}

struct XMLTag {
    let localName: String
    let attributeBytes: ArraySlice<UInt8>
    let isSelfClosing: Bool

    /// Value of the attribute whose local name matches, ignoring prefixes
    /// (so `r:id` is found as `id`).
    func attribute(_ wanted: String) -> String? {
        var index = attributeBytes.startIndex
        let end = attributeBytes.endIndex
        while index < end {
            while index < end, XMLScanner.isSpace(attributeBytes[index]) { index += 1 }
            let nameStart = index
            while index < end, attributeBytes[index] != UInt8(ascii: "="), !XMLScanner.isSpace(attributeBytes[index]) {
                index += 1
            }
            let name = attributeBytes[nameStart..<index]
            while index < end, attributeBytes[index] != UInt8(ascii: "\"") && attributeBytes[index] != UInt8(ascii: "'") {
                index += 1
            }
            guard index < end else { return nil }
            let quote = attributeBytes[index]
            let valueStart = index + 1
            index = valueStart
            while index < end, attributeBytes[index] != quote { index += 1 }
            let value = attributeBytes[valueStart..<min(index, end)]
            index += 1
            let local = name.lastIndex(of: UInt8(ascii: ":")).map { name[($0 + 1)...] } ?? name
            if local.elementsEqual(wanted.utf8) {
                return XMLText(bytes: value, isRaw: false).decoded()
            }
        }
        return nil
    }
}

struct XMLText {
    let bytes: ArraySlice<UInt8>
    /// CDATA content is taken literally.
    let isRaw: Bool

    func decoded() -> String {
        guard !isRaw, bytes.contains(UInt8(ascii: "&")) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "&"),
                let semicolon = bytes[index...].prefix(12).firstIndex(of: UInt8(ascii: ";"))
            else {
                output.append(byte)
                index += 1
                continue
            }
            let entity = String(decoding: bytes[(index + 1)..<semicolon], as: UTF8.self)
            if let replacement = Self.resolve(entity) {
                output.append(contentsOf: replacement.utf8)
            } else {
                output.append(contentsOf: bytes[index...semicolon])
            }
            index = semicolon + 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func resolve(_ entity: String) -> String? {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let value: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                value = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                value = UInt32(entity.dropFirst())
            } else {
                value = nil
            }
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
