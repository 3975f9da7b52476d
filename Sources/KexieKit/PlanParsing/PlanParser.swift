import Foundation

/// Reads an association's annual work plan (plain text or .docx) into a title and a tree of items with
/// their responsible units, planned quantities and deadlines.
///
///     let plan = try PlanParser().parse(data: upload, fileName: "2021年工作要点.docx")
///     let json = plan.jsonData()
public struct PlanParser: Sendable {
    public init() {}

    /// Parses an already decoded plan text.
    public func parse(text: String) -> ParsedPlan {
        parse(paragraphs: SourceText.paragraphs(from: text))
    }

    /// Parses a .docx file's bytes.
    public func parse(docx data: Data) throws(PlanParseError) -> ParsedPlan {
        parse(paragraphs: try DocxReader.paragraphs(fromDocx: data))
    }

    /// Parses a file by its name: .docx as Word, .txt (or no extension) as UTF-8 or GB18030 text.
    public func parse(data: Data, fileName: String) throws(PlanParseError) -> ParsedPlan {
        let ext = fileName.split(separator: ".").count > 1 ? String(fileName.split(separator: ".").last ?? "").lowercased() : ""
        let plan: ParsedPlan
        switch ext {
        case "docx":
            plan = try parse(docx: data)
        case "txt", "text", "":
            let text = try PlanTextDecoder.decode(data)
            guard !text.allSatisfy(PlanCharacters.isSpace) else { throw .emptyDocument }
            plan = parse(text: text)
        default:
            throw .unsupportedFileType(ext)
        }
        if plan.title.isEmpty && plan.items.isEmpty { throw .emptyDocument }
        return plan
    }

    func parse(paragraphs: [SourceParagraph]) -> ParsedPlan {
        let title = TitleFinder.find(in: paragraphs)
        let builder = OutlineBuilder()
        let bodyStart = title.paragraphIndex.map { $0 + 1 } ?? 0
        for paragraph in paragraphs.dropFirst(bodyStart) {
            builder.add(paragraph)
            if builder.finished { break }
        }
        let finisher = ItemFinisher(year: title.year, firstListedLeads: saysFirstListedLeads(paragraphs))
        return ParsedPlan(title: title.title, items: builder.roots.map { finisher.finish($0) })
    }

    /// Plans often state once that the first unit of every list leads ("排在第一位的为牵头单位").
    private func saysFirstListedLeads(_ paragraphs: [SourceParagraph]) -> Bool {
        paragraphs.contains { p in
            (p.text.contains("第一位") || p.text.contains("首位") || p.text.contains("排名第一")) && p.text.contains("牵头")
        }
    }
}
