import Fluent
import Foundation

/// A computed panel: a title and its lines, as the home page and the person page show them.
public struct PanelContent: Sendable, Encodable {
    public let title: String
    public let lines: [HomePanel.Line]

    public init(title: String, lines: [HomePanel.Line]) {
        self.title = title
        self.lines = lines
    }
}

extension HTML {
    /// The panels grid: one card per panel, each line a label and its value (linked when it has a link).
    public mutating func panels(_ panels: [PanelContent]) {
        el(.div, .class("panels")) { h in
            for panel in panels {
                h.el(.section, .class("card panel")) { h in
                    h.el(.h2, text: panel.title)
                    h.el(.dl) { h in
                        for line in panel.lines {
                            h.el(.div, .class("line")) { h in
                                h.el(.dt, text: line.label)
                                h.el(.dd) { h in
                                    if let link = line.link { h.el(.a, .href(link), text: line.value) } else { h.text(line.value) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension ModuleRegistry {
    /// Every module's panel about one person, computed for the actor; empty panels are left out.
    public func personPanels(
        for subject: PersonPanel.Subject, actor: Actor, on db: any Database, now: Date
    ) async throws -> [PanelContent] {
        var result: [PanelContent] = []
        for panel in personPanels {
            let lines = try await panel.lines(subject, actor, db, now)
            if !lines.isEmpty { result.append(PanelContent(title: panel.title, lines: lines)) }
        }
        return result
    }
}
