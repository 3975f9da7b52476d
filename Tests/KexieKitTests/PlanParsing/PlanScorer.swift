import Foundation

@testable import KexieKit

/// The tasks a person expects from a sample plan (the `*.expected.json` fixtures).
struct ExpectedPlan: Decodable {
    struct Task: Decodable {
        var label: String
        var heading: String
        var departments: [String]
        var targets: [PlanTarget]
    }
    var title: String
    var tasks: [Task]
}

/// Precision and recall of parsed tasks against expected ones. Tasks match by label + heading;
/// departments and targets are compared as (task, value) pairs so a wrong task costs its units too.
struct PlanScore: CustomStringConvertible {
    struct Ratio {
        var matched = 0
        var predicted = 0
        var expected = 0
        var precision: Double { predicted == 0 ? (expected == 0 ? 1 : 0) : Double(matched) / Double(predicted) }
        var recall: Double { expected == 0 ? 1 : Double(matched) / Double(expected) }
    }
    var tasks = Ratio()
    var departments = Ratio()
    var targets = Ratio()

    init(plan: ParsedPlan, expected: ExpectedPlan) {
        let predicted = plan.tasks
        func key(_ label: String, _ heading: String) -> String { label + "|" + heading }
        func targetKey(_ t: PlanTarget) -> String { "\(t.value)|\(t.upTo ?? -1)|\(t.qualifier ?? "")|\(t.unit)" }
        // Tasks may repeat a label+heading (（一） under several sections), so they are compared as multisets.
        func count(_ keys: [String]) -> [String: Int] { keys.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        func compare(_ p: [String], _ e: [String]) -> Ratio {
            let pc = count(p), ec = count(e)
            let matched = pc.reduce(0) { $0 + min($1.value, ec[$1.key] ?? 0) }
            return Ratio(matched: matched, predicted: p.count, expected: e.count)
        }
        let pKeys = predicted.map { key($0.label, $0.heading) }
        let eKeys = expected.tasks.map { key($0.label, $0.heading) }
        tasks = compare(pKeys, eKeys)
        departments = compare(
            predicted.flatMap { t in t.departments.map { key(t.label, t.heading) + "#" + $0 } },
            expected.tasks.flatMap { t in t.departments.map { key(t.label, t.heading) + "#" + $0 } })
        targets = compare(
            predicted.flatMap { t in t.targets.map { key(t.label, t.heading) + "#" + targetKey($0) } },
            expected.tasks.flatMap { t in t.targets.map { key(t.label, t.heading) + "#" + targetKey($0) } })
    }

    var description: String {
        func f(_ r: Ratio) -> String {
            String(format: "P %.3f R %.3f (%d/%d/%d)", r.precision, r.recall, r.matched, r.predicted, r.expected)
        }
        return "tasks \(f(tasks)); departments \(f(departments)); targets \(f(targets))"
    }
}
