import Foundation

/// A work plan (工作要点/工作计划) read from a document: its title and its numbered items as a tree.
///
/// The JSON encoding is the contract of `kexie plan parse FILE --format json`, so the coding keys are
/// written out by hand and optional keys are left out when they are nil.
public struct ParsedPlan: Codable, Sendable, Equatable {
    public var title: String
    public var items: [PlanItem]

    public init(title: String, items: [PlanItem]) {
        self.title = title
        self.items = items
    }

    /// Every item in document order, parents before their children.
    public var allItems: [PlanItem] {
        var result: [PlanItem] = []
        func visit(_ item: PlanItem) {
            result.append(item)
            item.children.forEach(visit)
        }
        items.forEach(visit)
        return result
    }

    /// The items that carry their own responsibility note (责任部门/牵头单位…): what a plan calls a task.
    /// Inline sub-items (一是/二是) only inherit their paragraph's units, so they are not counted again.
    public var tasks: [PlanItem] {
        var result: [PlanItem] = []
        func visit(_ item: PlanItem, parentHasUnits: Bool) {
            let hasUnits = !item.departments.isEmpty
            if hasUnits && !parentHasUnits { result.append(item) }
            for child in item.children { visit(child, parentHasUnits: parentHasUnits || hasUnits) }
        }
        for item in items { visit(item, parentHasUnits: false) }
        return result
    }

    /// The JSON printed by `kexie plan parse --format json`: keys in contract order (JSONEncoder on Linux
    /// does not keep declaration order), optional keys left out when nil, Chinese unescaped.
    public func jsonData(prettyPrinted: Bool = false) -> Data {
        var writer = PlanJSONWriter(pretty: prettyPrinted)
        writer.write(self)
        return Data(writer.output.utf8)
    }
}

/// One numbered (or unnumbered but separately assigned) unit of a plan.
public struct PlanItem: Codable, Sendable, Equatable {
    /// The numbering as written: "一、", "（一）", "1.", "（1）", "一是", "——", or "" for an unnumbered task.
    public var label: String
    /// The bold lead phrase of a .docx paragraph, otherwise the first sentence, without its end mark.
    public var heading: String
    /// The item's own text without its label; paragraphs of one item are joined with "\n".
    public var text: String
    /// Every responsible unit, lead units first, in the order the document names them.
    public var departments: [String]
    /// The units the document marks as leading (牵头/主责/负责); empty when it does not distinguish.
    /// Not part of the JSON contract, which has only `departments`.
    public var leadDepartments: [String]
    public var targets: [PlanTarget]
    public var deadlines: [PlanDeadline]
    public var children: [PlanItem]

    public init(
        label: String, heading: String, text: String, departments: [String] = [],
        leadDepartments: [String] = [], targets: [PlanTarget] = [], deadlines: [PlanDeadline] = [],
        children: [PlanItem] = []
    ) {
        self.label = label
        self.heading = heading
        self.text = text
        self.departments = departments
        self.leadDepartments = leadDepartments
        self.targets = targets
        self.deadlines = deadlines
        self.children = children
    }

    /// The units the document marks as supporting (配合/协办/参与).
    public var supportingDepartments: [String] {
        departments.filter { !leadDepartments.contains($0) }
    }

    private enum CodingKeys: String, CodingKey {
        case label, heading, text, departments, targets, deadlines, children
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        label = try container.decode(String.self, forKey: .label)
        heading = try container.decode(String.self, forKey: .heading)
        text = try container.decode(String.self, forKey: .text)
        departments = try container.decodeIfPresent([String].self, forKey: .departments) ?? []
        leadDepartments = []
        targets = try container.decodeIfPresent([PlanTarget].self, forKey: .targets) ?? []
        deadlines = try container.decodeIfPresent([PlanDeadline].self, forKey: .deadlines) ?? []
        children = try container.decodeIfPresent([PlanItem].self, forKey: .children) ?? []
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encode(heading, forKey: .heading)
        try container.encode(text, forKey: .text)
        try container.encode(departments, forKey: .departments)
        try container.encode(targets, forKey: .targets)
        try container.encode(deadlines, forKey: .deadlines)
        try container.encode(children, forKey: .children)
    }
}

/// A planned quantity such as 17场, 3万人 (30000 人), 1-2期 (1 upTo 2), 50条以上.
///
/// Multipliers are folded into the value (万 → ×10 000, 亿 → ×100 000 000), money included:
/// 500万元 becomes 5000000 元, so amounts written in 元, 万元 or 亿元 compare directly.
public struct PlanTarget: Codable, Sendable, Equatable {
    public var value: Double
    /// The upper end of a range (1-2期, 三至五场); nil for a single value.
    public var upTo: Double?
    /// The hedge as written: 以上, 左右, 以内, 不少于, 超过, 近, 约, 余, 多 …
    public var qualifier: String?
    /// The counting unit: 场, 人, 人次, 个, 元, % …
    public var unit: String
    /// The clause the quantity stands in.
    public var text: String

    public init(value: Double, upTo: Double? = nil, qualifier: String? = nil, unit: String, text: String) {
        self.value = value
        self.upTo = upTo
        self.qualifier = qualifier
        self.unit = unit
        self.text = text
    }

    private enum CodingKeys: String, CodingKey {
        case value, upTo, qualifier, unit, text
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encodeIfPresent(upTo, forKey: .upTo)
        try container.encodeIfPresent(qualifier, forKey: .qualifier)
        try container.encode(unit, forKey: .unit)
        try container.encode(text, forKey: .text)
    }
}

/// An explicit deadline (9月15日前, 6月底前, 年底前, 上半年 …) dated in the plan's year.
public struct PlanDeadline: Codable, Sendable, Equatable {
    /// ISO date, YYYY-MM-DD.
    public var date: String
    /// The deadline phrase as written.
    public var text: String

    public init(date: String, text: String) {
        self.date = date
        self.text = text
    }
}
