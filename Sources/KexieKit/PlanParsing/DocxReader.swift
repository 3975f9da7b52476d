import Foundation

/// A paragraph of the source document before any plan structure is known.
struct SourceParagraph: Equatable, Sendable {
    var text: String
    /// The paragraph's leading bold text (label included) when a .docx marks it; nil for plain text.
    var boldLead: String?
}

/// Reads the paragraphs of a .docx: word/document.xml's <w:p> with their runs, tabs and breaks.
///
/// A small byte scanner is used instead of an XML library because only a handful of elements matter and
/// the scanner must tolerate whatever producers (WPS, Word, converters) write around them.
enum DocxReader {
    /// A plan's document.xml is a few megabytes even with tables; the rest of a .docx (images, fonts) is never
    /// inflated, so the default archive budget leaves a wide margin while keeping a bomb cheap to refuse.
    static let budget = BoundedArchive.Budget()

    static func paragraphs(fromDocx data: Data) throws(PlanParseError) -> [SourceParagraph] {
        var archive: BoundedArchive
        do throws(ArchiveBudgetError) {
            archive = try BoundedArchive(data: data, budget: budget)
        } catch {
            throw map(error)
        }
        guard let document = archive.entry("word/document.xml") else { throw .unreadableDocx }
        let documentXML: [UInt8]
        do throws(ArchiveBudgetError) {
            documentXML = try archive.read(document)
        } catch {
            throw map(error)
        }
        var boldStyles: Set<String> = []
        if let styles = archive.entry("word/styles.xml") {
            do throws(ArchiveBudgetError) {
                boldStyles = WordXMLScanner.boldStyleIDs(in: try archive.read(styles))
            } catch {
                // Damaged styles only cost the bold headings, so the text is still read; a bomb is not.
                if error.isOverBudget { throw map(error) }
            }
        }
        return WordXMLScanner.paragraphs(in: documentXML, boldStyles: boldStyles)
    }

    private static func map(_ error: ArchiveBudgetError) -> PlanParseError {
        error.isOverBudget ? .documentTooLarge : .unreadableDocx
    }
}

enum WordXMLScanner {
    private struct Tag {
        var name: String
        var isClosing: Bool
        var isSelfClosing: Bool
        var attributes: Substring
    }

    /// Reads `<...>` starting at `i` (which is `<`); returns the tag and the index after `>`.
    private static func readTag(_ x: [UInt8], _ i: Int) -> (Tag, Int)? {
        var j = i + 1
        guard j < x.count else { return nil }
        var closing = false
        if x[j] == UInt8(ascii: "/") { closing = true; j += 1 }
        let nameStart = j
        while j < x.count, x[j] != UInt8(ascii: " "), x[j] != UInt8(ascii: ">"), x[j] != UInt8(ascii: "/"),
            x[j] != UInt8(ascii: "\n"), x[j] != UInt8(ascii: "\t"), x[j] != UInt8(ascii: "\r")
        {
            j += 1
        }
        let name = String(decoding: x[nameStart..<j], as: UTF8.self)
        let attrStart = j
        var quote: UInt8 = 0
        while j < x.count {
            let b = x[j]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                quote = b
            } else if b == UInt8(ascii: ">") {
                break
            }
            j += 1
        }
        guard j < x.count else { return nil }
        let selfClosing = j > attrStart && x[j - 1] == UInt8(ascii: "/")
        let attributes = Substring(String(decoding: x[attrStart..<j], as: UTF8.self))
        return (Tag(name: name, isClosing: closing, isSelfClosing: selfClosing, attributes: attributes), j + 1)
    }

    private static func attribute(_ name: String, in attributes: Substring) -> String? {
        guard let range = attributes.range(of: name + "=") else { return nil }
        var rest = attributes[range.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<end])
    }

    /// <w:b/>, <w:b w:val="1"/> are bold; w:val="0"/"false"/"off" switch it off.
    private static func isOn(_ attributes: Substring) -> Bool {
        guard let value = attribute("w:val", in: attributes) else { return true }
        return !(value == "0" || value == "false" || value == "off")
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init)
                }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += "&" + entity + ";" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        out += rest
        return out
    }

    /// Styles whose run properties are bold, so paragraphs and runs using them count as bold.
    static func boldStyleIDs(in x: [UInt8]) -> Set<String> {
        var result: Set<String> = []
        var current: String?
        var inRunProperties = false
        var i = 0
        while i < x.count {
            guard x[i] == UInt8(ascii: "<"), let (tag, next) = readTag(x, i) else {
                i += 1
                continue
            }
            switch tag.name {
            case "w:style":
                current = tag.isClosing ? nil : attribute("w:styleId", in: tag.attributes)
            case "w:rPr":
                inRunProperties = !tag.isClosing && !tag.isSelfClosing
            case "w:b":
                if inRunProperties, let id = current, isOn(tag.attributes) { result.insert(id) }
            default: break
            }
            i = next
        }
        return result
    }

    private struct OpenParagraph {
        var text = ""
        var boldLead = ""
        var leadOpen = true
        var paragraphStyleBold = false
        var lines: [String] = []
    }

    /// Paragraphs in document order. Each table row becomes one paragraph with cells separated by tabs,
    /// so a task table reads like a line of text.
    static func paragraphs(in x: [UInt8], boldStyles: Set<String>) -> [SourceParagraph] {
        var result: [SourceParagraph] = []
        var stack: [OpenParagraph] = []
        var runBold = false
        var inRunProperties = false
        var inText = false
        var skipDepth = 0  // inside mc:Fallback, deleted text or field instructions
        var rowCells: [String]? = nil
        var cellText = ""
        var tableDepth = 0
        var i = 0

        func appendText(_ s: String) {
            guard !stack.isEmpty, skipDepth == 0 else { return }
            stack[stack.count - 1].text += s
            let bold = runBold || stack[stack.count - 1].paragraphStyleBold
            if stack[stack.count - 1].leadOpen {
                if bold {
                    stack[stack.count - 1].boldLead += s
                } else if !s.allSatisfy(PlanCharacters.isSpace) {
                    stack[stack.count - 1].leadOpen = false
                }
            }
        }

        func finishParagraph(_ p: OpenParagraph) {
            // A manual break splits the paragraph only where the next line starts a new item; elsewhere it
            // is layout (a long title wrapped by hand) and the lines belong together.
            var pieces: [String] = []
            for line in p.lines + [p.text] {
                if pieces.isEmpty || ItemLabel.parse(Array(line)) != nil {
                    pieces.append(line)
                } else {
                    pieces[pieces.count - 1] += line
                }
            }
            if tableDepth > 0 && rowCells != nil {
                cellText += pieces.joined()
                return
            }
            let bold = PlanCharacters.trimmed(p.boldLead)
            for (index, piece) in pieces.enumerated() {
                let lead = index == 0 && !bold.isEmpty ? bold : nil
                result.append(SourceParagraph(text: piece, boldLead: lead))
            }
        }

        while i < x.count {
            if x[i] != UInt8(ascii: "<") {
                if inText {
                    var j = i
                    while j < x.count, x[j] != UInt8(ascii: "<") { j += 1 }
                    appendText(decodeEntities(String(decoding: x[i..<j], as: UTF8.self)))
                    i = j
                } else {
                    i += 1
                }
                continue
            }
            guard let (tag, next) = readTag(x, i) else { break }
            i = next
            switch tag.name {
            case "mc:Fallback", "w:del", "w:instrText", "w:delText":
                if tag.isSelfClosing { break }
                skipDepth += tag.isClosing ? -1 : 1
                skipDepth = max(0, skipDepth)
            case "w:p":
                if tag.isSelfClosing {
                    if tableDepth == 0 { result.append(SourceParagraph(text: "", boldLead: nil)) }
                } else if tag.isClosing {
                    if let p = stack.popLast() { finishParagraph(p) }
                } else {
                    stack.append(OpenParagraph())
                }
            case "w:pStyle":
                if let id = attribute("w:val", in: tag.attributes), boldStyles.contains(id), !stack.isEmpty {
                    stack[stack.count - 1].paragraphStyleBold = true
                }
            case "w:r":
                if !tag.isClosing { runBold = false }
            case "w:rPr":
                inRunProperties = !tag.isClosing && !tag.isSelfClosing
            case "w:b":
                if inRunProperties { runBold = isOn(tag.attributes) }
            case "w:rStyle":
                if inRunProperties, let id = attribute("w:val", in: tag.attributes), boldStyles.contains(id) { runBold = true }
            case "w:t":
                inText = !tag.isClosing && !tag.isSelfClosing
            case "w:tab":
                if !inRunProperties && !stack.isEmpty { appendText("\t") }
            case "w:br", "w:cr":
                // A manual line break: kept as a paragraph boundary only where a new item starts (decided
                // later), so here it becomes a separate line of the same paragraph.
                if skipDepth == 0, !stack.isEmpty {
                    let text = stack[stack.count - 1].text
                    stack[stack.count - 1].lines.append(text)
                    stack[stack.count - 1].text = ""
                }
            case "w:noBreakHyphen":
                appendText("-")
            case "w:tbl":
                tableDepth += tag.isClosing ? -1 : 1
                tableDepth = max(0, tableDepth)
            case "w:tr":
                if tag.isClosing {
                    if let cells = rowCells {
                        let row = cells.map { PlanCharacters.trimmed($0) }
                        result.append(SourceParagraph(text: row.joined(separator: "\t"), boldLead: nil))
                    }
                    rowCells = nil
                } else if !tag.isSelfClosing {
                    rowCells = []
                }
            case "w:tc":
                if tag.isClosing {
                    rowCells?.append(cellText)
                    cellText = ""
                } else {
                    cellText = ""
                }
            default:
                break
            }
        }
        return result
    }
}
