/// Writes a `ParsedPlan` as JSON with a fixed key order, so the command's output is byte-for-byte stable.
struct PlanJSONWriter {
    var pretty: Bool
    private(set) var output = ""
    private var depth = 0

    init(pretty: Bool) { self.pretty = pretty }

    mutating func write(_ plan: ParsedPlan) {
        object {
            $0.field("title") { $0.string(plan.title) }
            $0.field("items", last: true) { w in w.array(plan.items) { $0.item($1) } }
        }
    }

    private mutating func item(_ item: PlanItem) {
        object {
            $0.field("label") { $0.string(item.label) }
            $0.field("heading") { $0.string(item.heading) }
            $0.field("text") { $0.string(item.text) }
            $0.field("departments") { w in w.array(item.departments) { $0.string($1) } }
            $0.field("targets") { w in w.array(item.targets) { $0.target($1) } }
            $0.field("deadlines") { w in
                w.array(item.deadlines) { w, d in
                    w.object {
                        $0.field("date") { $0.string(d.date) }
                        $0.field("text", last: true) { $0.string(d.text) }
                    }
                }
            }
            $0.field("children", last: true) { w in w.array(item.children) { $0.item($1) } }
        }
    }

    private mutating func target(_ t: PlanTarget) {
        object {
            $0.field("value") { $0.number(t.value) }
            if let upTo = t.upTo { $0.field("upTo") { $0.number(upTo) } }
            if let qualifier = t.qualifier { $0.field("qualifier") { $0.string(qualifier) } }
            $0.field("unit") { $0.string(t.unit) }
            $0.field("text", last: true) { $0.string(t.text) }
        }
    }

    private mutating func newline() {
        guard pretty else { return }
        output += "\n" + String(repeating: "  ", count: depth)
    }

    private mutating func object(_ body: (inout PlanJSONWriter) -> Void) {
        output += "{"
        depth += 1
        body(&self)
        depth -= 1
        newline()
        output += "}"
    }

    private mutating func field(_ key: String, last: Bool = false, _ value: (inout PlanJSONWriter) -> Void) {
        newline()
        string(key)
        output += pretty ? ": " : ":"
        value(&self)
        if !last { output += "," }
    }

    private mutating func array<T>(_ values: [T], _ element: (inout PlanJSONWriter, T) -> Void) {
        output += "["
        guard !values.isEmpty else {
            output += "]"
            return
        }
        depth += 1
        for (index, value) in values.enumerated() {
            newline()
            element(&self, value)
            if index < values.count - 1 { output += "," }
        }
        depth -= 1
        newline()
        output += "]"
    }

    private mutating func number(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            output += String(Int64(value))
        } else if value.isFinite {
            output += "\(value)"
        } else {
            output += "null"
        }
    }

    private mutating func string(_ s: String) {
        output += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
