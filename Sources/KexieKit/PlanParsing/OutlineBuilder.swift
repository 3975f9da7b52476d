/// Builds the item tree from paragraphs.
///
/// Depth is learned, not fixed: the first label style seen is the top level, a new style nests under the
/// item before it, and a style already on the path closes everything below it. Unnumbered paragraphs
/// continue the item above, unless that item's responsibility note has already closed it; then a
/// paragraph with its own note is a separate, unnumbered task (as in plans that list 高标准做好…工作。
/// （责任部门：…） between numbered ones).
final class OutlineBuilder {
    final class Draft {
        var label: ItemLabel?
        var paragraphs: [String] = []
        var boldLead: String?
        var hasUnits = false
        var children: [Draft] = []
        weak var parent: Draft?

        init(label: ItemLabel?) { self.label = label }

        /// A one-line heading such as "一、坚定政治立场" with no sentence in it.
        var isHeadingOnly: Bool {
            guard paragraphs.count == 1, !hasUnits else { return false }
            return !paragraphs[0].contains(where: { PlanCharacters.endsSentence($0) })
        }
    }

    private(set) var roots: [Draft] = []
    private var path: [(style: LabelStyle, draft: Draft)] = []
    /// The style that first appeared under each style (nil key: the top level).
    private var childStyle: [LabelStyle?: LabelStyle] = [:]
    private var current: Draft?
    private(set) var finished = false

    func add(_ paragraph: SourceParagraph) {
        guard !finished else { return }
        let line = PlanCharacters.trimmed(paragraph.text)
        if line.isEmpty || SourceText.isFurniture(line) { return }
        if !roots.isEmpty && SourceText.startsAttachment(line) {
            finished = true
            return
        }
        let chars = Array(line)
        if let label = ItemLabel.parse(chars) {
            addLabeled(label, chars: chars, boldLead: paragraph.boldLead)
        } else {
            addUnlabeled(line, chars: chars)
        }
    }

    private func addLabeled(_ label: ItemLabel, chars: [Character], boldLead: String?) {
        let style = resolvedStyle(for: label)
        if let index = path.lastIndex(where: { $0.style == style }) {
            path.removeSubrange(index...)
        }
        let parent = path.last?.draft
        let parentStyle = path.last?.style
        if childStyle[parentStyle] == nil { childStyle[parentStyle] = style }
        var resolved = label
        resolved.style = style
        let draft = Draft(label: resolved)
        let body = String(chars[label.bodyStart...])
        draft.paragraphs = [body]
        draft.boldLead = boldLead
        draft.hasUnits = hasUnits(Array(body))
        attach(draft, to: parent)
        path.append((style, draft))
        current = draft
    }

    /// Reads "（4）" after "（三）" as the fourth （…） item, and "（1）" as the first of a level whose first
    /// item elsewhere was "（一）", when the numbers continue that way.
    private func resolvedStyle(for label: ItemLabel) -> LabelStyle {
        guard !path.contains(where: { $0.style == label.style }), let number = label.number else { return label.style }
        for alternative in label.style.standIns {
            if let entry = path.last(where: { $0.style == alternative }), let last = entry.draft.label?.number,
                number == last + 1
            {
                return alternative
            }
            if number == 1, childStyle[path.last?.style] == alternative {
                return alternative
            }
        }
        return label.style
    }

    private func addUnlabeled(_ line: String, chars: [Character]) {
        guard let item = current else { return }  // preamble before the first item
        if ResponsibilityNoteFinder.isNoteOnly(chars) {
            item.paragraphs.append(line)
            item.hasUnits = item.hasUnits || hasUnits(chars)
            return
        }
        let ownUnits = hasUnits(chars)
        if ownUnits {
            if item.hasUnits {
                addUnnumbered(line, units: true, parent: item.parent)
            } else if item.isHeadingOnly {
                addUnnumbered(line, units: true, parent: item)
            } else {
                item.paragraphs.append(line)
                item.hasUnits = true
            }
            return
        }
        if item.hasUnits {
            // After a closed task: another unnumbered task, or a signature/date line to drop.
            if chars.count >= 15 && chars.contains(where: PlanCharacters.endsSentence) {
                addUnnumbered(line, units: false, parent: item.parent)
            }
            return
        }
        item.paragraphs.append(line)
    }

    private func addUnnumbered(_ line: String, units: Bool, parent: Draft?) {
        let draft = Draft(label: nil)
        draft.paragraphs = [line]
        draft.hasUnits = units
        attach(draft, to: parent)
        current = draft
    }

    private func attach(_ draft: Draft, to parent: Draft?) {
        if let parent {
            draft.parent = parent
            parent.children.append(draft)
        } else {
            roots.append(draft)
        }
    }

    private func hasUnits(_ chars: [Character]) -> Bool {
        ResponsibilityNoteFinder.notes(in: chars).contains { note in
            !note.lead.isEmpty || !note.supporting.isEmpty || !note.responsible.isEmpty
        }
    }
}
